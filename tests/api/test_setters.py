"""Every guide command (simulator/data/commands.txt) through its client helper.

One table entry per command: the profile that supports it, the `ReolinkClient`
methods that speak it, and a scenario that calls them with valid arguments and
checks the answer against the simulator's state (Get) or the state change (Set).
The parametrized test also checks that the command really went over the wire and
that every listed method was called; two more tests keep the table complete.
"""

from __future__ import annotations

import asyncio
import io
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, cast

import pytest
from PIL import Image as PilImage

from custom_components.reolink_http.api import (
    Ack,
    ReolinkAuthError,
    ReolinkClient,
    ReolinkCommandError,
)
from custom_components.reolink_http.api.methods import helper
from custom_components.reolink_http.api.transport import ByteRange
from simulator import Simulator

from .conftest import SimFactory

COMMANDS_FILE = Path(__file__).resolve().parents[2] / "simulator" / "data" / "commands.txt"
# Generic plumbing of the client, not tied to one command of the guide.
GENERIC_METHODS = {"execute", "execute_typed", "run", "stream_url"}
OK = Ack(200)
UPGRADE_PIECE = 40 * 1024


def snake(name: str) -> str:
    """GetPtzPreset → get_ptz_preset, GetEmailV20 → get_email_v20."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()


class CallRecorder:
    """Forwards to a real client and notes which public methods were called."""

    def __init__(self, client: ReolinkClient) -> None:
        self._client = client
        self.called: set[str] = set()

    def __getattr__(self, name: str) -> Any:
        target = getattr(self._client, name)
        if name.startswith("_") or not callable(target):
            return target

        def call(*args: Any, **kwargs: Any) -> Any:
            self.called.add(name)
            return target(*args, **kwargs)

        return call


@dataclass(frozen=True)
class Rig:
    """What a scenario works with: the device, a client for it, and a way to add clients."""

    sim: Simulator
    client: ReolinkClient
    connect: SimFactory

    def patch(self, store: str, values: dict[str, Any], channel: int | None = None) -> None:
        """Change one settings family on the device behind the client's back."""
        if channel is None:
            self.sim.patch_state({"config": {store: values}})
        else:
            self.sim.patch_state({"channels": {str(channel): {"config": {store: values}}}})

    def config(self, store: str, channel: int | None = None) -> Any:
        """The device's live settings of one family."""
        return self.sim.device.config(store, channel)


Scenario = Callable[[Rig], Awaitable[None]]


@dataclass(frozen=True)
class Case:
    profile: str
    methods: tuple[str, ...]
    run: Scenario
    sim_options: dict[str, Any] = field(default_factory=dict)
    xfail: str | None = None


CASES: dict[str, Case] = {}


def case(
    command: str,
    profile: str = "ipc",
    methods: tuple[str, ...] | None = None,
    **sim_options: Any,
) -> Callable[[Scenario], Scenario]:
    """Register the scenario of one guide command (methods default to its snake_case name)."""

    def register(scenario: Scenario) -> Scenario:
        assert command not in CASES, command
        CASES[command] = Case(profile, methods or (snake(command),), scenario, sim_options)
        return scenario

    return register


async def refused(call: Awaitable[Any]) -> int:
    """The rspCode a command was refused with."""
    with pytest.raises(ReolinkCommandError) as caught:
        await call
    return caught.value.code


def window() -> tuple[datetime, datetime]:
    """A search window covering the simulator's whole recording history."""
    now = datetime.now(UTC).replace(tzinfo=None)
    return now - timedelta(days=8), now + timedelta(days=1)


async def eventually(condition: Callable[[], bool], seconds: float = 2.0) -> bool:
    """Poll `condition` for a device-side change that follows an answer."""
    for _ in range(int(seconds / 0.01)):
        if condition():
            return True
        await asyncio.sleep(0.01)
    return condition()


def is_mp4(data: bytes) -> bool:
    return data[4:8] == b"ftyp"


# --- 3.1 System -----------------------------------------------------------------------------


@case("GetAbility", "ptz", ("get_ability",))
async def _get_ability(rig: Rig) -> None:
    abilities = await rig.client.get_ability()
    assert await rig.client.get_ability("admin") == abilities
    for feature in ("ptzCtrl", "supportAi", "floodLight", "recDownload"):
        assert abilities.version(feature, 0) == rig.sim.device.ability_version(feature, 0)
    assert abilities.supports("ptzCtrl", 0)


@case("GetDevInfo", "nvr-16")
async def _get_dev_info(rig: Rig) -> None:
    info = await rig.client.get_dev_info()
    assert info.model == rig.sim.state["device"]["model"]
    assert info.channels == 16
    assert info.is_nvr


@case("GetDevName")
async def _get_dev_name(rig: Rig) -> None:
    rig.patch("DevName", {"name": "Porch"})
    assert await rig.client.get_dev_name() == "Porch"


@case("SetDevName")
async def _set_dev_name(rig: Rig) -> None:
    assert await rig.client.set_dev_name("Garage") == OK
    assert rig.config("DevName")["name"] == "Garage"
    assert (await rig.client.get_dev_info()).name == "Garage"


@case("GetTime")
async def _get_time(rig: Rig) -> None:
    rig.patch("Time", {"Time": {"timeFmt": "YYYY/MM/DD"}, "Dst": {"enable": 1}})
    answer = await rig.client.get_time()
    assert answer.get("Time")["timeFmt"] == "YYYY/MM/DD"
    assert answer.get("Dst")["enable"] == 1
    assert answer.get("Time")["year"] == datetime.now(UTC).year


@case("SetTime", methods=("set_time", "set_clock"))
async def _set_time(rig: Rig) -> None:
    moment = {"year": 2030, "mon": 6, "day": 15, "hour": 12, "min": 0, "sec": 0, "timeZone": 0}
    assert await rig.client.set_time(moment, {"enable": 1, "offset": 2}) == OK
    shown = (await rig.client.get_time()).get("Time")
    assert (shown["year"], shown["mon"], shown["day"], shown["hour"]) == (2030, 6, 15, 12)
    assert rig.config("Time")["Dst"]["offset"] == 2
    # Read-modify-write: the clock follows `now` in the device's zone (UTC+8 here) with
    # its DST offset while in force; the zone and the DST rule stay.
    await rig.client.set_time({**moment, "timeZone": -28800}, {"enable": 1, "offset": 2})
    await rig.client.set_clock(datetime(2031, 1, 2, 3, 4, 5, tzinfo=UTC), dst_in_force=True)
    shown = (await rig.client.get_time()).get("Time")
    assert (shown["year"], shown["day"], shown["hour"], shown["timeZone"]) == (2031, 2, 13, -28800)
    assert rig.config("Time")["Dst"]["offset"] == 2
    await rig.client.set_clock(datetime(2031, 1, 2, 3, 4, 5, tzinfo=UTC), dst_in_force=False)
    assert (await rig.client.get_time()).get("Time")["hour"] == 11


@case("GetAutoMaint")
async def _get_auto_maint(rig: Rig) -> None:
    rig.patch("AutoMaint", {"hour": 3, "weekDay": "Friday"})
    answer = await rig.client.get_auto_maint()
    assert (answer.get("hour"), answer.get("weekDay")) == (3, "Friday")


@case("SetAutoMaint")
async def _set_auto_maint(rig: Rig) -> None:
    assert await rig.client.set_auto_maint({"enable": 1, "weekDay": "Monday"}) == OK
    assert rig.config("AutoMaint")["enable"] == 1
    assert (await rig.client.get_auto_maint()).get("weekDay") == "Monday"


@case("GetHddInfo", "nvr-16")
async def _get_hdd_info(rig: Rig) -> None:
    rig.sim.patch_state({"hdd": {"0": {"size": 1234}}})
    disks = (await rig.client.get_hdd_info()).disks
    assert len(disks) == len(rig.sim.state["hdd"]) == 1
    assert disks[0].free == 1234
    assert disks[0].capacity == rig.sim.state["hdd"][0]["capacity"]


@case("Format", methods=("format_hdd",))
async def _format(rig: Rig) -> None:
    rig.sim.patch_state({"hdd": {"0": {"size": 5, "format": 0}}})
    assert await rig.client.format_hdd([0]) == OK
    disk = (await rig.client.get_hdd_info()).disks[0]
    assert disk.formatted
    assert disk.free == disk.capacity


@case("Upgrade", methods=("upgrade",))
async def _upgrade(rig: Rig) -> None:
    firmware = bytes(range(256)) * 400  # 100 KiB: three pieces of at most 40K
    rig.sim.clear_log()
    await rig.client.upgrade(firmware, "IPC_523128M8MP.pak")
    sent = [r["commands"] for r in rig.sim.requests if r["status"] == 200]
    assert ["UpgradePrepare"] in sent
    pieces = [c for c in sent if c == ["Upgrade"]]
    assert len(pieces) == -(-len(firmware) // UPGRADE_PIECE) == 3


@case("Restore")
async def _restore(rig: Rig) -> None:
    await rig.client.set_image(0, {"bright": 10})
    await rig.client.set_dev_name("Shed")
    assert await rig.client.restore() == OK
    assert (await rig.client.get_image(0)).bright == 128
    assert rig.config("DevName")["name"] != "Shed"


@case("Reboot", reboot_seconds=0.2)
async def _reboot(rig: Rig) -> None:
    await rig.client.get_dev_info()
    assert await rig.client.reboot() == OK
    # The device goes offline just after it acknowledged the command.
    assert await eventually(lambda: rig.sim.rebooting)
    await rig.sim.wait_online()
    # The reboot forgot the token: the client logs in again on its own.
    assert (await rig.client.get_dev_info()).model == rig.sim.state["device"]["model"]
    assert rig.sim.login_count == 2


@case("UpgradePrepare")
async def _upgrade_prepare(rig: Rig) -> None:
    assert await rig.client.upgrade_prepare("firmware.pak", True) == OK
    assert await refused(rig.client.upgrade_prepare("")) == -4


@case("GetAutoUpgrade")
async def _get_auto_upgrade(rig: Rig) -> None:
    assert (await rig.client.get_auto_upgrade()).enabled
    rig.patch("AutoUpgrade", {"enable": 0})
    assert not (await rig.client.get_auto_upgrade()).enabled


@case("SetAutoUpgrade")
async def _set_auto_upgrade(rig: Rig) -> None:
    assert await rig.client.set_auto_upgrade(False) == OK
    assert rig.config("AutoUpgrade")["enable"] == 0


@case("CheckFirmware")
async def _check_firmware(rig: Rig) -> None:
    assert not (await rig.client.check_firmware()).new_firmware
    rig.sim.patch_state({"firmware": {"new_version_available": True}})
    assert (await rig.client.check_firmware()).new_firmware


@case("UpgradeOnline")
async def _upgrade_online(rig: Rig) -> None:
    assert await refused(rig.client.upgrade_online()) == -30  # nothing published
    rig.sim.patch_state({"firmware": {"new_version_available": True}})
    assert await rig.client.upgrade_online() == OK
    assert rig.sim.device.upgrade["started"] is not None


@case("UpgradeStatus")
async def _upgrade_status(rig: Rig) -> None:
    assert (await rig.client.upgrade_status()).percent == 0
    rig.sim.patch_state({"firmware": {"new_version_available": True}})
    rig.sim.device.upgrade["seconds"] = 0.1
    await rig.client.upgrade_online()
    await asyncio.sleep(0.15)
    assert (await rig.client.upgrade_status()).percent == 100
    assert rig.sim.state["device"]["firmVer"] == rig.sim.state["firmware"]["new_version"]


@case("Getchannelstatus", "nvr-16", ("get_channel_status",))
async def _get_channel_status(rig: Rig) -> None:
    rig.sim.patch_state({"channels": {"3": {"online": False}}})
    statuses = await rig.client.get_channel_status()
    assert [s.online for s in statuses] == [c["online"] for c in rig.sim.state["channels"]]
    assert not statuses[3].online
    assert statuses[0].uid == rig.sim.state["channels"][0]["uid"]


# --- 3.2 Security ---------------------------------------------------------------------------


@case("Login", methods=("login",))
async def _login(rig: Rig) -> None:
    await rig.client.login()
    await rig.client.login()  # the token is reused
    assert rig.sim.login_count == 1
    assert [s.username for s in rig.sim.sessions.live_sessions] == ["admin"]
    intruder = await rig.connect(rig.sim, password="wrong-password")
    with pytest.raises(ReolinkAuthError):
        await intruder.login()


@case("Logout", methods=("close",))
async def _logout(rig: Rig) -> None:
    await rig.client.login()
    assert len(rig.sim.sessions.live_sessions) == 1
    await rig.client.close()
    assert rig.sim.sessions.live_sessions == []


@case("GetUser")
async def _get_user(rig: Rig) -> None:
    rig.sim.device.add_user("viewer", "secret123", "guest")
    users = (await rig.client.get_user()).get("items")
    assert {(u["userName"], u["level"]) for u in users} == {
        ("admin", "admin"),
        ("viewer", "guest"),
    }
    assert all("password" not in u for u in users)


@case("AddUser")
async def _add_user(rig: Rig) -> None:
    assert await rig.client.add_user("viewer", "secret123") == OK
    assert {"userName": "viewer", "level": "guest"} in rig.sim.state["users"]
    viewer = await rig.connect(rig.sim, username="viewer", password="secret123")
    assert (await viewer.get_dev_info()).model
    assert await refused(rig.client.add_user("viewer", "secret123")) == -28


@case("DelUser")
async def _del_user(rig: Rig) -> None:
    rig.sim.device.add_user("viewer", "secret123", "guest")
    assert await rig.client.del_user("viewer") == OK
    assert [u["userName"] for u in rig.sim.state["users"]] == ["admin"]
    assert not rig.sim.device.check_login("viewer", "secret123")


@case("ModifyUser")
async def _modify_user(rig: Rig) -> None:
    rig.sim.device.add_user("viewer", "secret123", "guest")
    assert await rig.client.modify_user("viewer", "secret123", "another-secret") == OK
    assert rig.sim.device.check_login("viewer", "another-secret")
    assert await refused(rig.client.modify_user("viewer", "secret123", "third-one")) == -502


@case("GetOnline")
async def _get_online(rig: Rig) -> None:
    other = await rig.connect(rig.sim)
    await other.login()
    users = (await rig.client.get_online()).get("items")
    ids = {s.session_id for s in rig.sim.sessions.live_sessions}
    assert {u["sessionId"] for u in users} == ids
    assert sorted(u["canbeDisconn"] for u in users) == [0, 1]


@case("Disconnect")
async def _disconnect(rig: Rig) -> None:
    other = await rig.connect(rig.sim)
    await other.login()
    users = (await rig.client.get_online()).get("items")
    target = next(u for u in users if u["canbeDisconn"])
    assert await rig.client.disconnect("admin", target["sessionId"]) == OK
    assert target["sessionId"] not in {s.session_id for s in rig.sim.sessions.live_sessions}
    assert len(rig.sim.sessions.live_sessions) == 1


@case("GetSysCfg")
async def _get_sys_cfg(rig: Rig) -> None:
    rig.patch("SysCfg", {"LockTime": 120})
    assert (await rig.client.get_sys_cfg()).get("LockTime") == 120


@case("SetSysCfg")
async def _set_sys_cfg(rig: Rig) -> None:
    assert await rig.client.set_sys_cfg({"loginLock": 1, "allowedTimes": 3}) == OK
    assert rig.config("SysCfg") == {"LockTime": 300, "allowedTimes": 3, "loginLock": 1}


# --- 3.3 Network ----------------------------------------------------------------------------


@case("GetLocalLink")
async def _get_local_link(rig: Rig) -> None:
    rig.patch("LocalLink", {"type": "Static", "static": {"ip": "10.0.0.7"}})
    link = await rig.client.get_local_link()
    assert (link.link_type, link.ip) == ("Static", "10.0.0.7")
    assert link.mac == rig.config("LocalLink")["mac"]


@case("SetLocalLink")
async def _set_local_link(rig: Rig) -> None:
    static = {"ip": "10.0.0.9", "mask": "255.255.255.0", "gateway": "10.0.0.1"}
    assert await rig.client.set_local_link({"type": "Static", "static": static}) == OK
    assert rig.config("LocalLink")["static"] == static
    assert (await rig.client.get_local_link()).link_type == "Static"


@case("GetDdns")
async def _get_ddns(rig: Rig) -> None:
    rig.patch("Ddns", {"domain": "cam.example.net", "enable": 1})
    answer = await rig.client.get_ddns()
    assert (answer.get("domain"), answer.get("enable")) == ("cam.example.net", 1)


@case("SetDdns")
async def _set_ddns(rig: Rig) -> None:
    settings = {"enable": 1, "type": "dyndns", "domain": "home.example", "userName": "me"}
    assert await rig.client.set_ddns(settings) == OK
    assert {k: rig.config("Ddns")[k] for k in settings} == settings


@case("GetEmail")
async def _get_email(rig: Rig) -> None:
    rig.patch("Email", {"smtpServer": "smtp.example", "schedule": {"enable": 0}})
    email = await rig.client.get_email()
    assert email.raw["smtpServer"] == "smtp.example"
    assert not email.enabled


@case("SetEmail")
async def _set_email(rig: Rig) -> None:
    settings = {"smtpServer": "smtp.example", "addr1": "me@example.com", "interval": "1 Minute"}
    assert await rig.client.set_email(settings) == OK
    assert {k: rig.config("Email")[k] for k in settings} == settings
    assert rig.config("EmailV20")["smtpServer"] == ""  # the V20 settings are separate


@case("GetEmailV20")
async def _get_email_v20(rig: Rig) -> None:
    rig.patch("EmailV20", {"enable": 1, "addr2": "second@example.com"})
    email = await rig.client.get_email_v20()
    assert email.enabled
    assert email.raw["addr2"] == "second@example.com"


@case("SetEmailV20")
async def _set_email_v20(rig: Rig) -> None:
    assert await rig.client.set_email_v20({"enable": 1, "attachmentType": 2}) == OK
    assert (rig.config("EmailV20")["enable"], rig.config("EmailV20")["attachmentType"]) == (1, 2)
    assert (await rig.client.get_email_v20()).enabled


@case("TestEmail")
async def _test_email(rig: Rig) -> None:
    assert await refused(rig.client.test_email({})) == -481
    assert await refused(rig.client.test_email({"smtpServer": "smtp.example"})) == -480
    settings = {"smtpServer": "smtp.example", "userName": "cam", "addr1": "me@example.com"}
    assert await rig.client.test_email(settings) == OK


@case("GetFtp")
async def _get_ftp(rig: Rig) -> None:
    rig.patch("Ftp", {"server": "ftp.example", "schedule": {"enable": 1}})
    ftp = await rig.client.get_ftp()
    assert ftp.enabled
    assert ftp.raw["server"] == "ftp.example"


@case("SetFtp")
async def _set_ftp(rig: Rig) -> None:
    assert await rig.client.set_ftp({"server": "ftp.example", "port": 2121, "interval": 60}) == OK
    assert (rig.config("Ftp")["port"], rig.config("Ftp")["interval"]) == (2121, 60)
    assert rig.config("FtpV20")["port"] == 21


@case("GetFtpV20")
async def _get_ftp_v20(rig: Rig) -> None:
    rig.patch("FtpV20", {"enable": 1, "picInterval": 300})
    ftp = await rig.client.get_ftp_v20()
    assert ftp.enabled
    assert ftp.raw["picInterval"] == 300


@case("SetFtpV20")
async def _set_ftp_v20(rig: Rig) -> None:
    assert await rig.client.set_ftp_v20({"enable": 1, "remoteDir": "cams"}) == OK
    assert (rig.config("FtpV20")["enable"], rig.config("FtpV20")["remoteDir"]) == (1, "cams")
    assert (await rig.client.get_ftp_v20()).enabled


@case("TestFtp")
async def _test_ftp(rig: Rig) -> None:
    assert await refused(rig.client.test_ftp({})) == -454
    assert await refused(rig.client.test_ftp({"server": "ftp.example"})) == -451
    assert await rig.client.test_ftp({"server": "ftp.example", "anonymous": 1}) == OK


@case("GetNtp")
async def _get_ntp(rig: Rig) -> None:
    rig.patch("Ntp", {"server": "time.example", "interval": 60})
    answer = await rig.client.get_ntp()
    assert (answer.get("server"), answer.get("interval")) == ("time.example", 60)


@case("SetNtp")
async def _set_ntp(rig: Rig) -> None:
    assert await rig.client.set_ntp({"server": "ntp.example", "port": 1123}) == OK
    assert (rig.config("Ntp")["server"], rig.config("Ntp")["port"]) == ("ntp.example", 1123)


@case("GetNetPort")
async def _get_net_port(rig: Rig) -> None:
    rig.patch("NetPort", {"httpsPort": 8443})
    answer = await rig.client.get_net_port()
    assert (answer.get("httpsPort"), answer.get("rtspPort")) == (8443, 554)


@case("SetNetPort")
async def _set_net_port(rig: Rig) -> None:
    assert await rig.client.set_net_port({"rtspPort": 8554, "onvifEnable": 0}) == OK
    assert (rig.config("NetPort")["rtspPort"], rig.config("NetPort")["onvifEnable"]) == (8554, 0)
    assert ":8554/" in (await rig.client.get_rtsp_url(0)).get("mainStream")


@case("GetUpnp")
async def _get_upnp(rig: Rig) -> None:
    assert not (await rig.client.get_upnp()).enabled
    rig.patch("Upnp", {"enable": 1})
    assert (await rig.client.get_upnp()).enabled


@case("SetUpnp")
async def _set_upnp(rig: Rig) -> None:
    assert await rig.client.set_upnp(True) == OK
    assert rig.config("Upnp")["enable"] == 1


@case("GetWifi", "wifi")
async def _get_wifi(rig: Rig) -> None:
    rig.patch("Wifi", {"ssid": "Guest"})
    assert (await rig.client.get_wifi()).get("ssid") == "Guest"


@case("SetWifi", "wifi")
async def _set_wifi(rig: Rig) -> None:
    assert await rig.client.set_wifi("Neighbour-5G", "long-password") == OK
    assert rig.config("Wifi") == {"ssid": "Neighbour-5G", "password": "long-password"}


@case("TestWifi", "wifi")
async def _test_wifi(rig: Rig) -> None:
    assert await rig.client.test_wifi("HomeNet", "long-password") == OK
    assert await refused(rig.client.test_wifi("HomeNet", "short")) == -100
    assert await refused(rig.client.test_wifi("Elsewhere", "long-password")) == -100


@case("ScanWifi", "wifi")
async def _scan_wifi(rig: Rig) -> None:
    networks = (await rig.client.scan_wifi()).get("Wifi")
    assert [n["ssid"] for n in networks] == ["HomeNet", "Neighbour-5G", "Guest"]


@case("GetWifiSignal", "wifi")
async def _get_wifi_signal(rig: Rig) -> None:
    rig.patch("WifiSignal", {"wifiSignal": 40})
    assert (await rig.client.get_wifi_signal()).signal == 40


@case("GetPush")
async def _get_push(rig: Rig) -> None:
    assert (await rig.client.get_push()).enabled
    rig.patch("Push", {"schedule": {"enable": 0}})
    assert not (await rig.client.get_push()).enabled


@case("SetPush")
async def _set_push(rig: Rig) -> None:
    assert await rig.client.set_push({"schedule": {"enable": 0}}) == OK
    assert rig.config("Push")["schedule"]["enable"] == 0
    assert rig.config("PushV20")["enable"] == 1


@case("GetPushV20")
async def _get_push_v20(rig: Rig) -> None:
    rig.patch("PushV20", {"enable": 0})
    assert not (await rig.client.get_push_v20()).enabled


@case("SetPushV20")
async def _set_push_v20(rig: Rig) -> None:
    assert await rig.client.set_push_v20({"enable": 0, "scheduleEnable": 0}) == OK
    # Schedule version 1: the device-wide switch and channel 0's own switch.
    assert (rig.config("PushV20")["enable"], rig.config("PushV20", 0)["scheduleEnable"]) == (0, 0)
    assert rig.config("Push")["schedule"]["enable"] == 1


@case("GetPushCfg")
async def _get_push_cfg(rig: Rig) -> None:
    rig.patch("PushCfg", {"pushInterval": 60})
    assert (await rig.client.get_push_cfg()).get("pushInterval") == 60


@case("SetPushCfg")
async def _set_push_cfg(rig: Rig) -> None:
    assert await rig.client.set_push_cfg({"pushInterval": 120}) == OK
    assert rig.config("PushCfg")["pushInterval"] == 120
    assert await refused(rig.client.set_push_cfg({"pushInterval": 7})) == -4


@case("GetP2p")
async def _get_p2p(rig: Rig) -> None:
    rig.patch("P2p", {"enable": 0})
    answer = await rig.client.get_p2p()
    assert answer.get("enable") == 0
    assert answer.get("uid") == rig.config("P2p")["uid"]


@case("SetP2p")
async def _set_p2p(rig: Rig) -> None:
    uid = rig.config("P2p")["uid"]
    assert await rig.client.set_p2p(False) == OK
    assert rig.config("P2p") == {"enable": 0, "uid": uid}


@case("GetCertificateInfo")
async def _get_certificate_info(rig: Rig) -> None:
    rig.patch("CertificateInfo", {"enable": 1, "crtName": "server.crt"})
    answer = await rig.client.get_certificate_info()
    assert (answer.get("enable"), answer.get("crtName")) == (1, "server.crt")


@case("CertificateClear")
async def _certificate_clear(rig: Rig) -> None:
    rig.patch("CertificateInfo", {"enable": 1, "crtName": "server.crt", "keyName": "server.key"})
    assert await rig.client.certificate_clear() == OK
    answer = await rig.client.get_certificate_info()
    assert (answer.get("enable"), answer.get("crtName"), answer.get("keyName")) == (0, "", "")


@case("GetRtspUrl", "nvr-16")
async def _get_rtsp_url(rig: Rig) -> None:
    answer = await rig.client.get_rtsp_url(2)
    assert answer.get("channel") == 2
    assert answer.get("mainStream").endswith("/Preview_03_main")
    assert answer.get("subStream").endswith("/Preview_03_sub")


# --- 3.4 Video input, 3.5 Enc ---------------------------------------------------------------


@case("GetImage", "nvr-16")
async def _get_image(rig: Rig) -> None:
    rig.patch("Image", {"bright": 12, "hue": 200}, channel=4)
    image = await rig.client.get_image(4)
    assert (image.channel, image.bright, image.hue) == (4, 12, 200)
    assert (await rig.client.get_image(0)).bright == 128


@case("SetImage", "nvr-16")
async def _set_image(rig: Rig) -> None:
    assert await rig.client.set_image(2, {"contrast": 30, "sharpen": 90}) == OK
    assert (rig.config("Image", 2)["contrast"], rig.config("Image", 2)["sharpen"]) == (30, 90)
    assert rig.config("Image", 1)["contrast"] == 128
    assert await refused(rig.client.set_image(2, {"bright": 999})) == -4


@case("GetOsd")
async def _get_osd(rig: Rig) -> None:
    rig.patch("Osd", {"watermark": 0, "osdTime": {"enable": 0}}, channel=0)
    osd = await rig.client.get_osd(0)
    assert not osd.watermark
    assert not osd.show_time


@case("SetOsd")
async def _set_osd(rig: Rig) -> None:
    update = {"osdChannel": {"name": "Porch", "pos": "Upper Left"}}
    assert await rig.client.set_osd(0, update) == OK
    osd = await rig.client.get_osd(0)
    assert (osd.name, osd.name_position, osd.show_name) == ("Porch", "Upper Left", True)
    assert rig.config("Osd", 0)["osdChannel"]["name"] == "Porch"


@case("GetIsp")
async def _get_isp(rig: Rig) -> None:
    rig.patch("Isp", {"dayNight": "Color", "mirroring": 1}, channel=0)
    isp = await rig.client.get_isp(0)
    assert (isp.day_night, isp.mirroring) == ("Color", True)


@case("SetIsp", methods=("set_isp", "write_setting"))
async def _set_isp(rig: Rig) -> None:
    assert await rig.client.set_isp(0, {"antiFlicker": "50HZ", "rotation": 1}) == OK
    assert (rig.config("Isp", 0)["antiFlicker"], rig.config("Isp", 0)["rotation"]) == ("50HZ", 1)
    await rig.client.write_setting("GetIsp", 0, {"mirroring": 1})
    isp = rig.config("Isp", 0)
    assert (isp["antiFlicker"], isp["rotation"], isp["mirroring"]) == ("50HZ", 1, 1)


@case("GetMask")
async def _get_mask(rig: Rig) -> None:
    rig.patch("Mask", {"enable": 1}, channel=0)
    answer = await rig.client.get_mask(0)
    assert answer.get("enable") == 1
    # Devices with mask support list their areas, an empty block where none is drawn.
    assert answer.get("area") == rig.config("Mask", 0)["area"] != []


@case("SetMask")
async def _set_mask(rig: Rig) -> None:
    area = [{"block": {"x": 0, "y": 0, "width": 40, "height": 30}, "screen": {"width": 640}}]
    assert await rig.client.set_mask(0, {"enable": 1, "area": area}) == OK
    assert rig.config("Mask", 0)["enable"] == 1
    assert (await rig.client.get_mask(0)).get("area") == area


@case("GetCrop")
async def _get_crop(rig: Rig) -> None:
    rig.patch("Crop", {"topLeftX": 10, "topLeftY": 20}, channel=0)
    answer = await rig.client.get_crop(0)
    assert (answer.get("topLeftX"), answer.get("topLeftY")) == (10, 20)
    assert answer.get("mainWidth") == 3840


@case("SetCrop")
async def _set_crop(rig: Rig) -> None:
    assert await rig.client.set_crop(0, {"topLeftX": 100, "topLeftY": 50}) == OK
    assert (rig.config("Crop", 0)["topLeftX"], rig.config("Crop", 0)["topLeftY"]) == (100, 50)


@case("GetStitch", "floodlight")
async def _get_stitch(rig: Rig) -> None:
    rig.patch("stitch", {"stitchXMove": 5, "distance": 3.5})
    answer = await rig.client.get_stitch()
    assert (answer.get("stitchXMove"), answer.get("distance")) == (5, 3.5)


@case("SetStitch", "floodlight")
async def _set_stitch(rig: Rig) -> None:
    assert await rig.client.set_stitch({"distance": 5.5, "stitchYMove": -20}) == OK
    assert rig.config("stitch") == {"distance": 5.5, "stitchXMove": 0, "stitchYMove": -20}


@case("GetEnc")
async def _get_enc(rig: Rig) -> None:
    rig.patch("Enc", {"audio": 1, "subStream": {"frameRate": 7}}, channel=0)
    enc = await rig.client.get_enc(0)
    assert enc.audio
    assert enc.sub.frame_rate == 7
    assert enc.main.size == "3840*2160"


@case("SetEnc")
async def _set_enc(rig: Rig) -> None:
    assert await rig.client.set_enc(0, {"mainStream": {"frameRate": 15, "bitRate": 4096}}) == OK
    main = (await rig.client.get_enc(0)).main
    assert (main.frame_rate, main.bit_rate) == (15, 4096)


# --- 3.6 Record -----------------------------------------------------------------------------


@case("GetRec")
async def _get_rec(rig: Rig) -> None:
    assert (await rig.client.get_rec(0)).enabled
    rig.patch("Rec", {"schedule": {"enable": 0}}, channel=0)
    assert not (await rig.client.get_rec(0)).enabled


@case("SetRec")
async def _set_rec(rig: Rig) -> None:
    assert await rig.client.set_rec(0, {"postRec": "30 Seconds", "schedule": {"enable": 0}}) == OK
    assert rig.config("Rec", 0)["postRec"] == "30 Seconds"
    assert not (await rig.client.get_rec(0)).enabled
    assert rig.config("RecV20")["postRec"] == "1 Minute"


@case("GetRecV20")
async def _get_rec_v20(rig: Rig) -> None:
    rig.patch("RecV20", {"enable": 0, "saveDay": 9})  # device-wide settings
    rec = await rig.client.get_rec_v20(0)
    assert not rec.enabled
    assert rec.raw["saveDay"] == 9


@case("SetRecV20")
async def _set_rec_v20(rig: Rig) -> None:
    assert await rig.client.set_rec_v20(0, {"enable": 0, "saveDay": 7}) == OK
    assert (rig.config("RecV20")["enable"], rig.config("RecV20")["saveDay"]) == (0, 7)
    assert (await rig.client.get_rec(0)).enabled


@case("Search", methods=("search_recordings",))
async def _search(rig: Rig) -> None:
    start, end = window()
    found = await rig.client.search_recordings(0, start, end)
    assert len(found.files) >= 7 * 4  # 4-9 files a day for a week
    assert all(f.stream == "main" and f.name.startswith("Mp4Record/") for f in found.files)
    first = found.files[0]
    begin = datetime(*(first.start[k] for k in ("year", "mon", "day", "hour", "min", "sec")))
    narrow = await rig.client.search_recordings(0, begin, begin + timedelta(seconds=1), "sub")
    assert [f.stream for f in narrow.files] == ["sub"]
    calendar = await rig.client.search_recordings(0, start, end, only_status=True)
    assert calendar.files == ()
    assert sum(s["table"].count("1") for s in calendar.status) == 7


async def _first_recording(client: ReolinkClient) -> str:
    start, end = window()
    return (await client.search_recordings(0, start, end)).files[0].name


@case("Download", methods=("open_download",))
async def _download(rig: Rig) -> None:
    name = await _first_recording(rig.client)
    async with rig.client.open_download(name, chunk_size=4096) as answer:
        whole = b"".join([chunk async for chunk in answer])
    assert is_mp4(whole)
    async with rig.client.open_download(name, byte_range=ByteRange(0, 99)) as answer:
        part = b"".join([chunk async for chunk in answer])
    assert (answer.status, part) == (206, whole[:100])


@case("Snap", methods=("snapshot",))
async def _snap(rig: Rig) -> None:
    jpeg = await rig.client.snapshot(0, 640, 360)
    with PilImage.open(io.BytesIO(jpeg)) as picture:
        assert (picture.format, picture.size) == ("JPEG", (640, 360))


@case("Playback", methods=("open_playback",))
async def _playback(rig: Rig) -> None:
    name = await _first_recording(rig.client)
    async with rig.client.open_playback(name) as answer:
        whole = b"".join([chunk async for chunk in answer])
    assert is_mp4(whole)
    async with rig.client.open_playback(name, byte_range=ByteRange(None, 50)) as answer:
        tail = b"".join([chunk async for chunk in answer])
    assert (answer.status, tail) == (206, whole[-50:])


@case("NvrDownload", "nvr-16")
async def _nvr_download(rig: Rig) -> None:
    start, end = window()
    answer = await rig.client.nvr_download(1, start, end, "main")
    files = answer.get("fileList")
    assert answer.get("fileCount") == len(files) >= 7 * 4
    assert all(f["fileName"].startswith("fragment_02_") for f in files)
    async with rig.client.open_download(files[0]["fileName"]) as download:
        data = b"".join([chunk async for chunk in download])
    assert is_mp4(data)


# --- 3.7 PTZ --------------------------------------------------------------------------------


@case("GetPtzPreset", "ptz", ("get_ptz_preset", "preset_id_range"))
async def _get_ptz_preset(rig: Rig) -> None:
    rig.patch("PtzPreset", {"3": {"name": "Dock", "enable": 1}}, channel=0)
    presets = {p.id: p for p in await rig.client.get_ptz_preset(0)}
    assert len(presets) == len(rig.config("PtzPreset", 0))
    assert (presets[4].name, presets[4].enabled) == ("Dock", True)
    assert (presets[1].name, presets[5].enabled) == ("Gate", False)
    low, high = await rig.client.preset_id_range(0) or (0, 0)
    assert low == 1
    assert high >= len(presets)


@case("SetPtzPreset", "ptz")
async def _set_ptz_preset(rig: Rig) -> None:
    assert await rig.client.set_ptz_preset(0, 5, "Drive") == OK
    assert rig.config("PtzPreset", 0)[4] == {"channel": 0, "enable": 1, "id": 5, "name": "Drive"}
    assert await rig.client.ptz_ctrl(0, "ToPos", preset_id=5) == OK


@case("GetPtzPatrol", "ptz")
async def _get_ptz_patrol(rig: Rig) -> None:
    rig.patch("PtzPatrol", {"1": {"name": "Round", "enable": 1}}, channel=0)
    patrols = await rig.client.get_ptz_patrol(0)
    assert [p.id for p in patrols] == [1, 2, 3, 4, 5, 6]
    assert (patrols[1].name, patrols[1].enabled, patrols[1].running) == ("Round", True, False)


@case("SetPtzPatrol", "ptz")
async def _set_ptz_patrol(rig: Rig) -> None:
    stops = [{"id": 1, "dwellTime": 5, "speed": 20}, {"id": 2, "dwellTime": 8, "speed": 30}]
    settings = {"id": 1, "enable": 1, "name": "Loop", "preset": stops}
    assert await rig.client.set_ptz_patrol(0, settings) == OK
    patrol = (await rig.client.get_ptz_patrol(0))[0]
    assert (patrol.name, patrol.enabled) == ("Loop", True)
    assert patrol.raw["preset"] == stops


@case("PtzCtrl", "ptz")
async def _ptz_ctrl(rig: Rig) -> None:
    motion = rig.sim.device.ptz_motion
    assert await rig.client.ptz_ctrl(0, "Left", speed=20) == OK
    assert motion[0] == "Left"
    assert await rig.client.ptz_ctrl(0, "Stop") == OK
    assert motion[0] == ""
    assert await rig.client.ptz_ctrl(0, "ToPos", speed=32, preset_id=2) == OK
    assert motion[0] == "preset 2"
    await rig.client.ptz_ctrl(0, "ZoomInc")
    assert rig.config("ZoomFocus", 0)["zoom"]["pos"] == 1
    assert await refused(rig.client.ptz_ctrl(0, "Left", speed=99)) == -4


@case("GetPtzSerial", "ptz")
async def _get_ptz_serial(rig: Rig) -> None:
    rig.patch("PtzSerial", {"baudRate": 4800, "ctrlProtocol": "PELCO_P"}, channel=0)
    answer = await rig.client.get_ptz_serial(0)
    assert (answer.get("baudRate"), answer.get("ctrlProtocol")) == (4800, "PELCO_P")


@case("SetPtzSerial", "ptz")
async def _set_ptz_serial(rig: Rig) -> None:
    assert await rig.client.set_ptz_serial(0, {"baudRate": 9600, "ctrlAddr": 3}) == OK
    serial = rig.config("PtzSerial", 0)
    assert (serial["baudRate"], serial["ctrlAddr"]) == (9600, 3)
    assert await refused(rig.client.set_ptz_serial(0, {"baudRate": 9601})) == -4


@case("GetPtzTattern", "ptz")
async def _get_ptz_tattern(rig: Rig) -> None:
    rig.patch("PtzTattern", {"track": {"0": {"name": "Sweep", "enable": 1}}}, channel=0)
    tracks = (await rig.client.get_ptz_tattern(0)).get("track")
    assert len(tracks) == 6
    assert (tracks[0]["name"], tracks[0]["enable"]) == ("Sweep", 1)


@case("SetPtzTattern", "ptz")
async def _set_ptz_tattern(rig: Rig) -> None:
    assert await rig.client.set_ptz_tattern(0, [{"id": 2, "enable": 1}]) == OK
    tracks = rig.config("PtzTattern", 0)["track"]
    assert [t["enable"] for t in tracks] == [0, 1, 0, 0, 0, 0]


@case("GetAutoFocus", "ptz")
async def _get_auto_focus(rig: Rig) -> None:
    assert not (await rig.client.get_auto_focus(0)).disabled
    rig.patch("AutoFocus", {"disable": 1}, channel=0)
    focus = await rig.client.get_auto_focus(0)
    assert (focus.channel, focus.disabled) == (0, True)


@case("SetAutoFocus", "ptz")
async def _set_auto_focus(rig: Rig) -> None:
    assert await rig.client.set_auto_focus(0, disable=True) == OK
    assert rig.config("AutoFocus", 0)["disable"] == 1


@case("GetZoomFocus", "ptz")
async def _get_zoom_focus(rig: Rig) -> None:
    rig.patch("ZoomFocus", {"zoom": {"pos": 7}, "focus": {"pos": 120}}, channel=0)
    position = await rig.client.get_zoom_focus(0)
    assert (position.zoom, position.focus) == (7, 120)


@case("StartZoomFocus", "ptz")
async def _start_zoom_focus(rig: Rig) -> None:
    assert await rig.client.start_zoom_focus(0, "FocusPos", 100) == OK
    assert await rig.client.start_zoom_focus(0, "ZoomPos", 12) == OK
    assert rig.config("ZoomFocus", 0)["focus"]["pos"] == 100
    assert (await rig.client.get_zoom_focus(0)).zoom == 12


@case("GetPtzGuard", "ptz")
async def _get_ptz_guard(rig: Rig) -> None:
    rig.patch("PtzGuard", {"benable": 1, "timeout": 300, "bexistPos": 1}, channel=0)
    guard = await rig.client.get_ptz_guard(0)
    assert (guard.enabled, guard.timeout, guard.position_set) == (True, 300, True)


@case("SetPtzGuard", "ptz")
async def _set_ptz_guard(rig: Rig) -> None:
    assert await rig.client.set_ptz_guard(0, True, 120, save_current_position=True) == OK
    guard = rig.config("PtzGuard", 0)
    assert (guard["benable"], guard["timeout"], guard["bexistPos"]) == (1, 120, 1)


@case("GetPtzCheckState", "ptz")
async def _get_ptz_check_state(rig: Rig) -> None:
    assert await rig.client.get_ptz_check_state(0) == 0
    rig.sim.device.ptz_check[0] = time.monotonic() - 60  # a check that ended long ago
    assert await rig.client.get_ptz_check_state(0) == 2


@case("PtzCheck", "ptz")
async def _ptz_check(rig: Rig) -> None:
    assert await rig.client.ptz_check(0) == OK
    assert 0 in rig.sim.device.ptz_check
    assert await rig.client.get_ptz_check_state(0) == 1


# --- 3.8 Alarm ------------------------------------------------------------------------------


@case("GetAlarm")
async def _get_alarm(rig: Rig) -> None:
    rig.patch("Alarm", {"scope": {"table": "0" * 4800}}, channel=0)
    answer = await rig.client.get_alarm(0)
    assert answer.get("type") == "md"
    assert answer.get("scope")["table"] == "0" * 4800


@case("SetAlarm")
async def _set_alarm(rig: Rig) -> None:
    sens = [dict(slot) for slot in rig.config("Alarm", 0)["sens"]]
    sens[0]["sensitivity"] = 10
    assert await rig.client.set_alarm(0, {"type": "md", "sens": sens}) == OK
    assert rig.config("Alarm", 0)["sens"][0]["sensitivity"] == 10
    assert (await rig.client.get_alarm(0)).get("sens") == sens


@case("GetMdAlarm")
async def _get_md_alarm(rig: Rig) -> None:
    rig.patch("MdAlarm", {"newSens": {"sensDef": 33}}, channel=0)
    assert (await rig.client.get_md_alarm(0)).sensitivity == 33


@case("SetMdAlarm")
async def _set_md_alarm(rig: Rig) -> None:
    assert await rig.client.set_md_alarm(0, {"newSens": {"sensDef": 40}}) == OK
    assert rig.config("MdAlarm", 0)["newSens"]["sensDef"] == 40
    assert await refused(rig.client.set_md_alarm(0, {"newSens": {"sensDef": 51}})) == -4


@case("GetMdState", "nvr-16")
async def _get_md_state(rig: Rig) -> None:
    rig.sim.patch_state({"channels": {"6": {"motion": True}}})
    assert (await rig.client.get_md_state(6)).motion
    assert not (await rig.client.get_md_state(7)).motion


@case("GetAudioAlarm")
async def _get_audio_alarm(rig: Rig) -> None:
    assert not (await rig.client.get_audio_alarm(0)).enabled
    rig.patch("AudioAlarm", {"schedule": {"enable": 1}}, channel=0)
    assert (await rig.client.get_audio_alarm(0)).enabled


@case("SetAudioAlarm")
async def _set_audio_alarm(rig: Rig) -> None:
    assert await rig.client.set_audio_alarm(0, {"schedule": {"enable": 1}}) == OK
    assert rig.config("AudioAlarm", 0)["schedule"]["enable"] == 1
    assert not (await rig.client.get_audio_alarm_v20(0)).enabled


@case("GetAudioAlarmV20")
async def _get_audio_alarm_v20(rig: Rig) -> None:
    rig.patch("AudioAlarmV20", {"enable": 1}, channel=0)
    alarm = await rig.client.get_audio_alarm_v20(0)
    assert (alarm.channel, alarm.enabled) == (0, True)


@case("SetAudioAlarmV20")
async def _set_audio_alarm_v20(rig: Rig) -> None:
    assert await rig.client.set_audio_alarm_v20(0, {"enable": 1}) == OK
    assert rig.config("AudioAlarmV20", 0)["enable"] == 1
    assert (await rig.client.get_audio_alarm_v20(0)).enabled


@case("GetBuzzerAlarmV20", "nvr-16")
async def _get_buzzer_alarm_v20(rig: Rig) -> None:
    assert (await rig.client.get_buzzer_alarm_v20()).enabled
    rig.patch("BuzzerAlarmV20", {"enable": 0})
    assert not (await rig.client.get_buzzer_alarm_v20()).enabled


@case("SetBuzzerAlarmV20", "nvr-16")
async def _set_buzzer_alarm_v20(rig: Rig) -> None:
    assert await rig.client.set_buzzer_alarm_v20({"enable": 0}) == OK
    assert rig.config("BuzzerAlarmV20")["enable"] == 0
    assert not (await rig.client.get_buzzer_alarm_v20()).enabled


@case("AudioAlarmPlay", methods=("audio_alarm_play", "switch_siren"))
async def _audio_alarm_play(rig: Rig) -> None:
    assert await rig.client.audio_alarm_play(0, times=2) == OK
    assert rig.sim.device.siren[0] == {"mode": "times", "times": 2}
    assert await rig.client.audio_alarm_play(0, manual_switch=True) == OK
    assert rig.sim.device.siren[0] == {"mode": "manu", "on": True}
    await rig.client.switch_siren(0, False)
    assert rig.sim.device.siren[0] == {"mode": "manu", "on": False}
    assert await refused(rig.client.audio_alarm_play(0, times=9)) == -4


# --- 3.10 LED, 3.11 AI ----------------------------------------------------------------------


@case("GetIrLights")
async def _get_ir_lights(rig: Rig) -> None:
    rig.patch("IrLights", {"state": "Off"}, channel=0)
    lights = await rig.client.get_ir_lights(0)
    assert (lights.state, lights.is_on) == ("Off", False)


@case("SetIrLights", "nvr-16")
async def _set_ir_lights(rig: Rig) -> None:
    assert await rig.client.set_ir_lights(3, "Off") == OK
    assert rig.config("IrLights", 3)["state"] == "Off"
    assert rig.config("IrLights", 2)["state"] == "Auto"
    assert await refused(rig.client.set_ir_lights(3, "Sometimes")) == -4


@case("GetPowerLed")
async def _get_power_led(rig: Rig) -> None:
    assert (await rig.client.get_power_led(0)).state == "On"
    rig.patch("PowerLed", {"state": "Off"}, channel=0)
    assert (await rig.client.get_power_led(0)).state == "Off"


@case("SetPowerLed")
async def _set_power_led(rig: Rig) -> None:
    assert await rig.client.set_power_led(0, "Off") == OK
    assert rig.config("PowerLed", 0)["state"] == "Off"


@case("GetWhiteLed", "floodlight")
async def _get_white_led(rig: Rig) -> None:
    rig.patch("WhiteLed", {"state": 1, "bright": 42, "mode": 3}, channel=0)
    led = await rig.client.get_white_led(0)
    assert (led.state, led.bright, led.mode) == (True, 42, 3)


@case("SetWhiteLed", "floodlight", ("set_white_led", "set_floodlight"))
async def _set_white_led(rig: Rig) -> None:
    assert await rig.client.set_white_led(0, {"mode": 2, "bright": 55}) == OK
    led = await rig.client.get_white_led(0)
    assert (led.mode, led.bright) == (2, 55)
    assert await refused(rig.client.set_white_led(0, {"bright": 101})) == -4
    # Switching keeps the brightness unless one is given.
    await rig.client.set_floodlight(0, True)
    led = await rig.client.get_white_led(0)
    assert (led.state, led.mode, led.bright) == (True, 2, 55)
    await rig.client.set_floodlight(0, False, 30)
    led = await rig.client.get_white_led(0)
    assert (led.state, led.bright) == (False, 30)


@case("GetAiAlarm")
async def _get_ai_alarm(rig: Rig) -> None:
    rig.sim.device.config("AiAlarm", 0)["vehicle"]["sensitivity"] = 70
    alarm = await rig.client.get_ai_alarm(0, "vehicle")
    assert (alarm.raw["ai_type"], alarm.raw["sensitivity"]) == ("vehicle", 70)
    assert (await rig.client.get_ai_alarm(0, "people")).raw["sensitivity"] == 50


@case("SetAiAlarm")
async def _set_ai_alarm(rig: Rig) -> None:
    assert await rig.client.set_ai_alarm(0, "people", {"sensitivity": 80, "stay_time": 5}) == OK
    people = rig.config("AiAlarm", 0)["people"]
    assert (people["sensitivity"], people["stay_time"]) == (80, 5)
    assert rig.config("AiAlarm", 0)["vehicle"]["sensitivity"] == 50


@case("SetAlarmArea", "doorbell")
async def _set_alarm_area(rig: Rig) -> None:
    area = "0" * 2400 + "1" * 2400
    scope = {"area": area, "width": 80, "height": 60}
    assert await rig.client.set_alarm_area(0, "people", {"scope": scope}) == OK
    assert (await rig.client.get_ai_alarm(0, "people")).raw["scope"]["area"] == area
    assert await refused(rig.client.set_alarm_area(0, "people", {"scope": {"area": "01"}})) == -4


@case("GetAiCfg")
async def _get_ai_cfg(rig: Rig) -> None:
    rig.patch("AiCfg", {"AiDetectType": {"vehicle": 0}, "aiTrack": 1}, channel=0)
    cfg = await rig.client.get_ai_cfg(0)
    assert (cfg.detect["people"], cfg.detect["vehicle"], cfg.ai_track) == (True, False, True)


@case("SetAiCfg", "ptz")
async def _set_ai_cfg(rig: Rig) -> None:
    assert await rig.client.set_ai_cfg(0, {"aiTrack": 1, "trackType": {"people": 0}}) == OK
    cfg = await rig.client.get_ai_cfg(0)
    assert cfg.ai_track
    assert not cfg.track["people"]
    assert rig.config("AiCfg", 0)["trackType"]["people"] == 0


@case("GetAiState", "doorbell")
async def _get_ai_state(rig: Rig) -> None:
    rig.sim.patch_state({"channels": {"0": {"ai": {"people": True}, "visitor": True}}})
    state = await rig.client.get_ai_state(0)
    assert state.detected("people")
    assert not state.detected("vehicle")
    assert state.detected("visitor")


# --- the table itself -----------------------------------------------------------------------


def guide_commands() -> list[str]:
    return COMMANDS_FILE.read_text().split()


def client_command_methods() -> set[str]:
    """Public methods of ReolinkClient, the per-command helper descriptors included."""
    names = set()
    for name in dir(ReolinkClient):
        attribute = getattr(ReolinkClient, name)
        if not name.startswith("_") and (callable(attribute) or isinstance(attribute, helper)):
            names.add(name)
    return names - GENERIC_METHODS


def test_table_covers_every_guide_command() -> None:
    assert len(guide_commands()) == 130
    assert sorted(CASES) == sorted(guide_commands())


def test_table_calls_every_client_method() -> None:
    listed = {method for entry in CASES.values() for method in entry.methods}
    assert listed == client_command_methods()


def _params() -> list[Any]:
    params = []
    for command in guide_commands():
        reason = CASES[command].xfail if command in CASES else None
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        params.append(pytest.param(command, id=command, marks=marks))
    return params


@pytest.mark.parametrize("command", _params())
async def test_command(start_sim: SimFactory, connect: SimFactory, command: str) -> None:
    entry = CASES[command]
    sim = await start_sim(profile=entry.profile, **entry.sim_options)
    recorder = CallRecorder(await connect(sim))
    await entry.run(Rig(sim, cast(ReolinkClient, recorder), connect))

    assert set(entry.methods) <= recorder.called
    sent = {name.lower() for request in sim.requests for name in request["commands"]}
    assert command.lower() in sent
