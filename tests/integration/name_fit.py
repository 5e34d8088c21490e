"""Whether entity names fit where Home Assistant's frontend (2026.10) shows them.

Measured in headless Chromium against a real Home Assistant (scripts/develop with every
profile, all entities enabled): the width each row type of a device page leaves for the name,
at 1280 px and at 390 px wide (the narrower of the two, less the name's 24 px padding), and
the more-info dialog's title at 1280 px. A name's width is the sum of Roboto's advance widths
as Chromium measures them (`roboto_advances.json`: canvas `measureText` of each printable
ASCII character at 14 px regular and 20 px medium) plus the rows' letter spacing; the sums
matched the rendered widths (`scrollWidth`) to within a pixel.
"""

import json
from dataclasses import dataclass
from pathlib import Path

from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er

ADVANCES: dict[str, list[float]] = json.loads(
    (Path(__file__).parent / "roboto_advances.json").read_text(encoding="utf-8")
)
# Entity rows: 14 px Roboto with the frontend's letter spacing of 0.009375 em.
ROW_LETTER_SPACING = 0.13125
# Row type -> room for the name in px at 14 px (1280 px wide / 390 px wide, less 24 px).
ROW_ROOM = {
    "number slider": 97.0,  # 121 / 126: the slider takes two thirds of the row
    # The input box (measured for ranges up to 100) is narrower without a unit.
    "number box": 129.0,  # 153 / 191
    "number box with unit": 119.0,  # 143 / 181 with "%"
    "switch": 192.0,  # 216 / 254
    "light": 192.0,  # a toggle row, as switches
    "siren": 150.0,  # 174 / 212: a toggle row with tone buttons
    "button": 175.0,  # 199 / 237: the "Press" button
    # The name is the select's floating label, 10.5 px in 190 / 228 px.
    "select": 190.0 * 14 / 10.5,
    "sensor": 132.0,  # 156 / 194 beside the widest state ("x minutes ago")
    # Beside the state: 181 / 219 for "Detected", "Idle" or "Off".
    "binary_sensor": 157.0,
    "camera": 157.0,
    "calendar": 157.0,
    # Beside a time ("x seconds ago"): 161 / 191.
    "event": 137.0,
    "image": 137.0,
    "update": 164.0,  # 188 / 226
    "time": 26.0,  # 50 / 88: the time input with its AM/PM box takes nearly all
}
# The more-info dialog's title, 20 px medium: 364 px at 1280 wide beside the most header
# buttons (toggles, lights, sirens, times, updates, images), 412 px otherwise.
DIALOG_TITLE_ROOM = 364.0
# On a 390 px phone: 182 px beside the most header buttons, 230 px otherwise.
PHONE_TITLE_ROOM = {"switch": 182.0, "light": 182.0, "siren": 182.0, "time": 182.0}
PHONE_TITLE_ROOM_OTHERS = 230.0

# (platform, translation key) -> why no clear name fits its row. These must still fit the
# more-info dialog's title on a phone.
CANNOT_FIT = {
    ("time", key): "26 px hold no word; the phone shows 64 px"
    for key in ("floodlight_schedule_start", "floodlight_schedule_end")
}


def row_width(name: str) -> float:
    """Width of a name in an entity row, px."""
    return sum(ADVANCES[char][0] + ROW_LETTER_SPACING for char in name)


def title_width(name: str) -> float:
    """Width of a name as the more-info dialog's title, px."""
    return sum(ADVANCES[char][1] for char in name)


def row_type(entity: er.RegistryEntry) -> str:
    """The device page row an entity gets; numbers by their mode and unit."""
    if entity.domain != "number":
        return entity.domain
    if (entity.capabilities or {}).get("mode") != "box":
        return "number slider"
    return "number box with unit" if entity.unit_of_measurement else "number box"


@dataclass(frozen=True)
class NameMisfit:
    """A name wider than the room where it is shown."""

    entity_id: str
    name: str
    where: str
    width: float
    room: float

    def __str__(self) -> str:
        size = f"{self.width:.0f} px in {self.room:.0f} px"
        return f"{self.entity_id} {self.name!r}: {size} ({self.where})"


def misfits(entity: er.RegistryEntry) -> list[NameMisfit]:
    """Where the entity's own name would be cut off."""
    name = entity.original_name
    if name is None:  # the device's main entity, named after the device
        return []
    row = row_type(entity)
    checks = [("more-info title", title_width(name), DIALOG_TITLE_ROOM)]
    if (entity.domain, entity.translation_key) in CANNOT_FIT:
        phone = PHONE_TITLE_ROOM.get(entity.domain, PHONE_TITLE_ROOM_OTHERS)
        checks.append(("more-info title on a phone", title_width(name), phone))
    else:
        checks.append((f"{row} row", row_width(name), ROW_ROOM[row]))
    return [
        NameMisfit(entity.entity_id, name, where, width, room)
        for where, width, room in checks
        if width > room
    ]


def names_that_do_not_fit(hass: HomeAssistant, entry_id: str) -> list[str]:
    """Every name of the entry's entities that would be cut off, as readable lines."""
    registry = er.async_get(hass)
    return [
        str(misfit)
        for entity in er.async_entries_for_config_entry(registry, entry_id)
        for misfit in misfits(entity)
    ]
