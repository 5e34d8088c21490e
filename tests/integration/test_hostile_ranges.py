"""Ranges (`action: 1` answers) of other types than numbers, through Home Assistant."""

import pytest
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError

from simulator import Simulator

from .conftest import add_device
from .helpers import config, entity_id_of, keys_of


async def set_value(hass: HomeAssistant, entity_id: str, value: float) -> None:
    await hass.services.async_call(
        "number", "set_value", {"entity_id": entity_id, "value": value}, blocking=True
    )


async def test_bounds_sent_as_strings_are_read_as_numbers(
    hass: HomeAssistant, camera: Simulator
) -> None:
    """`{"min": "1", "max": "50"}`: the slider's bounds, and setting a value works."""
    camera.set_fault(range_values={"min": "1", "max": "50"})
    entry = await add_device(hass, camera)
    entity_id = entity_id_of(hass, f"{entry.unique_id}_motion_sensitivity", "number")
    attributes = hass.states.get(entity_id).attributes
    assert (attributes["min"], attributes["max"]) == (1, 50)
    await set_value(hass, entity_id, 40)
    assert config(camera, "MdAlarm")["newSens"]["sensDef"] == 40
    with pytest.raises(ServiceValidationError):
        await set_value(hass, entity_id, 51)


@pytest.mark.parametrize(
    "bounds",
    [{"min": "low", "max": "high"}, {"min": [1], "max": {"x": 2}}, {"min": 50, "max": "1"}],
    ids=["words", "containers", "reversed"],
)
async def test_bounds_that_are_no_numbers_leave_the_setting_out(
    hass: HomeAssistant, camera: Simulator, bounds: dict[str, object]
) -> None:
    """Without usable bounds a number entity is not made; the rest of the device is."""
    camera.set_fault(range_values=bounds)
    entry = await add_device(hass, camera)
    assert "motion_sensitivity" not in keys_of(hass, entry, "number")
    assert keys_of(hass, entry, "switch")
