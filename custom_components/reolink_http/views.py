"""The authenticated proxy that streams a recording (3.6.6 Download) to the browser, and the
view of kept detection pictures (the recordings' thumbnails)."""

import logging
from collections import OrderedDict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from http import HTTPStatus
from pathlib import Path

from aiohttp import web
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.http import HomeAssistantView

from .api import ByteRange, FileAnswer, ReolinkClient, ReolinkError
from .api.streams import RECORDING_STREAMS
from .const import DOMAIN
from .errors import error_key
from .recordings import (
    PICTURE_URL,
    PROXY_URL,
    content_type_of,
    count_bytes,
    decode_source,
    loaded_data,
    relay,
)

_LOGGER = logging.getLogger(__name__)

PROXY_NAME = "api:reolink_http:recording"
SIZE_CACHE_ENTRIES = 256
DATA_VIEW = f"{DOMAIN}_recording_view"


class RecordingProxyView(HomeAssistantView):
    """Streams a recording from the device with Range support, never buffering the file.

    The player's Range goes to the device; a device that answers 206 is passed
    through, one that ignores Range (200, whole file) is cut to the range here.
    """

    url = PROXY_URL
    name = PROXY_NAME
    requires_auth = True

    def __init__(self, hass: HomeAssistant) -> None:
        """Sizes learnt from the device let later Range requests be checked before asking."""
        self.hass = hass
        self.sizes: OrderedDict[tuple[str, str], int] = OrderedDict()
        self.active_transfers = 0
        self.device_bytes = 0  # read from devices in total: what seeking costs the network

    async def get(
        self, request: web.Request, entry_id: str, channel: str, stream: str, encoded: str
    ) -> web.StreamResponse:
        """Answer 200 (whole file), 206 (one range) or 416; device errors as plain text."""
        source = decode_source(encoded)
        data = loaded_data(self.hass, entry_id)
        if source is None or stream not in RECORDING_STREAMS or not channel.isdigit():
            return web.Response(status=HTTPStatus.BAD_REQUEST, text="Bad recording path")
        if data is None:
            return web.Response(status=HTTPStatus.NOT_FOUND, text="Device not loaded")
        try:
            byte_range = ByteRange.parse(request.headers.get("Range"))
        except ValueError:
            return web.Response(status=HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
        if byte_range is not None and byte_range.is_whole_file():
            byte_range = None
        self.active_transfers += 1
        try:
            return await self._answer(request, data.client, (entry_id, source), byte_range)
        except ReolinkError as err:
            return _device_error_response(err)
        finally:
            self.active_transfers -= 1

    async def _answer(
        self,
        request: web.Request,
        client: ReolinkClient,
        key: tuple[str, str],
        byte_range: ByteRange | None,
    ) -> web.StreamResponse:
        known = self.sizes.get(key)
        if byte_range is not None and known is not None and byte_range.bounds(known) is None:
            return _unsatisfiable(known)
        async with self._open(client, key, byte_range) as answer:
            if not self._must_count(key, answer, byte_range):
                return await self._respond(request, answer, key, byte_range)
            # Neither Range nor Content-Length from this device: one pass to learn the size.
            self._remember(key, await count_bytes(answer))
        async with self._open(client, key, None) as answer:
            return await self._respond(request, answer, key, byte_range)

    @asynccontextmanager
    async def _open(
        self, client: ReolinkClient, key: tuple[str, str], byte_range: ByteRange | None
    ) -> AsyncIterator[FileAnswer]:
        async with client.open_download(key[1], byte_range=byte_range) as answer:
            if answer.size is not None:
                self._remember(key, answer.size)
            try:
                yield answer
            finally:
                self.device_bytes += answer.received

    async def _respond(
        self,
        request: web.Request,
        answer: FileAnswer,
        key: tuple[str, str],
        byte_range: ByteRange | None,
    ) -> web.StreamResponse:
        source = key[1]
        if not answer.satisfiable:
            return _unsatisfiable(self._size_of(key, answer))
        if answer.partial:
            # The device cut the range itself: its Content-Range goes to the player as is.
            assert answer.last_byte is not None  # a 206 always names its span
            total = "*" if answer.size is None else str(answer.size)
            span = (answer.first_byte, answer.last_byte)
            return await self._send_part(request, answer, source, span, total, skip=0)
        if byte_range is None:
            return await self._stream_whole(request, answer, key)
        size = self._size_of(key, answer)
        assert size is not None  # _answer learnt it first
        bounds = byte_range.bounds(size)
        if bounds is None:
            return _unsatisfiable(size)
        # The device sent the whole file: skip to the range and stop after it.
        return await self._send_part(request, answer, source, bounds, str(size), bounds[0])

    async def _stream_whole(
        self, request: web.Request, answer: FileAnswer, key: tuple[str, str]
    ) -> web.StreamResponse:
        response = web.StreamResponse(headers=self._headers(key[1]))
        if (size := self._size_of(key, answer)) is not None:
            response.content_length = size
        sent = await self._pump(request, response, answer, key[1], 0, None)
        if sent is not None:
            self._remember(key, sent)
        return response

    async def _send_part(
        self,
        request: web.Request,
        answer: FileAnswer,
        source: str,
        bounds: tuple[int, int],
        total: str,
        skip: int,
    ) -> web.StreamResponse:
        first_byte, last_byte = bounds
        response = web.StreamResponse(
            status=HTTPStatus.PARTIAL_CONTENT, headers=self._headers(source)
        )
        response.headers["Content-Range"] = f"bytes {first_byte}-{last_byte}/{total}"
        response.content_length = last_byte - first_byte + 1
        await self._pump(request, response, answer, source, skip, response.content_length)
        return response

    async def _pump(
        self,
        request: web.Request,
        response: web.StreamResponse,
        answer: FileAnswer,
        source: str,
        skip: int,
        limit: int | None,
    ) -> int | None:
        """Send the (part of the) file; the byte count when it went through completely.

        Device errors are raised when the answer is opened (and become an error
        answer); once the headers are out, a failure can only cut the answer short.
        """
        await response.prepare(request)
        try:
            sent = await relay(answer, response.write, skip, limit)
        except ConnectionResetError:
            _LOGGER.debug("Player closed %s; device transfer stopped", source)
            return None
        except ReolinkError as err:
            _LOGGER.warning("Transfer of %s from the device broke off: %s", source, err)
            # The player must see a broken answer, not wait for the rest or take it as whole.
            if request.transport is not None:
                request.transport.abort()
            return None
        await response.write_eof()
        return sent

    def _headers(self, source: str) -> dict[str, str]:
        return {
            "Content-Type": content_type_of(source),
            "Accept-Ranges": "bytes",
            "Cache-Control": "no-store",
            "Content-Disposition": f'inline; filename="{Path(source).name}"',
        }

    def _must_count(
        self, key: tuple[str, str], answer: FileAnswer, byte_range: ByteRange | None
    ) -> bool:
        """A range cut from a whole-file answer whose size nobody told us."""
        return (
            byte_range is not None
            and answer.status == HTTPStatus.OK
            and self._size_of(key, answer) is None
        )

    def _size_of(self, key: tuple[str, str], answer: FileAnswer) -> int | None:
        return answer.size if answer.size is not None else self.sizes.get(key)

    def _remember(self, key: tuple[str, str], size: int) -> None:
        self.sizes[key] = size
        self.sizes.move_to_end(key)
        while len(self.sizes) > SIZE_CACHE_ENTRIES:
            self.sizes.popitem(last=False)


def _unsatisfiable(size: int | None) -> web.Response:
    headers = {} if size is None else {"Content-Range": f"bytes */{size}"}
    return web.Response(status=HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE, headers=headers)


def _device_error_response(err: ReolinkError) -> web.Response:
    key = error_key(err)
    status = {
        "no_such_file": HTTPStatus.NOT_FOUND,
        "recording_busy": HTTPStatus.SERVICE_UNAVAILABLE,
        "channel_offline": HTTPStatus.SERVICE_UNAVAILABLE,
        "device_unreachable": HTTPStatus.BAD_GATEWAY,
    }.get(key, HTTPStatus.BAD_GATEWAY)
    # The error text of the client is already free of credentials.
    return web.Response(status=status, text=f"{key}: {err}")


class DetectionPictureView(HomeAssistantView):
    """A kept detection picture (the media browser's thumbnails of recordings)."""

    url = PICTURE_URL
    name = "api:reolink_http:picture"
    requires_auth = True

    def __init__(self, hass: HomeAssistant) -> None:
        """Pictures of loaded entries only."""
        self.hass = hass

    async def get(self, request: web.Request, entry_id: str, file: str) -> web.Response:
        """The JPEG, if the entry keeps a picture of that name."""
        data = loaded_data(self.hass, entry_id)
        store = None if data is None else data.detections.store
        picture = None if store is None else store.kept(file)
        image = None if store is None or picture is None else await store.async_image(picture)
        if image is None:
            return web.Response(status=HTTPStatus.NOT_FOUND, text="No such picture")
        return web.Response(body=image, content_type="image/jpeg")


@callback
def async_register_views(hass: HomeAssistant) -> None:
    """Register the proxy and the picture view once per Home Assistant run."""
    if DATA_VIEW in hass.data:
        return
    view = RecordingProxyView(hass)
    hass.data[DATA_VIEW] = view
    hass.http.register_view(view)
    hass.http.register_view(DetectionPictureView(hass))
