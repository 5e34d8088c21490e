"""The `download_recording` action: saves one recording of a channel to disk, or every
recording of a time window joined into one file (`clip_join.py`)."""

import logging
import os
import re
import secrets
import unicodedata
from collections.abc import AsyncIterator, Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import probatio as vol
from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.core import HomeAssistant, ServiceCall, ServiceResponse
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.storage import Store
from homeassistant.util.hass_dict import HassKey

from .api import ReolinkError
from .api.sanitize import clean_text
from .api.streams import RECORDING_STREAMS
from .clip_join import ClipJoinError, ClipPart, JoinedClip, join_clips
from .const import DOMAIN
from .errors import device_failure, invalid_input, translated
from .recordings import (
    device_time,
    loaded_data,
    recording_end,
    recording_start,
    recordings_between,
)

if TYPE_CHECKING:
    from . import ReolinkData

_LOGGER = logging.getLogger(__name__)

SERVICE_DOWNLOAD = "download_recording"
ATTR_START_TIME = "start_time"
ATTR_END_TIME = "end_time"
ATTR_FILENAME = "filename"
ATTR_STREAM = "stream"
ATTR_JOIN = "join"
# Recordings one joined clip may take: a day of back-to-back hour-long files.
MAX_JOINED = 24
PARTIALS_STORE = f"{DOMAIN}.partial_downloads"
DATA_PARTIALS: HassKey[PartialDownloads] = HassKey(f"{DOMAIN}_partial_downloads")
# The temporary files `_create_partial` names: the target's name, 8 hex digits, ".part".
_PARTIAL_NAME = re.compile(r".+\.[0-9a-f]{8}\.part")

DOWNLOAD_SCHEMA = vol.Schema(
    {
        vol.Required(ATTR_ENTITY_ID): cv.entity_id,
        vol.Required(ATTR_START_TIME): cv.datetime,
        vol.Optional(ATTR_END_TIME): cv.datetime,
        vol.Required(ATTR_FILENAME): cv.string,
        vol.Optional(ATTR_STREAM, default="main"): vol.In(RECORDING_STREAMS),
        vol.Optional(ATTR_JOIN, default=False): cv.boolean,
    }
)


def channel_of_entity(hass: HomeAssistant, entity_id: str) -> tuple[ReolinkData, int]:
    """The loaded device and channel an entity of this integration belongs to."""
    entity = er.async_get(hass).async_get(entity_id)
    if entity is None or entity.platform != DOMAIN or entity.config_entry_id is None:
        raise invalid_input("not_reolink_entity", entity_id=entity_id)
    data = loaded_data(hass, entity.config_entry_id)
    if data is None:
        raise invalid_input("device_not_loaded", device=entity_id)
    device_entry = dr.async_get(hass).async_get(entity.device_id or "")
    identifiers = (
        {ident for domain, ident in device_entry.identifiers if domain == DOMAIN}
        if device_entry is not None
        else set()
    )
    for identifier in identifiers:
        if (channel := data.device.channel_of(identifier)) is not None:
            return data, channel
    raise invalid_input("not_reolink_entity", entity_id=entity_id)


def target_path(hass: HomeAssistant, filename: str) -> Path:
    """Validate the destination: absolute, in an allowed directory, its folder existing.

    A link is refused even when it points inside an allowed directory: the file
    written is the one named, nothing a link leads to.
    """
    if any(unicodedata.category(char) == "Cc" for char in filename):
        raise invalid_input("path_control_characters", path=clean_text(filename))
    path = Path(filename)
    if not path.is_absolute() or not hass.config.is_allowed_path(str(path)):
        raise invalid_input("path_not_allowed", path=filename)
    if path.is_symlink():
        raise invalid_input("path_is_link", path=filename)
    if path.is_dir() or not path.parent.is_dir():
        raise invalid_input("path_invalid", path=filename)
    return path


# Created only if nothing is there yet, never through a link; what it replaces on
# success is the target, itself checked not to be a link.
_PARTIAL_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC


def _create_partial(path: Path) -> tuple[Path, BinaryIO]:
    """A new temporary file next to the target, with a name no one else uses."""
    partial = path.with_name(f"{path.name}.{secrets.token_hex(4)}.part")
    descriptor = os.open(partial, _PARTIAL_FLAGS, 0o644)
    return partial, os.fdopen(descriptor, "wb")


class PartialDownloads:
    """The temporary files of downloads in progress, kept on record in Home Assistant's storage.

    A download ended by a crash or kill leaves its temporary file behind; the next start
    removes the ones on record (`async_remove_leftovers`).
    """

    def __init__(self, hass: HomeAssistant) -> None:
        """Nothing in progress yet."""
        self._hass = hass
        self._store: Store[list[str]] = Store(hass, 1, PARTIALS_STORE)
        self._paths: set[str] = set()

    async def async_remove_leftovers(self) -> None:
        """Delete what the last run left unfinished, then start an empty record."""
        stored = await self._store.async_load()
        leftovers = [path for path in stored or [] if isinstance(path, str)]
        if leftovers:
            removed = await self._hass.async_add_executor_job(
                _remove_partials, leftovers, self._hass.config.is_allowed_path
            )
            _LOGGER.info("Removed %d unfinished download(s) of the last run", removed)
        await self._store.async_save([])

    async def async_add(self, partial: Path) -> None:
        """Record a temporary file before anything is written to it."""
        self._paths.add(str(partial))
        await self._store.async_save(sorted(self._paths))

    async def async_discard(self, partial: Path) -> None:
        """Forget a temporary file once moved into place or removed."""
        self._paths.discard(str(partial))
        await self._store.async_save(sorted(self._paths))


def _remove_partials(paths: list[str], is_allowed: Callable[[str], bool]) -> int:
    """Remove the named temporary files that are still there; only files we would name."""
    removed = 0
    for name in paths:
        path = Path(name)
        if not _PARTIAL_NAME.fullmatch(path.name) or not is_allowed(name):
            continue
        if path.is_file() and not path.is_symlink():
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def _move_into_place(partial: Path, path: Path) -> None:
    # Checked again: a link may have appeared at the target while downloading.
    if path.is_symlink():
        partial.unlink()
        raise invalid_input("path_is_link", path=str(path))
    os.replace(partial, path)


async def _write_partial(
    hass: HomeAssistant, chunks: AsyncIterator[bytes], path: Path
) -> tuple[Path, int]:
    """Write to a new temporary file next to `path`, on record until discarded."""
    partials = hass.data[DATA_PARTIALS]
    partial, handle = await hass.async_add_executor_job(_create_partial, path)
    size = 0
    try:
        await partials.async_add(partial)
        async for chunk in chunks:
            await hass.async_add_executor_job(handle.write, chunk)
            size += len(chunk)
    except BaseException:
        await hass.async_add_executor_job(handle.close)
        await _discard(hass, [partial])
        raise
    await hass.async_add_executor_job(handle.close)
    return partial, size


async def _discard(hass: HomeAssistant, partials: list[Path]) -> None:
    """Remove temporary files and take them off the record."""
    for partial in partials:
        await hass.async_add_executor_job(partial.unlink, True)
        await hass.data[DATA_PARTIALS].async_discard(partial)


async def _save(hass: HomeAssistant, chunks: AsyncIterator[bytes], path: Path) -> int:
    """Write to a temporary file next to the target, then move it into place."""
    partial, size = await _write_partial(hass, chunks, path)
    try:
        await hass.async_add_executor_job(_move_into_place, partial, path)
    finally:
        await hass.data[DATA_PARTIALS].async_discard(partial)
    return size


async def async_download_recording(call: ServiceCall) -> ServiceResponse:
    """Save the first recording overlapping [start, end] of the entity's channel."""
    hass = call.hass
    data, channel = channel_of_entity(hass, call.data[ATTR_ENTITY_ID])
    path = await hass.async_add_executor_job(target_path, hass, call.data[ATTR_FILENAME])
    start = device_time(call.data[ATTR_START_TIME])
    end = device_time(call.data.get(ATTR_END_TIME, call.data[ATTR_START_TIME]))
    if end < start:
        raise invalid_input("end_before_start")
    stream: str = call.data[ATTR_STREAM]
    if call.data[ATTR_JOIN]:
        if ATTR_END_TIME not in call.data:
            raise invalid_input("join_needs_end")
        return await _download_window(hass, data, channel, stream, (start, end), path)
    client = data.client
    try:
        files = await recordings_between(client, channel, stream, start, end)
        if not files:
            raise invalid_input("no_recording", start=start.isoformat(sep=" "))
        chosen = min(files, key=recording_start)
        async with client.open_download(chosen.name, listed_size=chosen.size) as answer:
            size = await _save(hass, answer, path)
    except ReolinkError as err:
        raise translated(err) from err
    except OSError as err:
        raise device_failure(
            "write_failed", path=str(path), error=err.strerror or str(err)
        ) from err
    _LOGGER.debug("Saved %s (%d bytes) to %s", chosen.name, size, path)
    return {
        "path": str(path),
        "size": size,
        "source": chosen.name,
        "start": recording_start(chosen).isoformat(),
        "end": recording_end(chosen).isoformat(),
    }


async def _download_window(
    hass: HomeAssistant,
    data: ReolinkData,
    channel: int,
    stream: str,
    window: tuple[datetime, datetime],
    path: Path,
) -> ServiceResponse:
    """Every recording overlapping the window, joined and cut to it, saved at `path`.

    Each recording is downloaded to a temporary file of its own next to the target
    first (streamed, never held in memory); they are removed once joined.
    """
    start, end = window
    parts: list[ClipPart] = []
    try:
        found = await recordings_between(data.client, channel, stream, start, end)
        if not found:
            raise invalid_input("no_recording", start=start.isoformat(sep=" "))
        if len(found) > MAX_JOINED:
            raise invalid_input("too_many_to_join", count=str(len(found)), limit=str(MAX_JOINED))
        files = sorted(found, key=recording_start)
        for file in files:
            async with data.client.open_download(file.name, listed_size=file.size) as answer:
                partial, _ = await _write_partial(hass, answer, path)
            offset = recording_start(file)
            keep = ((start - offset).total_seconds(), (end - offset).total_seconds())
            parts.append(ClipPart(partial, max(0.0, keep[0]), keep[1]))
        joined, size = await _join_into_place(hass, parts, path)
    except ReolinkError as err:
        raise translated(err) from err
    except ClipJoinError as err:
        raise device_failure("join_failed", error=str(err)) from err
    except OSError as err:
        raise device_failure(
            "write_failed", path=str(path), error=err.strerror or str(err)
        ) from err
    finally:
        await _discard(hass, [part.path for part in parts])
    _LOGGER.debug("Joined %d recording(s) (%d bytes) into %s", len(files), size, path)
    return {
        "path": str(path),
        "size": size,
        "sources": [file.name for file in files],
        "start": start.isoformat(),
        "end": end.isoformat(),
        "seconds": round(joined.seconds, 3),
    }


async def _join_into_place(
    hass: HomeAssistant, parts: list[ClipPart], path: Path
) -> tuple[JoinedClip, int]:
    """Join into a new temporary file next to the target, then move it into place."""
    partials = hass.data[DATA_PARTIALS]
    partial, handle = await hass.async_add_executor_job(_create_partial, path)
    await partials.async_add(partial)
    try:
        clip, size = await hass.async_add_executor_job(_join_and_close, parts, handle)
        await hass.async_add_executor_job(_move_into_place, partial, path)
    except BaseException:
        await hass.async_add_executor_job(partial.unlink, True)
        raise
    finally:
        await partials.async_discard(partial)
    return clip, size


def _join_and_close(parts: list[ClipPart], handle: BinaryIO) -> tuple[JoinedClip, int]:
    """Join into `handle` (blocking: decoding and writing), close it; what it holds."""
    with handle:
        clip = join_clips(parts, handle)
        handle.flush()
        return clip, os.fstat(handle.fileno()).st_size
