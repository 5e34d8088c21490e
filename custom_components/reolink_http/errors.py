"""Translated Home Assistant errors: the user's input refused, or the device failing."""

from collections.abc import Iterator
from contextlib import contextmanager

from homeassistant.exceptions import HomeAssistantError, ServiceValidationError

from .api import (
    ReolinkConnectionError,
    ReolinkDeviceOfflineError,
    ReolinkError,
    ReolinkFileBusyError,
    ReolinkFileError,
    ReolinkFileNotFoundError,
    ReolinkNotSupportedError,
    ReolinkParamError,
    ReolinkStalledError,
    ReolinkTooLargeError,
)
from .const import DOMAIN

# The translation key of each client error, most specific first (a file error is also a
# command error); any other error is "command_failed".
ERROR_KEYS: tuple[tuple[type[ReolinkError], str], ...] = (
    (ReolinkFileBusyError, "recording_busy"),
    (ReolinkFileNotFoundError, "no_such_file"),
    (ReolinkFileError, "download_error"),
    (ReolinkParamError, "invalid_value"),
    (ReolinkNotSupportedError, "not_supported"),
    (ReolinkDeviceOfflineError, "channel_offline"),
    (ReolinkStalledError, "transfer_stalled"),
    (ReolinkTooLargeError, "transfer_too_large"),
    (ReolinkConnectionError, "device_unreachable"),
)


def error_key(err: ReolinkError) -> str:
    """The translation key for a client error."""
    return next((key for kind, key in ERROR_KEYS if isinstance(err, kind)), "command_failed")


def error_placeholders(err: ReolinkError, allowed: str | None = None) -> dict[str, str]:
    """What the error's message shows; `allowed` tells what a refused value may be."""
    placeholders = {"error": str(err)}
    if error_key(err) == "invalid_value":
        placeholders["allowed"] = allowed or "see the device's settings page"
    return placeholders


def translated_error[E: HomeAssistantError](kind: type[E], key: str, **placeholders: str) -> E:
    """An error of `kind` whose message comes from the integration's translations."""
    return kind(
        translation_domain=DOMAIN, translation_key=key, translation_placeholders=placeholders
    )


def invalid_input(key: str, **placeholders: str) -> ServiceValidationError:
    """The user's input was refused: the device was not asked."""
    return translated_error(ServiceValidationError, key, **placeholders)


def device_failure(key: str, **placeholders: str) -> HomeAssistantError:
    """The device or the network failed: not the user's fault."""
    return translated_error(HomeAssistantError, key, **placeholders)


def translated(err: ReolinkError, allowed: str | None = None) -> HomeAssistantError:
    """The translated error for a client error; `allowed` tells what a refused value may be."""
    return device_failure(error_key(err), **error_placeholders(err, allowed))


@contextmanager
def device_errors(allowed: str | None = None) -> Iterator[None]:
    """Turn the client's errors raised inside the block into translated ones."""
    try:
        yield
    except ReolinkError as err:
        raise translated(err, allowed) from err
