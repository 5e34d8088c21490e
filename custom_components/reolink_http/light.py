"""The floodlight (white LED) with brightness (guide 3.10.5 GetWhiteLed, 3.10.6 SetWhiteLed)."""

from dataclasses import dataclass
from typing import Any

from homeassistant.components.light import LightEntity, LightEntityDescription
from homeassistant.components.light.const import ATTR_BRIGHTNESS, ColorMode
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from . import ReolinkConfigEntry
from .api import ReolinkClient
from .api import fields as f
from .api.features import Feature
from .capabilities import ability, spotlight
from .settings import (
    ReolinkValueDescription,
    ReolinkValueEntity,
    async_setup_settings,
    has_field,
)

PARALLEL_UPDATES = 1

DIMMABLE = ability(Feature.SUPPORT_FL_BRIGHTNESS)


@dataclass(frozen=True, slots=True)
class Floodlight:
    """What the light shows: on or off, and the device's brightness if it reports one."""

    on: bool
    brightness: int | None


@dataclass(frozen=True, kw_only=True)
class ReolinkLightDescription(ReolinkValueDescription[Floodlight], LightEntityDescription):
    """The white LED: `value_fn` gives its `Floodlight`, `set_fn` takes the wanted one."""


def _floodlight(value: Any) -> Floodlight | None:
    state = f.WHITE_LED_STATE.read(value)
    return None if state is None else Floodlight(bool(state), f.WHITE_LED_BRIGHTNESS.read(value))


async def _set_floodlight(client: ReolinkClient, channel: int | None, wanted: Floodlight) -> None:
    await client.set_floodlight(channel or 0, wanted.on, wanted.brightness)


FLOODLIGHT = ReolinkLightDescription(
    key="floodlight",
    translation_key="floodlight",
    source=f.WHITE_LED,
    supported_fn=spotlight,
    value_fn=_floodlight,
    set_fn=_set_floodlight,
    exists_fn=has_field(f.WHITE_LED_STATE),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: ReolinkConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """One floodlight per channel that has a switchable white LED."""
    await async_setup_settings(entry, (FLOODLIGHT,), ReolinkFloodlight, async_add_entities)


class ReolinkFloodlight(ReolinkValueEntity[Floodlight], LightEntity):
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
            DIMMABLE(self.coordinator.device, self.channel) and self._bright_range() is not None
        )
        return ColorMode.BRIGHTNESS if dimmable else ColorMode.ONOFF

    def _bright_range(self) -> tuple[float, float] | None:
        return f.WHITE_LED_BRIGHTNESS.bounds(self.result)

    @property
    def is_on(self) -> bool | None:
        """The LED's state as last written or read."""
        current = self.current
        return None if current is None else current.on

    @property
    def brightness(self) -> int | None:
        """The device's brightness scaled to 0-255."""
        current = self.current
        limits = self._bright_range()
        if limits is None or current is None or current.brightness is None:
            return None
        return round(current.brightness * 255 / limits[1])

    async def async_turn_on(self, **kwargs: Any) -> None:
        """Switch the LED on, at the requested brightness if one is given."""
        brightness = None
        limits = self._bright_range()
        if ATTR_BRIGHTNESS in kwargs and limits is not None:
            low, high = limits
            brightness = max(int(low), min(int(high), round(kwargs[ATTR_BRIGHTNESS] * high / 255)))
        await self._async_change(Floodlight(True, brightness))

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Switch the LED off."""
        await self._async_change(Floodlight(False, None))

    async def _async_change(self, wanted: Floodlight) -> None:
        """Send `wanted` (brightness None: unchanged); show it with the known brightness."""
        current = self.current
        known = current.brightness if current is not None else None
        shown = Floodlight(wanted.on, known if wanted.brightness is None else wanted.brightness)
        await self.async_write_setting(wanted, shown)
