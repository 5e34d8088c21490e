"""Only the client speaks the wire: no command name or JSON key outside `api/`.

Settings are read and written through the client's typed fields (`api/fields.py`);
a command name or a key of a device answer spelled in the integration would be a
second place that knows the firmware's shapes.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from custom_components.reolink_http.api import fields
from custom_components.reolink_http.api.onvif import TOPIC_KINDS
from tests import REAL_FIRMWARE

PACKAGE = Path(__file__).parents[2] / "custom_components" / "reolink_http"
COMMAND_NAME = re.compile(r"(Get|Set)[A-Z]\w*")
# Feature names of GetAbility are the vocabulary of capability checks, not paths into
# an answer; everything else a device answers with is the client's to read.
ABILITY = "GetAbility"


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


def _captured_keys() -> set[str]:
    keys: set[str] = set()
    for path in REAL_FIRMWARE.glob("*.json"):
        if ABILITY not in path.name:
            keys.update(key for key in _keys(json.loads(path.read_text())) if _is_wire_key(key))
    return keys


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
    vocabulary = _client_vocabulary() | _captured_keys()
    found = [
        f"{path.relative_to(PACKAGE)}:{line}: {text}"
        for path in _integration_modules()
        for line, text in string_literals(path)
        if text in vocabulary
    ]
    assert found == []


def test_the_scan_sees_literals_but_not_docstrings(tmp_path: Path) -> None:
    """Literals and f-string parts are scanned; a docstring citing the guide is not."""
    module = tmp_path / "module.py"
    module.write_text('"""Reads GetIsp."""\nX = "GetIsp"\nY = f"{X}.Isp.mirroring"\n')
    assert list(string_literals(module)) == [(2, "GetIsp"), (3, ".Isp.mirroring")]
    assert {"GetIsp", "Isp", "Isp.mirroring", "osdChannel"} <= _client_vocabulary()
