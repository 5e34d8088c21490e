"""ONVIF pull-point events against the simulator: lifecycle, faults and fallback, NVR channels."""

import asyncio
import json
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from homeassistant.const import EVENT_HOMEASSISTANT_STOP, STATE_OFF, STATE_ON, STATE_UNKNOWN
from homeassistant.core import Event, EventStateChangedData, HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import async_fire_time_changed
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.reolink_http.const import CONF_EVENT_SOURCE, DOMAIN
from custom_components.reolink_http.coordinator import ChannelEvents
from custom_components.reolink_http.onvif_events import (
    SAFETY_POLL,
    OnvifEventSource,
    ReolinkPushEventsCoordinator,
)
from custom_components.reolink_http.onvif_subscription import LIFETIME
from simulator import Simulator

from .conftest import PASSWORD, add_device
from .helpers import entity_id_of, event_polls, motion_entity, onvif_settled, wait_for

FALLBACK_LOG = "ONVIF events unavailable"


def source_of(entry: Any) -> OnvifEventSource:
    """The entry's event source."""
    events = entry.runtime_data.events
    assert isinstance(events, ReolinkPushEventsCoordinator)
    assert events.source is not None
    return events.source


async def onvif_active(entry: Any) -> OnvifEventSource:
    """Wait for a live subscription."""
    source = source_of(entry)
    await wait_for(lambda: source.health.active == "onvif", within=10)
    return source


def record_states(hass: HomeAssistant, entity_id: str) -> list[str]:
    """Every state `entity_id` is written with from now on."""
    seen: list[str] = []

    def _changed(event: Event[EventStateChangedData]) -> None:
        new_state = event.data["new_state"]
        if event.data["entity_id"] == entity_id and new_state is not None:
            seen.append(new_state.state)

    hass.bus.async_listen("state_changed", _changed)
    return seen


async def advance_until(
    hass: HomeAssistant, seconds: float, condition: Callable[[], bool], within: float
) -> None:
    """Move Home Assistant's clock `seconds` ahead until `condition` holds.

    Repeated, because a timer set a moment later (a retry scheduled after a failure that
    is still being handled) must not be skipped.
    """
    deadline = time.monotonic() + within
    while not condition():
        assert time.monotonic() < deadline, "condition not reached"
        async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=seconds))
        await asyncio.sleep(0.05)


async def retry_until(
    hass: HomeAssistant, source: OnvifEventSource, condition: Callable[[], bool], within: float
) -> None:
    """Let ONVIF retry until `condition` holds, moving the clock past each retry wait.

    Only while the source waits to retry: moved during an attempt, the clock would fire the
    attempt's own timeouts too (on a busy machine an attempt spans several moves).
    """
    deadline = time.monotonic() + within
    while not condition():
        assert time.monotonic() < deadline, "condition not reached"
        if source.health.next_retry is not None:
            async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=301))
        await asyncio.sleep(0.05)


def fallback_logs(caplog: pytest.LogCaptureFixture) -> int:
    return sum(FALLBACK_LOG in record.getMessage() for record in caplog.records)


async def test_subscription_slows_polling_and_pushes_motion(
    hass: HomeAssistant, ipc: Simulator
) -> None:
    """Once subscribed the poll slows to the safety poll; motion arrives with no API request."""
    entry = await add_device(hass, ipc)
    await onvif_active(entry)
    events = entry.runtime_data.events
    assert events.update_interval == timedelta(seconds=SAFETY_POLL)
    assert ipc.onvif.subscription_count == 1
    assert ipc.onvif.operations[:3] == [
        "GetSystemDateAndTime",
        "CreatePullPointSubscription",
        "PullMessages",
    ]

    entity_id = motion_entity(hass, entry.unique_id)
    await onvif_settled(entry, ipc)
    ipc.clear_log()
    ipc.patch_state({"channels": {"0": {"motion": True}}})
    await wait_for(lambda: hass.states.get(entity_id).state == STATE_ON, within=2)
    ipc.patch_state({"channels": {"0": {"motion": False}}})
    await wait_for(lambda: hass.states.get(entity_id).state == STATE_OFF, within=2)
    assert ipc.requests == []


async def test_subscribing_moves_the_poll_already_scheduled(
    hass: HomeAssistant, ipc: Simulator
) -> None:
    """The poll set a second after setup waits a safety poll once ONVIF answers."""
    entry = await add_device(hass, ipc)
    await onvif_active(entry)
    polls = len(event_polls(ipc))
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=30))
    await hass.async_block_till_done()
    assert len(event_polls(ipc)) == polls


async def test_subscription_is_renewed_not_recreated(hass: HomeAssistant, ipc: Simulator) -> None:
    """A subscription granted for 3 s is renewed before it ends and keeps delivering."""
    ipc.onvif.max_lifetime = 3
    entry = await add_device(hass, ipc)
    source = await onvif_active(entry)
    await wait_for(lambda: source.health.renewals >= 2, within=8)
    assert ipc.onvif.operations.count("CreatePullPointSubscription") == 1
    assert ipc.onvif.subscription_count == 1
    person = entity_id_of(hass, f"{entry.unique_id}_person")
    ipc.patch_state({"channels": {"0": {"ai": {"people": True}}}})
    await wait_for(lambda: hass.states.get(person).state == STATE_ON, within=2)


async def test_unload_unsubscribes(hass: HomeAssistant, ipc: Simulator) -> None:
    """Unloading ends the pull loop and frees the device's subscription slot."""
    entry = await add_device(hass, ipc)
    source = await onvif_active(entry)
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    assert ipc.onvif.operations[-1] == "Unsubscribe"
    assert ipc.onvif.subscription_count == 0
    assert source.coordinator.source is None
    assert not [task for task in asyncio.all_tasks() if "ONVIF" in task.get_name()]
    operations = len(ipc.onvif.operations)
    await asyncio.sleep(0.3)
    assert len(ipc.onvif.operations) == operations


async def _break(sim: Simulator, fault: str) -> None:
    if fault == "disabled":
        sim.patch_state({"config": {"NetPort": {"onvifEnable": 0}}})
    elif fault == "refused":
        await sim.onvif.set_faults(expire=True, refuse_subscriptions=True)
    elif fault == "expired":
        await sim.onvif.set_faults(expire=True)
    else:
        await sim.onvif.set_faults(**{fault: True})


async def _repair(sim: Simulator) -> None:
    sim.patch_state({"config": {"NetPort": {"onvifEnable": 1}}})
    await sim.onvif.clear_faults()


@pytest.mark.parametrize("fault", ["port_closed", "refused", "expired", "silent", "disabled"])
async def test_fault_falls_back_to_polling_and_returns(
    hass: HomeAssistant, ipc: Simulator, caplog: pytest.LogCaptureFixture, fault: str
) -> None:
    """Each ONVIF failure polls at the configured rate at once, logs once, and recovers."""
    # A short lifetime keeps PullMessages short, so a silent device is noticed quickly.
    ipc.onvif.max_lifetime = 4
    entry = await add_device(hass, ipc)
    source = await onvif_active(entry)
    events = entry.runtime_data.events
    entity_id = motion_entity(hass, entry.unique_id)

    await _break(ipc, fault)
    if fault == "expired":
        # An expired subscription is re-created by the next retry without help.
        await wait_for(lambda: source.health.active == "polling", within=10)
    else:
        await wait_for(lambda: source.health.active == "polling", within=12)
        assert events.update_interval == timedelta(seconds=1)
        # The poll alone now carries events.
        ipc.patch_state({"channels": {"0": {"motion": True}}})
        await advance_until(
            hass, 1.5, lambda: hass.states.get(entity_id).state == STATE_ON, within=5
        )
        # A retry while still broken stays on polling and says nothing more.
        await advance_until(
            hass,
            6,
            lambda: source.health.failures >= 2 or source.health.active == "onvif",
            within=15,
        )
        assert fallback_logs(caplog) == 1
        assert source.health.active == "polling"
        await _repair(ipc)

    await retry_until(hass, source, lambda: source.health.active == "onvif", within=15)
    assert events.update_interval == timedelta(seconds=SAFETY_POLL)
    assert fallback_logs(caplog) == 1
    ipc.patch_state({"channels": {"0": {"motion": False}}})
    await wait_for(lambda: hass.states.get(entity_id).state == STATE_OFF, within=5)


async def test_nvr_notifications_land_on_their_channel(
    hass: HomeAssistant, nvr16: Simulator
) -> None:
    """An NVR names the channel in each notification; only that camera's sensor changes."""
    entry = await add_device(hass, nvr16)
    await onvif_active(entry)
    registry = er.async_get(hass)
    people = {
        channel["uid"]: entity_id
        for channel in nvr16.state["channels"]
        if channel["online"]
        and (
            entity_id := registry.async_get_entity_id(
                "binary_sensor", DOMAIN, f"{channel['uid']}_person"
            )
        )
    }
    assert len(people) >= 3
    target = next(c for c in nvr16.state["channels"] if c["uid"] == list(people)[2])
    await onvif_settled(entry, nvr16)
    nvr16.clear_log()
    nvr16.patch_state({"channels": {str(target["channel"]): {"ai": {"people": True}}}})
    await wait_for(lambda: hass.states.get(people[target["uid"]]).state == STATE_ON, within=2)
    others = [hass.states.get(eid).state for uid, eid in people.items() if uid != target["uid"]]
    assert others == [STATE_OFF] * (len(people) - 1)
    # No poll: the only request is the detection's picture of that channel.
    picture = entity_id_of(hass, f"{target['uid']}_last_detection", "image")
    await wait_for(lambda: hass.states.get(picture).state != STATE_UNKNOWN, within=5)
    assert [request["commands"] for request in nvr16.requests] == [["Snap"]]


async def test_both_sources_reporting_one_event_change_state_once(
    hass: HomeAssistant, ipc: Simulator
) -> None:
    """A push and a poll of the same event write the state once each way."""
    entry = await add_device(hass, ipc)
    await onvif_active(entry)
    events = entry.runtime_data.events
    entity_id = motion_entity(hass, entry.unique_id)
    seen = record_states(hass, entity_id)
    for on, state in ((True, STATE_ON), (False, STATE_OFF)):
        ipc.patch_state({"channels": {"0": {"motion": on}}})
        await wait_for(lambda state=state: hass.states.get(entity_id).state == state, within=2)
        await events.async_refresh()
        await hass.async_block_till_done()
    assert seen == [STATE_ON, STATE_OFF]


async def test_stale_poll_does_not_undo_a_newer_push(hass: HomeAssistant, ipc: Simulator) -> None:
    """A poll sent before a push and answered after it keeps the pushed state."""
    entry = await add_device(hass, ipc)
    source = await onvif_active(entry)
    await onvif_settled(entry, ipc)
    entity_id = motion_entity(hass, entry.unique_id)
    poll_sent = time.monotonic()
    ipc.patch_state({"channels": {"0": {"motion": True}}})
    await wait_for(lambda: hass.states.get(entity_id).state == STATE_ON, within=2)
    stale = {0: ChannelEvents(motion=False, ai=source.coordinator.data[0].ai)}
    merged = source.merge(stale, poll_sent)
    assert merged[0].motion is True
    # A poll sent after the push is believed: the device missed telling us.
    later = source.merge(stale, time.monotonic())
    assert later[0].motion is False
    assert source.health.corrected_by_poll == 1


async def test_polling_option_never_subscribes(hass: HomeAssistant, ipc: Simulator) -> None:
    """Choosing polling in the options ends the subscription and polls every second."""
    entry = await add_device(hass, ipc)
    await onvif_active(entry)
    result = await hass.config_entries.options.async_init(entry.entry_id)
    await hass.config_entries.options.async_configure(
        result["flow_id"], {**entry.options, CONF_EVENT_SOURCE: "polling"}
    )
    await hass.async_block_till_done()
    assert ipc.onvif.subscription_count == 0
    assert ipc.onvif.operations[-1] == "Unsubscribe"
    operations = len(ipc.onvif.operations)
    await asyncio.sleep(0.3)
    assert len(ipc.onvif.operations) == operations
    assert entry.runtime_data.events.update_interval == timedelta(seconds=1)
    assert source_of(entry).diagnostics()["active"] == "polling"


async def test_diagnostics_show_event_source(
    hass: HomeAssistant, hass_client: ClientSessionGenerator, nvr16: Simulator
) -> None:
    """Diagnostics name the active source and its health, without secrets."""
    entry = await add_device(hass, nvr16)
    await onvif_active(entry)
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    source = diagnostics["event_source"]
    assert source["mode"] == "auto"
    assert source["active"] == "onvif"
    assert source["onvif_port"] == nvr16.onvif.port
    assert source["poll_interval"] == SAFETY_POLL
    assert 0 < source["subscription_expires_in"] <= LIFETIME
    assert source["last_error"] is None
    assert PASSWORD not in json.dumps(diagnostics)


async def test_motion_only_firmware_polls_for_the_ai_type(
    hass: HomeAssistant, ipc: Simulator
) -> None:
    """Firmware publishing motion alone: a pushed motion triggers one poll for the AI state.

    The person it finds is a detection: its picture (one Snap) follows the poll.
    """
    ipc.onvif.ai_topics = False
    entry = await add_device(hass, ipc)
    await onvif_active(entry)
    person = entity_id_of(hass, f"{entry.unique_id}_person")
    picture = entity_id_of(hass, f"{entry.unique_id}_last_detection", "image")
    await onvif_settled(entry, ipc)
    ipc.clear_log()
    ipc.patch_state({"channels": {"0": {"motion": True, "ai": {"people": True}}}})
    await wait_for(lambda: hass.states.get(person).state == STATE_ON, within=2)
    await wait_for(lambda: hass.states.get(picture).state != STATE_UNKNOWN, within=5)
    assert [request["commands"] for request in ipc.requests] == [["GetEvents"], ["Snap"]]


async def test_home_assistant_stop_unsubscribes(hass: HomeAssistant, ipc: Simulator) -> None:
    """Entries stay loaded when Home Assistant stops, yet the device gets its slot back."""
    entry = await add_device(hass, ipc)
    await onvif_active(entry)
    hass.bus.async_fire(EVENT_HOMEASSISTANT_STOP)
    await hass.async_block_till_done()
    assert ipc.onvif.operations[-1] == "Unsubscribe"
    assert ipc.onvif.subscription_count == 0


async def test_silence_after_subscribing_is_not_failure(
    hass: HomeAssistant, ipc: Simulator
) -> None:
    """Firmware without initial states: the first empty pull, answered on time, proves health."""
    ipc.onvif.initial_state = False
    ipc.onvif.max_pull_seconds = 0.5
    entry = await add_device(hass, ipc)
    source = await onvif_active(entry)
    assert source.health.notifications == 0
    assert source.health.failures == 0
    entity_id = motion_entity(hass, entry.unique_id)
    ipc.patch_state({"channels": {"0": {"motion": True}}})
    await wait_for(lambda: hass.states.get(entity_id).state == STATE_ON, within=2)


async def test_doorbell_press_is_pushed(hass: HomeAssistant, doorbell: Simulator) -> None:
    """The Visitor topic drives the doorbell's visitor sensor without a poll."""
    entry = await add_device(hass, doorbell)
    await onvif_active(entry)
    visitor = entity_id_of(hass, f"{entry.unique_id}_visitor")
    await onvif_settled(entry, doorbell)
    doorbell.clear_log()
    doorbell.patch_state({"channels": {"0": {"visitor": True}}})
    await wait_for(lambda: hass.states.get(visitor).state == STATE_ON, within=2)
    # No poll: the only request is the visitor's picture.
    picture = entity_id_of(hass, f"{entry.unique_id}_last_detection", "image")
    await wait_for(lambda: hass.states.get(picture).state != STATE_UNKNOWN, within=5)
    assert [request["commands"] for request in doorbell.requests] == [["Snap"]]


async def test_safety_read_rides_with_the_settings_poll(
    hass: HomeAssistant, ipc: Simulator
) -> None:
    """A camera's events commands fit beside its settings: one request carries both.

    A change ONVIF never sent is corrected by it; a read that changes nothing writes no
    state, and no events poll of its own follows.
    """
    entry = await add_device(hass, ipc)
    source = await onvif_active(entry)
    await onvif_settled(entry, ipc)
    data = entry.runtime_data
    entity_id = motion_entity(hass, entry.unique_id)
    await ipc.onvif.set_faults(deaf=True)
    ipc.clear_log()
    ipc.patch_state({"channels": {"0": {"motion": True}}})
    await data.settings.async_refresh()
    assert hass.states.get(entity_id).state == STATE_ON
    assert source.health.corrected_by_poll == 1
    (batch,) = [request["commands"] for request in ipc.requests]
    assert batch.count("GetEvents") == 1
    assert len(batch) == len(data.settings.wanted_keys()) + 1

    reported = hass.states.get(entity_id).last_reported
    await data.settings.async_refresh()
    assert hass.states.get(entity_id).last_reported == reported
    assert event_polls(ipc) == []


async def test_deaf_subscription_is_replaced(
    hass: HomeAssistant, ipc: Simulator, caplog: pytest.LogCaptureFixture
) -> None:
    """Pulls answered but changes never sent: two safety polls in a row catch it."""
    entry = await add_device(hass, ipc)
    source = await onvif_active(entry)
    await onvif_settled(entry, ipc)
    entity_id = motion_entity(hass, entry.unique_id)
    await ipc.onvif.set_faults(deaf=True)
    for on, state in ((True, STATE_ON), (False, STATE_OFF)):
        ipc.patch_state({"channels": {"0": {"motion": on}}})
        # One safety poll each: started here, not by a timer, so no other poll falls between.
        await entry.runtime_data.events.async_refresh()
        assert hass.states.get(entity_id).state == state
    await wait_for(lambda: source.health.active == "polling", within=10)
    assert source.health.corrected_by_poll == 2
    assert "EventsMissedError" in (source.health.last_error or "")
    # The fallback polls first, then gives the device its subscription slot back.
    await wait_for(lambda: ipc.onvif.operations[-1] == "Unsubscribe", within=10)
    assert fallback_logs(caplog) == 1

    await ipc.onvif.clear_faults()
    await retry_until(hass, source, lambda: source.health.active == "onvif", within=10)
    ipc.patch_state({"channels": {"0": {"motion": True}}})
    await wait_for(lambda: hass.states.get(entity_id).state == STATE_ON, within=5)
