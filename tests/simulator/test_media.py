"""Generated snapshots and recordings (3.6.5-3.6.8), fetched over HTTP."""

import io
from datetime import UTC, datetime, timedelta
from typing import Any

import av
import pytest
from PIL import Image
from reolink_aio.typings import VOD_trigger, parse_file_name

from tests.simulator.conftest import Api, StartSim


async def fetch(api: Api, **query: object) -> tuple[str, bytes]:
    """GET form request; content type and body."""
    params = {key: str(value) for key, value in query.items()}
    async with api.http.get(api.endpoint, params=params, ssl=False) as response:
        assert response.status == 200
        return response.content_type, await response.read()


def _window(days: int) -> dict[str, dict[str, int]]:
    now = datetime.now(tz=UTC)
    start = now - timedelta(days=days)
    keys = ("year", "mon", "day", "hour", "min", "sec")

    def stamp(moment: datetime) -> dict[str, int]:
        fields = (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second)
        return dict(zip(keys, fields, strict=True))

    return {"StartTime": stamp(start), "EndTime": stamp(now)}


async def test_snap_honours_size_and_differs_per_channel(start_sim: StartSim) -> None:
    api = await start_sim(profile="nvr-16")
    token = await api.token()
    first = await fetch(api, cmd="Snap", channel=0, rs="a1", width=640, height=360, token=token)
    second = await fetch(api, cmd="Snap", channel=1, rs="a2", width=640, height=360, token=token)
    assert first[0] == second[0] == "image/jpeg"
    images = [Image.open(io.BytesIO(body)) for _, body in (first, second)]
    assert all(image.format == "JPEG" and image.size == (640, 360) for image in images)
    assert images[0].getpixel((320, 100)) != images[1].getpixel((320, 100))
    offline = await api.get(cmd="Snap", channel=5, rs="a3", token=token)
    answer = await offline.json(content_type=None)
    assert answer[0]["error"]["rspCode"] == -99


async def test_snap_type_sub_answers_the_sub_stream_picture(start_sim: StartSim) -> None:
    """snapType=sub gives the sub stream's current size; width/height still win."""
    api = await start_sim(profile="ipc")
    token = await api.token()
    _, body = await fetch(api, cmd="Snap", channel=0, rs="b1", snapType="sub", token=token)
    assert Image.open(io.BytesIO(body)).size == (640, 360)
    _, body = await fetch(api, cmd="Snap", channel=0, rs="b2", token=token)
    assert Image.open(io.BytesIO(body)).size == (1920, 1080)
    query = {"snapType": "sub", "width": 320, "height": 180}
    _, body = await fetch(api, cmd="Snap", channel=0, rs="b3", token=token, **query)
    assert Image.open(io.BytesIO(body)).size == (320, 180)


@pytest.mark.parametrize(
    "size", [{"width": 490, "height": 0}, {"width": 0}, {"height": 9000}, {"width": "wide"}]
)
async def test_snap_refuses_sizes_outside_its_range(start_sim: StartSim, size: Any) -> None:
    api = await start_sim(profile="ipc")
    token = await api.token()
    answer = await (await api.get(cmd="Snap", channel=0, rs="c1", token=token, **size)).json(
        content_type=None
    )
    assert answer[0]["error"]["rspCode"] == -4


async def test_search_and_download_agree(start_sim: StartSim) -> None:
    api = await start_sim(profile="ipc")
    token = await api.token()
    search = {"channel": 0, "onlyStatus": 0, "streamType": "sub", **_window(8)}
    answers = await api.post([{"cmd": "Search", "param": {"Search": search}}], token=token)
    files = answers[0]["value"]["SearchResult"]["File"]
    assert len(files) >= 7 * 4
    assert all(entry["type"] == "sub" for entry in files)
    again = await api.post([{"cmd": "Search", "param": {"Search": search}}], token=token)
    assert again[0]["value"]["SearchResult"]["File"] == files
    content_type, body = await fetch(
        api, cmd="Download", source=files[-1]["name"], output="x.mp4", token=token
    )
    assert content_type == "video/mp4"
    with av.open(io.BytesIO(body)) as container:
        stream = container.streams.video[0]
        assert stream.codec_context.name in {"h264", "mpeg4"}
        frames = sum(1 for _ in container.decode(stream))
    # One frame per second of the listed length.
    assert frames == _seconds(files[-1]["EndTime"]) - _seconds(files[-1]["StartTime"])
    assert (stream.width, stream.height) == (320, 180)


async def test_download_of_unknown_file_fails(start_sim: StartSim) -> None:
    api = await start_sim(profile="ipc")
    token = await api.token()
    name = "Mp4Record/2020-12-21/RecM01_20201221_121551_121553_6D28808_2240A8.mp4"
    response = await api.get(cmd="Playback", source=name, output="x.mp4", token=token)
    answer = await response.json(content_type=None)
    assert answer[0]["error"]["rspCode"] == -222


async def test_recording_lasts_as_long_as_listed(start_sim: StartSim) -> None:
    """A player can seek through the whole length Search announced."""
    api = await start_sim(profile="ipc")
    token = await api.token()
    _, answer = await fetch_json(api, token, _window(2))
    files = answer["SearchResult"]["File"]
    longest = max(files, key=lambda f: _seconds(f["EndTime"]) - _seconds(f["StartTime"]))
    listed = _seconds(longest["EndTime"]) - _seconds(longest["StartTime"])
    assert listed >= 20
    for cmd in ("Download", "Playback"):
        content_type, body = await fetch(api, cmd=cmd, source=longest["name"], token=token)
        assert content_type == "video/mp4"
        with av.open(io.BytesIO(body)) as container:
            stream = container.streams.video[0]
            assert stream.duration is not None
            assert float(stream.duration * stream.time_base) == listed


def _seconds(stamp: dict[str, int]) -> int:
    keys = ("year", "mon", "day", "hour", "min", "sec")
    return int(datetime(*(stamp[key] for key in keys), tzinfo=UTC).timestamp())


async def fetch_json(api: Api, token: str, window: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    search = {"channel": 0, "onlyStatus": 0, "streamType": "main", **window}
    (answer,) = await api.post([{"cmd": "Search", "param": {"Search": search}}], token=token)
    return answer["code"], answer["value"]


async def test_search_names_say_what_started_each_recording(start_sim: StartSim) -> None:
    """The flags of each file name decode, the way reolink_aio reads real ones, to triggers
    the camera can have: schedule or motion, with the camera's own AI detections."""
    api = await start_sim(profile="ipc")
    token = await api.token()
    search = {"channel": 0, "onlyStatus": 0, "streamType": "main", **_window(8)}
    answers = await api.post([{"cmd": "Search", "param": {"Search": search}}], token=token)
    names = [entry["name"] for entry in answers[0]["value"]["SearchResult"]["File"]]
    seen: set[str] = set()
    for name in names:
        parsed = parse_file_name(name)
        assert parsed is not None
        triggers = {
            trigger.name for trigger in VOD_trigger if trigger and trigger in parsed.triggers
        }
        assert triggers in ({"TIMER"}, *({"MOTION", *extra} for extra in _ai_subsets()))
        seen |= triggers
    assert {"TIMER", "MOTION", "PERSON", "VEHICLE", "ANIMAL"} <= seen


def _ai_subsets() -> list[set[str]]:
    kinds = ("PERSON", "VEHICLE", "ANIMAL")
    return [set(), *({kind} for kind in kinds), *({a, b} for a in kinds for b in kinds if a < b)]
