"""Numeric settings through Home Assistant's number service, checked on the simulator."""

import pytest
from homeassistant.const import PERCENTAGE
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError

from simulator import Simulator

from .conftest import add_device
from .helpers import config, enable, entity_id_of, keys_of


async def set_value(hass: HomeAssistant, entity_id: str, value: float) -> None:
    """Set through the service call."""
    await hass.services.async_call(
        "number", "set_value", {"entity_id": entity_id, "value": value}, blocking=True
    )


@pytest.mark.parametrize(
    ("key", "family", "path", "value", "stored"),
    [
        # Image levels are set in percent of the device's 0-255.
        ("brightness", "Image", ("bright",), 50, 128),
        ("contrast", "Image", ("contrast",), 4, 10),
        ("saturation", "Image", ("saturation",), 100, 255),
        ("motion_sensitivity", "MdAlarm", ("newSens", "sensDef"), 40, 40),
    ],
)
async def test_number_changes_device(
    hass: HomeAssistant,
    ipc: Simulator,
    key: str,
    family: str,
    path: tuple[str, ...],
    value: int,
    stored: int,
) -> None:
    """The value is written to the device and shown."""
    entry = await add_device(hass, ipc, enable=[key])
    entity_id = entity_id_of(hass, f"{entry.unique_id}_{key}", "number")
    await set_value(hass, entity_id, value)
    settings = config(ipc, family)
    for part in path:
        settings = settings[part]
    assert settings == stored
    assert float(hass.states.get(entity_id).state) == value


IMAGE_LEVELS = ("brightness", "contrast", "saturation", "hue", "sharpness")


async def test_image_levels_in_percent(hass: HomeAssistant, ipc: Simulator) -> None:
    """0-255 on the device is 0-100 % in Home Assistant, whole percent, .5 rounded up."""
    entry = await add_device(hass, ipc, enable=IMAGE_LEVELS)
    for key in IMAGE_LEVELS:
        state = hass.states.get(entity_id_of(hass, f"{entry.unique_id}_{key}", "number"))
        # The device's default, 128 of 255, is 50.2 %.
        assert state.state == "50", key
        assert state.attributes["unit_of_measurement"] == PERCENTAGE
        assert (state.attributes["min"], state.attributes["max"]) == (0, 100)

    brightness = entity_id_of(hass, f"{entry.unique_id}_brightness", "number")
    ipc.patch_state({"channels": {"0": {"config": {"Image": {"bright": 255}}}}})
    await entry.runtime_data.settings.async_refresh()
    await hass.async_block_till_done()
    assert hass.states.get(brightness).state == "100"

    # 30 % is 76.5 of 255: rounded up, and read back as the same 30 %.
    await set_value(hass, brightness, 30)
    assert config(ipc, "Image")["bright"] == 77
    await entry.runtime_data.settings.async_refresh()
    await hass.async_block_till_done()
    assert hass.states.get(brightness).state == "30"


async def test_image_level_range_in_whole_percent_inside_the_device_range(
    hass: HomeAssistant, ipc: Simulator
) -> None:
    """A narrower device range stays narrower: the slider never offers a refused value."""
    ipc.device.range_of("Image", 0)["bright"] = {"min": 10, "max": 250}
    entry = await add_device(hass, ipc, enable=["brightness"])
    brightness = entity_id_of(hass, f"{entry.unique_id}_brightness", "number")
    attributes = hass.states.get(brightness).attributes
    # 10 / 2.55 = 3.9 and 250 / 2.55 = 98.04: the whole percents inside are 4 and 98.
    assert (attributes["min"], attributes["max"]) == (4, 98)
    await set_value(hass, brightness, 4)
    assert config(ipc, "Image")["bright"] == 10
    with pytest.raises(ServiceValidationError):
        await set_value(hass, brightness, 99)


async def test_bounds_from_range_and_out_of_range_refused(
    hass: HomeAssistant, ipc: Simulator
) -> None:
    """Min and max are the range's; a value beyond them leaves the device untouched."""
    entry = await add_device(hass, ipc)
    entity_id = entity_id_of(hass, f"{entry.unique_id}_motion_sensitivity", "number")
    limits = ipc.device.range_of("MdAlarm", 0)["newSens"]["sensDef"]
    attributes = hass.states.get(entity_id).attributes
    assert (attributes["min"], attributes["max"]) == (limits["min"], limits["max"])
    with pytest.raises((ServiceValidationError, HomeAssistantError)):
        await set_value(hass, entity_id, limits["max"] + 1)
    assert config(ipc, "MdAlarm")["newSens"]["sensDef"] == 25


async def test_disabled_isp_numbers(hass: HomeAssistant, ipc: Simulator) -> None:
    """Rarely used levels are disabled by default and work once enabled."""
    entry = await add_device(hass, ipc)
    entity_id = entity_id_of(hass, f"{entry.unique_id}_day_night_threshold", "number")
    assert hass.states.get(entity_id) is None
    await enable(hass, entry, entity_id)
    await set_value(hass, entity_id, 70)
    assert config(ipc, "Isp")["dayNightThreshold"] == 70


async def test_zoom_and_focus(hass: HomeAssistant, ptz: Simulator) -> None:
    """Zoom and focus move to absolute positions (StartZoomFocus) within the range."""
    entry = await add_device(hass, ptz)
    zoom = entity_id_of(hass, f"{entry.unique_id}_zoom", "number")
    assert hass.states.get(zoom).attributes["max"] == 33
    await set_value(hass, zoom, 12)
    assert config(ptz, "ZoomFocus")["zoom"]["pos"] == 12
    focus = entity_id_of(hass, f"{entry.unique_id}_focus", "number")
    await set_value(hass, focus, 100)
    assert config(ptz, "ZoomFocus")["focus"]["pos"] == 100
    with pytest.raises((ServiceValidationError, HomeAssistantError)):
        await set_value(hass, zoom, 34)
    assert config(ptz, "ZoomFocus")["zoom"]["pos"] == 12


async def test_no_zoom_on_fixed_camera(hass: HomeAssistant, ipc: Simulator) -> None:
    """A fixed-lens camera has no zoom or focus numbers."""
    entry = await add_device(hass, ipc)
    assert not {"zoom", "focus"} & keys_of(hass, entry, "number")


async def test_nvr_numbers_per_channel(hass: HomeAssistant, nvr: Simulator) -> None:
    """Each NVR channel has its own brightness."""
    await add_device(hass, nvr, enable=["brightness"])
    uid = nvr.state["channels"][3]["uid"]
    # 25 % of 255 is 63.75.
    await set_value(hass, entity_id_of(hass, f"{uid}_brightness", "number"), 25)
    assert config(nvr, "Image", 3)["bright"] == 64
    assert config(nvr, "Image", 2)["bright"] == 128


@pytest.mark.parametrize(
    ("kind", "name", "field", "value"),
    [
        ("people", "sensitivity", "sensitivity", 80),
        ("vehicle", "delay", "stay_time", 12),
        ("dog_cat", "sensitivity", "sensitivity", 5),
    ],
)
async def test_ai_alarm_numbers(
    hass: HomeAssistant, ipc: Simulator, kind: str, name: str, field: str, value: int
) -> None:
    """Per-kind AI sensitivity and delay (GetAiAlarm/SetAiAlarm with ai_type) reach the device."""
    entry = await add_device(hass, ipc)
    entity_id = entity_id_of(hass, f"{entry.unique_id}_ai_{kind}_{name}", "number")
    await enable(hass, entry, entity_id)
    limits = ipc.device.range_of("AiAlarm", 0)[field]
    attributes = hass.states.get(entity_id).attributes
    assert (attributes["min"], attributes["max"]) == (limits["min"], limits["max"])
    await set_value(hass, entity_id, value)
    alarms = config(ipc, "AiAlarm")
    assert alarms[kind][field] == value
    others = [other for other in alarms if other != kind]
    assert all(alarms[other][field] != value for other in others)
    assert float(hass.states.get(entity_id).state) == value
    with pytest.raises((ServiceValidationError, HomeAssistantError)):
        await set_value(hass, entity_id, 1000)
    assert config(ipc, "AiAlarm")[kind][field] == value


async def test_device_refusal_names_the_range(hass: HomeAssistant, ipc: Simulator) -> None:
    """When the device answers -4 the error says what it accepts; the state stays."""
    entry = await add_device(hass, ipc, enable=["brightness"])
    entity_id = entity_id_of(hass, f"{entry.unique_id}_brightness", "number")
    before = hass.states.get(entity_id).state
    ipc.set_fault(command_errors={"SetImage": -4})
    with pytest.raises(HomeAssistantError, match="Allowed: 0 to 100 %") as caught:
        await set_value(hass, entity_id, 100)
    assert caught.value.translation_key == "invalid_value"
    assert config(ipc, "Image")["bright"] == 128
    assert hass.states.get(entity_id).state == before
