"""CPU time to read an NVR-16 events answer: what the client spends on it every second.

While events are polled (ONVIF off or failing) the client reads one GetEvents per online
channel every second. The answer of the simulator's `nvr-16` profile (15 online channels)
is fetched once; then, in this process only, its bytes are decoded (size, nesting depth,
clean strings: `decode_answer`), matched to the commands (`parse_results`) and read into
`Events` models, many times over. Printed: microseconds per answer for each step and in
all, median of the runs, and the share of one CPU core at one answer a second.

Run: .venv/bin/python -m benchmarks.decode [--runs 9] [--answers 2000]
"""

import argparse
import asyncio
import statistics
import time
from collections.abc import Callable
from typing import Any

import aiohttp

from custom_components.reolink_http.api import commands
from custom_components.reolink_http.api.client import parse_typed
from custom_components.reolink_http.api.protocol import parse_results
from custom_components.reolink_http.api.sanitize import decode_answer
from simulator import Simulator


async def events_answer() -> tuple[list[int], bytes]:
    """The online channels of an NVR-16 and the raw answer to their GetEvents batch."""
    async with Simulator(profile="nvr-16") as sim, aiohttp.ClientSession() as http:
        url = f"{sim.url}/cgi-bin/api.cgi"
        query = {"user": "admin", "password": "password"}
        status_cmd = [{"cmd": "GetChannelstatus", "action": 0, "param": {}}]
        status_query = {**query, "cmd": "GetChannelstatus"}
        async with http.post(url, params=status_query, json=status_cmd) as response:
            status = (await response.json(content_type=None))[0]["value"]["status"]
        channels = [entry["channel"] for entry in status if entry["online"]]
        batch = [commands.get_events(channel).command.to_json() for channel in channels]
        async with http.post(url, params={**query, "cmd": "GetEvents"}, json=batch) as response:
            return channels, await response.read()


def microseconds_each(step: Callable[[], Any], answers: int) -> float:
    """CPU microseconds per call of `step`, over `answers` calls."""
    start = time.process_time()
    for _ in range(answers):
        step()
    return (time.process_time() - start) / answers * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--answers", type=int, default=2000)
    args = parser.parse_args()
    channels, raw = asyncio.run(events_answer())
    typed = [commands.get_events(channel) for channel in channels]
    sent = [command.command for command in typed]
    decoded = decode_answer(raw)
    results = parse_results(sent, decoded)

    def in_all() -> None:
        found = parse_results(sent, decode_answer(raw))
        for command, result in zip(typed, found, strict=True):
            parse_typed(command, result)

    steps: dict[str, Callable[[], Any]] = {
        "decode_answer": lambda: decode_answer(raw),
        "parse_results": lambda: parse_results(sent, decoded),
        "Events models": lambda: [
            parse_typed(command, result) for command, result in zip(typed, results, strict=True)
        ],
        "in all": in_all,
    }
    runs: dict[str, list[float]] = {name: [] for name in steps}
    for _ in range(args.runs):
        for name, step in steps.items():
            runs[name].append(microseconds_each(step, args.answers))
    print(
        f"nvr-16 events answer: {len(channels)} channels, {len(raw)} bytes; "
        f"median of {args.runs} runs of {args.answers} answers"
    )
    for name, samples in runs.items():
        median = statistics.median(samples)
        share = median / 1e6 * 100
        print(
            f"  {name:14} {median:8.1f} µs  (runs {min(samples):.1f}-{max(samples):.1f}; "
            f"{share:.4f} % of a core at one answer a second)"
        )


if __name__ == "__main__":
    main()
