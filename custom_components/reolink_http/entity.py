"""Base entities: device registry info, unique IDs per channel, reading and writing settings."""

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from homeassistant.helpers.device_registry import CONNECTION_NETWORK_MAC, DeviceInfo
from homeassistant.helpers.entity import EntityDescription
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .api import CommandResult, ReolinkClient
from .api.fields import Source
from .api.models import Chime
from .const import DOMAIN, MANUFACTURER
from .coordinator import (
    ChannelEvents,
    ReolinkEventsCoordinator,
    SettingKey,
)
from .device import ReolinkDevice
from .errors import device_errors
from .settings_coordinator import ReolinkSettingsCoordinator

if TYPE_CHECKING:
    from . import ReolinkData


def device_info_for(device: ReolinkDevice, channel: int | None, url: str) -> DeviceInfo:
    """The device (camera or NVR hub) or, for an NVR channel, its child device."""
    if channel is None or not device.is_nvr:
        info = device.info
        return DeviceInfo(
            identifiers={(DOMAIN, device.mac)},
            connections={(CONNECTION_NETWORK_MAC, device.mac)},
            manufacturer=MANUFACTURER,
            model=info.model,
            name=info.name,
            sw_version=info.firmware,
            hw_version=info.hardware,
            serial_number=info.serial,
            configuration_url=url,
        )
    camera = device.channels[channel]
    channel_info = DeviceInfo(
        identifiers={(DOMAIN, device.channel_key(channel))},
        manufacturer=MANUFACTURER,
        name=camera.name or f"{device.info.name} channel {channel + 1}",
    )
    if device.hub_device_id is not None:
        channel_info["via_device_id"] = device.hub_device_id
    # An offline camera reports no model; leaving it out keeps the one the registry knows.
    if camera.model:
        channel_info["model"] = camera.model
    if camera.firmware:
        channel_info["sw_version"] = camera.firmware
    return channel_info


def chime_device_info(device: ReolinkDevice, chime: Chime) -> DeviceInfo:
    """A chime paired to the hub: its own device, connected through the hub."""
    info = DeviceInfo(
        identifiers={(DOMAIN, device.chime_key(chime.id))},
        manufacturer=MANUFACTURER,
        model="Reolink Chime",
        name=chime.name or f"{device.info.name} chime {chime.id + 1}",
    )
    if device.hub_device_id is not None:
        info["via_device_id"] = device.hub_device_id
    return info


def configuration_url(client: ReolinkClient) -> str:
    """The device's own web interface."""
    scheme = "https" if client.use_https else "http"
    return f"{scheme}://{client.host}:{client.port}"


def entity_unique_id(device: ReolinkDevice, channel: int | None, key: str) -> str:
    """`<MAC>_<key>` on the camera or NVR hub, `<channel key>_<key>` on one channel."""
    owner = device.mac if channel is None else device.channel_key(channel)
    return f"{owner}_{key}"


class ReolinkEventsEntity(CoordinatorEntity[ReolinkEventsCoordinator]):
    """An entity of the camera or NVR hub (channel None) or of one channel.

    It follows the events poll, which runs anyway: available while the device answers
    it and, for a channel, while that channel does.
    """

    _attr_has_entity_name = True

    def __init__(
        self,
        coordinator: ReolinkEventsCoordinator,
        description: EntityDescription,
        channel: int | None,
    ) -> None:
        """Attach to the device (or the channel's device) and derive a restart-stable ID."""
        super().__init__(coordinator)
        self.entity_description = description
        self.channel = channel
        device = coordinator.device
        self._attr_unique_id = entity_unique_id(device, channel, description.key)
        self._attr_device_info = device_info_for(
            device, channel, configuration_url(coordinator.client)
        )

    @property
    def available(self) -> bool:
        """Unavailable when the device is unreachable or only this channel failed."""
        if not super().available:
            return False
        if self.channel is None:
            return True
        events = self.coordinator.data.get(self.channel) if self.coordinator.data else None
        return events is not None and events.reachable


class ReolinkChannelEntity(ReolinkEventsEntity):
    """An entity about one channel, available while that channel answers."""

    channel: int

    def __init__(
        self,
        coordinator: ReolinkEventsCoordinator,
        description: EntityDescription,
        channel: int,
    ) -> None:
        """Always on a channel."""
        super().__init__(coordinator, description, channel)

    @property
    def events(self) -> ChannelEvents | None:
        """This channel's part of the last events poll."""
        return self.coordinator.data.get(self.channel) if self.coordinator.data else None


@dataclass(frozen=True, kw_only=True)
class ReolinkSettingDescription(EntityDescription):
    """What every settings entity declares: the Get it reads (`source`) and when it exists.

    Mixed into each platform's description, e.g.
    `class D(ReolinkSettingDescription, SwitchEntityDescription)`.
    """

    source: Source
    per_channel: bool = True
    # The channel a device-wide setting is read with, where the Get needs one.
    read_channel: int | None = None
    supported_fn: Callable[[ReolinkDevice, int | None], bool] = lambda device, channel: True
    # A second Get the entity needs (a choice's list read by another command).
    also_reads: Source | None = None
    # The chime this setting belongs to (its own device), None for cameras and the hub.
    chime: Chime | None = None


def setting_key(description: ReolinkSettingDescription, channel: int | None) -> SettingKey:
    """The (Get, channel) pair an entity of `description` on `channel` reads."""
    return (description.source, channel if description.per_channel else description.read_channel)


class ChannelScoped(Protocol):
    """A description that is per channel or device-wide and knows when it is supported."""

    @property
    def per_channel(self) -> bool:
        """One entity per channel (True) or one for the device (False)."""

    @property
    def supported_fn(self) -> Callable[[ReolinkDevice, int | None], bool]:
        """Whether the device (or channel) has the feature."""


def supported_targets[D: ChannelScoped](
    device: ReolinkDevice, descriptions: Iterable[D]
) -> list[tuple[D, int | None]]:
    """(description, channel) pairs to create: per channel, or once device-wide (None)."""
    return [
        (description, channel)
        for description in descriptions
        for channel in (device.channels if description.per_channel else (None,))
        if description.supported_fn(device, channel)
    ]


class ReolinkSettingEntity(CoordinatorEntity[ReolinkSettingsCoordinator]):
    """An entity showing (and usually changing) one setting read by a Get command.

    Its (Get, channel) pair is its listener context, so the settings coordinator
    asks the device only for what enabled entities show.
    """

    _attr_has_entity_name = True
    entity_description: ReolinkSettingDescription

    def __init__(
        self, data: ReolinkData, description: ReolinkSettingDescription, channel: int | None
    ) -> None:
        """Attach to the channel's device (or the NVR hub for device-wide settings)."""
        self.channel = channel if description.per_channel else None
        key = setting_key(description, channel)
        other = description.also_reads
        self.other_key: SettingKey | None = None if other is None else (other, key[1])
        reads = {key} if self.other_key is None else {key, self.other_key}
        super().__init__(data.settings, context=frozenset(reads))
        self.entity_description = description
        self.setting_key = key
        device = data.device
        self._attr_unique_id = entity_unique_id(device, self.channel, description.key)
        url = configuration_url(data.client)
        self._attr_device_info = device_info_for(device, self.channel, url)
        if description.chime is not None:
            self._attr_unique_id = f"{device.chime_key(description.chime.id)}_{description.key}"
            self._attr_device_info = chime_device_info(device, description.chime)

    @property
    def result(self) -> CommandResult | None:
        """The last answer to this entity's Get command."""
        return self.coordinator.data.get(self.setting_key) if self.coordinator.data else None

    @property
    def answer_value(self) -> Any:
        """The `value` part of the last answer, None when the command failed.

        (Not `value`: NumberEntity's state property has that name.)
        """
        result = self.result
        return result.value if result is not None and result.ok else None

    @property
    def other_value(self) -> Any:
        """The `value` of the `also_reads` answer, None when missing or failed."""
        data = self.coordinator.data
        result = data.get(self.other_key) if data and self.other_key else None
        return result.value if result is not None and result.ok else None

    @property
    def available(self) -> bool:
        """Unavailable while the command fails or the channel is offline."""
        channel = self.coordinator.device.channels.get(self.channel or 0)
        online = channel is None or channel.online
        return super().available and online and self.answer_value is not None

    def allowed_values(self) -> str | None:
        """What the device accepts, for the message when it refuses a value."""
        return None

    async def async_apply(self, call: Callable[[ReolinkClient], Awaitable[Any]]) -> None:
        """Run a Set, turning refusals into translated errors, then re-read this command."""
        with device_errors(self.allowed_values()):
            await call(self.coordinator.client)
        await self.coordinator.async_refresh_key(self.setting_key)


def disk_label(device: ReolinkDevice, disk: int) -> tuple[str, dict[str, str]]:
    """Translation-key prefix and placeholders naming one storage device."""
    if device.is_nvr:
        return "hdd", {"disk": str(disk + 1)}
    return "sd_card", {}
