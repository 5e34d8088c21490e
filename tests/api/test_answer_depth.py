"""The depth limit and string cleaning hold on every path `decode_answer` takes.

Answers whose strings are clean are only walked for their depth; strings holding
escapes or bad bytes are cleaned on the same walk. Brackets inside strings count for
nothing. All paths must agree at the limit.
"""

import json

import pytest

from custom_components.reolink_http.api import ReolinkResponseError
from custom_components.reolink_http.api.sanitize import MAX_DEPTH, decode_answer

# JSON string contents, one per path: plain text, brackets inside a name, an escape,
# a C1 character.
NAMES = ["cam", "cam]]]] [[{", 'cam \\"1\\"', "cam\u0085"]


def nested(levels: int, name: str) -> bytes:
    """`levels` containers, objects and lists in turn, around one named object."""
    text = f'{{"name":"{name}"}}'
    for level in range(levels - 1):
        text = f"[{text}]" if level % 2 else f'{{"value":{text}}}'
    return text.encode()


@pytest.mark.parametrize("name", NAMES)
def test_exactly_the_limit_is_accepted(name: str) -> None:
    answer = decode_answer(nested(MAX_DEPTH, name))
    for _ in range(MAX_DEPTH - 1):
        answer = answer[0] if isinstance(answer, list) else answer["value"]
    assert answer["name"].startswith("cam")


@pytest.mark.parametrize("name", NAMES)
def test_one_level_more_is_refused(name: str) -> None:
    with pytest.raises(ReolinkResponseError, match="nests deeper"):
        decode_answer(nested(MAX_DEPTH + 1, name))


def test_brackets_in_strings_neither_hide_nor_add_depth() -> None:
    closing = json.dumps(["]" * 40, {"a": "}" * 40}]).encode()
    assert decode_answer(closing) == ["]" * 40, {"a": "}" * 40}]
    opening = json.dumps({"name": "[" * 40}).encode()
    assert decode_answer(opening) == {"name": "[" * 40}
    hidden = b"[" * (MAX_DEPTH + 1) + b'"' + b"]" * 40 + b'"' + b"]" * (MAX_DEPTH + 1)
    with pytest.raises(ReolinkResponseError, match="nests deeper"):
        decode_answer(hidden)


def test_unescaped_del_is_replaced() -> None:
    """JSON allows DEL (0x7F) unescaped; it is a control character all the same."""
    assert decode_answer(b'[{"name": "a\x7fb"}]') == [{"name": "a\ufffdb"}]
