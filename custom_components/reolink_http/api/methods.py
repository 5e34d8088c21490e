"""One awaitable helper per command of the guide, bound from the builders in `commands.py`.

`helper(builder)` turns a request builder into a client method with the builder's
signature that sends the command and returns the parsed value (raising its typed error).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, ParamSpec, Protocol, TypeVar, overload

from . import commands as c
from .commands import TypedCommand

P = ParamSpec("P")
T = TypeVar("T")


class _Runner(Protocol):
    async def run(self, typed: TypedCommand[Any]) -> Any: ...


class helper[**P, T]:
    """Descriptor: `get_isp = helper(commands.get_isp)` gives `await client.get_isp(0)`."""

    def __init__(self, builder: Callable[P, TypedCommand[T]]) -> None:
        self.builder = builder
        self.__doc__ = builder.__doc__

    @overload
    def __get__(self, owner: None, owner_type: type) -> helper[P, T]: ...

    @overload
    def __get__(self, owner: _Runner, owner_type: type) -> Callable[P, Awaitable[T]]: ...

    def __get__(
        self, owner: _Runner | None, owner_type: type
    ) -> helper[P, T] | Callable[P, Awaitable[T]]:
        if owner is None:
            return self
        builder = self.builder

        async def call(*args: P.args, **kwargs: P.kwargs) -> T:
            result: T = await owner.run(builder(*args, **kwargs))
            return result

        call.__doc__ = builder.__doc__
        return call


class CommandMethods:
    """The per-command helpers of guide section 3 (binary ones live on the client)."""

    # 3.1 System
    get_dev_info = helper(c.get_dev_info)
    get_dev_name = helper(c.get_dev_name)
    set_dev_name = helper(c.set_dev_name)
    get_time = helper(c.get_time)
    set_time = helper(c.set_time)
    get_auto_maint = helper(c.get_auto_maint)
    set_auto_maint = helper(c.set_auto_maint)
    get_hdd_info = helper(c.get_hdd_info)
    format_hdd = helper(c.format_hdd)
    restore = helper(c.restore)
    reboot = helper(c.reboot)
    upgrade_prepare = helper(c.upgrade_prepare)
    get_auto_upgrade = helper(c.get_auto_upgrade)
    set_auto_upgrade = helper(c.set_auto_upgrade)
    check_firmware = helper(c.check_firmware)
    upgrade_online = helper(c.upgrade_online)
    upgrade_status = helper(c.upgrade_status)
    # 3.2 Security
    get_user = helper(c.get_user)
    add_user = helper(c.add_user)
    del_user = helper(c.del_user)
    modify_user = helper(c.modify_user)
    get_online = helper(c.get_online)
    disconnect = helper(c.disconnect)
    get_sys_cfg = helper(c.get_sys_cfg)
    set_sys_cfg = helper(c.set_sys_cfg)
    # 3.3 Network
    get_local_link = helper(c.get_local_link)
    set_local_link = helper(c.set_local_link)
    get_ddns = helper(c.get_ddns)
    set_ddns = helper(c.set_ddns)
    get_email = helper(c.get_email)
    set_email = helper(c.set_email)
    get_email_v20 = helper(c.get_email_v20)
    set_email_v20 = helper(c.set_email_v20)
    test_email = helper(c.test_email)
    get_ftp = helper(c.get_ftp)
    set_ftp = helper(c.set_ftp)
    get_ftp_v20 = helper(c.get_ftp_v20)
    set_ftp_v20 = helper(c.set_ftp_v20)
    test_ftp = helper(c.test_ftp)
    get_ntp = helper(c.get_ntp)
    set_ntp = helper(c.set_ntp)
    get_net_port = helper(c.get_net_port)
    set_net_port = helper(c.set_net_port)
    get_upnp = helper(c.get_upnp)
    set_upnp = helper(c.set_upnp)
    get_wifi = helper(c.get_wifi)
    set_wifi = helper(c.set_wifi)
    test_wifi = helper(c.test_wifi)
    scan_wifi = helper(c.scan_wifi)
    get_wifi_signal = helper(c.get_wifi_signal)
    get_push = helper(c.get_push)
    set_push = helper(c.set_push)
    get_push_v20 = helper(c.get_push_v20)
    set_push_v20 = helper(c.set_push_v20)
    get_push_cfg = helper(c.get_push_cfg)
    set_push_cfg = helper(c.set_push_cfg)
    get_p2p = helper(c.get_p2p)
    set_p2p = helper(c.set_p2p)
    get_certificate_info = helper(c.get_certificate_info)
    certificate_clear = helper(c.certificate_clear)
    get_rtsp_url = helper(c.get_rtsp_url)
    # 3.4 Video input, 3.5 Enc
    get_image = helper(c.get_image)
    set_image = helper(c.set_image)
    get_osd = helper(c.get_osd)
    set_osd = helper(c.set_osd)
    get_isp = helper(c.get_isp)
    set_isp = helper(c.set_isp)
    get_mask = helper(c.get_mask)
    set_mask = helper(c.set_mask)
    get_crop = helper(c.get_crop)
    set_crop = helper(c.set_crop)
    get_stitch = helper(c.get_stitch)
    set_stitch = helper(c.set_stitch)
    get_enc = helper(c.get_enc)
    set_enc = helper(c.set_enc)
    # 3.6 Record (Download, Snap and Playback are binary: see the client)
    get_rec = helper(c.get_rec)
    set_rec = helper(c.set_rec)
    get_rec_v20 = helper(c.get_rec_v20)
    set_rec_v20 = helper(c.set_rec_v20)
    search_recordings = helper(c.search)
    nvr_download = helper(c.nvr_download)
    # 3.7 PTZ
    get_ptz_preset = helper(c.get_ptz_preset)
    set_ptz_preset = helper(c.set_ptz_preset)
    get_ptz_patrol = helper(c.get_ptz_patrol)
    set_ptz_patrol = helper(c.set_ptz_patrol)
    ptz_ctrl = helper(c.ptz_ctrl)
    get_ptz_serial = helper(c.get_ptz_serial)
    set_ptz_serial = helper(c.set_ptz_serial)
    get_ptz_tattern = helper(c.get_ptz_tattern)
    set_ptz_tattern = helper(c.set_ptz_tattern)
    get_auto_focus = helper(c.get_auto_focus)
    set_auto_focus = helper(c.set_auto_focus)
    get_zoom_focus = helper(c.get_zoom_focus)
    start_zoom_focus = helper(c.start_zoom_focus)
    get_ptz_guard = helper(c.get_ptz_guard)
    set_ptz_guard = helper(c.set_ptz_guard)
    get_ptz_check_state = helper(c.get_ptz_check_state)
    ptz_check = helper(c.ptz_check)
    # 3.8 Alarm
    get_alarm = helper(c.get_alarm)
    set_alarm = helper(c.set_alarm)
    get_md_alarm = helper(c.get_md_alarm)
    set_md_alarm = helper(c.set_md_alarm)
    get_md_state = helper(c.get_md_state)
    get_audio_alarm = helper(c.get_audio_alarm)
    set_audio_alarm = helper(c.set_audio_alarm)
    get_audio_alarm_v20 = helper(c.get_audio_alarm_v20)
    set_audio_alarm_v20 = helper(c.set_audio_alarm_v20)
    get_buzzer_alarm_v20 = helper(c.get_buzzer_alarm_v20)
    set_buzzer_alarm_v20 = helper(c.set_buzzer_alarm_v20)
    audio_alarm_play = helper(c.audio_alarm_play)
    # 3.10 LED
    get_ir_lights = helper(c.get_ir_lights)
    set_ir_lights = helper(c.set_ir_lights)
    get_power_led = helper(c.get_power_led)
    set_power_led = helper(c.set_power_led)
    get_white_led = helper(c.get_white_led)
    set_white_led = helper(c.set_white_led)
    get_ai_alarm = helper(c.get_ai_alarm)
    set_ai_alarm = helper(c.set_ai_alarm)
    set_alarm_area = helper(c.set_alarm_area)
    # 3.11 AI
    get_ai_cfg = helper(c.get_ai_cfg)
    set_ai_cfg = helper(c.set_ai_cfg)
    get_ai_state = helper(c.get_ai_state)
