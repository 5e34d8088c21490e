"""The `hub` profile over real HTTP: a Home Hub, its sleeping battery cameras and a chime."""

from typing import Any

import pytest

from tests.simulator.conftest import Api, StartSim

DOORBELL = 2


async def _hub(start_sim: StartSim) -> tuple[Api, str]:
    api = await start_sim(profile="hub")
    return api, await api.token()


async def _one(api: Api, token: str, cmd: str, param: dict[str, Any], action: int = 0) -> Any:
    return (await api.post([{"cmd": cmd, "action": action, "param": param}], token=token))[0]


def _wakeups(api: Api) -> list[int]:
    return [channel["wakeups"] for channel in api.sim.device.state["channels"]]


async def test_hub_is_a_recorder_of_battery_cameras(start_sim: StartSim) -> None:
    api, token = await _hub(start_sim)
    info = (await _one(api, token, "GetDevInfo", {}))["value"]["DevInfo"]
    assert (info["type"], info["exactType"], info["channelNum"]) == ("HOMEHUB", "HOMEHUB", 3)
    status = (await _one(api, token, "Getchannelstatus", {}))["value"]["status"]
    assert [(ch["online"], ch["sleep"]) for ch in status] == [(1, 1)] * 3
    ability = (await _one(api, token, "GetAbility", {"User": {"userName": "admin"}}))["value"]
    channels = ability["Ability"]["abilityChn"]
    assert [ch["battery"]["ver"] for ch in channels] == [1, 1, 1]
    assert [ch["mdWithPir"]["ver"] for ch in channels] == [1, 1, 1]
    assert ability["Ability"]["supportDingDongCtrl"]["ver"] == 1
    assert ability["Ability"]["supportBuzzer"]["ver"] == 0


async def test_other_profiles_have_no_sleep_and_no_hub_commands(start_sim: StartSim) -> None:
    api = await start_sim(profile="nvr-8")
    token = await api.token()
    status = (await _one(api, token, "Getchannelstatus", {}))["value"]["status"]
    assert {ch["sleep"] for ch in status} == {0}
    for cmd in ("GetBatteryInfo", "GetPirInfo"):
        assert api.error_code(await _one(api, token, cmd, {"channel": 0})) == -9
    unknown = await _one(api, token, "GetDeviceAudioCfg", {"channel": 0})
    assert (unknown["cmd"], api.error_code(unknown)) == ("Unknown", -9)
    assert api.error_code(await _one(api, token, "GetDingDongList", {})) == -9


async def test_the_hub_answers_for_sleeping_cameras_without_waking_them(
    start_sim: StartSim,
) -> None:
    api, token = await _hub(start_sim)
    batch = [
        {"cmd": cmd, "action": 1, "param": {"channel": channel}}
        for channel in range(3)
        for cmd in ("GetBatteryInfo", "GetPirInfo", "GetEvents", "GetIsp", "GetDeviceAudioCfg")
    ]
    batch.append({"cmd": "Getchannelstatus", "action": 0, "param": {}})
    answers = await api.post(batch, token=token)
    assert all("error" not in answer for answer in answers), answers
    assert answers[0]["value"]["Battery"] == {
        "channel": 0,
        "batteryPercent": 87,
        "chargeStatus": 0,
        "temperature": 21,
    }
    assert _wakeups(api) == [0, 0, 0]
    assert {ch["sleep"] for ch in answers[-1]["value"]["status"]} == {1}


async def test_other_commands_wake_the_camera_once_until_it_sleeps_again(
    start_sim: StartSim,
) -> None:
    api, token = await _hub(start_sim)
    device = api.sim.device
    for _ in range(2):
        assert "error" not in await _one(api, token, "GetEnc", {"channel": 1})
    assert _wakeups(api) == [0, 1, 0]
    assert device.wake_log == [(1, "GetEnc")]
    status = (await _one(api, token, "Getchannelstatus", {}))["value"]["status"]
    assert [ch["sleep"] for ch in status] == [1, 0, 1]
    device.clock_offset += device.awake_seconds
    status = (await _one(api, token, "Getchannelstatus", {}))["value"]["status"]
    assert [ch["sleep"] for ch in status] == [1, 1, 1]
    await _one(api, token, "SetPirInfo", {"pirInfo": {"channel": 1, "enable": 0}})
    assert _wakeups(api) == [0, 2, 0]


async def test_pir_settings_round_trip_within_their_range(start_sim: StartSim) -> None:
    api, token = await _hub(start_sim)
    change = {"channel": 0, "enable": 0, "sensitive": 10, "interval": 60, "reduceAlarm": 0}
    assert "error" not in await _one(api, token, "SetPirInfo", {"pirInfo": change})
    answer = await _one(api, token, "GetPirInfo", {"channel": 0}, action=1)
    assert answer["value"]["pirInfo"] == change
    assert answer["range"]["pirInfo"]["interval"] == {"max": 120, "min": 5}
    for wrong in ({"sensitive": 0}, {"interval": 121}, {"enable": 2}):
        refused = await _one(api, token, "SetPirInfo", {"pirInfo": {"channel": 0, **wrong}})
        assert api.error_code(refused) == -4
    assert (await _one(api, token, "GetPirInfo", {"channel": 0}))["value"]["pirInfo"] == change


async def test_hub_audio_volumes_are_shared_and_tones_per_camera(start_sim: StartSim) -> None:
    api, token = await _hub(start_sim)
    change = {"channel": 0, "alarmVolume": 35, "cuesVolume": 5, "alarmRingToneId": 4}
    answer = await _one(api, token, "SetDeviceAudioCfg", {"DeviceAudioCfg": change})
    assert "error" not in answer
    first = (await _one(api, token, "GetDeviceAudioCfg", {"channel": 0}))["value"]["AudioCfg"]
    other = (await _one(api, token, "GetDeviceAudioCfg", {"channel": 2}))["value"]["AudioCfg"]
    assert (first["alarmVolume"], first["cuesVolume"], first["alarmRingToneId"]) == (35, 5, 4)
    assert (other["alarmVolume"], other["alarmRingToneId"], other["ringToneId"]) == (35, -1, 1)
    for wrong in ({"alarmVolume": 101}, {"ringToneId": 10}, {"alarmRingToneId": -2}):
        body = {"DeviceAudioCfg": {"channel": 0, **wrong}}
        assert api.error_code(await _one(api, token, "SetDeviceAudioCfg", body)) == -4
    nothing = {"DeviceAudioCfg": {"channel": 0}}
    assert api.error_code(await _one(api, token, "SetDeviceAudioCfg", nothing)) == -23


async def test_state_light_switches(start_sim: StartSim) -> None:
    api, token = await _hub(start_sim)
    assert (await _one(api, token, "GetStateLight", {}))["value"] == {"stateLight": {"enable": 1}}
    assert "error" not in await _one(api, token, "SetStateLight", {"stateLight": {"enable": 0}})
    assert (await _one(api, token, "GetStateLight", {}))["value"] == {"stateLight": {"enable": 0}}


async def test_chime_list_options_and_play(start_sim: StartSim) -> None:
    api, token = await _hub(start_sim)
    paired = (await _one(api, token, "GetDingDongList", {}))["value"]["DingDongList"]
    assert paired == {"pairedlist": [{"deviceId": 0, "deviceName": "Hall chime", "netState": 2}]}
    read = {"DingDong": {"id": 0, "option": 2}}
    assert (await _one(api, token, "DingDongOpt", read))["value"]["DingDong"] == {
        "name": "Hall chime",
        "ledState": 1,
        "volLevel": 3,
    }
    write = {"id": 0, "option": 3, "name": "Hall chime", "volLevel": 1, "ledState": 0}
    assert "error" not in await _one(api, token, "DingDongOpt", {"DingDong": write})
    assert (await _one(api, token, "DingDongOpt", read))["value"]["DingDong"]["volLevel"] == 1
    play = {"DingDong": {"id": 0, "option": 4, "musicId": 7}}
    assert "error" not in await _one(api, token, "DingDongOpt", play)
    chime = api.sim.device.state["chimes"][0]
    assert (chime["plays"], chime["lastMusicId"]) == (1, 7)
    assert _wakeups(api) == [0, 0, 0]


@pytest.mark.parametrize(
    "option",
    [
        {"id": 5, "option": 2},
        {"id": 0, "option": 3, "volLevel": 5},
        {"id": 0, "option": 4, "musicId": 10},
        {"id": 0, "option": 9},
    ],
)
async def test_chime_options_out_of_range_are_refused(
    start_sim: StartSim, option: dict[str, Any]
) -> None:
    api, token = await _hub(start_sim)
    assert api.error_code(await _one(api, token, "DingDongOpt", {"DingDong": option})) == -4
    assert api.sim.device.state["chimes"][0]["volLevel"] == 3


async def test_unreachable_chime_is_read_but_not_played(start_sim: StartSim) -> None:
    api, token = await _hub(start_sim)
    api.sim.device.patch_state({"chimes": {"0": {"netState": 0}}})
    paired = (await _one(api, token, "GetDingDongList", {}))["value"]["DingDongList"]
    assert paired["pairedlist"][0]["netState"] == 0
    play = {"DingDong": {"id": 0, "option": 4, "musicId": 1}}
    assert api.error_code(await _one(api, token, "DingDongOpt", play)) == -17


async def test_chime_tones_per_event_type(start_sim: StartSim) -> None:
    api, token = await _hub(start_sim)
    cfg = (await _one(api, token, "GetDingDongCfg", {}))["value"]["DingDongCfg"]["pairedlist"]
    assert [entry["ringId"] for entry in cfg] == [0]
    assert set(cfg[0]["type"]) == {"md", "people", "vehicle", "visitor"}
    change = {"ringId": 0, "type": {"visitor": {"switch": 0, "musicId": 9}}}
    assert "error" not in await _one(api, token, "SetDingDongCfg", {"DingDongCfg": change})
    cfg = (await _one(api, token, "GetDingDongCfg", {}))["value"]["DingDongCfg"]["pairedlist"]
    assert cfg[0]["type"]["visitor"] == {"switch": 0, "musicId": 9}
    wrong = {"ringId": 0, "type": {"package": {"switch": 1, "musicId": 1}}}
    refused = await _one(api, token, "SetDingDongCfg", {"DingDongCfg": wrong})
    assert api.error_code(refused) == -4
