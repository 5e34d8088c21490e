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
from .api.fields import Field
from .api.values import LedState, PtzOp, WhiteLedMode
from .capabilities import (
    Supported,
    ability,
    hub_doorbell,
    is_hub,
    spotlight,
)
from .device import ReolinkDevice
from .errors import device_errors, invalid_input
from .settings import (
    ReolinkValueDescription,
    ReolinkValueEntity,
    async_setup_settings,
    recording_option,
    slug,
)

PARALLEL_UPDATES = 1


@dataclass(frozen=True, kw_only=True)
class ReolinkSelectDescription[T](ReolinkValueDescription[T], SelectEntityDescription):
    """A choice: `value_fn` gives the device's raw value, `options_fn` the raw choices.

    With `translate` the choices are shown as slugs with translated names
    ("Black&White" -> "black_white"); otherwise as the device spells them.
    """

    options_fn: Callable[[CommandResult], list[T]]
    translate: bool = True
    # How an untranslated choice is shown (with its unit, say); the device value stays behind it.
    format_fn: Callable[[T], str] = str
    entity_category: EntityCategory | None = EntityCategory.CONFIG
    # Selects that act (move to a preset, play a message): shown choice -> device value.
    choices_fn: Callable[[Any], Mapping[str, T]] = lambda value: {}


def field_select[T](
    *,
    key: str,
    field: Field[T],
    supported_fn: Supported,
    translate: bool = True,
    enabled: bool = True,
    create_unread: bool = True,
    options_fn: Callable[[CommandResult], list[T]] | None = None,
    format_fn: Callable[[T], str] = str,
) -> ReolinkSelectDescription[T]:
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


def _enc_selects(*, stream: f.Stream, prefix: str) -> tuple[ReolinkSelectDescription[Any], ...]:
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
            key=f"{prefix}_{name}",
            field=field,
            supported_fn=ability(Feature.ENC),
            translate=False,
            enabled=False,
            options_fn=options_fn,
            format_fn=format_fn,
        )
        for name, field, options_fn, format_fn in choices
    )


# The modes the guide names (option keys of the select); other codes are left out.
WHITE_LED_MODES: Mapping[int, str] = {
    WhiteLedMode.NIGHT: "night",
    WhiteLedMode.ON_MOTION: "on_motion",
    WhiteLedMode.SCHEDULE: "schedule",
}


def _white_led_modes(result: CommandResult) -> list[str]:
    options = f.WHITE_LED_MODE.options(result)
    return [WHITE_LED_MODES[code] for code in options if code in WHITE_LED_MODES]


def _white_led_mode(value: Any) -> str | None:
    code = f.WHITE_LED_MODE.read(value)
    return None if code is None else WHITE_LED_MODES.get(code)


def _set_white_led_mode(client: ReolinkClient, channel: int | None, mode: str) -> Awaitable[None]:
    code = next(code for code, name in WHITE_LED_MODES.items() if name == mode)
    return f.WHITE_LED_MODE.write(client, channel, code)


def coded_select(
    *, key: str, field: Field[int], names: Mapping[int, str], supported_fn: Supported
) -> ReolinkSelectDescription[str]:
    """Choices the device codes as numbers, shown by name; codes without a name are left out."""

    def options(result: CommandResult) -> list[str]:
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


def _hub_tone(
    *, key: str, field: Field[int], supported_fn: Supported
) -> ReolinkSelectDescription[str]:
    """A tune the hub plays for a camera's events; the choices its range allows."""

    def options(result: CommandResult) -> list[str]:
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


def chime_selects(device: ReolinkDevice) -> list[ReolinkSelectDescription[str]]:
    """One tune select per chime and event type its GetDingDongCfg lists."""
    descriptions = []
    for chime in device.chimes:
        settings = f.ChimeSettings(chime.id)
        for event, label in f.CHIME_EVENTS.items():
            descriptions.append(
                ReolinkSelectDescription(
                    key=f"chime_tone_{label}",
                    translation_key=f"chime_tone_{label}",
                    source=f.CHIME_TONES,
                    per_channel=False,
                    chime=chime,
                    supported_fn=lambda device, channel: True,
                    value_fn=_tune_of(settings, event),
                    set_fn=_set_tune_of(settings, event),
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


def _set_tune_of(
    settings: f.ChimeSettings, event: str
) -> Callable[[ReolinkClient, int | None, str], Awaitable[None]]:
    async def set_fn(client: ReolinkClient, channel: int | None, name: str) -> None:
        tune = next(number for number, known in CHIME_TUNE_NAMES.items() if known == name)
        await settings.write_tune(client, event, tune)

    return set_fn


def _hidden_select[T](
    *, key: str, field: Field[T], feature: Feature
) -> ReolinkSelectDescription[T]:
    """A choice few users need, created disabled."""
    return field_select(key=key, field=field, supported_fn=ability(feature), enabled=False)


def _isp_choice[T](*, key: str, field: Field[T], feature: Feature) -> ReolinkSelectDescription[T]:
    """Boolean in most ranges (then switches); a list of choices makes them selects."""
    return field_select(
        key=key,
        field=field,
        supported_fn=ability(feature),
        translate=False,
        create_unread=False,
    )


SELECTS: tuple[ReolinkSelectDescription[Any], ...] = (
    # 3.10 LED
    replace(
        field_select(
            key="ir_lights",
            field=f.IR_LIGHTS_STATE,
            supported_fn=ability(Feature.LED_CONTROL),
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
        key="doorbell_led_mode",
        field=f.DOORBELL_LED_STATE,
        supported_fn=ability(Feature.POWER_LED, Feature.SUPPORT_DOORBELL),
        enabled=False,
    ),
    # 3.7.14 GetPtzGuard: the wait before the camera returns to its guard position.
    replace(
        field_select(
            key="ptz_guard_return_time",
            field=f.PTZ_GUARD_TIMEOUT,
            supported_fn=ability(Feature.PTZ_PRESET),
            translate=False,
            enabled=False,
            format_fn="{} s".format,
        ),
        set_fn=f.write_guard_return_time,
    ),
    # 3.4 ISP
    field_select(
        key="day_night", field=f.ISP_DAY_NIGHT, supported_fn=ability(Feature.ISP_DAY_NIGHT)
    ),
    _hidden_select(key="anti_flicker", field=f.ISP_ANTI_FLICKER, feature=Feature.ISP_ANTI_FLICK),
    _hidden_select(key="exposure", field=f.ISP_EXPOSURE, feature=Feature.ISP_EXPOSURE_MODE),
    _hidden_select(key="backlight", field=f.ISP_BACKLIGHT, feature=Feature.ISP_BACK_LIGHT),
    coded_select(
        key="hdr", field=f.ISP_HDR, names=OFF_AUTO_ON, supported_fn=ability(Feature.SUPPORT_ISP_HDR)
    ),
    coded_select(
        key="binning_mode",
        field=f.ISP_BINNING,
        names=OFF_AUTO_ON,
        supported_fn=ability(Feature.SUPPORT_ISP_BINNING),
    ),
    # 3.11 GetAiCfg of trackers
    coded_select(
        key="auto_track_method",
        field=f.AI_TRACK_METHOD,
        names=TRACK_METHODS,
        supported_fn=ability(Feature.AI_TRACK),
    ),
    _isp_choice(key="mirroring", field=f.ISP_MIRRORING, feature=Feature.ISP_MIRROR),
    _isp_choice(key="flip", field=f.ISP_ROTATION, feature=Feature.ISP_FLIP),
    # 3.5 Enc
    *_enc_selects(stream=f.MAIN_STREAM, prefix="main"),
    *_enc_selects(stream=f.SUB_STREAM, prefix="sub"),
    # 3.6 Record
    *recording_option(field_select, "post_record", f.post_record, Feature.REC_EXTENSION_TIME_LIST),
    *recording_option(field_select, "pack_time", f.pack_time, Feature.REC_PACK_DURATION),
    # Home Hub: what it plays for each camera
    _hub_tone(key="hub_alarm_ringtone", field=f.HUB_ALARM_TONE, supported_fn=is_hub),
    _hub_tone(key="hub_visitor_ringtone", field=f.HUB_VISITOR_TONE, supported_fn=hub_doorbell),
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


def _first_choice(
    choices_fn: Callable[[Any], Mapping[str, int]],
) -> Callable[[Any], int | None]:
    """An action select's value: any choice the device lists, as it reports no current one.

    So the entity is available while there is something to choose.
    """
    return lambda value: next(iter(choices_fn(value).values()), None)


async def _go_to_preset(client: ReolinkClient, channel: int | None, preset: int) -> None:
    await client.ptz_ctrl(channel or 0, PtzOp.TO_PRESET, preset_id=preset)


# Selects that act rather than show a setting: the device reports no current choice.
ACTION_SELECTS: tuple[ReolinkSelectDescription[int], ...] = (
    ReolinkSelectDescription(
        key="ptz_preset",
        translation_key="ptz_preset",
        entity_category=None,
        source=f.PTZ_PRESET,
        supported_fn=ability(Feature.PTZ_PRESET),
        value_fn=_first_choice(_preset_options),
        set_fn=_go_to_preset,
        options_fn=lambda result: list(_preset_options(result.value).values()),
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
        value_fn=_first_choice(_quick_replies),
        set_fn=f.play_quick_reply,
        options_fn=lambda result: list(_quick_replies(result.value).values()),
        exists_fn=lambda result: bool(_quick_replies(result.value)),
        translate=False,
        choices_fn=_quick_replies,
    ),
)

# The automatic reply: "off" or the message, from GetAutoReply and GetAudioFileList.
AUTO_REPLY_OFF = "off"


async def _set_auto_reply(client: ReolinkClient, channel: int | None, reply: int | str) -> None:
    """The message's ID, or AUTO_REPLY_OFF."""
    await f.write_auto_reply(client, channel, reply if isinstance(reply, int) else None)


AUTO_REPLY = ReolinkSelectDescription[int | str](
    key="auto_quick_reply_message",
    translation_key="auto_quick_reply_message",
    source=f.AUTO_REPLY,
    also_reads=f.AUDIO_FILE_LIST,
    supported_fn=ability(Feature.SUPPORT_AUTO_REPLY, Feature.SUPPORT_AUDIO_FILE_LIST),
    value_fn=lambda value: (
        f.AUTO_REPLY_FILE.read(value) if f.AUTO_REPLY_ENABLE.read(value) else AUTO_REPLY_OFF
    ),
    set_fn=_set_auto_reply,
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
        async_setup_settings(entry, chimes, ReolinkSelect, async_add_entities),
    )


class ReolinkSelect[T](ReolinkValueEntity[T], SelectEntity):
    """A setting with choices listed by the device."""

    entity_description: ReolinkSelectDescription[T]

    def _shown(self, raw: T) -> str:
        description = self.entity_description
        return slug(raw) if description.translate else description.format_fn(raw)

    def _choices(self) -> dict[str, T]:
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

    def _device_value(self, option: str) -> T:
        """The value the device expects for `option`; refuses an option it did not list."""
        choices = self._choices()
        if option not in choices:
            raise invalid_input("invalid_option", option=option)
        return choices[option]

    async def async_select_option(self, option: str) -> None:
        """Write the device value behind the chosen option."""
        value = self._device_value(option)
        await self.async_write_setting(value, value)


class ReolinkActionSelect(ReolinkSelect[int]):
    """Acts when a choice is made: moves to a preset (3.7.5 PtzCtrl ToPos), plays a reply.

    The device does not report which preset the camera is at (or what it last played),
    so the select shows the choice last made here; dropping back to empty after every
    settings poll would make the choice look refused.
    """

    _chosen: str | None = None

    def _choices(self) -> dict[str, int]:
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


class ReolinkAutoReplySelect(ReolinkSelect[int | str]):
    """The doorbell's automatic reply: "off" or one of its quick-reply messages."""

    def _choices(self) -> dict[str, int | str]:
        if self.answer_value is None:
            return {}
        return {AUTO_REPLY_OFF: AUTO_REPLY_OFF, **_quick_replies(self.other_value)}

    @property
    def current_option(self) -> str | None:
        """ "off", or the message whose id the device names; None while the list is unread."""
        current = self.current
        return next((name for name, reply in self._choices().items() if reply == current), None)
