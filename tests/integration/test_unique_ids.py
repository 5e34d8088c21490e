"""Entities registered by the previous release keep working after the update.

Before, schedule-version-1 devices had one device-wide switch each for e-mail, FTP and
push (on the camera or NVR hub) and the NVR's buzzer, and a recording switch per
channel. Now the hub has the device-wide switches and each camera its own; the
unique IDs of the old entities stay, so automations, names and history carry over.
"""

from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.reolink_http.binary_sensor import BINARY_SENSORS
from custom_components.reolink_http.button import BUTTONS
from custom_components.reolink_http.camera import CAMERAS
from custom_components.reolink_http.const import DOMAIN
from custom_components.reolink_http.light import FLOODLIGHT
from custom_components.reolink_http.number import NUMBERS
from custom_components.reolink_http.select import ACTION_SELECTS, AUTO_REPLY, SELECTS
from custom_components.reolink_http.sensor import SENSORS
from custom_components.reolink_http.siren import SIRENS
from custom_components.reolink_http.switch import SWITCHES
from custom_components.reolink_http.time import TIMES
from custom_components.reolink_http.update import FIRMWARE
from simulator import Simulator

from .conftest import add_device

# (owner, key): "hub" is the camera's or NVR's MAC, "camera" the NVR channel's UID.
PREVIOUS_NVR_SWITCHES = [
    ("hub", "email"),
    ("hub", "ftp"),
    ("hub", "push"),
    ("hub", "buzzer"),
    ("camera", "recording"),
]
PREVIOUS_CAMERA_SWITCHES = [("hub", "recording"), ("hub", "email"), ("hub", "ftp"), ("hub", "push")]


async def _as_previous_release(
    hass: HomeAssistant, entry: MockConfigEntry, unique_ids: list[str]
) -> dict[str, str]:
    """Unload, leave only the switches the previous release had, and load again."""
    assert await hass.config_entries.async_unload(entry.entry_id)
    registry = er.async_get(hass)
    for entity in er.async_entries_for_config_entry(registry, entry.entry_id):
        if entity.domain == "switch":
            registry.async_remove(entity.entity_id)
    old = {
        unique_id: registry.async_get_or_create(
            "switch",
            DOMAIN,
            unique_id,
            config_entry=entry,
            suggested_object_id=f"previous_{index}",
        ).entity_id
        for index, unique_id in enumerate(unique_ids)
    }
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return old


def _assert_all_live(hass: HomeAssistant, entry: MockConfigEntry, old: dict[str, str]) -> None:
    registry = er.async_get(hass)
    for unique_id, entity_id in old.items():
        assert registry.async_get_entity_id("switch", DOMAIN, unique_id) == entity_id
        state = hass.states.get(entity_id)
        assert state is not None, unique_id
        assert state.state != STATE_UNAVAILABLE, unique_id
    # No registry entry of the entry is left without an entity (restored as unavailable).
    for entity in er.async_entries_for_config_entry(registry, entry.entry_id):
        state = hass.states.get(entity.entity_id)
        assert state is None or not state.attributes.get("restored"), entity.entity_id


async def test_nvr_switches_of_the_previous_release_keep_working(
    hass: HomeAssistant, nvr: Simulator
) -> None:
    entry = await add_device(hass, nvr)
    camera = next(channel for channel in nvr.state["channels"] if channel["online"])
    owners = {"hub": entry.unique_id, "camera": camera["uid"]}
    unique_ids = [f"{owners[owner]}_{key}" for owner, key in PREVIOUS_NVR_SWITCHES]
    old = await _as_previous_release(hass, entry, unique_ids)
    _assert_all_live(hass, entry, old)
    registry = er.async_get(hass)
    hub_email = registry.async_get(old[f"{entry.unique_id}_email"])
    assert hub_email is not None
    assert hub_email.translation_key == "email_all"


async def test_camera_switches_of_the_previous_release_keep_working(
    hass: HomeAssistant, ipc: Simulator
) -> None:
    entry = await add_device(hass, ipc)
    unique_ids = [f"{entry.unique_id}_{key}" for _owner, key in PREVIOUS_CAMERA_SWITCHES]
    old = await _as_previous_release(hass, entry, unique_ids)
    _assert_all_live(hass, entry, old)


def test_entity_keys_are_plain_names() -> None:
    """Entity keys (and so unique IDs) never borrow a client name, e.g. a Feature member."""
    descriptions = [
        *BINARY_SENSORS, *BUTTONS, *CAMERAS, FLOODLIGHT, *NUMBERS, *SELECTS, *ACTION_SELECTS,
        AUTO_REPLY, *SENSORS, *SIRENS, *SWITCHES, *TIMES, FIRMWARE,
    ]  # fmt: skip
    assert [d.key for d in descriptions if type(d.key) is not str] == []
    assert "p2p" in {description.key for description in SWITCHES}
