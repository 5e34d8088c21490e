"""Every typed helper against the simulator's profiles."""

from __future__ import annotations

from typing import Any

import pytest

from custom_components.reolink_http.api import (
    Abilities,
    Ack,
    AiCfg,
    AiState,
    DeviceInfo,
    Enc,
    HddInfo,
    Image,
    IrLights,
    Isp,
    LocalLink,
    MdAlarm,
    MdState,
    Osd,
    PtzGuard,
    RawConfig,
    ReolinkClient,
    ReolinkCommandError,
    ReolinkNotSupportedError,
    WhiteLed,
    ZoomFocus,
    commands,
)

from .conftest import SimFactory

PROFILES = ["ipc", "ptz", "floodlight", "doorbell", "nvr-16"]

# Getter name → arguments (channel 0 where the command takes one).
CHANNEL_GETTERS = [
    "get_image", "get_osd", "get_isp", "get_mask", "get_crop", "get_enc", "get_rec",
    "get_rec_v20", "get_ptz_preset", "get_ptz_patrol", "get_ptz_serial", "get_ptz_tattern",
    "get_auto_focus", "get_zoom_focus", "get_ptz_guard", "get_ptz_check_state", "get_alarm",
    "get_md_alarm", "get_md_state", "get_audio_alarm", "get_audio_alarm_v20", "get_ir_lights",
    "get_power_led", "get_white_led", "get_ai_cfg", "get_ai_state", "get_rtsp_url",
    "get_email_v20", "get_push_v20", "get_dev_name",
]  # fmt: skip
DEVICE_GETTERS = [
    "get_dev_info", "get_time", "get_auto_maint", "get_hdd_info", "get_auto_upgrade",
    "check_firmware", "upgrade_status", "get_channel_status", "get_user", "get_online",
    "get_sys_cfg", "get_local_link", "get_ddns", "get_email", "get_ftp", "get_ftp_v20",
    "get_ntp", "get_net_port", "get_upnp", "get_wifi", "scan_wifi", "get_wifi_signal",
    "get_push", "get_push_cfg", "get_p2p", "get_certificate_info", "get_stitch",
    "get_buzzer_alarm_v20", "get_ability",
]  # fmt: skip
PTZ_ONLY = {
    "get_ptz_preset", "get_ptz_patrol", "get_ptz_serial", "get_ptz_tattern", "get_auto_focus",
    "get_zoom_focus", "get_ptz_guard", "get_ptz_check_state",
}  # fmt: skip


async def _call(client: ReolinkClient, name: str, *args: Any) -> Any:
    try:
        return await getattr(client, name)(*args)
    except ReolinkCommandError as err:
        return err


@pytest.mark.parametrize("profile", PROFILES)
async def test_every_getter(start_sim: SimFactory, connect: SimFactory, profile: str) -> None:
    sim = await start_sim(profile=profile)
    client = await connect(sim)
    answers = {name: await _call(client, name, 0) for name in CHANNEL_GETTERS}
    answers |= {name: await _call(client, name) for name in DEVICE_GETTERS}
    answers["get_ai_alarm"] = await _call(client, "get_ai_alarm", 0, "people")

    unexpected = {
        n: a
        for n, a in answers.items()
        if isinstance(a, ReolinkCommandError) and not isinstance(a, ReolinkNotSupportedError)
    }
    assert unexpected == {}
    supported = {n for n, a in answers.items() if not isinstance(a, ReolinkCommandError)}
    assert (supported >= PTZ_ONLY) == (profile == "ptz")
    assert ("get_white_led" in supported) == (profile == "floodlight")
    assert {"get_dev_info", "get_ability", "get_md_state", "get_enc", "get_isp"} <= supported
    assert sim.login_count == 1

    channel = sim.state["channels"][0]
    assert isinstance(answers["get_dev_info"], DeviceInfo)
    assert answers["get_dev_info"].is_nvr == profile.startswith("nvr")
    assert answers["get_dev_info"].model == sim.state["device"]["model"]
    assert isinstance(answers["get_ability"], Abilities)
    assert isinstance(answers["get_md_state"], MdState)
    assert answers["get_md_state"].motion == channel["motion"]
    ai = answers["get_ai_state"]
    assert isinstance(ai, AiState)
    for kind, detected in channel["ai"].items():
        if kind in ai.types:
            assert ai.detected(kind) == detected
    assert isinstance(answers["get_isp"], Isp)
    assert answers["get_isp"].day_night == channel["config"]["Isp"]["dayNight"]
    assert isinstance(answers["get_enc"], Enc)
    assert answers["get_enc"].main.size == channel["config"]["Enc"]["mainStream"]["size"]
    assert isinstance(answers["get_image"], Image)
    assert isinstance(answers["get_osd"], Osd)
    assert isinstance(answers["get_md_alarm"], MdAlarm)
    assert isinstance(answers["get_local_link"], LocalLink)
    assert answers["get_local_link"].mac
    assert isinstance(answers["get_time"], RawConfig)
    if "get_ir_lights" in supported:
        assert isinstance(answers["get_ir_lights"], IrLights)
        assert answers["get_ir_lights"].state == channel["config"]["IrLights"]["state"]
    if "get_ai_cfg" in supported:
        assert isinstance(answers["get_ai_cfg"], AiCfg)
    if "get_hdd_info" in supported:
        assert isinstance(answers["get_hdd_info"], HddInfo)
        assert len(answers["get_hdd_info"].disks) == len(sim.state["hdd"])
    if profile == "ptz":
        assert isinstance(answers["get_ptz_guard"], PtzGuard)
        assert isinstance(answers["get_zoom_focus"], ZoomFocus)
        assert all(p.channel == 0 for p in answers["get_ptz_preset"])
    if profile == "floodlight":
        assert isinstance(answers["get_white_led"], WhiteLed)
    if profile.startswith("nvr"):
        statuses = answers["get_channel_status"]
        assert len(statuses) == 16
        assert [s.online for s in statuses] == [c["online"] for c in sim.state["channels"]]


# Setter → (matching getter, path in the channel config that changes, new value).
ROUND_TRIPS = [
    ("set_image", "get_image", "Image", "bright", 77),
    ("set_isp", "get_isp", "Isp", "dayNight", "Black&White"),
    ("set_osd", "get_osd", "Osd", "watermark", 0),
    ("set_md_alarm", "get_md_alarm", "MdAlarm", None, None),
    ("set_enc", "get_enc", "Enc", "audio", 1),
    ("set_rec", "get_rec", "Rec", None, None),
    ("set_mask", "get_mask", "Mask", None, None),
]


@pytest.mark.parametrize("profile", ["ipc", "nvr-16"])
async def test_setters_round_trip_and_change_state(
    start_sim: SimFactory, connect: SimFactory, profile: str
) -> None:
    sim = await start_sim(profile=profile)
    client = await connect(sim)
    ch = 1 if profile.startswith("nvr") else 0
    for setter, getter, family, field, value in ROUND_TRIPS:
        current = await getattr(client, getter)(ch)
        settings = dict(current.raw)
        if field is not None:
            settings[field] = value
        assert await getattr(client, setter)(ch, settings) == Ack(200), setter
        if field is not None:
            assert sim.state["channels"][ch]["config"][family][field] == value, setter

    assert await client.set_ir_lights(ch, "Off") == Ack(200)
    assert sim.state["channels"][ch]["config"]["IrLights"]["state"] == "Off"
    assert (await client.get_ir_lights(ch)).state == "Off"
    await client.set_ai_cfg(ch, {"AiDetectType": {"people": 0}})
    assert (await client.get_ai_cfg(ch)).detect["people"] is False


async def test_device_wide_setters(start_sim: SimFactory, connect: SimFactory) -> None:
    sim = await start_sim(profile="ipc")
    client = await connect(sim)
    maint = dict((await client.get_auto_maint()).raw)
    maint["hour"] = 4
    await client.set_auto_maint(maint)
    assert sim.state["config"]["AutoMaint"]["hour"] == 4
    await client.set_ntp({**(await client.get_ntp()).raw, "server": "ntp.example"})
    assert (await client.get_ntp()).get("server") == "ntp.example"
    await client.set_auto_upgrade(False)
    assert (await client.get_auto_upgrade()).enabled is False
    await client.set_upnp(True)
    assert (await client.get_upnp()).enabled is True
    await client.set_dev_name("Garage")
    assert (await client.get_dev_name(0)) == "Garage"
    await client.set_power_led(0, "Off")
    assert (await client.get_power_led(0)).state == "Off"
    await client.audio_alarm_play(0, times=1)
    firmware = await client.check_firmware()
    assert firmware.new_firmware == sim.state["firmware"]["new_version_available"]


async def test_ranges_for_entities(start_sim: SimFactory, connect: SimFactory) -> None:
    sim = await start_sim(profile="floodlight")
    client = await connect(sim)
    ir, led, isp = await client.execute_typed(
        [
            commands.get_ir_lights(0).with_range(),
            commands.get_white_led(0).with_range(),
            commands.get_isp(0).with_range(),
        ]
    )
    assert {"Auto", "Off"} <= set(ir.range.options("state"))
    assert ir.value.state in ir.range.options("state")
    low, high = led.range.min_max("bright")
    assert low <= led.value.bright <= high
    assert isp.value.day_night in isp.range.options("dayNight")
    assert isp.initial


async def test_ptz_helpers(start_sim: SimFactory, connect: SimFactory) -> None:
    sim = await start_sim(profile="ptz")
    client = await connect(sim)
    await client.set_ptz_preset(0, 3, "Gate")
    assert any(p.id == 3 and p.name == "Gate" for p in await client.get_ptz_preset(0))
    assert await client.ptz_ctrl(0, "Left", speed=20) == Ack(200)
    assert await client.ptz_ctrl(0, "Stop") == Ack(200)
    assert await client.ptz_ctrl(0, "ToPos", speed=32, preset_id=3) == Ack(200)
    await client.start_zoom_focus(0, "ZoomPos", 5)
    assert (await client.get_zoom_focus(0)).zoom == 5
    await client.set_auto_focus(0, disable=True)
    assert (await client.get_auto_focus(0)).disabled is True
    await client.set_ptz_guard(0, enable=True, timeout=120, save_current_position=True)
    guard = await client.get_ptz_guard(0)
    assert guard.enabled
    assert guard.timeout == 120
    assert await client.ptz_check(0) == Ack(200)
    assert await client.get_ptz_check_state(0) in (0, 1, 2)
