"""Numeric settings (guide 3.4 image, 3.7 zoom/focus, 3.8 motion sensitivity).

Minimum and maximum come from the `range` of the Get answer. Image levels travel as 0-255
and are shown in percent.
"""

import math
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import Any

from homeassistant.components.number import (
    NumberDeviceClass,
    NumberEntity,
    NumberEntityDescription,
    NumberMode,
)
from homeassistant.const import PERCENTAGE, EntityCategory, UnitOfTime
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from . import ReolinkConfigEntry
from .api import CommandResult, ReolinkClient
from .api import fields as f
from .api.features import Feature
from .api.fields import Field
from .api.values import LensOp
from .capabilities import Supported, ability, can_zoom, is_hub
from .device import ReolinkDevice
from .settings import (
    ReolinkValueDescription,
    ReolinkValueEntity,
    async_setup_settings,
    has_field,
    slug,
)

PARALLEL_UPDATES = 1


@dataclass(frozen=True, kw_only=True)
class ReolinkNumberDescription(ReolinkValueDescription[float], NumberEntityDescription):
    """A number whose bounds `bounds_fn` reads from the answer's range."""

    bounds_fn: Callable[[CommandResult], tuple[float, float] | None]
    # The device value shown as 100 %, for levels whose raw scale means nothing to a user.
    percent_of: int | None = None
    entity_category: EntityCategory | None = EntityCategory.CONFIG
    mode: NumberMode = NumberMode.SLIDER


def field_number(
    *,
    key: str,
    field: Field[float | int],
    supported_fn: Supported,
    enabled: bool = True,
    set_fn: Callable[[ReolinkClient, int | None, float], Awaitable[Any]] | None = None,
    category: EntityCategory | None = EntityCategory.CONFIG,
    usual_bounds: tuple[float, float] | None = None,
) -> ReolinkNumberDescription:
    """A number writing one numeric field, bounded by the answer's range.

    `usual_bounds` stand in where firmware sends no range for the field.
    """

    def bounds(result: CommandResult) -> tuple[float, float] | None:
        return field.bounds(result) or usual_bounds

    return ReolinkNumberDescription(
        key=key,
        translation_key=key,
        entity_category=category,
        source=field.source,
        supported_fn=supported_fn,
        value_fn=field.read,
        set_fn=set_fn or field.write,
        bounds_fn=bounds,
        exists_fn=lambda result: field.read(result.value) is not None
        and bounds(result) is not None,
        native_step=1,
        entity_registry_enabled_default=enabled,
    )


# GetImage levels are 8-bit (guide 3.4.1: range 0-255, default 128).
IMAGE_FULL_SCALE = 255


def _hidden(*, key: str, field: Field[float | int], feature: Feature) -> ReolinkNumberDescription:
    """A number few users need, created disabled."""
    return field_number(key=key, field=field, supported_fn=ability(feature), enabled=False)


def _image(*, key: str, field: Field[float | int], feature: Feature) -> ReolinkNumberDescription:
    """A GetImage level, shown in percent of its 8-bit scale."""
    description = _hidden(key=key, field=field, feature=feature)
    return replace(description, native_unit_of_measurement=PERCENTAGE, percent_of=IMAGE_FULL_SCALE)


def _zoom_focus(*, key: str, field: Field[float | int], op: LensOp) -> ReolinkNumberDescription:
    def move(client: ReolinkClient, channel: int | None, position: float) -> Awaitable[None]:
        return client.start_zoom_focus(channel or 0, op, int(position))

    return field_number(
        key=key,
        field=field,
        supported_fn=can_zoom,
        set_fn=move,
        category=None,
    )


VOLUME_BOUNDS = (0.0, 100.0)
# Pan limits of trackers: -1 (none) to 2700, as reolink_aio checks them.
TRACK_LIMIT_BOUNDS = (-1.0, 2700.0)


def _seconds(
    *, key: str, field: Field[float | int], supported_fn: Supported
) -> ReolinkNumberDescription:
    """A wait in seconds, bounded by the range (1-60 where none is sent), created disabled."""
    description = field_number(
        key=key, field=field, supported_fn=supported_fn, enabled=False, usual_bounds=(1.0, 60.0)
    )
    return replace(
        description,
        native_unit_of_measurement=UnitOfTime.SECONDS,
        device_class=NumberDeviceClass.DURATION,
    )


def _volume(*, key: str, field: Field[float | int]) -> ReolinkNumberDescription:
    """A speaker or doorbell volume in percent; exists where GetAudioCfg carries it."""
    description = field_number(
        key=key,
        field=field,
        supported_fn=ability(Feature.SUPPORT_AO_ADJUST),
        enabled=False,
        usual_bounds=VOLUME_BOUNDS,
    )
    return replace(description, native_unit_of_measurement=PERCENTAGE)


# The object kinds with their own GetAiAlarm settings (3.10.7); reolink_aio asks
# GetAiAlarm for every kind GetAiState supports. Entity keys use their slug.
AI_ALARM_KINDS = ("people", "vehicle", "dog_cat", "face", "package", "non-motor vehicle")


def _sensitivity(description: ReolinkNumberDescription) -> ReolinkNumberDescription:
    """A sensitivity is typed into a box: beside a slider a device page row leaves a name
    about 13 characters (and hides the value in a narrow card), and no clear name of a
    sensitivity is that short; the box leaves room for both."""
    return replace(description, mode=NumberMode.BOX)


def _ai_alarm_supported(*, kind: str, feature: Feature) -> Supported:
    """The kind is detected on the channel (device.ai_types) and the device has `feature`."""
    has_feature = ability(Feature.SUPPORT_AI, feature)

    def supported(device: ReolinkDevice, channel: int | None) -> bool:
        detects = channel is not None and kind in device.ai_types(channel)
        return detects and has_feature(device, channel)

    return supported


def _ai_alarm(*, kind: str, name: str, feature: Feature) -> ReolinkNumberDescription:
    """3.10.7 GetAiAlarm / 3.10.8 SetAiAlarm: one number per object kind."""
    field = f.ai_sensitivity(kind) if name == "sensitivity" else f.ai_stay_time(kind)
    key = f"ai_{slug(kind)}_{name}"
    description = field_number(
        key=key,
        field=field,
        supported_fn=_ai_alarm_supported(kind=kind, feature=feature),
        enabled=False,
    )
    if name == "delay":
        return replace(description, native_unit_of_measurement=UnitOfTime.SECONDS)
    return _sensitivity(description)


# GetPirInfo `sensitive` counts down: 1 is the most sensitive; shown the other way round.
PIR_SCALE_SUM = 101


def _pir_sensitivity(value: Any) -> float | None:
    raw = f.PIR_SENSITIVITY.read(value)
    return None if raw is None else PIR_SCALE_SUM - raw


def _pir_bounds(result: CommandResult) -> tuple[float, float] | None:
    bounds = f.PIR_SENSITIVITY.bounds(result)
    return None if bounds is None else (PIR_SCALE_SUM - bounds[1], PIR_SCALE_SUM - bounds[0])


def _set_pir_sensitivity(
    client: ReolinkClient, channel: int | None, shown: float
) -> Awaitable[None]:
    return f.PIR_SENSITIVITY.write(client, channel, PIR_SCALE_SUM - int(shown))


def _hub_volume(*, key: str, field: Field[float | int]) -> ReolinkNumberDescription:
    """One volume of the whole hub, read with channel 0's GetDeviceAudioCfg."""
    description = field_number(key=key, field=field, supported_fn=is_hub, enabled=False)
    return replace(description, per_channel=False, read_channel=0)


NUMBERS: tuple[ReolinkNumberDescription, ...] = (
    # 3.4.1 GetImage
    _image(key="brightness", field=f.IMAGE_BRIGHTNESS, feature=Feature.ISP_BRIGHT),
    _image(key="contrast", field=f.IMAGE_CONTRAST, feature=Feature.ISP_CONTRAST),
    _image(key="saturation", field=f.IMAGE_SATURATION, feature=Feature.ISP_SATRUATION),
    _image(key="hue", field=f.IMAGE_HUE, feature=Feature.ISP_HUE),
    _image(key="sharpness", field=f.IMAGE_SHARPNESS, feature=Feature.ISP_SHARPEN),
    # 3.4.5 GetIsp
    _hidden(
        key="backlight_compensation",
        field=f.ISP_BACKLIGHT_COMPENSATION,
        feature=Feature.ISP_BACK_LIGHT,
    ),
    _hidden(key="dynamic_range_control", field=f.ISP_DYNAMIC_RANGE, feature=Feature.ISP_BACK_LIGHT),
    field_number(
        key="day_night_threshold",
        field=f.ISP_DAY_NIGHT_THRESHOLD,
        supported_fn=ability(Feature.ISP_DAY_NIGHT, Feature.SUPPORT_THRESHOLD_ADJUST),
        enabled=False,
    ),
    # 3.8.3 GetMdAlarm
    _sensitivity(
        field_number(
            key="motion_sensitivity",
            field=f.MOTION_SENSITIVITY,
            supported_fn=ability(Feature.ALARM_MD),
        )
    ),
    # 3.7.12 GetZoomFocus, moved with 3.7.13 StartZoomFocus
    _zoom_focus(key="zoom", field=f.ZOOM_POSITION, op=LensOp.ZOOM),
    _zoom_focus(key="focus", field=f.FOCUS_POSITION, op=LensOp.FOCUS),
    # GetAudioCfg (not in the guide): 0-100 as reolink_aio checks them, where no range says.
    _volume(key="volume", field=f.SPEAKER_VOLUME),
    _volume(key="volume_speak", field=f.SPEAK_VOLUME),
    _volume(key="volume_doorbell", field=f.DOORBELL_VOLUME),
    # GetAutoReply: the wait before the automatic reply, 1-60 s as the vendor app offers.
    replace(
        field_number(
            key="auto_quick_reply_time",
            field=f.AUTO_REPLY_WAIT,
            supported_fn=ability(Feature.SUPPORT_AUTO_REPLY),
            enabled=False,
            usual_bounds=(1, 60),
        ),
        native_unit_of_measurement=UnitOfTime.SECONDS,
        device_class=NumberDeviceClass.DURATION,
    ),
    # GetAiCfg and GetPtzTraceSection of trackers (not in the guide).
    _seconds(
        key="auto_track_disappear_time",
        field=f.AI_TRACK_DISAPPEAR_TIME,
        supported_fn=ability(Feature.AI_TRACK),
    ),
    _seconds(
        key="auto_track_stop_time",
        field=f.AI_TRACK_STOP_TIME,
        supported_fn=ability(Feature.AI_TRACK),
    ),
    *(
        field_number(
            key=key,
            field=field,
            supported_fn=ability(Feature.SUPPORT_AI_TRACK_LIMIT),
            enabled=False,
            usual_bounds=TRACK_LIMIT_BOUNDS,
        )
        for key, field in (
            ("auto_track_limit_left", f.TRACK_LIMIT_LEFT),
            ("auto_track_limit_right", f.TRACK_LIMIT_RIGHT),
        )
    ),
    *(
        _ai_alarm(kind=kind, name="sensitivity", feature=Feature.SUPPORT_AI_SENSITIVITY)
        for kind in AI_ALARM_KINDS
    ),
    *(
        _ai_alarm(kind=kind, name="delay", feature=Feature.SUPPORT_AI_STAY_TIME)
        for kind in AI_ALARM_KINDS
    ),
    # Battery cameras: the PIR sensor
    replace(
        _sensitivity(
            field_number(
                key="pir_sensitivity",
                field=f.PIR_SENSITIVITY,
                supported_fn=ability(Feature.MD_WITH_PIR),
            )
        ),
        value_fn=_pir_sensitivity,
        set_fn=_set_pir_sensitivity,
        bounds_fn=_pir_bounds,
    ),
    replace(
        field_number(
            key="pir_interval",
            field=f.PIR_INTERVAL,
            supported_fn=ability(Feature.MD_WITH_PIR),
            enabled=False,
        ),
        native_unit_of_measurement=UnitOfTime.SECONDS,
    ),
    # Home Hub
    _hub_volume(key="hub_alarm_volume", field=f.HUB_ALARM_VOLUME),
    _hub_volume(key="hub_message_volume", field=f.HUB_MESSAGE_VOLUME),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: ReolinkConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """One number per supported numeric setting and channel, and each chime's volume."""
    chimes = chime_numbers(entry.runtime_data.device)
    await async_setup_settings(entry, (*NUMBERS, *chimes), ReolinkNumber, async_add_entities)


def chime_numbers(device: ReolinkDevice) -> list[ReolinkNumberDescription]:
    """The volume of each chime paired to the hub (DingDongOpt `volLevel`)."""
    descriptions = []
    for chime in device.chimes:
        volume = f.ChimeSettings(chime.id).volume
        description = field_number(
            key="chime_volume", field=volume, supported_fn=lambda device, channel: True
        )
        descriptions.append(
            replace(
                description,
                per_channel=False,
                chime=chime,
                bounds_fn=lambda result: f.CHIME_VOLUME_RANGE,
                exists_fn=has_field(volume),
            )
        )
    return descriptions


def half_up(value: float) -> int:
    """Round .5 up, always (Python's round() goes to even: 76.5 would become 76)."""
    return math.floor(value + 0.5)


class ReolinkNumber(NumberEntity, ReolinkValueEntity[float]):
    """A numeric setting bounded by the device's range."""

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
