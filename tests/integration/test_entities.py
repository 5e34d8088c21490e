"""Binary sensors, cameras and diagnostics through Home Assistant's state machine."""

import json
from urllib.parse import quote

import pytest
from homeassistant.components.camera import async_get_image, async_get_stream_source
from homeassistant.const import STATE_OFF, STATE_ON
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.reolink_http.const import CONF_PROTOCOL, CONF_STREAM
from simulator import Simulator

from .conftest import PASSWORD, add_device
from .helpers import entity_id_of, event_polls, motion_entity


@pytest.mark.parametrize(
    ("kind", "key"),
    [("people", "person"), ("vehicle", "vehicle"), ("dog_cat", "animal")],
)
async def test_ai_sensor_follows_device(
    hass: HomeAssistant, ipc: Simulator, kind: str, key: str
) -> None:
    """Each AI type the camera supports has a sensor that follows GetAiState."""
    entry = await add_device(hass, ipc)
    entity_id = entity_id_of(hass, f"{entry.unique_id}_{key}")
    assert hass.states.get(entity_id).state == STATE_OFF
    ipc.patch_state({"channels": {"0": {"ai": {kind: True}}}})
    await entry.runtime_data.events.async_refresh()
    await hass.async_block_till_done()
    assert hass.states.get(entity_id).state == STATE_ON
    # Not the motion device class: it reads Clear/Detected, not "Motion detected".
    assert "device_class" not in hass.states.get(entity_id).attributes


async def test_only_supported_ai_types_exist(hass: HomeAssistant, ipc: Simulator) -> None:
    """No face or package sensor on a camera whose abilities lack them."""
    entry = await add_device(hass, ipc)
    registry = er.async_get(hass)
    keys = {
        entity.unique_id.removeprefix(f"{entry.unique_id}_")
        for entity in er.async_entries_for_config_entry(registry, entry.entry_id)
        if entity.domain == "binary_sensor"
    }
    assert keys == {"motion", "person", "vehicle", "animal"}


async def test_motion_sensor_on_and_off(hass: HomeAssistant, ipc: Simulator) -> None:
    """Motion follows GetMdState both ways (ONVIF off, so only the poll reports it)."""
    ipc.patch_state({"config": {"NetPort": {"onvifEnable": 0}}})
    entry = await add_device(hass, ipc)
    entity_id = motion_entity(hass, entry.unique_id)
    ipc.patch_state({"channels": {"0": {"motion": True}}})
    await entry.runtime_data.events.async_refresh()
    await hass.async_block_till_done()
    assert hass.states.get(entity_id).state == STATE_ON
    ipc.patch_state({"channels": {"0": {"motion": False}}})
    await entry.runtime_data.events.async_refresh()
    await hass.async_block_till_done()
    assert hass.states.get(entity_id).state == STATE_OFF


async def test_events_poll_is_one_request(hass: HomeAssistant, nvr: Simulator) -> None:
    """All channels' motion and AI state travel in a single POST: one GetEvents each."""
    entry = await add_device(hass, nvr)
    nvr.clear_log()
    await entry.runtime_data.events.async_refresh()
    online = [channel for channel in nvr.state["channels"] if channel["online"]]
    # Ours and any poll its timer sent meanwhile: each one request for all channels.
    polls = event_polls(nvr)
    assert polls
    assert all(commands == ["GetEvents"] * len(online) for commands in polls)


async def test_events_poll_without_get_events(hass: HomeAssistant, wifi: Simulator) -> None:
    """Firmware answering GetEvents with -9 is polled with GetMdState (+ GetAiState)."""
    entry = await add_device(hass, wifi)
    assert not entry.runtime_data.events.use_get_events
    wifi.clear_log()
    wifi.patch_state({"channels": {"0": {"motion": True}}})
    await entry.runtime_data.events.async_refresh()
    await hass.async_block_till_done()
    polls = event_polls(wifi)
    assert polls
    assert all(commands == ["GetMdState"] for commands in polls)
    assert hass.states.get(motion_entity(hass, entry.unique_id)).state == STATE_ON


def _snaps(sim: Simulator) -> list[str]:
    return [r["path"] for r in sim.requests if r["commands"] == ["Snap"]]


@pytest.mark.parametrize(
    ("query", "small"),
    [
        ("?width=490&height=0", True),  # the camera dialog and live dashboard cards
        ("?width=320", True),
        ("?height=200", True),
        ("?width=640&height=360", True),
        ("", False),
        ("?width=0&height=0", False),
        ("?width=640&height=480", False),  # taller than the sub stream
        ("?width=5000&height=5000", False),  # larger than any stream
    ],
)
async def test_camera_proxy_gives_a_picture_for_any_size(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    ipc: Simulator,
    query: str,
    small: bool,
) -> None:
    """Every size Home Assistant may ask gives a picture: the sub stream's when it is
    large enough (snapType=sub at its own size, read once with GetEnc), else full size."""
    entry = await add_device(hass, ipc)
    entity_id = entity_id_of(hass, f"{entry.unique_id}_camera", "camera")
    client = await hass_client()
    ipc.clear_log()
    for _ in range(2):
        response = await client.get(f"/api/camera_proxy/{entity_id}{query}")
        assert response.status == 200
        assert (await response.read()).startswith(b"\xff\xd8")
    snaps = _snaps(ipc)
    assert len(snaps) == 2
    expected = ["snapType=sub", "width=640", "height=360"]
    assert all(all(part in snap for part in expected) == small for snap in snaps)
    assert all(("width=" in snap) == small and ("height=" in snap) == small for snap in snaps)
    gets = [r for r in ipc.requests if "GetEnc" in r["commands"]]
    assert len(gets) == (1 if query and query != "?width=0&height=0" else 0)


async def test_refused_sub_picture_falls_back_to_full_size(
    hass: HomeAssistant, hass_client: ClientSessionGenerator, ipc: Simulator
) -> None:
    """A sub stream size the device refuses for Snap (-4) still gives the full picture."""
    ipc.patch_state({"channels": {"0": {"config": {"Enc": {"subStream": {"size": "8192*4608"}}}}}})
    entry = await add_device(hass, ipc)
    entity_id = entity_id_of(hass, f"{entry.unique_id}_camera", "camera")
    client = await hass_client()
    ipc.clear_log()
    response = await client.get(f"/api/camera_proxy/{entity_id}?width=490&height=0")
    assert response.status == 200
    assert (await response.read()).startswith(b"\xff\xd8")
    snaps = _snaps(ipc)
    assert len(snaps) == 2
    assert "width=8192" in snaps[0]
    assert "width=" not in snaps[1]


async def test_sub_camera_snapshots_the_sub_stream(hass: HomeAssistant, ipc: Simulator) -> None:
    """The sub-stream camera's pictures are the sub stream's, at any asked size."""
    entry = await add_device(hass, ipc, enable=["sub"])
    entity_id = entity_id_of(hass, f"{entry.unique_id}_sub", "camera")
    ipc.clear_log()
    image = await async_get_image(hass, entity_id, width=1920, height=1080)
    assert image.content.startswith(b"\xff\xd8")
    assert ["snapType=sub" in snap and "width=640" in snap for snap in _snaps(ipc)] == [True]


async def test_camera_stream_source_uses_options(hass: HomeAssistant, ipc: Simulator) -> None:
    """RTSP by default with URL-encoded credentials; the options switch stream and protocol."""
    entry = await add_device(hass, ipc)
    entity_id = entity_id_of(hass, f"{entry.unique_id}_camera", "camera")
    source = await async_get_stream_source(hass, entity_id)
    assert source is not None
    assert source.startswith("rtsp://")
    assert quote(PASSWORD, safe="") in source
    assert "main" in source
    hass.config_entries.async_update_entry(
        entry, options={CONF_STREAM: "sub", CONF_PROTOCOL: "flv"}
    )
    await hass.async_block_till_done()
    entity_id = entity_id_of(hass, f"{entry.unique_id}_camera", "camera")
    source = await async_get_stream_source(hass, entity_id)
    assert source is not None
    assert source.startswith(("http://", "https://"))
    assert "flv" in source
    assert "sub" in source


async def test_sub_stream_camera_disabled_by_default(hass: HomeAssistant, ipc: Simulator) -> None:
    """The sub-stream twin exists but is disabled until the user enables it."""
    entry = await add_device(hass, ipc)
    registry = er.async_get(hass)
    entity_id = entity_id_of(hass, f"{entry.unique_id}_sub", "camera")
    assert registry.async_get(entity_id).disabled_by is er.RegistryEntryDisabler.INTEGRATION


async def test_doorbell_visitor_sensor(hass: HomeAssistant, doorbell: Simulator) -> None:
    """A doorbell press shows on the visitor sensor."""
    entry = await add_device(hass, doorbell)
    entity_id = entity_id_of(hass, f"{entry.unique_id}_visitor")
    doorbell.patch_state({"channels": {"0": {"visitor": True}}})
    await entry.runtime_data.events.async_refresh()
    await hass.async_block_till_done()
    assert hass.states.get(entity_id).state == STATE_ON


async def test_diagnostics_redacted(
    hass: HomeAssistant, hass_client: ClientSessionGenerator, ipc: Simulator
) -> None:
    """Diagnostics hold no password, token, MAC or serial."""
    entry = await add_device(hass, ipc)
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    text = json.dumps(diagnostics)
    assert PASSWORD not in text
    assert ipc.state["device"]["serial"] not in text
    assert str(entry.unique_id) not in text
    assert diagnostics["entry"]["data"]["password"] == "**REDACTED**"
    assert diagnostics["device"]["model"] == ipc.state["device"]["model"]


async def test_events_fall_back_when_get_events_is_refused(
    hass: HomeAssistant, ipc: Simulator
) -> None:
    """GetEvents answered -9 after setup: the same refresh asks GetMdState and GetAiState."""
    entry = await add_device(hass, ipc)
    events = entry.runtime_data.events
    assert events.use_get_events
    ipc.set_fault(command_errors={"GetEvents": -9})
    ipc.patch_state({"channels": {"0": {"motion": True}}})
    ipc.clear_log()
    await events.async_refresh()
    await hass.async_block_till_done()
    assert not events.use_get_events
    assert [request["commands"] for request in ipc.requests] == [
        ["GetEvents"],
        ["GetMdState", "GetAiState"],
    ]
    assert hass.states.get(motion_entity(hass, entry.unique_id)).state == STATE_ON
