"""Every public method of the client against the simulator.

One table entry per command the client sends: the profile that supports it, the
`ReolinkClient` methods that speak it, and a scenario that calls them with valid
arguments and checks the device's state change or the answer. The parametrized test
also checks that the command really went over the wire and that every listed method
was called; one more test keeps the table complete.
"""

import asyncio
import io
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, cast

import pytest
from PIL import Image as PilImage

from custom_components.reolink_http.api import ReolinkAuthError, ReolinkClient, ReolinkCommandError
from custom_components.reolink_http.api.commands import get_dev_info, search
from custom_components.reolink_http.api.fields import ISP
from custom_components.reolink_http.api.transport import ByteRange
from simulator import Simulator

from .conftest import SimFactory

# Generic plumbing of the client, not tied to one command of the guide (URL builders send none).
GENERIC_METHODS = {
    "execute",
    "execute_typed",
    "execute_with_typed",
    "room_beside",
    "stream_url",
    "telephoto_stream_url",
}


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


@case("SetTime", methods=("set_clock",))
async def _set_time(rig: Rig) -> None:
    # Read-modify-write: the clock follows `now` in the device's zone (UTC+8 here) with
    # its DST offset while in force; the zone and the DST rule stay.
    rig.patch("Time", {"Time": {"timeZone": -28800}, "Dst": {"enable": 1, "offset": 2}})
    await rig.client.set_clock(datetime(2031, 1, 2, 3, 4, 5, tzinfo=UTC), dst_in_force=True)
    shown = rig.config("Time")["Time"]
    assert (shown["year"], shown["day"], shown["hour"], shown["timeZone"]) == (2031, 2, 13, -28800)
    assert rig.config("Time")["Dst"]["offset"] == 2
    await rig.client.set_clock(datetime(2031, 1, 2, 3, 4, 5, tzinfo=UTC), dst_in_force=False)
    assert rig.config("Time")["Time"]["hour"] == 11


@case("Format", methods=("format_hdd",))
async def _format(rig: Rig) -> None:
    rig.sim.patch_state({"hdd": {"0": {"size": 5, "format": 0}}})
    await rig.client.format_hdd([0])
    disk = rig.sim.state["hdd"][0]
    assert disk["format"] == 1
    assert disk["size"] == disk["capacity"]


@case("Reboot", reboot_seconds=0.2)
async def _reboot(rig: Rig) -> None:
    await rig.client.run(get_dev_info())
    await rig.client.reboot()
    # The device goes offline just after it acknowledged the command.
    assert await eventually(lambda: rig.sim.rebooting)
    await rig.sim.wait_online()
    # The reboot forgot the token: the client logs in again on its own.
    assert (await rig.client.run(get_dev_info())).model == rig.sim.state["device"]["model"]
    assert rig.sim.login_count == 2


@case("CheckFirmware")
async def _check_firmware(rig: Rig) -> None:
    assert not (await rig.client.check_firmware()).new_firmware
    rig.sim.patch_state({"firmware": {"new_version_available": True}})
    assert (await rig.client.check_firmware()).new_firmware


@case("UpgradeOnline")
async def _upgrade_online(rig: Rig) -> None:
    assert await refused(rig.client.upgrade_online()) == -30  # nothing published
    rig.sim.patch_state({"firmware": {"new_version_available": True}})
    await rig.client.upgrade_online()
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


@case("UpgradePrepare", profile="nvr-8", methods=("upload_channel_firmware",))
async def _upgrade_prepare(rig: Rig) -> None:
    """A camera's firmware through its NVR: UpgradePrepare, then the file in Upgrade pieces."""
    firmware = bytes(100_000)

    async def pieces() -> AsyncIterator[bytes]:
        for start in range(0, len(firmware), 40960):
            yield firmware[start : start + 40960]

    sent: list[int] = []
    await rig.client.upload_channel_firmware(1, "IPC.pak", len(firmware), pieces(), sent.append)
    assert sent == [40960, 81920, 100_000]
    installed = rig.sim.device.upgrade["channel_version"]
    assert rig.sim.state["channels"][1]["firmware"] == installed


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


@case("GetOnline")
async def _get_online(rig: Rig) -> None:
    other = await rig.connect(rig.sim)
    await other.login()
    users = await rig.client.get_online()
    ids = {s.session_id for s in rig.sim.sessions.live_sessions}
    assert {u.session_id for u in users} == ids
    assert sorted(u.can_disconnect for u in users) == [False, True]
    assert {(u.user, u.ip, u.level) for u in users} == {("admin", "127.0.0.1", "admin")}


@case("Disconnect")
async def _disconnect(rig: Rig) -> None:
    other = await rig.connect(rig.sim)
    await other.login()
    users = await rig.client.get_online()
    target = next(u for u in users if u.can_disconnect)
    await rig.client.disconnect(target.user, target.session_id)
    assert target.session_id not in {s.session_id for s in rig.sim.sessions.live_sessions}
    assert len(rig.sim.sessions.live_sessions) == 1
    assert await refused(rig.client.disconnect("admin", target.session_id)) == -1


# --- 3.3 Network ----------------------------------------------------------------------------


@case("TestEmail")
async def _test_email(rig: Rig) -> None:
    rig.patch("Email", {"smtpServer": "", "userName": "", "addr1": ""})
    assert await refused(rig.client.test_email()) == -481
    rig.patch("Email", {"smtpServer": "smtp.example"})
    assert await refused(rig.client.test_email()) == -480
    rig.patch("Email", {"userName": "cam", "addr1": "me@example.com"})
    await rig.client.test_email()


@case("TestFtp")
async def _test_ftp(rig: Rig) -> None:
    rig.patch("Ftp", {"server": "", "anonymous": 0})
    assert await refused(rig.client.test_ftp()) == -454
    rig.patch("Ftp", {"server": "ftp.example"})
    assert await refused(rig.client.test_ftp()) == -451
    rig.patch("Ftp", {"anonymous": 1})
    await rig.client.test_ftp()


@case("GetNetPort")
async def _get_net_port(rig: Rig) -> None:
    rig.patch("NetPort", {"httpsPort": 8443})
    answer = await rig.client.get_net_port()
    assert (answer.get("httpsPort"), answer.get("rtspPort")) == (8443, 554)


# --- 3.4 Video input ------------------------------------------------------------------------


@case("SetIsp", methods=("write_setting",))
async def _set_isp(rig: Rig) -> None:
    rig.patch("Isp", {"antiFlicker": "50HZ", "rotation": 1}, channel=0)
    await rig.client.write_setting(ISP, 0, {"mirroring": 1})
    isp = rig.config("Isp", 0)
    assert (isp["antiFlicker"], isp["rotation"], isp["mirroring"]) == ("50HZ", 1, 1)


# --- 3.6 Record -----------------------------------------------------------------------------


@case("Search", methods=("run",))
async def _search(rig: Rig) -> None:
    start, end = window()
    found = await rig.client.run(search(0, start, end))
    assert len(found.files) >= 7 * 4  # 4-9 files a day for a week
    assert all(f.stream == "main" and f.name.startswith("Mp4Record/") for f in found.files)
    first = found.files[0]
    begin = datetime(*(first.start[k] for k in ("year", "mon", "day", "hour", "min", "sec")))
    narrow = await rig.client.run(search(0, begin, begin + timedelta(seconds=1), "sub"))
    assert [f.stream for f in narrow.files] == ["sub"]
    calendar = await rig.client.run(search(0, start, end, only_status=True))
    assert calendar.files == ()
    assert sum(s["table"].count("1") for s in calendar.status) == 7


@case("Download", methods=("open_download",))
async def _download(rig: Rig) -> None:
    start, end = window()
    name = (await rig.client.run(search(0, start, end))).files[0].name
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


# --- 3.7 PTZ --------------------------------------------------------------------------------


@case("GetPtzPreset", "ptz", ("preset_id_range",))
async def _get_ptz_preset(rig: Rig) -> None:
    low, high = await rig.client.preset_id_range(0) or (0, 0)
    assert low == 1
    assert high >= len(rig.config("PtzPreset", 0))


@case("SetPtzPreset", "ptz")
async def _set_ptz_preset(rig: Rig) -> None:
    await rig.client.set_ptz_preset(0, 5, "Drive")
    assert rig.config("PtzPreset", 0)[4] == {"channel": 0, "enable": 1, "id": 5, "name": "Drive"}


@case("PtzCtrl", "ptz")
async def _ptz_ctrl(rig: Rig) -> None:
    motion = rig.sim.device.ptz_motion
    await rig.client.ptz_ctrl(0, "Left", speed=20)
    assert motion[0] == "Left"
    await rig.client.ptz_ctrl(0, "Stop")
    assert motion[0] == ""
    await rig.client.ptz_ctrl(0, "ToPos", speed=32, preset_id=2)
    assert motion[0] == "preset 2"
    await rig.client.ptz_ctrl(0, "ZoomInc")
    assert rig.config("ZoomFocus", 0)["zoom"]["pos"] == 1
    assert await refused(rig.client.ptz_ctrl(0, "Left", speed=99)) == -4


@case("StartZoomFocus", "ptz")
async def _start_zoom_focus(rig: Rig) -> None:
    await rig.client.start_zoom_focus(0, "FocusPos", 100)
    await rig.client.start_zoom_focus(0, "ZoomPos", 12)
    position = rig.config("ZoomFocus", 0)
    assert (position["focus"]["pos"], position["zoom"]["pos"]) == (100, 12)


@case("SetPtzGuard", "ptz", ("set_ptz_guard", "save_guard_position"))
async def _set_ptz_guard(rig: Rig) -> None:
    await rig.client.set_ptz_guard(0, True, 120)
    guard = rig.config("PtzGuard", 0)
    assert (guard["benable"], guard["timeout"], guard["bexistPos"]) == (1, 120, 0)
    await rig.client.save_guard_position(0)
    guard = rig.config("PtzGuard", 0)
    assert (guard["benable"], guard["timeout"], guard["bexistPos"]) == (1, 120, 1)


@case("PtzCheck", "ptz")
async def _ptz_check(rig: Rig) -> None:
    await rig.client.ptz_check(0)
    assert 0 in rig.sim.device.ptz_check


# --- 3.8 Alarm, 3.10 LED --------------------------------------------------------------------


@case("AudioAlarmPlay", methods=("switch_siren",))
async def _audio_alarm_play(rig: Rig) -> None:
    await rig.client.switch_siren(0, True)
    assert rig.sim.device.siren[0] == {"mode": "manu", "on": True}
    await rig.client.switch_siren(0, False)
    assert rig.sim.device.siren[0] == {"mode": "manu", "on": False}


@case("SetWhiteLed", "floodlight", ("set_floodlight",))
async def _set_white_led(rig: Rig) -> None:
    rig.patch("WhiteLed", {"mode": 2, "bright": 55}, channel=0)
    # Switching keeps the brightness unless one is given.
    await rig.client.set_floodlight(0, True)
    led = rig.config("WhiteLed", 0)
    assert (led["state"], led["mode"], led["bright"]) == (1, 2, 55)
    await rig.client.set_floodlight(0, False, 30)
    led = rig.config("WhiteLed", 0)
    assert (led["state"], led["bright"]) == (0, 30)


@case("DingDongOpt", "hub", ("set_chime", "play_chime"))
async def _ding_dong_opt(rig: Rig) -> None:
    chime = rig.sim.device.state["chimes"][0]
    # Option 3 takes name, volume and LED together: the ones not changed stay as read.
    await rig.client.set_chime(0, None, {"volLevel": 1})
    assert (chime["volLevel"], chime["ledState"], chime["name"]) == (1, 1, "Hall chime")
    await rig.client.play_chime(0, None, 5)
    assert (chime["plays"], chime["lastMusicId"]) == (1, 5)
    assert await refused(rig.client.play_chime(7, None, 5)) == -4


@case("SetDingDongCfg", "hub", ("set_chime_tune",))
async def _set_ding_dong_cfg(rig: Rig) -> None:
    tones = rig.sim.device.state["chimes"][0]["tones"]
    await rig.client.set_chime_tune(0, None, "people", 6, None)
    assert tones["people"] == {"switch": 1, "musicId": 6}
    # Silenced, the tune it had is kept for when it rings again.
    await rig.client.set_chime_tune(0, None, "people", -1, 6)
    assert tones["people"] == {"switch": 0, "musicId": 6}


# --- the table itself -----------------------------------------------------------------------


def client_methods() -> set[str]:
    """Public methods of ReolinkClient."""
    names = {name for name in dir(ReolinkClient) if not name.startswith("_")}
    return {name for name in names if callable(getattr(ReolinkClient, name))} - GENERIC_METHODS


def test_table_calls_every_client_method() -> None:
    listed = {method for entry in CASES.values() for method in entry.methods}
    assert listed == client_methods()


@pytest.mark.parametrize("command", sorted(CASES))
async def test_command(start_sim: SimFactory, connect: SimFactory, command: str) -> None:
    entry = CASES[command]
    sim = await start_sim(profile=entry.profile, **entry.sim_options)
    recorder = CallRecorder(await connect(sim))
    await entry.run(Rig(sim, cast(ReolinkClient, recorder), connect))

    assert set(entry.methods) <= recorder.called
    sent = {name.lower() for request in sim.requests for name in request["commands"]}
    assert command.lower() in sent
