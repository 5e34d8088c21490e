"""Conformance with answers captured from real devices (tests/fixtures/real-firmware/).

For every captured answer element, the simulator's answer to the same command on the
nearest profile must have the same key paths with the same JSON value types. The ratio
of matching key paths is asserted, and every path that differs must be one of the
documented differences below (each also listed in simulator/README.md).
"""

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from tests import REAL_FIRMWARE
from tests.simulator.conftest import StartSim

CAPTURES = REAL_FIRMWARE

# Model of the capture (its file name prefix) -> the simulator profile modelled closest.
NEAREST_PROFILE = {
    "E1-Zoom": "ptz",  # pan/tilt with zoom
    "RLC-822A": "zoom",  # the zoom profile is modelled on it
    "RLC-511W": "zoom",  # zoom-only lens as well
    "unknown-model": "ipc",
}
MIN_RATIO = 0.95

# Key paths (command + path) where the simulator knowingly differs, and why.
DIFFERENCES: dict[str, str] = {}


@dataclass(frozen=True)
class Capture:
    model: str
    file: str
    element: dict[str, Any]

    @property
    def cmd(self) -> str:
        return str(self.element["cmd"])

    @property
    def profile(self) -> str:
        return NEAREST_PROFILE[self.model]


def captures() -> list[Capture]:
    found = []
    for path in sorted(CAPTURES.glob("*.json")):
        model = path.name.split("_")[0]
        for element in json.loads(path.read_text()):
            found.append(Capture(model, path.name, element))
    return found


def kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if value is None:
        return "null"
    return type(value).__name__


def key_paths(node: Any, prefix: str = "") -> Iterator[tuple[str, str]]:
    """(path, JSON type) of every value; list items share the path `[]`."""
    yield prefix, kind(node)
    if isinstance(node, dict):
        for key, value in node.items():
            yield from key_paths(value, f"{prefix}.{key}")
    elif isinstance(node, list):
        for item in node:
            yield from key_paths(item, f"{prefix}[]")


def differences(real: dict[str, Any], simulated: dict[str, Any]) -> list[str]:
    """Paths of the real answer that the simulator lacks or types differently."""
    ours = dict(key_paths(simulated))
    found = set()
    for path, real_kind in key_paths(real):
        if path not in ours:
            found.add(f"{path}: missing")
        elif ours[path] != real_kind:
            found.add(f"{path}: {ours[path]} instead of {real_kind}")
    return sorted(found)


async def simulated_answer(start_sim: StartSim, capture: Capture) -> dict[str, Any]:
    """The simulator's answer to what produced the capture."""
    element = capture.element
    if capture.cmd == "Login" and element["error"]["rspCode"] == -5:
        api = await start_sim(profile=capture.profile, max_sessions=1)
        await api.token()
        return await api.login()
    api = await start_sim(profile=capture.profile)
    if capture.cmd == "Login":
        return await api.login(password="wrong")
    if capture.cmd == "Logout":
        (answer,) = await api.post([{"cmd": "Logout", "param": {}}], cmd="Logout")
        return answer
    token = await api.token()
    action = 1 if "initial" in element or "range" in element else 0
    command = {"cmd": capture.cmd, "action": action, "param": request_param(capture.cmd)}
    (answer,) = await api.post([command], token=token)
    return answer


def request_param(cmd: str) -> dict[str, Any]:
    if cmd in {"GetAbility"}:
        return {"User": {"userName": "admin"}}
    return {"channel": 0}


CAPTURED = captures()


@pytest.mark.parametrize("capture", CAPTURED, ids=[f"{c.file}:{c.cmd}" for c in CAPTURED])
async def test_capture_matches_except_documented_differences(
    start_sim: StartSim, capture: Capture
) -> None:
    simulated = await simulated_answer(start_sim, capture)
    found = {f"{capture.cmd} {diff}" for diff in differences(capture.element, simulated)}
    undocumented = sorted(diff for diff in found if diff not in DIFFERENCES)
    assert undocumented == []


async def test_key_path_match_ratio(start_sim: StartSim) -> None:
    total = matched = extra = 0
    report = []
    for capture in CAPTURED:
        simulated = await simulated_answer(start_sim, capture)
        paths = dict(key_paths(capture.element))
        missing = differences(capture.element, simulated)
        total += len(paths)
        matched += len(paths) - len(missing)
        extra += len(set(dict(key_paths(simulated))) - set(paths))
        report.extend(f"{capture.file}: {capture.cmd} {diff}" for diff in missing)
    ratio = matched / total
    print(
        f"real-firmware key paths matched: {matched}/{total} = {ratio:.1%}; simulator-only: {extra}"
    )
    print("\n".join(report))
    assert total > 500
    assert ratio >= MIN_RATIO


def test_differences_are_explained() -> None:
    assert all(reason.strip() for reason in DIFFERENCES.values())


def test_difference_finder() -> None:
    assert differences({"a": {"b": 1, "c": [{"d": "x"}]}}, {"a": {"b": "1", "c": []}}) == [
        ".a.b: str instead of number",
        ".a.c[].d: missing",
        ".a.c[]: missing",
    ]
    assert differences({"a": 1.5}, {"a": 2}) == []


# Abilities that decide which controls a client offers: the zoom profile reports them
# exactly as the captured RLC-822A does.
LENS_AND_DETECTION = (
    "alarmAudio",
    "floodLight",
    "powerLed",
    "ptzCtrl",
    "ptzDirection",
    "ptzPatrol",
    "ptzPreset",
    "ptzTattern",
    "ptzType",
    "supportAi",
    "supportAiDogCat",
    "supportAiFace",
    "supportAiPeople",
    "supportAiVehicle",
    "supportFLBrightness",
    "supportFLswitch",
    "supportMd",
)


async def test_zoom_profile_reports_the_rlc822a_lens_and_detection(start_sim: StartSim) -> None:
    (capture,) = [c for c in CAPTURED if c.file == "RLC-822A_GetAbility.json"]
    real = capture.element["value"]["Ability"]["abilityChn"][0]
    simulated = (await simulated_answer(start_sim, capture))["value"]["Ability"]["abilityChn"][0]
    versions = {name: (real[name]["ver"], simulated[name]["ver"]) for name in LENS_AND_DETECTION}
    assert {name: pair for name, pair in versions.items() if pair[0] != pair[1]} == {}
