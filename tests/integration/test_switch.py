"""Switch settings against the simulator."""

from __future__ import annotations

from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er

from simulator import Simulator

from .conftest import add_device


async def test_smoke(hass: HomeAssistant, ipc: Simulator) -> None:
    entry = await add_device(hass, ipc)
    for e in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id):
        state = hass.states.get(e.entity_id)
        print(e.entity_id, e.unique_id, state.state if state else None, e.disabled_by)
    assert False
