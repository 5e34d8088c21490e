"""On/off settings (guide 3.1, 3.3, 3.4, 3.5, 3.6, 3.7, 3.8, 3.10, 3.11)."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from homeassistant.components.switch import SwitchEntity, SwitchEntityDescription
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .api import CommandResult, ReolinkClient
from .api import fields as f
from .api.features import Feature
from .api.fields import Field, Source
from .api.values import LedState, PtzOp, WhiteLedMode
from .capabilities import (
    Supported,
    ability,
    both,
    is_hub,
    lacks,
    legacy,
    online_upgrade,
    schedule_v20,
    spotlight,
)
from .device import ReolinkDevice
from .settings import (
    ReolinkValueDescription,
    ReolinkValueEntity,
    async_setup_settings,
    has_field,
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
    field: Field[Any],
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
) -> ReolinkSwitchDescription:
    """A switch writing `on`/`off` into one field.

    `also_on` lists further values the device may report that mean "on".
    """

    def value_fn(value: Any) -> bool | None:
        raw = field.read(value)
        return None if raw is None else raw == on or raw in also_on

    def set_fn(client: ReolinkClient, channel: int | None, turn_on: bool) -> Awaitable[None]:
        return field.write(client, channel, on if turn_on else off)

    return ReolinkSwitchDescription(
        key=key,
        translation_key=translation_key or key,
        source=field.source,
        per_channel=per_channel,
        read_channel=read_channel,
        supported_fn=supported_fn,
        value_fn=value_fn,
        set_fn=set_fn,
        exists_fn=exists_fn or has_field(field),
        entity_registry_enabled_default=enabled,
    )


def device_wide(key: str, field: Field[Any], feature: Supported) -> ReolinkSwitchDescription:
    """A system switch of the camera or NVR, off by default."""
    return field_switch(key, field, feature, per_channel=False, enabled=False)


def _ir_lights_on(value: Any) -> bool | None:
    """IR lights count as on unless switched off (automatic and, on some models, on)."""
    state = f.IR_LIGHTS_STATE.read(value)
    return None if state is None else state != LedState.OFF


def _first_patrol(value: Any) -> int:
    """The patrol to start: the first one set up, else the first one listed."""
    patrols = f.PTZ_PATROLS.read(value) or ()
    chosen = next((p for p in patrols if p.enabled), patrols[0] if patrols else None)
    return chosen.id if chosen is not None else 1


def _patrol_running(value: Any) -> bool | None:
    patrols = f.PTZ_PATROLS.read(value)
    return None if patrols is None else any(p.running for p in patrols)


def _set_patrol(client: ReolinkClient, channel: int | None, on_and_id: Any) -> Awaitable[Any]:
    turn_on, patrol_id = on_and_id
    op = PtzOp.START_PATROL if turn_on else PtzOp.STOP_PATROL
    return client.ptz_ctrl(channel or 0, op, preset_id=patrol_id)


def _guard_enabled(value: Any) -> bool | None:
    enabled = f.PTZ_GUARD_ENABLE.read(value)
    return None if enabled is None else bool(enabled)


def _set_guard(client: ReolinkClient, channel: int | None, on_and_timeout: Any) -> Awaitable[Any]:
    turn_on, timeout = on_and_timeout
    return client.set_ptz_guard(channel or 0, turn_on, timeout)


def _guard_timeout(value: Any) -> int:
    timeout = f.PTZ_GUARD_TIMEOUT.read(value)
    return 60 if timeout is None else timeout


AUDIO_ALARM = ability(Feature.ALARM_AUDIO)


def _hub_of_cameras_with(feature: Feature) -> Supported:
    """An NVR where the device or any of its cameras announces the feature."""

    def supported(device: ReolinkDevice, channel: int | None) -> bool:
        channels = (None, *device.channels)
        return device.is_nvr and any(device.abilities.supports(feature, ch) for ch in channels)

    return supported


def _scheduled(
    key: str, scheduled: f.Scheduled, feature: Feature
) -> list[ReolinkSwitchDescription]:
    """Recording, e-mail, FTP, push and buzzer in both schedule versions.

    Version 1: the device-wide `enable` is the NVR's master switch, shown on the hub
    ("… (all cameras)") and read with channel 0 since every channel's answer carries
    it; each camera's own switch is `scheduleEnable`. Version 0: one per channel.
    """
    switches = [
        field_switch(
            key,
            scheduled.all_cameras,
            both(_hub_of_cameras_with(feature), schedule_v20),
            per_channel=False,
            read_channel=0,
            translation_key=f"{key}_all",
        ),
        field_switch(key, scheduled.per_camera, both(ability(feature), schedule_v20)),
    ]
    if scheduled.legacy_enable is not None:
        switches.append(field_switch(key, scheduled.legacy_enable, legacy(ability(feature))))
    return switches


def _recording_option(
    key: str, field_of: Callable[[Source], Field[Any]], feature: Feature
) -> tuple[ReolinkSwitchDescription, ...]:
    """A recording option of both schedule versions (GetRecV20 and GetRec)."""
    supported = ability(Feature.REC_CFG, feature)
    return (
        field_switch(key, field_of(f.REC_V20), both(supported, schedule_v20), enabled=False),
        field_switch(key, field_of(f.REC), legacy(supported), enabled=False),
    )


def _isp_switch(key: str, field: Field[Any], feature: Feature) -> ReolinkSwitchDescription:
    """Boolean in most ranges; where the range lists choices the select shows it."""
    return field_switch(
        key,
        field,
        ability(feature),
        enabled=False,
        exists_fn=lambda result: field.is_boolean(result),
    )


def _hidden_switch(key: str, field: Field[Any], feature: Feature) -> ReolinkSwitchDescription:
    """A switch few users need, created disabled."""
    return field_switch(key, field, ability(feature), enabled=False)


SWITCHES: tuple[ReolinkSwitchDescription, ...] = (
    # 3.10 LED
    # Always a switch, also for a channel offline at setup, so its entity never changes
    # type; models with more states get the "Infrared lights mode" select besides.
    replace(
        field_switch(
            "ir_lights",
            f.IR_LIGHTS_STATE,
            ability(Feature.LED_CONTROL),
            on=LedState.AUTO,
            off=LedState.OFF,
        ),
        value_fn=_ir_lights_on,
    ),
    field_switch(
        "status_led",
        f.STATUS_LED_STATE,
        both(ability(Feature.POWER_LED), lacks(Feature.SUPPORT_DOORBELL)),
        on=LedState.ON,
        off=LedState.OFF,
    ),
    field_switch(
        "doorbell_led",
        f.DOORBELL_LED_STATE,
        ability(Feature.POWER_LED, Feature.SUPPORT_DOORBELL),
        on=LedState.ON,
        off=LedState.OFF,
        also_on=(LedState.KEEP_ON, LedState.ALWAYS),
    ),
    # Off leaves the light to the night mode.
    field_switch(
        "floodlight_on_motion",
        f.WHITE_LED_MODE,
        spotlight,
        on=WhiteLedMode.ON_MOTION,
        off=WhiteLedMode.NIGHT,
        enabled=False,
    ),
    # GetAudioCfg: the chime a doorbell plays itself when pressed.
    field_switch(
        "doorbell_button_sound",
        f.DOORBELL_BUTTON_SOUND,
        ability(Feature.SUPPORT_AO_ADJUST, Feature.SUPPORT_DOORBELL),
        enabled=False,
    ),
    # 3.4 Image, OSD and privacy
    _isp_switch("mirroring", f.ISP_MIRRORING, Feature.ISP_MIRROR),
    _isp_switch("flip", f.ISP_ROTATION, Feature.ISP_FLIP),
    _hidden_switch("noise_reduction_3d", f.ISP_NOISE_REDUCTION_3D, Feature.ISP_3D_NR),
    _hidden_switch("osd_channel_name", f.OSD_CHANNEL_NAME, Feature.OSD),
    _hidden_switch("osd_time", f.OSD_TIME, Feature.OSD),
    _hidden_switch("watermark", f.OSD_WATERMARK, Feature.WATER_MARK),
    field_switch("privacy_mask", f.MASK_ENABLE, ability(Feature.MASK)),
    # 3.5 Enc
    field_switch("record_audio", f.ENC_AUDIO, ability(Feature.ENC)),
    # Recording on demand (GetManualRec), beside the schedule.
    field_switch("manual_record", f.MANUAL_RECORD, ability(Feature.REC_CFG), enabled=False),
    # 3.6 Record, 3.3 notifications and 3.8 buzzer: device-wide and per camera.
    *_scheduled("recording", f.RECORDING, Feature.REC_CFG),
    *_scheduled("email", f.EMAIL, Feature.EMAIL),
    *_scheduled("ftp", f.FTP, Feature.FTP),
    *_scheduled("push", f.PUSH, Feature.PUSH),
    *_scheduled("buzzer", f.BUZZER, Feature.SUPPORT_BUZZER),
    *_recording_option("record_overwrite", f.record_overwrite, Feature.REC_OVER_WRITE),
    *_recording_option("pre_record", f.pre_record, Feature.REC_PRE_RECORD),
    # 3.8 Alarm: the audio alarm's own switch in both schedule versions.
    field_switch("audio_alarm", f.AUDIO_ALARM_V20_ENABLE, both(AUDIO_ALARM, schedule_v20)),
    field_switch("audio_alarm", f.AUDIO_ALARM_ENABLE, legacy(AUDIO_ALARM)),
    # 3.11 AI: trackers switch tracking with `bSmartTrack` (their `aiTrack` is the method).
    field_switch(
        "ai_track",
        f.AI_TRACK,
        ability(Feature.AI_TRACK),
        exists_fn=lambda result: (
            f.AI_TRACK.is_boolean(result) and f.AI_SMART_TRACK.read(result.value) is None
        ),
    ),
    field_switch("ai_track", f.AI_SMART_TRACK, ability(Feature.AI_TRACK)),
    # 3.7 PTZ
    field_switch(
        "auto_focus",
        f.AUTO_FOCUS_DISABLE,
        ability(Feature.DISABLE_AUTO_FOCUS),
        on=0,
        off=1,
        enabled=False,
    ),
    ReolinkSwitchDescription(
        key="ptz_patrol",
        translation_key="ptz_patrol",
        entity_category=None,
        source=f.PTZ_PATROL,
        supported_fn=ability(Feature.PTZ_PATROL),
        value_fn=_patrol_running,
        set_fn=_set_patrol,
        argument_fn=lambda value, turn_on: (turn_on, _first_patrol(value)),
        exists_fn=lambda result: _patrol_running(result.value) is not None,
    ),
    ReolinkSwitchDescription(
        key="ptz_guard",
        translation_key="ptz_guard",
        source=f.PTZ_GUARD,
        supported_fn=ability(Feature.PTZ_PRESET),
        entity_registry_enabled_default=False,
        value_fn=_guard_enabled,
        set_fn=_set_guard,
        argument_fn=lambda value, turn_on: (turn_on, _guard_timeout(value)),
        exists_fn=has_field(f.PTZ_GUARD_ENABLE),
    ),
    # Battery cameras: the PIR sensor that wakes them
    field_switch("pir_enabled", f.PIR_ENABLE, ability(Feature.MD_WITH_PIR)),
    field_switch(
        "pir_reduce_alarm", f.PIR_REDUCE_FALSE_ALARM, ability(Feature.MD_WITH_PIR), enabled=False
    ),
    # Home Hub
    device_wide("hub_status_led", f.STATE_LIGHT_ENABLE, is_hub),
    # 3.1 and 3.3 System
    device_wide("auto_maintenance", f.AUTO_MAINT_ENABLE, ability(Feature.AUTO_MAINT)),
    device_wide(
        "auto_upgrade",
        f.AUTO_UPGRADE_ENABLE,
        online_upgrade,
    ),
    device_wide("ntp", f.NTP_ENABLE, ability(Feature.NTP)),
    device_wide("upnp", f.UPNP_ENABLE, ability(Feature.UPNP)),
    device_wide("p2p", f.P2P_ENABLE, ability(Feature.P2P)),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: ReolinkConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """One switch per supported on/off setting and channel, and each chime's LED."""
    chimes = chime_switches(entry.runtime_data.device)
    await async_setup_settings(entry, (*SWITCHES, *chimes), ReolinkSwitch, async_add_entities)


def chime_switches(device: ReolinkDevice) -> list[ReolinkSwitchDescription]:
    """The LED of each chime paired to the hub (DingDongOpt `ledState`)."""
    return [
        replace(
            field_switch(
                "chime_led",
                f.ChimeSettings(chime.id).led,
                lambda device, channel: True,
                per_channel=False,
                enabled=False,
            ),
            chime=chime,
        )
        for chime in device.chimes
    ]


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
        argument = turn_on if argument_fn is None else argument_fn(self.answer_value, turn_on)
        await self.async_write_setting(argument, turn_on)
