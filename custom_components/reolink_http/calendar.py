"""Recordings as a timeline: one calendar per channel, each recording an event (3.6.5 Search).

The calendar asks the device only when it is looked at (or an automation's calendar
trigger asks): one calendar Search for the days with recordings, then one Search per
such day, at most MAX_DAYS days a query.
"""

from datetime import date, datetime, timedelta
from typing import Final

from homeassistant.components.calendar import (
    CalendarEntity,
    CalendarEntityDescription,
    CalendarEvent,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from . import ReolinkConfigEntry, ReolinkData
from .api import RecordingFile
from .capabilities import has_storage
from .entity import ReolinkChannelEntity
from .errors import device_errors
from .media_source import recording_media_id
from .recordings import (
    aware,
    device_time,
    ordered_triggers,
    recorded_days_between,
    recording_end,
    recording_start,
    recordings_between,
)

PARALLEL_UPDATES = 0

# Recordings of the main stream are listed (the sub stream has the same times).
STREAM: Final = "main"
# Days one query may search; a month view asks for six weeks.
MAX_DAYS: Final = 42

RECORDINGS = CalendarEntityDescription(key="recordings", translation_key="recordings")


async def async_setup_entry(
    hass: HomeAssistant,
    entry: ReolinkConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """One calendar per channel of a device that records (SD card or disks)."""
    data = entry.runtime_data
    if not has_storage(data.device):
        return
    async_add_entities(ReolinkRecordingCalendar(data, channel) for channel in data.device.channels)


def recording_event(entry_id: str, channel: int, file: RecordingFile) -> CalendarEvent:
    """A recording as a calendar event; its description is the media ID that plays it."""
    triggers = ordered_triggers(file)
    return CalendarEvent(
        start=aware(recording_start(file)),
        end=aware(recording_end(file)),
        summary=", ".join(triggers).capitalize() if triggers else "Recording",
        description=recording_media_id(entry_id, channel, STREAM, file),
        uid=file.name,
    )


class ReolinkRecordingCalendar(ReolinkChannelEntity, CalendarEntity):
    """The channel's recordings, searched on the device by date range."""

    def __init__(self, data: ReolinkData, channel: int) -> None:
        """The channel's calendar."""
        super().__init__(data.events, RECORDINGS, channel)
        self._entry_id = data.events.config_entry.entry_id

    @property
    def event(self) -> CalendarEvent | None:
        """Recordings are only known once searched: no current or next event."""
        return None

    async def async_get_events(
        self, hass: HomeAssistant, start_date: datetime, end_date: datetime
    ) -> list[CalendarEvent]:
        """Every recording overlapping the range, oldest first."""
        start, end = device_time(start_date), device_time(end_date)
        with device_errors():
            files = await self._recordings(start, end)
        return [recording_event(self._entry_id, self.channel, file) for file in files]

    async def _recordings(self, start: datetime, end: datetime) -> list[RecordingFile]:
        client = self.coordinator.client
        # A recording running at `start` began on the day before at the latest.
        first = start.date() - timedelta(days=1)
        # The range ends before `end` (a day view ends at the next midnight).
        last = min(max(end - timedelta(seconds=1), start).date(), first + timedelta(days=MAX_DAYS))
        found: dict[str, RecordingFile] = {}
        for day in await recorded_days_between(client, self.channel, STREAM, first, last):
            window = _day_window(day, start, end)
            if window is None:
                continue
            for file in await recordings_between(client, self.channel, STREAM, *window):
                found.setdefault(file.name, file)
        return sorted(found.values(), key=recording_start)


def _day_window(day: date, start: datetime, end: datetime) -> tuple[datetime, datetime] | None:
    """The part of [start, end] on `day` (the day before `start` reaches to `start` only)."""
    day_start = datetime.combine(day, datetime.min.time())
    day_end = day_start + timedelta(days=1) - timedelta(seconds=1)
    window = (max(day_start, start), min(day_end, end))
    if day < start.date():
        window = (start, start)
    return window if window[0] <= window[1] else None
