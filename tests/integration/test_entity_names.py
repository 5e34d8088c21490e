"""Entity names fit where Home Assistant shows them, and shorter names keep old entity IDs."""

import pytest
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er

from custom_components.reolink_http.const import DOMAIN
from simulator import Simulator

from .conftest import PASSWORD, add_device
from .helpers import entity_id_of
from .name_fit import misfits, names_that_do_not_fit, row_width, title_width

PROFILES = ["ipc", "ptz", "zoom", "floodlight", "doorbell", "wifi", "trackmix"]
PROFILES += ["nvr-8", "nvr-16", "nvr-trackmix", "hub"]


@pytest.mark.parametrize("profile", PROFILES)
async def test_names_fit_their_rows(hass: HomeAssistant, profile: str) -> None:
    """No name of any entity, enabled or not, is cut off on a device page or in its dialog."""
    async with Simulator(profile=profile, https=True, password=PASSWORD) as sim:
        entry = await add_device(hass, sim)
        assert names_that_do_not_fit(hass, entry.entry_id) == []
        assert await hass.config_entries.async_unload(entry.entry_id)


# Names that Chromium showed cut off, with the width it rendered (scrollWidth, px).
RENDERED_ROW_WIDTHS = {
    "Motion sensitivity": 136,
    "Animal detection delay": 169,
    "Backlight compensation level": 210,
    "Automatic maintenance reboot": 220,
    "Save current position as guard": 217,
    "Email notifications (all cameras)": 229,
}
RENDERED_TITLE_WIDTHS = {
    "Save current position as guard": 272,
    "Email notifications (all cameras)": 289,
    "Non-motor vehicle detection sensitivity": 350,
}
ROW_PADDING = 24


@pytest.mark.parametrize(("name", "rendered"), RENDERED_ROW_WIDTHS.items())
def test_row_width_is_what_the_browser_renders(name: str, rendered: int) -> None:
    assert row_width(name) + ROW_PADDING == pytest.approx(rendered, abs=1.5)


@pytest.mark.parametrize(("name", "rendered"), RENDERED_TITLE_WIDTHS.items())
def test_title_width_is_what_the_browser_renders(name: str, rendered: int) -> None:
    assert title_width(name) == pytest.approx(rendered, abs=1.5)


@pytest.mark.parametrize(
    ("domain", "capabilities", "too_long", "fits"),
    [
        ("number", {"mode": "slider"}, "Person detection delay", "Person delay"),
        ("number", {"mode": "box"}, "Non-motor vehicle sensitivity", "Bicycle sensitivity"),
        ("switch", None, "Automatic maintenance reboot", "Automatic reboot"),
        ("button", None, "Save current position as guard", "Set guard position"),
        ("sensor", None, "Battery temperature of the camera", "Battery temperature"),
        ("time", None, "Start", "On"),
        ("select", None, "Night mode of the camera's infrared lights when dark", "Day and night"),
    ],
)
async def test_a_name_too_long_for_its_row_is_found(
    hass: HomeAssistant,
    domain: str,
    capabilities: dict[str, str] | None,
    too_long: str,
    fits: str,
) -> None:
    """The check reports a name its row cuts off, and only that one."""
    registry = er.async_get(hass)

    def entity(name: str) -> er.RegistryEntry:
        return registry.async_get_or_create(
            domain,
            DOMAIN,
            f"{domain}-{name}",
            original_name=name,
            capabilities=capabilities,
            translation_key="made_up",
        )

    [row] = [misfit.where for misfit in misfits(entity(too_long)) if misfit.where.endswith(" row")]
    assert row.startswith(domain)
    assert misfits(entity(fits)) == []


async def test_a_name_that_cannot_fit_its_row_still_fits_the_phone_dialog(
    hass: HomeAssistant,
) -> None:
    """A time's name may overflow its row, not the dialog's title on a phone."""
    registry = er.async_get(hass)
    entity = registry.async_get_or_create(
        "time",
        DOMAIN,
        "start",
        original_name="Floodlight schedule start time",
        translation_key="floodlight_schedule_start",
    )
    [misfit] = misfits(entity)
    assert misfit.where == "more-info title on a phone"


async def test_a_box_with_a_unit_leaves_less_room(hass: HomeAssistant) -> None:
    """The unit takes room from the name: 119 px with "%", 129 px without a unit."""
    registry = er.async_get(hass)

    def box(unit: str | None) -> er.RegistryEntry:
        return registry.async_get_or_create(
            "number",
            DOMAIN,
            f"box-{unit}",
            original_name="Package sensitivity",  # 122 px
            capabilities={"mode": "box"},
            unit_of_measurement=unit,
        )

    assert misfits(box(None)) == []
    [misfit] = misfits(box("%"))
    assert misfit.where == "number box with unit row"


# Description key -> entity ID the previous name gave, the one a new install gets, new name.
RENAMED = {
    "ai_people_delay": (
        "number.reolink_person_detection_delay",
        "number.reolink_person_delay",
        "Person delay",
    ),
    "ai_people_sensitivity": (
        "number.reolink_person_detection_sensitivity",
        "number.reolink_person_sensitivity",
        "Person sensitivity",
    ),
    "auto_track_limit_left": (
        "number.reolink_auto_track_limit_left",
        "number.reolink_pan_limit_left",
        "Pan limit left",
    ),
    "auto_maintenance": (
        "switch.reolink_automatic_maintenance_reboot",
        "switch.reolink_automatic_reboot",
        "Automatic reboot",
    ),
    "ptz_guard_set": (
        "button.reolink_save_current_position_as_guard",
        "button.reolink_set_guard_position",
        "Set guard position",
    ),
}


async def test_existing_installs_keep_their_entity_ids(hass: HomeAssistant) -> None:
    """A new install names entity IDs after the new names; one registered with the previous
    names keeps its entity IDs (Home Assistant's registry keeps them), shown with new names."""
    async with Simulator(profile="trackmix", https=True, password=PASSWORD) as sim:
        entry = await add_device(hass, sim)
        registry = er.async_get(hass)
        unique_ids = {key: f"{entry.unique_id}_{key}" for key in RENAMED}
        for key, (_previous, new, _name) in RENAMED.items():
            assert entity_id_of(hass, unique_ids[key], new.split(".")[0]) == new

        # The registry as the previous release left it, entities enabled by the user.
        assert await hass.config_entries.async_unload(entry.entry_id)
        for previous, new, _name in RENAMED.values():
            registry.async_update_entity(new, new_entity_id=previous, disabled_by=None)
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()

        for key, (previous, new, name) in RENAMED.items():
            assert entity_id_of(hass, unique_ids[key], new.split(".")[0]) == previous
            assert hass.states.get(new) is None
            state = hass.states.get(previous)
            assert state is not None, previous
            assert state.attributes["friendly_name"] == f"Reolink {name}"
        assert await hass.config_entries.async_unload(entry.entry_id)
