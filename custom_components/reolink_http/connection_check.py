"""Checking a device before an entry is made: log in, read it, and name what went wrong."""

import logging
from collections.abc import Mapping
from typing import Any

from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_PORT, CONF_USERNAME
from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession

from .api import (
    ReolinkAuthError,
    ReolinkBackoffError,
    ReolinkCertificateError,
    ReolinkClient,
    ReolinkConnectionError,
    ReolinkError,
    ReolinkFirmwareTooOldError,
    ReolinkLoginLockedError,
    ReolinkRateLimitError,
    ReolinkResponseError,
    ReolinkSessionLimitError,
    ReolinkTlsError,
)
from .const import CONF_USE_HTTPS
from .device import ReolinkDevice, read_device

_LOGGER = logging.getLogger(__name__)

# GetUser's level of an account that may change every setting (3.2.3).
ADMIN_LEVEL = "admin"


class CannotValidate(Exception):
    """Validation failed; `error` is the form's error key."""

    def __init__(self, error: str, placeholders: dict[str, str] | None = None) -> None:
        """Keep the translation key and its placeholders."""
        super().__init__(error)
        self.error = error
        self.placeholders = placeholders or {}


def client_for(
    hass: HomeAssistant, data: Mapping[str, Any], fingerprint: str | None
) -> ReolinkClient:
    """A client for the device an entry (or the form) describes, pinned to `fingerprint`."""
    return ReolinkClient(
        data[CONF_HOST],
        data[CONF_USERNAME],
        data[CONF_PASSWORD],
        session=async_get_clientsession(hass, verify_ssl=False),
        port=data.get(CONF_PORT),
        use_https=data.get(CONF_USE_HTTPS, True),
        cert_fingerprint=fingerprint,
    )


async def validate_device(
    hass: HomeAssistant, data: Mapping[str, Any], fingerprint: str | None = None
) -> tuple[ReolinkDevice, str | None]:
    """Log in, read the device, log out; return it and the certificate fingerprint seen."""
    client = client_for(hass, data, fingerprint)
    try:
        device = await read_device(client)
    except ReolinkError as err:
        raise _form_error(err) from err
    else:
        _require_admin(device, data[CONF_USERNAME])
        return device, client.peer_fingerprint
    finally:
        # A failed Logout is not raised by close(): the session ends with its lease.
        await client.close()


def _require_admin(device: ReolinkDevice, username: str) -> None:
    """Refuse an account that cannot change settings; an unanswered GetUser lets it pass."""
    if device.user_level is not None and device.user_level != ADMIN_LEVEL:
        raise CannotValidate("not_admin", {"username": username, "level": device.user_level})


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


# Most specific first: certificate and TLS errors are also connection errors.
FORM_ERRORS: tuple[tuple[type[ReolinkError], str], ...] = (
    (ReolinkFirmwareTooOldError, "firmware_too_old"),
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
    if isinstance(err, ReolinkFirmwareTooOldError):
        placeholders.update(command=err.cmd, firmware=err.firmware or "unknown")
    for error_type, key in FORM_ERRORS:
        if isinstance(err, error_type):
            return CannotValidate(key, placeholders)
    _LOGGER.warning("Unexpected answer while setting up the device: %s", err)
    return CannotValidate("unknown")


def protocol_names(data: Mapping[str, Any]) -> dict[str, str]:
    """Placeholders naming the protocol that failed and the one that answered."""
    https = data.get(CONF_USE_HTTPS, True)
    return {"tried": "HTTPS" if https else "HTTP", "working": "HTTP" if https else "HTTPS"}
