"""The typed commands the integration batches, against the simulator's profiles."""

import pytest

from custom_components.reolink_http.api import (
    Abilities,
    AiState,
    DeviceInfo,
    Events,
    LocalLink,
    MdState,
    RawConfig,
    ReolinkNotSupportedError,
)
from custom_components.reolink_http.api.commands import (
    get_ability,
    get_ai_state,
    get_channel_status,
    get_dev_info,
    get_events,
    get_local_link,
    get_md_state,
    get_net_port,
)

from .conftest import SimFactory

PROFILES = ["ipc", "ptz", "floodlight", "doorbell", "wifi", "nvr-16"]


@pytest.mark.parametrize("profile", PROFILES)
async def test_cold_start_and_event_commands(
    start_sim: SimFactory, connect: SimFactory, profile: str
) -> None:
    """What setup reads (device.py) and what the events poll sends, parsed per profile."""
    sim = await start_sim(profile=profile)
    client = await connect(sim)
    info, abilities, link, statuses, ports, md, ai, events = await client.execute_typed(
        [
            get_dev_info(),
            get_ability(client.username),
            get_local_link(),
            get_channel_status(),
            get_net_port(),
            get_md_state(0),
            get_ai_state(0),
            get_events(0),
        ]
    )
    assert sim.login_count == 1
    channel = sim.state["channels"][0]
    assert isinstance(info, DeviceInfo)
    assert info.is_nvr == profile.startswith("nvr")
    assert info.model == sim.state["device"]["model"]
    assert isinstance(abilities, Abilities)
    assert abilities.supports("ptzCtrl", 0) == (profile == "ptz")
    assert isinstance(link, LocalLink)
    assert link.mac
    assert isinstance(ports, RawConfig)
    assert ports.get("onvifPort") == sim.state["config"]["NetPort"]["onvifPort"]
    assert isinstance(md, MdState)
    assert md.motion == channel["motion"]
    assert isinstance(ai, AiState)
    for kind, detected in channel["ai"].items():
        if kind in ai.types:
            assert ai.detected(kind) == detected
    if profile == "wifi":  # older firmware without GetEvents
        assert isinstance(events, ReolinkNotSupportedError)
    else:
        assert isinstance(events, Events)
        assert events.motion == channel["motion"]
        assert events.ai.types.keys() >= set(ai.supported_types)
    assert [s.online for s in statuses] == [c["online"] for c in sim.state["channels"]]
    assert statuses[0].uid == channel["uid"]
