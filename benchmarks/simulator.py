"""Simulator throughput: an HTTPS NVR batch loop and 50 devices in one process.

Run: `.venv/bin/python -m benchmarks.simulator [--iterations 200] [--devices 50]`
"""

import argparse
import asyncio
import contextlib
import statistics
import time
from typing import Any

import aiohttp

from simulator import Simulator

NVR_CHANNELS = 16


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def summary(label: str, samples_ms: list[float]) -> str:
    return (
        f"{label}: n={len(samples_ms)} p50={statistics.median(samples_ms):.2f} ms "
        f"p95={percentile(samples_ms, 0.95):.2f} ms max={max(samples_ms):.2f} ms"
    )


def login_body() -> list[dict[str, Any]]:
    user = {"Version": "0", "userName": "admin", "password": "password"}
    return [{"cmd": "Login", "param": {"User": user}}]


def state_batch() -> list[dict[str, Any]]:
    return [
        {"cmd": cmd, "action": 0, "param": {"channel": channel}}
        for channel in range(NVR_CHANNELS)
        for cmd in ("GetMdState", "GetAiState")
    ]


async def timed_post(
    http: aiohttp.ClientSession, url: str, body: list[dict[str, Any]], **query: str
) -> tuple[float, list[dict[str, Any]]]:
    started = time.perf_counter()
    async with http.post(url, params=query, json=body, ssl=False) as response:
        answers: list[dict[str, Any]] = await response.json()
    return (time.perf_counter() - started) * 1000, answers


async def nvr_batches(iterations: int) -> None:
    # Generous limits: the benchmark logs in every iteration on purpose.
    async with (
        Simulator(profile="nvr-16", https=True, login_rate_limit=10**6, max_sessions=10**6) as sim,
        aiohttp.ClientSession() as http,
    ):
        url = f"{sim.url}/cgi-bin/api.cgi"
        logins, batches = [], []
        for _ in range(iterations):
            login_ms, answers = await timed_post(http, url, login_body(), cmd="Login")
            token = answers[0]["value"]["Token"]["name"]
            batch_ms, answers = await timed_post(http, url, state_batch(), token=token)
            assert len(answers) == 2 * NVR_CHANNELS
            logins.append(login_ms)
            batches.append(batch_ms)
        print(summary("nvr-16 HTTPS Login", logins))
        print(summary("nvr-16 HTTPS 32-command batch", batches))
        print(
            summary(
                "nvr-16 HTTPS Login + batch", [a + b for a, b in zip(logins, batches, strict=True)]
            )
        )


async def many_devices(count: int) -> None:
    async with contextlib.AsyncExitStack() as stack:
        started = time.perf_counter()
        sims = [await stack.enter_async_context(Simulator(profile="ipc")) for _ in range(count)]
        start_ms = (time.perf_counter() - started) * 1000
        print(f"{count} ipc devices started in {start_ms:.0f} ms ({start_ms / count:.1f} ms each)")
        http = await stack.enter_async_context(aiohttp.ClientSession())
        query = {"user": "admin", "password": "password"}
        body = [{"cmd": "GetMdState", "action": 0, "param": {"channel": 0}}]
        samples = []
        for sim in sims:
            elapsed, answers = await timed_post(http, f"{sim.url}/api.cgi", body, **query)
            assert answers[0]["code"] == 0
            samples.append(elapsed)
        print(summary(f"one request per device ({count} devices)", samples))


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--iterations", type=int, default=200)
    parser.add_argument("--devices", type=int, default=50)
    args = parser.parse_args()
    await nvr_batches(args.iterations)
    await many_devices(args.devices)


if __name__ == "__main__":
    asyncio.run(main())
