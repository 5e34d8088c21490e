"""Hostile-answer faults: what reaches the wire, byte for byte, over real sockets."""

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import pytest

from simulator import media
from simulator.commands import record
from simulator.faults import HUGE_STRING_LENGTH, INVALID_UTF8
from tests.simulator.conftest import Api

DEV_INFO = {"cmd": "GetDevInfo", "action": 0, "param": {}}
MD_STATE = {"cmd": "GetMdState", "action": 0, "param": {"channel": 0}}


@pytest.fixture
async def token(api: Api) -> str:
    """Logged in before any fault is set (Login's answer has a `name` field too)."""
    return await api.token()


async def raw_answer(api: Api, token: str, commands: list[dict[str, Any]]) -> tuple[int, bytes]:
    """Status and undecoded body of one batch."""
    async with api.http.post(
        api.endpoint, params={"token": token}, data=json.dumps(commands), ssl=False
    ) as response:
        return response.status, await response.read()


async def test_invalid_utf8_lands_in_the_named_field_only(api: Api, token: str) -> None:
    api.sim.set_fault(invalid_utf8_field="name")
    status, body = await raw_answer(api, token, [DEV_INFO, MD_STATE])
    assert status == 200
    assert body.count(INVALID_UTF8) == 1
    with pytest.raises(UnicodeDecodeError):
        body.decode()
    decoded = json.loads(body.decode("utf-8", "replace"))
    assert decoded[0]["value"]["DevInfo"]["name"].endswith("\ufffd\ufffd")
    assert decoded[1]["value"]["state"] in (0, 1)


async def test_lone_surrogate_is_valid_json(api: Api, token: str) -> None:
    api.sim.set_fault(lone_surrogate="name")
    _, body = await raw_answer(api, token, [DEV_INFO])
    assert b'\\ud800"' in body
    name = json.loads(body)[0]["value"]["DevInfo"]["name"]
    assert name.endswith("\ud800")
    with pytest.raises(UnicodeEncodeError):
        name.encode()


async def test_huge_string_and_field_values(api: Api, token: str) -> None:
    api.sim.set_fault(huge_string="model", field_values={"channelNum": "many", "type": []})
    _, body = await raw_answer(api, token, [DEV_INFO])
    info = json.loads(body)[0]["value"]["DevInfo"]
    assert len(info["model"]) > HUGE_STRING_LENGTH
    assert info["channelNum"] == "many"
    assert info["type"] == []


async def test_range_values_rewrite_the_range_only(api: Api, token: str) -> None:
    api.sim.set_fault(range_values={"min": "0", "max": "100"})
    image = {"cmd": "GetImage", "action": 1, "param": {"channel": 0}}
    _, body = await raw_answer(api, token, [image])
    answer = json.loads(body)[0]
    assert answer["range"]["Image"]["bright"] == {"min": "0", "max": "100"}
    assert isinstance(answer["value"]["Image"]["bright"], int)


async def test_long_lists_number_their_copies(api: Api, token: str) -> None:
    api.sim.set_fault(long_lists={"HddInfo": 65535, "status": 0})
    hdd = {"cmd": "GetHddInfo", "action": 0, "param": {}}
    status = {"cmd": "GetChannelstatus", "action": 0, "param": {}}
    _, body = await raw_answer(api, token, [hdd, status])
    disks = json.loads(body)[0]["value"]["HddInfo"]
    assert len(disks) == 65535
    assert [disk["number"] for disk in disks[:3]] == [0, 1, 2]
    assert disks[-1]["id"] == disks[-1]["number"] == 65534
    assert disks[-1]["capacity"] == disks[0]["capacity"]
    assert json.loads(body)[1]["value"]["status"] == []


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
async def test_redirect_points_elsewhere_and_runs_nothing(
    api: Api, token: str, status: int
) -> None:
    api.sim.set_fault(redirect={"status": status, "location": "http://127.0.0.1:9/x"})
    async with api.http.post(
        api.endpoint,
        params={"token": token},
        data=json.dumps([DEV_INFO]),
        ssl=False,
        allow_redirects=False,
    ) as response:
        assert response.status == status
        assert response.headers["Location"] == "http://127.0.0.1:9/x"
    assert api.sim.requests[-1]["status"] == status


async def test_oversized_answer_is_padded_valid_json(api: Api, token: str) -> None:
    api.sim.set_fault(oversized_answer=5 * 1024 * 1024)
    _, body = await raw_answer(api, token, [DEV_INFO])
    assert len(body) == 5 * 1024 * 1024
    assert json.loads(body)[0]["cmd"] == "GetDevInfo"


async def test_deep_nesting_and_empty_array(api: Api, token: str) -> None:
    api.sim.set_fault(deep_nesting=100_000, count=1)
    _, body = await raw_answer(api, token, [DEV_INFO])
    assert body.count(b"[") == 100_001
    with pytest.raises(RecursionError):
        json.loads(body)
    api.sim.set_fault(empty_array=True, count=1)
    assert await raw_answer(api, token, [DEV_INFO, MD_STATE]) == (200, b"[]")


async def test_truncated_body_announces_more_than_it_sends(api: Api, token: str) -> None:
    api.sim.set_fault(truncated_body=True)
    async with api.http.post(
        api.endpoint, params={"token": token}, data=json.dumps([DEV_INFO]), ssl=False
    ) as response:
        assert response.status == 200
        assert response.content_length is not None
        with pytest.raises(aiohttp.ClientPayloadError):
            await response.read()


async def test_answer_faults_spare_http_errors_and_the_control_api(api: Api, token: str) -> None:
    """Only JSON answers are rewritten; counted faults run out."""
    api.sim.set_fault(empty_array=True, http_status=502, count=1)
    status, text, _ = await api.post_raw(json.dumps([DEV_INFO]), token=token)
    assert status == 502
    assert "502" in text
    status, _state = await api.control("GET", "/sim/state")
    assert status == 200
    _, body = await raw_answer(api, token, [DEV_INFO])
    assert json.loads(body)[0]["value"]["DevInfo"]["name"]


@pytest.mark.parametrize(
    "body",
    [
        {"field_values": ["name"]},
        {"lone_surrogate": 1},
        {"invalid_utf8_field": ""},
        {"huge_string": True},
        {"oversized_answer": -1},
        {"deep_nesting": 10**12},
        {"empty_array": "yes"},
        {"truncated_body": 1},
        {"oversized_snapshot": -1},
        {"oversized_snapshot": 8 * 1024**3},
        {"oversized_snapshot": "big"},
        {"long_lists": ["HddInfo"]},
        {"range_values": ["min"]},
        {"redirect": {"status": 200, "location": "http://x/"}},
        {"redirect": {"status": 307}},
        {"redirect": "http://x/"},
        {"trickle_files": -1},
        {"trickle_files": "slow"},
        {"trickle_files": 7200},
        {"endless_files": 1},
        {"long_lists": {"HddInfo": -1}},
        {"long_lists": {"HddInfo": 10**7}},
    ],
)
async def test_bad_answer_faults_are_rejected(api: Api, body: Any) -> None:
    status, answer = await api.control("POST", "/sim/fault", body)
    assert status == 400
    assert answer["error"]
    _, current = await api.control("GET", "/sim/fault")
    assert current == {"faults": {}, "remaining": {}}


async def test_oversized_snapshot_streams_the_jpeg_then_zeros(api: Api, token: str) -> None:
    """N bytes under a Content-Length of N; JSON answers are left alone."""
    size = 3 * 1024 * 1024 + 5
    api.sim.set_fault(oversized_snapshot=size)
    async with api.http.get(
        api.endpoint, params={"cmd": "Snap", "channel": 0, "token": token}, ssl=False
    ) as response:
        assert response.content_length == size
        assert response.content_type == "image/jpeg"
        body = await response.read()
    assert len(body) == size
    assert body[:2] == b"\xff\xd8"
    assert body.endswith(bytes(1024))
    _, answer = await raw_answer(api, token, [DEV_INFO])
    assert json.loads(answer)[0]["value"]["DevInfo"]["name"]


async def newest_file(api: Api) -> tuple[str, bytes]:
    """A recording's name and the bytes the simulator serves for it, without faults."""
    end = datetime.fromtimestamp(api.sim.device.now(), tz=UTC).replace(tzinfo=None)
    rec = max(
        record.device_recordings(api.sim.device, 0, "main", end.date() - timedelta(days=1)),
        key=lambda r: r.start,
    )
    colour = api.sim.device.profile.channels[0].colour
    return rec.name, media.video_clip(0, "main", colour, rec.seconds)


async def test_trickle_files_announce_the_whole_file(api: Api, token: str) -> None:
    name, clip = await newest_file(api)
    api.sim.set_fault(trickle_files=0.01)
    query = {"cmd": "Download", "source": name, "output": "x.mp4", "token": token}
    async with api.http.get(api.endpoint, params=query, ssl=False) as response:
        assert response.content_length == len(clip)
        first = await response.content.readexactly(3)
    assert first == clip[:3]


async def test_endless_files_go_on_past_the_file(api: Api, token: str) -> None:
    name, clip = await newest_file(api)
    api.sim.set_fault(endless_files=True)
    query = {"cmd": "Playback", "source": name, "output": "x.mp4", "token": token}
    async with api.http.get(api.endpoint, params=query, ssl=False) as response:
        assert response.content_length is None
        body = await response.content.readexactly(len(clip) + 3 * 65536)
    assert body[: len(clip)] == clip
    assert body[len(clip) :] == bytes(3 * 65536)


async def test_oversized_snapshot_ends_when_the_reader_hangs_up(api: Api, token: str) -> None:
    """A reader that stops early ends the answer; the simulator keeps serving."""
    api.sim.set_fault(oversized_snapshot=4 * 1024**3)
    async with api.http.get(
        api.endpoint, params={"cmd": "Snap", "channel": 0, "token": token}, ssl=False
    ) as response:
        assert (await response.content.readexactly(1024))[:2] == b"\xff\xd8"
        response.close()
    api.sim.clear_faults()
    _, answer = await raw_answer(api, token, [DEV_INFO])
    assert json.loads(answer)[0]["value"]["DevInfo"]["name"]
