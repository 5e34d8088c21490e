"""Property-based fuzzing of the client's parsers over mutated answers of real devices.

Fuzzed is what the integration reads: the typed commands of setup, the events poll and
the session, every settings `Field`, the stream and disk helpers, the abilities; and what
the download center (reolink.com) sends: its two JSON answers and the firmware zip.

Whatever bytes arrive, decoding, matching and parsing give a value (with clean
strings) or a typed ReolinkError (from the download center: a ReolinkDownloadCenterError),
never another exception.

The normal run tries a few hundred examples (a few seconds). A longer run:

    REOLINK_FUZZ_EXAMPLES=5000 .venv/bin/python -m pytest tests/api/test_fuzz.py -p no:cacheprovider
"""

import dataclasses
import io
import json
import os
import re
import tempfile
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from custom_components.reolink_http.api import (
    Abilities,
    Command,
    CommandResult,
    ReolinkCommandError,
    ReolinkDownloadCenterError,
    ReolinkError,
)
from custom_components.reolink_http.api import commands as c
from custom_components.reolink_http.api import fields as f
from custom_components.reolink_http.api.client import parse_typed
from custom_components.reolink_http.api.commands import TypedCommand
from custom_components.reolink_http.api.download_center import (
    FirmwareVersion,
    HardwareVersion,
    extract_firmware,
    find_hardware,
    newest,
    parse_hardware_versions,
    parse_releases,
)
from custom_components.reolink_http.api.features import Feature
from custom_components.reolink_http.api.models import onvif_port
from custom_components.reolink_http.api.protocol import RangeInfo, parse_results
from custom_components.reolink_http.api.sanitize import MAX_STRING
from custom_components.reolink_http.api.transport import Redactor, Transport
from simulator.download_center import DownloadCenter as FakeCenter
from tests import REAL_FIRMWARE

EXAMPLES = int(os.environ.get("REOLINK_FUZZ_EXAMPLES", "25"))

FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,  # nothing written into the working tree
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def real_answers() -> list[Path]:
    return sorted(REAL_FIRMWARE.glob("*.json"))


# What the integration sends and parses: setup's batch, the events poll, the session.
TYPED: list[TypedCommand[Any]] = [
    c.get_dev_info(),
    c.get_ability("admin"),
    c.get_local_link(),
    c.get_channel_status(),
    c.get_net_port(),
    c.get_events(0),
    c.get_md_state(0),
    c.get_ai_state(0),
    c.get_ptz_guard(0),
    c.check_firmware(),
    c.upgrade_status(),
    c.login("admin", "x"),
    c.logout(),
]
PARSERS: dict[str, list[TypedCommand[Any]]] = {}
for _typed in TYPED:
    PARSERS.setdefault(_typed.command.cmd, []).append(_typed)


def _settings_fields() -> list[f.Field[Any]]:
    """Every typed field the settings entities read, of every kind of Source."""
    found = [value for value in vars(f).values() if isinstance(value, f.Field)]
    for scheduled in (value for value in vars(f).values() if isinstance(value, f.Scheduled)):
        found += [scheduled.all_cameras, scheduled.per_camera]
        found += [scheduled.legacy_enable] if scheduled.legacy_enable else []
    for stream in (f.MAIN_STREAM, f.SUB_STREAM):
        found += [stream.size, stream.frame_rate, stream.bit_rate]
    for disk in (f.Disk(0), f.Disk(1)):
        found += [disk.capacity, disk.free, disk.formatted, disk.mounted]
    for source in (f.REC, f.REC_V20):
        found += [f.record_overwrite(source), f.pre_record(source), f.post_record(source)]
        found.append(f.pack_time(source))
    for kind in ("people", "vehicle", "dog_cat"):
        found += [f.ai_sensitivity(kind), f.ai_stay_time(kind)]
    found += [f.ChimeSettings(0).volume, f.ChimeSettings(0).led]
    return found


FIELDS = _settings_fields()
FIELDS_OF: dict[str, list[f.Field[Any]]] = {}
for _field in FIELDS:
    FIELDS_OF.setdefault(_field.source.command, []).append(_field)


json_leaf = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
)
json_value = st.recursive(
    json_leaf,
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=8,
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    paths = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            paths.extend(_paths(item, (*prefix, key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            paths.extend(_paths(item, (*prefix, index)))
    return paths


def _replace(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(value, dict):
        return {k: (_replace(v, rest, new) if k == head else v) for k, v in value.items()}
    return [(_replace(v, rest, new) if i == head else v) for i, v in enumerate(value)]


@st.composite
def mutated_body(draw: st.DrawFn, answer: Any) -> bytes:
    """The answer with a few subtrees replaced, then maybe damaged as bytes."""
    paths = _paths(answer)
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        path = draw(st.sampled_from(paths))
        answer = _replace(answer, path, draw(json_value))
        paths = _paths(answer)
    body = json.dumps(answer, ensure_ascii=draw(st.booleans())).encode("utf-8", "surrogatepass")
    return _damaged(draw, body)


def _damaged(draw: st.DrawFn, body: bytes) -> bytes:
    """The bytes as they are, or cut, or with a few bytes inserted, or one changed."""
    damage = draw(st.sampled_from(["none", "none", "cut", "insert", "flip"]))
    if damage == "none" or not body:
        return body
    at = draw(st.integers(min_value=0, max_value=len(body) - 1))
    if damage == "cut":
        return body[:at]
    if damage == "insert":
        return body[:at] + draw(st.binary(min_size=1, max_size=4)) + body[at:]
    return body[:at] + bytes([body[at] ^ draw(st.integers(1, 255))]) + body[at + 1 :]


def _transport() -> Transport:
    # decode() never touches the network: the session is not needed.
    return Transport(
        None,  # type: ignore[arg-type]
        "http://127.0.0.1:80",
        ssl_option=False,
        timeout=1,
        redactor=Redactor("secret"),
    )


def _assert_clean(value: Any) -> None:
    """Every string inside a parsed result is encodable, printable and bounded."""
    if isinstance(value, str):
        value.encode("utf-8")
        assert len(value) <= MAX_STRING
        assert not any(ord(ch) < 0x20 for ch in value)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            _assert_clean(key)
            _assert_clean(item)
    elif isinstance(value, list | tuple):
        for item in value:
            _assert_clean(item)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for item in dataclasses.fields(value):
            _assert_clean(getattr(value, item.name))


def _check_body(body: bytes, commands: list[Command]) -> None:
    try:
        answer = _transport().decode(body)
        results = parse_results(commands, answer)
    except ReolinkError:
        return
    for result in results:
        for typed in PARSERS.get(result.cmd, []) + TYPED[:: max(1, len(TYPED) // 4)]:
            parsed = parse_typed(typed, result)
            if isinstance(parsed, ReolinkCommandError):
                continue
            _assert_clean(parsed)
            if isinstance(parsed, Abilities):
                _exercise_abilities(parsed)
        _exercise_fields(result)
        onvif_port(result.value)
        _exercise_range(result.range)


def _exercise_fields(result: CommandResult) -> None:
    """A field read from any answer gives its type or None; ranges and lists likewise.

    The command's own fields, and a sample of the others for answers of other shapes.
    """
    for field in FIELDS_OF.get(result.cmd, []) + FIELDS[:: max(1, len(FIELDS) // 6)]:
        _assert_clean(field.read(result.value))
        field.options(result)
        field.bounds(result)
        field.is_boolean(result)
    for stream in (f.MAIN_STREAM, f.SUB_STREAM):
        _assert_clean(stream.sizes(result))
        stream.rates(result, stream.frame_rate)
        stream.rates(result, stream.bit_rate)


def _exercise_abilities(abilities: Abilities) -> None:
    for channel in (None, 0, 1):
        abilities.has_spotlight(channel)
        abilities.can_pan_tilt(channel)
        abilities.can_zoom(channel)
        for feature in Feature:
            abilities.supports(feature, channel)


def _exercise_range(data: Any) -> None:
    if not isinstance(data, Mapping):
        return
    for family in data.values():
        info = RangeInfo(family if isinstance(family, Mapping) else {})
        for path in ("id", "mainStream.bitRate", "0.x", "state", "enable"):
            info.options(path)
            info.min_max(path)
            info.is_boolean(path)


def _fuzz(path: Path) -> Callable[[], None]:
    answer = json.loads(path.read_bytes())
    commands = [Command(element.get("cmd", "X")) for element in answer]

    @FUZZ_SETTINGS
    @given(body=mutated_body(answer))
    def run(body: bytes) -> None:
        _check_body(body, commands)

    return run


@pytest.mark.parametrize("path", real_answers(), ids=lambda p: p.stem)
def test_mutated_real_answers_parse_or_fail_typed(path: Path) -> None:
    _fuzz(path)()


def test_the_fuzzer_reaches_every_field() -> None:
    """Every Source of the settings poll has fields under test."""
    sources = {value for value in vars(f).values() if isinstance(value, f.Source)}
    assert sources - {field.source for field in FIELDS} <= {
        f.DEVICE_INFO,
        f.CHANNEL_STATUS,
        f.CHANNEL_TYPE,
    }


# The download center: the fake center's answers for its first camera kind.
_CENTER = FakeCenter()
_PRODUCT = _CENTER.products[0]
CENTER_ENTRY = HardwareVersion(
    _PRODUCT.hardware_id, _PRODUCT.hardware, _PRODUCT.product_id, _PRODUCT.model
)
CENTER_DATA = {
    "selection": _CENTER.selection_data(),
    "firmware": _CENTER.firmware_data(str(_PRODUCT.product_id), str(_PRODUCT.hardware_id)),
}
# Small, so that fuzzed zips reach it.
ZIP_CAP = 4096
MEMBER_NAMES = st.sampled_from(
    [
        f"fw/{_CENTER.pak_name(_PRODUCT.releases[0], _PRODUCT)}",
        "fw/Firmware Upgrade Guide.pdf",
        "fw/a&b.pak",
        "caf\u00e9.PAKS",
        "../up.pak",
    ]
) | st.text(min_size=1, max_size=10).map(lambda name: name + ".pak")
COMPRESSIONS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA)


@st.composite
def firmware_zip(draw: st.DrawFn) -> bytes:
    """A zip of a few members (names, sizes and packing drawn), then maybe damaged."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as bundle:
        for name in draw(st.lists(MEMBER_NAMES, max_size=3, unique=True)):
            member = zipfile.ZipInfo(name)
            member.compress_type = draw(st.sampled_from(COMPRESSIONS))
            content = draw(st.binary(max_size=32)) * draw(st.integers(1, 512))
            bundle.writestr(member, content)
    body = buffer.getvalue()
    for _ in range(draw(st.integers(0, 3))):
        body = _damaged(draw, body)
    return body


def _check_center_answer(body: bytes) -> None:
    """Either list parses to valid entries, or the answer is a download-center error."""
    try:
        hardware = parse_hardware_versions(body)
        releases = parse_releases(body, CENTER_ENTRY)
    except ReolinkDownloadCenterError:
        return
    _assert_clean(hardware)
    _assert_clean(releases)
    for entry in hardware:
        assert 0 < entry.hardware_id < 2**31
        assert 0 < entry.product_id < 2**31
        assert entry.hardware
        assert entry.model
    for release in releases:
        assert FirmwareVersion.parse(release.version) is not None
        assert release.url.startswith(("https://", "http://"))
    find_hardware(hardware, CENTER_ENTRY.model, CENTER_ENTRY.hardware)
    newest(releases)


def _check_zip(body: bytes) -> None:
    """A `.pak` within the cap, with a usable name, or a download-center error."""
    with tempfile.TemporaryDirectory() as folder:
        archive = Path(folder) / "download.zip"
        archive.write_bytes(body)
        try:
            pak = extract_firmware(archive, Path(folder), ZIP_CAP)
        except ReolinkDownloadCenterError:
            return
        assert 0 < pak.size <= ZIP_CAP
        assert pak.path.stat().st_size == pak.size
        assert re.fullmatch(r"[A-Za-z0-9._+-]{1,128}", pak.name)


@pytest.mark.parametrize("kind", sorted(CENTER_DATA))
def test_mutated_download_center_answers_parse_or_fail_typed(kind: str) -> None:
    answer = {"result": {"code": 0}, "data": CENTER_DATA[kind]}

    @FUZZ_SETTINGS
    @given(body=mutated_body(answer))
    def run(body: bytes) -> None:
        _check_center_answer(body)

    run()


@FUZZ_SETTINGS
@given(body=firmware_zip())
def test_fuzzed_firmware_zips_unpack_or_fail_typed(body: bytes) -> None:
    _check_zip(body)


def test_the_center_answers_parse_unmutated() -> None:
    """The fuzzer starts from answers that parse: the camera's entry and its releases."""
    selection = json.dumps({"result": {"code": 0}, "data": CENTER_DATA["selection"]}).encode()
    firmware = json.dumps({"result": {"code": 0}, "data": CENTER_DATA["firmware"]}).encode()
    assert CENTER_ENTRY in parse_hardware_versions(selection)
    assert len(parse_releases(firmware, CENTER_ENTRY)) == len(_PRODUCT.releases)
