"""File transfers that never end: a stall limit and a size ceiling end them with clear errors."""

import asyncio
from contextlib import AbstractAsyncContextManager

import pytest

from custom_components.reolink_http.api import (
    FileAnswer,
    ReolinkStalledError,
    ReolinkTooLargeError,
)
from custom_components.reolink_http.api.transport import (
    FILE_GROWTH_BYTES,
    MAX_FILE_BYTES,
    STALL_BYTES,
    size_ceiling,
)

from .conftest import SimFactory
from .test_download_ranges import clip_of, newest_recording


async def drain(opened: AbstractAsyncContextManager[FileAnswer], seen: list[FileAnswer]) -> None:
    """Read a file answer to its end; `seen` gets the answer, to look at after an error."""
    async with opened as answer:
        seen.append(answer)
        async for _chunk in answer:
            pass


async def test_a_device_sending_one_byte_a_second_is_stalled(
    start_sim: SimFactory, connect: SimFactory
) -> None:
    """One byte a second can never bring STALL_BYTES within the limit: the read ends."""
    sim = await start_sim(profile="ipc")
    client = await connect(sim, stall_seconds=0.5)
    rec = newest_recording(sim)
    sim.set_fault(trickle_files=1.0)
    seen: list[FileAnswer] = []
    with pytest.raises(ReolinkStalledError, match=f"less than {STALL_BYTES} bytes in 0.5 s"):
        await drain(client.open_download(rec.name), seen)
    assert seen[0].received < STALL_BYTES


async def test_time_the_reader_spends_elsewhere_does_not_count(
    start_sim: SimFactory, connect: SimFactory
) -> None:
    """A paused player resumes: only waiting for the device counts towards the limit."""
    sim = await start_sim(profile="ipc")
    client = await connect(sim, stall_seconds=1.0)
    rec = newest_recording(sim)
    body = b""
    async with client.open_download(rec.name, chunk_size=1024) as answer:
        async for chunk in answer:
            if not body:
                await asyncio.sleep(1.5)  # the reader pauses, the device has the bytes ready
            body += chunk
    assert body == clip_of(sim, rec)


async def test_an_endless_file_ends_at_the_ceiling(
    start_sim: SimFactory, connect: SimFactory
) -> None:
    """Chunked zeros without end: refused past twice the listed size and room to grow."""
    sim = await start_sim(profile="ipc")
    client = await connect(sim)
    rec = newest_recording(sim)
    sim.set_fault(endless_files=True)
    seen: list[FileAnswer] = []
    with pytest.raises(ReolinkTooLargeError, match=str(size_ceiling(1000))):
        await drain(client.open_download(rec.name, listed_size=1000), seen)
    assert seen[0].received <= size_ceiling(1000) + seen[0].chunk_size


def test_ceiling_follows_the_listed_size() -> None:
    assert size_ceiling(10**6) == 2 * 10**6 + FILE_GROWTH_BYTES
    assert size_ceiling(None) == size_ceiling(0) == size_ceiling(-5) == MAX_FILE_BYTES
    assert size_ceiling(10**12) == MAX_FILE_BYTES
