"""The telephoto lens of a TrackMix behind an NVR: its cameras, pictures and streams."""

from collections.abc import AsyncIterator
from urllib.parse import quote

import pytest
from homeassistant.components.camera import async_get_image, async_get_stream_source
from homeassistant.const import CONF_PORT
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er

from custom_components.reolink_http.const import CONF_PROTOCOL, DOMAIN
from simulator import Simulator

from .conftest import PASSWORD, add_device, profile_simulator


@pytest.fixture
async def nvr() -> AsyncIterator[Simulator]:
    """An NVR with a TrackMix on channel 0 and a single-lens camera on channel 1."""
    async for sim in profile_simulator("nvr-trackmix"):
        yield sim


def _camera(hass: HomeAssistant, unique_id: str) -> str | None:
    return er.async_get(hass).async_get_entity_id("camera", DOMAIN, unique_id)


def _snaps(sim: Simulator) -> list[str]:
    return [r["path"] for r in sim.requests if r["commands"] == ["Snap"]]


async def test_only_the_tracker_has_telephoto_cameras(hass: HomeAssistant, nvr: Simulator) -> None:
    """The telephoto camera is enabled, its sub stream twin disabled; channel 1 has neither."""
    entry = await add_device(hass, nvr)
    device = entry.runtime_data.device
    tracker, single = device.channel_key(0), device.channel_key(1)
    registry = er.async_get(hass)
    main = _camera(hass, f"{tracker}_autotrack_main")
    sub = _camera(hass, f"{tracker}_autotrack_sub")
    assert main is not None
    assert sub is not None
    main_entry = registry.async_get(main)
    sub_entry = registry.async_get(sub)
    assert main_entry is not None
    assert sub_entry is not None
    assert main_entry.disabled_by is None
    assert sub_entry.disabled_by is er.RegistryEntryDisabler.INTEGRATION
    assert main == "camera.camera01_telephoto"
    assert _camera(hass, f"{single}_autotrack_main") is None
    assert _camera(hass, f"{single}_autotrack_sub") is None


async def test_telephoto_pictures_come_from_the_second_lens(
    hass: HomeAssistant, nvr: Simulator
) -> None:
    """Snap with iLogicChannel=1, of the asked stream; the wide camera's Snap has none."""
    entry = await add_device(hass, nvr, enable=["autotrack_sub"])
    key = entry.runtime_data.device.channel_key(0)
    nvr.clear_log()
    for unique_id in ("autotrack_main", "autotrack_sub"):
        entity_id = _camera(hass, f"{key}_{unique_id}")
        assert entity_id is not None
        image = await async_get_image(hass, entity_id, width=640, height=360)
        assert image.content.startswith(b"\xff\xd8")
    wide = _camera(hass, f"{key}_camera")
    assert wide is not None
    await async_get_image(hass, wide)
    snaps = _snaps(nvr)
    assert len(snaps) == 3
    assert ["iLogicChannel=1" in snap for snap in snaps] == [True, True, False]
    assert ["snapType=main" in snaps[0], "snapType=sub" in snaps[1]] == [True, True]
    # The lens's own picture, not a scaled copy of its sub stream size asked from GetEnc.
    assert not any("width=" in snap for snap in snaps[:2])


async def test_telephoto_streams_keep_their_one_form(hass: HomeAssistant, nvr: Simulator) -> None:
    """Main over RTSP `Preview_01_autotrack`, sub over FLV, whatever protocol the options set."""
    entry = await add_device(hass, nvr, enable=["autotrack_sub"])
    key = entry.runtime_data.device.channel_key(0)
    for protocol in ("rtsp", "flv"):
        hass.config_entries.async_update_entry(entry, options={CONF_PROTOCOL: protocol})
        await hass.async_block_till_done()
        main = await async_get_stream_source(hass, _camera(hass, f"{key}_autotrack_main") or "")
        sub = await async_get_stream_source(hass, _camera(hass, f"{key}_autotrack_sub") or "")
        assert main is not None
        assert sub is not None
        assert main.startswith("rtsp://")
        assert main.endswith("/Preview_01_autotrack")
        assert quote(PASSWORD, safe="") in main
        scheme = "https" if nvr.https else "http"
        assert sub.startswith(f"{scheme}://{nvr.host}:{entry.data[CONF_PORT]}/flv?")
        assert "stream=channel0_autotrack_sub.bcs" in sub
