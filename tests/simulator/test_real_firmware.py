"""Behaviour real firmware has beyond the guide (sources in simulator/README.md)."""

from typing import Any

import pytest

from simulator.device import CommandReply, Device
from simulator.errors import ApiError

SCHEDULE_V1 = {
    "GetRecV20": ("SetRecV20", "Rec"),
    "GetEmailV20": ("SetEmailV20", "Email"),
    "GetFtpV20": ("SetFtpV20", "Ftp"),
    "GetPushV20": ("SetPushV20", "Push"),
    "GetBuzzerAlarmV20": ("SetBuzzerAlarmV20", "Buzzer"),
}


def device(profile: str = "nvr-8") -> Device:
    """A device with every channel online (an NVR's offline port would answer -99)."""
    dev = Device(profile, username="admin", password="password")
    dev.patch_state({"channels": {str(ch): {"online": True} for ch in dev.profile.offline}})
    return dev


def run(dev: Device, cmd: str, param: dict[str, Any] | None = None) -> dict[str, Any]:
    reply = dev.execute(cmd, 0, param or {}, user="admin")
    assert isinstance(reply, CommandReply)
    return reply.value


def refused(dev: Device, cmd: str, param: dict[str, Any]) -> int:
    with pytest.raises(ApiError) as error:
        dev.execute(cmd, 0, param, user="admin")
    return error.value.code


@pytest.mark.parametrize("get_cmd", SCHEDULE_V1)
def test_schedule_v1_get_has_both_switches(get_cmd: str) -> None:
    _, key = SCHEDULE_V1[get_cmd]
    value = run(device(), get_cmd, {"channel": 3})[key]
    assert value["enable"] in (0, 1)
    assert value["scheduleEnable"] == 1
    assert value["schedule"]["channel"] == 3
    assert "channel" not in value  # the device-wide switch names no channel


@pytest.mark.parametrize("get_cmd", SCHEDULE_V1)
def test_camera_switch_changes_only_that_camera(get_cmd: str) -> None:
    set_cmd, key = SCHEDULE_V1[get_cmd]
    dev = device()
    wide = run(dev, get_cmd, {"channel": 0})[key]["enable"]
    run(dev, set_cmd, {key: {"scheduleEnable": 0, "schedule": {"channel": 3}}})
    states = [run(dev, get_cmd, {"channel": ch})[key] for ch in range(8)]
    assert [s["scheduleEnable"] for s in states] == [1, 1, 1, 0, 1, 1, 1, 1]
    assert {s["enable"] for s in states} == {wide}


@pytest.mark.parametrize("get_cmd", SCHEDULE_V1)
def test_device_switch_needs_no_channel_and_leaves_cameras_alone(get_cmd: str) -> None:
    set_cmd, key = SCHEDULE_V1[get_cmd]
    dev = device()
    run(dev, set_cmd, {key: {"scheduleEnable": 0, "schedule": {"channel": 2}}})
    for wanted in (0, 1):
        run(dev, set_cmd, {key: {"enable": wanted}})
        states = [run(dev, get_cmd, {"channel": ch})[key] for ch in range(8)]
        assert {s["enable"] for s in states} == {wanted}
        assert [s["scheduleEnable"] for s in states] == [1, 1, 0, 1, 1, 1, 1, 1]


def test_schedule_v1_refused_set_changes_neither_part() -> None:
    dev = device()
    before = run(dev, "GetRecV20", {"channel": 1})
    bad = {"Rec": {"enable": 0, "scheduleEnable": 7, "schedule": {"channel": 1}}}
    assert refused(dev, "SetRecV20", bad) == -4
    assert run(dev, "GetRecV20", {"channel": 1}) == before


def test_schedule_v1_restore_resets_both_parts() -> None:
    dev = device()
    run(dev, "SetPushV20", {"Push": {"enable": 0, "scheduleEnable": 0, "schedule": {"channel": 4}}})
    dev.restore_factory()
    push = run(dev, "GetPushV20", {"channel": 4})["Push"]
    assert (push["enable"], push["scheduleEnable"]) == (1, 1)


@pytest.mark.parametrize(
    ("cmd", "param", "read", "path"),
    [
        (
            "SetAudioAlarm",
            {"Audio": {"schedule": {"enable": 1, "channel": 2}}},
            "GetAudioAlarm",
            ("Audio", "schedule", "enable"),
        ),
        (
            "SetAudioAlarmV20",
            {"Audio": {"enable": 1, "schedule": {"channel": 2}}},
            "GetAudioAlarmV20",
            ("Audio", "enable"),
        ),
        (
            "SetRec",
            {"Rec": {"schedule": {"enable": 0, "channel": 2}}},
            "GetRec",
            ("Rec", "schedule", "enable"),
        ),
        (
            "SetMdAlarm",
            {"MdAlarm": {"channel": 2, "useNewSens": 1, "newSens": {"sensDef": 21}}},
            "GetMdAlarm",
            ("MdAlarm", "newSens", "sensDef"),
        ),
    ],
)
def test_channel_is_taken_where_real_clients_put_it(
    cmd: str, param: dict[str, Any], read: str, path: tuple[str, ...]
) -> None:
    dev = device()
    before = run(dev, read, {"channel": 0})
    run(dev, cmd, param)
    value: Any = run(dev, read, {"channel": 2})
    for key in path:
        value = value[key]
    expected: Any = param
    for key in path:
        expected = expected[key] if key in expected else expected["schedule"][key]
    assert value == expected
    assert run(dev, read, {"channel": 0}) == before


def test_channel_where_the_guide_puts_it_still_works() -> None:
    dev = device()
    run(dev, "SetAudioAlarm", {"Audio": {"channel": 1, "schedule": {"enable": 1}}})
    assert run(dev, "GetAudioAlarm", {"channel": 1})["Audio"]["schedule"]["enable"] == 1
    run(dev, "SetAudioAlarm", {"channel": 2, "Audio": {"schedule": {"enable": 1}}})
    assert run(dev, "GetAudioAlarm", {"channel": 2})["Audio"]["schedule"]["enable"] == 1


def test_get_events_reports_motion_ai_and_support_per_channel() -> None:
    dev = device("nvr-8")
    dev.patch_state({"channels": {"2": {"motion": True, "ai": {"people": True}}}})
    events = run(dev, "GetEvents", {"channel": 2})
    assert events["channel"] == 2
    assert events["md"] == {"alarm_state": 1, "support": 1}
    assert events["ai"]["people"] == {"alarm_state": 1, "support": 1}
    assert events["ai"]["vehicle"] == {"alarm_state": 0, "support": 1}
    assert events["ai"]["face"] == {"alarm_state": 0, "support": 0}
    assert "visitor" not in events
    quiet = run(dev, "GetEvents", {"channel": 0})
    assert quiet["md"]["alarm_state"] == 0


def test_get_events_on_a_doorbell_has_the_visitor() -> None:
    dev = device("doorbell")
    dev.patch_state({"channels": {"0": {"visitor": True}}})
    assert run(dev, "GetEvents", {"channel": 0})["visitor"] == {"alarm_state": 1, "support": 1}


def test_older_firmware_lacks_get_events() -> None:
    assert refused(device("wifi"), "GetEvents", {"channel": 0}) == -9
    assert run(device("wifi"), "GetMdState", {"channel": 0}) == {"state": 0}


def test_ai_state_without_ai_is_support_zero() -> None:
    dev = device("nvr-8")  # channel 3 is a plain camera without AI
    dev.patch_state({"channels": {"3": {"ai": {"people": True}}}})
    state = run(dev, "GetAiState", {"channel": 3})
    assert state["channel"] == 3
    assert {entry["support"] for key, entry in state.items() if key != "channel"} == {0}
    assert {entry["alarm_state"] for key, entry in state.items() if key != "channel"} == {0}
    assert run(device("wifi"), "GetAiState", {"channel": 0})["people"]["support"] == 0


def test_chn_type_info_names_the_camera_on_each_port() -> None:
    dev = Device("nvr-8", username="admin", password="password")
    info = run(dev, "GetChnTypeInfo", {"channel": 1})
    assert info["typeInfo"] == dev.profile.channels[1].model
    assert info["firmVer"].startswith("v3.")
    assert info["boardInfo"]
    assert refused(dev, "GetChnTypeInfo", {"channel": 5}) == -99  # the offline port
    assert refused(device("ipc"), "GetChnTypeInfo", {"channel": 0}) == -9


def test_manual_recording_switches_per_channel() -> None:
    dev = device("nvr-8")
    assert run(dev, "GetManualRec", {"channel": 1}) == {"Rec": {"channel": 1, "enable": 0}}
    run(dev, "SetManualRec", {"Rec": {"channel": 1, "enable": 1, "duration": 600}})
    assert run(dev, "GetManualRec", {"channel": 1})["Rec"]["enable"] == 1
    assert run(dev, "GetManualRec", {"channel": 0})["Rec"]["enable"] == 0
    assert refused(dev, "SetManualRec", {"Rec": {"channel": 1, "enable": 2}}) == -4


def test_doorbell_led_uses_its_own_states() -> None:
    dev = device("doorbell")
    assert run(dev, "GetPowerLed", {"channel": 0}) == {
        "PowerLed": {"channel": 0, "eDoorbellLightState": "On"}
    }
    run(dev, "SetPowerLed", {"PowerLed": {"channel": 0, "eDoorbellLightState": "KeepOff"}})
    assert run(dev, "GetPowerLed", {"channel": 0})["PowerLed"]["eDoorbellLightState"] == "KeepOff"
    bad = {"PowerLed": {"channel": 0, "eDoorbellLightState": "Blink"}}
    assert refused(dev, "SetPowerLed", bad) == -4
    chn = run(dev, "GetAbility")["Ability"]["abilityChn"][0]
    assert chn["supportDoorbellLightKeepOff"]["ver"] == 1


@pytest.mark.parametrize("mode", ["manu", "manul"])
def test_siren_takes_both_manual_spellings(mode: str) -> None:
    dev = device("ipc")
    run(dev, "AudioAlarmPlay", {"channel": 0, "alarm_mode": mode, "manual_switch": 1})
    assert dev.siren[0] == {"mode": "manu", "on": True}
    run(dev, "AudioAlarmPlay", {"channel": 0, "alarm_mode": mode, "manual_switch": 0})
    assert dev.siren[0] == {"mode": "manu", "on": False}


def channel_ability(profile: str, channel: int = 0) -> dict[str, int]:
    chn = run(device(profile), "GetAbility")["Ability"]["abilityChn"][channel]
    return {name: entry["ver"] for name, entry in chn.items()}


def test_spotlight_announced_only_by_switch_and_brightness() -> None:
    ability = channel_ability("floodlight")
    assert ability["floodLight"] == 0
    assert ability["supportFLswitch"] == ability["supportFLBrightness"] == 1
    dev = device("floodlight")
    run(dev, "SetWhiteLed", {"WhiteLed": {"channel": 0, "state": 1, "bright": 40}})
    assert run(dev, "GetWhiteLed", {"channel": 0})["WhiteLed"]["bright"] == 40
    assert refused(device("ipc"), "GetWhiteLed", {"channel": 0}) == -9


def test_zoom_only_camera_has_no_pan_tilt() -> None:
    ability = channel_ability("zoom")
    assert (ability["ptzType"], ability["ptzDirection"], ability["ptzCtrl"]) == (1, 0, 2)
    assert ability["ptzPreset"] == ability["ptzPatrol"] == 0
    dev = device("zoom")
    run(dev, "PtzCtrl", {"channel": 0, "op": "ZoomInc", "speed": 10})
    assert run(dev, "GetZoomFocus", {"channel": 0})["ZoomFocus"]["zoom"]["pos"] == 1
    run(dev, "StartZoomFocus", {"ZoomFocus": {"channel": 0, "op": "ZoomPos", "pos": 9}})
    assert run(dev, "GetZoomFocus", {"channel": 0})["ZoomFocus"]["zoom"]["pos"] == 9
    assert refused(dev, "PtzCtrl", {"channel": 0, "op": "Left", "speed": 10}) == -9
    run(dev, "PtzCtrl", {"channel": 0, "op": "Stop"})
    assert refused(dev, "GetPtzPreset", {"channel": 0}) == -9


def test_pan_tilt_cameras_report_direction_control() -> None:
    ability = channel_ability("ptz")
    assert (ability["ptzType"], ability["ptzDirection"]) == (2, 1)
    e1_zoom = channel_ability("nvr-8", 6)
    assert (e1_zoom["ptzType"], e1_zoom["ptzDirection"]) == (5, 1)
    run(device("ptz"), "PtzCtrl", {"channel": 0, "op": "Left", "speed": 10})


@pytest.mark.parametrize("profile", ["ipc", "nvr-8"])
def test_privacy_mask_support_shows_as_an_area(profile: str) -> None:
    mask = run(device(profile), "GetMask", {"channel": 0})["Mask"]
    assert len(mask["area"]) >= 1
    assert set(mask["area"][0]) == {"block", "screen"}
