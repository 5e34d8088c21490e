"""The siren through Home Assistant's siren services, checked on the simulator."""

from datetime import timedelta

from homeassistant.const import STATE_OFF, STATE_ON
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from simulator import Simulator

from .conftest import add_device
from .helpers import entity_id_of, keys_of


async def test_siren_on_and_off(hass: HomeAssistant, ipc: Simulator) -> None:
    """Turning on starts the alarm manually (AudioAlarmPlay), turning off stops it."""
    entry = await add_device(hass, ipc)
    entity_id = entity_id_of(hass, f"{entry.unique_id}_siren", "siren")
    assert hass.states.get(entity_id).state == STATE_OFF
    await hass.services.async_call("siren", "turn_on", {"entity_id": entity_id}, blocking=True)
    assert ipc.device.siren[0] == {"mode": "manu", "on": True}
    assert hass.states.get(entity_id).state == STATE_ON
    await hass.services.async_call("siren", "turn_off", {"entity_id": entity_id}, blocking=True)
    assert ipc.device.siren[0] == {"mode": "manu", "on": False}
    assert hass.states.get(entity_id).state == STATE_OFF


async def test_siren_duration(hass: HomeAssistant, ipc: Simulator) -> None:
    """With a duration the siren is switched off again once it has passed."""
    entry = await add_device(hass, ipc)
    entity_id = entity_id_of(hass, f"{entry.unique_id}_siren", "siren")
    await hass.services.async_call(
        "siren", "turn_on", {"entity_id": entity_id, "duration": 5}, blocking=True
    )
    assert ipc.device.siren[0]["on"] is True
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=6))
    await hass.async_block_till_done()
    assert ipc.device.siren[0] == {"mode": "manu", "on": False}
    assert hass.states.get(entity_id).state == STATE_OFF


async def test_siren_timer_cancelled_on_unload(hass: HomeAssistant, ipc: Simulator) -> None:
    """Unloading while a timed siren runs leaves no timer behind."""
    entry = await add_device(hass, ipc)
    entity_id = entity_id_of(hass, f"{entry.unique_id}_siren", "siren")
    await hass.services.async_call(
        "siren", "turn_on", {"entity_id": entity_id, "duration": 30}, blocking=True
    )
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()


async def test_no_siren_without_audio_alarm(hass: HomeAssistant, doorbell: Simulator) -> None:
    """The doorbell profile has no siren."""
    entry = await add_device(hass, doorbell)
    assert keys_of(hass, entry, "siren") == set()
