"""Settings with a list of choices (guide 3.4, 3.5, 3.6, 3.7, 3.10).

Choices come from the `range` of the Get answer, never from a per-model list.
"""

from __future__ import annotations

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
from .api.models import as_int
from .errors import device_errors, invalid_input
from .settings import (
    IR_STATE,
    Field,
    ReolinkValueDescription,
    ReolinkValueEntity,
    Supported,
    ability,
    async_setup_settings,
    both,
    legacy,
    schedule_v20,
    slug,
    spotlight,
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


def range_options(settings: Field) -> Callable[[CommandResult], list[Any]]:
    """The allowed values the `range` lists for the field."""
    return lambda result: settings.limits(result).options(settings.full_path)


def field_select(
    key: str,
    cmd: str,
    settings: Field,
    supported_fn: Supported,
    *,
    translate: bool = True,
    enabled: bool = True,
    create_unread: bool = True,
    options_fn: Callable[[CommandResult], list[Any]] | None = None,
    format_fn: Callable[[Any], str] = str,
) -> ReolinkSelectDescription:
    """A select writing one field of a settings family; none when there is nothing to choose."""
    options = options_fn or range_options(settings)
    return ReolinkSelectDescription(
        key=key,
        translation_key=key,
        cmd=cmd,
        supported_fn=supported_fn,
        value_fn=settings.read,
        set_fn=settings.setter(cmd),
        options_fn=options,
        exists_fn=lambda result: (
            settings.read(result.value) is not None and len(options(result)) > 1
        ),
        translate=translate,
        format_fn=format_fn,
        create_unread=create_unread,
        entity_registry_enabled_default=enabled,
    )


def _ir_options(result: CommandResult) -> list[Any]:
    options = IR_STATE.limits(result).options(IR_STATE.full_path)
    # Exactly "Auto"/"Off" is all the IR switch needs.
    return [] if set(options) <= {"Auto", "Off"} else options


# 3.5.1 GetEnc: `range` is a list of resolution sets, each with its own frame and bit rates.


def _enc_sets(result: CommandResult) -> list[Mapping[str, Any]]:
    ranges = result.range.get("Enc") if isinstance(result.range, Mapping) else None
    if isinstance(ranges, Mapping):
        ranges = [ranges]
    if not isinstance(ranges, list):
        return []
    return [entry for entry in ranges if isinstance(entry, Mapping)]


def _enc_sizes(stream: str) -> Callable[[CommandResult], list[Any]]:
    def options(result: CommandResult) -> list[Any]:
        sizes = [Field(stream, "size").read(entry) for entry in _enc_sets(result)]
        return list(dict.fromkeys(size for size in sizes if isinstance(size, str)))

    return options


def _enc_rates(stream: str, rate: str) -> Callable[[CommandResult], list[Any]]:
    def options(result: CommandResult) -> list[Any]:
        sets = _enc_sets(result)
        size = Field("Enc", f"{stream}.size").read(result.value)
        current = next((s for s in sets if Field(stream, "size").read(s) == size), None)
        chosen = current or (sets[0] if sets else {})
        rates = Field(stream, rate).read(chosen)
        return list(rates) if isinstance(rates, list) else []

    return options


def resolution_label(size: Any) -> str:
    """GetEnc's "3840*2160" with a multiplication sign and spaces around it."""
    return str(size).replace("*", " \N{MULTIPLICATION SIGN} ")


def _enc_selects(stream: str, prefix: str, enabled: bool) -> tuple[ReolinkSelectDescription, ...]:
    # 3.5.1: bitRate is in kbps, frameRate in frames per second.
    options: dict[str, tuple[str, Callable[[CommandResult], list[Any]], Callable[[Any], str]]]
    options = {
        "resolution": ("size", _enc_sizes(stream), resolution_label),
        "frame_rate": ("frameRate", _enc_rates(stream, "frameRate"), "{} fps".format),
        "bit_rate": ("bitRate", _enc_rates(stream, "bitRate"), "{} kbps".format),
    }
    return tuple(
        field_select(
            f"{prefix}_{name}",
            "GetEnc",
            Field("Enc", f"{stream}.{path}"),
            ability("enc"),
            translate=False,
            enabled=enabled,
            options_fn=options_fn,
            format_fn=format_fn,
        )
        for name, (path, options_fn, format_fn) in options.items()
    )


def _rec_select(key: str, path: str, feature: str) -> tuple[ReolinkSelectDescription, ...]:
    supported = ability("recCfg", feature)
    return (
        field_select(
            key, "GetRecV20", Field("Rec", path), both(supported, schedule_v20), enabled=False
        ),
        field_select(key, "GetRec", Field("Rec", path), legacy(supported), enabled=False),
    )


# 3.10.6 SetWhiteLed: the guide names modes 0-2; other codes are left out.
WHITE_LED_MODES: Mapping[int, str] = {0: "night", 1: "on_motion", 2: "schedule"}
WHITE_LED_MODE = Field("WhiteLed", "mode")


def _white_led_modes(result: CommandResult) -> list[Any]:
    options = WHITE_LED_MODE.limits(result).options(WHITE_LED_MODE.full_path)
    return [WHITE_LED_MODES[code] for code in options if code in WHITE_LED_MODES]


def _white_led_mode(value: Any) -> str | None:
    code = WHITE_LED_MODE.read(value)
    return WHITE_LED_MODES.get(code) if isinstance(code, int) else None


def _set_white_led_mode(client: ReolinkClient, channel: int | None, mode: str) -> Awaitable[Any]:
    code = next(code for code, name in WHITE_LED_MODES.items() if name == mode)
    return WHITE_LED_MODE.setter("GetWhiteLed")(client, channel, code)


ISP_SWITCHABLE = ("mirroring", "rotation")

SELECTS: tuple[ReolinkSelectDescription, ...] = (
    # 3.10 LED
    replace(
        field_select(
            "ir_lights",
            "GetIrLights",
            IR_STATE,
            ability("ledControl"),
            enabled=False,
            create_unread=False,
            options_fn=_ir_options,
        ),
        translation_key="ir_lights_mode",
    ),
    ReolinkSelectDescription(
        key="floodlight_mode",
        translation_key="floodlight_mode",
        cmd="GetWhiteLed",
        supported_fn=spotlight,
        value_fn=_white_led_mode,
        set_fn=_set_white_led_mode,
        options_fn=_white_led_modes,
        exists_fn=lambda result: bool(_white_led_modes(result)),
    ),
    # 3.4 ISP
    field_select("day_night", "GetIsp", Field("Isp", "dayNight"), ability("ispDayNight")),
    field_select(
        "anti_flicker",
        "GetIsp",
        Field("Isp", "antiFlicker"),
        ability("ispAntiFlick"),
        enabled=False,
    ),
    field_select(
        "exposure", "GetIsp", Field("Isp", "exposure"), ability("ispExposureMode"), enabled=False
    ),
    field_select(
        "backlight", "GetIsp", Field("Isp", "backLight"), ability("ispBackLight"), enabled=False
    ),
    # Boolean in most ranges (then switches); a list of choices makes them selects.
    field_select(
        "mirroring",
        "GetIsp",
        Field("Isp", "mirroring"),
        ability("ispMirror"),
        translate=False,
        create_unread=False,
    ),
    field_select(
        "flip",
        "GetIsp",
        Field("Isp", "rotation"),
        ability("ispFlip"),
        translate=False,
        create_unread=False,
    ),
    # 3.5 Enc
    *_enc_selects("mainStream", "main", enabled=False),
    *_enc_selects("subStream", "sub", enabled=False),
    # 3.6 Record
    *_rec_select("post_record", "postRec", "recExtensionTimeList"),
    *_rec_select("pack_time", "packTime", "recPackDuration"),
)


def _preset_options(value: Any) -> dict[str, int]:
    """Name -> id of the presets that are set (3.7.1); unnamed ones get their number."""
    presets = value.get("PtzPreset") if isinstance(value, Mapping) else None
    options: dict[str, int] = {}
    for preset in presets if isinstance(presets, list) else ():
        if isinstance(preset, Mapping) and preset.get("enable"):
            ident = as_int(preset.get("id"))
            options.setdefault(str(preset.get("name") or ident), ident)
    return options


PTZ_PRESET = ReolinkSelectDescription(
    key="ptz_preset",
    translation_key="ptz_preset",
    entity_category=None,
    cmd="GetPtzPreset",
    supported_fn=ability("ptzPreset"),
    # The answer holds no current position; the entity remembers the last choice.
    value_fn=lambda value: "" if isinstance(value, Mapping) else None,
    set_fn=lambda client, channel, ident: client.ptz_ctrl(channel or 0, "ToPos", preset_id=ident),
    options_fn=lambda result: list(_preset_options(result.value)),
    exists_fn=lambda result: bool(_preset_options(result.value)),
    translate=False,
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: ReolinkConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """One select per supported choice and channel, plus the PTZ preset select."""
    # Together, so both reads join the platforms' shared settings batch.
    await asyncio.gather(
        async_setup_settings(entry, SELECTS, ReolinkSelect, async_add_entities),
        async_setup_settings(entry, (PTZ_PRESET,), ReolinkPtzPresetSelect, async_add_entities),
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


class ReolinkPtzPresetSelect(ReolinkSelect):
    """Moves the camera to a preset (3.7.5 PtzCtrl ToPos) when one is chosen.

    The device does not report which preset the camera is at, so the select shows the
    one last chosen here; dropping back to empty after every settings poll would make
    the choice look refused.
    """

    _chosen: str | None = None

    def _choices(self) -> dict[str, Any]:
        return _preset_options(self.raw_value)

    @property
    def current_option(self) -> str | None:
        """The preset last moved to, while the device still lists it."""
        return self._chosen if self._chosen in self._choices() else None

    async def async_select_option(self, option: str) -> None:
        """Move to the chosen preset."""
        preset_id = self._device_value(option)
        set_fn = self.entity_description.set_fn
        with device_errors(self.allowed_values()):
            await set_fn(self.coordinator.client, self.channel, preset_id)
        self._chosen = option
        self.async_write_ha_state()
