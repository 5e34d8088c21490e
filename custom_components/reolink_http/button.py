"""Buttons: PTZ (3.7), reboot, format, clock sync (3.1), e-mail and FTP tests (3.3)."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from homeassistant.components import persistent_notification
from homeassistant.components.button import ButtonEntity, ButtonEntityDescription
from homeassistant.components.button.const import ButtonDeviceClass
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.translation import async_get_exception_message
from homeassistant.util import dt as dt_util

from .api import fields as f
from .api.features import Feature
from .api.values import PtzOp
from .capabilities import ability, can_pan_tilt, can_zoom, has_storage
from .const import DOMAIN
from .device import ReolinkDevice
from .entity import ReolinkEventsEntity, disk_label, supported_targets
from .errors import device_errors
from .services import ptz_move

if TYPE_CHECKING:
    from . import ReolinkConfigEntry, ReolinkData

PARALLEL_UPDATES = 1

# How long one press of a direction or zoom button moves the camera.
PTZ_PRESS_SECONDS = 0.5
PTZ_PRESS_SPEED = 32


@dataclass(frozen=True, kw_only=True)
class ReolinkButtonDescription(ButtonEntityDescription):
    """What a press does, and on which devices or channels the button exists."""

    press_fn: Callable[[ReolinkData, int | None], Awaitable[None]]
    supported_fn: Callable[[ReolinkDevice, int | None], bool]
    per_channel: bool = True
    disk: int | None = None  # the storage device a format button is for


def _ptz_press(op: PtzOp) -> Callable[[ReolinkData, int | None], Awaitable[None]]:
    async def press(data: ReolinkData, channel: int | None) -> None:
        await ptz_move(data.client, channel or 0, op, PTZ_PRESS_SPEED, PTZ_PRESS_SECONDS)

    return press


def _ptz_ctrl(op: PtzOp) -> Callable[[ReolinkData, int | None], Awaitable[None]]:
    async def press(data: ReolinkData, channel: int | None) -> None:
        await data.client.ptz_ctrl(channel or 0, op)

    return press


def _ptz_button(*, key: str, op: PtzOp) -> ReolinkButtonDescription:
    return ReolinkButtonDescription(
        key=key, translation_key=key, press_fn=_ptz_press(op), supported_fn=can_pan_tilt
    )


def _zoom_button(*, key: str, op: PtzOp) -> ReolinkButtonDescription:
    return ReolinkButtonDescription(
        key=key, translation_key=key, press_fn=_ptz_press(op), supported_fn=can_zoom
    )


async def _set_guard_position(data: ReolinkData, channel: int | None) -> None:
    """Make the current position the guard position."""
    await data.client.save_guard_position(channel or 0)
    await data.settings.async_refresh_if_read((f.PTZ_GUARD, channel))


async def _go_to_guard(data: ReolinkData, channel: int | None) -> None:
    await f.go_to_guard_position(data.client, channel or 0)


def _hidden_ptz(
    *, key: str, press_fn: Callable[[ReolinkData, int | None], Awaitable[None]]
) -> ReolinkButtonDescription:
    """A pan/tilt button few dashboards need, created disabled."""
    return ReolinkButtonDescription(
        key=key,
        translation_key=key,
        entity_registry_enabled_default=False,
        press_fn=press_fn,
        supported_fn=can_pan_tilt,
    )


async def _calibrate(data: ReolinkData, channel: int | None) -> None:
    """3.7.17 PtzCheck, then show the check state sensor's "running" right away."""
    await data.client.ptz_check(channel or 0)
    await data.settings.async_refresh_if_read((f.PTZ_CHECK_STATE, channel))


async def _reboot(data: ReolinkData, _channel: int | None) -> None:
    await data.client.reboot()


async def _sync_clock(data: ReolinkData, _channel: int | None) -> None:
    """Set the device's clock to Home Assistant's, in the device's own zone and DST rule.

    The device's DST rule is taken to be in force when Home Assistant's own time zone
    observes DST, since the two normally sit in the same place.
    """
    now = dt_util.utcnow()
    await data.client.set_clock(now, dst_in_force=bool(dt_util.as_local(now).dst()))


def _format_disk(disk: int) -> Callable[[ReolinkData, int | None], Awaitable[None]]:
    async def press(data: ReolinkData, _channel: int | None) -> None:
        await data.client.format_hdd([disk])
        await data.settings.async_refresh_if_read((f.HDD_INFO, None))

    return press


async def _test_email(data: ReolinkData, _channel: int | None) -> None:
    """Send a test e-mail with the device's settings."""
    await data.client.test_email()
    await _notify(data, "test_email_passed")


async def _test_ftp(data: ReolinkData, _channel: int | None) -> None:
    """Test the device's FTP settings."""
    await data.client.test_ftp()
    await _notify(data, "test_ftp_passed")


async def _notify(data: ReolinkData, key: str) -> None:
    hass = data.settings.hass
    title = data.device.info.name
    message = async_get_exception_message(DOMAIN, key, {"name": title})
    persistent_notification.async_create(
        hass, message, title=title, notification_id=f"{DOMAIN}_{data.device.mac}_{key}"
    )


BUTTONS: tuple[ReolinkButtonDescription, ...] = (
    _ptz_button(key="ptz_left", op=PtzOp.LEFT),
    _ptz_button(key="ptz_right", op=PtzOp.RIGHT),
    _ptz_button(key="ptz_up", op=PtzOp.UP),
    _ptz_button(key="ptz_down", op=PtzOp.DOWN),
    _hidden_ptz(key="ptz_left_up", press_fn=_ptz_press(PtzOp.LEFT_UP)),
    _hidden_ptz(key="ptz_left_down", press_fn=_ptz_press(PtzOp.LEFT_DOWN)),
    _hidden_ptz(key="ptz_right_up", press_fn=_ptz_press(PtzOp.RIGHT_UP)),
    _hidden_ptz(key="ptz_right_down", press_fn=_ptz_press(PtzOp.RIGHT_DOWN)),
    # The head scans on its own until stopped.
    _hidden_ptz(key="ptz_auto", press_fn=_ptz_ctrl(PtzOp.AUTO)),
    ReolinkButtonDescription(
        key="ptz_stop",
        translation_key="ptz_stop",
        press_fn=_ptz_ctrl(PtzOp.STOP),
        supported_fn=lambda device, channel: can_pan_tilt(device, channel)
        or can_zoom(device, channel),
    ),
    _zoom_button(key="ptz_zoom_in", op=PtzOp.ZOOM_IN),
    _zoom_button(key="ptz_zoom_out", op=PtzOp.ZOOM_OUT),
    ReolinkButtonDescription(
        key="ptz_guard_set",
        translation_key="ptz_guard_set",
        entity_category=EntityCategory.CONFIG,
        entity_registry_enabled_default=False,
        press_fn=_set_guard_position,
        supported_fn=ability(Feature.PTZ_PRESET),
    ),
    ReolinkButtonDescription(
        key="ptz_guard_go_to",
        translation_key="ptz_guard_go_to",
        entity_registry_enabled_default=False,
        press_fn=_go_to_guard,
        supported_fn=ability(Feature.PTZ_PRESET),
    ),
    ReolinkButtonDescription(
        key="ptz_calibrate",
        translation_key="ptz_calibrate",
        entity_category=EntityCategory.CONFIG,
        entity_registry_enabled_default=False,
        press_fn=_calibrate,
        supported_fn=ability(Feature.SUPPORT_PTZ_CHECK),
    ),
    ReolinkButtonDescription(
        key="reboot",
        device_class=ButtonDeviceClass.RESTART,
        entity_category=EntityCategory.CONFIG,
        press_fn=_reboot,
        supported_fn=ability(Feature.REBOOT),
        per_channel=False,
    ),
    ReolinkButtonDescription(
        key="sync_clock",
        translation_key="sync_clock",
        entity_category=EntityCategory.CONFIG,
        entity_registry_enabled_default=False,
        press_fn=_sync_clock,
        supported_fn=ability(Feature.TIME),
        per_channel=False,
    ),
    ReolinkButtonDescription(
        key="test_email",
        translation_key="test_email",
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        press_fn=_test_email,
        supported_fn=ability(Feature.EMAIL),
        per_channel=False,
    ),
    ReolinkButtonDescription(
        key="test_ftp",
        translation_key="test_ftp",
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        press_fn=_test_ftp,
        supported_fn=ability(Feature.FTP_TEST),
        per_channel=False,
    ),
)


def format_buttons(device: ReolinkDevice) -> list[ReolinkButtonDescription]:
    """One format button per disk GetDevInfo's `diskNum` (3.1.2) counts; off by default."""
    if not has_storage(device):
        return []
    buttons = []
    for disk in range(device.info.disk_count):
        prefix, _ = disk_label(device, disk)
        buttons.append(
            ReolinkButtonDescription(
                key=f"format_{disk}",
                translation_key=f"{prefix}_format",
                entity_category=EntityCategory.CONFIG,
                entity_registry_enabled_default=False,
                press_fn=_format_disk(disk),
                supported_fn=lambda device, channel: True,
                per_channel=False,
                disk=disk,
            )
        )
    return buttons


async def async_setup_entry(
    hass: HomeAssistant,
    entry: ReolinkConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Device-wide buttons on the camera or hub, PTZ buttons on each PTZ channel."""
    data = entry.runtime_data
    descriptions = (*BUTTONS, *format_buttons(data.device))
    async_add_entities(
        ReolinkButton(data, description, channel)
        for description, channel in supported_targets(data.device, descriptions)
    )


class ReolinkButton(ReolinkEventsEntity, ButtonEntity):
    """A one-shot action; available while the device (or its channel) answers polls.

    It follows the events coordinator, which polls anyway, so buttons add no requests.
    """

    entity_description: ReolinkButtonDescription

    def __init__(
        self, data: ReolinkData, description: ReolinkButtonDescription, channel: int | None
    ) -> None:
        """On the device or the channel; a format button names its disk."""
        super().__init__(data.events, description, channel)
        self.data = data
        if description.disk is not None:
            self._attr_translation_placeholders = disk_label(data.device, description.disk)[1]

    async def async_press(self) -> None:
        """Run the action; device refusals become translated errors."""
        with device_errors():
            await self.entity_description.press_fn(self.data, self.channel)
