"""Every state-changing command round-tripped, every Get asked with action 1, every Set refused.

Table-driven, over real HTTP on 127.0.0.1. A completeness test ties each table to the
commands of `simulator/data/commands.txt`, so a command nobody tested fails the suite.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from simulator import Simulator
from tests.simulator.conftest import Api, StartSim

COMMANDS: tuple[str, ...] = tuple(
    (Path(__file__).parents[2] / "simulator" / "data" / "commands.txt").read_text().split()
)
PROFILES = ("ipc", "ptz", "floodlight", "doorbell", "wifi", "nvr-8")

# Commands that change state without a Set prefix.
ACTIONS = frozenset(
    {
        "Format",
        "Restore",
        "AudioAlarmPlay",
        "PtzCtrl",
        "StartZoomFocus",
        "PtzCheck",
        "UpgradeOnline",
        "AddUser",
        "ModifyUser",
        "DelUser",
        "Disconnect",
        "CertificateClear",
        "TestEmail",
        "TestFtp",
        "TestWifi",
    }
)
# Neither Get, Set nor round-trippable action: sessions (test_auth), reboot (test_faults),
# firmware file uploads, and read-only queries answered with files or lists (test_commands).
OTHERS = frozenset(
    {
        "Login",
        "Logout",
        "Reboot",
        "Upgrade",
        "UpgradePrepare",
        "CheckFirmware",
        "UpgradeStatus",
        "ScanWifi",
        "Search",
        "Download",
        "Snap",
        "Playback",
        "NvrDownload",
    }
)
CLOCK_KEYS = frozenset({"year", "mon", "day", "hour", "min", "sec"})
CH0 = {"channel": 0}
LOGIN = {"User": {"userName": "admin", "password": "password"}}
VIEWER = {"User": {"userName": "viewer", "password": "secret12", "level": "guest"}}
FIRST_SESSION = 1000  # the simulator numbers sessions from 1000 (3.2.7 sessionId)


def is_get(cmd: str) -> bool:
    return cmd.lower().startswith("get")


def is_set(cmd: str) -> bool:
    return cmd.startswith("Set") or cmd in ACTIONS


# ---------------------------------------------------------------- matching helpers


@dataclass(frozen=True)
class Absent:
    """Expectation that ``part`` is NOT contained in the answer (deleted users, sessions)."""

    part: Any


def contains(actual: Any, expected: Any) -> bool:
    """Dicts match by subset, lists when every expected item matches some actual item."""
    if isinstance(expected, Absent):
        return not contains(actual, expected.part)
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(
            key in actual and contains(actual[key], value) for key, value in expected.items()
        )
    if isinstance(expected, list):
        return isinstance(actual, list) and all(
            any(contains(item, wanted) for item in actual) for wanted in expected
        )
    return bool(actual == expected) and type(actual) is type(expected)


def without(value: Any, keys: frozenset[str]) -> Any:
    """``value`` with ``keys`` dropped at every depth (the running clock of GetTime)."""
    if isinstance(value, dict):
        return {k: without(v, keys) for k, v in value.items() if k not in keys}
    if isinstance(value, list):
        return [without(item, keys) for item in value]
    return value


# ---------------------------------------------------------------- the round-trip table


@dataclass(frozen=True)
class Read:
    """A read-back: a Get-type command and the part of its value the change must show."""

    cmd: str
    param: dict[str, Any]
    expected: Any
    volatile: frozenset[str] = frozenset()


@dataclass(frozen=True)
class RoundTrip:
    """One command that changes state, and the reads that prove it."""

    cmd: str
    param: dict[str, Any]
    reads: tuple[Read, ...]
    profile: str = "ipc"
    setup: tuple[tuple[str, dict[str, Any]], ...] = ()
    patch: dict[str, Any] = field(default_factory=dict)
    tweak: Callable[[Simulator], None] | None = None
    changes: bool = True
    label: str = ""

    @property
    def id(self) -> str:
        return "-".join(filter(None, (self.cmd, self.label, self.profile)))


def _fast_upgrade(sim: Simulator) -> None:
    sim.device.upgrade["seconds"] = 1e-6


def rt(cmd: str, param: dict[str, Any], *reads: Read, **options: Any) -> RoundTrip:
    return RoundTrip(cmd, param, reads, **options)


def on_channel(section: str, **values: Any) -> dict[str, Any]:
    return {section: {"channel": 0, **values}}


AREA = "0" * 4800
NEW_FIRMWARE = "v3.1.0.2000_23010100"

ROUND_TRIPS: tuple[RoundTrip, ...] = (
    # 3.1 System
    rt(
        "SetDevName",
        {"DevName": {"name": "Porch"}},
        Read("GetDevName", {}, {"DevName": {"name": "Porch"}}),
        Read("GetDevInfo", {}, {"DevInfo": {"name": "Porch"}}),
    ),
    rt(
        "SetTime",
        {"Time": {"timeFmt": "YYYY/MM/DD", "hourFmt": 1}, "Dst": {"enable": 1, "offset": 2}},
        Read(
            "GetTime",
            {},
            {"Time": {"timeFmt": "YYYY/MM/DD", "hourFmt": 1}, "Dst": {"enable": 1, "offset": 2}},
            CLOCK_KEYS,
        ),
    ),
    rt(
        "SetAutoMaint",
        {"AutoMaint": {"enable": 1, "weekDay": "Everyday", "hour": 3}},
        Read("GetAutoMaint", {}, {"AutoMaint": {"enable": 1, "weekDay": "Everyday", "hour": 3}}),
    ),
    rt(
        "SetAutoUpgrade",
        {"AutoUpgrade": {"enable": 0}},
        Read("GetAutoUpgrade", {}, {"AutoUpgrade": {"enable": 0}}),
    ),
    rt(
        "Format",
        {"HddInfo": {"id": [0]}},
        Read("GetHddInfo", {}, {"HddInfo": [{"size": 1000, "format": 1, "mount": 1}]}),
        patch={"hdd": {"0": {"capacity": 1000, "size": 5, "format": 0, "mount": 0}}},
    ),
    rt(
        "Restore",
        {},
        Read("GetIrLights", CH0, {"IrLights": {"state": "Auto"}}),
        Read("GetDevName", {}, {"DevName": {"name": "RLC-810A"}}),
        setup=(
            ("SetIrLights", on_channel("IrLights", state="Off")),
            ("SetDevName", {"DevName": {"name": "Porch"}}),
        ),
    ),
    rt(
        "UpgradeOnline",
        {},
        Read("UpgradeStatus", {}, {"Status": {"Perset": 100}}),
        Read("GetDevInfo", {}, {"DevInfo": {"firmVer": NEW_FIRMWARE}}),
        Read("CheckFirmware", {}, {"newFirmware": 0}),
        patch={"firmware": {"new_version_available": True, "new_version": NEW_FIRMWARE}},
        tweak=_fast_upgrade,
    ),
    # 3.2 Security
    rt(
        "AddUser",
        VIEWER,
        Read("GetUser", {}, {"User": [{"userName": "viewer", "level": "guest"}]}),
    ),
    rt(
        "ModifyUser",
        {"User": {"userName": "viewer", "level": "admin"}},
        Read("GetUser", {}, {"User": [{"userName": "viewer", "level": "admin"}]}),
        setup=(("AddUser", VIEWER),),
    ),
    rt(
        "DelUser",
        {"User": {"userName": "viewer"}},
        Read("GetUser", {}, Absent({"User": [{"userName": "viewer"}]})),
        setup=(("AddUser", VIEWER),),
    ),
    rt(
        "Disconnect",
        {"User": {"userName": "admin", "sessionId": FIRST_SESSION + 1}},
        Read("GetOnline", {}, Absent({"User": [{"sessionId": FIRST_SESSION + 1}]})),
        setup=(("Login", LOGIN),),
    ),
    rt(
        "SetSysCfg",
        {"SysCfg": {"loginLock": 1, "allowedTimes": 3}},
        Read("GetSysCfg", {}, {"SysCfg": {"loginLock": 1, "allowedTimes": 3}}),
    ),
    # 3.3 Network
    rt(
        "SetLocalLink",
        {"LocalLink": {"type": "Static", "static": {"ip": "192.168.0.50"}}},
        Read(
            "GetLocalLink",
            {},
            {"LocalLink": {"type": "Static", "static": {"ip": "192.168.0.50"}}},
        ),
    ),
    rt(
        "SetDdns",
        {"Ddns": {"enable": 1, "type": "dyndns", "domain": "cam.example.org"}},
        Read("GetDdns", {}, {"Ddns": {"enable": 1, "type": "dyndns", "domain": "cam.example.org"}}),
    ),
    rt(
        "SetEmail",
        {"Email": {"interval": "1 Minute", "smtpServer": "smtp.example.com"}},
        Read("GetEmail", {}, {"Email": {"interval": "1 Minute", "smtpServer": "smtp.example.com"}}),
    ),
    rt(
        "SetEmailV20",
        {"Email": {"enable": 1, "attachmentType": 2}},
        Read("GetEmailV20", {}, {"Email": {"enable": 1, "attachmentType": 2}}),
    ),
    rt(
        "TestEmail",
        {
            "Email": {
                "smtpServer": "smtp.example.com",
                "userName": "cam@example.com",
                "addr1": "a@b.c",
            }
        },
        Read("GetEmailV20", {}, {"Email": {"smtpServer": "", "addr1": ""}}),
        changes=False,  # a test sends a mail with the given settings but saves nothing
    ),
    rt(
        "SetFtp",
        {"Ftp": {"server": "ftp.example.com", "port": 2121}},
        Read("GetFtp", {}, {"Ftp": {"server": "ftp.example.com", "port": 2121}}),
    ),
    rt(
        "SetFtpV20",
        {"Ftp": {"enable": 1, "picInterval": 300}},
        Read("GetFtpV20", {}, {"Ftp": {"enable": 1, "picInterval": 300}}),
    ),
    rt(
        "TestFtp",
        {"Ftp": {"server": "192.0.2.1", "userName": "u", "password": "p"}},
        Read("GetFtpV20", {}, {"Ftp": {"server": "", "userName": ""}}),
        changes=False,
    ),
    rt(
        "SetNtp",
        {"Ntp": {"server": "time.example.com", "interval": 60}},
        Read("GetNtp", {}, {"Ntp": {"server": "time.example.com", "interval": 60}}),
    ),
    rt(
        "SetNetPort",
        {"NetPort": {"rtspPort": 8554, "onvifEnable": 0}},
        Read("GetNetPort", {}, {"NetPort": {"rtspPort": 8554, "onvifEnable": 0}}),
        Read("GetRtspUrl", CH0, {"rtspUrl": {"mainStream": "rtsp://0.0.0.0:8554/Preview_01_main"}}),
    ),
    rt("SetUpnp", {"Upnp": {"enable": 1}}, Read("GetUpnp", {}, {"Upnp": {"enable": 1}})),
    rt(
        "SetWifi",
        {"Wifi": {"ssid": "Guest", "password": "longenough"}},
        Read("GetWifi", {}, {"Wifi": {"ssid": "Guest", "password": "longenough"}}),
        profile="wifi",
    ),
    rt(
        "TestWifi",
        {"Wifi": {"ssid": "Neighbour-5G", "password": "longenough"}},
        Read("GetWifi", {}, {"Wifi": {"ssid": "HomeNet"}}),
        profile="wifi",
        changes=False,
    ),
    rt(
        "SetPush",
        {"Push": {"schedule": {"enable": 0}}},
        Read("GetPush", {}, {"Push": {"schedule": {"enable": 0}}}),
    ),
    rt("SetPushV20", {"Push": {"enable": 0}}, Read("GetPushV20", {}, {"Push": {"enable": 0}})),
    rt(
        "SetPushCfg",
        {"PushCfg": {"pushInterval": 60}},
        Read("GetPushCfg", {}, {"PushCfg": {"pushInterval": 60}}),
    ),
    rt("SetP2p", {"P2p": {"enable": 0}}, Read("GetP2p", {}, {"P2p": {"enable": 0}})),
    rt(
        "CertificateClear",
        {},
        Read("GetCertificateInfo", {}, {"CertificateInfo": {"enable": 0, "crtName": ""}}),
        patch={"config": {"CertificateInfo": {"enable": 1, "crtName": "c.crt", "keyName": "k"}}},
    ),
    # 3.4 Video input, 3.5 Enc
    rt(
        "SetImage",
        on_channel("Image", bright=140, hue=20),
        Read("GetImage", CH0, {"Image": {"bright": 140, "hue": 20}}),
    ),
    rt(
        "SetOsd",
        on_channel("Osd", osdTime={"pos": "Upper Left"}, osdChannel={"name": "Porch"}),
        Read(
            "GetOsd",
            CH0,
            {"Osd": {"osdTime": {"pos": "Upper Left"}, "osdChannel": {"name": "Porch"}}},
        ),
    ),
    rt(
        "SetIsp",
        on_channel("Isp", dayNight="Color", gain={"max": 80}),
        Read("GetIsp", CH0, {"Isp": {"dayNight": "Color", "gain": {"max": 80, "min": 1}}}),
    ),
    rt(
        "SetMask",
        on_channel(
            "Mask",
            enable=1,
            area=[{"block": {"x": 0, "y": 0, "width": 8, "height": 8}, "screen": {"width": 640}}],
        ),
        Read("GetMask", CH0, {"Mask": {"enable": 1, "area": [{"block": {"width": 8}}]}}),
    ),
    rt(
        "SetCrop",
        on_channel("Crop", topLeftX=0, topLeftY=0),
        Read("GetCrop", CH0, {"Crop": {"topLeftX": 0, "topLeftY": 0}}),
    ),
    rt(
        "SetStitch",
        {"stitch": {"distance": 8.5, "stitchXMove": -3}},
        Read("GetStitch", {}, {"stitch": {"distance": 8.5, "stitchXMove": -3}}),
        profile="floodlight",
    ),
    rt(
        "SetEnc",
        on_channel("Enc", audio=1, mainStream={"bitRate": 4096, "frameRate": 20}),
        Read(
            "GetEnc", CH0, {"Enc": {"audio": 1, "mainStream": {"bitRate": 4096, "frameRate": 20}}}
        ),
    ),
    # 3.6 Record
    rt(
        "SetRec",
        on_channel("Rec", postRec="30 Seconds", schedule={"enable": 0}),
        Read("GetRec", CH0, {"Rec": {"postRec": "30 Seconds", "schedule": {"enable": 0}}}),
    ),
    rt(
        "SetRecV20",
        on_channel("Rec", saveDay=7, enable=0),
        Read("GetRecV20", CH0, {"Rec": {"saveDay": 7, "enable": 0}}),
    ),
    # 3.7 PTZ
    rt(
        "SetPtzPreset",
        on_channel("PtzPreset", id=3, enable=1, name="Door"),
        Read("GetPtzPreset", CH0, {"PtzPreset": [{"id": 3, "enable": 1, "name": "Door"}]}),
        profile="ptz",
    ),
    rt(
        "SetPtzPatrol",
        on_channel("PtzPatrol", id=1, enable=1, preset=[{"id": 1, "speed": 10, "dwellTime": 5}]),
        Read(
            "GetPtzPatrol",
            CH0,
            {"PtzPatrol": [{"id": 1, "enable": 1, "preset": [{"id": 1, "dwellTime": 5}]}]},
        ),
        profile="ptz",
    ),
    rt(
        "PtzCtrl",
        {"channel": 0, "op": "ZoomInc", "speed": 10},
        Read("GetZoomFocus", CH0, {"ZoomFocus": {"zoom": {"pos": 1}, "focus": {"pos": 0}}}),
        profile="ptz",
        label="zoom",
    ),
    rt(
        "PtzCtrl",
        {"channel": 0, "op": "StartPatrol", "id": 2},
        Read("GetPtzPatrol", CH0, {"PtzPatrol": [{"id": 2, "running": 1}]}),
        profile="ptz",
        label="patrol",
    ),
    rt(
        "SetPtzSerial",
        on_channel("PtzSerial", baudRate=9600, parity="even"),
        Read("GetPtzSerial", CH0, {"PtzSerial": {"baudRate": 9600, "parity": "even"}}),
        profile="ptz",
    ),
    rt(
        "SetPtzTattern",
        on_channel("PtzTattern", track=[{"id": 2, "enable": 1, "name": "Sweep"}]),
        Read("GetPtzTattern", CH0, {"PtzTattern": {"track": [{"id": 2, "enable": 1}]}}),
        profile="ptz",
    ),
    rt(
        "SetAutoFocus",
        on_channel("AutoFocus", disable=1),
        Read("GetAutoFocus", CH0, {"AutoFocus": {"disable": 1}}),
        profile="ptz",
    ),
    rt(
        "StartZoomFocus",
        on_channel("ZoomFocus", op="FocusPos", pos=100),
        Read("GetZoomFocus", CH0, {"ZoomFocus": {"focus": {"pos": 100}}}),
        profile="ptz",
    ),
    rt(
        "SetPtzGuard",
        on_channel("PtzGuard", benable=1, timeout=120, bSaveCurrentPos=1),
        Read("GetPtzGuard", CH0, {"PtzGuard": {"benable": 1, "timeout": 120, "bexistPos": 1}}),
        profile="ptz",
    ),
    rt(
        "PtzCheck",
        CH0,
        Read("GetPtzCheckState", CH0, {"PtzCheckState": 1}),
        profile="ptz",
    ),
    # 3.8 Alarm
    rt(
        "SetAlarm",
        on_channel("Alarm", type="md", scope={"table": AREA}),
        Read(
            "GetAlarm",
            {"Alarm": {"channel": 0, "type": "md"}},
            {"Alarm": {"scope": {"table": AREA}}},
        ),
    ),
    rt(
        "SetMdAlarm",
        on_channel("MdAlarm", newSens={"sensDef": 10}),
        Read("GetMdAlarm", CH0, {"MdAlarm": {"newSens": {"sensDef": 10}}}),
    ),
    rt(
        "SetAudioAlarm",
        on_channel("Audio", schedule={"enable": 1}),
        Read("GetAudioAlarm", CH0, {"Audio": {"schedule": {"enable": 1}}}),
    ),
    rt(
        "SetAudioAlarmV20",
        on_channel("Audio", enable=1),
        Read("GetAudioAlarmV20", CH0, {"Audio": {"enable": 1}}),
    ),
    rt(
        "SetBuzzerAlarmV20",
        {"Buzzer": {"enable": 0}},
        Read("GetBuzzerAlarmV20", {}, {"Buzzer": {"enable": 0}}),
        profile="nvr-8",
    ),
    # 3.10 LED
    rt(
        "SetIrLights",
        on_channel("IrLights", state="Off"),
        Read("GetIrLights", CH0, {"IrLights": {"state": "Off"}}),
    ),
    rt(
        "SetPowerLed",
        on_channel("PowerLed", state="Off"),
        Read("GetPowerLed", CH0, {"PowerLed": {"state": "Off"}}),
    ),
    rt(
        "SetWhiteLed",
        on_channel("WhiteLed", state=1, bright=50, mode=3, LightingSchedule={"StartHour": 20}),
        Read(
            "GetWhiteLed",
            CH0,
            {
                "WhiteLed": {
                    "state": 1,
                    "bright": 50,
                    "mode": 3,
                    "LightingSchedule": {"StartHour": 20},
                }
            },
        ),
        profile="floodlight",
    ),
    # 3.10.7-3.10.9 and 3.11 AI
    rt(
        "SetAiAlarm",
        {"channel": 0, "AiAlarm": {"ai_type": "vehicle", "sensitivity": 70, "stay_time": 5}},
        Read(
            "GetAiAlarm",
            {"channel": 0, "ai_type": "vehicle"},
            {"AiAlarm": {"ai_type": "vehicle", "sensitivity": 70, "stay_time": 5}},
        ),
    ),
    rt(
        "SetAlarmArea",
        {"channel": 0, "ai_type": "people", "area": AREA, "width": 80, "height": 60},
        Read(
            "GetAiAlarm",
            {"channel": 0, "ai_type": "people"},
            {"AiAlarm": {"scope": {"area": AREA}}},
        ),
    ),
    rt(
        "SetAiCfg",
        {"channel": 0, "aiTrack": 1, "AiDetectType": {"vehicle": 0}},
        Read("GetAiCfg", CH0, {"aiTrack": 1, "AiDetectType": {"vehicle": 0, "people": 1}}),
    ),
)

# AudioAlarmPlay (3.8.12) has no Get in the guide: playing leaves the siren settings alone,
# and test_audio_alarm_play_switches_the_siren reads the siren from the device itself.
SIREN_CASE = rt(
    "AudioAlarmPlay",
    {"channel": 0, "alarm_mode": "manu", "manual_switch": 1},
    Read("GetAudioAlarmV20", CH0, {"Audio": {"enable": 0}}),
    changes=False,
)
ALL_ROUND_TRIPS = (*ROUND_TRIPS, SIREN_CASE)
# The case whose starting state and reads the error tests of a command reuse.
FIRST_CASE: dict[str, RoundTrip] = {case.cmd: case for case in reversed(ALL_ROUND_TRIPS)}


# ---------------------------------------------------------------- running cases


async def call(
    api: Api, token: str, cmd: str, param: Mapping[str, Any], action: int = 0
) -> dict[str, Any]:
    answers = await api.post([{"cmd": cmd, "action": action, "param": param}], token=token)
    assert len(answers) == 1
    return answers[0]


async def value_of(api: Api, token: str, cmd: str, param: Mapping[str, Any]) -> Any:
    answer = await call(api, token, cmd, param)
    assert Api.error_code(answer) is None, answer
    return answer["value"]


async def prepared(start_sim: StartSim, case: RoundTrip) -> tuple[Api, str]:
    """A fresh simulator in the case's starting state, with a token."""
    api = await start_sim(profile=case.profile)
    if case.patch:
        api.sim.patch_state(case.patch)
    if case.tweak is not None:
        case.tweak(api.sim)
    token = await api.token()
    for cmd, param in case.setup:
        await value_of(api, token, cmd, param)
    return api, token


async def read_all(api: Api, token: str, case: RoundTrip) -> list[Any]:
    return [
        without(await value_of(api, token, read.cmd, read.param), read.volatile)
        for read in case.reads
    ]


def assert_reads(case: RoundTrip, values: list[Any], *, changed: bool) -> None:
    for read, value in zip(case.reads, values, strict=True):
        assert contains(value, read.expected) is changed, (read.cmd, value)


@pytest.mark.parametrize("case", ALL_ROUND_TRIPS, ids=lambda case: case.id)
async def test_round_trip(start_sim: StartSim, case: RoundTrip) -> None:
    """The reads do not show the change before the command and do show it after."""
    api, token = await prepared(start_sim, case)
    assert_reads(case, await read_all(api, token, case), changed=not case.changes)
    await value_of(api, token, case.cmd, case.param)
    assert_reads(case, await read_all(api, token, case), changed=True)


async def test_audio_alarm_play_switches_the_siren(start_sim: StartSim) -> None:
    """3.8.12: manu on, manu off and times N, seen on the device (no Get reports it)."""
    api, token = await prepared(start_sim, SIREN_CASE)
    assert 0 not in api.sim.device.siren
    await value_of(api, token, "AudioAlarmPlay", SIREN_CASE.param)
    assert api.sim.device.siren[0] == {"mode": "manu", "on": True}
    await value_of(api, token, "AudioAlarmPlay", {**SIREN_CASE.param, "manual_switch": 0})
    assert api.sim.device.siren[0] == {"mode": "manu", "on": False}
    await value_of(api, token, "AudioAlarmPlay", {"channel": 0, "alarm_mode": "times", "times": 3})
    assert api.sim.device.siren[0] == {"mode": "times", "times": 3}


# ---------------------------------------------------------------- action 1 on every Get

GET_CASES: dict[str, tuple[str, dict[str, Any]]] = {
    "GetAbility": ("ipc", {"User": {"userName": "admin"}}),
    "GetDevInfo": ("ipc", {}),
    "GetDevName": ("ipc", {}),
    "GetTime": ("ipc", {}),
    "GetAutoMaint": ("ipc", {}),
    "GetHddInfo": ("ipc", {}),
    "GetAutoUpgrade": ("ipc", {}),
    "Getchannelstatus": ("nvr-8", {}),
    "GetUser": ("ipc", {}),
    "GetOnline": ("ipc", {}),
    "GetSysCfg": ("ipc", {}),
    "GetLocalLink": ("ipc", {}),
    "GetDdns": ("ipc", {}),
    "GetEmail": ("ipc", {}),
    "GetEmailV20": ("ipc", {}),
    "GetFtp": ("ipc", {}),
    "GetFtpV20": ("ipc", {}),
    "GetNtp": ("ipc", {}),
    "GetNetPort": ("ipc", {}),
    "GetUpnp": ("ipc", {}),
    "GetWifi": ("wifi", {}),
    "GetWifiSignal": ("wifi", {}),
    "GetPush": ("ipc", {}),
    "GetPushV20": ("ipc", {}),
    "GetPushCfg": ("ipc", {}),
    "GetP2p": ("ipc", {}),
    "GetCertificateInfo": ("ipc", {}),
    "GetRtspUrl": ("ipc", CH0),
    "GetImage": ("ipc", CH0),
    "GetOsd": ("ipc", CH0),
    "GetIsp": ("ipc", CH0),
    "GetMask": ("ipc", CH0),
    "GetCrop": ("ipc", CH0),
    "GetStitch": ("floodlight", {}),
    "GetEnc": ("ipc", CH0),
    "GetRec": ("ipc", CH0),
    "GetRecV20": ("ipc", CH0),
    "GetPtzPreset": ("ptz", CH0),
    "GetPtzPatrol": ("ptz", CH0),
    "GetPtzSerial": ("ptz", CH0),
    "GetPtzTattern": ("ptz", CH0),
    "GetAutoFocus": ("ptz", CH0),
    "GetZoomFocus": ("ptz", CH0),
    "GetPtzGuard": ("ptz", CH0),
    "GetPtzCheckState": ("ptz", CH0),
    "GetAlarm": ("ipc", {"Alarm": {"channel": 0, "type": "md"}}),
    "GetMdAlarm": ("ipc", CH0),
    "GetMdState": ("ipc", CH0),
    "GetAudioAlarm": ("ipc", CH0),
    "GetAudioAlarmV20": ("ipc", CH0),
    "GetBuzzerAlarmV20": ("nvr-8", {}),
    "GetIrLights": ("ipc", CH0),
    "GetPowerLed": ("ipc", CH0),
    "GetWhiteLed": ("floodlight", CH0),
    "GetAiAlarm": ("ipc", {"channel": 0, "ai_type": "people"}),
    "GetAiCfg": ("ipc", CH0),
    "GetAiState": ("ipc", CH0),
}
# Gets whose examples in the guide carry "range" (3.1.5 ... 3.10.5).
DOCUMENTED_RANGES = frozenset(
    {
        "GetTime",
        "GetAutoMaint",
        "GetAutoUpgrade",
        "GetUser",
        "GetSysCfg",
        "GetLocalLink",
        "GetDdns",
        "GetFtp",
        "GetFtpV20",
        "GetNtp",
        "GetUpnp",
        "GetWifi",
        "GetWifiSignal",
        "GetPushCfg",
        "GetP2p",
        "GetImage",
        "GetOsd",
        "GetIsp",
        "GetMask",
        "GetCrop",
        "GetStitch",
        "GetEnc",
        "GetPtzPreset",
        "GetPtzPatrol",
        "GetPtzSerial",
        "GetPtzTattern",
        "GetAutoFocus",
        "GetAlarm",
        "GetIrLights",
        "GetPowerLed",
        "GetWhiteLed",
    }
)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def range_problems(value: Any, rule: Any, path: str = "") -> tuple[int, list[str]]:
    """Check ``value`` against a ``range`` entry: (number of leaves checked, problems)."""
    if isinstance(value, list) and not isinstance(rule, list):
        results = [range_problems(item, rule, f"{path}[{i}]") for i, item in enumerate(value)]
        return sum(n for n, _ in results), [p for _, problems in results for p in problems]
    if isinstance(rule, list) and rule and all(isinstance(option, dict) for option in rule):
        # GetEnc: one range entry per resolution set; the value must fit one of them.
        return min(
            (range_problems(value, option, path) for option in rule), key=lambda r: len(r[1])
        )
    ok = _leaf_ok(value, rule)
    if ok is not None:
        return 1, [] if ok else [f"{path}: {value!r} outside {rule!r}"]
    if isinstance(rule, dict) and isinstance(value, dict):
        results = [
            range_problems(value[k], sub, f"{path}.{k}") for k, sub in rule.items() if k in value
        ]
        return sum(n for n, _ in results), [p for _, problems in results for p in problems]
    if not isinstance(rule, (dict, list)) and not isinstance(value, (dict, list)):
        return 1, [] if value == rule else [f"{path}: {value!r} is not {rule!r}"]
    return 0, []


def _leaf_ok(value: Any, rule: Any) -> bool | None:
    """True/False for a constraining rule, None when ``rule`` is not one."""
    if rule == "boolean":
        return value in (0, 1) and not isinstance(value, bool)
    if isinstance(rule, list):
        return value in rule
    if isinstance(rule, dict) and _is_number(rule.get("max")) and _is_number(value):
        return bool(rule["min"] <= value <= rule["max"])
    if isinstance(rule, dict) and "maxLen" in rule:
        return isinstance(value, str) and rule.get("minLen", 0) <= len(value) <= rule["maxLen"]
    return None


@pytest.mark.parametrize("cmd", sorted(GET_CASES))
async def test_get_action_one(start_sim: StartSim, cmd: str) -> None:
    """action 0: value only; action 1: the same value, plus initial/range where documented."""
    profile, param = GET_CASES[cmd]
    api = await start_sim(profile=profile)
    token = await api.token()
    plain = await call(api, token, cmd, param, action=0)
    assert Api.error_code(plain) is None, plain
    assert "initial" not in plain
    assert "range" not in plain
    detailed = await call(api, token, cmd, param, action=1)
    assert Api.error_code(detailed) is None, detailed
    volatile = CLOCK_KEYS if cmd == "GetTime" else frozenset()
    assert without(detailed["value"], volatile) == without(plain["value"], volatile)
    if cmd not in DOCUMENTED_RANGES:
        return
    assert detailed["initial"].keys() == detailed["value"].keys()
    checked, problems = range_problems(detailed["value"], detailed["range"])
    assert problems == []
    assert checked > 0, "the range constrains nothing in the value"
    _, initial_problems = range_problems(detailed["initial"], detailed["range"])
    assert initial_problems == []


@pytest.mark.parametrize(
    ("value", "rule", "fits"),
    [
        (5, {"max": 4, "min": 0}, False),
        (4, {"max": 4, "min": 0}, True),
        ("Off", ["Auto", "Off"], True),
        ("On", ["Auto", "Off"], False),
        (2, "boolean", False),
        ("x" * 9, {"maxLen": 8}, False),
        ({"gain": {"max": 120}}, {"gain": {"max": {"max": 100, "min": 1}}}, False),
        ([{"id": 65}], {"id": {"max": 64, "min": 1}}, False),
        ({"size": "640*360"}, [{"size": "2560*1440"}, {"size": "640*360"}], True),
    ],
)
def test_range_checker(value: Any, rule: Any, fits: bool) -> None:
    """The checker above flags what it should (so a silent pass means something)."""
    checked, problems = range_problems(value, rule)
    assert checked >= 1
    assert (problems == []) is fits


# ---------------------------------------------------------------- error paths of every Set

RANGE = -4  # out of range or wrong type
MISSING = -23
NO_CHANNEL = -49


def ch1(section: str, **values: Any) -> dict[str, Any]:
    """The section on channel 1, which a one-channel camera does not have."""
    return {section: {"channel": 1, **values}}


ERRORS: dict[str, tuple[tuple[dict[str, Any], int], ...]] = {
    "SetDevName": (
        ({"DevName": {"name": "x" * 32}}, RANGE),
        ({"DevName": {"name": 5}}, RANGE),
        ({"DevName": "Porch"}, RANGE),
        ({}, MISSING),
    ),
    "SetTime": (
        ({"Time": {"hour": 24}}, RANGE),
        ({"Time": {"timeFmt": "DD.MM.YY"}}, RANGE),
        ({"Dst": {"offset": 3}}, RANGE),
        ({"Time": "noon"}, RANGE),
        ({"Time": {"year": 2030, "mon": 2, "day": 30, "hour": 0, "min": 0, "sec": 0}}, RANGE),
        ({}, MISSING),
    ),
    "SetAutoMaint": (
        ({"AutoMaint": {"weekDay": "Someday"}}, RANGE),
        ({"AutoMaint": {"hour": "3"}}, RANGE),
        ({}, MISSING),
    ),
    "SetAutoUpgrade": (({"AutoUpgrade": {"enable": 2}}, RANGE), ({}, MISSING)),
    "Format": (
        ({"HddInfo": {"id": [3]}}, RANGE),
        ({"HddInfo": {"id": "0"}}, RANGE),
        ({}, MISSING),
    ),
    "AddUser": (
        ({"User": {**VIEWER["User"], "password": "123"}}, RANGE),
        ({"User": {**VIEWER["User"], "level": "root"}}, RANGE),
        ({"User": {"userName": "viewer", "level": "guest"}}, MISSING),
        ({}, MISSING),
        ({"User": {**VIEWER["User"], "userName": "admin"}}, -28),
    ),
    "ModifyUser": (
        ({"User": {"userName": "viewer", "level": "root"}}, RANGE),
        ({"User": {"userName": "viewer", "newPassword": "123"}}, RANGE),
        ({"User": {"userName": "ghost", "level": "admin"}}, -39),
        ({"User": {"level": "admin"}}, MISSING),
        ({}, MISSING),
        ({"User": {"userName": "viewer", "oldPassword": "wrong", "newPassword": "x" * 8}}, -502),
    ),
    "DelUser": (
        ({"User": {"userName": ""}}, RANGE),
        ({"User": {"userName": "admin"}}, RANGE),  # not the logged-in user itself
        ({"User": {"userName": "ghost"}}, -39),
        ({}, MISSING),
    ),
    "Disconnect": (
        ({"User": {"userName": "admin", "sessionId": str(FIRST_SESSION + 1)}}, RANGE),
        ({"User": {"userName": "admin", "sessionId": FIRST_SESSION}}, RANGE),  # own session
        ({"User": {"userName": "admin", "sessionId": 99}}, -1),
        ({}, MISSING),
    ),
    "SetSysCfg": (
        ({"SysCfg": {"allowedTimes": 6}}, RANGE),
        ({"SysCfg": {"loginLock": "yes"}}, RANGE),
        ({}, MISSING),
    ),
    "SetLocalLink": (
        ({"LocalLink": {"type": "PPPoE"}}, RANGE),
        ({"LocalLink": {"static": "192.168.0.9"}}, RANGE),
        ({"LocalLink": {"static": {"ip": "1" * 16}}}, RANGE),
        ({}, MISSING),
    ),
    "SetDdns": (
        ({"Ddns": {"type": "3322"}}, RANGE),
        ({"Ddns": {"enable": 5}}, RANGE),
        ({}, MISSING),
    ),
    "SetEmail": (
        ({"Email": {"interval": "2 Minutes"}}, RANGE),
        ({"Email": {"smtpPort": 0}}, RANGE),
        ({}, MISSING),
    ),
    "SetEmailV20": (({"Email": {"attachmentType": 4}}, RANGE), ({}, MISSING)),
    "TestEmail": (
        ({"Email": "smtp.example.com"}, RANGE),
        ({"Email": {"smtpServer": ""}}, -481),
        ({"Email": {"smtpServer": "smtp.example.com"}}, -480),
        ({}, MISSING),
    ),
    "SetFtp": (
        ({"Ftp": {"interval": 7}}, RANGE),
        ({"Ftp": {"port": 70000}}, RANGE),
        ({}, MISSING),
    ),
    "SetFtpV20": (({"Ftp": {"picWidth": 100}}, RANGE), ({}, MISSING)),
    "TestFtp": (
        ({"Ftp": 21}, RANGE),
        ({"Ftp": {"server": ""}}, -454),
        ({"Ftp": {"server": "192.0.2.1"}}, -451),
        ({}, MISSING),
    ),
    "SetNtp": (
        ({"Ntp": {"interval": 5}}, RANGE),
        ({"Ntp": {"server": 123}}, RANGE),
        ({}, MISSING),
    ),
    "SetNetPort": (
        ({"NetPort": {"rtspPort": 0}}, RANGE),
        ({"NetPort": {"httpEnable": 2}}, RANGE),
        ({}, MISSING),
    ),
    "SetUpnp": (({"Upnp": {"enable": "on"}}, RANGE), ({}, MISSING)),
    "SetWifi": (
        ({"Wifi": {"ssid": "x" * 128}}, RANGE),
        ({"Wifi": {"password": 12345678}}, RANGE),
        ({}, MISSING),
    ),
    "TestWifi": (
        ({"Wifi": 5}, RANGE),
        ({"Wifi": {"ssid": "Unknown"}}, -100),
        ({"Wifi": {"ssid": "HomeNet", "password": "short"}}, -100),
        ({}, MISSING),
    ),
    "SetPush": (
        ({"Push": {"schedule": {"enable": 3}}}, RANGE),
        ({"Push": {"schedule": "always"}}, RANGE),
        ({}, MISSING),
    ),
    "SetPushV20": (({"Push": {"enable": 2}}, RANGE), ({}, MISSING)),
    "SetPushCfg": (({"PushCfg": {"pushInterval": 45}}, RANGE), ({}, MISSING)),
    "SetP2p": (({"P2p": {"enable": -1}}, RANGE), ({}, MISSING)),
    "CertificateClear": (),
    "SetImage": (
        (on_channel("Image", bright=256), RANGE),
        (on_channel("Image", bright="high"), RANGE),
        ({"Image": {"bright": 1}}, MISSING),
        ({}, MISSING),
        (ch1("Image", bright=1), NO_CHANNEL),
    ),
    "SetOsd": (
        (on_channel("Osd", osdTime={"pos": "Middle"}), RANGE),
        (on_channel("Osd", osdChannel={"name": "x" * 32}), RANGE),
        ({}, MISSING),
        (ch1("Osd", watermark=0), NO_CHANNEL),
    ),
    "SetIsp": (
        (on_channel("Isp", dayNight="Night"), RANGE),
        (on_channel("Isp", gain={"max": 500}), RANGE),
        (on_channel("Isp", shutter={"min": "fast"}), RANGE),
        ({}, MISSING),
        (ch1("Isp", dayNight="Color"), NO_CHANNEL),
    ),
    "SetMask": (
        (on_channel("Mask", enable=2), RANGE),
        (on_channel("Mask", area="all"), RANGE),
        ({}, MISSING),
        (ch1("Mask", enable=1), NO_CHANNEL),
    ),
    "SetCrop": (
        (on_channel("Crop", topLeftX=99999), RANGE),
        ({}, MISSING),
        (ch1("Crop", topLeftX=0), NO_CHANNEL),
    ),
    "SetStitch": (
        ({"stitch": {"distance": 25.0}}, RANGE),
        ({"stitch": {"stitchXMove": 101}}, RANGE),
        ({}, MISSING),
    ),
    "SetEnc": (
        (on_channel("Enc", mainStream={"bitRate": 1}), RANGE),
        (on_channel("Enc", subStream={"frameRate": 30}), RANGE),
        (on_channel("Enc", mainStream={"profile": "Extreme"}), RANGE),
        ({}, MISSING),
        (ch1("Enc", audio=1), NO_CHANNEL),
    ),
    "SetRec": (
        (on_channel("Rec", postRec="3 Minutes"), RANGE),
        ({}, MISSING),
        (ch1("Rec", preRec=0), NO_CHANNEL),
    ),
    "SetRecV20": (
        (on_channel("Rec", saveDay=0), RANGE),
        ({}, MISSING),
        (ch1("Rec", saveDay=7), NO_CHANNEL),
    ),
    "SetPtzPreset": (
        (on_channel("PtzPreset", id=65, enable=1), RANGE),
        (on_channel("PtzPreset", id=3, name="x" * 32), RANGE),
        (on_channel("PtzPreset", name="Door"), MISSING),
        ({}, MISSING),
        (ch1("PtzPreset", id=3, enable=1), NO_CHANNEL),
    ),
    "SetPtzPatrol": (
        (on_channel("PtzPatrol", id=1, preset=[{"id": 1, "speed": 65}]), RANGE),
        (on_channel("PtzPatrol", id=1, preset=[{"id": 99}]), RANGE),
        (on_channel("PtzPatrol", enable=1), MISSING),
        ({}, MISSING),
        (ch1("PtzPatrol", id=1, enable=1), NO_CHANNEL),
    ),
    "PtzCtrl": (
        ({"channel": 0, "op": "Somersault"}, RANGE),
        ({"channel": 0, "op": "Left", "speed": 65}, RANGE),
        ({"channel": 0, "op": "ToPos", "id": 40}, RANGE),
        ({"channel": 0}, MISSING),
        ({"op": "Left"}, MISSING),
        ({"channel": 1, "op": "Left"}, NO_CHANNEL),
    ),
    "SetPtzSerial": (
        (on_channel("PtzSerial", baudRate=115200), RANGE),
        ({}, MISSING),
        (ch1("PtzSerial", baudRate=9600), NO_CHANNEL),
    ),
    "SetPtzTattern": (
        (on_channel("PtzTattern", track=[{"id": 1, "enable": 2}]), RANGE),
        (on_channel("PtzTattern", track=[{"id": 9, "enable": 1}]), RANGE),
        (on_channel("PtzTattern"), MISSING),
        ({}, MISSING),
        (ch1("PtzTattern", track=[{"id": 1, "enable": 1}]), NO_CHANNEL),
    ),
    "SetAutoFocus": (
        (on_channel("AutoFocus", disable=2), RANGE),
        ({}, MISSING),
        (ch1("AutoFocus", disable=1), NO_CHANNEL),
    ),
    "StartZoomFocus": (
        (on_channel("ZoomFocus", op="ZoomPos", pos=99), RANGE),
        (on_channel("ZoomFocus", op="Spin", pos=1), RANGE),
        (on_channel("ZoomFocus", op="ZoomPos"), MISSING),
        ({}, MISSING),
        (ch1("ZoomFocus", op="ZoomPos", pos=1), NO_CHANNEL),
    ),
    "SetPtzGuard": (
        (on_channel("PtzGuard", timeout=90), RANGE),
        ({}, MISSING),
        (ch1("PtzGuard", benable=1), NO_CHANNEL),
    ),
    "PtzCheck": (({}, MISSING), ({"channel": 1}, NO_CHANNEL), ({"channel": "0"}, RANGE)),
    "SetAlarm": (
        (on_channel("Alarm", type="md", scope={"table": 5}), RANGE),
        ({}, MISSING),
        (ch1("Alarm", type="md", scope={"table": AREA}), NO_CHANNEL),
    ),
    "SetMdAlarm": (
        (on_channel("MdAlarm", newSens={"sensDef": 51}), RANGE),
        ({}, MISSING),
        (ch1("MdAlarm", newSens={"sensDef": 10}), NO_CHANNEL),
    ),
    "SetAudioAlarm": (
        (on_channel("Audio", schedule={"enable": 2}), RANGE),
        ({}, MISSING),
        (ch1("Audio", schedule={"enable": 1}), NO_CHANNEL),
    ),
    "SetAudioAlarmV20": (
        (on_channel("Audio", enable=2), RANGE),
        ({}, MISSING),
        (ch1("Audio", enable=1), NO_CHANNEL),
    ),
    "SetBuzzerAlarmV20": (({"Buzzer": {"enable": 2}}, RANGE), ({}, MISSING)),
    "AudioAlarmPlay": (
        ({"channel": 0, "alarm_mode": "forever"}, RANGE),
        ({"channel": 0, "alarm_mode": "times", "times": 4}, RANGE),
        ({"channel": 0, "alarm_mode": "manu", "manual_switch": 2}, RANGE),
        ({"channel": 0}, MISSING),
        ({"alarm_mode": "manu", "manual_switch": 1}, MISSING),
        ({"channel": 1, "alarm_mode": "manu", "manual_switch": 1}, NO_CHANNEL),
    ),
    "SetIrLights": (
        (on_channel("IrLights", state="Bright"), RANGE),
        (on_channel("IrLights", state=1), RANGE),
        ({"IrLights": {"state": "Off"}}, MISSING),
        ({}, MISSING),
        (ch1("IrLights", state="Off"), NO_CHANNEL),
    ),
    "SetPowerLed": (
        (on_channel("PowerLed", state="Blink"), RANGE),
        ({}, MISSING),
        (ch1("PowerLed", state="Off"), NO_CHANNEL),
    ),
    "SetWhiteLed": (
        (on_channel("WhiteLed", bright=101), RANGE),
        (on_channel("WhiteLed", mode=4), RANGE),
        (on_channel("WhiteLed", LightingSchedule={"StartHour": 24}), RANGE),
        ({}, MISSING),
        (ch1("WhiteLed", state=1), NO_CHANNEL),
    ),
    "SetAiAlarm": (
        ({"channel": 0, "AiAlarm": {"ai_type": "people", "sensitivity": 101}}, RANGE),
        ({"channel": 0, "AiAlarm": {"ai_type": "face", "sensitivity": 5}}, RANGE),
        ({"channel": 0, "AiAlarm": {"ai_type": "people", "min_target_width": 1.5}}, RANGE),
        ({"channel": 0, "AiAlarm": {"sensitivity": 5}}, MISSING),
        ({"channel": 0}, MISSING),
        ({"channel": 1, "AiAlarm": {"ai_type": "people", "sensitivity": 5}}, NO_CHANNEL),
    ),
    "SetAlarmArea": (
        ({"channel": 0, "ai_type": "people", "area": "2" * 4800}, RANGE),
        ({"channel": 0, "ai_type": "people", "area": "1" * 10}, RANGE),
        ({"channel": 0, "ai_type": "people"}, MISSING),
        ({"channel": 0, "area": AREA}, MISSING),
        ({"channel": 1, "ai_type": "people", "area": AREA}, NO_CHANNEL),
    ),
    "SetAiCfg": (
        ({"channel": 0, "aiTrack": 2}, RANGE),
        ({"channel": 0, "AiDetectType": {"people": 5}}, RANGE),
        ({"channel": 0}, MISSING),
        ({"aiTrack": 0}, MISSING),
        ({"channel": 1, "aiTrack": 0}, NO_CHANNEL),
    ),
    # No parameters to get wrong (UpgradeOnline's -30 is in test_commands).
    "Restore": (),
    "UpgradeOnline": (),
}
NO_PARAMETERS = frozenset({"Restore", "UpgradeOnline", "CertificateClear"})


async def device_state(api: Api) -> Any:
    status, state = await api.control("GET", "/sim/state")
    assert status == 200
    return state


@pytest.mark.parametrize("cmd", sorted(ERRORS))
async def test_set_errors_leave_state_alone(start_sim: StartSim, cmd: str) -> None:
    """Each refused request answers its code; neither the reads nor the device state change."""
    case = FIRST_CASE[cmd]
    api, token = await prepared(start_sim, case)
    reads, state = await read_all(api, token, case), await device_state(api)
    outcome = [Api.error_code(await call(api, token, cmd, param)) for param, _ in ERRORS[cmd]]
    assert outcome == [code for _, code in ERRORS[cmd]]
    assert await read_all(api, token, case) == reads
    assert await device_state(api) == state


# A profile whose GetAbility lacks each command's feature.
UNSUPPORTED_ON: dict[str, str] = {
    "Format": "wifi",
    "SetWifi": "ipc",
    "TestWifi": "ipc",
    "SetStitch": "ipc",
    "SetPtzPreset": "ipc",
    "SetPtzPatrol": "ipc",
    "PtzCtrl": "ipc",
    "SetPtzSerial": "ipc",
    "SetPtzTattern": "ipc",
    "SetAutoFocus": "ipc",
    "StartZoomFocus": "ipc",
    "SetPtzGuard": "ipc",
    "PtzCheck": "ipc",
    "SetAudioAlarm": "doorbell",
    "SetAudioAlarmV20": "doorbell",
    "AudioAlarmPlay": "doorbell",
    "SetBuzzerAlarmV20": "ipc",
    "SetWhiteLed": "ipc",
    "SetAiAlarm": "wifi",
    "SetAlarmArea": "wifi",
    "SetAiCfg": "wifi",
}


@pytest.mark.parametrize("cmd", sorted(UNSUPPORTED_ON))
async def test_set_unsupported_profile(start_sim: StartSim, cmd: str) -> None:
    """A valid request on a profile without the feature answers -9 and changes nothing."""
    api = await start_sim(profile=UNSUPPORTED_ON[cmd])
    token = await api.token()
    state = await device_state(api)
    assert Api.error_code(await call(api, token, cmd, FIRST_CASE[cmd].param)) == -9
    assert await device_state(api) == state


async def test_unsupported_table_is_complete(start_sim: StartSim) -> None:
    """Exactly the commands of UNSUPPORTED_ON answer -9 somewhere (checked on every profile)."""
    refused: set[str] = set()
    for profile in PROFILES:
        api = await start_sim(profile=profile)
        token = await api.token()
        names = sorted({case.cmd for case in ALL_ROUND_TRIPS})
        body = [{"cmd": name, "param": FIRST_CASE[name].param} for name in names]
        answers = []
        for start in range(0, len(body), api.sim.max_batch):
            answers.extend(await api.post(body[start : start + api.sim.max_batch], token=token))
        refused |= {
            name
            for name, answer in zip(names, answers, strict=True)
            if Api.error_code(answer) == -9
        }
    assert refused == set(UNSUPPORTED_ON)


# ---------------------------------------------------------------- completeness


def _has_channel(param: Mapping[str, Any]) -> bool:
    return "channel" in param or any(
        isinstance(value, Mapping) and "channel" in value for value in param.values()
    )


def test_every_command_has_a_kind() -> None:
    assert len(COMMANDS) == 130
    kinds = [is_get(cmd) + is_set(cmd) + (cmd in OTHERS) for cmd in COMMANDS]
    assert kinds == [1] * len(COMMANDS)
    assert set(COMMANDS) >= ACTIONS
    assert set(COMMANDS) >= OTHERS


def test_tables_cover_their_kind() -> None:
    """A command added to commands.txt without a case here fails this test."""
    set_kind = {cmd for cmd in COMMANDS if is_set(cmd)}
    assert {case.cmd for case in ALL_ROUND_TRIPS} == set_kind
    assert set(ERRORS) == set_kind
    assert set(GET_CASES) == {cmd for cmd in COMMANDS if is_get(cmd)}
    assert set(GET_CASES) >= DOCUMENTED_RANGES


@pytest.mark.parametrize("cmd", sorted(cmd for cmd in COMMANDS if is_set(cmd)))
def test_error_table_covers_every_kind_of_error(cmd: str) -> None:
    """-4 and -23 for every Set with parameters, -49 for every per-channel one."""
    codes = {code for _, code in ERRORS[cmd]}
    if cmd not in NO_PARAMETERS:
        assert {RANGE, MISSING} <= codes
    if _has_channel(FIRST_CASE[cmd].param):
        assert NO_CHANNEL in codes
