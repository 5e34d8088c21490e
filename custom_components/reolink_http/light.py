"""The floodlight (white LED) with brightness (guide 3.10.5 GetWhiteLed, 3.10.6 SetWhiteLed)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from homeassistant.components.light import ATTR_BRIGHTNESS, LightEntity, LightEntityDescription
from homeassistant.components.light.const import ColorMode
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from . import ReolinkConfigEntry
from .api import ReolinkClient
from .settings import (
    Field,
    ReolinkValueDescription,
    ReolinkValueEntity,
    async_setup_settings,
    has_field,
    spotlight,
)

PARALLEL_UPDATES = 1

WHITE_LED_STATE = Field("WhiteLed", "state")
WHITE_LED_BRIGHT = Field("WhiteLed", "bright")


@dataclass(frozen=True, kw_only=True)
class ReolinkLightDescription(ReolinkValueDescription, LightEntityDescription):
    """The white LED: `value_fn` gives the WhiteLed settings, `set_fn` takes changed fields."""


def _white_led(value: Any) -> dict[str, Any] | None:
    settings = Field(None, "WhiteLed").read(value)
    return dict(settings) if isinstance(settings, dict) else None


async def _set_white_led(client: ReolinkClient, channel: int | None, settings: Any) -> None:
    await client.set_white_led(channel or 0, settings)


FLOODLIGHT = ReolinkLightDescription(
    key="floodlight",
    translation_key="floodlight",
    cmd="GetWhiteLed",
    supported_fn=spotlight,
    value_fn=_white_led,
    set_fn=_set_white_led,
    exists_fn=has_field(WHITE_LED_STATE),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: ReolinkConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """One floodlight per channel that has a switchable white LED."""
    await async_setup_settings(entry, (FLOODLIGHT,), ReolinkFloodlight, async_add_entities)


class ReolinkFloodlight(ReolinkValueEntity, LightEntity):
    """The white LED; brightness when GetAbility announces `supportFLBrightness`."""

    entity_description: ReolinkLightDescription

    @property
    def supported_color_modes(self) -> set[ColorMode]:
        """Brightness if the device can dim the LED, else only on/off."""
        return {self.color_mode}

    @property
    def color_mode(self) -> ColorMode:
        """Brightness if the device can dim the LED, else only on/off."""
        dimmable = (
            self.coordinator.device.abilities.supports("supportFLBrightness", self.channel)
            and self._bright_range() is not None
        )
        return ColorMode.BRIGHTNESS if dimmable else ColorMode.ONOFF

    def _bright_range(self) -> tuple[float, float] | None:
        return WHITE_LED_BRIGHT.limits(self.result).min_max(WHITE_LED_BRIGHT.full_path)

    @property
    def is_on(self) -> bool | None:
        """The LED's state as last written or read."""
        current = self.current
        return None if current is None else bool(current.get("state"))

    @property
    def brightness(self) -> int | None:
        """The device's brightness scaled to 0-255."""
        current = self.current
        limits = self._bright_range()
        bright = None if current is None else current.get("bright")
        if limits is None or not isinstance(bright, int):
            return None
        return round(bright * 255 / limits[1])

    async def async_turn_on(self, **kwargs: Any) -> None:
        """Switch the LED on, at the requested brightness if one is given."""
        change: dict[str, Any] = {"state": 1}
        limits = self._bright_range()
        if ATTR_BRIGHTNESS in kwargs and limits is not None:
            low, high = limits
            change["bright"] = max(
                int(low), min(int(high), round(kwargs[ATTR_BRIGHTNESS] * high / 255))
            )
        await self._async_change(change)

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Switch the LED off."""
        await self._async_change({"state": 0})

    async def _async_change(self, change: dict[str, Any]) -> None:
        shown = {**(self.current or {}), **change}
        await self.async_write_setting(change, shown)
