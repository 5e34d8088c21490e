"""3.1 System commands."""

import time
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from simulator.commands.base import (
    PARAM_ERROR,
    UPLOAD_KEY,
    Call,
    CommandReply,
    Family,
    Reply,
    Spec,
    always,
    feature,
    minmax,
    ok,
    text,
)
from simulator.errors import ApiError
from simulator.profiles import CameraKind, Profile

WEEKDAYS = [
    "Everyday",
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
]
UPGRADE_SECONDS = 3.0
CLOCK_FIELDS = ("year", "mon", "day", "hour", "min", "sec")


def _dev_name(profile: Profile, _kind: CameraKind | None, _channel: int) -> dict[str, Any]:
    if profile.is_hub:
        return {"name": "Home Hub"}
    return {"name": "NVR" if profile.is_nvr else profile.model.split(" ")[0]}


def _dst_range() -> dict[str, Any]:
    rules: dict[str, Any] = {"enable": "boolean", "offset": minmax(1, 2)}
    for edge in ("start", "end"):
        rules.update(
            {
                f"{edge}Hour": minmax(0, 23),
                f"{edge}Min": minmax(0, 59),
                f"{edge}Mon": minmax(1, 12),
                f"{edge}Sec": minmax(0, 59),
                f"{edge}Week": minmax(1, 5),
                f"{edge}Weekday": minmax(0, 6),
            }
        )
    return rules


def _time_default(_profile: Profile, _kind: CameraKind | None, _channel: int) -> dict[str, Any]:
    return {
        "Dst": {
            "enable": 0,
            "endHour": 2,
            "endMin": 0,
            "endMon": 10,
            "endSec": 0,
            "endWeek": 5,
            "endWeekday": 0,
            "offset": 1,
            "startHour": 2,
            "startMin": 0,
            "startMon": 3,
            "startSec": 0,
            "startWeek": 2,
            "startWeekday": 0,
        },
        "Time": {
            "day": 1,
            "hour": 0,
            "hourFmt": 0,
            "min": 0,
            "mon": 1,
            "sec": 0,
            "timeFmt": "DD/MM/YYYY",
            "timeZone": 0,
            "year": 2022,
        },
    }


def _time_range(_profile: Profile, _kind: CameraKind | None) -> dict[str, Any]:
    return {
        "Dst": _dst_range(),
        "Time": {
            "day": minmax(1, 31),
            "hour": minmax(0, 23),
            "hourFmt": minmax(0, 1),
            "min": minmax(0, 59),
            "mon": minmax(1, 12),
            "sec": minmax(0, 59),
            "timeFmt": ["DD/MM/YYYY", "MM/DD/YYYY", "YYYY/MM/DD"],
            "timeZone": minmax(-46800, 43200),
            "year": minmax(1900, 2100),
        },
    }


def _local_clock(call: Call, settings: Mapping[str, Any]) -> datetime:
    # The guide's timeZone is seconds west of UTC (-28800 is UTC+8).
    zone = int(settings["Time"].get("timeZone", 0))
    return datetime.fromtimestamp(call.device.now() - zone, tz=UTC)


def _present_time(call: Call, settings: dict[str, Any]) -> dict[str, Any]:
    clock = _local_clock(call, settings)
    shown = dict(settings["Time"])
    shown.update(
        year=clock.year,
        mon=clock.month,
        day=clock.day,
        hour=clock.hour,
        min=clock.minute,
        sec=clock.second,
    )
    return {"Dst": settings["Dst"], "Time": shown}


def _set_clock(call: Call, update: Mapping[str, Any]) -> None:
    new_time = update.get("Time")
    if not isinstance(new_time, Mapping) or not all(k in new_time for k in CLOCK_FIELDS):
        return
    try:
        year, month, day, hour, minute, second = (int(new_time[k]) for k in CLOCK_FIELDS)
        wanted = datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    except (TypeError, ValueError):
        raise ApiError(PARAM_ERROR) from None
    zone = int(new_time.get("timeZone", call.device.config("Time", None)["Time"]["timeZone"]))
    call.device.clock_offset = wanted.timestamp() + zone - time.time()


def _auto_maint(_profile: Profile, _kind: CameraKind | None, _channel: int) -> dict[str, Any]:
    return {"enable": 0, "hour": 0, "min": 0, "sec": 0, "weekDay": "Sunday"}


def _auto_maint_range(_profile: Profile, _kind: CameraKind | None) -> dict[str, Any]:
    return {
        "enable": "boolean",
        "hour": minmax(0, 23),
        "min": minmax(0, 59),
        "sec": minmax(0, 59),
        "weekDay": WEEKDAYS,
    }


FAMILIES: tuple[Family, ...] = (
    Family(
        key="DevName",
        get_cmd="GetDevName",
        set_cmd="SetDevName",
        gate=feature("devName"),
        per_channel=False,
        default=_dev_name,
        range=lambda _p, _k: {"name": text(31)},
    ),
    Family(
        key="Time",
        get_cmd="GetTime",
        set_cmd="SetTime",
        gate=feature("time"),
        per_channel=False,
        default=_time_default,
        range=_time_range,
        wrap=False,
        present=_present_time,
        on_set=_set_clock,
    ),
    Family(
        key="AutoMaint",
        get_cmd="GetAutoMaint",
        set_cmd="SetAutoMaint",
        gate=feature("autoMaint"),
        per_channel=False,
        default=_auto_maint,
        range=_auto_maint_range,
    ),
    Family(
        key="AutoUpgrade",
        get_cmd="GetAutoUpgrade",
        set_cmd="SetAutoUpgrade",
        gate=feature("upgrade", 2),
        per_channel=False,
        default=lambda _p, _k, _c: {"enable": 1},
        range=lambda _p, _k: {"enable": "boolean"},
    ),
)


# ---------------------------------------------------------------- handlers


def get_ability(call: Call) -> Reply:
    """3.1.1 GetAbility: the profile's truth (static, built once)."""
    return CommandReply(call.device.abilities)


def get_dev_info(call: Call) -> Reply:
    """3.1.2 GetDevInfo; ``name`` follows SetDevName."""
    info = dict(call.device.state["device"])
    info["name"] = call.device.config("DevName", None)["name"]
    return CommandReply({"DevInfo": info})


def get_hdd_info(call: Call) -> Reply:
    """3.1.9 GetHddInfo."""
    return CommandReply({"HddInfo": call.device.state["hdd"]})


def get_performance(call: Call) -> Reply:
    """GetPerformance (not in the guide): `cpuUsed` in percent, as reolink_aio reads it."""
    return CommandReply({"Performance": call.device.state["performance"]})


def format_disk(call: Call) -> Reply:
    """3.1.10 Format: the chosen disks come back empty and formatted."""
    request = call.section("HddInfo")
    ids = request.get("id", [0])
    disks = call.device.state["hdd"]
    if not isinstance(ids, list) or not all(isinstance(i, int) for i in ids):
        raise ApiError(PARAM_ERROR)
    if any(not 0 <= i < len(disks) for i in ids):
        raise ApiError(PARAM_ERROR)
    for index in ids:
        disks[index].update(format=1, mount=1, size=disks[index]["capacity"])
    return ok()


def upgrade(call: Call) -> Reply:
    """3.1.11 Upgrade: the firmware file is accepted (content is not checked).

    After an UpgradePrepare naming a camera (`ipcChnBit`), each request is one piece of
    that camera's file, named `<fileName>&<uuid>&<piece>&<fileSize>` (reolink_aio 0.22.0
    `upload_firmware`); the last piece installs `upgrade["channel_version"]` on it.
    """
    target = call.device.upgrade["target"]
    if target is None:
        call.device.upgrade["started"] = None
        return ok()
    upload = call.param.get(UPLOAD_KEY)
    if not isinstance(upload, Mapping):
        raise ApiError(PARAM_ERROR)
    name, _, rest = str(upload["filename"]).partition("&")
    parts = rest.split("&")
    if name != target["file"] or len(parts) != 3 or parts[2] != str(target["size"]):
        raise ApiError(PARAM_ERROR)
    target["received"] += int(upload["size"])
    if target["received"] > target["size"]:
        call.device.upgrade["target"] = None
        raise ApiError(PARAM_ERROR)
    if target["received"] == target["size"]:
        channel_state = call.device.state["channels"][target["channel"]]
        channel_state["firmware"] = call.device.upgrade["channel_version"]
        call.device.upgrade["target"] = None
    return CommandReply({"rspCode": 200})


def restore(call: Call) -> Reply:
    """3.1.12 Restore: every setting back to factory defaults."""
    call.device.restore_factory()
    return ok()


def upgrade_prepare(call: Call) -> Reply:
    """3.1.14 UpgradePrepare: checks the parameters and accepts.

    On an NVR, `ipcChnBit` (a bit mask as a string, "0" for the NVR itself) and `fileSize`
    announce a camera's firmware file (reolink_aio 0.22.0 `upload_firmware`); one online
    camera at a time (ours: what several bits would do is not on record).
    """
    name = call.param.get("fileName")
    restore_cfg = call.param.get("restoreCfg", 0)
    if not isinstance(name, str) or not name or restore_cfg not in (0, 1):
        raise ApiError(PARAM_ERROR)
    call.device.upgrade["target"] = _upgrade_target(call, name)
    return ok()


def _upgrade_target(call: Call, name: str) -> dict[str, Any] | None:
    """The camera an NVR upgrade is for, None for the device itself."""
    bits = str(call.param.get("ipcChnBit", "0"))
    if not call.device.is_nvr or bits == "0":
        return None
    mask, size = int(bits) if bits.isdigit() else 0, call.param.get("fileSize")
    channels = call.device.state["channels"]
    channel = mask.bit_length() - 1
    if mask != 1 << channel or channel >= len(channels) or not channels[channel]["online"]:
        raise ApiError(PARAM_ERROR)
    if not isinstance(size, int) or isinstance(size, bool) or size <= 0:
        raise ApiError(PARAM_ERROR)
    return {"channel": channel, "file": name, "size": size, "received": 0}


def check_firmware(call: Call) -> Reply:
    """3.1.17 CheckFirmware: ``newFirmware`` 1 when an online update exists."""
    available = call.device.state["firmware"]["new_version_available"]
    return CommandReply({"newFirmware": int(bool(available))})


def upgrade_online(call: Call) -> Reply:
    """3.1.18 UpgradeOnline: starts a download that progresses with wall time."""
    firmware = call.device.state["firmware"]
    if not firmware["new_version_available"]:
        raise ApiError(-30)
    if call.device.upgrade["started"] is not None and _upgrade_progress(call) < 100:
        raise ApiError(-31)
    call.device.upgrade["started"] = time.monotonic()
    return ok()


def _upgrade_progress(call: Call) -> int:
    started = call.device.upgrade["started"]
    if started is None:
        return 0
    elapsed = time.monotonic() - started
    return min(100, int(100 * elapsed / float(call.device.upgrade["seconds"])))


def upgrade_status(call: Call) -> Reply:
    """3.1.19 UpgradeStatus: ``Perset`` (as printed) 0..100; 100 installs the new version."""
    device = call.device
    if device.upgrade["started"] is None:
        return CommandReply({"Status": {"Perset": 0, "code": 0}})
    progress = _upgrade_progress(call)
    if progress >= 100:
        firmware = device.state["firmware"]
        device.state["device"]["firmVer"] = firmware["new_version"]
        firmware["new_version_available"] = False
        device.upgrade["started"] = None
    return CommandReply({"Status": {"Perset": progress, "code": 0}})


def get_channel_status(call: Call) -> Reply:
    """3.1.20 Getchannelstatus, with ``uid`` and ``sleep`` as newer firmware sends them.

    A Hub or NVR knows its cameras' sleep without waking them (captured RLN36 answer,
    verheesj/reolink-api#7: ``"sleep": 0`` on every channel).
    """
    call.device.settle_sleep()
    status = [
        {
            "channel": ch["channel"],
            "name": ch["name"],
            "online": int(ch["online"]),
            "sleep": int(ch["sleep"]),
            "typeInfo": ch["model"] if ch["online"] else "",
            "uid": ch["uid"],
        }
        for ch in call.device.state["channels"]
    ]
    return CommandReply({"count": len(status), "status": status})


def get_chn_type_info(call: Call) -> Reply:
    """GetChnTypeInfo (newer NVR firmware, not in the guide): the camera on one port."""
    assert call.channel is not None
    channel_state = call.channel_state
    kind = call.device.profile.channels[call.channel]
    return CommandReply(
        {
            "boardInfo": kind.board,
            "firmVer": channel_state["firmware"],
            "typeInfo": channel_state["model"],
        }
    )


def _nvr_only(device: Any, _channel: int | None) -> bool:
    return bool(device.is_nvr)


def _storage(device: Any, _channel: int | None) -> bool:
    return bool(device.ability_version("sdCard") or device.ability_version("disk"))


SPECS: tuple[Spec, ...] = (
    Spec("GetAbility", get_ability, always),
    Spec("GetDevInfo", get_dev_info, feature("devInfo")),
    Spec("GetHddInfo", get_hdd_info, _storage),
    Spec("GetPerformance", get_performance, feature("performance")),
    Spec("Format", format_disk, _storage),
    Spec("Upgrade", upgrade, feature("upgrade")),
    Spec("Restore", restore, feature("restore")),
    Spec("Reboot", lambda _call: ok(), feature("reboot")),
    Spec("UpgradePrepare", upgrade_prepare, feature("upgrade")),
    Spec("CheckFirmware", check_firmware, feature("upgrade", 2)),
    Spec("UpgradeOnline", upgrade_online, feature("upgrade", 2)),
    Spec("UpgradeStatus", upgrade_status, feature("upgrade", 2)),
    Spec("Getchannelstatus", get_channel_status, always),
    Spec("GetChnTypeInfo", get_chn_type_info, _nvr_only, per_channel=True),
)
