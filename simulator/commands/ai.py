"""3.10.7-3.10.9 AI alarm settings and 3.11 AI commands.

Doorbells also report the visitor button in GetAiState as ``visitor``
(``support`` 1), matching their ``supportDoorbell`` ability.
"""

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from simulator.commands.base import (
    MISSING_PARAM,
    PARAM_ERROR,
    Call,
    CommandReply,
    Family,
    Reply,
    Spec,
    feature,
    merge_validated,
    minmax,
    ok,
)
from simulator.errors import ApiError
from simulator.profiles import CameraKind, Profile

if TYPE_CHECKING:
    from simulator.device import Device

REPORTED_TYPES: tuple[str, ...] = ("dog_cat", "face", "people", "vehicle")
# Reported only by firmware that detects them (captured answers of older cameras lack them).
OPTIONAL_TYPES: tuple[str, ...] = ("package", "non-motor vehicle")
AREA_COLS, AREA_ROWS = 80, 60


def _kind(kind: CameraKind | None) -> CameraKind:
    assert kind is not None
    return kind


def _type_flags(kind: CameraKind | None, on: bool = True) -> dict[str, int]:
    supported = _kind(kind).ai_types
    return {name: int(on and name in supported) for name in REPORTED_TYPES}


# Trackers (reolink_aio `set_auto_tracking`): `bSmartTrack` switches tracking, `aiTrack` is
# the method (TrackMethodEnum 2 digital, 3 digital first, 4 pan/tilt first), and the
# seconds before returning after the object disappears or stops.
TRACK_METHODS = [2, 3, 4]


def _ai_cfg(_p: Profile, kind: CameraKind | None, channel: int) -> dict[str, Any]:
    settings = {
        "AiDetectType": _type_flags(kind),
        "aiTrack": 0,
        "channel": channel,
        "trackType": _type_flags(kind, on=_kind(kind).ptz),
    }
    if _kind(kind).tracker:
        settings |= {
            "aiDisappearBackTime": 10,
            "aiStopBackTime": 10,
            "aiTrack": 4,
            "bSmartTrack": 0,
        }
    return settings


def _ai_cfg_range(_p: Profile, kind: CameraKind | None) -> dict[str, Any]:
    flags = dict.fromkeys(REPORTED_TYPES, "boolean")
    limits: dict[str, Any] = {"AiDetectType": flags, "aiTrack": "boolean", "trackType": flags}
    if _kind(kind).tracker:
        limits |= {
            "aiDisappearBackTime": minmax(1, 60),
            "aiStopBackTime": minmax(1, 60),
            "aiTrack": list(TRACK_METHODS),
            "bSmartTrack": "boolean",
        }
    return limits


def _ai_alarm_one(ai_type: str, channel: int) -> dict[str, Any]:
    return {
        "ai_type": ai_type,
        "channel": channel,
        "max_target_height": 1.0,
        "max_target_width": 1.0,
        "min_target_height": 0.0,
        "min_target_width": 0.0,
        "scope": {"area": "1" * (AREA_COLS * AREA_ROWS), "height": AREA_ROWS, "width": AREA_COLS},
        "sensitivity": 50,
        "stay_time": 0,
    }


def _ai_alarms(_p: Profile, kind: CameraKind | None, channel: int) -> dict[str, Any]:
    return {ai_type: _ai_alarm_one(ai_type, channel) for ai_type in _kind(kind).ai_types}


AI_ALARM_RANGE: dict[str, Any] = {
    "max_target_height": {"max": 1.0, "min": 0.0},
    "max_target_width": {"max": 1.0, "min": 0.0},
    "min_target_height": {"max": 1.0, "min": 0.0},
    "min_target_width": {"max": 1.0, "min": 0.0},
    "sensitivity": minmax(0, 100),
    "stay_time": minmax(0, 60),
}

FAMILIES: tuple[Family, ...] = (
    Family(
        key="AiCfg",
        get_cmd="GetAiCfg",
        set_cmd="SetAiCfg",
        gate=feature("supportAi"),
        per_channel=True,
        default=_ai_cfg,
        range=_ai_cfg_range,
        wrap=False,
    ),
    Family(
        key="AiAlarm",
        get_cmd="",
        set_cmd=None,
        gate=feature("supportAi"),
        per_channel=True,
        default=_ai_alarms,
        range=lambda _p, _k: AI_ALARM_RANGE,
    ),
)


def _ai_type(call: Call, value: Any) -> str:
    if value is None:
        raise ApiError(MISSING_PARAM)
    if value not in call.device.profile.channels[call.channel or 0].ai_types:
        raise ApiError(PARAM_ERROR)
    return str(value)


def get_ai_alarm(call: Call) -> Reply:
    """3.10.7 GetAiAlarm: the settings of one AI type (``ai_type``)."""
    ai_type = _ai_type(call, call.param.get("ai_type"))
    value = {"AiAlarm": call.device.config("AiAlarm", call.channel)[ai_type]}
    if call.action != 1:
        return CommandReply(value)
    initial = {"AiAlarm": call.device.initial("AiAlarm", call.channel)[ai_type]}
    return CommandReply(value, initial, {"AiAlarm": AI_ALARM_RANGE})


def set_ai_alarm(call: Call) -> Reply:
    """3.10.8 SetAiAlarm: sensitivity, stay time and target sizes of one AI type."""
    update = call.section("AiAlarm")
    ai_type = _ai_type(call, update.pop("ai_type", None))
    update.pop("channel", None)
    alarms = call.device.config("AiAlarm", call.channel)
    alarms[ai_type] = merge_validated(alarms[ai_type], update, AI_ALARM_RANGE)
    return ok()


def set_alarm_area(call: Call) -> Reply:
    """3.10.9 SetAlarmArea: the detection grid of one AI type (``area`` of width*height)."""
    ai_type = _ai_type(call, call.param.get("ai_type"))
    scope = call.section("scope") if "scope" in call.param else dict(call.param)
    area = scope.get("area")
    if area is None:
        raise ApiError(MISSING_PARAM)
    width = scope.get("width", AREA_COLS)
    height = scope.get("height", AREA_ROWS)
    valid = isinstance(area, str) and set(area) <= {"0", "1"}
    if not valid or width != AREA_COLS or height != AREA_ROWS or len(area) != width * height:
        raise ApiError(PARAM_ERROR)
    alarm = call.device.config("AiAlarm", call.channel)[ai_type]
    alarm["scope"] = {"area": area, "height": height, "width": width}
    return ok()


def _state_entry(flag: bool, supported: bool) -> dict[str, int]:
    return {"alarm_state": int(flag and supported), "support": int(supported)}


def _ai_states(call: Call) -> dict[str, Any]:
    """Per AI type ``alarm_state``/``support``; ``support`` 0 on cameras without it."""
    kind = call.device.profile.channels[call.channel or 0]
    flags: Mapping[str, bool] = call.channel_state["ai"]
    states = {
        ai_type: _state_entry(flags.get(ai_type, False), ai_type in kind.ai_types)
        for ai_type in REPORTED_TYPES
    }
    for ai_type in OPTIONAL_TYPES:
        if ai_type in kind.ai_types:
            states[ai_type] = _state_entry(flags.get(ai_type, False), True)
    return states


def get_ai_state(call: Call) -> Reply:
    """3.11.3 GetAiState; a camera without AI answers ``support: 0`` per type, no error."""
    value: dict[str, Any] = {"channel": call.channel, **_ai_states(call)}
    if call.device.profile.channels[call.channel or 0].doorbell:
        value["visitor"] = _state_entry(call.channel_state["visitor"], True)
    return CommandReply(value)


def get_events(call: Call) -> Reply:
    """GetEvents (newer firmware, not in the guide): motion, AI and visitor in one answer."""
    channel_state = call.channel_state
    value: dict[str, Any] = {
        "ai": _ai_states(call),
        "channel": call.channel,
        "md": _state_entry(channel_state["motion"], True),
    }
    if call.device.profile.channels[call.channel or 0].doorbell:
        value["visitor"] = _state_entry(channel_state["visitor"], True)
    return CommandReply(value)


def _has_events(device: Device) -> bool:
    return device.profile.events


def _always(_device: Device, _channel: int | None) -> bool:
    return True


SPECS: tuple[Spec, ...] = (
    Spec("GetAiAlarm", get_ai_alarm, feature("supportAi"), per_channel=True),
    Spec(
        "SetAiAlarm",
        set_ai_alarm,
        feature("supportAi"),
        per_channel=True,
        channel_required=True,
    ),
    Spec(
        "SetAlarmArea",
        set_alarm_area,
        feature("supportAi"),
        per_channel=True,
        channel_required=True,
    ),
    Spec("GetAiState", get_ai_state, _always, per_channel=True),
    Spec("GetEvents", get_events, _always, per_channel=True, exists=_has_events),
)
