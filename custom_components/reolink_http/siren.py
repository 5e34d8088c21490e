"""The camera's siren (guide 3.8.12 AudioAlarmPlay).

The device does not report whether the siren sounds, so the state is the last
command sent. Availability follows the audio alarm settings (3.8.6 / 3.8.8).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from homeassistant.components.siren import SirenEntity, SirenEntityDescription
from homeassistant.components.siren.const import ATTR_DURATION, SirenEntityFeature
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.event import async_call_later

from . import ReolinkConfigEntry
from .api import ReolinkClient
from .api import fields as f
from .api.features import Feature
from .api.fields import Source
from .capabilities import Supported, ability, both, legacy, schedule_v20
from .settings import (
    ReolinkValueDescription,
    ReolinkValueEntity,
    async_setup_settings,
)

PARALLEL_UPDATES = 1


@dataclass(frozen=True, kw_only=True)
class ReolinkSirenDescription(ReolinkValueDescription[bool], SirenEntityDescription):
    """The siren of one channel; `set_fn` switches it on or off."""


async def _switch_siren(client: ReolinkClient, channel: int | None, turn_on: bool) -> None:
    await client.switch_siren(channel or 0, turn_on)


def _siren(*, source: Source, supported_fn: Supported) -> ReolinkSirenDescription:
    return ReolinkSirenDescription(
        key="siren",
        translation_key="siren",
        source=source,
        supported_fn=supported_fn,
        # Present whenever the audio alarm settings can be read.
        value_fn=lambda value: False,
        set_fn=_switch_siren,
    )


AUDIO_ALARM = ability(Feature.ALARM_AUDIO)
SIRENS: tuple[ReolinkSirenDescription, ...] = (
    _siren(source=f.AUDIO_ALARM_V20, supported_fn=both(AUDIO_ALARM, schedule_v20)),
    _siren(source=f.AUDIO_ALARM, supported_fn=legacy(AUDIO_ALARM)),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: ReolinkConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """One siren per channel with an audio alarm."""
    await async_setup_settings(entry, SIRENS, ReolinkSiren, async_add_entities)


class ReolinkSiren(ReolinkValueEntity[bool], SirenEntity):
    """Sounds the alarm until turned off, or for `duration` seconds."""

    entity_description: ReolinkSirenDescription
    _attr_assumed_state = True
    _attr_supported_features = (
        SirenEntityFeature.TURN_ON | SirenEntityFeature.TURN_OFF | SirenEntityFeature.DURATION
    )
    _sounding = False
    _stop_later: CALLBACK_TYPE | None = None

    @property
    def is_on(self) -> bool:
        """Whether the last command started the siren."""
        return self._sounding

    async def async_turn_on(self, **kwargs: Any) -> None:
        """Start the siren; with a duration it is switched off again after that time."""
        self._cancel_stop()
        await self.async_write_setting(True, True)
        self._sounding = True
        self.async_write_ha_state()
        duration = kwargs.get(ATTR_DURATION)
        if duration:
            self._stop_later = async_call_later(
                self.hass, timedelta(seconds=duration), self._async_stop_after_duration
            )

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Stop the siren."""
        self._cancel_stop()
        await self.async_write_setting(False, False)
        self._sounding = False
        self.async_write_ha_state()

    async def _async_stop_after_duration(self, _now: datetime) -> None:
        self._stop_later = None
        await self.async_turn_off()

    @callback
    def _cancel_stop(self) -> None:
        if self._stop_later is not None:
            self._stop_later()
            self._stop_later = None

    async def async_will_remove_from_hass(self) -> None:
        """Leave no timer behind when the entry unloads."""
        self._cancel_stop()
        await super().async_will_remove_from_hass()
