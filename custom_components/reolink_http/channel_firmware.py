"""The newest firmware of an NVR's cameras, from reolink.com's download center (an option).

An NVR checks no camera's firmware online; only the download center knows newer ones.
Contacting it is the user's choice (option `camera_firmware_lookup`, off by default).
One check covers all cameras of an NVR: their model, hardware and firmware are re-read
from the NVR in one batch, then the download center is asked once for its list of
models (kept a day, shared by every NVR) and once per camera model for its firmware.
Checks run 30 s after setup and then every 12 hours. The last check's time and answer
are kept in Home Assistant's storage, one file per entry: after a restart or reload within
12 hours of it, the entities show it at once and the next check waits for its 12 hours.
Switching the option off, or removing the entry, deletes it.
"""

import asyncio
import logging
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Final

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import UnsupportedStorageVersionError
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.storage import Store
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed
from homeassistant.util import dt as dt_util
from homeassistant.util.hass_dict import HassKey

from .api import ReolinkError
from .api.download_center import (
    DOWNLOAD_CENTER_URL,
    DownloadCenter,
    FirmwareRelease,
    HardwareVersion,
    find_hardware,
    newest,
    release_of,
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
STORAGE_VERSION: Final = 1

type Releases = dict[int, FirmwareRelease]


@dataclass
class LookupCache:
    """The download center's list of models, shared by the NVR entries while running."""

    selection: tuple[HardwareVersion, ...] = ()
    selection_at: float | None = None
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


DATA_LOOKUPS: HassKey[LookupCache] = HassKey(f"{DOMAIN}_firmware_lookups")


def _fresh(at: float | None, max_age: timedelta) -> bool:
    return at is not None and time.monotonic() - at < max_age.total_seconds()


@dataclass(frozen=True, slots=True)
class LastCheck:
    """When the download center was last asked about an NVR's cameras, and its answer."""

    at: datetime
    releases: Releases

    def due_in(self, now: datetime) -> timedelta:
        """How long until the next check: when this one is CHECK_INTERVAL old.

        Due now for a time after `now` (the clock was set back): that one says nothing.
        """
        age = now - self.at
        return CHECK_INTERVAL - age if timedelta(0) <= age < CHECK_INTERVAL else timedelta(0)


class LastCheckStore:
    """The last check of one entry, in Home Assistant's storage across restarts."""

    def __init__(self, hass: HomeAssistant, entry_id: str) -> None:
        """Nothing is read before async_load."""
        self._store: Store[dict[str, Any]] = Store(
            hass, STORAGE_VERSION, f"{DOMAIN}.camera_firmware.{entry_id}"
        )

    async def async_load(self) -> LastCheck | None:
        """The kept check; None when there is none this version can read."""
        try:
            data = await self._store.async_load()
        except (UnsupportedStorageVersionError, NotImplementedError) as err:
            # Another version's layout: checked again and overwritten.
            _LOGGER.debug("Last camera firmware check not read: %s", err)
            return None
        return _last_check(data)

    async def async_save(self, check: LastCheck) -> None:
        """Keep `check` in place of the previous one."""
        releases = {str(channel): asdict(release) for channel, release in check.releases.items()}
        await self._store.async_save({"at": check.at.isoformat(), "releases": releases})

    async def async_remove(self) -> None:
        """Delete the kept check (the entry was removed)."""
        await self._store.async_remove()


def _last_check(data: Any) -> LastCheck | None:
    """A check as async_save wrote it; None for anything else, all of it."""
    if not isinstance(data, dict) or not isinstance(data.get("releases"), dict):
        return None
    if (at := _moment(data.get("at"))) is None:
        return None
    releases: Releases = {}
    for key, item in data["releases"].items():
        release = _release(item)
        if release is None or not (key.isascii() and key.isdigit() and len(key) < 4):
            return None
        releases[int(key)] = release
    return LastCheck(at, releases)


def _moment(text: Any) -> datetime | None:
    try:
        at = dt_util.parse_datetime(str(text))
    except ValueError:  # well formed, yet no date (month 13)
        return None
    return at if at is not None and at.tzinfo is not None else None


def _release(item: Any) -> FirmwareRelease | None:
    if not isinstance(item, dict):
        return None
    return release_of(item.get("version"), item.get("url"), item.get("notes"))


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
        self.last_check = LastCheckStore(hass, entry.entry_id)
        self.checked = False

    async def async_restore(self) -> timedelta:
        """Show the kept check at once; the wait until the next (at least FIRST_CHECK_DELAY).

        A check younger than CHECK_INTERVAL is not repeated at startup; an older one is
        shown until the next check answers, as after a failed check.
        """
        last = await self.last_check.async_load()
        if last is None:
            return FIRST_CHECK_DELAY
        self.data = last.releases
        self.checked = True
        return max(last.due_in(dt_util.utcnow()), FIRST_CHECK_DELAY)

    async def _async_update_data(self) -> Releases:
        data = self.config_entry.runtime_data
        if data.settings.device_away:
            raise UpdateFailed(translation_domain=DOMAIN, translation_key="device_away")
        try:
            keys = data.settings.askable(data.device.channel_type_keys())
            await data.settings.async_refresh_keys(keys)
        except ReolinkError as err:
            _LOGGER.debug("Cameras' firmware not read from %s: %s", self.config_entry.title, err)
        try:
            releases = await self._look_up()
        except ReolinkError as err:
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="firmware_lookup_failed",
                translation_placeholders={"error": str(err)},
            ) from err
        self.checked = True
        await self.last_check.async_save(LastCheck(dt_util.utcnow(), releases))
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
