"""Fixtures for the API client tests: a simulator over real loopback sockets."""

from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack
from typing import Any

import aiohttp
import pytest

from custom_components.reolink_http.api import ReolinkClient
from simulator import Simulator

SimFactory = Callable[..., Any]


@pytest.fixture(autouse=True)
def _allow_sockets(socket_enabled: None) -> None:
    """The tests talk to the simulator over 127.0.0.1."""


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    """One aiohttp session per test, closed afterwards."""
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
async def stack(http: aiohttp.ClientSession) -> AsyncIterator[AsyncExitStack]:
    """Closes clients and simulators a test opened (before the HTTP session)."""
    async with AsyncExitStack() as exits:
        yield exits


@pytest.fixture
def start_sim(stack: AsyncExitStack) -> SimFactory:
    """`await start_sim(profile="ipc", https=False, **options)` → a running Simulator."""

    async def start(**options: Any) -> Simulator:
        return await stack.enter_async_context(Simulator(**options))

    return start


@pytest.fixture
def connect(stack: AsyncExitStack, http: aiohttp.ClientSession) -> SimFactory:
    """`connect(sim, **client_options)` → a ReolinkClient for the simulator, closed at the end."""

    async def make(sim: Simulator, **options: Any) -> ReolinkClient:
        username = options.pop("username", "admin")
        password = options.pop("password", "password")
        client = ReolinkClient(
            sim.host,
            username,
            password,
            session=http,
            port=sim.port,
            use_https=sim.https,
            **options,
        )
        return await stack.enter_async_context(client)

    return make


def api_requests(sim: Simulator) -> list[dict[str, Any]]:
    """Logged API requests (the control API is not logged)."""
    return [r for r in sim.requests if "/sim/" not in r["path"]]
