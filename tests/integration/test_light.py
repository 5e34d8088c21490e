"""The floodlight through Home Assistant's light services, checked on the simulator."""

from homeassistant.const import STATE_OFF, STATE_ON
from homeassistant.core import HomeAssistant

from simulator import Simulator

from .conftest import add_device
from .helpers import config, entity_id_of, keys_of


async def test_floodlight_on_with_brightness_and_off(
    hass: HomeAssistant, floodlight: Simulator
) -> None:
    """Turning on writes state and a brightness scaled to the device range; off clears state."""
    entry = await add_device(hass, floodlight)
    entity_id = entity_id_of(hass, f"{entry.unique_id}_floodlight", "light")
    state = hass.states.get(entity_id)
    assert state.state == STATE_OFF
    assert state.attributes["supported_color_modes"] == ["brightness"]
    await hass.services.async_call(
        "light", "turn_on", {"entity_id": entity_id, "brightness": 128}, blocking=True
    )
    assert config(floodlight, "WhiteLed")["state"] == 1
    assert config(floodlight, "WhiteLed")["bright"] == 50
    state = hass.states.get(entity_id)
    assert state.state == STATE_ON
    assert state.attributes["brightness"] == 128
    await hass.services.async_call("light", "turn_off", {"entity_id": entity_id}, blocking=True)
    assert config(floodlight, "WhiteLed")["state"] == 0
    assert config(floodlight, "WhiteLed")["bright"] == 50


async def test_floodlight_motion_switch(hass: HomeAssistant, floodlight: Simulator) -> None:
    """The auto-on-motion switch is the white LED's alarm-trigger mode."""
    entry = await add_device(hass, floodlight, enable=["floodlight_on_motion"])
    entity_id = entity_id_of(hass, f"{entry.unique_id}_floodlight_on_motion", "switch")
    assert hass.states.get(entity_id).state == STATE_ON
    await hass.services.async_call("switch", "turn_off", {"entity_id": entity_id}, blocking=True)
    assert config(floodlight, "WhiteLed")["mode"] == 0


async def test_no_light_without_white_led(hass: HomeAssistant, ipc: Simulator) -> None:
    """Cameras without a white LED get no light entity."""
    entry = await add_device(hass, ipc)
    assert keys_of(hass, entry, "light") == set()
