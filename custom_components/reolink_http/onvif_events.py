"""Motion and AI events pushed by the device's ONVIF pull point, with the HTTP poll as fallback.

While a subscription is healthy the events coordinator polls only every SAFETY_POLL seconds
to correct anything missed; when ONVIF is disabled, unreachable, refused or silent, the
coordinator goes back to its configured interval at once and ONVIF is retried with back-off.
Pushed states go into the coordinator's data, so entities read one place whatever the source.
"""

import asyncio
import logging
import time
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
from .api.onvif import OnvifError, OnvifEvent, OnvifEventClient, PullAnswer
from .const import (
    CONF_EVENT_INTERVAL,
    CONF_EVENT_SOURCE,
    DEFAULT_EVENT_INTERVAL,
    DEFAULT_EVENT_SOURCE,
    EVENT_SOURCE_ONVIF,
    EVENT_SOURCE_POLLING,
)
from .coordinator import ChannelEvents, ReolinkEventsCoordinator
from .onvif_states import ChannelsUnlabelledError, PushedStates
from .onvif_subscription import PullPointLoop, SourceHealth

if TYPE_CHECKING:
    from . import ReolinkConfigEntry

_LOGGER = logging.getLogger(__name__)

# Poll interval while ONVIF is healthy: corrects an event the device failed to send.
# Not more often: cameras answer an idle pull within ~20 s, so the pull loop already
# proves the device there, and a failed settings poll starts the events probe at once.
SAFETY_POLL: Final = 300.0
# Retry delays after failures; never faster, re-creating subscriptions in a loop can
# freeze some cameras.
RETRY_DELAYS: Final = (5.0, 15.0, 30.0, 60.0, 120.0, 300.0)
# A subscription that lasted this long resets the back-off.
STABLE_AFTER: Final = 120.0


class ReolinkPushEventsCoordinator(ReolinkEventsCoordinator):
    """The events coordinator, its poll results merged with newer pushed states."""

    source: OnvifEventSource | None = None

    async def _async_update_data(self) -> dict[int, ChannelEvents]:
        started = time.monotonic()
        return self._merged(await super()._async_update_data(), started)

    def _merged(self, polled: dict[int, ChannelEvents], started: float) -> dict[int, ChannelEvents]:
        return polled if self.source is None else self.source.merge(polled, started)

    @callback
    def _device_back(self) -> None:
        """The device answers again: ONVIF need not wait out its back-off either."""
        super()._device_back()
        if self.source is not None:
            self.source.retry_now()


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
        self._pull = PullPointLoop(entry.title, self.health, self._on_answer)
        self._states = PushedStates(coordinator.device)
        self._task: asyncio.Task[None] | None = None
        self._outage_logged = False
        self._port_checked = False
        # The back-off wait in progress, ended early by `retry_now`.
        self._waiting: asyncio.Future[None] | None = None

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
        await self._pull.unsubscribe_quietly()

    # -- retries and fallback -----------------------------------------------------------------

    async def _run(self) -> None:
        while True:
            started = time.monotonic()
            try:
                await self._pull.run(self._pull.onvif or await self._connect())
            except ChannelsUnlabelledError as err:
                await self._give_up(err)
                return
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
        onvif = OnvifEventClient(
            async_get_clientsession(self.hass),
            data[CONF_HOST],
            port,
            data[CONF_USERNAME],
            data[CONF_PASSWORD],
        )
        try:
            # Tokens dated by our clock are refused by a device whose clock is far off.
            await onvif.sync_clock()
        except OnvifError as err:
            _LOGGER.debug("%s: ONVIF clock not read, signing with ours: %s", self.entry.title, err)
        return onvif

    def _on_answer(self, answer: PullAnswer) -> None:
        self.health.unreadable_notifications += answer.unreadable
        if self._pull.unusable:
            # Nothing in it can be read: only the poll can tell whether it hid a change,
            # and such a subscription proves nothing about the events.
            if answer.unreadable:
                self._ask_poll()
            return
        if self.health.active != "onvif":
            # Healthy once a pull is answered: a subscription that is accepted
            # and then never answers must not slow the poll down.
            self._on_subscribed()
        if answer.events:
            self._apply(answer.events)

    def _on_subscribed(self) -> None:
        health = self.health
        if health.active != "onvif" and self._outage_logged:
            _LOGGER.info("%s: ONVIF events are back; polling slows down", self.entry.title)
        self._outage_logged = False
        health.active = "onvif"
        health.subscribed_since = time.time()
        health.last_error = None
        self.coordinator.poll_every(timedelta(seconds=SAFETY_POLL))

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
        self.coordinator.poll_every(self._poll_interval)
        if was_active:
            await self.coordinator.async_refresh()
        # Whatever failed, the device may still hold the subscription; its slots are few.
        await self._pull.release(err)
        # The next attempt asks GetNetPort again: the user may have moved or enabled ONVIF.
        self._pull.forget()

    async def _give_up(self, err: ChannelsUnlabelledError) -> None:
        """Poll this device from now on: its notifications cannot say which camera moved."""
        self._outage_logged = True  # the line below is the one about this device
        await self._fall_back(err, stable=False)
        self.health.given_up = str(err)
        _LOGGER.warning(
            "%s: ONVIF notifications do not name their camera (%s; older NVR firmware); "
            "polling every %s s instead until the entry is reloaded",
            self.entry.title,
            err,
            self._poll_interval.total_seconds(),
        )

    @callback
    def retry_now(self) -> None:
        """End a retry wait early: the device came back after an outage (once per outage)."""
        if self._waiting is not None and not self._waiting.done():
            self._waiting.set_result(None)

    async def _sleep(self, delay: float) -> None:
        """Wait on Home Assistant's clock, so the back-off follows its time."""
        done: asyncio.Future[None] = self.hass.loop.create_future()
        self._waiting = done

        @callback
        def _wake(_now: datetime) -> None:
            if not done.done():
                done.set_result(None)

        cancel = async_call_later(self.hass, delay, HassJob(_wake, cancel_on_shutdown=True))
        try:
            await done
        finally:
            cancel()
            self._waiting = None

    # -- states -------------------------------------------------------------------------------

    def _apply(self, events: list[OnvifEvent]) -> None:
        """Write pushed states into the coordinator's data; listeners only hear of changes."""
        self.health.notifications += len(events)
        # The source starts after the first refresh, so there is always data.
        current = self.coordinator.data
        updated, ask_poll = self._states.apply(events, current)
        if updated != current:
            self.coordinator.async_set_updated_data(updated)
        if ask_poll:
            self._ask_poll()

    def _ask_poll(self) -> None:
        self.entry.async_create_task(self.hass, self.coordinator.async_request_refresh())

    def merge(self, polled: dict[int, ChannelEvents], started: float) -> dict[int, ChannelEvents]:
        """A poll's answer, except where a push arrived after the poll was sent."""
        findings = self._states.merge(polled, self.coordinator.data or {}, started)
        if self._pull.subscription is not None:
            self._pull.count_poll(findings.misses, changed=findings.changed)
            if findings.unlabelled:
                self._pull.fail(
                    ChannelsUnlabelledError("a channel-0 notification was another camera's event")
                )
        return findings.merged

    def diagnostics(self) -> dict[str, Any]:
        """Active source and its health; nothing secret."""
        health = self.health
        remaining = self._pull.remaining()
        return {
            "mode": health.mode,
            "active": health.active,
            "onvif_port": health.onvif_port,
            "poll_interval": self.coordinator.update_interval.total_seconds()
            if self.coordinator.update_interval
            else None,
            "subscribed_since": health.subscribed_since,
            "subscription_expires_in": None if remaining is None else round(remaining, 1),
            "failures_in_a_row": health.failures,
            "fallbacks": health.fallbacks,
            "renewals": health.renewals,
            "notifications": health.notifications,
            "unreadable_notifications": health.unreadable_notifications,
            "corrected_by_poll": health.corrected_by_poll,
            "last_error": health.last_error,
            "next_retry": health.next_retry,
            "onvif_given_up": health.given_up,
        }


def event_source_diagnostics(coordinator: ReolinkPushEventsCoordinator) -> dict[str, Any]:
    """Diagnostics of the entry's event source (none while the entry is unloading)."""
    source = coordinator.source
    if source is None:
        return {"mode": None, "active": "polling"}
    return source.diagnostics()
