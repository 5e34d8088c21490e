"""Behaviour real firmware has beyond the guide (see ../shared/reolink-api/real-firmware.md)."""

from __future__ import annotations

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
