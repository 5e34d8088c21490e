"""Detection kinds beyond person/vehicle/animal: face, package and non-motor vehicle.

Their sensors and GetAiAlarm numbers exist where the device reports the kind, through
Home Assistant against the simulator.
"""

import pytest
from homeassistant.const import STATE_OFF, STATE_ON
from homeassistant.core import HomeAssistant

from simulator import Simulator

from .conftest import PASSWORD, add_device
from .helpers import entity_id_of, keys_of, wait_for


async def test_tracker_reports_face_and_non_motor_vehicle(
    hass: HomeAssistant, trackmix: Simulator
) -> None:
    """Non-motor vehicle has no GetAbility feature: the event answer's `support` creates it."""
    entry = await add_device(hass, trackmix)
    keys = keys_of(hass, entry, "binary_sensor")
    assert {"person", "vehicle", "animal", "face", "non_motor_vehicle"} <= keys
    assert "package" not in keys

    entity_id = entity_id_of(hass, f"{entry.unique_id}_non_motor_vehicle")
    assert hass.states.get(entity_id).state == STATE_OFF
    trackmix.patch_state({"channels": {"0": {"ai": {"non-motor vehicle": True}}}})
    await wait_for(lambda: hass.states.get(entity_id).state == STATE_ON, within=5)
    trackmix.patch_state({"channels": {"0": {"ai": {"non-motor vehicle": False}}}})
    await wait_for(lambda: hass.states.get(entity_id).state == STATE_OFF, within=5)


async def test_non_motor_vehicle_by_polling(hass: HomeAssistant, trackmix: Simulator) -> None:
    """Without ONVIF the GetEvents poll carries the kind too."""
    await trackmix.onvif.set_faults(port_closed=True)
    entry = await add_device(hass, trackmix)
    entity_id = entity_id_of(hass, f"{entry.unique_id}_non_motor_vehicle")
    trackmix.patch_state({"channels": {"0": {"ai": {"non-motor vehicle": True}}}})
    await entry.runtime_data.events.async_refresh()
    await hass.async_block_till_done()
    assert hass.states.get(entity_id).state == STATE_ON


@pytest.mark.parametrize(
    ("profile", "kind", "key"),
    [
        ("trackmix", "face", "face"),
        ("trackmix", "non-motor vehicle", "non_motor_vehicle"),
        ("doorbell", "package", "package"),
    ],
)
async def test_ai_sensitivity_and_delay(
    hass: HomeAssistant, profile: str, kind: str, key: str
) -> None:
    """SetAiAlarm with the kind's `ai_type` changes only that kind's settings."""
    async with Simulator(profile=profile, password=PASSWORD) as sim:
        await _set_sensitivity_and_delay(hass, sim, kind, key)


async def _set_sensitivity_and_delay(
    hass: HomeAssistant, sim: Simulator, kind: str, key: str
) -> None:
    sensitivity, delay = f"ai_{key}_sensitivity", f"ai_{key}_delay"
    entry = await add_device(hass, sim, enable=[sensitivity, delay])
    for suffix, value, field in ((sensitivity, 73, "sensitivity"), (delay, 4, "stay_time")):
        entity_id = entity_id_of(hass, f"{entry.unique_id}_{suffix}", "number")
        await hass.services.async_call(
            "number", "set_value", {"entity_id": entity_id, "value": value}, blocking=True
        )
        alarms = sim.device.settings("AiAlarm", 0)
        assert alarms[kind][field] == value
        assert alarms["people"][field] != value
        assert float(hass.states.get(entity_id).state) == value


async def test_kinds_a_device_lacks_have_no_numbers(hass: HomeAssistant, ipc: Simulator) -> None:
    """A camera reporting neither face, package nor non-motor vehicle has none of their entities."""
    entry = await add_device(hass, ipc)
    numbers = keys_of(hass, entry, "number")
    for key in ("face", "package", "non_motor_vehicle"):
        assert f"ai_{key}_sensitivity" not in numbers
        assert key not in keys_of(hass, entry, "binary_sensor")
