"""Who holds the device's logins (3.2.7 GetOnline) and ending one (3.2.8 Disconnect)."""

import aiohttp
import pytest
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import device_registry as dr

from custom_components.reolink_http.const import DOMAIN
from custom_components.reolink_http.services import SERVICE_DISCONNECT_SESSION
from simulator import Simulator

from .conftest import PASSWORD, add_device
from .helpers import entity_id_of, sent


def device_id(hass: HomeAssistant, entry: ConfigEntry, identifier: str) -> str:
    """Device-registry ID of the entry's camera, hub or channel with that identifier."""
    return next(
        device.id
        for device in dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
        if (DOMAIN, identifier) in device.identifiers
    )


async def other_client_logs_in(sim: Simulator) -> str:
    """Another client (the web UI, another integration) takes a login; its token."""
    body = [{"cmd": "Login", "param": {"User": {"userName": "admin", "password": PASSWORD}}}]
    async with (
        aiohttp.ClientSession() as http,
        http.post(f"{sim.url}/cgi-bin/api.cgi?cmd=Login", json=body, ssl=False) as response,
    ):
        answer = await response.json(content_type=None)
    return str(answer[0]["value"]["Token"]["name"])


async def disconnect(hass: HomeAssistant, device: str, session_id: int) -> None:
    """Call the action as a user would."""
    await hass.services.async_call(
        DOMAIN,
        SERVICE_DISCONNECT_SESSION,
        {"device_id": device, "session_id": session_id},
        blocking=True,
    )


async def test_logins_sensor_and_disconnect(hass: HomeAssistant, camera: Simulator) -> None:
    """Two logins listed with user and IP, never a token; the other one is ended."""
    entry = await add_device(hass, camera, enable=["logins"])
    token = await other_client_logs_in(camera)
    sensor = entity_id_of(hass, f"{entry.unique_id}_logins", "sensor")
    await entry.runtime_data.settings.async_refresh()

    state = hass.states.get(sensor)
    assert state is not None
    assert state.state == "2"
    sessions = state.attributes["sessions"]
    assert {(s["username"], s["ip_address"]) for s in sessions} == {("admin", "127.0.0.1")}
    assert sorted(s["can_disconnect"] for s in sessions) == [False, True]
    live_tokens = [session.token for session in camera.sessions.live_sessions]
    assert token in live_tokens
    assert not any(secret in str(state.attributes) for secret in (*live_tokens, PASSWORD))

    other = next(s["session_id"] for s in sessions if s["can_disconnect"])
    await disconnect(hass, device_id(hass, entry, entry.unique_id), other)

    assert token not in [session.token for session in camera.sessions.live_sessions]
    assert sent(camera, "Disconnect") == 1
    assert hass.states.get(sensor).state == "1"


@pytest.mark.parametrize("which", ["own", "unknown"])
async def test_disconnect_refuses_own_and_unknown_sessions(
    hass: HomeAssistant, camera: Simulator, which: str
) -> None:
    """Home Assistant's own login, or a session the device does not hold: nothing is sent."""
    entry = await add_device(hass, camera)
    own = next(s.session_id for s in camera.sessions.live_sessions)
    session_id = own if which == "own" else own + 1000

    with pytest.raises(ServiceValidationError) as refused:
        await disconnect(hass, device_id(hass, entry, entry.unique_id), session_id)

    assert refused.value.translation_key == ("own_session" if which == "own" else "no_such_session")
    assert sent(camera, "Disconnect") == 0
    assert len(camera.sessions.live_sessions) == 1


async def test_disconnect_on_an_nvr_channel_device(hass: HomeAssistant, nvr: Simulator) -> None:
    """A camera behind the NVR names the NVR's logins too."""
    entry = await add_device(hass, nvr)
    token = await other_client_logs_in(nvr)
    other = next(s.session_id for s in nvr.sessions.live_sessions if s.token == token)
    channel = entry.runtime_data.device.channel_key(0)

    await disconnect(hass, device_id(hass, entry, channel), other)

    assert token not in [session.token for session in nvr.sessions.live_sessions]
