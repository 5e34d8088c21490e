"""A detection event per channel: person, vehicle, animal, face, package or visitor."""

from homeassistant.components.event import (
    EventDeviceClass,
    EventEntity,
    EventEntityDescription,
)
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from . import ReolinkConfigEntry, ReolinkData
from .detections import detection_kinds
from .entity import ReolinkChannelEntity

PARALLEL_UPDATES = 0

DETECTION = EventEntityDescription(
    key="detection", translation_key="detection", device_class=EventDeviceClass.MOTION
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: ReolinkConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """One per channel with AI detection or a doorbell button."""
    data = entry.runtime_data
    async_add_entities(
        ReolinkDetectionEvent(data, channel)
        for channel in data.device.channels
        if data.device.ai_types(channel)
    )


class ReolinkDetectionEvent(ReolinkChannelEntity, EventEntity):
    """Fires with the detection kind as each detection starts (ONVIF push or poll)."""

    def __init__(self, data: ReolinkData, channel: int) -> None:
        """The kinds this channel reports."""
        super().__init__(data.events, DETECTION, channel)
        self._data = data
        self._attr_event_types = detection_kinds(data.device.ai_types(channel))

    async def async_added_to_hass(self) -> None:
        """Hear of detections as the watcher sees them."""
        await super().async_added_to_hass()
        self.async_on_remove(
            self._data.detections.add_detection_listener(self.channel, self._on_detection)
        )

    @callback
    def _on_detection(self, kind: str) -> None:
        self._trigger_event(kind)
        self.async_write_ha_state()
