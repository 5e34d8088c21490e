"""Storage, Wi-Fi and PTZ calibration sensors against the simulator."""

import pytest
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er

from simulator import Simulator

from .conftest import add_device
from .helpers import enable, entity_id_of, press, wait_for


def state_of(hass: HomeAssistant, entity_id: str) -> str:
    """The current state string of an entity."""
    state = hass.states.get(entity_id)
    assert state is not None, entity_id
    return state.state


async def test_sd_card_sensors(hass: HomeAssistant, camera: Simulator) -> None:
    """Used space and state come from GetHddInfo and follow the card."""
    entry = await add_device(hass, camera, enable=["storage_0_state"])
    used = entity_id_of(hass, f"{entry.unique_id}_storage_0_used", "sensor")
    card_state = entity_id_of(hass, f"{entry.unique_id}_storage_0_state", "sensor")
    disk = camera.state["hdd"][0]
    expected = round(100 * (disk["capacity"] - disk["size"]) / disk["capacity"], 1)
    assert float(state_of(hass, used)) == expected
    assert state_of(hass, card_state) == "ok"

    camera.patch_state({"hdd": {"0": {"size": disk["capacity"] // 2, "format": 0}}})
    await entry.runtime_data.settings.async_refresh()
    await hass.async_block_till_done()
    assert float(state_of(hass, used)) == 50.0
    assert state_of(hass, card_state) == "unformatted"


async def test_capacity_sensor_enabled_shows_gigabytes(
    hass: HomeAssistant, camera: Simulator
) -> None:
    """Capacity is off by default; enabled, it reports the card size."""
    entry = await add_device(hass, camera)
    capacity = entity_id_of(hass, f"{entry.unique_id}_storage_0_capacity", "sensor")
    assert hass.states.get(capacity) is None
    await enable(hass, entry, capacity)
    state = hass.states.get(capacity)
    assert state is not None
    assert state.attributes["unit_of_measurement"] == "GB"
    assert float(state.state) == pytest.approx(camera.state["hdd"][0]["capacity"] / 1000, 0.01)


async def test_wifi_camera_signal_no_storage(hass: HomeAssistant, wifi: Simulator) -> None:
    """A Wi-Fi camera reports its signal and, having no card, no storage sensors."""
    entry = await add_device(hass, wifi)
    signal = entity_id_of(hass, f"{entry.unique_id}_wifi_signal", "sensor")
    assert state_of(hass, signal) == "72"
    wifi.patch_state({"config": {"WifiSignal": {"wifiSignal": 40}}})
    await entry.runtime_data.settings.async_refresh()
    await hass.async_block_till_done()
    assert state_of(hass, signal) == "40"
    unique_ids = {
        e.unique_id for e in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
    }
    assert not {u for u in unique_ids if "_storage_" in u}


async def test_wired_camera_has_no_wifi_sensor(hass: HomeAssistant, camera: Simulator) -> None:
    """GetAbility says no Wi-Fi: no sensor and no GetWifiSignal on the wire."""
    entry = await add_device(hass, camera)
    registry = er.async_get(hass)
    assert (
        registry.async_get_entity_id("sensor", "reolink_http", f"{entry.unique_id}_wifi_signal")
        is None
    )
    assert not any("GetWifiSignal" in r["commands"] for r in camera.requests)


async def test_nvr_hdd_sensors_on_hub(hass: HomeAssistant, nvr16: Simulator) -> None:
    """An NVR's disk sensors are named after the disk and belong to the hub."""
    entry = await add_device(hass, nvr16)
    registry = er.async_get(hass)
    used = entity_id_of(hass, f"{entry.unique_id}_storage_0_used", "sensor")
    entity = registry.async_get(used)
    assert entity is not None
    assert entity.original_name == "HDD 1 used"
    reboot = registry.async_get(entity_id_of(hass, f"{entry.unique_id}_reboot", "button"))
    assert reboot is not None
    assert entity.device_id == reboot.device_id
    disk = nvr16.state["hdd"][0]
    assert float(state_of(hass, used)) == round(
        100 * (disk["capacity"] - disk["size"]) / disk["capacity"], 1
    )


async def test_ptz_calibration_state_follows_check(hass: HomeAssistant, ptz: Simulator) -> None:
    """Calibrating shows "running" at once and "finished" when the device is done."""
    entry = await add_device(hass, ptz, enable=["ptz_check_state", "ptz_calibrate"])
    sensor = entity_id_of(hass, f"{entry.unique_id}_ptz_check_state", "sensor")
    assert state_of(hass, sensor) == "idle"
    await press(hass, entity_id_of(hass, f"{entry.unique_id}_ptz_calibrate", "button"))
    assert state_of(hass, sensor) == "running"
    await wait_for(lambda: state_of(hass, sensor) == "finished", within=5.0)


async def test_sensor_unavailable_when_command_fails(
    hass: HomeAssistant, camera: Simulator
) -> None:
    """A refused GetHddInfo makes the storage sensors unavailable until it answers again."""
    entry = await add_device(hass, camera)
    used = entity_id_of(hass, f"{entry.unique_id}_storage_0_used", "sensor")
    camera.set_fault(command_errors={"GetHddInfo": -12})
    await entry.runtime_data.settings.async_refresh()
    await hass.async_block_till_done()
    assert state_of(hass, used) == STATE_UNAVAILABLE
    camera.clear_faults()
    await entry.runtime_data.settings.async_refresh()
    await hass.async_block_till_done()
    assert state_of(hass, used) != STATE_UNAVAILABLE
