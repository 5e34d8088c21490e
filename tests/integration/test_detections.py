"""The picture of the moment of detection: image and event entities, kept pictures."""

import asyncio
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, ServiceCall, callback
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.reolink_http import detection_store, detections
from custom_components.reolink_http.const import (
    CONF_EVENT_SOURCE,
    DOMAIN,
    EVENT_SOURCE_ONVIF,
    EVENT_SOURCE_POLLING,
)
from custom_components.reolink_http.detection_store import DetectionPicture, DetectionStore
from simulator import Simulator

from .conftest import add_device
from .helpers import entity_id_of, sent, wait_for

JPEG_START = b"\xff\xd8"


def state_log(hass: HomeAssistant, *entity_ids: str) -> list[tuple[str, str]]:
    """(entity_id, state) of every state change of these entities, in order."""
    seen: list[tuple[str, str]] = []

    @callback  # in the event loop, in the order the states were written
    def _changed(event: Event[EventStateChangedData]) -> None:
        new_state = event.data["new_state"]
        if event.data["entity_id"] in entity_ids and new_state is not None:
            seen.append((event.data["entity_id"], new_state.state))

    hass.bus.async_listen("state_changed", _changed)
    return seen


async def with_source(hass: HomeAssistant, entry: MockConfigEntry, source: str) -> None:
    """Switch the event source and wait until it is the active one."""
    hass.config_entries.async_update_entry(
        entry, options={**entry.options, CONF_EVENT_SOURCE: source}
    )
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    events = entry.runtime_data.events
    wanted = "onvif" if source == EVENT_SOURCE_ONVIF else "polling"
    await wait_for(lambda: events.source is not None and events.source.health.active == wanted, 10)


def entities(hass: HomeAssistant, entry: MockConfigEntry, channel: int = 0) -> dict[str, str]:
    """The channel's person sensor, detection event and last-detection image."""
    key = entry.runtime_data.device.channel_key(channel)
    return {
        "person": entity_id_of(hass, f"{key}_person"),
        "event": entity_id_of(hass, f"{key}_detection", "event"),
        "image": entity_id_of(hass, f"{key}_last_detection", "image"),
    }


async def detect(hass: HomeAssistant, sim: Simulator, image_id: str, **kinds: bool) -> Any:
    """Start detections on channel 0 and wait for the picture on the image entity."""
    before = hass.states.get(image_id)
    sim.patch_state({"channels": {"0": {"ai": kinds}}})
    await wait_for(lambda: hass.states.get(image_id) != before, within=10)
    return hass.states.get(image_id)


async def end_detections(hass: HomeAssistant, sim: Simulator, entry: MockConfigEntry) -> None:
    """All AI states off again, as Home Assistant sees them."""
    sim.patch_state({"channels": {"0": {"ai": dict.fromkeys(("people", "vehicle"), False)}}})
    events = entry.runtime_data.events

    def _quiet() -> bool:
        ai = events.data[0].ai or {}
        return not ai.get("people") and not ai.get("vehicle")

    await wait_for(_quiet, within=10)


@pytest.mark.parametrize("source", [EVENT_SOURCE_ONVIF, EVENT_SOURCE_POLLING])
async def test_person_detection_takes_one_picture(
    hass: HomeAssistant, hass_client: ClientSessionGenerator, camera: Simulator, source: str
) -> None:
    """The binary sensor turns on first, the event fires, one Snap, the picture is shown."""
    entry = await add_device(hass, camera)
    await with_source(hass, entry, source)
    ids = entities(hass, entry)
    log = state_log(hass, *ids.values())
    camera.clear_log()

    image = await detect(hass, camera, ids["image"], people=True)

    assert sent(camera, "Snap") == 1
    assert image.attributes["detection"] == "person"
    detected_at = dt_util.parse_datetime(image.attributes["detected_at"])
    assert detected_at is not None
    assert abs(dt_util.utcnow() - detected_at).total_seconds() < 60
    event = hass.states.get(ids["event"])
    assert event is not None
    assert event.attributes["event_type"] == "person"
    order = [entity_id for entity_id, _ in log]
    assert order.index(ids["person"]) < order.index(ids["event"]) < order.index(ids["image"])
    client = await hass_client()
    response = await client.get(f"/api/image_proxy/{ids['image']}")
    assert response.status == 200
    assert (await response.read()).startswith(JPEG_START)


async def test_no_picture_link_before_the_first_detection(
    hass: HomeAssistant, hass_client: ClientSessionGenerator, camera: Simulator
) -> None:
    """A device page fetches an image's picture link; without a picture it would get HTTP 500."""
    entry = await add_device(hass, camera)
    ids = entities(hass, entry)
    assert "entity_picture" not in hass.states.get(ids["image"]).attributes

    image = await detect(hass, camera, ids["image"], people=True)

    link = image.attributes["entity_picture"]
    assert link.startswith(f"/api/image_proxy/{ids['image']}?token=")
    client = await hass_client()
    assert (await client.get(link)).status == 200


async def test_detections_within_a_second_share_one_snap(
    hass: HomeAssistant, camera: Simulator
) -> None:
    """Person and vehicle at once: one Snap, the picture kept for both kinds."""
    entry = await add_device(hass, camera)
    await with_source(hass, entry, EVENT_SOURCE_ONVIF)
    ids = entities(hass, entry)
    camera.clear_log()

    await detect(hass, camera, ids["image"], people=True, vehicle=True)
    store = entry.runtime_data.detections.store
    await wait_for(lambda: len(store.pictures) == 2)

    assert sent(camera, "Snap") == 1
    assert {picture.kind for picture in store.pictures} == {"person", "vehicle"}
    assert entry.runtime_data.detections.diagnostics() == {
        "snaps_taken": 1,
        "kept": 2,
        "kept_bytes": store.stored_bytes,
    }


async def test_no_picture_while_the_image_entity_is_disabled(
    hass: HomeAssistant, camera: Simulator
) -> None:
    """The event still fires; the device is not asked for a picture nobody shows."""
    entry = await add_device(hass, camera)
    ids = entities(hass, entry)
    er.async_get(hass).async_update_entity(ids["image"], disabled_by=er.RegistryEntryDisabler.USER)
    await with_source(hass, entry, EVENT_SOURCE_ONVIF)
    camera.clear_log()
    camera.patch_state({"channels": {"0": {"ai": {"people": True}}}})
    await wait_for(lambda: hass.states.get(ids["event"]).state != "unknown", within=10)
    await hass.async_block_till_done()

    assert sent(camera, "Snap") == 0


async def test_pictures_survive_a_reload(
    hass: HomeAssistant, hass_client: ClientSessionGenerator, camera: Simulator
) -> None:
    """After a reload (as after a restart) the image entity shows the same picture."""
    entry = await add_device(hass, camera)
    await with_source(hass, entry, EVENT_SOURCE_ONVIF)
    ids = entities(hass, entry)
    shown = await detect(hass, camera, ids["image"], people=True)
    client = await hass_client()
    picture = await (await client.get(f"/api/image_proxy/{ids['image']}")).read()

    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()

    again = hass.states.get(ids["image"])
    assert again is not None
    assert again.state == shown.state
    assert again.attributes["detection"] == "person"
    assert again.attributes["detected_at"] == shown.attributes["detected_at"]
    assert await (await client.get(f"/api/image_proxy/{ids['image']}")).read() == picture
    folder = entry.runtime_data.detections.store.folder
    assert folder.is_relative_to(Path(hass.config.path(".storage")))
    assert [path.read_bytes() for path in folder.iterdir()] == [picture]


async def test_removing_the_entry_deletes_its_pictures(
    hass: HomeAssistant, camera: Simulator
) -> None:
    """Nothing of a removed device stays on disk."""
    entry = await add_device(hass, camera)
    await with_source(hass, entry, EVENT_SOURCE_ONVIF)
    await detect(hass, camera, entities(hass, entry)["image"], people=True)
    folder = entry.runtime_data.detections.store.folder
    await wait_for(lambda: folder.is_dir() and any(folder.iterdir()))

    assert await hass.config_entries.async_remove(entry.entry_id)
    await hass.async_block_till_done()

    assert not folder.exists()


def picture(kind: str, second: int, size: int = 100) -> DetectionPicture:
    """A picture of `size` bytes taken `second` seconds into the day."""
    at = dt_util.start_of_local_day() + timedelta(seconds=second)
    return DetectionPicture("cam", kind, at, JPEG_START + bytes(size - 2))


async def test_kept_pictures_are_bounded(
    hass: HomeAssistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ten per kind, and the oldest go once all together pass the size limit."""
    store = DetectionStore(hass, "bounded")
    await store.async_load()
    for second in range(12):
        store.add(picture("person", second))
    store.add(picture("vehicle", 20))
    await store.async_flush()

    assert [p.kind for p in store.pictures].count("person") == detection_store.PICTURES_PER_KIND
    assert min(p.at for p in store.pictures) == picture("person", 2).at
    assert len(list(store.folder.iterdir())) == detection_store.PICTURES_PER_KIND + 1

    monkeypatch.setattr(detection_store, "MAX_STORED_BYTES", 1000)
    store.add(picture("animal", 30, size=900))
    await store.async_flush()

    assert store.stored_bytes <= 1000
    assert [p.kind for p in store.pictures][-1] == "animal"
    assert len(list(store.folder.iterdir())) == len(store.pictures)

    restarted = DetectionStore(hass, "bounded")
    await restarted.async_load()
    assert restarted.pictures == store.pictures
    await store.async_remove()


async def test_too_large_picture_is_shown_not_kept(hass: HomeAssistant) -> None:
    """A picture above the per-picture limit is the newest shown, never written."""
    store = DetectionStore(hass, "large")
    await store.async_load()
    large = picture("person", 1, size=detection_store.MAX_PICTURE_BYTES + 1)
    store.add(large)
    await store.async_flush()

    assert store.latest("cam") is large
    assert store.pictures == []


async def test_index_from_elsewhere_is_ignored(
    hass: HomeAssistant, hass_storage: dict[str, Any]
) -> None:
    """Entries naming files we never wrote (paths, other names) are not read."""
    hass_storage[f"{DOMAIN}.pictures.hostile"] = {
        "version": 1,
        "key": f"{DOMAIN}.pictures.hostile",
        "data": {
            "pictures": [
                {
                    "channel_key": "cam",
                    "kind": "person",
                    "at": "2026-01-01T00:00:00+00:00",
                    "file": "../../secrets.yaml",
                    "size": 1,
                },
                {
                    "channel_key": "cam",
                    "kind": "person",
                    "at": "not a time",
                    "file": "0" * 32 + ".jpg",
                    "size": 1,
                },
                "junk",
            ]
        },
    }
    store = DetectionStore(hass, "hostile")
    await store.async_load()

    assert store.pictures == []


def readme_automation(alias: str) -> dict[str, Any]:
    """The README example automation with this alias, as written there."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    for block in readme.split("```yaml\n")[1:]:
        automations = yaml.safe_load(block.split("```", 1)[0])["automation"]
        for automation in automations:
            if automation["alias"] == alias:
                return dict(automation)
    raise AssertionError(f"no automation {alias!r} in the README")


async def test_readme_notification_with_the_picture(
    hass: HomeAssistant, hass_client: ClientSessionGenerator, camera: Simulator
) -> None:
    """The README's automation sends the person's picture, and only for a person."""
    entry = await add_device(hass, camera)
    await with_source(hass, entry, EVENT_SOURCE_ONVIF)
    ids = entities(hass, entry)
    registry = er.async_get(hass)
    registry.async_update_entity(ids["image"], new_entity_id="image.front_door_last_detection")
    sent_notifications: list[dict[str, Any]] = []

    async def notify(call: ServiceCall) -> None:  # the phone's notify action
        sent_notifications.append(dict(call.data))

    hass.services.async_register("notify", "mobile_app_my_phone", notify)
    automation = readme_automation("Person at the front door")
    assert await async_setup_component(hass, "automation", {"automation": [automation]})
    await hass.async_block_till_done()

    await detect(hass, camera, "image.front_door_last_detection", vehicle=True)
    await hass.async_block_till_done()
    assert sent_notifications == []
    await end_detections(hass, camera, entry)
    await asyncio.sleep(detections.SNAP_SPACING)  # a new picture, not the vehicle's again
    await detect(hass, camera, "image.front_door_last_detection", people=True)
    await wait_for(lambda: len(sent_notifications) == 1)

    [notification] = sent_notifications
    assert notification["message"] == "Person at the front door"
    client = await hass_client()
    response = await client.get(notification["data"]["image"])
    assert response.status == 200
    assert (await response.read()).startswith(JPEG_START)
