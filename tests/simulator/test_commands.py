"""Every command of the guide, over real HTTP on 127.0.0.1, per profile."""

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from simulator.device import Device
from tests.simulator.conftest import Api, StartSim

COMMANDS = (Path(__file__).parents[2] / "simulator" / "data" / "commands.txt").read_text().split()
SESSION_COMMANDS = {"Login", "Logout", "GetOnline", "Disconnect"}
BINARY = {"Snap", "Download", "Playback"}
TESTED_PROFILES = ("ipc", "ptz", "floodlight", "doorbell", "wifi", "nvr-16")

WIFI = {"GetWifi", "SetWifi", "TestWifi", "ScanWifi", "GetWifiSignal"}
PTZ = {
    "GetPtzPreset",
    "SetPtzPreset",
    "GetPtzPatrol",
    "SetPtzPatrol",
    "PtzCtrl",
    "GetPtzSerial",
    "SetPtzSerial",
    "GetPtzTattern",
    "SetPtzTattern",
    "GetAutoFocus",
    "SetAutoFocus",
    "GetZoomFocus",
    "StartZoomFocus",
    "GetPtzGuard",
    "SetPtzGuard",
    "GetPtzCheckState",
    "PtzCheck",
}
# GetAiState is not here: cameras without AI answer it with support 0 (real firmware).
AI = {"GetAiAlarm", "SetAiAlarm", "SetAlarmArea", "GetAiCfg", "SetAiCfg"}
SIREN = {
    "GetAudioAlarm",
    "SetAudioAlarm",
    "GetAudioAlarmV20",
    "SetAudioAlarmV20",
    "AudioAlarmPlay",
}
NVR_ONLY = {"NvrDownload", "GetBuzzerAlarmV20", "SetBuzzerAlarmV20"}
STORAGE = {"GetHddInfo", "Format"}
STITCH = {"GetStitch", "SetStitch"}
FLOODLIGHT = {"GetWhiteLed", "SetWhiteLed"}
UNSUPPORTED: dict[str, set[str]] = {
    "ipc": WIFI | PTZ | NVR_ONLY | STITCH | FLOODLIGHT,
    "ptz": WIFI | NVR_ONLY | STITCH | FLOODLIGHT,
    "floodlight": WIFI | PTZ | NVR_ONLY,
    "doorbell": WIFI | PTZ | NVR_ONLY | STITCH | FLOODLIGHT | SIREN,
    "wifi": PTZ | NVR_ONLY | STITCH | FLOODLIGHT | SIREN | AI | STORAGE,
    "nvr-16": WIFI | PTZ | STITCH | FLOODLIGHT,
}

NOW = datetime.now(tz=UTC)


def _stamp(moment: datetime) -> dict[str, int]:
    return {
        "year": moment.year,
        "mon": moment.month,
        "day": moment.day,
        "hour": moment.hour,
        "min": moment.minute,
        "sec": moment.second,
    }


WINDOW = {"StartTime": _stamp(NOW - timedelta(days=8)), "EndTime": _stamp(NOW)}
CH0 = {"channel": 0}

# A valid request for each command (the server handles the four session ones).
REQUESTS: dict[str, dict[str, Any]] = {
    "GetAbility": {"User": {"userName": "admin"}},
    "GetDevInfo": {},
    "GetDevName": {},
    "SetDevName": {"DevName": {"name": "Porch"}},
    "GetTime": {},
    "SetTime": {"Time": {"timeFmt": "YYYY/MM/DD"}},
    "GetAutoMaint": {},
    "SetAutoMaint": {"AutoMaint": {"enable": 1, "weekDay": "Everyday"}},
    "GetHddInfo": {},
    "Format": {"HddInfo": {"id": [0]}},
    "Upgrade": {},
    "Restore": {},
    "Reboot": {},
    "UpgradePrepare": {"fileName": "firmware.pak", "restoreCfg": 0},
    "GetAutoUpgrade": {},
    "SetAutoUpgrade": {"AutoUpgrade": {"enable": 0}},
    "CheckFirmware": {},
    "UpgradeOnline": {},
    "UpgradeStatus": {},
    "Getchannelstatus": {},
    "GetUser": {},
    "AddUser": {"User": {"userName": "viewer", "password": "secret1", "level": "guest"}},
    "DelUser": {"User": {"userName": "viewer"}},
    "ModifyUser": {
        "User": {"userName": "admin", "oldPassword": "password", "newPassword": "x" * 8}
    },
    "GetSysCfg": {},
    "SetSysCfg": {"SysCfg": {"loginLock": 1}},
    "GetLocalLink": {},
    "SetLocalLink": {"LocalLink": {"type": "DHCP"}},
    "GetDdns": {},
    "SetDdns": {"Ddns": {"enable": 1, "type": "dyndns"}},
    "GetEmail": {},
    "SetEmail": {"Email": {"interval": "1 Minute"}},
    "GetEmailV20": {},
    "SetEmailV20": {"Email": {"enable": 1}},
    "TestEmail": {
        "Email": {"smtpServer": "smtp.example.com", "userName": "cam@example.com", "addr1": "a@b.c"}
    },
    "GetFtp": {},
    "SetFtp": {"Ftp": {"server": "ftp.example.com"}},
    "GetFtpV20": {},
    "SetFtpV20": {"Ftp": {"enable": 1}},
    "TestFtp": {"Ftp": {"server": "192.0.2.1", "userName": "u", "password": "p"}},
    "GetNtp": {},
    "SetNtp": {"Ntp": {"server": "time.example.com"}},
    "GetNetPort": {},
    "SetNetPort": {"NetPort": {"rtspPort": 8554}},
    "GetUpnp": {},
    "SetUpnp": {"Upnp": {"enable": 1}},
    "GetWifi": {},
    "SetWifi": {"Wifi": {"ssid": "HomeNet", "password": "longenough"}},
    "TestWifi": {"Wifi": {"ssid": "HomeNet", "password": "longenough"}},
    "ScanWifi": {},
    "GetWifiSignal": {},
    "GetPush": {},
    "SetPush": {"Push": {"schedule": {"enable": 0}}},
    "GetPushV20": {},
    "SetPushV20": {"Push": {"enable": 0}},
    "GetPushCfg": {},
    "SetPushCfg": {"PushCfg": {"pushInterval": 60}},
    "GetP2p": {},
    "SetP2p": {"P2p": {"enable": 0}},
    "GetCertificateInfo": {},
    "CertificateClear": {},
    "GetRtspUrl": CH0,
    "GetImage": CH0,
    "SetImage": {"Image": {"channel": 0, "bright": 140}},
    "GetOsd": CH0,
    "SetOsd": {"Osd": {"channel": 0, "osdTime": {"pos": "Upper Left"}}},
    "GetIsp": CH0,
    "SetIsp": {"Isp": {"channel": 0, "dayNight": "Color"}},
    "GetMask": CH0,
    "SetMask": {"Mask": {"channel": 0, "enable": 1}},
    "GetCrop": CH0,
    "SetCrop": {"Crop": {"channel": 0, "topLeftX": 0}},
    "GetStitch": {},
    "SetStitch": {"stitch": {"distance": 8.5}},
    "GetEnc": CH0,
    "SetEnc": {"Enc": {"channel": 0, "mainStream": {"bitRate": 4096}}},
    "GetRec": CH0,
    "SetRec": {"Rec": {"channel": 0, "postRec": "30 Seconds"}},
    "GetRecV20": CH0,
    "SetRecV20": {"Rec": {"channel": 0, "saveDay": 7}},
    "Search": {"Search": {"channel": 0, "onlyStatus": 0, "streamType": "main", **WINDOW}},
    "NvrDownload": {"NvrDownload": {"channel": 0, "streamType": "sub", **WINDOW}},
    "GetPtzPreset": CH0,
    "SetPtzPreset": {"PtzPreset": {"channel": 0, "id": 3, "enable": 1, "name": "Door"}},
    "GetPtzPatrol": CH0,
    "SetPtzPatrol": {
        "PtzPatrol": {"channel": 0, "id": 1, "enable": 1, "preset": [{"id": 1, "speed": 10}]}
    },
    "PtzCtrl": {"channel": 0, "op": "Left", "speed": 32},
    "GetPtzSerial": CH0,
    "SetPtzSerial": {"PtzSerial": {"channel": 0, "baudRate": 9600}},
    "GetPtzTattern": CH0,
    "SetPtzTattern": {"PtzTattern": {"channel": 0, "track": [{"id": 1, "enable": 1}]}},
    "GetAutoFocus": CH0,
    "SetAutoFocus": {"AutoFocus": {"channel": 0, "disable": 1}},
    "GetZoomFocus": CH0,
    "StartZoomFocus": {"ZoomFocus": {"channel": 0, "op": "ZoomPos", "pos": 6}},
    "GetPtzGuard": CH0,
    "SetPtzGuard": {"PtzGuard": {"channel": 0, "benable": 1, "bSaveCurrentPos": 1}},
    "GetPtzCheckState": CH0,
    "PtzCheck": CH0,
    "GetAlarm": {"Alarm": {"channel": 0, "type": "md"}},
    "SetAlarm": {"Alarm": {"channel": 0, "type": "md", "scope": {"table": "0" * 4800}}},
    "GetMdAlarm": CH0,
    "SetMdAlarm": {"MdAlarm": {"channel": 0, "newSens": {"sensDef": 10}}},
    "GetMdState": CH0,
    "GetAudioAlarm": CH0,
    "SetAudioAlarm": {"Audio": {"channel": 0, "schedule": {"enable": 1}}},
    "GetAudioAlarmV20": CH0,
    "SetAudioAlarmV20": {"Audio": {"channel": 0, "enable": 1}},
    "GetBuzzerAlarmV20": {},
    "SetBuzzerAlarmV20": {"Buzzer": {"enable": 0}},
    "AudioAlarmPlay": {"channel": 0, "alarm_mode": "times", "times": 2, "manual_switch": 0},
    "GetIrLights": CH0,
    "SetIrLights": {"IrLights": {"channel": 0, "state": "Off"}},
    "GetPowerLed": CH0,
    "SetPowerLed": {"PowerLed": {"channel": 0, "state": "Off"}},
    "GetWhiteLed": CH0,
    "SetWhiteLed": {"WhiteLed": {"channel": 0, "state": 1, "bright": 50}},
    "GetAiAlarm": {"channel": 0, "ai_type": "people"},
    "SetAiAlarm": {"channel": 0, "AiAlarm": {"ai_type": "people", "sensitivity": 70}},
    "SetAlarmArea": {"channel": 0, "ai_type": "people", "area": "1" * 4800},
    "GetAiCfg": CH0,
    "SetAiCfg": {"channel": 0, "aiTrack": 0, "AiDetectType": {"people": 1}},
    "GetAiState": CH0,
}


async def _session(start_sim: StartSim, profile: str) -> tuple[Api, str]:
    api = await start_sim(profile=profile)
    return api, await api.token()


async def call(
    api: Api, token: str, cmd: str, param: dict[str, Any] | None = None, action: int = 0
) -> dict[str, Any]:
    """One command, one JSON POST; returns its answer element."""
    body = [{"cmd": cmd, "action": action, "param": param or {}}]
    answers = await api.post(body, cmd=cmd, token=token)
    assert len(answers) == 1
    return answers[0]


async def value_of(api: Api, token: str, cmd: str, param: dict[str, Any] | None = None) -> Any:
    answer = await call(api, token, cmd, param)
    assert Api.error_code(answer) is None, answer
    return answer["value"]


def test_request_table_covers_every_command() -> None:
    device_commands = set(COMMANDS) - SESSION_COMMANDS
    assert len(COMMANDS) == 130
    assert device_commands - BINARY == set(REQUESTS) - BINARY


@pytest.mark.parametrize("profile", TESTED_PROFILES)
async def test_every_command_answers(start_sim: StartSim, profile: str) -> None:
    """Supported commands succeed, the others answer -9, in batches of the real limit (35)."""
    api, token = await _session(start_sim, profile)
    names = [name for name in REQUESTS if name not in {"Restore", "Reboot", "ModifyUser"}]
    body = [{"cmd": name, "action": 0, "param": REQUESTS[name]} for name in names]
    answers = []
    for start in range(0, len(body), api.sim.max_batch):
        answers.extend(await api.post(body[start : start + api.sim.max_batch], token=token))
    outcome = {name: Api.error_code(answer) for name, answer in zip(names, answers, strict=True)}
    expected = {name: -9 if name in UNSUPPORTED[profile] else None for name in names}
    expected["UpgradeOnline"] = -30  # no newer firmware published yet
    assert outcome == expected


@pytest.mark.parametrize("profile", TESTED_PROFILES)
async def test_binary_commands(start_sim: StartSim, profile: str) -> None:
    """Snap, Download and Playback answer files over the GET form."""
    api, token = await _session(start_sim, profile)
    snap = await api.get(cmd="Snap", channel=0, rs="abc", token=token)
    assert snap.status == 200
    assert snap.content_type == "image/jpeg"
    result = await value_of(api, token, "Search", REQUESTS["Search"])
    source = result["SearchResult"]["File"][0]["name"]
    for cmd in ("Download", "Playback"):
        response = await api.get(cmd=cmd, source=source, output="clip.mp4", token=token)
        assert response.status == 200
        assert response.content_type == "video/mp4"


ROUND_TRIPS: list[tuple[str, str, dict[str, Any], str, dict[str, Any], Any]] = [
    # profile, Set, param, Get, param, expected part of the Get value
    ("ipc", "SetDevName", {"DevName": {"name": "Porch"}}, "GetDevName", {}, {"name": "Porch"}),
    ("ipc", "SetAutoMaint", REQUESTS["SetAutoMaint"], "GetAutoMaint", {}, {"weekDay": "Everyday"}),
    ("ipc", "SetAutoUpgrade", REQUESTS["SetAutoUpgrade"], "GetAutoUpgrade", {}, {"enable": 0}),
    ("ipc", "SetSysCfg", REQUESTS["SetSysCfg"], "GetSysCfg", {}, {"loginLock": 1}),
    ("ipc", "SetDdns", REQUESTS["SetDdns"], "GetDdns", {}, {"type": "dyndns"}),
    ("ipc", "SetEmail", REQUESTS["SetEmail"], "GetEmail", {}, {"interval": "1 Minute"}),
    ("ipc", "SetEmailV20", REQUESTS["SetEmailV20"], "GetEmailV20", {}, {"enable": 1}),
    ("ipc", "SetFtpV20", REQUESTS["SetFtpV20"], "GetFtpV20", {}, {"enable": 1}),
    ("ipc", "SetNtp", REQUESTS["SetNtp"], "GetNtp", {}, {"server": "time.example.com"}),
    ("ipc", "SetNetPort", REQUESTS["SetNetPort"], "GetNetPort", {}, {"rtspPort": 8554}),
    ("ipc", "SetUpnp", REQUESTS["SetUpnp"], "GetUpnp", {}, {"enable": 1}),
    ("ipc", "SetPushCfg", REQUESTS["SetPushCfg"], "GetPushCfg", {}, {"pushInterval": 60}),
    ("ipc", "SetP2p", REQUESTS["SetP2p"], "GetP2p", {}, {"enable": 0}),
    ("ipc", "SetImage", REQUESTS["SetImage"], "GetImage", CH0, {"bright": 140}),
    ("ipc", "SetIsp", REQUESTS["SetIsp"], "GetIsp", CH0, {"dayNight": "Color"}),
    ("ipc", "SetCrop", REQUESTS["SetCrop"], "GetCrop", CH0, {"topLeftX": 0}),
    ("ipc", "SetRecV20", REQUESTS["SetRecV20"], "GetRecV20", CH0, {"saveDay": 7}),
    ("ipc", "SetIrLights", REQUESTS["SetIrLights"], "GetIrLights", CH0, {"state": "Off"}),
    ("ipc", "SetPowerLed", REQUESTS["SetPowerLed"], "GetPowerLed", CH0, {"state": "Off"}),
    (
        "ipc",
        "SetAudioAlarmV20",
        REQUESTS["SetAudioAlarmV20"],
        "GetAudioAlarmV20",
        CH0,
        {"enable": 1},
    ),
    ("wifi", "SetWifi", {"Wifi": {"ssid": "Guest"}}, "GetWifi", {}, {"ssid": "Guest"}),
    ("floodlight", "SetWhiteLed", REQUESTS["SetWhiteLed"], "GetWhiteLed", CH0, {"bright": 50}),
    ("floodlight", "SetStitch", REQUESTS["SetStitch"], "GetStitch", {}, {"distance": 8.5}),
    ("ptz", "SetPtzSerial", REQUESTS["SetPtzSerial"], "GetPtzSerial", CH0, {"baudRate": 9600}),
    ("ptz", "SetAutoFocus", REQUESTS["SetAutoFocus"], "GetAutoFocus", CH0, {"disable": 1}),
    ("ptz", "SetPtzGuard", REQUESTS["SetPtzGuard"], "GetPtzGuard", CH0, {"bexistPos": 1}),
    (
        "nvr-16",
        "SetBuzzerAlarmV20",
        REQUESTS["SetBuzzerAlarmV20"],
        "GetBuzzerAlarmV20",
        {},
        {"enable": 0},
    ),
]


def _contains(actual: Any, expected: Any) -> bool:
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(
            key in actual and _contains(actual[key], value) for key, value in expected.items()
        )
    return bool(actual == expected)


def _settings(value: dict[str, Any]) -> Any:
    """The settings dict of a Get value (the single family key, if any)."""
    return next(iter(value.values())) if len(value) == 1 else value


@pytest.mark.parametrize(
    ("profile", "set_cmd", "set_param", "get_cmd", "get_param", "expected"), ROUND_TRIPS
)
async def test_set_then_get(
    start_sim: StartSim,
    profile: str,
    set_cmd: str,
    set_param: dict[str, Any],
    get_cmd: str,
    get_param: dict[str, Any],
    expected: dict[str, Any],
) -> None:
    api, token = await _session(start_sim, profile)
    before = _settings(await value_of(api, token, get_cmd, get_param))
    assert not _contains(before, expected), "the test must change something"
    await value_of(api, token, set_cmd, set_param)
    after = _settings(await value_of(api, token, get_cmd, get_param))
    assert _contains(after, expected)


async def test_set_then_get_ai_and_ptz_lists(start_sim: StartSim) -> None:
    api, token = await _session(start_sim, "ptz")
    await value_of(api, token, "SetAiCfg", REQUESTS["SetAiCfg"] | {"AiDetectType": {"vehicle": 0}})
    assert (await value_of(api, token, "GetAiCfg", CH0))["AiDetectType"]["vehicle"] == 0
    await value_of(api, token, "SetAiAlarm", REQUESTS["SetAiAlarm"])
    alarm = await value_of(api, token, "GetAiAlarm", REQUESTS["GetAiAlarm"])
    assert alarm["AiAlarm"]["sensitivity"] == 70
    await value_of(api, token, "SetPtzPreset", REQUESTS["SetPtzPreset"])
    presets = (await value_of(api, token, "GetPtzPreset", CH0))["PtzPreset"]
    assert presets[2] == {"channel": 0, "enable": 1, "id": 3, "name": "Door"}
    await value_of(api, token, "SetPtzPatrol", REQUESTS["SetPtzPatrol"])
    patrol = (await value_of(api, token, "GetPtzPatrol", CH0))["PtzPatrol"][0]
    assert patrol["enable"] == 1
    assert patrol["preset"] == [{"id": 1, "speed": 10}]
    await value_of(api, token, "SetPtzTattern", REQUESTS["SetPtzTattern"])
    tracks = (await value_of(api, token, "GetPtzTattern", CH0))["PtzTattern"]["track"]
    assert tracks[0]["enable"] == 1
    await value_of(api, token, "StartZoomFocus", REQUESTS["StartZoomFocus"])
    await value_of(api, token, "PtzCtrl", {"channel": 0, "op": "FocusInc"})
    zoom_focus = (await value_of(api, token, "GetZoomFocus", CH0))["ZoomFocus"]
    assert zoom_focus["zoom"]["pos"] == 6
    assert zoom_focus["focus"]["pos"] == 1
    await value_of(api, token, "PtzCtrl", {"channel": 0, "op": "ToPos", "id": 3, "speed": 10})
    await value_of(api, token, "PtzCtrl", {"channel": 0, "op": "StartPatrol", "id": 1})
    patrol = (await value_of(api, token, "GetPtzPatrol", CH0))["PtzPatrol"][0]
    assert patrol["running"] == 1


RANGES: list[tuple[str, str, dict[str, Any], str, Any]] = [
    ("ipc", "GetIrLights", CH0, "IrLights", {"state": ["Auto", "Off"]}),
    ("ipc", "GetPowerLed", CH0, "PowerLed", {"state": ["On", "Off"]}),
    ("ipc", "GetImage", CH0, "Image", {"bright": {"max": 255, "min": 0}}),
    ("ipc", "GetAutoMaint", {}, "AutoMaint", {"hour": {"max": 23, "min": 0}}),
    ("ipc", "GetUser", {}, "User", {"level": ["guest", "admin"]}),
    ("ipc", "GetLocalLink", {}, "LocalLink", {"type": ["DHCP", "Static"]}),
    ("floodlight", "GetWhiteLed", CH0, "WhiteLed", {"bright": {"max": 100, "min": 0}}),
    ("ptz", "GetPtzSerial", CH0, "PtzSerial", {"stopBit": [1, 2]}),
    ("wifi", "GetWifi", {}, "Wifi", {"ssid": {"maxLen": 127}}),
]


@pytest.mark.parametrize(("profile", "cmd", "param", "key", "expected"), RANGES)
async def test_action_one_adds_initial_and_range(
    start_sim: StartSim, profile: str, cmd: str, param: dict[str, Any], key: str, expected: Any
) -> None:
    api, token = await _session(start_sim, profile)
    plain = await call(api, token, cmd, param, action=0)
    assert "range" not in plain
    assert "initial" not in plain
    answer = await call(api, token, cmd, param, action=1)
    assert _contains(answer["range"][key], expected)
    assert key in answer["initial"]


async def test_enc_range_is_a_list(start_sim: StartSim) -> None:
    api, token = await _session(start_sim, "ipc")
    answer = await call(api, token, "GetEnc", CH0, action=1)
    (entry,) = answer["range"]["Enc"]
    assert entry["mainStream"]["size"] == answer["value"]["Enc"]["mainStream"]["size"]
    assert answer["initial"]["Enc"]["mainStream"]["bitRate"] in entry["mainStream"]["bitRate"]


ERRORS: list[tuple[str, str, dict[str, Any], int]] = [
    ("ipc", "SetIrLights", {"IrLights": {"channel": 0, "state": "Bright"}}, -4),
    ("ipc", "SetIrLights", {"IrLights": {"channel": 0, "state": 1}}, -4),
    ("ipc", "SetImage", {"Image": {"channel": 0, "bright": 999}}, -4),
    ("ipc", "SetImage", {"Image": {"channel": 0, "bright": "high"}}, -4),
    ("ipc", "SetAutoMaint", {"AutoMaint": {"weekDay": "Someday"}}, -4),
    ("ipc", "SetEnc", {"Enc": {"channel": 0, "mainStream": {"bitRate": 1}}}, -4),
    ("ipc", "SetDevName", {"DevName": {"name": "x" * 40}}, -4),
    ("ipc", "SetIrLights", {}, -23),
    ("ipc", "SetIrLights", {"IrLights": {"state": "Off"}}, -23),
    ("ipc", "AddUser", {"User": {"userName": "viewer", "level": "guest"}}, -23),
    ("ipc", "AddUser", {"User": {"userName": "viewer", "password": "123", "level": "guest"}}, -4),
    ("ipc", "PtzCtrl", {"channel": 0, "op": "Left"}, -9),
    ("ptz", "PtzCtrl", {"channel": 0, "op": "Somersault"}, -4),
    ("ptz", "PtzCtrl", {"channel": 0, "op": "ToPos", "id": 40}, -4),
    ("ptz", "StartZoomFocus", {"ZoomFocus": {"channel": 0, "op": "ZoomPos", "pos": 99}}, -4),
    ("ipc", "AudioAlarmPlay", {"channel": 0, "alarm_mode": "forever"}, -4),
    ("wifi", "GetHddInfo", {}, -9),
    ("ipc", "GetWifiSignal", {}, -9),
    ("doorbell", "GetWhiteLed", CH0, -9),
    ("ipc", "GetMdState", {"channel": 1}, -49),
    ("nvr-16", "GetMdState", {"channel": 16}, -49),
    ("nvr-16", "GetMdState", {"channel": 5}, -99),
    ("nvr-16", "GetEnc", {"channel": 5}, -99),
    ("nvr-16", "SetIrLights", {"IrLights": {"channel": 5, "state": "Off"}}, -99),
    ("ipc", "Download", {"source": "Mp4Record/2020-01-01/nothing.mp4"}, -222),
    ("ipc", "TestEmail", {"Email": {"smtpServer": ""}}, -481),
    ("ipc", "TestFtp", {"Ftp": {"server": "192.0.2.1"}}, -451),
    ("wifi", "TestWifi", {"Wifi": {"ssid": "Unknown"}}, -100),
    ("ipc", "UpgradeOnline", {}, -30),
    ("ipc", "NoSuchCommand", {}, -9),
]


@pytest.mark.parametrize(("profile", "cmd", "param", "code"), ERRORS)
async def test_error_paths(
    start_sim: StartSim, profile: str, cmd: str, param: dict[str, Any], code: int
) -> None:
    api, token = await _session(start_sim, profile)
    answer = await call(api, token, cmd, param)
    assert Api.error_code(answer) == code


async def test_offline_channel_still_listed(start_sim: StartSim) -> None:
    api, token = await _session(start_sim, "nvr-16")
    status = await value_of(api, token, "Getchannelstatus")
    assert status["count"] == 16
    offline = status["status"][5]
    assert offline["online"] == 0
    assert offline["typeInfo"] == ""
    uids = {entry["uid"] for entry in status["status"]}
    assert len(uids) == 16
    ability = await value_of(api, token, "GetAbility", {"User": {"userName": "admin"}})
    channels = ability["Ability"]["abilityChn"]
    assert len(channels) == 16
    ptz_channels = [i for i, chn in enumerate(channels) if chn["ptzCtrl"]["ver"]]
    ai_channels = [i for i, chn in enumerate(channels) if chn["supportAi"]["ver"]]
    assert ptz_channels
    assert 0 < len(ai_channels) < 16
    ptz_answer = await call(api, token, "GetPtzPreset", {"channel": ptz_channels[0]})
    assert Api.error_code(ptz_answer) is None
    plain = next(i for i in range(16) if i not in ai_channels and i != 5)
    plain_state = await value_of(api, token, "GetAiState", {"channel": plain})
    assert plain_state["people"] == {"alarm_state": 0, "support": 0}


async def test_motion_and_ai_follow_state(start_sim: StartSim) -> None:
    api, token = await _session(start_sim, "ipc")
    assert await value_of(api, token, "GetMdState", CH0) == {"state": 0}
    api.sim.patch_state({"channels": {"0": {"motion": True, "ai": {"vehicle": True}}}})
    assert await value_of(api, token, "GetMdState", CH0) == {"state": 1}
    state = await value_of(api, token, "GetAiState", CH0)
    assert state["vehicle"] == {"alarm_state": 1, "support": 1}
    assert state["people"] == {"alarm_state": 0, "support": 1}
    assert state["face"] == {"alarm_state": 0, "support": 0}


async def test_doorbell_visitor(start_sim: StartSim) -> None:
    api, token = await _session(start_sim, "doorbell")
    ability = await value_of(api, token, "GetAbility", {"User": {"userName": "admin"}})
    assert ability["Ability"]["abilityChn"][0]["supportDoorbell"]["ver"] == 1
    assert (await value_of(api, token, "GetAiState", CH0))["visitor"]["alarm_state"] == 0
    api.sim.patch_state({"channels": {"0": {"visitor": True}}})
    state = await value_of(api, token, "GetAiState", CH0)
    assert state["visitor"] == {"alarm_state": 1, "support": 1}
    assert state["vehicle"]["support"] == 0


async def test_users_lifecycle(start_sim: StartSim) -> None:
    api, token = await _session(start_sim, "ipc")
    await value_of(api, token, "AddUser", REQUESTS["AddUser"])
    users = (await value_of(api, token, "GetUser"))["User"]
    assert {"userName": "viewer", "level": "guest"} in users
    assert all("password" not in user for user in users)
    assert Api.error_code(await call(api, token, "AddUser", REQUESTS["AddUser"])) == -28
    assert api.sim.device.check_login("viewer", "secret1")
    await value_of(api, token, "DelUser", REQUESTS["DelUser"])
    assert not api.sim.device.check_login("viewer", "secret1")
    await value_of(api, token, "ModifyUser", REQUESTS["ModifyUser"])
    assert api.sim.device.check_login("admin", "x" * 8)


async def test_restore_returns_factory_settings(start_sim: StartSim) -> None:
    api, token = await _session(start_sim, "ipc")
    await value_of(api, token, "SetIrLights", REQUESTS["SetIrLights"])
    await value_of(api, token, "SetDevName", REQUESTS["SetDevName"])
    await value_of(api, token, "Restore")
    assert (await value_of(api, token, "GetIrLights", CH0))["IrLights"]["state"] == "Auto"
    assert (await value_of(api, token, "GetDevName"))["DevName"]["name"] == "RLC-810A"


async def test_time_round_trip(start_sim: StartSim) -> None:
    api, token = await _session(start_sim, "ipc")
    wanted = {"year": 2030, "mon": 6, "day": 15, "hour": 12, "min": 0, "sec": 0, "timeZone": 0}
    await value_of(api, token, "SetTime", {"Time": wanted})
    clock = (await value_of(api, token, "GetTime"))["Time"]
    assert (clock["year"], clock["mon"], clock["day"], clock["hour"]) == (2030, 6, 15, 12)


async def test_firmware_upgrade_progresses(start_sim: StartSim) -> None:
    api, token = await _session(start_sim, "ipc")
    assert await value_of(api, token, "CheckFirmware") == {"newFirmware": 0}
    api.sim.patch_state({"firmware": {"new_version_available": True}})
    assert await value_of(api, token, "CheckFirmware") == {"newFirmware": 1}
    api.sim.device.upgrade["seconds"] = 0.2
    await value_of(api, token, "UpgradeOnline")
    first = (await value_of(api, token, "UpgradeStatus"))["Status"]["Perset"]
    assert 0 <= first < 100
    api.sim.device.upgrade["started"] -= 1.0  # as if the download had run for a second
    assert (await value_of(api, token, "UpgradeStatus"))["Status"]["Perset"] == 100
    info = (await value_of(api, token, "GetDevInfo"))["DevInfo"]
    assert info["firmVer"] == api.sim.state["firmware"]["new_version"]
    assert await value_of(api, token, "CheckFirmware") == {"newFirmware": 0}


async def test_format_and_search_calendar(start_sim: StartSim) -> None:
    api, token = await _session(start_sim, "nvr-16")
    api.sim.patch_state({"hdd": {"0": {"size": 5}}})
    await value_of(api, token, "Format", REQUESTS["Format"])
    disk = (await value_of(api, token, "GetHddInfo"))["HddInfo"][0]
    assert disk["size"] == disk["capacity"]
    status_only = {"Search": REQUESTS["Search"]["Search"] | {"onlyStatus": 1}}
    result = (await value_of(api, token, "Search", status_only))["SearchResult"]
    assert "File" not in result
    assert sum(month["table"].count("1") for month in result["Status"]) == 7
    files = await value_of(api, token, "NvrDownload", REQUESTS["NvrDownload"])
    assert files["fileCount"] == len(files["fileList"]) > 0
    fragment = files["fileList"][0]["fileName"]
    response = await api.get(cmd="Download", source=fragment, output="f.mp4", token=token)
    assert response.content_type == "video/mp4"


def test_patch_state_rejects_unknown_keys() -> None:
    device = Device("nvr-16", username="admin", password="password")
    with pytest.raises(ValueError, match="unknown key"):
        device.patch_state({"channels": {"2": {"motoin": True}}})
    with pytest.raises(ValueError, match="no list item"):
        device.patch_state({"channels": {"16": {"motion": True}}})
    device.patch_state({"channels": {"2": {"motion": True}}})
    assert device.state["channels"][2]["motion"] is True


@pytest.mark.parametrize(
    "patch",
    [
        {"channels": "none"},
        {"channels": {"2": {"online": "yes"}}},
        {"channels": {"2": {"motion": 1}}},
        {"channels": {"2": {"name": 5}}},
        {"channels": {"2": {"ai": True}}},
    ],
)
def test_patch_state_keeps_types(patch: dict[str, object]) -> None:
    """A patch that would change a value's JSON type is refused and changes nothing."""
    device = Device("nvr-16", username="admin", password="password")
    before = repr(device.state)
    with pytest.raises(ValueError, match="expected"):
        device.patch_state(patch)
    assert repr(device.state) == before


def test_random_event_turns_events_on_then_off() -> None:
    device = Device("ipc", username="admin", password="password")
    rng = random.Random(3)
    channel = device.state["channels"][0]
    for _ in range(3):
        device.random_event(rng)  # an event starts...
        assert channel["motion"]
        device.random_event(rng)  # ...and the next step is quiet
        assert not channel["motion"]
        assert not any(channel["ai"].values())
    device.random_event(rng)
    device.on_reboot()
    assert not channel["motion"]
    assert not any(device.state["channels"][0]["ai"].values())
