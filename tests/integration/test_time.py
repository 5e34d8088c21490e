"""The floodlight schedule's start and end as time entities, against the simulator."""

from homeassistant.core import HomeAssistant

from simulator import Simulator

from .conftest import add_device
from .helpers import config, entity_id_of, keys_of

KEYS = ["floodlight_schedule_start", "floodlight_schedule_end"]


async def set_time(hass: HomeAssistant, entity_id: str, value: str) -> None:
    """Set through the time service."""
    await hass.services.async_call(
        "time", "set_value", {"entity_id": entity_id, "time": value}, blocking=True
    )


async def test_schedule_start_and_end(hass: HomeAssistant, floodlight: Simulator) -> None:
    """Each end is written with the whole LightingSchedule, the other end kept."""
    entry = await add_device(hass, floodlight, enable=KEYS)
    start = entity_id_of(hass, f"{entry.unique_id}_floodlight_schedule_start", "time")
    end = entity_id_of(hass, f"{entry.unique_id}_floodlight_schedule_end", "time")
    assert (hass.states.get(start).state, hass.states.get(end).state) == ("18:00:00", "06:00:00")

    await set_time(hass, start, "19:45:00")
    schedule = config(floodlight, "WhiteLed")["LightingSchedule"]
    assert schedule == {"StartHour": 19, "StartMin": 45, "EndHour": 6, "EndMin": 0}
    await set_time(hass, end, "05:30:00")
    schedule = config(floodlight, "WhiteLed")["LightingSchedule"]
    assert schedule == {"StartHour": 19, "StartMin": 45, "EndHour": 5, "EndMin": 30}
    assert (hass.states.get(start).state, hass.states.get(end).state) == ("19:45:00", "05:30:00")


async def test_no_schedule_without_a_floodlight(hass: HomeAssistant, ipc: Simulator) -> None:
    """A camera without a white LED has no time entities."""
    entry = await add_device(hass, ipc)
    assert keys_of(hass, entry, "time") == set()
