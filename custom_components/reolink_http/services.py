"""Service actions: free PTZ moves and saving presets (3.7.2 SetPtzPreset, 3.7.5 PtzCtrl),
playing a chime (DingDongOpt), ending another client's login (3.2.7 GetOnline,
3.2.8 Disconnect), and where every action of the integration is registered."""

import asyncio
from typing import TYPE_CHECKING

import probatio as vol
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import ATTR_DEVICE_ID
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    SupportsResponse,
    callback,
)
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers import device_registry as dr

from .api import (
    ReolinkClient,
)
from .api.features import Feature
from .api.fields import ONLINE, PTZ_PRESET
from .api.values import PtzOp
from .capabilities import ability
from .const import DOMAIN
from .errors import device_errors, invalid_input
from .recording_download import DOWNLOAD_SCHEMA, SERVICE_DOWNLOAD, async_download_recording

if TYPE_CHECKING:
    from . import ReolinkConfigEntry, ReolinkData

SERVICE_PTZ_MOVE = "ptz_move"
SERVICE_PTZ_SAVE_PRESET = "ptz_save_preset"
SERVICE_PLAY_CHIME = "play_chime"
SERVICE_DISCONNECT_SESSION = "disconnect_session"

ATTR_DIRECTION = "direction"
ATTR_SPEED = "speed"
ATTR_DURATION = "duration"
ATTR_PRESET_ID = "preset_id"
ATTR_NAME = "name"
ATTR_RINGTONE = "ringtone"
ATTR_SESSION_ID = "session_id"

# The action's directions (services.yaml) and the moves they send.
PTZ_OPS: dict[str, PtzOp] = {
    "left": PtzOp.LEFT,
    "right": PtzOp.RIGHT,
    "up": PtzOp.UP,
    "down": PtzOp.DOWN,
    "left_up": PtzOp.LEFT_UP,
    "left_down": PtzOp.LEFT_DOWN,
    "right_up": PtzOp.RIGHT_UP,
    "right_down": PtzOp.RIGHT_DOWN,
    "zoom_in": PtzOp.ZOOM_IN,
    "zoom_out": PtzOp.ZOOM_OUT,
}
ZOOM_OPS = frozenset({PtzOp.ZOOM_IN, PtzOp.ZOOM_OUT})
# Pan/tilt speed of PtzCtrl; devices accept 1..64.
MIN_SPEED, MAX_SPEED, DEFAULT_SPEED = 1, 64, 32
MAX_DURATION = 10.0
# 3.7.2: preset names are at most 31 characters.
MAX_PRESET_NAME = 31

_DEVICE_IDS = vol.All(cv.ensure_list, [cv.string])

PTZ_MOVE_SCHEMA = vol.Schema(
    {
        vol.Required(ATTR_DEVICE_ID): _DEVICE_IDS,
        vol.Required(ATTR_DIRECTION): vol.In(list(PTZ_OPS)),
        vol.Optional(ATTR_SPEED, default=DEFAULT_SPEED): vol.All(
            vol.Coerce(int), vol.Range(MIN_SPEED, MAX_SPEED)
        ),
        vol.Optional(ATTR_DURATION, default=1.0): vol.All(
            vol.Coerce(float), vol.Range(min=0.1, max=MAX_DURATION)
        ),
    }
)

PTZ_SAVE_PRESET_SCHEMA = vol.Schema(
    {
        vol.Required(ATTR_DEVICE_ID): _DEVICE_IDS,
        vol.Required(ATTR_PRESET_ID): vol.All(vol.Coerce(int), vol.Range(min=1)),
        vol.Required(ATTR_NAME): vol.All(cv.string, vol.Length(min=1, max=MAX_PRESET_NAME)),
    }
)

DISCONNECT_SESSION_SCHEMA = vol.Schema(
    {
        vol.Required(ATTR_DEVICE_ID): cv.string,
        vol.Required(ATTR_SESSION_ID): vol.All(vol.Coerce(int), vol.Range(min=0)),
    }
)


# The chime tunes by the names the Reolink app and the tune selects use (ids 0-9).
CHIME_RINGTONES: tuple[str, ...] = (
    "citybird",
    "originaltune",
    "pianokey",
    "loop",
    "attraction",
    "hophop",
    "goodday",
    "operetta",
    "moonlight",
    "waybackhome",
)

PLAY_CHIME_SCHEMA = vol.Schema(
    {
        vol.Required(ATTR_DEVICE_ID): _DEVICE_IDS,
        vol.Required(ATTR_RINGTONE): vol.In(CHIME_RINGTONES),
    }
)


async def ptz_move(
    client: ReolinkClient, channel: int, op: PtzOp, speed: int, seconds: float
) -> None:
    """Move for a while, then stop; the stop is sent even when the wait is cancelled."""
    await client.ptz_ctrl(channel, op, speed=speed)
    try:
        await asyncio.sleep(seconds)
    finally:
        await client.ptz_ctrl(channel, PtzOp.STOP)


def supports_ptz(data: ReolinkData, channel: int) -> bool:
    """GetAbility's `ptzType` (3.1.1): 0 means the channel cannot pan, tilt or zoom."""
    return ability(Feature.PTZ_TYPE)(data.device, channel)


def _loaded_entry(hass: HomeAssistant, device: dr.DeviceEntry) -> ReolinkConfigEntry | None:
    """The device's entry when it is this integration's; refused while it is not loaded."""
    entry = hass.config_entries.async_get_entry(device.config_entry_id)
    if entry is None or entry.domain != DOMAIN:
        return None
    if entry.state is not ConfigEntryState.LOADED:
        raise invalid_input("device_not_loaded", device=device.name or device.id)
    return entry


def resolve_channel(hass: HomeAssistant, device_id: str) -> tuple[ReolinkData, int]:
    """The loaded entry and camera channel behind a device-registry device."""
    device = dr.async_get(hass).async_get(device_id, include_child_devices=False)
    if device is None:
        raise invalid_input("unknown_device", device=device_id)
    if (entry := _loaded_entry(hass, device)) is not None:
        data = entry.runtime_data
        for domain, identifier in device.identifiers:
            if domain == DOMAIN and (channel := data.device.channel_of(identifier)) is not None:
                return data, channel
    raise invalid_input("not_a_camera", device=device.name or device_id)


def resolve_entry(hass: HomeAssistant, device_id: str) -> ReolinkData:
    """The loaded entry a device (camera, NVR hub or NVR channel) belongs to."""
    device = dr.async_get(hass).async_get(device_id, include_child_devices=False)
    if device is None:
        raise invalid_input("unknown_device", device=device_id)
    if (entry := _loaded_entry(hass, device)) is None:
        raise invalid_input("unknown_device", device=device.name or device_id)
    return entry.runtime_data


def can_move(data: ReolinkData, channel: int, op: PtzOp) -> bool:
    """Zoom moves need a zoom lens; the other directions a camera that pans or tilts."""
    abilities = data.device.abilities
    return abilities.can_zoom(channel) if op in ZOOM_OPS else abilities.can_pan_tilt(channel)


def resolve_ptz_channels(
    hass: HomeAssistant, call: ServiceCall, op: PtzOp | None = None
) -> list[tuple[ReolinkData, int]]:
    """Every targeted camera once, all checked for PTZ (and `op`) before any is touched.

    A camera listed twice (or by two device IDs of the same channel) must not get two
    overlapping move/stop sequences.
    """
    distinct: dict[tuple[int, int], tuple[ReolinkData, int]] = {}
    for device_id in dict.fromkeys(call.data[ATTR_DEVICE_ID]):
        data, channel = resolve_channel(hass, device_id)
        distinct.setdefault((id(data), channel), (data, channel))
    targets = list(distinct.values())
    for data, channel in targets:
        movable = op is None or can_move(data, channel, op)
        if not supports_ptz(data, channel) or not movable:
            name = data.device.channels[channel].name
            raise invalid_input("ptz_not_supported", device=name)
    return targets


async def _handle_ptz_move(call: ServiceCall) -> None:
    op = PTZ_OPS[call.data[ATTR_DIRECTION]]
    speed, seconds = call.data[ATTR_SPEED], call.data[ATTR_DURATION]
    targets = resolve_ptz_channels(call.hass, call, op)
    with device_errors():
        await asyncio.gather(
            *(ptz_move(data.client, channel, op, speed, seconds) for data, channel in targets)
        )


async def _preset_id_range(data: ReolinkData, channel: int) -> tuple[float, float] | None:
    """Allowed preset IDs, from the `range` GetPtzPreset sends with `action: 1` (3.7.1)."""
    with device_errors():
        return await data.client.preset_id_range(channel)


async def _handle_ptz_save_preset(call: ServiceCall) -> None:
    preset_id, name = call.data[ATTR_PRESET_ID], call.data[ATTR_NAME]
    targets = resolve_ptz_channels(call.hass, call)
    for data, channel in targets:
        bounds = await _preset_id_range(data, channel)
        if bounds is not None and not bounds[0] <= preset_id <= bounds[1]:
            raise invalid_input(
                "preset_out_of_range",
                preset_id=str(preset_id),
                min=str(int(bounds[0])),
                max=str(int(bounds[1])),
            )
    for data, channel in targets:
        with device_errors():
            await data.client.set_ptz_preset(channel, preset_id, name)
        # The preset select reads GetPtzPreset; show the new name without waiting a minute.
        await data.settings.async_refresh_if_read((PTZ_PRESET, channel))


def resolve_chimes(hass: HomeAssistant, call: ServiceCall) -> list[tuple[ReolinkData, int]]:
    """Every targeted chime once, as (its hub's data, chime ID), all checked first."""
    targets: dict[tuple[int, int], tuple[ReolinkData, int]] = {}
    for device_id in dict.fromkeys(call.data[ATTR_DEVICE_ID]):
        device = dr.async_get(hass).async_get(device_id, include_child_devices=False)
        if device is None:
            raise invalid_input("unknown_device", device=device_id)
        entry = _loaded_entry(hass, device)
        found = [
            (entry.runtime_data, chime)
            for domain, identifier in device.identifiers
            if entry is not None
            and domain == DOMAIN
            and (chime := entry.runtime_data.device.chime_of(identifier)) is not None
        ]
        if not found:
            raise invalid_input("not_a_chime", device=device.name or device_id)
        data, chime = found[0]
        targets.setdefault((id(data), chime), (data, chime))
    return list(targets.values())


async def _handle_disconnect_session(call: ServiceCall) -> None:
    """Look the login up first: Disconnect needs its user name, and our own cannot go."""
    data = resolve_entry(call.hass, call.data[ATTR_DEVICE_ID])
    session_id = call.data[ATTR_SESSION_ID]
    with device_errors():
        logins = await data.client.get_online()
    login = next((login for login in logins if login.session_id == session_id), None)
    names = {"device": data.device.info.name, "session_id": str(session_id)}
    if login is None:
        raise invalid_input("no_such_session", **names)
    if not login.can_disconnect:
        raise invalid_input("own_session", **names)
    with device_errors():
        await data.client.disconnect(login.user, session_id)
    await data.settings.async_refresh_if_read((ONLINE, None))


async def _handle_play_chime(call: ServiceCall) -> None:
    tune = CHIME_RINGTONES.index(call.data[ATTR_RINGTONE])
    targets = resolve_chimes(call.hass, call)
    with device_errors():
        plays = (data.client.play_chime(chime, None, tune) for data, chime in targets)
        await asyncio.gather(*plays)


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the integration's actions once, independent of config entries."""
    hass.services.async_register(DOMAIN, SERVICE_PTZ_MOVE, _handle_ptz_move, schema=PTZ_MOVE_SCHEMA)
    hass.services.async_register(
        DOMAIN,
        SERVICE_PTZ_SAVE_PRESET,
        _handle_ptz_save_preset,
        schema=PTZ_SAVE_PRESET_SCHEMA,
    )
    hass.services.async_register(
        DOMAIN, SERVICE_PLAY_CHIME, _handle_play_chime, schema=PLAY_CHIME_SCHEMA
    )
    hass.services.async_register(
        DOMAIN,
        SERVICE_DISCONNECT_SESSION,
        _handle_disconnect_session,
        schema=DISCONNECT_SESSION_SCHEMA,
    )
    hass.services.async_register(
        DOMAIN,
        SERVICE_DOWNLOAD,
        async_download_recording,
        schema=DOWNLOAD_SCHEMA,
        supports_response=SupportsResponse.OPTIONAL,
    )
