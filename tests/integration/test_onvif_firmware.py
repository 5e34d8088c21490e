"""ONVIF events from every firmware generation, and from devices that misbehave.

Each test sets up a simulator behaviour real firmware shows (a far-off clock, an old NVR
labelling every notification channel 0) or a hostile one (pulls answered at once, unreadable
notifications, broken answers, sources that are no number), then checks what Home Assistant
shows and what the device was sent.
"""

import asyncio
import logging
from datetime import timedelta

import pytest
from homeassistant.const import STATE_OFF, STATE_ON
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.reolink_http.onvif_events import SAFETY_POLL, OnvifEventSource
from custom_components.reolink_http.onvif_subscription import PULL_BURST, PULLS_PER_SECOND
from simulator import Simulator

from .conftest import add_device
from .helpers import motion_entity, wait_for
from .test_onvif_events import (
    fallback_logs,
    onvif_active,
    record_states,
    source_of,
)

GIVE_UP_LOG = "ONVIF notifications do not name their camera"


async def settled(entry: MockConfigEntry, sim: Simulator) -> OnvifEventSource:
    """A live subscription past its announcements, a pull open, the next poll minutes away.

    Whatever reaches Home Assistant after this was pushed, or polled because of a push.
    """
    source = await onvif_active(entry)
    await wait_for(lambda: source.health.notifications >= 9)
    await wait_for(lambda: sim.onvif.operations.count("PullMessages") >= 3)
    await entry.runtime_data.events.async_refresh()
    return source


async def retry(source: OnvifEventSource) -> None:
    """End the back-off wait once it has begun, as the device answering again does."""
    await wait_for(lambda: source.health.next_retry is not None)
    source.retry_now()


def tracebacks(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.exc_info]


async def test_device_clock_far_off(hass: HomeAssistant, ipc: Simulator) -> None:
    """A camera three hours ahead of us: tokens dated by its clock, events pushed."""
    await ipc.onvif.set_faults(clock_offset=3 * 3600)
    entry = await add_device(hass, ipc)
    source = await settled(entry, ipc)
    assert source.health.last_error is None
    entity_id = motion_entity(hass, entry.unique_id)
    ipc.clear_log()
    ipc.patch_state({"channels": {"0": {"motion": True}}})
    await wait_for(lambda: hass.states.get(entity_id).state == STATE_ON, within=2)
    assert ipc.requests == []


async def test_pulls_are_paced_whatever_they_return(hass: HomeAssistant, ipc: Simulator) -> None:
    """A device answering every pull at once with a notification is not asked in a loop."""
    entry = await add_device(hass, ipc)
    await onvif_active(entry)
    await ipc.onvif.set_faults(chatty=True)
    ipc.onvif.pull_times.clear()
    pulls = 4 * PULL_BURST
    await wait_for(lambda: len(ipc.onvif.pull_times) >= pulls, within=20)
    times = ipc.onvif.pull_times[:pulls]
    # After the burst, at most PULLS_PER_SECOND (a few ms of the loop aside); before the
    # pacing the device was asked hundreds of times a second.
    assert times[-1] - times[0] >= (pulls - 1 - PULL_BURST) / PULLS_PER_SECOND * 0.95
    # Events still arrive at once.
    await ipc.onvif.set_faults(chatty=False)
    entity_id = motion_entity(hass, entry.unique_id)
    ipc.patch_state({"channels": {"0": {"motion": True}}})
    await wait_for(lambda: hass.states.get(entity_id).state == STATE_ON, within=2)


async def test_unreadable_notifications_poll_at_once(
    hass: HomeAssistant, ipc: Simulator, caplog: pytest.LogCaptureFixture
) -> None:
    """Notifications nobody can read while the poll sees changes: unhealthy at once."""
    entry = await add_device(hass, ipc)
    source = await settled(entry, ipc)
    events = entry.runtime_data.events
    entity_id = motion_entity(hass, entry.unique_id)
    await ipc.onvif.set_faults(foreign_namespace=True)
    ipc.patch_state({"channels": {"0": {"motion": True}}})
    # The unreadable push asks for a poll; the poll sees the change.
    await wait_for(lambda: hass.states.get(entity_id).state == STATE_ON, within=3)
    await wait_for(lambda: source.health.active == "polling", within=3)
    assert events.update_interval == timedelta(seconds=1)
    assert "cannot be read" in (source.health.last_error or "")
    assert source.health.unreadable_notifications >= 2
    await wait_for(lambda: ipc.onvif.operations[-1] == "Unsubscribe", within=3)
    assert fallback_logs(caplog) == 1

    # A retry meets the same firmware: its subscription proves nothing, polling goes on.
    seen = source.health.unreadable_notifications
    await retry(source)
    await wait_for(lambda: ipc.onvif.operations.count("CreatePullPointSubscription") == 2)
    await wait_for(lambda: source.health.unreadable_notifications >= seen + 6)
    assert source.health.active == "polling"
    assert events.update_interval == timedelta(seconds=1)
    ipc.patch_state({"channels": {"0": {"motion": False}}})
    await wait_for(lambda: hass.states.get(entity_id).state == STATE_OFF, within=3)
    # That change ends the second subscription too; still one line in the log.
    await wait_for(lambda: ipc.onvif.subscription_count == 0)
    assert fallback_logs(caplog) == 1

    await ipc.onvif.clear_faults()
    await retry(source)
    await wait_for(lambda: source.health.active == "onvif")
    assert events.update_interval == timedelta(seconds=SAFETY_POLL)
    ipc.patch_state({"channels": {"0": {"motion": True}}})
    await wait_for(lambda: hass.states.get(entity_id).state == STATE_ON, within=2)


async def test_every_failure_gives_the_subscription_back(
    hass: HomeAssistant, ipc: Simulator
) -> None:
    """A broken answer ends the subscription on our side; the device gets it back too."""
    entry = await add_device(hass, ipc)
    source = await onvif_active(entry)
    assert ipc.onvif.subscription_count == 1
    await ipc.onvif.set_faults(broken_answers=True)
    ipc.patch_state({"channels": {"0": {"motion": True}}})  # answers the open pull, cut off
    await wait_for(lambda: source.health.active == "polling", within=5)
    assert "OnvifResponseError" in (source.health.last_error or "")
    await wait_for(lambda: ipc.onvif.subscription_count == 0, within=3)
    assert ipc.onvif.operations[-1] == "Unsubscribe"


async def test_utf16_answer_with_a_document_type_is_refused(
    hass: HomeAssistant, ipc: Simulator, caplog: pytest.LogCaptureFixture
) -> None:
    """An entity-expansion answer in UTF-16 is refused for its encoding, before any parsing:
    events fall back to the poll, the device gets its subscription back, nothing is logged
    above INFO from ONVIF (the fallback line is INFO in auto mode)."""
    entry = await add_device(hass, ipc)
    source = await onvif_active(entry)
    await ipc.onvif.set_faults(utf16_bomb=True)
    ipc.patch_state({"channels": {"0": {"motion": True}}})  # answers the open pull
    await wait_for(lambda: source.health.active == "polling", within=5)
    assert "not UTF-8" in (source.health.last_error or "")
    entity_id = motion_entity(hass, entry.unique_id)
    await wait_for(lambda: hass.states.get(entity_id).state == STATE_ON, within=5)
    await wait_for(lambda: ipc.onvif.subscription_count == 0, within=3)
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING and "onvif" in r.name]


async def test_old_nvr_labelling_every_channel_zero(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    nvr16: Simulator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Every notification says channel 0: the first camera's sensor never turns on, the
    NVR is polled from then on, logged once and shown in diagnostics."""
    await nvr16.onvif.set_faults(source="000")
    entry = await add_device(hass, nvr16)
    source = source_of(entry)
    await wait_for(lambda: nvr16.onvif.operations.count("PullMessages") >= 3, within=10)
    device = entry.runtime_data.device
    first = motion_entity(hass, device.channel_key(0))
    other = next(c for c in device.online_channels() if c != 0)
    target = motion_entity(hass, device.channel_key(other))
    first_states = record_states(hass, first)

    nvr16.patch_state({"channels": {str(other): {"motion": True}}})
    await wait_for(lambda: hass.states.get(target).state == STATE_ON, within=5)
    await wait_for(lambda: source.health.given_up is not None, within=5)
    assert hass.states.get(first).state == STATE_OFF
    assert STATE_ON not in first_states
    assert entry.runtime_data.events.update_interval == timedelta(seconds=1)
    await wait_for(lambda: nvr16.onvif.subscription_count == 0, within=3)
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    assert diagnostics["event_source"]["onvif_given_up"]
    assert diagnostics["event_source"]["active"] == "polling"

    # No retry: the firmware will not change until the entry is reloaded.
    await wait_for(lambda: not [t for t in asyncio.all_tasks() if "ONVIF" in t.get_name()])
    assert source.health.next_retry is None
    nvr16.patch_state({"channels": {str(other): {"motion": False}}})
    await wait_for(lambda: hass.states.get(target).state == STATE_OFF, within=5)
    assert STATE_ON not in first_states
    assert sum(GIVE_UP_LOG in r.getMessage() for r in caplog.records) == 1


@pytest.mark.parametrize("label", ["²", "1" * 4300], ids=["superscript-two", "4300-digits"])
async def test_source_that_is_no_number(
    hass: HomeAssistant, nvr16: Simulator, caplog: pytest.LogCaptureFixture, label: str
) -> None:
    """An NVR source of "²" or 4,300 digits: no traceback, the NVR is polled instead."""
    entry = await add_device(hass, nvr16)
    source = await onvif_active(entry)
    device = entry.runtime_data.device
    other = next(c for c in device.online_channels() if c != 0)
    target = motion_entity(hass, device.channel_key(other))
    await nvr16.onvif.set_faults(source=label)
    nvr16.patch_state({"channels": {str(other): {"motion": True}}})
    await wait_for(lambda: source.health.given_up is not None, within=5)
    await wait_for(lambda: hass.states.get(target).state == STATE_ON, within=5)
    assert tracebacks(caplog) == []
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(source.health.given_up or "") < 100
