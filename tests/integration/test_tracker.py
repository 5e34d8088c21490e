"""A tracker's own settings through Home Assistant: HDR, binning, smart tracking and its limits."""

import pytest
from homeassistant.const import STATE_OFF, STATE_ON
from homeassistant.core import HomeAssistant

from simulator import Simulator

from .conftest import add_device
from .helpers import config, entity_id_of, keys_of


async def choose(hass: HomeAssistant, entity_id: str, option: str) -> None:
    """Choose through the select service."""
    await hass.services.async_call(
        "select", "select_option", {"entity_id": entity_id, "option": option}, blocking=True
    )


@pytest.mark.parametrize(("key", "field"), [("hdr", "hdr"), ("binning_mode", "binningMode")])
async def test_hdr_and_binning(
    hass: HomeAssistant, trackmix: Simulator, key: str, field: str
) -> None:
    """Off, auto and on are the codes 0, 1 and 2 of GetIsp; the rest of Isp is kept."""
    entry = await add_device(hass, trackmix, enable=[key])
    entity_id = entity_id_of(hass, f"{entry.unique_id}_{key}", "select")
    state = hass.states.get(entity_id)
    assert (state.state, state.attributes["options"]) == ("off", ["off", "auto", "on"])
    await choose(hass, entity_id, "on")
    isp = config(trackmix, "Isp")
    assert (isp[field], isp["dayNight"]) == (2, "Auto")
    await choose(hass, entity_id, "auto")
    assert config(trackmix, "Isp")[field] == 1
    assert hass.states.get(entity_id).state == "auto"


async def test_smart_tracking_switch_and_method(hass: HomeAssistant, trackmix: Simulator) -> None:
    """`bSmartTrack` switches tracking; `aiTrack` is the method, not an on/off value."""
    entry = await add_device(hass, trackmix, enable=["auto_track_method"])
    switch = entity_id_of(hass, f"{entry.unique_id}_ai_track", "switch")
    assert hass.states.get(switch).state == STATE_OFF
    await hass.services.async_call("switch", "turn_on", {"entity_id": switch}, blocking=True)
    cfg = config(trackmix, "AiCfg")
    assert (cfg["bSmartTrack"], cfg["aiTrack"]) == (1, 4)
    assert hass.states.get(switch).state == STATE_ON

    method = entity_id_of(hass, f"{entry.unique_id}_auto_track_method", "select")
    state = hass.states.get(method)
    assert state.state == "pan_tilt_first"
    assert state.attributes["options"] == ["digital", "digital_first", "pan_tilt_first"]
    await choose(hass, method, "digital_first")
    assert config(trackmix, "AiCfg")["aiTrack"] == 3


async def test_plain_ptz_keeps_its_on_off_tracking(hass: HomeAssistant, ptz: Simulator) -> None:
    """Without `bSmartTrack` the switch writes `aiTrack`, and there is no method select."""
    entry = await add_device(hass, ptz)
    switch = entity_id_of(hass, f"{entry.unique_id}_ai_track", "switch")
    await hass.services.async_call("switch", "turn_on", {"entity_id": switch}, blocking=True)
    assert config(ptz, "AiCfg")["aiTrack"] == 1
    assert "auto_track_method" not in keys_of(hass, entry, "select")
    assert not {"auto_track_limit_left", "auto_track_stop_time"} & keys_of(hass, entry, "number")


@pytest.mark.parametrize(
    ("key", "family", "field", "value", "bounds"),
    [
        ("auto_track_disappear_time", "AiCfg", "aiDisappearBackTime", 25, (1, 60)),
        ("auto_track_stop_time", "AiCfg", "aiStopBackTime", 5, (1, 60)),
        ("auto_track_limit_left", "PtzTraceSection", "LimitLeft", 900, (-1, 2700)),
        ("auto_track_limit_right", "PtzTraceSection", "LimitRight", -1, (-1, 2700)),
    ],
)
async def test_tracking_numbers(
    hass: HomeAssistant,
    trackmix: Simulator,
    key: str,
    family: str,
    field: str,
    value: int,
    bounds: tuple[int, int],
) -> None:
    """Times in GetAiCfg, pan limits in GetPtzTraceSection, bounded by their ranges."""
    entry = await add_device(hass, trackmix, enable=[key])
    entity_id = entity_id_of(hass, f"{entry.unique_id}_{key}", "number")
    state = hass.states.get(entity_id)
    assert (state.attributes["min"], state.attributes["max"]) == bounds
    await hass.services.async_call(
        "number", "set_value", {"entity_id": entity_id, "value": value}, blocking=True
    )
    assert config(trackmix, family)[field] == value
    assert float(hass.states.get(entity_id).state) == value
