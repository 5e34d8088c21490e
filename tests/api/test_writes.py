"""Set commands in the shape real firmware takes (sources in simulator/README.md)."""

from typing import Any

import pytest

from custom_components.reolink_http.api import ReolinkParamError
from custom_components.reolink_http.api import fields as f
from custom_components.reolink_http.api.fields import Source
from custom_components.reolink_http.api.writes import set_command

from .conftest import SimFactory, api_requests


def body(source: Source, channel: int | None, changes: dict[str, Any], current: Any = None) -> Any:
    command = set_command(source, channel, changes, current).command
    return command.cmd, command.param


@pytest.mark.parametrize(
    ("source", "channel", "changes", "expected"),
    [
        # Channel inside `schedule`, where the Get answer has it.
        (
            f.AUDIO_ALARM,
            2,
            {"schedule": {"enable": 1}},
            ("SetAudioAlarm", {"Audio": {"schedule": {"enable": 1, "channel": 2}}}),
        ),
        (
            f.AUDIO_ALARM_V20,
            2,
            {"enable": 1},
            ("SetAudioAlarmV20", {"Audio": {"enable": 1, "schedule": {"channel": 2}}}),
        ),
        (
            f.EMAIL.legacy,
            0,
            {"schedule": {"enable": 0}},
            ("SetEmail", {"Email": {"schedule": {"enable": 0, "channel": 0}}}),
        ),
        # Schedule version 1: per camera `scheduleEnable`, device-wide `enable` without channel.
        (
            f.REC_V20,
            3,
            {"scheduleEnable": 0},
            ("SetRecV20", {"Rec": {"scheduleEnable": 0, "schedule": {"channel": 3}}}),
        ),
        (f.REC_V20, None, {"enable": 0}, ("SetRecV20", {"Rec": {"enable": 0}})),
        (
            f.BUZZER.v20,
            None,
            {"enable": 1},
            ("SetBuzzerAlarmV20", {"Buzzer": {"enable": 1}}),
        ),
        (
            f.ai_alarm("people"),
            1,
            {"sensitivity": 60},
            ("SetAiAlarm", {"AiAlarm": {"sensitivity": 60, "channel": 1, "ai_type": "people"}}),
        ),
        (
            f.MD_ALARM,
            1,
            {"newSens": {"sensDef": 21}},
            (
                "SetMdAlarm",
                {"MdAlarm": {"newSens": {"sensDef": 21}, "channel": 1, "useNewSens": 1}},
            ),
        ),
        (
            f.POWER_LED,
            0,
            {"eDoorbellLightState": "Off"},
            ("SetPowerLed", {"PowerLed": {"eDoorbellLightState": "Off", "channel": 0}}),
        ),
        (f.UPNP, None, {"enable": 1}, ("SetUpnp", {"Upnp": {"enable": 1}})),
        (f.AI_CFG, 0, {"aiTrack": 1}, ("SetAiCfg", {"aiTrack": 1, "channel": 0})),
    ],
)
def test_set_shapes(
    source: Source, channel: int | None, changes: dict[str, Any], expected: Any
) -> None:
    assert body(source, channel, changes) == expected


def test_whole_object_sets_carry_what_the_get_answered() -> None:
    isp = {"channel": 0, "antiFlicker": "Outdoor", "exposure": "Auto", "mirroring": 0}
    assert body(f.ISP, 0, {"mirroring": 1}, isp) == (
        "SetIsp",
        {"Isp": {**isp, "mirroring": 1}},
    )
    rec = {"channel": 0, "overwrite": 1, "schedule": {"enable": 1, "table": "1" * 168}}
    assert body(f.REC, 0, {"schedule": {"enable": 0}}, rec) == (
        "SetRec",
        {"Rec": {**rec, "schedule": {"enable": 0, "table": "1" * 168, "channel": 0}}},
    )
    with pytest.raises(ValueError, match="needs the object"):
        set_command(f.ENC, 0, {"audio": 1})
    with pytest.raises(ValueError, match="no Set known"):
        set_command(f.HDD_INFO, None, {})


async def test_read_modify_write_keeps_the_other_fields(
    start_sim: SimFactory, connect: SimFactory
) -> None:
    """SetEnc goes out as the whole GetEnc object with one field changed."""
    sim = await start_sim(profile="ipc")
    client = await connect(sim)
    before = sim.device.settings("Enc", 0)
    sim.clear_log()
    await client.write_setting(f.ENC, 0, {"audio": 1 - before["audio"]})
    assert [request["commands"] for request in api_requests(sim)][-2:] == [["GetEnc"], ["SetEnc"]]
    after = sim.device.settings("Enc", 0)
    assert after == {**before, "audio": 1 - before["audio"]}


async def test_siren_spelling_falls_back_once(start_sim: SimFactory, connect: SimFactory) -> None:
    """Firmware refusing one spelling of the manual mode (-4) gets the other from then on."""
    sim = await start_sim(profile="ipc")
    client = await connect(sim)
    sim.set_fault(command_errors={"AudioAlarmPlay": -4}, count=1)
    await client.switch_siren(0, True)
    assert sim.device.siren[0]["on"]
    sim.clear_log()
    await client.switch_siren(0, False)
    assert [request["commands"] for request in api_requests(sim)] == [["AudioAlarmPlay"]]
    assert not sim.device.siren[0]["on"]
    sim.set_fault(command_errors={"AudioAlarmPlay": -4})
    with pytest.raises(ReolinkParamError):
        await client.switch_siren(0, True)
