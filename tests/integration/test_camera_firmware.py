"""Firmware of the cameras behind an NVR, from the (fake) download center, through Home Assistant.

The option "Look up camera firmware on reolink.com" is off by default: then no entity and no
request to the download center. On: one update entity per camera with the installed
(GetChnTypeInfo) and newest version, installed by download and upload through the NVR.
"""

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import ATTR_ENTITY_ID, STATE_OFF, STATE_ON, STATE_UNAVAILABLE
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.entity_component import DATA_INSTANCES
from homeassistant.helpers.event import async_track_state_change_event
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed
from pytest_homeassistant_custom_component.typing import WebSocketGenerator

from custom_components.reolink_http import channel_firmware
from custom_components.reolink_http.channel_firmware import (
    CHECK_INTERVAL,
    DATA_LOOKUPS,
    FIRST_CHECK_DELAY,
    STORAGE_VERSION,
    CameraFirmwareCoordinator,
)
from custom_components.reolink_http.const import CONF_CAMERA_FIRMWARE, DOMAIN
from custom_components.reolink_http.update import ReolinkCameraFirmwareUpdate
from simulator import Simulator
from simulator.device import CHANNEL_FIRMWARE_VERSION
from simulator.download_center import FIRMWARE_PATH, SELECTION_PATH
from simulator.download_center import DownloadCenter as FakeCenter

from .conftest import add_device, profile_simulator
from .helpers import device_by_identifier, entity_id_of, sent

OFFLINE_CHANNEL = 5  # of the nvr-8 profile
CHANNEL = 2


@pytest.fixture
async def nvr() -> AsyncIterator[Simulator]:
    async for sim in profile_simulator("nvr-8"):
        yield sim


@pytest.fixture
async def center(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeCenter]:
    """The fake download center, where the integration looks for firmware in these tests."""
    async with FakeCenter() as fake:
        monkeypatch.setattr(channel_firmware, "download_center_url", fake.url)
        yield fake


async def set_lookup(hass: HomeAssistant, entry: MockConfigEntry, enabled: bool) -> None:
    """Switch the option in the options flow, as a user does; the entry reloads."""
    result = await hass.config_entries.options.async_init(entry.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {**entry.options, CONF_CAMERA_FIRMWARE: enabled}
    )
    await hass.async_block_till_done()
    assert entry.options[CONF_CAMERA_FIRMWARE] is enabled


type Advance = Callable[[timedelta], Awaitable[None]]


@pytest.fixture
def advance(hass: HomeAssistant) -> Advance:
    """Home Assistant's timers due within `delta` fire; the devices answer in real time."""

    async def advance(delta: timedelta) -> None:
        async_fire_time_changed(hass, dt_util.utcnow() + delta)
        await hass.async_block_till_done()

    return advance


async def check_now(hass: HomeAssistant, entity_id: str) -> None:
    """Ask for a check now instead of in twelve hours (firing that many hours of timers
    would also expire the requests in flight)."""
    assert await async_setup_component(hass, "homeassistant", {})
    await hass.services.async_call(
        "homeassistant", "update_entity", {ATTR_ENTITY_ID: entity_id}, blocking=True
    )
    await hass.async_block_till_done()


def coordinator_of(hass: HomeAssistant, entity_id: str) -> CameraFirmwareCoordinator:
    """The coordinator behind a camera's firmware entity."""
    entity = hass.data[DATA_INSTANCES]["update"].get_entity(entity_id)
    assert isinstance(entity, ReolinkCameraFirmwareUpdate)
    return entity.coordinator


def camera_updates(hass: HomeAssistant, entry: MockConfigEntry) -> dict[int, str]:
    """Channel -> entity ID of each camera's firmware entity."""
    device = entry.runtime_data.device
    registry = er.async_get(hass)
    found = {}
    for channel in device.channels:
        entity_id = registry.async_get_entity_id(
            "update", DOMAIN, f"{device.channel_key(channel)}_firmware"
        )
        if entity_id is not None:
            found[channel] = entity_id
    return found


async def nvr_with_lookup(
    hass: HomeAssistant, nvr: Simulator, advance: Advance
) -> tuple[MockConfigEntry, str]:
    """The NVR added with the lookup on and checked once; its entry and CHANNEL's entity."""
    entry = await add_device(hass, nvr)
    await set_lookup(hass, entry, True)
    await advance(FIRST_CHECK_DELAY)
    return entry, camera_updates(hass, entry)[CHANNEL]


async def refused_install(hass: HomeAssistant, update: str) -> str:
    """Ask for an install that must fail; the translation key of its error."""
    with pytest.raises(HomeAssistantError) as caught:
        await hass.services.async_call("update", "install", {ATTR_ENTITY_ID: update}, blocking=True)
    assert caught.value.translation_key is not None
    return caught.value.translation_key


@dataclass(frozen=True)
class InstallFault:
    """One way an install fails: the download center's file, or the NVR refusing it."""

    key: str  # translation key of the error shown
    file_fault: str | None = None  # the download center's fault for firmware files
    refused_with: int | None = None  # UpgradePrepare's error code

    def apply(self, center: FakeCenter, nvr: Simulator) -> None:
        if self.file_fault is not None:
            center.set_fault("file", self.file_fault)
        if self.file_fault == "oversized_stream":
            # Streamed without a declared size: refused at the cap, whatever comes after.
            center.oversize_bytes = 300 * 1024 * 1024
        if self.refused_with is not None:
            nvr.set_fault(command_errors={"UpgradePrepare": self.refused_with})


async def test_option_off_asks_nothing(
    hass: HomeAssistant,
    nvr: Simulator,
    center: FakeCenter,
    advance: Advance,
) -> None:
    """By default no camera has a firmware entity and reolink.com is never asked."""
    entry = await add_device(hass, nvr)
    await advance(FIRST_CHECK_DELAY)
    await advance(CHECK_INTERVAL)
    assert camera_updates(hass, entry) == {}
    assert center.requests == []
    # The NVR's own firmware entity is there as before.
    assert entity_id_of(hass, f"{entry.unique_id}_firmware", "update")
    await set_lookup(hass, entry, True)
    await set_lookup(hass, entry, False)
    await advance(FIRST_CHECK_DELAY)
    assert center.requests == []
    assert camera_updates(hass, entry) == {}


async def test_option_on_shows_each_camera(
    hass: HomeAssistant,
    nvr: Simulator,
    center: FakeCenter,
    hass_ws_client: WebSocketGenerator,
    advance: Advance,
) -> None:
    """One entity per camera: installed from the NVR, newest from the download center."""
    entry = await add_device(hass, nvr)
    await set_lookup(hass, entry, True)
    updates = camera_updates(hass, entry)
    assert sorted(updates) == sorted(entry.runtime_data.device.channels)
    assert center.requests == []  # not part of setup
    await advance(FIRST_CHECK_DELAY)

    online = [ch for ch in updates if ch != OFFLINE_CHANNEL]
    models = {nvr.state["channels"][ch]["model"] for ch in online}
    assert center.count(SELECTION_PATH) == 1
    assert center.count(FIRMWARE_PATH) == len(models)  # one per model, not per camera
    for channel in online:
        state = hass.states.get(updates[channel])
        assert state is not None
        assert state.state == STATE_ON
        assert state.attributes["installed_version"] == nvr.state["channels"][channel]["firmware"]
        assert state.attributes["latest_version"] == CHANNEL_FIRMWARE_VERSION
        assert state.attributes["release_url"] == "https://reolink.com/download-center/"
    offline = hass.states.get(updates[OFFLINE_CHANNEL])
    assert offline is not None
    assert offline.state == STATE_UNAVAILABLE
    registry_entry = er.async_get(hass).async_get(updates[CHANNEL])
    assert registry_entry is not None
    assert registry_entry.entity_category == "config"
    camera_device = device_by_identifier(hass, entry.runtime_data.device.channel_key(CHANNEL))
    assert camera_device is not None
    assert registry_entry.device_id == camera_device.id

    client = await hass_ws_client(hass)
    await client.send_json({"id": 1, "type": "update/release_notes", "entity_id": updates[0]})
    answer = await client.receive_json()
    assert CHANNEL_FIRMWARE_VERSION in answer["result"]
    assert center.url in answer["result"]

    # The next check (every twelve hours, or asked for): the firmware lists again, the
    # list of models is still fresh.
    assert coordinator_of(hass, updates[CHANNEL]).update_interval == CHECK_INTERVAL
    await check_now(hass, updates[CHANNEL])
    assert center.count(SELECTION_PATH) == 1
    assert center.count(FIRMWARE_PATH) == 2 * len(models)
    # A reload (options saved again) within twelve hours asks nothing new.
    await set_lookup(hass, entry, True)
    await advance(FIRST_CHECK_DELAY)
    assert center.count(FIRMWARE_PATH) == 2 * len(models)
    state = hass.states.get(updates[CHANNEL])
    assert state is not None
    assert state.attributes["latest_version"] == CHANNEL_FIRMWARE_VERSION


async def test_install_uploads_through_the_nvr(
    hass: HomeAssistant,
    nvr: Simulator,
    center: FakeCenter,
    advance: Advance,
) -> None:
    """Download, UpgradePrepare and the pieces: the camera runs the new version, shown at once."""
    entry, update = await nvr_with_lookup(hass, nvr, advance)
    before = nvr.state["channels"][0]["firmware"]
    progress: list[int] = []

    @callback
    def record(event: Event[EventStateChangedData]) -> None:
        new = event.data["new_state"]
        if new is not None and new.attributes.get("in_progress"):
            progress.append(new.attributes["update_percentage"])

    unsubscribe = async_track_state_change_event(hass, update, record)
    await hass.services.async_call("update", "install", {ATTR_ENTITY_ID: update}, blocking=True)
    unsubscribe()

    assert nvr.state["channels"][CHANNEL]["firmware"] == CHANNEL_FIRMWARE_VERSION
    assert nvr.state["channels"][0]["firmware"] == before
    assert sent(nvr, "UpgradePrepare") == 1
    assert sent(nvr, "Upgrade") == -(-center.pak_size // 40960)
    assert progress[0] == 0
    assert any(0 < percent < 100 for percent in progress)
    assert progress[-1] == 100
    state = hass.states.get(update)
    assert state is not None
    assert state.state == STATE_OFF
    assert state.attributes["installed_version"] == CHANNEL_FIRMWARE_VERSION
    assert state.attributes["in_progress"] is False
    camera_device = device_by_identifier(hass, entry.runtime_data.device.channel_key(CHANNEL))
    assert camera_device is not None
    assert camera_device.sw_version == CHANNEL_FIRMWARE_VERSION
    # Up to date now: a second install is refused without asking anyone.
    await refused_install(hass, update)
    assert sent(nvr, "UpgradePrepare") == 1


@pytest.mark.parametrize(
    "fault",
    [
        InstallFault("firmware_too_large", file_fault="oversized"),
        InstallFault("firmware_too_large", file_fault="oversized_stream"),
        InstallFault("not_firmware", file_fault="not_zip"),
        InstallFault("not_firmware", file_fault="no_firmware"),
        InstallFault("not_firmware", file_fault="wrong_content"),
        InstallFault("firmware_download_failed", file_fault="server_error"),
        InstallFault("firmware_upload_refused", refused_with=-4),
    ],
    ids=lambda fault: fault.file_fault or f"nvr_refuses_{fault.refused_with}",
)
async def test_install_faults_are_translated(
    hass: HomeAssistant,
    nvr: Simulator,
    center: FakeCenter,
    fault: InstallFault,
    advance: Advance,
) -> None:
    """Each failed install is its own message; nothing is sent to the camera, the entity stays.

    A bad download does not reach the NVR; a refused UpgradePrepare sends no piece.
    """
    _entry, update = await nvr_with_lookup(hass, nvr, advance)
    before = nvr.state["channels"][CHANNEL]["firmware"]
    fault.apply(center, nvr)
    assert await refused_install(hass, update) == fault.key
    assert sent(nvr, "UpgradePrepare") == (0 if fault.refused_with is None else 1)
    assert sent(nvr, "Upgrade") == 0
    assert nvr.state["channels"][CHANNEL]["firmware"] == before
    state = hass.states.get(update)
    assert state is not None
    assert state.state == STATE_ON
    assert state.attributes["in_progress"] is False


@pytest.mark.parametrize(
    ("target", "fault"),
    [
        ("selection", "server_error"),
        ("selection", "garbage_json"),
        ("selection", "wrong_content"),
        ("selection", "api_error"),
        ("selection", "wrong_shape"),
        ("firmware", "garbage_json"),
        ("firmware", "api_error"),
    ],
)
async def test_lookup_faults_break_nothing(
    hass: HomeAssistant,
    nvr: Simulator,
    center: FakeCenter,
    target: str,
    fault: str,
    advance: Advance,
) -> None:
    """A failed lookup leaves the entities available with their installed version."""
    center.set_fault(target, fault)
    _entry, update = await nvr_with_lookup(hass, nvr, advance)
    assert center.requests  # it was asked
    state = hass.states.get(update)
    assert state is not None
    assert state.state != STATE_UNAVAILABLE
    assert state.attributes["installed_version"] == nvr.state["channels"][CHANNEL]["firmware"]
    assert state.attributes["latest_version"] is None
    # Reolink answers again: the next check finds the firmware.
    center.clear_faults()
    await check_now(hass, update)
    state = hass.states.get(update)
    assert state is not None
    assert state.attributes["latest_version"] == CHANNEL_FIRMWARE_VERSION


@dataclass
class Checked:
    """The NVR with the option on after its first check, and where that check is kept."""

    entry: MockConfigEntry
    update: str  # CHANNEL's firmware entity
    center: FakeCenter
    storage: dict[str, Any]  # Home Assistant's storage by key (hass_storage)

    @property
    def key(self) -> str:
        """Where the entry's last check is kept."""
        return f"{DOMAIN}.camera_firmware.{self.entry.entry_id}"

    def date(self, at: datetime) -> None:
        """Date the kept check at `at`."""
        self.storage[self.key]["data"]["at"] = at.isoformat()

    def assert_kept(self) -> None:
        """This version's layout, with the newest firmware for CHANNEL."""
        kept = self.storage[self.key]
        assert kept["version"] == STORAGE_VERSION
        assert kept["data"]["releases"][str(CHANNEL)]["version"] == CHANNEL_FIRMWARE_VERSION

    def latest_version(self, hass: HomeAssistant) -> str | None:
        """What CHANNEL's firmware entity shows as the newest."""
        state = hass.states.get(self.update)
        assert state is not None
        latest: str | None = state.attributes["latest_version"]
        return latest


@pytest.fixture
async def checked(
    hass: HomeAssistant,
    nvr: Simulator,
    center: FakeCenter,
    advance: Advance,
    hass_storage: dict[str, Any],
) -> Checked:
    """The NVR with the option on, after its first check."""
    entry, update = await nvr_with_lookup(hass, nvr, advance)
    return Checked(entry, update, center, hass_storage)


async def restart(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Unload and set up the entry, with nothing of the download center's answers in memory."""
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    hass.data.pop(DATA_LOOKUPS, None)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()


async def test_restart_within_interval_asks_nothing(
    hass: HomeAssistant, checked: Checked, advance: Advance
) -> None:
    """The last check survives a restart: shown at once, not repeated until it is 12 h old."""
    center = checked.center
    asked, firmware_asked = len(center.requests), center.count(FIRMWARE_PATH)
    assert firmware_asked > 0
    checked.assert_kept()

    await restart(hass, checked.entry)
    assert checked.latest_version(hass) == CHANNEL_FIRMWARE_VERSION
    await advance(FIRST_CHECK_DELAY)
    assert len(center.requests) == asked
    assert checked.latest_version(hass) == CHANNEL_FIRMWARE_VERSION

    # The next check comes when the kept one is 12 hours old, not 12 hours after the start.
    checked.date(dt_util.utcnow() - CHECK_INTERVAL + timedelta(hours=1))
    await restart(hass, checked.entry)
    await advance(FIRST_CHECK_DELAY)
    assert len(center.requests) == asked
    await advance(timedelta(hours=2))
    assert center.count(FIRMWARE_PATH) == 2 * firmware_asked


@pytest.mark.parametrize("age", [CHECK_INTERVAL + timedelta(minutes=1), -timedelta(days=1)])
async def test_old_kept_check_is_repeated(
    hass: HomeAssistant, checked: Checked, advance: Advance, age: timedelta
) -> None:
    """A kept check 12 hours old (or dated later than now: the clock went back) is shown
    until the startup check answers."""
    center = checked.center
    firmware_asked = center.count(FIRMWARE_PATH)
    stale = dt_util.utcnow() - age
    checked.date(stale)

    await restart(hass, checked.entry)
    assert checked.latest_version(hass) == CHANNEL_FIRMWARE_VERSION
    assert center.count(FIRMWARE_PATH) == firmware_asked
    await advance(FIRST_CHECK_DELAY)
    assert center.count(SELECTION_PATH) == 2
    assert center.count(FIRMWARE_PATH) == 2 * firmware_asked
    assert dt_util.parse_datetime(checked.storage[checked.key]["data"]["at"]) != stale
    assert checked.latest_version(hass) == CHANNEL_FIRMWARE_VERSION


def _spoil_release(**changes: Any) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """Kept data whose release of CHANNEL has `changes`."""

    def spoil(data: dict[str, Any]) -> dict[str, Any]:
        release = {**data["releases"][str(CHANNEL)], **changes}
        return {**data, "releases": {str(CHANNEL): release}}

    return spoil


# Each turns the fresh data the last check kept into something this version cannot use.
SPOILED_DATA: dict[str, Callable[[dict[str, Any]], Any]] = {
    "not_a_mapping": lambda data: ["garbage"],
    "no_releases": lambda data: {"at": data["at"]},
    "releases_listed": lambda data: {**data, "releases": list(data["releases"].values())},
    "no_date": lambda data: {**data, "at": "2026-13-45T00:00:00+00:00"},
    "not_a_date": lambda data: {**data, "at": 1},
    "no_time_zone": lambda data: {**data, "at": dt_util.utcnow().replace(tzinfo=None).isoformat()},
    "channel_not_a_number": lambda data: {
        **data,
        "releases": {"\N{SUPERSCRIPT TWO}": data["releases"][str(CHANNEL)]},
    },
    "release_not_a_mapping": lambda data: {**data, "releases": {str(CHANNEL): "v3"}},
    "not_a_version": _spoil_release(version="latest"),
    "not_a_web_address": _spoil_release(url="file:///etc/passwd"),
    "no_address": _spoil_release(url=None),
}


@pytest.mark.parametrize(
    "spoil",
    [
        *(
            pytest.param(lambda kept, how=how: {**kept, "data": how(kept["data"])}, id=name)
            for name, how in SPOILED_DATA.items()
        ),
        pytest.param(lambda kept: {**kept, "version": STORAGE_VERSION + 1}, id="newer_version"),
        pytest.param(lambda kept: {**kept, "version": STORAGE_VERSION - 1}, id="older_version"),
    ],
)
async def test_unusable_kept_check_is_ignored(
    hass: HomeAssistant,
    checked: Checked,
    advance: Advance,
    spoil: Callable[[dict[str, Any]], dict[str, Any]],
) -> None:
    """Kept data that is not what this version writes: set up as without it, then replaced."""
    firmware_asked = checked.center.count(FIRMWARE_PATH)
    checked.storage[checked.key] = spoil(checked.storage[checked.key])

    await restart(hass, checked.entry)
    assert checked.entry.state is ConfigEntryState.LOADED
    assert checked.latest_version(hass) is None
    await advance(FIRST_CHECK_DELAY)
    assert checked.center.count(FIRMWARE_PATH) == 2 * firmware_asked
    assert checked.latest_version(hass) == CHANNEL_FIRMWARE_VERSION
    checked.assert_kept()


async def test_switching_the_option_off_removes_the_kept_check(
    hass: HomeAssistant, checked: Checked, advance: Advance
) -> None:
    """Off means forgotten: switched on again, the cameras are checked anew, not shown stale."""
    checked.assert_kept()
    asked = checked.center.count(FIRMWARE_PATH)
    await set_lookup(hass, checked.entry, False)
    assert checked.key not in checked.storage
    assert camera_updates(hass, checked.entry) == {}

    await set_lookup(hass, checked.entry, True)
    await advance(FIRST_CHECK_DELAY)
    assert checked.center.count(FIRMWARE_PATH) > asked
    checked.assert_kept()


async def test_removing_the_entry_removes_the_kept_check(
    hass: HomeAssistant, checked: Checked
) -> None:
    """The kept check belongs to its entry."""
    other = checked.key.replace(checked.entry.entry_id, "another_entry")
    checked.storage[other] = dict(checked.storage[checked.key])
    assert await hass.config_entries.async_remove(checked.entry.entry_id)
    await hass.async_block_till_done()
    assert checked.key not in checked.storage
    assert other in checked.storage
