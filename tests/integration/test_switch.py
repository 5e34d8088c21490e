"""On/off settings through Home Assistant's switch services, checked on the simulator."""

from typing import Any

import pytest
from homeassistant.const import STATE_OFF, STATE_ON, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er

from custom_components.reolink_http.const import DOMAIN
from custom_components.reolink_http.switch import SWITCHES
from simulator import Simulator

from .conftest import add_device
from .helpers import config, enable, entity_id_of, keys_of


async def switch(hass: HomeAssistant, entity_id: str, turn_on: bool) -> None:
    """Switch through the service call, as the UI does."""
    service = "turn_on" if turn_on else "turn_off"
    await hass.services.async_call("switch", service, {"entity_id": entity_id}, blocking=True)


@pytest.mark.parametrize(
    ("key", "family", "path", "off_value", "on_value", "device_wide"),
    [
        ("ir_lights", "IrLights", ("state",), "Off", "Auto", False),
        ("status_led", "PowerLed", ("state",), "Off", "On", False),
        ("osd_time", "Osd", ("osdTime", "enable"), 0, 1, False),
        ("privacy_mask", "Mask", ("enable",), 0, 1, False),
        ("record_audio", "Enc", ("audio",), 0, 1, False),
        # Schedule version 1: each camera's own switch is `scheduleEnable`.
        ("recording", "RecV20", ("scheduleEnable",), 0, 1, False),
        ("pre_record", "RecV20", ("preRec",), 0, 1, True),
        ("audio_alarm", "AudioAlarmV20", ("enable",), 0, 1, False),
        ("email", "EmailV20", ("scheduleEnable",), 0, 1, False),
        ("push", "PushV20", ("scheduleEnable",), 0, 1, False),
        ("auto_maintenance", "AutoMaint", ("enable",), 0, 1, True),
        ("auto_upgrade", "AutoUpgrade", ("enable",), 0, 1, True),
    ],
)
async def test_switch_changes_device(
    hass: HomeAssistant,
    ipc: Simulator,
    key: str,
    family: str,
    path: tuple[str, ...],
    off_value: Any,
    on_value: Any,
    device_wide: bool,
) -> None:
    """Each switch writes its field both ways and shows what the device holds."""
    entry = await add_device(hass, ipc, enable=[key])
    entity_id = entity_id_of(hass, f"{entry.unique_id}_{key}", "switch")
    settings = lambda: config(ipc, family, None if device_wide else 0)  # noqa: E731
    field = lambda: _dig(settings(), path)  # noqa: E731
    start_on = field() == on_value
    assert hass.states.get(entity_id).state == (STATE_ON if start_on else STATE_OFF)
    await switch(hass, entity_id, not start_on)
    assert field() == (off_value if start_on else on_value)
    assert hass.states.get(entity_id).state == (STATE_OFF if start_on else STATE_ON)
    await switch(hass, entity_id, start_on)
    assert field() == (on_value if start_on else off_value)


def _dig(settings: Any, path: tuple[str, ...]) -> Any:
    for part in path:
        settings = settings[part]
    return settings


async def test_camera_switches_follow_abilities_and_range(
    hass: HomeAssistant, ipc: Simulator
) -> None:
    """Boolean ranges make switches, not selects; no PTZ, buzzer or floodlight on a bullet."""
    entry = await add_device(hass, ipc)
    switches = keys_of(hass, entry, "switch")
    assert {"mirroring", "flip", "ir_lights", "status_led", "recording"} <= switches
    assert not {"ptz_patrol", "ptz_guard", "auto_focus", "buzzer", "doorbell_led"} & switches
    assert not {"floodlight_on_motion", "ai_track"} & switches
    selects = keys_of(hass, entry, "select")
    assert not {"mirroring", "flip", "ir_lights"} & selects
    registry = er.async_get(hass)
    upnp = registry.async_get(entity_id_of(hass, f"{entry.unique_id}_upnp", "switch"))
    assert upnp is not None
    assert upnp.disabled_by is er.RegistryEntryDisabler.INTEGRATION
    assert upnp.entity_category == "config"


async def test_disabled_system_switches(hass: HomeAssistant, ipc: Simulator) -> None:
    """UPnP, P2P and NTP are off the wire until enabled; then they work."""
    entry = await add_device(hass, ipc)
    ids = [entity_id_of(hass, f"{entry.unique_id}_{key}", "switch") for key in ("upnp", "p2p")]
    assert all(hass.states.get(entity_id) is None for entity_id in ids)
    ipc.clear_log()
    await entry.runtime_data.settings.async_refresh()
    sent = {cmd for request in ipc.requests for cmd in request["commands"]}
    assert not {"GetUpnp", "GetP2p"} & sent
    await enable(hass, entry, *ids)
    await switch(hass, ids[0], True)
    assert config(ipc, "Upnp", None)["enable"] == 1
    await switch(hass, ids[1], False)
    assert config(ipc, "P2p", None)["enable"] == 0


async def test_refusal_is_an_error_and_state_kept(hass: HomeAssistant, ipc: Simulator) -> None:
    """A device refusing the Set raises a translated error; its setting stays."""
    entry = await add_device(hass, ipc)
    entity_id = entity_id_of(hass, f"{entry.unique_id}_status_led", "switch")
    ipc.set_fault(command_errors={"SetPowerLed": -4})
    with pytest.raises(HomeAssistantError) as error:
        await switch(hass, entity_id, False)
    assert error.value.translation_key == "invalid_value"
    assert config(ipc, "PowerLed")["state"] == "On"
    assert hass.states.get(entity_id).state == STATE_ON


async def test_ptz_switches(hass: HomeAssistant, ptz: Simulator) -> None:
    """Patrol starts and stops (PtzCtrl), guard and autofocus write their settings."""
    entry = await add_device(hass, ptz, enable=["ptz_guard", "auto_focus"])
    patrol = entity_id_of(hass, f"{entry.unique_id}_ptz_patrol", "switch")
    await switch(hass, patrol, True)
    assert config(ptz, "PtzPatrol")[0]["running"] == 1
    assert hass.states.get(patrol).state == STATE_ON
    await switch(hass, patrol, False)
    assert config(ptz, "PtzPatrol")[0]["running"] == 0
    guard = entity_id_of(hass, f"{entry.unique_id}_ptz_guard", "switch")
    await switch(hass, guard, True)
    assert config(ptz, "PtzGuard")["benable"] == 1
    focus = entity_id_of(hass, f"{entry.unique_id}_auto_focus", "switch")
    assert hass.states.get(focus).state == STATE_ON
    await switch(hass, focus, False)
    assert config(ptz, "AutoFocus")["disable"] == 1
    ai_track = entity_id_of(hass, f"{entry.unique_id}_ai_track", "switch")
    await switch(hass, ai_track, True)
    assert config(ptz, "AiCfg")["aiTrack"] == 1


async def test_nvr_channel_and_hub_switches(hass: HomeAssistant, nvr: Simulator) -> None:
    """Per-channel switches sit on the channel's device, device-wide ones on the hub."""
    entry = await add_device(hass, nvr, enable=["osd_time"])
    channel = nvr.state["channels"][2]
    entity_id = entity_id_of(hass, f"{channel['uid']}_osd_time", "switch")
    await switch(hass, entity_id, False)
    assert config(nvr, "Osd", 2)["osdTime"]["enable"] == 0
    assert config(nvr, "Osd", 1)["osdTime"]["enable"] == 1
    registry = er.async_get(hass)
    devices = dr.async_get(hass)
    child = devices.async_get(registry.async_get(entity_id).device_id)
    assert child.identifiers == {(DOMAIN, channel["uid"])}
    buzzer = entity_id_of(hass, f"{entry.unique_id}_buzzer", "switch")
    hub = devices.async_get(registry.async_get(buzzer).device_id)
    assert hub.identifiers == {(DOMAIN, entry.unique_id)}
    await switch(hass, buzzer, False)
    assert config(nvr, "BuzzerAlarmV20", None)["enable"] == 0
    assert config(nvr, "BuzzerAlarmV20", 2)["scheduleEnable"] == 1
    offline = nvr.state["channels"][5]["uid"]
    assert hass.states.get(entity_id_of(hass, f"{offline}_osd_time", "switch")).state == (
        STATE_UNAVAILABLE
    )


async def test_doorbell_led(hass: HomeAssistant, doorbell: Simulator) -> None:
    """A doorbell's power LED is its doorbell LED; it has no siren switch for audio."""
    entry = await add_device(hass, doorbell)
    switches = keys_of(hass, entry, "switch")
    assert "doorbell_led" in switches
    assert "status_led" not in switches
    assert "audio_alarm" not in switches
    entity_id = entity_id_of(hass, f"{entry.unique_id}_doorbell_led", "switch")
    await switch(hass, entity_id, False)
    assert config(doorbell, "PowerLed")["eDoorbellLightState"] == "Off"
    assert hass.states.get(entity_id).state == STATE_OFF
    await switch(hass, entity_id, True)
    assert config(doorbell, "PowerLed")["eDoorbellLightState"] == "On"
    doorbell.patch_state(
        {"channels": {"0": {"config": {"PowerLed": {"eDoorbellLightState": "KeepOn"}}}}}
    )
    await entry.runtime_data.settings.async_refresh()
    assert hass.states.get(entity_id).state == STATE_ON


async def test_wifi_camera_switches(hass: HomeAssistant, wifi: Simulator) -> None:
    """A Wi-Fi camera has its LED switches but no audio alarm."""
    entry = await add_device(hass, wifi)
    switches = keys_of(hass, entry, "switch")
    assert {"status_led", "ir_lights", "recording"} <= switches
    assert "audio_alarm" not in switches
    entity_id = entity_id_of(hass, f"{entry.unique_id}_ir_lights", "switch")
    await switch(hass, entity_id, False)
    assert config(wifi, "IrLights")["state"] == "Off"


async def test_nvr16_last_channel(hass: HomeAssistant, nvr16: Simulator) -> None:
    """All sixteen channels get their settings; the last one is writable."""
    await add_device(hass, nvr16)
    uid = nvr16.state["channels"][15]["uid"]
    entity_id = entity_id_of(hass, f"{uid}_privacy_mask", "switch")
    await switch(hass, entity_id, True)
    assert config(nvr16, "Mask", 15)["enable"] == 1


def test_ir_lights_on_unless_off() -> None:
    """Models with an "On" state besides "Auto" show the IR switch on for both."""
    description = next(d for d in SWITCHES if d.key == "ir_lights")
    assert description.value_fn({"IrLights": {"state": "On"}}) is True
    assert description.value_fn({"IrLights": {"state": "Auto"}}) is True
    assert description.value_fn({"IrLights": {"state": "Off"}}) is False
    assert description.value_fn({}) is None


SCHEDULED = ("RecV20", "EmailV20", "FtpV20", "PushV20", "BuzzerAlarmV20")


def scheduled_state(sim: Simulator, family: str) -> tuple[Any, list[Any]]:
    """The device-wide `enable` and every camera's `scheduleEnable` of a V20 family."""
    cameras = [config(sim, family, channel["channel"]) for channel in sim.state["channels"]]
    return config(sim, family, None)["enable"], [camera["scheduleEnable"] for camera in cameras]


@pytest.mark.parametrize(
    ("key", "family"),
    [
        ("recording", "RecV20"),
        ("email", "EmailV20"),
        ("ftp", "FtpV20"),
        ("push", "PushV20"),
        ("buzzer", "BuzzerAlarmV20"),
    ],
)
async def test_nvr_camera_switch_and_hub_switch_are_independent(
    hass: HomeAssistant, nvr: Simulator, key: str, family: str
) -> None:
    """One camera's switch changes only its `scheduleEnable`; the hub's only `enable`."""
    entry = await add_device(hass, nvr)
    camera = nvr.state["channels"][2]
    own = entity_id_of(hass, f"{camera['uid']}_{key}", "switch")
    hub = entity_id_of(hass, f"{entry.unique_id}_{key}", "switch")
    registry = er.async_get(hass)
    assert registry.async_get(hub).translation_key == f"{key}_all"
    wide, cameras = scheduled_state(nvr, family)
    changed = [1 - value if index == 2 else value for index, value in enumerate(cameras)]

    await switch(hass, own, not cameras[2])
    assert scheduled_state(nvr, family) == (wide, changed)
    assert hass.states.get(own).state == (STATE_OFF if cameras[2] else STATE_ON)
    assert hass.states.get(hub).state == (STATE_ON if wide else STATE_OFF)

    await switch(hass, hub, not wide)
    assert scheduled_state(nvr, family) == (1 - wide, changed)
    assert hass.states.get(hub).state == (STATE_OFF if wide else STATE_ON)
    await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    other = entity_id_of(hass, f"{nvr.state['channels'][1]['uid']}_{key}", "switch")
    assert hass.states.get(other).state == (STATE_ON if cameras[1] else STATE_OFF)
    assert hass.states.get(own).state == (STATE_OFF if cameras[2] else STATE_ON)
    assert hass.states.get(hub).state == (STATE_OFF if wide else STATE_ON)


async def test_stand_alone_camera_has_only_its_own_schedule_switches(
    hass: HomeAssistant, ipc: Simulator
) -> None:
    """A V20 camera's recording switch is its `scheduleEnable`; no "(all cameras)" twin."""
    entry = await add_device(hass, ipc)
    registry = er.async_get(hass)
    keys = {
        entity.translation_key
        for entity in er.async_entries_for_config_entry(registry, entry.entry_id)
        if entity.domain == "switch"
    }
    assert {"recording", "email", "ftp", "push"} <= keys
    assert not {f"{key}_all" for key in ("recording", "email", "ftp", "push", "buzzer")} & keys


async def test_settings_poll_rewrites_only_changed_entities(
    hass: HomeAssistant, ipc: Simulator
) -> None:
    """A settings poll writes the state of the entities whose answer changed, no other."""
    entry = await add_device(hass, ipc)
    settings = entry.runtime_data.settings
    registry = er.async_get(hass)
    shown = [
        state.entity_id
        for state in hass.states.async_all(("switch", "select", "number", "siren"))
        if registry.async_get(state.entity_id).config_entry_id == entry.entry_id
    ]
    assert len(shown) > 5

    async def written_by_a_poll() -> list[str]:
        # Home Assistant updates `last_reported` on every write, changed or not.
        before = {entity_id: hass.states.get(entity_id).last_reported for entity_id in shown}
        await settings.async_refresh()
        await hass.async_block_till_done()
        return [e for e in shown if hass.states.get(e).last_reported != before[e]]

    await written_by_a_poll()
    assert await written_by_a_poll() == []
    ipc.patch_state({"channels": {"0": {"config": {"IrLights": {"state": "Off"}}}}})
    ir_lights = entity_id_of(hass, f"{entry.unique_id}_ir_lights", "switch")
    assert await written_by_a_poll() == [ir_lights]
    assert hass.states.get(ir_lights).state == STATE_OFF
