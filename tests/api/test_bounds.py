"""Counts and lists a device reports are held to what real hardware has (api/sanitize.py)."""

from datetime import datetime, timedelta
from typing import Any

import pytest

from custom_components.reolink_http.api import ReolinkClient
from custom_components.reolink_http.api import fields as f
from custom_components.reolink_http.api.commands import (
    get_ability,
    get_ai_state,
    get_channel_status,
    get_dev_info,
    get_events,
    get_ptz_preset,
    get_users,
    login,
    search,
)
from custom_components.reolink_http.api.models import as_int
from custom_components.reolink_http.api.protocol import CommandResult, RangeInfo
from custom_components.reolink_http.api.sanitize import (
    MAX_AI_TYPES,
    MAX_CHANNELS,
    MAX_DISKS,
    MAX_OPTIONS,
    MAX_PATROLS,
    MAX_PRESETS,
    MAX_RECORDINGS,
    MAX_USERS,
    decode_answer,
)
from simulator import Simulator

from .conftest import SimFactory


@pytest.fixture
async def nvr(start_sim: SimFactory, connect: SimFactory) -> tuple[ReolinkClient, Simulator]:
    sim = await start_sim(profile="nvr-8")
    client = await connect(sim)
    await client.login()
    return client, sim


@pytest.mark.parametrize("reported", [MAX_CHANNELS + 2, 65536, 2**71, 10**400, -5, "9" * 5000])
async def test_disk_and_channel_counts_beyond_hardware_are_refused(
    nvr: tuple[ReolinkClient, Simulator], reported: Any
) -> None:
    client, sim = nvr
    sim.set_fault(field_values={"diskNum": reported, "channelNum": reported})
    info = await client.run(get_dev_info())
    assert info.disk_count == 0
    assert info.channels == 1


async def test_counts_within_hardware_are_kept(nvr: tuple[ReolinkClient, Simulator]) -> None:
    client, sim = nvr
    sim.set_fault(field_values={"diskNum": MAX_DISKS, "channelNum": MAX_CHANNELS})
    info = await client.run(get_dev_info())
    assert (info.disk_count, info.channels) == (MAX_DISKS, MAX_CHANNELS)


async def test_long_lists_are_cut(nvr: tuple[ReolinkClient, Simulator]) -> None:
    client, sim = nvr
    sim.set_fault(long_lists={"status": 5000, "abilityChn": 500})
    statuses, abilities = await client.execute_typed([get_channel_status(), get_ability("admin")])
    assert [s.channel for s in statuses] == list(range(MAX_CHANNELS))
    assert len(abilities.channels) == MAX_CHANNELS


async def test_user_list_is_read_and_cut(nvr: tuple[ReolinkClient, Simulator]) -> None:
    """GetUser: each account with its level; a longer list than any device holds is cut."""
    client, sim = nvr
    sim.device.add_user("viewer", "viewer-pass1", "guest")
    users = await client.run(get_users())
    assert [(user.name, user.level) for user in users] == [("admin", "admin"), ("viewer", "guest")]
    sim.set_fault(long_lists={"User": 5000})
    assert len(await client.run(get_users())) == MAX_USERS


async def test_channel_numbers_beyond_hardware_are_dropped(
    nvr: tuple[ReolinkClient, Simulator],
) -> None:
    client, sim = nvr
    sim.set_fault(field_values={"channel": 2**40})
    assert await client.run(get_channel_status()) == ()


async def test_preset_and_patrol_lists_are_cut(start_sim: SimFactory, connect: SimFactory) -> None:
    sim = await start_sim(profile="ptz")
    client = await connect(sim)
    await client.login()
    sim.set_fault(long_lists={"PtzPreset": 1000, "PtzPatrol": 1000})
    (presets,) = await client.execute_typed([get_ptz_preset(0)])
    assert len(presets) == MAX_PRESETS
    # The settings poll reads them as fields.
    preset_answer, patrol_answer = await client.execute(
        [f.PTZ_PRESET.request(0), f.PTZ_PATROL.request(0)]
    )
    assert len(f.PTZ_PRESETS.read(preset_answer.value) or ()) == MAX_PRESETS
    assert len(f.PTZ_PATROLS.read(patrol_answer.value) or ()) == MAX_PATROLS


async def test_recordings_of_one_search_are_cut(nvr: tuple[ReolinkClient, Simulator]) -> None:
    client, sim = nvr
    end = datetime.now()
    sim.set_fault(long_lists={"File": MAX_RECORDINGS + 10})
    result = await client.run(search(0, end - timedelta(days=8), end))
    assert len(result.files) == MAX_RECORDINGS


def test_choices_of_a_range_are_cut() -> None:
    ranges = RangeInfo({"mainStream": {"frameRate": list(range(100_000))}})
    assert ranges.options("mainStream.frameRate") == list(range(MAX_OPTIONS))


def test_ai_kinds_are_cut() -> None:
    kinds = {f"kind{i}": {"support": 1, "alarm_state": 0} for i in range(1000)}
    value = {"channel": 0, "md": {"support": 1, "alarm_state": 0}, "ai": kinds}
    events = get_events(0).parse(CommandResult("GetEvents", value))
    assert len(events.ai.types) == MAX_AI_TYPES
    state = get_ai_state(0).parse(CommandResult("GetAiState", kinds))
    assert len(state.types) == MAX_AI_TYPES


def test_numbers_too_long_for_64_bits_read_as_absent() -> None:
    """The lenient parser keeps any integer; `float()` of one beyond 308 digits overflows."""
    raw = b'[{"cmd":"Login","code":0,"value":{"Token":{"name":"x","leaseTime":1' + b"0" * 400
    answer = decode_answer(raw + b"}}}]")
    token = login("admin", "x").parse(CommandResult("Login", answer[0]["value"]))
    assert token.lease == 3600
    assert as_int("9" * 5000) == 0
