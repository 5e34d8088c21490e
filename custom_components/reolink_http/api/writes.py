"""Changing settings in the shape real firmware takes: the one place that knows each Set's body.

Rules (see the project's notes on real firmware): `channel` goes where the Get answer has
it; the families in `WHOLE_OBJECT` are written read-modify-write (the whole object from
the Get with the changed fields), since partial objects are unproven and may reset
what they omit; schedule-version-1 objects separate the device-wide `enable` (no
channel) from the per-camera `scheduleEnable` (with `schedule.channel`).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import Enum
from typing import TYPE_CHECKING, Any

from . import commands as c
from .commands import TypedCommand
from .exceptions import ReolinkParamError, ReolinkResponseError
from .models import Ack, as_int
from .protocol import Command, CommandResult, Ranged

if TYPE_CHECKING:
    from .fields import Source

type Changes = Mapping[str, Any]

# AudioAlarmPlay's manual mode: the guide spells it "manu", older clients sent "manul".
SIREN_SPELLINGS = ("manu", "manul")


class Placement(Enum):
    """Where a family's Set carries the channel."""

    NONE = "none"  # device-wide family
    FAMILY = "family"  # {"Isp": {"channel": 0, ...}}
    SCHEDULE = "schedule"  # {"Rec": {"schedule": {"channel": 0}}}; none when device-wide


@dataclass(frozen=True, slots=True, kw_only=True)
class Family:
    """How the Set of one Get command is built."""

    set_cmd: str
    key: str
    placement: Placement
    whole_object: bool = False


FAMILIES: Mapping[str, Family] = {
    # Read-modify-write, like the client Home Assistant core ships does on real devices.
    "GetIsp": Family(set_cmd="SetIsp", key="Isp", placement=Placement.FAMILY, whole_object=True),
    "GetEnc": Family(set_cmd="SetEnc", key="Enc", placement=Placement.FAMILY, whole_object=True),
    "GetOsd": Family(set_cmd="SetOsd", key="Osd", placement=Placement.FAMILY, whole_object=True),
    "GetRec": Family(set_cmd="SetRec", key="Rec", placement=Placement.SCHEDULE, whole_object=True),
    "GetNtp": Family(set_cmd="SetNtp", key="Ntp", placement=Placement.NONE, whole_object=True),
    "GetNetPort": Family(
        set_cmd="SetNetPort", key="NetPort", placement=Placement.NONE, whole_object=True
    ),
    # Partial objects are what real firmware is known to take for these.
    "GetImage": Family(set_cmd="SetImage", key="Image", placement=Placement.FAMILY),
    "GetMask": Family(set_cmd="SetMask", key="Mask", placement=Placement.FAMILY),
    "GetIrLights": Family(set_cmd="SetIrLights", key="IrLights", placement=Placement.FAMILY),
    "GetPowerLed": Family(set_cmd="SetPowerLed", key="PowerLed", placement=Placement.FAMILY),
    "GetWhiteLed": Family(set_cmd="SetWhiteLed", key="WhiteLed", placement=Placement.FAMILY),
    "GetAutoFocus": Family(set_cmd="SetAutoFocus", key="AutoFocus", placement=Placement.FAMILY),
    # reolink_aio's SetAudioCfg/SetAutoReply bodies name only the changed keys.
    "GetAudioCfg": Family(set_cmd="SetAudioCfg", key="AudioCfg", placement=Placement.FAMILY),
    "GetAutoReply": Family(set_cmd="SetAutoReply", key="AutoReply", placement=Placement.FAMILY),
    "GetRecV20": Family(set_cmd="SetRecV20", key="Rec", placement=Placement.SCHEDULE),
    # reolink_aio's SetManualRec body: {"Rec": {"channel", "enable"}}.
    "GetManualRec": Family(set_cmd="SetManualRec", key="Rec", placement=Placement.FAMILY),
    "GetPtzTraceSection": Family(
        set_cmd="SetPtzTraceSection", key="PtzTraceSection", placement=Placement.FAMILY
    ),
    "GetEmail": Family(set_cmd="SetEmail", key="Email", placement=Placement.SCHEDULE),
    "GetEmailV20": Family(set_cmd="SetEmailV20", key="Email", placement=Placement.SCHEDULE),
    "GetFtp": Family(set_cmd="SetFtp", key="Ftp", placement=Placement.SCHEDULE),
    "GetFtpV20": Family(set_cmd="SetFtpV20", key="Ftp", placement=Placement.SCHEDULE),
    "GetPush": Family(set_cmd="SetPush", key="Push", placement=Placement.SCHEDULE),
    "GetPushV20": Family(set_cmd="SetPushV20", key="Push", placement=Placement.SCHEDULE),
    "GetBuzzerAlarmV20": Family(
        set_cmd="SetBuzzerAlarmV20", key="Buzzer", placement=Placement.SCHEDULE
    ),
    "GetAudioAlarm": Family(set_cmd="SetAudioAlarm", key="Audio", placement=Placement.SCHEDULE),
    "GetAudioAlarmV20": Family(
        set_cmd="SetAudioAlarmV20", key="Audio", placement=Placement.SCHEDULE
    ),
    "GetAutoMaint": Family(set_cmd="SetAutoMaint", key="AutoMaint", placement=Placement.NONE),
    "GetAutoUpgrade": Family(set_cmd="SetAutoUpgrade", key="AutoUpgrade", placement=Placement.NONE),
    "GetUpnp": Family(set_cmd="SetUpnp", key="Upnp", placement=Placement.NONE),
    "GetP2p": Family(set_cmd="SetP2p", key="P2p", placement=Placement.NONE),
    # Battery cameras and the Home Hub (reolink_aio 0.22.0's bodies).
    "GetPirInfo": Family(set_cmd="SetPirInfo", key="pirInfo", placement=Placement.FAMILY),
    "GetStateLight": Family(set_cmd="SetStateLight", key="stateLight", placement=Placement.NONE),
    "GetDeviceAudioCfg": Family(
        set_cmd="SetDeviceAudioCfg", key="DeviceAudioCfg", placement=Placement.FAMILY
    ),
}


def merged(base: Mapping[str, Any], changes: Changes) -> dict[str, Any]:
    """`base` with `changes` laid over it, nested mappings merged key by key."""
    result = dict(base)
    for key, value in changes.items():
        old = result.get(key)
        if isinstance(old, Mapping) and isinstance(value, Mapping):
            result[key] = merged(old, value)
        else:
            result[key] = value
    return result


def set_command(
    source: Source, channel: int | None, changes: Changes, current: Mapping[str, Any] | None = None
) -> TypedCommand[Ack]:
    """The Set command writing `changes` to what `source` reads.

    `current` is the family object of the Get answer, required by `whole_object` families.
    """
    cmd = source.command
    if cmd == "GetAiAlarm":
        body = {**changes, "channel": channel or 0, "ai_type": source.ai_type}
        return c.action("SetAiAlarm", {"AiAlarm": body})
    if cmd == "GetMdAlarm":
        # `useNewSens` makes firmware read `newSens`; without it the old `sens` table counts.
        body = {**changes, "channel": channel or 0, "useNewSens": 1}
        return c.action("SetMdAlarm", {"MdAlarm": body})
    if cmd == "GetAiCfg":
        return c.action("SetAiCfg", {**changes, "channel": channel or 0})
    family = FAMILIES.get(cmd)
    if family is None:
        raise ValueError(f"no Set known for {source.name}")
    if family.whole_object:
        if current is None:
            raise ValueError(f"{family.set_cmd} needs the object read by {cmd}")
        body = merged(current, changes)
    else:
        body = dict(changes)
    if family.placement is Placement.SCHEDULE:
        return c.set_scheduled(family.set_cmd, family.key, body, channel)
    where = (channel or 0) if family.placement is Placement.FAMILY else None
    return c.set_family(family.set_cmd, family.key, body, where)


def device_clock(now: datetime, time: Mapping[str, Any], dst_hours: int) -> dict[str, Any]:
    """3.1.6 SetTime's `Time` for the instant `now`, in the device's own time zone.

    `timeZone` is in seconds west of UTC (-28800 is UTC+8); `dst_hours` is the shift
    of the device's DST rule while that rule is in force, else 0.
    """
    zone = as_int(time.get("timeZone"))
    local = now.astimezone(UTC) - timedelta(seconds=zone) + timedelta(hours=dst_hours)
    clock = {"year": local.year, "mon": local.month, "day": local.day}
    return {**time, **clock, "hour": local.hour, "min": local.minute, "sec": local.second}


def get_command(get_cmd: str, channel: int | None) -> Command:
    """The Get whose answer a read-modify-write starts from."""
    return Command(get_cmd, None if channel is None else {"channel": channel})


class SettingWrites:
    """Client methods that change settings; mixed into the client."""

    _siren_spelling: str = SIREN_SPELLINGS[0]

    if TYPE_CHECKING:

        async def run(self, typed: TypedCommand[Any]) -> Any: ...

        async def execute(self, commands: Sequence[Command]) -> list[CommandResult]: ...

    async def write_setting(self, source: Source, channel: int | None, changes: Changes) -> None:
        """Change fields of the family `source` reads (channel None: device-wide).

        Families written whole are read first, so nothing else changes on the device.
        """
        if source.chime is not None:
            await self.set_chime(source.chime, channel, changes)
            return
        family = FAMILIES.get(source.command)
        current = None
        if family is not None and family.whole_object:
            current = await self._read_family(get_command(source.command, channel), family.key)
        await self.run(set_command(source, channel, changes, current))

    async def set_clock(self, now: datetime, dst_in_force: bool) -> None:
        """3.1.6 SetTime to the instant `now` in the device's own zone (3.1.5 GetTime).

        `dst_in_force`: whether the device's DST rule applies now; its `offset` is added.
        The whole `Time` and `Dst` objects are written back, only the clock changed.
        """
        answer = (await self.execute([get_command("GetTime", None)]))[0].unwrap()
        time = await self._read_family(get_command("GetTime", None), "Time", answer)
        dst = answer.get("Dst") if isinstance(answer, Mapping) else None
        dst_whole = dict(dst) if isinstance(dst, Mapping) else None
        rule = dst_whole or {}
        shift = as_int(rule.get("offset"), 1) if dst_in_force and rule.get("enable") else 0
        await self.run(c.set_time(device_clock(now, time, shift), dst_whole))

    async def preset_id_range(self, channel: int) -> tuple[float, float] | None:
        """The preset IDs 3.7.1 GetPtzPreset's `range` allows."""
        ranged: Ranged[Any] = await self.run(c.get_ptz_preset(channel).with_range())
        return ranged.range.min_max("id")

    async def _read_family(
        self, command: Command, key: str, answer: Any = None
    ) -> Mapping[str, Any]:
        if answer is None:
            answer = (await self.execute([command]))[0].unwrap()
        current = answer.get(key) if isinstance(answer, Mapping) else None
        if not isinstance(current, Mapping):
            raise ReolinkResponseError(f"{command.cmd} answered without {key}")
        return current

    async def set_chime(self, chime: int, channel: int | None, changes: Changes) -> None:
        """DingDongOpt option 3 takes name, volume and LED together: the rest as read."""
        current = await self.run(c.read_chime(chime, channel))
        whole = {key: current.get(key) for key in ("name", "volLevel", "ledState")}
        settings = {key: value for key, value in whole.items() if value is not None}
        await self.run(c.set_chime(chime, channel, {**settings, **changes}))

    async def play_chime(self, chime: int, channel: int | None, tune: int) -> None:
        """Ring a tune (0-9) on a chime once."""
        await self.run(c.play_chime(chime, channel, tune))

    async def set_chime_tune(
        self, chime: int, channel: int | None, event: str, tune: int, current: int | None
    ) -> None:
        """The tune a chime rings for `event`; -1 silences it (keeping `current`'s tune)."""
        if tune >= 0:
            await self.run(c.set_chime_tone(chime, channel, event, ring=True, tune=tune))
            return
        kept = current if current is not None and current >= 0 else 0
        await self.run(c.set_chime_tone(chime, channel, event, ring=False, tune=kept))

    async def set_floodlight(self, channel: int, on: bool, brightness: int | None = None) -> None:
        """3.10.6 SetWhiteLed: switch the white LED, at `brightness` if given (else unchanged)."""
        settings: dict[str, Any] = {"state": int(on)}
        if brightness is not None:
            settings["bright"] = brightness
        await self.run(c.set_white_led(channel, settings))

    async def switch_siren(self, channel: int, on: bool) -> None:
        """3.8.12 AudioAlarmPlay in manual mode, trying the other spelling after a -4."""
        first = self._siren_spelling
        try:
            await self._play_siren(channel, on, first)
        except ReolinkParamError:
            other = next(spelling for spelling in SIREN_SPELLINGS if spelling != first)
            await self._play_siren(channel, on, other)
            self._siren_spelling = other

    async def _play_siren(self, channel: int, on: bool, spelling: str) -> None:
        param = {"channel": channel, "alarm_mode": spelling, "manual_switch": int(on)}
        await self.run(c.action("AudioAlarmPlay", param))
