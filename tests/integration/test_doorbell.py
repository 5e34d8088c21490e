"""A doorbell's own settings through Home Assistant: volumes, button sound, LED, quick replies."""

import pytest
from homeassistant.const import STATE_OFF, STATE_ON
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError

from simulator import Simulator

from .conftest import add_device
from .helpers import config, entity_id_of, keys_of

WRONG_DOOR = "I'm sorry. I think you've knocked on the wrong door."
RIGHT_THERE = "Hi, we will be right there. Please wait a moment."


async def select(hass: HomeAssistant, entity_id: str, option: str) -> None:
    """Choose through the select service."""
    await hass.services.async_call(
        "select", "select_option", {"entity_id": entity_id, "option": option}, blocking=True
    )


async def set_number(hass: HomeAssistant, entity_id: str, value: float) -> None:
    """Set through the number service."""
    await hass.services.async_call(
        "number", "set_value", {"entity_id": entity_id, "value": value}, blocking=True
    )


@pytest.mark.parametrize(
    ("key", "field"),
    [
        ("volume", "volume"),
        ("volume_speak", "talkAndReplyVolume"),
        ("volume_doorbell", "visitorVolume"),
    ],
)
async def test_volumes(hass: HomeAssistant, doorbell: Simulator, key: str, field: str) -> None:
    """Each volume writes its own GetAudioCfg key, in percent."""
    entry = await add_device(hass, doorbell, enable=[key])
    entity_id = entity_id_of(hass, f"{entry.unique_id}_{key}", "number")
    state = hass.states.get(entity_id)
    assert (state.state, state.attributes["min"], state.attributes["max"]) == ("80.0", 0, 100)
    await set_number(hass, entity_id, 35)
    audio = config(doorbell, "AudioCfg")
    assert audio[field] == 35
    assert [value for name, value in audio.items() if name != field and value == 35] == []
    assert hass.states.get(entity_id).state == "35.0"


async def test_speaker_volume_only_where_there_is_a_speaker(
    hass: HomeAssistant, ipc: Simulator
) -> None:
    """A camera with a speaker has the volume, not the doorbell's own settings."""
    entry = await add_device(hass, ipc)
    numbers = keys_of(hass, entry, "number")
    assert "volume" in numbers
    assert not {"volume_speak", "volume_doorbell", "auto_quick_reply_time"} & numbers
    assert "doorbell_button_sound" not in keys_of(hass, entry, "switch")


async def test_button_sound(hass: HomeAssistant, doorbell: Simulator) -> None:
    """The switch writes `visitorLoudspeaker`."""
    entry = await add_device(hass, doorbell, enable=["doorbell_button_sound"])
    entity_id = entity_id_of(hass, f"{entry.unique_id}_doorbell_button_sound", "switch")
    assert hass.states.get(entity_id).state == STATE_ON
    await hass.services.async_call("switch", "turn_off", {"entity_id": entity_id}, blocking=True)
    assert config(doorbell, "AudioCfg")["visitorLoudspeaker"] == 0
    assert hass.states.get(entity_id).state == STATE_OFF


async def test_led_select_has_every_state(hass: HomeAssistant, doorbell: Simulator) -> None:
    """All five ring-light states the range lists, each written as the device spells it."""
    entry = await add_device(hass, doorbell, enable=["doorbell_led_mode"])
    entity_id = entity_id_of(hass, f"{entry.unique_id}_doorbell_led_mode", "select")
    state = hass.states.get(entity_id)
    assert state.attributes["options"] == ["keep_off", "off", "on", "keep_on", "always"]
    assert state.state == "on"
    for option, stored in (("keep_on", "KeepOn"), ("always", "Always"), ("keep_off", "KeepOff")):
        await select(hass, entity_id, option)
        assert config(doorbell, "PowerLed")["eDoorbellLightState"] == stored
        assert hass.states.get(entity_id).state == option


async def test_play_quick_reply(hass: HomeAssistant, doorbell: Simulator) -> None:
    """Choosing a message plays it now (QuickReplyPlay with its id)."""
    entry = await add_device(hass, doorbell)
    entity_id = entity_id_of(hass, f"{entry.unique_id}_play_quick_reply_message", "select")
    state = hass.states.get(entity_id)
    assert state.attributes["options"][:2] == [WRONG_DOOR, RIGHT_THERE]
    await select(hass, entity_id, RIGHT_THERE)
    assert doorbell.device.quick_replies == [(0, 1)]
    assert hass.states.get(entity_id).state == RIGHT_THERE
    with pytest.raises(ServiceValidationError):
        await select(hass, entity_id, "Go away")
    assert doorbell.device.quick_replies == [(0, 1)]


async def test_auto_reply_message_and_time(hass: HomeAssistant, doorbell: Simulator) -> None:
    """ "off" or a message (GetAutoReply with GetAudioFileList), and the wait before it."""
    keys = ["auto_quick_reply_message", "auto_quick_reply_time"]
    entry = await add_device(hass, doorbell, enable=keys)
    message = entity_id_of(hass, f"{entry.unique_id}_auto_quick_reply_message", "select")
    state = hass.states.get(message)
    assert state.state == "off"
    assert state.attributes["options"][:2] == ["off", WRONG_DOOR]

    await select(hass, message, RIGHT_THERE)
    assert config(doorbell, "AutoReply") == {"channel": 0, "enable": 1, "fileId": 1, "timeout": 2}
    assert hass.states.get(message).state == RIGHT_THERE
    await select(hass, message, "off")
    assert config(doorbell, "AutoReply")["enable"] == 0
    assert hass.states.get(message).state == "off"

    wait = entity_id_of(hass, f"{entry.unique_id}_auto_quick_reply_time", "number")
    state = hass.states.get(wait)
    assert (state.state, state.attributes["min"], state.attributes["max"]) == ("2.0", 1, 60)
    await set_number(hass, wait, 9)
    assert config(doorbell, "AutoReply")["timeout"] == 9
