"""3.3 Network commands."""

from collections.abc import Mapping
from typing import Any

from simulator.commands.base import (
    MISSING_PARAM,
    SCHEDULE_V1_CHANNEL_KEYS,
    Call,
    CommandReply,
    Family,
    Reply,
    Spec,
    feature,
    minmax,
    ok,
    schedule_v1,
    text,
)
from simulator.errors import ApiError
from simulator.profiles import CameraKind, Profile

TEST_FAILED = -100
EMAIL_INTERVALS = ["30 Seconds", "1 Minute", "5 Minutes", "10 Minutes"]
SCAN_RESULTS: list[dict[str, Any]] = [
    {"bencrypt": 1, "signal": 4, "ssid": "HomeNet"},
    {"bencrypt": 1, "signal": 2, "ssid": "Neighbour-5G"},
    {"bencrypt": 0, "signal": 1, "ssid": "Guest"},
]


def _local_link(profile: Profile, _kind: CameraKind | None, _channel: int) -> dict[str, Any]:
    return {
        "activeLink": "Wifi" if profile.wifi else "LAN",
        "dns": {"auto": 1, "dns1": "192.168.0.1", "dns2": "192.168.0.1"},
        "mac": "",  # set per device (Device._stamp_identity)
        "static": {"gateway": "192.168.0.1", "ip": "192.168.0.100", "mask": "255.255.255.0"},
        "type": "DHCP",
    }


def _local_link_range(_profile: Profile, _kind: CameraKind | None) -> dict[str, Any]:
    return {
        "dns": {"auto": "boolean", "dns1": text(15), "dns2": text(15)},
        "static": {"gateway": text(15), "ip": text(15), "mask": text(15)},
        "type": ["DHCP", "Static"],
    }


def _ddns_range(_profile: Profile, _kind: CameraKind | None) -> dict[str, Any]:
    return {
        "domain": text(127),
        "enable": "boolean",
        "password": text(127),
        "type": ["no-ip", "dyndns"],
        "userName": text(127),
    }


def _email(_profile: Profile, _kind: CameraKind | None, _channel: int) -> dict[str, Any]:
    return {
        "addr1": "",
        "addr2": "",
        "addr3": "",
        "attachment": "picture",
        "interval": "5 Minutes",
        "nickName": "",
        "password": "",
        "schedule": {"enable": 1, "table": "1" * 168},
        "smtpPort": 465,
        "smtpServer": "",
        "ssl": 1,
        "userName": "",
    }


def _email_range(_profile: Profile, _kind: CameraKind | None) -> dict[str, Any]:
    return {
        "addr1": text(127),
        "addr2": text(127),
        "addr3": text(127),
        "attachment": ["0", "picture", "video", "onlyPicture"],
        "interval": EMAIL_INTERVALS,
        "nickName": text(31),
        "password": text(31),
        "schedule": {"enable": "boolean", "table": text(168)},
        "smtpPort": minmax(1, 65535),
        "smtpServer": text(127),
        "ssl": "boolean",
        "userName": text(127),
    }


def _email_v20(profile: Profile, kind: CameraKind | None, channel: int) -> dict[str, Any]:
    settings = _email(profile, kind, channel)
    del settings["schedule"], settings["attachment"]
    settings.update(attachmentType=0, diskErrorAlert=0, enable=0, textType=0)
    settings.update(schedule_v1(channel))
    return settings


def _email_v20_range(profile: Profile, kind: CameraKind | None) -> dict[str, Any]:
    rules = _email_range(profile, kind)
    del rules["schedule"], rules["attachment"]
    rules.update(
        attachmentType=minmax(0, 3),
        diskErrorAlert="boolean",
        enable="boolean",
        scheduleEnable="boolean",
    )
    return rules


def _ftp(_profile: Profile, _kind: CameraKind | None, _channel: int) -> dict[str, Any]:
    return {
        "anonymous": 0,
        "interval": 30,
        "maxSize": 100,
        "mode": 0,
        "password": "",
        "port": 21,
        "remoteDir": "",
        "schedule": {"enable": 0, "table": "1" * 168},
        "server": "",
        "streamType": 0,
        "userName": "",
    }


def _ftp_range(_profile: Profile, _kind: CameraKind | None) -> dict[str, Any]:
    return {
        "anonymous": "boolean",
        "interval": [5, 10, 15, 30, 60],
        "maxSize": minmax(10, 1024),
        "mode": minmax(0, 2),
        "password": text(127),
        "port": minmax(1, 65535),
        "remoteDir": text(127),
        "schedule": {"enable": "boolean", "table": text(168)},
        "server": text(127),
        "streamType": minmax(0, 3),
        "userName": text(127),
    }


def _ftp_v20(profile: Profile, kind: CameraKind | None, channel: int) -> dict[str, Any]:
    settings = _ftp(profile, kind, channel)
    del settings["schedule"]
    settings.update(
        autoDir=1,
        bpicSingle=0,
        bvideoSingle=0,
        enable=0,
        onlyFtps=0,
        picCaptureMode=3,
        picHeight=1080,
        picInterval=60,
        picName="",
        picWidth=1920,
        videoName="",
    )
    settings.update(schedule_v1(channel))
    return settings


def _ftp_v20_range(profile: Profile, kind: CameraKind | None) -> dict[str, Any]:
    rules = _ftp_range(profile, kind)
    del rules["schedule"]
    rules.update(
        autoDir=[0, 1, 2, 3],
        bpicSingle=[0, 1, 2],
        bvideoSingle=[0, 1, 2],
        enable="boolean",
        onlyFtps="boolean",
        picCaptureMode=[0, 1, 2, 3],
        picHeight=minmax(360, 2160),
        picInterval=[2, 5, 10, 15, 30, 60, 300, 600, 1800],
        picName=text(127),
        picWidth=minmax(640, 3840),
        scheduleEnable="boolean",
        videoName=text(127),
    )
    return rules


NET_PORTS: dict[str, int] = {
    "httpEnable": 1,
    "httpPort": 80,
    "httpsEnable": 1,
    "httpsPort": 443,
    "mediaPort": 9000,
    "onvifEnable": 1,
    "onvifPort": 8000,
    "rtmpEnable": 1,
    "rtmpPort": 1935,
    "rtspEnable": 1,
    "rtspPort": 554,
}


def _net_port_range(_profile: Profile, _kind: CameraKind | None) -> dict[str, Any]:
    return {key: "boolean" if key.endswith("Enable") else minmax(1, 65535) for key in NET_PORTS}


def _push_v20(_profile: Profile, _kind: CameraKind | None, channel: int) -> dict[str, Any]:
    return {"enable": 1, **schedule_v1(channel)}


FAMILIES: tuple[Family, ...] = (
    Family(
        key="LocalLink",
        get_cmd="GetLocalLink",
        set_cmd="SetLocalLink",
        gate=feature("localLink"),
        per_channel=False,
        default=_local_link,
        range=_local_link_range,
        fixed=frozenset({"mac", "activeLink"}),
    ),
    Family(
        key="Ddns",
        get_cmd="GetDdns",
        set_cmd="SetDdns",
        gate=feature("ddns"),
        per_channel=False,
        default=lambda _p, _k, _c: {
            "domain": "",
            "enable": 0,
            "password": "",
            "type": "no-ip",
            "userName": "",
        },
        range=_ddns_range,
    ),
    Family(
        key="Email",
        get_cmd="GetEmail",
        set_cmd="SetEmail",
        gate=feature("email"),
        per_channel=False,
        default=_email,
        range=_email_range,
    ),
    Family(
        key="Email",
        get_cmd="GetEmailV20",
        set_cmd="SetEmailV20",
        gate=feature("email"),
        per_channel=True,
        default=_email_v20,
        range=_email_v20_range,
        state_key="EmailV20",
        channel_keys=SCHEDULE_V1_CHANNEL_KEYS,
    ),
    Family(
        key="Ftp",
        get_cmd="GetFtp",
        set_cmd="SetFtp",
        gate=feature("ftp"),
        per_channel=False,
        default=_ftp,
        range=_ftp_range,
    ),
    Family(
        key="Ftp",
        get_cmd="GetFtpV20",
        set_cmd="SetFtpV20",
        gate=feature("ftp"),
        per_channel=True,
        default=_ftp_v20,
        range=_ftp_v20_range,
        state_key="FtpV20",
        channel_keys=SCHEDULE_V1_CHANNEL_KEYS,
    ),
    Family(
        key="Ntp",
        get_cmd="GetNtp",
        set_cmd="SetNtp",
        gate=feature("ntp"),
        per_channel=False,
        default=lambda _p, _k, _c: {
            "enable": 1,
            "interval": 1440,
            "port": 123,
            "server": "pool.ntp.org",
        },
        range=lambda _p, _k: {
            "enable": "boolean",
            "interval": minmax(10, 65535),
            "port": minmax(1, 65535),
            "server": text(31),
        },
    ),
    Family(
        key="NetPort",
        get_cmd="GetNetPort",
        set_cmd="SetNetPort",
        gate=feature("rtsp"),
        per_channel=False,
        default=lambda _p, _k, _c: dict(NET_PORTS),
        range=_net_port_range,
    ),
    Family(
        key="Upnp",
        get_cmd="GetUpnp",
        set_cmd="SetUpnp",
        gate=feature("upnp"),
        per_channel=False,
        default=lambda _p, _k, _c: {"enable": 0},
        range=lambda _p, _k: {"enable": "boolean"},
    ),
    Family(
        key="Wifi",
        get_cmd="GetWifi",
        set_cmd="SetWifi",
        gate=feature("wifi"),
        per_channel=False,
        default=lambda _p, _k, _c: {"password": "", "ssid": "HomeNet"},
        range=lambda _p, _k: {"password": text(127), "ssid": text(127)},
    ),
    Family(
        key="WifiSignal",
        get_cmd="GetWifiSignal",
        set_cmd=None,
        gate=feature("wifi"),
        per_channel=False,
        default=lambda _p, _k, _c: {"wifiSignal": 72},
        range=lambda _p, _k: {"wifiSignal": minmax(0, 255)},
        wrap=False,
    ),
    Family(
        key="Push",
        get_cmd="GetPush",
        set_cmd="SetPush",
        gate=feature("push"),
        per_channel=False,
        default=lambda _p, _k, _c: {"schedule": {"enable": 1, "table": "1" * 168}},
        range=lambda _p, _k: {"schedule": {"enable": "boolean", "table": text(168)}},
    ),
    Family(
        key="Push",
        get_cmd="GetPushV20",
        set_cmd="SetPushV20",
        gate=feature("push"),
        per_channel=True,
        default=_push_v20,
        range=lambda _p, _k: {"enable": "boolean", "scheduleEnable": "boolean"},
        state_key="PushV20",
        channel_keys=SCHEDULE_V1_CHANNEL_KEYS,
    ),
    Family(
        key="PushCfg",
        get_cmd="GetPushCfg",
        set_cmd="SetPushCfg",
        gate=feature("push"),
        per_channel=False,
        default=lambda _p, _k, _c: {"pushInterval": 30},
        range=lambda _p, _k: {"pushInterval": [0, 30, 60, 120, 300, 600]},
    ),
    Family(
        key="P2p",
        get_cmd="GetP2p",
        set_cmd="SetP2p",
        gate=feature("p2p"),
        per_channel=False,
        default=lambda _p, _k, _c: {
            "enable": 1,
            "uid": "",
        },  # set per device (Device._stamp_identity)
        range=lambda _p, _k: {"enable": "boolean"},
        fixed=frozenset({"uid"}),
    ),
    Family(
        key="CertificateInfo",
        get_cmd="GetCertificateInfo",
        set_cmd=None,
        gate=feature("https"),
        per_channel=False,
        default=lambda _p, _k, _c: {"crtName": "", "enable": 0, "keyName": ""},
        range=lambda _p, _k: {},
    ),
)


def _fields(section: Mapping[str, Any], names: tuple[str, ...]) -> bool:
    return all(isinstance(section.get(name), (str, int)) and section.get(name) for name in names)


def test_email(call: Call) -> Reply:
    """3.3.9 TestEmail: passes when server, sender and one recipient are filled in."""
    email = dict(call.device.config("EmailV20", None))
    email.update(call.section("Email"))
    email.update({k: v for k, v in call.param.items() if k != "Email"})
    if not email.get("smtpServer"):
        raise ApiError(-481)
    if not _fields(email, ("userName", "addr1")):
        raise ApiError(-480)
    return ok()


def test_ftp(call: Call) -> Reply:
    """3.3.14 TestFtp: passes when server and (unless anonymous) a user are given."""
    ftp = dict(call.device.config("FtpV20", None))
    ftp.update(call.section("Ftp"))
    if not ftp.get("server"):
        raise ApiError(-454)
    if not ftp.get("anonymous") and not _fields(ftp, ("userName", "password")):
        raise ApiError(-451)
    return ok()


def test_wifi(call: Call) -> Reply:
    """3.3.23 TestWifi: the scanned networks accept a password of 8+ characters."""
    wifi = call.section("Wifi")
    ssid, password = wifi.get("ssid"), wifi.get("password")
    if ssid is None:
        raise ApiError(MISSING_PARAM)
    known = {entry["ssid"]: entry["bencrypt"] for entry in SCAN_RESULTS}
    if ssid not in known:
        raise ApiError(TEST_FAILED)
    if known[ssid] and (not isinstance(password, str) or len(password) < 8):
        raise ApiError(TEST_FAILED)
    return ok()


def scan_wifi(_call: Call) -> Reply:
    """3.3.24 ScanWifi."""
    return CommandReply({"Wifi": SCAN_RESULTS})


def certificate_clear(call: Call) -> Reply:
    """3.3.35 CertificateClear: back to the built-in certificate."""
    call.device.set_config("CertificateInfo", None, {"crtName": "", "enable": 0, "keyName": ""})
    return ok()


def get_rtsp_url(call: Call) -> Reply:
    """3.3.36 GetRtspUrl: main and sub stream URLs of a channel."""
    assert call.channel is not None
    port = call.device.config("NetPort", None)["rtspPort"]
    number = call.channel + 1
    base = f"rtsp://0.0.0.0:{port}/Preview_{number:02d}"
    return CommandReply(
        {
            "rtspUrl": {
                "channel": call.channel,
                "mainStream": f"{base}_main",
                "subStream": f"{base}_sub",
            }
        }
    )


SPECS: tuple[Spec, ...] = (
    Spec("TestEmail", test_email, feature("email")),
    Spec("TestFtp", test_ftp, feature("ftpTest")),
    Spec("TestWifi", test_wifi, feature("wifiTest")),
    Spec("ScanWifi", scan_wifi, feature("wifi")),
    Spec("CertificateClear", certificate_clear, feature("https")),
    Spec("GetRtspUrl", get_rtsp_url, feature("rtsp"), per_channel=True),
)
