"""Assist: Home Assistant's built-in conversation agent controls and answers about the devices.

The sentences are the ones a user says to the demo: the camera's name plus the entity's, and
"is there motion at <camera>?" through the sentence file the integration ships.
"""

from pathlib import Path
from typing import Any

import pytest
from homeassistant.components.conversation import async_converse
from homeassistant.components.homeassistant.exposed_entities import async_expose_entity
from homeassistant.config_entries import ConfigEntry
from homeassistant.const import STATE_OFF, STATE_ON
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import area_registry as ar
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component

import custom_components.reolink_http as integration
from simulator import Simulator

from .conftest import add_device
from .helpers import config, motion_entity, onvif_settled, sent, wait_for


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


# The file scripts/develop links into the demo's config; users copy it.
SENTENCES = Path(integration.__file__).parent / "custom_sentences" / "en" / "reolink_http.yaml"


def install_sentences(hass: HomeAssistant, config_dir: Path) -> None:
    """Give Home Assistant a config directory with the shipped sentence file linked in."""
    hass.config.config_dir = str(config_dir)
    target = config_dir / "custom_sentences" / "en"
    target.mkdir(parents=True)
    (target / SENTENCES.name).symlink_to(SENTENCES)


async def setup_assist(hass: HomeAssistant) -> None:
    """The components Assist's built-in agent needs."""
    for component in ("homeassistant", "intent", "conversation"):
        assert await async_setup_component(hass, component, {})


async def motion(hass: HomeAssistant, sim: Simulator, entry: ConfigEntry, seen: bool) -> None:
    """Motion starts or ends on the device's first channel; done once the sensor shows it.

    Changed once the subscription's initial states are in: one pushed later would win.
    """
    await onvif_settled(entry, sim)
    sim.patch_state({"channels": {"0": {"motion": seen}}})
    await entry.runtime_data.events.async_refresh()
    entity_id = motion_entity(hass, entry.runtime_data.device.channel_key(0))
    expected = STATE_ON if seen else STATE_OFF
    await wait_for(lambda: hass.states.get(entity_id).state == expected, within=5)


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
    """By the camera's motion sensor name, with Home Assistant's own English sentences."""
    await setup_assist(hass)
    entry = await add_device(hass, nvr)
    await expose_all(hass)
    response = await ask(hass, "is Camera01 motion detected?")
    assert response["response_type"] == "query_answer", response
    assert response["speech"]["plain"]["speech"].startswith("No")

    await motion(hass, nvr, entry, True)
    response = await ask(hass, "is Camera01 motion detected?")
    assert response["speech"]["plain"]["speech"].startswith("Yes")


async def test_voice_answers_motion_in_area(
    hass: HomeAssistant, nvr: Simulator, tmp_path: Path
) -> None:
    """By the area the camera is placed in: Home Assistant 2026.10's English sentences dropped
    "is there motion in <area>?", the shipped sentence file asks it again."""
    install_sentences(hass, tmp_path)
    await setup_assist(hass)
    entry = await add_device(hass, nvr)
    await expose_all(hass)
    area = ar.async_get(hass).async_create("Porch")
    motion_sensor = er.async_get(hass).async_get("binary_sensor.camera01_motion")
    assert motion_sensor is not None
    dr.async_get(hass).async_update_device(str(motion_sensor.device_id), area_id=area.id)
    await motion(hass, nvr, entry, True)
    response = await ask(hass, "is there motion in the porch?")
    assert response["response_type"] == "query_answer", response
    assert response["speech"]["plain"]["speech"].startswith("Yes")


def speech(response: dict[str, Any]) -> str:
    """What Assist says."""
    return str(response["speech"]["plain"]["speech"])


async def test_voice_answers_motion_at_camera(
    hass: HomeAssistant, nvr: Simulator, ipc: Simulator, tmp_path: Path
) -> None:
    """ "is there motion at <camera>?" by the demo's device names, from the real sensor state."""
    install_sentences(hass, tmp_path)
    await setup_assist(hass)
    nvr_entry = await add_device(hass, nvr)
    ipc_entry = await add_device(hass, ipc)
    # Motion sensors are exposed to Assist by default: no expose_all here.

    for question in ("is there motion at Camera01?", "is there motion at RLC-810A?"):
        response = await ask(hass, question)
        assert response["response_type"] == "query_answer", response
        assert speech(response).startswith("No, there is no motion at"), response

    await motion(hass, nvr, nvr_entry, True)
    response = await ask(hass, "is there motion at Camera01?")
    assert response["response_type"] == "query_answer", response
    assert speech(response) == "Yes, there is motion at Camera01"
    assert response["data"]["success"][0]["id"] == "binary_sensor.camera01_motion"
    assert speech(await ask(hass, "is there any motion on Camera02")).startswith("No")
    assert speech(await ask(hass, "is there motion at RLC-810A?")).startswith("No")

    await motion(hass, ipc, ipc_entry, True)
    # Speech recognition writes the model's name without the dash.
    assert speech(await ask(hass, "does the rlc 810a detect motion")) == (
        "Yes, there is motion at RLC-810A"
    )
    await motion(hass, nvr, nvr_entry, False)
    assert speech(await ask(hass, "is there motion at Camera01?")).startswith("No")


async def test_ptz_preset_by_voice_through_a_script(hass: HomeAssistant, nvr: Simulator) -> None:
    """The README's way to move a camera by voice: an exposed script, "run <script>"."""
    await setup_assist(hass)
    await add_device(hass, nvr)
    script = {
        "camera02_to_the_gate": {
            "alias": "Camera02 to the gate",
            "sequence": [
                {
                    "action": "select.select_option",
                    "target": {"entity_id": "select.camera02_ptz_preset"},
                    "data": {"option": "Gate"},
                }
            ],
        }
    }
    assert await async_setup_component(hass, "script", {"script": script})
    await hass.async_block_till_done()
    async_expose_entity(hass, "conversation", "script.camera02_to_the_gate", True)
    nvr.clear_log()
    response = await ask(hass, "run Camera02 to the gate")
    assert response["response_type"] == "action_done", response
    await hass.async_block_till_done()
    assert sent(nvr, "PtzCtrl") == 1
    assert hass.states.get("select.camera02_ptz_preset").state == "Gate"


async def test_motion_at_an_area_gets_the_area_answer(
    hass: HomeAssistant, nvr: Simulator, tmp_path: Path
) -> None:
    """ "is there motion at the front door": no camera is called so, an area is."""
    install_sentences(hass, tmp_path)
    await setup_assist(hass)
    entry = await add_device(hass, nvr)
    area = ar.async_get(hass).async_create("Front door")
    motion_sensor = er.async_get(hass).async_get("binary_sensor.camera01_motion")
    assert motion_sensor is not None
    dr.async_get(hass).async_update_device(str(motion_sensor.device_id), area_id=area.id)

    response = await ask(hass, "is there motion at the front door?")
    assert response["response_type"] == "query_answer", response
    assert speech(response) == "No, there is no motion at front door"
    await motion(hass, nvr, entry, True)
    response = await ask(hass, "is there motion at the front door?")
    assert speech(response) == "Yes, there is motion at front door"
    assert [target["id"] for target in response["data"]["success"]] == [
        "binary_sensor.camera01_motion"
    ]
    # Neither a camera nor an area:
    response = await ask(hass, "is there motion at the garden?")
    assert speech(response) == "Sorry, I am not aware of any camera called garden"


@pytest.mark.parametrize(
    ("question", "response_type", "answer"),
    [
        (
            "is there motion at the garage?",
            "error",
            "Sorry, I am not aware of any camera called garage",
        ),
        ("is there motion at Camera02?", "error", "Sorry, Camera02 is not exposed"),
        ("is there motion at Porch?", "error", "Sorry, there are multiple devices called Porch"),
        (
            "is there motion at Camera06?",
            "query_answer",
            "I can't tell, the motion sensor of Camera06 is unavailable",
        ),
    ],
)
async def test_voice_motion_at_camera_it_cannot_answer_for(
    hass: HomeAssistant,
    nvr: Simulator,
    tmp_path: Path,
    question: str,
    response_type: str,
    answer: str,
) -> None:
    """No such camera, one hidden from Assist, two with the name, an offline one (channel 5)."""
    install_sentences(hass, tmp_path)
    await setup_assist(hass)
    await add_device(hass, nvr)
    async_expose_entity(hass, "conversation", "binary_sensor.camera02_motion", False)
    devices = dr.async_get(hass)
    for camera in ("Camera03", "Camera04"):
        device = next(device for device in devices.devices if device.name == camera)
        devices.async_update_device(device.id, name_by_user="Porch")
    response = await ask(hass, question)
    assert response["response_type"] == response_type, response
    assert speech(response) == answer
