"""The settings coordinator: every Get some enabled entity reads, in one batched POST."""

import asyncio
import logging
from collections.abc import Callable, Iterable, Mapping
from typing import Any, cast

from homeassistant.core import callback
from homeassistant.helpers.update_coordinator import UpdateFailed

from .api import Command, CommandResult, ReolinkError
from .api.commands import get_channel_status
from .api.fields import AUDIO_FILE_LIST, CHANNEL_STATUS, DEVICE_INFO, PTZ_PATROL, PTZ_PRESET, Source
from .const import DEFAULT_SETTINGS_INTERVAL, DOMAIN, SETTINGS_INTERVAL_PER_CAMERA
from .coordinator import ReolinkCoordinator, SettingKey, call_with_one_retry

_LOGGER = logging.getLogger(__name__)

CHANNEL_STATUS_KEY: SettingKey = (CHANNEL_STATUS, None)
# Answers that change what every entity shows (names, channels online).
DEVICE_WIDE_KEYS: frozenset[SettingKey] = frozenset({CHANNEL_STATUS_KEY, (DEVICE_INFO, None)})

# How long a setup-time settings read waits for other platforms to add their commands:
# platforms start together, but building an NVR's descriptions on a busy machine can
# take longer than 50 ms, and a platform that comes late costs a second request.
JOIN_DELAY = 0.25

# Settings are re-read as soon as the event poll sees the device answer again.
SETTINGS_BACKOFF_CAP = 600.0

# Lists that change only when someone edits them (ours are re-read after our own change):
# a poll reads them in the room its last request has spare, and anyway when the last
# SELDOM_POLLS polls did not (4 minutes on a camera, 10 on an NVR-16). An NVR-16's
# safety read of events then fits beside its settings.
SELDOM_SOURCES: frozenset[Source] = frozenset({PTZ_PRESET, PTZ_PATROL, AUDIO_FILE_LIST})
SELDOM_POLLS = 4


def default_settings_interval(cameras: int) -> int:
    """Seconds between settings polls unless the user chose: longer for a larger NVR."""
    return max(DEFAULT_SETTINGS_INTERVAL, SETTINGS_INTERVAL_PER_CAMERA * cameras)


class ReolinkSettingsCoordinator(ReolinkCoordinator[dict[SettingKey, CommandResult]]):
    """Refreshes, in one POST, every Get command some enabled entity reads.

    Entities register the commands they read as their listener context, so a
    disabled entity costs nothing on the wire.
    """

    purpose = "settings"
    backoff_cap = SETTINGS_BACKOFF_CAP

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Set up polling; keys asked for during setup are read together."""
        super().__init__(*args, **kwargs)
        self._pending_keys: dict[SettingKey, None] = {}
        # Read with the first batch only: what no entity polls (NVR cameras' firmware).
        self._once_keys: dict[SettingKey, None] = dict.fromkeys(self.device.channel_type_keys())
        self._pending_read: asyncio.Task[None] | None = None
        # Gets each NVR channel list this coordinator reads (the events coordinator's).
        self.channel_status_listener: Callable[[object], None] | None = None
        # Keys whose answers the last poll changed; None: tell every entity.
        self._changed: set[SettingKey] | None = None
        # The poll (by number) that last read each key.
        self._polls = 0
        self._read_in: dict[SettingKey, int] = {}

    def wanted_keys(self) -> list[SettingKey]:
        """Base commands plus those of every listening entity, without duplicates."""
        keys: dict[SettingKey, None] = {(DEVICE_INFO, None): None}
        if self.device.is_nvr:
            keys[CHANNEL_STATUS_KEY] = None
        for context in self.async_contexts():
            for key in context or ():
                keys[key] = None
        return list(keys)

    @callback
    def _async_refresh_finished(self) -> None:
        """A failed settings poll starts the events poll, the probe, when it runs seldom.

        With ONVIF healthy the events poll runs only every SAFETY_POLL seconds; without
        this a short outage would leave settings waiting out their own back-off. A poll
        due within the probe's gap notices by itself.
        """
        super()._async_refresh_finished()
        events = self.config_entry.runtime_data.events
        if not self.last_update_success and events.polls_seldom and not events.failing:
            self.config_entry.async_create_task(self.hass, events.async_request_refresh())

    @property
    def device_away(self) -> bool:
        """The event poll, which doubles as the probe of the device's health, fails."""
        return self.config_entry.runtime_data.events.failing

    async def _async_update_data(self) -> dict[SettingKey, CommandResult]:
        if self.device_away:
            # The event poll is already probing the device and re-reads settings
            # the moment it answers; asking here too only adds requests.
            raise UpdateFailed(translation_domain=DOMAIN, translation_key="device_away")
        self._changed = None
        self._polls += 1
        keys = self.wanted_keys()
        # Battery cameras' own settings and those of channels offline at the last poll
        # follow in a second request, only for what the channel list of this very batch
        # shows awake and online: a camera that fell asleep since must not be woken by a
        # stale view, and an offline channel answers nothing but errors.
        first = [key for key in keys if not self._waits_for_channel_list(key)]
        answers = await self._first_batch(*self._split_seldom(first))
        data = self._kept(key for key in keys if key not in answers)
        data.update(answers)
        self._pass_channel_status(data.get(CHANNEL_STATUS_KEY))
        awake = self.askable(
            key for key in keys if key not in first and not self.device.offline(key[1])
        )
        if awake and not self.config_entry.runtime_data.events.reload_scheduled:
            results = await self._device_call(lambda: self.client.execute(requests(awake)))
            data.update(self._answered(awake, results))
        if self.last_update_success and self.data is not None:
            self._changed = changed_keys(self.data, data)
        self.device.apply_settings(data)
        return data

    def _split_seldom(self, keys: list[SettingKey]) -> tuple[list[SettingKey], list[SettingKey]]:
        """`keys` to ask now, and seldom-changing ones that may wait, oldest first."""
        last = self.data or {}

        def can_wait(key: SettingKey) -> bool:
            answered = last.get(key)
            unread_for = self._polls - self._read_in.get(key, -SELDOM_POLLS)
            return (
                key[0] in SELDOM_SOURCES
                and answered is not None
                and answered.ok
                and (unread_for < SELDOM_POLLS)
            )

        waiting = sorted(filter(can_wait, keys), key=self._read_in.__getitem__)
        return [key for key in keys if key not in waiting], waiting

    async def _first_batch(
        self, keys: list[SettingKey], spare: list[SettingKey]
    ) -> dict[SettingKey, CommandResult]:
        """The settings of `keys`, and what fits in the last request's spare room.

        The events' safety read goes first: the safety net then comes with every settings
        poll without a request of its own. Seldom-changing `spare` keys fill what is left.
        """
        events = self.config_entry.runtime_data.events
        room = self.client.room_beside(len(keys))
        read = events.read_beside(room)
        asked = keys + spare[: room - (0 if read is None else len(read.commands))]
        if read is None:
            results = await self._device_call(lambda: self.client.execute(requests(asked)))
        else:
            results, answers = await self._device_call(
                lambda: self.client.execute_with_typed(requests(asked), read.commands)
            )
            events.apply_read(read, answers)
        return self._answered(asked, results)

    def _answered(
        self, keys: list[SettingKey], results: list[CommandResult]
    ) -> dict[SettingKey, CommandResult]:
        """Answers by key, noting the poll that read each."""
        self._read_in.update(dict.fromkeys(keys, self._polls))
        return dict(zip(keys, results, strict=True))

    @callback
    def async_update_listeners(self) -> None:
        """After a poll only the entities whose answers changed write their state.

        Nearly every poll changes nothing; rewriting hundreds of unchanged entities a
        minute was most of an idle NVR's cost. Availability changes and data merged
        after a Set reach every entity.
        """
        changed, self._changed = self._changed, None
        if changed is None or changed & DEVICE_WIDE_KEYS:
            super().async_update_listeners()
            return
        for update_callback, context in list(self._listeners.values()):
            # Entities name the keys they read as their context (see wanted_keys).
            if not context or not changed.isdisjoint(cast("Iterable[SettingKey]", context)):
                update_callback()

    def _waits_for_channel_list(self, key: SettingKey) -> bool:
        source, channel = key
        wakes_camera = source.wakes_camera and self.device.on_battery(channel)
        return wakes_camera or self.device.offline(channel)

    def askable(self, keys: Iterable[SettingKey]) -> list[SettingKey]:
        """The keys that can be read now: a sleeping battery camera is not woken for them.

        Its settings are read when the hub reports it awake; until then the last
        values stay shown.
        """
        return [
            (source, channel)
            for source, channel in keys
            if not (source.wakes_camera and self.device.asleep(channel))
        ]

    def _kept(self, keys: Iterable[SettingKey]) -> dict[SettingKey, CommandResult]:
        last = self.data or {}
        return {key: last[key] for key in keys if key in last}

    def _pass_channel_status(self, result: CommandResult | None) -> None:
        if result is None or not result.ok or self.channel_status_listener is None:
            return
        self.channel_status_listener(get_channel_status().parse(result))

    async def async_refresh_key(self, key: SettingKey) -> None:
        """Re-read one command, e.g. right after a Set, without the whole batch."""
        await self.async_refresh_keys([key])

    async def async_refresh_keys(self, keys: Iterable[SettingKey]) -> None:
        """Re-read some commands in one batch (NVR cameras' firmware before its check)."""
        wanted = list(keys)
        if not wanted:
            return
        results = await call_with_one_retry(
            self.hass, self.config_entry, lambda: self.client.execute(requests(wanted))
        )
        self._merge(self._answered(wanted, results))

    async def async_refresh_if_read(self, key: SettingKey) -> None:
        """Re-read `key` if some enabled entity shows it (after an action changed it)."""
        if self.data is not None and key in self.data:
            await self.async_refresh_key(key)

    async def async_read_keys(self, keys: Iterable[SettingKey]) -> Mapping[SettingKey, Any]:
        """Answers for `keys`, read in one batch shared with every concurrent caller.

        Platforms are set up concurrently and each needs answers before creating
        entities; joining them into one POST keeps a cold start at a few requests.
        """
        wanted = [key for key in dict.fromkeys(keys) if key not in (self.data or {})]
        if wanted:
            self._pending_keys.update(dict.fromkeys(wanted))
            if self._pending_read is None:
                self._pending_read = asyncio.get_running_loop().create_task(self._read_pending())
            await asyncio.shield(self._pending_read)
        return self.data or {}

    async def _read_pending(self) -> None:
        await asyncio.sleep(JOIN_DELAY)
        keys = list({**dict.fromkeys(self.wanted_keys()), **self._once_keys, **self._pending_keys})
        self._once_keys = {}
        keys = self.askable(key for key in keys if key not in (self.data or {}))
        self._pending_keys.clear()
        self._pending_read = None
        try:
            results = await self.client.execute(
                [source.request(channel) for source, channel in keys]
            )
        except ReolinkError as err:
            _LOGGER.debug("Could not read settings before creating entities: %s", err)
            return
        self._merge(self._answered(keys, results))

    def _merge(self, answers: Mapping[SettingKey, CommandResult]) -> None:
        data = {**(self.data or {}), **answers}
        self.device.apply_settings(data)
        self.async_set_updated_data(data)

    async def async_refresh_if_missing(self) -> None:
        """Fetch right away what entities added since the last read need."""
        await self.async_read_keys(self.wanted_keys())


def changed_keys(
    old: Mapping[SettingKey, CommandResult], new: Mapping[SettingKey, CommandResult]
) -> set[SettingKey]:
    """Keys whose answer differs (an error counts as unchanged when kind and text match)."""
    return {key for key, result in new.items() if not _same(old.get(key), result)}


def _same(old: CommandResult | None, new: CommandResult) -> bool:
    if old is None or type(old.error) is not type(new.error) or str(old.error) != str(new.error):
        return False
    return (old.value, old.range) == (new.value, new.range)


def requests(keys: Iterable[SettingKey]) -> list[Command]:
    """The Gets reading `keys`, in their order."""
    return [source.request(channel) for source, channel in keys]
