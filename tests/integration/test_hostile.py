"""Hostile devices and careless input, through Home Assistant against the simulator.

One test (or group) per defect that once broke Home Assistant. After each bad answer
the whole state machine and the registries must still serialise (what `GET
/api/states` does), the entry keeps working or fails with one clear log line, and
nothing outside the entry changes.
"""

import json
import logging
import math
import os
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from homeassistant.components.camera import async_get_image
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import STATE_OFF, STATE_ON, STATE_UNAVAILABLE
from homeassistant.core import CALLBACK_TYPE, Event, EventStateChangedData, HomeAssistant, State
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.reolink_http.api.sanitize import MAX_NAME
from custom_components.reolink_http.const import (
    CONF_EVENT_SOURCE,
    CONF_SETTINGS_INTERVAL,
    DOMAIN,
    EVENT_SOURCE_POLLING,
)
from custom_components.reolink_http.coordinator import PROBE_GAP
from custom_components.reolink_http.onvif_events import SAFETY_POLL
from simulator import Simulator

from .conftest import add_device, profile_simulator
from .helpers import (
    camera_of,
    device_by_identifier,
    device_id,
    download,
    motion_entity,
    other_requests,
    sent,
    sim_clip,
    sim_days,
    sim_recordings,
    wait_for,
)
from .virtual_clock import VirtualClock

FOREIGN = "sensor.outside_the_entry"


def outage_request_limit(seconds: float) -> int:
    """Polls an outage of `seconds` on the loop's clock may cost (16 in a minute).

    The first poll and its retry, probes 2 and 6 s in, then one every PROBE_GAP (4.5 s,
    so the device is seen back within 5 s). The loop's clock also moves with real time,
    which a busy machine stretches: the limit follows the clock, not the minute meant.
    """
    return 4 + math.floor((seconds - 6.0) / PROBE_GAP)


RECOVERY_LIMIT = 5.0


# --- what must hold after every bad answer


def api_states_body(hass: HomeAssistant) -> bytes:
    """The body of `GET /api/states`: every state through Home Assistant's JSON encoder."""
    body = b"[" + b",".join(state.as_dict_json for state in hass.states.async_all()) + b"]"
    json.loads(body)
    return body


def assert_home_assistant_intact(hass: HomeAssistant, foreign: State) -> None:
    """States and registries serialise; the state outside the entry is untouched."""
    api_states_body(hass)
    for device in dr.async_get(hass).devices:
        assert device.json_repr is not None, device.id
        assert device.name is None or len(device.name) <= MAX_NAME
    for entity in er.async_get(hass).entities.values():
        assert entity.partial_json_repr is not None, entity.entity_id
    assert hass.states.get(FOREIGN) == foreign


@pytest.fixture
def foreign(hass: HomeAssistant) -> State:
    """A state that belongs to nobody here."""
    hass.states.async_set(FOREIGN, "42", {"unit_of_measurement": "W"})
    state = hass.states.get(FOREIGN)
    assert state is not None
    return state


def entry_entities(hass: HomeAssistant, entry: MockConfigEntry, domain: str) -> list[str]:
    """Enabled entities of one platform of the entry."""
    return [
        e.entity_id
        for e in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
        if e.domain == domain and not e.disabled
    ]


def available(hass: HomeAssistant, entity_id: str) -> bool:
    state = hass.states.get(entity_id)
    return state is not None and state.state != STATE_UNAVAILABLE


def errors_from_home_assistant(caplog: pytest.LogCaptureFixture) -> list[str]:
    """Errors logged by Home Assistant or the integration (not the test machine's libraries)."""
    return [
        r.getMessage()
        for r in caplog.records
        if r.levelno >= logging.ERROR and not r.name.endswith("img_util")  # no libturbojpeg here
    ]


def errors_about(caplog: pytest.LogCaptureFixture, text: str) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno >= logging.ERROR and text in r.getMessage()]


# --- 1 and 3: strings no device should send


@pytest.mark.parametrize(
    "fault",
    [
        {"lone_surrogate": "name"},
        {"invalid_utf8_field": "name"},
        {"field_values": {"name": "Gate\x00\x1b[2J\ud800\n" * 20, "model": "\udfff"}},
    ],
)
async def test_bad_device_strings_are_made_safe(
    hass: HomeAssistant,
    nvr: Simulator,
    foreign: State,
    fault: dict[str, Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Defects 1 and 3: lone surrogates, bad bytes, control characters, a million characters.

    The NVR sends them in its own name, every camera name and every preset or OSD name.
    """
    nvr.set_fault(**fault)
    entry = await add_device(hass, nvr)
    assert entry.state is ConfigEntryState.LOADED
    assert len(entry.title) <= MAX_NAME
    assert_home_assistant_intact(hass, foreign)
    names = [d.name for d in dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)]
    assert names
    assert all(name and len(name) <= MAX_NAME for name in names)
    await entry.runtime_data.events.async_refresh()
    await entry.runtime_data.settings.async_refresh()
    await hass.async_block_till_done()
    assert_home_assistant_intact(hass, foreign)
    assert not errors_from_home_assistant(caplog)


async def test_million_character_name(
    hass: HomeAssistant, camera: Simulator, foreign: State, caplog: pytest.LogCaptureFixture
) -> None:
    """Defect 3: a name of a million characters is 64 wherever Home Assistant keeps it."""
    camera.set_fault(huge_string="name")
    entry = await add_device(hass, camera)
    assert entry.state is ConfigEntryState.LOADED
    assert len(entry.title) == MAX_NAME
    device = device_by_identifier(hass, str(entry.unique_id))
    assert device is not None
    assert device.name is not None
    assert len(device.name) == MAX_NAME
    assert_home_assistant_intact(hass, foreign)
    assert not errors_from_home_assistant(caplog)


@pytest.mark.parametrize(
    ("sent", "shown"),
    [
        ("\u202eetaG\u200b", "etaG"),
        ("\u2067Yard\u2069\ufeff \U0001f468\u200d\U0001f469", "Yard \U0001f468\u200d\U0001f469"),
    ],
)
async def test_invisible_characters_in_names(
    hass: HomeAssistant,
    nvr: Simulator,
    foreign: State,
    sent: str,
    shown: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Bidirectional controls and zero-width characters never reach a name Home Assistant shows.

    The NVR sends them in its own name and every camera name; what stays is what
    the name looks like, emoji joined by ZWJ included.
    """
    nvr.set_fault(field_values={"name": sent})
    entry = await add_device(hass, nvr)
    assert entry.state is ConfigEntryState.LOADED
    assert entry.title == shown
    device = device_by_identifier(hass, str(entry.unique_id))
    assert device is not None
    assert device.name == shown
    devices = dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
    names = [d.name or "" for d in devices]
    names += [s.name for s in hass.states.async_all() if s.entity_id != FOREIGN]
    assert len(devices) > 1
    assert all(not any(char in name for char in "\u202e\u2067\u2069\u200b\ufeff") for name in names)
    assert_home_assistant_intact(hass, foreign)
    assert not errors_from_home_assistant(caplog)


async def test_oversized_snapshot(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    camera: Simulator,
    foreign: State,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A 4 GiB snapshot is refused: a failed picture, one warning, the entry keeps working."""
    entry = await add_device(hass, camera)
    entity_id = camera_of(hass, entry, 0)
    motion = entry_entities(hass, entry, "binary_sensor")[0]
    camera.set_fault(oversized_snapshot=4 * 1024**3)
    with pytest.raises(HomeAssistantError, match="larger than"):
        await async_get_image(hass, entity_id)
    client = await hass_client()
    for _ in range(3):  # the frontend asks again every 10 s
        assert (await client.get(f"/api/camera_proxy/{entity_id}")).status == 500
    warnings = [r for r in caplog.records if "snapshot failed" in r.getMessage()]
    assert len(warnings) == 1
    assert warnings[0].levelno == logging.WARNING
    assert warnings[0].exc_info is None
    assert not errors_from_home_assistant(caplog)
    await entry.runtime_data.events.async_refresh()
    await hass.async_block_till_done()
    assert available(hass, motion)
    assert_home_assistant_intact(hass, foreign)
    camera.clear_faults()
    assert (await async_get_image(hass, entity_id)).content[:2] == b"\xff\xd8"
    assert "snapshots work again" in caplog.text


# --- 3 and the other unusable answers while running


@pytest.mark.parametrize(
    ("fault", "keeps_working"),
    [
        ({"oversized_answer": 10 * 1024 * 1024}, False),
        ({"deep_nesting": 200_000}, False),
        ({"empty_array": True}, False),
        ({"truncated_body": True}, False),
        ({"field_values": {"state": "on", "alarm_state": [], "channel": None}}, True),
        ({"field_values": {"MdState": [], "AiState": "x"}}, True),
        ({"invalid_utf8_field": "state"}, True),
    ],
)
async def test_unusable_answers_while_running(
    hass: HomeAssistant,
    camera: Simulator,
    foreign: State,
    fault: dict[str, Any],
    keeps_working: bool,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Defect 3: too large, too deep, empty, cut off, wrong types: logged once, then back."""
    entry = await add_device(hass, camera)
    events = entry.runtime_data.events
    motion = entry_entities(hass, entry, "binary_sensor")[0]
    camera.set_fault(**fault)
    for _ in range(3):
        await events.async_refresh()
        await hass.async_block_till_done()
    assert_home_assistant_intact(hass, foreign)
    logged = errors_about(caplog, f"{entry.title} events")
    if keeps_working:
        assert not logged
        assert entry.state is ConfigEntryState.LOADED
    else:
        assert not available(hass, motion)
        assert len(logged) == 1, [r.getMessage() for r in logged]
        assert "RecursionError" not in caplog.text
    camera.clear_faults()
    await events.async_refresh()
    await hass.async_block_till_done()
    assert available(hass, motion)
    assert_home_assistant_intact(hass, foreign)


def field_names(value: Any) -> set[str]:
    """Every key at any depth of a JSON-like value."""
    if isinstance(value, dict):
        return {k for key, item in value.items() for k in (key, *field_names(item))}
    if isinstance(value, list):
        return {k for item in value for k in field_names(item)}
    return set()


@pytest.mark.parametrize("weird", [{"x": 1}, [1, 2], "NaN", None, True, 10**30])
@pytest.mark.parametrize("profile", ["ipc", "ptz", "floodlight", "doorbell", "wifi", "nvr-8"])
async def test_wrong_types_in_every_field(
    hass: HomeAssistant,
    foreign: State,
    profile: str,
    weird: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Every field (families included) of every answer of another type: no exception."""
    simulators = profile_simulator(profile)
    sim = await anext(simulators)
    try:
        entry = await add_device(hass, sim)
        state = sim.state
        names = field_names(state["channels"]) | field_names(state["config"])
        names |= field_names(state["device"]) | {"DevInfo", "status", "MdState", "AiState"}
        sim.set_fault(field_values=dict.fromkeys(names - {"channel"}, weird))
        await entry.runtime_data.settings.async_refresh()
        await entry.runtime_data.events.async_refresh()
        await hass.async_block_till_done()
        assert_home_assistant_intact(hass, foreign)
        assert not errors_from_home_assistant(caplog)
        sim.clear_faults()
        await entry.runtime_data.settings.async_refresh()
        await entry.runtime_data.events.async_refresh()
        await hass.async_block_till_done()
        assert any(available(hass, e) for e in entry_entities(hass, entry, "switch"))
        assert await hass.config_entries.async_unload(entry.entry_id)
    finally:
        await simulators.aclose()


# --- 2 and 4: where downloads may write


async def _download_args(
    hass: HomeAssistant, entry: MockConfigEntry, sim: Simulator
) -> dict[str, Any]:
    rec = sim_recordings(sim, 0, "main", sim_days(sim)[1])[0]
    return {
        "entity_id": camera_of(hass, entry, 0),
        "start_time": rec.start.replace(tzinfo=None).isoformat(sep=" "),
    }


async def test_download_never_follows_links(
    hass: HomeAssistant,
    ipc: Simulator,
    media_dir: Path,
    foreign: State,
) -> None:
    """Defect 2: a link at `<target>.part` or at the target never gets written through."""
    entry = await add_device(hass, ipc)
    args = await _download_args(hass, entry, ipc)
    outside = media_dir.parent / "outside.txt"
    outside.write_text("keep me")
    target = media_dir / "clip.mp4"
    (media_dir / "clip.mp4.part").symlink_to(outside)

    response = await download(hass, filename=str(target), **args)
    assert response["size"] > 0
    assert target.is_file()
    assert not target.is_symlink()
    assert outside.read_text() == "keep me"
    assert (media_dir / "clip.mp4.part").is_symlink()  # not ours: left alone

    # A link inside the allowed folder is refused as a link, one leading out of it
    # as a path outside the allowed directories.
    for name, points_to, key in (
        ("inside.mp4", target, "path_is_link"),
        ("outside.mp4", outside, "path_not_allowed"),
    ):
        (media_dir / name).symlink_to(points_to)
        with pytest.raises(ServiceValidationError) as refused:
            await download(hass, filename=str(media_dir / name), **args)
        assert refused.value.translation_key == key
    assert outside.read_text() == "keep me"
    assert target.read_bytes() == sim_clip(ipc, sim_recordings(ipc, 0, "main", sim_days(ipc)[1])[0])
    assert sorted(p.name for p in media_dir.iterdir()) == [
        "clip.mp4",
        "clip.mp4.part",
        "inside.mp4",
        "outside.mp4",
    ]
    assert_home_assistant_intact(hass, foreign)


@pytest.mark.parametrize("name", ["a\x00b.mp4", "line\nbreak.mp4", "bell\x07.mp4", "del\x7f.mp4"])
async def test_control_characters_in_file_names_are_refused(
    hass: HomeAssistant,
    ipc: Simulator,
    media_dir: Path,
    foreign: State,
    name: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Defect 4: a NUL or other control character is the user's mistake, said in words."""
    entry = await add_device(hass, ipc)
    args = await _download_args(hass, entry, ipc)
    ipc.clear_log()
    with pytest.raises(ServiceValidationError) as refused:
        await download(hass, filename=f"{media_dir}/{name}", **args)
    assert refused.value.translation_key == "path_control_characters"
    assert "control characters" in str(refused.value)
    assert list(media_dir.iterdir()) == []
    # Nothing asked of the device; its own events poll may fall in meanwhile.
    assert not other_requests(ipc)
    assert "Traceback" not in caplog.text
    assert_home_assistant_intact(hass, foreign)


# --- 8: whose fault an error is


@pytest.mark.parametrize(
    ("fault", "key"),
    [
        ({"command_errors": {"Download": -222}}, "no_such_file"),
        ({"command_errors": {"Download": -221}}, "recording_busy"),
        ({"command_errors": {"Search": -12}}, "command_failed"),
        ({"drop_connection": True}, "device_unreachable"),
        ({"http_status": 502}, "command_failed"),
        ({"truncated_body": True}, "device_unreachable"),
    ],
)
async def test_device_failures_of_downloads_are_not_validation_errors(
    hass: HomeAssistant,
    camera: Simulator,
    media_dir: Path,
    foreign: State,
    fault: dict[str, Any],
    key: str,
) -> None:
    """Defect 8: the device or the network failing is a HomeAssistantError, translated."""
    entry = await add_device(hass, camera)
    args = await _download_args(hass, entry, camera)
    camera.set_fault(**fault)
    with pytest.raises(HomeAssistantError) as failed:
        await download(hass, filename=str(media_dir / "x.mp4"), **args)
    assert not isinstance(failed.value, ServiceValidationError)
    assert failed.value.translation_key == key
    assert str(failed.value)
    assert list(media_dir.iterdir()) == []
    camera.clear_faults()
    assert_home_assistant_intact(hass, foreign)


async def test_write_failures_are_not_validation_errors(
    hass: HomeAssistant,
    camera: Simulator,
    media_dir: Path,
) -> None:
    """A folder Home Assistant may not write to is not a wrong input either."""
    if os.geteuid() == 0:
        pytest.skip("root writes whatever the folder's mode says")
    entry = await add_device(hass, camera)
    args = await _download_args(hass, entry, camera)
    media_dir.chmod(0o500)
    try:
        with pytest.raises(HomeAssistantError) as failed:
            await download(hass, filename=str(media_dir / "x.mp4"), **args)
    finally:
        media_dir.chmod(0o700)
    assert not isinstance(failed.value, ServiceValidationError)
    assert failed.value.translation_key == "write_failed"


# --- 7: one action, one move per device


async def test_ptz_move_acts_once_per_device(hass: HomeAssistant, ptz: Simulator) -> None:
    """Defect 7: the same camera listed 200 times moves and stops once."""
    entry = await add_device(hass, ptz)
    camera_device = device_id(hass, str(entry.unique_id))
    ptz.clear_log()
    await hass.services.async_call(
        DOMAIN,
        "ptz_move",
        {"device_id": [camera_device] * 200, "direction": "left", "duration": 0.1},
        blocking=True,
    )
    assert sent(ptz, "PtzCtrl") == 2
    await hass.services.async_call(
        DOMAIN,
        "ptz_save_preset",
        {"device_id": [camera_device] * 50, "preset_id": 3, "name": "Gate"},
        blocking=True,
    )
    assert sent(ptz, "SetPtzPreset") == 1
    api_states_body(hass)


# --- 5 and 6: outages


class RequestCounter:
    """Counts every request one of Home Assistant's sessions starts, refused ones included.

    The HTTP API goes through the session that skips certificate checks (devices have
    self-signed ones), ONVIF through the default one.
    """

    def __init__(self, hass: HomeAssistant, *, verify_ssl: bool = False) -> None:
        self.count = 0
        self.commands: list[str] = []
        trace = aiohttp.TraceConfig()
        trace.on_request_start.append(self._started)
        trace.freeze()
        async_get_clientsession(hass, verify_ssl=verify_ssl).trace_configs.append(trace)

    async def _started(
        self, _session: Any, _context: Any, params: aiohttp.TraceRequestStartParams
    ) -> None:
        self.count += 1
        self.commands.append(params.url.query.get("cmd", params.url.path))


@pytest.fixture
def figures() -> Iterator[dict[str, float]]:
    """Measured numbers, printed for the record (run with -s to see them)."""
    measured: dict[str, float] = {}
    yield measured
    print("outage figures:", json.dumps(measured))


# The device comes back this long after the minute: anywhere in the back-off's 5 s.
@pytest.mark.parametrize("late", [0.0, 1.0, 2.0, 3.0, 4.0])
async def test_outage_is_cheap_and_recovery_quick(
    hass: HomeAssistant,
    camera: Simulator,
    foreign: State,
    figures: dict[str, float],
    clock: VirtualClock,
    caplog: pytest.LogCaptureFixture,
    late: float,
) -> None:
    """Defects 5 and 6: 30 s of HTTP 502, then 30 s (and `late`) of refused connections.

    At most 15 requests reach (or try to reach) the device in that minute, and
    events and settings entities are back within 5 s of the device answering.
    """
    entry = await add_device(hass, camera)
    # Settings are read every 20 s, so the outage certainly spans settings polls. The HTTP
    # poll is what is measured here; ONVIF's fallback and retries have tests of their own.
    options = {CONF_SETTINGS_INTERVAL: 20, CONF_EVENT_SOURCE: EVENT_SOURCE_POLLING}
    hass.config_entries.async_update_entry(entry, options={**entry.options, **options})
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    motion = entry_entities(hass, entry, "binary_sensor")[0]
    setting = next(e for e in entry_entities(hass, entry, "switch") if available(hass, e))
    counter = RequestCounter(hass)

    camera.clear_log()
    outage_start = hass.loop.time()
    camera.set_fault(http_status=502)
    await clock.advance(30)
    answered_502 = len(camera.requests)
    figures["requests_502_phase"] = counter.count
    assert not available(hass, motion)

    camera.clear_faults()
    # Ended by the test: real time, which moves the loop's clock too, cannot end it early.
    await camera.reboot(3600)
    await clock.advance(30 - 0.001)
    assert camera.rebooting
    figures["requests_60s"] = counter.count
    assert not available(hass, setting)
    assert answered_502 <= counter.count <= outage_request_limit(hass.loop.time() - outage_start)

    await clock.advance(late + 0.001)
    camera.end_reboot()
    await camera.wait_online()
    back_at = clock.now
    back: dict[str, float] = {}
    while len(back) < 2:
        assert clock.now - back_at <= RECOVERY_LIMIT, f"entities not back in time: {back}"
        for kind, entity_id in (("events", motion), ("settings", setting)):
            if kind not in back and available(hass, entity_id):
                back[kind] = round(clock.now - back_at, 2)
        await clock.advance(0.1)
    figures["events_back_after_s"] = back["events"]
    figures["settings_back_after_s"] = back["settings"]
    assert_home_assistant_intact(hass, foreign)
    assert len(errors_about(caplog, f"{entry.title} events")) == 1


# ONVIF's own attempts in that minute: the pull answered with the pushed motion is
# followed by a new one, and the back-off retries 5 and 20 s into the refused half
# (RETRY_DELAYS; each retry asks GetNetPort first, which is refused too).
ONVIF_ATTEMPT_LIMIT = 3
# The first poll the device answers ends ONVIF's retry wait: back with the events.
ONVIF_BACK_LIMIT = RECOVERY_LIMIT
ONVIF_MODULES = ("onvif_events", "onvif_subscription", "api.onvif")


def shown_states(hass: HomeAssistant, entity_id: str) -> tuple[list[str], CALLBACK_TYPE]:
    """Records each state `entity_id` changes to from now on; and how to stop recording."""
    shown: list[str] = []

    def _changed(event: Event[EventStateChangedData]) -> None:
        old, new = event.data["old_state"], event.data["new_state"]
        if event.data["entity_id"] != entity_id or new is None:
            return
        if old is None or old.state != new.state:
            shown.append(new.state)

    return shown, hass.bus.async_listen("state_changed", _changed)


async def motion_arrives(
    hass: HomeAssistant, entry: MockConfigEntry, sim: Simulator, clock: VirtualClock, *, on: bool
) -> None:
    """Switch channel 0's motion in the device and wait for Home Assistant to show it.

    Recorded, not sampled: while the HTTP API fails, the poll a push asks for (which AI
    type moved) is refused and turns the entity unavailable again, within the same step
    of the clock on a busy machine.
    """
    entity_id = motion_entity(hass, entry.runtime_data.device.channel_key(0))
    shown, stop_recording = shown_states(hass, entity_id)
    try:
        sim.patch_state({"channels": {"0": {"motion": on}}})
        expected = STATE_ON if on else STATE_OFF
        await clock.advance_until(lambda: expected in shown, within=5)
    finally:
        stop_recording()


@pytest.mark.timeout(120)
@pytest.mark.parametrize("profile", ["ipc", "nvr-16"])
async def test_outage_with_onvif_events(
    hass: HomeAssistant,
    foreign: State,
    figures: dict[str, float],
    clock: VirtualClock,
    caplog: pytest.LogCaptureFixture,
    profile: str,
) -> None:
    """The same minute with ONVIF events on (the default): the pull loop runs throughout.

    Motion keeps arriving while the HTTP API answers 502 (pushed) and as soon as the
    device is back; the poll fallback stays within the polling limit and ONVIF within its
    back-off; the first answered poll ends ONVIF's retry wait, so the subscription comes
    back with the events and pushes again; nothing from ONVIF reaches the log above INFO.
    A clock that waited for the pull loop to finish would hang here: the timeout turns
    that into a failure.
    """
    simulators = profile_simulator(profile)
    sim = await anext(simulators)
    # One long poll spans the minute counted below, so what is counted is the outage's own
    # cost; real cameras answer an empty long poll every ~20 s (README, idle figures).
    sim.onvif.max_pull_seconds = 60
    try:
        entry = await add_device(hass, sim)
        options = {CONF_SETTINGS_INTERVAL: 20}
        hass.config_entries.async_update_entry(entry, options={**entry.options, **options})
        assert await hass.config_entries.async_reload(entry.entry_id)
        await hass.async_block_till_done()
        health = entry.runtime_data.events.source.health
        await clock.advance_until(lambda: health.active == "onvif", within=5)
        # The subscription's announcements take two pulls; the minute starts with the
        # third open.
        await clock.advance_until(lambda: sim.onvif.operations.count("PullMessages") >= 3, within=5)
        http = RequestCounter(hass)
        onvif = RequestCounter(hass, verify_ssl=True)
        motion_shown, _ = shown_states(
            hass, motion_entity(hass, entry.runtime_data.device.channel_key(0))
        )

        outage_start = hass.loop.time()
        sim.set_fault(http_status=502)
        started = clock.now
        await clock.advance(15)
        await motion_arrives(hass, entry, sim, clock, on=True)  # pushed: the poll gets 502s
        await clock.advance(started + 30 - clock.now)
        sim.clear_faults()
        # Ended by the test after 30 s: the loop's clock runs on with real time too, so
        # a deadline of its own could pass early on a loaded machine.
        await sim.reboot(3600)
        await clock.advance(30 - 5)
        assert sim.rebooting
        assert health.active == "polling"
        sim.clear_log()
        await clock.advance(5)
        sim.end_reboot()
        outage = hass.loop.time() - outage_start
        # A request in the last step may already have been answered: not part of the outage.
        answered = len(sim.requests)
        onvif_retries = http.commands.count("GetNetPort")
        # The settings poll notices the outage first (one attempt and its retry, the firmware
        # check if due; later ones pause while the events poll probes) and starts the probe.
        noticed_by = sum(command not in ("GetEvents", "GetNetPort") for command in http.commands)
        outage_polls = http.count - answered - onvif_retries - noticed_by
        figures["requests_60s"] = http.count - answered + onvif.count
        figures["onvif_requests_60s"] = onvif.count
        figures["onvif_retries_60s"] = onvif_retries
        figures["settings_and_firmware_60s"] = noticed_by
        # The poll fallback within the polling test's limit, ONVIF within its back-off.
        assert noticed_by <= 3
        assert outage_polls <= outage_request_limit(outage)
        assert onvif.count + onvif_retries <= ONVIF_ATTEMPT_LIMIT

        await sim.wait_online()
        back_at, logins = clock.now, sim.login_count
        await motion_arrives(hass, entry, sim, clock, on=False)
        figures["events_back_after_s"] = round(clock.now - back_at, 2)
        assert clock.now - back_at <= RECOVERY_LIMIT
        await clock.advance_until(lambda: health.active == "onvif", within=ONVIF_BACK_LIMIT)
        figures["onvif_back_after_s"] = round(clock.now - back_at, 2)
        figures["logins_until_onvif_back"] = sim.login_count - logins
        assert sim.login_count - logins <= 1

        pushed = health.notifications
        await motion_arrives(hass, entry, sim, clock, on=True)
        assert health.notifications > pushed  # pushed again; the poll slowed down
        assert entry.runtime_data.events.update_interval == timedelta(seconds=SAFETY_POLL)
        assert_home_assistant_intact(hass, foreign)
        # Errors: only the events coordinator's one line each time motion went away
        # (the 502s after a push are a new outage for it), as with polling alone.
        unavailable = motion_shown.count(STATE_UNAVAILABLE)
        figures["events_unavailable_times"] = unavailable
        assert unavailable  # the refused half cannot be hidden
        errors = errors_from_home_assistant(caplog)
        assert all(message.startswith("Error fetching") for message in errors), errors
        assert len(errors_about(caplog, f"{entry.title} events")) == unavailable
        assert not [
            r
            for r in caplog.records
            if r.levelno >= logging.WARNING and r.name.endswith(ONVIF_MODULES)
        ]
        assert await hass.config_entries.async_unload(entry.entry_id)
    finally:
        await simulators.aclose()


async def test_settings_back_off_on_their_own(hass: HomeAssistant, camera: Simulator) -> None:
    """Settings that fail while events work are retried once, then less and less often."""
    entry = await add_device(hass, camera)
    settings = entry.runtime_data.settings
    events = entry.runtime_data.events
    # With ONVIF events the events poll waits a minute: none fails meanwhile, which
    # would make the settings poll wait for the device instead of backing off.
    await wait_for(lambda: events.source.health.active == "onvif")
    # Only the first poll and its retry fail: the events probe that the failure
    # starts finds the device answering, so settings keep backing off on their own.
    camera.set_fault(http_status=502, count=2)
    camera.clear_log()
    await settings.async_refresh()
    await hass.async_block_till_done()  # the probe
    assert not events.failing
    camera.set_fault(http_status=502)
    await settings.async_refresh()
    assert len(other_requests(camera)) == 3  # one immediate retry, then none while failing
    assert settings.failing
    assert settings.backoff_delay() == 240  # 60 s doubled twice
    camera.clear_faults()
    await settings.async_refresh()
    assert not settings.failing
    assert settings.last_update_success
