"""Detection picture latency: a person detected on the device to its picture on the image entity.

The same real setup as event_latency.py (simulator processes for `ipc` and `nvr-16`, a Home
Assistant process, the config flow, a WebSocket subscription): a person detection starts on
a channel, and the time until the channel's "Last detection" image entity shows the new
picture (one Snap answered) is measured, per event source. Each detection ends before the
next one starts on the same channel, and a channel waits more than the one-Snap-a-second
spacing, so every measured picture is a Snap of its own.

    [HA_PORT=…] [SIM_PORT=…] .venv/bin/python benchmarks/detection_latency.py
        [--source onvif --source poll] [--events 100] [--json]

Home Assistant listens on HA_PORT and the simulators on SIM_PORT and the port after it;
free ports are taken where they are not set.
"""

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import tempfile
import time
from contextlib import AsyncExitStack, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent))

import event_latency as base

# A channel's next detection waits this long after its last picture (SNAP_SPACING is 1 s).
CHANNEL_REST = 1.2
MISS_AFTER = 5.0

type Changes = asyncio.Queue[tuple[str, str, float]]


@dataclass
class Channels:
    """Per channel of one device: its person sensor and detection image."""

    device: base.SimulatedDevice
    person: dict[int, str] = field(default_factory=dict)
    image: dict[int, str] = field(default_factory=dict)
    latencies: list[float] = field(default_factory=list)
    missed: int = 0


async def map_channels(
    http: aiohttp.ClientSession, ws: aiohttp.ClientWebSocketResponse, devices: list[Channels]
) -> None:
    """Person sensors and detection images of every channel, from the entity registry."""
    await ws.send_json({"id": 2, "type": "config/entity_registry/list"})
    entries = (await ws.receive_json())["result"]
    for channels in devices:
        state = await base.sim_call(http, channels.device, "GET", "/sim/state")
        keys = {channel["uid"]: channel["channel"] for channel in state["channels"]}
        mac = str(state["config"]["LocalLink"]["mac"]).lower()
        for entry in entries:
            if entry["platform"] != "reolink_http":
                continue
            unique_id: str = entry["unique_id"]
            for suffix, target in (
                ("_person", channels.person),
                ("_last_detection", channels.image),
            ):
                owner = unique_id.removesuffix(suffix)
                channel = 0 if owner == mac else keys.get(owner)
                if owner != unique_id and channel is not None:
                    target[channel] = entry["entity_id"]


async def wait_for_change(changes: Changes, entity_id: str, state: str | None) -> float | None:
    """When `entity_id` changed (to `state`, or to anything new when None)."""
    deadline = time.monotonic() + MISS_AFTER
    while (left := deadline - time.monotonic()) > 0:
        try:
            changed_id, new_state, seen = await asyncio.wait_for(changes.get(), left)
        except TimeoutError:
            return None
        if changed_id == entity_id and (state is None or new_state == state):
            return seen
    return None


async def measure(
    http: aiohttp.ClientSession, channels: Channels, changes: Changes, events: int
) -> None:
    """Start and end person detections on random channels, timing each new picture."""
    online = {
        channel["channel"]
        for channel in (await base.sim_call(http, channels.device, "GET", "/sim/state"))["channels"]
        if channel["online"]
    }
    targets = [channel for channel in channels.image if channel in online]
    rested: dict[int, float] = {}
    for _ in range(events):
        channel = random.choice(targets)
        await asyncio.sleep(max(0.0, rested.get(channel, 0.0) - time.monotonic()))
        while not changes.empty():
            changes.get_nowait()
        started = time.monotonic()
        await set_person(http, channels.device, channel, on=True)
        seen = await wait_for_change(changes, channels.image[channel], None)
        if seen is None:
            channels.missed += 1
        else:
            channels.latencies.append(seen - started)
        rested[channel] = time.monotonic() + CHANNEL_REST
        await set_person(http, channels.device, channel, on=False)
        await wait_for_change(changes, channels.person[channel], "off")
        await asyncio.sleep(random.uniform(0, 0.5))


async def set_person(
    http: aiohttp.ClientSession, device: base.SimulatedDevice, channel: int, *, on: bool
) -> None:
    """A person detection starts or ends on the device."""
    patch = {"channels": {str(channel): {"ai": {"people": on}}}}
    await base.sim_call(http, device, "POST", "/sim/state", patch)


def result_row(channels: Channels, source: str) -> dict[str, Any]:
    """The figures of one device for one source."""
    values = channels.latencies
    p50 = statistics.median(values) if values else None
    p95 = base.percentile(values, 0.95)
    return {
        "source": source,
        "profile": channels.device.profile,
        "events": len(values) + channels.missed,
        "p50": None if p50 is None else round(p50, 3),
        "p95": None if p95 is None else round(p95, 3),
        "missed": channels.missed,
    }


async def run(
    stack: AsyncExitStack, config: Path, sources: list[str], events: int
) -> list[dict[str, Any]]:
    """Set everything up, then measure each source on both devices at once."""
    port = int(os.environ.get("HA_PORT") or base.free_port())
    sim_port = int(os.environ.get("SIM_PORT") or 0)
    url = f"http://127.0.0.1:{port}"
    (config / "configuration.yaml").write_text(base.CONFIGURATION)
    base.dev_bootstrap.write_http_settings(config, port)
    (config / "custom_components").mkdir()
    (config / "custom_components" / "reolink_http").symlink_to(
        base.ROOT / "custom_components" / "reolink_http"
    )
    devices = [
        await base.start_simulator(profile, sim_port + index if sim_port else 0)
        for index, profile in enumerate(("ipc", "nvr-16"))
    ]
    for device in devices:
        stack.push_async_callback(base.stop_process, device.process)
    await base.start_home_assistant(stack, config)
    http = await stack.enter_async_context(aiohttp.ClientSession())
    await base.dev_bootstrap.wait_until_up(http, url)
    token = await base.dev_bootstrap.access_token(http, url)
    for device in devices:
        await base.dev_bootstrap.add_device(http, url, token, int(device.url.rsplit(":", 1)[1]))
    entries = await base.rest(http, url, token, "GET", "/api/config/config_entries/entry")
    for device, entry in zip(devices, base.entries_of(entries), strict=True):
        device.entry_id = entry
    ws = await base.subscribe(http, url, token, stack)
    measured = [Channels(device) for device in devices]
    await map_channels(http, ws, measured)
    await ws.send_json({"id": 3, "type": "subscribe_events", "event_type": "state_changed"})
    await ws.receive_json()
    per_device: dict[str, Changes] = {device.profile: asyncio.Queue() for device in devices}
    queues = {
        entity_id: per_device[channels.device.profile]
        for channels in measured
        for entity_id in (*channels.person.values(), *channels.image.values())
    }
    pumping = asyncio.create_task(base.pump(ws, queues))
    rows: list[dict[str, Any]] = []
    try:
        for source in sources:
            for device in devices:
                await base.use_source(http, url, token, device, source)
            await asyncio.sleep(3)  # let the reload's first requests settle
            for channels in measured:
                channels.latencies, channels.missed = [], 0
            await asyncio.gather(
                *(
                    measure(http, channels, per_device[channels.device.profile], events)
                    for channels in measured
                )
            )
            rows += [result_row(channels, source) for channels in measured]
    finally:
        pumping.cancel()
        with suppress(asyncio.CancelledError):
            await pumping
    return rows


def print_table(rows: list[dict[str, Any]]) -> None:
    """One line per device and source."""
    print(f"{'profile':8} {'source':6} {'events':>6} {'p50 s':>7} {'p95 s':>7} {'missed':>6}")
    for row in sorted(rows, key=lambda r: (r["profile"], r["source"])):
        print(
            f"{row['profile']:8} {row['source']:6} {row['events']:>6} {row['p50']!s:>7} "
            f"{row['p95']!s:>7} {row['missed']:>6}"
        )


async def main(sources: list[str], events: int, as_json: bool) -> None:
    """Run in a throwaway config dir; everything started is stopped at the end."""
    with tempfile.TemporaryDirectory() as config_dir:
        async with AsyncExitStack() as stack:
            rows = await run(stack, Path(config_dir), sources, events)
    if as_json:
        print(json.dumps(rows))
    else:
        print_table(rows)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--source", action="append", choices=list(base.SOURCES), help="repeat for both (default)"
    )
    parser.add_argument("--events", type=int, default=100, help="detections per device")
    parser.add_argument("--json", action="store_true", help="print one JSON line")
    args = parser.parse_args()
    asyncio.run(main(args.source or list(base.SOURCES), args.events, args.json))
