"""Entities are back within 5 s of the device answering, whatever the outage and event source.

Each test runs on the virtual clock: the outage starts, lasts until the events poll
has failed (with ONVIF healthy, the failed settings poll starts it) and a while more,
then the device answers again; the motion sensor and a settings switch must be
available within RECOVERY_LIMIT seconds of that moment.
"""

from collections.abc import Callable

import pytest
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.reolink_http.const import (
    CONF_EVENT_SOURCE,
    CONF_SETTINGS_INTERVAL,
    EVENT_SOURCE_POLLING,
)
from custom_components.reolink_http.coordinator import PROBE_GAP
from custom_components.reolink_http.onvif_events import SAFETY_POLL
from simulator import Simulator

from .conftest import add_device
from .helpers import motion_entity
from .virtual_clock import VirtualClock

RECOVERY_LIMIT = 5.0
# How long the outage goes on after the events poll first failed.
OUTAGE_AFTER_FAILURE = 10.0


def available(hass: HomeAssistant, entity_id: str) -> bool:
    state = hass.states.get(entity_id)
    return state is not None and state.state != STATE_UNAVAILABLE


def a_setting(hass: HomeAssistant, entry: MockConfigEntry) -> str:
    """An enabled, available switch of the entry (read by the settings poll)."""
    return next(
        entity.entity_id
        for entity in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
        if entity.domain == "switch" and not entity.disabled and available(hass, entity.entity_id)
    )


# How long the timeout outage holds each request, and the longest reboot (longer than
# any outage here).
HELD_SECONDS = 120.0


async def start_outage(sim: Simulator, kind: str) -> None:
    """The device stops answering its HTTP API, in the way `kind` says."""
    match kind:
        case "http_502":
            sim.set_fault(http_status=502)
        case "timeout":
            # Accepted, answered after longer than any outage here (the client gives up).
            sim.set_fault(latency_ms=HELD_SECONDS * 1000)
        case "dropped":
            sim.set_fault(drop_connection=True)
        case "tls_failure":
            sim.set_fault(tls_failure=True)
        case "reboot":
            # Listener closed (connections refused), tokens and ONVIF subscriptions gone,
            # until end_outage.
            await sim.reboot(HELD_SECONDS)
        case _:
            raise AssertionError(kind)


async def end_outage(sim: Simulator, kind: str, clock: VirtualClock) -> float:
    """Let the device answer again; returns the clock's time from which it does."""
    if kind == "reboot":
        sim.end_reboot()
        await sim.wait_online()
    else:
        sim.clear_faults()
    return clock.now


async def time_until(clock: VirtualClock, condition: Callable[[], bool], since: float) -> float:
    """Seconds of the clock from `since` until `condition` holds; fails beyond RECOVERY_LIMIT.

    The clock's own seconds: the work in between takes real time on top, which a busy
    machine stretches (benchmarks/outage_recovery.py measures that part).
    """
    while not condition():
        assert clock.now - since <= RECOVERY_LIMIT, "not back in time"
        await clock.advance(0.05)
    took = clock.now - since
    print(f"back after {took:.2f} s")  # the figure, with -s
    return took


async def prepare_source(
    hass: HomeAssistant, entry: MockConfigEntry, sim: Simulator, clock: VirtualClock, onvif: str
) -> None:
    """ONVIF subscribed, failing (port closed, polling instead) or switched off.

    Settings are read every 20 s, so an outage spans a settings poll too.
    """
    options = {**entry.options, CONF_SETTINGS_INTERVAL: 20}
    if onvif == "off":
        options[CONF_EVENT_SOURCE] = EVENT_SOURCE_POLLING
    hass.config_entries.async_update_entry(entry, options=options)
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    if onvif == "off":
        return
    health = entry.runtime_data.events.source.health
    await clock.advance_until(lambda: health.active == "onvif", within=5)
    if onvif == "failing":
        await sim.onvif.set_faults(port_closed=True)
        await clock.advance_until(lambda: health.active == "polling", within=5)


OUTAGES = ["http_502", "timeout", "dropped", "tls_failure", "reboot"]


@pytest.mark.timeout(240)
@pytest.mark.parametrize("onvif", ["healthy", "failing", "off"])
@pytest.mark.parametrize("kind", OUTAGES)
async def test_entities_back_within_5s(
    hass: HomeAssistant, ipc: Simulator, clock: VirtualClock, kind: str, onvif: str
) -> None:
    """Outage of each kind, with ONVIF healthy, failing or off: back within 5 s."""
    entry = await add_device(hass, ipc)
    await prepare_source(hass, entry, ipc, clock, onvif)
    setting = a_setting(hass, entry)

    await run_outage(hass, entry, ipc, clock, kind, setting)
    if kind == "timeout":
        await clock.advance(HELD_SECONDS)  # the requests it held are answered
    assert await hass.config_entries.async_unload(entry.entry_id)


async def run_outage(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    ipc: Simulator,
    clock: VirtualClock,
    kind: str,
    setting: str,
) -> None:
    """Outage, then the time until the motion sensor and `setting` are available again."""
    events = entry.runtime_data.events
    motion = motion_entity(hass, entry.unique_id)
    await start_outage(ipc, kind)
    # With ONVIF healthy the settings poll notices (every 20 s here) and starts the probe.
    await clock.advance_until(
        lambda: not available(hass, motion) and not available(hass, setting),
        within=SAFETY_POLL + 15,
    )
    assert events.failing
    await clock.advance(OUTAGE_AFTER_FAILURE)
    assert not available(hass, motion)

    back_at = await end_outage(ipc, kind, clock)
    took = await time_until(
        clock, lambda: available(hass, motion) and available(hass, setting), back_at
    )
    assert took <= RECOVERY_LIMIT


@pytest.mark.parametrize("late", [0.0, 1.1, 2.2, 3.3, 4.4])
async def test_back_within_5s_wherever_the_probe_stands(
    hass: HomeAssistant, ipc: Simulator, clock: VirtualClock, late: float
) -> None:
    """The device may answer anywhere between two probes of the events poll."""
    entry = await add_device(hass, ipc)
    await prepare_source(hass, entry, ipc, clock, "healthy")
    motion = motion_entity(hass, entry.unique_id)
    await start_outage(ipc, "http_502")
    await clock.advance_until(lambda: not available(hass, motion), within=SAFETY_POLL + 15)
    await clock.advance(OUTAGE_AFTER_FAILURE + late)
    back_at = await end_outage(ipc, "http_502", clock)
    assert await time_until(clock, lambda: available(hass, motion), back_at) <= RECOVERY_LIMIT


@pytest.mark.parametrize("kind", ["http_502", "dropped"])
async def test_outage_shorter_than_the_safety_poll(
    hass: HomeAssistant, ipc: Simulator, clock: VirtualClock, kind: str
) -> None:
    """ONVIF healthy, so the event poll runs seldom: the failed settings poll starts the
    probe at once, and settings are back within 5 s of the device answering."""
    entry = await add_device(hass, ipc)
    await prepare_source(hass, entry, ipc, clock, "healthy")
    setting = a_setting(hass, entry)
    events = entry.runtime_data.events
    # The poll scheduled while polling every second is replaced: the next is a safety poll.
    await events.async_refresh()
    await start_outage(ipc, kind)
    await clock.advance_until(lambda: not available(hass, setting), within=25)
    await clock.advance_until(lambda: events.failing, within=PROBE_GAP)
    back_at = await end_outage(ipc, kind, clock)
    await time_until(clock, lambda: available(hass, setting), back_at)
    assert clock.now - back_at < SAFETY_POLL
