"""Diagnostic sensors: storage (3.1.9 GetHddInfo), logins (3.2.7 GetOnline), Wi-Fi (3.3.25),
PTZ check (3.7.16); the latest recording of each channel (3.6.5 Search)."""

import logging
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import PERCENTAGE, EntityCategory, UnitOfInformation, UnitOfTemperature
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.event import async_call_later
from homeassistant.helpers.update_coordinator import UpdateFailed
from homeassistant.util import dt as dt_util

from .api import RecordingFile, ReolinkError
from .api import fields as f
from .api.features import Feature
from .api.values import PtzCheckState
from .capabilities import ability, can_pan_tilt, has_storage
from .device import ReolinkDevice
from .entity import (
    ReolinkChannelEntity,
    ReolinkSettingDescription,
    ReolinkSettingEntity,
    disk_label,
    supported_targets,
)
from .media_source import recording_media_id
from .recordings import (
    aware,
    device_time,
    ordered_triggers,
    recording_end,
    recording_start,
    recordings_between,
)

if TYPE_CHECKING:
    from . import ReolinkConfigEntry, ReolinkData

_LOGGER = logging.getLogger(__name__)

PARALLEL_UPDATES = 0
# Only the latest-recording sensors poll (one Search each); the rest follow coordinators.
SCAN_INTERVAL = timedelta(minutes=5)
# How far back the latest recording is looked for.
LATEST_WINDOW = timedelta(days=1)

# 3.7.16: PtzCheckState 0 idle, 1 doing, 2 finish.
PTZ_CHECK_STATES: dict[PtzCheckState, str] = {
    PtzCheckState.IDLE: "idle",
    PtzCheckState.RUNNING: "running",
    PtzCheckState.FINISHED: "finished",
}
# While a calibration runs, look again this often instead of once a minute.
PTZ_CHECK_RECHECK_SECONDS = 1.0

STORAGE_STATES = ("ok", "unformatted", "not_mounted")
# GetBatteryInfo `chargeStatus` 0, 1, 2.
BATTERY_STATES = ("discharging", "charging", "charge_complete")


@dataclass(frozen=True, kw_only=True)
class ReolinkSensorDescription(ReolinkSettingDescription, SensorEntityDescription):
    """How a sensor reads the `value` of its Get command."""

    value_fn: Callable[[Any], Any]
    attributes_fn: Callable[[Any], dict[str, Any]] | None = None
    disk: int | None = None


def _used_percent(disk: int) -> Callable[[Any], float | None]:
    """Used share of the disk; `size` is the space left (3.1.9), both in MB."""
    capacity, free = f.Disk(disk).capacity, f.Disk(disk).free

    def value_fn(value: Any) -> float | None:
        total, left = capacity.read(value), free.read(value)
        if total is None or left is None or total <= 0:
            return None
        return round(100 * (total - left) / total, 1)

    return value_fn


def _storage_state(disk: int) -> Callable[[Any], str | None]:
    formatted, mounted = f.Disk(disk).formatted, f.Disk(disk).mounted

    def value_fn(value: Any) -> str | None:
        is_formatted = formatted.read(value)
        if is_formatted is None:
            return None
        if not is_formatted:
            return "unformatted"
        if not mounted.read(value):
            return "not_mounted"
        return "ok"

    return value_fn


def storage_sensors(device: ReolinkDevice) -> list[ReolinkSensorDescription]:
    """Capacity, use and state of each disk GetDevInfo's `diskNum` (3.1.2) counts."""
    if not has_storage(device):
        return []
    sensors: list[ReolinkSensorDescription] = []
    for disk in range(device.info.disk_count):
        prefix, _ = disk_label(device, disk)
        common: dict[str, Any] = {
            "source": f.HDD_INFO,
            "per_channel": False,
            "entity_category": EntityCategory.DIAGNOSTIC,
            "disk": disk,
        }
        sensors += [
            ReolinkSensorDescription(
                key=f"storage_{disk}_capacity",
                translation_key=f"{prefix}_capacity",
                device_class=SensorDeviceClass.DATA_SIZE,
                native_unit_of_measurement=UnitOfInformation.MEGABYTES,
                suggested_unit_of_measurement=UnitOfInformation.GIGABYTES,
                suggested_display_precision=1,
                entity_registry_enabled_default=False,
                value_fn=f.Disk(disk).capacity.read,
                **common,
            ),
            ReolinkSensorDescription(
                key=f"storage_{disk}_used",
                translation_key=f"{prefix}_used",
                native_unit_of_measurement=PERCENTAGE,
                state_class=SensorStateClass.MEASUREMENT,
                value_fn=_used_percent(disk),
                **common,
            ),
            ReolinkSensorDescription(
                key=f"storage_{disk}_state",
                translation_key=f"{prefix}_state",
                device_class=SensorDeviceClass.ENUM,
                options=list(STORAGE_STATES),
                entity_registry_enabled_default=False,
                value_fn=_storage_state(disk),
                **common,
            ),
        ]
    return sensors


def _ptz_check_state(value: Any) -> str | None:
    state = f.PTZ_CHECK.read(value)
    return None if state is None else PTZ_CHECK_STATES[state]


def _battery_state(value: Any) -> str | None:
    state = f.BATTERY_CHARGE_STATUS.read(value)
    if state is not None and 0 <= state < len(BATTERY_STATES):
        return BATTERY_STATES[state]
    return None


def _login_count(value: Any) -> int | None:
    users = f.ONLINE_USERS.read(value)
    return None if users is None else len(users)


def _logins(value: Any) -> dict[str, Any]:
    """Who holds each login, and the session ID the disconnect action takes."""
    return {
        "sessions": [
            {
                "username": user.user,
                "ip_address": user.ip,
                "session_id": user.session_id,
                "can_disconnect": user.can_disconnect,
            }
            for user in f.ONLINE_USERS.read(value) or ()
        ]
    }


SENSORS: tuple[ReolinkSensorDescription, ...] = (
    # Battery cameras behind a Home Hub or NVR (the hub answers without waking them)
    ReolinkSensorDescription(
        key="battery_percent",
        source=f.BATTERY_INFO,
        device_class=SensorDeviceClass.BATTERY,
        native_unit_of_measurement=PERCENTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=f.BATTERY_PERCENT.read,
        supported_fn=ability(Feature.BATTERY),
    ),
    ReolinkSensorDescription(
        key="battery_temperature",
        translation_key="battery_temperature",
        source=f.BATTERY_INFO,
        device_class=SensorDeviceClass.TEMPERATURE,
        native_unit_of_measurement=UnitOfTemperature.CELSIUS,
        state_class=SensorStateClass.MEASUREMENT,
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=f.BATTERY_TEMPERATURE.read,
        supported_fn=ability(Feature.BATTERY),
    ),
    ReolinkSensorDescription(
        key="battery_state",
        translation_key="battery_state",
        source=f.BATTERY_INFO,
        device_class=SensorDeviceClass.ENUM,
        options=list(BATTERY_STATES),
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        value_fn=_battery_state,
        supported_fn=ability(Feature.BATTERY),
    ),
    ReolinkSensorDescription(
        key="logins",
        translation_key="logins",
        source=f.ONLINE,
        per_channel=False,
        entity_category=EntityCategory.DIAGNOSTIC,
        state_class=SensorStateClass.MEASUREMENT,
        entity_registry_enabled_default=False,
        value_fn=_login_count,
        attributes_fn=_logins,
    ),
    ReolinkSensorDescription(
        key="wifi_signal",
        translation_key="wifi_signal",
        source=f.WIFI_SIGNAL,
        per_channel=False,
        entity_category=EntityCategory.DIAGNOSTIC,
        state_class=SensorStateClass.MEASUREMENT,
        value_fn=f.WIFI_SIGNAL_LEVEL.read,
        supported_fn=ability(Feature.WIFI),
    ),
    ReolinkSensorDescription(
        key="cpu_usage",
        translation_key="cpu_usage",
        source=f.PERFORMANCE,
        per_channel=False,
        entity_category=EntityCategory.DIAGNOSTIC,
        native_unit_of_measurement=PERCENTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        entity_registry_enabled_default=False,
        value_fn=f.CPU_USAGE.read,
        supported_fn=ability(Feature.PERFORMANCE),
    ),
    *(
        ReolinkSensorDescription(
            key=key,
            translation_key=key,
            source=f.PTZ_POSITION,
            entity_category=EntityCategory.DIAGNOSTIC,
            state_class=SensorStateClass.MEASUREMENT,
            entity_registry_enabled_default=False,
            value_fn=field.read,
            supported_fn=can_pan_tilt,
        )
        for key, field in (
            ("ptz_pan_position", f.PAN_POSITION),
            ("ptz_tilt_position", f.TILT_POSITION),
        )
    ),
    ReolinkSensorDescription(
        key="ptz_check_state",
        translation_key="ptz_check_state",
        source=f.PTZ_CHECK_STATE,
        entity_category=EntityCategory.DIAGNOSTIC,
        device_class=SensorDeviceClass.ENUM,
        options=list(PTZ_CHECK_STATES.values()),
        entity_registry_enabled_default=False,
        value_fn=_ptz_check_state,
        supported_fn=ability(Feature.SUPPORT_PTZ_CHECK),
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: ReolinkConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Device-wide sensors on the camera or hub, per-channel ones on each channel."""
    data = entry.runtime_data
    device = data.device
    entities = [
        ReolinkSensor(data, description, channel)
        for description, channel in supported_targets(device, (*SENSORS, *storage_sensors(device)))
    ]
    # Join the platforms' shared settings read so the first states need no extra request.
    await data.settings.async_read_keys(entity.setting_key for entity in entities)
    async_add_entities(entities)
    if has_storage(device):
        async_add_entities(
            ReolinkLatestRecordingSensor(data, channel) for channel in device.channels
        )


class ReolinkSensor(ReolinkSettingEntity, SensorEntity):
    """One reading taken from a Get command of the settings batch."""

    entity_description: ReolinkSensorDescription

    def __init__(
        self, data: ReolinkData, description: ReolinkSensorDescription, channel: int | None
    ) -> None:
        """Name storage sensors after their disk."""
        super().__init__(data, description, channel)
        self._recheck: CALLBACK_TYPE | None = None
        if description.disk is not None:
            self._attr_translation_placeholders = disk_label(data.device, description.disk)[1]

    @property
    def native_value(self) -> Any:
        """The reading, None while unknown."""
        value = self.answer_value
        return None if value is None else self.entity_description.value_fn(value)

    @property
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """Details beside the reading, where the description has them."""
        value, attributes_fn = self.answer_value, self.entity_description.attributes_fn
        return None if value is None or attributes_fn is None else attributes_fn(value)

    @callback
    def _handle_coordinator_update(self) -> None:
        """Follow a running PTZ calibration closely; it ends within seconds."""
        if self.native_value == "running" and self._recheck is None:
            self._recheck = async_call_later(
                self.hass, PTZ_CHECK_RECHECK_SECONDS, self._async_recheck
            )
        super()._handle_coordinator_update()

    async def _async_recheck(self, _now: datetime) -> None:
        self._recheck = None
        # A failure here shows up in the next regular poll; nothing to add.
        with suppress(UpdateFailed):
            await self.coordinator.async_refresh_key(self.setting_key)

    async def async_will_remove_from_hass(self) -> None:
        """Drop a pending re-read."""
        if self._recheck is not None:
            self._recheck()
            self._recheck = None
        await super().async_will_remove_from_hass()


LATEST_RECORDING = SensorEntityDescription(
    key="latest_recording",
    translation_key="latest_recording",
    device_class=SensorDeviceClass.TIMESTAMP,
    entity_registry_enabled_default=False,
)


class ReolinkLatestRecordingSensor(ReolinkChannelEntity, SensorEntity):
    """When the channel's newest recording started; its media ID plays it."""

    def __init__(self, data: ReolinkData, channel: int) -> None:
        """Nothing known before the first search."""
        super().__init__(data.events, LATEST_RECORDING, channel)
        self._entry_id = data.events.config_entry.entry_id
        self._file: RecordingFile | None = None

    @property
    def should_poll(self) -> bool:
        """Searched every SCAN_INTERVAL while enabled, not with the events coordinator."""
        return True

    async def async_added_to_hass(self) -> None:
        """Search at once (an enabled sensor only: a disabled one is never added)."""
        await super().async_added_to_hass()
        self.async_schedule_update_ha_state(force_refresh=True)

    async def async_update(self) -> None:
        """One Search over the last day (main stream); the newest file is the latest."""
        end = device_time(dt_util.now())
        try:
            files = await recordings_between(
                self.coordinator.client, self.channel, "main", end - LATEST_WINDOW, end
            )
        except ReolinkError as err:
            _LOGGER.debug("%s: latest recording not read: %s", self.entity_id, err)
            return
        if files:
            self._file = files[0]

    @property
    def native_value(self) -> datetime | None:
        """Start of the latest recording."""
        return None if self._file is None else aware(recording_start(self._file))

    @property
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """End, what started it, and the media content ID that plays it."""
        file = self._file
        if file is None:
            return None
        return {
            "end": aware(recording_end(file)).isoformat(),
            "triggers": ordered_triggers(file),
            "media_content_id": recording_media_id(self._entry_id, self.channel, "main", file),
        }
