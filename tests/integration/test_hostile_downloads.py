"""Downloads and playback from a device that never finishes, through Home Assistant.

A device sending one byte a second held `download_recording` for over 20 minutes and
kept the player's connection open. A stall limit and a size ceiling end both with a
clear error; a temporary file a killed Home Assistant left is removed at the next start.
The clock is virtual (`VirtualClock`): the device's one byte a second and the stall
limit both follow it, so minutes pass in seconds and the outcome does not depend on load.
"""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from homeassistant.components.media_source import async_resolve_media
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.reolink_http.api.transport import STALL_SECONDS
from custom_components.reolink_http.recording_download import PARTIALS_STORE
from simulator import Simulator

from .conftest import add_device
from .helpers import camera_of, download, sim_days, sim_recordings
from .test_hostile import VirtualClock
from .test_media_source import first_recording, setup_media


@pytest.fixture
def clock(hass: HomeAssistant) -> Iterator[VirtualClock]:
    virtual = VirtualClock(hass)
    yield virtual
    virtual.restore()


def download_args(hass: HomeAssistant, entry: MockConfigEntry, sim: Simulator) -> dict[str, Any]:
    rec = sim_recordings(sim, 0, "main", sim_days(sim)[1])[0]
    return {
        "entity_id": camera_of(hass, entry, 0),
        "start_time": rec.start.replace(tzinfo=None).isoformat(sep=" "),
    }


async def device_sees_the_hang_up(clock: VirtualClock) -> None:
    """Let the device's next byte come due: it finds the connection closed and stops.

    Its timer runs on the virtual clock; left pending, it would outlive the test.
    """
    await clock.advance(2)


def recorded_partials(hass_storage: dict[str, Any]) -> list[str]:
    stored: list[str] = hass_storage.get(PARTIALS_STORE, {}).get("data", [])
    return stored


async def test_trickling_download_ends_as_stalled(
    hass: HomeAssistant,
    camera: Simulator,
    media_dir: Path,
    clock: VirtualClock,
    hass_storage: dict[str, Any],
) -> None:
    """One byte a second: the action fails `transfer_stalled`, no file is left."""
    entry = await add_device(hass, camera)
    camera.set_fault(trickle_files=1.0)
    target = media_dir / "clip.mp4"
    saving = hass.async_create_task(
        download(hass, filename=str(target), **download_args(hass, entry, camera))
    )
    await clock.advance_until(lambda: bool(list(media_dir.iterdir())), within=5)
    partial = next(media_dir.iterdir())
    assert partial.name.startswith("clip.mp4.")
    assert partial.suffix == ".part"
    assert recorded_partials(hass_storage) == [str(partial)]
    await clock.advance(STALL_SECONDS + 1)
    assert saving.done()
    with pytest.raises(HomeAssistantError) as failed:
        await saving
    assert not isinstance(failed.value, ServiceValidationError)
    assert failed.value.translation_key == "transfer_stalled"
    assert list(media_dir.iterdir()) == []
    assert recorded_partials(hass_storage) == []
    await device_sees_the_hang_up(clock)


async def test_trickling_playback_ends_the_players_connection(
    hass: HomeAssistant,
    camera: Simulator,
    clock: VirtualClock,
    hass_client: ClientSessionGenerator,
) -> None:
    """The proxy gives up on the device and closes the player's answer short."""
    entry = await setup_media(hass, camera)
    url = (await async_resolve_media(hass, await first_recording(hass, entry, camera), None)).url
    client = await hass_client()
    camera.set_fault(trickle_files=1.0)

    async def play() -> int:
        answer = await client.get(url)
        try:
            return len(await answer.read())
        except aiohttp.ClientPayloadError:
            return -1

    playing = hass.async_create_task(play())
    await clock.advance_until(playing.done, within=STALL_SECONDS + 5)
    assert playing.result() == -1
    await device_sees_the_hang_up(clock)


async def test_endless_download_ends_at_the_ceiling(
    hass: HomeAssistant, camera: Simulator, media_dir: Path
) -> None:
    """A chunked answer without end: refused past the listed size and room to grow."""
    entry = await add_device(hass, camera)
    camera.set_fault(endless_files=True, field_values={"size": 1000})
    with pytest.raises(HomeAssistantError) as failed:
        await download(
            hass, filename=str(media_dir / "clip.mp4"), **download_args(hass, entry, camera)
        )
    assert failed.value.translation_key == "transfer_too_large"
    assert list(media_dir.iterdir()) == []


async def test_leftovers_of_a_killed_run_are_removed_at_start(
    hass: HomeAssistant, camera: Simulator, media_dir: Path, hass_storage: dict[str, Any]
) -> None:
    """Only the temporary files on record, by the names downloads give them."""
    leftover = media_dir / "clip.mp4.0a1b2c3d.part"
    not_ours = media_dir / "notes.txt"
    finished = media_dir / "clip.mp4"
    for path in (leftover, not_ours, finished):
        path.write_bytes(b"x")
    hass_storage[PARTIALS_STORE] = {
        "version": 1,
        "minor_version": 1,
        "key": PARTIALS_STORE,
        "data": [str(leftover), str(not_ours), str(media_dir / "gone.mp4.00000000.part")],
    }
    await add_device(hass, camera)
    assert sorted(media_dir.iterdir()) == [finished, not_ours]
    assert recorded_partials(hass_storage) == []
