"""Config flow against the simulator: user, errors, DHCP, reauth, reconfigure, options."""

import asyncio
import logging
import socket
from datetime import timedelta
from typing import Any

import aiohttp
import pytest
from homeassistant.config_entries import (
    SOURCE_DHCP,
    SOURCE_RECONFIGURE,
    SOURCE_USER,
    ConfigEntryState,
)
from homeassistant.const import (
    CONF_HOST,
    CONF_PASSWORD,
    CONF_PORT,
    CONF_USERNAME,
    EVENT_HOMEASSISTANT_CLOSE,
)
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType, InvalidData
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.service_info.dhcp import DhcpServiceInfo
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.reolink_http.config_flow import is_bare_address
from custom_components.reolink_http.const import (
    CONF_CERT_FINGERPRINT,
    CONF_EVENT_INTERVAL,
    CONF_EVENT_SOURCE,
    CONF_PROTOCOL,
    CONF_SETTINGS_INTERVAL,
    CONF_STREAM,
    CONF_USE_HTTPS,
    DOMAIN,
)
from simulator import Simulator
from simulator.tls import forget_certificates

from .conftest import PASSWORD, add_device, user_input


def _device_mac(sim: Simulator) -> str:
    return str(sim.state["config"]["LocalLink"]["mac"]).lower()


async def _submit_user(hass: HomeAssistant, data: dict[str, Any]) -> dict[str, Any]:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    assert result["type"] is FlowResultType.FORM
    return dict(await hass.config_entries.flow.async_configure(result["flow_id"], data))


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_user_flow_creates_entry(hass: HomeAssistant, ipc: Simulator) -> None:
    """Logs in, titles the entry with the device name, keys it by MAC, pins the cert."""
    result = await _submit_user(hass, user_input(ipc))
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == ipc.state["device"]["name"]
    entry = result["result"]
    assert entry.unique_id == _device_mac(ipc)
    assert entry.data[CONF_CERT_FINGERPRINT] == ipc.fingerprint
    assert entry.data[CONF_USE_HTTPS] is True
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED


@pytest.mark.parametrize(
    "typed",
    ["{host}:{port}", "https://{host}", "{host}/", "{host} ", "cam era", "-camera", "", "a" * 254],
)
async def test_user_flow_refuses_what_is_not_an_address(
    hass: HomeAssistant, ipc: Simulator, typed: str
) -> None:
    """A port, scheme, path or space typed into the host field: a form error, nothing sent."""
    ipc.clear_log()
    host = typed.format(host=ipc.host, port=ipc.port)
    result = await _submit_user(hass, user_input(ipc, **{CONF_HOST: host}))
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_HOST: "invalid_host"}
    assert ipc.requests == []
    # The form keeps what was typed, to be corrected.
    fields = {str(key): key for key in result["data_schema"].schema}
    assert fields[CONF_HOST].description == {"suggested_value": host}


@pytest.mark.parametrize(
    "host", ["192.168.1.10", "fe80::1", "localhost", "camera.local.", "cam_01.lan", "a" * 63]
)
def test_addresses_and_names_are_taken(host: str) -> None:
    """IP addresses and host names pass (names cannot be resolved in this harness)."""
    assert is_bare_address(host)


async def test_user_flow_over_http(hass: HomeAssistant, ipc_http: Simulator) -> None:
    """HTTP works when the user asks for it; no fingerprint to pin then."""
    result = await _submit_user(hass, user_input(ipc_http))
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["result"].data[CONF_CERT_FINGERPRINT] is None
    await hass.async_block_till_done()


async def test_validation_logs_out(hass: HomeAssistant, ipc: Simulator) -> None:
    """The flow's own login does not keep one of the device's few session slots."""
    result = await _submit_user(hass, user_input(ipc, **{CONF_PASSWORD: "wrong"}))
    assert result["errors"] == {"base": "invalid_auth"}
    await _submit_user(hass, user_input(ipc))
    await hass.async_block_till_done()
    entry = hass.config_entries.async_entries(DOMAIN)[0]
    assert await hass.config_entries.async_unload(entry.entry_id)
    sessions = await _sessions(ipc)
    assert sessions == 0


async def test_refused_logout_after_validation_still_creates_the_entry(
    hass: HomeAssistant, ipc: Simulator, caplog: pytest.LogCaptureFixture
) -> None:
    """A device refusing Logout (-6, as firmware answers it) does not fail a good check.

    The check's session stays on the device until its lease ends; its token stays out
    of the log.
    """
    caplog.set_level(logging.DEBUG, logger="custom_components.reolink_http")
    ipc.set_fault(command_errors={"Logout": -6})
    result = await _submit_user(hass, user_input(ipc))
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert result["result"].state is ConfigEntryState.LOADED
    assert [r["commands"] for r in ipc.requests].count(["Logout"]) == 1
    check_session, _entry_session = ipc.sessions.live_sessions
    assert check_session.token not in caplog.text


async def _sessions(sim: Simulator) -> int:
    async with (
        aiohttp.ClientSession() as http,
        http.get(f"{sim.url}/sim/state", ssl=False) as response,
    ):
        return int((await response.json())["sessions"])


async def test_already_configured_updates_host(hass: HomeAssistant, ipc: Simulator) -> None:
    """Adding the same device again aborts and refreshes the stored address."""
    entry = await add_device(hass, ipc)
    hass.config_entries.async_update_entry(entry, data={**entry.data, CONF_PORT: 1})
    result = await _submit_user(hass, user_input(ipc))
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert entry.data[CONF_PORT] == ipc.port


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        ({"command_errors": {"Login": -105}}, "too_many_logins"),
        ({"command_errors": {"Login": -5}}, "session_limit"),
        ({"malformed_json": True}, "not_reolink"),
        ({"command_errors": {"GetDevInfo": -25}}, "unknown"),
    ],
)
async def test_user_flow_errors(
    hass: HomeAssistant, ipc: Simulator, fault: dict[str, Any], error: str
) -> None:
    """Each device answer becomes its own form error, and the form can be retried."""
    ipc.set_fault(**fault)
    result = await _submit_user(hass, user_input(ipc))
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": error}
    ipc.clear_faults()
    retry = await hass.config_entries.flow.async_configure(result["flow_id"], user_input(ipc))
    assert retry["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()


async def test_user_flow_wrong_password(hass: HomeAssistant, ipc: Simulator) -> None:
    """A refused password is invalid_auth."""
    result = await _submit_user(hass, user_input(ipc, **{CONF_PASSWORD: "nope"}))
    assert result["errors"] == {"base": "invalid_auth"}


async def test_user_flow_cannot_connect(hass: HomeAssistant) -> None:
    """Nothing listening is cannot_connect."""
    data = {
        CONF_HOST: "127.0.0.1",
        CONF_PORT: _closed_port(),
        CONF_USE_HTTPS: False,
        CONF_USERNAME: "admin",
        CONF_PASSWORD: PASSWORD,
    }
    result = await _submit_user(hass, data)
    assert result["errors"] == {"base": "cannot_connect"}


async def test_unexpected_error_is_unknown(
    hass: HomeAssistant, ipc: Simulator, caplog: pytest.LogCaptureFixture
) -> None:
    """An error no form message names is "unknown", logged without the password.

    Here the form is sent while Home Assistant closes down: its HTTP session is closed
    and aiohttp refuses the request with a RuntimeError, which is no device's doing.
    """
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    async_get_clientsession(hass, verify_ssl=False)  # the session devices are asked with
    hass.bus.async_fire(EVENT_HOMEASSISTANT_CLOSE)
    await hass.async_block_till_done()
    ipc.clear_log()
    result = await hass.config_entries.flow.async_configure(result["flow_id"], user_input(ipc))
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "unknown"}
    assert ipc.requests == []
    assert "Unexpected error while validating the device" in caplog.text
    assert PASSWORD not in caplog.text


async def test_too_many_logins_says_when(hass: HomeAssistant, ipc: Simulator) -> None:
    """The rate-limit error tells the user how long to wait."""
    ipc.set_fault(command_errors={"Login": -105})
    result = await _submit_user(hass, user_input(ipc))
    assert result["errors"] == {"base": "too_many_logins"}
    assert int(result["description_placeholders"]["retry_after"]) > 0


async def test_account_that_is_not_admin_is_refused(hass: HomeAssistant, ipc: Simulator) -> None:
    """GetUser's level of the account: a guest cannot change settings, the form says so."""
    ipc.device.add_user("viewer", "viewer-pass1", "guest")
    guest = user_input(ipc, **{CONF_USERNAME: "viewer", CONF_PASSWORD: "viewer-pass1"})
    result = await _submit_user(hass, guest)
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "not_admin"}
    assert result["description_placeholders"] == {"username": "viewer", "level": "guest"}
    retry = await hass.config_entries.flow.async_configure(result["flow_id"], user_input(ipc))
    assert retry["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()


async def test_unanswered_user_list_does_not_refuse(hass: HomeAssistant, ipc: Simulator) -> None:
    """Without GetUser's answer the level is unknown: the account is not refused for it."""
    ipc.device.add_user("viewer", "viewer-pass1", "guest")
    ipc.set_fault(command_errors={"GetUser": -9})
    guest = user_input(ipc, **{CONF_USERNAME: "viewer", CONF_PASSWORD: "viewer-pass1"})
    result = await _submit_user(hass, guest)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()


@pytest.mark.parametrize("command", ["GetDevInfo", "GetAbility", "GetLocalLink"])
async def test_firmware_without_a_needed_command_is_too_old(
    hass: HomeAssistant, ipc: Simulator, command: str
) -> None:
    """-9 for a command setup cannot do without: the firmware is named too old, with why."""
    ipc.set_fault(command_errors={command: -9})
    result = await _submit_user(hass, user_input(ipc))
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "firmware_too_old"}
    firmware = "unknown" if command == "GetDevInfo" else ipc.state["device"]["firmVer"]
    assert result["description_placeholders"] == {"command": command, "firmware": firmware}
    ipc.clear_faults()
    retry = await hass.config_entries.flow.async_configure(result["flow_id"], user_input(ipc))
    assert retry["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()


def _dhcp(sim: Simulator, ip: str = "127.0.0.1") -> DhcpServiceInfo:
    return DhcpServiceInfo(
        ip=ip, hostname="reolink-cam", macaddress=_device_mac(sim).replace(":", "")
    )


async def test_dhcp_discovery_new_device(hass: HomeAssistant, ipc_443: Simulator) -> None:
    """A discovered device asks only for credentials and uses the default HTTPS port."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_DHCP}, data=_dhcp(ipc_443, ip=ipc_443.host)
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "dhcp_confirm"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_USERNAME: "admin", CONF_PASSWORD: "wrong", CONF_USE_HTTPS: True}
    )
    assert result["errors"] == {"base": "invalid_auth"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_USERNAME: "admin", CONF_PASSWORD: PASSWORD, CONF_USE_HTTPS: True}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_HOST] == ipc_443.host
    assert result["result"].unique_id == _device_mac(ipc_443)
    await hass.async_block_till_done()


async def test_dhcp_other_device_at_address(hass: HomeAssistant, ipc_443: Simulator) -> None:
    """A DHCP MAC that is not the MAC of the device that answers aborts."""
    info = DhcpServiceInfo(ip=ipc_443.host, hostname="reolink", macaddress="ec71db000001")
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_DHCP}, data=info
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_USERNAME: "admin", CONF_PASSWORD: PASSWORD, CONF_USE_HTTPS: True}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "unique_id_mismatch"


async def test_dhcp_known_device_ip_changed(hass: HomeAssistant, ipc: Simulator) -> None:
    """A known device seen at a new address gets its entry updated silently."""
    entry = await add_device(hass, ipc)
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_DHCP}, data=_dhcp(ipc, ip="127.0.0.2")
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert entry.data[CONF_HOST] == "127.0.0.2"


async def test_reauth_after_password_change(hass: HomeAssistant, ipc: Simulator) -> None:
    """A refused password starts reauth; new credentials reload the entry."""
    entry = await add_device(hass, ipc)
    ipc.device.execute(
        "ModifyUser", 0, {"User": {"userName": "admin", "newPassword": "changed"}}, user="admin"
    )
    ipc.set_fault(expire_tokens=True)
    await entry.runtime_data.events.async_refresh()
    await hass.async_block_till_done()
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == ["reauth"]
    result = await hass.config_entries.flow.async_configure(
        flows[0]["flow_id"], {CONF_USERNAME: "admin", CONF_PASSWORD: "wrong-again"}
    )
    assert result["errors"] == {"base": "invalid_auth"}
    result = await hass.config_entries.flow.async_configure(
        flows[0]["flow_id"], {CONF_USERNAME: "admin", CONF_PASSWORD: "changed"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    await hass.async_block_till_done()
    assert entry.data[CONF_PASSWORD] == "changed"
    assert entry.state is ConfigEntryState.LOADED


async def test_reconfigure_moves_and_accepts_new_certificate(
    hass: HomeAssistant, ipc: Simulator
) -> None:
    """A changed certificate stops the entry with a repair; reconfigure accepts it."""
    entry = await add_device(hass, ipc)
    await hass.config_entries.async_unload(entry.entry_id)
    hass.config_entries.async_update_entry(
        entry, data={**entry.data, CONF_CERT_FINGERPRINT: "00" * 32}
    )
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.SETUP_ERROR
    registry = ir.async_get(hass)
    assert registry.async_get_issue(DOMAIN, f"certificate_changed_{entry.entry_id}")

    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_RECONFIGURE, "entry_id": entry.entry_id}
    )
    assert result["step_id"] == "reconfigure"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_HOST: ipc.host, CONF_PORT: ipc.port, CONF_USE_HTTPS: True}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()
    assert entry.data[CONF_CERT_FINGERPRINT] == ipc.fingerprint
    assert entry.state is ConfigEntryState.LOADED
    assert registry.async_get_issue(DOMAIN, f"certificate_changed_{entry.entry_id}") is None


async def test_reconfigure_other_device_refused(
    hass: HomeAssistant, ipc: Simulator, nvr: Simulator
) -> None:
    """Pointing an entry at a different device aborts without changing it."""
    entry = await add_device(hass, ipc)
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_RECONFIGURE, "entry_id": entry.entry_id}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_HOST: nvr.host, CONF_PORT: nvr.port, CONF_USE_HTTPS: True}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "unique_id_mismatch"
    assert entry.data[CONF_PORT] == ipc.port


async def test_options_flow_reloads_with_new_intervals(hass: HomeAssistant, ipc: Simulator) -> None:
    """Options change the poll intervals and stream; the entry reloads with them."""
    entry = await add_device(hass, ipc)
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["type"] is FlowResultType.FORM
    with pytest.raises(InvalidData):
        await hass.config_entries.options.async_configure(
            result["flow_id"],
            {
                CONF_EVENT_INTERVAL: 0.1,
                CONF_SETTINGS_INTERVAL: 60,
                CONF_STREAM: "sub",
                CONF_PROTOCOL: "flv",
            },
        )
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {
            CONF_EVENT_SOURCE: "polling",
            CONF_EVENT_INTERVAL: 2.5,
            CONF_SETTINGS_INTERVAL: 120,
            CONF_STREAM: "sub",
            CONF_PROTOCOL: "flv",
        },
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    events = entry.runtime_data.events
    assert events.update_interval is not None
    assert events.update_interval.total_seconds() == 2.5
    assert entry.runtime_data.settings.update_interval.total_seconds() == 120
    assert entry.options[CONF_EVENT_SOURCE] == "polling"


async def test_settings_poll_of_a_large_nvr_is_slower(
    hass: HomeAssistant, ipc: Simulator, nvr16: Simulator
) -> None:
    """Unless chosen, an NVR reads settings every 10 s per online camera (as core), at least 60 s.

    The options form offers the interval in effect.
    """
    camera = await add_device(hass, ipc)
    large = await add_device(hass, nvr16)
    # The profile's sixteenth channel is offline.
    assert len(large.runtime_data.device.online_channels()) == 15
    assert camera.runtime_data.settings.update_interval.total_seconds() == 60
    assert large.runtime_data.settings.update_interval.total_seconds() == 150
    result = await hass.config_entries.options.async_init(large.entry_id)
    defaults = {str(key): key.default() for key in result["data_schema"].schema}
    assert defaults[CONF_SETTINGS_INTERVAL] == 150


async def test_reconfigure_to_other_address_and_protocol(
    hass: HomeAssistant, ipc: Simulator, ipc_http: Simulator
) -> None:
    """The same camera reached elsewhere over HTTP: the entry follows it and reloads."""
    entry = await add_device(hass, ipc)
    assert _device_mac(ipc) == _device_mac(ipc_http)
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_RECONFIGURE, "entry_id": entry.entry_id}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {CONF_HOST: ipc_http.host, CONF_PORT: ipc_http.port, CONF_USE_HTTPS: False},
    )
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()
    assert entry.data[CONF_PORT] == ipc_http.port
    assert entry.data[CONF_USE_HTTPS] is False
    assert entry.data[CONF_CERT_FINGERPRINT] is None
    assert entry.state is ConfigEntryState.LOADED
    assert ipc_http.login_count == 2  # the flow's check, then the reloaded entry


async def test_reload_keeps_one_session(hass: HomeAssistant, ipc: Simulator) -> None:
    """Reloading logs the old session out before the new one logs in."""
    entry = await add_device(hass, ipc)
    assert await _sessions(ipc) == 1
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert await _sessions(ipc) == 1
    assert await hass.config_entries.async_unload(entry.entry_id)
    assert await _sessions(ipc) == 0


async def test_certificate_change_while_running_stops_the_entry(
    hass: HomeAssistant, ipc: Simulator
) -> None:
    """A device that comes back with another certificate is not talked to again."""
    entry = await add_device(hass, ipc)
    pinned = ipc.fingerprint
    forget_certificates()
    await ipc.reboot(0.1)
    await ipc.wait_online()
    assert ipc.fingerprint != pinned
    await entry.runtime_data.events.async_refresh()
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.SETUP_ERROR
    assert ir.async_get(hass).async_get_issue(DOMAIN, f"certificate_changed_{entry.entry_id}")
    requests = len(ipc.requests)
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=30))
    await hass.async_block_till_done()
    assert len(ipc.requests) == requests  # nothing polls an entry that stopped


def _default_of(result: dict[str, Any], key: str) -> Any:
    """The value a form field is pre-set to."""
    for marker in result["data_schema"].schema:
        if marker == key:
            return marker.default()
    raise KeyError(key)


@pytest.mark.parametrize(
    ("https", "tried", "working"), [(True, "HTTPS", "HTTP"), (False, "HTTP", "HTTPS")]
)
async def test_wrong_protocol_offers_the_working_one(
    hass: HomeAssistant, https: bool, tried: str, working: str
) -> None:
    """A device not answering the chosen protocol on its port is told apart from a new
    certificate; the form switches to the protocol that answered and a resubmit connects.
    """
    async with Simulator(profile="ipc", https=not https, password=PASSWORD) as sim:
        result = await _submit_user(hass, user_input(sim, **{CONF_USE_HTTPS: https}))
        assert result["type"] is FlowResultType.FORM
        assert result["errors"] == {"base": "protocol_mismatch"}
        assert result["description_placeholders"]["tried"] == tried
        assert result["description_placeholders"]["working"] == working
        assert _default_of(result, CONF_USE_HTTPS) is not https
        retry = await hass.config_entries.flow.async_configure(
            result["flow_id"], user_input(sim, **{CONF_USE_HTTPS: not https})
        )
        assert retry["type"] is FlowResultType.CREATE_ENTRY
        await hass.async_block_till_done()
        assert await hass.config_entries.async_unload(retry["result"].entry_id)


async def test_tls_failure_is_not_a_certificate_change(hass: HomeAssistant) -> None:
    """A port that breaks the TLS handshake and is no Reolink device over HTTP either."""

    async def reject(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read(1)
        writer.write(b"\x15\x03\x01\x00\x02\x02\x28")  # TLS alert: handshake failure
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(reject, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        data = {
            CONF_HOST: "127.0.0.1",
            CONF_PORT: port,
            CONF_USE_HTTPS: True,
            CONF_USERNAME: "admin",
            CONF_PASSWORD: PASSWORD,
        }
        result = await _submit_user(hass, data)
    finally:
        server.close()
        await server.wait_closed()
    assert result["errors"]["base"] in {"tls_failed", "cannot_connect"}
    assert result["errors"]["base"] != "certificate_changed"


async def test_lockout_has_its_own_message(hass: HomeAssistant) -> None:
    """After the device locks logins, the right password shows the lock and the wait."""
    async with Simulator(
        profile="ipc", https=True, password=PASSWORD, lockout_failures=2, login_rate_limit=20
    ) as sim:
        for _ in range(2):
            wrong = await _submit_user(hass, user_input(sim, **{CONF_PASSWORD: "nope"}))
            assert wrong["errors"] == {"base": "invalid_auth"}
        result = await _submit_user(hass, user_input(sim))
    assert result["errors"] == {"base": "login_locked"}
    assert int(result["description_placeholders"]["retry_after"]) > 0


async def test_reconfigure_to_an_unreachable_device_keeps_the_entry(
    hass: HomeAssistant, ipc: Simulator
) -> None:
    """A port nobody answers on, then the default port: the form asks again, nothing changes."""
    entry = await add_device(hass, ipc)
    before = dict(entry.data)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_RECONFIGURE, "entry_id": entry.entry_id}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_HOST: "127.0.0.1", CONF_PORT: closed, CONF_USE_HTTPS: True}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "cannot_connect"}
    # Without a port the default one (443) is tried; the entry's port is not kept.
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_HOST: "127.0.0.1", CONF_USE_HTTPS: True}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"]["base"]
    assert dict(entry.data) == before
