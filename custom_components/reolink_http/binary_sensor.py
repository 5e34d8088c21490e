"""Motion, AI detection and visitor binary sensors (3.8.5 GetMdState, 3.11.3 GetAiState)."""

from collections.abc import Callable
from dataclasses import dataclass

from homeassistant.components.binary_sensor import BinarySensorEntity, BinarySensorEntityDescription
from homeassistant.components.binary_sensor.const import BinarySensorDeviceClass
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from . import ReolinkConfigEntry
from .api.features import Feature
from .coordinator import ChannelEvents
from .device import ReolinkDevice
from .entity import ReolinkChannelEntity

PARALLEL_UPDATES = 0

# The camera's own motion detection.
MOTION_KEY = "motion"


@dataclass(frozen=True, kw_only=True)
class ReolinkBinarySensorDescription(BinarySensorEntityDescription):
    """How one event sensor reads the events coordinator and when it exists."""

    value_fn: Callable[[ChannelEvents], bool | None]
    supported_fn: Callable[[ReolinkDevice, int], bool]
    # Read from the device's channel list instead of the events (sleep).
    channel_fn: Callable[[ReolinkDevice, int], bool | None] | None = None


def _ai_sensor(*, key: str, ai_type: str) -> ReolinkBinarySensorDescription:
    # No device class: with "motion" the logbook would read "Person detected motion";
    # the translated states read Clear/Detected like the motion sensor's.
    return ReolinkBinarySensorDescription(
        key=key,
        translation_key=key,
        value_fn=lambda events: None if events.ai is None else events.ai.get(ai_type, False),
        supported_fn=lambda device, channel: ai_type in device.ai_types(channel),
    )


BINARY_SENSORS: tuple[ReolinkBinarySensorDescription, ...] = (
    ReolinkBinarySensorDescription(
        key=MOTION_KEY,
        device_class=BinarySensorDeviceClass.MOTION,
        value_fn=lambda events: events.motion,
        supported_fn=lambda device, channel: True,
    ),
    _ai_sensor(key="person", ai_type="people"),
    _ai_sensor(key="vehicle", ai_type="vehicle"),
    _ai_sensor(key="animal", ai_type="dog_cat"),
    _ai_sensor(key="face", ai_type="face"),
    _ai_sensor(key="package", ai_type="package"),
    _ai_sensor(key="non_motor_vehicle", ai_type="non-motor vehicle"),
    ReolinkBinarySensorDescription(
        key="visitor",
        translation_key="visitor",
        value_fn=lambda events: None if events.ai is None else events.ai.get("visitor", False),
        supported_fn=lambda device, channel: "visitor" in device.ai_types(channel),
    ),
    # A battery camera behind a Home Hub or NVR asleep (Getchannelstatus `sleep`).
    ReolinkBinarySensorDescription(
        key="sleep",
        translation_key="sleep",
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda events: None,
        channel_fn=lambda device, channel: device.channels[channel].sleeping,
        supported_fn=lambda device, channel: (
            device.is_nvr and device.abilities.supports(Feature.BATTERY, channel)
        ),
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: ReolinkConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """One sensor per supported event type and channel."""
    data = entry.runtime_data
    async_add_entities(
        ReolinkBinarySensor(data.events, description, channel)
        for channel in data.device.channels
        for description in BINARY_SENSORS
        if description.supported_fn(data.device, channel)
    )


class ReolinkBinarySensor(ReolinkChannelEntity, BinarySensorEntity):
    """A detection state of one channel."""

    entity_description: ReolinkBinarySensorDescription

    @property
    def available(self) -> bool:
        """Unavailable when the command this sensor reads failed."""
        return super().available and self.is_on is not None

    @property
    def is_on(self) -> bool | None:
        """Current detection state, from the last events poll."""
        events = self.events
        if events is None:
            return None
        description = self.entity_description
        if description.channel_fn is not None:
            return description.channel_fn(self.coordinator.device, self.channel)
        return description.value_fn(events)
