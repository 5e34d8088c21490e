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
from .api.fields import Field
from .api.values import LedState, WhiteLedMode
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
    recording_option,
)

if TYPE_CHECKING:
    from . import ReolinkConfigEntry

PARALLEL_UPDATES = 1

# --- switches ------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class ReolinkSwitchDescription(ReolinkValueDescription[bool], SwitchEntityDescription):
    """An on/off setting: `value_fn` gives a bool, `set_fn` takes one."""

    entity_category: EntityCategory | None = EntityCategory.CONFIG


def field_switch(
    *,
    key: str,
    field: Field[Any],
    supported_fn: Supported,
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


def device_wide(
    *, key: str, field: Field[Any], supported_fn: Supported
) -> ReolinkSwitchDescription:
    """A system switch of the camera or NVR, off by default."""
    return field_switch(
        key=key, field=field, supported_fn=supported_fn, per_channel=False, enabled=False
    )


def _ir_lights_on(value: Any) -> bool | None:
    """IR lights count as on unless switched off (automatic and, on some models, on)."""
    state = f.IR_LIGHTS_STATE.read(value)
    return None if state is None else state != LedState.OFF


def _patrol_running(value: Any) -> bool | None:
    patrols = f.PTZ_PATROLS.read(value)
    return None if patrols is None else any(p.running for p in patrols)


def _guard_enabled(value: Any) -> bool | None:
    enabled = f.PTZ_GUARD_ENABLE.read(value)
    return None if enabled is None else bool(enabled)


AUDIO_ALARM = ability(Feature.ALARM_AUDIO)


def _hub_of_cameras_with(feature: Feature) -> Supported:
    """An NVR where the device or any of its cameras announces the feature."""

    def supported(device: ReolinkDevice, channel: int | None) -> bool:
        channels = (None, *device.channels)
        return device.is_nvr and any(device.abilities.supports(feature, ch) for ch in channels)

    return supported


def _scheduled(
    *, key: str, scheduled: f.Scheduled, feature: Feature
) -> list[ReolinkSwitchDescription]:
    """Recording, e-mail, FTP, push and buzzer in both schedule versions.

    Version 1: the device-wide `enable` is the NVR's master switch, shown on the hub
    ("… (all cameras)") and read with channel 0 since every channel's answer carries
    it; each camera's own switch is `scheduleEnable`. Version 0: one per channel.
    """
    switches = [
        field_switch(
            key=key,
            field=scheduled.all_cameras,
            supported_fn=both(_hub_of_cameras_with(feature), schedule_v20),
            per_channel=False,
            read_channel=0,
            translation_key=f"{key}_all",
        ),
        field_switch(
            key=key, field=scheduled.per_camera, supported_fn=both(ability(feature), schedule_v20)
        ),
    ]
    if scheduled.legacy_enable is not None:
        switches.append(
            field_switch(
                key=key, field=scheduled.legacy_enable, supported_fn=legacy(ability(feature))
            )
        )
    return switches


def _isp_switch(*, key: str, field: Field[Any], feature: Feature) -> ReolinkSwitchDescription:
    """Boolean in most ranges; where the range lists choices the select shows it."""
    return field_switch(
        key=key,
        field=field,
        supported_fn=ability(feature),
        enabled=False,
        exists_fn=lambda result: field.is_boolean(result),
    )


def _hidden_switch(*, key: str, field: Field[Any], feature: Feature) -> ReolinkSwitchDescription:
    """A switch few users need, created disabled."""
    return field_switch(key=key, field=field, supported_fn=ability(feature), enabled=False)


SWITCHES: tuple[ReolinkSwitchDescription, ...] = (
    # 3.10 LED
    # Always a switch, also for a channel offline at setup, so its entity never changes
    # type; models with more states get the "Infrared lights mode" select besides.
    replace(
        field_switch(
            key="ir_lights",
            field=f.IR_LIGHTS_STATE,
            supported_fn=ability(Feature.LED_CONTROL),
            on=LedState.AUTO,
            off=LedState.OFF,
        ),
        value_fn=_ir_lights_on,
    ),
    field_switch(
        key="status_led",
        field=f.STATUS_LED_STATE,
        supported_fn=both(ability(Feature.POWER_LED), lacks(Feature.SUPPORT_DOORBELL)),
        on=LedState.ON,
        off=LedState.OFF,
    ),
    field_switch(
        key="doorbell_led",
        field=f.DOORBELL_LED_STATE,
        supported_fn=ability(Feature.POWER_LED, Feature.SUPPORT_DOORBELL),
        on=LedState.ON,
        off=LedState.OFF,
        also_on=(LedState.KEEP_ON, LedState.ALWAYS),
    ),
    # Off leaves the light to the night mode.
    field_switch(
        key="floodlight_on_motion",
        field=f.WHITE_LED_MODE,
        supported_fn=spotlight,
        on=WhiteLedMode.ON_MOTION,
        off=WhiteLedMode.NIGHT,
        enabled=False,
    ),
    # GetAudioCfg: the chime a doorbell plays itself when pressed.
    field_switch(
        key="doorbell_button_sound",
        field=f.DOORBELL_BUTTON_SOUND,
        supported_fn=ability(Feature.SUPPORT_AO_ADJUST, Feature.SUPPORT_DOORBELL),
        enabled=False,
    ),
    # 3.4 Image, OSD and privacy
    _isp_switch(key="mirroring", field=f.ISP_MIRRORING, feature=Feature.ISP_MIRROR),
    _isp_switch(key="flip", field=f.ISP_ROTATION, feature=Feature.ISP_FLIP),
    _hidden_switch(
        key="noise_reduction_3d", field=f.ISP_NOISE_REDUCTION_3D, feature=Feature.ISP_3D_NR
    ),
    _hidden_switch(key="osd_channel_name", field=f.OSD_CHANNEL_NAME, feature=Feature.OSD),
    _hidden_switch(key="osd_time", field=f.OSD_TIME, feature=Feature.OSD),
    _hidden_switch(key="watermark", field=f.OSD_WATERMARK, feature=Feature.WATER_MARK),
    field_switch(key="privacy_mask", field=f.MASK_ENABLE, supported_fn=ability(Feature.MASK)),
    # 3.5 Enc
    field_switch(key="record_audio", field=f.ENC_AUDIO, supported_fn=ability(Feature.ENC)),
    # Recording on demand (GetManualRec), beside the schedule.
    field_switch(
        key="manual_record",
        field=f.MANUAL_RECORD,
        supported_fn=ability(Feature.REC_CFG),
        enabled=False,
    ),
    # 3.6 Record, 3.3 notifications and 3.8 buzzer: device-wide and per camera.
    *_scheduled(key="recording", scheduled=f.RECORDING, feature=Feature.REC_CFG),
    *_scheduled(key="email", scheduled=f.EMAIL, feature=Feature.EMAIL),
    *_scheduled(key="ftp", scheduled=f.FTP, feature=Feature.FTP),
    *_scheduled(key="push", scheduled=f.PUSH, feature=Feature.PUSH),
    *_scheduled(key="buzzer", scheduled=f.BUZZER, feature=Feature.SUPPORT_BUZZER),
    *recording_option(field_switch, "record_overwrite", f.record_overwrite, Feature.REC_OVER_WRITE),
    *recording_option(field_switch, "pre_record", f.pre_record, Feature.REC_PRE_RECORD),
    # 3.8 Alarm: the audio alarm's own switch in both schedule versions.
    field_switch(
        key="audio_alarm",
        field=f.AUDIO_ALARM_V20_ENABLE,
        supported_fn=both(AUDIO_ALARM, schedule_v20),
    ),
    field_switch(key="audio_alarm", field=f.AUDIO_ALARM_ENABLE, supported_fn=legacy(AUDIO_ALARM)),
    # 3.11 AI: trackers switch tracking with `bSmartTrack` (their `aiTrack` is the method).
    field_switch(
        key="ai_track",
        field=f.AI_TRACK,
        supported_fn=ability(Feature.AI_TRACK),
        exists_fn=lambda result: (
            f.AI_TRACK.is_boolean(result) and f.AI_SMART_TRACK.read(result.value) is None
        ),
    ),
    field_switch(key="ai_track", field=f.AI_SMART_TRACK, supported_fn=ability(Feature.AI_TRACK)),
    # 3.7 PTZ
    field_switch(
        key="auto_focus",
        field=f.AUTO_FOCUS_DISABLE,
        supported_fn=ability(Feature.DISABLE_AUTO_FOCUS),
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
        set_fn=f.switch_patrol,
        exists_fn=lambda result: _patrol_running(result.value) is not None,
    ),
    ReolinkSwitchDescription(
        key="ptz_guard",
        translation_key="ptz_guard",
        source=f.PTZ_GUARD,
        supported_fn=ability(Feature.PTZ_PRESET),
        entity_registry_enabled_default=False,
        value_fn=_guard_enabled,
        set_fn=f.switch_guard,
        exists_fn=has_field(f.PTZ_GUARD_ENABLE),
    ),
    # Battery cameras: the PIR sensor that wakes them
    field_switch(key="pir_enabled", field=f.PIR_ENABLE, supported_fn=ability(Feature.MD_WITH_PIR)),
    field_switch(
        key="pir_reduce_alarm",
        field=f.PIR_REDUCE_FALSE_ALARM,
        supported_fn=ability(Feature.MD_WITH_PIR),
        enabled=False,
    ),
    # Home Hub
    device_wide(key="hub_status_led", field=f.STATE_LIGHT_ENABLE, supported_fn=is_hub),
    # 3.1 and 3.3 System
    device_wide(
        key="auto_maintenance", field=f.AUTO_MAINT_ENABLE, supported_fn=ability(Feature.AUTO_MAINT)
    ),
    device_wide(
        key="auto_upgrade",
        field=f.AUTO_UPGRADE_ENABLE,
        supported_fn=online_upgrade,
    ),
    device_wide(key="ntp", field=f.NTP_ENABLE, supported_fn=ability(Feature.NTP)),
    device_wide(key="upnp", field=f.UPNP_ENABLE, supported_fn=ability(Feature.UPNP)),
    device_wide(key="p2p", field=f.P2P_ENABLE, supported_fn=ability(Feature.P2P)),
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
                key="chime_led",
                field=f.ChimeSettings(chime.id).led,
                supported_fn=lambda device, channel: True,
                per_channel=False,
                enabled=False,
            ),
            chime=chime,
        )
        for chime in device.chimes
    ]


class ReolinkSwitch(ReolinkValueEntity[bool], SwitchEntity):
    """An on/off setting of the device or of one channel."""

    entity_description: ReolinkSwitchDescription

    @property
    def is_on(self) -> bool | None:
        """The setting as last written or read."""
        return self.current

    async def async_turn_on(self, **kwargs: Any) -> None:
        """Switch the setting on."""
        await self._async_switch(True)

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Switch the setting off."""
        await self._async_switch(False)

    async def _async_switch(self, turn_on: bool) -> None:
        await self.async_write_setting(turn_on, turn_on)
