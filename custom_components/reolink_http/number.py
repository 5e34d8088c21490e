"""Numeric settings (guide 3.4 image, 3.7 zoom/focus, 3.8 motion sensitivity).

Minimum and maximum come from the `range` of the Get answer. Image levels travel as 0-255
and are shown in percent.
"""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import Any

from homeassistant.components.number import NumberEntity, NumberEntityDescription, NumberMode
from homeassistant.const import PERCENTAGE, EntityCategory, UnitOfTime
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from . import ReolinkConfigEntry
from .api import CommandResult, ReolinkClient
from .device import ReolinkDevice
from .settings import (
    Field,
    ReolinkValueDescription,
    ReolinkValueEntity,
    Supported,
    ability,
    ai_alarm_command,
    async_setup_settings,
)

PARALLEL_UPDATES = 1


@dataclass(frozen=True, kw_only=True)
class ReolinkNumberDescription(ReolinkValueDescription, NumberEntityDescription):
    """A number whose bounds `bounds_fn` reads from the answer's range."""

    bounds_fn: Callable[[CommandResult], tuple[float, float] | None]
    # The device value shown as 100 %, for levels whose raw scale means nothing to a user.
    percent_of: int | None = None
    entity_category: EntityCategory | None = EntityCategory.CONFIG
    mode: NumberMode = NumberMode.SLIDER


def field_number(
    key: str,
    cmd: str,
    settings: Field,
    supported_fn: Supported,
    *,
    enabled: bool = True,
    set_fn: Callable[[ReolinkClient, int | None, Any], Awaitable[Any]] | None = None,
    category: EntityCategory | None = EntityCategory.CONFIG,
) -> ReolinkNumberDescription:
    """A number writing one integer field of a settings family."""

    def bounds(result: CommandResult) -> tuple[float, float] | None:
        return settings.limits(result).min_max(settings.full_path)

    def value_fn(value: Any) -> float | None:
        raw = settings.read(value)
        return raw if isinstance(raw, (int, float)) and not isinstance(raw, bool) else None

    return ReolinkNumberDescription(
        key=key,
        translation_key=key,
        entity_category=category,
        cmd=cmd,
        supported_fn=supported_fn,
        value_fn=value_fn,
        set_fn=set_fn or settings.setter(cmd),
        bounds_fn=bounds,
        exists_fn=lambda result: value_fn(result.value) is not None and bounds(result) is not None,
        native_step=1,
        entity_registry_enabled_default=enabled,
    )


# GetImage levels are 8-bit (guide 3.4.1: range 0-255, default 128).
IMAGE_FULL_SCALE = 255


def _image(key: str, path: str, feature: str, enabled: bool = True) -> ReolinkNumberDescription:
    description = field_number(
        key, "GetImage", Field("Image", path), ability(feature), enabled=enabled
    )
    return replace(description, native_unit_of_measurement=PERCENTAGE, percent_of=IMAGE_FULL_SCALE)


def _zoom_focus(key: str, axis: str, op: str) -> ReolinkNumberDescription:
    def move(client: ReolinkClient, channel: int | None, position: Any) -> Awaitable[Any]:
        return client.start_zoom_focus(channel or 0, op, position)

    return field_number(
        key,
        "GetZoomFocus",
        Field("ZoomFocus", f"{axis}.pos"),
        lambda device, channel: device.abilities.can_zoom(channel),
        set_fn=move,
        category=None,
    )


# The object kinds with their own GetAiAlarm settings (3.10.7).
AI_ALARM_KINDS = ("people", "vehicle", "dog_cat")


def _ai_alarm_supported(kind: str, feature: str) -> Supported:
    """The kind is detected on the channel (device.ai_types) and the device has `feature`."""
    has_feature = ability("supportAi", feature)

    def supported(device: ReolinkDevice, channel: int | None) -> bool:
        detects = channel is not None and kind in device.ai_types(channel)
        return detects and has_feature(device, channel)

    return supported


def _ai_alarm(kind: str, path: str, feature: str) -> ReolinkNumberDescription:
    """3.10.7 GetAiAlarm / 3.10.8 SetAiAlarm: one number per object kind."""
    name = "sensitivity" if path == "sensitivity" else "delay"
    description = field_number(
        f"ai_{kind}_{name}",
        ai_alarm_command(kind),
        Field("AiAlarm", path),
        _ai_alarm_supported(kind, feature),
        enabled=False,
    )
    if name == "delay":
        return replace(description, native_unit_of_measurement=UnitOfTime.SECONDS)
    return description


NUMBERS: tuple[ReolinkNumberDescription, ...] = (
    # 3.4.1 GetImage
    _image("brightness", "bright", "ispBright", enabled=False),
    _image("contrast", "contrast", "ispContrast", enabled=False),
    _image("saturation", "saturation", "ispSatruation", enabled=False),
    _image("hue", "hue", "ispHue", enabled=False),
    _image("sharpness", "sharpen", "ispSharpen", enabled=False),
    # 3.4.5 GetIsp
    field_number(
        "backlight_compensation",
        "GetIsp",
        Field("Isp", "blc"),
        ability("ispBackLight"),
        enabled=False,
    ),
    field_number(
        "dynamic_range_control",
        "GetIsp",
        Field("Isp", "drc"),
        ability("ispBackLight"),
        enabled=False,
    ),
    field_number(
        "day_night_threshold",
        "GetIsp",
        Field("Isp", "dayNightThreshold"),
        ability("ispDayNight", "supportThresholdAdjust"),
        enabled=False,
    ),
    # 3.8.3 GetMdAlarm
    field_number(
        "motion_sensitivity",
        "GetMdAlarm",
        Field("MdAlarm", "newSens.sensDef"),
        ability("alarmMd"),
    ),
    # 3.7.12 GetZoomFocus, moved with 3.7.13 StartZoomFocus
    _zoom_focus("zoom", "zoom", "ZoomPos"),
    _zoom_focus("focus", "focus", "FocusPos"),
    *(_ai_alarm(kind, "sensitivity", "supportAiSensitivity") for kind in AI_ALARM_KINDS),
    *(_ai_alarm(kind, "stay_time", "supportAiStayTime") for kind in AI_ALARM_KINDS),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: ReolinkConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """One number per supported numeric setting and channel."""
    await async_setup_settings(entry, NUMBERS, ReolinkNumber, async_add_entities)


def half_up(value: float) -> int:
    """Round .5 up, always (Python's round() goes to even: 76.5 would become 76)."""
    return math.floor(value + 0.5)


class ReolinkNumber(NumberEntity, ReolinkValueEntity):
    """A numeric setting bounded by the device's range.

    NumberEntity comes first: its final `value` (the state) must win over the raw
    answer the settings base class calls `value`.
    """

    entity_description: ReolinkNumberDescription

    def _bounds(self) -> tuple[float, float] | None:
        result = self.result
        return (
            None if result is None or not result.ok else self.entity_description.bounds_fn(result)
        )

    @property
    def _percent_of(self) -> int | None:
        return self.entity_description.percent_of

    def _shown(self, raw: float) -> float:
        """A device value as the user sees it: as is, or in percent of `percent_of`."""
        scale = self._percent_of
        return raw if scale is None else raw * 100 / scale

    @property
    def native_min_value(self) -> float:
        """The range's minimum; in percent the lowest whole percent inside the range."""
        bounds = self._bounds()
        if bounds is None:
            return super().native_min_value
        low = self._shown(bounds[0])
        return low if self._percent_of is None else math.ceil(low)

    @property
    def native_max_value(self) -> float:
        """The range's maximum; in percent the highest whole percent inside the range."""
        bounds = self._bounds()
        if bounds is None:
            return super().native_max_value
        high = self._shown(bounds[1])
        return high if self._percent_of is None else math.floor(high)

    @property
    def native_value(self) -> float | None:
        """The setting as last written or read; in percent a whole one."""
        current = self.current
        if current is None:
            return None
        shown = self._shown(current)
        return float(shown) if self._percent_of is None else half_up(shown)

    def allowed_values(self) -> str:
        """The range as the user sets it, e.g. "0 to 100 %"."""
        unit = self.native_unit_of_measurement
        allowed = f"{self.native_min_value:g} to {self.native_max_value:g}"
        return f"{allowed} {unit}" if unit else allowed

    async def async_set_native_value(self, value: float) -> None:
        """Write the value; Home Assistant has checked it against min and max."""
        scale = self._percent_of
        raw = int(value) if scale is None else half_up(value * scale / 100)
        await self.async_write_setting(raw, raw)
