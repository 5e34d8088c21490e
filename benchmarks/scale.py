"""Cost at rest at scale: this integration beside Home Assistant's built-in `reolink`.

Two Home Assistant processes of the same kind run side by side, one with `reolink_http`, one
with core's `reolink` (as shipped in the installed homeassistant package). Each gets its own
copy of the same simulated devices (same profiles and seeds, started together), so every
request a simulator receives belongs to one integration. Devices are added through each
integration's config flow in steps (1, 10, 30, 60 cameras, the NVR-16s from the first step);
after each step and a settling time, an idle window measures per integration:

- Home Assistant CPU (user + system time of its process over the window, in % of one core),
- requests the devices received (HTTP API and ONVIF), per camera and per NVR,
- Home Assistant memory (RSS at the end of the window),

then slopes per device (least squares over the steps, the empty step included) and the ratio
ours/core. A PNG plot of the three figures over the device count is written (--plot).

Core's `reolink` pins reolink-aio; the exact pin is installed apart from the shared venv and
put first on that process's PYTHONPATH (nothing in the shared venv changes). Home Assistant
needs the demo's packages (`requirements_dev.txt`, installed by `scripts/develop`):

    .venv/bin/python -m pip install --no-deps --target /tmp/reolink-aio-core reolink-aio==0.21.18
    .venv/bin/python benchmarks/scale.py --core-site /tmp/reolink-aio-core [--quick]

Both processes start with --skip-pip. Core also tries Reolink's Baichuan protocol (TCP 9000,
the media port GetNetPort reports); the simulator does not speak it, so core falls back to
the HTTP API and ONVIF by itself, as it would with that port blocked. Core's entries say the
device speaks Baichuan over TCP, as core records after its first login to any wired device:
with its connection type unknown, each failed login also tries UDP discovery, which waits
3 x 30 s in the middle of a poll (an NVR-16's 150 s poll cycle became 240 s), something a
real wired device never makes it do. That setting is made when core first imports
reolink_aio, not before, so that neither empty Home Assistant holds its integration's client
(reolink_aio's import is 6.9 MB; held from the start, it left core's memory slope 0.06 MB
per device short). --profile writes a cProfile of this integration's Home Assistant over the
last idle window; --memory what holds the memory each side allocated since the empty window
began, per group of holders and per device, and by file at the end (tracemalloc, slows both
sides: take CPU and RSS figures from a run without it); --pictures N times N card-sized
pictures
(`/api/camera_proxy/<camera>?width=490&height=0`, as dashboards ask) on each side; --heap
adds glibc's heap figures after each window (in use, free inside the heap, RSS before and
after `malloc_trim`, which then lowers the later windows' RSS). --jemalloc runs both with
jemalloc preloaded and configured as Home Assistant's container images start it (Home
Assistant OS and the container install; a Python venv install uses glibc's malloc). The
requests each device received in the last window are printed by kind.
"""

import argparse
import asyncio
import json
import os
import signal
import sys
import tempfile
import time
from collections import Counter
from contextlib import AsyncExitStack, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import dev_bootstrap  # noqa: E402

CONFIGURATION = """
homeassistant:
  name: Scale benchmark
  internal_url: http://127.0.0.1:{port}
config:
diagnostics:
webhook:
logger:
  default: warning
  logs:
    reolink_aio: {core_log}
"""

# Runs Home Assistant; SIGUSR1 starts cProfile on its event loop thread, SIGUSR2 writes it;
# SIGRTMIN starts tracing memory allocations, SIGRTMIN+1 writes what is still held;
# SIGRTMIN+2 appends glibc's heap figures before and after giving free pages back.
PROFILED_HASS = """
import cProfile, ctypes, importlib.abc, importlib.util, json, os, runpy, signal, sys, tracemalloc
profile, target, config = cProfile.Profile(), sys.argv[1], sys.argv[2]
signal.signal(signal.SIGUSR1, lambda *_: profile.enable())
signal.signal(signal.SIGUSR2, lambda *_: (profile.disable(), profile.dump_stats(target)))
signal.signal(signal.SIGRTMIN, lambda *_: tracemalloc.start())
signal.signal(
    signal.SIGRTMIN + 1, lambda *_: tracemalloc.take_snapshot().dump(target + ".tmem")
)
class MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
        "fordblks", "keepcost")]
libc = ctypes.CDLL("libc.so.6")
libc.mallinfo2.restype = MallInfo2
def heap():
    info, pages = libc.mallinfo2(), open("/proc/self/statm").read().split()
    return {"in_use": info.uordblks + info.hblkhd, "free": info.fordblks,
            "mmapped": info.hblkhd, "rss": int(pages[1]) * 4096}
def heap_report(*_):
    before = heap()
    libc.malloc_trim(0)
    with open(target + ".malloc", "a") as out:
        out.write(json.dumps({"before": before, "after": heap()}) + "\\n")
signal.signal(signal.SIGRTMIN + 2, heap_report)
# Core's side: a Baichuan connection type as core's entry holds it for a wired device, set
# when core first imports reolink_aio (imported here, it would count in the empty window).
class WiredOnImport(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name != "reolink_aio.api":
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        load = spec.loader.exec_module
        def exec_module(module):
            load(module)
            wire(module)
        spec.loader.exec_module = exec_module
        return spec
def wire(api):
    unknown, tcp = api.ConnectionEnum.unknown, api.ConnectionEnum.tcp
    host_init = api.Host.__init__
    def wired_host_init(self, *args, bc_connection=unknown, **kwargs):
        host_init(self, *args, bc_connection=tcp if bc_connection is unknown else bc_connection,
                  **kwargs)
    api.Host.__init__ = wired_host_init
if os.environ.get("SCALE_BAICHUAN_TCP"):
    sys.meta_path.insert(0, WiredOnImport())
sys.argv = ["hass", "-c", config, "--skip-pip"]
runpy.run_module("homeassistant", run_name="__main__", alter_sys=True)
"""

PASSWORD = dev_bootstrap.DEVICE_PASSWORD
STEPS = (1, 10, 30, 60)
NVRS = 2
FLOWS_AT_ONCE = 16


@dataclass
class Device:
    """One simulated device of one integration's fleet."""

    profile: str
    url: str

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])


@dataclass
class Fleet:
    """Simulator processes serving one integration's devices."""

    cameras: list[Device] = field(default_factory=list)
    nvrs: list[Device] = field(default_factory=list)


@dataclass
class Side:
    """One integration in its own Home Assistant."""

    name: str
    domain: str
    base: str
    config: Path
    fleet: Fleet
    process: asyncio.subprocess.Process | None = None
    token: str = ""
    added: list[Device] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)
    # Per device URL: requests and seconds over every idle window since it came.
    idle_requests: dict[str, int] = field(default_factory=dict)
    idle_seconds: dict[str, float] = field(default_factory=dict)

    @property
    def ps(self) -> psutil.Process:
        assert self.process is not None
        return psutil.Process(self.process.pid)


async def start_simulators(profile: str, count: int, seed: int) -> tuple[Any, list[Device]]:
    """`python -m simulator --count N`, one READY line per device."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "simulator",
        "--profile",
        profile,
        "--https",
        "--count",
        str(count),
        "--seed",
        str(seed),
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
    )
    assert process.stdout is not None
    devices: list[Device] = []
    while len(devices) < count:
        line = (await asyncio.wait_for(process.stdout.readline(), 120)).decode().split()
        if not line:
            raise SystemExit(f"the {profile} simulators stopped before they were ready")
        if line[0] == "READY":
            devices.append(Device(profile, line[2]))
    return process, devices


async def stop_process(process: asyncio.subprocess.Process) -> None:
    """Terminate and reap a child process."""
    with suppress(ProcessLookupError):
        process.terminate()
    await process.wait()


# How Home Assistant's container images start it (rootfs/etc/services.d/home-assistant/run).
JEMALLOC_CONF = "background_thread:true,metadata_thp:auto,dirty_decay_ms:20000,muzzy_decay_ms:20000"


async def start_home_assistant(
    side: Side, stack: AsyncExitStack, core_site: str | None, jemalloc: str | None
) -> None:
    """The side's Home Assistant; core's with its reolink-aio pin first on the path."""
    env = dict(os.environ)
    if jemalloc:
        env |= {"LD_PRELOAD": jemalloc, "MALLOC_CONF": JEMALLOC_CONF}
    if side.domain == "reolink" and core_site:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, (core_site, env.get("PYTHONPATH"))))
    if side.domain == "reolink":
        env["SCALE_BAICHUAN_TCP"] = "1"
    log = (side.config / "process.log").open("w")
    side.process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        PROFILED_HASS,
        str(side.config / "profile.cprof"),
        str(side.config),
        stdout=log,
        stderr=log,
        env=env,
    )
    stack.push_async_callback(stop_process, side.process)


async def flow(http: aiohttp.ClientSession, side: Side, path: str, body: Any) -> Any:
    headers = {"Authorization": f"Bearer {side.token}"}
    async with http.post(f"{side.base}{path}", json=body, headers=headers) as response:
        return await response.json()


async def add_device(http: aiohttp.ClientSession, side: Side, device: Device) -> None:
    """Through the side's config flow, as a user would."""
    if side.domain == "reolink_http":
        await dev_bootstrap.add_device(http, side.base, side.token, device.port)
        return
    started = await flow(http, side, "/api/config/config_entries/flow", {"handler": side.domain})
    path = f"/api/config/config_entries/flow/{started['flow_id']}"
    # Core's first form has no port; it asks again, with port and protocol, after failing.
    answer = await flow(
        http, side, path, {"host": "127.0.0.1", "username": "admin", "password": PASSWORD}
    )
    if answer.get("type") == "form":
        answer = await flow(
            http,
            side,
            path,
            {
                "host": "127.0.0.1",
                "username": "admin",
                "password": PASSWORD,
                "port": device.port,
                "use_https": True,
                "baichuan_port": 9000,
            },
        )
    if answer.get("type") != "create_entry":
        raise SystemExit(f"core reolink could not add {device.url}: {answer}")


async def confirm_http_config(http: aiohttp.ClientSession, side: Side) -> None:
    """Keep the YAML `http:` settings: unconfirmed, Home Assistant restarts after 5 min."""
    async with http.ws_connect(f"{side.base}/api/websocket") as ws:
        await ws.receive_json()
        await ws.send_json({"type": "auth", "access_token": side.token})
        await ws.receive_json()
        await ws.send_json({"id": 1, "type": "http/config/promote"})
        await ws.receive_json()


async def add_devices(
    http: aiohttp.ClientSession, side: Side, cameras: int, *, with_nvrs: bool
) -> None:
    """Up to `cameras` cameras (and the NVRs), a few flows at once.

    Core's flow waits for a Baichuan UDP answer the simulator never sends before it asks
    for the port; run one at a time, 60 cameras would take hours.
    """
    wanted = side.fleet.cameras[:cameras] + (side.fleet.nvrs if with_nvrs else [])
    new = [device for device in wanted if device not in side.added]
    slots = asyncio.Semaphore(FLOWS_AT_ONCE)

    async def add(device: Device) -> None:
        async with slots:
            await add_device(http, side, device)

    await asyncio.gather(*(add(device) for device in new))
    side.added.extend(new)


async def sim_get(http: aiohttp.ClientSession, device: Device, path: str) -> Any:
    async with http.get(f"{device.url}{path}", ssl=False) as response:
        return await response.json()


async def onvif_operations(http: aiohttp.ClientSession, device: Device) -> Counter[str]:
    """ONVIF operations the device has answered so far, by name."""
    onvif = await sim_get(http, device, "/sim/onvif")
    return Counter({f"ONVIF {name}": count for name, count in onvif["operation_counts"].items()})


async def window_requests(
    http: aiohttp.ClientSession, device: Device, since: float, until: float, before: Counter[str]
) -> tuple[int, Counter[str]]:
    """Requests the device logged between `since` and `until` (wall times), and their kinds.

    HTTP kinds by first command (+ how many more), those in the window; ONVIF kinds by
    operation, the totals now less `before` (the simulator does not time operations).
    """
    log = await sim_get(http, device, "/sim/log")
    onvif = await sim_get(http, device, "/sim/onvif")
    times = [float(entry["time"]) for entry in log["requests"]] + onvif["request_times"]
    count = sum(1 for when in times if since <= when < until)
    kinds = Counter({f"ONVIF {name}": n for name, n in onvif["operation_counts"].items()})
    kinds.subtract(before)
    for entry in log["requests"]:
        if since <= entry["time"] < until and entry["commands"]:
            first, more = entry["commands"][0], len(entry["commands"]) - 1
            kinds[f"{first} +{more}" if more else first] += 1
    return count, +kinds


def cpu_seconds(side: Side) -> float:
    times = side.ps.cpu_times()
    return float(times.user + times.system)


async def measure(
    http: aiohttp.ClientSession,
    sides: list[Side],
    idle: float,
    profile: bool,
    heap: bool,
    memory: bool,
) -> None:
    """One idle window, the same for both sides.

    Requests are those each simulator logged between the window's start and end (wall
    times, exact); each device also adds them to its count over every idle window since
    it came, the long-run figure at rest.
    """
    cpu_before = {}
    onvif_before: dict[str, Counter[str]] = {}
    for side in sides:
        cpu_before[side.name] = cpu_seconds(side)
        for device in side.added:
            onvif_before[device.url] = await onvif_operations(http, device)
    ours = sides[0]
    if profile and ours.process is not None:
        ours.process.send_signal(signal.SIGUSR1)
    since, started = time.time(), time.monotonic()
    await asyncio.sleep(idle)
    until, elapsed = time.time(), time.monotonic() - started
    if profile and ours.process is not None:
        ours.process.send_signal(signal.SIGUSR2)
    for side in sides:
        cpu = (cpu_seconds(side) - cpu_before[side.name]) / elapsed * 100
        rss = side.ps.memory_info().rss / 2**20
        rates, long_rates = [], []
        kinds: dict[str, Counter[str]] = {}
        for device in side.added:
            count, device_kinds = await window_requests(
                http, device, since, until, onvif_before[device.url]
            )
            kinds.setdefault(device.profile, Counter()).update(device_kinds)
            side.idle_requests[device.url] = side.idle_requests.get(device.url, 0) + count
            side.idle_seconds[device.url] = side.idle_seconds.get(device.url, 0.0) + until - since
            rates.append((device.profile, count / (until - since)))
            long_rates.append(
                (device.profile, side.idle_requests[device.url] / side.idle_seconds[device.url])
            )
        side.rows.append(
            {
                "devices": len(side.added),
                "cameras": sum(1 for d in side.added if d.profile == "ipc"),
                "cpu_percent": cpu,
                "idle_s": elapsed,
                "rss_mb": rss,
                "requests_per_s": sum(rate for _, rate in rates),
                "camera_requests_per_s": _mean([r for p, r in rates if p == "ipc"]),
                "nvr_requests_per_s": _mean([r for p, r in rates if p == "nvr-16"]),
                "long_requests_per_s": sum(rate for _, rate in long_rates),
                "long_camera_requests_per_s": _mean([r for p, r in long_rates if p == "ipc"]),
                "long_nvr_requests_per_s": _mean([r for p, r in long_rates if p == "nvr-16"]),
                "kinds": {profile: dict(c.most_common()) for profile, c in kinds.items()},
            }
        )
    if heap:
        await heap_figures(sides)
    if memory:
        await traced_figures(sides)


# What holds traced memory, by the file that allocated it (first match wins).
HOLDERS = (
    ("entity registry", ("helpers/entity_registry.py", "entity_registry.RegistryEntry>")),
    ("HA JSON fragments", ("helpers/json.py",)),
    ("integration", ("custom_components/reolink_http/", "components/reolink/", "reolink_aio/")),
    ("asyncio + TLS", ("asyncio/", "/ssl.py")),
    ("HA other", ("homeassistant/",)),
    ("other", ("",)),
)


async def traced_figures(sides: list[Side]) -> None:
    """Traced memory still held, grouped by HOLDERS, into each row (MiB)."""
    import tracemalloc  # noqa: PLC0415

    for side in sides:
        target = side.config / "profile.cprof.tmem"
        written = target.stat().st_mtime_ns if target.exists() else 0
        assert side.process is not None
        side.process.send_signal(signal.SIGRTMIN + 1)
        for _ in range(600):
            if target.exists() and target.stat().st_mtime_ns != written:
                break
            await asyncio.sleep(0.1)
        await asyncio.sleep(2)  # the dump may still be being written
        held: Counter[str] = Counter()
        for stat in tracemalloc.Snapshot.load(str(target)).statistics("filename"):
            path = stat.traceback[0].filename
            group = next(name for name, parts in HOLDERS if any(p in path for p in parts))
            held[group] += stat.size
        side.rows[-1].update({f"held_{name}": held[name] / 2**20 for name, _ in HOLDERS})


async def heap_figures(sides: list[Side]) -> None:
    """glibc's heap in use, free inside it, and RSS before/after malloc_trim, into each row."""
    for side in sides:
        if side.process is not None:
            side.process.send_signal(signal.SIGRTMIN + 2)
    await asyncio.sleep(3)
    for side in sides:
        lines = (side.config / "profile.cprof.malloc").read_text().splitlines()
        report = json.loads(lines[-1])
        side.rows[-1].update(
            {
                f"heap_{key}_mb_{when}": value / 2**20
                for when, figures in report.items()
                for key, value in figures.items()
            }
        )


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def slope(rows: list[dict[str, Any]], key: str) -> float:
    """Least-squares slope of `key` over the device count."""
    xs = [float(row["devices"]) for row in rows]
    ys = [float(row[key]) for row in rows]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    spread = sum((x - mean_x) ** 2 for x in xs)
    return sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread


def ratio(ours: float | None, core: float | None) -> str:
    if ours is None or core is None or core == 0:
        return "-"
    return f"{ours / core:.2f}"


def fmt(value: float | None, digits: int = 3) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def print_table(ours: Side, core: Side) -> None:
    """Per step: both sides and the ratio; then the slopes per device."""
    print(
        f"{'devices':>7} {'CPU % ours':>10} {'core':>6} {'ratio':>5}  "
        f"{'req/s per camera ours':>21} {'core':>6} {'ratio':>5}  "
        f"{'req/s per NVR ours':>18} {'core':>6} {'ratio':>5}  "
        f"{'RSS MB ours':>11} {'core':>6} {'ratio':>5}"
    )
    for row_ours, row_core in zip(ours.rows, core.rows, strict=True):
        print(
            f"{row_ours['devices']:>7} {fmt(row_ours['cpu_percent'], 2):>10} "
            f"{fmt(row_core['cpu_percent'], 2):>6} "
            f"{ratio(row_ours['cpu_percent'], row_core['cpu_percent']):>5}  "
            f"{fmt(row_ours['camera_requests_per_s']):>21} "
            f"{fmt(row_core['camera_requests_per_s']):>6} "
            f"{ratio(row_ours['camera_requests_per_s'], row_core['camera_requests_per_s']):>5}  "
            f"{fmt(row_ours['nvr_requests_per_s']):>18} {fmt(row_core['nvr_requests_per_s']):>6} "
            f"{ratio(row_ours['nvr_requests_per_s'], row_core['nvr_requests_per_s']):>5}  "
            f"{fmt(row_ours['rss_mb'], 1):>11} {fmt(row_core['rss_mb'], 1):>6} "
            f"{ratio(row_ours['rss_mb'], row_core['rss_mb']):>5}"
        )
    print("\nper device (slope over the steps)   ours      core   ratio")
    for key, label, digits in (
        ("cpu_percent", "HA CPU, % of a core", 4),
        ("requests_per_s", "device requests/s", 4),
        ("long_requests_per_s", "  over every idle window so far", 4),
        ("rss_mb", "HA memory, MB", 2),
    ):
        mine, theirs = slope(ours.rows, key), slope(core.rows, key)
        print(f"{label:34} {mine:>7.{digits}f} {theirs:>9.{digits}f} {ratio(mine, theirs):>6}")
    last_ours, last_core = ours.rows[-1], core.rows[-1]
    print("over every idle window since each device came, req/s   ours    core  ratio")
    for key, label in (
        ("long_camera_requests_per_s", "per camera"),
        ("long_nvr_requests_per_s", "per NVR"),
    ):
        long_ours, long_core = last_ours[key], last_core[key]
        print(
            f"  {label:52} {fmt(long_ours, 4):>6} {fmt(long_core, 4):>7} "
            f"{ratio(long_ours, long_core):>6}"
        )
    if "held_other" in ours.rows[-1]:
        print("traced memory held, MiB per device (--memory)")
        for name, _ in HOLDERS:
            mine, theirs = slope(ours.rows, f"held_{name}"), slope(core.rows, f"held_{name}")
            print(f"  {name:32} {mine:>7.3f} {theirs:>9.3f} {ratio(mine, theirs):>6}")
    print_kinds(ours, core)


def print_kinds(ours: Side, core: Side) -> None:
    """What the devices received in the last window, by kind, per device and minute."""
    last_ours, last_core = ours.rows[-1], core.rows[-1]
    minutes = last_ours["idle_s"] / 60
    for profile in sorted(set(last_ours["kinds"]) | set(last_core["kinds"])):
        devices = max(1, sum(1 for d in ours.added if d.profile == profile))
        print(f"\nlast window, {profile}: requests per device and minute   ours   core")
        mine = last_ours["kinds"].get(profile, {})
        theirs = last_core["kinds"].get(profile, {})
        for kind in sorted(
            set(mine) | set(theirs), key=lambda k: -(mine.get(k, 0) + theirs.get(k, 0))
        ):
            per = (mine.get(kind, 0) / devices / minutes, theirs.get(kind, 0) / devices / minutes)
            print(f"  {kind:48} {per[0]:>6.2f} {per[1]:>6.2f}")


def plot(ours: Side, core: Side, path: Path) -> None:
    """Three panels (CPU, requests, memory over devices), ours and core, drawn with Pillow."""
    from PIL import Image, ImageDraw  # noqa: PLC0415 - only the plot needs it

    panels = (
        ("cpu_percent", "Home Assistant CPU, % of one core"),
        ("requests_per_s", "device requests per second"),
        ("rss_mb", "Home Assistant memory, MB"),
    )
    width, height, margin = 1500, 460, 60
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    panel_width = (width - margin) // len(panels)
    colours = {ours.name: (31, 119, 180), core.name: (214, 39, 40)}
    for index, (key, title) in enumerate(panels):
        left = margin + index * panel_width
        box = (left, 50, left + panel_width - margin, height - margin)
        _panel(draw, box, title, key, (ours, core), colours)
    for offset, side in enumerate((ours, core)):
        x = margin + offset * 260
        draw.line((x, 20, x + 30, 20), fill=colours[side.name], width=3)
        draw.text((x + 38, 14), side.name, fill="black")
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path)


def _panel(
    draw: Any,
    box: tuple[int, int, int, int],
    title: str,
    key: str,
    sides: tuple[Side, Side],
    colours: dict[str, tuple[int, int, int]],
) -> None:
    left, top, right, bottom = box
    rows = [row for side in sides for row in side.rows]
    top_x = max(row["devices"] for row in rows) or 1
    top_y = max(float(row[key]) for row in rows) * 1.1 or 1.0
    draw.rectangle(box, outline="black")
    draw.text((left, top - 20), title, fill="black")
    draw.text((left, bottom + 8), "0", fill="black")
    draw.text((right - 60, bottom + 8), f"{top_x} devices", fill="black")
    draw.text((left + 4, top + 4), f"{top_y:.3g}", fill="black")

    def at(row: dict[str, Any]) -> tuple[float, float]:
        x = left + (right - left) * row["devices"] / top_x
        y = bottom - (bottom - top) * float(row[key]) / top_y
        return x, y

    for side in sides:
        points = [at(row) for row in side.rows]
        draw.line(points, fill=colours[side.name], width=3)
        for x, y in points:
            draw.ellipse((x - 4, y - 4, x + 4, y + 4), fill=colours[side.name])


async def prepare(side: Side, stack: AsyncExitStack, args: argparse.Namespace) -> None:
    port = int(side.base.rsplit(":", 1)[1])
    (side.config / "configuration.yaml").write_text(
        CONFIGURATION.format(port=port, core_log=args.core_log)
    )
    dev_bootstrap.write_http_settings(side.config, port)
    if side.domain == "reolink_http":
        (side.config / "custom_components").mkdir()
        (side.config / "custom_components" / "reolink_http").symlink_to(
            ROOT / "custom_components" / "reolink_http"
        )
    await start_home_assistant(side, stack, args.core_site, args.jemalloc)


async def start_fleet(stack: AsyncExitStack, cameras: int, nvrs: int) -> Fleet:
    fleet = Fleet()
    for profile, count, target in (("ipc", cameras, fleet.cameras), ("nvr-16", nvrs, fleet.nvrs)):
        if count:
            process, devices = await start_simulators(profile, count, seed=0)
            stack.push_async_callback(stop_process, process)
            target.extend(devices)
    return fleet


async def run(args: argparse.Namespace, stack: AsyncExitStack, workdir: Path) -> list[Side]:
    steps = args.steps
    sides = []
    for offset, (name, domain) in enumerate(
        (("reolink_http", "reolink_http"), ("core reolink", "reolink"))
    ):
        config = workdir / domain
        config.mkdir()
        fleet = await start_fleet(stack, max(steps), args.nvrs)
        port = args.port_base + offset if args.port_base else dev_free_port()
        sides.append(Side(name, domain, f"http://127.0.0.1:{port}", config, fleet))
    for side in sides:
        await prepare(side, stack, args)
    http = await stack.enter_async_context(aiohttp.ClientSession())
    for side in sides:
        await dev_bootstrap.wait_until_up(http, side.base)
        side.token = await dev_bootstrap.access_token(http, side.base)
        await dev_bootstrap.remove_online_only(http, side.base, side.token)
        await confirm_http_config(http, side)
    await asyncio.sleep(args.settle)
    if args.memory:
        for side in sides:
            if side.process is not None:
                side.process.send_signal(signal.SIGRTMIN)
    # The empty Home Assistant first.
    await measure(http, sides, args.idle, profile=False, heap=args.heap, memory=args.memory)
    for number, cameras in enumerate(steps):
        for side in sides:
            # Access tokens last 30 minutes; a full run takes longer.
            side.token = await dev_bootstrap.access_token(http, side.base)
        await asyncio.gather(
            *(add_devices(http, side, cameras, with_nvrs=number == 0) for side in sides)
        )
        print(f"{cameras} cameras + {args.nvrs} NVR-16 added; settling", file=sys.stderr)
        await asyncio.sleep(args.settle)
        last = number == len(steps) - 1
        await measure(
            http,
            sides,
            args.idle,
            profile=args.profile and last,
            heap=args.heap,
            memory=args.memory,
        )
        # Each step as it comes: a run that stops later keeps what it measured.
        print(json.dumps({side.name: side.rows[-1] for side in sides}), file=sys.stderr)
    await report_after_the_windows(http, sides, args)
    if args.profile:
        await asyncio.sleep(2)
        target = Path(args.profile)
        target.write_bytes((sides[0].config / "profile.cprof").read_bytes())
        print(f"cProfile of reolink_http's Home Assistant: {target}", file=sys.stderr)
    return sides


async def report_after_the_windows(
    http: aiohttp.ClientSession, sides: list[Side], args: argparse.Namespace
) -> None:
    """Memory holders (--memory), entities, card pictures (--pictures)."""
    if args.memory:
        print_memory(sides)
    print_entities(sides)
    if args.pictures:
        for side in sides:
            side.token = await dev_bootstrap.access_token(http, side.base)
        await card_pictures(http, sides, args.pictures)


# What a dashboard card or the camera dialog asks Home Assistant for.
CARD_PICTURE = "/api/camera_proxy/{entity_id}?width=490&height=0"


async def card_pictures(http: aiohttp.ClientSession, sides: list[Side], count: int) -> None:
    """Time `count` card-sized pictures of each side's first single camera, taking turns.

    Turns (ours, core, core, ours, ...) let both sides meet the same moments of the machine.
    """
    urls = {}
    for side in sides:
        entity_id = await first_camera(http, side)
        if entity_id is None:
            print(f"{side.name}: no camera entity")
            return
        urls[side.name] = side.base + CARD_PICTURE.format(entity_id=entity_id)
    times: dict[str, list[float]] = {side.name: [] for side in sides}
    sizes: dict[str, list[int]] = {side.name: [] for side in sides}
    for turn in range(count):
        for side in sides if turn % 2 == 0 else sides[::-1]:
            headers = {"Authorization": f"Bearer {side.token}"}
            started = time.perf_counter()
            async with http.get(urls[side.name], headers=headers) as response:
                body = await response.read()
            times[side.name].append(time.perf_counter() - started)
            sizes[side.name].append(len(body) if response.status == 200 else 0)
    p50 = {}
    for side in sides:
        ordered = sorted(times[side.name])
        p50[side.name] = ordered[len(ordered) // 2]
        size = sorted(sizes[side.name])[count // 2] / 1024
        print(
            f"{side.name}: {urls[side.name].split('/')[-1]} card picture p50 "
            f"{p50[side.name] * 1000:.1f} ms, p95 {ordered[int(count * 0.95)] * 1000:.1f} ms, "
            f"{size:.1f} KiB"
        )
    ours, core = sides
    print(f"card picture p50 ratio ours/core: {ratio(p50[ours.name], p50[core.name])}")


async def first_camera(http: aiohttp.ClientSession, side: Side) -> str | None:
    """The first camera entity in `side`'s state machine (by entity ID), if any."""
    headers = {"Authorization": f"Bearer {side.token}"}
    async with http.get(f"{side.base}/api/states", headers=headers) as response:
        states = await response.json()
    cameras = sorted(s["entity_id"] for s in states if s["entity_id"].startswith("camera."))
    return cameras[0] if cameras else None


def print_entities(sides: list[Side]) -> None:
    """Entities each integration registered for its devices: enabled and disabled."""
    for side in sides:
        registry = json.loads((side.config / ".storage" / "core.entity_registry").read_text())
        mine = [e for e in registry["data"]["entities"] if e["platform"] == side.domain]
        disabled = sum(1 for e in mine if e["disabled_by"])
        print(f"{side.name}: {len(mine) - disabled} entities enabled, {disabled} disabled")


def print_memory(sides: list[Side], top: int = 30) -> None:
    """Memory still held that was allocated since the empty window began, by file."""
    import tracemalloc  # noqa: PLC0415

    for side in sides:
        snapshot = tracemalloc.Snapshot.load(str(side.config / "profile.cprof.tmem"))
        by_file: Counter[str] = Counter()
        for stat in snapshot.statistics("filename"):
            path = stat.traceback[0].filename
            short = path.split("site-packages/")[-1].split("custom_components/")[-1]
            by_file[short] += stat.size
        total = sum(by_file.values()) / 2**20
        print(f"\n{side.name}: {total:.1f} MiB allocated since the empty window, still held")
        for name, size in by_file.most_common(top):
            print(f"  {size / 2**20:8.2f} MiB  {name}")


def dev_free_port() -> int:
    import socket  # noqa: PLC0415

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def main(args: argparse.Namespace) -> None:
    if args.workdir:
        Path(args.workdir).mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=args.workdir, delete=args.workdir is None) as workdir:
        async with AsyncExitStack() as stack:
            ours, core = await run(args, stack, Path(workdir))
    if args.json:
        print(json.dumps({"reolink_http": ours.rows, "core": core.rows}))
    else:
        print_table(ours, core)
    if args.plot:
        plot(ours, core, Path(args.plot))
        print(f"plot: {args.plot}", file=sys.stderr)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, nargs="+", default=list(STEPS), help="cameras")
    parser.add_argument("--nvrs", type=int, default=NVRS, help="NVR-16s, added with step 1")
    parser.add_argument("--settle", type=float, default=90.0, help="s after adding devices")
    parser.add_argument("--idle", type=float, default=600.0, help="s of each idle window")
    parser.add_argument("--quick", action="store_true", help="1, 10 cameras; 30 s + 120 s")
    parser.add_argument("--core-site", help="directory with core's reolink-aio pin")
    parser.add_argument("--port-base", type=int, help="Home Assistant ports (default: free)")
    parser.add_argument("--plot", default=str(ROOT / "docs" / "scale.png"), help="PNG path")
    parser.add_argument("--profile", help="write a cProfile of ours over the last window here")
    parser.add_argument("--json", action="store_true", help="print one JSON line")
    parser.add_argument("--core-log", default="warning", help="reolink_aio's log level")
    parser.add_argument("--pictures", type=int, default=0, help="time this many card pictures")
    parser.add_argument(
        "--memory", action="store_true", help="print what holds memory (slows both sides)"
    )
    parser.add_argument(
        "--heap",
        action="store_true",
        help="glibc heap figures after each window, then malloc_trim (changes later RSS)",
    )
    parser.add_argument(
        "--jemalloc",
        metavar="LIBRARY",
        help="preload this jemalloc in both, as Home Assistant's container images do",
    )
    parser.add_argument("--workdir", help="keep the Home Assistant config dirs (and logs) here")
    arguments = parser.parse_args()
    if arguments.heap and arguments.jemalloc:
        parser.error("--heap reads glibc's heap, which jemalloc replaces")
    if arguments.quick:
        arguments.steps, arguments.settle, arguments.idle = [1, 10], 30.0, 120.0
    asyncio.run(main(arguments))
