"""Counts and lists from a device beyond what real hardware has, through Home Assistant.

One number (`diskNum` 65535) once made an entity set per disk and froze Home Assistant;
2**70 exhausted its memory. Each count or list that creates entities or choices is held
to the real maximum (`api/sanitize.py`), the excess logged once.
"""

import logging

import pytest
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.reolink_http.api.sanitize import MAX_CHANNELS, MAX_DISKS, MAX_PRESETS
from simulator import Simulator

from .conftest import add_device
from .helpers import entity_id_of


def warnings_about(caplog: pytest.LogCaptureFixture, text: str) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.levelno == logging.WARNING and text in r.getMessage()
    ]


def unique_ids(hass: HomeAssistant, entry: MockConfigEntry) -> list[str]:
    registry = er.async_get(hass)
    return [e.unique_id for e in er.async_entries_for_config_entry(registry, entry.entry_id)]


def disk_entities(hass: HomeAssistant, entry: MockConfigEntry) -> list[str]:
    return [u for u in unique_ids(hass, entry) if "_storage_" in u or "_format_" in u]


@pytest.mark.parametrize(
    "disks", [MAX_DISKS + 1, 65535, 2**70, -1], ids=["one_more", "65535", "2_70", "negative"]
)
async def test_disk_count_beyond_real_hardware_is_refused(
    hass: HomeAssistant, nvr: Simulator, disks: int, caplog: pytest.LogCaptureFixture
) -> None:
    """GetDevInfo's `diskNum` sizes the storage sensors and format buttons."""
    nvr.set_fault(field_values={"diskNum": disks})
    entry = await add_device(hass, nvr)
    assert entry.state is ConfigEntryState.LOADED
    assert disk_entities(hass, entry) == []
    assert len(warnings_about(caplog, "diskNum")) == 1
    # Read again with every settings poll: still one line.
    await entry.runtime_data.settings.async_refresh()
    await hass.async_block_till_done()
    assert len(warnings_about(caplog, "diskNum")) == 1


async def test_disk_count_within_real_hardware_is_kept(
    hass: HomeAssistant, nvr: Simulator, caplog: pytest.LogCaptureFixture
) -> None:
    """The largest count real hardware may have still gets its entities."""
    nvr.set_fault(field_values={"diskNum": MAX_DISKS})
    entry = await add_device(hass, nvr)
    assert len({u.split("_storage_")[-1].split("_")[0] for u in disk_entities(hass, entry)}) > 1
    assert sum("_format_" in u for u in disk_entities(hass, entry)) == MAX_DISKS
    assert not warnings_about(caplog, "diskNum")


async def test_nvr_channel_list_beyond_real_hardware_is_cut(
    hass: HomeAssistant, nvr: Simulator, caplog: pytest.LogCaptureFixture
) -> None:
    """Getchannelstatus listing more cameras than the largest recorder has."""
    nvr.set_fault(long_lists={"status": MAX_CHANNELS + 4})
    entry = await add_device(hass, nvr)
    assert entry.state is ConfigEntryState.LOADED
    assert sorted(entry.runtime_data.device.channels) == list(range(MAX_CHANNELS))
    assert len(warnings_about(caplog, "Getchannelstatus")) == 1


async def test_preset_list_beyond_real_hardware_is_cut(
    hass: HomeAssistant, ptz: Simulator, caplog: pytest.LogCaptureFixture
) -> None:
    """GetPtzPreset listing more presets than the guide's ids 1-64: the options stop there."""
    ptz.set_fault(field_values={"enable": 1}, long_lists={"PtzPreset": 3 * MAX_PRESETS})
    entry = await add_device(hass, ptz)
    entity_id = entity_id_of(hass, f"{entry.unique_id}_ptz_preset", "select")
    options = hass.states.get(entity_id).attributes["options"]
    assert options[:2] == ["Gate", "Yard"]
    assert len(options) == MAX_PRESETS
    assert warnings_about(caplog, "PTZ presets")
