"""Request bodies are compact JSON with non-ASCII text escaped, whichever encoder writes them."""

import json
from typing import Any

import pytest

from custom_components.reolink_http.api import commands
from custom_components.reolink_http.api.transport import encode_body


@pytest.mark.parametrize(
    "body",
    [
        [commands.get_events(ch).command.to_json() for ch in range(3)],
        [{"cmd": "SetOsd", "param": {"Osd": {"osdChannel": {"name": "Garäge ☀"}}}}],
        [{"cmd": "SetIsp", "param": {1: 2.5, "nested": [True, None, -3]}}],
    ],
)
def test_body_is_what_json_writes(body: Any) -> None:
    assert encode_body(body) == json.dumps(body, separators=(",", ":")).encode()


def test_non_ascii_text_is_escaped() -> None:
    assert encode_body({"name": "Garäge"}) == b'{"name":"Gar\\u00e4ge"}'
