"""GetEvents kinds read the same whether their values are the usual 0/1 or anything else."""

from typing import Any

import pytest

from custom_components.reolink_http.api import Events


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ({"support": 1, "alarm_state": 1}, True),
        ({"support": 1, "alarm_state": 0}, False),
        ({"support": 1}, False),
        ({"support": 0, "alarm_state": 1}, None),
        ({"alarm_state": 1}, None),
        ({"support": True, "alarm_state": 1.0}, True),
        ({"support": "on", "alarm_state": "1"}, True),
        ({"support": "1", "alarm_state": "off"}, False),
        ({"support": 2, "alarm_state": 1}, None),
        ({"support": [1], "alarm_state": [1]}, True),
        ({"support": {}, "alarm_state": 1}, None),
        ("people", None),
    ],
)
def test_kind_state(entry: Any, expected: bool | None) -> None:
    """`expected`: whether the kind is detected, None where it is not supported."""
    for events in (
        Events.from_value(0, {"ai": {"people": entry}}),
        Events.from_value(0, {"visitor": entry}),
    ):
        state = next(iter(events.ai.types.values()), None)
        assert (None if state is None else state.alarm) == expected
        assert state is None or state.supported
