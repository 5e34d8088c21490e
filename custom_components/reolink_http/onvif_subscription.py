"""One ONVIF pull-point subscription: created, renewed in time, pulled, and given up when deaf."""

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from .api.onvif import (
    OnvifConnectionError,
    OnvifError,
    OnvifEventClient,
    OnvifTimeoutError,
    PullAnswer,
    PullPointSubscription,
)

_LOGGER = logging.getLogger(__name__)

# Requested subscription lifetime; renewed RENEW_MARGIN before it ends. Core's `reolink`
# asks 15 minutes too: longer would hold one of an NVR's few slots after a crash longer.
LIFETIME: Final = 900.0
RENEW_MARGIN: Final = 60.0
# One PullMessages stays open this long when nothing happens (cameras answer after ~20 s).
PULL_TIMEOUT: Final = 60.0
UNSUBSCRIBE_TIMEOUT: Final = 3.0
# Pulls are paced whatever they return, so a device answering every pull at once is not
# asked in a tight loop: PULL_BURST at once, then PULLS_PER_SECOND. Real cameras pause
# 0.75 s after an event, so their events never wait for this.
PULL_BURST: Final = 5
PULLS_PER_SECOND: Final = 4.0
# An empty answer sooner than this means the device ignored the pull timeout.
MIN_EMPTY_PULL: Final = 1.0
# Safety polls in a row that found a change never pushed: the subscription went deaf.
DEAF_AFTER: Final = 2
# Subscriptions left behind when the port stopped answering, to end once it answers again.
STALE_LIMIT: Final = 3


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
    unreadable_notifications: int = 0
    corrected_by_poll: int = 0
    last_error: str | None = None
    next_retry: float | None = None
    # Why ONVIF is no longer tried for this entry (until it is reloaded); None while it is.
    given_up: str | None = None


class PullPacer:
    """A token bucket: PULL_BURST pulls at once, then PULLS_PER_SECOND."""

    def __init__(self) -> None:
        """A full bucket."""
        self._tokens = float(PULL_BURST)
        self._at = time.monotonic()

    async def wait(self) -> None:
        """Return when the next pull may start."""
        self._refill()
        if self._tokens < 1:
            await asyncio.sleep((1 - self._tokens) / PULLS_PER_SECOND)
            self._refill()
        self._tokens = max(0.0, self._tokens - 1)

    def _refill(self) -> None:
        now = time.monotonic()
        self._tokens = min(PULL_BURST, self._tokens + (now - self._at) * PULLS_PER_SECOND)
        self._at = now


class PullPointLoop:
    """Pulls one subscription until an error ends it; every answered pull goes to `on_answer`."""

    def __init__(
        self, title: str, health: SourceHealth, on_answer: Callable[[PullAnswer], None]
    ) -> None:
        """Nothing is subscribed before `run`."""
        self.onvif: OnvifEventClient | None = None
        self.subscription: PullPointSubscription | None = None
        # Answers since the last readable one held only notifications that could not be read.
        self.unusable = False
        self._title = title
        self._health = health
        self._on_answer = on_answer
        self._failed = asyncio.Event()
        self._failure: OnvifError | None = None
        self._polls_with_misses = 0
        self._stale: list[tuple[OnvifEventClient, PullPointSubscription]] = []
        self._pacer = PullPacer()

    async def run(self, onvif: OnvifEventClient) -> None:
        """Subscribe through `onvif`, then renew and pull; only an error returns."""
        self.onvif = onvif
        await self._end_stale()
        subscription = await onvif.create_pull_point(LIFETIME)
        self.subscription = subscription
        self._failed.clear()
        self._failure = None
        self._polls_with_misses = 0
        self.unusable = False
        while True:
            margin = min(RENEW_MARGIN, subscription.lifetime / 3)
            if subscription.remaining() <= margin:
                await onvif.renew(subscription)
                self._health.renewals += 1
            wait = min(PULL_TIMEOUT, max(1.0, subscription.remaining() - margin))
            await self._pacer.wait()
            asked = time.monotonic()
            answer = await self._pull_unless_failed(onvif, subscription, wait)
            if answer.events:
                self.unusable = False
            elif answer.unreadable:
                self.unusable = True
            self._on_answer(answer)
            told = answer.events or answer.unreadable
            if not told and time.monotonic() - asked < MIN_EMPTY_PULL:
                # A device ignoring the timeout must not be asked in a tight loop.
                await asyncio.sleep(MIN_EMPTY_PULL)

    async def _pull_unless_failed(
        self, onvif: OnvifEventClient, subscription: PullPointSubscription, wait: float
    ) -> PullAnswer:
        """One PullMessages, abandoned as soon as the poll proves the subscription useless."""
        pull = asyncio.ensure_future(onvif.pull_messages(subscription, wait))
        failed = asyncio.ensure_future(self._failed.wait())
        try:
            await asyncio.wait((pull, failed), return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (pull, failed):
                task.cancel()
            await asyncio.gather(pull, failed, return_exceptions=True)
        if self._failure is not None:
            raise self._failure
        return pull.result()

    def fail(self, error: OnvifError) -> None:
        """End the subscription with `error`: the poll proved it useless or misleading."""
        if self._failure is None:
            self._failure = error
            self._failed.set()

    def count_poll(self, misses: int, *, changed: bool) -> None:
        """One poll's findings about the subscription.

        Changes it never pushed in several safety polls in a row mean it went deaf (a
        single one can be a notification still on its way); any change while it delivers
        only notifications that cannot be read means those hid the events.
        """
        self._health.corrected_by_poll += misses
        if self.unusable and changed:
            self.fail(EventsMissedError("notifications cannot be read; the poll found changes"))
        self._polls_with_misses = self._polls_with_misses + 1 if misses else 0
        if self._polls_with_misses >= DEAF_AFTER:
            self.fail(
                EventsMissedError(
                    f"{DEAF_AFTER} safety polls in a row found changes the subscription never sent"
                )
            )

    def remaining(self) -> float | None:
        """Seconds the subscription has left, None without one."""
        return None if self.subscription is None else self.subscription.remaining()

    async def release(self, error: Exception) -> None:
        """After `error`, give the device its slot back: it may still hold the subscription.

        When its port did not answer, that waits for the next attempt, which reaches it.
        """
        if self.subscription is None or self.onvif is None:
            return
        unreachable = isinstance(error, OnvifConnectionError) and not isinstance(
            error, OnvifTimeoutError
        )
        if unreachable:
            self._stale = [*self._stale, (self.onvif, self.subscription)][-STALE_LIMIT:]
            self.subscription = None
        else:
            await self.unsubscribe_quietly()

    async def unsubscribe_quietly(self) -> None:
        """Give the device its subscription slots back; a failure is only logged."""
        subscription, self.subscription = self.subscription, None
        if subscription is not None and self.onvif is not None:
            await self._unsubscribe(self.onvif, subscription)
        await self._end_stale()

    async def _end_stale(self) -> None:
        stale, self._stale = self._stale, []
        for onvif, subscription in stale:
            await self._unsubscribe(onvif, subscription)

    async def _unsubscribe(
        self, onvif: OnvifEventClient, subscription: PullPointSubscription
    ) -> None:
        try:
            async with asyncio.timeout(UNSUBSCRIBE_TIMEOUT):
                await onvif.unsubscribe(subscription)
        except (OnvifError, TimeoutError) as err:
            _LOGGER.debug("%s: ONVIF unsubscribe failed: %s", self._title, err)

    def forget(self) -> None:
        """Start afresh next time: the user may have moved or enabled ONVIF meanwhile."""
        self.subscription = None
        self.onvif = None
