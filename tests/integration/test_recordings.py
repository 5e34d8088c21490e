"""The download_recording service against the simulator."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.reolink_http.const import DOMAIN
from custom_components.reolink_http.recordings import SERVICE_DOWNLOAD
from simulator import Simulator

from .conftest import add_device
from .test_media_source import sim_clip, sim_days, sim_recordings


def camera_of(hass: HomeAssistant, entry: MockConfigEntry, channel: int) -> str:
    """Entity ID of a channel's main camera entity."""
    key = entry.runtime_data.device.channel_key(channel)
    entity_id = er.async_get(hass).async_get_entity_id("camera", DOMAIN, f"{key}_camera")
    assert entity_id is not None
    return entity_id


@pytest.fixture
def media_dir(hass: HomeAssistant, tmp_path: Path) -> Path:
    """A directory Home Assistant may write to."""
    allowed = tmp_path / "media"
    allowed.mkdir()
    hass.config.allowlist_external_dirs = {str(allowed)}
    return allowed


async def download(hass: HomeAssistant, **data: Any) -> dict[str, Any]:
    """Call the service and return its response."""
    response = await hass.services.async_call(
        DOMAIN, SERVICE_DOWNLOAD, data, blocking=True, return_response=True
    )
    assert isinstance(response, dict)
    return response


async def test_saves_the_recording_covering_a_moment(
    hass: HomeAssistant, ipc: Simulator, media_dir: Path
) -> None:
    """The file covering start_time is written with the device's bytes."""
    entry = await add_device(hass, ipc)
    rec = sim_recordings(ipc, 0, "main", sim_days(ipc)[1])[2]
    target = media_dir / "clip.mp4"
    moment = rec.start.replace(tzinfo=None) + timedelta(seconds=5)
    response = await download(
        hass,
        entity_id=camera_of(hass, entry, 0),
        start_time=moment.isoformat(sep=" "),
        filename=str(target),
    )
    clip = sim_clip(ipc, 0, "main")
    assert target.read_bytes() == clip
    assert response["source"] == rec.name
    assert response["size"] == len(clip)
    assert response["path"] == str(target)
    assert not list(media_dir.glob("*.part"))
    assert [r for r in ipc.requests if r["commands"] == ["Download"]]


async def test_nvr_channel_sub_stream_in_a_span(
    hass: HomeAssistant, nvr: Simulator, media_dir: Path
) -> None:
    """With an end time, the earliest recording starting inside the span is saved."""
    entry = await add_device(hass, nvr)
    recs = sim_recordings(nvr, 3, "sub", sim_days(nvr)[2])
    earliest = recs[-1]
    start = earliest.start.replace(tzinfo=None) - timedelta(seconds=30)
    response = await download(
        hass,
        entity_id=camera_of(hass, entry, 3),
        start_time=start.isoformat(sep=" "),
        end_time=(start + timedelta(hours=1)).isoformat(sep=" "),
        filename=str(media_dir / "nvr.mp4"),
        stream="sub",
    )
    assert response["source"] == earliest.name
    assert (media_dir / "nvr.mp4").read_bytes() == sim_clip(nvr, 3, "sub")


@pytest.mark.parametrize(
    ("template", "key"),
    [
        ("{other}/reolink.mp4", "path_not_allowed"),
        ("relative.mp4", "path_not_allowed"),
        ("{media}/../outside.mp4", "path_not_allowed"),
        ("{media}", "path_invalid"),
        ("{media}/missing/clip.mp4", "path_invalid"),
    ],
)
async def test_bad_paths_are_refused(
    hass: HomeAssistant, ipc: Simulator, media_dir: Path, template: str, key: str
) -> None:
    """Paths outside the allowed directories, folders and missing folders write nothing.

    Every path lies in the test's own directory, so a broken check cannot write elsewhere.
    """
    entry = await add_device(hass, ipc)
    rec = sim_recordings(ipc, 0, "main", sim_days(ipc)[1])[0]
    other = media_dir.parent / "other"
    other.mkdir()
    filename = template.format(media=media_dir, other=other)
    ipc.clear_log()
    with pytest.raises(ServiceValidationError) as refused:
        await download(
            hass,
            entity_id=camera_of(hass, entry, 0),
            start_time=rec.start.replace(tzinfo=None).isoformat(sep=" "),
            filename=filename,
        )
    assert refused.value.translation_key == key
    assert "Cannot write to" in str(refused.value)
    assert sorted(media_dir.parent.rglob("*")) == [media_dir, other]
    assert not [r for r in ipc.requests if "Download" in r["commands"]]


async def test_no_recording_at_that_time(
    hass: HomeAssistant, ipc: Simulator, media_dir: Path
) -> None:
    """A moment between recordings is a readable error."""
    entry = await add_device(hass, ipc)
    recs = sim_recordings(ipc, 0, "main", sim_days(ipc)[1])
    gap = recs[1].end.replace(tzinfo=None) + timedelta(seconds=1)
    assert gap < recs[0].start.replace(tzinfo=None)
    with pytest.raises(ServiceValidationError) as refused:
        await download(
            hass,
            entity_id=camera_of(hass, entry, 0),
            start_time=gap.isoformat(sep=" "),
            filename=str(media_dir / "none.mp4"),
        )
    assert refused.value.translation_key == "no_recording"
    assert not (media_dir / "none.mp4").exists()


async def test_device_errors_leave_no_file(
    hass: HomeAssistant, nvr: Simulator, media_dir: Path
) -> None:
    """-222 from Download and -99 for an offline channel become translated errors."""
    entry = await add_device(hass, nvr)
    rec = sim_recordings(nvr, 1, "main", sim_days(nvr)[1])[0]
    arguments = {
        "start_time": rec.start.replace(tzinfo=None).isoformat(sep=" "),
        "filename": str(media_dir / "gone.mp4"),
    }
    nvr.set_fault(command_errors={"Download": -222})
    with pytest.raises(ServiceValidationError) as gone:
        await download(hass, entity_id=camera_of(hass, entry, 1), **arguments)
    assert gone.value.translation_key == "no_such_file"
    nvr.clear_faults()

    with pytest.raises(ServiceValidationError) as offline:
        await download(hass, entity_id=camera_of(hass, entry, 5), **arguments)
    assert offline.value.translation_key == "channel_offline"
    assert list(media_dir.iterdir()) == []


async def test_foreign_entity_is_refused(
    hass: HomeAssistant, ipc: Simulator, media_dir: Path
) -> None:
    """Only this integration's entities name a channel."""
    await add_device(hass, ipc)
    hass.states.async_set("camera.elsewhere", "idle")
    with pytest.raises(ServiceValidationError) as refused:
        await download(
            hass,
            entity_id="camera.elsewhere",
            start_time="2026-01-01 00:00:00",
            filename=str(media_dir / "x.mp4"),
        )
    assert refused.value.translation_key == "not_reolink_entity"
