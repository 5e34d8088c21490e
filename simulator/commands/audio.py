"""Speaker volumes and the doorbell's quick replies (not in the guide).

- GetAudioCfg/SetAudioCfg: ``AudioCfg.volume`` (speaker); doorbells add
  ``talkAndReplyVolume``, ``visitorVolume`` and ``visitorLoudspeaker`` (button sound).
  Answer shape captured over HTTP in home-assistant/core #89351; the doorbell keys and
  the Set body are reolink_aio 0.22.0's ``set_volume`` (its commented-out HTTP body).
- GetAudioFileList: the quick-reply messages, captured in JimStar/reolink_cctv #124
  (``audioLen``, ``fileName``, ``fileSize``, ``id``, ``type``).
- GetAutoReply/SetAutoReply: ``AutoReply.enable``, ``fileId``, ``timeout`` (seconds before
  the message plays), captured in mnpg/Reolink_api_documentations #1, whose range lists
  only ``enable``; its value has no channel, ours has (see ``_auto_reply``).
- QuickReplyPlay ``{"id", "channel"}`` plays one message (reolink_aio ``play_quick_reply``;
  starkillerOG/reolink_aio #10: the id is the file's ``id``).
"""

from collections.abc import Mapping
from typing import Any

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
from simulator.profiles import CameraKind, Profile

# Reolink's stock replies as a doorbell lists them (JimStar/reolink_cctv #124).
QUICK_REPLIES: tuple[tuple[int, str, int], ...] = (
    (0, "I'm sorry. I think you've knocked on the wrong door.", 3),
    (1, "Hi, we will be right there. Please wait a moment.", 4),
    (2, "Hi, please leave the package at the door. We will get it later.", 4),
)
VOLUME = minmax(0, 100)


def _audio_cfg(_p: Profile, kind: CameraKind | None, channel: int) -> dict[str, Any]:
    settings: dict[str, Any] = {"channel": channel, "volume": 80}
    if kind is not None and kind.doorbell:
        settings |= {"talkAndReplyVolume": 80, "visitorLoudspeaker": 1, "visitorVolume": 80}
    return settings


def _audio_cfg_range(_p: Profile, kind: CameraKind | None) -> dict[str, Any]:
    limits: dict[str, Any] = {"volume": VOLUME}
    if kind is not None and kind.doorbell:
        limits |= {
            "talkAndReplyVolume": VOLUME,
            "visitorLoudspeaker": "boolean",
            "visitorVolume": VOLUME,
        }
    return limits


def _auto_reply(_p: Profile, _k: CameraKind | None, channel: int) -> dict[str, Any]:
    # The captured doorbell (an IPC) sends no channel; ours names it like every other
    # per-channel family, so its answer fed back as the Set (which needs it) is accepted.
    return {"channel": channel, "enable": 0, "fileId": 0, "timeout": 2}


def _file_ids() -> set[int]:
    return {ident for ident, _name, _length in QUICK_REPLIES}


def _check_auto_reply(call: Call, update: Mapping[str, Any]) -> None:
    """The message must be one of the list; the wait a whole number of seconds."""
    settings = call.device.config("AutoReply", call.channel)
    if settings["fileId"] not in _file_ids() or not is_int(settings["timeout"]):
        raise ApiError(PARAM_ERROR)
    if settings["timeout"] < 0:
        raise ApiError(PARAM_ERROR)


FAMILIES: tuple[Family, ...] = (
    Family(
        key="AudioCfg",
        get_cmd="GetAudioCfg",
        set_cmd="SetAudioCfg",
        gate=feature("supportAoAdjust"),
        per_channel=True,
        default=_audio_cfg,
        range=_audio_cfg_range,
    ),
    Family(
        key="AutoReply",
        get_cmd="GetAutoReply",
        set_cmd="SetAutoReply",
        gate=feature("supportAutoReply"),
        per_channel=True,
        default=_auto_reply,
        range=lambda _p, _k: {"enable": "boolean"},
        on_set=_check_auto_reply,
    ),
)


def get_audio_file_list(call: Call) -> Reply:
    """The quick-reply messages of the channel."""
    files = [
        {"audioLen": length, "fileName": name, "fileSize": 8000 * length, "id": ident}
        | {"type": "alarm"}
        for ident, name, length in QUICK_REPLIES
    ]
    return CommandReply({"AudioFileList": files})


def quick_reply_play(call: Call) -> Reply:
    """Play one message now; the simulator remembers which (``device.quick_replies``)."""
    ident = call.param.get("id")
    if ident is None:
        raise ApiError(MISSING_PARAM)
    if not is_int(ident) or ident not in _file_ids():
        raise ApiError(PARAM_ERROR)
    call.device.quick_replies.append((call.channel or 0, ident))
    return ok()


SPECS: tuple[Spec, ...] = (
    Spec(
        "GetAudioFileList",
        get_audio_file_list,
        feature("supportAudioFileList"),
        per_channel=True,
    ),
    Spec(
        "QuickReplyPlay",
        quick_reply_play,
        feature("supportAudioFileList"),
        per_channel=True,
    ),
)
