"""A virtual clock for Home Assistant's event loop: minutes of timers in seconds."""

import asyncio
from collections.abc import Callable
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.util.async_ import get_scheduled_timer_handles

# Loop turns given, at each stop of the virtual clock, to tasks that outlive the stop.
SETTLE_TURNS = 20


class VirtualClock:
    """Runs Home Assistant's event loop clock ahead of real time, as far as a test says.

    Every timer (coordinator polls, the simulator's reboot) follows the loop's clock,
    so moving it makes each timer fire at its scheduled virtual moment, in order,
    while requests still go over real sockets: a 60 s outage takes a second or two.
    """

    def __init__(self, hass: HomeAssistant) -> None:
        self.hass = hass
        self.now = 0.0
        real_time = hass.loop.time
        hass.loop.time = lambda: real_time() + self.now  # type: ignore[method-assign]

    def restore(self) -> None:
        del self.hass.loop.time  # back to the class's real clock

    def _next_delay(self) -> float | None:
        handles = [h for h in get_scheduled_timer_handles(self.hass.loop) if not h.cancelled()]
        if not handles:
            return None
        return max(0.0, min(h.when() for h in handles) - self.hass.loop.time())

    def _tasks(self) -> set[asyncio.Future[Any]]:
        # Home Assistant's own registry of the tasks it tracks, background ones included.
        return set(self.hass._tasks) | set(self.hass._background_tasks)

    async def _finish_started(self, already_running: set[asyncio.Future[Any]]) -> None:
        """Wait for the tasks started since `already_running` was taken, and theirs.

        As Home Assistant's async_block_till_done does: a loop turn first for work
        handed over with call_soon, then wait until no new task appears.
        """
        while True:
            await asyncio.sleep(0)
            started = [t for t in self._tasks() - already_running if not t.done()]
            if not started:
                return
            await asyncio.wait(started)

    async def advance(self, seconds: float) -> None:
        """Move forward `seconds`, stopping at each timer on the way and letting it run."""
        end = self.now + seconds
        while True:
            delay = self._next_delay()
            step = end - self.now if delay is None else min(end - self.now, delay)
            already_running = {task for task in self._tasks() if not task.done()}
            self.now += max(step, 0.0)
            # One loop turn lets the due timers start their work (polls run as
            # background tasks); all of it must finish before time moves on. Tasks
            # that were running before, such as ONVIF's pull loop, never finish:
            # waiting for them would stop the clock for good.
            await asyncio.sleep(0)
            await self._finish_started(already_running)
            if any(not task.done() for task in already_running):
                # They react to sockets meanwhile (a connection the device dropped, a
                # retry refused); loopback I/O lands within a few loop turns.
                for _ in range(SETTLE_TURNS):
                    await asyncio.sleep(0)
            if self.now >= end:
                return

    async def advance_until(self, condition: Callable[[], bool], within: float) -> None:
        """Move forward in small steps until `condition` holds, at most `within` seconds."""
        end = self.now + within
        while not condition():
            assert self.now < end, "condition not reached"
            await self.advance(0.1)
