"""A Home Hub with sleeping battery cameras, through Home Assistant against the simulator."""

from collections.abc import AsyncIterator

import pytest
from homeassistant.const import STATE_OFF, STATE_ON, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.reolink_http.const import DOMAIN
from simulator import Simulator

from .conftest import add_device, profile_simulator
from .helpers import entity_id_of, sent

DOORBELL = 2


@pytest.fixture
async def hub() -> AsyncIterator[Simulator]:
    """A Home Hub with two battery cameras and a battery doorbell, all asleep."""
    async for sim in profile_simulator("hub"):
        yield sim


def channel_entity(
    entry: MockConfigEntry, hass: HomeAssistant, channel: int, key: str, platform: str
) -> str:
    unique_id = f"{entry.runtime_data.device.channel_key(channel)}_{key}"
    return entity_id_of(hass, unique_id, platform)


def device_of(hass: HomeAssistant, entry: MockConfigEntry, identifier: str) -> dr.DeviceEntry:
    """The entry's device registered under `identifier`."""
    registry = dr.async_get(hass)
    for device in dr.async_entries_for_config_entry(registry, entry.entry_id):
        if (DOMAIN, identifier) in device.identifiers:
            return device
    raise AssertionError(identifier)


def wakeups(sim: Simulator) -> list[int]:
    return [channel["wakeups"] for channel in sim.device.state["channels"]]


async def test_hub_is_a_device_with_its_cameras_and_chime_as_children(
    hass: HomeAssistant, hub: Simulator
) -> None:
    entry = await add_device(hass, hub)
    registry = dr.async_get(hass)
    parent = device_of(hass, entry, entry.unique_id)
    assert parent.model == "Reolink Home Hub"
    children = [
        d
        for d in dr.async_entries_for_config_entry(registry, entry.entry_id)
        if d.via_device_id == parent.id
    ]
    assert sorted(d.model or "" for d in children) == [
        "Argus 3 Pro",
        "Argus 4 Pro",
        "Reolink Chime",
        "Reolink Video Doorbell Battery",
    ]
    assert await hass.config_entries.async_unload(entry.entry_id)


async def test_battery_cameras_show_battery_and_sleep_without_being_woken(
    hass: HomeAssistant, hub: Simulator
) -> None:
    entry = await add_device(hass, hub, enable=["battery_temperature", "battery_state"])
    for channel, percent in enumerate((87, 78, 69)):
        battery = hass.states.get(channel_entity(entry, hass, channel, "battery_percent", "sensor"))
        assert battery is not None
        assert (battery.state, battery.attributes["device_class"]) == (str(percent), "battery")
        sleep = channel_entity(entry, hass, channel, "sleep", "binary_sensor")
        assert hass.states.get(sleep).state == STATE_ON
    temperature = channel_entity(entry, hass, 0, "battery_temperature", "sensor")
    assert hass.states.get(temperature).state == "21"
    state = channel_entity(entry, hass, 0, "battery_state", "sensor")
    assert hass.states.get(state).state == "discharging"
    hub.device.patch_state(
        {"channels": {"0": {"battery": {"chargeStatus": 1, "batteryPercent": 90}}}}
    )
    for _ in range(3):
        await entry.runtime_data.settings.async_refresh()
        await entry.runtime_data.events.async_refresh()
    await hass.async_block_till_done()
    assert hass.states.get(state).state == "charging"
    # Setup, a reload and every poll left the cameras asleep.
    assert wakeups(hub) == [0, 0, 0], hub.device.wake_log
    assert await hass.config_entries.async_unload(entry.entry_id)


async def test_settings_of_a_sleeping_camera_are_read_when_it_wakes_and_kept(
    hass: HomeAssistant, hub: Simulator
) -> None:
    entry = await add_device(hass, hub)
    settings = entry.runtime_data.settings
    audio = channel_entity(entry, hass, 1, "record_audio", "switch")
    # Never read yet: GetEnc would wake the camera.
    assert hass.states.get(audio).state == STATE_UNAVAILABLE
    hub.device.patch_state({"channels": {"1": {"sleep": False}}})
    await settings.async_refresh()  # the channel list shows it awake
    await settings.async_refresh()  # so its own settings are read
    await hass.async_block_till_done()
    assert hass.states.get(audio).state == STATE_OFF
    assert wakeups(hub) == [0, 0, 0]
    # Asleep again: the last value stays, GetEnc is not sent, the camera stays asleep.
    hub.device.patch_state({"channels": {"1": {"sleep": True, "config": {"Enc": {"audio": 1}}}}})
    await settings.async_refresh()
    hub.clear_log()
    for _ in range(3):
        await settings.async_refresh()
    await hass.async_block_till_done()
    assert sent(hub, "GetEnc") == 0
    assert sent(hub, "GetBatteryInfo") == 3 * 3  # three polls, three cameras
    assert hass.states.get(audio).state == STATE_OFF
    assert (
        hass.states.get(channel_entity(entry, hass, 1, "sleep", "binary_sensor")).state == STATE_ON
    )
    assert wakeups(hub) == [0, 0, 0]
    assert await hass.config_entries.async_unload(entry.entry_id)


async def test_pir_settings_change_the_camera(hass: HomeAssistant, hub: Simulator) -> None:
    entry = await add_device(hass, hub, enable=["pir_reduce_alarm", "pir_interval"])
    pir = lambda: hub.device.config("pirInfo", 0)  # noqa: E731
    enabled = channel_entity(entry, hass, 0, "pir_enabled", "switch")
    assert hass.states.get(enabled).state == STATE_ON
    await hass.services.async_call("switch", "turn_off", {"entity_id": enabled}, blocking=True)
    assert pir()["enable"] == 0
    assert hass.states.get(enabled).state == STATE_OFF
    reduce = channel_entity(entry, hass, 0, "pir_reduce_alarm", "switch")
    await hass.services.async_call("switch", "turn_off", {"entity_id": reduce}, blocking=True)
    assert pir()["reduceAlarm"] == 0
    sensitivity = channel_entity(entry, hass, 0, "pir_sensitivity", "number")
    state = hass.states.get(sensitivity)
    assert (state.state, state.attributes["min"], state.attributes["max"]) == ("51.0", 1, 100)
    await hass.services.async_call(
        "number", "set_value", {"entity_id": sensitivity, "value": 90}, blocking=True
    )
    assert pir()["sensitive"] == 11
    assert hass.states.get(sensitivity).state == "90.0"
    interval = channel_entity(entry, hass, 0, "pir_interval", "number")
    assert hass.states.get(interval).attributes["unit_of_measurement"] == "s"
    await hass.services.async_call(
        "number", "set_value", {"entity_id": interval, "value": 60}, blocking=True
    )
    assert pir()["interval"] == 60
    assert await hass.config_entries.async_unload(entry.entry_id)


async def test_hub_status_light_volumes_and_ringtones(hass: HomeAssistant, hub: Simulator) -> None:
    keys = ["hub_status_led", "hub_alarm_volume", "hub_message_volume", "hub_alarm_ringtone"]
    entry = await add_device(hass, hub, enable=[*keys, "hub_visitor_ringtone"])
    light = entity_id_of(hass, f"{entry.unique_id}_hub_status_led", "switch")
    await hass.services.async_call("switch", "turn_off", {"entity_id": light}, blocking=True)
    assert hub.device.config("stateLight", None) == {"enable": 0}
    for key, value, stored in (
        ("hub_alarm_volume", 35, "alarmVolume"),
        ("hub_message_volume", 5, "cuesVolume"),
    ):
        volume = entity_id_of(hass, f"{entry.unique_id}_{key}", "number")
        await hass.services.async_call(
            "number", "set_value", {"entity_id": volume, "value": value}, blocking=True
        )
        assert hub.device.state["hub_audio"][stored] == value
    tone = channel_entity(entry, hass, 1, "hub_alarm_ringtone", "select")
    assert hass.states.get(tone).state == "alarm"
    assert len(hass.states.get(tone).attributes["options"]) == 11
    await hass.services.async_call(
        "select", "select_option", {"entity_id": tone, "option": "moonlight"}, blocking=True
    )
    assert hub.device.state["channels"][1]["hub_tones"]["alarmRingToneId"] == 8
    visitor = channel_entity(entry, hass, DOORBELL, "hub_visitor_ringtone", "select")
    assert hass.states.get(visitor).state == "originaltune"
    unique_ids = {
        f"{entry.runtime_data.device.channel_key(ch)}_hub_visitor_ringtone" for ch in (0, 1)
    }
    registry_ids = {e.unique_id for e in hass.data["entity_registry"].entities.values()}
    assert not unique_ids & registry_ids
    assert await hass.config_entries.async_unload(entry.entry_id)


def chime_entity(hass: HomeAssistant, entry: MockConfigEntry, key: str, platform: str) -> str:
    return entity_id_of(hass, f"{entry.unique_id}_chime_0_{key}", platform)


async def test_chime_is_a_device_with_volume_led_and_tunes(
    hass: HomeAssistant, hub: Simulator
) -> None:
    tones = [f"chime_tone_{label}" for label in ("motion", "person", "vehicle", "visitor")]
    entry = await add_device(hass, hub, enable=["chime_led", *tones])
    chime = device_of(hass, entry, f"{entry.unique_id}_chime_0")
    assert (chime.name, chime.model) == ("Hall chime", "Reolink Chime")
    assert chime.via_device_id == device_of(hass, entry, entry.unique_id).id
    state = hub.device.state["chimes"][0]
    volume = chime_entity(hass, entry, "chime_volume", "number")
    assert hass.states.get(volume).state == "3.0"
    await hass.services.async_call(
        "number", "set_value", {"entity_id": volume, "value": 1}, blocking=True
    )
    assert (state["volLevel"], state["ledState"], state["name"]) == (1, 1, "Hall chime")
    led = chime_entity(hass, entry, "chime_led", "switch")
    await hass.services.async_call("switch", "turn_off", {"entity_id": led}, blocking=True)
    assert (state["volLevel"], state["ledState"]) == (1, 0)
    visitor = chime_entity(hass, entry, "chime_tone_visitor", "select")
    assert hass.states.get(visitor).state == "loop"
    await hass.services.async_call(
        "select", "select_option", {"entity_id": visitor, "option": "off"}, blocking=True
    )
    assert state["tones"]["visitor"] == {"switch": 0, "musicId": 3}
    assert hass.states.get(visitor).state == "off"
    await hass.services.async_call(
        "select", "select_option", {"entity_id": visitor, "option": "moonlight"}, blocking=True
    )
    assert state["tones"]["visitor"] == {"switch": 1, "musicId": 8}
    keys = {
        e.unique_id for e in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
    }
    # The chime rings for four event types: no package or animal tune.
    assert f"{entry.unique_id}_chime_0_chime_tone_package" not in keys
    assert await hass.config_entries.async_unload(entry.entry_id)


async def test_play_chime_action(hass: HomeAssistant, hub: Simulator) -> None:
    entry = await add_device(hass, hub)
    chime = device_of(hass, entry, f"{entry.unique_id}_chime_0").id
    await hass.services.async_call(
        DOMAIN,
        "play_chime",
        {"device_id": [chime, chime], "ringtone": "operetta"},
        blocking=True,
    )
    state = hub.device.state["chimes"][0]
    assert (state["plays"], state["lastMusicId"]) == (1, 7)
    camera = device_of(hass, entry, entry.runtime_data.device.channel_key(0)).id
    with pytest.raises(ServiceValidationError) as refused:
        await hass.services.async_call(
            DOMAIN, "play_chime", {"device_id": camera, "ringtone": "loop"}, blocking=True
        )
    assert refused.value.translation_key == "not_a_chime"
    hub.device.patch_state({"chimes": {"0": {"netState": 0}}})
    with pytest.raises(HomeAssistantError):
        await hass.services.async_call(
            DOMAIN, "play_chime", {"device_id": chime, "ringtone": "loop"}, blocking=True
        )
    assert state["plays"] == 1
    assert await hass.config_entries.async_unload(entry.entry_id)
