"""The picture of the last detection per channel (taken by detections.py)."""

from typing import Any

from homeassistant.components.image import ImageEntity, ImageEntityDescription
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from . import ReolinkConfigEntry, ReolinkData
from .detection_store import DetectionPicture, StoredPicture
from .entity import ReolinkChannelEntity

PARALLEL_UPDATES = 0

LAST_DETECTION = ImageEntityDescription(key="last_detection", translation_key="last_detection")


async def async_setup_entry(
    hass: HomeAssistant,
    entry: ReolinkConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """One per channel that detects people, vehicles, animals, faces, packages or visitors."""
    data = entry.runtime_data
    async_add_entities(
        ReolinkDetectionImage(hass, data, channel)
        for channel in data.device.channels
        if data.device.ai_types(channel)
    )


class ReolinkDetectionImage(ReolinkChannelEntity, ImageEntity):
    """The picture Snap returned when the channel's latest detection started."""

    _attr_content_type = "image/jpeg"

    def __init__(self, hass: HomeAssistant, data: ReolinkData, channel: int) -> None:
        """Show the newest picture kept for this channel, if any."""
        ReolinkChannelEntity.__init__(self, data.events, LAST_DETECTION, channel)
        ImageEntity.__init__(self, hass)
        self._data = data
        self._key = data.device.channel_key(channel)
        self._picture: StoredPicture | DetectionPicture | None = None
        self._show(data.detections.store.latest(self._key))

    async def async_added_to_hass(self) -> None:
        """Pictures are taken for this channel only while this entity listens."""
        await super().async_added_to_hass()
        self.async_on_remove(
            self._data.detections.add_picture_listener(self.channel, self._on_picture)
        )

    def _show(self, picture: StoredPicture | DetectionPicture | None) -> None:
        self._picture = picture
        self._attr_image_last_updated = None if picture is None else picture.at

    @callback
    def _on_picture(self, picture: DetectionPicture) -> None:
        self._show(picture)
        self.async_write_ha_state()

    @property
    def entity_picture(self) -> str | None:
        """No picture link before the first detection: fetching it could only fail."""
        return None if self._picture is None else super().entity_picture

    @property
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """What was detected, and when."""
        if self._picture is None:
            return None
        return {"detection": self._picture.kind, "detected_at": self._picture.at.isoformat()}

    async def async_image(self) -> bytes | None:
        """The JPEG of the latest detection."""
        if self._picture is None:
            return None
        return await self._data.detections.store.async_image(self._picture)
