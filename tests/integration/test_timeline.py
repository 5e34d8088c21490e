"""Recordings as a timeline: the calendar per channel, the latest recording, thumbnails."""

from datetime import datetime, time, timedelta
from typing import Any

import pytest
from homeassistant.components.media_player.errors import BrowseError
from homeassistant.components.media_source import async_resolve_media
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.reolink_http.detection_store import DetectionPicture
from custom_components.reolink_http.recordings import TRIGGER_ORDER
from simulator import Simulator
from simulator.commands import record

from .conftest import add_device
from .helpers import entity_id_of, sent, sim_days, sim_recordings
from .test_media_source import ROOT, browse

JPEG = b"\xff\xd8thumbnail"


def local(moment: datetime) -> datetime:
    """A simulator time (naive device wall clock) in Home Assistant's time zone."""
    return moment.replace(tzinfo=dt_util.get_default_time_zone())


def summary_of(rec: record.Recording) -> str:
    """What the calendar calls a recording: its triggers, most telling first."""
    return ", ".join(t for t in TRIGGER_ORDER if t in rec.triggers).capitalize()


async def events_between(
    hass: HomeAssistant, entity_id: str, start: datetime, end: datetime
) -> list[dict[str, Any]]:
    """calendar.get_events, as an automation or the calendar panel asks."""
    response = await hass.services.async_call(
        "calendar",
        "get_events",
        {"entity_id": entity_id, "start_date_time": start, "end_date_time": end},
        blocking=True,
        return_response=True,
    )
    assert isinstance(response, dict)
    events: list[dict[str, Any]] = response[entity_id]["events"]
    return events


async def test_calendar_lists_a_days_recordings(hass: HomeAssistant, camera: Simulator) -> None:
    """Each recording of the day an event: start, end, triggers, and the media ID that plays it."""
    entry = await add_device(hass, camera)
    assert await async_setup_component(hass, "media_source", {})
    calendar = entity_id_of(hass, f"{entry.unique_id}_recordings", "calendar")
    day = sim_days(camera)[1]
    expected = sorted(sim_recordings(camera, 0, "main", day), key=lambda rec: rec.start)
    camera.clear_log()

    start = local(datetime.combine(day, time.min))
    events = await events_between(hass, calendar, start, start + timedelta(days=1))

    assert [dt_util.parse_datetime(e["start"]) for e in events] == [
        local(rec.start.replace(tzinfo=None)) for rec in expected
    ]
    assert [dt_util.parse_datetime(e["end"]) for e in events] == [
        local(rec.end.replace(tzinfo=None)) for rec in expected
    ]
    assert [e["summary"] for e in events] == [summary_of(rec) for rec in expected]
    # The day's calendar, then the days with recordings: the day before (for one still
    # running at midnight) and the day itself.
    assert sent(camera, "Search") == 3
    played = await async_resolve_media(hass, events[0]["description"], None)
    assert played.url.startswith("/api/reolink_http/recording/")


async def test_latest_recording_sensor(hass: HomeAssistant, camera: Simulator) -> None:
    """The newest recording's start; attributes with its end, triggers and media ID."""
    entry = await add_device(hass, camera, enable=["latest_recording"])
    assert await async_setup_component(hass, "media_source", {})
    now = dt_util.now().replace(tzinfo=None)
    newest = max(
        (
            rec
            for day in sim_days(camera)[:3]
            for rec in sim_recordings(camera, 0, "main", day)
            if rec.start.replace(tzinfo=None) <= now
        ),
        key=lambda rec: rec.start,
    )

    state = hass.states.get(entity_id_of(hass, f"{entry.unique_id}_latest_recording", "sensor"))

    assert state is not None
    assert dt_util.parse_datetime(state.state) == local(newest.start.replace(tzinfo=None))
    assert state.attributes["end"] == local(newest.end.replace(tzinfo=None)).isoformat()
    assert state.attributes["triggers"] == [t for t in TRIGGER_ORDER if t in newest.triggers]
    media_id = state.attributes["media_content_id"]
    assert media_id.startswith(f"{ROOT}/{entry.entry_id}/0/main/")
    assert media_id.endswith(newest.name)
    assert (await async_resolve_media(hass, media_id, None)).mime_type == "video/mp4"


async def test_detection_picture_is_the_thumbnail_of_its_recording(
    hass: HomeAssistant, hass_client_no_auth: ClientSessionGenerator, camera: Simulator
) -> None:
    """A picture taken a few seconds into a recording shows in the media browser beside it."""
    entry = await add_device(hass, camera)
    assert await async_setup_component(hass, "media_source", {})
    day = sim_days(camera)[1]
    recordings = sim_recordings(camera, 0, "main", day)
    target = recordings[0]
    store = entry.runtime_data.detections.store
    taken = local(target.start.replace(tzinfo=None)) + timedelta(seconds=4)
    store.add(DetectionPicture(entry.runtime_data.device.channel_key(0), "person", taken, JPEG))
    await store.async_flush()

    folder = await browse(hass, f"{entry.entry_id}/0/main/{day.isoformat()}")

    thumbnails = {child.identifier.rsplit("/", 1)[-1]: child.thumbnail for child in folder.children}
    assert thumbnails.pop(target.name.rsplit("/", 1)[-1]) is not None
    assert set(thumbnails.values()) == {None}
    picture_url = next(child.thumbnail for child in folder.children if child.thumbnail)
    client = await hass_client_no_auth()
    response = await client.get(picture_url)
    assert response.status == 200
    assert await response.read() == JPEG
    unsigned = picture_url.split("?", 1)[0]
    assert (await client.get(unsigned)).status == 401


async def test_a_day_has_a_folder_per_trigger(hass: HomeAssistant, camera: Simulator) -> None:
    """Person, vehicle … folders before the day's files, each with only its recordings."""
    entry = await add_device(hass, camera)
    assert await async_setup_component(hass, "media_source", {})
    day = sim_days(camera)[1]
    expected = sim_recordings(camera, 0, "main", day)
    present = [t for t in TRIGGER_ORDER if any(t in rec.triggers for rec in expected)]
    assert len(present) > 2  # the simulated day has detections besides motion

    folder = await browse(hass, f"{entry.entry_id}/0/main/{day.isoformat()}")

    folders = [child for child in folder.children or [] if child.can_expand]
    assert [child.title for child in folders] == [t.capitalize() for t in present]
    assert [child.identifier for child in folders] == [
        f"{entry.entry_id}/0/main/{day.isoformat()}@{t}" for t in present
    ]
    for trigger, child in zip(present, folders, strict=True):
        only = await browse(hass, str(child.identifier))
        assert not any(grandchild.can_expand for grandchild in only.children or [])
        assert [c.identifier.rsplit("/", 1)[-1] for c in only.children or []] == [
            rec.name.rsplit("/", 1)[-1] for rec in expected if trigger in rec.triggers
        ]
    played = await async_resolve_media(hass, str((only.children or [])[0].media_content_id), None)
    assert played.url.startswith("/api/reolink_http/recording/")
    with pytest.raises(BrowseError):
        await browse(hass, f"{entry.entry_id}/0/main/{day.isoformat()}@secrets")
