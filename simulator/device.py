"""The simulated device: state, command dispatch and the factory defaults.

The HTTP server handles Login/Logout/GetOnline/Disconnect and hands every other
command to :meth:`Device.execute`. Replies reference live state: the server
serialises them at once, so nothing is copied per call.
"""

import copy
import random
import time
from collections.abc import Mapping
from typing import Any

from simulator.commands import FAMILIES, SPECS
from simulator.commands.base import (
    DEVICE_OFFLINE,
    INVALID_CHANNEL,
    MISSING_PARAM,
    NOT_SUPPORTED,
    PARAM_ERROR,
    BinaryReply,
    Call,
    CommandReply,
    Family,
    is_int,
)
from simulator.commands.battery import AWAKE_SECONDS, NON_WAKING, battery_defaults
from simulator.commands.hub import chime_state, hub_audio_defaults, hub_tone_defaults
from simulator.errors import ApiError
from simulator.profiles import AI_TYPES, PROFILES, CameraKind, Profile, build_abilities, get_profile

__all__ = ["PROFILES", "BinaryReply", "CommandReply", "Device"]

EVENT_KINDS: tuple[str, ...] = ("motion", *AI_TYPES)
# What a camera's firmware file uploaded through the NVR installs (the fake download
# center, simulator/download_center.py, offers this version as the newest).
CHANNEL_FIRMWARE_VERSION = "v3.1.0.4000_25010100"


def _uid(profile: Profile, channel: int, seed: int) -> str:
    rng = random.Random(f"{profile.name}-{channel}-{seed}")
    return "95270" + "".join(rng.choice("0123456789ABCDEF") for _ in range(11))


class Device:
    """A Reolink camera or NVR answering the Camera HTTP API commands."""

    def __init__(self, profile: str, *, username: str, password: str, seed: int = 0) -> None:
        self.profile: Profile = get_profile(profile)
        self.profile_name = profile
        self.is_nvr = self.profile.is_nvr
        self.channel_count = len(self.profile.channels)
        self.seed = seed
        self.rng = random.Random(seed)
        self._passwords: dict[str, str] = {username: password}
        self.abilities = build_abilities(self.profile)
        self._split_stores = frozenset(family.store for family in FAMILIES if family.split)
        self._initial = self._factory_config()
        self._stamp_identity()
        self._ranges = self._family_ranges()
        self.state: dict[str, Any] = self._initial_state(username)
        # `target`: a camera behind the NVR whose firmware file is being uploaded
        # (UpgradePrepare `ipcChnBit`); `channel_version`: what such a file installs.
        self.upgrade: dict[str, Any] = {
            "started": None,
            "seconds": 3.0,
            "target": None,
            "channel_version": CHANNEL_FIRMWARE_VERSION,
        }
        self.clock_offset = 0.0
        self.ptz_motion: dict[int | None, str] = {}
        self.ptz_check: dict[int, float] = {}
        self.siren: dict[int | None, dict[str, Any]] = {}
        # (channel, file id) of every QuickReplyPlay, in order.
        self.quick_replies: list[tuple[int, int]] = []
        self._pending_off: list[tuple[int, str]] = []
        # Battery cameras: when a woken camera goes back to sleep (None: awake until told).
        self.awake_seconds = AWAKE_SECONDS
        self._awake_until: dict[int, float] = {}
        # (channel, command) of every wake-up, for tests that count them.
        self.wake_log: list[tuple[int, str]] = []

    # ------------------------------------------------------------ state building

    def _kind(self, channel: int | None) -> CameraKind | None:
        return None if channel is None else self.profile.channels[channel]

    def _factory_config(self) -> dict[tuple[str, int | None], Any]:
        """Factory defaults of every family, keyed by (state key, channel)."""
        initial: dict[tuple[str, int | None], Any] = {}
        for family in FAMILIES:
            channels: list[int | None] = (
                list(range(self.channel_count)) if family.per_channel else [None]
            )
            for channel in channels:
                kind = self._kind(channel)
                initial[(family.store, channel)] = family.default(self.profile, kind, channel or 0)
            if family.split:
                self._split_defaults(family, initial)
        return initial

    def _split_defaults(self, family: Family, initial: dict[tuple[str, int | None], Any]) -> None:
        """Device-wide part once (from channel 0's defaults), the rest per channel."""
        first = initial[(family.store, 0)]
        initial[(family.store, None)] = {
            key: value for key, value in first.items() if key not in family.channel_keys
        }
        for channel in range(self.channel_count):
            settings = initial[(family.store, channel)]
            initial[(family.store, channel)] = {
                key: value for key, value in settings.items() if key in family.channel_keys
            }

    def _stamp_identity(self) -> None:
        """MAC and P2P UID of this very device: `--count N` devices must not share them."""
        rng = random.Random(f"{self.profile.name}-identity-{self.seed}")
        tail = ":".join(f"{rng.randrange(256):02x}" for _ in range(3))
        self._initial[("LocalLink", None)]["mac"] = f"ec:71:db:{tail}"
        # An IPC's P2P UID is its channel's UID; an NVR has one of its own.
        owner = 0 if not self.is_nvr else -1
        self._initial[("P2p", None)]["uid"] = _uid(self.profile, owner, self.seed)

    def _family_ranges(self) -> dict[tuple[str, int | None], dict[str, Any]]:
        ranges: dict[tuple[str, int | None], dict[str, Any]] = {}
        for family in FAMILIES:
            channels: list[int | None] = (
                list(range(self.channel_count)) if family.per_channel else [None]
            )
            for channel in channels:
                ranges[(family.store, channel)] = family.range(self.profile, self._kind(channel))
        return ranges

    def _config_copy(self, channel: int | None) -> dict[str, Any]:
        return {
            store: copy.deepcopy(settings)
            for (store, owner), settings in self._initial.items()
            if owner == channel
        }

    def _channel_state(self, channel: int, kind: CameraKind, seed: int) -> dict[str, Any]:
        online = channel not in self.profile.offline
        return {
            "channel": channel,
            "online": online,
            "name": f"Camera{channel + 1:02d}" if self.is_nvr else self.profile.model,
            "model": kind.model if online else "",
            # GetChnTypeInfo `firmVer`; an upload through the NVR replaces it.
            "firmware": kind.firmware,
            "uid": _uid(self.profile, channel, seed),
            "motion": False,
            "ai": dict.fromkeys(AI_TYPES, False),
            "visitor": False,
            # GetPtzCurPos: pan and tilt of a pan/tilt head, moved by PtzCtrl.
            "ptz_position": {"Ppos": 0, "Tpos": 0},
            "config": self._config_copy(channel),
            # Battery cameras sleep until a command wakes them; `wakeups` counts those.
            "sleep": kind.battery,
            "wakeups": 0,
            **({"battery": battery_defaults(channel)} if kind.battery else {}),
            **({"hub_tones": hub_tone_defaults(kind)} if self.profile.is_hub else {}),
        }

    def _device_info(self) -> dict[str, Any]:
        profile = self.profile
        return {
            "B485": 0,
            "IOInputNum": 0,
            "IOOutputNum": 0,
            "audioNum": self.channel_count if self.is_nvr else 1,
            "buildDay": "build 22090600",
            "cfgVer": "v3.0.0.0",
            "channelNum": self.channel_count,
            "detail": f"{profile.item_no}00000000000000",
            "diskNum": 1 if profile.hdd else 0,
            "exactType": profile.device_type,
            "firmVer": "v3.1.0.1162_22090600",
            "frameworkVer": 1,
            "hardVer": profile.hardware,
            "model": profile.model,
            "name": self._initial[("DevName", None)]["name"],
            "pakSuffix": "pak,paks",
            "serial": f"00000000{self.seed:07d}",
            "type": profile.device_type,
            "wifi": int(profile.wifi),
        }

    def _hdd_list(self) -> list[dict[str, Any]]:
        if not self.profile.hdd:
            return []
        return [
            {
                "capacity": 1907729 if self.is_nvr else 122070,
                "format": 1,
                "id": 0,  # real devices (captured GetHddInfo) number disks by "id"
                "mount": 1,
                "number": 0,  # the guide's name for the same
                "size": 523120 if self.is_nvr else 40960,
                "storageType": 1 if self.is_nvr else 2,
            }
        ]

    def _initial_state(self, username: str) -> dict[str, Any]:
        return {
            "profile": self.profile_name,
            "device": self._device_info(),
            "channels": [
                self._channel_state(channel, kind, self.seed)
                for channel, kind in enumerate(self.profile.channels)
            ],
            "config": self._config_copy(None),
            "hdd": self._hdd_list(),
            "performance": {"cpuUsed": 23},
            "firmware": {"new_version_available": False, "new_version": "v3.1.0.2000_23010100"},
            "users": [{"userName": username, "level": "admin"}],
            "hub_audio": hub_audio_defaults(),
            "chimes": [chime_state(i, chime) for i, chime in enumerate(self.profile.chimes)],
        }

    # ------------------------------------------------------------ abilities, configs

    def ability_version(self, name: str, channel: int | None = None) -> int:
        """``ver`` of a GetAbility feature: channel-level first, then device-level."""
        ability = self.abilities["Ability"]
        channels = ability["abilityChn"]
        if channel is not None and name in channels[channel]:
            return int(channels[channel][name]["ver"])
        if name in ability:
            return int(ability[name]["ver"])
        if channel is None:
            return max((int(chn.get(name, {}).get("ver", 0)) for chn in channels), default=0)
        return 0

    def config(self, store: str, channel: int | None) -> Any:
        """The live settings of a family (a dict, or a list for presets and patrols)."""
        owner = self.state if channel is None else self.state["channels"][channel]
        return owner["config"][store]

    def settings(self, store: str, channel: int | None) -> Any:
        """A family's settings as its Get shows them: for schedule version 1 families the
        device-wide part merged with the channel's own part (``channel`` None: device-wide)."""
        own = self.config(store, channel)
        if channel is None or store not in self._split_stores:
            return own
        return {**self.config(store, None), **own}

    def set_config(self, store: str, channel: int | None, settings: Any) -> None:
        owner = self.state if channel is None else self.state["channels"][channel]
        owner["config"][store] = settings

    def initial(self, store: str, channel: int | None) -> Any:
        return self._initial[(store, channel)]

    def range_of(self, store: str, channel: int | None) -> dict[str, Any]:
        return self._ranges[(store, channel)]

    def restore_factory(self) -> None:
        """3.1.12 Restore: every family back to its factory default."""
        self.state["config"] = self._config_copy(None)
        for channel, channel_state in enumerate(self.state["channels"]):
            channel_state["config"] = self._config_copy(channel)

    # ------------------------------------------------------------ users

    def check_login(self, username: str, password: str) -> bool:
        return username in self._passwords and self._passwords[username] == password

    def password_of(self, username: str) -> str | None:
        """The plain password, for digest schemes such as ONVIF's UsernameToken."""
        return self._passwords.get(username)

    def user_level(self, username: str) -> str:
        for user in self.state["users"]:
            if user["userName"] == username:
                return str(user["level"])
        return "guest"

    def add_user(self, username: str, password: str, level: str) -> None:
        self._passwords[username] = password
        self.state["users"].append({"userName": username, "level": level})

    def delete_user(self, username: str) -> None:
        self._passwords.pop(username, None)
        self.state["users"] = [u for u in self.state["users"] if u["userName"] != username]

    def set_password(self, username: str, password: str) -> None:
        self._passwords[username] = password

    # ------------------------------------------------------------ dispatch

    def execute(
        self, cmd: str, action: int, param: Mapping[str, Any], *, user: str
    ) -> CommandReply | BinaryReply:
        """Run one command; raises ApiError with the guide's rspCode on failure."""
        spec = SPECS.get(cmd.lower())
        if spec is None or (spec.exists is not None and not spec.exists(self)):
            raise ApiError(NOT_SUPPORTED, unknown_command=True)
        if not isinstance(param, Mapping):
            raise ApiError(PARAM_ERROR)
        channel = self._resolve_channel(param, spec.channel_required) if spec.per_channel else None
        if channel is not None and not spec.offline_ok and not self._online(channel):
            raise ApiError(DEVICE_OFFLINE)
        if not spec.gate(self, channel):
            raise ApiError(NOT_SUPPORTED)
        if channel is not None and cmd.lower() not in NON_WAKING:
            self._wake(channel, spec.name)
        return spec.handler(Call(self, action, param, channel, user))

    # ------------------------------------------------------------ battery cameras

    def _wake(self, channel: int, cmd: str) -> None:
        """A command the Hub cannot answer itself wakes a sleeping battery camera."""
        if not self.profile.channels[channel].battery:
            return
        self.settle_sleep()
        channel_state = self.state["channels"][channel]
        if channel_state["sleep"]:
            channel_state["sleep"] = False
            channel_state["wakeups"] += 1
            self.wake_log.append((channel, cmd))
        self._awake_until[channel] = self.now() + self.awake_seconds

    def settle_sleep(self) -> None:
        """Cameras woken by a command fall asleep again `awake_seconds` later."""
        now = self.now()
        for channel, until in list(self._awake_until.items()):
            if now >= until:
                self.state["channels"][channel]["sleep"] = True
                del self._awake_until[channel]

    def _online(self, channel: int) -> bool:
        return bool(self.state["channels"][channel]["online"])

    def _resolve_channel(self, param: Mapping[str, Any], required: bool) -> int:
        channel = _find_channel(param)
        if channel is None:
            if required:
                raise ApiError(MISSING_PARAM)
            channel = 0
        if not is_int(channel):
            raise ApiError(PARAM_ERROR)
        if not 0 <= channel < self.channel_count:
            raise ApiError(INVALID_CHANNEL)
        return int(channel)

    # ------------------------------------------------------------ test control

    def patch_state(self, patch: Mapping[str, Any]) -> None:
        """Deep-merge ``patch`` (lists patched by index-string keys); ValueError if invalid."""
        _check_patch(self.state, patch, "state")
        _apply_patch(self.state, patch)

    def random_event(self, rng: random.Random) -> None:
        """One step of the random-motion scenario: end the running event, else start one.

        Steps alternate, so every event stays on for one step and is followed by one
        quiet step: a poller sees it rise and fall even on a one-channel camera.
        """
        if self._pending_off:
            for channel, kind in self._pending_off:
                self._set_event(channel, kind, active=False)
            self._pending_off = []
            return
        online = [ch for ch in self.state["channels"] if ch["online"]]
        if not online:
            return
        channel_state = rng.choice(online)
        index = channel_state["channel"]
        kinds = ["motion", *self.profile.channels[index].ai_types]
        kind = rng.choice(kinds)
        self._set_event(index, kind, active=True)
        self._pending_off.append((index, kind))

    def _set_event(self, channel: int, kind: str, *, active: bool) -> None:
        channel_state = self.state["channels"][channel]
        if kind == "motion":
            channel_state["motion"] = active
        else:
            channel_state["ai"][kind] = active
            channel_state["motion"] = active

    def on_reboot(self) -> None:
        """Alarms do not survive a reboot."""
        for channel_state in self.state["channels"]:
            channel_state["motion"] = False
            channel_state["visitor"] = False
            channel_state["ai"] = dict.fromkeys(AI_TYPES, False)
        self._pending_off = []
        self.ptz_motion.clear()
        self.siren.clear()
        if self.upgrade["started"] is not None:
            self.upgrade["started"] = None
        self.upgrade["target"] = None

    def now(self) -> float:
        """Device clock (SetTime moves it)."""
        return time.time() + self.clock_offset


def _find_channel(param: Mapping[str, Any]) -> Any:
    """``channel`` wherever real firmware puts it, shallowest first.

    Top level (most Gets), inside the section (``AiAlarm.channel``, the guide's
    ``Audio.channel``) or inside its schedule (``Audio.schedule.channel``,
    ``Rec.schedule.channel``): Sets take it where their Get answer has it.
    """
    level: list[Mapping[str, Any]] = [param]
    while level:
        for section in level:
            if "channel" in section:
                return section["channel"]
        level = [
            value for section in level for value in section.values() if isinstance(value, Mapping)
        ]
    return None


def _check_patch(target: Any, patch: Any, path: str) -> None:
    if not isinstance(patch, Mapping):
        raise ValueError(f"{path}: a patch must be an object")  # noqa: TRY004
    for key, value in patch.items():
        if isinstance(target, list):
            if not (isinstance(key, str) and key.isdigit() and int(key) < len(target)):
                raise ValueError(f"{path}: no list item {key!r}")
            current = target[int(key)]
        elif isinstance(target, dict):
            if key not in target:
                raise ValueError(f"{path}: unknown key {key!r}")
            current = target[key]
        else:
            raise ValueError(f"{path}: cannot patch inside a scalar")  # noqa: TRY004
        if isinstance(current, (dict, list)) and isinstance(value, Mapping):
            _check_patch(current, value, f"{path}.{key}")
        elif isinstance(current, (dict, list)):
            raise ValueError(f"{path}.{key}: expected an object")  # noqa: TRY004
        elif not _same_kind(current, value):
            raise ValueError(f"{path}.{key}: expected {type(current).__name__}")


def _same_kind(current: Any, value: Any) -> bool:
    """A patch keeps each value's JSON type (numbers may switch between int and float)."""
    if current is None or isinstance(current, bool) or isinstance(value, bool):
        return current is None or type(current) is type(value)
    numbers = (int, float)
    if isinstance(current, numbers):
        return isinstance(value, numbers)
    return isinstance(value, type(current))


def _apply_patch(target: Any, patch: Mapping[str, Any]) -> None:
    for key, value in patch.items():
        slot: Any = int(key) if isinstance(target, list) else key
        current = target[slot]
        if isinstance(current, (dict, list)) and isinstance(value, Mapping):
            _apply_patch(current, value)
        else:
            target[slot] = copy.deepcopy(value)
