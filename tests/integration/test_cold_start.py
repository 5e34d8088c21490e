"""How many requests a device sees while Home Assistant sets it up."""

from __future__ import annotations

from homeassistant.core import HomeAssistant

from custom_components.reolink_http.api.client import MAX_BATCH
from simulator import Simulator

from .conftest import add_device


async def _setup_requests(hass: HomeAssistant, sim: Simulator) -> list[list[str]]:
    """Command lists of the requests after the config flow's own Login … Logout."""
    entry = await add_device(hass, sim)
    names = [request["commands"] for request in sim.requests]
    setup = names[names.index(["Logout"]) + 1 :]
    assert setup[0] == ["Login"]
    settings = len(entry.runtime_data.settings.wanted_keys())
    assert sum(map(len, setup[3:])) >= settings
    return setup


async def test_camera_setup_requests(hass: HomeAssistant, ipc: Simulator) -> None:
    """Login, device facts, first events poll, one settings batch: 4 requests."""
    setup = await _setup_requests(hass, ipc)
    assert len(setup) == 4


async def test_nvr_setup_requests(hass: HomeAssistant, nvr: Simulator) -> None:
    """An NVR adds only the chunks its larger settings batch needs."""
    setup = await _setup_requests(hass, nvr)
    settings_commands = sum(map(len, setup[3:]))
    assert len(setup) == 3 + -(-settings_commands // MAX_BATCH)
