"""Which controls a camera gets, decided from GetAbility as real devices report it.

The fixtures are answers captured from real cameras (tests/fixtures/real-firmware/).
Profiles of the simulator that model the
same kinds (a zoom-only RLC-822A, an RLC-811A announcing its spotlight only through
`supportFLswitch`) check the same rules end to end through Home Assistant.
"""

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er

from custom_components.reolink_http.api import Abilities, DeviceInfo
from custom_components.reolink_http.binary_sensor import BINARY_SENSORS
from custom_components.reolink_http.button import BUTTONS
from custom_components.reolink_http.device import ReolinkDevice
from custom_components.reolink_http.entity import supported_targets
from custom_components.reolink_http.light import FLOODLIGHT
from custom_components.reolink_http.number import NUMBERS
from simulator import Simulator
from tests import REAL_FIRMWARE

from .conftest import add_device, profile_simulator

CAPTURES = REAL_FIRMWARE
PAN_TILT_BUTTONS = {"ptz_left", "ptz_right", "ptz_up", "ptz_down"}
ZOOM_CONTROLS = {"ptz_zoom_in", "ptz_zoom_out", "zoom", "focus"}


def captured_value(model: str, cmd: str) -> Any:
    answer = json.loads((CAPTURES / f"{model}_{cmd}.json").read_text())
    return (answer[0] if isinstance(answer, list) else answer)["value"]


def captured_device(model: str, **channel_features: int) -> ReolinkDevice:
    """The camera as its captured GetAbility and GetDevInfo describe it.

    `channel_features` overrides a feature's version in `abilityChn`, to model a
    fact documented for a model no capture exists of.
    """
    ability = captured_value(model, "GetAbility")["Ability"]
    for feature, version in channel_features.items():
        ability["abilityChn"][0][feature] = {"permit": 6, "ver": version}
    info = DeviceInfo.from_value(captured_value(model, "GetDevInfo")["DevInfo"])
    return ReolinkDevice(info, Abilities.from_value(ability), "ec:71:db:00:00:01")


def created_keys(device: ReolinkDevice) -> set[str]:
    """Keys of the buttons, numbers and light the abilities allow on channel 0."""
    descriptions = [*BUTTONS, *NUMBERS, FLOODLIGHT]
    return {description.key for description, _ in supported_targets(device, descriptions)}


@pytest.mark.parametrize("model", ["RLC-511W", "RLC-822A"])
def test_zoom_only_cameras_get_zoom_and_focus_but_no_pan_tilt(model: str) -> None:
    """`ptzType` 1 is a zoom lens: zoom and focus, no direction buttons."""
    device = captured_device(model)
    assert device.abilities.version("ptzType", 0) == 1
    keys = created_keys(device)
    assert keys >= ZOOM_CONTROLS
    assert not PAN_TILT_BUTTONS & keys
    assert "ptz_stop" in keys


def test_pan_tilt_camera_gets_direction_buttons() -> None:
    """The E1 Zoom (`ptzType` 5, `ptzDirection` 1) pans, tilts and zooms."""
    device = captured_device("E1-Zoom")
    keys = created_keys(device)
    assert keys >= PAN_TILT_BUTTONS | ZOOM_CONTROLS


def test_direction_ability_alone_allows_pan_tilt() -> None:
    """`ptzDirection` counts even where `ptzType` says zoom only."""
    device = captured_device("RLC-822A", ptzDirection=1)
    assert created_keys(device) >= PAN_TILT_BUTTONS


def test_fixed_camera_gets_no_ptz_controls() -> None:
    device = captured_device("RLC-822A", ptzType=0)
    assert not (PAN_TILT_BUTTONS | ZOOM_CONTROLS | {"ptz_stop"}) & created_keys(device)


@pytest.mark.parametrize(
    ("features", "expected"),
    [
        ({}, False),  # the captured RLC-822A: all three announce nothing
        ({"supportFLswitch": 1}, True),  # as RLC-811A/823A report: floodLight version 0
        ({"supportFLBrightness": 1}, True),
        ({"floodLight": 1}, True),
    ],
)
def test_spotlight_announced_by_any_of_three_features(
    features: dict[str, int], expected: bool
) -> None:
    device = captured_device("RLC-822A", **features)
    assert device.abilities.version("floodLight", 0) == features.get("floodLight", 0)
    assert ("floodlight" in created_keys(device)) is expected


def dog_cat_controls(device: ReolinkDevice) -> set[str]:
    """The dog/cat sensor and numbers the device gets on channel 0."""
    sensor = next(d for d in BINARY_SENSORS if d.key == "animal")
    numbers = {d.key for d, _ in supported_targets(device, NUMBERS) if "dog_cat" in d.key}
    return numbers | ({sensor.key} if sensor.supported_fn(device, 0) else set())


def test_animal_ability_alone_gives_sensor_and_numbers() -> None:
    """Firmware announcing dogs/cats only as `supportAiAnimal` gets the sensor and numbers."""
    ai = {"supportAi": 1, "supportAiSensitivity": 1, "supportAiStayTime": 1}
    device = captured_device("RLC-822A", supportAiDogCat=0, supportAiAnimal=1, **ai)
    assert dog_cat_controls(device) == {"animal", "ai_dog_cat_sensitivity", "ai_dog_cat_delay"}
    without = captured_device("RLC-822A", supportAiDogCat=0, supportAiAnimal=0, **ai)
    assert dog_cat_controls(without) == set()


def test_captured_floodlight_version_announces_a_light() -> None:
    """The E1 Zoom capture reports `floodLight` 2; GetWhiteLed's answer then decides."""
    assert "floodlight" in created_keys(captured_device("E1-Zoom"))


def _entity_keys(hass: HomeAssistant, unique_id: str | None, platform: str) -> set[str]:
    registry = er.async_get(hass)
    return {
        entity.unique_id.removeprefix(f"{unique_id}_")
        for entity in registry.entities.values()
        if entity.domain == platform and entity.platform == "reolink_http"
    }


@pytest.fixture
async def zoom() -> AsyncIterator[Simulator]:
    """A zoom-only camera (`ptzType` 1) like the RLC-822A."""
    async for sim in profile_simulator("zoom"):
        yield sim


async def test_zoom_only_profile_through_home_assistant(
    hass: HomeAssistant, zoom: Simulator
) -> None:
    """The zoom-only RLC-822A profile: zoom/focus entities, no pan/tilt buttons."""
    entry = await add_device(hass, zoom)
    buttons = _entity_keys(hass, entry.unique_id, "button")
    numbers = _entity_keys(hass, entry.unique_id, "number")
    assert {"ptz_zoom_in", "ptz_zoom_out"} <= buttons
    assert not PAN_TILT_BUTTONS & buttons
    assert {"zoom", "focus"} <= numbers


async def test_switch_announced_spotlight_gets_a_light(
    hass: HomeAssistant, floodlight: Simulator
) -> None:
    """The floodlight profile announces its LED only through supportFLswitch."""
    reply = floodlight.device.execute(
        "GetAbility", 0, {"User": {"userName": "admin"}}, user="admin"
    )
    channel = reply.value["Ability"]["abilityChn"][0]
    assert channel["floodLight"]["ver"] == 0
    assert channel["supportFLswitch"]["ver"] == 1
    entry = await add_device(hass, floodlight)
    assert "floodlight" in _entity_keys(hass, entry.unique_id, "light")
