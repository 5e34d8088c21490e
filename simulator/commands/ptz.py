"""3.7 PTZ commands (only channels whose GetAbility reports PTZ)."""

import time
from collections.abc import Mapping
from typing import Any

from simulator.commands.base import (
    MISSING_PARAM,
    NOT_SUPPORTED,
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
    text,
)
from simulator.errors import ApiError
from simulator.profiles import CameraKind, Profile

PRESET_COUNT = 64
PATROL_COUNT = 6
TRACK_COUNT = 6
ZOOM_MAX = 33
FOCUS_MAX = 248
CHECK_SECONDS = 2.0
MOVES = {
    "Stop",
    "Left",
    "Right",
    "Up",
    "Down",
    "LeftUp",
    "LeftDown",
    "RightUp",
    "RightDown",
    "IrisDec",
    "IrisInc",
    "Auto",
}
PAN_TILT = MOVES - {"Stop", "IrisDec", "IrisInc"}
ZOOM_STEPS = {"ZoomInc": ("zoom", 1), "ZoomDec": ("zoom", -1)}
FOCUS_STEPS = {"FocusInc": ("focus", 1), "FocusDec": ("focus", -1)}
PATROL_OPS = {"StartPatrol", "StopPatrol"}
SPEED = minmax(1, 64)
# GetPtzCurPos units: pan 0-2700 (the auto-track limits reolink_aio accepts use the same
# scale), tilt 0-900 (ours: no capture records the tilt range). A move of `speed` shifts
# the position by `speed` units per PtzCtrl command.
PAN_MAX, TILT_MAX = 2700, 900
DIRECTIONS: dict[str, tuple[int, int]] = {
    "Left": (-1, 0),
    "Right": (1, 0),
    "Up": (0, 1),
    "Down": (0, -1),
    "LeftUp": (-1, 1),
    "LeftDown": (-1, -1),
    "RightUp": (1, 1),
    "RightDown": (1, -1),
}


def _presets(_p: Profile, _k: CameraKind | None, channel: int) -> list[dict[str, Any]]:
    named = {1: "Gate", 2: "Yard"}
    return [
        {"channel": channel, "enable": int(i in named), "id": i, "name": named.get(i, "")}
        for i in range(1, PRESET_COUNT + 1)
    ]


def _patrols(_p: Profile, _k: CameraKind | None, channel: int) -> list[dict[str, Any]]:
    return [
        {"channel": channel, "enable": 0, "id": i, "name": "", "preset": [], "running": 0}
        for i in range(1, PATROL_COUNT + 1)
    ]


def _tattern(_p: Profile, _k: CameraKind | None, channel: int) -> dict[str, Any]:
    tracks = [{"enable": 0, "id": i, "name": "", "running": 0} for i in range(1, TRACK_COUNT + 1)]
    return {"channel": channel, "track": tracks}


def _serial_range(_p: Profile, _k: CameraKind | None) -> dict[str, Any]:
    return {
        "baudRate": [1200, 2400, 4800, 9600],
        "ctrlAddr": minmax(1, 64),
        "ctrlProtocol": ["PELCO_D", "PELCO_P"],
        "dataBit": ["CS8", "CS7", "CS6", "CS5"],
        "flowCtrl": ["none", "hard", "xon", "xoff"],
        "parity": ["none", "odd", "even"],
        "stopBit": [1, 2],
    }


FAMILIES: tuple[Family, ...] = (
    Family(
        key="PtzPreset",
        get_cmd="GetPtzPreset",
        set_cmd=None,
        gate=feature("ptzPreset"),
        per_channel=True,
        default=_presets,
        range=lambda _p, _k: {"enable": "boolean", "id": minmax(1, PRESET_COUNT), "name": text(31)},
    ),
    Family(
        key="PtzPatrol",
        get_cmd="GetPtzPatrol",
        set_cmd=None,
        gate=feature("ptzPatrol"),
        per_channel=True,
        default=_patrols,
        range=lambda _p, _k: {
            "enable": "boolean",
            "id": minmax(1, PATROL_COUNT),
            "name": text(31),
            "preset": {
                "dwellTime": minmax(1, 30),
                "id": minmax(1, PRESET_COUNT),
                "speed": SPEED,
            },
        },
    ),
    Family(
        key="PtzTattern",
        get_cmd="GetPtzTattern",
        set_cmd=None,
        gate=feature("ptzTattern"),
        per_channel=True,
        default=_tattern,
        range=lambda _p, _k: {"track": {"enable": "boolean", "id": minmax(1, TRACK_COUNT)}},
    ),
    Family(
        key="PtzSerial",
        get_cmd="GetPtzSerial",
        set_cmd="SetPtzSerial",
        gate=feature("ptzType"),
        per_channel=True,
        default=lambda _p, _k, channel: {
            "baudRate": 1200,
            "channel": channel,
            "ctrlAddr": 1,
            "ctrlProtocol": "PELCO_D",
            "dataBit": "CS8",
            "flowCtrl": "none",
            "parity": "none",
            "stopBit": 1,
        },
        range=_serial_range,
    ),
    Family(
        key="AutoFocus",
        get_cmd="GetAutoFocus",
        set_cmd="SetAutoFocus",
        gate=feature("disableAutoFocus"),
        per_channel=True,
        default=lambda _p, _k, channel: {"channel": channel, "disable": 0},
        range=lambda _p, _k: {"disable": "boolean"},
    ),
    Family(
        key="ZoomFocus",
        get_cmd="GetZoomFocus",
        set_cmd=None,
        gate=feature("ptzCtrl"),
        per_channel=True,
        default=lambda _p, _k, channel: {
            "channel": channel,
            "focus": {"pos": 0},
            "zoom": {"pos": 0},
        },
        range=lambda _p, _k: {
            "focus": {"pos": minmax(0, FOCUS_MAX)},
            "zoom": {"pos": minmax(0, ZOOM_MAX)},
        },
    ),
    # Not in the guide (reolink_aio `set_auto_track_limit`): how far a tracker may pan
    # left and right while tracking, -1 for no limit; asked with the channel inside.
    Family(
        key="PtzTraceSection",
        get_cmd="GetPtzTraceSection",
        set_cmd="SetPtzTraceSection",
        gate=feature("supportAITrackLimit"),
        per_channel=True,
        default=lambda _p, _k, channel: {"LimitLeft": -1, "LimitRight": -1, "channel": channel},
        range=lambda _p, _k: {"LimitLeft": minmax(-1, PAN_MAX), "LimitRight": minmax(-1, PAN_MAX)},
    ),
    Family(
        key="PtzGuard",
        get_cmd="GetPtzGuard",
        set_cmd="SetPtzGuard",
        gate=feature("ptzPreset"),
        per_channel=True,
        default=lambda _p, _k, channel: {
            "benable": 0,
            "bexistPos": 0,
            "channel": channel,
            "timeout": 60,
        },
        range=lambda _p, _k: {"benable": "boolean", "timeout": [60, 120, 300, 600]},
        on_set=lambda call, update: _guard_position(call, update),
    ),
)


def _guard_position(call: Call, update: Mapping[str, Any]) -> None:
    # "bSaveCurrentPos" stores the current view as the guard position; `cmdStr` "toPos"
    # (3.7.15) turns the camera there, refused (-4, ours) while no position is stored.
    guard = call.device.config("PtzGuard", call.channel)
    if update.get("bSaveCurrentPos"):
        guard["bexistPos"] = 1
    if update.get("cmdStr") == "toPos":
        if not guard["bexistPos"]:
            raise ApiError(PARAM_ERROR)
        call.device.ptz_motion[call.channel] = "guard"


def _replace_by_id(items: list[dict[str, Any]], update: Mapping[str, Any], rule: Any) -> None:
    ident = update.get("id")
    if ident is None:
        raise ApiError(MISSING_PARAM)
    for index, item in enumerate(items):
        if item["id"] == ident:
            items[index] = merge_validated(
                item, {k: v for k, v in update.items() if k != "id"}, rule
            )
            return
    raise ApiError(PARAM_ERROR)


def set_ptz_preset(call: Call) -> Reply:
    """3.7.2 SetPtzPreset: name/enable one preset (enable stores the current view)."""
    update = call.section("PtzPreset")
    update.pop("channel", None)
    presets = call.device.config("PtzPreset", call.channel)
    rule = call.device.range_of("PtzPreset", call.channel)
    _replace_by_id(presets, update, rule)
    return ok()


def set_ptz_patrol(call: Call) -> Reply:
    """3.7.4 SetPtzPatrol: one patrol's presets, dwell times and speeds."""
    update = call.section("PtzPatrol")
    update.pop("channel", None)
    for stop in update.get("preset", []):
        if not isinstance(stop, Mapping):
            raise ApiError(PARAM_ERROR)
        rule = call.device.range_of("PtzPatrol", call.channel)["preset"]
        merge_validated({"dwellTime": 1, "id": 1, "speed": 1}, stop, rule)
    patrols = call.device.config("PtzPatrol", call.channel)
    _replace_by_id(patrols, update, call.device.range_of("PtzPatrol", call.channel))
    return ok()


def set_ptz_tattern(call: Call) -> Reply:
    """3.7.9 SetPtzTattern: updates the listed tracks by id."""
    update = call.section("PtzTattern")
    tracks = update.get("track")
    if not isinstance(tracks, list):
        raise ApiError(MISSING_PARAM)
    stored = call.device.config("PtzTattern", call.channel)["track"]
    for track in tracks:
        if not isinstance(track, Mapping):
            raise ApiError(PARAM_ERROR)
        _replace_by_id(stored, track, {"enable": "boolean"})
    return ok()


def _step(call: Call, axis: str, direction: int) -> None:
    position = call.device.config("ZoomFocus", call.channel)[axis]
    limit = ZOOM_MAX if axis == "zoom" else FOCUS_MAX
    position["pos"] = max(0, min(limit, position["pos"] + direction))


def _speed(call: Call) -> None:
    speed = call.param.get("speed", 32)
    if not isinstance(speed, int) or not SPEED["min"] <= speed <= SPEED["max"]:
        raise ApiError(PARAM_ERROR)


def _to_preset(call: Call) -> None:
    ident = call.param.get("id")
    presets = call.device.config("PtzPreset", call.channel)
    if not any(p["id"] == ident and p["enable"] for p in presets):
        raise ApiError(PARAM_ERROR)
    call.device.ptz_motion[call.channel] = f"preset {ident}"


def _patrol(call: Call, op: str) -> None:
    ident = call.param.get("id", 1)
    patrols: Any = call.device.config("PtzPatrol", call.channel)
    for patrol in patrols:
        if patrol["id"] == ident:
            patrol["running"] = int(op == "StartPatrol")
            return
    raise ApiError(PARAM_ERROR)


def ptz_ctrl(call: Call) -> Reply:
    """3.7.5 PtzCtrl: moves, zoom/focus steps, presets and patrols; unknown op -> -4."""
    op = call.param.get("op")
    if op is None:
        raise ApiError(MISSING_PARAM)
    _speed(call)
    if op in MOVES:
        if op in PAN_TILT and not call.device.ability_version("ptzDirection", call.channel):
            raise ApiError(NOT_SUPPORTED)  # a zoom-only lens has no pan/tilt head
        call.device.ptz_motion[call.channel] = "" if op == "Stop" else op
        _move_position(call, op)
    elif op in ZOOM_STEPS or op in FOCUS_STEPS:
        axis, direction = {**ZOOM_STEPS, **FOCUS_STEPS}[op]
        _step(call, axis, direction)
    elif op == "ToPos":
        _to_preset(call)
    elif op in PATROL_OPS:
        _patrol(call, op)
    else:
        raise ApiError(PARAM_ERROR)
    return ok()


def start_zoom_focus(call: Call) -> Reply:
    """3.7.13 StartZoomFocus: ZoomPos / FocusPos to an absolute position."""
    request = call.section("ZoomFocus")
    op, pos = request.get("op"), request.get("pos")
    axes = {"ZoomPos": ("zoom", ZOOM_MAX), "FocusPos": ("focus", FOCUS_MAX)}
    if op is None or pos is None:
        raise ApiError(MISSING_PARAM)
    if op not in axes or not isinstance(pos, int):
        raise ApiError(PARAM_ERROR)
    axis, limit = axes[op]
    if not 0 <= pos <= limit:
        raise ApiError(PARAM_ERROR)
    call.device.config("ZoomFocus", call.channel)[axis]["pos"] = pos
    return ok()


def _move_position(call: Call, op: str) -> None:
    pan, tilt = DIRECTIONS.get(op, (0, 0))
    speed = call.param.get("speed", 32)
    position = call.channel_state["ptz_position"]
    position["Ppos"] = max(0, min(PAN_MAX, position["Ppos"] + pan * speed))
    position["Tpos"] = max(0, min(TILT_MAX, position["Tpos"] + tilt * speed))


def get_ptz_cur_pos(call: Call) -> Reply:
    """GetPtzCurPos (not in the guide; reolink_aio asks `{"PtzCurPos": {"channel"}}`)."""
    return CommandReply(
        {"PtzCurPos": {"channel": call.channel, **call.channel_state["ptz_position"]}}
    )


def get_ptz_check_state(call: Call) -> Reply:
    """3.7.16 GetPtzCheckState: 0 idle, 1 checking, 2 done."""
    started = call.device.ptz_check.get(call.channel or 0)
    checking = started is not None and time.monotonic() - started < CHECK_SECONDS
    state = 0 if started is None else 1 if checking else 2
    return CommandReply({"PtzCheckState": state})


def ptz_check(call: Call) -> Reply:
    """3.7.17 PtzCheck: starts the calibration run."""
    call.device.ptz_check[call.channel or 0] = time.monotonic()
    return ok()


def _channel_spec(name: str, handler: Any, gate_feature: str) -> Spec:
    return Spec(name, handler, feature(gate_feature), per_channel=True, channel_required=True)


SPECS: tuple[Spec, ...] = (
    _channel_spec("SetPtzPreset", set_ptz_preset, "ptzPreset"),
    _channel_spec("SetPtzPatrol", set_ptz_patrol, "ptzPatrol"),
    _channel_spec("SetPtzTattern", set_ptz_tattern, "ptzTattern"),
    _channel_spec("PtzCtrl", ptz_ctrl, "ptzType"),
    _channel_spec("StartZoomFocus", start_zoom_focus, "ptzCtrl"),
    Spec("GetPtzCheckState", get_ptz_check_state, feature("supportPtzCheck"), per_channel=True),
    Spec("GetPtzCurPos", get_ptz_cur_pos, feature("ptzDirection"), per_channel=True),
    _channel_spec("PtzCheck", ptz_check, "supportPtzCheck"),
)
