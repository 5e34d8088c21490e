"""Checks that need no device: package hygiene, request shapes, URLs, envelope parsing."""

import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

from custom_components.reolink_http import api
from custom_components.reolink_http.api import (
    Command,
    RangeInfo,
    ReolinkClient,
    ReolinkDeviceOfflineError,
    ReolinkInvalidChannelError,
    ReolinkNotSupportedError,
    ReolinkParamError,
    ReolinkResponseError,
    ReolinkTokenError,
    commands,
)
from custom_components.reolink_http.api.protocol import parse_results
from custom_components.reolink_http.api.transport import Redactor, normalize_fingerprint

REPO = Path(__file__).resolve().parents[2]


def test_api_package_imports_no_home_assistant() -> None:
    """Import every module of the api package with the integration's __init__ stubbed out.

    The integration package itself imports Home Assistant; the client must not need it.
    """
    modules = [
        f"custom_components.reolink_http.api.{m.name}" for m in pkgutil.iter_modules(api.__path__)
    ]
    assert len(modules) >= 8
    integration_dir = REPO / "custom_components" / "reolink_http"
    code = (
        "import importlib, sys, types\n"
        "parent = types.ModuleType('custom_components.reolink_http')\n"
        f"parent.__path__ = [{str(integration_dir)!r}]\n"
        "sys.modules['custom_components.reolink_http'] = parent\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'homeassistant'))\n"
        "print(len([m for m in sys.modules if m.startswith(parent.__name__ + '.api')]))\n"
    )
    done = subprocess.run(  # noqa: S603 - runs this interpreter on a fixed snippet
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    imported_ha, api_module_count = done.stdout.split("\n")[:2]
    assert imported_ha == "[]"
    assert int(api_module_count) == len(modules) + 1


def test_builders_produce_guide_request_shapes() -> None:
    assert commands.ptz_ctrl(0, "ToPos", speed=32, preset_id=1).command.to_json() == {
        "cmd": "PtzCtrl",
        "action": 0,
        "param": {"channel": 0, "op": "ToPos", "speed": 32, "id": 1},
    }
    assert commands.get_ptz_preset(1).with_range().command.to_json() == {
        "cmd": "GetPtzPreset",
        "action": 1,
        "param": {"channel": 1},
    }
    assert commands.set_white_led(2, {"state": 1}).command.param == {
        "WhiteLed": {"state": 1, "channel": 2}
    }
    assert commands.get_dev_info().command.to_json() == {"cmd": "GetDevInfo", "action": 0}
    login = commands.login("admin", "secret").command.param
    assert login == {"User": {"Version": "0", "userName": "admin", "password": "secret"}}


def test_snap_query_changes_cache_buster() -> None:
    first, second = commands.snap_query(0), commands.snap_query(0, width=640, height=360)
    assert first["rs"] != second["rs"]
    assert (second["width"], second["height"]) == ("640", "360")


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        (-9, ReolinkNotSupportedError),
        (-4, ReolinkParamError),
        (-1, ReolinkParamError),
        (-23, ReolinkParamError),
        (-49, ReolinkInvalidChannelError),
        (-99, ReolinkDeviceOfflineError),
        (-21, ReolinkTokenError),
    ],
)
def test_error_envelope_maps_to_typed_error(code: int, kind: type[Exception]) -> None:
    sent = [Command("GetMdState", {"channel": 0}), Command("GetIsp", {"channel": 0})]
    answer = [
        {"cmd": "GetMdState", "code": 0, "value": {"state": 1}},
        {"cmd": "GetIsp", "code": 1, "error": {"rspCode": code, "detail": "x"}},
    ]
    ok, failed = parse_results(sent, answer)
    assert ok.ok
    assert ok.value == {"state": 1}
    assert isinstance(failed.error, kind)
    assert failed.error.code == code
    with pytest.raises(kind):
        failed.unwrap()


def test_single_error_answer_applies_to_whole_batch() -> None:
    sent = [Command("GetMdState"), Command("GetAiState"), Command("GetIsp")]
    answer = [{"cmd": "GetMdState", "code": 1, "error": {"rspCode": -6, "detail": "login"}}]
    results = parse_results(sent, answer)
    assert [r.cmd for r in results] == ["GetMdState", "GetAiState", "GetIsp"]
    assert all(isinstance(r.error, ReolinkTokenError) for r in results)


@pytest.mark.parametrize("answer", [{"not": "a list"}, [1, 2], [{"cmd": "a"}, {"cmd": "b"}, {}]])
def test_wrongly_shaped_answers_raise_response_error(answer: object) -> None:
    with pytest.raises(ReolinkResponseError):
        parse_results([Command("GetMdState"), Command("GetAiState")], answer)


def test_range_info_reads_options_bounds_and_lists() -> None:
    info = RangeInfo(
        {
            "state": ["Auto", "On", "Off"],
            "bright": {"min": 0, "max": 100},
            "enable": "boolean",
            "mainStream": [{"bitRate": [1024, 2048]}, {"bitRate": [512]}],
        }
    )
    assert info.options("state") == ["Auto", "On", "Off"]
    assert info.min_max("bright") == (0, 100)
    assert info.min_max("state") is None
    assert info.is_boolean("enable")
    assert not info.is_boolean("bright")
    assert info.options("mainStream.bitRate") == [1024, 2048]
    assert info.options("mainStream.1.bitRate") == [512]


def test_redactor_hides_tokens_and_password() -> None:
    redact = Redactor("hunter22")
    text = redact("GET /api.cgi?cmd=Snap&token=abc123&user=admin&password=hunter22 said hunter22")
    assert "abc123" not in text
    assert "hunter22" not in text
    assert "token=***" in text
    assert "cmd=Snap" in text


def test_fingerprint_normalisation() -> None:
    digest = "AB:" * 31 + "CD"
    assert normalize_fingerprint(digest) == "ab" * 31 + "cd"
    with pytest.raises(ValueError, match="SHA-256"):
        normalize_fingerprint("abcd")


def test_client_repr_has_no_secret() -> None:
    client = ReolinkClient("10.0.0.2", "admin", "s3cr3t!", session=None)  # type: ignore[arg-type]
    assert "s3cr3t" not in repr(client)
    assert "s3cr3t" not in repr(client.__dict__.get("_auth"))
