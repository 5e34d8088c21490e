"""Motion and AI events pushed by the device's ONVIF pull point, with the HTTP poll as fallback.

While a subscription is healthy the events coordinator polls only every SAFETY_POLL seconds
to correct anything missed; when ONVIF is disabled, unreachable, refused or silent, the
coordinator goes back to its configured interval at once and ONVIF is retried with back-off.
Pushed states go into the coordinator's data, so entities read one place whatever the source.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Final

from homeassistant.const import (
    CONF_HOST,
    CONF_PASSWORD,
    CONF_USERNAME,
    EVENT_HOMEASSISTANT_STOP,
)
from homeassistant.core import Event, HassJob, HomeAssistant, callback
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.event import async_call_later

from .api import ReolinkClient, ReolinkError
from .api.models import onvif_port
from .api.onvif import (
    OnvifError,
    OnvifEvent,
    OnvifEventClient,
    OnvifTimeoutError,
    PullPointSubscription,
)
from .const import (
    CONF_EVENT_INTERVAL,
    CONF_EVENT_SOURCE,
    DEFAULT_EVENT_INTERVAL,
    DEFAULT_EVENT_SOURCE,
    EVENT_SOURCE_ONVIF,
    EVENT_SOURCE_POLLING,
)
from .coordinator import ChannelEvents, ReolinkEventsCoordinator

if TYPE_CHECKING:
    from . import ReolinkConfigEntry

_LOGGER = logging.getLogger(__name__)

# Requested subscription lifetime; renewed RENEW_MARGIN before it ends.
LIFETIME: Final = 600.0
RENEW_MARGIN: Final = 60.0
# One PullMessages stays open this long when nothing happens.
PULL_TIMEOUT: Final = 60.0
# Poll interval while ONVIF is healthy: corrects an event the device failed to send.
SAFETY_POLL: Final = 60.0
# Retry delays after failures; never faster, re-creating subscriptions in a loop can
# freeze some cameras.
RETRY_DELAYS: Final = (5.0, 15.0, 30.0, 60.0, 120.0, 300.0)
# A subscription that lasted this long resets the back-off.
STABLE_AFTER: Final = 120.0
UNSUBSCRIBE_TIMEOUT: Final = 3.0
# An empty answer sooner than this means the device ignored the pull timeout.
MIN_EMPTY_PULL: Final = 1.0
# Safety polls in a row that found a change never pushed: the subscription went deaf.
DEAF_AFTER: Final = 2

MOTION: Final = "motion"
# Topic's last part (Reolink firmware) -> event kind; "motion" or a GetAiState type.
RULES: Final[Mapping[str, str]] = {
    "Motion": MOTION,
    "MotionAlarm": MOTION,
    "PeopleDetect": "people",
    "VehicleDetect": "vehicle",
    "DogCatDetect": "dog_cat",
    "FaceDetect": "face",
    "Package": "package",
    "Visitor": "visitor",
}

type EventKey = tuple[int, str]


class EventsMissedError(OnvifError):
    """The subscription answers pulls but the poll keeps finding changes it never sent."""


@dataclass(slots=True)
class SourceHealth:
    """What diagnostics show about the event source."""

    mode: str
    active: str = "polling"
    onvif_port: int | None = None
    subscribed_since: float | None = None
    failures: int = 0
    fallbacks: int = 0
    renewals: int = 0
    notifications: int = 0
    corrected_by_poll: int = 0
    last_error: str | None = None
    next_retry: float | None = None


class ReolinkPushEventsCoordinator(ReolinkEventsCoordinator):
    """The events coordinator, its poll results merged with newer pushed states."""

    source: OnvifEventSource | None = None

    async def _async_update_data(self) -> dict[int, ChannelEvents]:
        started = time.monotonic()
        polled = await super()._async_update_data()
        return polled if self.source is None else self.source.merge(polled, started)


class OnvifEventSource:
    """Keeps one pull-point subscription alive and feeds its notifications to the coordinator."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ReolinkConfigEntry,
        coordinator: ReolinkPushEventsCoordinator,
        client: ReolinkClient,
    ) -> None:
        """Nothing runs before async_start."""
        self.hass = hass
        self.entry = entry
        self.coordinator = coordinator
        self.client = client
        self.health = SourceHealth(entry.options.get(CONF_EVENT_SOURCE, DEFAULT_EVENT_SOURCE))
        self._poll_interval = timedelta(
            seconds=entry.options.get(CONF_EVENT_INTERVAL, DEFAULT_EVENT_INTERVAL)
        )
        self._onvif: OnvifEventClient | None = None
        self._subscription: PullPointSubscription | None = None
        self._pushed_at: dict[EventKey, float] = {}
        self._task: asyncio.Task[None] | None = None
        self._outage_logged = False
        self._port_checked = False
        self._ai_topics_seen = False
        self._deaf = asyncio.Event()
        self._polls_with_misses = 0

    @property
    def enabled(self) -> bool:
        """False when the user chose the HTTP poll alone."""
        return self.health.mode != EVENT_SOURCE_POLLING

    def async_start(self) -> None:
        """Start the subscription loop in the background; polling goes on meanwhile."""
        self.coordinator.source = self
        if self.enabled:
            self._task = self.entry.async_create_background_task(
                self.hass, self._run(), f"{self.entry.title} ONVIF events"
            )
            # Entries are not unloaded when Home Assistant stops; free the slot anyway.
            self.entry.async_on_unload(
                self.hass.bus.async_listen_once(EVENT_HOMEASSISTANT_STOP, self._async_on_stop)
            )

    async def _async_on_stop(self, _event: Event) -> None:
        await self.async_stop()

    async def async_stop(self) -> None:
        """Stop pulling and give the device its subscription slot back."""
        self.coordinator.source = None
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None
        await self._unsubscribe_quietly()

    async def _unsubscribe_quietly(self) -> None:
        subscription, self._subscription = self._subscription, None
        if subscription is not None and self._onvif is not None:
            try:
                async with asyncio.timeout(UNSUBSCRIBE_TIMEOUT):
                    await self._onvif.unsubscribe(subscription)
            except (OnvifError, TimeoutError) as err:
                _LOGGER.debug("%s: ONVIF unsubscribe failed: %s", self.entry.title, err)

    # -- subscription loop --------------------------------------------------------------------

    async def _run(self) -> None:
        while True:
            started = time.monotonic()
            try:
                await self._subscribe_and_pull()
            except (OnvifError, ReolinkError) as err:
                await self._fall_back(err, stable=time.monotonic() - started >= STABLE_AFTER)
            except Exception as err:
                # Whatever broke, events must not stay at the slow safety poll.
                _LOGGER.exception("%s: ONVIF event loop failed", self.entry.title)
                await self._fall_back(err, stable=False)
            delay = RETRY_DELAYS[min(self.health.failures, len(RETRY_DELAYS)) - 1]
            self.health.next_retry = time.time() + delay
            await self._sleep(delay)
            self.health.next_retry = None

    async def _subscribe_and_pull(self) -> None:
        onvif = self._onvif or await self._connect()
        subscription = await onvif.create_pull_point(LIFETIME)
        self._subscription = subscription
        self._deaf.clear()
        self._polls_with_misses = 0
        while True:
            margin = min(RENEW_MARGIN, subscription.lifetime / 3)
            if subscription.remaining() <= margin:
                await onvif.renew(subscription)
                self.health.renewals += 1
            wait = min(PULL_TIMEOUT, max(1.0, subscription.remaining() - margin))
            asked = time.monotonic()
            events = await self._pull_unless_deaf(onvif, subscription, wait)
            if not events and time.monotonic() - asked < MIN_EMPTY_PULL:
                # A device ignoring the timeout must not be asked in a tight loop.
                await asyncio.sleep(MIN_EMPTY_PULL)
            if self.health.active != "onvif":
                # Healthy once a pull is answered: a subscription that is accepted
                # and then never answers must not slow the poll down.
                self._on_subscribed()
            if events:
                self._apply(events)

    async def _pull_unless_deaf(
        self, onvif: OnvifEventClient, subscription: PullPointSubscription, wait: float
    ) -> list[OnvifEvent]:
        """One PullMessages, abandoned as soon as the safety poll proves the device deaf."""
        pull = asyncio.ensure_future(onvif.pull_messages(subscription, wait))
        deaf = asyncio.ensure_future(self._deaf.wait())
        try:
            await asyncio.wait((pull, deaf), return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (pull, deaf):
                task.cancel()
            await asyncio.gather(pull, deaf, return_exceptions=True)
        if self._deaf.is_set():
            raise EventsMissedError(
                f"{DEAF_AFTER} safety polls in a row found changes the subscription never sent"
            )
        return pull.result()

    async def _connect(self) -> OnvifEventClient:
        """Where the device serves ONVIF; the setup batch told, later GetNetPort tells again.

        Asking again on retries notices the user switching ONVIF on or moving its port.
        """
        if self._port_checked:
            self.coordinator.device.onvif_port = onvif_port(await self.client.get_net_port())
        self._port_checked = True
        port = self.coordinator.device.onvif_port
        self.health.onvif_port = port
        if port is None:
            raise OnvifError("ONVIF is switched off on the device")
        data = self.entry.data
        self._onvif = OnvifEventClient(
            async_get_clientsession(self.hass),
            data[CONF_HOST],
            port,
            data[CONF_USERNAME],
            data[CONF_PASSWORD],
        )
        return self._onvif

    def _on_subscribed(self) -> None:
        health = self.health
        if health.active != "onvif" and self._outage_logged:
            _LOGGER.info("%s: ONVIF events are back; polling slows down", self.entry.title)
        self._outage_logged = False
        health.active = "onvif"
        health.subscribed_since = time.time()
        health.last_error = None
        self.coordinator.update_interval = timedelta(seconds=SAFETY_POLL)

    async def _fall_back(self, err: Exception, *, stable: bool) -> None:
        """Poll at the configured rate again, right now, and say so once per outage."""
        health = self.health
        # A subscription that ran for a while starts the back-off afresh.
        health.failures = 1 if stable else health.failures + 1
        health.last_error = f"{type(err).__name__}: {err}"
        was_active = health.active == "onvif"
        health.active = "polling"
        health.subscribed_since = None
        if was_active:
            health.fallbacks += 1
        if not self._outage_logged:
            self._outage_logged = True
            level = logging.WARNING if health.mode == EVENT_SOURCE_ONVIF else logging.INFO
            _LOGGER.log(
                level,
                "%s: ONVIF events unavailable (%s); polling every %s s and retrying ONVIF",
                self.entry.title,
                err,
                self._poll_interval.total_seconds(),
            )
        self.coordinator.update_interval = self._poll_interval
        if was_active:
            await self.coordinator.async_refresh()
        if isinstance(err, (OnvifTimeoutError, EventsMissedError)):
            # The device may still hold it; its slots are few.
            await self._unsubscribe_quietly()
        self._subscription = None
        # The next attempt asks GetNetPort again: the user may have moved or enabled ONVIF.
        self._onvif = None

    async def _sleep(self, delay: float) -> None:
        """Wait on Home Assistant's clock, so the back-off follows its time."""
        done = self.hass.loop.create_future()

        @callback
        def _wake(_now: datetime) -> None:
            if not done.done():
                done.set_result(None)

        cancel = async_call_later(self.hass, delay, HassJob(_wake, cancel_on_shutdown=True))
        try:
            await done
        finally:
            cancel()

    # -- states -------------------------------------------------------------------------------

    def _apply(self, events: list[OnvifEvent]) -> None:
        """Write pushed states into the coordinator's data; listeners only hear of changes."""
        # The source starts after the first refresh, so there is always data.
        current = self.coordinator.data
        updated = dict(current)
        now = time.monotonic()
        ask_poll = False
        for event in events:
            self.health.notifications += 1
            kind = RULES.get(event.rule)
            channel = event.channel if self.coordinator.device.is_nvr else 0
            if kind is None:
                continue
            if channel is None:
                # Without a channel only the poll can tell which camera it was.
                ask_poll = True
                continue
            state = updated.get(channel)
            if state is None or not state.reachable or not self._supported(channel, kind):
                continue
            updated[channel] = _with(state, kind, event.state)
            self._pushed_at[(channel, kind)] = now
            self._ai_topics_seen |= kind != MOTION
        if updated != current:
            self.coordinator.async_set_updated_data(updated)
        if not self._ai_topics_seen and self._motion_on_ai_channel(events):
            # Some firmware sends motion only; the poll tells which AI type it was.
            ask_poll = True
        if ask_poll:
            self.entry.async_create_task(self.hass, self.coordinator.async_request_refresh())

    def _motion_on_ai_channel(self, events: list[OnvifEvent]) -> bool:
        device = self.coordinator.device
        channels = {
            event.channel if device.is_nvr else 0
            for event in events
            if RULES.get(event.rule) == MOTION and event.state
        }
        return any(channel is not None and device.ai_types(channel) for channel in channels)

    def _supported(self, channel: int, kind: str) -> bool:
        return kind == MOTION or kind in self.coordinator.device.ai_types(channel)

    def merge(self, polled: dict[int, ChannelEvents], started: float) -> dict[int, ChannelEvents]:
        """A poll's answer, except where a push arrived after the poll was sent.

        Without this a poll answered just before the device pushed "off" would switch the
        sensor back on until the next poll: two needless state changes.
        """
        current = self.coordinator.data or {}
        merged = dict(polled)
        misses = 0
        for (channel, kind), pushed_at in self._pushed_at.items():
            before, after = current.get(channel), merged.get(channel)
            if before is None or after is None or not after.reachable:
                continue
            pushed = _value(before, kind)
            if pushed_at > started:
                if pushed is not None:
                    merged[channel] = _with(after, kind, pushed)
            elif pushed is not None and _value(after, kind) not in (None, pushed):
                # The device changed state without telling the subscription.
                misses += 1
        self._count_misses(misses)
        return merged

    def _count_misses(self, misses: int) -> None:
        """One poll's corrections; several polls in a row mean the subscription went deaf.

        A single one can be a notification still on its way, so it is only counted.
        """
        if self.health.active != "onvif":
            return
        self.health.corrected_by_poll += misses
        self._polls_with_misses = self._polls_with_misses + 1 if misses else 0
        if self._polls_with_misses >= DEAF_AFTER:
            self._deaf.set()

    def diagnostics(self) -> dict[str, Any]:
        """Active source and its health; nothing secret."""
        health = self.health
        subscription = self._subscription
        return {
            "mode": health.mode,
            "active": health.active,
            "onvif_port": health.onvif_port,
            "poll_interval": self.coordinator.update_interval.total_seconds()
            if self.coordinator.update_interval
            else None,
            "subscribed_since": health.subscribed_since,
            "subscription_expires_in": None
            if subscription is None
            else round(subscription.remaining(), 1),
            "failures_in_a_row": health.failures,
            "fallbacks": health.fallbacks,
            "renewals": health.renewals,
            "notifications": health.notifications,
            "corrected_by_poll": health.corrected_by_poll,
            "last_error": health.last_error,
            "next_retry": health.next_retry,
        }


def _value(events: ChannelEvents, kind: str) -> bool | None:
    if kind == MOTION:
        return events.motion
    return None if events.ai is None else events.ai.get(kind)


def _with(events: ChannelEvents, kind: str, on: bool) -> ChannelEvents:
    if kind == MOTION:
        return replace(events, motion=on)
    return replace(events, ai={**(events.ai or {}), kind: on})


def event_source_diagnostics(coordinator: ReolinkPushEventsCoordinator) -> dict[str, Any]:
    """Diagnostics of the entry's event source (none while the entry is unloading)."""
    source = coordinator.source
    if source is None:
        return {"mode": None, "active": "polling"}
    return source.diagnostics()
