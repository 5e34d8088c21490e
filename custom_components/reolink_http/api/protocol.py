"""The JSON envelope of the Camera HTTP API (guide sections 2.2, 2.5 and 4.1)."""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from .exceptions import ReolinkCommandError, ReolinkResponseError, command_error
from .sanitize import MAX_OPTIONS, bounded_list

T = TypeVar("T")

JsonDict = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Command:
    """One element of a request array: `cmd`, `action` and `param` (2.2 JSON)."""

    cmd: str
    param: Mapping[str, Any] | None = None
    action: int = 0

    def to_json(self) -> JsonDict:
        """The request element as the device expects it."""
        body: JsonDict = {"cmd": self.cmd, "action": self.action}
        if self.param is not None:
            body["param"] = self.param
        return body


@dataclass(frozen=True, slots=True)
class CommandResult:
    """One element of an answer array; `error` is set instead of raising (4.1 Error)."""

    cmd: str
    value: Any = None
    range: Any = None
    error: ReolinkCommandError | None = None

    @property
    def ok(self) -> bool:
        """True when the device accepted the command."""
        return self.error is None

    def unwrap(self) -> Any:
        """The value, or raise the command's error."""
        if self.error is not None:
            raise self.error
        return self.value


def parse_result(cmd: str, element: object) -> CommandResult:
    """Turn one answer element into a CommandResult; the presence of `error` means failure."""
    # JSON gives dicts; the exact type test spares the slower abstract-class check.
    if type(element) is not dict and not isinstance(element, Mapping):
        raise ReolinkResponseError(f"{cmd}: answer element is not an object")
    error = element.get("error")
    if error is not None:
        return CommandResult(cmd, error=_error_of(cmd, error))
    if "value" not in element and element.get("code", 0) != 0:
        return CommandResult(cmd, error=command_error(cmd, -1, "no value in answer"))
    if type(element) is dict:
        # Factory defaults (`initial`, sent with every `range`) are never used; answers
        # are kept between polls, and without them a settings poll's take a third less.
        element.pop("initial", None)
    return CommandResult(cmd, element.get("value"), element.get("range"))


def _error_of(cmd: str, error: object) -> ReolinkCommandError:
    if not isinstance(error, Mapping):
        return command_error(cmd, -1, "malformed error")
    code = error.get("rspCode")
    detail = error.get("detail")
    return command_error(
        cmd, code if isinstance(code, int) else -1, detail if isinstance(detail, str) else ""
    )


def parse_results(commands: Sequence[Command], answer: object) -> list[CommandResult]:
    """Match an answer array to the commands sent, position by position.

    A device that rejects the whole request (e.g. an unknown token) may answer a single
    error element for a longer batch; that error then applies to every command.
    """
    if not isinstance(answer, list):
        raise ReolinkResponseError("answer is not a JSON array")
    if len(answer) == len(commands):
        return [parse_result(c.cmd, e) for c, e in zip(commands, answer, strict=True)]
    if len(answer) == 1:
        only = parse_result(commands[0].cmd, answer[0])
        if only.error is not None:
            code, detail = only.error.code, only.error.detail
            return [
                CommandResult(c.cmd, error=command_error(c.cmd, code, detail)) for c in commands
            ]
    raise ReolinkResponseError(f"answer has {len(answer)} elements for {len(commands)} commands")


def range_number(value: Any) -> float | None:
    """A finite bound of a range; some firmware writes numbers as strings ("100")."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and math.isfinite(value):
        return int(value) if value.is_integer() else value
    return None


@dataclass(frozen=True, slots=True)
class RangeInfo:
    """The `range` of an `action: 1` answer for one family, read field by field.

    Paths are dotted ("mainStream.bitRate"); list ranges (one entry per stream profile,
    as 3.5.1 GetEnc returns) are read from their first entry unless an index is given.
    """

    data: Mapping[str, Any] = field(default_factory=dict)

    def _lookup(self, path: str) -> Any:
        node: Any = self.data
        for part in path.split("."):
            if isinstance(node, list):
                if part.isdigit():
                    node = node[int(part)] if int(part) < len(node) else None
                    continue
                node = node[0] if node else None
            node = node.get(part) if isinstance(node, Mapping) else None
        return node

    def options(self, path: str) -> list[Any]:
        """Allowed values of an enumerated field; empty when the field is not a list."""
        node = self._lookup(path)
        return (
            list(bounded_list("choices of a setting", node, MAX_OPTIONS))
            if isinstance(node, list)
            else []
        )

    def min_max(self, path: str) -> tuple[float, float] | None:
        """(min, max) of a numeric field, or None when the range has no bounds."""
        node = self._lookup(path)
        if not isinstance(node, Mapping):
            return None
        low, high = range_number(node.get("min")), range_number(node.get("max"))
        if low is None or high is None or low > high:
            return None
        return (low, high)

    def is_boolean(self, path: str) -> bool:
        """True when the range marks the field as a boolean switch."""
        return bool(self._lookup(path) == "boolean")


@dataclass(frozen=True, slots=True)
class Ranged[T]:
    """A parsed value with the values the device allows (`range`)."""

    value: T
    range: RangeInfo
