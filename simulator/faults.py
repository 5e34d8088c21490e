"""Injected faults for API requests (see simulator/README.md, "Control API")."""

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

# Hostile answers (see README): they rewrite the JSON a command answered with.
ANSWER_KEYS = (
    "field_values",
    "range_values",
    "long_lists",
    "lone_surrogate",
    "invalid_utf8_field",
    "huge_string",
    "oversized_answer",
    "deep_nesting",
    "empty_array",
    "truncated_body",
)
FIELD_KEYS = ("lone_surrogate", "invalid_utf8_field", "huge_string")
HUGE_STRING_LENGTH = 1_000_000
MAX_OVERSIZED = 64 * 1024 * 1024
MAX_NESTING = 16 * 1024 * 1024
MAX_LIST_LENGTH = 1_000_000
REDIRECT_STATUSES = (301, 302, 303, 307, 308)
# Fields that number the items of a list (disks, channels, presets): copies count them on.
NUMBERING_FIELDS = ("id", "number", "channel")
# Large enough to find a client that reads a whole answer into memory, streamed in pieces
# so the simulator itself holds none of it.
MAX_OVERSIZED_SNAPSHOT = 4 * 1024 * 1024 * 1024

FAULT_KEYS = (
    "expire_tokens",
    "latency_ms",
    "http_status",
    "malformed_json",
    "drop_connection",
    "reboot_seconds",
    "command_errors",
    "invalid_utf8",
    "oversized_snapshot",
    "redirect",
    "trickle_files",
    "endless_files",
    "tls_failure",
    "count",
    *ANSWER_KEYS,
)


class ControlError(ValueError):
    """A `/sim/*` request that cannot be applied; answered with HTTP 400."""


PERSISTENT_KEYS = (
    "latency_ms",
    "http_status",
    "malformed_json",
    "drop_connection",
    "command_errors",
    "invalid_utf8",
    "oversized_snapshot",
    "redirect",
    "trickle_files",
    "endless_files",
    "tls_failure",
    *ANSWER_KEYS,
)


@dataclass(frozen=True, slots=True)
class FaultRequest:
    """A validated `POST /sim/fault` body."""

    settings: dict[str, Any]
    count: int | None
    expire_tokens: bool
    reboot_seconds: float | None


@dataclass(frozen=True, slots=True)
class ActiveFaults:
    """The faults that apply to one API request."""

    latency_ms: float = 0.0
    http_status: int | None = None
    malformed_json: bool = False
    drop_connection: bool = False
    command_errors: Mapping[str, int] = field(default_factory=dict)
    invalid_utf8: frozenset[str] = frozenset()
    oversized_snapshot: int = 0
    redirect: Mapping[str, Any] | None = None
    trickle_files: float = 0.0
    endless_files: bool = False
    answer: Mapping[str, Any] = field(default_factory=dict)

    @property
    def rewrites_answer(self) -> bool:
        """The JSON body must go through `rewrite_answer` before it is sent."""
        return any(key != "truncated_body" for key in self.answer)

    @property
    def truncates_body(self) -> bool:
        """Half the body is sent under the full Content-Length, then the connection closes."""
        return bool(self.answer.get("truncated_body"))


def parse_fault_request(body: Any) -> FaultRequest:
    """Validate a fault body; raises ControlError with a readable message."""
    if not isinstance(body, dict):
        raise ControlError("fault body must be a JSON object")
    unknown = sorted(set(body) - set(FAULT_KEYS))
    if unknown:
        raise ControlError(f"unknown fault keys: {', '.join(unknown)}")
    settings = {key: _validated(key, body[key]) for key in PERSISTENT_KEYS if key in body}
    return FaultRequest(
        settings=settings,
        count=_optional_positive_int(body, "count"),
        expire_tokens=_flag(body, "expire_tokens"),
        reboot_seconds=_optional_seconds(body, "reboot_seconds"),
    )


class FaultInjector:
    """Holds the active faults, each with an optional number of requests left."""

    def __init__(self) -> None:
        self._settings: dict[str, Any] = {}
        self._remaining: dict[str, int] = {}

    def apply(self, request: FaultRequest) -> None:
        """Activate the persistent parts of a fault request."""
        for key, value in request.settings.items():
            if _is_cleared(value):
                self._forget(key)
                continue
            self._settings[key] = value
            if request.count is None:
                self._remaining.pop(key, None)
            else:
                self._remaining[key] = request.count

    def clear(self) -> None:
        """`DELETE /sim/fault`."""
        self._settings.clear()
        self._remaining.clear()

    def describe(self) -> dict[str, Any]:
        """What is active, for `GET /sim/fault`."""
        return {"faults": dict(self._settings), "remaining": dict(self._remaining)}

    @property
    def refuses_handshakes(self) -> bool:
        """TLS handshakes fail (not counted: a handshake is no API request)."""
        return bool(self._settings.get("tls_failure", False))

    def take(self) -> ActiveFaults:
        """Faults for the next API request; counted faults use up one request."""
        active = ActiveFaults(
            latency_ms=float(self._settings.get("latency_ms", 0.0)),
            http_status=self._settings.get("http_status"),
            malformed_json=bool(self._settings.get("malformed_json", False)),
            drop_connection=bool(self._settings.get("drop_connection", False)),
            command_errors=dict(self._settings.get("command_errors", {})),
            invalid_utf8=frozenset(self._settings.get("invalid_utf8", ())),
            oversized_snapshot=int(self._settings.get("oversized_snapshot", 0)),
            redirect=self._settings.get("redirect"),
            trickle_files=float(self._settings.get("trickle_files", 0.0)),
            endless_files=bool(self._settings.get("endless_files", False)),
            answer={k: v for k, v in self._settings.items() if k in ANSWER_KEYS},
        )
        for key in list(self._remaining):
            self._remaining[key] -= 1
            if self._remaining[key] <= 0:
                self._forget(key)
        return active

    def _forget(self, key: str) -> None:
        self._settings.pop(key, None)
        self._remaining.pop(key, None)


def _is_cleared(value: Any) -> bool:
    """`false`, `0`, `null`, `{}` and `[]` switch a fault off."""
    return value is None or value is False or value in (0, {}, [])


def _validated(key: str, value: Any) -> Any:
    if value is None:
        return None
    if key in _VALIDATORS:
        return _VALIDATORS[key](key, value)
    if key in ANSWER_KEYS:
        return _answer_fault(key, value)
    if not isinstance(value, bool):
        raise ControlError(f"{key} must be true or false")
    return value


def _http_status(key: str, value: Any) -> int:
    if not _is_int(value) or not (value == 0 or 100 <= value <= 599):
        raise ControlError(f"{key} must be an HTTP status code")
    result: int = value
    return result


def _oversized_snapshot(key: str, value: Any) -> int:
    return _bounded_int(key, value, MAX_OVERSIZED_SNAPSHOT)


def _redirect(key: str, value: Any) -> dict[str, Any]:
    if (
        not isinstance(value, dict)
        or value.get("status") not in REDIRECT_STATUSES
        or not isinstance(value.get("location"), str)
        or not value["location"]
    ):
        raise ControlError(
            f'{key} must be {{"status": 301|302|303|307|308, "location": "http://host:port/path"}}'
        )
    return {"status": value["status"], "location": value["location"]}


def _command_errors(_key: str, value: Any) -> dict[str, int]:
    if not isinstance(value, dict) or not all(
        isinstance(cmd, str) and _is_int(code) and code < 0 for cmd, code in value.items()
    ):
        raise ControlError('command_errors must map command names to negative codes: {"X": -9}')
    return dict(value)


def _command_names(key: str, value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(cmd, str) and cmd for cmd in value):
        raise ControlError(f'{key} must be a list of command names: ["GetOsd"]')
    return list(value)


def _answer_fault(key: str, value: Any) -> Any:
    if key in ("field_values", "range_values"):
        if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
            raise ControlError(f'{key} must map field names to values: {{"name": 5}}')
        return dict(value)
    if key in FIELD_KEYS:
        if not isinstance(value, str) or not value:
            raise ControlError(f'{key} must name a field, e.g. "name"')
        return value
    if key == "long_lists":
        return _list_lengths(key, value)
    if key == "oversized_answer":
        return _bounded_int(key, value, MAX_OVERSIZED)
    if key == "deep_nesting":
        return _bounded_int(key, value, MAX_NESTING)
    if not isinstance(value, bool):
        raise ControlError(f"{key} must be true or false")
    return value


def _list_lengths(key: str, value: Any) -> dict[str, int]:
    if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
        raise ControlError(f'{key} must map field names to lengths: {{"HddInfo": 65535}}')
    return {name: _bounded_int(key, length, MAX_LIST_LENGTH) for name, length in value.items()}


def _bounded_int(key: str, value: Any, maximum: int) -> int:
    if value is False:
        return 0
    if not _is_int(value) or not 0 <= value <= maximum:
        raise ControlError(f"{key} must be an integer from 0 to {maximum}")
    return int(value)


# Stands for the bytes that cannot be written as JSON text; swapped in after encoding.
_INVALID_UTF8_MARK = "\u2060INVALID-UTF8\u2060"
_NESTING_MARK = "\u2060NESTING\u2060"
# A cut-off UTF-8 sequence and a byte no UTF-8 text holds.
INVALID_UTF8 = b"\xc3\xff"


def rewrite_answer(body: bytes, faults: ActiveFaults) -> bytes:
    """The hostile version of a JSON answer, as `faults.answer` asks.

    Field faults apply to every key of that name inside each command's `value`
    (Login's excepted), at any depth; string faults append to strings (a name cut
    mid-character keeps its start) and replace anything else.
    """
    answer = faults.answer
    if answer.get("empty_array"):
        return b"[]"
    elements = json.loads(body)
    for element in elements if isinstance(elements, list) else []:
        # Login's token is what lets a client in at all; a broken one is another test.
        if isinstance(element, dict) and "value" in element and element.get("cmd") != "Login":
            element["value"] = _rewrite_fields(element["value"], answer)
            if "range" in element and answer.get("range_values"):
                ranges = {"field_values": answer["range_values"]}
                element["range"] = _rewrite_fields(element["range"], ranges)
            if answer.get("deep_nesting"):
                element["value"] = _NESTING_MARK
    data = json.dumps(elements).encode()
    depth = int(answer.get("deep_nesting", 0))
    if depth:
        nested = b"[" * depth + b"]" * depth
        data = data.replace(json.dumps(_NESTING_MARK).encode(), nested)
    data = data.replace(json.dumps(_INVALID_UTF8_MARK)[1:-1].encode(), INVALID_UTF8)
    size = int(answer.get("oversized_answer", 0))
    if size > len(data):
        data += b" " * (size - len(data))  # whitespace after the array: still valid JSON
    return data


def _rewrite_fields(value: Any, answer: Mapping[str, Any]) -> Any:
    if isinstance(value, list):
        return [_rewrite_fields(item, answer) for item in value]
    if not isinstance(value, dict):
        return value
    return {
        key: _rewrite_field(key, _rewrite_fields(item, answer), answer)
        for key, item in value.items()
    }


def _rewrite_field(key: str, value: Any, answer: Mapping[str, Any]) -> Any:
    values = answer.get("field_values", {})
    if key in values:
        return values[key]
    lengths = answer.get("long_lists", {})
    if key in lengths and isinstance(value, list) and value:
        return _lengthened(value, lengths[key])
    prefix = value if isinstance(value, str) else ""
    if answer.get("lone_surrogate") == key:
        return prefix + "\ud800"
    if answer.get("invalid_utf8_field") == key:
        return prefix + _INVALID_UTF8_MARK
    if answer.get("huge_string") == key:
        return prefix + "x" * HUGE_STRING_LENGTH
    return value


def _lengthened(items: list[Any], length: int) -> list[Any]:
    """`items` cut or grown to `length`: copies of the last item, numbered on."""
    grown = items[:length]
    last = items[-1]
    for step in range(1, length - len(items) + 1):
        copy = dict(last) if isinstance(last, dict) else last
        if isinstance(copy, dict):
            for name in NUMBERING_FIELDS:
                if _is_int(copy.get(name)):
                    copy[name] += step
        grown.append(copy)
    return grown


def _flag(body: Mapping[str, Any], key: str) -> bool:
    value = body.get(key, False)
    if not isinstance(value, bool):
        raise ControlError(f"{key} must be true or false")
    return value


def _optional_positive_int(body: Mapping[str, Any], key: str) -> int | None:
    value = body.get(key)
    if value is None:
        return None
    if not _is_int(value) or value < 1:
        raise ControlError(f"{key} must be a positive integer")
    return int(value)


def _optional_seconds(body: Mapping[str, Any], key: str) -> float | None:
    value = body.get(key)
    if value is None:
        return None
    return _non_negative_number(key, value)


def _positive_seconds(key: str, value: Any) -> float:
    if value is False or (_is_int(value) and value == 0):
        return 0.0
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 3600:
        raise ControlError(f"{key} must be seconds between bytes, above 0 and at most 3600")
    return float(value)


def _non_negative_number(key: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise ControlError(f"{key} must be a non-negative number")
    return float(value)


_VALIDATORS: dict[str, Callable[[str, Any], Any]] = {
    "latency_ms": _non_negative_number,
    "http_status": _http_status,
    "command_errors": _command_errors,
    "invalid_utf8": _command_names,
    "oversized_snapshot": _oversized_snapshot,
    "redirect": _redirect,
    "trickle_files": _positive_seconds,
}


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
