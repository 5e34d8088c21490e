"""3.8 Alarm and 3.10 LED commands (the AI alarm ones live in ai.py)."""

from typing import TYPE_CHECKING, Any

from simulator.commands.base import (
    MISSING_PARAM,
    PARAM_ERROR,
    SCHEDULE_V1_CHANNEL_KEYS,
    Call,
    CommandReply,
    Family,
    Reply,
    Spec,
    feature,
    minmax,
    ok,
    schedule_table,
    schedule_v1,
    text,
)
from simulator.errors import ApiError
from simulator.profiles import CameraKind, Profile

if TYPE_CHECKING:
    from simulator.device import Device

MD_COLS, MD_ROWS = 80, 60
SENS_SLOTS = 4
MAX_ALARM_TIMES = 3
# The guide spells manual mode "manu"; reolink_aio sends "manul". Which firmware takes
# which is not on record, so both are accepted.
MANUAL_MODES = ("manu", "manul")
SPOTLIGHT_ABILITIES = ("floodLight", "supportFLswitch", "supportFLBrightness")
DOORBELL_LED_STATES = ["KeepOff", "Off", "On", "KeepOn", "Always"]


def _sens_slots() -> list[dict[str, int]]:
    return [
        {
            "beginHour": 0,
            "beginMin": 0,
            "enable": int(slot == 0),
            "endHour": 23 if slot == 0 else 0,
            "endMin": 59 if slot == 0 else 0,
            "id": slot,
            "priority": 0,
            "sensitivity": 25 if slot == 0 else 0,
        }
        for slot in range(SENS_SLOTS)
    ]


def _scope() -> dict[str, Any]:
    return {"cols": MD_COLS, "rows": MD_ROWS, "table": "1" * (MD_COLS * MD_ROWS)}


def _alarm(_p: Profile, _k: CameraKind | None, channel: int) -> dict[str, Any]:
    return {
        "channel": channel,
        "scope": _scope(),
        "sens": [
            {k: v for k, v in slot.items() if k not in ("enable", "priority")}
            for slot in _sens_slots()
        ],
        "type": "md",
    }


def _md_alarm(_p: Profile, _k: CameraKind | None, channel: int) -> dict[str, Any]:
    return {
        "channel": channel,
        "newSens": {"sens": _sens_slots(), "sensDef": 25},
        "scope": _scope(),
        "useNewSens": 1,
    }


def _md_alarm_range(_p: Profile, _k: CameraKind | None) -> dict[str, Any]:
    return {
        "newSens": {"sensDef": minmax(1, 50)},
        "scope": {"cols": MD_COLS, "rows": MD_ROWS},
        "useNewSens": "boolean",
    }


def _audio_v20(_p: Profile, _k: CameraKind | None, channel: int) -> dict[str, Any]:
    return {"enable": 0, "schedule": {"channel": channel, "table": schedule_table()}}


def _power_led(_p: Profile, kind: CameraKind | None, channel: int) -> dict[str, Any]:
    # Doorbells drive their ring light through eDoorbellLightState instead of state.
    if kind is not None and kind.doorbell:
        return {"channel": channel, "eDoorbellLightState": "On"}
    return {"channel": channel, "state": "On"}


def _power_led_range(_p: Profile, kind: CameraKind | None) -> dict[str, Any]:
    if kind is not None and kind.doorbell:
        return {"eDoorbellLightState": list(DOORBELL_LED_STATES)}
    return {"state": ["On", "Off"]}


def _white_led(_p: Profile, _k: CameraKind | None, channel: int) -> dict[str, Any]:
    return {
        "LightingSchedule": {"EndHour": 6, "EndMin": 0, "StartHour": 18, "StartMin": 0},
        "bright": 79,
        "channel": channel,
        "mode": 1,
        "state": 0,
        "wIAiDetectType": {"dog_cat": 1, "face": 0, "people": 1, "vehicle": 0},
    }


def _white_led_range(_p: Profile, _k: CameraKind | None) -> dict[str, Any]:
    return {
        "LightingSchedule": {
            "EndHour": minmax(0, 23),
            "EndMin": minmax(0, 59),
            "StartHour": minmax(0, 23),
            "StartMin": minmax(0, 59),
        },
        "bright": minmax(0, 100),
        "mode": [0, 1, 2, 3],
        "state": "boolean",
        "wIAiDetectType": dict.fromkeys(("dog_cat", "face", "people", "vehicle"), "boolean"),
    }


def _spotlight(device: Device, channel: int | None) -> bool:
    """Any of the three ways real firmware announces a spotlight."""
    return any(device.ability_version(name, channel) for name in SPOTLIGHT_ABILITIES)


FAMILIES: tuple[Family, ...] = (
    Family(
        key="Alarm",
        get_cmd="GetAlarm",
        set_cmd="SetAlarm",
        gate=feature("alarmMd"),
        per_channel=True,
        default=_alarm,
        range=lambda _p, _k: {"type": ["md"]},
        fixed=frozenset({"channel", "type"}),
    ),
    Family(
        key="MdAlarm",
        get_cmd="GetMdAlarm",
        set_cmd="SetMdAlarm",
        gate=feature("alarmMd"),
        per_channel=True,
        default=_md_alarm,
        range=_md_alarm_range,
    ),
    Family(
        key="Audio",
        get_cmd="GetAudioAlarm",
        set_cmd="SetAudioAlarm",
        gate=feature("alarmAudio"),
        per_channel=True,
        default=lambda _p, _k, channel: {
            "schedule": {"channel": channel, "enable": 0, "table": "1" * 168},
        },
        range=lambda _p, _k: {"schedule": {"enable": "boolean", "table": text(168)}},
        state_key="AudioAlarm",
    ),
    Family(
        key="Audio",
        get_cmd="GetAudioAlarmV20",
        set_cmd="SetAudioAlarmV20",
        gate=feature("alarmAudio"),
        per_channel=True,
        default=_audio_v20,
        range=lambda _p, _k: {"enable": "boolean"},
        state_key="AudioAlarmV20",
    ),
    Family(
        key="Buzzer",
        get_cmd="GetBuzzerAlarmV20",
        set_cmd="SetBuzzerAlarmV20",
        gate=feature("supportBuzzer"),
        per_channel=True,
        default=lambda _p, _k, channel: {"enable": 1, **schedule_v1(channel)},
        range=lambda _p, _k: {"enable": "boolean", "scheduleEnable": "boolean"},
        state_key="BuzzerAlarmV20",
        channel_keys=SCHEDULE_V1_CHANNEL_KEYS,
    ),
    Family(
        key="IrLights",
        get_cmd="GetIrLights",
        set_cmd="SetIrLights",
        gate=feature("ledControl"),
        per_channel=True,
        default=lambda _p, _k, channel: {"channel": channel, "state": "Auto"},
        range=lambda _p, _k: {"state": ["Auto", "Off"]},
    ),
    Family(
        key="PowerLed",
        get_cmd="GetPowerLed",
        set_cmd="SetPowerLed",
        gate=feature("powerLed"),
        per_channel=True,
        default=_power_led,
        range=_power_led_range,
    ),
    Family(
        key="WhiteLed",
        get_cmd="GetWhiteLed",
        set_cmd="SetWhiteLed",
        gate=_spotlight,
        per_channel=True,
        default=_white_led,
        range=_white_led_range,
    ),
)


def get_md_state(call: Call) -> Reply:
    """3.8.5 GetMdState."""
    return CommandReply({"state": int(call.channel_state["motion"])})


def audio_alarm_play(call: Call) -> Reply:
    """3.8.12 AudioAlarmPlay: ``times`` plays N times, ``manu`` switches on/off."""
    mode = call.param.get("alarm_mode")
    if mode is None:
        raise ApiError(MISSING_PARAM)
    if mode == "times":
        times = call.param.get("times", 1)
        if not isinstance(times, int) or not 1 <= times <= MAX_ALARM_TIMES:
            raise ApiError(PARAM_ERROR)
        call.device.siren[call.channel] = {"mode": "times", "times": times}
    elif mode in MANUAL_MODES:
        switch = call.param.get("manual_switch")
        if switch not in (0, 1):
            raise ApiError(PARAM_ERROR)
        call.device.siren[call.channel] = {"mode": "manu", "on": bool(switch)}
    else:
        raise ApiError(PARAM_ERROR)
    return ok()


SPECS: tuple[Spec, ...] = (
    Spec("GetMdState", get_md_state, feature("alarmMd"), per_channel=True),
    Spec(
        "AudioAlarmPlay",
        audio_alarm_play,
        feature("alarmAudio"),
        per_channel=True,
        channel_required=True,
    ),
)
