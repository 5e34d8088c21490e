"""Injected faults for API requests (see simulator/README.md, "Control API")."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

FAULT_KEYS = (
    "expire_tokens",
    "latency_ms",
    "http_status",
    "malformed_json",
    "drop_connection",
    "reboot_seconds",
    "command_errors",
    "invalid_utf8",
    "count",
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

    def take(self) -> ActiveFaults:
        """Faults for the next API request; counted faults use up one request."""
        active = ActiveFaults(
            latency_ms=float(self._settings.get("latency_ms", 0.0)),
            http_status=self._settings.get("http_status"),
            malformed_json=bool(self._settings.get("malformed_json", False)),
            drop_connection=bool(self._settings.get("drop_connection", False)),
            command_errors=dict(self._settings.get("command_errors", {})),
            invalid_utf8=frozenset(self._settings.get("invalid_utf8", ())),
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
    if key == "latency_ms":
        return _non_negative_number(key, value)
    if key == "http_status":
        if not _is_int(value) or not (value == 0 or 100 <= value <= 599):
            raise ControlError("http_status must be an HTTP status code")
        return value
    if key == "command_errors":
        return _command_errors(value)
    if key == "invalid_utf8":
        return _command_names(key, value)
    if not isinstance(value, bool):
        raise ControlError(f"{key} must be true or false")
    return value


def _command_errors(value: Any) -> dict[str, int]:
    if not isinstance(value, dict) or not all(
        isinstance(cmd, str) and _is_int(code) and code < 0 for cmd, code in value.items()
    ):
        raise ControlError('command_errors must map command names to negative codes: {"X": -9}')
    return dict(value)


def _command_names(key: str, value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(cmd, str) and cmd for cmd in value):
        raise ControlError(f'{key} must be a list of command names: ["GetOsd"]')
    return list(value)


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


def _non_negative_number(key: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise ControlError(f"{key} must be a non-negative number")
    return float(value)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
