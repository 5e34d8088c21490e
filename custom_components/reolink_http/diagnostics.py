"""Diagnostics: what the integration knows, with secrets and identifiers redacted."""

from dataclasses import asdict
from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_USERNAME
from homeassistant.core import HomeAssistant

from . import ReolinkConfigEntry
from .const import CONF_CERT_FINGERPRINT
from .onvif_events import event_source_diagnostics

TO_REDACT = {
    CONF_PASSWORD,
    CONF_USERNAME,
    CONF_HOST,
    CONF_CERT_FINGERPRINT,
    "token",
    "mac",
    "serial",
    "uid",
    "name",
}


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: ReolinkConfigEntry
) -> dict[str, Any]:
    """Entry, device facts, channels and the last event poll."""
    data = entry.runtime_data
    device = data.device
    events = data.events.data or {}
    return async_redact_data(
        {
            "entry": {"data": dict(entry.data), "options": dict(entry.options)},
            "device": asdict(device.info),
            "is_nvr": device.is_nvr,
            "channels": {index: asdict(channel) for index, channel in device.channels.items()},
            "ai_types": {index: device.ai_types(index) for index in device.channels},
            "events": {index: asdict(state) for index, state in events.items()},
            "events_last_update_success": data.events.last_update_success,
            "event_source": event_source_diagnostics(data.events),
            "detection_pictures": data.detections.diagnostics(),
            "settings_commands": [
                [source.name, channel] for source, channel in data.settings.wanted_keys()
            ],
        },
        TO_REDACT,
    )
