"""Base entities: device registry info and unique IDs per channel."""

from __future__ import annotations

from homeassistant.helpers.device_registry import CONNECTION_NETWORK_MAC, DeviceInfo
from homeassistant.helpers.entity import EntityDescription
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .api import ReolinkClient
from .const import DOMAIN, MANUFACTURER
from .coordinator import ChannelEvents, ReolinkEventsCoordinator
from .device import ReolinkDevice


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
    return DeviceInfo(
        identifiers={(DOMAIN, device.channel_key(channel))},
        manufacturer=MANUFACTURER,
        model=camera.model,
        name=camera.name or f"{device.info.name} channel {channel + 1}",
        via_device=(DOMAIN, device.mac),
    )


def configuration_url(client: ReolinkClient) -> str:
    """The device's own web interface."""
    scheme = "https" if client.use_https else "http"
    return f"{scheme}://{client.host}:{client.port}"


class ReolinkChannelEntity(CoordinatorEntity[ReolinkEventsCoordinator]):
    """An entity about one channel, available while that channel answers."""

    _attr_has_entity_name = True

    def __init__(
        self,
        coordinator: ReolinkEventsCoordinator,
        description: EntityDescription,
        channel: int,
    ) -> None:
        """Attach to the channel's device and derive a restart-stable unique ID."""
        super().__init__(coordinator)
        self.entity_description = description
        self.channel = channel
        device = coordinator.device
        self._attr_unique_id = f"{device.channel_key(channel)}_{description.key}"
        self._attr_device_info = device_info_for(
            device, channel, configuration_url(coordinator.client)
        )

    @property
    def available(self) -> bool:
        """Unavailable when the device is unreachable or only this channel failed."""
        return super().available and self.events is not None and self.events.reachable

    @property
    def events(self) -> ChannelEvents | None:
        """This channel's part of the last events poll."""
        return self.coordinator.data.get(self.channel) if self.coordinator.data else None
