"""Event latency: a motion/person change on the device to the Home Assistant state change.

Runs the real thing end to end: two simulators (ipc, nvr-16) as processes, a Home Assistant
process with the integration set up through the config flow, and a WebSocket subscription to
state changes. Each event source (ONVIF pull point, HTTP poll) is measured in turn on the same
simulators and the same Home Assistant, switched through the options flow. Per source and
device: p50/p95 latency, events missed (no state change within MISS_AFTER s), and the requests
per second the device receives (HTTP API and ONVIF together) in an idle window without events.

    .venv/bin/python benchmarks/event_latency.py [--source onvif --source poll]
        [--events 200] [--idle 60] [--json]
"""

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
config:
diagnostics:
logger:
  default: warning
"""


# Option value of each measured source.
SOURCES = {"onvif": "onvif", "poll": "polling"}
# A state change not seen this long after the device changed counts as missed.
MISS_AFTER = 5.0
# Commands of the events poll; everything else the device is asked is the settings poll.
EVENT_COMMANDS = frozenset(
    {"GetMdState", "GetAiState", "GetEvents", "GetChannelstatus", "Getchannelstatus"}
)


@dataclass(frozen=True)
class Counts:
    """Requests a device received: those for events, and all of them."""

    events: float
    all: float

    def rates(self, before: Counts, seconds: float) -> Counts:
        """Per second since `before`."""
        return Counts((self.events - before.events) / seconds, (self.all - before.all) / seconds)


@dataclass
class SimulatedDevice:
    """A simulator process and what the benchmark learned about it."""

    profile: str
    url: str
    process: asyncio.subprocess.Process
    entities: dict[str, str] = field(default_factory=dict)  # entity_id -> "channel:kind"
    entry_id: str = ""
    latencies: list[float] = field(default_factory=list)
    missed: int = 0


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def start_simulator(profile: str, port: int = 0) -> SimulatedDevice:
    """Start `python -m simulator` (on a free port unless given) and read its READY line."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "simulator",
        "--profile",
        profile,
        "--https",
        "--port",
        str(port),
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
            if seen is None:
                device.missed += 1
            else:
                device.latencies.append(seen - started)
            # Desynchronise from the poll clock so latencies sample the whole interval.
            await asyncio.sleep(random.uniform(0, 0.5))


async def wait_for_state(
    changes: asyncio.Queue[tuple[str, str, float]], entity_id: str, state: str
) -> float | None:
    """When Home Assistant reported `entity_id` in `state` (monotonic clock); None if never."""
    deadline = time.monotonic() + MISS_AFTER
    while (left := deadline - time.monotonic()) > 0:
        try:
            changed_id, new_state, seen = await asyncio.wait_for(changes.get(), left)
        except TimeoutError:
            return None
        if changed_id == entity_id and new_state == state:
            return seen
    return None


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


def percentile(values: list[float], share: float) -> float | None:
    """Nearest-rank percentile; None without values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def result_row(device: SimulatedDevice, source: str, idle_rate: Counts) -> dict[str, Any]:
    """The figures of one device for one source."""
    p50 = statistics.median(device.latencies) if device.latencies else None
    p95 = percentile(device.latencies, 0.95)
    return {
        "source": source,
        "profile": device.profile,
        "p50": None if p50 is None else round(p50, 3),
        "p95": None if p95 is None else round(p95, 3),
        "idle_requests_per_s": round(idle_rate.events, 4),
        "idle_all_requests_per_s": round(idle_rate.all, 4),
        "missed": device.missed,
        "events": len(device.latencies) + device.missed,
    }


def print_table(rows: list[dict[str, Any]]) -> None:
    """Sources side by side, one line per device and source."""
    print(
        f"{'profile':8} {'source':6} {'events':>6} {'p50 s':>7} {'p95 s':>7} "
        f"{'idle req/s':>10} {'missed':>6}"
    )
    for row in sorted(rows, key=lambda r: (r["profile"], r["source"])):
        print(
            f"{row['profile']:8} {row['source']:6} {row['events']:>6} {row['p50']!s:>7} "
            f"{row['p95']!s:>7} {row['idle_requests_per_s']:>10} "
            f"{row['idle_all_requests_per_s']:>10} {row['missed']:>6}"
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


async def request_counts(http: aiohttp.ClientSession, device: SimulatedDevice) -> Counts:
    """Requests so far: for events (ONVIF and event polls) and in all (settings too)."""
    log = await sim_call(http, device, "GET", "/sim/log")
    onvif = int((await sim_call(http, device, "GET", "/sim/onvif"))["request_count"])
    event_polls = sum(
        1
        for request in log["requests"]
        if request["commands"] and set(request["commands"]) <= EVENT_COMMANDS
    )
    return Counts(onvif + event_polls, onvif + int(log["request_count"]))


async def rest(
    http: aiohttp.ClientSession, base: str, token: str, method: str, path: str, body: Any = None
) -> Any:
    """Home Assistant's REST API."""
    headers = {"Authorization": f"Bearer {token}"}
    async with http.request(method, f"{base}{path}", json=body, headers=headers) as response:
        return await response.json()


async def use_source(
    http: aiohttp.ClientSession, base: str, token: str, device: SimulatedDevice, source: str
) -> None:
    """Switch the entry's event source through the options flow, wait until it is active."""
    flow = await rest(
        http,
        base,
        token,
        "POST",
        "/api/config/config_entries/options/flow",
        {"handler": device.entry_id},
    )
    await rest(
        http,
        base,
        token,
        "POST",
        f"/api/config/config_entries/options/flow/{flow['flow_id']}",
        {"event_source": SOURCES[source]},
    )
    wanted = "onvif" if source == "onvif" else "polling"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        await asyncio.sleep(1)
        with suppress(aiohttp.ClientError, KeyError, TypeError, ValueError):
            diagnostics = await rest(
                http, base, token, "GET", f"/api/diagnostics/config_entry/{device.entry_id}"
            )
            if diagnostics["data"]["event_source"]["active"] == wanted:
                return
    raise SystemExit(f"{device.profile}: event source {source} did not become active")


async def run_source(
    http: aiohttp.ClientSession,
    ws_queues: dict[str, asyncio.Queue[tuple[str, str, float]]],
    devices: list[SimulatedDevice],
    source: str,
    events: int,
    idle: float,
) -> list[dict[str, Any]]:
    """Idle window first (requests counted), then the events (latencies timed)."""
    for device in devices:
        device.latencies, device.missed = [], 0
    await asyncio.sleep(3)  # let the reload's first requests settle
    for device in devices:
        await sim_call(http, device, "DELETE", "/sim/log")
    before = [await request_counts(http, device) for device in devices]
    await asyncio.sleep(idle)
    idle_rates = [
        (await request_counts(http, device)).rates(count, idle)
        for device, count in zip(devices, before, strict=True)
    ]
    for queue in ws_queues.values():
        while not queue.empty():
            queue.get_nowait()
    await asyncio.gather(*(measure(http, d, ws_queues[d.profile], events) for d in devices))
    return [
        result_row(device, source, rate) for device, rate in zip(devices, idle_rates, strict=True)
    ]


async def run(
    stack: AsyncExitStack, config: Path, sources: list[str], events: int, idle: float
) -> list[dict[str, Any]]:
    """Set everything up, measure each source on both devices at once, return the figures."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    (config / "configuration.yaml").write_text(CONFIGURATION)
    dev_bootstrap.write_http_settings(config, port)
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
    entries = await rest(http, base, token, "GET", "/api/config/config_entries/entry")
    for device, entry in zip(devices, entries_of(entries), strict=True):
        device.entry_id = entry
    ws = await subscribe(http, base, token, stack)
    await map_entities(http, ws, devices)
    await ws.send_json({"id": 3, "type": "subscribe_events", "event_type": "state_changed"})
    await ws.receive_json()
    per_device: dict[str, asyncio.Queue[tuple[str, str, float]]] = {
        device.profile: asyncio.Queue() for device in devices
    }
    queues = {eid: per_device[d.profile] for d in devices for eid in d.entities}
    pumping = asyncio.create_task(pump(ws, queues))
    rows: list[dict[str, Any]] = []
    try:
        for source in sources:
            for device in devices:
                await use_source(http, base, token, device, source)
            rows += await run_source(http, per_device, devices, source, events, idle)
    finally:
        pumping.cancel()
        with suppress(asyncio.CancelledError):
            await pumping
    return rows


def entries_of(entries: list[dict[str, Any]]) -> list[str]:
    """Entry IDs of the integration, in the order the devices were added."""
    return [entry["entry_id"] for entry in entries if entry["domain"] == "reolink_http"]


async def main(sources: list[str], events: int, idle: float, as_json: bool) -> None:
    """Run in a throwaway config dir; everything started is stopped at the end."""
    with tempfile.TemporaryDirectory() as config_dir:
        async with AsyncExitStack() as stack:
            rows = await run(stack, Path(config_dir), sources, events, idle)
    if as_json:
        print(json.dumps([{k: v for k, v in row.items() if k != "events"} for row in rows]))
    else:
        print_table(rows)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--source", action="append", choices=list(SOURCES), help="repeat for both (default)"
    )
    parser.add_argument("--events", type=int, default=200, help="state changes per device")
    parser.add_argument("--idle", type=float, default=60.0, help="idle window in seconds")
    parser.add_argument("--json", action="store_true", help="print one JSON line")
    args = parser.parse_args()
    asyncio.run(main(args.source or list(SOURCES), args.events, args.idle, args.json))
