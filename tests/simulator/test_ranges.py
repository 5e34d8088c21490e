"""Byte ranges on Download/Playback answers (RFC 9110 14), whole files for Snap."""

from collections.abc import Mapping
from datetime import UTC, datetime

import pytest

from simulator import Simulator, media
from simulator.commands import record
from tests.simulator.conftest import Api


async def newest_recording(api: Api) -> record.Recording:
    """Yesterday's newest main-stream file of channel 0, from the simulator's own list."""
    sim = api.sim
    today = datetime.fromtimestamp(sim.device.now(), tz=UTC).date()
    yesterday = today.fromordinal(today.toordinal() - 1)
    files = record.device_recordings(sim.device, 0, "main", yesterday)
    return max(files, key=lambda rec: rec.start)


def clip_of(sim: Simulator, rec: record.Recording) -> bytes:
    """The bytes the simulator serves for a recording."""
    colour = sim.device.profile.channels[rec.channel].colour
    return media.video_clip(rec.channel, rec.stream, colour, rec.seconds)


async def fetch(
    api: Api, cmd: str, source: str, range_header: str | None
) -> tuple[int, Mapping[str, str], bytes]:
    """GET a recording with an optional Range header: status, headers, body."""
    token = await api.token()
    headers = {} if range_header is None else {"Range": range_header}
    params = {"cmd": cmd, "source": source, "output": "x.mp4", "token": token}
    async with api.http.get(api.endpoint, params=params, headers=headers) as response:
        return response.status, response.headers, await response.read()


async def test_whole_file_announces_length_and_ranges(api: Api) -> None:
    """Without Range: 200, Content-Length of the file, Accept-Ranges."""
    rec = await newest_recording(api)
    clip = clip_of(api.sim, rec)
    status, headers, body = await fetch(api, "Download", rec.name, None)
    assert status == 200
    assert body == clip
    assert headers["Content-Length"] == str(len(clip))
    assert headers["Accept-Ranges"] == "bytes"
    assert "Content-Range" not in headers


@pytest.mark.parametrize("cmd", ["Download", "Playback"])
@pytest.mark.parametrize(
    ("header", "part"),
    [
        ("bytes=100-1099", slice(100, 1100)),
        ("bytes=0-0", slice(0, 1)),
        ("bytes=9000-", slice(9000, None)),
        ("bytes=-50", slice(-50, None)),
        ("bytes=5000-999999", slice(5000, None)),
        ("bytes=-999999", slice(0, None)),
        (" bytes=7-9 ", slice(7, 10)),
    ],
)
async def test_single_ranges_answer_206(api: Api, cmd: str, header: str, part: slice) -> None:
    """a-b, a-, -n (clamped to the file) answer exactly those bytes with Content-Range."""
    rec = await newest_recording(api)
    clip = clip_of(api.sim, rec)
    begin, stop, _step = part.indices(len(clip))
    status, headers, body = await fetch(api, cmd, rec.name, header)
    assert status == 206
    assert body == clip[begin:stop]
    assert headers["Content-Length"] == str(stop - begin)
    assert headers["Content-Range"] == f"bytes {begin}-{stop - 1}/{len(clip)}"
    assert headers["Accept-Ranges"] == "bytes"


@pytest.mark.parametrize("header", ["bytes=999999-", "bytes=-0", "bytes={size}-{size}"])
async def test_range_outside_the_file_is_416(api: Api, header: str) -> None:
    """A range starting at or past the end answers 416 with the size and no body."""
    rec = await newest_recording(api)
    size = len(clip_of(api.sim, rec))
    status, headers, body = await fetch(api, "Download", rec.name, header.format(size=size))
    assert status == 416
    assert headers["Content-Range"] == f"bytes */{size}"
    assert body == b""


@pytest.mark.parametrize(
    "header", ["bytes=0-10,20-30", "bytes=20-10", "items=0-10", "bytes=abc", "bytes=-"]
)
async def test_unusable_ranges_get_the_whole_file(api: Api, header: str) -> None:
    """Malformed and multi-part ranges are ignored, as RFC 9110 14.2 allows."""
    rec = await newest_recording(api)
    status, headers, body = await fetch(api, "Download", rec.name, header)
    assert status == 200
    assert body == clip_of(api.sim, rec)
    assert "Content-Range" not in headers


async def test_snap_ignores_range(api: Api) -> None:
    """Snap stays a whole JPEG, without Accept-Ranges."""
    token = await api.token()
    params = {"cmd": "Snap", "channel": "0", "rs": "r1", "token": token}
    async with api.http.get(
        api.endpoint, params=params, headers={"Range": "bytes=0-9"}
    ) as response:
        body = await response.read()
        assert response.status == 200
        assert "Accept-Ranges" not in response.headers
    assert body[:2] == b"\xff\xd8"
    assert len(body) > 10


async def test_errors_stay_json_with_a_range(api: Api) -> None:
    """A missing file answers the JSON error (200), whatever range was asked for."""
    status, _headers, body = await fetch(
        api, "Download", "Mp4Record/2000-01-01/RecM01_none.mp4", "bytes=0-9"
    )
    assert status == 200
    assert b'"rspCode": -222' in body or b'"rspCode": -220' in body
