"""Config flow: user, DHCP discovery, re-authentication, reconfiguration and options."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import voluptuous as vol
from homeassistant.config_entries import (
    ConfigEntry,
    ConfigFlow,
    ConfigFlowResult,
    OptionsFlowWithReload,
)
from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_PORT, CONF_USERNAME
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers import selector
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.device_registry import format_mac
from homeassistant.helpers.service_info.dhcp import DhcpServiceInfo

from .api import (
    ReolinkAuthError,
    ReolinkBackoffError,
    ReolinkCertificateError,
    ReolinkClient,
    ReolinkConnectionError,
    ReolinkError,
    ReolinkLoginLockedError,
    ReolinkRateLimitError,
    ReolinkResponseError,
    ReolinkSessionLimitError,
    ReolinkTlsError,
)
from .const import (
    BATCH_SIZE,
    CONF_CERT_FINGERPRINT,
    CONF_EVENT_INTERVAL,
    CONF_EVENT_SOURCE,
    CONF_PROTOCOL,
    CONF_SETTINGS_INTERVAL,
    CONF_STREAM,
    CONF_USE_HTTPS,
    DEFAULT_EVENT_INTERVAL,
    DEFAULT_EVENT_SOURCE,
    DEFAULT_PROTOCOL,
    DEFAULT_SETTINGS_INTERVAL,
    DEFAULT_STREAM,
    DEFAULT_USERNAME,
    DOMAIN,
    EVENT_SOURCES,
    MAX_EVENT_INTERVAL,
    MAX_SETTINGS_INTERVAL,
    MIN_EVENT_INTERVAL,
    MIN_SETTINGS_INTERVAL,
    PROTOCOLS,
    STREAMS,
)
from .device import ReolinkDevice, read_device

_LOGGER = logging.getLogger(__name__)

CREDENTIALS_FIELDS: dict[vol.Marker, object] = {
    vol.Required(CONF_USERNAME, default=DEFAULT_USERNAME): str,
    vol.Required(CONF_PASSWORD): selector.TextSelector(
        selector.TextSelectorConfig(type=selector.TextSelectorType.PASSWORD)
    ),
}


class CannotValidate(Exception):
    """Validation failed; `error` is the form's error key."""

    def __init__(self, error: str, placeholders: dict[str, str] | None = None) -> None:
        """Keep the translation key and its placeholders."""
        super().__init__(error)
        self.error = error
        self.placeholders = placeholders or {}


async def validate_device(
    hass: HomeAssistant, data: Mapping[str, Any], fingerprint: str | None = None
) -> tuple[ReolinkDevice, str | None]:
    """Log in, read the device, log out; return it and the certificate fingerprint seen."""
    client = ReolinkClient(
        data[CONF_HOST],
        data[CONF_USERNAME],
        data[CONF_PASSWORD],
        session=async_get_clientsession(hass, verify_ssl=False),
        port=data.get(CONF_PORT),
        use_https=data.get(CONF_USE_HTTPS, True),
        cert_fingerprint=fingerprint,
        chunk_size=BATCH_SIZE,
    )
    try:
        device = await read_device(client)
    except ReolinkError as err:
        raise _form_error(err) from err
    else:
        return device, client.peer_fingerprint
    finally:
        await _close_quietly(client)


async def other_protocol_answers(hass: HomeAssistant, data: Mapping[str, Any]) -> bool:
    """Whether the device answers over the protocol the user did not choose.

    Any answer counts, a refused password too: the device is there, only the
    protocol (or the port's default) was wrong.
    """
    other = {**data, CONF_USE_HTTPS: not data.get(CONF_USE_HTTPS, True)}
    try:
        await validate_device(hass, other)
    except CannotValidate as err:
        return err.error not in NO_ANSWER_ERRORS
    return True


async def _close_quietly(client: ReolinkClient) -> None:
    try:
        await client.close()
    except ReolinkError as err:
        _LOGGER.debug("Logout after validation failed: %s", err)


# Most specific first: certificate and TLS errors are also connection errors.
FORM_ERRORS: tuple[tuple[type[ReolinkError], str], ...] = (
    (ReolinkCertificateError, "certificate_changed"),
    (ReolinkTlsError, "tls_failed"),
    (ReolinkAuthError, "invalid_auth"),
    (ReolinkRateLimitError, "too_many_logins"),
    (ReolinkLoginLockedError, "login_locked"),
    (ReolinkSessionLimitError, "session_limit"),
    (ReolinkResponseError, "not_reolink"),
    (ReolinkConnectionError, "cannot_connect"),
)
# Errors after which the other protocol may still answer on the device.
NO_ANSWER_ERRORS = frozenset({"tls_failed", "not_reolink", "cannot_connect"})


def _form_error(err: ReolinkError) -> CannotValidate:
    """Map a client error to the form error a user can act on."""
    placeholders: dict[str, str] = {}
    if isinstance(err, ReolinkBackoffError):
        placeholders["retry_after"] = str(round(err.retry_after))
    for error_type, key in FORM_ERRORS:
        if isinstance(err, error_type):
            return CannotValidate(key, placeholders)
    _LOGGER.warning("Unexpected answer while setting up the device: %s", err)
    return CannotValidate("unknown")


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
        try:
            return await validate_device(self.hass, data, fingerprint)
        except CannotValidate as err:
            errors["base"] = err.error
            placeholders.update(err.placeholders)
            if err.error in NO_ANSWER_ERRORS and await other_protocol_answers(self.hass, data):
                errors["base"] = "protocol_mismatch"
                placeholders.update(_protocol_names(data))
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


def _protocol_names(data: Mapping[str, Any]) -> dict[str, str]:
    """Placeholders naming the protocol that failed and the one that answered."""
    https = data.get(CONF_USE_HTTPS, True)
    return {"tried": "HTTPS" if https else "HTTP", "working": "HTTP" if https else "HTTPS"}


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


class ReolinkOptionsFlow(OptionsFlowWithReload):
    """Polling intervals and which stream the camera entity plays."""

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """One form with every option."""
        if user_input is not None:
            return self.async_create_entry(data=user_input)
        options = self.config_entry.options
        schema = vol.Schema(
            {
                vol.Required(
                    CONF_EVENT_SOURCE,
                    default=options.get(CONF_EVENT_SOURCE, DEFAULT_EVENT_SOURCE),
                ): selector.SelectSelector(
                    selector.SelectSelectorConfig(
                        options=list(EVENT_SOURCES), translation_key=CONF_EVENT_SOURCE
                    )
                ),
                vol.Required(
                    CONF_EVENT_INTERVAL,
                    default=options.get(CONF_EVENT_INTERVAL, DEFAULT_EVENT_INTERVAL),
                ): vol.All(
                    vol.Coerce(float), vol.Range(min=MIN_EVENT_INTERVAL, max=MAX_EVENT_INTERVAL)
                ),
                vol.Required(
                    CONF_SETTINGS_INTERVAL,
                    default=options.get(CONF_SETTINGS_INTERVAL, DEFAULT_SETTINGS_INTERVAL),
                ): vol.All(
                    vol.Coerce(int),
                    vol.Range(min=MIN_SETTINGS_INTERVAL, max=MAX_SETTINGS_INTERVAL),
                ),
                vol.Required(
                    CONF_STREAM, default=options.get(CONF_STREAM, DEFAULT_STREAM)
                ): selector.SelectSelector(
                    selector.SelectSelectorConfig(
                        options=list(STREAMS), translation_key=CONF_STREAM
                    )
                ),
                vol.Required(
                    CONF_PROTOCOL, default=options.get(CONF_PROTOCOL, DEFAULT_PROTOCOL)
                ): selector.SelectSelector(
                    selector.SelectSelectorConfig(
                        options=list(PROTOCOLS), translation_key=CONF_PROTOCOL
                    )
                ),
            }
        )
        return self.async_show_form(step_id="init", data_schema=schema)
