"""Requests and client CPU time per refresh, against `python -m simulator` in a subprocess.

Also side by side with reolink_aio (the client Home Assistant core uses), client CPU time
and HTTP body bytes per call, with the ratio: an NVR-16 events refresh, and a camera's
sub-stream picture (what a dashboard card shows).

Run: .venv/bin/python -m benchmarks.client   (from the repository root)
"""

import asyncio
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import aiohttp

from custom_components.reolink_http.api import (
    Abilities,
    ChannelStatus,
    Command,
    ReolinkClient,
    commands,
)
from custom_components.reolink_http.api import fields as f
from custom_components.reolink_http.api.commands import TypedCommand

REFRESHES = 300
ROUNDS = 7
PROFILES = ("ipc", "nvr-16")


def start_simulator(profile: str) -> tuple[subprocess.Popen[str], str]:
    """Start the simulator and wait for its READY line; returns (process, base URL)."""
    process = subprocess.Popen(  # noqa: S603 - this interpreter, fixed arguments
        [sys.executable, "-m", "simulator", "--profile", profile],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    for line in process.stdout:
        if line.startswith("READY"):
            return process, line.split()[2]
    raise RuntimeError("simulator did not start")


async def request_count(http: aiohttp.ClientSession, url: str) -> int:
    async with http.get(f"{url}/sim/log") as response:
        log: dict[str, Any] = await response.json()
    return int(log["request_count"])


def event_commands(channels: list[int]) -> list[TypedCommand[Any]]:
    """One GetEvents per channel: what the integration's events refresh sends."""
    return [commands.get_events(ch) for ch in channels]


class ByteCounter:
    """HTTP body bytes sent and received through one aiohttp session."""

    def __init__(self) -> None:
        self.total = 0
        self.trace = aiohttp.TraceConfig()
        self.trace.on_request_chunk_sent.append(self._sent)
        # Counted from Content-Length: a body read through `content.read()` (as the
        # project's size-limited reader does) fires no chunk-received trace.
        self.trace.on_request_end.append(self._received)

    async def _sent(self, _session: Any, _context: Any, params: Any) -> None:
        self.total += len(params.chunk)

    async def _received(self, _session: Any, _context: Any, params: Any) -> None:
        self.total += params.response.content_length or 0


def closed_port() -> int:
    """A loopback port nobody listens on: reolink_aio's Baichuan channel fails at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


async def per_refresh(refresh: Any, counter: ByteCounter) -> tuple[float, float]:
    """Client CPU milliseconds and body bytes per call of `refresh` (one round)."""
    await refresh()
    counter.total = 0
    start = time.process_time()
    for _ in range(REFRESHES):
        await refresh()
    cpu_ms = (time.process_time() - start) / REFRESHES * 1000
    return cpu_ms, counter.total / REFRESHES


Refresh = Callable[[], Awaitable[Any]]


@asynccontextmanager
async def project_client(url: str) -> AsyncIterator[tuple[ReolinkClient, ByteCounter]]:
    """This project's client for the simulator at `url`, its bytes counted."""
    host, port = url.removeprefix("http://").split(":")
    counter = ByteCounter()
    async with aiohttp.ClientSession(trace_configs=[counter.trace]) as http:
        client = ReolinkClient(host, "admin", "password", session=http, port=int(port),
                               use_https=False)  # fmt: skip
        yield client, counter
        await client.close()


@asynccontextmanager
async def reolink_aio_host(url: str) -> AsyncIterator[tuple[Any, ByteCounter]]:
    """reolink_aio's Host for the simulator at `url`, set up, Baichuan failing at once."""
    from reolink_aio.api import Host  # noqa: PLC0415 - benchmark-only dependency
    from reolink_aio.enums import ConnectionEnum  # noqa: PLC0415

    host, port = url.removeprefix("http://").split(":")
    baichuan = closed_port()
    counter = ByteCounter()
    async with aiohttp.ClientSession(trace_configs=[counter.trace]) as http:
        await http.post(f"{url}/sim/state", json={"config": {"NetPort": {"mediaPort": baichuan}}})
        peer = Host(host, "admin", "password", port=int(port), use_https=False,
                    bc_port=baichuan, bc_connection=ConnectionEnum.tcp,
                    aiohttp_get_session_callback=lambda: http)  # fmt: skip
        await peer.get_host_data()
        yield peer, counter
        await peer.logout()


async def project_events(client: ReolinkClient) -> Refresh:
    """This project's events refresh: one GetEvents per online channel, parsed."""
    status = await client.run(commands.get_channel_status())
    batch = event_commands([s.channel for s in status if s.online])

    async def refresh() -> None:
        await client.execute_typed(batch)

    return refresh


async def project_picture(client: ReolinkClient) -> Refresh:
    """A card's picture: the sub stream's Snap, as the camera entity asks for it."""
    return lambda: client.snapshot(0, stream="sub")


async def reolink_aio_events(peer: Any) -> Refresh:
    """reolink_aio's events refresh, `get_motion_state_all_ch`."""
    return peer.get_motion_state_all_ch  # type: ignore[no-any-return]


async def reolink_aio_picture(peer: Any) -> Refresh:
    """The sub stream's Snap, as core's camera entity asks for it."""
    return lambda: peer.get_snapshot(0, "sub")


async def compare(
    title: str,
    profile: str,
    ours: Callable[[ReolinkClient], Awaitable[Refresh]],
    theirs: Callable[[Any], Awaitable[Refresh]],
) -> None:
    """Both clients doing the same thing against one simulator, in alternating rounds.

    The machine may be busy with other work: the median of the rounds is printed.
    """
    process, url = start_simulator(profile)
    rounds: dict[str, list[tuple[float, float]]] = {"project": [], "reolink_aio": []}
    try:
        async with (
            project_client(url) as (client, counter),
            reolink_aio_host(url) as (peer, peer_counter),
        ):
            project = (await ours(client), counter)
            reolink_aio = (await theirs(peer), peer_counter)
            for _ in range(ROUNDS):
                rounds["project"].append(await per_refresh(*project))
                rounds["reolink_aio"].append(await per_refresh(*reolink_aio))
    finally:
        process.terminate()
        process.wait(timeout=10)
    print(f"{profile} {title}, median of {ROUNDS} rounds of {REFRESHES}:")
    print(f"  {'':20} {'project':>9} {'reolink_aio':>12} {'ratio':>7}")
    for index, name in enumerate(("client CPU (ms)", "HTTP body bytes")):
        ours_value = statistics.median(r[index] for r in rounds["project"])
        theirs_value = statistics.median(r[index] for r in rounds["reolink_aio"])
        print(
            f"  {name:20} {ours_value:9.2f} {theirs_value:12.2f} {ours_value / theirs_value:7.2f}"
        )


def settings_commands(abilities: Abilities, channels: list[int]) -> list[Command]:
    """Some per-channel settings the entities show, gated by GetAbility, as the poll asks."""
    batch = [f.HDD_INFO.request(None)]
    for ch in channels:
        batch.append(f.ISP.request(ch))
        if abilities.supports("ledControl", ch):
            batch.append(f.IR_LIGHTS.request(ch))
        if abilities.supports("alarmMd", ch):
            batch.append(f.MD_ALARM.request(ch))
    return batch


async def measure(profile: str) -> None:
    process, url = start_simulator(profile)
    try:
        host, port = url.removeprefix("http://").split(":")
        async with aiohttp.ClientSession() as http:
            client = ReolinkClient(host, "admin", "password", session=http, port=int(port),
                                   use_https=False)  # fmt: skip
            before = await request_count(http, url)
            await client.login()
            abilities, _info, status = await client.execute_typed(
                [commands.get_ability("admin"), commands.get_dev_info(),
                 commands.get_channel_status()]
            )  # fmt: skip
            online = [s.channel for s in status if isinstance(s, ChannelStatus) and s.online]
            channels = online or [0]
            await client.execute(
                [typed.command for typed in event_commands(channels)]
                + settings_commands(abilities, channels)
            )
            cold = await request_count(http, url) - before

            before = await request_count(http, url)
            await client.execute_typed(event_commands(channels))
            events = await request_count(http, url) - before

            before = await request_count(http, url)
            await client.execute(settings_commands(abilities, channels))
            settings = await request_count(http, url) - before

            batch = event_commands(channels)
            start = time.process_time()
            for _ in range(REFRESHES):
                await client.execute_typed(batch)
            cpu_ms = (time.process_time() - start) / REFRESHES * 1000
            await client.close()
        print(
            f"{profile:7} channels={len(channels):2}  requests: events={events} "
            f"settings={settings} cold_start={cold}  client CPU per events refresh={cpu_ms:.2f} ms"
        )
    finally:
        process.terminate()
        process.wait(timeout=10)


async def main() -> None:
    for profile in PROFILES:
        await measure(profile)
    await compare("events refresh", "nvr-16", project_events, reolink_aio_events)
    await compare("card picture", "ipc", project_picture, reolink_aio_picture)


if __name__ == "__main__":
    asyncio.run(main())
