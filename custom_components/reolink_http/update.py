"""Firmware update entities.

The device's own: 3.1.17 CheckFirmware, 3.1.18 UpgradeOnline, 3.1.19 UpgradeStatus.
Each camera behind an NVR (only with the option to look up reolink.com): installed
version from GetChnTypeInfo, the newest from the download center (`channel_firmware`),
installed by downloading the file and uploading it through the NVR.
"""

import asyncio
import logging
import time
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from homeassistant.components.update import (
    UpdateDeviceClass,
    UpdateEntity,
    UpdateEntityDescription,
    UpdateEntityFeature,
)
from homeassistant.const import EntityCategory, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.event import async_call_later
from homeassistant.helpers.update_coordinator import CoordinatorEntity, UpdateFailed

from .api import (
    ReolinkConnectionError,
    ReolinkDeviceOfflineError,
    ReolinkError,
    ReolinkFirmwareTooLargeError,
    ReolinkNotFirmwareError,
    UpgradeStatus,
)
from .api.download_center import (
    RELEASE_URL,
    FirmwareFile,
    FirmwareRelease,
    FirmwareVersion,
    is_newer,
)
from .api.fields import CHANNEL_TYPE, DEVICE_INFO
from .capabilities import online_upgrade
from .channel_firmware import CameraFirmwareCoordinator, LastCheckStore
from .const import CONF_CAMERA_FIRMWARE, DEFAULT_CAMERA_FIRMWARE, DOMAIN
from .entity import (
    ReolinkSettingDescription,
    ReolinkSettingEntity,
    configuration_url,
    device_info_for,
)
from .errors import device_errors, device_failure, translated
from .repairs import sync_firmware_issue

if TYPE_CHECKING:
    from . import ReolinkConfigEntry, ReolinkData

_LOGGER = logging.getLogger(__name__)

PARALLEL_UPDATES = 1
# CheckFirmware makes the device ask the vendor's server; twice a day is plenty.
SCAN_INTERVAL = timedelta(hours=12)
# The first check waits until setup's own requests are done.
FIRST_CHECK_DELAY = timedelta(seconds=30)
# UpgradeStatus is read this often while a download runs.
PROGRESS_INTERVAL = 1.0
# Download, flashing and the reboot that follows; the device is unreachable for part of it.
INSTALL_TIMEOUT = 20 * 60.0
# CheckFirmware says only *that* a newer version exists, not which one.
NEWER_VERSION = "newer version available"


@dataclass(frozen=True, kw_only=True)
class ReolinkUpdateDescription(ReolinkSettingDescription, UpdateEntityDescription):
    """The settings-entity fields plus the update platform's own."""


FIRMWARE = ReolinkUpdateDescription(
    key="firmware",
    source=DEVICE_INFO,
    per_channel=False,
    device_class=UpdateDeviceClass.FIRMWARE,
    entity_category=EntityCategory.CONFIG,
    supported_fn=online_upgrade,
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: ReolinkConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """The device's firmware entity (`upgrade` ver 2); with the option, one per NVR camera."""
    data = entry.runtime_data
    if FIRMWARE.supported_fn(data.device, None):
        async_add_entities([ReolinkFirmwareUpdate(data, FIRMWARE, None)])
    if not data.device.is_nvr:
        return
    if not entry.options.get(CONF_CAMERA_FIRMWARE, DEFAULT_CAMERA_FIRMWARE):
        if _forget_camera_firmware(hass, data):
            await LastCheckStore(hass, entry.entry_id).async_remove()
        return
    coordinator = CameraFirmwareCoordinator(hass, entry)
    first_check_in = await coordinator.async_restore()
    async_add_entities(
        ReolinkCameraFirmwareUpdate(coordinator, data, channel) for channel in data.device.channels
    )

    async def first_check(_now: datetime) -> None:
        await coordinator.async_refresh()

    entry.async_on_unload(async_call_later(hass, first_check_in, first_check))


def _forget_camera_firmware(hass: HomeAssistant, data: ReolinkData) -> bool:
    """With the option switched off, the cameras' firmware entities go, not stay orphaned.

    True when there were some: the option was on, so a check may be kept too.
    """
    registry = er.async_get(hass)
    forgotten = False
    for channel in data.device.channels:
        unique_id = f"{data.device.channel_key(channel)}_{CAMERA_FIRMWARE.key}"
        entity_id = registry.async_get_entity_id(Platform.UPDATE, DOMAIN, unique_id)
        if entity_id is not None:
            registry.async_remove(entity_id)
            forgotten = True
    return forgotten


class ReolinkFirmwareUpdate(ReolinkSettingEntity, UpdateEntity):
    """Installed version from GetDevInfo; the online check is polled on its own, slowly."""

    entity_description: ReolinkUpdateDescription

    _attr_supported_features = UpdateEntityFeature.INSTALL | UpdateEntityFeature.PROGRESS

    def __init__(
        self, data: ReolinkData, description: ReolinkUpdateDescription, channel: int | None
    ) -> None:
        """Start without knowing whether an update exists."""
        super().__init__(data, description, channel)
        self._new_firmware: bool | None = None

    @property
    def entity_picture(self) -> str | None:
        """None: the default is the brands site's logo, which a custom integration lacks.

        Without a picture the frontend shows the standard firmware icon.
        """
        return None

    async def async_added_to_hass(self) -> None:
        """Check soon after start-up, away from the burst of setup requests."""
        await super().async_added_to_hass()
        self.async_on_remove(
            async_call_later(self.hass, FIRST_CHECK_DELAY, self._async_first_check)
        )

    async def _async_first_check(self, _now: datetime) -> None:
        await self.async_update()
        self.async_write_ha_state()

    @property
    def should_poll(self) -> bool:
        """CheckFirmware is not part of the settings batch, see SCAN_INTERVAL."""
        return True

    @property
    def installed_version(self) -> str | None:
        """Firmware the device reports (kept current by the settings refresh)."""
        return self.coordinator.device.info.firmware or None

    @property
    def latest_version(self) -> str | None:
        """The installed version when up to date, a marker when a newer one exists."""
        if self._new_firmware is None:
            return None
        return NEWER_VERSION if self._new_firmware else self.installed_version

    async def async_update(self) -> None:
        """3.1.17 CheckFirmware; a failed check keeps the previous answer."""
        if self.coordinator.device_away:
            return  # not now: the next check comes with the regular interval
        try:
            check = await self.coordinator.client.check_firmware()
        except ReolinkError as err:
            _LOGGER.debug("Firmware check of %s failed: %s", self.entity_id, err)
            return
        self._new_firmware = check.new_firmware
        sync_firmware_issue(
            self.hass, self.coordinator.config_entry, check.new_firmware, self.entity_id
        )

    async def async_install(self, version: str | None, backup: bool, **kwargs: Any) -> None:
        """3.1.18 UpgradeOnline, then follow 3.1.19 UpgradeStatus until it reaches 100 %."""
        with device_errors():
            await self.coordinator.client.upgrade_online()
        self._attr_in_progress = True
        self._show_progress(0)
        await self._follow_progress()
        # The device may still be restarting; the regular polls catch up then.
        with suppress(UpdateFailed):
            await self.coordinator.async_refresh_key(self.setting_key)
        await self.async_update()

    async def _follow_progress(self) -> None:
        deadline = time.monotonic() + INSTALL_TIMEOUT
        while time.monotonic() < deadline:
            await asyncio.sleep(PROGRESS_INTERVAL)
            status = await self._read_status()
            if status is None:
                continue
            if status.code != 0:
                raise device_failure("upgrade_failed", error=str(status.code))
            self._show_progress(status.percent)
            if status.percent >= 100:
                return
        raise device_failure("upgrade_timeout", error=str(int(INSTALL_TIMEOUT)))

    async def _read_status(self) -> UpgradeStatus | None:
        """The status, or None while the device does not answer (it restarts to flash)."""
        try:
            return await self.coordinator.client.upgrade_status()
        except ReolinkConnectionError:
            return None
        except ReolinkError as err:
            raise translated(err) from err

    def _show_progress(self, percent: int) -> None:
        self._attr_update_percentage = max(0, min(100, percent))
        self.async_write_ha_state()


CAMERA_FIRMWARE = UpdateEntityDescription(
    key="firmware",
    device_class=UpdateDeviceClass.FIRMWARE,
    entity_category=EntityCategory.CONFIG,
)
# The NVR takes a camera's firmware file in pieces of this size (reolink_aio 0.22.0).
UPLOAD_PIECE = 40960
# Progress: the download up to here, the upload up to UPLOADED, then the camera restarts.
DOWNLOADED = 40
UPLOADED = 95
# The camera flashes and restarts after the upload; its new version is read this often.
CONFIRM_INTERVAL = 5.0
CONFIRM_TIMEOUT = 5 * 60.0


class ReolinkCameraFirmwareUpdate(CoordinatorEntity[CameraFirmwareCoordinator], UpdateEntity):
    """A camera behind an NVR: its firmware (GetChnTypeInfo) and the download center's newest."""

    _attr_has_entity_name = True
    _attr_release_url = RELEASE_URL
    _attr_supported_features = (
        UpdateEntityFeature.INSTALL
        | UpdateEntityFeature.PROGRESS
        | UpdateEntityFeature.RELEASE_NOTES
    )

    def __init__(
        self, coordinator: CameraFirmwareCoordinator, data: ReolinkData, channel: int
    ) -> None:
        """On the camera's own device, beside its other entities."""
        super().__init__(coordinator)
        self.entity_description = CAMERA_FIRMWARE
        self.channel = channel
        self._data = data
        device = data.device
        self._attr_unique_id = f"{device.channel_key(channel)}_{CAMERA_FIRMWARE.key}"
        self._attr_device_info = device_info_for(device, channel, configuration_url(data.client))

    @property
    def entity_picture(self) -> str | None:
        """None, as for the device's own firmware entity: the standard icon."""
        return None

    @property
    def available(self) -> bool:
        """While the NVR answers and the camera is online; a failed lookup keeps the last."""
        camera = self._data.device.channels.get(self.channel)
        return camera is not None and camera.online and not self._data.settings.device_away

    @property
    def release(self) -> FirmwareRelease | None:
        """The newest firmware the download center has for this camera."""
        return (self.coordinator.data or {}).get(self.channel)

    @property
    def installed_version(self) -> str | None:
        """What the NVR reports the camera runs."""
        camera = self._data.device.channels.get(self.channel)
        return camera.firmware if camera is not None else None

    @property
    def latest_version(self) -> str | None:
        """The download center's newest, or the installed one when that is not older.

        Unknown until a check found the camera's model on the download center.
        """
        release, installed = self.release, self.installed_version
        if release is None:
            return installed if self.coordinator.checked and installed else None
        if installed and not is_newer(release.version, installed):
            return installed
        return release.version

    def version_is_newer(self, latest_version: str, installed_version: str) -> bool:
        """Reolink's versions compare by build date and numbers, not as text."""
        return is_newer(latest_version, installed_version)

    async def async_release_notes(self) -> str | None:
        """The download center's notes and the file, for installing by hand."""
        release = self.release
        if release is None:
            return None
        return f"{release.notes}\n\n[Firmware file]({release.url})"

    async def async_install(self, version: str | None, backup: bool, **kwargs: Any) -> None:
        """Download the file, upload it through the NVR, wait for the camera's new version."""
        release = self.release
        installed = self.installed_version or ""
        if release is None or not is_newer(release.version, installed):
            raise device_failure("no_camera_firmware")
        async with self.coordinator.install_lock:
            self._show_progress(0)
            try:
                await self._download_and_upload(release)
                await self._confirm(release.version)
            finally:
                self._attr_in_progress = False
                self._attr_update_percentage = None
                self.async_write_ha_state()

    async def _download_and_upload(self, release: FirmwareRelease) -> None:
        try:
            async with self.coordinator.center.download(release, self._downloaded) as firmware:
                self._show_progress(DOWNLOADED)
                await self._upload(firmware)
        except ReolinkFirmwareTooLargeError as err:
            raise device_failure("firmware_too_large", error=str(err)) from err
        except ReolinkNotFirmwareError as err:
            raise device_failure("not_firmware", error=str(err)) from err
        except ReolinkError as err:
            raise device_failure("firmware_download_failed", error=str(err)) from err

    async def _upload(self, firmware: FirmwareFile) -> None:
        size = firmware.size

        def uploaded(sent: int) -> None:
            self._show_progress(DOWNLOADED + (UPLOADED - DOWNLOADED) * sent // size)

        try:
            await self._data.client.upload_channel_firmware(
                self.channel,
                firmware.name,
                size,
                firmware.pieces(UPLOAD_PIECE),
                uploaded,
            )
        except ReolinkError as err:
            raise device_failure("firmware_upload_refused", error=str(err)) from err

    def _downloaded(self, received: int, total: int | None) -> None:
        if total:
            self._show_progress(DOWNLOADED * min(received, total) // total)

    async def _confirm(self, version: str) -> None:
        """Re-read the camera's firmware until the NVR reports the new version."""
        deadline = time.monotonic() + CONFIRM_TIMEOUT
        while True:
            with suppress(ReolinkConnectionError, ReolinkDeviceOfflineError, UpdateFailed):
                await self._data.settings.async_refresh_key((CHANNEL_TYPE, self.channel))
            if self._runs(version):
                break
            if time.monotonic() > deadline:
                raise device_failure("upgrade_timeout", error=str(int(CONFIRM_TIMEOUT)))
            await asyncio.sleep(CONFIRM_INTERVAL)
        self._show_progress(100)
        self._note_version(version)
        self.coordinator.async_update_listeners()

    def _runs(self, version: str) -> bool:
        """The NVR reports the camera on `version` (or, read another way, a later one)."""
        installed = self.installed_version or ""
        readable = FirmwareVersion.parse(installed) is not None
        return installed == version or (readable and not is_newer(version, installed))

    def _note_version(self, version: str) -> None:
        """The camera's device page shows the new version."""
        registry = dr.async_get(self.hass)
        key = self._data.device.channel_key(self.channel)
        entry = registry.async_get_device(identifiers={(DOMAIN, key)})
        if entry is not None:
            registry.async_update_device(entry.id, sw_version=version)

    def _show_progress(self, percent: int) -> None:
        """Written when the percentage changes, not for each of a thousand pieces."""
        percent = max(0, min(100, percent))
        if self._attr_in_progress and self._attr_update_percentage == percent:
            return
        self._attr_in_progress = True
        self._attr_update_percentage = percent
        self.async_write_ha_state()
