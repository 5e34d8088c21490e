"""Every hostile answer the simulator can send ends as clean data or a typed ReolinkError."""

import asyncio
import json
import sys
import tracemalloc
import unicodedata
from contextlib import AsyncExitStack
from typing import Any

import aiohttp
import pytest

from custom_components.reolink_http.api import (
    DeviceInfo,
    MdState,
    ReolinkClient,
    ReolinkCommandError,
    ReolinkConnectionError,
    ReolinkError,
    ReolinkResponseError,
    ReolinkTimeoutError,
)
from custom_components.reolink_http.api.client import MAX_SNAPSHOT_BYTES
from custom_components.reolink_http.api.commands import get_dev_info, get_md_state
from custom_components.reolink_http.api.sanitize import (
    MAX_ANSWER_BYTES,
    MAX_DEPTH,
    MAX_NAME,
    MAX_STRING,
    clean_name,
    clean_text,
    decode_answer,
)
from tests.forwarder import Forwarder

from .conftest import SimFactory, api_requests


def strings_of(value: Any) -> list[str]:
    """Every string (keys included) in a JSON-like value."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (*strings_of(k), *strings_of(v))]
    if isinstance(value, list | tuple):
        return [s for item in value for s in strings_of(item)]
    return []


def assert_safe(text: str, limit: int = MAX_STRING) -> None:
    """Encodable, printable and short: what Home Assistant's state writer accepts."""
    text.encode("utf-8")
    assert len(text) <= limit
    assert not any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in text)


@pytest.fixture
async def client_and_sim(start_sim: SimFactory, connect: SimFactory) -> Any:
    sim = await start_sim(profile="ipc")
    client = await connect(sim)
    await client.login()  # before the faults: Login's answer has a `name` too
    return client, sim


async def dev_info_and_motion(client: Any) -> list[Any]:
    return await client.execute_typed([get_dev_info(), get_md_state(0)])


@pytest.mark.parametrize(
    ("fault", "expected_name_end"),
    [
        ({"invalid_utf8_field": "name"}, "\ufffd\ufffd"),
        ({"lone_surrogate": "name"}, "\ufffd"),
        ({"field_values": {"name": "tab\there\x00nul\x1b[31m\u0085"}}, "\ufffd"),
    ],
)
async def test_bad_strings_are_cleaned_and_the_batch_survives(
    client_and_sim: Any, fault: dict[str, Any], expected_name_end: str
) -> None:
    """One bad name costs neither the other commands nor a second request."""
    client, sim = client_and_sim
    sim.set_fault(**fault)
    sim.clear_log()
    info, motion = await dev_info_and_motion(client)
    assert isinstance(info, DeviceInfo)
    assert isinstance(motion, MdState)
    assert info.name.endswith(expected_name_end)
    assert_safe(info.name, MAX_NAME)
    for text in strings_of(dict(info.raw)):
        assert_safe(text)
    assert len(api_requests(sim)) == 1


async def test_huge_strings_are_cut(client_and_sim: Any) -> None:
    """A million-character name is 64 characters where it is shown, 1024 in raw data."""
    client, sim = client_and_sim
    sim.set_fault(huge_string="name")
    info = await client.run(get_dev_info())
    assert len(info.name) == MAX_NAME
    assert len(info.raw["name"]) == MAX_STRING


@pytest.mark.parametrize(
    "fault",
    [
        {"oversized_answer": MAX_ANSWER_BYTES + 1},
        {"deep_nesting": 100_000},
        {"deep_nesting": MAX_DEPTH},
        {"empty_array": True},
    ],
)
async def test_unusable_answers_are_typed_errors(
    client_and_sim: Any, fault: dict[str, Any]
) -> None:
    client, sim = client_and_sim
    sim.set_fault(**fault)
    with pytest.raises(ReolinkResponseError):
        await dev_info_and_motion(client)


async def test_truncated_body_is_a_connection_error(client_and_sim: Any) -> None:
    client, sim = client_and_sim
    sim.set_fault(truncated_body=True)
    with pytest.raises(ReolinkConnectionError):
        await dev_info_and_motion(client)
    sim.clear_faults()
    info, _motion = await dev_info_and_motion(client)
    assert isinstance(info, DeviceInfo)


@pytest.mark.parametrize(
    "values",
    [
        {"DevInfo": []},
        {"DevInfo": "x", "state": {"a": 1}},
        {"channelNum": [1], "name": 5, "model": None, "state": "yes"},
        {"channelNum": 1e308, "diskNum": -(10**30), "wifi": {}},
    ],
)
async def test_wrong_value_types_give_values_or_command_errors(
    client_and_sim: Any, values: dict[str, Any]
) -> None:
    client, sim = client_and_sim
    sim.set_fault(field_values=values)
    for answer in await dev_info_and_motion(client):
        assert isinstance(answer, DeviceInfo | MdState | ReolinkCommandError)
        if isinstance(answer, DeviceInfo):
            assert_safe(answer.name, MAX_NAME)


async def test_nesting_as_deep_as_the_size_limit_allows(client_and_sim: Any) -> None:
    """Two million levels within the size limit: a typed error, never RecursionError."""
    client, sim = client_and_sim
    sim.set_fault(deep_nesting=MAX_ANSWER_BYTES // 2 - 1000)
    with pytest.raises(ReolinkResponseError, match="nests deeper"):
        await client.run(get_dev_info())


async def test_oversized_answer_without_length_stops_at_the_limit(
    start_sim: SimFactory, http: aiohttp.ClientSession, stack: AsyncExitStack
) -> None:
    """A device sending chunks without Content-Length is cut off once past the limit."""
    sim = await start_sim(profile="ipc")
    forwarder = await stack.enter_async_context(Forwarder(sim, drop_length=True))
    client = await stack.enter_async_context(
        ReolinkClient(
            "127.0.0.1", "admin", "password", session=http, port=forwarder.port, use_https=False
        )
    )
    await client.login()
    sim.set_fault(oversized_answer=MAX_ANSWER_BYTES * 2)
    with pytest.raises(ReolinkResponseError, match="larger than"):
        await client.run(get_dev_info())
    assert forwarder.sent < MAX_ANSWER_BYTES * 2


def test_decode_answer_limits_and_cleans() -> None:
    nested_ok = json.dumps({"a": [[{"b": "x"}]]}).encode()
    assert decode_answer(nested_ok) == {"a": [[{"b": "x"}]]}
    assert decode_answer(b'["\\ud83d\\ude00 ok", NaN, Infinity]') == ["\U0001f600 ok", None, None]
    assert decode_answer(b'{"k\\u0000": "\\udc00"}') == {"k\ufffd": "\ufffd"}
    with pytest.raises(ValueError, match="Expecting"):
        decode_answer(b"[1,")
    with pytest.raises(ReolinkError):
        decode_answer(b"[" * (MAX_DEPTH + 1) + b"]" * (MAX_DEPTH + 1))
    assert clean_text("a\r\nb", 3) == "a  "
    with pytest.raises(ReolinkResponseError, match="larger than"):
        decode_answer(b" " * (MAX_ANSWER_BYTES + 1))


# --- binary answers held in memory


async def test_snapshot_declared_too_large_is_refused_unread(client_and_sim: Any) -> None:
    """A 4 GiB snapshot announced in Content-Length: refused at once, the next one works."""
    client, sim = client_and_sim
    sim.set_fault(oversized_snapshot=4 * 1024**3)
    with pytest.raises(ReolinkResponseError, match="larger than"):
        await client.snapshot(0)
    sim.clear_faults()
    assert (await client.snapshot(0))[:2] == b"\xff\xd8"


async def test_snapshot_at_the_limit_is_accepted(client_and_sim: Any) -> None:
    """The cap refuses only what no camera sends: a 16 MiB answer still arrives whole."""
    client, sim = client_and_sim
    sim.set_fault(oversized_snapshot=MAX_SNAPSHOT_BYTES)
    image = await client.snapshot(0)
    assert len(image) == MAX_SNAPSHOT_BYTES
    assert image[:2] == b"\xff\xd8"


async def test_snapshot_without_length_stops_near_the_limit(
    start_sim: SimFactory, http: aiohttp.ClientSession, stack: AsyncExitStack
) -> None:
    """Sent without Content-Length, a snapshot is read only until it passes the limit.

    Neither what the device could send nor what the client held comes near the
    64 MiB on offer; the peak of Python allocations shows the client never holds
    more than the limit and one read.
    """
    sim = await start_sim(profile="ipc")
    forwarder = await stack.enter_async_context(Forwarder(sim, drop_length=True))
    client = await stack.enter_async_context(
        ReolinkClient(
            "127.0.0.1", "admin", "password", session=http, port=forwarder.port, use_https=False
        )
    )
    await client.login()
    offered = 4 * MAX_SNAPSHOT_BYTES
    sim.set_fault(oversized_snapshot=offered)
    tracemalloc.start()
    try:
        with pytest.raises(ReolinkResponseError, match="larger than"):
            await client.snapshot(0)
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert forwarder.sent < 2 * MAX_SNAPSHOT_BYTES
    assert peak < 2 * MAX_SNAPSHOT_BYTES


async def test_snapshot_sent_a_byte_at_a_time_ends_at_the_timeout(
    start_sim: SimFactory, connect: SimFactory
) -> None:
    """A picture trickling in, never stalling, still ends at the request timeout.

    At one byte every 50 ms, the sub stream's picture would take minutes: a stall check
    alone would never end it. The timeout leaves a busy machine room for the good pictures.
    """
    sim = await start_sim(profile="ipc")
    client = await connect(sim, timeout=5.0)
    assert len(await client.snapshot(0, stream="sub")) > 1000
    sim.set_fault(trickle_files=0.05)
    async with asyncio.timeout(30):
        with pytest.raises(ReolinkTimeoutError):
            await client.snapshot(0, stream="sub")
    sim.clear_faults()
    assert (await client.snapshot(0, stream="sub"))[:2] == b"\xff\xd8"


async def test_oversized_json_error_instead_of_a_snapshot(client_and_sim: Any) -> None:
    """A JSON error where the JPEG should be is held to the JSON limit, not the snapshot one."""
    client, sim = client_and_sim
    sim.set_fault(command_errors={"Snap": -9}, oversized_answer=MAX_ANSWER_BYTES + 1)
    with pytest.raises(ReolinkResponseError, match="larger than"):
        await client.snapshot(0)


async def test_oversized_json_error_instead_of_a_recording(client_and_sim: Any) -> None:
    """Recordings stream, but a JSON error in their place is read whole: held to the limit."""
    client, sim = client_and_sim
    sim.set_fault(command_errors={"Download": -9}, oversized_answer=MAX_ANSWER_BYTES + 1)
    with pytest.raises(ReolinkResponseError, match="larger than"):
        async with client.open_download("Mp4Record/2026-01-01/RecM01_20260101_000000.mp4"):
            pytest.fail("a JSON error opened as a recording")


# --- invisible characters in names


@pytest.mark.parametrize(
    ("sent_name", "shown"),
    [
        ("\u202eetaG", "etaG"),  # a right-to-left override would show "Gate"
        ("Front\u200b Door\ufeff", "Front Door"),
        ("\u2066Garage\u2069\u200e\u200f", "Garage"),
        ("\u200b" * 200 + "Yard", "Yard"),  # padding cannot push the name past MAX_NAME
        ("Caf\u00e9 \u6771\u4eac \U0001f3e0", "Caf\u00e9 \u6771\u4eac \U0001f3e0"),
        (
            "\U0001f468\u200d\U0001f469\u200d\U0001f467 Kids",
            "\U0001f468\u200d\U0001f469\u200d\U0001f467 Kids",
        ),
        ("\U0001f3f3\ufe0f\u200d\U0001f308", "\U0001f3f3\ufe0f\u200d\U0001f308"),
        (
            "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",
            "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",
        ),
        ("Sha\u200dred\u200c", "Shared"),  # joiners between Latin letters only hide a difference
        ("Hall\u2028way", "Hall way"),
    ],
)
async def test_invisible_characters_leave_names(
    client_and_sim: Any, sent_name: str, shown: str
) -> None:
    """Names lose format characters; the raw answer keeps the device's text."""
    client, sim = client_and_sim
    sim.set_fault(field_values={"name": sent_name})
    info = await client.run(get_dev_info())
    assert info.name == shown
    assert info.raw["name"] == sent_name


def test_every_format_character_is_dropped_from_names() -> None:
    """All of Unicode category Cf, whatever Python's Unicode version holds."""
    format_characters = [
        char for char in map(chr, range(sys.maxunicode + 1)) if unicodedata.category(char) == "Cf"
    ]
    assert "\u202e" in format_characters
    for char in format_characters:
        assert clean_name(f"a{char}b") == "ab", hex(ord(char))
