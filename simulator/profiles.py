"""Simulated hardware: camera kinds, device profiles and their GetAbility (3.1.1)."""

from dataclasses import dataclass, field
from typing import Any

PROFILES: tuple[str, ...] = (
    "ipc",
    "ptz",
    "zoom",
    "floodlight",
    "doorbell",
    "wifi",
    "trackmix",
    "nvr-8",
    "nvr-16",
    "nvr-trackmix",
    "hub",
)

# "non-motor vehicle" (bicycles) is spelled with a space, as GetEvents/GetAiState name it
# (reolink_aio's YOLO_DETECTS and its `ai_non-motor vehicle` capability).
AI_TYPES: tuple[str, ...] = ("people", "vehicle", "dog_cat", "face", "package", "non-motor vehicle")
ABILITY_AI_KEYS: dict[str, str] = {
    "people": "supportAiPeople",
    "vehicle": "supportAiVehicle",
    "dog_cat": "supportAiDogCat",
    "face": "supportAiFace",
}
# GetDevInfo `type`/`exactType` of devices whose channels are cameras (reolink_aio
# 0.22.0 `get_host_data`: "NVR", "WIFI_NVR", "HOMEHUB").
NVR_TYPES = frozenset({"NVR", "WIFI_NVR", "HOMEHUB"})
# Event kinds a chime can ring for (GetDingDongCfg `type`, reolink_aio `Chime.set_tone`).
CHIME_EVENTS: tuple[str, ...] = ("md", "people", "vehicle", "visitor")
READ_WRITE = 6
READ_ONLY = 4


@dataclass(frozen=True)
class CameraKind:
    """What one camera (or one NVR channel) can do."""

    model: str
    width: int = 3840
    height: int = 2160
    ai_types: tuple[str, ...] = ()
    ptz: bool = False  # pan/tilt head (with zoom and presets)
    zoom: bool = False  # motorised zoom/focus lens only (ptzType 1)
    ptz_type: int = 2  # the ptzType a pan/tilt kind reports (2, 3, 5 or 7 on real models)
    floodlight: bool = False
    # A tracker (TrackMix-like): HDR and binning in GetIsp, smart tracking with a method,
    # times and pan limits (GetAiCfg, GetPtzTraceSection).
    tracker: bool = False
    # A second, telephoto lens that follows what the tracker tracks (TrackMix): GetAbility
    # `supportAutoTrackStream`, Snap `iLogicChannel=1`, RTSP `Preview_NN_autotrack`.
    telephoto: bool = False
    # Real RLC-811A/823A report floodLight ver 0 and announce the spotlight only via
    # supportFLswitch/supportFLBrightness; others report floodLight ver 2.
    floodlight_ver: int = 2
    siren: bool = True
    doorbell: bool = False
    # A battery camera (behind a Home Hub or NVR): sleeps, has a PIR sensor, GetBatteryInfo.
    battery: bool = False
    power_led: bool = True
    ir: bool = True
    sd_card: bool = True
    colour: tuple[int, int, int] = (40, 90, 160)
    board: str = "IPC_523128M8MP"
    firmware: str = "v3.1.0.2174_23050800"


@dataclass(frozen=True)
class Chime:
    """A chime paired to the device (DingDong in the API)."""

    name: str
    events: tuple[str, ...] = CHIME_EVENTS
    firmware: str = "v3.0.0.97_22110903"


@dataclass(frozen=True)
class Profile:
    """A whole device: a single camera or an NVR with cameras behind it."""

    name: str
    model: str
    device_type: str
    channels: tuple[CameraKind, ...]
    offline: frozenset[int] = frozenset()
    wifi: bool = False
    hdd: bool = True
    stitch: bool = False
    hardware: str = "IPC_523128M8MP"
    item_no: str = "IPC_523128M8MP"
    extra: dict[str, Any] = field(default_factory=dict)
    # GetEvents exists on newer firmware only; older devices answer -9 and clients
    # fall back to GetMdState + GetAiState.
    events: bool = True
    # Chimes paired to the device itself (a Home Hub), answered without any camera.
    chimes: tuple[Chime, ...] = ()

    @property
    def is_nvr(self) -> bool:
        """A recorder or Home Hub: its channels are separate cameras."""
        return self.device_type in NVR_TYPES

    @property
    def is_hub(self) -> bool:
        return self.device_type == "HOMEHUB"


BULLET_4K = CameraKind("RLC-810A", ai_types=("people", "vehicle", "dog_cat"))
PTZ_4K = CameraKind(
    "RLC-823A", ai_types=("people", "vehicle", "dog_cat"), ptz=True, colour=(150, 70, 40)
)
FLOODLIGHT = CameraKind(
    "RLC-811A",
    ai_types=("people", "vehicle", "dog_cat"),
    floodlight=True,
    floodlight_ver=0,
    colour=(160, 140, 30),
)
# Modelled on the captured RLC-822A answers (../shared/reolink-api/real-firmware/).
ZOOM_4K = CameraKind(
    "RLC-822A",
    ai_types=("people", "vehicle", "dog_cat"),
    zoom=True,
    siren=False,
    power_led=False,
    colour=(60, 120, 120),
)
DOORBELL = CameraKind(
    "Reolink Video Doorbell PoE",
    width=2560,
    height=1920,
    # Package detection: the doorbells' kind (core's package sensor and its delay/sensitivity).
    ai_types=("people", "package"),
    doorbell=True,
    siren=False,
    colour=(120, 50, 140),
)
# A pan/tilt tracker reporting every AI kind of GetEvents: face and non-motor vehicle
# come from no GetAbility feature but from the event answers' `support` (as reolink_aio
# learns them); one profile carries them so each is exercised.
TRACKMIX = CameraKind(
    "Reolink TrackMix PoE",
    ai_types=("people", "vehicle", "dog_cat", "face", "non-motor vehicle"),
    ptz=True,
    tracker=True,
    telephoto=True,
    colour=(70, 110, 170),
)
WIFI_CAM = CameraKind(
    "E1 Outdoor", width=2560, height=1440, siren=False, power_led=True, colour=(40, 140, 80)
)
PLAIN_5MP = CameraKind(
    "RLC-510", width=2560, height=1920, siren=False, sd_card=False, colour=(90, 90, 90)
)
NVR_MIX: tuple[CameraKind, ...] = (
    BULLET_4K,
    PTZ_4K,
    FLOODLIGHT,
    PLAIN_5MP,
    DOORBELL,
    BULLET_4K,
    CameraKind("E1 Zoom", width=2560, height=1440, ai_types=("people",), ptz=True, ptz_type=5),
    PLAIN_5MP,
)


# Battery cameras behind the Home Hub (models as reolink_aio's model tables name them).
ARGUS_4_PRO = CameraKind(
    "Argus 4 Pro",
    width=3840,
    height=2160,
    ai_types=("people", "vehicle", "dog_cat"),
    battery=True,
    sd_card=False,
    colour=(70, 110, 60),
)
ARGUS_3_PRO = CameraKind(
    "Argus 3 Pro",
    width=2560,
    height=1440,
    ai_types=("people", "vehicle"),
    battery=True,
    siren=True,
    sd_card=False,
    colour=(110, 70, 60),
)
BATTERY_DOORBELL = CameraKind(
    "Reolink Video Doorbell Battery",
    width=2048,
    height=1536,
    ai_types=("people",),
    doorbell=True,
    battery=True,
    siren=False,
    sd_card=False,
    colour=(130, 60, 150),
)
HUB_CAMERAS: tuple[CameraKind, ...] = (ARGUS_4_PRO, ARGUS_3_PRO, BATTERY_DOORBELL)


def _nvr_channels(count: int) -> tuple[CameraKind, ...]:
    return tuple(NVR_MIX[index % len(NVR_MIX)] for index in range(count))


_PROFILES: dict[str, Profile] = {
    "ipc": Profile("ipc", "RLC-810A", "IPC", (BULLET_4K,)),
    "ptz": Profile("ptz", "RLC-823A", "IPC", (PTZ_4K,)),
    "zoom": Profile("zoom", "RLC-822A", "IPC", (ZOOM_4K,)),
    "floodlight": Profile("floodlight", "RLC-811A", "IPC", (FLOODLIGHT,), stitch=True),
    "doorbell": Profile("doorbell", "Reolink Video Doorbell PoE", "IPC", (DOORBELL,)),
    "wifi": Profile("wifi", "E1 Outdoor", "IPC", (WIFI_CAM,), wifi=True, hdd=False, events=False),
    "trackmix": Profile("trackmix", "Reolink TrackMix PoE", "IPC", (TRACKMIX,)),
    "nvr-8": Profile(
        "nvr-8",
        "RLN8-410",
        "NVR",
        _nvr_channels(8),
        offline=frozenset({5}),
        hardware="H3MB18",
        item_no="RLN8-410",
    ),
    "nvr-16": Profile(
        "nvr-16",
        "RLN16-410",
        "NVR",
        _nvr_channels(16),
        offline=frozenset({5}),
        hardware="H3MB18",
        item_no="RLN16-410",
    ),
    # A TrackMix behind an NVR: its telephoto lens is a stream of the same channel.
    "nvr-trackmix": Profile(
        "nvr-trackmix",
        "RLN8-410",
        "NVR",
        (TRACKMIX, BULLET_4K),
        hardware="H3MB18",
        item_no="RLN8-410",
    ),
    "hub": Profile(
        "hub",
        "Reolink Home Hub",
        "HOMEHUB",
        HUB_CAMERAS,
        hardware="HUB_N3MB01",
        item_no="Home Hub",
        chimes=(Chime("Hall chime"),),
    ),
}


def get_profile(name: str) -> Profile:
    """The profile called ``name``; ValueError for an unknown one."""
    try:
        return _PROFILES[name]
    except KeyError:
        raise ValueError(f"unknown profile {name!r}, expected one of {PROFILES}") from None


def _entry(ver: int | bool, permit: int = READ_WRITE) -> dict[str, int]:
    version = int(ver)
    return {"permit": permit if version else 0, "ver": version}


def channel_abilities(kind: CameraKind) -> dict[str, dict[str, int]]:
    """One ``abilityChn`` element (3.1.1): the per-channel feature versions."""
    ai = bool(kind.ai_types)
    versions: dict[str, int | bool] = {
        "aiTrack": kind.ptz and ai,
        "aiTrackDogCat": 0,
        "alarmAudio": kind.siren,
        "alarmIoIn": 0,
        "alarmIoOut": 0,
        "alarmMd": 1,
        "alarmRf": 0,
        "batAnalysis": 0,
        "battery": kind.battery,
        "cameraMode": 0,
        "disableAutoFocus": kind.ptz or kind.zoom,
        "enc": 1,
        "floodLight": kind.floodlight_ver if kind.floodlight else 0,
        "ftp": 6,
        "image": 1,
        "indicatorLight": kind.doorbell,
        "isp": 1,
        "isp3Dnr": 1,
        "ispAntiFlick": 1,
        "ispBackLight": 1,
        "ispBright": 1,
        "ispContrast": 1,
        "ispDayNight": 1,
        "ispExposureMode": 1,
        "ispFlip": 1,
        "ispHue": 1,
        "ispMirror": 1,
        "ispSatruation": 1,
        "ispSharpen": 1,
        "ispWhiteBalance": 1,
        "ledControl": kind.ir,
        "live": 1,
        "mainEncType": 1,
        "mask": 1,
        "mdTriggerAudio": 1,
        "mdTriggerRecord": 1,
        "mdWithPir": kind.battery,
        "osd": 1,
        "powerLed": kind.power_led,
        "ptzCtrl": 2 if kind.ptz or kind.zoom else 0,
        "ptzDirection": kind.ptz,
        "ptzPatrol": kind.ptz,
        "ptzPreset": kind.ptz,
        "ptzTattern": kind.ptz,
        "ptzType": kind.ptz_type if kind.ptz else int(kind.zoom),
        "recCfg": 1,
        "recDownload": 1,
        "recReplay": 1,
        "recSchedule": 2,
        "shelterCfg": 1,
        "snap": 1,
        "supportAi": ai,
        "supportAiAnimal": 0,
        "supportAiDetectConfig": ai,
        "supportAiSensitivity": ai,
        "supportAiStayTime": ai,
        "supportAiTargetSize": ai,
        "supportAiTrackClassify": kind.ptz and ai,
        "supportAITrackLimit": kind.tracker,
        "supportIspBinningModeCfg": kind.tracker,
        "supportIspHdr": kind.tracker,
        # A speaker: GetAudioCfg answers where this is set.
        "supportAoAdjust": kind.siren or kind.doorbell,
        "supportAutoTrackStream": kind.telephoto,
        "supportAudioFileList": kind.doorbell,
        "supportAutoReply": kind.doorbell,
        "supportDoorbell": kind.doorbell,
        "supportDoorbellLightKeepOff": kind.doorbell,
        "supportDoorbellLightKeepOn": kind.doorbell,
        "supportFLBrightness": kind.floodlight,
        "supportFLIntelligent": kind.floodlight,
        "supportFLKeepOn": kind.floodlight,
        "supportFLSchedule": kind.floodlight,
        "supportFLswitch": kind.floodlight,
        "supportGop": 1,
        "supportMd": 1,
        "supportPtzCalibration": kind.ptz,
        "supportPtzCheck": kind.ptz,
        "supportThresholdAdjust": 1,
        "supportWhiteDark": 0,
        "videoClip": 2,
        "waterMark": 1,
        "white_balance": 1,
    }
    for ai_type, key in ABILITY_AI_KEYS.items():
        versions[key] = ai_type in kind.ai_types
    return {name: _entry(ver) for name, ver in sorted(versions.items())}


def device_abilities(profile: Profile) -> dict[str, dict[str, int]]:
    """The device-wide features of GetAbility (3.1.1), beside ``abilityChn``."""
    local_storage = profile.hdd
    siren = any(kind.siren for kind in profile.channels)
    buzzer = profile.is_nvr and not profile.is_hub
    versions: dict[str, int | bool] = {
        "3g": 0,
        "alarmAudio": siren,
        "alarmDisconnet": profile.is_nvr,
        "alarmHddErr": local_storage,
        "alarmHddFull": local_storage,
        "alarmIpConflict": 1,
        "auth": 1,
        "autoMaint": 1,
        "cloudStorage": 0,
        "customAudio": 1,
        "dateFormat": 1,
        "ddns": 9,
        "ddnsCfg": 1,
        "devInfo": 1,
        "devName": 1,
        "disableAutoFocus": 0,
        "disk": local_storage and profile.is_nvr,
        "display": profile.is_nvr,
        "email": 3,
        "emailInterval": 1,
        "emailSchedule": 1,
        "exportCfg": 1,
        "ftpAutoDir": 1,
        "ftpExtStream": 0,
        "ftpPic": 1,
        "ftpSubStream": 1,
        "ftpTest": 1,
        "hourFmt": 1,
        "http": 1,
        "httpFlv": 1,
        "https": 1,
        "importCfg": 1,
        "ipcManager": profile.is_nvr,
        "ledControl": 0,
        "localLink": 1,
        "log": 1,
        "mediaPort": 1,
        "ntp": 1,
        "online": 1,
        "onvif": 1,
        "p2p": 1,
        "performance": 1,
        "pppoe": 0,
        "push": 1,
        "pushSchedule": 1,
        "reboot": 1,
        "recExtensionTimeList": 1,
        "recOverWrite": 1,
        "recPackDuration": 1,
        "recPreRecord": 1,
        "restore": 1,
        "rtmp": 1,
        "rtsp": 1,
        "scheduleVersion": 1,
        "sdCard": local_storage and not profile.is_nvr,
        "showQrCode": 1,
        "simMoudule": 0,
        # A camera without a siren reports these 0 (captured RLC-822A).
        "supportAudioAlarm": siren,
        "supportAudioAlarmEnable": siren,
        "supportAudioAlarmSchedule": siren,
        "supportAudioAlarmTaskEnable": siren,
        # A Home Hub has no buzzer (reolink_aio skips it on hubs).
        "supportBuzzer": buzzer,
        "supportBuzzerEnable": buzzer,
        "supportBuzzerTask": buzzer,
        "supportBuzzerTaskEnable": buzzer,
        "supportDingDongCtrl": bool(profile.chimes),
        "supportEmailEnable": 1,
        "supportEmailTaskEnable": 1,
        "supportFtpCoverPicture": 1,
        "supportFtpCoverVideo": 1,
        "supportFtpDirYM": 1,
        "supportFtpEnable": 1,
        "supportFtpPicCaptureMode": 1,
        "supportFtpPicResoCustom": 1,
        "supportFtpPictureSwap": 1,
        "supportFtpTask": 1,
        "supportFtpTaskEnable": 1,
        "supportFtpVideoSwap": 1,
        "supportFtpsEncrypt": 1,
        "supportHttpEnable": 1,
        "supportHttpsEnable": 1,
        "supportOnvifEnable": 1,
        "supportPushInterval": 1,
        "supportRecScheduleEnable": 1,
        "supportRecordEnable": 1,
        "supportRtmpEnable": 1,
        "supportRtspEnable": 1,
        "talk": 1,
        "time": 2,
        "tvSystem": 0,
        "upgrade": 2,
        "upnp": 1,
        "user": 1,
        "videoClip": 0,
        "wifi": profile.wifi,
        "wifiTest": profile.wifi,
    }
    return {name: _entry(ver) for name, ver in sorted(versions.items())}


def build_abilities(profile: Profile) -> dict[str, Any]:
    """The whole GetAbility value for a profile; IPCs report one ``abilityChn`` element."""
    ability: dict[str, Any] = dict(device_abilities(profile))
    ability["abilityChn"] = [channel_abilities(kind) for kind in profile.channels]
    return {"Ability": ability}
