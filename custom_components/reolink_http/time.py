"""Times of day: when a floodlight's schedule starts and ends (3.10.6 LightingSchedule)."""

from dataclasses import dataclass
from datetime import time
from typing import Any

from homeassistant.components.time import TimeEntity, TimeEntityDescription
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from . import ReolinkConfigEntry
from .api import ReolinkClient
from .api import fields as f
from .api.features import Feature
from .capabilities import ability, both, spotlight
from .settings import ReolinkValueDescription, ReolinkValueEntity, async_setup_settings

PARALLEL_UPDATES = 1


@dataclass(frozen=True, kw_only=True)
class ReolinkTimeDescription(ReolinkValueDescription[time], TimeEntityDescription):
    """A time of day the device keeps as hour and minute."""

    entity_category: EntityCategory | None = EntityCategory.CONFIG


def _schedule_time(*, key: str, end: bool) -> ReolinkTimeDescription:
    """The floodlight schedule's start or `end`; writing one keeps the other."""

    def value_fn(value: Any) -> time | None:
        at = f.lighting_time(value, end)
        return None if at is None else time(*at)

    async def set_fn(client: ReolinkClient, channel: int | None, at: time) -> None:
        await f.write_lighting_time(client, channel, (at.hour, at.minute), end=end)

    return ReolinkTimeDescription(
        key=key,
        translation_key=key,
        source=f.WHITE_LED,
        supported_fn=both(spotlight, ability(Feature.SUPPORT_FL_SCHEDULE)),
        value_fn=value_fn,
        set_fn=set_fn,
        exists_fn=lambda result: f.lighting_time(result.value, end) is not None,
        entity_registry_enabled_default=False,
    )


TIMES: tuple[ReolinkTimeDescription, ...] = (
    _schedule_time(key="floodlight_schedule_start", end=False),
    _schedule_time(key="floodlight_schedule_end", end=True),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: ReolinkConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """The schedule's start and end on each floodlight channel."""
    await async_setup_settings(entry, TIMES, ReolinkTime, async_add_entities)


class ReolinkTime(ReolinkValueEntity[time], TimeEntity):
    """A time of day the device keeps as hour and minute."""

    entity_description: ReolinkTimeDescription

    @property
    def native_value(self) -> time | None:
        """The time as last written or read."""
        return self.current

    async def async_set_value(self, value: time) -> None:
        """Write the new hour and minute (seconds are dropped)."""
        at = value.replace(second=0, microsecond=0)
        await self.async_write_setting(at, at)
