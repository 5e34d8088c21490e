"""Typed access to settings: which Get answers each one, where it sits, how it is written.

The integration names a setting only through these objects; the command names and
JSON paths of the guide stay inside the client. A `Source` is one Get the settings
poll sends (for a channel, or device-wide with channel None); a `Field` is one typed
value of its answer, read strictly (a value of another type reads as None) and
written with the Set that real firmware takes (see `writes.py`).
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import IntEnum
from typing import TYPE_CHECKING, Any

from .commands import action, read_chime
from .exceptions import ReolinkResponseError
from .models import PORT_SWITCHES, AudioFile, ChimeTunes, OnlineUser, PtzPatrol, PtzPreset, as_map
from .protocol import Command, CommandResult, RangeInfo
from .sanitize import (
    MAX_CHIMES,
    MAX_LOGINS,
    MAX_OPTIONS,
    MAX_PATROLS,
    MAX_PRESETS,
    bounded_list,
)
from .values import PtzCheckState, PtzOp

if TYPE_CHECKING:
    from .client import ReolinkClient


# What a Home Hub or NVR answers for a sleeping battery camera from what it keeps
# (reolink_aio 0.22.0 `NONE_WAKING_COMMANDS`); any other command wakes the camera.
KEPT_WHILE_ASLEEP = frozenset(
    {
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
    }
)


@dataclass(frozen=True, slots=True)
class Source:
    """One Get of the settings poll.

    `family` is the object its fields sit in ("Isp"), `ai_type` a GetAiAlarm object kind.
    """

    command: str
    family: str | None = None
    ai_type: str | None = None
    # The Get names the channel inside its family: {"PtzCurPos": {"channel": 0}}.
    channel_inside: bool = False
    # DingDongOpt reads one chime, by its ID.
    chime: int | None = None

    @property
    def wakes_camera(self) -> bool:
        """Asking it about a sleeping battery camera wakes that camera."""
        return self.command not in KEPT_WHILE_ASLEEP

    @property
    def name(self) -> str:
        """The command with its object kind, e.g. "GetAiAlarm/people" (diagnostics)."""
        kind = self.ai_type if self.chime is None else str(self.chime)
        if kind is None:
            return self.command
        return f"{self.command}/{kind}"

    def request(self, channel: int | None) -> Command:
        """The Get for `channel`; per-channel reads ask for the `range` too (`action: 1`)."""
        if self.chime is not None:
            return read_chime(self.chime, channel).command
        param: dict[str, Any] = {} if channel is None else {"channel": channel}
        if self.channel_inside and self.family is not None and channel is not None:
            param = {self.family: param}
        if self.ai_type is not None:
            param["ai_type"] = self.ai_type
        return Command(self.command, param, action=1 if channel is not None else 0)


@dataclass(frozen=True, slots=True)
class Field[T]:
    """One value of a Source's answer at `path` inside its family, read with `convert`."""

    source: Source
    path: str
    convert: Callable[[Any], T | None]

    @property
    def full_path(self) -> str:
        """The path inside the answer's `value` and `range`, family included."""
        family = self.source.family
        return self.path if family is None else f"{family}.{self.path}"

    def read(self, value: Any) -> T | None:
        """The field in an answer's `value`, None when missing or of another type."""
        return self.convert(_walk(value, self.full_path))

    def options(self, result: CommandResult | None) -> list[Any]:
        """The choices the answer's `range` lists for the field."""
        return _range(result).options(self.full_path)

    def bounds(self, result: CommandResult | None) -> tuple[float, float] | None:
        """(min, max) from the answer's `range`."""
        return _range(result).min_max(self.full_path)

    def is_boolean(self, result: CommandResult | None) -> bool:
        """True when the `range` marks the field as an on/off value."""
        return _range(result).is_boolean(self.full_path)

    async def write(self, client: ReolinkClient, channel: int | None, new: T) -> None:
        """Change only this field, in the shape the Source's Set takes (`writes.py`)."""
        patch: Any = new
        for part in reversed(self.path.split(".")):
            patch = {part: patch}
        await client.write_setting(self.source, channel, patch)


def _walk(value: Any, path: str) -> Any:
    node = value
    for part in path.split("."):
        if isinstance(node, list) and part.isdigit():
            node = node[int(part)] if int(part) < len(node) else None
        else:
            node = node.get(part) if isinstance(node, Mapping) else None
    return node


def _range(result: CommandResult | None) -> RangeInfo:
    ranges = result.range if result is not None else None
    return RangeInfo(ranges if isinstance(ranges, Mapping) else {})


# --- converters: strict, so a value of another type reads as unknown ----------------------


def whole_number(raw: Any) -> int | None:
    """An integer (not a bool)."""
    return raw if isinstance(raw, int) and not isinstance(raw, bool) else None


def number(raw: Any) -> float | int | None:
    """An integer or a finite decimal (not a bool)."""
    return raw if isinstance(raw, (int, float)) and not isinstance(raw, bool) else None


def text(raw: Any) -> str | None:
    """A string."""
    return raw if isinstance(raw, str) else None


def scalar(raw: Any) -> int | str | None:
    """A value the device spells as an integer on some models and a word on others."""
    return raw if isinstance(raw, (int, str)) and not isinstance(raw, bool) else None


def _items[T](
    factory: Callable[[Mapping[str, Any]], T], maximum: int, what: str
) -> Callable[[Any], tuple[T, ...] | None]:
    def convert(raw: Any) -> tuple[T, ...] | None:
        if not isinstance(raw, list):
            return None
        items = bounded_list(what, raw, maximum)
        return tuple(factory(as_map(item)) for item in items if isinstance(item, Mapping))

    return convert


def _member[E: IntEnum](kind: type[E], raw: Any) -> E | None:
    """A code the enumeration names; an unknown code reads as unknown."""
    code = whole_number(raw)
    return kind(code) if code is not None and code in kind else None


def _on_off(raw: Any) -> int | None:
    """A 0/1 switch; some firmware sends true/false."""
    return int(raw) if isinstance(raw, bool) else whole_number(raw)


# --- the settings the integration shows, by section of the guide ----------------------------

# 3.1 System (device-wide)
DEVICE_INFO = Source("GetDevInfo", "DevInfo")
CHANNEL_STATUS = Source("GetChannelstatus")
# An NVR camera's model and firmware, read once at setup (not polled).
CHANNEL_TYPE = Source("GetChnTypeInfo")
HDD_INFO = Source("GetHddInfo")
AUTO_MAINT = Source("GetAutoMaint", "AutoMaint")
AUTO_UPGRADE = Source("GetAutoUpgrade", "AutoUpgrade")
AUTO_MAINT_ENABLE = Field(AUTO_MAINT, "enable", _on_off)
AUTO_UPGRADE_ENABLE = Field(AUTO_UPGRADE, "enable", _on_off)


@dataclass(frozen=True, slots=True)
class Disk:
    """One disk or SD card of 3.1.9 GetHddInfo, by its place in the list."""

    index: int

    def _field(self, key: str, convert: Callable[[Any], int | None]) -> Field[int]:
        return Field(HDD_INFO, f"HddInfo.{self.index}.{key}", convert)

    @property
    def capacity(self) -> Field[int]:
        """Its size in MB."""
        return self._field("capacity", whole_number)

    @property
    def free(self) -> Field[int]:
        """The space left in MB (`size`)."""
        return self._field("size", whole_number)

    @property
    def formatted(self) -> Field[int]:
        """1 once formatted."""
        return self._field("format", _on_off)

    @property
    def mounted(self) -> Field[int]:
        """1 while mounted."""
        return self._field("mount", _on_off)


# Not in the guide: the load of the device's processor (reolink_aio reads `cpuUsed`).
PERFORMANCE = Source("GetPerformance", "Performance")
CPU_USAGE = Field(PERFORMANCE, "cpuUsed", whole_number)

# 3.2 Security (device-wide)
ONLINE = Source("GetOnline")
ONLINE_USERS = Field(ONLINE, "User", _items(OnlineUser.from_value, MAX_LOGINS, "logins"))

# 3.3 Network (device-wide)
NTP = Source("GetNtp", "Ntp")
UPNP = Source("GetUpnp", "Upnp")
P2P = Source("GetP2p", "P2p")
WIFI_SIGNAL = Source("GetWifiSignal")
NET_PORT = Source("GetNetPort", "NetPort")
# The services the integration uses besides HTTP(S), switched on or off in Server settings.
ONVIF_PORT_ENABLE = Field(NET_PORT, PORT_SWITCHES["onvif"], _on_off)
RTSP_PORT_ENABLE = Field(NET_PORT, PORT_SWITCHES["rtsp"], _on_off)
PORT_ENABLE: Mapping[str, Field[int]] = {"onvif": ONVIF_PORT_ENABLE, "rtsp": RTSP_PORT_ENABLE}


async def open_port(client: ReolinkClient, service: str) -> None:
    """SetNetPort with one service of PORT_SWITCHES ("onvif", "rtsp") switched on."""
    await PORT_ENABLE[service].write(client, None, 1)


NTP_ENABLE = Field(NTP, "enable", _on_off)
UPNP_ENABLE = Field(UPNP, "enable", _on_off)
P2P_ENABLE = Field(P2P, "enable", _on_off)
WIFI_SIGNAL_LEVEL = Field(WIFI_SIGNAL, "wifiSignal", whole_number)

# 3.4 Image
IMAGE = Source("GetImage", "Image")
IMAGE_BRIGHTNESS = Field(IMAGE, "bright", number)
IMAGE_CONTRAST = Field(IMAGE, "contrast", number)
IMAGE_SATURATION = Field(IMAGE, "saturation", number)
IMAGE_HUE = Field(IMAGE, "hue", number)
IMAGE_SHARPNESS = Field(IMAGE, "sharpen", number)
OSD = Source("GetOsd", "Osd")
OSD_CHANNEL_NAME = Field(OSD, "osdChannel.enable", _on_off)
OSD_TIME = Field(OSD, "osdTime.enable", _on_off)
OSD_WATERMARK = Field(OSD, "watermark", _on_off)
ISP = Source("GetIsp", "Isp")
ISP_DAY_NIGHT = Field(ISP, "dayNight", text)
ISP_ANTI_FLICKER = Field(ISP, "antiFlicker", text)
ISP_EXPOSURE = Field(ISP, "exposure", text)
ISP_BACKLIGHT = Field(ISP, "backLight", text)
# On/off on most models; a few list numbered choices instead.
ISP_MIRRORING = Field(ISP, "mirroring", scalar)
ISP_ROTATION = Field(ISP, "rotation", scalar)
ISP_NOISE_REDUCTION_3D = Field(ISP, "nr3d", _on_off)
ISP_BACKLIGHT_COMPENSATION = Field(ISP, "blc", number)
ISP_DYNAMIC_RANGE = Field(ISP, "drc", number)
ISP_DAY_NIGHT_THRESHOLD = Field(ISP, "dayNightThreshold", number)
# Newer models (reolink_aio HDREnum, BinningModeEnum): 0 off, 1 auto, 2 on.
ISP_HDR = Field(ISP, "hdr", whole_number)
ISP_BINNING = Field(ISP, "binningMode", whole_number)
MASK = Source("GetMask", "Mask")
MASK_ENABLE = Field(MASK, "enable", _on_off)

# 3.5 Encoding
ENC = Source("GetEnc", "Enc")
ENC_AUDIO = Field(ENC, "audio", _on_off)


@dataclass(frozen=True, slots=True)
class Stream:
    """GetEnc's settings of one stream; its `range` lists resolutions, each with own rates."""

    key: str

    @property
    def size(self) -> Field[str]:
        """The resolution, e.g. "3840*2160"."""
        return Field(ENC, f"{self.key}.size", text)

    @property
    def dimensions(self) -> Field[tuple[int, int]]:
        """The resolution as (width, height)."""
        return Field(ENC, f"{self.key}.size", _dimensions)

    @property
    def frame_rate(self) -> Field[int]:
        """Frames per second."""
        return Field(ENC, f"{self.key}.frameRate", whole_number)

    @property
    def bit_rate(self) -> Field[int]:
        """Kilobits per second."""
        return Field(ENC, f"{self.key}.bitRate", whole_number)

    def sizes(self, result: CommandResult) -> list[Any]:
        """Every resolution the range offers."""
        sizes = (_walk(entry, f"{self.key}.size") for entry in _enc_sets(result))
        return list(dict.fromkeys(size for size in sizes if isinstance(size, str)))

    def rates(self, result: CommandResult, rate: Field[int]) -> list[Any]:
        """The frame or bit rates the range allows at the current resolution."""
        sets = _enc_sets(result)
        size = self.size.read(result.value)
        current = next((s for s in sets if _walk(s, f"{self.key}.size") == size), None)
        chosen = current or (sets[0] if sets else {})
        rates = _walk(chosen, rate.path)
        return list(rates) if isinstance(rates, list) else []


def _dimensions(raw: Any) -> tuple[int, int] | None:
    """GetEnc's "640*360"; None for anything else, zero sizes included."""
    if not isinstance(raw, str):
        return None
    width, _, height = raw.partition("*")
    if not (width.strip().isdecimal() and height.strip().isdecimal()):
        return None
    dimensions = int(width), int(height)
    return dimensions if min(dimensions) > 0 else None


MAIN_STREAM = Stream("mainStream")
SUB_STREAM = Stream("subStream")


def _enc_sets(result: CommandResult) -> list[Mapping[str, Any]]:
    """3.5.1: GetEnc's `range` is a list of resolution sets (one mapping on some firmware)."""
    ranges = result.range.get("Enc") if isinstance(result.range, Mapping) else None
    if isinstance(ranges, Mapping):
        ranges = [ranges]
    if not isinstance(ranges, list):
        return []
    return [entry for entry in ranges if isinstance(entry, Mapping)]


# 3.3 notifications, 3.6 recording, 3.8 buzzer and audio alarm
@dataclass(frozen=True, slots=True)
class Scheduled:
    """A scheduled function (recording, e-mail...) in both schedule versions.

    Version 1 (V20 commands): the device-wide `enable` and each camera's
    `scheduleEnable`; version 0: one `schedule.enable` per channel, if the family has one.
    """

    v20: Source
    legacy: Source | None

    @property
    def all_cameras(self) -> Field[int]:
        """The device-wide switch (version 1)."""
        return Field(self.v20, "enable", _on_off)

    @property
    def per_camera(self) -> Field[int]:
        """The camera's own switch (version 1)."""
        return Field(self.v20, "scheduleEnable", _on_off)

    @property
    def legacy_enable(self) -> Field[int] | None:
        """The channel's switch (version 0)."""
        return None if self.legacy is None else Field(self.legacy, "schedule.enable", _on_off)


# Not in the guide: recording on demand, beside the schedule.
MANUAL_REC = Source("GetManualRec", "Rec")
MANUAL_RECORD = Field(MANUAL_REC, "enable", _on_off)
REC = Source("GetRec", "Rec")
REC_V20 = Source("GetRecV20", "Rec")
RECORDING = Scheduled(REC_V20, REC)
EMAIL = Scheduled(Source("GetEmailV20", "Email"), Source("GetEmail", "Email"))
FTP = Scheduled(Source("GetFtpV20", "Ftp"), Source("GetFtp", "Ftp"))
PUSH = Scheduled(Source("GetPushV20", "Push"), Source("GetPush", "Push"))
BUZZER = Scheduled(Source("GetBuzzerAlarmV20", "Buzzer"), None)
AUDIO_ALARM_V20 = Source("GetAudioAlarmV20", "Audio")
AUDIO_ALARM = Source("GetAudioAlarm", "Audio")
# The audio alarm's `enable` is per channel in version 1.
AUDIO_ALARM_V20_ENABLE = Field(AUDIO_ALARM_V20, "enable", _on_off)
AUDIO_ALARM_ENABLE = Field(AUDIO_ALARM, "schedule.enable", _on_off)


def record_overwrite(source: Source) -> Field[int]:
    """3.6: overwrite the oldest recordings when full (REC or REC_V20)."""
    return Field(source, "overwrite", _on_off)


def pre_record(source: Source) -> Field[int]:
    """3.6: keep the seconds before an event."""
    return Field(source, "preRec", _on_off)


def post_record(source: Source) -> Field[str]:
    """3.6: how long recording goes on after an event ("1 Minute")."""
    return Field(source, "postRec", text)


def pack_time(source: Source) -> Field[str]:
    """3.6: the length of one recording file."""
    return Field(source, "packTime", text)


# 3.7 PTZ
# Not in the guide: where a pan/tilt head points (reolink_aio's request shape).
PTZ_POSITION = Source("GetPtzCurPos", "PtzCurPos", channel_inside=True)
PAN_POSITION = Field(PTZ_POSITION, "Ppos", whole_number)
TILT_POSITION = Field(PTZ_POSITION, "Tpos", whole_number)
PTZ_PRESET = Source("GetPtzPreset")
PTZ_PATROL = Source("GetPtzPatrol")
PTZ_GUARD = Source("GetPtzGuard", "PtzGuard")
PTZ_CHECK_STATE = Source("GetPtzCheckState")
AUTO_FOCUS = Source("GetAutoFocus", "AutoFocus")
ZOOM_FOCUS = Source("GetZoomFocus", "ZoomFocus")
PTZ_PRESETS = Field(
    PTZ_PRESET, "PtzPreset", _items(PtzPreset.from_value, MAX_PRESETS, "PTZ presets")
)
PTZ_PATROLS = Field(
    PTZ_PATROL, "PtzPatrol", _items(PtzPatrol.from_value, MAX_PATROLS, "PTZ patrols")
)
PTZ_GUARD_ENABLE = Field(PTZ_GUARD, "benable", _on_off)
PTZ_GUARD_TIMEOUT = Field(PTZ_GUARD, "timeout", whole_number)
PTZ_CHECK = Field(PTZ_CHECK_STATE, "PtzCheckState", lambda raw: _member(PtzCheckState, raw))
AUTO_FOCUS_DISABLE = Field(AUTO_FOCUS, "disable", _on_off)
ZOOM_POSITION = Field(ZOOM_FOCUS, "zoom.pos", number)
FOCUS_POSITION = Field(ZOOM_FOCUS, "focus.pos", number)

# 3.8 Alarm
MD_ALARM = Source("GetMdAlarm", "MdAlarm")
MOTION_SENSITIVITY = Field(MD_ALARM, "newSens.sensDef", number)

# Audio (not in the guide): the speaker, and a doorbell's voices and quick replies.
AUDIO_CFG = Source("GetAudioCfg", "AudioCfg")
SPEAKER_VOLUME = Field(AUDIO_CFG, "volume", number)
SPEAK_VOLUME = Field(AUDIO_CFG, "talkAndReplyVolume", number)
DOORBELL_VOLUME = Field(AUDIO_CFG, "visitorVolume", number)
DOORBELL_BUTTON_SOUND = Field(AUDIO_CFG, "visitorLoudspeaker", _on_off)
AUDIO_FILE_LIST = Source("GetAudioFileList")
QUICK_REPLIES = Field(
    AUDIO_FILE_LIST, "AudioFileList", _items(AudioFile.from_value, MAX_OPTIONS, "quick replies")
)
AUTO_REPLY = Source("GetAutoReply", "AutoReply")
AUTO_REPLY_ENABLE = Field(AUTO_REPLY, "enable", _on_off)
AUTO_REPLY_FILE = Field(AUTO_REPLY, "fileId", whole_number)
# Seconds after a press before the message plays.
AUTO_REPLY_WAIT = Field(AUTO_REPLY, "timeout", number)


async def write_auto_reply(client: ReolinkClient, channel: int | None, file_id: int | None) -> None:
    """SetAutoReply: play message `file_id` after a press, or no reply (None)."""
    changes = {"enable": 0} if file_id is None else {"enable": 1, "fileId": file_id}
    await client.write_setting(AUTO_REPLY, channel, changes)


async def play_quick_reply(client: ReolinkClient, channel: int | None, file_id: int) -> None:
    """QuickReplyPlay: the doorbell plays one of its GetAudioFileList messages now."""
    await client.run(action("QuickReplyPlay", {"id": file_id, "channel": channel or 0}))


# 3.10 LED
IR_LIGHTS = Source("GetIrLights", "IrLights")
POWER_LED = Source("GetPowerLed", "PowerLed")
WHITE_LED = Source("GetWhiteLed", "WhiteLed")
IR_LIGHTS_STATE = Field(IR_LIGHTS, "state", text)
STATUS_LED_STATE = Field(POWER_LED, "state", text)
# Doorbells keep their LED in `eDoorbellLightState`, not `state`.
DOORBELL_LED_STATE = Field(POWER_LED, "eDoorbellLightState", text)
WHITE_LED_STATE = Field(WHITE_LED, "state", _on_off)
WHITE_LED_BRIGHTNESS = Field(WHITE_LED, "bright", whole_number)
# 3.10.6: 0 night mode, 1 on motion, 2 schedule.
WHITE_LED_MODE = Field(WHITE_LED, "mode", whole_number)
# 3.10.6: the hours the light is on in schedule mode.
LIGHTING_START_HOUR = Field(WHITE_LED, "LightingSchedule.StartHour", whole_number)
LIGHTING_START_MIN = Field(WHITE_LED, "LightingSchedule.StartMin", whole_number)
LIGHTING_END_HOUR = Field(WHITE_LED, "LightingSchedule.EndHour", whole_number)
LIGHTING_END_MIN = Field(WHITE_LED, "LightingSchedule.EndMin", whole_number)


def lighting_time(value: Any, end: bool) -> tuple[int, int] | None:
    """(hour, minute) the floodlight schedule starts or ends at, None when not sent."""
    hour, minute = (
        (LIGHTING_END_HOUR, LIGHTING_END_MIN) if end else (LIGHTING_START_HOUR, LIGHTING_START_MIN)
    )
    at = (hour.read(value), minute.read(value))
    return None if at[0] is None or at[1] is None else (at[0], at[1])


async def write_lighting_time(
    client: ReolinkClient, channel: int | None, at: tuple[int, int], *, end: bool
) -> None:
    """3.10.6 SetWhiteLed with the whole `LightingSchedule`, one end moved to `at`.

    reolink_aio writes all four values together; the other end is read from the device.
    """
    current = await _current(client, WHITE_LED, channel)
    start = at if not end else lighting_time(current, end=False)
    finish = at if end else lighting_time(current, end=True)
    if start is None or finish is None:
        raise ReolinkResponseError("GetWhiteLed answered without LightingSchedule")
    schedule = {
        "StartHour": start[0],
        "StartMin": start[1],
        "EndHour": finish[0],
        "EndMin": finish[1],
    }
    await client.write_setting(WHITE_LED, channel, {"LightingSchedule": schedule})


def ai_alarm(kind: str) -> Source:
    """3.10.7 GetAiAlarm answers per object kind ("people", "vehicle", "dog_cat")."""
    return Source("GetAiAlarm", "AiAlarm", kind)


def ai_sensitivity(kind: str) -> Field[float | int]:
    """How readily the kind triggers."""
    return Field(ai_alarm(kind), "sensitivity", number)


def ai_stay_time(kind: str) -> Field[float | int]:
    """Seconds the object must stay before the alarm."""
    return Field(ai_alarm(kind), "stay_time", number)


# Battery cameras behind a Home Hub or NVR (not in the guide; reolink_aio 0.22.0's shapes)
BATTERY_INFO = Source("GetBatteryInfo", "Battery")
BATTERY_PERCENT = Field(BATTERY_INFO, "batteryPercent", whole_number)
BATTERY_TEMPERATURE = Field(BATTERY_INFO, "temperature", number)
# 0 discharging, 1 charging, 2 charge complete.
BATTERY_CHARGE_STATUS = Field(BATTERY_INFO, "chargeStatus", whole_number)
PIR_INFO = Source("GetPirInfo", "pirInfo")
PIR_ENABLE = Field(PIR_INFO, "enable", _on_off)
PIR_REDUCE_FALSE_ALARM = Field(PIR_INFO, "reduceAlarm", _on_off)
# 1 is the most sensitive (the app shows 101 minus this).
PIR_SENSITIVITY = Field(PIR_INFO, "sensitive", number)
PIR_INTERVAL = Field(PIR_INFO, "interval", number)

# Home Hub: its status light and the sounds it plays itself
STATE_LIGHT = Source("GetStateLight", "stateLight")
STATE_LIGHT_ENABLE = Field(STATE_LIGHT, "enable", _on_off)
HUB_AUDIO = Source("GetDeviceAudioCfg", "AudioCfg")
# One volume for the whole hub, reported by every channel's answer.
HUB_ALARM_VOLUME = Field(HUB_AUDIO, "alarmVolume", number)
HUB_MESSAGE_VOLUME = Field(HUB_AUDIO, "cuesVolume", number)
# Per camera: -1 the alarm sound, 0..9 the hub's tunes.
HUB_ALARM_TONE = Field(HUB_AUDIO, "alarmRingToneId", whole_number)
HUB_VISITOR_TONE = Field(HUB_AUDIO, "ringToneId", whole_number)

# Chimes paired to a Home Hub (or a doorbell)
CHIME_TONES = Source("GetDingDongCfg", "DingDongCfg")
CHIME_TUNE_LIST = Field(
    CHIME_TONES, "pairedlist", _items(ChimeTunes.from_value, MAX_CHIMES, "chimes")
)
# GetDingDongCfg event types and the names the integration gives them.
CHIME_EVENTS: Mapping[str, str] = {
    "md": "motion",
    "people": "person",
    "vehicle": "vehicle",
    "dog_cat": "animal",
    "package": "package",
    "visitor": "visitor",
}
# The chime tunes 0..9 (reolink_aio 0.22.0 `ChimeToneEnum`).
CHIME_TUNES = range(10)
# The volume DingDongOpt takes (`volLevel`; reolink_aio checks 0-4).
CHIME_VOLUME_RANGE = (0.0, 4.0)


@dataclass(frozen=True, slots=True)
class ChimeSettings:
    """One chime's volume and LED (DingDongOpt) and its tune per event (GetDingDongCfg)."""

    chime: int

    @property
    def options(self) -> Source:
        """DingDongOpt option 2 for this chime."""
        return Source("DingDongOpt", "DingDong", chime=self.chime)

    @property
    def volume(self) -> Field[float | int]:
        """0 (silent) to 4."""
        return Field(self.options, "volLevel", number)

    @property
    def led(self) -> Field[int]:
        """The chime's light, 0/1."""
        return Field(self.options, "ledState", _on_off)

    def _entry(self, value: Any) -> ChimeTunes | None:
        chimes = CHIME_TUNE_LIST.read(value) or ()
        return next((chime for chime in chimes if chime.id == self.chime), None)

    def events(self, value: Any) -> list[str]:
        """The event types the chime rings for (`md`, `people`, `visitor`...)."""
        entry = self._entry(value)
        return [] if entry is None else list(entry.tunes)

    def tune(self, value: Any, event: str) -> int | None:
        """The tune for `event`, -1 when it does not ring; None when unknown."""
        entry = self._entry(value)
        return None if entry is None else entry.tunes.get(event)

    async def write_tune(self, client: ReolinkClient, event: str, tune: int) -> None:
        """SetDingDongCfg: the tune for `event`; -1 silences it, keeping its tune for later."""
        current = self.tune(await _current(client, CHIME_TONES, None), event)
        await client.set_chime_tune(self.chime, None, event, tune, current)


# 3.11 AI
AI_CFG = Source("GetAiCfg")
AI_TRACK = Field(AI_CFG, "aiTrack", _on_off)
# Trackers (not in the guide): `bSmartTrack` is the switch, `aiTrack` then the method.
AI_SMART_TRACK = Field(AI_CFG, "bSmartTrack", _on_off)
AI_TRACK_METHOD = Field(AI_CFG, "aiTrack", whole_number)
# Seconds before a tracker turns back once the object has gone or stopped.
AI_TRACK_DISAPPEAR_TIME = Field(AI_CFG, "aiDisappearBackTime", number)
AI_TRACK_STOP_TIME = Field(AI_CFG, "aiStopBackTime", number)
# How far a tracker may pan while tracking, -1 for no limit (reolink_aio's request shape).
PTZ_TRACE_SECTION = Source("GetPtzTraceSection", "PtzTraceSection", channel_inside=True)
TRACK_LIMIT_LEFT = Field(PTZ_TRACE_SECTION, "LimitLeft", number)
TRACK_LIMIT_RIGHT = Field(PTZ_TRACE_SECTION, "LimitRight", number)


async def go_to_guard_position(client: ReolinkClient, channel: int) -> None:
    """3.7.15 SetPtzGuard with `cmdStr` "toPos": the camera turns to its guard position."""
    body = {"PtzGuard": {"channel": channel, "cmdStr": "toPos"}}
    await client.run(action("SetPtzGuard", body))


async def switch_guard(client: ReolinkClient, channel: int | None, on: bool) -> None:
    """3.7.15 SetPtzGuard on or off, keeping the return time (60 s where none is set)."""
    timeout = PTZ_GUARD_TIMEOUT.read(await _current(client, PTZ_GUARD, channel))
    await client.set_ptz_guard(channel or 0, on, 60 if timeout is None else timeout)


async def switch_patrol(client: ReolinkClient, channel: int | None, on: bool) -> None:
    """3.7.5 PtzCtrl: start or stop the first patrol set up, else the first one listed."""
    patrols = PTZ_PATROLS.read(await _current(client, PTZ_PATROL, channel)) or ()
    chosen = next((p for p in patrols if p.enabled), patrols[0] if patrols else None)
    op = PtzOp.START_PATROL if on else PtzOp.STOP_PATROL
    await client.ptz_ctrl(channel or 0, op, preset_id=1 if chosen is None else chosen.id)


async def _current(client: ReolinkClient, source: Source, channel: int | None) -> Any:
    """The `value` `source`'s Get answers now: what a write keeps of the rest."""
    (result,) = await client.execute([source.request(channel)])
    return result.unwrap()


async def write_guard_return_time(client: ReolinkClient, channel: int | None, seconds: int) -> None:
    """3.7.15 SetPtzGuard with a new `timeout`, keeping whether the guard is on."""
    enabled = PTZ_GUARD_ENABLE.read(await _current(client, PTZ_GUARD, channel))
    await client.set_ptz_guard(channel or 0, bool(enabled), seconds)
