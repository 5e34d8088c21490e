"""Assist: Home Assistant's built-in conversation agent controls and answers about the devices.

The sentences are the ones a user says to the demo: the camera's name plus the entity's.
"""

from __future__ import annotations

from typing import Any

from homeassistant.components.conversation import async_converse
from homeassistant.components.homeassistant.exposed_entities import async_expose_entity
from homeassistant.const import STATE_OFF, STATE_ON
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import area_registry as ar
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component

from simulator import Simulator

from .conftest import add_device
from .helpers import config


async def ask(hass: HomeAssistant, text: str) -> dict[str, Any]:
    """One sentence through the conversation API, as Assist sends it."""
    result = await async_converse(hass, text, None, Context(), language="en")
    await hass.async_block_till_done()
    return result.as_dict()["response"]


async def expose_all(hass: HomeAssistant) -> None:
    """Expose every entity of the integration to Assist (config entities are not by default)."""
    for entity in er.async_get(hass).entities.values():
        if entity.platform == "reolink_http":
            async_expose_entity(hass, "conversation", entity.entity_id, True)


async def setup_assist(hass: HomeAssistant) -> None:
    """The components Assist's built-in agent needs."""
    for component in ("homeassistant", "intent", "conversation"):
        assert await async_setup_component(hass, component, {})


async def test_voice_controls_floodlight_and_infrared(hass: HomeAssistant, nvr: Simulator) -> None:
    """ "turn on the <camera> floodlight", "turn off <camera> infrared lights"."""
    await setup_assist(hass)
    await add_device(hass, nvr)
    await expose_all(hass)
    light = "light.camera03_floodlight"
    assert hass.states.get(light).state == STATE_OFF
    response = await ask(hass, "turn on the Camera03 floodlight")
    assert response["response_type"] == "action_done", response
    assert hass.states.get(light).state == STATE_ON
    assert config(nvr, "WhiteLed", 2)["state"] == 1

    ir_lights = "switch.camera01_infrared_lights"
    assert hass.states.get(ir_lights).state == STATE_ON
    response = await ask(hass, "turn off Camera01 infrared lights")
    assert response["response_type"] == "action_done", response
    assert hass.states.get(ir_lights).state == STATE_OFF
    assert config(nvr, "IrLights", 0)["state"] == "Off"


async def test_voice_answers_motion(hass: HomeAssistant, nvr: Simulator) -> None:
    """By the camera's motion sensor name, and by the area the camera is placed in.

    Home Assistant's English sentences ask about motion "in <area>"; "at <camera>" is not
    one of them, so a camera answers for motion through its area or its sensor's name.
    """
    await setup_assist(hass)
    entry = await add_device(hass, nvr)
    await expose_all(hass)
    response = await ask(hass, "is Camera01 motion detected?")
    assert response["response_type"] == "query_answer", response
    assert response["speech"]["plain"]["speech"].startswith("No")

    area = ar.async_get(hass).async_create("Porch")
    motion = er.async_get(hass).async_get("binary_sensor.camera01_motion")
    assert motion is not None
    dr.async_get(hass).async_update_device(str(motion.device_id), area_id=area.id)
    nvr.patch_state({"channels": {"0": {"motion": True}}})
    await entry.runtime_data.events.async_refresh()
    await hass.async_block_till_done()
    response = await ask(hass, "is there motion in the porch?")
    assert response["response_type"] == "query_answer", response
    assert response["speech"]["plain"]["speech"].startswith("Yes")
    response = await ask(hass, "is Camera01 motion detected?")
    assert response["speech"]["plain"]["speech"].startswith("Yes")
