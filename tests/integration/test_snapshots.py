"""What each simulated profile looks like in Home Assistant: every entity, reviewed by hand.

Regenerate with `scripts/test tests/integration/test_snapshots.py --snapshot-update` and read
the diff of `snapshots/test_snapshots.ambr` before committing it.
"""

from __future__ import annotations

from typing import Any

import pytest
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from syrupy.assertion import SnapshotAssertion

from simulator import Simulator

from .conftest import PASSWORD, add_device

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
                "attributes": {
                    key: value
                    for key, value in sorted(attributes.items())
                    if key not in VOLATILE_ATTRIBUTES
                },
            }
        )
    return listing


@pytest.mark.parametrize(
    "profile", ["ipc", "ptz", "floodlight", "doorbell", "wifi", "nvr-8", "nvr-16"]
)
async def test_entities_per_profile(
    hass: HomeAssistant, profile: str, snapshot: SnapshotAssertion
) -> None:
    """The entities each profile gets, their state, attributes, category and default."""
    async with Simulator(profile=profile, https=True, password=PASSWORD) as sim:
        entry = await add_device(hass, sim)
        assert entity_listing(hass, entry.entry_id) == snapshot
        assert await hass.config_entries.async_unload(entry.entry_id)
