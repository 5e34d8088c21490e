"""Repairs: a service port the integration needs is closed on the device, new firmware is out.

A closed ONVIF or RTSP port (GetNetPort) can be opened from the repair (SetNetPort); the
entry then reloads to use it. New firmware is installed with the firmware update entity.
"""

from typing import TYPE_CHECKING, Any

import probatio as vol
from homeassistant.components.repairs import RepairsFlow, RepairsFlowResult
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir

from .api import ReolinkError
from .api.fields import open_port
from .api.models import PORT_SWITCHES
from .const import (
    CONF_EVENT_SOURCE,
    CONF_PROTOCOL,
    DEFAULT_EVENT_SOURCE,
    DEFAULT_PROTOCOL,
    DOMAIN,
    EVENT_SOURCE_POLLING,
)

if TYPE_CHECKING:
    from . import ReolinkConfigEntry
    from .device import ReolinkDevice

ISSUE_PORT_CLOSED = "port_closed"
ISSUE_NEW_FIRMWARE = "new_firmware"


def port_issue_id(entry_id: str, service: str) -> str:
    """The issue of one closed service port of one entry."""
    return f"{ISSUE_PORT_CLOSED}_{service}_{entry_id}"


def firmware_issue_id(entry_id: str) -> str:
    """The issue telling one entry's device has newer firmware."""
    return f"{ISSUE_NEW_FIRMWARE}_{entry_id}"


def _uses(entry: ReolinkConfigEntry, service: str) -> bool:
    """Whether the entry's options make use of the service ("onvif" events, "rtsp" streams)."""
    if service == "onvif":
        return bool(
            entry.options.get(CONF_EVENT_SOURCE, DEFAULT_EVENT_SOURCE) != EVENT_SOURCE_POLLING
        )
    return bool(entry.options.get(CONF_PROTOCOL, DEFAULT_PROTOCOL) == service)


@callback
def sync_port_issues(hass: HomeAssistant, entry: ReolinkConfigEntry, device: ReolinkDevice) -> None:
    """One fixable issue per service the entry uses whose port the device has closed."""
    for service in PORT_SWITCHES:
        issue_id = port_issue_id(entry.entry_id, service)
        if service not in device.closed_ports or not _uses(entry, service):
            ir.async_delete_issue(hass, DOMAIN, issue_id)
            continue
        ir.async_create_issue(
            hass,
            DOMAIN,
            issue_id,
            is_fixable=True,
            severity=ir.IssueSeverity.WARNING,
            translation_key=f"{service}_port_closed",
            translation_placeholders={"title": entry.title},
            data={"entry_id": entry.entry_id, "service": service},
        )


@callback
def sync_firmware_issue(
    hass: HomeAssistant, entry: ReolinkConfigEntry, new_firmware: bool, entity_id: str
) -> None:
    """An issue while the device's firmware check (CheckFirmware) reports a newer version."""
    issue_id = firmware_issue_id(entry.entry_id)
    if not new_firmware:
        ir.async_delete_issue(hass, DOMAIN, issue_id)
        return
    ir.async_create_issue(
        hass,
        DOMAIN,
        issue_id,
        is_fixable=False,
        severity=ir.IssueSeverity.WARNING,
        translation_key=ISSUE_NEW_FIRMWARE,
        translation_placeholders={"title": entry.title, "entity_id": entity_id},
    )


@callback
def delete_issues(hass: HomeAssistant, entry_id: str) -> None:
    """Forget the issues of an entry that is removed."""
    for service in PORT_SWITCHES:
        ir.async_delete_issue(hass, DOMAIN, port_issue_id(entry_id, service))
    ir.async_delete_issue(hass, DOMAIN, firmware_issue_id(entry_id))


class OpenPortFlow(RepairsFlow):
    """Confirm, switch the service on with SetNetPort, reload the entry to use it."""

    def __init__(self, entry_id: str, service: str) -> None:
        """The entry whose device has the port closed, and which service."""
        self._entry_id = entry_id
        self._service = service

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> RepairsFlowResult:
        """Straight to the confirmation."""
        return await self.async_step_confirm()

    async def async_step_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> RepairsFlowResult:
        """Open the port once the user confirms; a refusal shows the device's error."""
        entry: ReolinkConfigEntry | None = self.hass.config_entries.async_get_entry(self._entry_id)
        if entry is None or entry.state is not ConfigEntryState.LOADED:
            return self.async_abort(reason="not_loaded")
        errors: dict[str, str] = {}
        placeholders = {"title": entry.title}
        if user_input is not None:
            try:
                await open_port(entry.runtime_data.client, self._service)
            except ReolinkError as err:
                errors["base"] = "open_failed"
                placeholders["error"] = str(err)
            else:
                self.hass.config_entries.async_schedule_reload(entry.entry_id)
                return self.async_create_entry(data={})
        return self.async_show_form(
            step_id="confirm",
            data_schema=vol.Schema({}),
            errors=errors,
            description_placeholders=placeholders,
        )


async def async_create_fix_flow(
    hass: HomeAssistant, issue_id: str, data: dict[str, str | int | float | None] | None
) -> RepairsFlow:
    """The fix of a closed port issue (the only fixable issue)."""
    assert data is not None
    return OpenPortFlow(str(data["entry_id"]), str(data["service"]))
