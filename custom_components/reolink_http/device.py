"""What the integration knows about one configured device and its channels."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from homeassistant.helpers.device_registry import format_mac

from .api import (
    Abilities,
    ChannelStatus,
    ChannelType,
    CommandResult,
    DeviceInfo,
    LocalLink,
    ReolinkClient,
    ReolinkError,
    ReolinkFirmwareTooOldError,
    ReolinkNotSupportedError,
    UserAccount,
)
from .api.client import parse_typed
from .api.commands import (
    get_ability,
    get_channel_status,
    get_chime_list,
    get_chn_type_info,
    get_dev_info,
    get_events,
    get_local_link,
    get_net_port,
    get_users,
)
from .api.features import AI_KIND_FEATURES, Feature
from .api.fields import CHANNEL_TYPE, DEVICE_INFO, Source
from .api.models import Chime, closed_ports, onvif_port


@dataclass(slots=True)
class ReolinkChannel:
    """One video channel: the camera itself, or one camera behind an NVR."""

    index: int
    name: str
    model: str | None = None
    online: bool = True
    uid: str | None = None
    # An NVR camera's own firmware and hardware version (GetChnTypeInfo), None until read.
    firmware: str | None = None
    hardware: str | None = None
    # A battery camera asleep (Getchannelstatus `sleep`); None when not reported.
    sleeping: bool | None = None


class ReolinkDevice:
    """Static facts (model, abilities, MAC) plus the live channel list."""

    def __init__(
        self,
        info: DeviceInfo,
        abilities: Abilities,
        mac: str,
        channel_status: Iterable[ChannelStatus] = (),
    ) -> None:
        """Build from the answers of the cold-start batch."""
        self.info = info
        self.abilities = abilities
        self.mac = format_mac(mac)
        # Newer firmware answers motion, AI and visitor of a channel in one GetEvents.
        self.has_get_events = True
        self.channels: dict[int, ReolinkChannel] = {}
        # Detection kinds the event answers mark as supported (GetEvents/GetAiState
        # `support`), also those no GetAbility feature announces ("non-motor vehicle").
        self.reported_ai_types: dict[int, tuple[str, ...]] = {}
        # ONVIF event service port from GetNetPort; None when switched off or unknown.
        self.onvif_port: int | None = None
        # Services switched off in GetNetPort that the integration uses ("onvif", "rtsp").
        self.closed_ports: tuple[str, ...] = ()
        # The NVR hub's device registry ID, which its cameras' devices link to.
        self.hub_device_id: str | None = None
        # Chimes paired to the hub itself (GetDingDongList), each shown as a device.
        self.chimes: tuple[Chime, ...] = ()
        # The level of the account logged in with (GetUser); None when not answered.
        self.user_level: str | None = None
        statuses = list(channel_status)
        # Without a channel list an NVR is shown as one placeholder channel; nothing
        # may then be judged gone from the device registry.
        self.channels_confirmed = not self.is_nvr or bool(statuses)
        if self.is_nvr and statuses:
            self.update_channel_status(statuses)
        else:
            self.channels[0] = ReolinkChannel(0, info.name, info.model)

    @property
    def is_nvr(self) -> bool:
        """True for a hub whose channels are separate cameras."""
        return self.info.is_nvr

    def online_channels(self) -> list[int]:
        """Channels worth polling: an offline NVR channel only answers errors."""
        return [index for index, channel in self.channels.items() if channel.online]

    def ai_types(self, channel: int) -> tuple[str, ...]:
        """AI detection types GetAbility announces or the event answers report."""
        announced = tuple(
            kind
            for kind, features in AI_KIND_FEATURES.items()
            if any(self.abilities.supports(feature, channel) for feature in features)
        )
        reported = self.reported_ai_types.get(channel, ())
        return announced + tuple(kind for kind in reported if kind not in announced)

    def note_reported_ai_types(self, channel: int, kinds: Iterable[str]) -> None:
        """Remember kinds an event answer marked as supported; a later answer adds, never drops."""
        known = self.reported_ai_types.get(channel, ())
        self.reported_ai_types[channel] = known + tuple(k for k in kinds if k not in known)

    def on_battery(self, channel: int | None) -> bool:
        """A battery camera (GetAbility `battery`) behind this hub or NVR."""
        return channel is not None and self.abilities.supports(Feature.BATTERY, channel)

    def asleep(self, channel: int | None) -> bool:
        """A battery camera the hub last reported asleep; asking it most things wakes it."""
        known = self.channels.get(channel) if channel is not None else None
        return known is not None and bool(known.sleeping) and self.on_battery(channel)

    def offline(self, channel: int | None) -> bool:
        """A channel the last channel list reported offline; it answers only errors."""
        known = self.channels.get(channel) if channel is not None else None
        return known is not None and not known.online

    def channel_of(self, identifier: str) -> int | None:
        """The channel a device-registry identifier stands for; None for an NVR hub."""
        return next((ch for ch in self.channels if self.channel_key(ch) == identifier), None)

    def channel_key(self, channel: int) -> str:
        """Stable identity of a channel, surviving NVR channel renumbering.

        The camera's own UID moves with it to another NVR port; the port number does not.
        """
        if not self.is_nvr:
            return self.mac
        uid = self.channels[channel].uid if channel in self.channels else None
        return uid or f"{self.mac}_{channel}"

    def chime_key(self, chime: int) -> str:
        """Device registry identifier of a chime paired to the hub."""
        return f"{self.mac}_chime_{chime}"

    def chime_of(self, identifier: str) -> int | None:
        """The chime a device-registry identifier stands for, None for anything else."""
        return next((c.id for c in self.chimes if self.chime_key(c.id) == identifier), None)

    def present_keys(self) -> set[str]:
        """Device registry identifiers of the hub, every channel's camera and every chime."""
        cameras = (self.channel_key(index) for index in self.channels)
        return {self.mac, *cameras, *(self.chime_key(chime.id) for chime in self.chimes)}

    def update_channel_status(self, statuses: Any) -> list[ReolinkChannel]:
        """Apply a Getchannelstatus answer (3.1.20); unknown shapes are ignored.

        Returns the channels whose camera is new: a channel not seen before, or
        one now reporting a different camera UID (a camera plugged into an empty
        port or swapped). An empty UID keeps the known one: an unplugged camera's
        device is only judged gone when the entry is next set up.
        """
        if not isinstance(statuses, Iterable):
            return []
        arrived: list[ReolinkChannel] = []
        for status in statuses:
            if not isinstance(status, ChannelStatus):
                continue
            known = self.channels.get(status.channel)
            if known is None:
                channel = ReolinkChannel(
                    status.channel, status.name, status.model, status.online, status.uid
                )
                channel.sleeping = status.sleep
                self.channels[status.channel] = channel
                arrived.append(channel)
                continue
            if status.uid and status.uid != known.uid:
                arrived.append(known)
            known.online = status.online
            known.name = status.name or known.name
            known.model = status.model or known.model
            known.uid = status.uid or known.uid
            if status.sleep is not None:
                known.sleeping = status.sleep
        return arrived

    def apply_settings(self, data: Mapping[tuple[Source, int | None], CommandResult]) -> None:
        """Pick up a changed firmware version or name from a settings refresh."""
        for (source, channel), answer in data.items():
            if source == CHANNEL_TYPE and channel in self.channels:
                self._apply_channel_type(channel, answer)
        result = data.get((DEVICE_INFO, None))
        if result is None:
            return
        # Parsed like every answer: one of another shape is an error, kept out.
        info = parse_typed(get_dev_info(), result)
        if isinstance(info, DeviceInfo):
            self.info = info

    def channel_type_keys(self) -> list[tuple[Source, int | None]]:
        """What reads each NVR camera's model and firmware (none on a camera)."""
        if not self.is_nvr:
            return []
        return [(CHANNEL_TYPE, channel) for channel in self.online_channels()]

    def _apply_channel_type(self, channel: int, result: CommandResult) -> None:
        info = parse_typed(get_chn_type_info(channel), result)
        if isinstance(info, ChannelType):
            camera = self.channels[channel]
            camera.firmware = info.firmware or camera.firmware
            camera.model = info.model or camera.model
            camera.hardware = info.board or camera.hardware


async def read_device(client: ReolinkClient) -> ReolinkDevice:
    """Read device info, abilities, MAC, channels and users in one batch (3.1, 3.2.3, 3.3.1).

    Raises the client's typed errors; a camera without Getchannelstatus is fine.
    """
    info, abilities, link, statuses, net_port, events, users = await client.execute_typed(
        [
            get_dev_info(),
            get_ability(client.username),
            get_local_link(),
            get_channel_status(),
            get_net_port(),
            # Tells whether the firmware has GetEvents (-9 where it has not).
            get_events(0),
            get_users(),
        ]
    )
    firmware = info.firmware if isinstance(info, DeviceInfo) else ""
    for answer in (info, abilities, link):
        if isinstance(answer, ReolinkNotSupportedError):
            raise ReolinkFirmwareTooOldError(answer.cmd, answer.code, answer.detail, firmware)
        if isinstance(answer, ReolinkError):
            raise answer
    assert isinstance(info, DeviceInfo)
    assert isinstance(abilities, Abilities)
    assert isinstance(link, LocalLink)
    channel_list = statuses if isinstance(statuses, tuple) else ()
    device = ReolinkDevice(info, abilities, link.mac, channel_list)
    device.onvif_port = onvif_port(net_port)
    device.closed_ports = closed_ports(net_port)
    device.has_get_events = not isinstance(events, ReolinkNotSupportedError)
    device.user_level = _level_of(users, client.username)
    if device.abilities.supports(Feature.SUPPORT_DING_DONG_CTRL):
        chimes = (await client.execute_typed([get_chime_list()]))[0]
        device.chimes = chimes if isinstance(chimes, tuple) else ()
    return device


def _level_of(users: tuple[UserAccount, ...] | ReolinkError, username: str) -> str | None:
    """The level of `username` in a GetUser answer; None when unanswered or not listed."""
    if isinstance(users, ReolinkError):
        return None
    return next((user.level for user in users if user.name == username), None)
