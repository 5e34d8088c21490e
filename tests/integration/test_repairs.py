"""Repairs through Home Assistant: closed ONVIF/RTSP ports (fixed from the repair), new firmware."""

from http import HTTPStatus
from typing import Any

import pytest
from homeassistant.core import HomeAssistant
from homeassistant.helpers import issue_registry as ir
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.reolink_http.const import (
    CONF_EVENT_SOURCE,
    CONF_PROTOCOL,
    DOMAIN,
    EVENT_SOURCE_POLLING,
)
from custom_components.reolink_http.repairs import firmware_issue_id, port_issue_id
from simulator import Simulator

from .conftest import add_device
from .helpers import entity_id_of, sent
from .test_update import check_now

SWITCHES = {"onvif": "onvifEnable", "rtsp": "rtspEnable"}


def close_port(sim: Simulator, service: str) -> None:
    """Switch the service off on the device, as in its Server settings."""
    sim.patch_state({"config": {"NetPort": {SWITCHES[service]: 0}}})


async def fix(hass: HomeAssistant, hass_client: ClientSessionGenerator, issue_id: str) -> Any:
    """Open the repair's fix flow and confirm it, as the frontend does."""
    assert await async_setup_component(hass, "repairs", {})
    client = await hass_client()
    started = await client.post(
        "/api/repairs/issues/fix", json={"handler": DOMAIN, "issue_id": issue_id}
    )
    assert started.status == HTTPStatus.OK
    flow = await started.json()
    assert flow["step_id"] == "confirm"
    confirmed = await client.post(f"/api/repairs/issues/fix/{flow['flow_id']}", json={})
    assert confirmed.status == HTTPStatus.OK
    result = await confirmed.json()
    await hass.async_block_till_done()
    return result


@pytest.mark.parametrize("service", ["onvif", "rtsp"])
async def test_closed_port_is_opened_from_the_repair(
    hass: HomeAssistant, hass_client: ClientSessionGenerator, ipc: Simulator, service: str
) -> None:
    """A closed port the entry uses is a fixable repair; its fix opens it and reloads."""
    close_port(ipc, service)
    entry = await add_device(hass, ipc)
    issue_id = port_issue_id(entry.entry_id, service)
    issue = ir.async_get(hass).async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.is_fixable
    assert issue.translation_key == f"{service}_port_closed"
    assert issue.translation_placeholders == {"title": entry.title}

    ipc.clear_log()
    result = await fix(hass, hass_client, issue_id)
    assert result["type"] == "create_entry"
    assert sent(ipc, "SetNetPort") == 1
    net_port = ipc.state["config"]["NetPort"]
    assert net_port[SWITCHES[service]] == 1
    # Only that service changed.
    other = next(key for name, key in SWITCHES.items() if name != service)
    assert net_port[other] == 1
    assert net_port["httpsPort"] == 443
    # Reloaded with the port open: the issue is gone and stays gone.
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is None
    assert sent(ipc, "GetNetPort") >= 2  # the fix's read-modify-write and the reload's read


async def test_open_ports_raise_no_repair(hass: HomeAssistant, ipc: Simulator) -> None:
    """Both ports open: no issue."""
    entry = await add_device(hass, ipc)
    for service in SWITCHES:
        issue_id = port_issue_id(entry.entry_id, service)
        assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is None


async def test_unused_service_raises_no_repair(hass: HomeAssistant, ipc: Simulator) -> None:
    """A port the options do not use (polling, RTMP streams) is no repair; using it again is."""
    close_port(ipc, "onvif")
    close_port(ipc, "rtsp")
    entry = await add_device(hass, ipc)
    registry = ir.async_get(hass)
    assert registry.async_get_issue(DOMAIN, port_issue_id(entry.entry_id, "onvif"))
    hass.config_entries.async_update_entry(
        entry,
        options={**entry.options, CONF_EVENT_SOURCE: EVENT_SOURCE_POLLING, CONF_PROTOCOL: "rtmp"},
    )
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    for service in SWITCHES:
        assert registry.async_get_issue(DOMAIN, port_issue_id(entry.entry_id, service)) is None


async def test_refused_open_shows_the_device_error(
    hass: HomeAssistant, hass_client: ClientSessionGenerator, ipc: Simulator
) -> None:
    """The device refusing SetNetPort keeps the form open with its error; the issue stays."""
    close_port(ipc, "onvif")
    entry = await add_device(hass, ipc)
    issue_id = port_issue_id(entry.entry_id, "onvif")
    ipc.set_fault(command_errors={"SetNetPort": -4})
    result = await fix(hass, hass_client, issue_id)
    assert result["type"] == "form"
    assert result["errors"] == {"base": "open_failed"}
    assert ipc.state["config"]["NetPort"]["onvifEnable"] == 0
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is not None


async def test_removed_entry_takes_its_repairs(hass: HomeAssistant, ipc: Simulator) -> None:
    """Removing the entry removes its issues."""
    close_port(ipc, "onvif")
    entry = await add_device(hass, ipc)
    issue_id = port_issue_id(entry.entry_id, "onvif")
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is not None
    assert await hass.config_entries.async_remove(entry.entry_id)
    await hass.async_block_till_done()
    assert ir.async_get(hass).async_get_issue(DOMAIN, issue_id) is None


async def test_new_firmware_is_a_repair_until_installed(
    hass: HomeAssistant, ipc: Simulator
) -> None:
    """CheckFirmware finding a newer version raises the issue; up to date again clears it."""
    ipc.device.upgrade["seconds"] = 0.5
    entry = await add_device(hass, ipc)
    firmware = entity_id_of(hass, f"{entry.unique_id}_firmware", "update")
    registry = ir.async_get(hass)
    await check_now(hass, firmware)
    assert registry.async_get_issue(DOMAIN, firmware_issue_id(entry.entry_id)) is None

    ipc.patch_state({"firmware": {"new_version_available": True}})
    await check_now(hass, firmware)
    issue = registry.async_get_issue(DOMAIN, firmware_issue_id(entry.entry_id))
    assert issue is not None
    assert not issue.is_fixable
    assert issue.translation_key == "new_firmware"
    assert issue.translation_placeholders == {"title": entry.title, "entity_id": firmware}

    await hass.services.async_call("update", "install", {"entity_id": firmware}, blocking=True)
    assert registry.async_get_issue(DOMAIN, firmware_issue_id(entry.entry_id)) is None
