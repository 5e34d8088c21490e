"""Real firmware refuses POSTs of more than 35 commands; an NVR-16 must never send one.

Also: a bad byte in one command's answer spoils only that command's entities.
"""

import time
from typing import Any

import pytest
from homeassistant.const import STATE_OFF, STATE_ON, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant

from custom_components.reolink_http import coordinator
from custom_components.reolink_http.coordinator import CHANNEL_STATUS_INTERVAL
from simulator import Simulator

from .conftest import add_device
from .helpers import (
    entity_id_of,
    event_polls,
    motion_entity,
    onvif_settled,
    other_requests,
    settings_asked,
)

FIRMWARE_LIMIT = 35


def batch_sizes(requests: list[list[str]]) -> list[int]:
    """Commands per logged API request."""
    return [len(commands) for commands in requests]


async def test_nvr16_never_sends_more_than_35_commands(
    hass: HomeAssistant, nvr16: Simulator
) -> None:
    """Setup, settings poll and events poll, as the simulator logged them.

    The events poll runs on its own timer meanwhile: requests are told apart by content.
    """
    entry = await add_device(hass, nvr16)
    setup = batch_sizes([request["commands"] for request in nvr16.requests])
    data = entry.runtime_data
    nvr16.clear_log()
    await data.settings.async_refresh()
    settings = batch_sizes(other_requests(nvr16))
    nvr16.clear_log()
    await data.events.async_refresh()
    events = event_polls(nvr16)
    online = [channel for channel in nvr16.state["channels"] if channel["online"]]

    assert max(setup) <= FIRMWARE_LIMIT
    assert max(settings) <= FIRMWARE_LIMIT
    assert sum(settings) == len(settings_asked(entry))
    # Every events poll, ours and any the timer sent, is one request for all channels.
    assert events
    # (with the channel list when it is due)
    assert all(
        [name for name in commands if name != "GetChannelstatus"] == ["GetEvents"] * len(online)
        for commands in events
    )
    assert len(online) <= FIRMWARE_LIMIT
    # No answer anywhere was the firmware's "send failed".
    assert data.settings.last_update_success
    assert all(
        result.error is None or result.error.code != -16 for result in data.settings.data.values()
    )


class LaterClock:
    """`time.monotonic` running ahead by `ahead` seconds (the events coordinator's clock)."""

    def __init__(self) -> None:
        self.ahead = 0.0

    def monotonic(self) -> float:
        return time.monotonic() + self.ahead


async def test_channel_list_read_on_the_slower_timer(
    hass: HomeAssistant, nvr: Simulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Events polls leave Getchannelstatus out until its interval has passed."""
    clock = LaterClock()
    monkeypatch.setattr(coordinator, "time", clock)
    entry = await add_device(hass, nvr)
    events = entry.runtime_data.events
    nvr.clear_log()
    await events.async_refresh()
    assert "GetChannelstatus" not in event_polls(nvr)[-1]
    clock.ahead = CHANNEL_STATUS_INTERVAL + 1
    nvr.clear_log()
    await events.async_refresh()
    assert event_polls(nvr)[-1][0] == "GetChannelstatus"
    nvr.clear_log()
    await events.async_refresh()
    assert "GetChannelstatus" not in event_polls(nvr)[-1]


async def test_channel_list_read_after_a_channel_errs(hass: HomeAssistant, nvr: Simulator) -> None:
    """A camera dropping off fails its GetEvents; the next poll asks for the channel list."""
    entry = await add_device(hass, nvr)
    # From here only the polls below run: the next scheduled one is minutes away.
    await onvif_settled(entry, nvr)
    events = entry.runtime_data.events
    camera = next(channel for channel in nvr.state["channels"] if channel["online"])
    nvr.patch_state({"channels": {str(camera["channel"]): {"online": False}}})
    await events.async_refresh()
    await hass.async_block_till_done()
    assert hass.states.get(motion_entity(hass, camera["uid"])).state == STATE_UNAVAILABLE
    nvr.clear_log()
    await events.async_refresh()
    commands: list[Any] = event_polls(nvr)[-1]
    assert commands[0] == "GetChannelstatus"
    assert not entry.runtime_data.device.channels[camera["channel"]].online
    nvr.clear_log()
    await events.async_refresh()
    assert "GetChannelstatus" not in event_polls(nvr)[-1]


async def test_invalid_utf8_in_one_answer_spares_the_rest(
    hass: HomeAssistant, ipc: Simulator
) -> None:
    """A bad byte in GetOsd's answer: read with U+FFFD in its place, the rest update too."""
    entry = await add_device(hass, ipc, enable=["osd_time", "mirroring"])
    osd_time = entity_id_of(hass, f"{entry.unique_id}_osd_time", "switch")
    mirror = entity_id_of(hass, f"{entry.unique_id}_mirroring", "switch")
    assert hass.states.get(osd_time).state == STATE_ON
    ipc.set_fault(invalid_utf8=["GetOsd"])
    ipc.patch_state({"channels": {"0": {"config": {"Isp": {"mirroring": 1}}}}})
    await entry.runtime_data.settings.async_refresh()
    await hass.async_block_till_done()
    assert entry.runtime_data.settings.last_update_success
    assert hass.states.get(osd_time).state == STATE_ON
    assert hass.states.get(mirror).state == STATE_ON

    ipc.patch_state({"channels": {"0": {"motion": True}}})
    await entry.runtime_data.events.async_refresh()
    await hass.async_block_till_done()
    assert hass.states.get(motion_entity(hass, entry.unique_id)).state == STATE_ON

    ipc.clear_faults()
    await entry.runtime_data.settings.async_refresh()
    await hass.async_block_till_done()
    assert hass.states.get(osd_time).state in (STATE_ON, STATE_OFF)
