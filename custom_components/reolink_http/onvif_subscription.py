"""One ONVIF pull-point subscription: created, renewed in time, pulled, and given up when deaf."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from .api.onvif import OnvifError, OnvifEvent, OnvifEventClient, PullPointSubscription

_LOGGER = logging.getLogger(__name__)

# Requested subscription lifetime; renewed RENEW_MARGIN before it ends.
LIFETIME: Final = 600.0
RENEW_MARGIN: Final = 60.0
# One PullMessages stays open this long when nothing happens.
PULL_TIMEOUT: Final = 60.0
UNSUBSCRIBE_TIMEOUT: Final = 3.0
# An empty answer sooner than this means the device ignored the pull timeout.
MIN_EMPTY_PULL: Final = 1.0
# Safety polls in a row that found a change never pushed: the subscription went deaf.
DEAF_AFTER: Final = 2


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


class PullPointLoop:
    """Pulls one subscription until an error ends it; every answered pull goes to `on_answer`."""

    def __init__(
        self, title: str, health: SourceHealth, on_answer: Callable[[list[OnvifEvent]], None]
    ) -> None:
        """Nothing is subscribed before `run`."""
        self.onvif: OnvifEventClient | None = None
        self.subscription: PullPointSubscription | None = None
        self._title = title
        self._health = health
        self._on_answer = on_answer
        self._deaf = asyncio.Event()
        self._polls_with_misses = 0

    async def run(self, onvif: OnvifEventClient) -> None:
        """Subscribe through `onvif`, then renew and pull; only an error returns."""
        self.onvif = onvif
        subscription = await onvif.create_pull_point(LIFETIME)
        self.subscription = subscription
        self._deaf.clear()
        self._polls_with_misses = 0
        while True:
            margin = min(RENEW_MARGIN, subscription.lifetime / 3)
            if subscription.remaining() <= margin:
                await onvif.renew(subscription)
                self._health.renewals += 1
            wait = min(PULL_TIMEOUT, max(1.0, subscription.remaining() - margin))
            asked = time.monotonic()
            events = await self._pull_unless_deaf(onvif, subscription, wait)
            if not events and time.monotonic() - asked < MIN_EMPTY_PULL:
                # A device ignoring the timeout must not be asked in a tight loop.
                await asyncio.sleep(MIN_EMPTY_PULL)
            self._on_answer(events)

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

    def count_poll(self, misses: int) -> None:
        """One safety poll's corrections; several polls in a row mean the subscription went deaf.

        A single one can be a notification still on its way, so it is only counted.
        """
        self._health.corrected_by_poll += misses
        self._polls_with_misses = self._polls_with_misses + 1 if misses else 0
        if self._polls_with_misses >= DEAF_AFTER:
            self._deaf.set()

    def remaining(self) -> float | None:
        """Seconds the subscription has left, None without one."""
        return None if self.subscription is None else self.subscription.remaining()

    async def unsubscribe_quietly(self) -> None:
        """Give the device its subscription slot back; a failure is only logged."""
        subscription, self.subscription = self.subscription, None
        if subscription is not None and self.onvif is not None:
            try:
                async with asyncio.timeout(UNSUBSCRIBE_TIMEOUT):
                    await self.onvif.unsubscribe(subscription)
            except (OnvifError, TimeoutError) as err:
                _LOGGER.debug("%s: ONVIF unsubscribe failed: %s", self._title, err)

    def forget(self) -> None:
        """Start afresh next time: the user may have moved or enabled ONVIF meanwhile."""
        self.subscription = None
        self.onvif = None
