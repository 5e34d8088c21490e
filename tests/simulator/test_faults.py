"""Injected faults, reboot, the random-motion scenario and the fault control API."""

import asyncio
import contextlib
import itertools
import json
import socket
import ssl
import time
from typing import Any

import aiohttp
import pytest

from simulator.faults import ControlError
from tests.simulator.conftest import Api, StartSim

MD_STATE = {"cmd": "GetMdState", "action": 0, "param": {"channel": 0}}
DEV_INFO = {"cmd": "GetDevInfo", "action": 0, "param": {}}


async def md_code(api: Api, token: str) -> int | None:
    answers = await api.post([MD_STATE], token=token)
    return api.error_code(answers[0])


async def test_expire_tokens_invalidates_every_token(api: Api) -> None:
    tokens = [await api.token(), await api.token()]
    status, _ = await api.control("POST", "/sim/fault", {"expire_tokens": True})
    assert status == 200
    assert [await md_code(api, t) for t in tokens] == [-21, -21]
    assert await md_code(api, await api.token()) is None  # a new login works at once


async def test_latency_applies_to_the_next_count_requests(api: Api) -> None:
    token = await api.token()
    api.sim.set_fault(latency_ms=250, count=1)
    started = time.monotonic()
    assert await md_code(api, token) is None
    assert time.monotonic() - started >= 0.25
    started = time.monotonic()
    assert await md_code(api, token) is None
    assert time.monotonic() - started < 0.2


async def test_http_status_fault_leaves_control_api_alone(api: Api) -> None:
    token = await api.token()
    await api.control("POST", "/sim/fault", {"http_status": 502})
    status, text, headers = await api.post_raw(json.dumps([MD_STATE]), token=token)
    assert status == 502
    assert headers["Content-Type"].startswith("text/html")
    assert "502" in text
    status, state = await api.control("GET", "/sim/state")
    assert status == 200
    assert state["sessions"] == 1
    await api.control("DELETE", "/sim/fault")
    assert await md_code(api, token) is None
    assert [entry["status"] for entry in api.sim.requests] == [200, 502, 200]


async def test_malformed_json_fault_truncates_the_answer(api: Api) -> None:
    token = await api.token()
    api.sim.set_fault(malformed_json=True, count=1)
    status, text, _ = await api.post_raw(json.dumps([MD_STATE]), token=token)
    assert status == 200
    with pytest.raises(json.JSONDecodeError):
        json.loads(text)
    assert text.startswith('[{"cmd": "GetMdState"')
    assert await md_code(api, token) is None


async def test_drop_connection_closes_without_answer(api: Api) -> None:
    token = await api.token()
    api.sim.set_fault(drop_connection=True, count=2)
    for _ in range(2):
        with pytest.raises(aiohttp.ServerDisconnectedError):
            await api.post([MD_STATE], token=token)
    assert await md_code(api, token) is None
    assert [entry["status"] for entry in api.sim.requests] == [200, 0, 0, 200]


async def test_command_errors_hit_only_the_named_command(api: Api) -> None:
    token = await api.token()
    await api.control("POST", "/sim/fault", {"command_errors": {"GetMdState": -9}, "count": 2})
    for _ in range(2):
        answers = await api.post([DEV_INFO, MD_STATE, MD_STATE], token=token)
        assert [api.error_code(a) for a in answers] == [None, -9, -9]
    assert await md_code(api, token) is None


async def test_command_error_can_fail_login(api: Api) -> None:
    api.sim.set_fault(command_errors={"Login": -503})
    answer = await api.login()
    assert answer["error"] == {"rspCode": -503, "detail": "Login deny"}
    assert api.sim.login_count == 1


async def test_fault_control_api_describes_and_clears(api: Api) -> None:
    status, body = await api.control("POST", "/sim/fault", {"latency_ms": 10, "count": 3})
    assert status == 200
    assert body == {"faults": {"latency_ms": 10.0}, "remaining": {"latency_ms": 3}}
    await api.control("POST", "/sim/fault", {"http_status": 503})
    _, body = await api.control("GET", "/sim/fault")
    assert body["faults"] == {"latency_ms": 10.0, "http_status": 503}
    _, body = await api.control("DELETE", "/sim/fault")
    assert body == {"faults": {}, "remaining": {}}


async def test_zero_or_false_switches_a_fault_off(api: Api) -> None:
    token = await api.token()
    api.sim.set_fault(http_status=500, drop_connection=True)
    api.sim.set_fault(http_status=0, drop_connection=False)
    assert await md_code(api, token) is None


@pytest.mark.parametrize(
    "body",
    [
        {"latency": 5},
        {"latency_ms": -1},
        {"http_status": 42},
        {"malformed_json": "yes"},
        {"command_errors": {"GetMdState": 9}},
        {"command_errors": ["GetMdState"]},
        {"drop_connection": True, "count": 0},
        {"reboot_seconds": "soon"},
        [1],
    ],
)
async def test_bad_fault_requests_are_rejected(api: Api, body: Any) -> None:
    status, answer = await api.control("POST", "/sim/fault", body)
    assert status == 400
    assert answer["error"]
    _, current = await api.control("GET", "/sim/fault")
    assert current == {"faults": {}, "remaining": {}}


def test_python_side_rejects_bad_faults() -> None:
    from simulator import Simulator  # noqa: PLC0415 - constructing needs no running server

    sim = Simulator(profile="ipc")
    with pytest.raises(ControlError, match="unknown fault keys: nope"):
        sim.set_fault(nope=True)


async def test_reboot_fault_takes_the_device_offline(api: Api) -> None:
    token = await api.token()
    api.sim.patch_state({"channels": {"0": {"motion": True}}})
    status, _ = await api.control("POST", "/sim/fault", {"reboot_seconds": 0.4})
    assert status == 200
    await asyncio.sleep(0.05)
    assert api.sim.rebooting
    with pytest.raises(aiohttp.ClientConnectionError):
        await api.post([MD_STATE], token=token)
    await api.sim.wait_online()
    assert not api.sim.rebooting
    assert await md_code(api, token) == -21  # tokens do not survive a reboot
    assert api.sim.state["channels"][0]["motion"] is False  # nor do alarms


async def test_reboot_command_answers_then_reboots(start_sim: StartSim) -> None:
    api = await start_sim(reboot_seconds=0.5)
    token = await api.token()
    answers = await api.post([{"cmd": "Reboot", "action": 0, "param": {}}], token=token)
    assert answers == [{"cmd": "Reboot", "code": 0, "value": {"rspCode": 200}}]
    started = time.monotonic()
    await asyncio.sleep(0.05)
    with pytest.raises(aiohttp.ClientConnectionError):
        await api.post([MD_STATE], token=token)
    await api.sim.wait_online()
    assert 0.4 <= time.monotonic() - started <= 2.0
    assert await md_code(api, token) == -21
    assert await md_code(api, await api.token()) is None


async def test_python_reboot_keeps_port_and_https(start_sim: StartSim) -> None:
    api = await start_sim(https=True)
    port = api.sim.port
    await api.sim.reboot(0.2)
    with pytest.raises(aiohttp.ClientConnectionError):
        await api.login()
    await api.sim.wait_online()
    assert api.sim.port == port
    assert api.error_code(await api.login()) is None


@pytest.mark.parametrize("https", [False, True])
async def test_reboot_as_connections_arrive(start_sim: StartSim, https: bool) -> None:
    """Connections accepted just as the device goes offline: ended, unanswered, no loop error.

    Closing asyncio's server between its accept and the connection's transport trips an
    assertion inside asyncio, which debug mode (as Home Assistant's tests run the loop)
    reports as an error of the loop. A connection that got its transport but not yet its
    handler, or is still in its TLS handshake, is ended too, not served by a device that
    is offline.
    """
    api = await start_sim(https=https)
    loop = asyncio.get_running_loop()
    loop.set_debug(True)
    errors: list[str] = []

    def _record(_loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        errors.append(f"{context['message']}: {context.get('exception')!r}")

    first = client_hello() if https else b"GET /sim/fault HTTP/1.1\r\nHost: x\r\n\r\n"
    received: list[bytes] = []
    loop.set_exception_handler(_record)
    try:
        for _ in range(5):
            # Connected and sent without a loop turn: the listener has not accepted them.
            arriving = [socket.create_connection((api.sim.host, api.sim.port)) for _ in range(3)]
            for connection in arriving:
                connection.sendall(first)
                connection.setblocking(False)
            await api.sim.reboot(0.05)
            for connection in arriving:
                received.append(await received_until_closed(loop, connection))
                connection.close()
            await api.sim.wait_online()
    finally:
        loop.set_exception_handler(None)
    assert errors == []
    assert not [data for data in received if b"HTTP/" in data]


def client_hello() -> bytes:
    """The first flight of a TLS client, which leaves the server inside its handshake."""
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    outgoing = ssl.MemoryBIO()
    tls = context.wrap_bio(ssl.MemoryBIO(), outgoing)
    with contextlib.suppress(ssl.SSLWantReadError):
        tls.do_handshake()
    return outgoing.read()


async def received_until_closed(
    loop: asyncio.AbstractEventLoop, connection: socket.socket
) -> bytes:
    """Everything a connection received until the device closed it (fails if it stays open)."""
    received = b""
    while True:
        try:
            data = await asyncio.wait_for(loop.sock_recv(connection, 65536), 2)
        except ConnectionResetError:
            return received
        except TimeoutError:
            raise AssertionError(f"still open after {received!r}") from None
        if not data:
            return received
        received += data


async def test_random_motion_scenario_raises_events(start_sim: StartSim) -> None:
    api = await start_sim(profile="nvr-8", scenario="random-motion", scenario_interval=0.02)
    seen: set[int] = set()
    for _ in range(100):
        await asyncio.sleep(0.02)
        seen.update(ch["channel"] for ch in api.sim.state["channels"] if ch["motion"])
        if len(seen) >= 3:
            break
    assert len(seen) >= 3


def test_unknown_scenario_is_rejected() -> None:
    from simulator import Simulator  # noqa: PLC0415

    with pytest.raises(ValueError, match="unknown scenario"):
        Simulator(scenario="earthquake")


async def test_invalid_utf8_spoils_only_the_listed_commands(api: Api) -> None:
    token = await api.token()
    status, _ = await api.control("POST", "/sim/fault", {"invalid_utf8": ["GetOsd"]})
    assert status == 200
    batch = [
        {"cmd": "GetMdState", "param": {"channel": 0}},
        {"cmd": "GetOsd", "param": {"channel": 0}},
        {"cmd": "GetIrLights", "param": {"channel": 0}},
    ]
    async with api.http.post(api.endpoint, params={"token": token}, json=batch) as response:
        raw = await response.read()
    with pytest.raises(UnicodeDecodeError):
        raw.decode()
    assert raw.count(b"\xff") == 1
    good = raw.replace(b"\xff", b"")
    answers = json.loads(good)
    assert [a["cmd"] for a in answers] == ["GetMdState", "GetOsd", "GetIrLights"]
    assert all(a["code"] == 0 for a in answers)
    assert b"\xff" not in (await _raw_answer(api, token, batch[0]))
    assert b"\xff" in (await _raw_answer(api, token, batch[1]))


async def test_invalid_utf8_without_strings_marks_the_command_name(api: Api) -> None:
    token = await api.token()
    api.sim.set_fault(invalid_utf8=["GetMdState"], count=1)
    raw = await _raw_answer(api, token, {"cmd": "GetMdState", "param": {"channel": 0}})
    assert b'"GetMdState\xff"' in raw
    assert b"\xff" not in await _raw_answer(
        api, token, {"cmd": "GetMdState", "param": {"channel": 0}}
    )


@pytest.mark.parametrize("value", ["GetOsd", [1], [""]])
async def test_invalid_utf8_needs_a_list_of_names(api: Api, value: Any) -> None:
    status, body = await api.control("POST", "/sim/fault", {"invalid_utf8": value})
    assert status == 400
    assert "invalid_utf8" in body["error"]


async def _raw_answer(api: Api, token: str, command: dict[str, Any]) -> bytes:
    async with api.http.post(api.endpoint, params={"token": token}, json=[command]) as response:
        return await response.read()


async def test_random_motion_holds_each_state_for_a_whole_step(start_sim: StartSim) -> None:
    """On for a whole step, then off for a whole step (a step is two polls at the default
    1 s event interval). Sampled four times per step, every inner run spans 3+ samples."""
    interval = 0.4
    api = await start_sim(profile="ipc", scenario="random-motion", scenario_interval=interval)
    samples = []
    for _ in range(40):
        samples.append(api.sim.state["channels"][0]["motion"])
        await asyncio.sleep(interval / 4)
    runs = [len(list(group)) for _, group in itertools.groupby(samples)]
    assert len(runs) >= 4  # it does change: on, off, on, off...
    assert min(runs[1:-1]) >= 3  # the first and last runs are cut by the sampling window


async def test_invalid_utf8_reaches_strings_inside_lists(api: Api) -> None:
    token = await api.token()
    api.sim.set_fault(invalid_utf8=["GetUser"])
    raw = await _raw_answer(api, token, {"cmd": "GetUser", "param": {}})
    (answer,) = json.loads(raw.replace(b"\xff", b""))
    assert raw.count(b"\xff") == 1
    first = answer["value"]["User"][0]
    spoiled = next(value for value in first.values() if isinstance(value, str))
    assert f'"{spoiled}\xff"'.encode("latin-1") in raw
