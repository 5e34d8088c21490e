"""3.6.5 Search, 3.6.6 Download, 3.6.7 Snap against the simulator."""

from __future__ import annotations

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
