"""Command line: `python -m simulator --profile ipc [--count N] [--https] ...`.

Prints `READY <profile> <base-url> <fingerprint-or-->` per device, then serves until
SIGINT/SIGTERM.
"""

import argparse
import asyncio
import contextlib
import signal
import sys
from collections.abc import Sequence

from simulator.device import PROFILES
from simulator.onvif import DEFAULT_PULL_SECONDS
from simulator.server import DEFAULT_MAX_BATCH, SCENARIOS, Simulator
from simulator.tls import keep_certificate_in

MAX_PORT = 65535


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m simulator", description="Simulated Reolink devices (Camera HTTP API)."
    )
    parser.add_argument("--profile", required=True, choices=PROFILES)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument(
        "--port", type=int, default=0, help="0 = ports from the OS; else consecutive from here"
    )
    parser.add_argument("--https", action="store_true", help="serve HTTPS (self-signed)")
    parser.add_argument(
        "--cert-dir", help="keep the HTTPS certificate here, so restarts present the same one"
    )
    parser.add_argument("--username", default="admin")
    parser.add_argument("--password", default="password")
    parser.add_argument("--lease", type=_positive_float, default=3600.0, help="token lease, s")
    parser.add_argument("--max-sessions", type=_positive_int, default=8)
    parser.add_argument("--reboot-seconds", type=_non_negative_float, default=5.0)
    parser.add_argument("--login-rate-limit", type=_positive_int, default=5)
    parser.add_argument("--login-rate-window", type=_non_negative_float, default=10.0)
    parser.add_argument("--lockout-failures", type=_positive_int, default=5)
    parser.add_argument("--lockout-seconds", type=_non_negative_float, default=60.0)
    parser.add_argument("--count", type=_positive_int, default=1, help="number of devices")
    parser.add_argument("--scenario", choices=SCENARIOS)
    parser.add_argument(
        "--scenario-interval",
        type=_positive_float,
        default=2.0,
        help="seconds an event stays on, and then off (default 2: two polls at 1 s)",
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--max-batch",
        type=_positive_int,
        default=DEFAULT_MAX_BATCH,
        help="commands per POST before the device answers -16 (real firmware: 35)",
    )
    parser.add_argument(
        "--onvif-pull-seconds",
        type=_positive_float,
        default=DEFAULT_PULL_SECONDS,
        help="longest wait of an ONVIF PullMessages with nothing to tell (real cameras: ~20)",
    )
    return parser


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not 0 <= args.port <= MAX_PORT or (args.port and args.port + args.count - 1 > MAX_PORT):
        parser.error("--port with --count must stay within 0..65535")
    return args


def make_simulators(args: argparse.Namespace) -> list[Simulator]:
    return [
        Simulator(
            profile=args.profile,
            https=args.https,
            host=args.host,
            port=args.port + index if args.port else 0,
            username=args.username,
            password=args.password,
            lease=args.lease,
            max_sessions=args.max_sessions,
            reboot_seconds=args.reboot_seconds,
            login_rate_limit=args.login_rate_limit,
            login_rate_window=args.login_rate_window,
            lockout_failures=args.lockout_failures,
            lockout_seconds=args.lockout_seconds,
            scenario=args.scenario,
            scenario_interval=args.scenario_interval,
            # Different seeds give each device its own UIDs and motion pattern.
            seed=args.seed + index,
            max_batch=args.max_batch,
            onvif_pull_seconds=args.onvif_pull_seconds,
        )
        for index in range(args.count)
    ]


async def serve(args: argparse.Namespace) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    simulators = make_simulators(args)
    async with contextlib.AsyncExitStack() as stack:
        for simulator in simulators:
            await stack.enter_async_context(simulator)
            print(
                f"READY {args.profile} {simulator.url} {simulator.fingerprint or '-'}", flush=True
            )
        await stop.wait()


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.cert_dir:
        keep_certificate_in(args.cert_dir)
    try:
        asyncio.run(serve(args))
    except OSError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    return 0


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _positive_float(text: str) -> float:
    value = float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError("must be greater than 0")
    return value


def _non_negative_float(text: str) -> float:
    value = float(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must not be negative")
    return value


if __name__ == "__main__":
    sys.exit(main())
