"""How many requests a device sees while Home Assistant sets it up."""

from homeassistant.core import HomeAssistant

from custom_components.reolink_http.api.client import MAX_BATCH
from simulator import Simulator

from .conftest import add_device
from .helpers import is_events_poll


async def _setup_requests(hass: HomeAssistant, sim: Simulator) -> list[list[str]]:
    """Command lists of the setup's requests after the config flow's own Login … Logout.

    The events poll starts its timer with the first refresh, so on a slow machine its
    polls fall among the setup's requests: only the first events poll is the setup's.
    """
    entry = await add_device(hass, sim)
    names = [request["commands"] for request in sim.requests]
    after_flow = names[names.index(["Logout"]) + 1 :]
    polls = [index for index, commands in enumerate(after_flow) if is_events_poll(commands)]
    setup = [
        commands
        for index, commands in enumerate(after_flow)
        if not is_events_poll(commands) or index == polls[0]
    ]
    assert setup[0] == ["Login"]
    assert is_events_poll(setup[2])  # the first refresh, right after the device facts
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
