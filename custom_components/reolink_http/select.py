"""Settings with a list of choices (guide 3.4, 3.5, 3.6, 3.7, 3.10).

Choices come from the `range` of the Get answer, never from a per-model list.
"""

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from homeassistant.components.select import SelectEntity, SelectEntityDescription
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from . import ReolinkConfigEntry
from .api import CommandResult, ReolinkClient
from .api import fields as f
from .api.features import Feature
from .api.fields import Field, Source
from .api.values import LedState, PtzOp, WhiteLedMode
from .capabilities import (
    Supported,
    ability,
    both,
    hub_doorbell,
    is_hub,
    legacy,
    schedule_v20,
    spotlight,
)
from .device import ReolinkDevice
from .errors import device_errors, invalid_input
from .settings import (
    ReolinkValueDescription,
    ReolinkValueEntity,
    async_setup_settings,
    slug,
)

PARALLEL_UPDATES = 1


@dataclass(frozen=True, kw_only=True)
class ReolinkSelectDescription(ReolinkValueDescription, SelectEntityDescription):
    """A choice: `value_fn` gives the device's raw value, `options_fn` the raw choices.

    With `translate` the choices are shown as slugs with translated names
    ("Black&White" -> "black_white"); otherwise as the device spells them.
    """

    options_fn: Callable[[CommandResult], list[Any]]
    translate: bool = True
    # How an untranslated choice is shown (with its unit, say); the device value stays behind it.
    format_fn: Callable[[Any], str] = str
    entity_category: EntityCategory | None = EntityCategory.CONFIG
    # Selects that act (move to a preset, play a message): shown choice -> device value.
    choices_fn: Callable[[Any], Mapping[str, Any]] = lambda value: {}


def field_select(
    key: str,
    field: Field[Any],
    supported_fn: Supported,
    *,
    translate: bool = True,
    enabled: bool = True,
    create_unread: bool = True,
    options_fn: Callable[[CommandResult], list[Any]] | None = None,
    format_fn: Callable[[Any], str] = str,
) -> ReolinkSelectDescription:
    """A select writing one field; none when there is nothing to choose."""
    options = options_fn or field.options
    return ReolinkSelectDescription(
        key=key,
        translation_key=key,
        source=field.source,
        supported_fn=supported_fn,
        value_fn=field.read,
        set_fn=field.write,
        options_fn=options,
        exists_fn=lambda result: field.read(result.value) is not None and len(options(result)) > 1,
        translate=translate,
        format_fn=format_fn,
        create_unread=create_unread,
        entity_registry_enabled_default=enabled,
    )


def _ir_options(result: CommandResult) -> list[Any]:
    options = f.IR_LIGHTS_STATE.options(result)
    # Automatic and off is all the IR switch needs.
    return [] if set(options) <= {LedState.AUTO, LedState.OFF} else options


def resolution_label(size: Any) -> str:
    """GetEnc's "3840*2160" with a multiplication sign and spaces around it."""
    return str(size).replace("*", " \N{MULTIPLICATION SIGN} ")


def _enc_selects(stream: f.Stream, prefix: str) -> tuple[ReolinkSelectDescription, ...]:
    # 3.5.1: the range lists resolutions, each with its own frame and bit rates.
    def rates(rate: Field[int]) -> Callable[[CommandResult], list[Any]]:
        return lambda result: stream.rates(result, rate)

    choices: tuple[tuple[str, Field[Any], Callable[..., list[Any]], Callable[[Any], str]], ...]
    choices = (
        ("resolution", stream.size, stream.sizes, resolution_label),
        ("frame_rate", stream.frame_rate, rates(stream.frame_rate), "{} fps".format),
        ("bit_rate", stream.bit_rate, rates(stream.bit_rate), "{} kbps".format),
    )
    return tuple(
        field_select(
            f"{prefix}_{name}",
            field,
            ability(Feature.ENC),
            translate=False,
            enabled=False,
            options_fn=options_fn,
            format_fn=format_fn,
        )
        for name, field, options_fn, format_fn in choices
    )


def _rec_select(
    key: str, field_of: Callable[[Source], Field[Any]], feature: Feature
) -> tuple[ReolinkSelectDescription, ...]:
    supported = ability(Feature.REC_CFG, feature)
    return (
        field_select(key, field_of(f.REC_V20), both(supported, schedule_v20), enabled=False),
        field_select(key, field_of(f.REC), legacy(supported), enabled=False),
    )


# The modes the guide names (option keys of the select); other codes are left out.
WHITE_LED_MODES: Mapping[int, str] = {
    WhiteLedMode.NIGHT: "night",
    WhiteLedMode.ON_MOTION: "on_motion",
    WhiteLedMode.SCHEDULE: "schedule",
}


def _white_led_modes(result: CommandResult) -> list[Any]:
    options = f.WHITE_LED_MODE.options(result)
    return [WHITE_LED_MODES[code] for code in options if code in WHITE_LED_MODES]


def _white_led_mode(value: Any) -> str | None:
    code = f.WHITE_LED_MODE.read(value)
    return None if code is None else WHITE_LED_MODES.get(code)


def _set_white_led_mode(client: ReolinkClient, channel: int | None, mode: str) -> Awaitable[None]:
    code = next(code for code, name in WHITE_LED_MODES.items() if name == mode)
    return f.WHITE_LED_MODE.write(client, channel, code)


def coded_select(
    key: str, field: Field[int], names: Mapping[int, str], supported_fn: Supported
) -> ReolinkSelectDescription:
    """Choices the device codes as numbers, shown by name; codes without a name are left out."""

    def options(result: CommandResult) -> list[Any]:
        return [names[code] for code in field.options(result) if code in names]

    def set_fn(client: ReolinkClient, channel: int | None, name: str) -> Awaitable[None]:
        code = next(code for code, known in names.items() if known == name)
        return field.write(client, channel, code)

    return ReolinkSelectDescription(
        key=key,
        translation_key=key,
        source=field.source,
        supported_fn=supported_fn,
        value_fn=lambda value: _name_of(field.read(value), names),
        set_fn=set_fn,
        options_fn=options,
        exists_fn=lambda result: field.read(result.value) is not None and len(options(result)) > 1,
        entity_registry_enabled_default=False,
    )


def _name_of(code: int | None, names: Mapping[int, str]) -> str | None:
    return None if code is None else names.get(code)


# reolink_aio's HDREnum/BinningModeEnum and TrackMethodEnum.
OFF_AUTO_ON: Mapping[int, str] = {0: "off", 1: "auto", 2: "on"}
TRACK_METHODS: Mapping[int, str] = {2: "digital", 3: "digital_first", 4: "pan_tilt_first"}


# The hub's tunes by GetDeviceAudioCfg id (-1 its alarm sound); the names the Reolink
# app shows, as reolink_aio 0.22.0 `HubToneEnum` spells them.
HUB_TONES: Mapping[int, str] = {
    -1: "alarm",
    0: "citybird",
    1: "originaltune",
    2: "pianokey",
    3: "loop",
    4: "attraction",
    5: "hophop",
    6: "goodday",
    7: "operetta",
    8: "moonlight",
    9: "waybackhome",
}


def _hub_tone(key: str, field: Field[int], supported_fn: Supported) -> ReolinkSelectDescription:
    """A tune the hub plays for a camera's events; the choices its range allows."""

    def options(result: CommandResult) -> list[Any]:
        bounds = field.bounds(result)
        low, high = bounds if bounds is not None else (min(HUB_TONES), max(HUB_TONES))
        return [name for tone, name in HUB_TONES.items() if low <= tone <= high]

    def value_fn(value: Any) -> str | None:
        tone = field.read(value)
        return None if tone is None else HUB_TONES.get(tone)

    def set_fn(client: ReolinkClient, channel: int | None, name: str) -> Awaitable[None]:
        tone = next(tone for tone, known in HUB_TONES.items() if known == name)
        return field.write(client, channel, tone)

    return ReolinkSelectDescription(
        key=key,
        translation_key=key,
        source=field.source,
        supported_fn=supported_fn,
        value_fn=value_fn,
        set_fn=set_fn,
        options_fn=options,
        exists_fn=lambda result: field.read(result.value) is not None,
        entity_registry_enabled_default=False,
    )


CHIME_SILENT = -1


def _chime_tune_name(tune: int) -> str:
    """A chime tune by the name of the same hub tune; -1 (does not ring) is "off"."""
    return "off" if tune == CHIME_SILENT else HUB_TONES[tune]


CHIME_TUNE_NAMES: Mapping[int, str] = {
    tune: _chime_tune_name(tune) for tune in (CHIME_SILENT, *f.CHIME_TUNES)
}


@dataclass(frozen=True, kw_only=True)
class ReolinkChimeToneDescription(ReolinkSelectDescription):
    """The tune one chime rings for one event type."""

    settings: f.ChimeSettings
    event: str


def chime_selects(device: ReolinkDevice) -> list[ReolinkChimeToneDescription]:
    """One tune select per chime and event type its GetDingDongCfg lists."""
    descriptions = []
    for chime in device.chimes:
        settings = f.ChimeSettings(chime.id)
        for event, label in f.CHIME_EVENTS.items():
            descriptions.append(
                ReolinkChimeToneDescription(
                    key=f"chime_tone_{label}",
                    translation_key=f"chime_tone_{label}",
                    source=f.CHIME_TONES,
                    per_channel=False,
                    chime=chime,
                    settings=settings,
                    event=event,
                    supported_fn=lambda device, channel: True,
                    value_fn=_tune_of(settings, event),
                    set_fn=_unused_set,
                    options_fn=lambda result: list(CHIME_TUNE_NAMES.values()),
                    exists_fn=_rings_for(settings, event),
                    create_unread=False,
                    entity_registry_enabled_default=False,
                )
            )
    return descriptions


def _tune_of(settings: f.ChimeSettings, event: str) -> Callable[[Any], str | None]:
    def value_fn(value: Any) -> str | None:
        tune = settings.tune(value, event)
        return None if tune is None else CHIME_TUNE_NAMES.get(tune)

    return value_fn


def _rings_for(settings: f.ChimeSettings, event: str) -> Callable[[CommandResult], bool]:
    return lambda result: event in settings.events(result.value)


def _unused_set(client: ReolinkClient, channel: int | None, value: Any) -> Awaitable[None]:
    raise NotImplementedError  # chime tunes are written by ReolinkChimeToneSelect


def _hidden_select(key: str, field: Field[Any], feature: Feature) -> ReolinkSelectDescription:
    """A choice few users need, created disabled."""
    return field_select(key, field, ability(feature), enabled=False)


def _isp_choice(key: str, field: Field[Any], feature: Feature) -> ReolinkSelectDescription:
    """Boolean in most ranges (then switches); a list of choices makes them selects."""
    return field_select(key, field, ability(feature), translate=False, create_unread=False)


SELECTS: tuple[ReolinkSelectDescription, ...] = (
    # 3.10 LED
    replace(
        field_select(
            "ir_lights",
            f.IR_LIGHTS_STATE,
            ability(Feature.LED_CONTROL),
            enabled=False,
            create_unread=False,
            options_fn=_ir_options,
        ),
        translation_key="ir_lights_mode",
    ),
    ReolinkSelectDescription(
        key="floodlight_mode",
        translation_key="floodlight_mode",
        source=f.WHITE_LED,
        supported_fn=spotlight,
        value_fn=_white_led_mode,
        set_fn=_set_white_led_mode,
        options_fn=_white_led_modes,
        exists_fn=lambda result: bool(_white_led_modes(result)),
    ),
    # Every state of a doorbell's ring light; the switch only turns it on or off.
    field_select(
        "doorbell_led_mode",
        f.DOORBELL_LED_STATE,
        ability(Feature.POWER_LED, Feature.SUPPORT_DOORBELL),
        enabled=False,
    ),
    # 3.7.14 GetPtzGuard: the wait before the camera returns to its guard position.
    replace(
        field_select(
            "ptz_guard_return_time",
            f.PTZ_GUARD_TIMEOUT,
            ability(Feature.PTZ_PRESET),
            translate=False,
            enabled=False,
            format_fn="{} s".format,
        ),
        set_fn=f.write_guard_return_time,
    ),
    # 3.4 ISP
    field_select("day_night", f.ISP_DAY_NIGHT, ability(Feature.ISP_DAY_NIGHT)),
    _hidden_select("anti_flicker", f.ISP_ANTI_FLICKER, Feature.ISP_ANTI_FLICK),
    _hidden_select("exposure", f.ISP_EXPOSURE, Feature.ISP_EXPOSURE_MODE),
    _hidden_select("backlight", f.ISP_BACKLIGHT, Feature.ISP_BACK_LIGHT),
    coded_select("hdr", f.ISP_HDR, OFF_AUTO_ON, ability(Feature.SUPPORT_ISP_HDR)),
    coded_select("binning_mode", f.ISP_BINNING, OFF_AUTO_ON, ability(Feature.SUPPORT_ISP_BINNING)),
    # 3.11 GetAiCfg of trackers
    coded_select("auto_track_method", f.AI_TRACK_METHOD, TRACK_METHODS, ability(Feature.AI_TRACK)),
    _isp_choice("mirroring", f.ISP_MIRRORING, Feature.ISP_MIRROR),
    _isp_choice("flip", f.ISP_ROTATION, Feature.ISP_FLIP),
    # 3.5 Enc
    *_enc_selects(f.MAIN_STREAM, "main"),
    *_enc_selects(f.SUB_STREAM, "sub"),
    # 3.6 Record
    *_rec_select("post_record", f.post_record, Feature.REC_EXTENSION_TIME_LIST),
    *_rec_select("pack_time", f.pack_time, Feature.REC_PACK_DURATION),
    # Home Hub: what it plays for each camera
    _hub_tone("hub_alarm_ringtone", f.HUB_ALARM_TONE, is_hub),
    _hub_tone("hub_visitor_ringtone", f.HUB_VISITOR_TONE, hub_doorbell),
)


def _preset_options(value: Any) -> dict[str, int]:
    """Name -> id of the presets that are set (3.7.1); unnamed ones get their number."""
    options: dict[str, int] = {}
    for preset in f.PTZ_PRESETS.read(value) or ():
        if preset.enabled:
            options.setdefault(preset.name or str(preset.id), preset.id)
    return options


def _quick_replies(value: Any) -> dict[str, int]:
    """Message -> id of a doorbell's quick replies (GetAudioFileList)."""
    return {reply.name or str(reply.id): reply.id for reply in f.QUICK_REPLIES.read(value) or ()}


# Selects that act rather than show a setting: the device reports no current choice.
ACTION_SELECTS: tuple[ReolinkSelectDescription, ...] = (
    ReolinkSelectDescription(
        key="ptz_preset",
        translation_key="ptz_preset",
        entity_category=None,
        source=f.PTZ_PRESET,
        supported_fn=ability(Feature.PTZ_PRESET),
        value_fn=lambda value: "",
        set_fn=lambda client, channel, ident: client.ptz_ctrl(
            channel or 0, PtzOp.TO_PRESET, preset_id=ident
        ),
        options_fn=lambda result: list(_preset_options(result.value)),
        exists_fn=lambda result: bool(_preset_options(result.value)),
        translate=False,
        choices_fn=_preset_options,
    ),
    ReolinkSelectDescription(
        key="play_quick_reply_message",
        translation_key="play_quick_reply_message",
        entity_category=None,
        source=f.AUDIO_FILE_LIST,
        supported_fn=ability(Feature.SUPPORT_AUDIO_FILE_LIST),
        value_fn=lambda value: "",
        set_fn=f.play_quick_reply,
        options_fn=lambda result: list(_quick_replies(result.value)),
        exists_fn=lambda result: bool(_quick_replies(result.value)),
        translate=False,
        choices_fn=_quick_replies,
    ),
)

# The automatic reply: "off" or the message, from GetAutoReply and GetAudioFileList.
AUTO_REPLY_OFF = "off"
AUTO_REPLY = ReolinkSelectDescription(
    key="auto_quick_reply_message",
    translation_key="auto_quick_reply_message",
    source=f.AUTO_REPLY,
    also_reads=f.AUDIO_FILE_LIST,
    supported_fn=ability(Feature.SUPPORT_AUTO_REPLY, Feature.SUPPORT_AUDIO_FILE_LIST),
    value_fn=lambda value: (
        f.AUTO_REPLY_FILE.read(value) if f.AUTO_REPLY_ENABLE.read(value) else AUTO_REPLY_OFF
    ),
    set_fn=f.write_auto_reply,
    options_fn=lambda result: [],
    exists_fn=lambda result: f.AUTO_REPLY_ENABLE.read(result.value) is not None,
    translate=False,
    entity_registry_enabled_default=False,
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: ReolinkConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """One select per supported choice and channel, the PTZ preset and the chime tunes."""
    chimes = chime_selects(entry.runtime_data.device)
    # Together, so the reads join the platforms' shared settings batch.
    await asyncio.gather(
        async_setup_settings(entry, SELECTS, ReolinkSelect, async_add_entities),
        async_setup_settings(entry, ACTION_SELECTS, ReolinkActionSelect, async_add_entities),
        async_setup_settings(entry, (AUTO_REPLY,), ReolinkAutoReplySelect, async_add_entities),
        async_setup_settings(entry, chimes, ReolinkChimeToneSelect, async_add_entities),
    )


class ReolinkSelect(ReolinkValueEntity, SelectEntity):
    """A setting with choices listed by the device."""

    entity_description: ReolinkSelectDescription

    def _shown(self, raw: Any) -> str:
        description = self.entity_description
        return slug(raw) if description.translate else description.format_fn(raw)

    def _choices(self) -> dict[str, Any]:
        """Shown option -> the value the device expects."""
        result = self.result
        if result is None or not result.ok:
            return {}
        return {self._shown(raw): raw for raw in self.entity_description.options_fn(result)}

    @property
    def options(self) -> list[str]:
        """The choices of the last answer's range."""
        return list(self._choices())

    @property
    def current_option(self) -> str | None:
        """The choice as last written or read."""
        current = self.current
        return None if current is None else self._shown(current)

    def allowed_values(self) -> str:
        """The choices the device listed."""
        return ", ".join(self.options)

    def _device_value(self, option: str) -> Any:
        """The value the device expects for `option`; refuses an option it did not list."""
        choices = self._choices()
        if option not in choices:
            raise invalid_input("invalid_option", option=option)
        return choices[option]

    async def async_select_option(self, option: str) -> None:
        """Write the device value behind the chosen option."""
        value = self._device_value(option)
        await self.async_write_setting(value, value)


class ReolinkActionSelect(ReolinkSelect):
    """Acts when a choice is made: moves to a preset (3.7.5 PtzCtrl ToPos), plays a reply.

    The device does not report which preset the camera is at (or what it last played),
    so the select shows the choice last made here; dropping back to empty after every
    settings poll would make the choice look refused.
    """

    _chosen: str | None = None

    def _choices(self) -> dict[str, Any]:
        return dict(self.entity_description.choices_fn(self.answer_value))

    @property
    def current_option(self) -> str | None:
        """The choice last made, while the device still lists it."""
        return self._chosen if self._chosen in self._choices() else None

    async def async_select_option(self, option: str) -> None:
        """Act on the chosen option."""
        preset_id = self._device_value(option)
        set_fn = self.entity_description.set_fn
        with device_errors(self.allowed_values()):
            await set_fn(self.coordinator.client, self.channel, preset_id)
        self._chosen = option
        self.async_write_ha_state()


class ReolinkAutoReplySelect(ReolinkSelect):
    """The doorbell's automatic reply: "off" or one of its quick-reply messages."""

    def _choices(self) -> dict[str, Any]:
        if self.answer_value is None:
            return {}
        return {AUTO_REPLY_OFF: None, **_quick_replies(self.other_value)}

    @property
    def current_option(self) -> str | None:
        """ "off", or the message whose id the device names; None while the list is unread."""
        current = self.current
        if current is None or current == AUTO_REPLY_OFF:
            return None if current is None else AUTO_REPLY_OFF
        return next((name for name, ident in self._choices().items() if ident == current), None)

    async def async_select_option(self, option: str) -> None:
        """Switch the reply off, or on with the chosen message."""
        file_id = self._device_value(option)
        await self.async_write_setting(file_id, AUTO_REPLY_OFF if file_id is None else file_id)


class ReolinkChimeToneSelect(ReolinkSelect):
    """The tune a chime rings for one event type; "off" keeps the tune for later."""

    entity_description: ReolinkChimeToneDescription

    async def async_select_option(self, option: str) -> None:
        """SetDingDongCfg with the chosen tune (or silenced, with the current tune kept)."""
        tune = self._device_value(option)
        tune_id = next(number for number, name in CHIME_TUNE_NAMES.items() if name == tune)
        description = self.entity_description
        value = self.answer_value
        current = None if value is None else description.settings.tune(value, description.event)

        async def write(client: ReolinkClient) -> None:
            chime = description.settings.chime
            await client.set_chime_tune(chime, None, description.event, tune_id, current)
            self._optimistic = tune
            self.async_write_ha_state()

        await self.async_apply(write)
