"""Typed request builders for every command of the guide (section 3), with their parsers.

Each builder returns a `TypedCommand[T]`: the `Command` to send and the function that
turns its `CommandResult` into `T`. `TypedCommand.with_range()` asks for `action: 1`
and wraps the value in `Ranged[T]` with the family's `initial` and `range` (2.5).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, TypeVar

from .models import (
    Abilities,
    Ack,
    AiAlarm,
    AiCfg,
    AiState,
    AudioAlarm,
    AutoFocus,
    Buzzer,
    ChannelStatus,
    DeviceInfo,
    Email,
    EnableConfig,
    Enc,
    Events,
    FirmwareCheck,
    Ftp,
    HddDisk,
    HddInfo,
    Image,
    IrLights,
    Isp,
    LocalLink,
    MdAlarm,
    MdState,
    Osd,
    PowerLed,
    PtzGuard,
    PtzPatrol,
    PtzPreset,
    Push,
    RawConfig,
    Rec,
    SearchResult,
    Token,
    UpgradeStatus,
    WhiteLed,
    WifiSignal,
    ZoomFocus,
    as_bool,
    as_int,
    as_map,
    as_name,
)
from .protocol import Command, CommandResult, Ranged, RangeInfo

T = TypeVar("T")
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
        """The same command with `action: 1`, parsed with its initial and range data."""
        parse, key = self.parse, self.key

        def parse_ranged(result: CommandResult) -> Ranged[T]:
            return Ranged(
                parse(result),
                as_map(family(result.initial, key)),
                RangeInfo(as_map(family(result.range, key))),
            )

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
    key: str, factory: Callable[[Mapping[str, Any]], T]
) -> Callable[[Any], tuple[T, ...]]:
    def build(data: Any) -> tuple[T, ...]:
        items = family(data, key)
        return tuple(factory(as_map(i)) for i in items) if isinstance(items, list) else ()

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


def get_dev_name(channel: int = 0) -> TypedCommand[str]:
    """3.1.3 GetDevName."""
    return get("GetDevName", "DevName", lambda d: as_name(d.get("name")), channel)


def set_dev_name(name: str, channel: int | None = None) -> TypedCommand[Ack]:
    """3.1.4 SetDevName."""
    return set_family("SetDevName", "DevName", {"name": name}, channel)


def get_time() -> TypedCommand[RawConfig]:
    """3.1.5 GetTime (value holds `Time` and `Dst`)."""
    return get_raw("GetTime", None)


def set_time(time: Settings, dst: Settings | None = None) -> TypedCommand[Ack]:
    """3.1.6 SetTime."""
    param: dict[str, Any] = {"Time": dict(time)}
    if dst is not None:
        param["Dst"] = dict(dst)
    return action("SetTime", param)


def get_auto_maint() -> TypedCommand[RawConfig]:
    """3.1.7 GetAutoMaint."""
    return get_raw("GetAutoMaint", "AutoMaint")


def set_auto_maint(settings: Settings) -> TypedCommand[Ack]:
    """3.1.8 SetAutoMaint."""
    return set_family("SetAutoMaint", "AutoMaint", settings)


def get_hdd_info() -> TypedCommand[HddInfo]:
    """3.1.9 GetHddInfo."""

    def parse(result: CommandResult) -> HddInfo:
        disks = family(result.value, "HddInfo")
        items = disks if isinstance(disks, list) else []
        return HddInfo(tuple(HddDisk.from_value(as_map(d)) for d in items))

    return TypedCommand(Command("GetHddInfo"), parse, "HddInfo")


def format_hdd(hdd_ids: Sequence[int]) -> TypedCommand[Ack]:
    """3.1.10 Format."""
    return action("Format", {"HddInfo": {"id": list(hdd_ids)}})


def upgrade_query(clear_config: bool) -> dict[str, str]:
    """3.1.11 Upgrade: the URL parameters; the firmware travels as multipart form data."""
    return {"cmd": "Upgrade", "clearConfig": str(int(clear_config))}


def restore() -> TypedCommand[Ack]:
    """3.1.12 Restore."""
    return action("Restore")


def reboot() -> TypedCommand[Ack]:
    """3.1.13 Reboot."""
    return action("Reboot")


def upgrade_prepare(file_name: str, restore_config: bool = False) -> TypedCommand[Ack]:
    """3.1.14 UpgradePrepare."""
    return action("UpgradePrepare", {"restoreCfg": int(restore_config), "fileName": file_name})


def get_auto_upgrade() -> TypedCommand[EnableConfig]:
    """3.1.15 GetAutoUpgrade."""
    return get("GetAutoUpgrade", "AutoUpgrade", EnableConfig.from_value)


def set_auto_upgrade(enable: bool) -> TypedCommand[Ack]:
    """3.1.16 SetAutoUpgrade."""
    return set_family("SetAutoUpgrade", "AutoUpgrade", {"enable": int(enable)})


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
    parse = _mapped(None, _list_of("status", ChannelStatus.from_value))
    return TypedCommand(Command("GetChannelstatus"), parse)


# --- 3.2 Security -----------------------------------------------------------------------


def login(username: str, password: str) -> TypedCommand[Token]:
    """3.2.1 Login (Version 0: no private encryption)."""
    user = {"Version": "0", "userName": username, "password": password}
    return TypedCommand(Command("Login", {"User": user}), _mapped(None, Token.from_value))


def logout() -> TypedCommand[Ack]:
    """3.2.2 Logout."""
    return action("Logout", {})


def get_user() -> TypedCommand[RawConfig]:
    """3.2.3 GetUser."""
    return get_raw("GetUser", "User")


def add_user(username: str, password: str, level: str = "guest") -> TypedCommand[Ack]:
    """3.2.4 AddUser."""
    user = {"userName": username, "password": password, "level": level}
    return action("AddUser", {"User": user})


def del_user(username: str) -> TypedCommand[Ack]:
    """3.2.5 DelUser."""
    return action("DelUser", {"User": {"userName": username}})


def modify_user(username: str, old_password: str, new_password: str) -> TypedCommand[Ack]:
    """3.2.6 ModifyUser."""
    user = {"userName": username, "oldPassword": old_password, "newPassword": new_password}
    return action("ModifyUser", {"User": user})


def get_online() -> TypedCommand[RawConfig]:
    """3.2.7 GetOnline."""
    return get_raw("GetOnline", "User")


def disconnect(username: str, session_id: int) -> TypedCommand[Ack]:
    """3.2.8 Disconnect."""
    return action("Disconnect", {"User": {"userName": username, "sessionId": session_id}})


def get_sys_cfg() -> TypedCommand[RawConfig]:
    """3.2.9 GetSysCfg."""
    return get_raw("GetSysCfg", "SysCfg")


def set_sys_cfg(settings: Settings) -> TypedCommand[Ack]:
    """3.2.10 SetSysCfg."""
    return set_family("SetSysCfg", "SysCfg", settings)


# --- 3.3 Network ------------------------------------------------------------------------


def get_local_link() -> TypedCommand[LocalLink]:
    """3.3.1 GetLocalLink."""
    return get("GetLocalLink", "LocalLink", LocalLink.from_value)


def set_local_link(settings: Settings) -> TypedCommand[Ack]:
    """3.3.2 SetLocalLink."""
    return set_family("SetLocalLink", "LocalLink", settings)


def get_ddns() -> TypedCommand[RawConfig]:
    """3.3.3 GetDdns."""
    return get_raw("GetDdns", "Ddns")


def set_ddns(settings: Settings) -> TypedCommand[Ack]:
    """3.3.4 SetDdns."""
    return set_family("SetDdns", "Ddns", settings)


def get_email() -> TypedCommand[Email]:
    """3.3.5 GetEmail."""
    return get("GetEmail", "Email", Email.from_value)


def set_email(settings: Settings) -> TypedCommand[Ack]:
    """3.3.6 SetEmail."""
    return set_family("SetEmail", "Email", settings)


def get_email_v20(channel: int = 0) -> TypedCommand[Email]:
    """3.3.7 GetEmailV20."""
    return get("GetEmailV20", "Email", Email.from_value, channel)


def set_email_v20(settings: Settings, channel: int | None = None) -> TypedCommand[Ack]:
    """3.3.8 SetEmailV20."""
    return set_scheduled("SetEmailV20", "Email", settings, channel)


def test_email(settings: Settings) -> TypedCommand[Ack]:
    """3.3.9 TestEmail."""
    return set_family("TestEmail", "Email", settings)


def get_ftp() -> TypedCommand[Ftp]:
    """3.3.10 GetFtp."""
    return get("GetFtp", "Ftp", Ftp.from_value)


def set_ftp(settings: Settings) -> TypedCommand[Ack]:
    """3.3.11 SetFtp."""
    return set_family("SetFtp", "Ftp", settings)


def get_ftp_v20(channel: int | None = None) -> TypedCommand[Ftp]:
    """3.3.12 GetFtpV20."""
    return get("GetFtpV20", "Ftp", Ftp.from_value, channel)


def set_ftp_v20(settings: Settings, channel: int | None = None) -> TypedCommand[Ack]:
    """3.3.13 SetFtpV20."""
    return set_scheduled("SetFtpV20", "Ftp", settings, channel)


def test_ftp(settings: Settings) -> TypedCommand[Ack]:
    """3.3.14 TestFtp."""
    return set_family("TestFtp", "Ftp", settings)


def get_ntp() -> TypedCommand[RawConfig]:
    """3.3.15 GetNtp."""
    return get_raw("GetNtp", "Ntp")


def set_ntp(settings: Settings) -> TypedCommand[Ack]:
    """3.3.16 SetNtp."""
    return set_family("SetNtp", "Ntp", settings)


def get_net_port() -> TypedCommand[RawConfig]:
    """3.3.17 GetNetPort."""
    return get_raw("GetNetPort", "NetPort")


def set_net_port(settings: Settings) -> TypedCommand[Ack]:
    """3.3.18 SetNetPort."""
    return set_family("SetNetPort", "NetPort", settings)


def get_upnp() -> TypedCommand[EnableConfig]:
    """3.3.19 GetUpnp."""
    return get("GetUpnp", "Upnp", EnableConfig.from_value)


def set_upnp(enable: bool) -> TypedCommand[Ack]:
    """3.3.20 SetUpnp."""
    return set_family("SetUpnp", "Upnp", {"enable": int(enable)})


def get_wifi() -> TypedCommand[RawConfig]:
    """3.3.21 GetWifi."""
    return get_raw("GetWifi", "Wifi")


def set_wifi(ssid: str, password: str) -> TypedCommand[Ack]:
    """3.3.22 SetWifi."""
    return set_family("SetWifi", "Wifi", {"ssid": ssid, "password": password})


def test_wifi(ssid: str, password: str) -> TypedCommand[Ack]:
    """3.3.23 TestWifi."""
    return set_family("TestWifi", "Wifi", {"ssid": ssid, "password": password})


def scan_wifi() -> TypedCommand[RawConfig]:
    """3.3.24 ScanWifi."""
    return TypedCommand(Command("ScanWifi", {}), _mapped(None, RawConfig.from_value))


def get_wifi_signal() -> TypedCommand[WifiSignal]:
    """3.3.25 GetWifiSignal."""
    return get("GetWifiSignal", None, lambda d: WifiSignal(as_int(d.get("wifiSignal"))))


def get_push() -> TypedCommand[Push]:
    """3.3.26 GetPush."""
    return get("GetPush", "Push", Push.from_value)


def set_push(settings: Settings) -> TypedCommand[Ack]:
    """3.3.27 SetPush."""
    return set_family("SetPush", "Push", settings)


def get_push_v20(channel: int = 0) -> TypedCommand[Push]:
    """3.3.28 GetPushV20."""
    return get("GetPushV20", "Push", Push.from_value, channel)


def set_push_v20(settings: Settings, channel: int | None = None) -> TypedCommand[Ack]:
    """3.3.29 SetPushV20."""
    return set_scheduled("SetPushV20", "Push", settings, channel)


def get_push_cfg() -> TypedCommand[RawConfig]:
    """3.3.30 GetPushCfg."""
    return get_raw("GetPushCfg", "PushCfg")


def set_push_cfg(settings: Settings) -> TypedCommand[Ack]:
    """3.3.31 SetPushCfg."""
    return set_family("SetPushCfg", "PushCfg", settings)


def get_p2p() -> TypedCommand[RawConfig]:
    """3.3.32 GetP2p."""
    return get_raw("GetP2p", "P2p")


def set_p2p(enable: bool) -> TypedCommand[Ack]:
    """3.3.33 SetP2p."""
    return set_family("SetP2p", "P2p", {"enable": int(enable)})


def get_certificate_info() -> TypedCommand[RawConfig]:
    """3.3.34 GetCertificateInfo."""
    return TypedCommand(
        Command("GetCertificateInfo", {}),
        _mapped("CertificateInfo", RawConfig.from_value),
        "CertificateInfo",
    )


def certificate_clear() -> TypedCommand[Ack]:
    """3.3.35 CertificateClear."""
    return action("CertificateClear", {})


def get_rtsp_url(channel: int) -> TypedCommand[RawConfig]:
    """3.3.36 GetRtspUrl."""
    return get_raw("GetRtspUrl", "rtspUrl", channel)


# --- 3.4 Video input and 3.5 Enc ------------------------------------------------------------


def get_image(channel: int) -> TypedCommand[Image]:
    """3.4.1 GetImage."""
    return get("GetImage", "Image", Image.from_value, channel)


def set_image(channel: int, settings: Settings) -> TypedCommand[Ack]:
    """3.4.2 SetImage."""
    return set_family("SetImage", "Image", settings, channel)


def get_osd(channel: int) -> TypedCommand[Osd]:
    """3.4.3 GetOsd."""
    return get("GetOsd", "Osd", Osd.from_value, channel)


def set_osd(channel: int, settings: Settings) -> TypedCommand[Ack]:
    """3.4.4 SetOsd."""
    return set_family("SetOsd", "Osd", settings, channel)


def get_isp(channel: int) -> TypedCommand[Isp]:
    """3.4.5 GetIsp (printed "Getlsp")."""
    return get("GetIsp", "Isp", Isp.from_value, channel)


def set_isp(channel: int, settings: Settings) -> TypedCommand[Ack]:
    """3.4.6 SetIsp."""
    return set_family("SetIsp", "Isp", settings, channel)


def get_mask(channel: int) -> TypedCommand[RawConfig]:
    """3.4.7 GetMask."""
    return get_raw("GetMask", "Mask", channel)


def set_mask(channel: int, settings: Settings) -> TypedCommand[Ack]:
    """3.4.8 SetMask."""
    return set_family("SetMask", "Mask", settings, channel)


def get_crop(channel: int) -> TypedCommand[RawConfig]:
    """3.4.9 GetCrop."""
    return get_raw("GetCrop", "Crop", channel)


def set_crop(channel: int, settings: Settings) -> TypedCommand[Ack]:
    """3.4.10 SetCrop."""
    return set_family("SetCrop", "Crop", settings, channel)


def get_stitch() -> TypedCommand[RawConfig]:
    """3.4.11 GetStitch."""
    return get_raw("GetStitch", "stitch")


def set_stitch(settings: Settings) -> TypedCommand[Ack]:
    """3.4.12 SetStitch."""
    return set_family("SetStitch", "stitch", settings)


def get_enc(channel: int) -> TypedCommand[Enc]:
    """3.5.1 GetEnc."""
    return get("GetEnc", "Enc", Enc.from_value, channel)


def set_enc(channel: int, settings: Settings) -> TypedCommand[Ack]:
    """3.5.2 SetEnc."""
    return set_family("SetEnc", "Enc", settings, channel)


# --- 3.6 Record ---------------------------------------------------------------------------


def get_rec(channel: int) -> TypedCommand[Rec]:
    """3.6.1 GetRec."""
    return get("GetRec", "Rec", Rec.from_value, channel)


def set_rec(channel: int, settings: Settings) -> TypedCommand[Ack]:
    """3.6.2 SetRec."""
    return set_scheduled("SetRec", "Rec", settings, channel)


def get_rec_v20(channel: int) -> TypedCommand[Rec]:
    """3.6.3 GetRecV20."""
    return get("GetRecV20", "Rec", Rec.from_value, channel)


def set_rec_v20(channel: int, settings: Settings) -> TypedCommand[Ack]:
    """3.6.4 SetRecV20."""
    return set_scheduled("SetRecV20", "Rec", settings, channel)


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


def snap_query(channel: int, width: int | None = None, height: int | None = None) -> dict[str, str]:
    """3.6.7 Snap: the URL parameters (`rs` defeats caches, so it changes per call)."""
    query = {"cmd": "Snap", "channel": str(channel), "rs": _random_rs()}
    if width is not None:
        query["width"] = str(width)
    if height is not None:
        query["height"] = str(height)
    return query


def playback_query(
    source: str, output: str | None = None, start: str | None = None
) -> dict[str, str]:
    """3.6.8 Playback: the URL parameters of the binary GET."""
    query = {"cmd": "Playback", "source": source, "output": output or source}
    if start is not None:
        query["start"] = start
    return query


def nvr_download(
    channel: int, start: datetime, end: datetime, stream: str = "sub"
) -> TypedCommand[RawConfig]:
    """3.6.9 NvrDownload: the files covering a time span on an NVR."""
    query = {
        "channel": channel,
        "streamType": stream,
        "StartTime": _time_param(start),
        "EndTime": _time_param(end),
    }
    return TypedCommand(
        Command("NvrDownload", {"NvrDownload": query}, action=1),
        _mapped(None, RawConfig.from_value),
    )


def _random_rs() -> str:
    import secrets  # noqa: PLC0415 - only snapshots need it

    return secrets.token_hex(8)


# --- 3.7 PTZ --------------------------------------------------------------------------------


def get_ptz_preset(channel: int) -> TypedCommand[tuple[PtzPreset, ...]]:
    """3.7.1 GetPtzPreset."""
    parse = _mapped(None, _list_of("PtzPreset", PtzPreset.from_value))
    return TypedCommand(Command("GetPtzPreset", {"channel": channel}), parse, "PtzPreset")


def set_ptz_preset(
    channel: int, preset_id: int, name: str, enable: bool = True
) -> TypedCommand[Ack]:
    """3.7.2 SetPtzPreset."""
    settings = {"enable": int(enable), "id": preset_id, "name": name}
    return set_family("SetPtzPreset", "PtzPreset", settings, channel)


def get_ptz_patrol(channel: int) -> TypedCommand[tuple[PtzPatrol, ...]]:
    """3.7.3 GetPtzPatrol."""
    parse = _mapped(None, _list_of("PtzPatrol", PtzPatrol.from_value))
    return TypedCommand(Command("GetPtzPatrol", {"channel": channel}), parse, "PtzPatrol")


def set_ptz_patrol(channel: int, settings: Settings) -> TypedCommand[Ack]:
    """3.7.4 SetPtzPatrol."""
    return set_family("SetPtzPatrol", "PtzPatrol", settings, channel)


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


def get_ptz_serial(channel: int) -> TypedCommand[RawConfig]:
    """3.7.6 GetPtzSerial."""
    return get_raw("GetPtzSerial", "PtzSerial", channel)


def set_ptz_serial(channel: int, settings: Settings) -> TypedCommand[Ack]:
    """3.7.7 SetPtzSerial."""
    return set_family("SetPtzSerial", "PtzSerial", settings, channel)


def get_ptz_tattern(channel: int) -> TypedCommand[RawConfig]:
    """3.7.8 GetPtzTattern (pattern tracks; the name is spelled as in the guide)."""
    return get_raw("GetPtzTattern", "PtzTattern", channel)


def set_ptz_tattern(channel: int, tracks: Sequence[Settings]) -> TypedCommand[Ack]:
    """3.7.9 SetPtzTattern."""
    return set_family("SetPtzTattern", "PtzTattern", {"track": [dict(t) for t in tracks]}, channel)


def get_auto_focus(channel: int) -> TypedCommand[AutoFocus]:
    """3.7.10 GetAutoFocus."""
    return get("GetAutoFocus", "AutoFocus", _with_channel(AutoFocus.from_value, channel), channel)


def set_auto_focus(channel: int, disable: bool) -> TypedCommand[Ack]:
    """3.7.11 SetAutoFocus."""
    return set_family("SetAutoFocus", "AutoFocus", {"disable": int(disable)}, channel)


def get_zoom_focus(channel: int) -> TypedCommand[ZoomFocus]:
    """3.7.12 GetZoomFocus."""
    return get("GetZoomFocus", "ZoomFocus", ZoomFocus.from_value, channel)


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


def get_ptz_check_state(channel: int) -> TypedCommand[int]:
    """3.7.16 GetPtzCheckState: 0 idle, 1 running, 2 finished."""
    return get("GetPtzCheckState", None, lambda d: as_int(d.get("PtzCheckState")), channel)


def ptz_check(channel: int) -> TypedCommand[Ack]:
    """3.7.17 PtzCheck: start the PTZ self-test."""
    return action("PtzCheck", {"channel": channel})


def _with_channel[T](
    factory: Callable[[Mapping[str, Any]], T], channel: int
) -> Callable[[Mapping[str, Any]], T]:
    """Some answers omit `channel`; fill it in from the request."""

    def build(data: Mapping[str, Any]) -> T:
        return factory(data if "channel" in data else {**data, "channel": channel})

    return build


# --- 3.8 Alarm ------------------------------------------------------------------------------


def get_alarm(channel: int, alarm_type: str = "md") -> TypedCommand[RawConfig]:
    """3.8.1 GetAlarm."""
    param = {"Alarm": {"type": alarm_type, "channel": channel}}
    return TypedCommand(Command("GetAlarm", param), _mapped("Alarm", RawConfig.from_value), "Alarm")


def set_alarm(channel: int, settings: Settings) -> TypedCommand[Ack]:
    """3.8.2 SetAlarm."""
    return set_family("SetAlarm", "Alarm", settings, channel)


def get_md_alarm(channel: int) -> TypedCommand[MdAlarm]:
    """3.8.3 GetMdAlarm."""
    return get("GetMdAlarm", "MdAlarm", _with_channel(MdAlarm.from_value, channel), channel)


def set_md_alarm(channel: int, settings: Settings) -> TypedCommand[Ack]:
    """3.8.4 SetMdAlarm."""
    return set_family("SetMdAlarm", "MdAlarm", {**settings, "useNewSens": 1}, channel)


def get_md_state(channel: int) -> TypedCommand[MdState]:
    """3.8.5 GetMdState."""
    return get("GetMdState", None, lambda d: MdState(channel, as_bool(d.get("state"))), channel)


def get_audio_alarm(channel: int) -> TypedCommand[AudioAlarm]:
    """3.8.6 GetAudioAlarm."""
    factory = _with_channel(AudioAlarm.from_value, channel)
    return get("GetAudioAlarm", "Audio", factory, channel)


def set_audio_alarm(channel: int, settings: Settings) -> TypedCommand[Ack]:
    """3.8.7 SetAudioAlarm."""
    return set_scheduled("SetAudioAlarm", "Audio", settings, channel)


def get_audio_alarm_v20(channel: int) -> TypedCommand[AudioAlarm]:
    """3.8.8 GetAudioAlarmV20."""
    factory = _with_channel(AudioAlarm.from_value, channel)
    return get("GetAudioAlarmV20", "Audio", factory, channel)


def set_audio_alarm_v20(channel: int, settings: Settings) -> TypedCommand[Ack]:
    """3.8.9 SetAudioAlarmV20."""
    return set_scheduled("SetAudioAlarmV20", "Audio", settings, channel)


def get_buzzer_alarm_v20(channel: int | None = None) -> TypedCommand[Buzzer]:
    """3.8.10 GetBuzzerAlarmV20 (an NVR's own buzzer)."""
    return get("GetBuzzerAlarmV20", "Buzzer", Buzzer.from_value, channel)


def set_buzzer_alarm_v20(settings: Settings, channel: int | None = None) -> TypedCommand[Ack]:
    """3.8.11 SetBuzzerAlarmV20."""
    return set_scheduled("SetBuzzerAlarmV20", "Buzzer", settings, channel)


def audio_alarm_play(
    channel: int, times: int = 1, manual_switch: bool | None = None
) -> TypedCommand[Ack]:
    """3.8.12 AudioAlarmPlay: `times` plays, or switch the siren on/off manually."""
    if manual_switch is None:
        param = {"channel": channel, "alarm_mode": "times", "times": times}
    else:
        param = {"channel": channel, "alarm_mode": "manu", "manual_switch": int(manual_switch)}
    return action("AudioAlarmPlay", param)


# --- 3.10 LED and 3.11 AI -------------------------------------------------------------------


def get_ir_lights(channel: int) -> TypedCommand[IrLights]:
    """3.10.1 GetIrLights."""
    factory = _with_channel(IrLights.from_value, channel)
    return get("GetIrLights", "IrLights", factory, channel)


def set_ir_lights(channel: int, state: str) -> TypedCommand[Ack]:
    """3.10.2 SetIrLights: "Auto", "On" or "Off"."""
    return set_family("SetIrLights", "IrLights", {"state": state}, channel)


def get_power_led(channel: int) -> TypedCommand[PowerLed]:
    """3.10.3 GetPowerLed."""
    factory = _with_channel(PowerLed.from_value, channel)
    return get("GetPowerLed", "PowerLed", factory, channel)


def set_power_led(channel: int, state: str) -> TypedCommand[Ack]:
    """3.10.4 SetPowerLed: "On" or "Off"."""
    return set_family("SetPowerLed", "PowerLed", {"state": state}, channel)


def get_white_led(channel: int) -> TypedCommand[WhiteLed]:
    """3.10.5 GetWhiteLed."""
    factory = _with_channel(WhiteLed.from_value, channel)
    return get("GetWhiteLed", "WhiteLed", factory, channel)


def set_white_led(channel: int, settings: Settings) -> TypedCommand[Ack]:
    """3.10.6 SetWhiteLed (printed "SetWildeLed")."""
    return set_family("SetWhiteLed", "WhiteLed", settings, channel)


def get_ai_alarm(channel: int, ai_type: str) -> TypedCommand[AiAlarm]:
    """3.10.7 GetAiAlarm for one object kind."""
    factory = _with_channel(AiAlarm.from_value, channel)
    param = {"channel": channel, "ai_type": ai_type}
    return get("GetAiAlarm", "AiAlarm", factory, param=param)


def set_ai_alarm(channel: int, ai_type: str, settings: Settings) -> TypedCommand[Ack]:
    """3.10.8 SetAiAlarm."""
    return action("SetAiAlarm", {"AiAlarm": {**settings, "channel": channel, "ai_type": ai_type}})


def set_alarm_area(channel: int, ai_type: str, settings: Settings) -> TypedCommand[Ack]:
    """3.10.9 SetAlarmArea."""
    return action("SetAlarmArea", {**settings, "channel": channel, "ai_type": ai_type})


def get_ai_cfg(channel: int) -> TypedCommand[AiCfg]:
    """3.11.1 GetAiCfg."""
    return get("GetAiCfg", None, _with_channel(AiCfg.from_value, channel), channel)


def set_ai_cfg(channel: int, settings: Settings) -> TypedCommand[Ack]:
    """3.11.2 SetAiCfg (fields sit directly in `param`)."""
    return action("SetAiCfg", {**settings, "channel": channel})


def get_ai_state(channel: int) -> TypedCommand[AiState]:
    """3.11.3 GetAiState."""
    return get("GetAiState", None, lambda d: AiState.from_value(channel, d), channel)


def get_events(channel: int) -> TypedCommand[Events]:
    """GetEvents (newer firmware): motion, AI kinds and visitor of one channel in one answer."""

    def parse(result: CommandResult) -> Events:
        # Polled every second for every channel: straight to the model, no generic layers.
        return Events.from_value(channel, as_map(result.value))

    return TypedCommand(Command("GetEvents", {"channel": channel}), parse)
