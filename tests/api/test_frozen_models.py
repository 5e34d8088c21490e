"""The models built with their own __init__ (see `slot_setters`) behave as frozen dataclasses."""

import dataclasses
from typing import Any

import pytest

from custom_components.reolink_http.api import AiState, CommandResult, Events
from custom_components.reolink_http.api.exceptions import ReolinkCommandError
from custom_components.reolink_http.api.models import AI_TYPE_STATES

ERROR = ReolinkCommandError("GetEvents", -9, "not support")
PEOPLE = {"people": AI_TYPE_STATES[True, True]}

# Each class with its values by field name, in field order.
BUILT = [
    (
        CommandResult,
        {"cmd": "GetEvents", "value": {"a": 1}, "initial": 2, "range": 3, "error": ERROR},
    ),
    (AiState, {"channel": 4, "types": PEOPLE}),
    (Events, {"channel": 5, "motion": True, "ai": AiState(5, PEOPLE)}),
]


@pytest.mark.parametrize(("cls", "values"), BUILT)
def test_fields_by_position_and_name(cls: type, values: dict[str, Any]) -> None:
    by_position = cls(*values.values())
    assert by_position == cls(**values)
    assert {f.name: getattr(by_position, f.name) for f in dataclasses.fields(cls)} == values


@pytest.mark.parametrize(("cls", "values"), BUILT)
def test_frozen_comparable_and_replaceable(cls: type, values: dict[str, Any]) -> None:
    built = cls(**values)
    first = dataclasses.fields(cls)[0].name
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(built, first, 9)
    assert built == cls(**values)
    assert getattr(dataclasses.replace(built, **{first: 9}), first) == 9


def test_defaults() -> None:
    assert CommandResult("Login") == CommandResult("Login", None, None, None, None)
    assert AiState(0).types == {}
    assert AiState(0).types is not AiState(0).types
