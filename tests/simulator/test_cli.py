"""`python -m simulator` as a real subprocess."""

import asyncio
import re
import signal
import sys
import threading
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from simulator import Simulator, tls
from simulator.__main__ import parse_args

REPO = Path(__file__).parents[2]
READY = re.compile(r"READY (\S+) (https?)://127\.0\.0\.1:(\d+) (-|[0-9a-f]{64})")
START_TIMEOUT = 30.0


async def spawn(*args: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "simulator",
        *args,
        cwd=REPO,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def ready_lines(process: asyncio.subprocess.Process, count: int) -> list[re.Match[str]]:
    assert process.stdout is not None
    lines = []
    for _ in range(count):
        line = await asyncio.wait_for(process.stdout.readline(), START_TIMEOUT)
        match = READY.fullmatch(line.decode().strip())
        assert match, line
        lines.append(match)
    return lines


async def terminate(process: asyncio.subprocess.Process) -> int:
    if process.returncode is None:
        process.send_signal(signal.SIGTERM)
    return await asyncio.wait_for(process.wait(), START_TIMEOUT)


@pytest.fixture
async def processes() -> AsyncIterator[list[asyncio.subprocess.Process]]:
    """Processes started by a test; any still running afterwards are killed."""
    started: list[asyncio.subprocess.Process] = []
    yield started
    for process in started:
        if process.returncode is None:
            process.kill()
        await process.wait()


async def login_code(http: aiohttp.ClientSession, base_url: str) -> int:
    body = [{"cmd": "Login", "param": {"User": {"userName": "admin", "password": "pw"}}}]
    async with http.post(f"{base_url}/api.cgi", params={"cmd": "Login"}, json=body) as response:
        answers = await response.json(content_type="text/html")
    return 0 if answers[0]["code"] == 0 else answers[0]["error"]["rspCode"]


async def test_three_devices_serve_and_stop_cleanly(
    processes: list[asyncio.subprocess.Process], http: aiohttp.ClientSession
) -> None:
    process = await spawn("--profile", "nvr-8", "--count", "3", "--password", "pw")
    processes.append(process)
    lines = await ready_lines(process, 3)
    assert {m[1] for m in lines} == {"nvr-8"}
    assert {m[4] for m in lines} == {"-"}
    ports = {int(m[3]) for m in lines}
    assert len(ports) == 3
    for port in ports:
        assert await login_code(http, f"http://127.0.0.1:{port}") == 0
    assert await terminate(process) == 0


async def test_https_device_prints_fingerprint_and_stops_on_sigint(
    processes: list[asyncio.subprocess.Process], http: aiohttp.ClientSession
) -> None:
    process = await spawn("--profile", "ipc", "--https", "--password", "pw")
    processes.append(process)
    (line,) = await ready_lines(process, 1)
    assert line[2] == "https"
    assert len(line[4]) == 64
    async with http.get(f"https://127.0.0.1:{line[3]}/sim/state", ssl=False) as response:
        assert (await response.json())["sessions"] == 0
    process.send_signal(signal.SIGINT)
    assert await asyncio.wait_for(process.wait(), START_TIMEOUT) == 0


async def test_cert_dir_keeps_the_certificate_across_restarts(
    processes: list[asyncio.subprocess.Process], tmp_path: Path
) -> None:
    """Like a real device, a restarted simulator presents the certificate clients pinned."""
    fingerprints = []
    for _ in range(2):
        process = await spawn("--profile", "ipc", "--https", "--cert-dir", str(tmp_path))
        processes.append(process)
        (line,) = await ready_lines(process, 1)
        fingerprints.append(line[4])
        assert await terminate(process) == 0
    assert fingerprints[0] == fingerprints[1]
    assert (tmp_path / "simulator-key.pem").stat().st_mode & 0o077 == 0


async def test_devices_started_together_share_one_new_certificate(
    processes: list[asyncio.subprocess.Process], tmp_path: Path
) -> None:
    """The demo starts its two devices at once on a fresh directory: both come up, one pair."""
    for profile in ("ipc", "nvr-8"):
        processes.append(
            await spawn("--profile", profile, "--https", "--cert-dir", str(tmp_path / "dev"))
        )
    lines = [(await ready_lines(process, 1))[0] for process in processes]
    assert lines[0][4] == lines[1][4]
    for process in processes:
        assert await terminate(process) == 0
    assert sorted(path.name for path in (tmp_path / "dev").iterdir()) == [
        "simulator-cert.pem",
        "simulator-key.pem",
    ]


def test_certificate_being_saved_by_another_process_is_awaited(tmp_path: Path) -> None:
    """The key exists, the certificate follows: the pair that process makes is used."""
    made = tls._new_certificate(tls.DEFAULT_COMMON_NAME)
    (tmp_path / "simulator-key.pem").write_bytes(made.key_pem)

    def other_process_finishes() -> None:
        time.sleep(0.3)
        (tmp_path / "simulator-cert.pem").write_bytes(made.cert_pem)

    writer = threading.Thread(target=other_process_finishes)
    writer.start()
    tls.keep_certificate_in(str(tmp_path))
    tls.forget_certificates()
    try:
        assert tls.server_certificate().fingerprint == made.fingerprint
    finally:
        writer.join()
        tls._store.clear()
        tls.forget_certificates()


def test_certificate_that_never_appears_is_a_clear_error(tmp_path: Path) -> None:
    """A key left by a process that died before saving its certificate."""
    with pytest.raises(RuntimeError, match="delete the key beside it"):
        tls._wait_for_file(str(tmp_path / "simulator-cert.pem"), seconds=0.1)


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["--profile", "toaster"],
        ["--profile", "ipc", "--count", "0"],
        ["--profile", "ipc", "--port", "70000"],
        ["--profile", "ipc", "--lease", "-5"],
        ["--profile", "ipc", "--scenario", "earthquake"],
    ],
)
async def test_bad_arguments_exit_with_usage(
    processes: list[asyncio.subprocess.Process], args: list[str]
) -> None:
    process = await spawn(*args)
    processes.append(process)
    _, stderr = await asyncio.wait_for(process.communicate(), START_TIMEOUT)
    assert process.returncode == 2
    assert b"usage:" in stderr


def test_fixed_port_gives_consecutive_ports() -> None:
    from simulator.__main__ import make_simulators  # noqa: PLC0415

    args = parse_args(["--profile", "ipc", "--port", "18080", "--count", "3"])
    assert [sim.port for sim in make_simulators(args)] == [18080, 18081, 18082]
    assert [sim.device.seed for sim in make_simulators(args)] == [0, 1, 2]


async def test_port_in_use_exits_with_error(
    processes: list[asyncio.subprocess.Process], sim: Simulator
) -> None:
    process = await spawn("--profile", "ipc", "--port", str(sim.port))
    processes.append(process)
    _, stderr = await asyncio.wait_for(process.communicate(), START_TIMEOUT)
    assert process.returncode == 1
    assert b"error:" in stderr


def test_max_batch_reaches_every_device() -> None:
    from simulator.__main__ import make_simulators  # noqa: PLC0415

    default = make_simulators(parse_args(["--profile", "ipc"]))
    assert [sim.max_batch for sim in default] == [35]
    args = parse_args(["--profile", "ipc", "--count", "2", "--max-batch", "10"])
    assert [sim.max_batch for sim in make_simulators(args)] == [10, 10]


@pytest.mark.parametrize("profile", ["ipc", "nvr-8"])
def test_count_gives_every_device_its_own_identity(profile: str) -> None:
    from simulator.__main__ import make_simulators  # noqa: PLC0415

    devices = [
        sim.device for sim in make_simulators(parse_args(["--profile", profile, "--count", "4"]))
    ]

    def value(device: Any, cmd: str, *path: str) -> Any:
        result = device.execute(cmd, 0, {}, user="admin").value
        for key in path:
            result = result[key]
        return result

    macs = {value(d, "GetLocalLink", "LocalLink", "mac") for d in devices}
    uids = {value(d, "GetP2p", "P2p", "uid") for d in devices}
    serials = {value(d, "GetDevInfo", "DevInfo", "serial") for d in devices}
    assert len(macs) == len(uids) == len(serials) == 4
    assert all(re.fullmatch(r"([0-9a-f]{2}:){5}[0-9a-f]{2}", mac) for mac in macs)
    assert all(len(uid) == 16 for uid in uids)
    if profile == "ipc":  # a camera's P2P UID is the one its channel reports
        status = value(devices[0], "Getchannelstatus", "status")
        assert status[0]["uid"] == value(devices[0], "GetP2p", "P2p", "uid")


def test_scenario_interval_reaches_every_device() -> None:
    from simulator.__main__ import make_simulators  # noqa: PLC0415

    args = parse_args(
        ["--profile", "ipc", "--scenario", "random-motion", "--scenario-interval", "4"]
    )
    assert [sim.scenario_interval for sim in make_simulators(args)] == [4.0]


def test_onvif_pull_seconds_reaches_every_device() -> None:
    """Real cameras answer an empty long poll after about 20 s; the flag changes it."""
    from simulator.__main__ import make_simulators  # noqa: PLC0415

    default = make_simulators(parse_args(["--profile", "ipc"]))
    assert [sim.onvif.max_pull_seconds for sim in default] == [20]
    args = parse_args(["--profile", "ipc", "--count", "2", "--onvif-pull-seconds", "2.5"])
    assert [sim.onvif.max_pull_seconds for sim in make_simulators(args)] == [2.5, 2.5]
