"""Requests and client CPU time per refresh, against `python -m simulator` in a subprocess.

Run: .venv/bin/python -m benchmarks.client   (from the repository root)
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from typing import Any

import aiohttp

from custom_components.reolink_http.api import Abilities, ChannelStatus, ReolinkClient, commands
from custom_components.reolink_http.api.commands import TypedCommand

REFRESHES = 300
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
    """GetMdState + GetAiState for every channel: what a motion refresh needs."""
    return [commands.md_state(ch) for ch in channels] + [commands.ai_state(ch) for ch in channels]


def settings_commands(abilities: Abilities, channels: list[int]) -> list[TypedCommand[Any]]:
    """The per-channel settings the entities show, gated by GetAbility."""
    batch: list[TypedCommand[Any]] = [commands.get_hdd_info()]
    for ch in channels:
        batch.append(commands.get_isp(ch))
        if abilities.supports("ledControl", ch):
            batch.append(commands.get_ir_lights(ch))
        if abilities.supports("alarmMd", ch):
            batch.append(commands.get_md_alarm(ch))
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
            await client.execute_typed(
                event_commands(channels) + settings_commands(abilities, channels)
            )
            cold = await request_count(http, url) - before

            before = await request_count(http, url)
            await client.execute_typed(event_commands(channels))
            events = await request_count(http, url) - before

            before = await request_count(http, url)
            await client.execute_typed(settings_commands(abilities, channels))
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


if __name__ == "__main__":
    asyncio.run(main())
