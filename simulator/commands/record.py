"""3.6 Record: settings, recording search, downloads and snapshots.

Recordings are generated deterministically from (seed, channel, day) for the
last 7 days of the device clock, so Search, NvrDownload, Download and Playback
agree with each other.
"""

import random
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from simulator import media
from simulator.commands.base import (
    MISSING_PARAM,
    PARAM_ERROR,
    SCHEDULE_V1_CHANNEL_KEYS,
    BinaryReply,
    Call,
    CommandReply,
    Family,
    Reply,
    Spec,
    feature,
    minmax,
    schedule_v1,
)
from simulator.errors import ApiError
from simulator.profiles import CameraKind, Profile

if TYPE_CHECKING:
    from simulator.device import Device

NO_SUCH_FILE = -222
HISTORY_DAYS = 7
STREAMS = ("main", "sub")
POST_REC = ["15 Seconds", "30 Seconds", "1 Minute", "2 Minutes", "5 Minutes", "10 Minutes"]
PACK_TIME = ["30 Minutes", "45 Minutes", "60 Minutes"]
RECORD_NAME = re.compile(
    r"^Mp4Record/(\d{4}-\d{2}-\d{2})/Rec([MS])(\d{2})_(\d{8})_(\d{6})_(\d{6})_[0-9A-F]+_[0-9A-F]+\.mp4$"
)
FRAGMENT_NAME = re.compile(r"^fragment_(\d{2})_(\d{14})_(main|sub)\.mp4$")
DEFAULT_SNAP = (1920, 1080)
MAX_SNAP = 4096


# What started a recording, as bits of the file name's flags field (7 hex digits, bit 0
# the leftmost), the layout reolink_aio decodes on real cameras (FLAGS_CAM_V2): person 17,
# face 18, vehicle 19, animal 20, schedule 23, motion 24, doorbell 26. The other bits
# (resolution, frame rate, audio...) are those of the guide's example "6D28808".
FLAG_BITS = 28
TRIGGER_BITS: dict[str, int] = {
    "person": 17,
    "face": 18,
    "vehicle": 19,
    "animal": 20,
    "timer": 23,
    "motion": 24,
    "doorbell": 26,
}
BASE_FLAGS = 0x6D28808 & ~sum(1 << (FLAG_BITS - 1 - bit) for bit in TRIGGER_BITS.values())
AI_TRIGGERS = {"people": "person", "vehicle": "vehicle", "dog_cat": "animal", "face": "face"}


def flags_of(triggers: frozenset[str]) -> str:
    """The flags field of a file name recording for these reasons."""
    value = BASE_FLAGS
    for trigger in triggers:
        value |= 1 << (FLAG_BITS - 1 - TRIGGER_BITS[trigger])
    return f"{value:07X}"


@dataclass(frozen=True)
class Recording:
    """One recorded file, and what started it."""

    channel: int
    stream: str
    start: datetime
    end: datetime
    triggers: frozenset[str] = frozenset({"motion"})

    @property
    def name(self) -> str:
        letter = "M" if self.stream == "main" else "S"
        size = self.size
        return (
            f"Mp4Record/{self.start:%Y-%m-%d}/Rec{letter}{self.channel + 1:02d}_"
            f"{self.start:%Y%m%d_%H%M%S}_{self.end:%H%M%S}_{flags_of(self.triggers)}_{size:X}.mp4"
        )

    @property
    def fragment(self) -> str:
        return f"fragment_{self.channel + 1:02d}_{self.start:%Y%m%d%H%M%S}_{self.stream}.mp4"

    @property
    def seconds(self) -> int:
        """Length as listed by Search, and as long as the file Download serves."""
        return int((self.end - self.start).total_seconds())

    @property
    def size(self) -> int:
        rate = 750_000 if self.stream == "main" else 64_000
        return self.seconds * rate


def _rec_v20(_p: Profile, _k: CameraKind | None, channel: int) -> dict[str, Any]:
    return {
        "enable": 1,
        "overwrite": 1,
        "packTime": "60 Minutes",
        "postRec": "1 Minute",
        "preRec": 1,
        "saveDay": 30,
        **schedule_v1(channel),
    }


def _rec_v20_range(_p: Profile, _k: CameraKind | None) -> dict[str, Any]:
    return {
        "enable": "boolean",
        "overwrite": "boolean",
        "packTime": PACK_TIME,
        "postRec": POST_REC,
        "preRec": "boolean",
        "saveDay": minmax(1, 365),
        "scheduleEnable": "boolean",
    }


def _rec(_p: Profile, _k: CameraKind | None, channel: int) -> dict[str, Any]:
    return {
        "channel": channel,
        "overwrite": 1,
        "packTime": "60 Minutes",
        "postRec": "1 Minute",
        "preRec": 1,
        "schedule": {"enable": 1, "table": "1" * 168},
    }


FAMILIES: tuple[Family, ...] = (
    Family(
        key="Rec",
        get_cmd="GetRec",
        set_cmd="SetRec",
        gate=feature("recCfg"),
        per_channel=True,
        default=_rec,
        range=lambda _p, _k: {
            "overwrite": "boolean",
            "packTime": PACK_TIME,
            "postRec": POST_REC,
            "preRec": "boolean",
            "schedule": {"enable": "boolean"},
        },
    ),
    Family(
        key="Rec",
        get_cmd="GetRecV20",
        set_cmd="SetRecV20",
        gate=feature("recCfg"),
        per_channel=True,
        default=_rec_v20,
        range=_rec_v20_range,
        state_key="RecV20",
        channel_keys=SCHEDULE_V1_CHANNEL_KEYS,
    ),
    # Newer firmware (not in the guide): recording on demand, beside the schedule.
    Family(
        key="Rec",
        get_cmd="GetManualRec",
        set_cmd="SetManualRec",
        gate=feature("recCfg"),
        per_channel=True,
        default=lambda _p, _k, channel: {"channel": channel, "enable": 0},
        range=lambda _p, _k: {"enable": "boolean"},
        state_key="ManualRec",
    ),
)


def recordings_on(
    seed: int, channel: int, stream: str, day: date, now: float, kind: CameraKind | None = None
) -> list[Recording]:
    """The files of one channel/stream/day finished by `now` (the device clock's timestamp).

    Main and sub share the same times and triggers; a day's files are the same whenever
    asked, only those still to come are left out, as on a device that is recording its day.
    `kind` says what the camera detects; without it every recording is a motion one.
    """
    rng = random.Random(f"{seed}-{channel}-{day.isoformat()}")
    midnight = datetime(day.year, day.month, day.day, tzinfo=UTC)
    starts = sorted(rng.sample(range(0, 86_000, 600), rng.randint(4, 9)))
    files = [
        Recording(
            channel,
            stream,
            midnight + timedelta(seconds=start),
            midnight + timedelta(seconds=start + rng.randint(20, 300)),
            _triggers(f"{seed}-{channel}-{day.isoformat()}-{start}", kind),
        )
        for start in starts
    ]
    return [rec for rec in files if rec.end.timestamp() <= now]


def device_recordings(device: Device, channel: int, stream: str, day: date) -> list[Recording]:
    """The files of one of the device's channels on one day."""
    kind = device.profile.channels[channel]
    return recordings_on(device.seed, channel, stream, day, device.now(), kind)


def _triggers(key: str, kind: CameraKind | None) -> frozenset[str]:
    """A schedule recording now and then; else motion with some of the camera's detections."""
    if kind is None:
        return frozenset({"motion"})
    rng = random.Random(key)
    if rng.random() < 0.15:
        return frozenset({"timer"})
    detections = sorted(AI_TRIGGERS[t] for t in kind.ai_types if t in AI_TRIGGERS)
    if kind.doorbell:
        detections.append("doorbell")
    chosen = rng.sample(detections, rng.randint(0, min(2, len(detections))))
    return frozenset({"motion", *chosen})


def _today(call: Call) -> date:
    return datetime.fromtimestamp(call.device.now(), tz=UTC).date()


def _recording_days(call: Call) -> list[date]:
    today = _today(call)
    return [today - timedelta(days=back) for back in range(HISTORY_DAYS)]


def _parse_time(section: Mapping[str, Any], key: str) -> datetime:
    stamp = section.get(key)
    if stamp is None:
        raise ApiError(MISSING_PARAM)
    if not isinstance(stamp, Mapping):
        raise ApiError(PARAM_ERROR)
    try:
        return datetime(
            int(stamp["year"]),
            int(stamp["mon"]),
            int(stamp["day"]),
            int(stamp.get("hour", 0)),
            int(stamp.get("min", 0)),
            int(stamp.get("sec", 0)),
            tzinfo=UTC,
        )
    except (KeyError, TypeError, ValueError):
        raise ApiError(PARAM_ERROR) from None


def _time_dict(moment: datetime) -> dict[str, int]:
    return {
        "day": moment.day,
        "hour": moment.hour,
        "min": moment.minute,
        "mon": moment.month,
        "sec": moment.second,
        "year": moment.year,
    }


def _stream_param(section: Mapping[str, Any]) -> str:
    stream = section.get("streamType", "main")
    if stream not in STREAMS:
        raise ApiError(PARAM_ERROR)
    return str(stream)


def _in_window(call: Call, stream: str, start: datetime, end: datetime) -> list[Recording]:
    assert call.channel is not None
    return [
        rec
        for day in _recording_days(call)
        for rec in device_recordings(call.device, call.channel, stream, day)
        if rec.end > start and rec.start < end
    ]


def _status(call: Call) -> list[dict[str, Any]]:
    """Per month, one character per day: 1 where recordings exist."""
    months: dict[tuple[int, int], set[int]] = {}
    for day in _recording_days(call):
        months.setdefault((day.year, day.month), set()).add(day.day)
    status = []
    for (year, month), days in sorted(months.items()):
        length = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
        table = "".join("1" if number in days else "0" for number in range(1, length + 1))
        status.append({"mon": month, "table": table, "year": year})
    return status


def search(call: Call) -> Reply:
    """3.6.5 Search: the day calendar (onlyStatus 1) or the files of a window."""
    section = call.section("Search")
    stream = _stream_param(section)
    start = _parse_time(section, "StartTime")
    end = (
        _parse_time(section, "EndTime")
        if "EndTime" in section
        else _parse_time(call.param, "EndTime")
    )
    if end < start:
        raise ApiError(PARAM_ERROR)
    result: dict[str, Any] = {"Status": _status(call), "channel": call.channel}
    if not section.get("onlyStatus", 0):
        kind = call.device.profile.channels[call.channel or 0]
        result["File"] = [
            {
                "EndTime": _time_dict(rec.end),
                "StartTime": _time_dict(rec.start),
                "frameRate": 25 if stream == "main" else 10,
                "height": kind.height if stream == "main" else 360,
                "name": rec.name,
                "size": rec.size,
                "type": stream,
                "width": kind.width if stream == "main" else 640,
            }
            for rec in _in_window(call, stream, start, end)
        ]
    return CommandReply({"SearchResult": result})


def nvr_download(call: Call) -> Reply:
    """3.6.9 NvrDownload: the fragment files covering a time window."""
    section = call.section("NvrDownload")
    stream = _stream_param(section)
    start, end = _parse_time(section, "StartTime"), _parse_time(section, "EndTime")
    files = [
        {"fileName": rec.fragment, "fileSize": str(rec.size)}
        for rec in _in_window(call, stream, start, end)
    ]
    return CommandReply({"fileCount": len(files), "fileList": files})


def _find_recording(call: Call, source: str) -> Recording:
    device = call.device
    record = RECORD_NAME.match(source)
    if record:
        stream = "main" if record.group(2) == "M" else "sub"
        channel = int(record.group(3)) - 1
        wanted = source
    else:
        fragment = FRAGMENT_NAME.match(source)
        if not fragment:
            raise ApiError(NO_SUCH_FILE)
        channel, stream = int(fragment.group(1)) - 1, fragment.group(3)
        wanted = source
    if not 0 <= channel < device.channel_count:
        raise ApiError(NO_SUCH_FILE)
    for day in _recording_days(call):
        for rec in device_recordings(device, channel, stream, day):
            if wanted in (rec.name, rec.fragment):
                return rec
    raise ApiError(NO_SUCH_FILE)


def _file_reply(call: Call) -> Reply:
    source = call.param.get("source")
    if not isinstance(source, str) or not source:
        raise ApiError(MISSING_PARAM)
    rec = _find_recording(call, source)
    if not call.device.state["channels"][rec.channel]["online"]:
        raise ApiError(-220)
    colour = call.device.profile.channels[rec.channel].colour
    body = media.video_clip(rec.channel, rec.stream, colour, rec.seconds)
    output = call.param.get("output")
    filename = output if isinstance(output, str) and output else source.replace("/", "_")
    return BinaryReply("video/mp4", body, filename)


def download(call: Call) -> Reply:
    """3.6.6 Download: a recording (or NvrDownload fragment) as an MP4 file."""
    return _file_reply(call)


def playback(call: Call) -> Reply:
    """3.6.8 Playback: the same file, for streaming playback."""
    return _file_reply(call)


def _stream_size(call: Call, stream: str) -> tuple[int, int] | None:
    """The channel's current resolution of `stream` ("640*360" in GetEnc)."""
    enc = call.device.settings("Enc", call.channel)
    width, _, height = str(enc.get(stream, {}).get("size", "")).partition("*")
    return (int(width), int(height)) if width.isdigit() and height.isdigit() else None


def _snap_size(call: Call) -> tuple[int, int]:
    width, height = call.param.get("width"), call.param.get("height")
    if width is None and height is None:
        # Current firmware answers snapType=sub with the sub stream's picture; some
        # older firmware ignores it (reolink_aio #64, home-assistant/core #118617).
        if call.param.get("snapType") == "sub":
            return _stream_size(call, "subStream") or DEFAULT_SNAP
        return DEFAULT_SNAP
    for value in (width, height):
        if value is not None and (not isinstance(value, int) or not 16 <= value <= MAX_SNAP):
            raise ApiError(PARAM_ERROR)
    if width is None:
        width = int(height) * 16 // 9  # type: ignore[arg-type]
    if height is None:
        height = int(width) * 9 // 16
    return int(width), int(height)


def snap(call: Call) -> Reply:
    """3.6.7 Snap: a JPEG per channel (its colour, name and the device time).

    `iLogicChannel=1` (not in the guide; reolink_aio 0.22.0 `get_snapshot`) asks for the
    telephoto lens of a dual-lens tracker; 0 or absent for the wide lens.
    """
    assert call.channel is not None
    width, height = _snap_size(call)
    channel_state = call.channel_state
    kind = call.device.profile.channels[call.channel]
    telephoto = _telephoto_lens(call, kind)
    when = datetime.fromtimestamp(call.device.now(), tz=UTC)
    label = f"CH{call.channel + 1:02d} {channel_state['name']}"
    colour = kind.colour
    if telephoto:
        label += " tele"
        red, green, blue = kind.colour
        colour = (min(255, red + 60), min(255, green + 60), min(255, blue + 60))
    body = media.snapshot_jpeg(width, height, colour, label, when)
    name = f"snap_{call.channel:02d}{'_tele' if telephoto else ''}.jpg"
    return BinaryReply("image/jpeg", body, name)


def _telephoto_lens(call: Call, kind: CameraKind) -> bool:
    """Whether Snap asks for the telephoto lens; -4 for a lens the camera lacks."""
    lens = call.param.get("iLogicChannel", 0)
    if lens not in (0, 1) or (lens == 1 and not kind.telephoto):
        raise ApiError(PARAM_ERROR)
    return bool(lens == 1)


def _nvr_only(device: Device, _channel: int | None) -> bool:
    return device.is_nvr


SPECS: tuple[Spec, ...] = (
    Spec("Search", search, feature("recReplay"), per_channel=True),
    Spec("Download", download, feature("recDownload")),
    Spec("Playback", playback, feature("recReplay")),
    Spec("Snap", snap, feature("snap"), per_channel=True),
    Spec(
        "NvrDownload",
        nvr_download,
        _nvr_only,
        per_channel=True,
        channel_required=True,
    ),
)
