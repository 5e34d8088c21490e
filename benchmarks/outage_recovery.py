"""Outage recovery: the device answers again -> its entities available in Home Assistant.

Runs the real thing, as event_latency.py does: a simulator process (ipc over HTTPS), a Home
Assistant process with the integration added through the config flow, and a WebSocket
subscription to state changes. For each event source (ONVIF healthy, ONVIF failing, ONVIF
off) and each kind of outage (HTTP 502, requests never answered, dropped connections, a
reboot with refused connections) the outage lasts until the motion sensor
is unavailable and a random 10-15 s more; then the time until the motion sensor and a
settings switch are both available again is measured.

    .venv/bin/python benchmarks/outage_recovery.py [--repeat 2] [--json]
"""

import argparse
import asyncio
import json
import random
import statistics
import tempfile
import time
from contextlib import AsyncExitStack, suppress
from pathlib import Path
from typing import Any

import aiohttp
from event_latency import (
    ROOT,
    SimulatedDevice,
    dev_bootstrap,
    entries_of,
    free_port,
    rest,
    sim_call,
    start_home_assistant,
    start_simulator,
    stop_process,
    subscribe,
)

CONFIGURATION = """
homeassistant:
  name: Outage benchmark
config:
diagnostics:
logger:
  default: critical
"""

# Since Home Assistant 2026.10 the HTTP server's settings live in its storage: from YAML
# they would be a trial that reverts to port 8123 after five minutes, mid-run.
HTTP_STORAGE = {
    "version": 2,
    "minor_version": 2,
    "key": "http",
    "data": {
        "stable": {
            "server_port": 0,
            "server_host": ["127.0.0.1"],
            "cors_allowed_origins": [],
            "login_attempts_threshold": -1,
            "ip_ban_enabled": True,
            "ssl_profile": "modern",
            "use_x_frame_options": True,
            "created_at": "2026-10-01T00:00:00+00:00",
            "error": None,
            "error_message": None,
        },
        "pending": None,
        "yaml_migration_done": True,
    },
}
# The fault that starts each outage; a reboot's length is fixed when it starts.
REBOOT_SECONDS = 25.0
OUTAGES: dict[str, dict[str, Any]] = {
    "http_502": {"http_status": 502},
    "timeout": {"latency_ms": 120_000},
    "dropped": {"drop_connection": True},
    # (tls_failure is left to tests/integration/test_recovery.py: it fails the handshakes
    # of the control API on the same port too, so a benchmark could not clear it.)
    "reboot": {"reboot_seconds": REBOOT_SECONDS},
}
SOURCES = ("onvif_healthy", "onvif_failing", "onvif_off")
# ONVIF healthy: only the safety poll, once a minute, notices the outage.
NOTICE_WITHIN = 150.0
GIVE_UP_AFTER = 60.0


class States:
    """The latest state of each entity, from the WebSocket subscription."""

    def __init__(self) -> None:
        self.current: dict[str, str] = {}
        self.changed = asyncio.Event()

    async def pump(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        async for message in ws:
            event = json.loads(message.data).get("event")
            if event and event["data"].get("new_state"):
                self.current[event["data"]["entity_id"]] = event["data"]["new_state"]["state"]
                self.changed.set()

    async def wait(self, condition: Any, within: float) -> float:
        """Monotonic time at which `condition()` held; raises TimeoutError after `within`."""
        deadline = time.monotonic() + within
        while not condition():
            self.changed.clear()
            await asyncio.wait_for(self.changed.wait(), max(deadline - time.monotonic(), 0.0))
        return time.monotonic()

    def available(self, entity_id: str) -> bool:
        return self.current.get(entity_id, "unavailable") != "unavailable"


async def set_source(
    http: aiohttp.ClientSession, base: str, token: str, device: SimulatedDevice, source: str
) -> None:
    """Event source option and the simulator's ONVIF port for one of SOURCES."""
    flow = await rest(
        http, base, token, "POST", "/api/config/config_entries/options/flow",
        {"handler": device.entry_id},
    )  # fmt: skip
    option = "polling" if source == "onvif_off" else "auto"
    await rest(
        http, base, token, "POST", f"/api/config/config_entries/options/flow/{flow['flow_id']}",
        {"event_source": option},
    )  # fmt: skip
    await sim_call(http, device, "POST", "/sim/onvif", {"port_closed": source == "onvif_failing"})
    await asyncio.sleep(8)  # reload, first polls, ONVIF subscribed or given up


async def one_outage(
    http: aiohttp.ClientSession,
    device: SimulatedDevice,
    states: States,
    kind: str,
    watched: list[str],
) -> float:
    """Seconds from the device answering again until every watched entity is available."""
    motion = watched[0]
    await states.wait(lambda: all(states.available(e) for e in watched), GIVE_UP_AFTER)
    started = time.monotonic()
    await sim_call(http, device, "POST", "/sim/fault", OUTAGES[kind])
    await states.wait(lambda: not states.available(motion), NOTICE_WITHIN)
    if kind == "reboot":
        back_at = started + REBOOT_SECONDS
    else:
        await asyncio.sleep(random.uniform(10.0, 15.0))
        await sim_call(http, device, "DELETE", "/sim/fault")
        back_at = time.monotonic()
    seen = await states.wait(lambda: all(states.available(e) for e in watched), GIVE_UP_AFTER)
    return seen - back_at


async def watched_entities(ws: aiohttp.ClientWebSocketResponse, entry_id: str) -> list[str]:
    """The motion sensor and an enabled settings switch of the entry."""
    await ws.send_json({"id": 2, "type": "config/entity_registry/list"})
    entries = [
        e for e in (await ws.receive_json())["result"]
        if e["config_entry_id"] == entry_id and not e["disabled_by"]
    ]  # fmt: skip
    motion = next(e["entity_id"] for e in entries if e["unique_id"].endswith("_motion"))
    switch = next(e["entity_id"] for e in entries if e["entity_id"].startswith("switch."))
    return [motion, switch]


async def run(stack: AsyncExitStack, config: Path, repeat: int) -> list[dict[str, Any]]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    (config / "configuration.yaml").write_text(CONFIGURATION)
    http_settings = json.loads(json.dumps(HTTP_STORAGE))
    http_settings["data"]["stable"]["server_port"] = port
    (config / ".storage").mkdir()
    (config / ".storage" / "http").write_text(json.dumps(http_settings))
    (config / "custom_components").mkdir()
    (config / "custom_components" / "reolink_http").symlink_to(
        ROOT / "custom_components" / "reolink_http"
    )
    device = await start_simulator("ipc")
    stack.push_async_callback(stop_process, device.process)
    await start_home_assistant(stack, config)
    http = await stack.enter_async_context(aiohttp.ClientSession())
    await dev_bootstrap.wait_until_up(http, base)
    token = await dev_bootstrap.access_token(http, base)
    await dev_bootstrap.add_device(http, base, token, int(device.url.rsplit(":", 1)[1]))
    entries = await rest(http, base, token, "GET", "/api/config/config_entries/entry")
    device.entry_id = entries_of(entries)[0]
    ws = await subscribe(http, base, token, stack)
    watched = await watched_entities(ws, device.entry_id)
    await ws.send_json({"id": 3, "type": "subscribe_events", "event_type": "state_changed"})
    await ws.receive_json()
    states = States()
    for entity_id in watched:
        state = await rest(http, base, token, "GET", f"/api/states/{entity_id}")
        states.current[entity_id] = state["state"]
    pumping = asyncio.create_task(states.pump(ws))
    rows: list[dict[str, Any]] = []
    try:
        for source in SOURCES:
            await set_source(http, base, token, device, source)
            for kind in OUTAGES:
                took = [
                    await one_outage(http, device, states, kind, watched) for _ in range(repeat)
                ]
                rows.append({"source": source, "outage": kind, "back_after_s": took})
                print(source, kind, [round(t, 2) for t in took], flush=True)
    finally:
        pumping.cancel()
        with suppress(asyncio.CancelledError):
            await pumping
    return rows


def print_table(rows: list[dict[str, Any]]) -> None:
    print(f"{'source':14} {'outage':12} {'median s':>8} {'max s':>6}")
    for row in rows:
        took = row["back_after_s"]
        print(
            f"{row['source']:14} {row['outage']:12} {statistics.median(took):>8.2f} "
            f"{max(took):>6.2f}"
        )
    every = [t for row in rows for t in row["back_after_s"]]
    print(
        f"all {len(every)} outages: median {statistics.median(every):.2f} s, max {max(every):.2f} s"
    )


async def main(repeat: int, as_json: bool) -> None:
    with tempfile.TemporaryDirectory() as config_dir:
        async with AsyncExitStack() as stack:
            rows = await run(stack, Path(config_dir), repeat)
    if as_json:
        print(json.dumps(rows))
    else:
        print_table(rows)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2, help="outages per source and kind")
    parser.add_argument("--json", action="store_true", help="print one JSON line")
    args = parser.parse_args()
    asyncio.run(main(args.repeat, args.json))
