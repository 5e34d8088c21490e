"""What each simulated profile looks like in Home Assistant: every entity, reviewed by hand.

Regenerate with `scripts/test tests/integration/test_snapshots.py --snapshot-update` and read
the diff of `snapshots/test_snapshots.ambr` before committing it.
"""

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.syrupy import HomeAssistantSnapshotExtension
from syrupy.assertion import SnapshotAssertion

from simulator import Simulator

from .conftest import PASSWORD, add_device

README = Path(__file__).resolve().parents[2] / "README.md"
TABLE_HEADING = "## Entities per device"
# The README table's row order.
PLATFORMS = ("binary_sensor", "camera", "event", "image", "calendar", "switch", "select")
PLATFORMS += ("number", "light", "siren", "button", "sensor", "time", "update")
NONE = "\N{EN DASH}"  # a platform the profile has no entity of

# Change on every run (camera access tokens) or with the wall clock.
VOLATILE_ATTRIBUTES = {"access_token", "entity_picture", "last_reset"}


def entity_listing(hass: HomeAssistant, entry_id: str) -> list[dict[str, Any]]:
    """Registry facts and current state of every entity of the entry, sorted by entity ID."""
    registry = er.async_get(hass)
    listing = []
    for entity in sorted(
        er.async_entries_for_config_entry(registry, entry_id), key=lambda e: e.entity_id
    ):
        state = hass.states.get(entity.entity_id)
        attributes = {} if state is None else dict(state.attributes)
        listing.append(
            {
                "entity_id": entity.entity_id,
                "unique_id_suffix": entity.unique_id.rsplit("_", 1)[-1],
                "enabled": entity.disabled_by is None,
                "category": entity.entity_category,
                "state": None if state is None else state.state,
                # Keys are plain strings: Home Assistant types them as a StrEnum now.
                "attributes": {
                    str(key): value
                    for key, value in sorted(attributes.items())
                    if key not in VOLATILE_ATTRIBUTES
                },
            }
        )
    return listing


@pytest.mark.parametrize(
    "profile",
    [
        "ipc",
        "ptz",
        "zoom",
        "floodlight",
        "doorbell",
        "wifi",
        "trackmix",
        "nvr-8",
        "nvr-16",
        "nvr-trackmix",
        "hub",
    ],
)
async def test_entities_per_profile(
    hass: HomeAssistant, profile: str, snapshot: SnapshotAssertion
) -> None:
    """The entities each profile gets, their state, attributes, category and default."""
    async with Simulator(profile=profile, https=True, password=PASSWORD) as sim:
        entry = await add_device(hass, sim)
        listing = entity_listing(hass, entry.entry_id)
        assert listing == snapshot.use_extension(HomeAssistantSnapshotExtension)
        assert readme_column(profile) == enabled_and_created(listing)
        assert await hass.config_entries.async_unload(entry.entry_id)


def enabled_and_created(listing: list[dict[str, Any]]) -> dict[str, str]:
    """ "enabled/created" per platform and in all, as the README table writes it."""
    created = Counter(entity["entity_id"].split(".")[0] for entity in listing)
    enabled = Counter(entity["entity_id"].split(".")[0] for entity in listing if entity["enabled"])
    column = {
        platform: f"{enabled[platform]}/{created[platform]}" if created[platform] else NONE
        for platform in PLATFORMS
    }
    column["all"] = f"{sum(enabled.values())}/{sum(created.values())}"
    return column


def readme_column(profile: str) -> dict[str, str]:
    """The README's "Entities per device" column of one profile, platform -> cell."""
    lines = README.read_text(encoding="utf-8").splitlines()
    table = lines[lines.index(TABLE_HEADING) :]
    header = next(line for line in table if line.startswith("| platform |"))
    profiles = [cell.strip() for cell in header.strip("|").split("|")][1:]
    column: dict[str, str] = {}
    for line in table[table.index(header) + 2 :]:
        if not line.startswith("|"):
            break
        cells = [cell.strip().strip("*") for cell in line.strip("|").split("|")]
        column[cells[0]] = cells[1 + profiles.index(profile)]
    return column
