"""The Reolink HTTP API integration."""

import logging
from dataclasses import dataclass
from functools import partial

from homeassistant.config_entries import ConfigEntry, ConfigEntryState
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryAuthFailed, ConfigEntryError, ConfigEntryNotReady
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.typing import ConfigType

from .api import (
    ReolinkAuthError,
    ReolinkCertificateError,
    ReolinkClient,
    ReolinkError,
)
from .channel_firmware import LastCheckStore
from .connection_check import client_for
from .const import (
    CONF_CERT_FINGERPRINT,
    CONF_EVENT_INTERVAL,
    CONF_SETTINGS_INTERVAL,
    DEFAULT_EVENT_INTERVAL,
    DOMAIN,
    ISSUE_CERT_CHANGED,
)
from .coordinator import (
    raise_certificate_issue,
)
from .detection_store import DetectionStore
from .detections import DetectionWatcher
from .device import ReolinkDevice, read_device
from .entity import configuration_url, device_info_for
from .errors import error_key, error_placeholders
from .onvif_events import OnvifEventSource, ReolinkPushEventsCoordinator
from .recording_download import DATA_PARTIALS, PartialDownloads
from .repairs import delete_issues, sync_port_issues
from .services import async_setup_services
from .settings_coordinator import ReolinkSettingsCoordinator, default_settings_interval
from .views import async_register_views

_LOGGER = logging.getLogger(__name__)

SETTINGS_PLATFORMS: list[Platform] = [
    Platform.BINARY_SENSOR,
    Platform.BUTTON,
    Platform.CAMERA,
    Platform.LIGHT,
    Platform.NUMBER,
    Platform.SELECT,
    Platform.SENSOR,
    Platform.SIREN,
    Platform.SWITCH,
    Platform.TIME,
    Platform.UPDATE,
]
# Set up after the others: they read no settings, and loading their components must
# not hold up the settings platforms' shared first read (one batch, joined in 250 ms).
LATER_PLATFORMS: list[Platform] = [Platform.CALENDAR, Platform.EVENT, Platform.IMAGE]
PLATFORMS: list[Platform] = SETTINGS_PLATFORMS + LATER_PLATFORMS

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)


@dataclass(slots=True)
class ReolinkData:
    """Everything a loaded entry owns."""

    client: ReolinkClient
    device: ReolinkDevice
    events: ReolinkPushEventsCoordinator
    settings: ReolinkSettingsCoordinator
    detections: DetectionWatcher


type ReolinkConfigEntry = ConfigEntry[ReolinkData]


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the service actions, which work on any loaded entry's devices."""
    async_setup_services(hass)
    async_register_views(hass)
    hass.data[DATA_PARTIALS] = partials = PartialDownloads(hass)
    await partials.async_remove_leftovers()
    return True


async def async_setup_entry(hass: HomeAssistant, entry: ReolinkConfigEntry) -> bool:
    """Log in, read the device, start both coordinators and the platforms."""
    client = client_for(hass, entry.data, entry.data.get(CONF_CERT_FINGERPRINT))
    try:
        device = await read_device(client)
    except ReolinkAuthError as err:
        raise ConfigEntryAuthFailed(str(err)) from err
    except ReolinkCertificateError as err:
        raise_certificate_issue(hass, entry)
        raise ConfigEntryError(str(err)) from err
    except ReolinkError as err:
        await client.close()
        raise ConfigEntryNotReady(
            translation_domain=DOMAIN,
            translation_key=error_key(err),
            translation_placeholders=error_placeholders(err),
        ) from err
    ir.async_delete_issue(hass, DOMAIN, f"{ISSUE_CERT_CHANGED}_{entry.entry_id}")
    sync_port_issues(hass, entry, device)

    options = entry.options
    events = ReolinkPushEventsCoordinator(
        hass,
        entry,
        client,
        device,
        options.get(CONF_EVENT_INTERVAL, DEFAULT_EVENT_INTERVAL),
    )
    settings = ReolinkSettingsCoordinator(
        hass,
        entry,
        client,
        device,
        options.get(CONF_SETTINGS_INTERVAL)
        or default_settings_interval(len(device.online_channels())),
    )
    settings.channel_status_listener = partial(events.apply_channel_status, read_woken=False)
    store = DetectionStore(hass, entry.entry_id)
    await store.async_load()
    entry.async_on_unload(store.async_flush)
    detections = DetectionWatcher(hass, entry, events, store)
    entry.runtime_data = ReolinkData(client, device, events, settings, detections)
    if device.is_nvr:
        # The hub has no entities of its own yet its channels point at it.
        hub = dr.async_get(hass).async_get_or_create(
            config_entry_id=entry.entry_id,
            **device_info_for(device, None, configuration_url(client)),
        )
        device.hub_device_id = hub.id
    entry.async_on_unload(client.close)
    remove_stale_devices(hass, entry, device)
    await events.async_config_entry_first_refresh()
    entry.async_on_unload(detections.async_stop)
    # Platforms read the settings their entities are built from in one shared batch;
    # what enabled entities read beyond that follows in at most one more.
    await hass.config_entries.async_forward_entry_setups(entry, SETTINGS_PLATFORMS)
    await hass.config_entries.async_forward_entry_setups(entry, LATER_PLATFORMS)
    await settings.async_refresh_if_missing()
    event_source = OnvifEventSource(hass, entry, events, client)
    event_source.async_start()
    entry.async_on_unload(event_source.async_stop)
    return True


def remove_stale_devices(
    hass: HomeAssistant, entry: ReolinkConfigEntry, device: ReolinkDevice
) -> None:
    """Drop child devices (and their entities) of cameras no longer on any channel."""
    if not device.channels_confirmed:
        return
    present = device.present_keys()
    registry = dr.async_get(hass)
    for device_entry in dr.async_entries_for_config_entry(registry, entry.entry_id):
        if not _is_present(device_entry, present):
            _LOGGER.info("%s: removing %s, no longer connected", entry.title, device_entry.name)
            registry.async_remove_device(device_entry.id)


def _is_present(device_entry: dr.DeviceEntry, present: set[str]) -> bool:
    """A device is present when one of its identifiers is the hub's or a channel's key."""
    return any(domain == DOMAIN and key in present for domain, key in device_entry.identifiers)


async def async_remove_config_entry_device(
    hass: HomeAssistant, entry: ReolinkConfigEntry, device_entry: dr.DeviceEntry
) -> bool:
    """Let the user delete a camera that is no longer on the NVR, never the hub or a present one."""
    if entry.state is not ConfigEntryState.LOADED:
        # Nothing is known about the channels; only the hub is certainly present.
        return (DOMAIN, entry.unique_id) not in device_entry.identifiers
    return not _is_present(device_entry, entry.runtime_data.device.present_keys())


async def async_remove_entry(hass: HomeAssistant, entry: ReolinkConfigEntry) -> None:
    """The entry is gone: so are its pictures, firmware check and repairs about its device."""
    await DetectionStore(hass, entry.entry_id).async_remove()
    await LastCheckStore(hass, entry.entry_id).async_remove()
    delete_issues(hass, entry.entry_id)


async def async_unload_entry(hass: HomeAssistant, entry: ReolinkConfigEntry) -> bool:
    """Unload the platforms; the client logs out through async_on_unload."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)
