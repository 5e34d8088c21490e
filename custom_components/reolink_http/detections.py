"""The picture of the moment of detection, taken as the detection arrives.

A listener on the events coordinator sees every person, vehicle, animal, face, package
or visitor detection start, whether ONVIF pushed it or a poll found it. It tells the
channel's event entity at once and asks the device for one Snap in the background, so
the binary sensors have their state before the picture is even requested. A camera is
asked at most once a second; detections within that second share its picture.
"""

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Final

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.util import dt as dt_util

from .api import ReolinkError
from .api.features import AI_KIND_NAMES
from .coordinator import ChannelEvents, ReolinkEventsCoordinator
from .detection_store import DetectionPicture, DetectionStore

if TYPE_CHECKING:
    from . import ReolinkConfigEntry

_LOGGER = logging.getLogger(__name__)

# The device's AI type names (GetAiState/GetEvents, ONVIF topics) as users read them.
DETECTION_KINDS: Final[Mapping[str, str]] = AI_KIND_NAMES
# At most one Snap per camera in this many seconds.
SNAP_SPACING: Final = 1.0

type DetectionListener = Callable[[str], None]
type PictureListener = Callable[[DetectionPicture], None]


def detection_kinds(ai_types: tuple[str, ...]) -> list[str]:
    """The detection kinds of a channel's AI types, in a stable order."""
    return [kind for ai_type, kind in DETECTION_KINDS.items() if ai_type in ai_types]


@dataclass(slots=True)
class _Snap:
    """A picture being taken, and the detections waiting for it."""

    kinds: list[str]
    started: float


@dataclass(slots=True)
class _Recent:
    """The last picture a channel took, to share within SNAP_SPACING."""

    taken: float
    picture: DetectionPicture


@dataclass(slots=True)
class _ChannelWatch:
    detection_listeners: list[DetectionListener] = field(default_factory=list)
    picture_listeners: list[PictureListener] = field(default_factory=list)
    snap: _Snap | None = None
    recent: _Recent | None = None
    # When the last Snap was asked for (monotonic); one a second at most.
    last_snap: float = float("-inf")


class DetectionWatcher:
    """Turns rising detection states into events and pictures, per channel."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ReolinkConfigEntry,
        coordinator: ReolinkEventsCoordinator,
        store: DetectionStore,
    ) -> None:
        """Nothing is watched before the first entity listens."""
        self.hass = hass
        self.entry = entry
        self.coordinator = coordinator
        self.store = store
        self._channels: dict[int, _ChannelWatch] = {}
        self._previous: Mapping[int, ChannelEvents] = {}
        self._failing = False
        self._unlisten: CALLBACK_TYPE | None = None
        self.snaps_taken = 0

    @callback
    def _ensure_listening(self) -> None:
        """Listen to the events coordinator from the first entity on (as its sensors do).

        Detections reach the image entity as soon as it is added, even while slower
        platforms of the entry are still being set up.
        """
        if self._unlisten is None:
            self._previous = self.coordinator.data or {}
            self._unlisten = self.coordinator.async_add_listener(self._on_events)

    @callback
    def async_stop(self) -> None:
        """Stop listening (unload)."""
        if self._unlisten is not None:
            self._unlisten()
            self._unlisten = None

    def _watch(self, channel: int) -> _ChannelWatch:
        return self._channels.setdefault(channel, _ChannelWatch())

    @callback
    def add_detection_listener(self, channel: int, listener: DetectionListener) -> CALLBACK_TYPE:
        """Call `listener(kind)` when a detection starts on `channel`."""
        self._ensure_listening()
        listeners = self._watch(channel).detection_listeners
        listeners.append(listener)
        return lambda: listeners.remove(listener)

    @callback
    def add_picture_listener(self, channel: int, listener: PictureListener) -> CALLBACK_TYPE:
        """Call `listener(picture)` for each new picture; none is taken while nobody listens."""
        self._ensure_listening()
        listeners = self._watch(channel).picture_listeners
        listeners.append(listener)
        return lambda: listeners.remove(listener)

    @callback
    def _on_events(self) -> None:
        current = self.coordinator.data or {}
        previous, self._previous = self._previous, current
        for channel, state in current.items():
            for kind in _started(previous.get(channel), state):
                # After every other listener of this update (the binary sensors registered
                # later): their states come first.
                self.hass.loop.call_soon(self._detected, channel, kind)

    @callback
    def _detected(self, channel: int, kind: str) -> None:
        watch = self._watch(channel)
        for listener in list(watch.detection_listeners):
            listener(kind)
        if not watch.picture_listeners:
            return
        now = time.monotonic()
        if watch.snap is not None:
            watch.snap.kinds.append(kind)
        elif now - watch.last_snap < SNAP_SPACING:
            # Within a second of the last Snap: its picture serves (none if it failed).
            if watch.recent is not None and watch.recent.taken == watch.last_snap:
                self._keep(channel, watch.recent.picture.again(kind, dt_util.utcnow()))
        else:
            watch.snap = _Snap([kind], now)
            watch.last_snap = now
            self.entry.async_create_background_task(
                self.hass,
                self._take_picture(channel, watch, dt_util.utcnow()),
                f"{self.entry.title} detection picture {channel}",
            )

    async def _take_picture(self, channel: int, watch: _ChannelWatch, at: datetime) -> None:
        snap = watch.snap
        assert snap is not None
        try:
            image = await self.coordinator.client.snapshot(channel)
        except ReolinkError as err:
            self._log_failure(err)
            return
        finally:
            watch.snap = None
        self.snaps_taken += 1
        if self._failing:
            self._failing = False
            _LOGGER.info("%s: detection pictures work again", self.entry.title)
        key = self.coordinator.device.channel_key(channel)
        first = DetectionPicture(key, snap.kinds[0], at, image)
        watch.recent = _Recent(snap.started, first)
        for kind in snap.kinds:
            self._keep(channel, first.again(kind, first.at))

    @callback
    def _keep(self, channel: int, picture: DetectionPicture) -> None:
        self.store.add(picture)
        for listener in list(self._watch(channel).picture_listeners):
            listener(picture)

    def diagnostics(self) -> dict[str, int]:
        """How many pictures were taken and kept; nothing of the pictures themselves."""
        store = self.store
        return {
            "snaps_taken": self.snaps_taken,
            "kept": len(store.pictures),
            "kept_bytes": store.stored_bytes,
        }

    def _log_failure(self, err: ReolinkError) -> None:
        """Once per run of failures: a busy camera can detect every second."""
        if not self._failing:
            _LOGGER.warning("%s: detection picture failed: %s", self.entry.title, err)
        self._failing = True


def _started(before: ChannelEvents | None, after: ChannelEvents) -> list[str]:
    """Detection kinds that were off in `before` and are on in `after`."""
    if before is None or before.ai is None or after.ai is None:
        return []
    return [
        DETECTION_KINDS[ai_type]
        for ai_type, on in after.ai.items()
        if on and not before.ai.get(ai_type) and ai_type in DETECTION_KINDS
    ]
