"""Typed request builders for the commands the client sends, with their parsers.

Each builder returns a `TypedCommand[T]`: the `Command` to send and the function that
turns its `CommandResult` into `T`. `TypedCommand.with_range()` asks for `action: 1`
and wraps the value in `Ranged[T]` with the family's `range` (2.5).
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, TypeVar

from .models import (
    Abilities,
    Ack,
    AiState,
    ChannelStatus,
    ChannelType,
    Chime,
    DeviceInfo,
    Events,
    FirmwareCheck,
    LocalLink,
    MdState,
    OnlineUser,
    PtzGuard,
    PtzPreset,
    RawConfig,
    SearchResult,
    Token,
    UpgradeStatus,
    UserAccount,
    as_bool,
    as_map,
)
from .protocol import Command, CommandResult, Ranged, RangeInfo
from .sanitize import MAX_CHANNELS, MAX_CHIMES, MAX_LOGINS, MAX_PRESETS, MAX_USERS, bounded_list
from .streams import SnapStream

T = TypeVar("T")
# The form field a firmware file is posted in (3.1.11 Upgrade, as reolink_aio 0.22.0 sends it).
UPGRADE_FIELD = "upgrade-package"
Settings = Mapping[str, Any]


def family(data: Any, key: str | None) -> Any:
    """The part of a value/initial/range object that belongs to `key` ("Isp", "Enc"...)."""
    if key is not None and isinstance(data, Mapping) and key in data:
        return data[key]
    return data


@dataclass(frozen=True, slots=True)
class TypedCommand[T]:
    """A command with the parser for its answer; `key` names its value family."""

    command: Command
    parse: Callable[[CommandResult], T]
    key: str | None = None

    def with_range(self) -> TypedCommand[Ranged[T]]:
        """The same command with `action: 1`, parsed with its range data."""
        parse, key = self.parse, self.key

        def parse_ranged(result: CommandResult) -> Ranged[T]:
            return Ranged(parse(result), RangeInfo(as_map(family(result.range, key))))

        return TypedCommand(replace(self.command, action=1), parse_ranged, key)


# --- generic builders -----------------------------------------------------------------


def _mapped[T](key: str | None, factory: Callable[[Any], T]) -> Callable[[CommandResult], T]:
    def parse(result: CommandResult) -> T:
        return factory(family(result.value, key))

    return parse


def _mapping_of[T](factory: Callable[[Mapping[str, Any]], T]) -> Callable[[Any], T]:
    def build(data: Any) -> T:
        return factory(as_map(data))

    return build


def _channel_param(channel: int | None) -> dict[str, Any] | None:
    return None if channel is None else {"channel": channel}


def get[T](
    cmd: str,
    key: str | None,
    factory: Callable[[Mapping[str, Any]], T],
    channel: int | None = None,
    param: Mapping[str, Any] | None = None,
) -> TypedCommand[T]:
    """A Get command whose value family `key` is parsed by `factory`."""
    body = dict(param) if param is not None else _channel_param(channel)
    return TypedCommand(Command(cmd, body), _mapped(key, _mapping_of(factory)), key)


def get_raw(cmd: str, key: str | None, channel: int | None = None) -> TypedCommand[RawConfig]:
    """A Get command whose value is kept as a thin RawConfig wrapper."""
    return TypedCommand(
        Command(cmd, _channel_param(channel)), _mapped(key, RawConfig.from_value), key
    )


def action(cmd: str, param: Mapping[str, Any] | None = None) -> TypedCommand[Ack]:
    """A command that only acknowledges (Set commands, Reboot, PtzCtrl...)."""
    return TypedCommand(Command(cmd, param), _mapped(None, Ack.from_value))


def set_family(
    cmd: str, key: str, settings: Settings, channel: int | None = None
) -> TypedCommand[Ack]:
    """A Set command: `{"<key>": {...settings, "channel": N}}`."""
    body = dict(settings)
    if channel is not None:
        body["channel"] = channel
    return action(cmd, {key: body})


def set_scheduled(
    cmd: str, key: str, settings: Settings, channel: int | None = None
) -> TypedCommand[Ack]:
    """A Set whose channel sits in `schedule`, where its Get answer has it.

    Without a channel it addresses the device-wide switch (`enable` of V20 objects).
    """
    body = dict(settings)
    if channel is not None:
        schedule = body.get("schedule")
        body["schedule"] = {
            **(schedule if isinstance(schedule, Mapping) else {}),
            "channel": channel,
        }
    return action(cmd, {key: body})


def _list_of[T](
    key: str, factory: Callable[[Mapping[str, Any]], T], maximum: int, what: str
) -> Callable[[Any], tuple[T, ...]]:
    """The items under `key`, at most `maximum` of them (what real devices have)."""

    def build(data: Any) -> tuple[T, ...]:
        items = family(data, key)
        if not isinstance(items, list):
            return ()
        return tuple(factory(as_map(i)) for i in bounded_list(what, items, maximum))

    return build


def _time_param(moment: datetime) -> dict[str, int]:
    return {
        "year": moment.year,
        "mon": moment.month,
        "day": moment.day,
        "hour": moment.hour,
        "min": moment.minute,
        "sec": moment.second,
    }


# --- 3.1 System -------------------------------------------------------------------------


def get_ability(username: str) -> TypedCommand[Abilities]:
    """3.1.1 GetAbility for one user."""
    return get(
        "GetAbility", "Ability", Abilities.from_value, param={"User": {"userName": username}}
    )


def get_dev_info() -> TypedCommand[DeviceInfo]:
    """3.1.2 GetDevInfo."""
    return get("GetDevInfo", "DevInfo", DeviceInfo.from_value)


def get_chn_type_info(channel: int) -> TypedCommand[ChannelType]:
    """GetChnTypeInfo (newer NVR firmware, not in the guide): model and firmware of a camera."""
    return get("GetChnTypeInfo", None, ChannelType.from_value, channel)


def set_time(time: Settings, dst: Settings | None = None) -> TypedCommand[Ack]:
    """3.1.6 SetTime."""
    param: dict[str, Any] = {"Time": dict(time)}
    if dst is not None:
        param["Dst"] = dict(dst)
    return action("SetTime", param)


def format_hdd(hdd_ids: Sequence[int]) -> TypedCommand[Ack]:
    """3.1.10 Format."""
    return action("Format", {"HddInfo": {"id": list(hdd_ids)}})


def reboot() -> TypedCommand[Ack]:
    """3.1.13 Reboot."""
    return action("Reboot")


def upgrade_prepare(file_name: str, size: int, channel: int) -> TypedCommand[Ack]:
    """3.1.14 UpgradePrepare of a camera behind an NVR: `ipcChnBit` names its channel.

    Not in the guide's form: reolink_aio 0.22.0 `upload_firmware` sends the channel as a
    bit mask in a string and the file's size, before the file follows in pieces.
    """
    param = {
        "restoreCfg": 0,
        "fileName": file_name,
        "ipcChnBit": str(1 << channel),
        "fileSize": size,
    }
    return action("UpgradePrepare", param)


def upgrade_piece_query(token: str) -> dict[str, str]:
    """3.1.11 Upgrade: the query of each piece of a file (the file travels as form data)."""
    return {"cmd": "Upgrade", "token": token, "clearConfig": "0", "file": UPGRADE_FIELD}


def upgrade_piece_name(file_name: str, upload_id: str, index: int, size: int) -> str:
    """The form file name of one piece: `<name>&<upload id>&<piece>&<file size>`."""
    return f"{file_name}&{upload_id}&{index}&{size}"


def check_firmware() -> TypedCommand[FirmwareCheck]:
    """3.1.17 CheckFirmware."""
    return get("CheckFirmware", None, FirmwareCheck.from_value)


def upgrade_online() -> TypedCommand[Ack]:
    """3.1.18 UpgradeOnline."""
    return action("UpgradeOnline")


def upgrade_status() -> TypedCommand[UpgradeStatus]:
    """3.1.19 UpgradeStatus."""
    return get("UpgradeStatus", "Status", UpgradeStatus.from_value)


def get_channel_status() -> TypedCommand[tuple[ChannelStatus, ...]]:
    """3.1.20 Getchannelstatus (the body spells it GetChannelstatus)."""
    statuses = _list_of(
        "status", ChannelStatus.from_value, MAX_CHANNELS, "channels (Getchannelstatus)"
    )

    def parse(result: CommandResult) -> tuple[ChannelStatus, ...]:
        # A channel number is an index into the device's channels: never beyond them.
        return tuple(s for s in statuses(result.value) if 0 <= s.channel < MAX_CHANNELS)

    return TypedCommand(Command("GetChannelstatus"), parse)


# --- chimes (not in the guide; reolink_aio 0.22.0's bodies) ------------------------------

# DingDongOpt options: read volume/LED/name, write them, play a tune.
CHIME_READ, CHIME_WRITE, CHIME_PLAY = 2, 3, 4


def ding_dong(chime: int, channel: int | None, option: int, **extra: Any) -> dict[str, Any]:
    """DingDongOpt's param; `channel` only for chimes paired to a camera, not to the hub."""
    body: dict[str, Any] = {"id": chime, "option": option, **extra}
    if channel is not None:
        body["channel"] = channel
    return {"DingDong": body}


def get_chime_list(channel: int | None = None) -> TypedCommand[tuple[Chime, ...]]:
    """GetDingDongList: the chimes paired to the hub (or to `channel`), at most `MAX_CHIMES`."""
    listed = _list_of("pairedlist", Chime.from_value, MAX_CHIMES, "chimes")

    def parse(data: Any) -> tuple[Chime, ...]:
        chimes = [chime for chime in listed(data) if chime.id >= 0]
        return tuple({chime.id: chime for chime in chimes}.values())

    return TypedCommand(
        Command("GetDingDongList", _channel_param(channel) or {}), _mapped("DingDongList", parse)
    )


def read_chime(chime: int, channel: int | None) -> TypedCommand[RawConfig]:
    """DingDongOpt option 2: the chime's `name`, `volLevel` and `ledState`."""
    return TypedCommand(
        Command("DingDongOpt", ding_dong(chime, channel, CHIME_READ)),
        _mapped("DingDong", RawConfig.from_value),
    )


def set_chime(chime: int, channel: int | None, settings: Mapping[str, Any]) -> TypedCommand[Ack]:
    """DingDongOpt option 3 with the whole `name`, `volLevel`, `ledState`."""
    return action("DingDongOpt", ding_dong(chime, channel, CHIME_WRITE, **settings))


def play_chime(chime: int, channel: int | None, tune: int) -> TypedCommand[Ack]:
    """DingDongOpt option 4: ring tune `tune` (0-9) once."""
    return action("DingDongOpt", ding_dong(chime, channel, CHIME_PLAY, musicId=tune))


def set_chime_tone(
    chime: int, channel: int | None, event: str, *, ring: bool, tune: int
) -> TypedCommand[Ack]:
    """SetDingDongCfg: the tune (and whether it rings) for one event type."""
    body: dict[str, Any] = {
        "ringId": chime,
        "type": {event: {"switch": int(ring), "musicId": tune}},
    }
    if channel is not None:
        body["channel"] = channel
    return action("SetDingDongCfg", {"DingDongCfg": body})


# --- 3.2 Security -----------------------------------------------------------------------


def login(username: str, password: str) -> TypedCommand[Token]:
    """3.2.1 Login (Version 0: no private encryption)."""
    user = {"Version": "0", "userName": username, "password": password}
    return TypedCommand(Command("Login", {"User": user}), _mapped(None, Token.from_value))


def get_online() -> TypedCommand[tuple[OnlineUser, ...]]:
    """3.2.7 GetOnline: the logins the device holds."""
    parse = _mapped(None, _list_of("User", OnlineUser.from_value, MAX_LOGINS, "logins"))
    return TypedCommand(Command("GetOnline"), parse)


def disconnect(username: str, session_id: int) -> TypedCommand[Ack]:
    """3.2.8 Disconnect: end another client's login."""
    return action("Disconnect", {"User": {"userName": username, "sessionId": session_id}})


def logout() -> TypedCommand[Ack]:
    """3.2.2 Logout."""
    return action("Logout", {})


# --- 3.3 Network ------------------------------------------------------------------------


def get_users() -> TypedCommand[tuple[UserAccount, ...]]:
    """3.2.3 GetUser: every account with its level, at most `MAX_USERS`."""
    listed = _list_of("User", UserAccount.from_value, MAX_USERS, "users")
    return TypedCommand(Command("GetUser", {}), _mapped(None, listed))


def get_local_link() -> TypedCommand[LocalLink]:
    """3.3.1 GetLocalLink."""
    return get("GetLocalLink", "LocalLink", LocalLink.from_value)


def get_email() -> TypedCommand[RawConfig]:
    """3.3.5 GetEmail."""
    return get_raw("GetEmail", "Email")


def test_email(settings: Settings) -> TypedCommand[Ack]:
    """3.3.9 TestEmail."""
    return set_family("TestEmail", "Email", settings)


def get_ftp() -> TypedCommand[RawConfig]:
    """3.3.10 GetFtp."""
    return get_raw("GetFtp", "Ftp")


def test_ftp(settings: Settings) -> TypedCommand[Ack]:
    """3.3.14 TestFtp."""
    return set_family("TestFtp", "Ftp", settings)


def get_net_port() -> TypedCommand[RawConfig]:
    """3.3.17 GetNetPort."""
    return get_raw("GetNetPort", "NetPort")


# --- 3.6 Record ---------------------------------------------------------------------------


def search(
    channel: int, start: datetime, end: datetime, stream: str = "main", only_status: bool = False
) -> TypedCommand[SearchResult]:
    """3.6.5 Search recordings between two local device times."""
    query = {
        "channel": channel,
        "onlyStatus": int(only_status),
        "streamType": stream,
        "StartTime": _time_param(start),
        "EndTime": _time_param(end),
    }
    return TypedCommand(
        Command("Search", {"Search": query}),
        _mapped("SearchResult", _mapping_of(SearchResult.from_value)),
        "SearchResult",
    )


def download_query(source: str, output: str | None = None) -> dict[str, str]:
    """3.6.6 Download: the URL parameters of the binary GET."""
    return {"cmd": "Download", "source": source, "output": output or source.replace("/", "_")}


def snap_query(
    channel: int,
    width: int | None = None,
    height: int | None = None,
    stream: SnapStream | None = None,
    telephoto: bool = False,
) -> dict[str, str]:
    """3.6.7 Snap: the URL parameters (`rs` defeats caches, so it changes per call).

    `snapType` is not in the guide; firmware answers "sub" with the sub stream's
    picture, and older firmware that ignores it honours the sub stream's width and height.
    `iLogicChannel=1` (not in the guide either; reolink_aio) asks for the telephoto lens.
    """
    query = {"cmd": "Snap", "channel": str(channel), "rs": _random_rs()}
    if telephoto:
        query["iLogicChannel"] = "1"
    if stream is not None:
        query["snapType"] = stream
    if width is not None:
        query["width"] = str(width)
    if height is not None:
        query["height"] = str(height)
    return query


def _random_rs() -> str:
    import secrets  # noqa: PLC0415 - only snapshots need it

    return secrets.token_hex(8)


# --- 3.7 PTZ --------------------------------------------------------------------------------


def get_ptz_preset(channel: int) -> TypedCommand[tuple[PtzPreset, ...]]:
    """3.7.1 GetPtzPreset."""
    parse = _mapped(None, _list_of("PtzPreset", PtzPreset.from_value, MAX_PRESETS, "PTZ presets"))
    return TypedCommand(Command("GetPtzPreset", {"channel": channel}), parse, "PtzPreset")


def set_ptz_preset(
    channel: int, preset_id: int, name: str, enable: bool = True
) -> TypedCommand[Ack]:
    """3.7.2 SetPtzPreset."""
    settings = {"enable": int(enable), "id": preset_id, "name": name}
    return set_family("SetPtzPreset", "PtzPreset", settings, channel)


def ptz_ctrl(
    channel: int, op: str, speed: int | None = None, preset_id: int | None = None
) -> TypedCommand[Ack]:
    """3.7.5 PtzCtrl: `op` such as "Left", "Stop", "Auto", "ToPos" (with `preset_id`)."""
    param: dict[str, Any] = {"channel": channel, "op": op}
    if speed is not None:
        param["speed"] = speed
    if preset_id is not None:
        param["id"] = preset_id
    return action("PtzCtrl", param)


def start_zoom_focus(channel: int, op: str, pos: int) -> TypedCommand[Ack]:
    """3.7.13 StartZoomFocus: `op` "ZoomPos" or "FocusPos"."""
    return set_family("StartZoomFocus", "ZoomFocus", {"op": op, "pos": pos}, channel)


def get_ptz_guard(channel: int) -> TypedCommand[PtzGuard]:
    """3.7.14 GetPtzGuard."""
    return get("GetPtzGuard", "PtzGuard", PtzGuard.from_value, channel)


def set_ptz_guard(
    channel: int, enable: bool, timeout: int = 60, save_current_position: bool = False
) -> TypedCommand[Ack]:
    """3.7.15 SetPtzGuard: `cmdStr` "setPos" stores the current position as guard."""
    settings = {
        "cmdStr": "setPos" if save_current_position else "",
        "benable": int(enable),
        "bSaveCurrentPos": int(save_current_position),
        "timeout": timeout,
    }
    return set_family("SetPtzGuard", "PtzGuard", settings, channel)


def ptz_check(channel: int) -> TypedCommand[Ack]:
    """3.7.17 PtzCheck: start the PTZ self-test."""
    return action("PtzCheck", {"channel": channel})


# --- 3.8 Alarm ------------------------------------------------------------------------------


def get_md_state(channel: int) -> TypedCommand[MdState]:
    """3.8.5 GetMdState."""
    return get("GetMdState", None, lambda d: MdState(channel, as_bool(d.get("state"))), channel)


# --- 3.10 LED and 3.11 AI -------------------------------------------------------------------


def set_white_led(channel: int, settings: Settings) -> TypedCommand[Ack]:
    """3.10.6 SetWhiteLed (printed "SetWildeLed")."""
    return set_family("SetWhiteLed", "WhiteLed", settings, channel)


def get_ai_state(channel: int) -> TypedCommand[AiState]:
    """3.11.3 GetAiState."""
    return get("GetAiState", None, lambda d: AiState.from_value(channel, d), channel)


def get_events(channel: int) -> TypedCommand[Events]:
    """GetEvents (newer firmware): motion, AI kinds and visitor of one channel in one answer."""

    def parse(result: CommandResult) -> Events:
        # Polled every second for every channel: straight to the model, no generic layers.
        return Events.from_value(channel, as_map(result.value))

    return TypedCommand(Command("GetEvents", {"channel": channel}), parse)
