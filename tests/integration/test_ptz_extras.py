"""PTZ extras, manual recording and CPU usage through Home Assistant against the simulator."""

import pytest
from homeassistant.const import STATE_OFF, STATE_ON
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError

from simulator import Simulator

from .conftest import add_device
from .helpers import config, entity_id_of, keys_of, press


@pytest.mark.parametrize(
    ("key", "pan", "tilt"),
    [
        ("ptz_left_up", -32, 32),
        ("ptz_left_down", -32, -32),
        ("ptz_right_up", 32, 32),
        ("ptz_right_down", 32, -32),
    ],
)
async def test_diagonal_buttons(
    hass: HomeAssistant, ptz: Simulator, key: str, pan: int, tilt: int
) -> None:
    """Each diagonal moves both axes its way (PtzCtrl), then stops."""
    entry = await add_device(hass, ptz, enable=[key])
    ptz.patch_state({"channels": {"0": {"ptz_position": {"Ppos": 1000, "Tpos": 400}}}})
    await press(hass, entity_id_of(hass, f"{entry.unique_id}_{key}", "button"))
    position = ptz.state["channels"][0]["ptz_position"]
    assert (position["Ppos"], position["Tpos"]) == (1000 + pan, 400 + tilt)
    assert ptz.device.ptz_motion[0] == ""


async def test_auto_button_scans_until_stopped(hass: HomeAssistant, ptz: Simulator) -> None:
    """PtzCtrl "Auto" is not followed by a stop."""
    entry = await add_device(hass, ptz, enable=["ptz_auto"])
    await press(hass, entity_id_of(hass, f"{entry.unique_id}_ptz_auto", "button"))
    assert ptz.device.ptz_motion[0] == "Auto"


async def test_diagonal_move_changes_the_position_sensors(
    hass: HomeAssistant, ptz: Simulator
) -> None:
    """GetPtzCurPos shows where the head points after a move."""
    keys = ["ptz_right_up", "ptz_pan_position", "ptz_tilt_position"]
    entry = await add_device(hass, ptz, enable=keys)
    pan = entity_id_of(hass, f"{entry.unique_id}_ptz_pan_position", "sensor")
    tilt = entity_id_of(hass, f"{entry.unique_id}_ptz_tilt_position", "sensor")
    assert (hass.states.get(pan).state, hass.states.get(tilt).state) == ("0", "0")
    await press(hass, entity_id_of(hass, f"{entry.unique_id}_ptz_right_up", "button"))
    await entry.runtime_data.settings.async_refresh()
    await hass.async_block_till_done()
    assert (hass.states.get(pan).state, hass.states.get(tilt).state) == ("32", "32")


async def test_fixed_camera_has_no_pan_tilt_extras(hass: HomeAssistant, ipc: Simulator) -> None:
    """No diagonal, auto or guard buttons and no position sensors without a pan/tilt head."""
    entry = await add_device(hass, ipc)
    buttons = keys_of(hass, entry, "button")
    assert not {"ptz_left_up", "ptz_auto", "ptz_guard_go_to"} & buttons
    assert not {"ptz_pan_position", "ptz_tilt_position"} & keys_of(hass, entry, "sensor")


async def test_guard_go_to_and_return_time(hass: HomeAssistant, ptz: Simulator) -> None:
    """Go to needs a stored guard position; the return time keeps the guard's on/off."""
    keys = ["ptz_guard_go_to", "ptz_guard_set", "ptz_guard_return_time", "ptz_guard"]
    entry = await add_device(hass, ptz, enable=keys)
    go_to = entity_id_of(hass, f"{entry.unique_id}_ptz_guard_go_to", "button")
    with pytest.raises(HomeAssistantError):
        await press(hass, go_to)
    await press(hass, entity_id_of(hass, f"{entry.unique_id}_ptz_guard_set", "button"))
    await press(hass, go_to)
    assert ptz.device.ptz_motion[0] == "guard"

    guard = entity_id_of(hass, f"{entry.unique_id}_ptz_guard", "switch")
    await hass.services.async_call("switch", "turn_on", {"entity_id": guard}, blocking=True)
    wait = entity_id_of(hass, f"{entry.unique_id}_ptz_guard_return_time", "select")
    assert hass.states.get(wait).attributes["options"] == ["60 s", "120 s", "300 s", "600 s"]
    await hass.services.async_call(
        "select", "select_option", {"entity_id": wait, "option": "300 s"}, blocking=True
    )
    assert (config(ptz, "PtzGuard")["timeout"], config(ptz, "PtzGuard")["benable"]) == (300, 1)
    assert hass.states.get(wait).state == "300 s"


async def test_manual_record(hass: HomeAssistant, nvr: Simulator) -> None:
    """SetManualRec per camera of an NVR."""
    entry = await add_device(hass, nvr, enable=["manual_record"])
    key = entry.runtime_data.device.channel_key(2)
    entity_id = entity_id_of(hass, f"{key}_manual_record", "switch")
    assert hass.states.get(entity_id).state == STATE_OFF
    await hass.services.async_call("switch", "turn_on", {"entity_id": entity_id}, blocking=True)
    assert config(nvr, "ManualRec", 2)["enable"] == 1
    assert config(nvr, "ManualRec", 1)["enable"] == 0
    assert hass.states.get(entity_id).state == STATE_ON


async def test_cpu_usage(hass: HomeAssistant, ipc: Simulator) -> None:
    """GetPerformance's `cpuUsed` in percent, on the device itself."""
    entry = await add_device(hass, ipc, enable=["cpu_usage"])
    entity_id = entity_id_of(hass, f"{entry.unique_id}_cpu_usage", "sensor")
    assert hass.states.get(entity_id).state == "23"
    ipc.patch_state({"performance": {"cpuUsed": 71}})
    await entry.runtime_data.settings.async_refresh()
    await hass.async_block_till_done()
    state = hass.states.get(entity_id)
    assert (state.state, state.attributes["unit_of_measurement"]) == ("71", "%")
