"""Recordings in the media browser: device → channel (NVRs) → stream → day → recordings.

Days come from the calendar of 3.6.5 Search (onlyStatus 1), files from Search of one day;
a day lists a folder per trigger its files name (person, vehicle …) before all its files.
Playing one resolves to the authenticated proxy of `recordings.py`.

Identifiers: `<entry_id>[/<channel>[/<stream>[/<YYYY-MM-DD>[@<trigger>][/<file name>]]]]`;
the file name may contain slashes, so it is always the last part.
"""

from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING

from homeassistant.components.media_player.const import MediaClass, MediaType
from homeassistant.components.media_player.errors import BrowseError
from homeassistant.components.media_source import (
    BrowseMediaSource,
    MediaSource,
    MediaSourceItem,
    PlayMedia,
    Unresolvable,
)
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError

from .api import RecordingFile, ReolinkError
from .api.streams import RECORDING_STREAMS
from .const import DOMAIN
from .errors import error_key, error_placeholders, translated_error
from .recordings import (
    TRIGGER_ORDER,
    RecordingRef,
    content_type_of,
    loaded_data,
    recording_days,
    recording_end,
    recording_start,
    recordings_on,
    thumbnail_path,
)

if TYPE_CHECKING:
    from . import ReolinkData

STREAM_TITLES = {"main": "Main stream", "sub": "Sub stream"}
TITLE = "Reolink"


async def async_get_media_source(hass: HomeAssistant) -> ReolinkMediaSource:
    """The media source of this integration."""
    return ReolinkMediaSource(hass)


@dataclass(frozen=True, slots=True)
class Location:
    """A parsed identifier; unset parts are None."""

    entry_id: str | None = None
    channel: int | None = None
    stream: str | None = None
    day: date | None = None
    source: str | None = None
    # The day's recordings started by this trigger only (person, vehicle …).
    trigger: str | None = None

    @classmethod
    def parse(cls, identifier: str | None) -> Location:
        """Split an identifier; raises ValueError for one we did not make."""
        if not identifier:
            return cls()
        parts = identifier.split("/", 4)
        entry_id = parts[0]
        channel = int(parts[1]) if len(parts) > 1 else None
        stream = parts[2] if len(parts) > 2 else None
        if stream is not None and stream not in RECORDING_STREAMS:
            raise ValueError(stream)
        day_part, _, trigger = parts[3].partition("@") if len(parts) > 3 else ("", "", "")
        if trigger and trigger not in TRIGGER_ORDER:
            raise ValueError(trigger)
        day = date.fromisoformat(day_part) if day_part else None
        source = parts[4] if len(parts) > 4 else None
        return cls(entry_id, channel, stream, day, source, trigger or None)

    @property
    def identifier(self) -> str:
        """The identifier of this folder."""
        day = None if self.day is None else self.day.isoformat()
        if day is not None and self.trigger is not None:
            day = f"{day}@{self.trigger}"
        parts = (self.entry_id, self.channel, self.stream, day)
        return "/".join(str(part) for part in parts if part is not None)

    def child(self, part: str) -> str:
        """Identifier one level down."""
        return f"{self.identifier}/{part}" if self.identifier else part


def recording_media_id(entry_id: str, channel: int, stream: str, file: RecordingFile) -> str:
    """The media content ID that plays one recording (media browser, media players)."""
    location = Location(entry_id, channel, stream, recording_start(file).date())
    return f"media-source://{DOMAIN}/{location.child(file.name)}"


def _folder(
    identifier: str, title: str, children: list[BrowseMediaSource] | None = None
) -> BrowseMediaSource:
    return BrowseMediaSource(
        domain=DOMAIN,
        identifier=identifier or None,
        media_class=MediaClass.DIRECTORY,
        media_content_type=MediaType.PLAYLIST,
        title=title,
        can_play=False,
        can_expand=True,
        children=children,
        children_media_class=MediaClass.DIRECTORY,
    )


def _duration(seconds: int) -> str:
    minutes, seconds = divmod(max(0, seconds), 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours} h {minutes} min"
    return f"{minutes} min {seconds} s" if minutes else f"{seconds} s"


def recording_title(file: RecordingFile) -> str:
    """Start time and duration, e.g. `14:05:10 (2 min 3 s)`."""
    start, end = recording_start(file), recording_end(file)
    return f"{start:%H:%M:%S} ({_duration(int((end - start).total_seconds()))})"


def _location(item: MediaSourceItem, error: type[HomeAssistantError]) -> Location:
    """The item's place in the tree; a malformed identifier is an `error`."""
    try:
        return Location.parse(item.identifier)
    except ValueError as err:
        raise translated_error(error, "unknown_media", identifier=item.identifier) from err


class ReolinkMediaSource(MediaSource):
    """Browses recordings over Search and plays them through the proxy."""

    name = TITLE

    def __init__(self, hass: HomeAssistant) -> None:
        """Bound to Home Assistant to find loaded entries."""
        super().__init__(DOMAIN)
        self.hass = hass

    async def async_resolve_media(self, item: MediaSourceItem) -> PlayMedia:
        """A signed proxy path; the device URL, account and token never leave the client."""
        location = _location(item, Unresolvable)
        if location.source is None or location.entry_id is None or location.stream is None:
            raise translated_error(Unresolvable, "unknown_media", identifier=item.identifier)
        if loaded_data(self.hass, location.entry_id) is None:
            raise translated_error(Unresolvable, "device_not_loaded_media")
        ref = RecordingRef(
            location.entry_id, location.channel or 0, location.stream, location.source
        )
        return PlayMedia(ref.signed_path(self.hass), content_type_of(location.source))

    async def async_browse_media(self, item: MediaSourceItem) -> BrowseMediaSource:
        """One level of the tree."""
        location = _location(item, BrowseError)
        if location.entry_id is None:
            return self._devices()
        try:
            return await self._browse_device(location)
        except ReolinkError as err:
            raise translated_error(BrowseError, error_key(err), **error_placeholders(err)) from err

    def _devices(self) -> BrowseMediaSource:
        entries = self.hass.config_entries.async_loaded_entries(DOMAIN)
        children = [_folder(entry.entry_id, entry.title) for entry in entries]
        return _folder("", TITLE, children)

    async def _browse_device(self, location: Location) -> BrowseMediaSource:
        assert location.entry_id is not None
        data = loaded_data(self.hass, location.entry_id)
        if data is None:
            raise translated_error(BrowseError, "device_not_loaded_media")
        device = data.device
        if location.channel is None and device.is_nvr:
            return self._channels(location, data)
        channel = location.channel or 0
        known = device.channels.get(channel)
        if known is None:
            raise translated_error(BrowseError, "unknown_media", identifier=location.identifier)
        if location.stream is None:
            return self._streams(location, known.name)
        if location.day is None:
            days = await recording_days(data.client, channel, location.stream)
            children = [_folder(location.child(day.isoformat()), day.isoformat()) for day in days]
            return _folder(location.identifier, STREAM_TITLES[location.stream], children)
        files = await recordings_on(data.client, channel, location.stream, location.day)
        title = location.day.isoformat()
        if location.trigger is not None:
            files = [file for file in files if location.trigger in file.triggers]
            title = f"{title} {location.trigger.capitalize()}"
        children = self._trigger_folders(location, files) if location.trigger is None else []
        children += [self._file(location, file, data, channel) for file in files]
        return _folder(location.identifier, title, children)

    def _trigger_folders(
        self, location: Location, files: list[RecordingFile]
    ) -> list[BrowseMediaSource]:
        """A folder per trigger the day's files name, most telling first."""
        present = {trigger for file in files for trigger in file.triggers}
        return [
            _folder(replace(location, trigger=trigger).identifier, trigger.capitalize())
            for trigger in TRIGGER_ORDER
            if trigger in present
        ]

    def _channels(self, location: Location, data: ReolinkData) -> BrowseMediaSource:
        # Offline cameras stay listed: their recordings sit on the NVR's disk.
        children = [
            _folder(location.child(str(index)), channel.name or f"Channel {index + 1}")
            for index, channel in sorted(data.device.channels.items())
        ]
        return _folder(location.identifier, data.device.info.name, children)

    def _streams(self, location: Location, name: str) -> BrowseMediaSource:
        # A camera has one channel: its streams sit right under the device.
        channel = location if location.channel is not None else Location(location.entry_id, 0)
        children = [
            _folder(channel.child(stream), STREAM_TITLES[stream]) for stream in RECORDING_STREAMS
        ]
        return _folder(location.identifier, name, children)

    def _file(
        self, location: Location, file: RecordingFile, data: ReolinkData, channel: int
    ) -> BrowseMediaSource:
        return BrowseMediaSource(
            domain=DOMAIN,
            identifier=location.child(file.name),
            media_class=MediaClass.VIDEO,
            media_content_type=MediaType.VIDEO,
            title=recording_title(file),
            can_play=True,
            can_expand=False,
            thumbnail=thumbnail_path(self.hass, data, channel, file),
        )
