"""Coordinators: the shared polling base and the fast event polling (one batched POST)."""

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from homeassistant.core import CALLBACK_TYPE, HassJob, callback
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.event import async_call_later
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed

from .api import (
    AiState,
    Events,
    MdState,
    ReolinkAuthError,
    ReolinkBackoffError,
    ReolinkCertificateError,
    ReolinkClient,
    ReolinkCommandError,
    ReolinkConnectionError,
    ReolinkError,
    ReolinkNotSupportedError,
    ReolinkResponseError,
    ReolinkTimeoutError,
)
from .api.commands import (
    TypedCommand,
    get_ai_state,
    get_channel_status,
    get_events,
    get_md_state,
)
from .api.fields import Source
from .const import DOMAIN, ISSUE_CERT_CHANGED
from .device import ReolinkDevice
from .errors import error_key, error_placeholders

if TYPE_CHECKING:
    from homeassistant.core import HomeAssistant

    from . import ReolinkConfigEntry

_LOGGER = logging.getLogger(__name__)

type SettingKey = tuple[Source, int | None]

# An NVR's channel list is re-read at least this often (seconds) to see cameras come back.
CHANNEL_STATUS_INTERVAL = 30.0

# While polls fail the event poll is the probe that notices the device coming back:
# one starts at most this long after the previous one (whatever the interval, ONVIF's
# safety poll every few minutes included), so entities are back within 5 s of the device
# answering. Settings are re-read as soon as events answer.
PROBE_GAP = 4.5
# An events poll is a few small commands; one unanswered this long has failed, so a
# device that hangs holds the probe no longer than the gap (the client waits 10 s).
EVENTS_POLL_TIMEOUT = 4.0


@dataclass(frozen=True, slots=True)
class ChannelEvents:
    """Event state of one channel; None where the command for it failed or was not sent."""

    motion: bool | None = None
    ai: Mapping[str, bool] | None = None
    # The channel's event command was answered -9 (the firmware lacks it).
    unsupported: bool = False

    @property
    def reachable(self) -> bool:
        """The channel answered at least one event command."""
        return self.motion is not None or self.ai is not None


@dataclass(frozen=True, slots=True)
class EventsRead:
    """An events read sent in another coordinator's batch (see `read_beside`)."""

    targets: list[int | None]
    commands: list[TypedCommand[Any]]
    started: float


async def call_with_one_retry[T](
    hass: HomeAssistant,
    entry: ReolinkConfigEntry,
    call: Callable[[], Awaitable[T]],
    *,
    retry: bool = True,
) -> T:
    """Run one device call, retrying a single transient failure and mapping errors.

    Cameras' HTTP servers drop the odd connection; one immediate retry hides that
    without making a device that is really gone look alive for longer.
    """
    try:
        try:
            return await call()
        except ReolinkCertificateError:
            raise
        except (ReolinkConnectionError, ReolinkResponseError) as err:
            if not retry:
                raise
            _LOGGER.debug("Retrying after transient failure: %s", err)
            return await call()
    except ReolinkAuthError as err:
        raise ConfigEntryAuthFailed(str(err)) from err
    except ReolinkCertificateError as err:
        # Stop talking to whoever presents this certificate: the reload ends in setup's
        # ConfigEntryError, and the repair tells the user how to accept it.
        raise_certificate_issue(hass, entry)
        hass.config_entries.async_schedule_reload(entry.entry_id)
        raise update_failed(err) from err
    except ReolinkBackoffError as err:
        raise update_failed(err, err.retry_after) from err
    except ReolinkError as err:
        raise update_failed(err) from err


def update_failed(err: ReolinkError, retry_after: float | None = None) -> UpdateFailed:
    """A poll's failure, with the translated message of the client's error."""
    return UpdateFailed(
        translation_domain=DOMAIN,
        translation_key=error_key(err),
        translation_placeholders=error_placeholders(err),
        retry_after=retry_after,
    )


def raise_certificate_issue(hass: HomeAssistant, entry: ReolinkConfigEntry) -> None:
    """Open the repair issue telling the user the device's certificate changed."""
    ir.async_create_issue(
        hass,
        DOMAIN,
        f"{ISSUE_CERT_CHANGED}_{entry.entry_id}",
        is_fixable=False,
        severity=ir.IssueSeverity.ERROR,
        translation_key=ISSUE_CERT_CHANGED,
        translation_placeholders={"title": entry.title},
    )


class ReolinkCoordinator[DataT](DataUpdateCoordinator[DataT]):
    """A coordinator polling one device through the entry's shared client.

    Polls that fail, for whatever reason, are spaced out more and more (doubling
    from the normal interval up to `backoff_cap`), so an unreachable or erroring
    device is not asked twice a second for as long as it is away.
    """

    config_entry: ReolinkConfigEntry
    purpose: str
    always_update_listeners: bool = True
    # Longest wait between polls while failing (never shorter than the interval).
    backoff_cap: float
    _failures: int = 0
    # The wait before the next poll after the last failure, its start to the next start.
    _retry_wait: float = 0.0

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ReolinkConfigEntry,
        client: ReolinkClient,
        device: ReolinkDevice,
        interval: float,
    ) -> None:
        """Set up polling at `interval` seconds."""
        super().__init__(
            hass,
            _LOGGER,
            config_entry=entry,
            name=f"{entry.title} {self.purpose}",
            update_interval=timedelta(seconds=interval),
            always_update=self.always_update_listeners,
        )
        self.client = client
        self.device = device

    @property
    def failing(self) -> bool:
        """The last poll of the device failed."""
        return self._failures > 0

    @callback
    def poll_every(self, interval: timedelta) -> None:
        """Poll every `interval` from now on, the poll already scheduled included.

        Home Assistant keeps a scheduled poll where it is when the interval changes.
        """
        self.update_interval = interval
        if self._unsub_refresh is not None:
            self._schedule_refresh()

    def backoff_delay(self) -> float:
        """Seconds until the next poll after the current run of failures."""
        interval = self.update_interval.total_seconds() if self.update_interval else 0.0
        cap = max(self.backoff_cap, interval)
        return min(interval * 2.0**self._failures, cap)

    async def _device_call[T](self, call: Callable[[], Awaitable[T]]) -> T:
        """A poll's device call; no immediate retry while already failing, then back off."""
        try:
            return await call_with_one_retry(
                self.hass, self.config_entry, call, retry=not self.failing
            )
        except UpdateFailed as err:
            self._failures += 1
            self._retry_wait = max(err.retry_after or 0.0, self.backoff_delay())
            # The same translated failure, retried later the longer it lasts.
            err.retry_after = self._timer_wait()
            raise

    def _timer_wait(self) -> float:
        """What Home Assistant's own timer waits after a failed poll."""
        return self._retry_wait

    @callback
    def _async_refresh_finished(self) -> None:
        """Reset the back-off when a poll succeeds after failures."""
        super()._async_refresh_finished()
        if self.last_update_success and self._failures:
            self._failures = 0
            self._device_back()

    @callback
    def async_set_updated_data(self, data: DataT) -> None:
        """Data read outside a poll (after a Set) proves the device answers, too."""
        self._failures = 0
        super().async_set_updated_data(data)

    @callback
    def _device_back(self) -> None:
        """Called once when the device answers again after failed polls."""


class ReolinkEventsCoordinator(ReolinkCoordinator[dict[int, ChannelEvents]]):
    """Polls motion and AI state of every online channel in one POST.

    GetEvents (one command per channel) where the firmware has it, else GetMdState
    and GetAiState (3.8.5, 3.11.3). An NVR's channel list is re-read only when a
    channel errs or `CHANNEL_STATUS_INTERVAL` has passed; settings polls read it too.
    """

    purpose = "events"
    backoff_cap = PROBE_GAP
    # Unchanged polls (nearly all of them) must not rewrite every entity's state.
    always_update_listeners = False
    # One reload picks up every camera that arrived; later polls must not queue more,
    # nor ask what the reload reads anew.
    reload_scheduled = False
    _quiet_update = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Set up polling; the channel list read at setup counts as fresh."""
        super().__init__(*args, **kwargs)
        self.use_get_events = self.device.has_get_events
        self._status_read_at = time.monotonic()
        self._status_wanted = False
        self._poll_started = 0.0
        self._cancel_probe: CALLBACK_TYPE | None = None

    @property
    def polls_seldom(self) -> bool:
        """Events come from elsewhere (ONVIF) and this poll is only the safety net."""
        interval = self.update_interval
        return interval is not None and interval.total_seconds() > PROBE_GAP

    def read_beside(self, room: int) -> EventsRead | None:
        """An events read for the settings poll's batch, when it fits in `room` commands.

        Only while events are polled seldom: the read then costs no request of its own
        and stands in for the safety poll, whose timer it restarts.
        """
        if not self.polls_seldom or self.failing:
            return None
        targets, commands = self._commands(self.device.online_channels(), with_status=False)
        if not commands or len(commands) > room:
            return None
        return EventsRead(targets, commands, time.monotonic())

    @callback
    def apply_read(self, read: EventsRead, answers: list[Any]) -> None:
        """Take the answers of a read sent beside the settings poll, like a poll's."""
        events = self._collect(zip(read.targets, answers, strict=True))
        if self.use_get_events and _lacks_get_events(events.values()):
            self.use_get_events = False  # the next poll reads the older pair
            return
        merged = self._merged(events, read.started)
        # Nearly every read changes nothing: restart the timer, tell no entity.
        self._quiet_update = self.last_update_success and merged == self.data
        self.async_set_updated_data(merged)

    @callback
    def async_update_listeners(self) -> None:
        """Entities hear of a read beside the settings poll only when it changed something."""
        if self._quiet_update:
            self._quiet_update = False
            return
        super().async_update_listeners()

    def _merged(self, polled: dict[int, ChannelEvents], started: float) -> dict[int, ChannelEvents]:
        """A poll's answer as entities see it (ONVIF merges newer pushes in)."""
        return polled

    def backoff_delay(self) -> float:
        """Doubling from the interval after each failure, never beyond PROBE_GAP."""
        interval = self.update_interval.total_seconds() if self.update_interval else 0.0
        return min(interval * 2.0**self._failures, self.backoff_cap)

    def _timer_wait(self) -> float:
        # Home Assistant's timer rounds to whole seconds (up to one early or late), so
        # the probe has an exact timer of its own; this one only backs it up.
        return self._retry_wait + 1.0

    @callback
    def _async_refresh_finished(self) -> None:
        """After a failed poll, start the next one exactly `_retry_wait` after this one."""
        super()._async_refresh_finished()
        self._stop_probe()
        if self.failing:
            due = self._poll_started + self._retry_wait - self.hass.loop.time()
            self._cancel_probe = async_call_later(
                self.hass, max(due, 0.0), HassJob(self._probe, cancel_on_shutdown=True)
            )

    @callback
    def _probe(self, _now: datetime) -> None:
        self._cancel_probe = None
        self.config_entry.async_create_background_task(
            self.hass, self.async_refresh(), f"{self.name} probe"
        )

    @callback
    def _stop_probe(self) -> None:
        if self._cancel_probe is not None:
            self._cancel_probe()
            self._cancel_probe = None

    async def async_shutdown(self) -> None:
        """Stop the probe timer with the poll's own."""
        self._stop_probe()
        await super().async_shutdown()

    async def _async_update_data(self) -> dict[int, ChannelEvents]:
        self._poll_started = self.hass.loop.time()
        polled = self.device.online_channels()
        events = await self._poll(polled, with_status=self._status_due())
        if self.use_get_events and _lacks_get_events(events.values()):
            # -9: firmware without GetEvents; the older pair answers from now on.
            self.use_get_events = False
            events = await self._poll(polled, with_status=False)
        returned = [channel for channel in self.device.online_channels() if channel not in polled]
        if returned and not self.reload_scheduled:
            # A port that just came back is read now rather than one interval later;
            # this second request happens only on such a transition.
            back = await self._poll(returned, with_status=False)
            events.update({channel: back[channel] for channel in returned})
        # A channel that failed while still listed online may have gone: ask next time.
        self._status_wanted = any(
            not events[channel].reachable
            for channel in polled
            if channel in events and self.device.channels[channel].online
        )
        return events

    def _status_due(self) -> bool:
        if not self.device.is_nvr:
            return False
        waited = time.monotonic() - self._status_read_at
        return self._status_wanted or waited >= CHANNEL_STATUS_INTERVAL

    async def _poll(self, channels: list[int], *, with_status: bool) -> dict[int, ChannelEvents]:
        targets, commands = self._commands(channels, with_status=with_status)
        results = await self._device_call(lambda: self._execute_in_time(commands))
        return self._collect(zip(targets, results, strict=True))

    async def _execute_in_time(self, commands: list[Any]) -> list[Any]:
        """The batch, given up after EVENTS_POLL_TIMEOUT (a login it needs included)."""
        try:
            async with asyncio.timeout(EVENTS_POLL_TIMEOUT):
                return await self.client.execute_typed(commands)
        except TimeoutError:
            raise ReolinkTimeoutError(f"no answer within {EVENTS_POLL_TIMEOUT} s") from None

    @callback
    def _device_back(self) -> None:
        """Settings may have changed while the device was away: read them now."""
        settings = self.config_entry.runtime_data.settings
        self.config_entry.async_create_background_task(
            self.hass, settings.async_refresh(), f"{self.name} settings after outage"
        )

    @callback
    def _camera_woke(self) -> None:
        """A battery camera is awake: read the settings kept from before it slept."""
        settings = self.config_entry.runtime_data.settings
        self.config_entry.async_create_background_task(
            self.hass, settings.async_request_refresh(), f"{self.name} settings of a woken camera"
        )

    def _commands(
        self, channels: list[int], *, with_status: bool
    ) -> tuple[list[int | None], list[Any]]:
        """The batch, and for each command the channel it is about (None: device-wide)."""
        targets: list[int | None] = []
        commands: list[Any] = []
        if with_status:
            targets.append(None)
            commands.append(get_channel_status())
        for channel in channels:
            if self.use_get_events:
                targets.append(channel)
                commands.append(get_events(channel))
                continue
            targets.append(channel)
            commands.append(get_md_state(channel))
            if self.device.ai_types(channel):
                targets.append(channel)
                commands.append(get_ai_state(channel))
        return targets, commands

    def apply_channel_status(self, statuses: object, *, read_woken: bool = True) -> None:
        """Track channels going on- and offline; reload once when a new camera shows up.

        Entities and child devices are keyed by the camera's UID, so a camera
        plugged into an empty port or swapped in needs the platforms set up again.
        A battery camera seen waking up gets its settings read (`read_woken`; the
        settings poll reads them itself).
        """
        self._status_read_at = time.monotonic()
        asleep = {index for index in self.device.channels if self.device.asleep(index)}
        arrived = self.device.update_channel_status(statuses)
        if asleep != {index for index in self.device.channels if self.device.asleep(index)}:
            # Sleep sensors read the channel list, which no events poll may follow soon.
            self.async_update_listeners()
            if read_woken and any(not self.device.asleep(index) for index in asleep):
                self._camera_woke()
        if not arrived or self.reload_scheduled:
            return
        for camera in arrived:
            _LOGGER.info(
                "%s: new camera %s (%s) on channel %d, reloading to add it",
                self.config_entry.title,
                camera.name or "without a name",
                camera.model or "unknown model",
                camera.index + 1,
            )
        self.reload_scheduled = True
        self.hass.config_entries.async_schedule_reload(self.config_entry.entry_id)

    def _detections(self, state: AiState) -> dict[str, bool]:
        """Each supported kind's state; kinds new to the device are remembered on it."""
        supported = state.supported_types
        if supported != self.device.reported_ai_types.get(state.channel):
            self.device.note_reported_ai_types(state.channel, supported)
        return {kind: state.detected(kind) for kind in supported}

    def _collect(self, answers: Iterable[tuple[int | None, object]]) -> dict[int, ChannelEvents]:
        motion: dict[int, bool | None] = {}
        ai: dict[int, dict[str, bool]] = {}
        failed: dict[int, ReolinkCommandError] = {}
        for channel, answer in answers:
            if isinstance(answer, ReolinkCommandError):
                _LOGGER.debug("Event command for channel %s failed: %s", channel, answer)
                if channel is not None:
                    failed[channel] = answer
            elif isinstance(answer, Events):
                motion[answer.channel] = answer.motion
                ai[answer.channel] = self._detections(answer.ai)
            elif isinstance(answer, MdState):
                motion[answer.channel] = answer.motion
            elif isinstance(answer, AiState):
                ai[answer.channel] = self._detections(answer)
            elif channel is None:
                self.apply_channel_status(answer)
        return {
            channel: ChannelEvents(
                motion=motion.get(channel),
                ai=ai.get(channel),
                unsupported=isinstance(failed.get(channel), ReolinkNotSupportedError),
            )
            for channel in self.device.channels
        }


def _lacks_get_events(events: Iterable[ChannelEvents]) -> bool:
    """Every polled channel answered GetEvents with -9 (and there was one)."""
    answers = [channel for channel in events if channel.reachable or channel.unsupported]
    return bool(answers) and all(channel.unsupported for channel in answers)
