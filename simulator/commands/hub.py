"""Home Hub commands: status light, hub audio (volumes, ringtones) and paired chimes.

Not in the guide. Request bodies and answer shapes are reolink_aio 0.22.0's
(`set_state_light`, `set_hub_audio`, `Chime.set_option`/`play`/`set_tone`, its parsers
of GetStateLight, GetDeviceAudioCfg, GetDingDongList, GetDingDongCfg and DingDongOpt);
sources and what is not on record are listed in simulator/README.md.
"""

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from simulator.commands.base import (
    MISSING_PARAM,
    PARAM_ERROR,
    Call,
    CommandReply,
    Family,
    Reply,
    Spec,
    feature,
    is_int,
    minmax,
    ok,
)
from simulator.errors import ApiError
from simulator.profiles import CameraKind, Chime

if TYPE_CHECKING:
    from simulator.device import Device

VOLUME = (0, 100)
# Hub ringtones: -1 the alarm sound, 0..9 the tunes (reolink_aio HubToneEnum).
HUB_TONES = (-1, 9)
# Chime tunes 0..9 (reolink_aio ChimeToneEnum; -1 "off" is `switch` 0 on the wire).
CHIME_TONES = (0, 9)
CHIME_VOLUME = (0, 4)
CHIME_ONLINE = 2  # GetDingDongList `netState` of a reachable chime
# DingDongOpt options (reolink_aio Chime): 1 unpair, 2 read, 3 write, 4 play.
OPT_REMOVE, OPT_READ, OPT_WRITE, OPT_PLAY = 1, 2, 3, 4


def is_hub(device: Device, _channel: int | None) -> bool:
    return bool(device.profile.is_hub)


def _hub_exists(device: Device) -> bool:
    return bool(device.profile.is_hub)


def hub_audio_defaults() -> dict[str, int]:
    """The hub's own volumes, shared by every channel's GetDeviceAudioCfg."""
    return {"alarmVolume": 80, "cuesVolume": 60}


def hub_tone_defaults(kind: CameraKind) -> dict[str, int]:
    """Ringtones the hub plays for one camera: alarm and (doorbells) visitor."""
    return {"alarmRingToneId": -1, "ringToneId": 1 if kind.doorbell else 0}


def chime_state(index: int, chime: Chime) -> dict[str, Any]:
    return {
        "id": index,
        "channel": None,  # paired to the hub itself
        "name": chime.name,
        "netState": CHIME_ONLINE,
        "paired": True,
        "volLevel": 3,
        "ledState": 1,
        "version": chime.firmware,
        "tones": {
            event: {"switch": 1, "musicId": number % 10}
            for number, event in enumerate(chime.events)
        },
        "plays": 0,
        "lastMusicId": -1,
    }


# ------------------------------------------------------------------ hub audio


def get_device_audio_cfg(call: Call) -> Reply:
    """GetDeviceAudioCfg: `{"AudioCfg": {...}}` with the hub volumes and the channel's tones."""
    assert call.channel is not None
    device = call.device
    value = {"channel": call.channel, **device.state["hub_audio"]}
    value.update(call.channel_state["hub_tones"])
    if call.action != 1:
        return CommandReply({"AudioCfg": value})
    limits = {
        "alarmVolume": minmax(*VOLUME),
        "cuesVolume": minmax(*VOLUME),
        "alarmRingToneId": minmax(*HUB_TONES),
        "ringToneId": minmax(*HUB_TONES),
    }
    return CommandReply({"AudioCfg": value}, {"AudioCfg": dict(value)}, {"AudioCfg": limits})


def set_device_audio_cfg(call: Call) -> Reply:
    """SetDeviceAudioCfg `{"DeviceAudioCfg": {channel, alarmVolume, cuesVolume, ...}}`.

    reolink_aio names the section `DeviceAudioCfg`; the Get's own `AudioCfg` fed back
    is taken too, like every other Get answer.
    """
    assert call.channel is not None
    key = "DeviceAudioCfg" if "DeviceAudioCfg" in call.param else "AudioCfg"
    update = call.section(key)
    volumes = {key: update[key] for key in ("alarmVolume", "cuesVolume") if key in update}
    tones = {key: update[key] for key in ("alarmRingToneId", "ringToneId") if key in update}
    if not volumes and not tones:
        raise ApiError(MISSING_PARAM)
    for value in volumes.values():
        _check_range(value, VOLUME)
    for value in tones.values():
        _check_range(value, HUB_TONES)
    call.device.state["hub_audio"].update(volumes)
    call.channel_state["hub_tones"].update(tones)
    return ok()


def _check_range(value: Any, bounds: tuple[int, int]) -> None:
    if not is_int(value) or not bounds[0] <= value <= bounds[1]:
        raise ApiError(PARAM_ERROR)


# ------------------------------------------------------------------ chimes


def _chime_channel(call: Call, section: Mapping[str, Any]) -> int | None:
    """The camera a chime is paired to; None for chimes paired to the hub itself."""
    channel = section.get("channel")
    if channel is None:
        return None
    if not is_int(channel) or not 0 <= channel < call.device.channel_count:
        raise ApiError(PARAM_ERROR)
    return int(channel)


def _chimes(call: Call, channel: int | None) -> list[dict[str, Any]]:
    return [
        chime
        for chime in call.device.state["chimes"]
        if chime["paired"] and chime["channel"] == channel
    ]


def _chime(call: Call, section: Mapping[str, Any], key: str) -> dict[str, Any]:
    chime_id = section.get(key)
    if chime_id is None:
        raise ApiError(MISSING_PARAM)
    channel = _chime_channel(call, section)
    for chime in _chimes(call, channel):
        if chime["id"] == chime_id and is_int(chime_id):
            return chime
    raise ApiError(PARAM_ERROR)


def get_ding_dong_list(call: Call) -> Reply:
    """GetDingDongList: the paired chimes with their reachability (`netState` 2 online)."""
    paired = [
        {"deviceId": chime["id"], "deviceName": chime["name"], "netState": chime["netState"]}
        for chime in _chimes(call, _chime_channel(call, call.param))
    ]
    return CommandReply({"DingDongList": {"pairedlist": paired}})


def get_ding_dong_cfg(call: Call) -> Reply:
    """GetDingDongCfg: per chime the tune and switch for each event type."""
    paired = [
        {
            "ringId": chime["id"],
            "ringName": chime["name"],
            "version": chime["version"],
            "type": {event: dict(tone) for event, tone in chime["tones"].items()},
        }
        for chime in _chimes(call, _chime_channel(call, call.param))
    ]
    return CommandReply({"DingDongCfg": {"pairedlist": paired}})


def set_ding_dong_cfg(call: Call) -> Reply:
    """SetDingDongCfg `{"DingDongCfg": {"ringId", "type": {event: {"switch", "musicId"}}}}`.

    The Get's own `pairedlist` fed back is taken too, one chime per entry.
    """
    section = call.section("DingDongCfg")
    entries = section.get("pairedlist", [section])
    if not isinstance(entries, list):
        raise ApiError(PARAM_ERROR)
    channel = _chime_channel(call, section)
    # Every entry is checked before any is stored, so a refused Set changes nothing.
    planned = [_tone_changes(call, channel, entry) for entry in entries]
    for chime, changes in planned:
        chime["tones"].update(changes)
    return ok()


def _tone_changes(
    call: Call, channel: int | None, entry: Any
) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    if not isinstance(entry, Mapping):
        raise ApiError(PARAM_ERROR)
    chime = _chime(call, {**entry, "channel": channel}, "ringId")
    types = entry.get("type")
    if not isinstance(types, Mapping) or not types:
        raise ApiError(MISSING_PARAM)
    changes: dict[str, dict[str, Any]] = {}
    for event, tone in types.items():
        if event not in chime["tones"] or not isinstance(tone, Mapping):
            raise ApiError(PARAM_ERROR)
        merged = {**chime["tones"][event]}
        for key, bounds in (("switch", (0, 1)), ("musicId", CHIME_TONES)):
            if key in tone:
                _check_range(tone[key], bounds)
                merged[key] = tone[key]
        changes[event] = merged
    return chime, changes


def ding_dong_opt(call: Call) -> Reply:
    """DingDongOpt: read (2) or write (3) volume, LED and name, play a tune (4), unpair (1)."""
    section = call.section("DingDong")
    chime = _chime(call, section, "id")
    option = section.get("option")
    if option == OPT_READ:
        info = {"name": chime["name"], "ledState": chime["ledState"], "volLevel": chime["volLevel"]}
        return CommandReply({"DingDong": info})
    if chime["netState"] != CHIME_ONLINE:
        raise ApiError(-17)  # "rcv failed": the chime does not answer
    if option == OPT_WRITE:
        _write_chime(chime, section)
    elif option == OPT_PLAY:
        music = section.get("musicId")
        _check_range(music, CHIME_TONES)
        chime["plays"] += 1
        chime["lastMusicId"] = music
    elif option == OPT_REMOVE:
        chime["paired"] = False
    else:
        raise ApiError(PARAM_ERROR)
    return ok()


def _write_chime(chime: dict[str, Any], section: Mapping[str, Any]) -> None:
    changes: dict[str, Any] = {}
    if "volLevel" in section:
        _check_range(section["volLevel"], CHIME_VOLUME)
        changes["volLevel"] = section["volLevel"]
    if "ledState" in section:
        _check_range(section["ledState"], (0, 1))
        changes["ledState"] = section["ledState"]
    if "name" in section:
        name = section["name"]
        if not isinstance(name, str) or not 0 < len(name) <= 31:
            raise ApiError(PARAM_ERROR)
        changes["name"] = name
    if not changes:
        raise ApiError(MISSING_PARAM)
    chime.update(changes)


FAMILIES: tuple[Family, ...] = (
    Family(
        key="stateLight",
        get_cmd="GetStateLight",
        set_cmd="SetStateLight",
        gate=is_hub,
        per_channel=False,
        default=lambda _p, _k, _c: {"enable": 1},
        range=lambda _p, _k: {"enable": "boolean"},
    ),
)

SPECS: tuple[Spec, ...] = (
    Spec(
        "GetDeviceAudioCfg",
        get_device_audio_cfg,
        is_hub,
        per_channel=True,
        exists=_hub_exists,
    ),
    Spec(
        "SetDeviceAudioCfg",
        set_device_audio_cfg,
        is_hub,
        per_channel=True,
        channel_required=True,
        exists=_hub_exists,
    ),
    Spec("GetDingDongList", get_ding_dong_list, feature("supportDingDongCtrl")),
    Spec("GetDingDongCfg", get_ding_dong_cfg, feature("supportDingDongCtrl")),
    Spec("SetDingDongCfg", set_ding_dong_cfg, feature("supportDingDongCtrl")),
    Spec("DingDongOpt", ding_dong_opt, feature("supportDingDongCtrl")),
)
