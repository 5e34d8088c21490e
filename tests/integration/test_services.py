"""The ptz_move and ptz_save_preset actions: effect on the device and validation."""

from typing import Any

import probatio as vol
import pytest
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.setup import async_setup_component

from custom_components.reolink_http.const import DOMAIN
from simulator import Simulator

from .conftest import add_device, profile_simulator
from .helpers import device_id, sent, wait_for


async def call(hass: HomeAssistant, service: str, data: dict[str, Any]) -> None:
    """Call one of the integration's actions and wait for it."""
    await hass.services.async_call(DOMAIN, service, data, blocking=True)


def presets(sim: Simulator) -> list[dict[str, Any]]:
    """The PTZ presets channel 0 stores now."""
    return list(sim.state["channels"][0]["config"]["PtzPreset"])


async def test_ptz_move_moves_then_stops(hass: HomeAssistant, ptz: Simulator) -> None:
    """The camera turns in the asked direction for the asked time, then stops."""
    entry = await add_device(hass, ptz)
    target = device_id(hass, str(entry.unique_id))
    moving = hass.async_create_task(
        call(
            hass,
            "ptz_move",
            {"device_id": target, "direction": "right_up", "speed": 10, "duration": 0.3},
        )
    )
    await wait_for(lambda: ptz.device.ptz_motion.get(0) == "RightUp")
    await moving
    assert ptz.device.ptz_motion[0] == ""


async def test_ptz_move_zoom(hass: HomeAssistant, ptz: Simulator) -> None:
    """Zooming in through the action moves the lens."""
    entry = await add_device(hass, ptz)
    await call(
        hass,
        "ptz_move",
        {
            "device_id": device_id(hass, str(entry.unique_id)),
            "direction": "zoom_in",
            "duration": 0.1,
        },
    )
    assert ptz.state["channels"][0]["config"]["ZoomFocus"]["zoom"]["pos"] == 1


async def test_ptz_move_on_fixed_camera_is_refused(hass: HomeAssistant, camera: Simulator) -> None:
    """A camera without PTZ gets nothing sent; the user gets a validation error."""
    entry = await add_device(hass, camera)
    camera.clear_log()
    with pytest.raises(ServiceValidationError) as caught:
        await call(
            hass,
            "ptz_move",
            {"device_id": device_id(hass, str(entry.unique_id)), "direction": "left"},
        )
    assert caught.value.translation_key == "ptz_not_supported"
    assert sent(camera, "PtzCtrl") == 0


async def test_ptz_move_on_zoom_only_camera(hass: HomeAssistant) -> None:
    """A zoom lens (`ptzType` 1) zooms through the action but refuses pan and tilt."""
    async for zoom in profile_simulator("zoom"):
        entry = await add_device(hass, zoom)
        target = device_id(hass, str(entry.unique_id))
        zoom.clear_log()
        with pytest.raises(ServiceValidationError) as caught:
            await call(hass, "ptz_move", {"device_id": target, "direction": "left"})
        assert caught.value.translation_key == "ptz_not_supported"
        assert sent(zoom, "PtzCtrl") == 0
        await call(hass, "ptz_move", {"device_id": target, "direction": "zoom_in", "duration": 0.1})
        assert sent(zoom, "PtzCtrl") == 2
        assert await hass.config_entries.async_unload(entry.entry_id)


@pytest.mark.parametrize(
    "data",
    [
        {"direction": "sideways"},
        {"direction": "left", "speed": 65},
        {"direction": "left", "speed": 0},
        {"direction": "left", "duration": 60},
    ],
)
async def test_ptz_move_schema(hass: HomeAssistant, ptz: Simulator, data: dict[str, Any]) -> None:
    """Unknown directions, speeds or durations out of range never reach the device."""
    entry = await add_device(hass, ptz)
    ptz.clear_log()
    with pytest.raises(vol.Invalid):
        await call(hass, "ptz_move", {"device_id": device_id(hass, str(entry.unique_id)), **data})
    assert sent(ptz, "PtzCtrl") == 0


async def test_nvr_hub_is_not_a_camera(hass: HomeAssistant, nvr16: Simulator) -> None:
    """Targeting the NVR itself rather than one of its channels is refused."""
    entry = await add_device(hass, nvr16)
    with pytest.raises(ServiceValidationError) as caught:
        await call(
            hass,
            "ptz_move",
            {"device_id": device_id(hass, str(entry.unique_id)), "direction": "left"},
        )
    assert caught.value.translation_key == "not_a_camera"


async def test_nvr_channel_without_ptz(hass: HomeAssistant, nvr16: Simulator) -> None:
    """A channel is resolved through its camera's UID and checked for PTZ."""
    await add_device(hass, nvr16)
    channel = nvr16.state["channels"][0]
    with pytest.raises(ServiceValidationError) as caught:
        await call(
            hass, "ptz_move", {"device_id": device_id(hass, channel["uid"]), "direction": "up"}
        )
    assert caught.value.translation_key == "ptz_not_supported"
    assert sent(nvr16, "PtzCtrl") == 0


async def test_unknown_device(hass: HomeAssistant, ptz: Simulator) -> None:
    """A device ID that does not exist is a validation error."""
    await add_device(hass, ptz)
    with pytest.raises(ServiceValidationError):
        await call(hass, "ptz_move", {"device_id": "no-such-device", "direction": "up"})


async def test_save_preset(hass: HomeAssistant, ptz: Simulator) -> None:
    """The current position is stored under the given slot and name."""
    entry = await add_device(hass, ptz)
    assert presets(ptz)[2]["enable"] == 0
    await call(
        hass,
        "ptz_save_preset",
        {"device_id": device_id(hass, str(entry.unique_id)), "preset_id": 3, "name": "Porch"},
    )
    preset = presets(ptz)[2]
    assert (preset["id"], preset["name"], preset["enable"]) == (3, "Porch", 1)


async def test_save_preset_outside_device_range(hass: HomeAssistant, ptz: Simulator) -> None:
    """A slot beyond the device's range is refused before anything is written."""
    entry = await add_device(hass, ptz)
    before = presets(ptz)
    with pytest.raises(ServiceValidationError) as caught:
        await call(
            hass,
            "ptz_save_preset",
            {"device_id": device_id(hass, str(entry.unique_id)), "preset_id": 65, "name": "Far"},
        )
    assert caught.value.translation_key == "preset_out_of_range"
    assert caught.value.translation_placeholders == {"preset_id": "65", "min": "1", "max": "64"}
    assert presets(ptz) == before
    assert sent(ptz, "SetPtzPreset") == 0


async def test_save_preset_name_too_long(hass: HomeAssistant, ptz: Simulator) -> None:
    """Names longer than the guide's 31 characters fail the schema."""
    entry = await add_device(hass, ptz)
    with pytest.raises(vol.Invalid):
        await call(
            hass,
            "ptz_save_preset",
            {"device_id": device_id(hass, str(entry.unique_id)), "preset_id": 3, "name": "x" * 32},
        )
    assert sent(ptz, "SetPtzPreset") == 0


async def test_services_registered_without_entries(hass: HomeAssistant) -> None:
    """The actions exist as soon as the integration is set up (action-setup rule)."""
    assert await async_setup_component(hass, DOMAIN, {})
    assert hass.services.has_service(DOMAIN, "ptz_move")
    assert hass.services.has_service(DOMAIN, "ptz_save_preset")
