"""Wire protocol of the simulator: batches, GET forms, malformed input, HTTPS, control API."""

import asyncio
import hashlib
import json
import random
import ssl
from typing import Any

import aiohttp
import pytest

from simulator import Simulator
from simulator.server import RequestLog
from tests.simulator.conftest import Api, StartSim


def md_state(channel: int) -> dict[str, Any]:
    return {"cmd": "GetMdState", "action": 0, "param": {"channel": channel}}


async def test_login_returns_token_and_lease(api: Api) -> None:
    answer = await api.login()
    assert answer["cmd"] == "Login"
    token = answer["value"]["Token"]
    assert token["leaseTime"] == 3600
    assert len(token["name"]) == 15
    int(token["name"], 16)  # hex like the guide's tokens


async def test_batch_answers_in_order_and_errors_stay_local(api: Api) -> None:
    token = await api.token()
    batch = [
        {"cmd": "GetDevInfo", "action": 0, "param": {}},
        md_state(0),
        md_state(7),  # the ipc profile has one channel: -49 passes through from the device
        {"cmd": "GetAiState", "action": 0, "param": {"channel": 0}},
        {"cmd": "NoSuchCommand", "action": 0, "param": {}},
    ]
    answers = await api.post(batch, token=token)
    # Real firmware names a command it does not know "Unknown" (home-assistant/core #103241).
    assert [a["cmd"] for a in answers] == [c["cmd"] for c in batch[:4]] + ["Unknown"]
    assert [api.error_code(a) for a in answers] == [None, None, -49, None, -9]
    assert answers[0]["value"]["DevInfo"]["model"] == api.sim.state["device"]["model"]
    assert answers[1]["value"] == {"state": 0}
    assert answers[2]["error"]["detail"] == "Channel invalid"


async def test_large_batch_is_fully_answered_when_the_limit_allows(start_sim: StartSim) -> None:
    api = await start_sim(max_batch=150)
    token = await api.token()
    api.sim.patch_state({"channels": {"0": {"motion": True}}})
    answers = await api.post([md_state(0)] * 150, token=token)
    assert len(answers) == 150
    assert all(a["value"] == {"state": 1} for a in answers)


async def test_action_one_adds_initial_and_range(api: Api) -> None:
    token = await api.token()
    command = {"cmd": "GetIrLights", "param": {"channel": 0}}
    plain, detailed = await api.post(
        [{**command, "action": 0}, {**command, "action": 1}], token=token
    )
    assert set(plain) == {"cmd", "code", "value"}
    assert set(detailed) == {"cmd", "code", "value", "initial", "range"}
    assert detailed["range"]["IrLights"]["state"] == ["Auto", "Off"]


async def test_get_form_converts_integer_params(api: Api) -> None:
    token = await api.token()
    api.sim.patch_state({"channels": {"0": {"motion": True}}})
    response = await api.get(cmd="GetMdState", channel=0, token=token)
    assert response.status == 200
    assert response.content_type == "text/html"
    assert await response.json(content_type="text/html") == [
        {"cmd": "GetMdState", "code": 0, "value": {"state": 1}}
    ]
    invalid = await api.get(cmd="GetMdState", channel=3, token=token)
    assert (await invalid.json(content_type="text/html"))[0]["error"]["rspCode"] == -49


async def test_post_without_body_uses_the_query(api: Api) -> None:
    token = await api.token()
    status, text, _ = await api.post_raw(b"", cmd="GetMdState", channel=0, token=token)
    assert status == 200
    assert json.loads(text) == [{"cmd": "GetMdState", "code": 0, "value": {"state": 0}}]


async def test_short_api_path_is_served(api: Api, http: aiohttp.ClientSession) -> None:
    token = await api.token()
    url = f"{api.sim.url}/api.cgi"
    async with http.post(url, params={"token": token}, json=[md_state(0)]) as response:
        assert (await response.json(content_type="text/html"))[0]["value"] == {"state": 0}


async def test_snapshot_is_sent_raw_in_get_form(api: Api) -> None:
    token = await api.token()
    response, body = await api.get_body(cmd="Snap", channel=0, rs="flsYJfZgM6RTB_os", token=token)
    assert response.status == 200
    assert response.content_type == "image/jpeg"
    assert body[:2] == b"\xff\xd8"
    assert "filename=" in response.headers["Content-Disposition"]


async def test_binary_command_inside_a_batch_is_a_param_error(api: Api) -> None:
    token = await api.token()
    answers = await api.post([{"cmd": "Snap", "param": {"channel": 0}}, md_state(0)], token=token)
    assert [api.error_code(a) for a in answers] == [-4, None]


async def test_malformed_json_body_is_a_protocol_error(api: Api) -> None:
    token = await api.token()
    status, text, headers = await api.post_raw(b'[{"cmd": "GetMdState",', cmd="X", token=token)
    assert status == 200
    assert headers["Content-Type"].startswith("text/html")
    assert json.loads(text) == [
        {"cmd": "X", "code": 1, "error": {"rspCode": -10, "detail": "protocol"}}
    ]


@pytest.mark.parametrize("body", [b"42", b'"text"', b"null", b"\xff\xfe"])
async def test_body_that_is_not_a_batch_is_a_protocol_error(api: Api, body: bytes) -> None:
    token = await api.token()
    status, text, _ = await api.post_raw(body, token=token)
    assert status == 200
    assert [e["error"]["rspCode"] for e in json.loads(text)] == [-10]


async def test_lone_object_is_a_one_command_batch(api: Api) -> None:
    token = await api.token()
    status, text, _ = await api.post_raw(json.dumps(md_state(0)), token=token)
    assert status == 200
    assert json.loads(text) == [{"cmd": "GetMdState", "code": 0, "value": {"state": 0}}]


async def test_badly_shaped_elements_fail_alone(api: Api) -> None:
    token = await api.token()
    batch: list[Any] = [
        "GetMdState",
        {"action": 0, "param": {}},
        {"cmd": "GetMdState", "action": "zero", "param": {"channel": 0}},
        {"cmd": "GetMdState", "param": [0]},
        {"cmd": 5},
        md_state(0),
        {"cmd": "GetMdState", "param": {"channel": 0}},  # action and param are optional
    ]
    answers = await api.post(batch, token=token)
    assert [api.error_code(a) for a in answers] == [-4, -4, -4, -4, -4, None, None]
    assert answers[2]["cmd"] == "GetMdState"


async def test_random_garbage_never_causes_http_errors(api: Api) -> None:
    token = await api.token()
    rng = random.Random(7)
    values: list[Any] = [None, True, -1, 0, 3, 2**40, 1.5, "", "x", "GetMdState", [], {}, [1]]
    names = ["GetMdState", "GetAiState", "GetIsp", "SetIsp", "GetEnc", "Snap", "Reboot"]
    for _ in range(30):
        batch = [
            {
                "cmd": rng.choice([*names, *values]),
                "action": rng.choice([0, 1, *values]),
                "param": rng.choice(
                    [{"channel": rng.choice(values)}, {"Isp": rng.choice(values)}, *values]
                ),
            }
            for _ in range(5)
        ]
        batch = [e for e in batch if e["cmd"] != "Reboot"]
        answers = await api.post(batch, token=token)
        assert len(answers) == len(batch)
        assert all(a["code"] in (0, 1) for a in answers)


async def test_log_counts_requests_and_hides_secrets(api: Api) -> None:
    token = await api.token()
    await api.post([md_state(0), md_state(0)], token=token)
    await api.get(cmd="GetMdState", channel=0, user="admin", password="password")
    log = api.sim.requests
    assert [entry["commands"] for entry in log] == [
        ["Login"],
        ["GetMdState", "GetMdState"],
        ["GetMdState"],
    ]
    assert [entry["token_used"] for entry in log] == [False, True, False]
    assert all(entry["status"] == 200 for entry in log)
    assert log[2]["path"] == "/cgi-bin/api.cgi?cmd=GetMdState&channel=0"
    assert token not in json.dumps(log)
    assert "password" not in json.dumps(log)
    status, snapshot = await api.control("GET", "/sim/log")
    assert status == 200
    assert snapshot["request_count"] == 3
    assert snapshot["login_count"] == 1
    assert snapshot["requests"] == log
    _, cleared = await api.control("DELETE", "/sim/log")
    assert cleared == {"requests": [], "login_count": 0, "request_count": 0}


def test_request_log_is_bounded_but_counts_exactly() -> None:
    log = RequestLog(limit=3)
    for index in range(10):
        log.record(method="POST", path=f"/{index}", commands=[], token_used=False, status=200)
    snapshot = log.snapshot()
    assert snapshot["request_count"] == 10
    assert [entry["path"] for entry in snapshot["requests"]] == ["/7", "/8", "/9"]


async def test_state_control_api(api: Api) -> None:
    token = await api.token()
    status, state = await api.control("GET", "/sim/state")
    assert status == 200
    assert state["sessions"] == 1
    assert state["channels"][0]["motion"] is False
    status, state = await api.control("POST", "/sim/state", {"channels": {"0": {"motion": True}}})
    assert status == 200
    assert state["channels"][0]["motion"] is True
    answers = await api.post([md_state(0)], token=token)
    assert answers[0]["value"] == {"state": 1}


@pytest.mark.parametrize(
    "patch", [[1, 2], {"no_such_key": 1}, {"channels": {"9": {"motion": True}}}]
)
async def test_bad_state_patch_is_rejected(api: Api, patch: Any) -> None:
    status, body = await api.control("POST", "/sim/state", patch)
    assert status == 400
    assert body["error"]


async def test_https_serves_the_advertised_certificate(start_sim: StartSim) -> None:
    api = await start_sim(profile="ipc", https=True)
    sim = api.sim
    assert sim.url.startswith("https://127.0.0.1:")
    assert sim.fingerprint is not None
    assert len(sim.fingerprint) == 64
    served = await _peer_certificate(sim)
    assert hashlib.sha256(served).hexdigest() == sim.fingerprint
    answer = await api.login()
    assert answer["code"] == 0


async def test_http_has_no_fingerprint(sim: Simulator) -> None:
    assert sim.fingerprint is None
    assert sim.url == f"http://127.0.0.1:{sim.port}"


def test_unknown_profile_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown profile"):
        Simulator(profile="toaster")


async def _peer_certificate(sim: Simulator) -> bytes:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    _, writer = await asyncio.open_connection(sim.host, sim.port, ssl=context)
    try:
        ssl_object = writer.get_extra_info("ssl_object")
        der: bytes = ssl_object.getpeercert(binary_form=True)
        return der
    finally:
        writer.close()
        await writer.wait_closed()


async def test_internal_failure_is_error_25_not_http_500(api: Api) -> None:
    token = await api.token()
    api.sim.device.state["channels"] = None  # corrupt state: channel commands now crash
    answers = await api.post([md_state(0), {"cmd": "GetDevInfo"}], token=token)
    assert [api.error_code(a) for a in answers] == [-25, None]
    response = await api.get(cmd="GetMdState", channel=0, token=token)
    assert response.status == 200
    assert (await response.json(content_type="text/html"))[0]["error"]["rspCode"] == -25


async def test_get_form_accepts_action(api: Api) -> None:
    token = await api.token()
    response = await api.get(cmd="GetIrLights", channel=0, action=1, token=token)
    (answer,) = await response.json(content_type="text/html")
    assert answer["range"]["IrLights"]["state"] == ["Auto", "Off"]


async def test_control_api_rejects_non_json(api: Api) -> None:
    async with api.http.post(f"{api.sim.url}/sim/fault", data=b"{not json") as response:
        assert response.status == 400
        assert "not JSON" in (await response.json())["error"]


async def test_file_upload_is_a_query_command(api: Api) -> None:
    token = await api.token()
    form = aiohttp.FormData()
    form.add_field("upgrade-package", b"\x00firmware", filename="x.pak")
    async with api.http.post(
        api.endpoint, params={"cmd": "Upgrade", "clearConfig": "0", "token": token}, data=form
    ) as response:
        answers = await response.json(content_type="text/html")
    assert answers == [{"cmd": "Upgrade", "code": 0, "value": {"rspCode": 200}}]


async def test_json_answers_are_labelled_text_html(api: Api) -> None:
    status, _, headers = await api.post_raw(json.dumps([api.login_command()]), cmd="Login")
    assert status == 200
    assert headers["Content-Type"].startswith("text/html")


async def test_batch_up_to_the_limit_is_answered_per_command(api: Api) -> None:
    token = await api.token()
    answers = await api.post([md_state(0)] * 35, token=token)
    assert [api.error_code(a) for a in answers] == [None] * 35


async def test_batch_over_the_limit_is_one_send_failed_error(api: Api) -> None:
    token = await api.token()
    api.sim.patch_state({"channels": {"0": {"motion": True}}})
    answers = await api.post([md_state(0)] * 36, token=token)
    assert answers == [
        {"cmd": "GetMdState", "code": 1, "error": {"rspCode": -16, "detail": "send failed"}}
    ]


async def test_batch_limit_is_configurable(start_sim: StartSim) -> None:
    api = await start_sim(max_batch=2)
    token = await api.token()
    assert len(await api.post([md_state(0)] * 2, token=token)) == 2
    (answer,) = await api.post([md_state(0)] * 3, token=token)
    assert api.error_code(answer) == -16
    with pytest.raises(ValueError, match="max_batch"):
        Simulator(max_batch=0)
