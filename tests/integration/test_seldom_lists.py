"""Lists that change only when edited (PTZ presets and patrols, quick replies).

They ride in the room a settings poll's last request has spare, so an NVR-16's safety
read of events fits beside its settings; where no room is ever spare they are asked
every SELDOM_POLLS polls.
"""

from homeassistant.core import HomeAssistant

from custom_components.reolink_http import ReolinkConfigEntry
from custom_components.reolink_http.api.client import MAX_BATCH
from custom_components.reolink_http.api.fields import PTZ_PRESET
from custom_components.reolink_http.settings_coordinator import SELDOM_POLLS, SELDOM_SOURCES
from simulator import Simulator

from .conftest import add_device
from .helpers import entity_id_of, onvif_settled, sent, settings_asked, wait_for

SELDOM_COMMANDS = {source.command for source in SELDOM_SOURCES}


def seldom_sent(sim: Simulator) -> int:
    """How many seldom-changing lists the device was asked for."""
    return sum(sent(sim, command) for command in SELDOM_COMMANDS)


async def onvif_on(entry: ReolinkConfigEntry, sim: Simulator) -> None:
    """ONVIF subscribed and its initial states in: events are polled only for safety."""
    await wait_for(lambda: entry.runtime_data.events.polls_seldom, within=10)
    await onvif_settled(entry, sim)


async def test_nvr16_safety_read_rides_in_the_lists_room(
    hass: HomeAssistant, nvr16: Simulator
) -> None:
    """Settings and 15 GetEvents take the requests of the settings alone.

    The lists take what room is left, oldest first: each is read within two polls, so a
    preset added in the Reolink app shows by then.
    """
    entry = await add_device(hass, nvr16)
    await onvif_on(entry, nvr16)
    data = entry.runtime_data
    asked = settings_asked(entry)
    lists = [key for key in asked if key[0] in SELDOM_SOURCES]
    channel = next(channel for source, channel in lists if source == PTZ_PRESET)
    assert channel is not None
    preset = entity_id_of(hass, f"{data.device.channel_key(channel)}_ptz_preset", "select")
    nvr16.device.config("PtzPreset", channel)[2] |= {"enable": 1, "name": "Drive"}

    lists_read = 0
    for _ in range(2):
        nvr16.clear_log()
        await data.settings.async_refresh()
        assert len(nvr16.requests) == -(-len(asked) // MAX_BATCH)
        assert sent(nvr16, "GetEvents") == len(data.device.online_channels())
        assert 0 < seldom_sent(nvr16) < len(lists)
        lists_read += seldom_sent(nvr16)
    assert lists_read >= len(lists)
    state = hass.states.get(preset)
    assert state is not None
    assert "Drive" in state.attributes["options"]


async def test_lists_without_room_are_asked_every_few_polls(
    hass: HomeAssistant, ptz: Simulator
) -> None:
    """Polls with no room spare leave the lists until SELDOM_POLLS polls have not read them."""
    entry = await add_device(hass, ptz)
    await onvif_on(entry, ptz)
    settings = entry.runtime_data.settings
    lists = [key for key in settings_asked(entry) if key[0] in SELDOM_SOURCES]
    assert lists
    # The last request exactly full: nothing rides beside the other settings.
    entry.runtime_data.client.chunk_size = len(settings_asked(entry)) - len(lists)
    for poll in range(1, 2 * SELDOM_POLLS + 1):
        ptz.clear_log()
        await settings.async_refresh()
        assert sent(ptz, "GetIsp") == 1
        assert seldom_sent(ptz) == (len(lists) if poll % SELDOM_POLLS == 0 else 0)
