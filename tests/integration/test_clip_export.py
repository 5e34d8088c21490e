"""download_recording with join: every recording of a window in one file, cut to the window."""

import io
from datetime import timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any

import av
import pytest
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError

from custom_components.reolink_http import recording_download
from custom_components.reolink_http.recording_download import PARTIALS_STORE
from simulator import Simulator
from simulator.commands import record

from .conftest import add_device
from .helpers import camera_of, download, sent, sim_clip, sim_days, sim_recordings


def packets_of(data: bytes) -> list[tuple[float, bool, bytes]]:
    """(seconds, key frame, payload) of every video packet of an MP4."""
    with av.open(io.BytesIO(data)) as container:
        stream = container.streams.video[0]
        return [
            (float(packet.dts * packet.time_base), packet.is_keyframe, bytes(packet))
            for packet in container.demux(stream)
            if packet.dts is not None
        ]


def kept(clip: bytes, keep_from: float, keep_to: float) -> list[bytes]:
    """The payloads a stream copy keeps: from the last key frame at or before `keep_from`."""
    packets = packets_of(clip)
    first = max(i for i, (at, key, _) in enumerate(packets) if key and at <= keep_from)
    return [payload for at, _, payload in packets[first:] if at < keep_to]


def two_in_a_row(sim: Simulator) -> tuple[record.Recording, record.Recording]:
    """Two consecutive recordings of a day, oldest first, the second at least 20 s long."""
    recordings = sorted(sim_recordings(sim, 0, "main", sim_days(sim)[1]), key=lambda r: r.start)
    return next((a, b) for a, b in pairwise(recordings) if b.seconds >= 20)


async def test_window_over_two_recordings_is_one_file(
    hass: HomeAssistant, camera: Simulator, media_dir: Path
) -> None:
    """From 10 s into the first to 20 s into the second: both, copied, cut, back to back."""
    entry = await add_device(hass, camera)
    first, second = two_in_a_row(camera)
    start = first.start.replace(tzinfo=None) + timedelta(seconds=10)
    end = second.start.replace(tzinfo=None) + timedelta(seconds=20)
    target = media_dir / "window.mp4"
    camera.clear_log()

    response: dict[str, Any] = await download(
        hass,
        entity_id=camera_of(hass, entry, 0),
        start_time=start.isoformat(sep=" "),
        end_time=end.isoformat(sep=" "),
        filename=str(target),
        join=True,
    )

    joined = target.read_bytes()
    expected = kept(sim_clip(camera, first), 10, first.seconds) + kept(
        sim_clip(camera, second), 0, 20
    )
    # Stream copy: the very packets of the device's files, none re-encoded.
    assert [payload for _, _, payload in packets_of(joined)] == expected
    times = [at for at, _, _ in packets_of(joined)]
    assert times == sorted(set(times))
    assert times[0] == 0
    assert response["sources"] == [first.name, second.name]
    assert response["size"] == len(joined)
    assert response["seconds"] == pytest.approx(len(expected), abs=1)
    assert sent(camera, "Download") == 2
    assert sorted(path.name for path in media_dir.iterdir()) == ["window.mp4"]


async def test_window_inside_one_recording_is_cut_at_its_end(
    hass: HomeAssistant, camera: Simulator, media_dir: Path
) -> None:
    """A window within one recording: its part from the key frame before the start."""
    entry = await add_device(hass, camera)
    first, _ = two_in_a_row(camera)
    start = first.start.replace(tzinfo=None) + timedelta(seconds=3)
    end = start + timedelta(seconds=10)
    target = media_dir / "short.mp4"

    await download(
        hass,
        entity_id=camera_of(hass, entry, 0),
        start_time=start.isoformat(sep=" "),
        end_time=end.isoformat(sep=" "),
        filename=str(target),
        join=True,
    )

    packets = [payload for _, _, payload in packets_of(target.read_bytes())]
    assert packets == kept(sim_clip(camera, first), 3, 13)


async def test_join_needs_an_end(hass: HomeAssistant, camera: Simulator, media_dir: Path) -> None:
    """Without an end there is no window: refused before the device is asked."""
    entry = await add_device(hass, camera)
    first, _ = two_in_a_row(camera)
    camera.clear_log()
    with pytest.raises(ServiceValidationError) as refused:
        await download(
            hass,
            entity_id=camera_of(hass, entry, 0),
            start_time=first.start.replace(tzinfo=None).isoformat(sep=" "),
            filename=str(media_dir / "x.mp4"),
            join=True,
        )
    assert refused.value.translation_key == "join_needs_end"
    assert sent(camera, "Search") == 0


async def test_too_many_recordings_are_refused_before_downloading(
    hass: HomeAssistant, camera: Simulator, media_dir: Path
) -> None:
    """A span of days holds more recordings than one file takes: nothing is downloaded."""
    entry = await add_device(hass, camera)
    days = sim_days(camera)[1:6]
    count = sum(len(sim_recordings(camera, 0, "main", day)) for day in days)
    assert count > recording_download.MAX_JOINED
    camera.clear_log()
    with pytest.raises(ServiceValidationError) as refused:
        await download(
            hass,
            entity_id=camera_of(hass, entry, 0),
            start_time=f"{days[-1].isoformat()} 00:00:00",
            end_time=f"{days[0].isoformat()} 23:59:59",
            filename=str(media_dir / "week.mp4"),
            join=True,
        )
    assert refused.value.translation_key == "too_many_to_join"
    assert sent(camera, "Download") == 0
    assert list(media_dir.iterdir()) == []


async def test_failed_download_leaves_nothing_behind(
    hass: HomeAssistant, camera: Simulator, media_dir: Path, hass_storage: dict[str, Any]
) -> None:
    """A device sending without end: a clear error, no file, no temporary file on record."""
    entry = await add_device(hass, camera)
    first, second = two_in_a_row(camera)
    camera.set_fault(endless_files=True, field_values={"size": 1000})
    with pytest.raises(HomeAssistantError) as failed:
        await download(
            hass,
            entity_id=camera_of(hass, entry, 0),
            start_time=first.start.replace(tzinfo=None).isoformat(sep=" "),
            end_time=second.end.replace(tzinfo=None).isoformat(sep=" "),
            filename=str(media_dir / "window.mp4"),
            join=True,
        )
    assert failed.value.translation_key == "transfer_too_large"
    assert list(media_dir.iterdir()) == []
    assert hass_storage[PARTIALS_STORE]["data"] == []
