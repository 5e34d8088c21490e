"""Camera entities: snapshots through Snap (3.6.7), streams per the preview forms (2.7)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TypeIs

from homeassistant.components.camera import Camera, CameraEntityDescription
from homeassistant.components.camera.const import CameraEntityFeature
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from . import ReolinkConfigEntry
from .api import ReolinkError
from .api.streams import Protocol, Stream
from .const import (
    CONF_PROTOCOL,
    CONF_STREAM,
    DEFAULT_PROTOCOL,
    DEFAULT_STREAM,
    PROTOCOLS,
    STREAMS,
)
from .coordinator import ReolinkEventsCoordinator
from .entity import ReolinkChannelEntity
from .errors import device_failure

_LOGGER = logging.getLogger(__name__)

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class ReolinkCameraDescription(CameraEntityDescription):
    """A camera entity; `stream` None means the stream chosen in the options."""

    stream: Stream | None


CAMERAS: tuple[ReolinkCameraDescription, ...] = (
    ReolinkCameraDescription(key="camera", name=None, stream=None),
    ReolinkCameraDescription(
        key="sub", translation_key="sub", stream="sub", entity_registry_enabled_default=False
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: ReolinkConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """A main camera per channel and a disabled sub-stream twin."""
    data = entry.runtime_data
    async_add_entities(
        ReolinkCamera(data.events, description, channel)
        for channel in data.device.channels
        for description in CAMERAS
    )


def _is_stream(value: object) -> TypeIs[Stream]:
    """Options come from storage as plain JSON; the options form only offers STREAMS."""
    return value in STREAMS


def _is_protocol(value: object) -> TypeIs[Protocol]:
    """Options come from storage as plain JSON; the options form only offers PROTOCOLS."""
    return value in PROTOCOLS


class ReolinkCamera(ReolinkChannelEntity, Camera):
    """Snapshot and live stream of one channel."""

    entity_description: ReolinkCameraDescription
    _attr_supported_features = CameraEntityFeature.STREAM

    def __init__(
        self,
        coordinator: ReolinkEventsCoordinator,
        description: ReolinkCameraDescription,
        channel: int,
    ) -> None:
        """Set up both parents: the coordinator entity and Camera's token state."""
        ReolinkChannelEntity.__init__(self, coordinator, description, channel)
        Camera.__init__(self)
        self._snapshots_failing = False

    @property
    def _stream_name(self) -> Stream:
        if self.entity_description.stream is not None:
            return self.entity_description.stream
        stream = self.coordinator.config_entry.options.get(CONF_STREAM, DEFAULT_STREAM)
        return stream if _is_stream(stream) else DEFAULT_STREAM

    @property
    def _protocol(self) -> Protocol:
        protocol = self.coordinator.config_entry.options.get(CONF_PROTOCOL, DEFAULT_PROTOCOL)
        return protocol if _is_protocol(protocol) else DEFAULT_PROTOCOL

    @property
    def entity_picture(self) -> str | None:  # type: ignore[override]
        """No snapshot link while the channel is offline: fetching it could only fail.

        Camera narrows the type to str, but Home Assistant's state writer takes None
        (no picture) from any entity.
        """
        return super().entity_picture if self.available else None

    async def stream_source(self) -> str | None:
        """Stream URL in the protocol chosen in the options; credentials URL-encoded."""
        return self.coordinator.client.stream_url(
            self.channel, stream=self._stream_name, protocol=self._protocol
        )

    async def async_camera_image(
        self, width: int | None = None, height: int | None = None
    ) -> bytes | None:
        """A fresh JPEG from the device, scaled by the device when a size is asked."""
        try:
            image = await self.coordinator.client.snapshot(self.channel, width=width, height=height)
        except ReolinkError as err:
            self._log_failure(err)
            raise device_failure("snapshot_failed", error=str(err)) from err
        if self._snapshots_failing:
            self._snapshots_failing = False
            _LOGGER.info("%s: snapshots work again", self.entity_id)
        return image

    def _log_failure(self, err: ReolinkError) -> None:
        """One line per run of failures: the frontend asks for a picture every 10 s."""
        if not self._snapshots_failing:
            _LOGGER.warning("%s: snapshot failed: %s", self.entity_id, err)
        self._snapshots_failing = True
