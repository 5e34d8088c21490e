"""On/off settings (guide 3.1, 3.3, 3.4, 3.5, 3.6, 3.7, 3.8, 3.10, 3.11).

This module also holds what the other settings platforms (select, number, light,
siren) share: reading a field of a Get answer, the Set call of each Get command,
reading the answers before entities are created, and optimistic writes.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from homeassistant.components.switch import SwitchEntity, SwitchEntityDescription
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .api import (
    Command,
    CommandResult,
    RangeInfo,
    ReolinkClient,
    ReolinkError,
    ReolinkInvalidChannelError,
    ReolinkNotSupportedError,
    ReolinkParamError,
)
from .coordinator import SettingKey
from .device import ReolinkDevice
from .entity import ReolinkSettingDescription, ReolinkSettingEntity

if TYPE_CHECKING:
    from . import ReolinkConfigEntry, ReolinkData

_LOGGER = logging.getLogger(__name__)

PARALLEL_UPDATES = 1

type Setter = Callable[[ReolinkClient, int | None, dict[str, Any]], Awaitable[Any]]
type Supported = Callable[[ReolinkDevice, int | None], bool]


# --- shared by the settings platforms ------------------------------------------------------


def _channel(channel: int | None) -> int:
    return channel or 0


# The Set command of each Get command, given the changed fields of its family.
SETTERS: Mapping[str, Setter] = {
    "GetAutoMaint": lambda c, ch, s: c.set_auto_maint(s),
    "GetAutoUpgrade": lambda c, ch, s: c.set_auto_upgrade(bool(s["enable"])),
    "GetNtp": lambda c, ch, s: c.set_ntp(s),
    "GetUpnp": lambda c, ch, s: c.set_upnp(bool(s["enable"])),
    "GetP2p": lambda c, ch, s: c.set_p2p(bool(s["enable"])),
    "GetEmail": lambda c, ch, s: c.set_email(s),
    "GetEmailV20": lambda c, ch, s: c.set_email_v20(s),
    "GetFtp": lambda c, ch, s: c.set_ftp(s),
    "GetFtpV20": lambda c, ch, s: c.set_ftp_v20(s),
    "GetPush": lambda c, ch, s: c.set_push(s),
    "GetPushV20": lambda c, ch, s: c.set_push_v20(s),
    "GetImage": lambda c, ch, s: c.set_image(_channel(ch), s),
    "GetOsd": lambda c, ch, s: c.set_osd(_channel(ch), s),
    "GetIsp": lambda c, ch, s: c.set_isp(_channel(ch), s),
    "GetMask": lambda c, ch, s: c.set_mask(_channel(ch), s),
    "GetEnc": lambda c, ch, s: c.set_enc(_channel(ch), s),
    "GetRec": lambda c, ch, s: c.set_rec(_channel(ch), s),
    "GetRecV20": lambda c, ch, s: c.set_rec_v20(_channel(ch), s),
    "GetMdAlarm": lambda c, ch, s: c.set_md_alarm(_channel(ch), s),
    "GetAudioAlarm": lambda c, ch, s: c.set_audio_alarm(_channel(ch), s),
    "GetAudioAlarmV20": lambda c, ch, s: c.set_audio_alarm_v20(_channel(ch), s),
    "GetBuzzerAlarmV20": lambda c, ch, s: c.set_buzzer_alarm_v20(s),
    "GetIrLights": lambda c, ch, s: c.set_ir_lights(_channel(ch), s["state"]),
    "GetPowerLed": lambda c, ch, s: c.set_power_led(_channel(ch), s["state"]),
    "GetWhiteLed": lambda c, ch, s: c.set_white_led(_channel(ch), s),
    "GetAiCfg": lambda c, ch, s: c.set_ai_cfg(_channel(ch), s),
    "GetAutoFocus": lambda c, ch, s: c.set_auto_focus(_channel(ch), bool(s["disable"])),
}


@dataclass(frozen=True, slots=True)
class Field:
    """One field of a Get answer: `family` ("Isp"; None when unwrapped) and a dotted `path`."""

    family: str | None
    path: str

    @property
    def full_path(self) -> str:
        """The path inside `value` and `range`, family included."""
        return self.path if self.family is None else f"{self.family}.{self.path}"

    def read(self, value: Any) -> Any:
        """The field's current value, None when the answer lacks it."""
        node = value
        for part in self.full_path.split("."):
            node = node.get(part) if isinstance(node, Mapping) else None
        return node

    def patch(self, new: Any) -> dict[str, Any]:
        """The Set parameters changing only this field, nested as in the family."""
        patch: Any = new
        for part in reversed(self.path.split(".")):
            patch = {part: patch}
        result: dict[str, Any] = patch
        return result

    def limits(self, result: CommandResult | None) -> RangeInfo:
        """The answer's whole `range`, to be read with `full_path`."""
        ranges = result.range if result is not None else None
        return RangeInfo(ranges if isinstance(ranges, Mapping) else {})

    def setter(self, cmd: str) -> Callable[[ReolinkClient, int | None, Any], Awaitable[Any]]:
        """A Set call writing this field of `cmd`'s family."""
        set_family = SETTERS[cmd]

        def write(client: ReolinkClient, channel: int | None, new: Any) -> Awaitable[Any]:
            return set_family(client, channel, self.patch(new))

        return write


def ability(*features: str) -> Supported:
    """Supported when GetAbility (3.1.1) announces every feature for the channel."""

    def supported(device: ReolinkDevice, channel: int | None) -> bool:
        return all(device.abilities.supports(name, channel) for name in features)

    return supported


def schedule_v20(device: ReolinkDevice, channel: int | None) -> bool:
    """True when `scheduleVersion` (3.1.1) says the V20 commands replace the old ones."""
    return device.abilities.supports("scheduleVersion")


def both(first: Supported, second: Supported) -> Supported:
    """Supported when both conditions hold."""
    return lambda device, channel: first(device, channel) and second(device, channel)


def legacy(first: Supported) -> Supported:
    """Supported by the pre-V20 command, i.e. when `scheduleVersion` is 0."""
    return lambda device, channel: first(device, channel) and not schedule_v20(device, channel)


def slug(option: Any) -> str:
    """An option as a translation-friendly key: "Black&White" -> "black_white"."""
    text = re.sub(r"(?<=[a-z])(?=[A-Z])", "_", str(option))
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


@dataclass(frozen=True, kw_only=True)
class ReolinkValueDescription(ReolinkSettingDescription):
    """A setting read with `value_fn` from the Get answer's value and written with `set_fn`.

    `exists_fn` decides from the first answer whether the entity is created; when the
    device could not say (offline channel, connection trouble) `create_unread` decides.
    """

    value_fn: Callable[[Any], Any]
    set_fn: Callable[[ReolinkClient, int | None, Any], Awaitable[Any]]
    exists_fn: Callable[[CommandResult], bool] = lambda result: True
    create_unread: bool = True


def setting_key(description: ReolinkSettingDescription, channel: int | None) -> SettingKey:
    """The (Get command, channel) pair an entity reads."""
    return (description.cmd, channel if description.per_channel else None)


def _read_command(key: SettingKey) -> Command:
    cmd, channel = key
    # As the settings coordinator asks: with range for per-channel commands.
    if channel is None:
        return Command(cmd, {}, action=0)
    return Command(cmd, {"channel": channel}, action=1)


async def async_read_settings(
    data: ReolinkData, keys: Iterable[SettingKey]
) -> Mapping[SettingKey, CommandResult]:
    """Make sure the settings coordinator holds answers for `keys`, in one batch.

    Entities are created from what the device answers (fields present, range kinds),
    so the answers are needed before the coordinator would read them itself.
    """
    coordinator = data.settings
    missing = [key for key in dict.fromkeys(keys) if key not in (coordinator.data or {})]
    if missing:
        try:
            results = await data.client.execute([_read_command(key) for key in missing])
        except ReolinkError as err:
            _LOGGER.debug("Could not read settings before creating entities: %s", err)
        else:
            coordinator.async_set_updated_data(
                {**(coordinator.data or {}), **dict(zip(missing, results, strict=True))}
            )
    return coordinator.data or {}


def _device_refuses(result: CommandResult) -> bool:
    return isinstance(
        result.error, (ReolinkNotSupportedError, ReolinkParamError, ReolinkInvalidChannelError)
    )


def _creates(description: ReolinkValueDescription, result: CommandResult | None) -> bool:
    if result is None or (result.error is not None and not _device_refuses(result)):
        return description.create_unread
    return result.ok and description.exists_fn(result)


async def async_setup_settings[D: ReolinkValueDescription](
    entry: ReolinkConfigEntry,
    descriptions: Iterable[D],
    factory: Callable[[ReolinkData, D, int | None], ReolinkSettingEntity],
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Create the entities of `descriptions` the abilities and the device's answers allow.

    Per-channel settings get one entity per channel, device-wide ones one on the
    camera or NVR hub.
    """
    data = entry.runtime_data
    device = data.device
    candidates = [
        (description, channel)
        for description in descriptions
        for channel in (device.channels if description.per_channel else (None,))
        if description.supported_fn(device, channel)
    ]
    answers = await async_read_settings(
        data, (setting_key(description, channel) for description, channel in candidates)
    )
    async_add_entities(
        factory(data, description, channel)
        for description, channel in candidates
        if _creates(description, answers.get(setting_key(description, channel)))
    )


def has_field(settings: Field) -> Callable[[CommandResult], bool]:
    """Exists when the answer carries the field."""
    return lambda result: settings.read(result.value) is not None


_UNSET: Any = object()


class ReolinkValueEntity(ReolinkSettingEntity):
    """A settings entity that shows its value optimistically right after a Set."""

    entity_description: ReolinkValueDescription
    _optimistic: Any = _UNSET

    @property
    def raw_value(self) -> Any:
        """The `value` of the last answer (`value` itself is taken by NumberEntity)."""
        result = self.result
        return result.value if result is not None and result.ok else None

    @property
    def current(self) -> Any:
        """The value just written, else the one last read from the device."""
        if self._optimistic is not _UNSET:
            return self._optimistic
        value = self.raw_value
        return None if value is None else self.entity_description.value_fn(value)

    @property
    def available(self) -> bool:
        """Unavailable while the answer lacks the field."""
        return super().available and self.current is not None

    async def async_write_setting(self, new: Any, shown: Any) -> None:
        """Send `new` with the description's Set; show `shown` until the re-read arrives."""
        set_fn = self.entity_description.set_fn

        async def write(client: ReolinkClient) -> None:
            await set_fn(client, self.channel, new)
            self._optimistic = shown
            self.async_write_ha_state()

        await self.async_apply(write)

    @callback
    def _handle_coordinator_update(self) -> None:
        self._optimistic = _UNSET
        super()._handle_coordinator_update()


# --- switches ------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class ReolinkSwitchDescription(ReolinkValueDescription, SwitchEntityDescription):
    """An on/off setting: `value_fn` gives a bool, `set_fn` takes one."""

    entity_category: EntityCategory | None = EntityCategory.CONFIG
    # What `set_fn` receives, from the last answer and the wanted state (default: the state).
    argument_fn: Callable[[Any, bool], Any] | None = None


def field_switch(
    key: str,
    cmd: str,
    settings: Field,
    supported_fn: Supported,
    *,
    on: Any = 1,
    off: Any = 0,
    per_channel: bool = True,
    enabled: bool = True,
    exists_fn: Callable[[CommandResult], bool] | None = None,
    create_unread: bool = True,
) -> ReolinkSwitchDescription:
    """A switch writing `on`/`off` into one field of a settings family."""
    write = settings.setter(cmd)

    def value_fn(value: Any) -> bool | None:
        raw = settings.read(value)
        return None if raw is None else raw == on

    def set_fn(client: ReolinkClient, channel: int | None, turn_on: bool) -> Awaitable[Any]:
        return write(client, channel, on if turn_on else off)

    return ReolinkSwitchDescription(
        key=key,
        translation_key=key,
        cmd=cmd,
        per_channel=per_channel,
        supported_fn=supported_fn,
        value_fn=value_fn,
        set_fn=set_fn,
        exists_fn=exists_fn or has_field(settings),
        create_unread=create_unread,
        entity_registry_enabled_default=enabled,
    )


def boolean_in_range(settings: Field) -> Callable[[CommandResult], bool]:
    """Exists when the range marks the field as a boolean (else a select shows it)."""
    return lambda result: settings.limits(result).is_boolean(settings.full_path)


IR_STATE = Field("IrLights", "state")


def _ir_is_on_off(result: CommandResult) -> bool:
    """IR lights with only "Auto" and "Off" read best as a switch; more states need a select."""
    return set(IR_STATE.limits(result).options(IR_STATE.full_path)) == {"Auto", "Off"}


def _first_patrol(value: Any) -> int:
    """The patrol to start: the first one set up, else the first one listed."""
    patrols = value.get("PtzPatrol") if isinstance(value, Mapping) else None
    items = [p for p in patrols or () if isinstance(p, Mapping)]
    chosen = next((p for p in items if p.get("enable")), items[0] if items else {})
    return int(chosen.get("id", 1))


def _patrol_running(value: Any) -> bool | None:
    patrols = value.get("PtzPatrol") if isinstance(value, Mapping) else None
    if not isinstance(patrols, list):
        return None
    return any(isinstance(p, Mapping) and p.get("running") for p in patrols)


def _set_patrol(client: ReolinkClient, channel: int | None, on_and_id: Any) -> Awaitable[Any]:
    turn_on, patrol_id = on_and_id
    op = "StartPatrol" if turn_on else "StopPatrol"
    return client.ptz_ctrl(_channel(channel), op, preset_id=patrol_id)


GUARD_ENABLE = Field("PtzGuard", "benable")


def _guard_enabled(value: Any) -> bool | None:
    enabled = GUARD_ENABLE.read(value)
    return None if enabled is None else bool(enabled)


def _set_guard(client: ReolinkClient, channel: int | None, on_and_timeout: Any) -> Awaitable[Any]:
    turn_on, timeout = on_and_timeout
    return client.set_ptz_guard(_channel(channel), turn_on, timeout=timeout)


def _guard_timeout(value: Any) -> int:
    timeout = Field("PtzGuard", "timeout").read(value)
    return timeout if isinstance(timeout, int) else 60


AUDIO_ALARM = ability("alarmAudio")

SWITCHES: tuple[ReolinkSwitchDescription, ...] = (
    # 3.10 LED
    field_switch(
        "ir_lights",
        "GetIrLights",
        IR_STATE,
        ability("ledControl"),
        on="Auto",
        off="Off",
        exists_fn=_ir_is_on_off,
        create_unread=False,
    ),
    field_switch(
        "status_led",
        "GetPowerLed",
        Field("PowerLed", "state"),
        both(ability("powerLed"), lambda d, ch: not d.abilities.supports("supportDoorbell", ch)),
        on="On",
        off="Off",
    ),
    field_switch(
        "doorbell_led",
        "GetPowerLed",
        Field("PowerLed", "state"),
        ability("powerLed", "supportDoorbell"),
        on="On",
        off="Off",
    ),
    field_switch(
        "floodlight_on_motion",
        "GetWhiteLed",
        Field("WhiteLed", "mode"),
        ability("floodLight"),
        # 3.10.6: mode 1 is "alarm trigger"; 0 leaves the light to the night mode.
        on=1,
        off=0,
    ),
    # 3.4 Image, OSD and privacy
    field_switch(
        "mirroring",
        "GetIsp",
        Field("Isp", "mirroring"),
        ability("ispMirror"),
        exists_fn=boolean_in_range(Field("Isp", "mirroring")),
    ),
    field_switch(
        "flip",
        "GetIsp",
        Field("Isp", "rotation"),
        ability("ispFlip"),
        exists_fn=boolean_in_range(Field("Isp", "rotation")),
    ),
    field_switch(
        "noise_reduction_3d", "GetIsp", Field("Isp", "nr3d"), ability("isp3Dnr"), enabled=False
    ),
    field_switch("osd_channel_name", "GetOsd", Field("Osd", "osdChannel.enable"), ability("osd")),
    field_switch("osd_time", "GetOsd", Field("Osd", "osdTime.enable"), ability("osd")),
    field_switch(
        "watermark", "GetOsd", Field("Osd", "watermark"), ability("waterMark"), enabled=False
    ),
    field_switch("privacy_mask", "GetMask", Field("Mask", "enable"), ability("mask")),
    # 3.5 Enc
    field_switch("record_audio", "GetEnc", Field("Enc", "audio"), ability("enc")),
    # 3.6 Record
    field_switch(
        "recording", "GetRecV20", Field("Rec", "enable"), both(ability("recCfg"), schedule_v20)
    ),
    field_switch("recording", "GetRec", Field("Rec", "schedule.enable"), legacy(ability("recCfg"))),
    field_switch(
        "record_overwrite",
        "GetRecV20",
        Field("Rec", "overwrite"),
        both(ability("recCfg", "recOverWrite"), schedule_v20),
    ),
    field_switch(
        "record_overwrite",
        "GetRec",
        Field("Rec", "overwrite"),
        legacy(ability("recCfg", "recOverWrite")),
    ),
    field_switch(
        "pre_record",
        "GetRecV20",
        Field("Rec", "preRec"),
        both(ability("recCfg", "recPreRecord"), schedule_v20),
    ),
    field_switch(
        "pre_record", "GetRec", Field("Rec", "preRec"), legacy(ability("recCfg", "recPreRecord"))
    ),
    # 3.3 Notifications (device-wide)
    field_switch(
        "email",
        "GetEmailV20",
        Field("Email", "enable"),
        both(ability("email"), schedule_v20),
        per_channel=False,
    ),
    field_switch(
        "email",
        "GetEmail",
        Field("Email", "schedule.enable"),
        legacy(ability("email")),
        per_channel=False,
    ),
    field_switch(
        "ftp",
        "GetFtpV20",
        Field("Ftp", "enable"),
        both(ability("ftp"), schedule_v20),
        per_channel=False,
    ),
    field_switch(
        "ftp",
        "GetFtp",
        Field("Ftp", "schedule.enable"),
        legacy(ability("ftp")),
        per_channel=False,
    ),
    field_switch(
        "push",
        "GetPushV20",
        Field("Push", "enable"),
        both(ability("push"), schedule_v20),
        per_channel=False,
    ),
    field_switch(
        "push",
        "GetPush",
        Field("Push", "schedule.enable"),
        legacy(ability("push")),
        per_channel=False,
    ),
    # 3.8 Alarm
    field_switch(
        "audio_alarm",
        "GetAudioAlarmV20",
        Field("Audio", "enable"),
        both(AUDIO_ALARM, schedule_v20),
    ),
    field_switch(
        "audio_alarm", "GetAudioAlarm", Field("Audio", "schedule.enable"), legacy(AUDIO_ALARM)
    ),
    field_switch(
        "buzzer",
        "GetBuzzerAlarmV20",
        Field("Buzzer", "enable"),
        ability("supportBuzzer"),
        per_channel=False,
    ),
    # 3.11 AI
    field_switch("ai_track", "GetAiCfg", Field(None, "aiTrack"), ability("aiTrack")),
    # 3.7 PTZ
    field_switch(
        "auto_focus",
        "GetAutoFocus",
        Field("AutoFocus", "disable"),
        ability("disableAutoFocus"),
        on=0,
        off=1,
    ),
    ReolinkSwitchDescription(
        key="ptz_patrol",
        translation_key="ptz_patrol",
        entity_category=None,
        cmd="GetPtzPatrol",
        supported_fn=ability("ptzPatrol"),
        value_fn=_patrol_running,
        set_fn=_set_patrol,
        argument_fn=lambda value, turn_on: (turn_on, _first_patrol(value)),
        exists_fn=lambda result: _patrol_running(result.value) is not None,
    ),
    ReolinkSwitchDescription(
        key="ptz_guard",
        translation_key="ptz_guard",
        cmd="GetPtzGuard",
        supported_fn=ability("ptzPreset"),
        value_fn=_guard_enabled,
        set_fn=_set_guard,
        argument_fn=lambda value, turn_on: (turn_on, _guard_timeout(value)),
        exists_fn=has_field(GUARD_ENABLE),
    ),
    # 3.1 and 3.3 System
    field_switch(
        "auto_maintenance",
        "GetAutoMaint",
        Field("AutoMaint", "enable"),
        ability("autoMaint"),
        per_channel=False,
    ),
    field_switch(
        "auto_upgrade",
        "GetAutoUpgrade",
        Field("AutoUpgrade", "enable"),
        lambda device, channel: device.abilities.version("upgrade") >= 2,
        per_channel=False,
    ),
    field_switch(
        "ntp", "GetNtp", Field("Ntp", "enable"), ability("ntp"), per_channel=False, enabled=False
    ),
    field_switch(
        "upnp",
        "GetUpnp",
        Field("Upnp", "enable"),
        ability("upnp"),
        per_channel=False,
        enabled=False,
    ),
    field_switch(
        "p2p", "GetP2p", Field("P2p", "enable"), ability("p2p"), per_channel=False, enabled=False
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: ReolinkConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """One switch per supported on/off setting and channel."""
    await async_setup_settings(entry, SWITCHES, ReolinkSwitch, async_add_entities)


class ReolinkSwitch(ReolinkValueEntity, SwitchEntity):
    """An on/off setting of the device or of one channel."""

    entity_description: ReolinkSwitchDescription

    @property
    def is_on(self) -> bool | None:
        """The setting as last written or read."""
        current = self.current
        return None if current is None else bool(current)

    async def async_turn_on(self, **kwargs: Any) -> None:
        """Switch the setting on."""
        await self._async_switch(True)

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Switch the setting off."""
        await self._async_switch(False)

    async def _async_switch(self, turn_on: bool) -> None:
        argument_fn = self.entity_description.argument_fn
        argument = turn_on if argument_fn is None else argument_fn(self.raw_value, turn_on)
        await self.async_write_setting(argument, turn_on)
