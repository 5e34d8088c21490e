"""The download_recording service and the recording proxy's byte ranges, against the simulator."""

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from homeassistant.config_entries import SOURCE_USER
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.reolink_http.const import CONF_USE_HTTPS, DOMAIN
from custom_components.reolink_http.recordings import RecordingRef
from custom_components.reolink_http.views import DATA_VIEW, RecordingProxyView
from simulator import Simulator
from tests.forwarder import Forwarder

from .conftest import add_device, user_input
from .helpers import camera_of, download, sim_clip, sim_days, sim_recordings


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
    clip = sim_clip(ipc, rec)
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
    assert (media_dir / "nvr.mp4").read_bytes() == sim_clip(nvr, earliest)


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
    """-222 from Download and -99 for an offline channel become translated errors.

    They are the device's failures, not the user's input: HomeAssistantError, never
    ServiceValidationError.
    """
    entry = await add_device(hass, nvr)
    rec = sim_recordings(nvr, 1, "main", sim_days(nvr)[1])[0]
    arguments = {
        "start_time": rec.start.replace(tzinfo=None).isoformat(sep=" "),
        "filename": str(media_dir / "gone.mp4"),
    }
    nvr.set_fault(command_errors={"Download": -222})
    with pytest.raises(HomeAssistantError) as gone:
        await download(hass, entity_id=camera_of(hass, entry, 1), **arguments)
    assert not isinstance(gone.value, ServiceValidationError)
    assert gone.value.translation_key == "no_such_file"
    nvr.clear_faults()

    with pytest.raises(HomeAssistantError) as offline:
        await download(hass, entity_id=camera_of(hass, entry, 5), **arguments)
    assert not isinstance(offline.value, ServiceValidationError)
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


# --- the proxy's byte ranges ------------------------------------------------------------------


def proxy_view(hass: HomeAssistant) -> RecordingProxyView:
    """The registered recording proxy."""
    view: RecordingProxyView = hass.data[DATA_VIEW]
    return view


def proxy_path(entry: MockConfigEntry, sim: Simulator) -> tuple[str, bytes]:
    """Proxy path of yesterday's newest main-stream recording of channel 0, and its bytes."""
    rec = sim_recordings(sim, 0, "main", sim_days(sim)[1])[0]
    return RecordingRef(entry.entry_id, 0, "main", rec.name).path(), sim_clip(sim, rec)


def downloads(sim: Simulator) -> list[int]:
    """Statuses of the Download requests the device answered, oldest first."""
    return [r["status"] for r in sim.requests if r["commands"] == ["Download"]]


async def add_device_behind(hass: HomeAssistant, forwarder: Forwarder) -> MockConfigEntry:
    """Add the simulator as reached through the forwarder (plain HTTP on its port)."""
    form = user_input(forwarder.sim, port=forwarder.port, **{CONF_USE_HTTPS: False})
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    result = await hass.config_entries.flow.async_configure(result["flow_id"], form)
    assert result["type"] is FlowResultType.CREATE_ENTRY, result
    await hass.async_block_till_done()
    entry: MockConfigEntry = result["result"]
    return entry


@pytest.fixture
async def range_blind(ipc: Simulator) -> AsyncIterator[Forwarder]:
    """The camera as firmware that ignores Range (answers 200, whole file, with length)."""
    async with Forwarder(ipc, drop_range=True) as forwarder:
        yield forwarder


@pytest.fixture
async def range_and_length_blind(ipc: Simulator) -> AsyncIterator[Forwarder]:
    """Firmware that ignores Range and sends no Content-Length either."""
    async with Forwarder(ipc, drop_range=True, drop_length=True) as forwarder:
        yield forwarder


@pytest.mark.parametrize(
    ("header", "part"),
    [
        ("bytes=100-1099", slice(100, 1100)),
        ("bytes=-50", slice(-50, None)),
        ("bytes=9000-", slice(9000, None)),
        ("bytes=4000-999999", slice(4000, None)),
    ],
)
async def test_first_seek_is_one_ranged_device_request(
    hass: HomeAssistant,
    ipc: Simulator,
    hass_client: ClientSessionGenerator,
    header: str,
    part: slice,
) -> None:
    """The player's range goes to the device (206), no pass to learn the size first;
    only the range's bytes come from the device."""
    entry = await add_device(hass, ipc)
    path, clip = proxy_path(entry, ipc)
    begin, stop, _step = part.indices(len(clip))
    client = await hass_client()
    ipc.clear_log()
    pulled_before = proxy_view(hass).device_bytes
    answer = await client.get(path, headers={"Range": header})
    assert answer.status == 206
    assert await answer.read() == clip[begin:stop]
    assert answer.headers["Content-Range"] == f"bytes {begin}-{stop - 1}/{len(clip)}"
    assert answer.headers["Content-Length"] == str(stop - begin)
    assert downloads(ipc) == [206]
    assert proxy_view(hass).device_bytes - pulled_before == stop - begin


async def test_whole_file_has_its_length_from_the_start(
    hass: HomeAssistant, ipc: Simulator, hass_client: ClientSessionGenerator
) -> None:
    """A first plain request already announces Content-Length (the device sent it)."""
    entry = await add_device(hass, ipc)
    path, clip = proxy_path(entry, ipc)
    client = await hass_client()
    ipc.clear_log()
    for headers in ({}, {"Range": "bytes=0-"}):
        answer = await client.get(path, headers=headers)
        assert answer.status == 200
        assert answer.headers["Content-Length"] == str(len(clip))
        assert await answer.read() == clip
    assert downloads(ipc) == [200, 200]


async def test_range_past_the_end_asks_the_device_once(
    hass: HomeAssistant, ipc: Simulator, hass_client: ClientSessionGenerator
) -> None:
    """The device's 416 reaches the player with the size; the size is then known here."""
    entry = await add_device(hass, ipc)
    path, clip = proxy_path(entry, ipc)
    client = await hass_client()
    ipc.clear_log()
    for _ in range(2):
        answer = await client.get(path, headers={"Range": f"bytes={len(clip) + 10}-"})
        assert answer.status == 416
        assert answer.headers["Content-Range"] == f"bytes */{len(clip)}"
    assert downloads(ipc) == [416]


async def test_device_ignoring_range_is_cut_here(
    hass: HomeAssistant, range_blind: Forwarder, hass_client: ClientSessionGenerator
) -> None:
    """200 from the device: the proxy skips to the range, still one device request."""
    entry = await add_device_behind(hass, range_blind)
    sim = range_blind.sim
    path, clip = proxy_path(entry, sim)
    client = await hass_client()
    sim.clear_log()
    middle = await client.get(path, headers={"Range": "bytes=100-1099"})
    assert middle.status == 206
    assert middle.headers["Content-Range"] == f"bytes 100-1099/{len(clip)}"
    assert await middle.read() == clip[100:1100]
    tail = await client.get(path, headers={"Range": "bytes=-50"})
    assert (tail.status, await tail.read()) == (206, clip[-50:])
    beyond = await client.get(path, headers={"Range": f"bytes={len(clip)}-"})
    assert beyond.status == 416
    assert downloads(sim) == [200, 200]


async def test_device_without_range_or_length_costs_one_counting_pass(
    hass: HomeAssistant, range_and_length_blind: Forwarder, hass_client: ClientSessionGenerator
) -> None:
    """Only when the device tells nothing about the size is the file read once to count it."""
    entry = await add_device_behind(hass, range_and_length_blind)
    sim = range_and_length_blind.sim
    path, clip = proxy_path(entry, sim)
    client = await hass_client()
    sim.clear_log()
    first = await client.get(path, headers={"Range": "bytes=2000-2999"})
    assert first.status == 206
    assert first.headers["Content-Range"] == f"bytes 2000-2999/{len(clip)}"
    assert await first.read() == clip[2000:3000]
    assert len(downloads(sim)) == 2
    again = await client.get(path, headers={"Range": "bytes=-10"})
    assert (again.status, await again.read()) == (206, clip[-10:])
    assert len(downloads(sim)) == 3
