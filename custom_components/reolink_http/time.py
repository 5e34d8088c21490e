"""Times of day: when a floodlight's schedule starts and ends (3.10.6 LightingSchedule)."""

from dataclasses import dataclass
from datetime import time
from typing import Any

from homeassistant.components.time import TimeEntity, TimeEntityDescription
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from . import ReolinkConfigEntry
from .api import fields as f
from .api.features import Feature
from .capabilities import ability, both, spotlight
from .settings import ReolinkValueDescription, ReolinkValueEntity, async_setup_settings

PARALLEL_UPDATES = 1


@dataclass(frozen=True, kw_only=True)
class ReolinkTimeDescription(ReolinkValueDescription, TimeEntityDescription):
    """One end of the floodlight schedule; `set_fn` takes (answer, end, (hour, minute))."""

    end: bool
    entity_category: EntityCategory | None = EntityCategory.CONFIG


def _schedule_time(key: str, end: bool) -> ReolinkTimeDescription:
    return ReolinkTimeDescription(
        key=key,
        translation_key=key,
        source=f.WHITE_LED,
        supported_fn=both(spotlight, ability(Feature.SUPPORT_FL_SCHEDULE)),
        value_fn=lambda value: f.lighting_time(value, end),
        set_fn=lambda client, channel, arg: f.write_lighting_time(client, channel, *arg),
        exists_fn=lambda result: f.lighting_time(result.value, end) is not None,
        end=end,
        entity_registry_enabled_default=False,
    )


TIMES: tuple[ReolinkTimeDescription, ...] = (
    _schedule_time("floodlight_schedule_start", end=False),
    _schedule_time("floodlight_schedule_end", end=True),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: ReolinkConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """The schedule's start and end on each floodlight channel."""
    await async_setup_settings(entry, TIMES, ReolinkTime, async_add_entities)


class ReolinkTime(ReolinkValueEntity, TimeEntity):
    """A time of day the device keeps as hour and minute."""

    entity_description: ReolinkTimeDescription

    @property
    def native_value(self) -> time | None:
        """The time as last written or read."""
        current: Any = self.current
        return None if current is None else time(current[0], current[1])

    async def async_set_value(self, value: time) -> None:
        """Write the new hour and minute, keeping the schedule's other end."""
        at = (value.hour, value.minute)
        argument = (self.answer_value, self.entity_description.end, at)
        await self.async_write_setting(argument, at)
