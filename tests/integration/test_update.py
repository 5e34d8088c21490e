"""Firmware update entity against the simulator: check, install with progress, refusal."""

from collections.abc import AsyncIterator

import pytest
from homeassistant.const import ATTR_ENTITY_ID, STATE_OFF, STATE_ON
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.event import async_track_state_change_event
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.reolink_http.update import FIRST_CHECK_DELAY
from simulator import Simulator

from .conftest import add_device, profile_simulator
from .helpers import entity_id_of, sent


@pytest.fixture
async def camera() -> AsyncIterator[Simulator]:
    """A camera whose download takes 2.5 s."""
    async for sim in profile_simulator("ipc"):
        sim.device.upgrade["seconds"] = 2.5
        yield sim


async def check_now(hass: HomeAssistant, entity_id: str) -> None:
    """Ask the entity to poll (CheckFirmware) now instead of in twelve hours."""
    assert await async_setup_component(hass, "homeassistant", {})
    await hass.services.async_call(
        "homeassistant", "update_entity", {ATTR_ENTITY_ID: entity_id}, blocking=True
    )


async def test_up_to_date_firmware(hass: HomeAssistant, camera: Simulator) -> None:
    """Without a newer version the entity is off and shows the installed firmware."""
    entry = await add_device(hass, camera)
    firmware = entity_id_of(hass, f"{entry.unique_id}_firmware", "update")
    assert sent(camera, "CheckFirmware") == 0  # not part of the setup burst
    async_fire_time_changed(hass, dt_util.utcnow() + FIRST_CHECK_DELAY)
    await hass.async_block_till_done()
    state = hass.states.get(firmware)
    assert state is not None
    assert state.state == STATE_OFF
    assert state.attributes["installed_version"] == camera.state["device"]["firmVer"]
    # No picture: the frontend then shows the standard firmware icon.
    assert "entity_picture" not in state.attributes
    assert state.attributes["latest_version"] == camera.state["device"]["firmVer"]
    assert sent(camera, "CheckFirmware") == 1


async def test_install_follows_progress(hass: HomeAssistant, camera: Simulator) -> None:
    """A found update installs with progress and ends on the new version."""
    entry = await add_device(hass, camera)
    firmware = entity_id_of(hass, f"{entry.unique_id}_firmware", "update")
    camera.patch_state({"firmware": {"new_version_available": True}})
    await check_now(hass, firmware)
    state = hass.states.get(firmware)
    assert state is not None
    assert state.state == STATE_ON

    progress: list[int | None] = []

    @callback
    def record(event: Event[EventStateChangedData]) -> None:
        new = event.data["new_state"]
        if new is not None and new.attributes.get("in_progress"):
            progress.append(new.attributes.get("update_percentage"))

    unsubscribe = async_track_state_change_event(hass, firmware, record)
    await hass.services.async_call("update", "install", {ATTR_ENTITY_ID: firmware}, blocking=True)
    unsubscribe()

    new_version = camera.state["firmware"]["new_version"]
    assert camera.state["device"]["firmVer"] == new_version
    assert progress[0] == 0
    assert any(0 < percent < 100 for percent in progress if percent is not None)
    assert progress[-1] == 100
    state = hass.states.get(firmware)
    assert state is not None
    assert state.state == STATE_OFF
    assert state.attributes["installed_version"] == new_version
    assert state.attributes["in_progress"] is False


async def test_install_refused_without_update(hass: HomeAssistant, camera: Simulator) -> None:
    """The device refuses an online upgrade when nothing is available."""
    entry = await add_device(hass, camera)
    firmware = entity_id_of(hass, f"{entry.unique_id}_firmware", "update")
    with pytest.raises(HomeAssistantError):
        await hass.services.async_call(
            "update", "install", {ATTR_ENTITY_ID: firmware}, blocking=True
        )
    assert camera.device.upgrade["started"] is None
    state = hass.states.get(firmware)
    assert state is not None
    assert state.attributes["in_progress"] is False
