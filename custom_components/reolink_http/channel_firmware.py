"""The newest firmware of an NVR's cameras, from reolink.com's download center (an option).

An NVR checks no camera's firmware online; only the download center knows newer ones.
Contacting it is the user's choice (option `camera_firmware_lookup`, off by default).
One check covers all cameras of an NVR: their model, hardware and firmware are re-read
from the NVR in one batch, then the download center is asked once for its list of
models (kept a day, shared by every NVR) and once per camera model for its firmware.
Checks run 30 s after setup and then every 12 hours; the first check after a reload
within 12 hours of the last reuses its answer.
"""

import asyncio
import logging
import time
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING

from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed
from homeassistant.util.hass_dict import HassKey

from .api import ReolinkError
from .api.download_center import (
    DOWNLOAD_CENTER_URL,
    DownloadCenter,
    FirmwareRelease,
    HardwareVersion,
    find_hardware,
    newest,
)
from .const import DOMAIN

if TYPE_CHECKING:
    from . import ReolinkConfigEntry

_LOGGER = logging.getLogger(__name__)

# Where the download center is asked; tests point it at the simulator's fake one.
download_center_url = DOWNLOAD_CENTER_URL
CHECK_INTERVAL = timedelta(hours=12)
# The first check waits until setup's own requests are done.
FIRST_CHECK_DELAY = timedelta(seconds=30)
# The list of models changes when Reolink releases a product: a day old is fresh enough.
SELECTION_MAX_AGE = timedelta(hours=24)

type Releases = dict[int, FirmwareRelease]


@dataclass
class LookupCache:
    """What the download center answered, kept across reloads of the entries."""

    selection: tuple[HardwareVersion, ...] = ()
    selection_at: float | None = None
    # Entry ID -> (when, releases per channel) of its last check.
    checks: dict[str, tuple[float, Releases]] = field(default_factory=dict)
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


DATA_LOOKUPS: HassKey[LookupCache] = HassKey(f"{DOMAIN}_firmware_lookups")


def _fresh(at: float | None, max_age: timedelta) -> bool:
    return at is not None and time.monotonic() - at < max_age.total_seconds()


class CameraFirmwareCoordinator(DataUpdateCoordinator[Releases]):
    """The newest release the download center has for each camera of one NVR."""

    config_entry: ReolinkConfigEntry

    def __init__(self, hass: HomeAssistant, entry: ReolinkConfigEntry) -> None:
        """One per NVR entry with the option on."""
        super().__init__(
            hass,
            _LOGGER,
            config_entry=entry,
            name=f"{DOMAIN} camera firmware {entry.title}",
            update_interval=CHECK_INTERVAL,
        )
        self.center = DownloadCenter(async_get_clientsession(hass), download_center_url)
        self.cache = hass.data.setdefault(DATA_LOOKUPS, LookupCache())
        # One firmware upload through the NVR at a time.
        self.install_lock = asyncio.Lock()
        self.checked = False

    async def _async_update_data(self) -> Releases:
        data = self.config_entry.runtime_data
        if data.settings.device_away:
            raise UpdateFailed(translation_domain=DOMAIN, translation_key="device_away")
        try:
            keys = data.settings.askable(data.device.channel_type_keys())
            await data.settings.async_refresh_keys(keys)
        except ReolinkError as err:
            _LOGGER.debug("Cameras' firmware not read from %s: %s", self.config_entry.title, err)
        last = self.cache.checks.get(self.config_entry.entry_id)
        if not self.checked and last is not None and _fresh(last[0], CHECK_INTERVAL):
            # The first check after a reload: the last one is recent enough.
            self.checked = True
            return last[1]
        try:
            releases = await self._look_up()
        except ReolinkError as err:
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="firmware_lookup_failed",
                translation_placeholders={"error": str(err)},
            ) from err
        self.cache.checks[self.config_entry.entry_id] = (time.monotonic(), releases)
        self.checked = True
        return releases

    async def _look_up(self) -> Releases:
        """One firmware list per camera model and hardware version on the NVR."""
        selection = await self._selection()
        by_hardware: dict[HardwareVersion, FirmwareRelease | None] = {}
        releases: Releases = {}
        for channel, camera in self.config_entry.runtime_data.device.channels.items():
            entry = find_hardware(selection, camera.model or "", camera.hardware or "")
            if entry is None:
                continue
            if entry not in by_hardware:
                by_hardware[entry] = newest(await self.center.releases(entry))
            release = by_hardware[entry]
            if release is not None:
                releases[channel] = release
        return releases

    async def _selection(self) -> tuple[HardwareVersion, ...]:
        async with self.cache.lock:
            if not _fresh(self.cache.selection_at, SELECTION_MAX_AGE):
                self.cache.selection = await self.center.hardware_versions()
                self.cache.selection_at = time.monotonic()
            return self.cache.selection
