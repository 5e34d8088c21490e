"""When an entity exists: the device's GetAbility (3.1.1) features, in one place."""

from collections.abc import Callable

from .api.features import Feature
from .device import ReolinkDevice

type Supported = Callable[[ReolinkDevice, int | None], bool]


def ability(*features: Feature) -> Supported:
    """Supported when GetAbility (3.1.1) announces every feature for the channel."""

    def supported(device: ReolinkDevice, channel: int | None) -> bool:
        return all(device.abilities.supports(name, channel) for name in features)

    return supported


def spotlight(device: ReolinkDevice, channel: int | None) -> bool:
    """A white LED announced by any of the features real firmware uses for it."""
    return device.abilities.has_spotlight(channel)


def schedule_v20(device: ReolinkDevice, channel: int | None) -> bool:
    """True when `scheduleVersion` (3.1.1) says the V20 commands replace the old ones."""
    return device.abilities.supports(Feature.SCHEDULE_VERSION)


def both(first: Supported, second: Supported) -> Supported:
    """Supported when both conditions hold."""
    return lambda device, channel: first(device, channel) and second(device, channel)


def legacy(first: Supported) -> Supported:
    """Supported by the pre-V20 command, i.e. when `scheduleVersion` is 0."""
    return lambda device, channel: first(device, channel) and not schedule_v20(device, channel)


def lacks(feature: Feature) -> Supported:
    """Supported when the feature is not announced for the channel."""
    return lambda device, channel: not device.abilities.supports(feature, channel)


def can_pan_tilt(device: ReolinkDevice, channel: int | None) -> bool:
    """The camera moves (not only a zoom lens)."""
    return device.abilities.can_pan_tilt(channel)


def can_zoom(device: ReolinkDevice, channel: int | None) -> bool:
    """The lens zooms and focuses."""
    return device.abilities.can_zoom(channel)


def online_upgrade(device: ReolinkDevice, channel: int | None) -> bool:
    """The device checks for and installs firmware online (`upgrade` version 2)."""
    return device.abilities.version(Feature.UPGRADE) >= 2


def has_storage(device: ReolinkDevice, channel: int | None = None) -> bool:
    """An SD card (cameras) or disks (recorders)."""
    return any(device.abilities.supports(name) for name in (Feature.SD_CARD, Feature.DISK))


def is_hub(device: ReolinkDevice, channel: int | None = None) -> bool:
    """A Reolink Home Hub (GetDevInfo type `HOMEHUB`): status light, hub audio."""
    return device.info.is_hub


def hub_doorbell(device: ReolinkDevice, channel: int | None) -> bool:
    """A doorbell behind a Home Hub: the hub plays a visitor tune for it."""
    return is_hub(device) and device.abilities.supports(Feature.SUPPORT_DOORBELL, channel)


def has_telephoto(device: ReolinkDevice, channel: int | None) -> bool:
    """A dual-lens tracker behind an NVR: its telephoto lens streams on the same channel.

    reolink_aio 0.22.0 reads `supportAutoTrackStream` so only on NVR channels.
    """
    return device.is_nvr and device.abilities.supports(Feature.SUPPORT_AUTO_TRACK_STREAM, channel)
