"""Frozen dataclasses for what the integration reads from the device.

Each `from_value` takes the family's `value` object (e.g. `value["Isp"]`) and keeps the
whole mapping in `raw`, so fields the dataclass does not name stay reachable.
"""

import contextlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from types import MappingProxyType
from typing import Any, Final, Self

from .features import SPOTLIGHT_FEATURES
from .sanitize import (
    MAX_AI_TYPES,
    MAX_CHANNELS,
    MAX_DAYS,
    MAX_DISKS,
    MAX_MONTHS,
    MAX_RECORDINGS,
    bounded_count,
    bounded_list,
    clean_name,
)

Raw = Mapping[str, Any]
_EMPTY: Raw = MappingProxyType({})

NVR_TYPES = frozenset({"NVR", "HOMEHUB", "HUB"})
HUB_TYPES = frozenset({"HOMEHUB", "HUB"})
# A 64-bit integer has at most 20 digits; longer strings are not numbers a device means.
_MAX_DIGITS = 20


def as_int(value: Any, default: int = 0) -> int:
    """An int from a JSON number or numeric string, `default` otherwise."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value)
    if isinstance(value, str) and value.lstrip("-").isdigit() and len(value) <= _MAX_DIGITS:
        return int(value)
    return default


def as_bool(value: Any) -> bool:
    """Devices send switches as 0/1, booleans or "On"/"Off"."""
    if isinstance(value, str):
        return value.strip().lower() in {"1", "on", "true", "yes", "auto"}
    return bool(value)


def _flag(value: Any) -> bool:
    """`as_bool` with a fast path for the 0/1 of state answers (read every second)."""
    return value == 1 if type(value) is int else as_bool(value)


def as_str(value: Any) -> str:
    """A string, with None as ""."""
    return "" if value is None else str(value)


def as_name(value: Any) -> str:
    """A name or model Home Assistant shows and stores: short and printable."""
    return clean_name(value)


def as_map(value: Any) -> Raw:
    """A mapping, with anything else as an empty one."""
    # JSON gives dicts; the exact type test spares the slower abstract-class check.
    if type(value) is dict or isinstance(value, Mapping):
        return value
    return _EMPTY


@dataclass(frozen=True, slots=True)
class RawConfig:
    """A thin typed wrapper for families the integration does not interpret."""

    raw: Raw = _EMPTY

    @classmethod
    def from_value(cls, data: Any) -> Self:
        """Wrap any JSON value (lists are kept under the key "items")."""
        return cls(data if isinstance(data, Mapping) else MappingProxyType({"items": data}))

    def get(self, key: str, default: Any = None) -> Any:
        """One field of the raw mapping."""
        return self.raw.get(key, default)


@dataclass(frozen=True, slots=True)
class Ack:
    """The answer of a Set or action command: `rspCode` 200 means accepted."""

    rsp_code: int = 200

    @classmethod
    def from_value(cls, data: Any) -> Self:
        """Read `rspCode`; absent means the device only acknowledged."""
        return cls(as_int(as_map(data).get("rspCode"), 200))


@dataclass(frozen=True, slots=True)
class Token:
    """3.2.1 Login: the token and its lease (spelled `leastTime` in one example)."""

    name: str
    lease: float

    @classmethod
    def from_value(cls, data: Any) -> Self:
        """Read `Token.name` and `leaseTime`/`leastTime`."""
        token = as_map(as_map(data).get("Token"))
        lease = token.get("leaseTime", token.get("leastTime", 3600))
        return cls(as_str(token.get("name")), float(as_int(lease, 3600)))


@dataclass(frozen=True, slots=True)
class DeviceInfo:
    """3.1.2 GetDevInfo."""

    model: str
    name: str
    firmware: str
    hardware: str
    serial: str
    channels: int
    device_type: str
    item_no: str = ""
    exact_type: str = ""
    detail: str = ""
    build_day: str = ""
    config_version: str = ""
    disk_count: int = 0
    wifi: bool = False
    raw: Raw = _EMPTY

    @property
    def is_nvr(self) -> bool:
        """True for a recorder/hub whose channels are separate cameras."""
        kinds = {self.device_type.upper(), self.exact_type.upper()}
        return bool(kinds & NVR_TYPES)

    @property
    def is_hub(self) -> bool:
        """True for a Reolink Home Hub (status light, hub audio, chimes of its own)."""
        kinds = {self.device_type.upper(), self.exact_type.upper()}
        return bool(kinds & HUB_TYPES)

    @classmethod
    def from_value(cls, data: Raw) -> Self:
        """Read the DevInfo mapping."""
        return cls(
            model=as_name(data.get("model")),
            name=as_name(data.get("name")),
            firmware=as_name(data.get("firmVer")),
            hardware=as_name(data.get("hardVer")),
            serial=as_name(data.get("serial")),
            channels=bounded_count(
                "channels (GetDevInfo channelNum)",
                as_int(data.get("channelNum"), 1),
                MAX_CHANNELS,
                1,
            ),
            device_type=as_str(data.get("type")),
            item_no=as_str(data.get("itemNo")),
            exact_type=as_str(data.get("exactType")),
            detail=as_str(data.get("detail")),
            build_day=as_str(data.get("buildDay")),
            config_version=as_str(data.get("cfgVer")),
            disk_count=bounded_count(
                "disks (GetDevInfo diskNum)", as_int(data.get("diskNum")), MAX_DISKS
            ),
            wifi=as_bool(data.get("wifi")),
            raw=data,
        )


@dataclass(frozen=True, slots=True)
class LocalLink:
    """3.3.1 GetLocalLink."""

    mac: str
    active_link: str = ""
    ip: str = ""
    link_type: str = ""
    raw: Raw = _EMPTY

    @classmethod
    def from_value(cls, data: Raw) -> Self:
        """Read the LocalLink mapping."""
        return cls(
            mac=as_name(data.get("mac")).lower(),
            active_link=as_str(data.get("activeLink")),
            ip=as_str(as_map(data.get("static")).get("ip")),
            link_type=as_str(data.get("type")),
            raw=data,
        )


PAN_TILT_TYPES = frozenset({2, 3, 5, 7})
ZOOM_TYPES = frozenset({1, 2, 5})


def _versions(entries: Raw) -> dict[str, int]:
    return {str(name): as_int(as_map(entry).get("ver")) for name, entry in entries.items()}


@dataclass(frozen=True, slots=True)
class Abilities:
    """3.1.1 GetAbility: `ver` 0 means unsupported; NVR channels are gated by `abilityChn`."""

    # Feature -> `ver`; only the numbers are kept, not the answer's objects (an NVR-16's
    # answer decodes to ~370 KiB, held for as long as the device is set up).
    device: Mapping[str, int] = _EMPTY
    channels: tuple[Mapping[str, int], ...] = ()

    @classmethod
    def from_value(cls, data: Raw) -> Self:
        """Read the Ability mapping."""
        per_channel = data.get("abilityChn")
        listed = per_channel if isinstance(per_channel, list) else []
        known = bounded_list("channels (GetAbility abilityChn)", listed, MAX_CHANNELS)
        channels = tuple(_versions(as_map(c)) for c in known)
        return cls(_versions({k: v for k, v in data.items() if k != "abilityChn"}), channels)

    def version(self, feature: str, channel: int | None = None) -> int:
        """The feature's `ver`, read from the channel's entry first when one is given."""
        if channel is not None and 0 <= channel < len(self.channels):
            version = self.channels[channel].get(feature)
            if version is not None:
                return version
        return self.device.get(feature, 0)

    def supports(self, feature: str, channel: int | None = None) -> bool:
        """True when the feature's version is non-zero."""
        return self.version(feature, channel) > 0

    def has_spotlight(self, channel: int | None = None) -> bool:
        """A white LED: real firmware announces it by any of three features.

        RLC-811A/823A report `floodLight` version 0 with `supportFLswitch` 1.
        """
        return any(self.supports(name, channel) for name in SPOTLIGHT_FEATURES)

    def can_pan_tilt(self, channel: int | None = None) -> bool:
        """The camera moves (`ptzType` 2, 3, 5 or 7, or direction control announced).

        `ptzType` 1 is a zoom/focus lens that cannot move (RLC-511W, RLC-811A, RLC-822A).
        """
        kind = self.version("ptzType", channel)
        return kind in PAN_TILT_TYPES or self.supports("ptzDirection", channel)

    def can_zoom(self, channel: int | None = None) -> bool:
        """The lens zooms and focuses (`ptzType` 1, 2 or 5) and takes PtzCtrl."""
        kind = self.version("ptzType", channel)
        return kind in ZOOM_TYPES and self.supports("ptzCtrl", channel)


@dataclass(frozen=True, slots=True)
class ChannelStatus:
    """3.1.20 Getchannelstatus: one channel of an NVR (`typeInfo` is the camera model)."""

    channel: int
    online: bool
    name: str
    model: str
    uid: str = ""
    # Battery cameras behind a Home Hub or NVR: asleep (None where firmware omits it).
    sleep: bool | None = None

    @classmethod
    def from_value(cls, data: Raw) -> Self:
        """Read one element of `status`."""
        sleep = data.get("sleep")
        return cls(
            channel=as_int(data.get("channel")),
            online=as_bool(data.get("online")),
            name=as_name(data.get("name")),
            model=as_name(data.get("typeInfo", data.get("model"))),
            uid=as_name(data.get("uid")),
            sleep=None if sleep is None else as_bool(sleep),
        )


@dataclass(frozen=True, slots=True)
class ChannelType:
    """GetChnTypeInfo (newer NVR firmware, not in the guide): the camera on one port."""

    model: str
    firmware: str
    board: str = ""

    @classmethod
    def from_value(cls, data: Raw) -> Self:
        """Read the answer's value."""
        return cls(
            model=as_name(data.get("typeInfo")),
            firmware=as_name(data.get("firmVer")),
            board=as_name(data.get("boardInfo")),
        )


@dataclass(frozen=True, slots=True)
class OnlineUser:
    """3.2.7 GetOnline: one login the device holds (who, from where, and its session)."""

    user: str
    ip: str
    level: str
    session_id: int
    can_disconnect: bool

    @classmethod
    def from_value(cls, data: Raw) -> Self:
        """Read one element of `User`."""
        return cls(
            user=as_name(data.get("userName")),
            ip=as_name(data.get("ip")),
            level=as_name(data.get("level")),
            session_id=as_int(data.get("sessionId"), -1),
            can_disconnect=as_bool(data.get("canbeDisconn")),
        )


@dataclass(frozen=True, slots=True)
class MdState:
    """3.8.5 GetMdState."""

    channel: int
    motion: bool


@dataclass(frozen=True, slots=True)
class AiTypeState:
    """One object kind of 3.11.3 GetAiState."""

    supported: bool
    alarm: bool


# The four possible states, shared: answers arrive every second for every channel.
AI_TYPE_STATES = {
    (supported, alarm): AiTypeState(supported, alarm)
    for supported in (False, True)
    for alarm in (False, True)
}


@dataclass(frozen=True, slots=True)
class AiState:
    """3.11.3 GetAiState: per object kind, whether supported and currently detected."""

    channel: int
    types: Mapping[str, AiTypeState] = field(default_factory=dict)

    @classmethod
    def from_value(cls, channel: int, data: Raw) -> Self:
        """Read every kind that carries `support`/`alarm_state`."""
        types = {
            kind: AI_TYPE_STATES[_flag(entry.get("support")), _flag(entry.get("alarm_state"))]
            for kind, entry in data.items()
            if type(entry) is dict and ("support" in entry or "alarm_state" in entry)
        }
        if len(types) > MAX_AI_TYPES:
            types = dict(bounded_list("AI kinds", list(types.items()), MAX_AI_TYPES))
        return cls(as_int(data.get("channel"), channel), MappingProxyType(types))

    def detected(self, kind: str) -> bool:
        """True when the device currently reports this kind."""
        state = self.types.get(kind)
        return state is not None and state.alarm

    @property
    def supported_types(self) -> tuple[str, ...]:
        """The kinds the channel can detect."""
        return tuple(kind for kind, state in self.types.items() if state.supported)


@dataclass(frozen=True, slots=True)
class Events:
    """GetEvents (newer firmware, not in the guide): one channel's motion, AI and visitor state.

    `motion` is None where the channel reports no motion detection (`md.support` 0);
    the visitor button of doorbells counts as one more AI kind, as in GetAiState.
    """

    channel: int
    motion: bool | None
    ai: AiState

    @classmethod
    def from_value(cls, channel: int, data: Raw) -> Self:
        """Read `md`, each supported kind under `ai` (smart-AI lists are skipped), `visitor`.

        Read every second for every channel, so it keeps to plain dict operations.
        """
        md = data.get("md")
        motion = None
        if type(md) is dict and md.get("support", 1) != 0:
            motion = _flag(md.get("alarm_state"))
        types: dict[str, AiTypeState] = {}
        ai = data.get("ai")
        if type(ai) is dict:
            for kind, entry in ai.items():
                if type(entry) is not dict:
                    continue
                try:
                    state = _USUAL_KINDS[entry.get("support"), entry.get("alarm_state")]
                except (KeyError, TypeError):  # other values, even lists: read one by one
                    state = _kind_state(entry)
                if state is not None:
                    types[kind] = state
            if len(types) > MAX_AI_TYPES:
                types = dict(bounded_list("AI kinds", list(types.items()), MAX_AI_TYPES))
        if (state := _kind_state(data.get("visitor"))) is not None:
            types["visitor"] = state
        own = as_int(data.get("channel"), channel)
        return cls(own, motion, AiState(own, types))


def _kind_state(entry: Any) -> AiTypeState | None:
    """One GetEvents kind (`ai.*`, `visitor`): its state, None when not supported."""
    if type(entry) is not dict or not _flag(entry.get("support")):
        return None
    return AI_TYPE_STATES[True, _flag(entry.get("alarm_state"))]


# `_kind_state` of the (support, alarm_state) pairs devices send, for a lookup in one
# step. Equal keys (True, 1.0) are read the same way by `_flag`.
_USUAL_KINDS: dict[tuple[Any, Any], AiTypeState | None] = {
    (support, alarm): _kind_state({"support": support, "alarm_state": alarm})
    for support in (0, 1)
    for alarm in (0, 1, None)
}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _channel_of(data: Raw) -> int:
    return as_int(data.get("channel"))


CHIME_REACHABLE = 2  # GetDingDongList `netState` of a chime that answers


@dataclass(frozen=True, slots=True)
class Chime:
    """A chime paired to a Home Hub or doorbell (GetDingDongList `pairedlist` item)."""

    id: int
    name: str
    online: bool

    @classmethod
    def from_value(cls, data: Raw) -> Self:
        """Read one paired chime."""
        return cls(
            id=as_int(data.get("deviceId"), -1),
            name=as_name(data.get("deviceName")),
            online=as_int(data.get("netState")) == CHIME_REACHABLE,
        )


@dataclass(frozen=True, slots=True)
class UserAccount:
    """3.2.3 GetUser: one account and its authorisation level ("admin", "guest"...)."""

    name: str
    level: str

    @classmethod
    def from_value(cls, data: Raw) -> Self:
        """Read one `User` item (the device never sends passwords)."""
        return cls(name=as_str(data.get("userName")), level=as_name(data.get("level")))


@dataclass(frozen=True, slots=True)
class ChimeTunes:
    """One chime of GetDingDongCfg `pairedlist`: the tune per event type, -1 when silent."""

    id: int
    firmware: str
    tunes: Mapping[str, int]

    @classmethod
    def from_value(cls, data: Raw) -> Self:
        """Read one chime's `type` table (`switch` 0 silences an event)."""
        tunes: dict[str, int] = {}
        for event, tone in as_map(data.get("type")).items():
            tone_map = as_map(tone)
            tune = tone_map.get("musicId")
            if isinstance(tune, int) and not isinstance(tune, bool):
                tunes[str(event)] = tune if as_bool(tone_map.get("switch")) else -1
        return cls(as_int(data.get("ringId"), -1), as_name(data.get("version")), tunes)


@dataclass(frozen=True, slots=True)
class PtzPreset:
    """One entry of 3.7.1 GetPtzPreset."""

    channel: int
    id: int
    name: str
    enabled: bool

    @classmethod
    def from_value(cls, data: Raw) -> Self:
        """Read one preset."""
        return cls(
            _channel_of(data),
            as_int(data.get("id")),
            as_name(data.get("name")),
            as_bool(data.get("enable")),
        )


@dataclass(frozen=True, slots=True)
class PtzPatrol:
    """One entry of 3.7.3 GetPtzPatrol."""

    channel: int
    id: int
    name: str
    enabled: bool
    running: bool
    raw: Raw = _EMPTY

    @classmethod
    def from_value(cls, data: Raw) -> Self:
        """Read one patrol."""
        return cls(
            _channel_of(data),
            as_int(data.get("id")),
            as_name(data.get("name")),
            as_bool(data.get("enable")),
            as_bool(data.get("running")),
            data,
        )


@dataclass(frozen=True, slots=True)
class AudioFile:
    """One quick-reply message of GetAudioFileList (doorbells; not in the guide)."""

    id: int
    name: str

    @classmethod
    def from_value(cls, data: Raw) -> Self:
        """Read one message: its `id` and `fileName`."""
        return cls(as_int(data.get("id"), -1), as_name(data.get("fileName")))


@dataclass(frozen=True, slots=True)
class PtzGuard:
    """3.7.14 GetPtzGuard."""

    channel: int
    enabled: bool
    position_set: bool
    timeout: int
    raw: Raw = _EMPTY

    @classmethod
    def from_value(cls, data: Raw) -> Self:
        """Read the PtzGuard mapping."""
        return cls(
            _channel_of(data),
            as_bool(data.get("benable")),
            as_bool(data.get("bexistPos")),
            as_int(data.get("timeout")),
            data,
        )


@dataclass(frozen=True, slots=True)
class FirmwareCheck:
    """3.1.17 CheckFirmware: `newFirmware` non-zero when an update is available."""

    new_firmware: bool
    raw: Raw = _EMPTY

    @classmethod
    def from_value(cls, data: Raw) -> Self:
        """Read `newFirmware`."""
        return cls(as_bool(data.get("newFirmware")), data)


@dataclass(frozen=True, slots=True)
class UpgradeStatus:
    """3.1.19 UpgradeStatus: download progress in percent (`Perset`)."""

    percent: int
    code: int

    @classmethod
    def from_value(cls, data: Raw) -> Self:
        """Read the Status mapping."""
        return cls(as_int(data.get("Perset")), as_int(data.get("code")))


# What started a recording is written into its file name as bits of a hex field
# ("RecM01_20201221_123349_123849_6D28C18_98ADFF.mp4": 6D28C18 is person, schedule and
# motion). Bit 0 is the field's leftmost bit. Cameras and hubs with format version 0 or 1
# share one layout; hubs of version 2 moved schedule, motion and doorbell one bit on.
# Layouts as reolink_aio decodes the names of real devices.
_CAMERA_TRIGGER_BITS: Final = {
    17: "person",
    18: "face",
    19: "vehicle",
    20: "animal",
    23: "timer",
    24: "motion",
    26: "doorbell",
}
# Real names carry 6 to 10 hex digits of flags; a longer field is not one of them.
_MAX_FLAG_DIGITS: Final = 16
_HUB_V1_TRIGGER_BITS: Final = {**_CAMERA_TRIGGER_BITS, 37: "package"}
_HUB_V2_TRIGGER_BITS: Final = {
    17: "person",
    18: "face",
    19: "vehicle",
    20: "animal",
    24: "timer",
    25: "motion",
    27: "doorbell",
    37: "package",
}


def recording_triggers(name: str) -> frozenset[str]:
    """What started a recording, from its file name; empty for names of another form."""
    stem = name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    parts = stem.split("_")
    prefix = parts[0]
    if len(prefix) != 6 or not prefix.startswith("Rec"):
        return frozenset()
    if len(parts) == 6:
        flags, bits = parts[4], _CAMERA_TRIGGER_BITS
    elif len(parts) == 7:
        flags, bits = parts[5], _CAMERA_TRIGGER_BITS
    elif len(parts) == 9:
        version = prefix[4:]
        flags = parts[7]
        bits = _HUB_V2_TRIGGER_BITS if version not in ("00", "01") else _HUB_V1_TRIGGER_BITS
    else:
        return frozenset()
    if len(flags) > _MAX_FLAG_DIGITS:
        return frozenset()
    try:
        value = int(flags, 16)
    except ValueError:
        return frozenset()
    width = len(flags) * 4
    return frozenset(
        trigger for bit, trigger in bits.items() if bit < width and value >> (width - 1 - bit) & 1
    )


@dataclass(frozen=True, slots=True)
class RecordingFile:
    """One file of a 3.6.5 Search answer."""

    name: str
    size: int
    stream: str
    start: Raw
    end: Raw

    @property
    def triggers(self) -> frozenset[str]:
        """What started the recording (person, motion, timer...), from its name."""
        return recording_triggers(self.name)

    @property
    def start_time(self) -> datetime:
        """When the file starts, device local time (datetime.min when unreadable)."""
        return _device_time(self.start)

    @property
    def end_time(self) -> datetime:
        """When the file ends, never before its start."""
        return max(_device_time(self.end), self.start_time)

    @classmethod
    def from_value(cls, data: Raw) -> Self:
        """Read one File element."""
        return cls(
            as_str(data.get("name")),
            as_int(data.get("size")),
            as_str(data.get("type")),
            as_map(data.get("StartTime")),
            as_map(data.get("EndTime")),
        )


def _device_time(stamp: Raw) -> datetime:
    """A Search time object as a naive datetime."""
    try:
        return datetime(
            int(stamp["year"]),
            int(stamp["mon"]),
            int(stamp["day"]),
            int(stamp.get("hour", 0)),
            int(stamp.get("min", 0)),
            int(stamp.get("sec", 0)),
        )
    except (KeyError, TypeError, ValueError):
        return datetime.min


def _days_of_table(month: Raw) -> list[date]:
    """The days a month's `table` marks "1" (one character per day)."""
    try:
        year, number, table = int(month["year"]), int(month["mon"]), str(month["table"])
    except (KeyError, TypeError, ValueError, OverflowError):
        return []
    found = []
    for index, flag in enumerate(table[:MAX_DAYS]):
        if flag != "1":
            continue
        with contextlib.suppress(ValueError):
            found.append(date(year, number, index + 1))
    return found


@dataclass(frozen=True, slots=True)
class SearchResult:
    """3.6.5 Search: recording files and the per-month day tables."""

    channel: int
    files: tuple[RecordingFile, ...]
    status: tuple[Raw, ...]

    @classmethod
    def from_value(cls, data: Raw) -> Self:
        """Read the SearchResult mapping."""
        files = data.get("File")
        status = data.get("Status")
        files = bounded_list("recordings in one search", _list(files), MAX_RECORDINGS)
        months = bounded_list("months in one search", _list(status), MAX_MONTHS)
        return cls(
            _channel_of(data),
            tuple(RecordingFile.from_value(as_map(f)) for f in files),
            tuple(as_map(s) for s in months),
        )

    def recorded_days(self) -> set[date]:
        """Days with recordings in the calendar tables (an `onlyStatus` search)."""
        return {day for month in self.status for day in _days_of_table(month)}


# The GetNetPort switch of each service the integration uses besides HTTP(S).
PORT_SWITCHES: Mapping[str, str] = {"onvif": "onvifEnable", "rtsp": "rtspEnable"}


def closed_ports(net_port: object) -> tuple[str, ...]:
    """The services of PORT_SWITCHES a GetNetPort answer (3.3.17) shows switched off."""
    if not isinstance(net_port, RawConfig):
        return ()
    return tuple(name for name, key in PORT_SWITCHES.items() if net_port.get(key, 1) in (0, False))


def onvif_port(net_port: object) -> int | None:
    """The ONVIF port of a GetNetPort answer (3.3.17), None when ONVIF is off or unknown."""
    if not isinstance(net_port, RawConfig) or not net_port.get("onvifEnable", 1):
        return None
    port = net_port.get("onvifPort")
    return port if isinstance(port, int) and 0 < port < 65536 else None
