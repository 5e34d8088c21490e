"""Building blocks shared by all command modules: replies, specs, validation."""

import copy
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from simulator.errors import ApiError

if TYPE_CHECKING:
    from simulator.device import Device
    from simulator.profiles import CameraKind, Profile

MISSING_PARAM = -23
PARAM_ERROR = -4
NOT_SUPPORTED = -9
INVALID_CHANNEL = -49
DEVICE_OFFLINE = -99
# The param key under which the server hands a multipart upload's file name and size to
# its command (3.1.11 Upgrade); no real parameter is spelled so.
UPLOAD_KEY = "_upload"
OK_VALUE: dict[str, Any] = {"rspCode": 200}


@dataclass(frozen=True)
class CommandReply:
    """A JSON answer: ``value`` plus ``initial``/``range`` when asked with action 1."""

    value: dict[str, Any]
    initial: dict[str, Any] | None = None
    range: dict[str, Any] | None = None


@dataclass(frozen=True)
class BinaryReply:
    """A file answer (snapshot, recording)."""

    content_type: str
    body: bytes
    filename: str | None = None


Reply = CommandReply | BinaryReply


@dataclass(frozen=True)
class Call:
    """One command as the device sees it."""

    device: Device
    action: int
    param: Mapping[str, Any]
    channel: int | None
    user: str

    @property
    def channel_state(self) -> dict[str, Any]:
        assert self.channel is not None
        channel_state: dict[str, Any] = self.device.state["channels"][self.channel]
        return channel_state

    def section(self, key: str) -> dict[str, Any]:
        """``param[key]`` as a dict; -23 when absent, -4 when not an object."""
        value = self.param.get(key)
        if value is None:
            raise ApiError(MISSING_PARAM)
        if not isinstance(value, Mapping):
            raise ApiError(PARAM_ERROR)
        return dict(value)


Handler = Callable[[Call], Reply]
Gate = Callable[["Device", int | None], bool]


@dataclass(frozen=True)
class Spec:
    """How one command is dispatched."""

    name: str
    handler: Handler
    gate: Gate
    per_channel: bool = False
    channel_required: bool = False
    offline_ok: bool = False
    # Firmware without the command at all answers -9 named "Unknown" (not the gate's -9).
    exists: Callable[[Device], bool] | None = None


def ok() -> CommandReply:
    return CommandReply(dict(OK_VALUE))


def feature(name: str, minimum: int = 1) -> Gate:
    """Gate a command on a GetAbility feature version (channel-level, else device-level)."""

    def gate(device: Device, channel: int | None) -> bool:
        return device.ability_version(name, channel) >= minimum

    return gate


def always(_device: Device, _channel: int | None) -> bool:
    return True


# ---------------------------------------------------------------- config families

DefaultBuilder = Callable[["Profile", "CameraKind | None", int], Any]
RangeBuilder = Callable[["Profile", "CameraKind | None"], dict[str, Any]]


@dataclass(frozen=True, kw_only=True)
class Family:
    """A Get/Set pair storing one settings dict in state (``config[state_key]``).

    ``wrap`` False means the settings are the whole ``value``/``param`` (GetTime,
    GetAiCfg) rather than sitting under ``key``.

    ``channel_keys`` (schedule version 1 objects of NVRs and newer cameras): only these
    keys are stored per channel; every other key is one device-wide setting that each
    channel's Get shows and any channel's Set changes (``Rec.enable`` switches recording
    for the whole NVR, ``Rec.scheduleEnable`` with ``schedule.channel`` one camera).
    """

    key: str
    get_cmd: str
    set_cmd: str | None
    gate: Gate
    per_channel: bool
    default: DefaultBuilder
    range: RangeBuilder
    state_key: str = ""
    wrap: bool = True
    fixed: frozenset[str] = field(default_factory=lambda: frozenset({"channel"}))
    list_range: bool = False
    present: Callable[[Call, dict[str, Any]], dict[str, Any]] | None = None
    on_set: Callable[[Call, Mapping[str, Any]], None] | None = None
    channel_keys: frozenset[str] = frozenset()

    @property
    def store(self) -> str:
        return self.state_key or self.key

    @property
    def split(self) -> bool:
        """Part device-wide, part per channel (see ``channel_keys``)."""
        return bool(self.channel_keys)


def is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_scalar(value: Any, rule: Any) -> None:
    if rule == "boolean":
        if not (is_int(value) or isinstance(value, bool)) or int(value) not in (0, 1):
            raise ApiError(PARAM_ERROR)
    elif isinstance(rule, list):
        if value not in rule or isinstance(value, bool):
            raise ApiError(PARAM_ERROR)
    elif isinstance(rule, Mapping) and _is_bound(rule.get("max")):
        number_ok = is_int(value) or (isinstance(value, float) and isinstance(rule["max"], float))
        if not number_ok or not rule["min"] <= value <= rule["max"]:
            raise ApiError(PARAM_ERROR)
    elif isinstance(rule, Mapping) and "maxLen" in rule and not _fits_text(value, rule):
        raise ApiError(PARAM_ERROR)


def _fits_text(value: Any, rule: Mapping[str, Any]) -> bool:
    return isinstance(value, str) and rule.get("minLen", 0) <= len(value) <= rule["maxLen"]


def _same_kind(value: Any, current: Any) -> bool:
    if is_int(current) or isinstance(current, float):
        return is_int(value) or isinstance(value, float)
    return isinstance(value, type(current))


def merge_validated(current: Any, update: Any, rule: Any) -> Any:
    """``current`` updated with ``update`` after checking it against the ``range`` rule.

    Unknown keys are ignored (as devices do); a wrong type or a value outside the
    range raises -4. Returns a new object, ``current`` is left untouched.
    """
    if isinstance(current, dict):
        if not isinstance(update, Mapping):
            raise ApiError(PARAM_ERROR)
        merged = dict(current)
        sub_rules = rule if isinstance(rule, Mapping) and not _is_leaf_rule(rule) else {}
        for key, new_value in update.items():
            if key not in current:
                continue
            merged[key] = merge_validated(current[key], new_value, sub_rules.get(key))
        return merged
    if isinstance(current, list):
        if not isinstance(update, list):
            raise ApiError(PARAM_ERROR)
        return copy.deepcopy(update)
    if _is_check_rule(rule):
        _check_scalar(update, rule)
        return int(update) if isinstance(update, bool) else update
    if not _same_kind(update, current):
        raise ApiError(PARAM_ERROR)
    return update


def _is_bound(value: Any) -> bool:
    return is_int(value) or isinstance(value, float)


def _is_leaf_rule(rule: Mapping[str, Any]) -> bool:
    # A numeric "max" marks min/max bounds; GetIsp's gain/shutter ranges instead nest
    # bounds under keys called "max" and "min" and must be walked into.
    return _is_bound(rule.get("max")) or "maxLen" in rule


def _is_check_rule(rule: Any) -> bool:
    """Rules that constrain a scalar; other range entries are informative only."""
    return (
        rule == "boolean"
        or isinstance(rule, list)
        or (isinstance(rule, Mapping) and _is_leaf_rule(rule))
    )


def minmax(low: int, high: int) -> dict[str, int]:
    return {"max": high, "min": low}


def text(max_len: int, min_len: int = 0) -> dict[str, int]:
    rule = {"maxLen": max_len}
    if min_len:
        rule["minLen"] = min_len
    return rule


SCHEDULE_V1_CHANNEL_KEYS = frozenset({"scheduleEnable", "schedule"})


def schedule_v1(channel: int) -> dict[str, Any]:
    """The per-camera part of a schedule version 1 object: its switch and week table."""
    return {"schedule": {"channel": channel, "table": schedule_table()}, "scheduleEnable": 1}


def schedule_table(on: bool = True) -> dict[str, Any]:
    """The V20 schedule table: 168 hour flags per alarm type."""
    hours = ("1" if on else "0") * 168
    return {"AI_PEOPLE": hours, "AI_VEHICLE": hours, "AI_DOG_CAT": hours, "MD": hours}
