"""reolink_aio, the client Home Assistant core uses on real devices, against the simulator.

Unmodified `reolink-aio` (pinned in requirements_test.txt) logs in over HTTP and HTTPS,
reads host data and states, and drives its HTTP setters. Its Baichuan side channel (TCP
port 9000 on real devices) is pointed at a closed loopback port: the device's GetNetPort
`mediaPort` says where Baichuan listens, and nothing listens there, so it fails at once.
The setter table below is the record of which of its HTTP setters work (simulator/README.md).
"""

import contextlib
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import pytest
from reolink_aio.api import Host
from reolink_aio.enums import ConnectionEnum
from reolink_aio.exceptions import ReolinkError

from simulator import Simulator

USERNAME = "admin"
PASSWORD = "password"


def closed_port() -> int:
    """A loopback port nobody listens on (bound once by us, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@dataclass
class Peer:
    sim: Simulator
    host: Host

    def config(self, store: str, channel: int | None = None) -> Any:
        return self.sim.device.config(store, channel)


async def _connect(profile: str, *, https: bool = False) -> AsyncIterator[Peer]:
    async with Simulator(profile=profile, https=https) as sim:
        baichuan = closed_port()
        sim.patch_state({"config": {"NetPort": {"mediaPort": baichuan}}})
        host = Host(
            "127.0.0.1",
            USERNAME,
            PASSWORD,
            port=sim.port,
            use_https=https,
            bc_port=baichuan,
            bc_connection=ConnectionEnum.tcp,
            timeout=10,
        )
        try:
            await host.get_host_data()
            yield Peer(sim, host)
        finally:
            await host.logout()


PeerFactory = Callable[..., Awaitable[Peer]]


@pytest.fixture
async def peer() -> AsyncIterator[PeerFactory]:
    """Connect reolink_aio to a fresh simulator; everything is closed after the test."""
    generators: list[AsyncIterator[Peer]] = []

    async def connect(profile: str, *, https: bool = False) -> Peer:
        generator = _connect(profile, https=https)
        generators.append(generator)
        return await anext(generator)

    yield connect
    for generator in generators:
        with pytest.raises(StopAsyncIteration):
            await anext(generator)


@pytest.mark.parametrize("https", [False, True], ids=["http", "https"])
async def test_logs_in_and_reads_the_host(peer: PeerFactory, https: bool) -> None:
    connected = await peer("ipc", https=https)
    host = connected.host
    assert host.model == "RLC-810A"
    assert host.num_channels == 1
    assert not host.is_nvr
    assert host.mac_address == connected.config("LocalLink")["mac"]
    assert host.port == connected.sim.port
    assert host.use_https is https
    assert connected.sim.login_count >= 1
    assert host.api_version("GetEvents") == 1
    # GetPerformance, read with the host data.
    assert host.cpu_usage == connected.sim.state["performance"]["cpuUsed"]


@pytest.mark.parametrize("profile", ["ipc", "wifi"])
async def test_sees_motion_and_a_person(peer: PeerFactory, profile: str) -> None:
    """Through GetEvents on newer firmware, GetMdState + GetAiState on older (wifi)."""
    connected = await peer(profile)
    host = connected.host
    await host.get_states()
    assert not host.motion_detected(0)
    connected.sim.patch_state({"channels": {"0": {"motion": True, "ai": {"people": True}}}})
    await host.get_states()
    assert host.motion_detected(0)
    if profile == "ipc":
        assert host.ai_detected(0, "people")
        assert not host.ai_detected(0, "vehicle")
    else:  # no AI on this camera: support 0, never detected
        assert not host.ai_supported(0, "people")
    # Older firmware answers GetEvents as an "Unknown" command and the client falls back.
    assert host.api_version("GetEvents") == int(profile == "ipc")


async def test_reads_per_camera_switches_on_an_nvr(peer: PeerFactory) -> None:
    connected = await peer("nvr-8")
    host = connected.host
    assert host.is_nvr
    assert host.num_channels == 8
    switches = {
        "RecV20": host.recording_enabled,
        "EmailV20": host.email_enabled,
        "FtpV20": host.ftp_enabled,
        "PushV20": host.push_enabled,
        "BuzzerAlarmV20": host.buzzer_enabled,
    }
    off = {store: {"scheduleEnable": 0} for store in switches}
    connected.sim.patch_state({"channels": {"3": {"config": off}}})
    await host.get_states()
    for store, enabled in switches.items():
        assert host.supported(3, _capability(store)), store
        assert not enabled(3), store
        assert enabled(2), store
        wide = connected.config(store)["enable"] == 1
        assert enabled(None) is wide, store
    assert host.camera_model(1) == "RLC-823A"
    assert host.camera_sw_version(1) == connected.sim.device.profile.channels[1].firmware


def _capability(store: str) -> str:
    names = {"RecV20": "recording", "EmailV20": "email", "FtpV20": "ftp", "PushV20": "push"}
    return names.get(store, "buzzer")


# ---------------------------------------------------------------- setters


@dataclass(frozen=True)
class Setter:
    """One reolink_aio setter call and how the simulator's state shows it took effect."""

    name: str
    profile: str
    call: Callable[[Host], Awaitable[None]]
    took_effect: Callable[[Peer], bool]
    works: bool = True
    why: str = ""


def _cfg(store: str, channel: int | None, *path: str) -> Callable[[Peer], Any]:
    def read(peer: Peer) -> Any:
        value = peer.config(store, channel)
        for key in path:
            value = value[key]
        return value

    return read


def _equals(read: Callable[[Peer], Any], wanted: Any) -> Callable[[Peer], bool]:
    return lambda peer: bool(read(peer) == wanted)


SETTERS: tuple[Setter, ...] = (
    Setter(
        "set_recording (camera)",
        "nvr-8",
        lambda h: h.set_recording(3, False),
        lambda p: p.config("RecV20", 3)["scheduleEnable"] == 0
        and p.config("RecV20")["enable"] == 1,
    ),
    Setter(
        "set_recording (NVR-wide)",
        "nvr-8",
        lambda h: h.set_recording(None, False),
        lambda p: p.config("RecV20")["enable"] == 0
        and p.config("RecV20", 3)["scheduleEnable"] == 1,
    ),
    Setter(
        "set_email (camera)",
        "nvr-8",
        lambda h: h.set_email(3, False),
        _equals(_cfg("EmailV20", 3, "scheduleEnable"), 0),
    ),
    Setter(
        "set_ftp (camera)",
        "nvr-8",
        lambda h: h.set_ftp(3, False),
        _equals(_cfg("FtpV20", 3, "scheduleEnable"), 0),
    ),
    Setter(
        "set_push (camera)",
        "nvr-8",
        lambda h: h.set_push(3, False),
        _equals(_cfg("PushV20", 3, "scheduleEnable"), 0),
    ),
    Setter(
        "set_buzzer (camera)",
        "nvr-8",
        lambda h: h.set_buzzer(3, False),
        _equals(_cfg("BuzzerAlarmV20", 3, "scheduleEnable"), 0),
    ),
    Setter(
        "set_manual_record",
        "nvr-8",
        lambda h: h.set_manual_record(2, True),
        _equals(_cfg("ManualRec", 2, "enable"), 1),
    ),
    Setter(
        "set_audio_alarm",
        "ipc",
        lambda h: h.set_audio_alarm(0, True),
        _equals(_cfg("AudioAlarmV20", 0, "enable"), 1),
    ),
    Setter(
        "set_ir_lights",
        "ipc",
        lambda h: h.set_ir_lights(0, False),
        _equals(_cfg("IrLights", 0, "state"), "Off"),
    ),
    Setter(
        "set_status_led",
        "ipc",
        lambda h: h.set_status_led(0, False),
        _equals(_cfg("PowerLed", 0, "state"), "Off"),
    ),
    Setter(
        "set_status_led (doorbell)",
        "doorbell",
        lambda h: h.set_status_led(0, "KeepOff", doorbell=True),
        _equals(_cfg("PowerLed", 0, "eDoorbellLightState"), "KeepOff"),
    ),
    Setter(
        "set_whiteled",
        "floodlight",
        lambda h: h.set_whiteled(0, state=True, brightness=40),
        lambda p: p.config("WhiteLed", 0)["state"] == 1 and p.config("WhiteLed", 0)["bright"] == 40,
    ),
    Setter(
        "set_privacy_mask",
        "ipc",
        lambda h: h.set_privacy_mask(0, True),
        _equals(_cfg("Mask", 0, "enable"), 1),
    ),
    Setter(
        "set_motion_detection",
        "ipc",
        lambda h: h.set_motion_detection(0, False),
        lambda p: p.config("Alarm", 0).get("enable") == 0,
        works=False,
        why="accepted, no effect: writes Alarm.enable, a key GetAlarm does not have",
    ),
    Setter(
        "set_md_sensitivity",
        "ipc",
        lambda h: h.set_md_sensitivity(0, 30),
        _equals(_cfg("MdAlarm", 0, "newSens", "sensDef"), 21),
    ),
    Setter(
        "set_ai_sensitivity",
        "ipc",
        lambda h: h.set_ai_sensitivity(0, 70, "people"),
        _equals(_cfg("AiAlarm", 0, "people", "sensitivity"), 70),
    ),
    Setter(
        "set_ai_delay",
        "ipc",
        lambda h: h.set_ai_delay(0, 5, "vehicle"),
        _equals(_cfg("AiAlarm", 0, "vehicle", "stay_time"), 5),
    ),
    Setter(
        "set_ai_sensitivity (non-motor vehicle)",
        "trackmix",
        lambda h: h.set_ai_sensitivity(0, 35, "non-motor vehicle"),
        _equals(_cfg("AiAlarm", 0, "non-motor vehicle", "sensitivity"), 35),
    ),
    Setter(
        "set_ai_delay (package)",
        "doorbell",
        lambda h: h.set_ai_delay(0, 3, "package"),
        _equals(_cfg("AiAlarm", 0, "package", "stay_time"), 3),
    ),
    Setter(
        "set_quick_reply",
        "doorbell",
        lambda h: h.set_quick_reply(0, file_id=2, time=7),
        lambda p: p.config("AutoReply", 0)
        == {"channel": 0, "enable": 1, "fileId": 2, "timeout": 7},
    ),
    Setter(
        "play_quick_reply",
        "doorbell",
        lambda h: h.play_quick_reply(0, 1),
        lambda p: p.sim.device.quick_replies == [(0, 1)],
    ),
    Setter(
        "set_image",
        "ipc",
        lambda h: h.set_image(0, bright=90),
        _equals(_cfg("Image", 0, "bright"), 90),
    ),
    Setter(
        "set_daynight",
        "ipc",
        lambda h: h.set_daynight(0, "Color"),
        _equals(_cfg("Isp", 0, "dayNight"), "Color"),
    ),
    Setter(
        "set_backlight",
        "ipc",
        lambda h: h.set_backlight(0, "DynamicRangeControl"),
        _equals(_cfg("Isp", 0, "backLight"), "DynamicRangeControl"),
    ),
    Setter(
        "set_osd",
        "ipc",
        lambda h: h.set_osd(0, namePos="Upper Right"),
        _equals(_cfg("Osd", 0, "osdChannel", "pos"), "Upper Right"),
    ),
    Setter(
        "set_audio",
        "ipc",
        lambda h: h.set_audio(0, True),
        _equals(_cfg("Enc", 0, "audio"), 1),
    ),
    Setter(
        "set_ntp",
        "ipc",
        lambda h: h.set_ntp(server="ntp.example.org"),
        _equals(_cfg("Ntp", None, "server"), "ntp.example.org"),
    ),
    Setter(
        "set_net_port",
        "ipc",
        lambda h: h.set_net_port(enable_onvif=False),
        _equals(_cfg("NetPort", None, "onvifEnable"), 0),
    ),
    Setter(
        "set_zoom",
        "zoom",
        lambda h: h.set_zoom(0, 12),
        _equals(_cfg("ZoomFocus", 0, "zoom", "pos"), 12),
    ),
    Setter(
        "set_focus",
        "zoom",
        lambda h: h.set_focus(0, 100),
        _equals(_cfg("ZoomFocus", 0, "focus", "pos"), 100),
    ),
    Setter(
        "set_autofocus",
        "zoom",
        lambda h: h.set_autofocus(0, False),
        _equals(_cfg("AutoFocus", 0, "disable"), 1),
    ),
    Setter(
        "set_ptz_command (pan)",
        "ptz",
        lambda h: h.set_ptz_command(0, command="Left", speed=10),
        lambda p: p.sim.device.ptz_motion.get(0) == "Left",
    ),
    Setter(
        "set_ptz_guard (setPos, toPos)",
        "ptz",
        lambda h: _guard_set_and_go(h),
        lambda p: p.sim.device.ptz_motion.get(0) == "guard",
    ),
    Setter(
        "set_auto_tracking (tracker)",
        "trackmix",
        lambda h: h.set_auto_tracking(0, enable=True, method=2, disappear_time=20),
        lambda p: (
            (p.config("AiCfg", 0)["bSmartTrack"], p.config("AiCfg", 0)["aiTrack"]) == (1, 2)
            and p.config("AiCfg", 0)["aiDisappearBackTime"] == 20
        ),
    ),
    Setter(
        "set_auto_track_limit",
        "trackmix",
        lambda h: h.set_auto_track_limit(0, left=500),
        _equals(_cfg("PtzTraceSection", 0, "LimitLeft"), 500),
    ),
    Setter(
        "set_HDR",
        "trackmix",
        lambda h: h.set_HDR(0, True),
        _equals(_cfg("Isp", 0, "hdr"), 2),
    ),
    Setter(
        "set_binning_mode",
        "trackmix",
        lambda h: h.set_binning_mode(0, 1),
        _equals(_cfg("Isp", 0, "binningMode"), 1),
    ),
    Setter(
        "set_siren",
        "ipc",
        lambda h: h.set_siren(0, True, None),
        lambda p: p.sim.device.siren.get(0) == {"mode": "manu", "on": True},
        works=False,
        why="0.22.0 sends AudioAlarmPlay only over Baichuan (no HTTP path)",
    ),
)


async def _guard_set_and_go(host: Host) -> None:
    await host.set_ptz_guard(0, command="setPos")
    await host.set_ptz_guard(0, command="toPos")


@pytest.mark.parametrize("setter", SETTERS, ids=[setter.name for setter in SETTERS])
async def test_setter(peer: PeerFactory, setter: Setter) -> None:
    connected = await peer(setter.profile)
    await connected.host.get_states()
    if setter.works:
        await setter.call(connected.host)
        assert setter.took_effect(connected)
        return
    with contextlib.suppress(ReolinkError):
        await setter.call(connected.host)
    assert not setter.took_effect(connected), setter.why


async def test_reads_a_home_hub_with_sleeping_battery_cameras(peer: PeerFactory) -> None:
    """Hub detection, sleep, battery, PIR and hub audio; polling without waking wakes nothing.

    reolink_aio's own start (get_host_data) wakes each camera once (GetEnc and the like).
    """
    connected = await peer("hub")
    host, device = connected.host, connected.sim.device
    assert (host.is_nvr, host.is_hub, host.num_channels) == (True, True, 3)
    assert [host.sleeping(channel) for channel in range(3)] == [True, True, True]
    device.clock_offset += device.awake_seconds  # asleep again
    woken = len(device.wake_log)
    assert host.supported(0, "battery")
    assert host.supported(0, "PIR")
    await host.get_states(wake=False)
    await host.get_state("GetPirInfo")
    assert host.battery_percentage(1) == 78
    assert host.battery_temperature(0) == 21
    assert host.pir_enabled(0)
    assert host.pir_sensitivity(0) == 51
    assert host.alarm_volume == 80
    assert host.hub_visitor_tone_id(2) == 1
    assert device.wake_log[woken:] == []


async def test_home_hub_setters(peer: PeerFactory) -> None:
    connected = await peer("hub")
    host, device = connected.host, connected.sim.device
    await host.get_states(wake=False)
    await host.get_state("GetPirInfo")
    await host.set_pir(0, enable=False, sensitivity=90)
    assert (device.config("pirInfo", 0)["enable"], device.config("pirInfo", 0)["sensitive"]) == (
        0,
        11,
    )
    await host.set_hub_audio(alarm_volume=40, message_volume=10)
    assert device.state["hub_audio"] == {"alarmVolume": 40, "cuesVolume": 10}
    await host.set_hub_audio(2, visitor_tone_id=6)
    assert device.state["channels"][2]["hub_tones"]["ringToneId"] == 6
    await host.set_state_light(False)
    assert device.config("stateLight", None) == {"enable": 0}


async def test_telephoto_lens_of_a_tracker_behind_an_nvr(peer: PeerFactory) -> None:
    """reolink_aio sees the TrackMix's second lens and takes its picture with iLogicChannel=1."""
    connected = await peer("nvr-trackmix")
    host, sim = connected.host, connected.sim
    assert host.supported(0, "autotrack_stream")
    assert host.supported(0, "autotrack_snapshot")
    assert not host.supported(1, "autotrack_stream")
    sim.clear_log()
    picture = await host.get_snapshot(0, "autotrack_snapshots_main")
    assert picture is not None
    assert picture.startswith(b"\xff\xd8")
    (snap,) = [request for request in sim.requests if "cmd=Snap" in request["path"]]
    assert "iLogicChannel=1" in snap["path"]
    rtsp = await host.get_rtsp_stream_source(0, "telephoto_main", check=False)
    assert rtsp is not None
    assert rtsp.endswith("/Preview_01_autotrack")
