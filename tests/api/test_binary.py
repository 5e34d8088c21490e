"""3.6.5 Search, 3.6.6 Download, 3.6.7 Snap against the simulator."""

import io
from datetime import datetime, timedelta

import pytest
from PIL import Image

from custom_components.reolink_http.api import (
    ReolinkClient,
    ReolinkFileError,
    ReolinkInvalidChannelError,
)
from custom_components.reolink_http.api.commands import search
from custom_components.reolink_http.api.fields import ENC, SUB_STREAM

from .conftest import SimFactory, api_requests


@pytest.mark.parametrize("https", [False, True], ids=["http", "https"])
async def test_snapshot_is_a_jpeg_of_the_requested_size(
    start_sim: SimFactory, connect: SimFactory, https: bool
) -> None:
    sim = await start_sim(profile="ipc", https=https)
    client = await connect(sim)
    data = await client.snapshot(0, width=640, height=360)
    picture = Image.open(io.BytesIO(data))
    assert picture.format == "JPEG"
    assert picture.size == (640, 360)
    assert all(r["token_used"] for r in api_requests(sim) if r["commands"] == ["Snap"])


async def test_snapshot_of_the_sub_stream(start_sim: SimFactory, connect: SimFactory) -> None:
    """snapType=sub, with the sub stream's size for firmware that ignores snapType."""
    sim = await start_sim(profile="ipc")
    client = await connect(sim)
    (enc,) = await client.execute([ENC.request(0)])
    assert SUB_STREAM.dimensions.read(enc.value) == (640, 360)
    data = await client.snapshot(0, 640, 360, stream="sub")
    assert Image.open(io.BytesIO(data)).size == (640, 360)
    snap = [r["path"] for r in api_requests(sim) if r["commands"] == ["Snap"]]
    assert len(snap) == 1
    assert "snapType=sub" in snap[0]
    assert "width=640" in snap[0]
    assert "height=360" in snap[0]


@pytest.mark.parametrize(
    ("size", "dimensions"),
    [("896*512", (896, 512)), ("0*360", None), ("auto", None), ("", None), ("640*", None)],
)
def test_stream_dimensions_from_size(size: str, dimensions: tuple[int, int] | None) -> None:
    assert SUB_STREAM.dimensions.read({"Enc": {"subStream": {"size": size}}}) == dimensions


async def test_snapshot_errors_are_typed_and_token_expiry_retried(
    start_sim: SimFactory, connect: SimFactory
) -> None:
    sim = await start_sim(profile="nvr-16")
    client = await connect(sim)
    with pytest.raises(ReolinkInvalidChannelError):
        await client.snapshot(40)
    sim.set_fault(expire_tokens=True)
    assert (await client.snapshot(1))[:2] == b"\xff\xd8"
    assert sim.login_count == 2


async def _recordings(client: ReolinkClient, channel: int = 0) -> dict[str, int]:
    now = datetime.now()
    found = await client.run(search(channel, now - timedelta(days=2), now, "main"))
    return {f.name: f.size for f in found.files}


async def test_download_streams_in_chunks(start_sim: SimFactory, connect: SimFactory) -> None:
    sim = await start_sim(profile="ipc")
    client = await connect(sim)
    files = await _recordings(client)
    name = next(iter(files))
    async with client.open_download(name, chunk_size=1024) as answer:
        chunks = [chunk async for chunk in answer]
    body = b"".join(chunks)
    assert body[4:8] == b"ftyp"  # an MP4 file
    assert len(chunks) >= len(body) // 1024
    assert all(len(c) <= 1024 for c in chunks)


async def test_download_of_missing_file_is_typed(
    start_sim: SimFactory, connect: SimFactory
) -> None:
    sim = await start_sim(profile="ipc")
    client = await connect(sim)
    with pytest.raises(ReolinkFileError) as caught:
        async with client.open_download("Mp4Record/2000-01-01/RecM01_none.mp4"):
            pass
    assert caught.value.code in (-220, -222)
