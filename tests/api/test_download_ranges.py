"""Opening Download/Playback answers with byte ranges (3.6.6, 3.6.8) against the simulator."""

import asyncio
from contextlib import AsyncExitStack
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import pytest

from custom_components.reolink_http.api import ReolinkClient, ReolinkFileError
from custom_components.reolink_http.api.transport import ByteRange
from simulator import Simulator, media
from simulator.commands import record
from tests.forwarder import Forwarder

from .conftest import SimFactory


def newest_recording(sim: Simulator) -> record.Recording:
    """Yesterday's newest main-stream file of channel 0."""
    today = datetime.fromtimestamp(sim.device.now(), tz=UTC).date()
    files = record.device_recordings(sim.device, 0, "main", today - timedelta(days=1))
    return max(files, key=lambda rec: rec.start)


def clip_of(sim: Simulator, rec: record.Recording) -> bytes:
    """What the simulator serves for a recording."""
    colour = sim.device.profile.channels[rec.channel].colour
    return media.video_clip(rec.channel, rec.stream, colour, rec.seconds)


async def client_through(
    forwarder: Forwarder, http: aiohttp.ClientSession, stack: AsyncExitStack
) -> ReolinkClient:
    """A client that reaches the simulator only through the forwarder (plain HTTP)."""
    client = ReolinkClient(
        "127.0.0.1", "admin", "password", session=http, port=forwarder.port, use_https=False
    )
    return await stack.enter_async_context(client)


async def read_all(client: ReolinkClient, source: str, **options: Any) -> tuple[Any, bytes]:
    """Open a download, read it to the end; the answer object and the bytes."""
    async with client.open_download(source, **options) as answer:
        body = b"".join([chunk async for chunk in answer])
    return answer, body


async def test_whole_file_reports_size_and_type(start_sim: SimFactory, connect: SimFactory) -> None:
    sim = await start_sim(profile="ipc")
    client = await connect(sim)
    rec = newest_recording(sim)
    clip = clip_of(sim, rec)
    answer, body = await read_all(client, rec.name, chunk_size=1000)
    assert body == clip
    assert (answer.status, answer.partial, answer.satisfiable) == (200, False, True)
    assert answer.size == answer.length == len(clip)
    assert (answer.first_byte, answer.last_byte) == (0, len(clip) - 1)
    assert answer.content_type == "video/mp4"
    assert answer.received == len(clip)


@pytest.mark.parametrize(
    ("byte_range", "part"),
    [
        (ByteRange(100, 1099), slice(100, 1100)),
        (ByteRange(9000, None), slice(9000, None)),
        (ByteRange(None, 50), slice(-50, None)),
        (ByteRange(5000, 10**9), slice(5000, None)),
    ],
    ids=["a-b", "a-", "-n", "past-end"],
)
async def test_ranges_answer_206_with_exact_bytes(
    start_sim: SimFactory, connect: SimFactory, byte_range: ByteRange, part: slice
) -> None:
    sim = await start_sim(profile="ipc")
    client = await connect(sim)
    rec = newest_recording(sim)
    clip = clip_of(sim, rec)
    begin, stop, _step = part.indices(len(clip))
    answer, body = await read_all(client, rec.name, byte_range=byte_range, chunk_size=256)
    assert body == clip[begin:stop]
    assert (answer.status, answer.partial) == (206, True)
    assert (answer.first_byte, answer.last_byte, answer.size) == (begin, stop - 1, len(clip))
    assert answer.length == answer.received == stop - begin


async def test_part_starting_like_json_is_data(start_sim: SimFactory, connect: SimFactory) -> None:
    """A 206 part beginning with `{` or `[` is file data, not a device error answer."""
    sim = await start_sim(profile="ipc")
    client = await connect(sim)
    rec = newest_recording(sim)
    clip = clip_of(sim, rec)
    for opener in (b"{", b"["):
        offset = clip.find(opener)
        assert offset > 0, "the generated clip holds both bytes"
        _answer, body = await read_all(client, rec.name, byte_range=ByteRange(offset, None))
        assert body == clip[offset:]


async def test_range_past_the_end_is_416_with_the_size(
    start_sim: SimFactory, connect: SimFactory
) -> None:
    sim = await start_sim(profile="ipc")
    client = await connect(sim)
    rec = newest_recording(sim)
    size = len(clip_of(sim, rec))
    answer, body = await read_all(client, rec.name, byte_range=ByteRange(size, None))
    assert (answer.status, answer.satisfiable, answer.size, answer.length) == (416, False, size, 0)
    assert body == b""


async def test_errors_and_token_expiry_with_a_range(
    start_sim: SimFactory, connect: SimFactory
) -> None:
    """Device errors stay typed; an expired token is renewed once, the range kept."""
    sim = await start_sim(profile="ipc")
    client = await connect(sim)
    with pytest.raises(ReolinkFileError):
        await read_all(client, "Mp4Record/2000-01-01/RecM01_none.mp4", byte_range=ByteRange(0, 9))
    rec = newest_recording(sim)
    sim.set_fault(expire_tokens=True)
    answer, body = await read_all(client, rec.name, byte_range=ByteRange(0, 9))
    assert (answer.status, body) == (206, clip_of(sim, rec)[:10])
    assert sim.login_count == 2


async def test_device_ignoring_range_answers_the_whole_file(
    start_sim: SimFactory, http: aiohttp.ClientSession, stack: AsyncExitStack
) -> None:
    """Firmware without Range support: 200, the whole file, its size from Content-Length."""
    sim = await start_sim(profile="ipc")
    forwarder = await stack.enter_async_context(Forwarder(sim, drop_range=True))
    client = await client_through(forwarder, http, stack)
    rec = newest_recording(sim)
    clip = clip_of(sim, rec)
    answer, body = await read_all(client, rec.name, byte_range=ByteRange(100, 199))
    assert (answer.status, answer.partial, answer.first_byte) == (200, False, 0)
    assert answer.size == len(clip)
    assert body == clip
    ranged = [r for r in sim.requests if r["commands"] == ["Download"]]
    assert [r["status"] for r in ranged] == [200]


async def test_leaving_early_closes_the_device_connection(
    start_sim: SimFactory, http: aiohttp.ClientSession, stack: AsyncExitStack
) -> None:
    """Stopping after the first chunk hangs up on the device instead of reading on."""
    sim = await start_sim(profile="ipc")
    forwarder = await stack.enter_async_context(Forwarder(sim, drop_range=False, stall_after=2048))
    client = await client_through(forwarder, http, stack)
    rec = newest_recording(sim)
    async with client.open_download(rec.name, chunk_size=512) as answer:
        assert len(await anext(answer)) <= 512
    async with asyncio.timeout(2):
        await forwarder.reader_left.wait()
    assert forwarder.sent < len(clip_of(sim, rec))
    # The session is still usable for the next transfer.
    forwarder.stall_after = None
    _answer, body = await read_all(client, rec.name, byte_range=ByteRange(0, 3))
    assert body == clip_of(sim, rec)[:4]


async def test_callers_own_errors_pass_through(start_sim: SimFactory, connect: SimFactory) -> None:
    """A failure in the caller's code (a player gone) is not turned into a device error."""
    sim = await start_sim(profile="ipc")
    client = await connect(sim)
    rec = newest_recording(sim)

    async def player_gone_after_first_chunk() -> None:
        async with client.open_download(rec.name) as answer:
            await anext(answer)
            raise ConnectionResetError

    with pytest.raises(ConnectionResetError):
        await player_gone_after_first_chunk()


async def test_whole_download_comes_in_chunks(start_sim: SimFactory, connect: SimFactory) -> None:
    """Without a range the answer yields the whole file in chunks of at most chunk_size."""
    sim = await start_sim(profile="ipc")
    client = await connect(sim)
    rec = newest_recording(sim)
    async with client.open_download(rec.name, chunk_size=700) as answer:
        chunks = [chunk async for chunk in answer]
    assert b"".join(chunks) == clip_of(sim, rec)
    assert max(len(chunk) for chunk in chunks) <= 700


def test_byte_range_header_round_trip() -> None:
    """Parsing the player's header and writing the device's agree."""
    for header in ("bytes=0-", "bytes=5-10", "bytes=-7"):
        parsed = ByteRange.parse(header)
        assert parsed is not None
        assert parsed.header() == header
    assert ByteRange.parse(None) is None
    assert ByteRange.parse("bytes=0-1,5-6") is None
    for bad in ("bytes=9-3", "bytes=-0", "bytes=", "lines=1-2"):
        with pytest.raises(ValueError, match="="):
            ByteRange.parse(bad)
    assert ByteRange(None, 50).bounds(30) == (0, 29)
    assert ByteRange(30, None).bounds(30) is None
    assert ByteRange(0, None).is_whole_file()
    assert not ByteRange(0, 10).is_whole_file()
