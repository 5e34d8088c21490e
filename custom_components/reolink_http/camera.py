"""Camera entities: snapshots through Snap (3.6.7), streams per the preview forms (2.7)."""

import logging
from dataclasses import dataclass
from typing import TypeIs

from homeassistant.components.camera import Camera, CameraEntityDescription
from homeassistant.components.camera.const import CameraEntityFeature
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from . import ReolinkConfigEntry
from .api import ReolinkError, ReolinkParamError
from .api.fields import ENC, SUB_STREAM
from .api.streams import PROTOCOLS, STREAMS, Protocol, SnapStream, Stream
from .capabilities import Supported, has_telephoto
from .const import (
    CONF_PROTOCOL,
    CONF_STREAM,
    DEFAULT_PROTOCOL,
    DEFAULT_STREAM,
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
    supported_fn: Supported = lambda device, channel: True


@dataclass(frozen=True, kw_only=True)
class ReolinkTelephotoDescription(ReolinkCameraDescription):
    """The telephoto lens of a dual-lens tracker: its own streams and Snap pictures."""

    stream: SnapStream


CAMERAS: tuple[ReolinkCameraDescription, ...] = (
    ReolinkCameraDescription(key="camera", name=None, stream=None),
    ReolinkCameraDescription(
        key="sub", translation_key="sub", stream="sub", entity_registry_enabled_default=False
    ),
    ReolinkTelephotoDescription(
        key="autotrack_main",
        translation_key="telephoto_main",
        stream="main",
        supported_fn=has_telephoto,
    ),
    ReolinkTelephotoDescription(
        key="autotrack_sub",
        translation_key="telephoto_sub",
        stream="sub",
        supported_fn=has_telephoto,
        entity_registry_enabled_default=False,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: ReolinkConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """A main camera per channel, a disabled sub-stream twin, and a tracker's telephoto lens."""
    data = entry.runtime_data
    async_add_entities(
        ReolinkCamera(data.events, description, channel)
        for channel in data.device.channels
        for description in CAMERAS
        if description.supported_fn(data.device, channel)
    )


def _is_stream(value: object) -> TypeIs[Stream]:
    """Options come from storage as plain JSON; the options form only offers STREAMS."""
    return value in STREAMS


def _asked(size: int | None) -> int | None:
    """Home Assistant passes the frontend's 0 (meaning "any") as it came."""
    return size if size is not None and size > 0 else None


def _fits(width: int | None, height: int | None, size: tuple[int, int]) -> bool:
    """The picture of `size` is at least as large as asked."""
    return (width is None or width <= size[0]) and (height is None or height <= size[1])


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
        self._sub_size: tuple[int, int] | None = None
        self._sub_size_read = False

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
        """Stream URL in the protocol chosen in the options; credentials URL-encoded.

        The telephoto lens has one form per stream, whatever the options say.
        """
        description = self.entity_description
        if isinstance(description, ReolinkTelephotoDescription):
            return self.coordinator.client.telephoto_stream_url(self.channel, description.stream)
        return self.coordinator.client.stream_url(
            self.channel, stream=self._stream_name, protocol=self._protocol
        )

    async def async_camera_image(
        self, width: int | None = None, height: int | None = None
    ) -> bytes | None:
        """A fresh JPEG: the sub stream's picture when it is as large as asked, else full size.

        Home Assistant scales the answer down to the asked size; the frontend asks
        `width=490&height=0`, and any size it sends must give a picture.
        """
        try:
            image = await self._snapshot(_asked(width), _asked(height))
        except ReolinkError as err:
            self._log_failure(err)
            raise device_failure("snapshot_failed", error=str(err)) from err
        if self._snapshots_failing:
            self._snapshots_failing = False
            _LOGGER.info("%s: snapshots work again", self.entity_id)
        return image

    async def _snapshot(self, width: int | None, height: int | None) -> bytes:
        client = self.coordinator.client
        description = self.entity_description
        if isinstance(description, ReolinkTelephotoDescription):
            # The lens's own stream size is not in GetEnc: Home Assistant scales it down.
            return await client.snapshot(self.channel, stream=description.stream, telephoto=True)
        sub_entity = self.entity_description.stream == "sub"
        if sub_entity or width is not None or height is not None:
            size = await self._sub_stream_size()
            if sub_entity or (size is not None and _fits(width, height, size)):
                sub_width, sub_height = size or (None, None)
                try:
                    return await client.snapshot(self.channel, sub_width, sub_height, stream="sub")
                except ReolinkParamError:
                    # The resolution changed since it was read: read it again next time.
                    self._sub_size_read = False
        return await client.snapshot(self.channel)

    async def _sub_stream_size(self) -> tuple[int, int] | None:
        """The sub stream's resolution (GetEnc), read once; None when the device has none."""
        if not self._sub_size_read:
            (answer,) = await self.coordinator.client.execute([ENC.request(self.channel)])
            self._sub_size = SUB_STREAM.dimensions.read(answer.value) if answer.ok else None
            self._sub_size_read = True
        return self._sub_size

    def _log_failure(self, err: ReolinkError) -> None:
        """One line per run of failures: the frontend asks for a picture every 10 s."""
        if not self._snapshots_failing:
            _LOGGER.warning("%s: snapshot failed: %s", self.entity_id, err)
        self._snapshots_failing = True
