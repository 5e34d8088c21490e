"""On/off settings (guide 3.1, 3.3, 3.4, 3.5, 3.6, 3.7, 3.8, 3.10, 3.11)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from homeassistant.components.switch import SwitchEntity, SwitchEntityDescription
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .api import CommandResult, ReolinkClient
from .device import ReolinkDevice
from .settings import (
    IR_STATE,
    Field,
    ReolinkValueDescription,
    ReolinkValueEntity,
    Supported,
    ability,
    async_setup_settings,
    both,
    channel_index,
    has_field,
    legacy,
    schedule_v20,
    spotlight,
)

if TYPE_CHECKING:
    from . import ReolinkConfigEntry

PARALLEL_UPDATES = 1

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
    also_on: tuple[Any, ...] = (),
    per_channel: bool = True,
    read_channel: int | None = None,
    translation_key: str | None = None,
    enabled: bool = True,
    exists_fn: Callable[[CommandResult], bool] | None = None,
    create_unread: bool = True,
) -> ReolinkSwitchDescription:
    """A switch writing `on`/`off` into one field of a settings family.

    `also_on` lists further values the device may report that mean "on".
    """
    write = settings.setter(cmd)

    def value_fn(value: Any) -> bool | None:
        raw = settings.read(value)
        return None if raw is None else raw == on or raw in also_on

    def set_fn(client: ReolinkClient, channel: int | None, turn_on: bool) -> Awaitable[Any]:
        return write(client, channel, on if turn_on else off)

    return ReolinkSwitchDescription(
        key=key,
        translation_key=translation_key or key,
        cmd=cmd,
        per_channel=per_channel,
        read_channel=read_channel,
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


def _ir_lights_on(value: Any) -> bool | None:
    """IR lights count as on unless switched "Off" ("Auto" and, on some models, "On")."""
    state = IR_STATE.read(value)
    return None if state is None else state != "Off"


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
    return client.ptz_ctrl(channel_index(channel), op, preset_id=patrol_id)


GUARD_ENABLE = Field("PtzGuard", "benable")


def _guard_enabled(value: Any) -> bool | None:
    enabled = GUARD_ENABLE.read(value)
    return None if enabled is None else bool(enabled)


def _set_guard(client: ReolinkClient, channel: int | None, on_and_timeout: Any) -> Awaitable[Any]:
    turn_on, timeout = on_and_timeout
    return client.set_ptz_guard(channel_index(channel), turn_on, timeout=timeout)


def _guard_timeout(value: Any) -> int:
    timeout = Field("PtzGuard", "timeout").read(value)
    return timeout if isinstance(timeout, int) else 60


AUDIO_ALARM = ability("alarmAudio")


def _hub_of_cameras_with(feature: str) -> Supported:
    """An NVR where the device or any of its cameras announces the feature."""

    def supported(device: ReolinkDevice, channel: int | None) -> bool:
        channels = (None, *device.channels)
        return device.is_nvr and any(device.abilities.supports(feature, ch) for ch in channels)

    return supported


def _scheduled(
    key: str, cmd: str, family: str, feature: str
) -> tuple[ReolinkSwitchDescription, ...]:
    """Recording, e-mail, FTP, push and buzzer of schedule version 1 (V20 commands).

    The device-wide `enable` is the NVR's master switch, shown on the hub ("… (all
    cameras)") and read with channel 0 since every channel's answer carries it; each
    camera's own switch is `scheduleEnable`.
    """
    return (
        field_switch(
            key,
            cmd,
            Field(family, "enable"),
            both(_hub_of_cameras_with(feature), schedule_v20),
            per_channel=False,
            read_channel=0,
            translation_key=f"{key}_all",
        ),
        field_switch(
            key, cmd, Field(family, "scheduleEnable"), both(ability(feature), schedule_v20)
        ),
    )


def _legacy(key: str, family: str, feature: str) -> ReolinkSwitchDescription:
    """Schedule version 0: one `schedule.enable` per channel."""
    return field_switch(
        key, f"Get{family}", Field(family, "schedule.enable"), legacy(ability(feature))
    )


SWITCHES: tuple[ReolinkSwitchDescription, ...] = (
    # 3.10 LED
    # Always a switch, also for a channel offline at setup, so its entity never changes
    # type; models with more states get the "Infrared lights mode" select besides.
    replace(
        field_switch(
            "ir_lights", "GetIrLights", IR_STATE, ability("ledControl"), on="Auto", off="Off"
        ),
        value_fn=_ir_lights_on,
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
        # Doorbells keep their LED in `eDoorbellLightState`, not `state`.
        Field("PowerLed", "eDoorbellLightState"),
        ability("powerLed", "supportDoorbell"),
        on="On",
        off="Off",
        also_on=("KeepOn", "Always"),
    ),
    field_switch(
        "floodlight_on_motion",
        "GetWhiteLed",
        Field("WhiteLed", "mode"),
        spotlight,
        # 3.10.6: mode 1 is "alarm trigger"; 0 leaves the light to the night mode.
        on=1,
        off=0,
        enabled=False,
    ),
    # 3.4 Image, OSD and privacy
    field_switch(
        "mirroring",
        "GetIsp",
        Field("Isp", "mirroring"),
        ability("ispMirror"),
        enabled=False,
        exists_fn=boolean_in_range(Field("Isp", "mirroring")),
    ),
    field_switch(
        "flip",
        "GetIsp",
        Field("Isp", "rotation"),
        ability("ispFlip"),
        enabled=False,
        exists_fn=boolean_in_range(Field("Isp", "rotation")),
    ),
    field_switch(
        "noise_reduction_3d", "GetIsp", Field("Isp", "nr3d"), ability("isp3Dnr"), enabled=False
    ),
    field_switch(
        "osd_channel_name",
        "GetOsd",
        Field("Osd", "osdChannel.enable"),
        ability("osd"),
        enabled=False,
    ),
    field_switch(
        "osd_time", "GetOsd", Field("Osd", "osdTime.enable"), ability("osd"), enabled=False
    ),
    field_switch(
        "watermark", "GetOsd", Field("Osd", "watermark"), ability("waterMark"), enabled=False
    ),
    field_switch("privacy_mask", "GetMask", Field("Mask", "enable"), ability("mask")),
    # 3.5 Enc
    field_switch("record_audio", "GetEnc", Field("Enc", "audio"), ability("enc")),
    # 3.6 Record, 3.3 notifications and 3.8 buzzer: device-wide and per camera.
    *_scheduled("recording", "GetRecV20", "Rec", "recCfg"),
    _legacy("recording", "Rec", "recCfg"),
    *_scheduled("email", "GetEmailV20", "Email", "email"),
    _legacy("email", "Email", "email"),
    *_scheduled("ftp", "GetFtpV20", "Ftp", "ftp"),
    _legacy("ftp", "Ftp", "ftp"),
    *_scheduled("push", "GetPushV20", "Push", "push"),
    _legacy("push", "Push", "push"),
    *_scheduled("buzzer", "GetBuzzerAlarmV20", "Buzzer", "supportBuzzer"),
    field_switch(
        "record_overwrite",
        "GetRecV20",
        Field("Rec", "overwrite"),
        both(ability("recCfg", "recOverWrite"), schedule_v20),
        enabled=False,
    ),
    field_switch(
        "record_overwrite",
        "GetRec",
        Field("Rec", "overwrite"),
        legacy(ability("recCfg", "recOverWrite")),
        enabled=False,
    ),
    field_switch(
        "pre_record",
        "GetRecV20",
        Field("Rec", "preRec"),
        both(ability("recCfg", "recPreRecord"), schedule_v20),
        enabled=False,
    ),
    field_switch(
        "pre_record",
        "GetRec",
        Field("Rec", "preRec"),
        legacy(ability("recCfg", "recPreRecord")),
        enabled=False,
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
        enabled=False,
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
        entity_registry_enabled_default=False,
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
        enabled=False,
    ),
    field_switch(
        "auto_upgrade",
        "GetAutoUpgrade",
        Field("AutoUpgrade", "enable"),
        lambda device, channel: device.abilities.version("upgrade") >= 2,
        per_channel=False,
        enabled=False,
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
