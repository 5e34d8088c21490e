"""Every Get answer fed back unchanged as its Set is accepted and changes nothing.

Real clients (reolink_aio, our own) write settings read-modify-write: they take the Get
answer, change a field and send the whole object back. A device that refuses its own
answer breaks every such write, so this runs for every Get/Set family of every profile
and every channel, with no exceptions.
"""

import copy
from typing import Any

import pytest

from simulator.device import PROFILES, CommandReply, Device
from simulator.errors import ApiError
from simulator.profiles import get_profile

NOT_SUPPORTED = -9


def set_commands() -> list[str]:
    from simulator.commands import SPECS  # noqa: PLC0415

    return sorted(spec.name for spec in SPECS.values() if spec.name.startswith("Set"))


def get_for(set_cmd: str) -> str | None:
    from simulator.commands import SPECS  # noqa: PLC0415

    name = f"Get{set_cmd[3:]}"
    return SPECS[name.lower()].name if name.lower() in SPECS else None


FAMILIES = [(cmd, get) for cmd in set_commands() if (get := get_for(cmd)) is not None]


def _get(device: Device, cmd: str, param: dict[str, Any]) -> dict[str, Any]:
    reply = device.execute(cmd, 0, param, user="admin")
    assert isinstance(reply, CommandReply)
    return copy.deepcopy(reply.value)


def _get_if_supported(device: Device, cmd: str, param: dict[str, Any]) -> dict[str, Any] | None:
    """The Get answer; None where the profile lacks the feature (-9), other errors raise."""
    try:
        return _get(device, cmd, param)
    except ApiError as err:
        if err.code != NOT_SUPPORTED:
            raise
        return None


def _requests(device: Device, get_cmd: str, channel: int) -> list[dict[str, Any]]:
    """The Get requests of one channel (GetAiAlarm asks once per AI type)."""
    if get_cmd == "GetAiAlarm":
        kind = device.profile.channels[channel]
        return [{"channel": channel, "ai_type": ai_type} for ai_type in kind.ai_types]
    return [{"channel": channel}]


def _sets(value: dict[str, Any]) -> list[dict[str, Any]]:
    """The Set params for one Get answer: list answers (presets, patrols) one item each."""
    (key, settings), *rest = value.items()
    if not rest and isinstance(settings, list):
        return [{key: item} for item in settings]
    return [value]


def _echo_channel(device: Device, set_cmd: str, get_cmd: str, channel: int) -> int:
    echoed = 0
    for request in _requests(device, get_cmd, channel):
        before = _get_if_supported(device, get_cmd, request)
        if before is None:
            continue
        for param in _sets(before):
            try:
                device.execute(set_cmd, 0, param, user="admin")
            except ApiError as err:  # pragma: no cover - the failure message
                pytest.fail(f"{set_cmd} ch{channel} refused its Get answer: {err.code} {param}")
            echoed += 1
        assert _get(device, get_cmd, request) == before, (set_cmd, channel)
    return echoed


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize(("set_cmd", "get_cmd"), FAMILIES)
def test_get_answer_is_accepted_as_set(profile: str, set_cmd: str, get_cmd: str) -> None:
    device = Device(profile, username="admin", password="password")
    if device.profile.is_nvr:
        device.patch_state(
            {"channels": {str(ch): {"online": True} for ch in device.profile.offline}}
        )
    channels = range(len(get_profile(profile).channels))
    echoed = sum(_echo_channel(device, set_cmd, get_cmd, channel) for channel in channels)
    if echoed == 0:
        # A family the profile lacks must be refused as unsupported by its Set too.
        with pytest.raises(ApiError) as refused:
            device.execute(set_cmd, 0, {"channel": 0}, user="admin")
        assert refused.value.code == NOT_SUPPORTED


def test_every_set_with_a_get_is_covered() -> None:
    assert len(FAMILIES) >= 40
    assert ("SetAudioAlarm", "GetAudioAlarm") in FAMILIES
    assert ("SetAiAlarm", "GetAiAlarm") in FAMILIES


def test_each_family_is_echoed_on_some_profile() -> None:
    for set_cmd, get_cmd in FAMILIES:
        devices = [Device(p, username="admin", password="password") for p in PROFILES]
        echoed = sum(_echo_channel(d, set_cmd, get_cmd, 0) for d in devices)
        assert echoed, set_cmd
