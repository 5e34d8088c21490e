"""Event latency: a motion/person change on the device to the Home Assistant state change.

Runs the real thing end to end: two simulators (ipc, nvr-16) as processes, a Home Assistant
process with the integration at its default options, set up through the config flow, and a
WebSocket subscription to state changes. Prints p50/p95/max and requests per second per device.

    .venv/bin/python benchmarks/event_latency.py [--events 200]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import socket
import statistics
import sys
import tempfile
import time
from contextlib import AsyncExitStack, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import dev_bootstrap  # noqa: E402

CONFIGURATION = """
homeassistant:
  name: Latency benchmark
http:
  server_host: 127.0.0.1
  server_port: {port}
config:
logger:
  default: warning
"""


@dataclass
class SimulatedDevice:
    """A simulator process and what the benchmark learned about it."""

    profile: str
    url: str
    process: asyncio.subprocess.Process
    entities: dict[str, str] = field(default_factory=dict)  # entity_id -> "channel:kind"
    latencies: list[float] = field(default_factory=list)
    requests_before: int = 0


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def start_simulator(profile: str) -> SimulatedDevice:
    """Start `python -m simulator` and read its READY line."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "simulator",
        "--profile",
        profile,
        "--https",
        "--port",
        "0",
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
    )
    assert process.stdout is not None
    line = (await asyncio.wait_for(process.stdout.readline(), 30)).decode().split()
    return SimulatedDevice(profile, line[2], process)


async def sim_call(
    http: aiohttp.ClientSession, device: SimulatedDevice, method: str, path: str, body: Any = None
) -> Any:
    """Use the simulator's control API."""
    async with http.request(method, f"{device.url}{path}", json=body, ssl=False) as response:
        return await response.json()


async def map_entities(
    http: aiohttp.ClientSession, ws: aiohttp.ClientWebSocketResponse, devices: list[SimulatedDevice]
) -> None:
    """Find the motion and person sensors of every channel through the entity registry."""
    await ws.send_json({"id": 2, "type": "config/entity_registry/list"})
    entries = (await ws.receive_json())["result"]
    for device in devices:
        state = await sim_call(http, device, "GET", "/sim/state")
        keys = {channel["uid"]: channel["channel"] for channel in state["channels"]}
        mac = str(state["config"]["LocalLink"]["mac"]).lower()
        for entry in entries:
            if entry["platform"] != "reolink_http":
                continue
            owner, _, kind = entry["unique_id"].rpartition("_")
            channel = 0 if owner == mac else keys.get(owner)
            if channel is not None and kind in ("motion", "person"):
                device.entities[entry["entity_id"]] = f"{channel}:{kind}"


async def measure(
    http: aiohttp.ClientSession,
    device: SimulatedDevice,
    changes: asyncio.Queue[tuple[str, str, float]],
    events: int,
) -> None:
    """Flip random channels' motion/person on and off, timing each HA state change."""
    online = {
        channel["channel"]
        for channel in (await sim_call(http, device, "GET", "/sim/state"))["channels"]
        if channel["online"]
    }
    targets = [eid for eid, where in device.entities.items() if int(where.split(":")[0]) in online]
    for _ in range(events // 2):
        entity_id = random.choice(targets)
        channel, kind = device.entities[entity_id].split(":")
        for on in (True, False):
            patch = {"motion": on} if kind == "motion" else {"ai": {"people": on}}
            started = time.monotonic()
            await sim_call(http, device, "POST", "/sim/state", {"channels": {channel: patch}})
            seen = await wait_for_state(changes, entity_id, "on" if on else "off")
            device.latencies.append(seen - started)
            # Desynchronise from the poll clock so latencies sample the whole interval.
            await asyncio.sleep(random.uniform(0, 0.5))


async def wait_for_state(
    changes: asyncio.Queue[tuple[str, str, float]], entity_id: str, state: str
) -> float:
    """When Home Assistant reported `entity_id` in `state` (monotonic clock)."""
    while True:
        changed_id, new_state, seen = await asyncio.wait_for(changes.get(), 15)
        if changed_id == entity_id and new_state == state:
            return seen


async def pump(
    ws: aiohttp.ClientWebSocketResponse, queues: dict[str, asyncio.Queue[tuple[str, str, float]]]
) -> None:
    """Route state_changed events to the queue of the device owning the entity."""
    async for message in ws:
        event = json.loads(message.data).get("event")
        if not event:
            continue
        data = event["data"]
        queue = queues.get(data["entity_id"])
        if queue is not None and data.get("new_state"):
            queue.put_nowait((data["entity_id"], data["new_state"]["state"], time.monotonic()))


def report(device: SimulatedDevice, requests: int, seconds: float) -> None:
    """Print the figures of one device."""
    values = sorted(device.latencies)
    p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
    print(
        f"{device.profile:7} events={len(values)} p50={statistics.median(values):.3f}s "
        f"p95={p95:.3f}s max={values[-1]:.3f}s requests/s={requests / seconds:.3f}"
    )


async def start_home_assistant(stack: AsyncExitStack, config: Path) -> None:
    """A Home Assistant process on the given config dir, stopped with the stack."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "homeassistant",
        "-c",
        str(config),
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    stack.push_async_callback(stop_process, process)


async def stop_process(process: asyncio.subprocess.Process) -> None:
    """Terminate and reap a child process."""
    with suppress(ProcessLookupError):
        process.terminate()
    await process.wait()


async def subscribe(
    http: aiohttp.ClientSession, base: str, token: str, stack: AsyncExitStack
) -> aiohttp.ClientWebSocketResponse:
    """An authenticated WebSocket connection to Home Assistant."""
    ws = await stack.enter_async_context(http.ws_connect(f"{base}/api/websocket"))
    await ws.receive_json()
    await ws.send_json({"type": "auth", "access_token": token})
    await ws.receive_json()
    return ws


async def request_count(http: aiohttp.ClientSession, device: SimulatedDevice) -> int:
    """API requests the simulator has received so far."""
    return int((await sim_call(http, device, "GET", "/sim/log"))["request_count"])


async def run(stack: AsyncExitStack, config: Path, events: int) -> None:
    """Set everything up, measure both devices at once, print the figures."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    (config / "configuration.yaml").write_text(CONFIGURATION.format(port=port))
    (config / "custom_components").mkdir()
    (config / "custom_components" / "reolink_http").symlink_to(
        ROOT / "custom_components" / "reolink_http"
    )
    devices = [await start_simulator("ipc"), await start_simulator("nvr-16")]
    for device in devices:
        stack.push_async_callback(stop_process, device.process)
    await start_home_assistant(stack, config)
    http = await stack.enter_async_context(aiohttp.ClientSession())
    await dev_bootstrap.wait_until_up(http, base)
    token = await dev_bootstrap.access_token(http, base)
    for device in devices:
        await dev_bootstrap.add_device(http, base, token, int(device.url.rsplit(":", 1)[1]))
    ws = await subscribe(http, base, token, stack)
    await map_entities(http, ws, devices)
    await ws.send_json({"id": 3, "type": "subscribe_events", "event_type": "state_changed"})
    await ws.receive_json()
    per_device = {device.profile: asyncio.Queue() for device in devices}
    queues = {eid: per_device[d.profile] for d in devices for eid in d.entities}
    pumping = asyncio.create_task(pump(ws, queues))
    await asyncio.sleep(3)  # let the settings refresh after setup settle
    counts = [await request_count(http, device) for device in devices]
    started = time.monotonic()
    await asyncio.gather(*(measure(http, d, per_device[d.profile], events) for d in devices))
    elapsed = time.monotonic() - started
    pumping.cancel()
    with suppress(asyncio.CancelledError):
        await pumping
    for device, before in zip(devices, counts, strict=True):
        report(device, await request_count(http, device) - before, elapsed)


async def main(events: int) -> None:
    """Run in a throwaway config dir; everything started is stopped at the end."""
    with tempfile.TemporaryDirectory() as config_dir:
        async with AsyncExitStack() as stack:
            await run(stack, Path(config_dir), events)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=200, help="state changes per device")
    asyncio.run(main(parser.parse_args().events))
