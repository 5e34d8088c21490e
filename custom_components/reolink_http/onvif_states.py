"""ONVIF notifications as channel event states, and their merge with the HTTP poll's answers."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import replace
from typing import Final

from .api.onvif import OnvifEvent
from .coordinator import ChannelEvents
from .device import ReolinkDevice

MOTION: Final = "motion"

type EventKey = tuple[int, str]
type ChannelStates = dict[int, ChannelEvents]


class PushedStates:
    """Remembers which states came by push, and when, so a later poll does not undo them."""

    def __init__(self, device: ReolinkDevice) -> None:
        """No push seen yet."""
        self._device = device
        self._pushed_at: dict[EventKey, float] = {}
        self._ai_topics_seen = False

    def apply(
        self, events: list[OnvifEvent], current: Mapping[int, ChannelEvents]
    ) -> tuple[ChannelStates, bool]:
        """`current` with the events written in, and whether only a poll can complete them."""
        updated = dict(current)
        now = time.monotonic()
        ask_poll = False
        for event in events:
            kind = event.kind
            channel = self._channel_of(event)
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
        if not self._ai_topics_seen and self._motion_on_ai_channel(events):
            # Some firmware sends motion only; the poll tells which AI type it was.
            ask_poll = True
        return updated, ask_poll

    def merge(
        self,
        polled: Mapping[int, ChannelEvents],
        current: Mapping[int, ChannelEvents],
        started: float,
    ) -> tuple[ChannelStates, int]:
        """A poll's answer, except where a push arrived after the poll was sent.

        Also counts the states the poll found changed that no push had told.
        Without this a poll answered just before the device pushed "off" would switch the
        sensor back on until the next poll: two needless state changes.
        """
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
        return merged, misses

    def _channel_of(self, event: OnvifEvent) -> int | None:
        return event.channel if self._device.is_nvr else 0

    def _motion_on_ai_channel(self, events: list[OnvifEvent]) -> bool:
        channels = {
            self._channel_of(event) for event in events if event.kind == MOTION and event.state
        }
        return any(channel is not None and self._device.ai_types(channel) for channel in channels)

    def _supported(self, channel: int, kind: str) -> bool:
        return kind == MOTION or kind in self._device.ai_types(channel)


def _value(events: ChannelEvents, kind: str) -> bool | None:
    if kind == MOTION:
        return events.motion
    return None if events.ai is None else events.ai.get(kind)


def _with(events: ChannelEvents, kind: str, on: bool) -> ChannelEvents:
    if kind == MOTION:
        return replace(events, motion=on)
    return replace(events, ai={**(events.ai or {}), kind: on})
