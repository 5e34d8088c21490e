"""The device actions the integration uses (buttons, PTZ, firmware), one method each."""

from typing import TYPE_CHECKING, Any

from . import commands as c
from .models import FirmwareCheck, OnlineUser, RawConfig, UpgradeStatus
from .values import LensOp, PtzOp

if TYPE_CHECKING:
    from .commands import TypedCommand


class CommandMethods:
    """Client methods that send one command (or a Get and its Set); mixed into the client."""

    if TYPE_CHECKING:

        async def run(self, typed: TypedCommand[Any]) -> Any: ...

    # 3.1 System
    async def reboot(self) -> None:
        """3.1.13 Reboot."""
        await self.run(c.reboot())

    async def format_hdd(self, hdd_ids: list[int]) -> None:
        """3.1.10 Format the disks with these ids."""
        await self.run(c.format_hdd(hdd_ids))

    async def check_firmware(self) -> FirmwareCheck:
        """3.1.17 CheckFirmware."""
        check: FirmwareCheck = await self.run(c.check_firmware())
        return check

    async def upgrade_online(self) -> None:
        """3.1.18 UpgradeOnline: install the firmware CheckFirmware found."""
        await self.run(c.upgrade_online())

    async def upgrade_status(self) -> UpgradeStatus:
        """3.1.19 UpgradeStatus."""
        status: UpgradeStatus = await self.run(c.upgrade_status())
        return status

    # 3.2 Security
    async def get_online(self) -> tuple[OnlineUser, ...]:
        """3.2.7 GetOnline: who holds the device's logins."""
        users: tuple[OnlineUser, ...] = await self.run(c.get_online())
        return users

    async def disconnect(self, username: str, session_id: int) -> None:
        """3.2.8 Disconnect: end another client's login."""
        await self.run(c.disconnect(username, session_id))

    # 3.3 Network
    async def get_net_port(self) -> RawConfig:
        """3.3.17 GetNetPort (the ONVIF port is read from it)."""
        ports: RawConfig = await self.run(c.get_net_port())
        return ports

    async def test_email(self) -> None:
        """3.3.9 TestEmail with the settings stored on the device (3.3.5 GetEmail)."""
        settings = await self.run(c.get_email())
        await self.run(c.test_email(settings.raw))

    async def test_ftp(self) -> None:
        """3.3.14 TestFtp with the settings stored on the device (3.3.10 GetFtp)."""
        settings = await self.run(c.get_ftp())
        await self.run(c.test_ftp(settings.raw))

    # 3.7 PTZ
    async def ptz_ctrl(
        self, channel: int, op: PtzOp, speed: int | None = None, preset_id: int | None = None
    ) -> None:
        """3.7.5 PtzCtrl: move, stop, go to a preset or run a patrol (with `preset_id`)."""
        await self.run(c.ptz_ctrl(channel, op, speed, preset_id))

    async def set_ptz_preset(self, channel: int, preset_id: int, name: str) -> None:
        """3.7.2 SetPtzPreset: store the current position under `preset_id`."""
        await self.run(c.set_ptz_preset(channel, preset_id, name))

    async def start_zoom_focus(self, channel: int, op: LensOp, pos: int) -> None:
        """3.7.13 StartZoomFocus: move the zoom or the focus to `pos`."""
        await self.run(c.start_zoom_focus(channel, op, pos))

    async def set_ptz_guard(self, channel: int, enable: bool, return_after: int) -> None:
        """3.7.15 SetPtzGuard: switch guard mode; it returns after `return_after` seconds idle."""
        await self.run(c.set_ptz_guard(channel, enable, return_after))

    async def save_guard_position(self, channel: int) -> None:
        """3.7.15 SetPtzGuard with bSaveCurrentPos, keeping on/off and timeout (3.7.14)."""
        guard = await self.run(c.get_ptz_guard(channel))
        await self.run(
            c.set_ptz_guard(channel, guard.enabled, guard.timeout, save_current_position=True)
        )

    async def ptz_check(self, channel: int) -> None:
        """3.7.17 PtzCheck: start the PTZ self-test."""
        await self.run(c.ptz_check(channel))
