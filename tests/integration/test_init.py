"""Setup, unload, devices, availability and login economy against the simulator."""

import asyncio
import logging

import pytest
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import STATE_OFF, STATE_ON, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr

from custom_components.reolink_http.api.client import MAX_BATCH
from custom_components.reolink_http.const import DOMAIN
from simulator import Simulator

from .conftest import PASSWORD, add_device
from .helpers import (
    device_by_identifier,
    entity_id_of,
    event_polls,
    motion_entity,
    other_requests,
    settings_asked,
)


async def test_setup_and_unload_leave_nothing(hass: HomeAssistant, ipc: Simulator) -> None:
    """Loading logs in once; unloading logs out, freeing the device's session slot."""
    entry = await add_device(hass, ipc)
    assert entry.state is ConfigEntryState.LOADED
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.NOT_LOADED
    assert ipc.requests[-1]["commands"] == ["Logout"]


async def test_camera_device_registry(hass: HomeAssistant, ipc: Simulator) -> None:
    """A camera is one device carrying model, firmware, serial and MAC."""
    entry = await add_device(hass, ipc)
    devices = dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
    assert len(devices) == 1
    device = devices[0]
    info = ipc.state["device"]
    assert device.model == info["model"]
    assert device.sw_version == info["firmVer"]
    assert device.hw_version == info["hardVer"]
    assert device.serial_number == info["serial"]
    assert (dr.CONNECTION_NETWORK_MAC, entry.unique_id) in device.connections
    assert device.configuration_url == ipc.url


async def test_nvr_channels_are_child_devices(hass: HomeAssistant, nvr: Simulator) -> None:
    """Each NVR channel is a device behind the hub, named and modelled after its camera."""
    entry = await add_device(hass, nvr)
    registry = dr.async_get(hass)
    devices = dr.async_entries_for_config_entry(registry, entry.entry_id)
    hub = device_by_identifier(hass, str(entry.unique_id))
    assert hub is not None
    children = [device for device in devices if device.via_device_id == hub.id]
    channels = nvr.state["channels"]
    assert len(children) == len(channels)
    assert {child.name for child in children} == {channel["name"] for channel in channels}
    # A port with nothing plugged in reports no model; the registry then has none either.
    assert {child.model for child in children} == {ch["model"] or None for ch in channels}


async def test_nvr_cameras_show_their_firmware(hass: HomeAssistant, nvr: Simulator) -> None:
    """Each online camera behind the NVR has its own firmware version on its device page."""
    entry = await add_device(hass, nvr)
    devices = dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
    firmware = {
        identifier: device.sw_version
        for device in devices
        for domain, identifier in device.identifiers
        if domain == DOMAIN
    }
    for channel in nvr.state["channels"]:
        expected = nvr.device.profile.channels[channel["channel"]].firmware
        if channel["online"]:
            assert firmware[channel["uid"]] == expected, channel["name"]
    assert firmware[entry.unique_id] == nvr.state["device"]["firmVer"]  # the hub's own


async def test_nvr_unique_ids_follow_camera_uid(hass: HomeAssistant, nvr: Simulator) -> None:
    """Entities of an NVR channel are keyed by its camera's UID, not its port number."""
    await add_device(hass, nvr)
    channel = nvr.state["channels"][0]
    assert channel["uid"]
    assert motion_entity(hass, channel["uid"])


async def test_offline_channel_only_affects_itself(hass: HomeAssistant, nvr: Simulator) -> None:
    """An offline NVR channel is unavailable; the others keep working; it comes back."""
    entry = await add_device(hass, nvr)
    events = entry.runtime_data.events
    channels = nvr.state["channels"]
    offline = next(channel for channel in channels if not channel["online"])
    online = next(channel for channel in channels if channel["online"])
    assert hass.states.get(motion_entity(hass, offline["uid"])).state == STATE_UNAVAILABLE
    assert hass.states.get(motion_entity(hass, online["uid"])).state == STATE_OFF
    # No snapshot link for the frontend to fetch in vain.
    offline_camera = hass.states.get(entity_id_of(hass, f"{offline['uid']}_camera", "camera"))
    assert "entity_picture" not in offline_camera.attributes
    online_camera = hass.states.get(entity_id_of(hass, f"{online['uid']}_camera", "camera"))
    assert online_camera.attributes["entity_picture"].startswith("/api/camera_proxy/")

    nvr.patch_state({"channels": {str(offline["channel"]): {"online": True, "motion": True}}})
    # The channel list is not re-read every events poll; a settings poll reads it.
    await events.async_refresh()
    await hass.async_block_till_done()
    assert hass.states.get(motion_entity(hass, offline["uid"])).state == STATE_UNAVAILABLE
    await entry.runtime_data.settings.async_refresh()
    nvr.clear_log()
    await events.async_refresh()
    await hass.async_block_till_done()
    polled = len(entry.runtime_data.device.online_channels())
    assert event_polls(nvr)[-1].count("GetEvents") == polled  # one POST for all
    assert hass.states.get(motion_entity(hass, offline["uid"])).state == STATE_ON

    nvr.patch_state({"channels": {str(online["channel"]): {"online": False}}})
    await events.async_refresh()
    await hass.async_block_till_done()
    assert hass.states.get(motion_entity(hass, online["uid"])).state == STATE_UNAVAILABLE
    assert hass.states.get(motion_entity(hass, offline["uid"])).state == STATE_ON


async def test_offline_channel_settings_wait_until_it_is_back(
    hass: HomeAssistant, nvr: Simulator
) -> None:
    """An offline channel's settings are not asked (it answers only errors); the poll
    whose own channel list shows it back reads them in a second request."""
    entry = await add_device(hass, nvr)
    settings = entry.runtime_data.settings
    offline = next(channel for channel in nvr.state["channels"] if not channel["online"])
    online = sum(1 for channel in nvr.state["channels"] if channel["online"])

    async def settings_poll() -> list[list[str]]:
        nvr.clear_log()
        await settings.async_refresh()
        return other_requests(nvr)

    offline_poll = await settings_poll()
    assert sum(request.count("GetMdAlarm") for request in offline_poll) == online
    assert settings.last_update_success
    nvr.patch_state({"channels": {str(offline["channel"]): {"online": True}}})
    back_poll = await settings_poll()
    assert len(back_poll) == len(offline_poll) + 1
    assert back_poll[-1].count("GetMdAlarm") == 1  # the channel back, at once
    online_poll = await settings_poll()
    assert sum(request.count("GetMdAlarm") for request in online_poll) == online + 1


async def test_one_failing_command_spares_the_rest(hass: HomeAssistant, ipc: Simulator) -> None:
    """When GetAiState fails, AI sensors go unavailable and motion keeps working.

    The camera is made to answer GetEvents with -9 (older firmware), so motion and
    AI state come from two commands.
    """
    ipc.set_fault(command_errors={"GetEvents": -9})
    entry = await add_device(hass, ipc)
    assert not entry.runtime_data.events.use_get_events
    person = entity_id_of(hass, f"{entry.unique_id}_person")
    motion = motion_entity(hass, entry.unique_id)
    ipc.set_fault(command_errors={"GetAiState": -12})
    ipc.patch_state({"channels": {"0": {"motion": True}}})
    await entry.runtime_data.events.async_refresh()
    await hass.async_block_till_done()
    assert hass.states.get(person).state == STATE_UNAVAILABLE
    assert hass.states.get(motion).state == STATE_ON
    ipc.clear_faults()
    await entry.runtime_data.events.async_refresh()
    await hass.async_block_till_done()
    assert hass.states.get(person).state == STATE_OFF


async def test_device_reboot_unavailable_then_back(hass: HomeAssistant, ipc: Simulator) -> None:
    """While the device reboots entities are unavailable; afterwards one new login."""
    entry = await add_device(hass, ipc)
    events = entry.runtime_data.events
    entity_id = motion_entity(hass, entry.unique_id)
    logins = ipc.login_count
    ipc.set_fault(reboot_seconds=1)
    await asyncio.sleep(0.1)  # the simulator goes down in a task of its own
    await events.async_refresh()
    await hass.async_block_till_done()
    assert hass.states.get(entity_id).state == STATE_UNAVAILABLE
    await asyncio.sleep(1.2)
    ipc.patch_state({"channels": {"0": {"motion": True}}})
    await events.async_refresh()
    await hass.async_block_till_done()
    assert hass.states.get(entity_id).state == STATE_ON
    assert ipc.login_count == logins + 1


async def test_transient_failure_retried_once(hass: HomeAssistant, ipc: Simulator) -> None:
    """A single dropped connection or 502 does not make anything unavailable."""
    entry = await add_device(hass, ipc)
    events = entry.runtime_data.events
    entity_id = motion_entity(hass, entry.unique_id)
    for fault in ({"drop_connection": True}, {"http_status": 502}):
        ipc.set_fault(count=1, **fault)
        await events.async_refresh()
        await hass.async_block_till_done()
        assert hass.states.get(entity_id).state == STATE_OFF, fault


async def test_steady_state_one_login(hass: HomeAssistant, nvr: Simulator) -> None:
    """However many entities and refreshes: no new login, one POST per events poll."""
    entry = await add_device(hass, nvr)
    data = entry.runtime_data
    settings_batch = len(settings_asked(entry))
    nvr.clear_log()
    online = len(data.device.online_channels())
    for _ in range(5):
        await data.events.async_refresh()
    assert nvr.login_count == 0
    # Its timer may add polls of its own; each is one POST, like the five asked for.
    polls = event_polls(nvr)
    assert len(polls) >= 5
    assert all(commands.count("GetEvents") == online for commands in polls)
    nvr.clear_log()
    await data.settings.async_refresh()
    assert nvr.login_count == 0
    settings = other_requests(nvr)
    assert len(settings) == -(-settings_batch // MAX_BATCH)
    # With ONVIF healthy the safety read's GetEvents fill the last request's spare room.
    assert sum(len(batch) - batch.count("GetEvents") for batch in settings) == settings_batch


async def test_unreachable_logged_once(
    hass: HomeAssistant, ipc: Simulator, caplog: pytest.LogCaptureFixture
) -> None:
    """A device that stays away is reported once, and its return once, not every poll."""
    entry = await add_device(hass, ipc)
    events = entry.runtime_data.events
    caplog.clear()
    ipc.set_fault(drop_connection=True)
    for _ in range(4):
        await events.async_refresh()
    ipc.clear_faults()
    await events.async_refresh()
    await events.async_refresh()
    messages = [record.getMessage() for record in caplog.records if record.levelno >= logging.INFO]
    assert sum("Error fetching" in message for message in messages) == 1
    assert sum("recovered" in message for message in messages) == 1
    assert PASSWORD not in caplog.text


@pytest.mark.parametrize("code", [-105, -5, -7])
async def test_refused_login_at_runtime_is_not_retried_in_a_storm(
    hass: HomeAssistant, ipc: Simulator, code: int
) -> None:
    """Rate limit, full sessions or a refused password while running: one Login, then waiting."""
    entry = await add_device(hass, ipc)
    events = entry.runtime_data.events
    motion = motion_entity(hass, entry.unique_id)
    ipc.set_fault(expire_tokens=True, command_errors={"Login": code})
    logins = ipc.login_count
    for _ in range(5):
        await events.async_refresh()
    await hass.async_block_till_done()
    assert ipc.login_count == logins + 1
    assert hass.states.get(motion).state == STATE_UNAVAILABLE
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    # Only a refused password asks the user; limits are waited out.
    assert [flow["context"]["source"] for flow in flows] == (["reauth"] if code == -7 else [])


async def test_device_down_at_start_retries_setup(hass: HomeAssistant, ipc: Simulator) -> None:
    """A device that is away when Home Assistant starts is retried, then loads."""
    entry = await add_device(hass, ipc)
    assert await hass.config_entries.async_unload(entry.entry_id)
    ipc.set_fault(drop_connection=True)
    assert not await hass.config_entries.async_setup(entry.entry_id)
    assert entry.state is ConfigEntryState.SETUP_RETRY
    ipc.clear_faults()
    await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    assert hass.states.get(motion_entity(hass, entry.unique_id)).state == STATE_OFF
