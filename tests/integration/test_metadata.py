"""Static checks of the files Home Assistant and HACS read: manifest, hacs.json, strings."""

import importlib
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity import EntityDescription
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.reolink_http import const
from custom_components.reolink_http.binary_sensor import BINARY_SENSORS, MOTION_KEY
from custom_components.reolink_http.const import DOMAIN

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "custom_components" / "reolink_http"
PLATFORMS = ("binary_sensor", "button", "camera", "light", "number", "select", "sensor")
PLATFORMS += ("siren", "switch", "update")
HACS_KEYS = {
    "name",
    "content_in_root",
    "zip_release",
    "filename",
    "hide_default_branch",
    "country",
    "homeassistant",
    "hacs",
    "persistent_directory",
    "render_readme",
}


def _json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def test_manifest_keys_and_values() -> None:
    """domain and name first, the rest alphabetical; the fields HACS and HA require."""
    manifest = _json(PACKAGE / "manifest.json")
    keys = list(manifest)
    assert keys[:2] == ["domain", "name"]
    assert keys[2:] == sorted(keys[2:])
    assert manifest["domain"] == PACKAGE.name
    assert manifest["config_flow"] is True
    assert manifest["integration_type"] == "device"
    # Events are pushed over ONVIF by default; polling is the fallback.
    assert manifest["iot_class"] == "local_push"
    assert re.fullmatch(r"\d+\.\d+\.\d+", manifest["version"])
    for key in ("codeowners", "documentation", "issue_tracker", "loggers", "requirements"):
        assert key in manifest


def test_hacs_json_has_only_known_keys() -> None:
    """HACS rejects keys it does not know."""
    hacs = _json(ROOT / "hacs.json")
    assert set(hacs) <= HACS_KEYS
    assert hacs["name"]


def test_one_name_that_says_what_it_is() -> None:
    """manifest, hacs.json and the README's install step use one name, without "polling"."""
    name = _json(PACKAGE / "manifest.json")["name"]
    assert _json(ROOT / "hacs.json")["name"] == name
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    assert f"install **{name}**" in readme
    assert "polling" not in name.lower()
    assert "ONVIF" in name


def test_add_form_says_when_to_choose_it() -> None:
    """The add form names the push events and the cases for either integration."""
    description = _json(PACKAGE / "translations" / "en.json")["config"]["step"]["user"][
        "description"
    ]
    assert "ONVIF" in description
    assert "polls it" not in description
    assert "built-in **Reolink**" in description
    assert "battery cameras" in description


def test_options_hints_give_the_allowed_ranges() -> None:
    """Each interval's hint states the range the form accepts (en dash between)."""
    hints = _json(PACKAGE / "translations" / "en.json")["options"]["step"]["init"][
        "data_description"
    ]
    for key, low, high in (
        (const.CONF_EVENT_INTERVAL, const.MIN_EVENT_INTERVAL, const.MAX_EVENT_INTERVAL),
        (const.CONF_SETTINGS_INTERVAL, const.MIN_SETTINGS_INTERVAL, const.MAX_SETTINGS_INTERVAL),
    ):
        assert f"{low:g}\u2013{high:g} s" in hints[key], key


def _descriptions(module: Any) -> list[EntityDescription]:
    found: list[EntityDescription] = []
    for value in vars(module).values():
        items = value if isinstance(value, tuple) else (value,)
        found.extend(item for item in items if isinstance(item, EntityDescription))
    return found


@pytest.mark.parametrize("platform", PLATFORMS)
def test_every_translation_key_has_a_name(platform: str) -> None:
    """Each description's translation key has a name in en.json (no untranslated entity)."""
    strings = _json(PACKAGE / "translations" / "en.json")["entity"].get(platform, {})
    module = importlib.import_module(f"custom_components.reolink_http.{platform}")
    descriptions = _descriptions(module)
    assert descriptions, f"{platform} declares no entity descriptions"
    keys = {d.translation_key for d in descriptions if d.translation_key}
    # Without a translation key an entity is named by its device class or by the device.
    assert all(
        d.translation_key or getattr(d, "device_class", None) or d.name is None
        for d in descriptions
    )
    missing = sorted(key for key in keys if "name" not in strings.get(key, {}))
    assert not missing


def test_detections_read_clear_or_detected() -> None:
    """Motion has its device class; the others say Clear/Detected through their states.

    With the motion class the logbook would log "Person detected motion".
    """
    strings = _json(PACKAGE / "translations" / "en.json")["entity"]["binary_sensor"]
    for description in BINARY_SENSORS:
        if description.key == MOTION_KEY:
            assert description.device_class == "motion"
            continue
        if description.channel_fn is not None:
            continue  # not a detection: read from the channel list (sleep)
        assert description.device_class is None, description.key
        states = strings[description.translation_key]["state"]
        assert states == {"off": "Clear", "on": "Detected"}, description.key


def test_every_action_is_described() -> None:
    """services.yaml and en.json describe the same actions, each field named."""
    services = yaml.safe_load((PACKAGE / "services.yaml").read_text(encoding="utf-8"))
    strings = _json(PACKAGE / "translations" / "en.json")["services"]
    assert set(services) == set(strings)
    for name, service in services.items():
        assert strings[name]["name"]
        assert strings[name]["description"]
        for field in service.get("fields", {}):
            assert strings[name]["fields"][field]["name"], (name, field)


async def test_brand_icon_served_by_home_assistant(
    hass: HomeAssistant, hass_client: ClientSessionGenerator
) -> None:
    """Home Assistant serves the integration's own brand/icon.png, no CDN involved."""
    assert await async_setup_component(hass, "brands", {})
    client = await hass_client()
    response = await client.get(f"/api/brands/integration/{DOMAIN}/icon.png")
    assert response.status == 200
    assert await response.read() == (PACKAGE / "brand" / "icon.png").read_bytes()
