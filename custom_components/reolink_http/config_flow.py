"""Config flow: user, DHCP discovery, re-authentication and reconfiguration; options elsewhere."""

import logging
import re
from collections.abc import Mapping
from ipaddress import ip_address
from typing import Any

import probatio as vol
from homeassistant.config_entries import (
    ConfigEntry,
    ConfigFlow,
    ConfigFlowResult,
)
from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_PORT, CONF_USERNAME
from homeassistant.core import callback
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers import selector
from homeassistant.helpers.device_registry import format_mac
from homeassistant.helpers.service_info.dhcp import DhcpServiceInfo

from .connection_check import (
    NO_ANSWER_ERRORS,
    CannotValidate,
    other_protocol_answers,
    protocol_names,
    validate_device,
)
from .const import CONF_CERT_FINGERPRINT, CONF_USE_HTTPS, DEFAULT_USERNAME, DOMAIN
from .device import ReolinkDevice
from .options_flow import ReolinkOptionsFlow

_LOGGER = logging.getLogger(__name__)

CREDENTIALS_FIELDS: dict[vol.Marker, object] = {
    vol.Required(CONF_USERNAME, default=DEFAULT_USERNAME): str,
    vol.Required(CONF_PASSWORD): selector.TextSelector(
        selector.TextSelectorConfig(type=selector.TextSelectorType.PASSWORD)
    ),
}


def connection_schema(defaults: Mapping[str, Any]) -> vol.Schema:
    """Host, port and protocol, pre-filled from `defaults`."""
    port_default = {"suggested_value": defaults.get(CONF_PORT)}
    return vol.Schema(
        {
            vol.Required(CONF_HOST, default=defaults.get(CONF_HOST, vol.UNDEFINED)): str,
            vol.Optional(CONF_PORT, description=port_default): cv.port,
            vol.Required(CONF_USE_HTTPS, default=defaults.get(CONF_USE_HTTPS, True)): bool,
        }
    )


class ReolinkConfigFlow(ConfigFlow, domain=DOMAIN):
    """Add a Reolink camera or NVR."""

    VERSION = 1

    def __init__(self) -> None:
        """Start with no discovered host."""
        self._discovered_host: str | None = None

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: ConfigEntry) -> ReolinkOptionsFlow:
        """Polling intervals and the camera stream."""
        return ReolinkOptionsFlow()

    async def _try(
        self,
        data: Mapping[str, Any],
        errors: dict[str, str],
        placeholders: dict[str, str],
        fingerprint: str | None = None,
    ) -> tuple[ReolinkDevice, str | None] | None:
        if not is_bare_address(data[CONF_HOST]):
            errors[CONF_HOST] = "invalid_host"
            return None
        try:
            return await validate_device(self.hass, data, fingerprint)
        except CannotValidate as err:
            errors["base"] = err.error
            placeholders.update(err.placeholders)
            if err.error in NO_ANSWER_ERRORS and await other_protocol_answers(self.hass, data):
                errors["base"] = "protocol_mismatch"
                placeholders.update(protocol_names(data))
        except Exception:
            _LOGGER.exception("Unexpected error while validating the device")
            errors["base"] = "unknown"
        return None

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Ask for address and credentials."""
        errors: dict[str, str] = {}
        placeholders: dict[str, str] = {}
        if user_input is not None:
            found = await self._try(user_input, errors, placeholders)
            if found is not None:
                return await self._create_or_update(user_input, *found)
            offer_working_protocol(user_input, errors)
        schema = connection_schema(user_input or {}).extend(CREDENTIALS_FIELDS)
        return self.async_show_form(
            step_id="user",
            data_schema=self.add_suggested_values_to_schema(schema, user_input or {}),
            errors=errors,
            description_placeholders=placeholders,
        )

    async def _create_or_update(
        self, data: Mapping[str, Any], device: ReolinkDevice, fingerprint: str | None
    ) -> ConfigFlowResult:
        await self.async_set_unique_id(device.mac, raise_on_progress=False)
        entry_data = _entry_data(data, fingerprint)
        self._abort_if_unique_id_configured(
            updates={key: entry_data[key] for key in (CONF_HOST, CONF_PORT, CONF_USE_HTTPS)}
        )
        return self.async_create_entry(title=device.info.name, data=entry_data)

    async def async_step_dhcp(self, discovery_info: DhcpServiceInfo) -> ConfigFlowResult:
        """A device appeared on the network; a known one that moved is updated silently."""
        await self.async_set_unique_id(format_mac(discovery_info.macaddress))
        self._abort_if_unique_id_configured(updates={CONF_HOST: discovery_info.ip})
        self._discovered_host = discovery_info.ip
        self.context["title_placeholders"] = {"name": discovery_info.hostname or discovery_info.ip}
        return await self.async_step_dhcp_confirm()

    async def async_step_dhcp_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Only credentials are needed for a discovered device."""
        errors: dict[str, str] = {}
        placeholders: dict[str, str] = {"host": self._discovered_host or ""}
        if user_input is not None:
            data = {**user_input, CONF_HOST: self._discovered_host}
            found = await self._try(data, errors, placeholders)
            if found is not None:
                device, fingerprint = found
                if device.mac != self.unique_id:
                    return self.async_abort(reason="unique_id_mismatch")
                return await self._create_or_update(data, device, fingerprint)
            offer_working_protocol(user_input, errors)
        use_https = (user_input or {}).get(CONF_USE_HTTPS, True)
        schema = vol.Schema(CREDENTIALS_FIELDS).extend(
            {vol.Required(CONF_USE_HTTPS, default=use_https): bool}
        )
        return self.async_show_form(
            step_id="dhcp_confirm",
            data_schema=schema,
            errors=errors,
            description_placeholders=placeholders,
        )

    async def async_step_reauth(self, entry_data: Mapping[str, Any]) -> ConfigFlowResult:
        """The stored password stopped working."""
        return await self.async_step_reauth_confirm()

    async def async_step_reauth_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the new credentials and reload the entry with them."""
        entry = self._get_reauth_entry()
        errors: dict[str, str] = {}
        placeholders: dict[str, str] = {"name": entry.title}
        if user_input is not None:
            data = {**entry.data, **user_input}
            found = await self._try(
                data, errors, placeholders, entry.data.get(CONF_CERT_FINGERPRINT)
            )
            if found is not None:
                await self.async_set_unique_id(found[0].mac)
                self._abort_if_unique_id_mismatch(reason="unique_id_mismatch")
                return self.async_update_reload_and_abort(entry, data_updates=user_input)
        defaults = {CONF_USERNAME: entry.data[CONF_USERNAME]}
        return self.async_show_form(
            step_id="reauth_confirm",
            data_schema=self.add_suggested_values_to_schema(
                vol.Schema(CREDENTIALS_FIELDS), user_input or defaults
            ),
            errors=errors,
            description_placeholders=placeholders,
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change host, port or protocol; also accepts a new certificate."""
        entry = self._get_reconfigure_entry()
        errors: dict[str, str] = {}
        placeholders: dict[str, str] = {}
        if user_input is not None:
            data = {**entry.data, **user_input}
            if CONF_PORT not in user_input:
                data.pop(CONF_PORT, None)
            found = await self._try(data, errors, placeholders)
            if found is not None:
                device, fingerprint = found
                await self.async_set_unique_id(device.mac)
                self._abort_if_unique_id_mismatch(reason="unique_id_mismatch")
                return self.async_update_reload_and_abort(
                    entry, data=_entry_data(data, fingerprint)
                )
            offer_working_protocol(user_input, errors)
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=connection_schema(user_input or entry.data),
            errors=errors,
            description_placeholders=placeholders,
        )


# A DNS name: labels of letters, digits, hyphens (and underscores, seen in local names).
_HOST_NAME = re.compile(r"(?!-)[A-Za-z0-9_-]{1,63}(?<!-)(\.(?!-)[A-Za-z0-9_-]{1,63}(?<!-))*\.?")


def is_bare_address(host: str) -> bool:
    """An IP address or a host name, without the scheme, port or path a user may type in."""
    try:
        ip_address(host)
    except ValueError:
        return len(host) <= 253 and _HOST_NAME.fullmatch(host) is not None
    return True


def offer_working_protocol(user_input: dict[str, Any], errors: Mapping[str, str]) -> None:
    """Pre-set the form to the protocol that answered, so a second submit connects."""
    if errors.get("base") == "protocol_mismatch":
        user_input[CONF_USE_HTTPS] = not user_input.get(CONF_USE_HTTPS, True)


def _entry_data(data: Mapping[str, Any], fingerprint: str | None) -> dict[str, Any]:
    return {
        CONF_HOST: data[CONF_HOST],
        CONF_PORT: data.get(CONF_PORT),
        CONF_USE_HTTPS: data.get(CONF_USE_HTTPS, True),
        CONF_USERNAME: data[CONF_USERNAME],
        CONF_PASSWORD: data[CONF_PASSWORD],
        CONF_CERT_FINGERPRINT: fingerprint,
    }
