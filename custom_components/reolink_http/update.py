"""Firmware update entity: 3.1.17 CheckFirmware, 3.1.18 UpgradeOnline, 3.1.19 UpgradeStatus."""

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
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.event import async_call_later
from homeassistant.helpers.update_coordinator import UpdateFailed

from .api import ReolinkConnectionError, ReolinkError, UpgradeStatus
from .api.fields import DEVICE_INFO
from .capabilities import online_upgrade
from .entity import ReolinkSettingDescription, ReolinkSettingEntity
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
    """One firmware entity for the camera or NVR when it can upgrade online (`upgrade` ver 2)."""
    data = entry.runtime_data
    if FIRMWARE.supported_fn(data.device, None):
        async_add_entities([ReolinkFirmwareUpdate(data, FIRMWARE, None)])


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
