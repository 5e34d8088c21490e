"""Recordings in the media browser and the streaming proxy, against the simulator."""

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from homeassistant.components.media_player.errors import BrowseError
from homeassistant.components.media_source import (
    BrowseMediaSource,
    Unresolvable,
    async_browse_media,
    async_resolve_media,
)
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.reolink_http.api import ReolinkConnectionError
from custom_components.reolink_http.recordings import relay
from custom_components.reolink_http.views import DATA_VIEW
from simulator import Simulator
from simulator.commands import record

from .conftest import PASSWORD, add_device
from .helpers import sim_clip, sim_days, sim_recordings

ROOT = "media-source://reolink_http"


async def setup_media(hass: HomeAssistant, sim: Simulator) -> MockConfigEntry:
    """The device added through the config flow, and the media browser loaded."""
    entry = await add_device(hass, sim)
    assert await async_setup_component(hass, "media_source", {})
    await hass.async_block_till_done()
    return entry


def newest_of_yesterday(sim: Simulator) -> record.Recording:
    """The recording `first_recording` browses to."""
    return sim_recordings(sim, 0, "main", sim_days(sim)[1])[0]


async def browse(hass: HomeAssistant, path: str = "") -> BrowseMediaSource:
    """Browse one level below the integration's root."""
    result = await async_browse_media(hass, f"{ROOT}/{path}" if path else ROOT)
    assert isinstance(result, BrowseMediaSource)
    return result


def recordings_in(folder: BrowseMediaSource) -> list[BrowseMediaSource]:
    """A day's recordings, without the folders per trigger listed before them."""
    return [child for child in folder.children or [] if child.can_play]


def identifiers(folder: BrowseMediaSource) -> list[str]:
    """The identifiers of a folder's children (without the media-source prefix)."""
    return [child.media_content_id.removeprefix(f"{ROOT}/") for child in folder.children or []]


async def test_browse_camera_tree(hass: HomeAssistant, ipc: Simulator) -> None:
    """Device → stream → days with recordings → that day's files, newest first."""
    entry = await setup_media(hass, ipc)
    root = await browse(hass)
    assert identifiers(root) == [entry.entry_id]

    device = await browse(hass, entry.entry_id)
    assert identifiers(device) == [f"{entry.entry_id}/0/main", f"{entry.entry_id}/0/sub"]

    days = await browse(hass, f"{entry.entry_id}/0/main")
    expected_days = sim_days(ipc)
    assert [child.title for child in days.children or []] == [d.isoformat() for d in expected_days]

    day = expected_days[1]
    files = await browse(hass, f"{entry.entry_id}/0/main/{day.isoformat()}")
    expected = sim_recordings(ipc, 0, "main", day)
    assert [child.title.split(" ")[0] for child in recordings_in(files)] == [
        f"{rec.start:%H:%M:%S}" for rec in expected
    ]
    assert identifiers(files)[-len(expected) :] == [
        f"{entry.entry_id}/0/main/{day.isoformat()}/{rec.name}" for rec in expected
    ]
    first = recordings_in(files)[0]
    assert first.can_play
    assert not first.can_expand
    seconds = int((expected[0].end - expected[0].start).total_seconds())
    minutes = f"{seconds // 60} min {seconds % 60} s" if seconds >= 60 else f"{seconds} s"
    assert first.title == f"{expected[0].start:%H:%M:%S} ({minutes})"


async def test_today_lists_only_what_was_recorded(hass: HomeAssistant, ipc: Simulator) -> None:
    """Today's files all started before the device's current time, newest first."""
    entry = await setup_media(hass, ipc)
    today = sim_days(ipc)[0]
    files = await browse(hass, f"{entry.entry_id}/0/main/{today.isoformat()}")
    now = datetime.fromtimestamp(ipc.device.now(), tz=UTC)
    starts = [child.title.split(" ")[0] for child in recordings_in(files)]
    assert all(start <= f"{now:%H:%M:%S}" for start in starts), (starts, now)
    assert starts == sorted(starts, reverse=True)


async def test_browse_nvr_tree(hass: HomeAssistant, nvr: Simulator) -> None:
    """An NVR lists its channels; each channel's sub stream has its own files."""
    entry = await setup_media(hass, nvr)
    hub = await browse(hass, entry.entry_id)
    channels = nvr.state["channels"]
    assert identifiers(hub) == [f"{entry.entry_id}/{ch['channel']}" for ch in channels]
    assert [child.title for child in hub.children or []] == [ch["name"] for ch in channels]

    streams = await browse(hass, f"{entry.entry_id}/2")
    assert identifiers(streams) == [f"{entry.entry_id}/2/main", f"{entry.entry_id}/2/sub"]
    day = sim_days(nvr)[0]
    files = await browse(hass, f"{entry.entry_id}/2/sub/{day.isoformat()}")
    expected = sim_recordings(nvr, 2, "sub", day)
    names = [child.identifier.rsplit("/", 1)[-1] for child in recordings_in(files)]
    assert names == [rec.name.rsplit("/", 1)[-1] for rec in expected]
    assert all("RecS03_" in name for name in names)


async def test_offline_channel_and_busy_device_are_readable_errors(
    hass: HomeAssistant, nvr: Simulator
) -> None:
    """-99 for an offline camera and -221 for a busy device become translated errors."""
    entry = await setup_media(hass, nvr)
    with pytest.raises(BrowseError) as offline:
        await browse(hass, f"{entry.entry_id}/5/main")
    assert offline.value.translation_key == "channel_offline"
    assert "offline" in str(offline.value)

    nvr.set_fault(command_errors={"Search": -221})
    with pytest.raises(BrowseError) as busy:
        await browse(hass, f"{entry.entry_id}/1/main")
    assert busy.value.translation_key == "recording_busy"
    assert "busy" in str(busy.value)


async def test_unknown_identifiers_are_refused(hass: HomeAssistant, ipc: Simulator) -> None:
    """Identifiers we did not hand out fail with translated errors, not tracebacks."""
    entry = await setup_media(hass, ipc)
    with pytest.raises(BrowseError) as bad_stream:
        await browse(hass, f"{entry.entry_id}/0/ext")
    assert bad_stream.value.translation_key == "unknown_media"
    with pytest.raises(Unresolvable) as folder:
        await async_resolve_media(hass, f"{ROOT}/{entry.entry_id}/0/main", None)
    assert folder.value.translation_key == "unknown_media"
    with pytest.raises(Unresolvable) as gone:
        await async_resolve_media(hass, f"{ROOT}/not-an-entry/0/main/2026-01-01/x.mp4", None)
    assert gone.value.translation_key == "device_not_loaded_media"


async def first_recording(hass: HomeAssistant, entry: MockConfigEntry, sim: Simulator) -> str:
    """Media ID of the newest recording of yesterday on channel 0's main stream."""
    day = sim_days(sim)[1]
    files = await browse(hass, f"{entry.entry_id}/0/main/{day.isoformat()}")
    return recordings_in(files)[0].media_content_id


async def test_resolve_hands_out_no_secret(hass: HomeAssistant, ipc: Simulator) -> None:
    """The playable URL is a signed Home Assistant path: no device address, account, token."""
    entry = await setup_media(hass, ipc)
    resolved = await async_resolve_media(hass, await first_recording(hass, entry, ipc), None)
    assert resolved.mime_type == "video/mp4"
    assert resolved.url.startswith(f"/api/reolink_http/recording/{entry.entry_id}/0/main/")
    assert "authSig=" in resolved.url
    tokens = [session.token for session in ipc.sessions.live_sessions]
    assert tokens
    for secret in (PASSWORD, "password", "token=", ipc.host, str(ipc.port), *tokens):
        assert secret not in resolved.url


async def test_fetch_through_proxy(
    hass: HomeAssistant, ipc: Simulator, hass_client_no_auth: ClientSessionGenerator
) -> None:
    """The signed path serves the device's bytes; the unsigned path needs authentication."""
    entry = await setup_media(hass, ipc)
    resolved = await async_resolve_media(hass, await first_recording(hass, entry, ipc), None)
    client = await hass_client_no_auth()
    ipc.clear_log()
    answer = await client.get(resolved.url)
    assert answer.status == 200
    assert answer.headers["Content-Type"] == "video/mp4"
    assert answer.headers["Accept-Ranges"] == "bytes"
    assert await answer.read() == sim_clip(ipc, newest_of_yesterday(ipc))
    downloads = [r for r in ipc.requests if r["commands"] == ["Download"]]
    assert len(downloads) == 1
    assert downloads[0]["token_used"]

    unsigned = resolved.url.split("?", 1)[0]
    assert (await client.get(unsigned)).status == 401


async def test_range_requests(
    hass: HomeAssistant, ipc: Simulator, hass_client: ClientSessionGenerator
) -> None:
    """Single ranges answer 206 with exact bytes and Content-Range; beyond the end is 416."""
    entry = await setup_media(hass, ipc)
    url = (await async_resolve_media(hass, await first_recording(hass, entry, ipc), None)).url
    clip = sim_clip(ipc, newest_of_yesterday(ipc))
    client = await hass_client()

    tail = await client.get(url, headers={"Range": "bytes=-50"})
    assert tail.status == 206
    assert await tail.read() == clip[-50:]
    assert tail.headers["Content-Range"] == f"bytes {len(clip) - 50}-{len(clip) - 1}/{len(clip)}"

    middle = await client.get(url, headers={"Range": "bytes=100-1099"})
    assert middle.status == 206
    assert middle.headers["Content-Length"] == "1000"
    assert await middle.read() == clip[100:1100]

    rest = await client.get(url, headers={"Range": "bytes=9000-"})
    assert rest.status == 206
    assert await rest.read() == clip[9000:]

    whole = await client.get(url, headers={"Range": "bytes=0-"})
    assert whole.status == 200
    assert whole.headers["Content-Length"] == str(len(clip))
    assert await whole.read() == clip

    beyond = await client.get(url, headers={"Range": f"bytes={len(clip)}-"})
    assert beyond.status == 416
    assert beyond.headers["Content-Range"] == f"bytes */{len(clip)}"
    assert (await client.get(url, headers={"Range": "bytes=20-10"})).status == 416


async def test_missing_file_is_404(
    hass: HomeAssistant, ipc: Simulator, hass_client: ClientSessionGenerator
) -> None:
    """A recording the device no longer has (-222) answers 404 with a readable reason."""
    entry = await setup_media(hass, ipc)
    media_id = await first_recording(hass, entry, ipc)
    url = (await async_resolve_media(hass, media_id, None)).url
    ipc.set_fault(command_errors={"Download": -222})
    client = await hass_client()
    answer = await client.get(url)
    assert answer.status == 404
    text = await answer.text()
    assert text.startswith("no_such_file")
    assert PASSWORD not in text


async def test_closing_the_player_ends_the_transfer(
    hass: HomeAssistant, ipc: Simulator, hass_client: ClientSessionGenerator
) -> None:
    """A player that goes away mid-answer leaves no transfer running."""
    entry = await setup_media(hass, ipc)
    url = (await async_resolve_media(hass, await first_recording(hass, entry, ipc), None)).url
    view = hass.data[DATA_VIEW]
    client = await hass_client()
    answer = await client.get(url)
    assert answer.status == 200
    await answer.content.read(16)
    answer.close()
    for _ in range(500):  # the server notices the closed connection asynchronously
        if not view.active_transfers:
            break
        await asyncio.sleep(0.01)
    assert view.active_transfers == 0


async def test_relay_stops_pulling_when_the_player_is_gone(
    hass: HomeAssistant, ipc: Simulator
) -> None:
    """A failing write stops reading the device's answer after the chunk in hand."""
    entry = await setup_media(hass, ipc)
    rec = record.device_recordings(ipc.device, 0, "main", sim_days(ipc)[1])[0]
    source = rec.name
    pulled: list[int] = []

    async def counted(chunks: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
        async for chunk in chunks:
            pulled.append(len(chunk))
            yield chunk

    async def gone(_chunk: bytes) -> None:
        raise ConnectionResetError

    client = entry.runtime_data.client
    async with client.open_download(source, chunk_size=512) as device_answer:
        with pytest.raises(ConnectionResetError):
            await relay(counted(device_answer), gone)
    assert len(pulled) == 1
    # Leaving the block hung up on the device: nothing more can be read.
    with pytest.raises(ReolinkConnectionError):
        await anext(device_answer)

    written: list[bytes] = []

    async def keep(chunk: bytes) -> None:
        written.append(chunk)

    async with client.open_download(source, chunk_size=512) as device_answer:
        pulled.clear()
        assert await relay(counted(device_answer), keep, skip=700, limit=600) == 600
    clip = sim_clip(ipc, rec)
    assert b"".join(written) == clip[700:1300]
    # Reading stopped with the chunk holding byte 1299, far before the end of the file.
    assert sum(pulled[:-1]) < 1300 <= sum(pulled) < len(clip) // 2


async def test_unloaded_device_is_a_readable_error(hass: HomeAssistant, ipc: Simulator) -> None:
    """Browsing a device whose entry was unloaded explains why instead of failing."""
    entry = await setup_media(hass, ipc)
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    assert identifiers(await browse(hass)) == []
    with pytest.raises(BrowseError) as unloaded:
        await browse(hass, f"{entry.entry_id}/0/main")
    assert unloaded.value.translation_key == "device_not_loaded_media"
