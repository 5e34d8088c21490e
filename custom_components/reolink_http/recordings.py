"""Recordings of a channel: what the device's search (3.6.5 Search) finds, and how one is named.

Shared by browsing (media_source.py), the streaming proxy (views.py) and the download
action (recording_download.py). The browser only ever sees Home Assistant URLs: the device
address, account and token stay inside the client.
"""

import base64
import binascii
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from homeassistant.components.http.auth import async_sign_path
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util

from .api import (
    RecordingFile,
    ReolinkClient,
)
from .api.commands import search
from .const import DOMAIN

if TYPE_CHECKING:
    from . import ReolinkConfigEntry, ReolinkData

# Devices cut recordings into files of at most an hour (packTime of 3.6.3 GetRecV20).
LONGEST_RECORDING = timedelta(hours=1)
PROXY_URL = "/api/reolink_http/recording/{entry_id}/{channel}/{stream}/{encoded}"
PICTURE_URL = "/api/reolink_http/picture/{entry_id}/{file}"
# A detection picture is a recording's thumbnail when taken this close to its start.
THUMBNAIL_WITHIN = timedelta(seconds=10)
# Long enough to watch a long recording; the signature is bound to this one file.
SIGNED_URL_LIFETIME = timedelta(hours=4)


# The order triggers are named in: what was seen before why the camera recorded.
TRIGGER_ORDER: tuple[str, ...] = (
    "person",
    "vehicle",
    "animal",
    "face",
    "package",
    "doorbell",
    "motion",
    "timer",
)


def ordered_triggers(file: RecordingFile) -> list[str]:
    """What started the recording (from its file name), in TRIGGER_ORDER."""
    triggers = file.triggers
    return [trigger for trigger in TRIGGER_ORDER if trigger in triggers]


def device_time(moment: datetime) -> datetime:
    """A time as the device's local wall-clock time, whole seconds, naive (as Search takes it).

    The device's clock is taken to run in Home Assistant's time zone; a naive time
    already is one.
    """
    if moment.tzinfo is not None:
        moment = dt_util.as_local(moment)
    return moment.replace(tzinfo=None, microsecond=0)


def aware(moment: datetime) -> datetime:
    """A device local time (naive) as an aware time in Home Assistant's time zone."""
    return moment.replace(tzinfo=dt_util.get_default_time_zone())


def recording_start(file: RecordingFile) -> datetime:
    """When the file starts, device local time."""
    return file.start_time


def recording_end(file: RecordingFile) -> datetime:
    """End of the recording, never before its start."""
    return file.end_time


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
    return sorted(result.recorded_days(), reverse=True)


async def recorded_days_between(
    client: ReolinkClient, channel: int, stream: str, first: date, last: date
) -> list[date]:
    """Days from `first` to `last` with recordings, oldest first (one calendar Search)."""
    start = datetime.combine(first, time.min)
    end = datetime.combine(last, time.max)
    result = await client.run(search(channel, start, end, stream, only_status=True))
    return sorted(day for day in result.recorded_days() if first <= day <= last)


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


# --- proxy ----------------------------------------------------------------------------------


def loaded_data(hass: HomeAssistant, entry_id: str) -> ReolinkData | None:
    """Runtime data of a loaded entry of this integration."""
    entry: ReolinkConfigEntry | None = hass.config_entries.async_get_entry(entry_id)
    if entry is None or entry.domain != DOMAIN or entry.state is not ConfigEntryState.LOADED:
        return None
    return entry.runtime_data


# --- naming and streaming a recording -----------------------------------------------------


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
    (the player went away) propagates, and leaving the caller's `open_download` block ends
    the device transfer.
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


def thumbnail_path(
    hass: HomeAssistant, data: ReolinkData, channel: int, file: RecordingFile
) -> str | None:
    """Signed path of the detection picture taken as the recording started, if one is kept."""
    key = data.device.channel_key(channel)
    picture = data.detections.store.near(key, aware(recording_start(file)), THUMBNAIL_WITHIN)
    if picture is None:
        return None
    entry_id = data.events.config_entry.entry_id
    return async_sign_path(
        hass, PICTURE_URL.format(entry_id=entry_id, file=picture.file), SIGNED_URL_LIFETIME
    )


async def count_bytes(chunks: AsyncIterator[bytes]) -> int:
    size = 0
    async for chunk in chunks:
        size += len(chunk)
    return size
