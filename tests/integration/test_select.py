"""Choice settings through Home Assistant's select service, checked on the simulator."""

import pytest
from homeassistant.const import STATE_UNKNOWN
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError

from custom_components.reolink_http.api import CommandResult
from custom_components.reolink_http.select import SELECTS, resolution_label
from simulator import Simulator

from .conftest import add_device
from .helpers import config, enable, entity_id_of, keys_of


async def choose(hass: HomeAssistant, entity_id: str, option: str) -> None:
    """Pick an option through the service call."""
    await hass.services.async_call(
        "select", "select_option", {"entity_id": entity_id, "option": option}, blocking=True
    )


@pytest.mark.parametrize(
    ("key", "family", "field", "option", "device_value"),
    [
        ("day_night", "Isp", "dayNight", "black_white", "Black&White"),
        ("anti_flicker", "Isp", "antiFlicker", "50hz", "50HZ"),
        ("exposure", "Isp", "exposure", "anti_smearing", "Anti-Smearing"),
        ("backlight", "Isp", "backLight", "dynamic_range_control", "DynamicRangeControl"),
        ("post_record", "RecV20", "postRec", "5_minutes", "5 Minutes"),
        ("pack_time", "RecV20", "packTime", "30_minutes", "30 Minutes"),
    ],
)
async def test_select_changes_device(
    hass: HomeAssistant,
    ipc: Simulator,
    key: str,
    family: str,
    field: str,
    option: str,
    device_value: str,
) -> None:
    """Options come from the range; choosing one writes the device's spelling."""
    entry = await add_device(hass, ipc, enable=[key])
    entity_id = entity_id_of(hass, f"{entry.unique_id}_{key}", "select")
    assert option in hass.states.get(entity_id).attributes["options"]
    await choose(hass, entity_id, option)
    # Schedule-version-1 objects keep most fields device-wide and a few per camera.
    held = {**ipc.state["config"].get(family, {}), **config(ipc, family)}
    assert held[field] == device_value
    assert hass.states.get(entity_id).state == option


async def test_options_follow_range(hass: HomeAssistant, ipc: Simulator) -> None:
    """The frame rates offered are exactly the range of the current resolution, in fps."""
    entry = await add_device(hass, ipc, enable=["main_frame_rate"])
    entity_id = entity_id_of(hass, f"{entry.unique_id}_main_frame_rate", "select")
    limits = ipc.device.range_of("Enc", 0)["mainStream"]["frameRate"]
    options = hass.states.get(entity_id).attributes["options"]
    assert options == [f"{rate} fps" for rate in limits]
    await choose(hass, entity_id, "15 fps")
    assert config(ipc, "Enc")["mainStream"]["frameRate"] == 15


async def test_unknown_option_refused(hass: HomeAssistant, ipc: Simulator) -> None:
    """An option outside the range never reaches the device."""
    entry = await add_device(hass, ipc, enable=["main_bit_rate"])
    entity_id = entity_id_of(hass, f"{entry.unique_id}_main_bit_rate", "select")
    ipc.clear_log()
    with pytest.raises((ServiceValidationError, HomeAssistantError)):
        await choose(hass, entity_id, "99999 kbps")
    assert config(ipc, "Enc")["mainStream"]["bitRate"] == 6144
    assert not any("SetEnc" in request["commands"] for request in ipc.requests)


async def test_sub_stream_selects_disabled_by_default(hass: HomeAssistant, ipc: Simulator) -> None:
    """Sub stream choices exist disabled; enabled, they write the sub stream."""
    entry = await add_device(hass, ipc)
    entity_id = entity_id_of(hass, f"{entry.unique_id}_sub_bit_rate", "select")
    assert hass.states.get(entity_id) is None
    await enable(hass, entry, entity_id)
    await choose(hass, entity_id, "512 kbps")
    assert config(ipc, "Enc")["subStream"]["bitRate"] == 512


async def test_floodlight_mode(hass: HomeAssistant, floodlight: Simulator) -> None:
    """The white LED mode select offers the guide's modes the range lists."""
    entry = await add_device(hass, floodlight)
    entity_id = entity_id_of(hass, f"{entry.unique_id}_floodlight_mode", "select")
    state = hass.states.get(entity_id)
    assert state.attributes["options"] == ["night", "on_motion", "schedule"]
    assert state.state == "on_motion"
    await choose(hass, entity_id, "schedule")
    assert config(floodlight, "WhiteLed")["mode"] == 2


async def test_ptz_preset_moves_camera(hass: HomeAssistant, ptz: Simulator) -> None:
    """Presets set on the device are the options; choosing one moves there (PtzCtrl ToPos)."""
    entry = await add_device(hass, ptz)
    entity_id = entity_id_of(hass, f"{entry.unique_id}_ptz_preset", "select")
    assert hass.states.get(entity_id).attributes["options"] == ["Gate", "Yard"]
    await choose(hass, entity_id, "Yard")
    assert ptz.device.ptz_motion[0] == "preset 2"


async def test_ptz_preset_stays_chosen(hass: HomeAssistant, ptz: Simulator) -> None:
    """The chosen preset stays shown across settings polls and the entity stays usable."""
    entry = await add_device(hass, ptz)
    entity_id = entity_id_of(hass, f"{entry.unique_id}_ptz_preset", "select")
    assert hass.states.get(entity_id).state == STATE_UNKNOWN
    await choose(hass, entity_id, "Gate")
    await entry.runtime_data.settings.async_refresh()
    await hass.async_block_till_done()
    state = hass.states.get(entity_id)
    assert state.state == "Gate"
    await choose(hass, entity_id, "Yard")
    assert hass.states.get(entity_id).state == "Yard"
    assert ptz.device.ptz_motion[0] == "preset 2"


async def test_no_ptz_or_floodlight_selects_on_bullet(hass: HomeAssistant, ipc: Simulator) -> None:
    """A bullet camera has neither presets nor a white LED."""
    entry = await add_device(hass, ipc)
    assert not {"ptz_preset", "floodlight_mode"} & keys_of(hass, entry, "select")


async def test_single_resolution_has_no_select(hass: HomeAssistant, ipc: Simulator) -> None:
    """The simulated camera offers one resolution per stream: nothing to choose, no select."""
    entry = await add_device(hass, ipc)
    assert isinstance(ipc.device.range_of("Enc", 0)["mainStream"]["size"], str)
    assert not {"main_resolution", "sub_resolution"} & keys_of(hass, entry, "select")
    assert "main_frame_rate" in keys_of(hass, entry, "select")


def test_resolution_label() -> None:
    """GetEnc's "3840*2160" reads as "3840 x 2160" with a multiplication sign."""
    assert resolution_label("3840*2160") == "3840 \N{MULTIPLICATION SIGN} 2160"


def test_no_select_with_a_single_choice() -> None:
    """A range with one value leaves nothing to choose: no select is created."""
    description = next(d for d in SELECTS if d.key == "pack_time")
    value = {"Rec": {"packTime": "60 Minutes"}}
    one = CommandResult("GetRecV20", value, range={"Rec": {"packTime": ["60 Minutes"]}})
    both = {"Rec": {"packTime": ["30 Minutes", "60 Minutes"]}}
    two = CommandResult("GetRecV20", value, range=both)
    assert not description.exists_fn(one)
    assert description.exists_fn(two)
