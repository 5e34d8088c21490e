"""Options flow: event source and intervals, settings interval, camera stream and protocol,
and whether an NVR's camera firmware is looked up on reolink.com."""

from typing import Any

import probatio as vol
from homeassistant.config_entries import ConfigEntryState, ConfigFlowResult, OptionsFlowWithReload
from homeassistant.helpers import selector

from .api.streams import PROTOCOLS, STREAMS
from .const import (
    CONF_CAMERA_FIRMWARE,
    CONF_EVENT_INTERVAL,
    CONF_EVENT_SOURCE,
    CONF_PROTOCOL,
    CONF_SETTINGS_INTERVAL,
    CONF_STREAM,
    DEFAULT_CAMERA_FIRMWARE,
    DEFAULT_EVENT_INTERVAL,
    DEFAULT_EVENT_SOURCE,
    DEFAULT_PROTOCOL,
    DEFAULT_SETTINGS_INTERVAL,
    DEFAULT_STREAM,
    EVENT_SOURCES,
    MAX_EVENT_INTERVAL,
    MAX_SETTINGS_INTERVAL,
    MIN_EVENT_INTERVAL,
    MIN_SETTINGS_INTERVAL,
)


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
                    default=options.get(CONF_SETTINGS_INTERVAL, self._settings_interval()),
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
                vol.Required(
                    CONF_CAMERA_FIRMWARE,
                    default=options.get(CONF_CAMERA_FIRMWARE, DEFAULT_CAMERA_FIRMWARE),
                ): selector.BooleanSelector(),
            }
        )
        return self.async_show_form(step_id="init", data_schema=schema)

    def _settings_interval(self) -> int:
        """The interval in effect (an NVR's default grows with its cameras), else the default."""
        if self.config_entry.state is not ConfigEntryState.LOADED:
            return DEFAULT_SETTINGS_INTERVAL
        interval = self.config_entry.runtime_data.settings.update_interval
        return DEFAULT_SETTINGS_INTERVAL if interval is None else int(interval.total_seconds())
