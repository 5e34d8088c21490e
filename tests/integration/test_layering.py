"""Only the client speaks the wire: no command name, JSON key or device value outside `api/`.

Settings are read and written through the client's typed fields (`api/fields.py`) and
device values through its enumerations (`api/values.py`); a command name, a key of a
device answer or a word the firmware uses for a state, spelled in the integration, would
be a second place that knows the firmware's shapes.
"""

import ast
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from custom_components.reolink_http.api import fields, values
from custom_components.reolink_http.api.onvif import TOPIC_KINDS
from tests import REAL_FIRMWARE

PACKAGE = Path(__file__).parents[2] / "custom_components" / "reolink_http"
COMMAND_NAME = re.compile(r"(Get|Set)[A-Z]\w*")
# Feature names of GetAbility are the vocabulary of capability checks, not paths into
# an answer; everything else a device answers with is the client's to read.
ABILITY = "GetAbility"
# Lowercase keys of device answers that Home Assistant's own mappings use as well
# (translation placeholders, device info, diagnostics); there they name no answer's key.
HOME_ASSISTANT_WORDS = frozenset({"name", "model", "error", "value", "mode", "size", "disk"})


def _integration_modules() -> list[Path]:
    return sorted(path for path in PACKAGE.rglob("*.py") if PACKAGE / "api" not in path.parents)


def _docstrings(tree: ast.AST) -> set[int]:
    """ids of the string nodes that are docstrings."""
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def string_literals(path: Path) -> Iterator[tuple[int, str]]:
    """(line, text) of every string literal but docstrings, f-string parts included."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _docstrings(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            yield node.lineno, node.value


def mapping_keys(path: Path) -> Iterator[tuple[int, str]]:
    """(line, text) of strings used as a mapping key: `x["k"]`, `x.get("k")`, `{"k": ...}`."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Subscript):
            keys = [node.slice]
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            keys = node.args[:1] if node.func.attr in {"get", "pop", "setdefault"} else []
        elif isinstance(node, ast.Dict):
            keys = [key for key in node.keys if key is not None]
        else:
            continue
        for key in keys:
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                yield key.lineno, key.value


def _keys(data: Any) -> Iterator[str]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield key
            yield from _keys(value)
    elif isinstance(data, list):
        for item in data:
            yield from _keys(item)


def _is_wire_key(key: str) -> bool:
    """Keys no ordinary word shares: camelCase ("onvifPort") or capitalised ("Isp")."""
    return bool(re.fullmatch(r"[a-z]+[A-Z]\w*|[A-Z][a-z]+[A-Z]?\w*", key))


def _client_vocabulary() -> set[str]:
    """Commands, families and path parts of every typed field, and ONVIF topics."""
    words: set[str] = set(TOPIC_KINDS)
    for value in vars(fields).values():
        if isinstance(value, fields.Source):
            words.add(value.command)
            words.update(filter(None, [value.family]))
        elif isinstance(value, fields.Field):
            words.add(value.full_path)
            words.update(value.full_path.split("."))
    return {word for word in words if "." in word or _is_wire_key(word)}


def _strings(data: Any) -> Iterator[str]:
    if isinstance(data, dict):
        for value in data.values():
            yield from _strings(value)
    elif isinstance(data, list):
        for item in data:
            yield from _strings(item)
    elif isinstance(data, str):
        yield data


def _captures() -> Iterator[Any]:
    for path in REAL_FIRMWARE.glob("*.json"):
        if ABILITY not in path.name:
            yield json.loads(path.read_text())


def _captured_keys() -> set[str]:
    return {key for answer in _captures() for key in _keys(answer) if _is_wire_key(key)}


def _lowercase_keys() -> set[str]:
    """Every key of the captured answers and of the client's fields, plain words included."""
    keys = {key for answer in _captures() for key in _keys(answer)}
    for value in vars(fields).values():
        if isinstance(value, fields.Field):
            keys.update(value.full_path.split("."))
    return keys - HOME_ASSISTANT_WORDS


def _device_values() -> set[str]:
    """Words devices send or take as values: the client's enumerations, captured words."""
    words = {
        member.value for kind in (values.PtzOp, values.LensOp, values.LedState) for member in kind
    }
    words.update(text for answer in _captures() for text in _strings(answer) if text.isalpha())
    return words


def _found(scan: Iterator[tuple[Path, int, str]], vocabulary: set[str]) -> list[str]:
    return [f"{path.name}:{line}: {text}" for path, line, text in scan if text in vocabulary]


def _literals(modules: list[Path]) -> Iterator[tuple[Path, int, str]]:
    return ((path, line, text) for path in modules for line, text in string_literals(path))


def _keys_used(modules: list[Path]) -> Iterator[tuple[Path, int, str]]:
    return ((path, line, text) for path in modules for line, text in mapping_keys(path))


def test_no_command_name_outside_the_client() -> None:
    """No "Get…"/"Set…" command is named outside `api/` (docstrings may cite the guide)."""
    found = [
        f"{path.relative_to(PACKAGE)}:{line}: {text}"
        for path in _integration_modules()
        for line, text in string_literals(path)
        if COMMAND_NAME.match(text)
    ]
    assert found == []


def test_no_answer_key_outside_the_client() -> None:
    """No key or dotted path of a device answer is spelled outside `api/`."""
    modules = _integration_modules()
    assert _found(_literals(modules), _client_vocabulary() | _captured_keys()) == []
    # Plain lowercase keys ("enable", "state") are ordinary words too: caught where a
    # mapping is read or built with them.
    assert _found(_keys_used(modules), _lowercase_keys()) == []


def test_no_device_value_outside_the_client() -> None:
    """No word a device sends or takes as a value ("Off", "ToPos") is spelled outside `api/`."""
    assert _found(_literals(_integration_modules()), _device_values()) == []


def test_the_scan_sees_literals_but_not_docstrings(tmp_path: Path) -> None:
    """Literals and f-string parts are scanned; a docstring citing the guide is not."""
    module = tmp_path / "module.py"
    module.write_text('"""Reads GetIsp."""\nX = "GetIsp"\nY = f"{X}.Isp.mirroring"\n')
    assert list(string_literals(module)) == [(2, "GetIsp"), (3, ".Isp.mirroring")]
    assert {"GetIsp", "Isp", "Isp.mirroring", "osdChannel"} <= _client_vocabulary()


def test_the_scan_sees_lowercase_keys_and_values(tmp_path: Path) -> None:
    """Lowercase keys where a mapping is read or built, and device values anywhere."""
    module = tmp_path / "module.py"
    module.write_text(
        'A = value["enable"]\nB = value.get("bright", 0)\nC = {"state": 1}\n'
        'D = "Off"\nE = op == "ToPos"\nF = {"name": "enable"}\n'
    )
    assert _found(_keys_used([module]), _lowercase_keys()) == [
        "module.py:1: enable",
        "module.py:2: bright",
        "module.py:3: state",
    ]
    assert _found(_literals([module]), _device_values()) == [
        "module.py:4: Off",
        "module.py:5: ToPos",
    ]
