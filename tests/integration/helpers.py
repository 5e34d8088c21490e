"""Helpers shared by the integration tests: entity lookups, simulator views, service calls."""

import asyncio
import time
from datetime import UTC, date, datetime, timedelta
from typing import Any

from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.reolink_http import ReolinkConfigEntry
from custom_components.reolink_http.const import DOMAIN
from custom_components.reolink_http.coordinator import SettingKey
from custom_components.reolink_http.recording_download import SERVICE_DOWNLOAD
from simulator import Simulator, media
from simulator.commands import record


def entity_id_of(hass: HomeAssistant, unique_id: str, platform: str = "binary_sensor") -> str:
    """Entity ID registered for a unique ID."""
    entity_id = er.async_get(hass).async_get_entity_id(platform, DOMAIN, unique_id)
    assert entity_id is not None, unique_id
    return entity_id


def motion_entity(hass: HomeAssistant, channel_key: str) -> str:
    """Entity ID of a channel's motion sensor."""
    return entity_id_of(hass, f"{channel_key}_motion")


def camera_of(hass: HomeAssistant, entry: MockConfigEntry, channel: int) -> str:
    """Entity ID of a channel's main camera entity."""
    key = entry.runtime_data.device.channel_key(channel)
    entity_id = er.async_get(hass).async_get_entity_id("camera", DOMAIN, f"{key}_camera")
    assert entity_id is not None
    return entity_id


def device_by_identifier(hass: HomeAssistant, identifier: str) -> dr.DeviceEntry | None:
    """The registered camera, channel or hub with this identifier, if any."""
    wanted = (DOMAIN, identifier)
    return next((d for d in dr.async_get(hass).devices if wanted in d.identifiers), None)


def device_id(hass: HomeAssistant, identifier: str) -> str:
    """Device-registry ID of a camera, channel or hub."""
    device = device_by_identifier(hass, identifier)
    assert device is not None, identifier
    return device.id


def keys_of(hass: HomeAssistant, entry: MockConfigEntry, platform: str) -> set[str]:
    """Description keys of the entry's entities on one platform (camera-level IDs)."""
    return {
        entity.unique_id.removeprefix(f"{entry.unique_id}_")
        for entity in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
        if entity.domain == platform
    }


def config(sim: Simulator, family: str, channel: int | None = 0) -> Any:
    """A family's live settings in the simulator, as its Get answer shows them."""
    return sim.device.settings(family, channel)


# What an events poll carries: event state and, now and then, an NVR's channel list.
EVENT_COMMANDS = frozenset({"GetEvents", "GetMdState", "GetAiState"})
EVENTS_POLL_COMMANDS = EVENT_COMMANDS | {"GetChannelstatus"}


def is_events_poll(commands: list[str]) -> bool:
    """The logged request is an events poll (motion and AI state).

    The events coordinator polls on its own timer too, so a test that counts requests
    tells them apart by content, never by what fell into a time window.
    """
    return bool(EVENT_COMMANDS.intersection(commands)) and EVENTS_POLL_COMMANDS.issuperset(commands)


def event_polls(sim: Simulator) -> list[list[str]]:
    """Command lists of the logged events polls."""
    return [request["commands"] for request in sim.requests if is_events_poll(request["commands"])]


def other_requests(sim: Simulator) -> list[list[str]]:
    """Command lists of the logged requests that are not events polls."""
    return [
        request["commands"] for request in sim.requests if not is_events_poll(request["commands"])
    ]


def settings_asked(entry: ReolinkConfigEntry) -> list[SettingKey]:
    """The keys a settings poll asks: those entities want, but none of an offline channel."""
    device = entry.runtime_data.device
    return [key for key in entry.runtime_data.settings.wanted_keys() if not device.offline(key[1])]


def sent(sim: Simulator, command: str) -> int:
    """How many times the device received `command`."""
    return sum(entry["commands"].count(command) for entry in sim.requests)


async def onvif_settled(entry: Any, sim: Simulator) -> None:
    """Wait until the subscription's initial states are in.

    They take two pulls (the third is then open); one still on its way would overwrite a
    change made now. No poll is then due for a safety poll's time.
    """
    await wait_for(lambda: sim.onvif.operations.count("PullMessages") >= 3, within=5)
    assert entry.runtime_data.events.polls_seldom


async def wait_for(condition: Any, within: float = 3.0) -> None:
    """Poll a condition (of the simulator or Home Assistant) for up to `within` seconds."""
    deadline = time.monotonic() + within
    while not condition():
        assert time.monotonic() < deadline, "condition not reached"
        await asyncio.sleep(0.02)


async def enable(hass: HomeAssistant, entry: MockConfigEntry, *entity_ids: str) -> None:
    """Enable disabled-by-default entities and reload the entry."""
    registry = er.async_get(hass)
    for entity_id in entity_ids:
        registry.async_update_entity(entity_id, disabled_by=None)
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()


async def press(hass: HomeAssistant, entity_id: str) -> None:
    """Press a button through Home Assistant's service."""
    await hass.services.async_call("button", "press", {ATTR_ENTITY_ID: entity_id}, blocking=True)


async def download(hass: HomeAssistant, **data: Any) -> dict[str, Any]:
    """Call the service and return its response."""
    response = await hass.services.async_call(
        DOMAIN, SERVICE_DOWNLOAD, data, blocking=True, return_response=True
    )
    assert isinstance(response, dict)
    return response


def sim_days(sim: Simulator) -> list[date]:
    """Days the simulator keeps recordings for, newest first (its own clock)."""
    today = datetime.fromtimestamp(sim.device.now(), tz=UTC).date()
    return [today - timedelta(days=back) for back in range(record.HISTORY_DAYS)]


def sim_recordings(sim: Simulator, channel: int, stream: str, day: date) -> list[record.Recording]:
    """The simulator's files of one day, newest first."""
    files = record.device_recordings(sim.device, channel, stream, day)
    return sorted(files, key=lambda rec: rec.start, reverse=True)


def sim_clip(sim: Simulator, rec: record.Recording) -> bytes:
    """The bytes the simulator serves for a recording (as long as its listed duration)."""
    colour = sim.device.profile.channels[rec.channel].colour
    return media.video_clip(rec.channel, rec.stream, colour, rec.seconds)
