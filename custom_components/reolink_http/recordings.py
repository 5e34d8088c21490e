"""Recordings: searching them (3.6.5 Search), streaming them (3.6.6 Download) to the browser
through an authenticated proxy, and the `download_recording` service that saves one to disk.

The browser only ever sees Home Assistant URLs: the device address, account and token stay
inside the client.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import logging
import os
import secrets
import unicodedata
from collections import OrderedDict
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from http import HTTPStatus
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, cast

import voluptuous as vol
from aiohttp import web
from homeassistant.components.http.auth import async_sign_path
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.core import HomeAssistant, ServiceCall, ServiceResponse, SupportsResponse
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.http import HomeAssistantView
from homeassistant.util import dt as dt_util

from .api import (
    ByteRange,
    FileAnswer,
    RecordingFile,
    ReolinkClient,
    ReolinkConnectionError,
    ReolinkDeviceOfflineError,
    ReolinkError,
    ReolinkFileError,
)
from .api.commands import search
from .api.sanitize import clean_text
from .const import DOMAIN

if TYPE_CHECKING:
    from . import ReolinkConfigEntry, ReolinkData

_LOGGER = logging.getLogger(__name__)

STREAMS: tuple[str, ...] = ("main", "sub")
PROXY_URL = "/api/reolink_http/recording/{entry_id}/{channel}/{stream}/{encoded}"
PROXY_NAME = "api:reolink_http:recording"
# Long enough to watch a long recording; the signature is bound to this one file.
SIGNED_URL_LIFETIME = timedelta(hours=4)
SIZE_CACHE_ENTRIES = 256
# Devices cut recordings into files of at most an hour (packTime of 3.6.3 GetRecV20).
LONGEST_RECORDING = timedelta(hours=1)
SERVICE_DOWNLOAD = "download_recording"
ATTR_START_TIME = "start_time"
ATTR_END_TIME = "end_time"
ATTR_FILENAME = "filename"
ATTR_STREAM = "stream"
FILE_ERROR_KEYS = {-220: "download_error", -221: "recording_busy", -222: "no_such_file"}
DATA_SETUP = f"{DOMAIN}_recordings"


# --- searching ------------------------------------------------------------------------------


def recording_start(file: RecordingFile) -> datetime:
    """A Search time dict (device local time) as a naive datetime."""
    return _device_time(file.start)


def recording_end(file: RecordingFile) -> datetime:
    """End of the recording, never before its start."""
    return max(_device_time(file.end), recording_start(file))


def _device_time(stamp: Any) -> datetime:
    try:
        return datetime(
            int(stamp["year"]),
            int(stamp["mon"]),
            int(stamp["day"]),
            int(stamp.get("hour", 0)),
            int(stamp.get("min", 0)),
            int(stamp.get("sec", 0)),
        )
    except (KeyError, TypeError, ValueError):
        return datetime.min


def _month_start(day: date, months_back: int) -> date:
    index = day.year * 12 + day.month - 1 - months_back
    return date(index // 12, index % 12 + 1, 1)


async def recording_days(client: ReolinkClient, channel: int, stream: str) -> list[date]:
    """Days with recordings, newest first, from the calendar answer (3.6.5 onlyStatus 1).

    Asks for this month and the previous one: the device answers one table per month.
    """
    today = dt_util.now().date()
    start = datetime.combine(_month_start(today, 1), time.min)
    end = datetime.combine(today + timedelta(days=1), time.max)
    result = await client.run(search(channel, start, end, stream, only_status=True))
    days: set[date] = set()
    for month in result.status:
        days.update(_days_of_table(month))
    return sorted(days, reverse=True)


def _days_of_table(month: Any) -> list[date]:
    try:
        year, number, table = int(month["year"]), int(month["mon"]), str(month["table"])
    except (KeyError, TypeError, ValueError):
        return []
    found = []
    for index, flag in enumerate(table):
        if flag != "1":
            continue
        with contextlib.suppress(ValueError):
            found.append(date(year, number, index + 1))
    return found


async def recordings_between(
    client: ReolinkClient, channel: int, stream: str, start: datetime, end: datetime
) -> list[RecordingFile]:
    """Files overlapping [start, end] (device local time), newest first (3.6.5 Search).

    The device matches files by their start, so the search reaches back far enough to
    find a recording already running at `start`, and one second past `end`.
    """
    window = (start - LONGEST_RECORDING, end + timedelta(seconds=1))
    result = await client.run(search(channel, *window, stream))
    files = [
        file
        for file in result.files
        if file.name and recording_start(file) <= end and recording_end(file) >= start
    ]
    return sorted(files, key=recording_start, reverse=True)


async def recordings_on(
    client: ReolinkClient, channel: int, stream: str, day: date
) -> list[RecordingFile]:
    """The files of one day, newest first."""
    return await recordings_between(
        client, channel, stream, datetime.combine(day, time.min), datetime.combine(day, time.max)
    )


def error_key(err: ReolinkError) -> str:
    """Translation key for a device error seen while browsing or fetching recordings."""
    if isinstance(err, ReolinkFileError):
        return FILE_ERROR_KEYS.get(err.code, "download_error")
    if isinstance(err, ReolinkDeviceOfflineError):
        return "channel_offline"
    if isinstance(err, ReolinkConnectionError):
        return "device_unreachable"
    return "command_failed"


# --- proxy ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RecordingRef:
    """One recording of one loaded entry, as the proxy URL names it."""

    entry_id: str
    channel: int
    stream: str
    source: str

    def path(self) -> str:
        """The unsigned proxy path (the file name is base64url, so it is one path segment)."""
        encoded = base64.urlsafe_b64encode(self.source.encode()).decode().rstrip("=")
        return PROXY_URL.format(
            entry_id=self.entry_id, channel=self.channel, stream=self.stream, encoded=encoded
        )

    def signed_path(self, hass: HomeAssistant) -> str:
        """A path the media player can fetch without an Authorization header."""
        return async_sign_path(hass, self.path(), SIGNED_URL_LIFETIME)


def decode_source(encoded: str) -> str | None:
    """The file name from a proxy path segment, None when it is not one we made."""
    try:
        source = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    if not source or not source.isprintable() or ".." in source.split("/"):
        return None
    return source


def content_type_of(source: str) -> str:
    """The device labels every file application/octet-stream (3.6.6); players need better."""
    return "video/mp4" if source.lower().endswith(".mp4") else "application/octet-stream"


async def relay(
    chunks: AsyncIterator[bytes],
    write: Callable[[bytes], Awaitable[None]],
    skip: int = 0,
    limit: int | None = None,
) -> int:
    """Pass `limit` bytes after the first `skip` from the device to `write`; return the count.

    Stops pulling from the device as soon as the range is sent; a failing `write`
    (the player went away) propagates, and the caller's `aclosing` ends the device transfer.
    """
    sent = 0
    async for chunk in chunks:
        if skip >= len(chunk):
            skip -= len(chunk)
            continue
        piece = chunk[skip:] if limit is None else chunk[skip : skip + limit - sent]
        skip = 0
        await write(piece)
        sent += len(piece)
        if limit is not None and sent >= limit:
            break
    return sent


def closing(chunks: AsyncIterator[bytes]) -> contextlib.aclosing[AsyncGenerator[bytes]]:
    """Close the device answer however the consumer stops (range sent, player gone)."""
    return contextlib.aclosing(cast(AsyncGenerator[bytes], chunks))


async def _count(chunks: AsyncIterator[bytes]) -> int:
    size = 0
    async for chunk in chunks:
        size += len(chunk)
    return size


def loaded_data(hass: HomeAssistant, entry_id: str) -> ReolinkData | None:
    """Runtime data of a loaded entry of this integration."""
    entry: ReolinkConfigEntry | None = hass.config_entries.async_get_entry(entry_id)
    if entry is None or entry.domain != DOMAIN or entry.state is not ConfigEntryState.LOADED:
        return None
    return entry.runtime_data


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
        if source is None or stream not in STREAMS or not channel.isdigit():
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
            self._remember(key, await _count(answer))
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
            return await self._pass_part(request, answer, source)
        if byte_range is None:
            return await self._stream_whole(request, answer, key)
        size = self._size_of(key, answer)
        assert size is not None  # _answer learnt it first
        bounds = byte_range.bounds(size)
        if bounds is None:
            return _unsatisfiable(size)
        return await self._cut_part(request, answer, source, bounds, size)

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

    async def _pass_part(
        self, request: web.Request, answer: FileAnswer, source: str
    ) -> web.StreamResponse:
        """The device cut the range itself: its Content-Range goes to the player as is."""
        response = web.StreamResponse(
            status=HTTPStatus.PARTIAL_CONTENT, headers=self._headers(source)
        )
        total = "*" if answer.size is None else str(answer.size)
        response.headers["Content-Range"] = f"bytes {answer.first_byte}-{answer.last_byte}/{total}"
        response.content_length = answer.length
        await self._pump(request, response, answer, source, 0, answer.length)
        return response

    async def _cut_part(
        self,
        request: web.Request,
        answer: FileAnswer,
        source: str,
        bounds: tuple[int, int],
        size: int,
    ) -> web.StreamResponse:
        """The device sent the whole file: skip to the range and stop after it."""
        first_byte, last_byte = bounds
        response = web.StreamResponse(
            status=HTTPStatus.PARTIAL_CONTENT, headers=self._headers(source)
        )
        response.headers["Content-Range"] = f"bytes {first_byte}-{last_byte}/{size}"
        response.content_length = last_byte - first_byte + 1
        await self._pump(request, response, answer, source, first_byte, response.content_length)
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


# --- download service -----------------------------------------------------------------------

DOWNLOAD_SCHEMA = vol.Schema(
    {
        vol.Required(ATTR_ENTITY_ID): cv.entity_id,
        vol.Required(ATTR_START_TIME): cv.datetime,
        vol.Optional(ATTR_END_TIME): cv.datetime,
        vol.Required(ATTR_FILENAME): cv.string,
        vol.Optional(ATTR_STREAM, default="main"): vol.In(STREAMS),
    }
)


def _refuse(key: str, **placeholders: str) -> ServiceValidationError:
    return ServiceValidationError(
        translation_domain=DOMAIN, translation_key=key, translation_placeholders=placeholders
    )


def channel_of_entity(hass: HomeAssistant, entity_id: str) -> tuple[ReolinkData, int]:
    """The loaded device and channel an entity of this integration belongs to."""
    entity = er.async_get(hass).async_get(entity_id)
    if entity is None or entity.platform != DOMAIN or entity.config_entry_id is None:
        raise _refuse("not_reolink_entity", entity_id=entity_id)
    data = loaded_data(hass, entity.config_entry_id)
    if data is None:
        raise _refuse("device_not_loaded", device=entity_id)
    device_entry = dr.async_get(hass).async_get(entity.device_id or "")
    identifiers = (
        {ident for domain, ident in device_entry.identifiers if domain == DOMAIN}
        if device_entry is not None
        else set()
    )
    for channel in data.device.channels:
        if data.device.channel_key(channel) in identifiers:
            return data, channel
    raise _refuse("not_reolink_entity", entity_id=entity_id)


def _local_naive(moment: datetime) -> datetime:
    """Device times are local wall-clock times without a zone."""
    if moment.tzinfo is not None:
        moment = dt_util.as_local(moment)
    return moment.replace(tzinfo=None, microsecond=0)


def target_path(hass: HomeAssistant, filename: str) -> Path:
    """Validate the destination: absolute, in an allowed directory, its folder existing.

    A link is refused even when it points inside an allowed directory: the file
    written is the one named, nothing a link leads to.
    """
    if any(unicodedata.category(char) == "Cc" for char in filename):
        raise _refuse("path_control_characters", path=clean_text(filename))
    path = Path(filename)
    if not path.is_absolute() or not hass.config.is_allowed_path(str(path)):
        raise _refuse("path_not_allowed", path=filename)
    if path.is_symlink():
        raise _refuse("path_is_link", path=filename)
    if path.is_dir() or not path.parent.is_dir():
        raise _refuse("path_invalid", path=filename)
    return path


# Created only if nothing is there yet, never through a link; what it replaces on
# success is the target, itself checked not to be a link.
_PARTIAL_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC


def _create_partial(path: Path) -> tuple[Path, BinaryIO]:
    """A new temporary file next to the target, with a name no one else uses."""
    partial = path.with_name(f"{path.name}.{secrets.token_hex(4)}.part")
    descriptor = os.open(partial, _PARTIAL_FLAGS, 0o644)
    return partial, os.fdopen(descriptor, "wb")


def _move_into_place(partial: Path, path: Path) -> None:
    # Checked again: a link may have appeared at the target while downloading.
    if path.is_symlink():
        partial.unlink()
        raise _refuse("path_is_link", path=str(path))
    os.replace(partial, path)


async def _save(hass: HomeAssistant, chunks: AsyncIterator[bytes], path: Path) -> int:
    """Write to a temporary file next to the target, then move it into place."""
    partial, handle = await hass.async_add_executor_job(_create_partial, path)
    size = 0
    try:
        async for chunk in chunks:
            await hass.async_add_executor_job(handle.write, chunk)
            size += len(chunk)
    except BaseException:
        await hass.async_add_executor_job(handle.close)
        await hass.async_add_executor_job(partial.unlink, True)
        raise
    await hass.async_add_executor_job(handle.close)
    await hass.async_add_executor_job(_move_into_place, partial, path)
    return size


def _device_failure(err: ReolinkError) -> HomeAssistantError:
    """Device and network failures are not the user's fault: no validation error."""
    return HomeAssistantError(
        translation_domain=DOMAIN,
        translation_key=error_key(err),
        translation_placeholders={"error": str(err)},
    )


def _write_failure(path: Path, err: OSError) -> HomeAssistantError:
    return HomeAssistantError(
        translation_domain=DOMAIN,
        translation_key="write_failed",
        translation_placeholders={"path": str(path), "error": err.strerror or str(err)},
    )


async def _download_recording(hass: HomeAssistant, call: ServiceCall) -> ServiceResponse:
    """Save the first recording overlapping [start, end] of the entity's channel."""
    data, channel = channel_of_entity(hass, call.data[ATTR_ENTITY_ID])
    path = await hass.async_add_executor_job(target_path, hass, call.data[ATTR_FILENAME])
    start = _local_naive(call.data[ATTR_START_TIME])
    end = _local_naive(call.data.get(ATTR_END_TIME, call.data[ATTR_START_TIME]))
    if end < start:
        raise _refuse("end_before_start")
    stream: str = call.data[ATTR_STREAM]
    client = data.client
    try:
        files = await recordings_between(client, channel, stream, start, end)
        if not files:
            raise _refuse("no_recording", start=start.isoformat(sep=" "))
        chosen = min(files, key=recording_start)
        async with closing(client.download(chosen.name)) as chunks:
            size = await _save(hass, chunks, path)
    except ReolinkError as err:
        raise _device_failure(err) from err
    except OSError as err:
        raise _write_failure(path, err) from err
    _LOGGER.debug("Saved %s (%d bytes) to %s", chosen.name, size, path)
    return {
        "path": str(path),
        "size": size,
        "source": chosen.name,
        "start": recording_start(chosen).isoformat(),
        "end": recording_end(chosen).isoformat(),
    }


def async_setup_recordings(hass: HomeAssistant) -> None:
    """Register the proxy view and the download service (once per Home Assistant run)."""
    if hass.data.get(DATA_SETUP):
        return
    view = RecordingProxyView(hass)
    hass.data[DATA_SETUP] = view
    hass.http.register_view(view)

    async def download(call: ServiceCall) -> ServiceResponse:
        return await _download_recording(hass, call)

    hass.services.async_register(
        DOMAIN,
        SERVICE_DOWNLOAD,
        download,
        schema=DOWNLOAD_SCHEMA,
        supports_response=SupportsResponse.OPTIONAL,
    )
