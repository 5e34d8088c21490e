"""Fixtures for talking to a real simulator over loopback sockets."""

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from typing import Any

import aiohttp
import pytest

from simulator import Simulator

USERNAME = "admin"
PASSWORD = "password"


@pytest.fixture(autouse=True)
def _allow_loopback_sockets(socket_enabled: None) -> None:
    """Every test here talks to a simulator on 127.0.0.1."""


class Api:
    """Minimal raw client: sends exactly what a test asks for, parses nothing it need not."""

    def __init__(self, http: aiohttp.ClientSession, sim: Simulator) -> None:
        self.http = http
        self.sim = sim

    @property
    def endpoint(self) -> str:
        return f"{self.sim.url}/cgi-bin/api.cgi"

    async def post_raw(self, body: bytes | str, **query: Any) -> tuple[int, str, Mapping[str, str]]:
        async with self.http.post(
            self.endpoint, params=_query(query), data=body, ssl=False
        ) as response:
            return response.status, await response.text(), response.headers

    async def post(self, commands: Any, **query: Any) -> list[dict[str, Any]]:
        """POST a JSON batch and return the decoded answer list (asserts HTTP 200)."""
        async with self.http.post(
            self.endpoint, params=_query(query), json=commands, ssl=False
        ) as response:
            assert response.status == 200
            assert response.content_type == "text/html"
            answers: list[dict[str, Any]] = await response.json(content_type="text/html")
            return answers

    async def get(self, **query: Any) -> aiohttp.ClientResponse:
        """GET form; the caller reads the already-loaded body."""
        async with self.http.get(self.endpoint, params=_query(query), ssl=False) as response:
            await response.read()
            return response

    async def get_body(self, **query: Any) -> tuple[aiohttp.ClientResponse, bytes]:
        """GET form returning the response and its raw body (for binary answers)."""
        async with self.http.get(self.endpoint, params=_query(query), ssl=False) as response:
            return response, await response.read()

    async def login(self, username: str = USERNAME, password: str = PASSWORD) -> dict[str, Any]:
        """One Login command; returns its answer element."""
        answers = await self.post(
            [self.login_command(username, password)],
            cmd="Login",
        )
        return answers[0]

    async def token(self) -> str:
        answer = await self.login()
        assert answer["code"] == 0, answer
        token: str = answer["value"]["Token"]["name"]
        return token

    async def control(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        async with self.http.request(
            method, f"{self.sim.url}{path}", json=body, ssl=False
        ) as response:
            return response.status, await response.json()

    @staticmethod
    def login_command(username: str = USERNAME, password: str = PASSWORD) -> dict[str, Any]:
        return {
            "cmd": "Login",
            "param": {"User": {"Version": "0", "userName": username, "password": password}},
        }

    @staticmethod
    def error_code(answer: dict[str, Any]) -> int | None:
        """rspCode of an error element, None for success (the `error` key marks failure)."""
        if "error" not in answer:
            assert answer["code"] == 0, answer
            return None
        assert answer["code"] == 1, answer
        code: int = answer["error"]["rspCode"]
        return code


def _query(query: dict[str, Any]) -> dict[str, str]:
    return {key: str(value) for key, value in query.items()}


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
async def sim() -> AsyncIterator[Simulator]:
    async with Simulator(profile="ipc") as simulator:
        yield simulator


@pytest.fixture
def api(http: aiohttp.ClientSession, sim: Simulator) -> Api:
    return Api(http, sim)


StartSim = Callable[..., Awaitable[Api]]


@pytest.fixture
async def start_sim(http: aiohttp.ClientSession) -> AsyncIterator[StartSim]:
    """Start simulators with custom arguments; all are stopped after the test."""
    async with contextlib.AsyncExitStack() as stack:

        async def start(**kwargs: Any) -> Api:
            simulator = await stack.enter_async_context(Simulator(**kwargs))
            return Api(http, simulator)

        yield start
