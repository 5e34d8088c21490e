"""Battery cameras behind a Home Hub or NVR: battery state, PIR sensor, sleep.

Not in the guide; shapes from reolink_aio 0.22.0 (its request bodies and parsers,
see simulator/README.md). The Hub answers the commands of ``NON_WAKING`` from what it
keeps of a sleeping camera; any other command for that channel wakes the camera.
"""

from typing import Any

from simulator.commands.base import (
    Call,
    CommandReply,
    Family,
    Reply,
    Spec,
    feature,
    minmax,
)
from simulator.profiles import CameraKind, Profile

# reolink_aio 0.22.0 `NONE_WAKING_COMMANDS` (the HTTP ones): a Hub or NVR answers these
# for a sleeping battery camera without waking it.
NON_WAKING: frozenset[str] = frozenset(
    name.lower()
    for name in (
        "GetIsp",
        "GetEvents",
        "GetMdState",
        "GetAiState",
        "GetIrLights",
        "GetBatteryInfo",
        "GetPirInfo",
        "GetPowerLed",
        "GetAutoFocus",
        "GetDeviceAudioCfg",
        "GetManualRec",
        "GetImage",
        "GetBuzzerAlarmV20",
        "GetEmailV20",
        "GetEmail",
        "GetPushV20",
        "GetPush",
        "GetFtpV20",
        "GetFtp",
        "GetRecV20",
        "GetRec",
        "GetAudioAlarmV20",
        "GetMdAlarm",
        "GetAlarm",
        "GetStateLight",
        "GetHddInfo",
        "GetChannelstatus",
        "GetPushCfg",
    )
)

# How long a woken camera stays awake before it sleeps again (seconds).
AWAKE_SECONDS = 20.0


def battery_defaults(channel: int) -> dict[str, Any]:
    """GetBatteryInfo's `Battery` of a camera on battery: 0 discharging, 1 charging, 2 full."""
    return {"batteryPercent": 87 - 9 * channel, "chargeStatus": 0, "temperature": 21}


def _pir(_p: Profile, _k: CameraKind | None, channel: int) -> dict[str, Any]:
    # `sensitive` counts the other way round from the app's slider (1 most sensitive).
    return {"channel": channel, "enable": 1, "interval": 30, "reduceAlarm": 1, "sensitive": 50}


def _pir_range(_p: Profile, _k: CameraKind | None) -> dict[str, Any]:
    return {
        "enable": "boolean",
        "interval": minmax(5, 120),
        "reduceAlarm": "boolean",
        "sensitive": minmax(1, 100),
    }


def get_battery_info(call: Call) -> Reply:
    """GetBatteryInfo: `Battery` with `batteryPercent`, `chargeStatus`, `temperature`."""
    assert call.channel is not None
    return CommandReply({"Battery": {"channel": call.channel, **call.channel_state["battery"]}})


FAMILIES: tuple[Family, ...] = (
    Family(
        key="pirInfo",
        get_cmd="GetPirInfo",
        set_cmd="SetPirInfo",
        gate=feature("mdWithPir"),
        per_channel=True,
        default=_pir,
        range=_pir_range,
    ),
)

SPECS: tuple[Spec, ...] = (
    Spec("GetBatteryInfo", get_battery_info, feature("battery"), per_channel=True),
)
