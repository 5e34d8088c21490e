"""ONVIF notifications as channel event states, and their merge with the HTTP poll's answers."""

import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Final

from .api.onvif import OnvifError, OnvifEvent
from .coordinator import ChannelEvents
from .device import ReolinkDevice

MOTION: Final = "motion"

type EventKey = tuple[int, str]
type ChannelStates = dict[int, ChannelEvents]


class ChannelsUnlabelledError(OnvifError):
    """An NVR whose notifications do not say which camera they are about (older firmware)."""


@dataclass(frozen=True, slots=True)
class PollFindings:
    """A poll merged with what was pushed, and what it tells about the subscription."""

    merged: ChannelStates
    # States the poll found changed that no push had told.
    misses: int
    # Whether the poll found anything changed since the data it replaces.
    changed: bool
    # An NVR's channel-0 push turned out to be another camera's event.
    unlabelled: bool


class PushedStates:
    """Remembers which states came by push, and when, so a later poll does not undo them.

    An NVR's notifications are trusted to name their camera once one names a channel other
    than 0: older NVR firmware labels every notification channel 0. Until then a push on
    channel 0 only asks for a poll, which also tells whether it was another camera's event.
    """

    def __init__(self, device: ReolinkDevice) -> None:
        """No push seen yet."""
        self._device = device
        self._pushed_at: dict[EventKey, float] = {}
        self._ai_topics_seen = False
        self.channels_labelled = not device.is_nvr
        # Kind -> when a push on channel 0 was held back until a poll could place it.
        self._held_at: dict[str, float] = {}

    def apply(
        self, events: list[OnvifEvent], current: Mapping[int, ChannelEvents]
    ) -> tuple[ChannelStates, bool]:
        """`current` with the events written in, and whether only a poll can complete them.

        Raises ChannelsUnlabelledError for an NVR notification that names no channel.
        """
        self._check_labels(events)
        updated = dict(current)
        now = time.monotonic()
        ask_poll = False
        for event in events:
            kind = event.kind
            channel = self._channel_of(event)
            if kind is None or channel is None:  # no channel: refused by _check_labels
                continue
            if channel == 0 and not self.channels_labelled:
                if event.state or not event.initialized:
                    # Only the poll can tell which camera it was.
                    self._held_at[kind] = now
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

    def _check_labels(self, events: list[OnvifEvent]) -> None:
        if not self._device.is_nvr:
            return
        for event in events:
            if event.kind is None:
                continue
            channel = event.channel
            known = channel is not None and (
                channel in self._device.channels or not self._device.channels_confirmed
            )
            if not known:
                source = (event.source or "")[:20]
                raise ChannelsUnlabelledError(f"notification source {source!r} names no channel")
            self.channels_labelled |= channel != 0

    def merge(
        self,
        polled: Mapping[int, ChannelEvents],
        current: Mapping[int, ChannelEvents],
        started: float,
    ) -> PollFindings:
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
        return PollFindings(
            merged, misses, _changed(polled, current), self._placed_elsewhere(polled, started)
        )

    def _placed_elsewhere(self, polled: Mapping[int, ChannelEvents], started: float) -> bool:
        """Whether a held channel-0 push was another camera's event, as this poll shows."""
        unlabelled = False
        for kind, held_at in list(self._held_at.items()):
            if held_at >= started:
                continue  # the poll was sent before the push: it cannot tell
            del self._held_at[kind]
            on_zero = 0 in polled and _value(polled[0], kind) is True
            elsewhere = any(
                channel != 0 and events.reachable and _value(events, kind) is True
                for channel, events in polled.items()
            )
            unlabelled |= elsewhere and not on_zero
        return unlabelled

    def _channel_of(self, event: OnvifEvent) -> int | None:
        return event.channel if self._device.is_nvr else 0

    def _motion_on_ai_channel(self, events: list[OnvifEvent]) -> bool:
        channels = {
            self._channel_of(event) for event in events if event.kind == MOTION and event.state
        }
        return any(channel is not None and self._device.ai_types(channel) for channel in channels)

    def _supported(self, channel: int, kind: str) -> bool:
        return kind == MOTION or kind in self._device.ai_types(channel)


def _changed(polled: Mapping[int, ChannelEvents], current: Mapping[int, ChannelEvents]) -> bool:
    """Whether any reachable channel's motion or AI state differs between the two."""
    for channel, after in polled.items():
        before = current.get(channel)
        if before is None or not (before.reachable and after.reachable):
            continue
        if before.motion != after.motion or (before.ai or {}) != (after.ai or {}):
            return True
    return False


def _value(events: ChannelEvents, kind: str) -> bool | None:
    if kind == MOTION:
        return events.motion
    return None if events.ai is None else events.ai.get(kind)


def _with(events: ChannelEvents, kind: str, on: bool) -> ChannelEvents:
    if kind == MOTION:
        return replace(events, motion=on)
    return replace(events, ai={**(events.ai or {}), kind: on})
