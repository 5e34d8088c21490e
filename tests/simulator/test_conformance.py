"""The simulator's answers have the shapes of the guide's "Return data correctly" examples.

The examples come from ``simulator/data/guide_examples.json``, written by
``simulator/tools/extract_examples.py`` from the guide text.
"""

import json
from pathlib import Path
from typing import Any

import pytest

from simulator.device import CommandReply, Device
from simulator.tools.extract_examples import TolerantParser, extract, tokenize

ROOT = Path(__file__).parents[2]
EXAMPLES: dict[str, dict[str, Any]] = json.loads(
    (ROOT / "simulator" / "data" / "guide_examples.json").read_text()
)

# Which profile has the feature a command needs.
PROFILE_FOR = {
    "GetWifi": "wifi",
    "GetWifiSignal": "wifi",
    "ScanWifi": "wifi",
    "GetStitch": "floodlight",
    "GetWhiteLed": "floodlight",
    "NvrDownload": "nvr-16",
    "Getchannelstatus": "nvr-16",
    "GetDevInfo": "nvr-16",
}
# Examples the PDF conversion damaged beyond repair, or where the device is known to differ.
KNOWN_DIFFERENCES = {
    # A page break moved "range"/"value" inside "initial".
    "GetDdns",
    # Only "state" survived; the "channel" key is added as other LED commands have it.
    "GetMdAlarm",
    # "mainStream" lost to a page break ("mainStream": null).
    "GetRtspUrl",
    # "name" of a file printed as the number 4; real devices send the file path.
    "Search",
    # "PtzCheckState" is 2 (done) in the example; a fresh device reports 0 (idle).
}
VALUE_COMMANDS = sorted(
    name
    for name, example in EXAMPLES.items()
    if isinstance(example.get("response", {}).get("value"), dict)
    and set(example["response"]["value"]) != {"rspCode"}
    and name not in KNOWN_DIFFERENCES
    and name not in {"Login", "GetOnline", "GetAbility"}
)


def _profile(cmd: str) -> str:
    if "Ptz" in cmd or "ZoomFocus" in cmd or "AutoFocus" in cmd:
        return "ptz"
    return PROFILE_FOR.get(cmd, "ipc")


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "int"
    if isinstance(value, (int, float)):
        return "number"
    return type(value).__name__


def shape_differences(example: Any, actual: Any, path: str = "") -> list[str]:  # noqa: PLR0911
    """Keys of ``example`` missing from ``actual`` or holding another JSON type."""
    if isinstance(example, dict):
        if not isinstance(actual, dict):
            return [f"{path}: expected object, got {_kind(actual)}"]
        problems = []
        for key, value in example.items():
            if key not in actual:
                problems.append(f"{path}.{key}: missing")
            else:
                problems.extend(shape_differences(value, actual[key], f"{path}.{key}"))
        return problems
    if isinstance(example, list):
        if not isinstance(actual, list):
            return [f"{path}: expected list, got {_kind(actual)}"]
        if example and actual:
            return shape_differences(example[0], actual[0], f"{path}[0]")
        return []
    if example is None or _kind(example) == _kind(actual):
        return []
    # The guide prints some enumerations as numbers where devices send strings (IrLights).
    if isinstance(actual, str) and _kind(example) == "number":
        return []
    return [f"{path}: expected {_kind(example)}, got {_kind(actual)}"]


def _request(cmd: str) -> dict[str, Any]:
    request = dict(EXAMPLES[cmd].get("request") or {})
    if cmd == "GetRtspUrl":
        request["channel"] = 0
    return request


@pytest.mark.parametrize("cmd", VALUE_COMMANDS)
def test_value_shape_matches_guide(cmd: str) -> None:
    device = Device(_profile(cmd), username="admin", password="password")
    reply = device.execute(cmd, 1, _request(cmd), user="admin")
    assert isinstance(reply, CommandReply)
    example = EXAMPLES[cmd]["response"]["value"]
    assert shape_differences(example, reply.value) == []


def _features(node: Any) -> set[str]:
    """Names of every ``{"permit", "ver"}`` entry, wherever the page breaks put it."""
    found: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(value, dict) and "ver" in value:
                found.add(key)
            found |= _features(value)
    elif isinstance(node, list):
        for item in node:
            found |= _features(item)
    return found


@pytest.mark.parametrize("profile", ["ipc", "nvr-16"])
def test_ability_lists_every_guide_feature(profile: str) -> None:
    device = Device(profile, username="admin", password="password")
    reply = device.execute("GetAbility", 0, {}, user="admin")
    assert isinstance(reply, CommandReply)
    ability = reply.value["Ability"]
    offered = set(ability) | set(ability["abilityChn"][0])
    guide = _features(EXAMPLES["GetAbility"]["response"]["value"])
    assert len(guide) >= 40
    assert guide - offered == set()
    assert len(ability["abilityChn"]) == device.channel_count


def test_enough_examples_checked() -> None:
    assert len(VALUE_COMMANDS) >= 25


def test_shape_check_detects_differences() -> None:
    assert shape_differences({"a": {"b": "x"}}, {"a": {"b": 1}}) == [
        ".a.b: expected str, got number"
    ]
    assert shape_differences({"a": [{"b": 1}]}, {"a": [{}]}) == [".a[0].b: missing"]


def test_parser_repairs_option_sets_and_page_breaks() -> None:
    options = TolerantParser(tokenize('{"range": {"state": { "Auto" "Off" }}}')).value()
    assert options == {"range": {"state": ["Auto", "Off"]}}
    broken = '{"a": {"b": {"permit": 6, "ver": 1} ] } } "c": {"ver": 0}}}'
    assert TolerantParser(tokenize(broken)).value() == {
        "a": {"b": {"permit": 6, "ver": 1}, "c": {"ver": 0}}
    }


def test_extract_files_examples_under_their_cmd() -> None:
    text = (
        'Data example <pre>[{ "cmd":"SetIrLights", "param":{ "IrLights":{"state":"Auto"}}}]</pre>'
        " Field description Return data correctly "
        '<pre>[{ "cmd" : " GetIrLights ", "code" : 0, "value" : {"IrLights": {"state": 0}}}]'
        "</pre> Field description"
    )
    examples = extract(text, ["GetIrLights", "SetIrLights"])
    assert examples["GetIrLights"]["response"] == {"value": {"IrLights": {"state": 0}}}
    assert examples["SetIrLights"]["request"] == {"IrLights": {"state": "Auto"}}
