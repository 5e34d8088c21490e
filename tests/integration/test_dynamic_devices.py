"""NVR cameras plugged in, swapped or removed while the integration runs."""

import logging
from typing import Any

import pytest
from homeassistant.config_entries import ConfigEntry, ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.typing import WebSocketGenerator

from custom_components.reolink_http.const import DOMAIN
from simulator import Simulator

from .conftest import add_device
from .helpers import device_by_identifier

NEW_UID = "95270NEWCAMERA01"


def channel_device(hass: HomeAssistant, key: str) -> dr.DeviceEntry | None:
    """The child device registered for a channel key (camera UID or `<mac>_<channel>`)."""
    return device_by_identifier(hass, key)


def motion_entity_id(hass: HomeAssistant, key: str) -> str | None:
    """Entity ID of a channel's motion sensor, None when not registered."""
    return er.async_get(hass).async_get_entity_id("binary_sensor", DOMAIN, f"{key}_motion")


def device_ids(hass: HomeAssistant, entry: ConfigEntry) -> set[str]:
    """Device registry IDs of every device of the entry."""
    registry = dr.async_get(hass)
    return {device.id for device in dr.async_entries_for_config_entry(registry, entry.entry_id)}


async def poll_events(hass: HomeAssistant, entry: ConfigEntry) -> None:
    """A settings poll (it reads the channel list), one events poll, what they schedule."""
    await entry.runtime_data.settings.async_refresh()
    await entry.runtime_data.events.async_refresh()
    await hass.async_block_till_done()


def plug_camera(sim: Simulator, channel: int, uid: str, name: str) -> None:
    """Put a camera of the same model as channel 0 on a port of the NVR."""
    model = sim.state["channels"][0]["model"]
    patch: dict[str, Any] = {"uid": uid, "name": name, "online": True, "model": model}
    sim.patch_state({"channels": {str(channel): patch}})


async def test_swapped_camera_replaces_device_and_entities(
    hass: HomeAssistant, nvr: Simulator, caplog: pytest.LogCaptureFixture
) -> None:
    """A different camera on a port: its device and entities appear, the old ones go."""
    entry = await add_device(hass, nvr)
    old_uid = nvr.state["channels"][3]["uid"]
    old_data = entry.runtime_data
    assert channel_device(hass, old_uid) is not None
    assert motion_entity_id(hass, old_uid) is not None

    caplog.set_level(logging.INFO)
    plug_camera(nvr, 3, NEW_UID, "Garage")
    await poll_events(hass, entry)

    assert entry.state is ConfigEntryState.LOADED
    assert entry.runtime_data is not old_data
    new_device = channel_device(hass, NEW_UID)
    assert new_device is not None
    assert new_device.name == "Garage"
    hub = channel_device(hass, entry.unique_id or "")
    assert hub is not None
    assert new_device.via_device_id == hub.id
    entity_id = motion_entity_id(hass, NEW_UID)
    assert entity_id is not None
    state = hass.states.get(entity_id)
    assert state is not None
    assert state.state != STATE_UNAVAILABLE
    assert channel_device(hass, old_uid) is None
    assert motion_entity_id(hass, old_uid) is None
    found = [record for record in caplog.records if "new camera Garage" in record.getMessage()]
    assert len(found) == 1
    assert found[0].levelno == logging.INFO


async def test_camera_plugged_into_empty_port(hass: HomeAssistant, nvr: Simulator) -> None:
    """An empty port (offline, no UID) that gets a camera gains its device and entities."""
    nvr.patch_state({"channels": {"5": {"uid": "", "online": False}}})
    entry = await add_device(hass, nvr)
    port_key = f"{entry.unique_id}_5"
    assert channel_device(hass, port_key) is not None
    logins = nvr.login_count

    plug_camera(nvr, 5, NEW_UID, "Porch")
    await poll_events(hass, entry)

    assert nvr.login_count == logins + 1
    assert channel_device(hass, port_key) is None
    assert channel_device(hass, NEW_UID) is not None
    entity_id = motion_entity_id(hass, NEW_UID)
    assert entity_id is not None
    state = hass.states.get(entity_id)
    assert state is not None
    assert state.state != STATE_UNAVAILABLE


async def test_online_offline_flapping_does_not_reload(hass: HomeAssistant, nvr: Simulator) -> None:
    """Cameras dropping off and coming back only change availability."""
    entry = await add_device(hass, nvr)
    data = entry.runtime_data
    logins = nvr.login_count
    devices = device_ids(hass, entry)
    uid = nvr.state["channels"][2]["uid"]
    entity_id = motion_entity_id(hass, uid)
    assert entity_id is not None

    for online in (False, True, False, True):
        nvr.patch_state({"channels": {"2": {"online": online}, "5": {"online": online}}})
        await poll_events(hass, entry)
        state = hass.states.get(entity_id)
        assert state is not None
        assert (state.state == STATE_UNAVAILABLE) is not online

    assert entry.runtime_data is data
    assert nvr.login_count == logins
    assert device_ids(hass, entry) == devices


async def test_unplugged_camera_is_removed_at_next_setup(
    hass: HomeAssistant, nvr: Simulator
) -> None:
    """A port reporting no camera any more: no reload, but the next setup drops its device."""
    entry = await add_device(hass, nvr)
    old_uid = nvr.state["channels"][4]["uid"]
    data = entry.runtime_data
    nvr.patch_state({"channels": {"4": {"uid": "", "online": False, "model": ""}}})
    await poll_events(hass, entry)
    assert entry.runtime_data is data
    assert channel_device(hass, old_uid) is not None

    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()

    assert channel_device(hass, old_uid) is None
    assert motion_entity_id(hass, old_uid) is None
    assert channel_device(hass, f"{entry.unique_id}_4") is not None


async def test_devices_kept_when_channel_list_unreadable(
    hass: HomeAssistant, nvr: Simulator
) -> None:
    """Without Getchannelstatus nothing can be judged gone, so nothing is removed."""
    entry = await add_device(hass, nvr)
    devices = device_ids(hass, entry)
    nvr.set_fault(command_errors={"GetChannelstatus": -9})

    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()

    assert entry.state is ConfigEntryState.LOADED
    assert devices <= device_ids(hass, entry)

    # Once the list answers again the channels are picked up without the user.
    nvr.clear_faults()
    await poll_events(hass, entry)
    assert entry.runtime_data.device.channels_confirmed
    assert device_ids(hass, entry) == devices


async def remove_device(
    hass: HomeAssistant, ws: Any, entry: ConfigEntry, device_id: str
) -> dict[str, Any]:
    """Ask, like the device page's delete button, to remove a device from the entry."""
    await ws.send_json_auto_id(
        {
            "type": "config/device_registry/remove_config_entry",
            "config_entry_id": entry.entry_id,
            "device_id": device_id,
        }
    )
    response: dict[str, Any] = await ws.receive_json()
    await hass.async_block_till_done()
    return response


async def test_manual_removal_only_for_gone_devices(
    hass: HomeAssistant, nvr: Simulator, hass_ws_client: WebSocketGenerator
) -> None:
    """The hub and present cameras cannot be deleted; a camera no longer there can."""
    assert await async_setup_component(hass, "config", {})
    entry = await add_device(hass, nvr)
    registry = dr.async_get(hass)
    hub = channel_device(hass, entry.unique_id or "")
    present = channel_device(hass, nvr.state["channels"][1]["uid"])
    offline = channel_device(hass, nvr.state["channels"][5]["uid"])
    assert hub is not None
    assert present is not None
    assert offline is not None
    # Left in the registry by a camera that was on the NVR in an earlier run.
    gone = registry.async_get_or_create(
        config_entry_id=entry.entry_id,
        identifiers={(DOMAIN, "95270GONECAMERA1")},
        name="Old camera",
        via_device_id=hub.id,
    )
    ws = await hass_ws_client(hass)

    for kept in (hub, present, offline):
        response = await remove_device(hass, ws, entry, kept.id)
        assert not response["success"]
        assert registry.async_get(kept.id) is not None

    response = await remove_device(hass, ws, entry, gone.id)
    assert response["success"]
    assert registry.async_get(gone.id) is None
    assert entry.state is ConfigEntryState.LOADED


async def test_offline_camera_gets_the_same_entities(hass: HomeAssistant, nvr: Simulator) -> None:
    """A camera offline at setup gets the same entity types and IDs as once it is online."""
    nvr.patch_state({"channels": {"5": {"online": False}}})
    entry = await add_device(hass, nvr)
    key = nvr.state["channels"][5]["uid"]
    registry = er.async_get(hass)
    offline_ir = registry.async_get_entity_id("switch", DOMAIN, f"{key}_ir_lights")
    assert offline_ir is not None
    assert registry.async_get_entity_id("select", DOMAIN, f"{key}_ir_lights") is None

    model = nvr.state["channels"][0]["model"]
    nvr.patch_state({"channels": {"5": {"online": True, "model": model}}})
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert registry.async_get_entity_id("switch", DOMAIN, f"{key}_ir_lights") == offline_ir
    assert registry.async_get_entity_id("select", DOMAIN, f"{key}_ir_lights") is None
    state = hass.states.get(offline_ir)
    assert state is not None
    assert state.state != STATE_UNAVAILABLE


async def test_offline_camera_keeps_its_model(hass: HomeAssistant, nvr: Simulator) -> None:
    """A camera that reports no model while offline keeps the model it showed before."""
    model = nvr.state["channels"][0]["model"]
    nvr.patch_state({"channels": {"5": {"online": True, "model": model}}})
    entry = await add_device(hass, nvr)
    key = nvr.state["channels"][5]["uid"]
    device = channel_device(hass, key)
    assert device is not None
    assert device.model == model
    nvr.patch_state({"channels": {"5": {"online": False, "model": ""}}})
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    device = channel_device(hass, key)
    assert device is not None
    assert device.model == model
