"""Buttons against the simulator: PTZ moves and actions, reboot, clock, format, mail/FTP tests."""

import time
from typing import Any

import pytest
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import entity_registry as er
from homeassistant.util import dt as dt_util

from simulator import Simulator

from .conftest import add_device
from .helpers import enable, entity_id_of, press, sent, wait_for


async def test_direction_button_moves_then_stops(hass: HomeAssistant, ptz: Simulator) -> None:
    """A press starts a pan and stops it after a short, fixed time."""
    entry = await add_device(hass, ptz)
    button = entity_id_of(hass, f"{entry.unique_id}_ptz_left", "button")
    pressing = hass.async_create_task(press(hass, button))
    await wait_for(lambda: ptz.device.ptz_motion.get(0) == "Left")
    await pressing
    assert ptz.device.ptz_motion[0] == ""


async def test_zoom_buttons_step_the_lens(hass: HomeAssistant, ptz: Simulator) -> None:
    """Zoom in raises the zoom position, zoom out lowers it again."""
    entry = await add_device(hass, ptz)
    zoom = ptz.state["channels"][0]["config"]["ZoomFocus"]["zoom"]
    await press(hass, entity_id_of(hass, f"{entry.unique_id}_ptz_zoom_in", "button"))
    assert zoom["pos"] == 1
    await press(hass, entity_id_of(hass, f"{entry.unique_id}_ptz_zoom_out", "button"))
    assert zoom["pos"] == 0


async def test_patrol_has_one_control(hass: HomeAssistant, ptz: Simulator) -> None:
    """Patrol is the switch's job: no start/stop buttons beside it."""
    entry = await add_device(hass, ptz)
    registry = er.async_get(hass)
    keys = {e.unique_id.removeprefix(f"{entry.unique_id}_") for e in registry.entities.values()}
    assert "ptz_patrol" in keys
    assert not {"ptz_patrol_start", "ptz_patrol_stop"} & keys


async def test_guard_button_stores_position_keeps_settings(
    hass: HomeAssistant, ptz: Simulator
) -> None:
    """The guard position is stored; the guard's on/off and timeout stay as they were."""
    entry = await add_device(hass, ptz, enable=["ptz_guard_set"])
    ptz.patch_state({"channels": {"0": {"config": {"PtzGuard": {"benable": 1, "timeout": 300}}}}})
    assert ptz.state["channels"][0]["config"]["PtzGuard"]["bexistPos"] == 0
    await press(hass, entity_id_of(hass, f"{entry.unique_id}_ptz_guard_set", "button"))
    guard = ptz.state["channels"][0]["config"]["PtzGuard"]
    assert guard == {"benable": 1, "bexistPos": 1, "channel": 0, "timeout": 300}


async def test_calibrate_button_starts_ptz_check(hass: HomeAssistant, ptz: Simulator) -> None:
    """PtzCheck reaches the device."""
    entry = await add_device(hass, ptz, enable=["ptz_calibrate"])
    await press(hass, entity_id_of(hass, f"{entry.unique_id}_ptz_calibrate", "button"))
    assert 0 in ptz.device.ptz_check


async def test_refused_ptz_command_raises(hass: HomeAssistant, ptz: Simulator) -> None:
    """A device refusal surfaces as a translated error."""
    entry = await add_device(hass, ptz)
    # Not counted: a poll landing before the press would use up a one-request fault.
    ptz.set_fault(command_errors={"PtzCtrl": -4})
    button = entity_id_of(hass, f"{entry.unique_id}_ptz_stop", "button")
    with pytest.raises(HomeAssistantError) as caught:
        await press(hass, button)
    assert caught.value.translation_key == "invalid_value"


async def test_fixed_camera_has_no_ptz_buttons(hass: HomeAssistant, camera: Simulator) -> None:
    """Buttons follow GetAbility: a bullet camera gets reboot but nothing PTZ."""
    entry = await add_device(hass, camera)
    unique_ids = {
        e.unique_id for e in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
    }
    assert f"{entry.unique_id}_reboot" in unique_ids
    assert not {u for u in unique_ids if "_ptz_" in u}


async def test_reboot_button(hass: HomeAssistant, camera: Simulator) -> None:
    """The device acknowledges and goes through a reboot."""
    entry = await add_device(hass, camera)
    await press(hass, entity_id_of(hass, f"{entry.unique_id}_reboot", "button"))
    assert sent(camera, "Reboot") == 1
    await wait_for(lambda: camera.rebooting)
    await camera.wait_online()


async def test_sync_clock_sets_device_time(hass: HomeAssistant, camera: Simulator) -> None:
    """A device two hours off (UTC+8 zone) is back on Home Assistant's clock."""
    entry = await add_device(hass, camera, enable=["sync_clock"])
    camera.patch_state({"config": {"Time": {"Time": {"timeZone": -28800}}}})
    camera.device.clock_offset = -7200.0
    await press(hass, entity_id_of(hass, f"{entry.unique_id}_sync_clock", "button"))
    assert abs(camera.device.now() - time.time()) < 2
    assert camera.state["config"]["Time"]["Time"]["timeZone"] == -28800


async def test_sync_clock_applies_device_dst_rule(hass: HomeAssistant, camera: Simulator) -> None:
    """With the device's DST rule on and HA's zone in DST, the clock runs the rule's offset ahead.

    One of Berlin and Sydney observes DST on any given day. The simulator keeps no DST
    itself, so the shift shows up in its raw clock.
    """
    for zone in ("Europe/Berlin", "Australia/Sydney"):
        await hass.config.async_set_time_zone(zone)
        if dt_util.now().dst():
            break
    assert dt_util.now().dst()
    entry = await add_device(hass, camera, enable=["sync_clock"])
    camera.patch_state({"config": {"Time": {"Dst": {"enable": 1, "offset": 2}}}})
    await press(hass, entity_id_of(hass, f"{entry.unique_id}_sync_clock", "button"))
    assert camera.device.now() - time.time() == pytest.approx(7200, abs=2)


async def test_format_button_is_off_by_default_and_formats(
    hass: HomeAssistant, camera: Simulator
) -> None:
    """Formatting is disabled by default; once enabled it empties the SD card."""
    entry = await add_device(hass, camera)
    button = entity_id_of(hass, f"{entry.unique_id}_format_0", "button")
    assert hass.states.get(button) is None
    await enable(hass, entry, button)
    disk = camera.state["hdd"][0]
    assert disk["size"] < disk["capacity"]
    await press(hass, button)
    assert disk["size"] == disk["capacity"]


async def test_nvr_buttons_sit_on_the_hub(hass: HomeAssistant, nvr16: Simulator) -> None:
    """Device-wide buttons belong to the NVR; its HDD gets a format button."""
    entry = await add_device(hass, nvr16)
    registry = er.async_get(hass)
    reboot = registry.async_get(entity_id_of(hass, f"{entry.unique_id}_reboot", "button"))
    assert reboot is not None
    hub = reboot.device_id
    format_hdd = registry.async_get(entity_id_of(hass, f"{entry.unique_id}_format_0", "button"))
    assert format_hdd is not None
    assert format_hdd.device_id == hub
    assert format_hdd.original_name == "Format HDD 1"


async def _enable_test_buttons(hass: HomeAssistant, sim: Simulator) -> tuple[str, str]:
    entry = await add_device(hass, sim)
    email = entity_id_of(hass, f"{entry.unique_id}_test_email", "button")
    ftp = entity_id_of(hass, f"{entry.unique_id}_test_ftp", "button")
    await enable(hass, entry, email, ftp)
    return email, ftp


def notification(hass: HomeAssistant, key: str) -> dict[str, Any] | None:
    """A persistent notification of this integration by its key suffix."""
    notifications = hass.data.get("persistent_notification", {})
    return next((n for i, n in notifications.items() if i.endswith(key)), None)


async def test_email_test_reports_error_then_success(
    hass: HomeAssistant, camera: Simulator
) -> None:
    """Unconfigured mail fails with the device's reason; configured mail is reported sent."""
    email, _ = await _enable_test_buttons(hass, camera)
    with pytest.raises(HomeAssistantError) as caught:
        await press(hass, email)
    assert caught.value.translation_key == "command_failed"
    assert notification(hass, "test_email_passed") is None
    camera.patch_state(
        {
            "config": {
                "Email": {
                    "smtpServer": "smtp.example.com",
                    "userName": "cam@example.com",
                    "password": "mail-secret",
                    "addr1": "me@example.com",
                }
            }
        }
    )
    await press(hass, email)
    message = notification(hass, "test_email_passed")
    assert message is not None
    assert "test e-mail" in message["message"]
    assert "mail-secret" not in str(message)


async def test_ftp_test_reports_success(hass: HomeAssistant, camera: Simulator) -> None:
    """A reachable FTP configuration is reported in a notification."""
    _, ftp = await _enable_test_buttons(hass, camera)
    with pytest.raises(HomeAssistantError):
        await press(hass, ftp)
    camera.patch_state({"config": {"Ftp": {"server": "ftp.example.com", "anonymous": 1}}})
    await press(hass, ftp)
    assert notification(hass, "test_ftp_passed") is not None


async def test_channel_buttons_follow_availability(hass: HomeAssistant, ptz: Simulator) -> None:
    """When the device stops answering, its buttons become unavailable."""
    entry = await add_device(hass, ptz)
    button = entity_id_of(hass, f"{entry.unique_id}_ptz_left", "button")
    ptz.set_fault(http_status=502)
    await entry.runtime_data.events.async_refresh()
    await hass.async_block_till_done()
    state = hass.states.get(button)
    assert state is not None
    assert state.state == STATE_UNAVAILABLE
    ptz.clear_faults()
