"""Walk the running demo in headless Chromium and save screenshots.

Usage: e2e.py BASE_URL OUT_DIR HA_LOG SIM_PORT. Logs in, opens the integration, every device
page (and checks, 1280 and 390 px wide, that no entity name is cut off but those known not to
fit), the add form with a wrong password, the media browser playing a recording, a dashboard
of live camera cards and a camera's dialog, and the demo's automation. Exits non-zero
on any error shown in the page (console errors, failed API calls, error toasts) or logged by
the integration.
"""

import re
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playwright.sync_api import (
    ConsoleMessage,
    Error,
    Page,
    Response,
    ViewportSize,
    sync_playwright,
)

from tests.integration.name_fit import CANNOT_FIT

USERNAME, PASSWORD = "dev", "dev-password"
CHROMIUM = "/usr/bin/chromium"
DOMAIN = "reolink_http"
TIMEOUT_MS = 30_000
PLAYED_SECONDS = 0.5
# Device pages are long; dialogs sit in the middle of the viewport.
PAGE_VIEWPORT = ViewportSize(width=1400, height=3200)
DIALOG_VIEWPORT = ViewportSize(width=1400, height=900)
# Device pages are also checked for cut-off names as a desktop and a phone show them.
NAME_VIEWPORTS = (ViewportSize(width=1280, height=3200), ViewportSize(width=390, height=6000))
# The add form: the demo's first simulated device, with a password it refuses.
WRONG_LOGIN = {"host": "127.0.0.1", "username": "admin", "password": "not-the-password"}
# Races inside the frontend itself when a script clicks faster than a person: navigating
# cancels the page animation, and a tooltip opens on an element that was just replaced.
FRONTEND_NOISE = ("Transition was skipped", "Invalid on disconnected popover elements")
# scripts/develop's dashboard of live camera cards and its automation.
CAMERA_DASHBOARD = "dashboard-cameras"
DEMO_AUTOMATION = "Camera03 floodlight for people"
# Live cards fetch a picture at once and again every few seconds.
CAMERA_SETTLE_MS = 8000
# The name of the field the keyboard is on, through the frontend's shadow roots.
FOCUSED_FIELD = """() => {
  let element = document.activeElement;
  while (element && element.shadowRoot && element.shadowRoot.activeElement) {
    element = element.shadowRoot.activeElement;
  }
  return element ? element.getAttribute("name") : null;
}"""
# Entity rows whose name is cut off (text wider than its box), with the entity's
# platform and translation key, once Roboto has loaded.
CUT_OFF_NAMES = """async () => {
  await document.fonts.ready;
  const hass = document.querySelector("home-assistant").hass;
  const found = [];
  const walk = (root) => root.querySelectorAll("*").forEach((el) => {
    if (el.shadowRoot) walk(el.shadowRoot);
    const row = el.tagName === "HUI-GENERIC-ENTITY-ROW" && el.shadowRoot;
    const name = row && el.shadowRoot.querySelector(".info");
    if (!name || name.clientWidth === 0 || name.scrollWidth <= name.clientWidth) return;
    const id = (el.config && el.config.entity) || "";
    const entity = hass.entities[id] || {};
    found.push({entity: id, platform: id.split(".")[0], key: entity.translation_key,
                name: name.innerText.split("\\n")[0]});
  });
  walk(document);
  return found;
}"""
BRAND_ICON = re.compile(r"/api/brands/integration/([a-z0-9_]+)/")
INTEGRATION_ERROR = re.compile(r"^\S+ \S+ (?:ERROR|CRITICAL) .*reolink_http.*$", re.MULTILINE)


class Walk:
    """One browser session over the demo, collecting every error it sees."""

    def __init__(self, page: Page, base: str, out: Path) -> None:
        self.page = page
        self.base = base.rstrip("/")
        self.out = out
        self.errors: list[str] = []
        self.shots: list[Path] = []
        page.on("console", self._console)
        page.on("response", self._response)
        page.on("pageerror", self._page_error)

    def _console(self, message: ConsoleMessage) -> None:
        source = message.location.get("url", "")
        # Logos come from brands.home-assistant.io, unreachable from an offline machine;
        # /unknown/ are the frontend's source maps, which Home Assistant does not ship.
        external = source.startswith("http") and not source.startswith(self.base)
        # The frontend echoes every unhandled rejection it cannot map to its sources; the
        # rejection itself arrives as a page error.
        echo = message.text.startswith("Failure writing unhandled promise rejection")
        brand = self._other_brand(source) or self._other_brand(message.text)
        if message.type == "error" and not external and "/unknown/" not in source and not echo:
            if brand:
                return
            self.errors.append(f"console on {self.page.url}: {message.text} ({source})")

    def _other_brand(self, text: str) -> bool:
        """Another integration's logo: Home Assistant fetches it from brands.home-assistant.io,
        unreachable from an offline machine; ours is shipped and must load."""
        found = BRAND_ICON.search(text)
        return found is not None and found.group(1) != DOMAIN

    def _page_error(self, error: Error) -> None:
        if not any(noise in str(error) for noise in FRONTEND_NOISE):
            self.errors.append(f"page error on {self.page.url}: {error}")

    def _response(self, response: Response) -> None:
        if self._other_brand(response.url):
            return
        if response.url.startswith(f"{self.base}/api/") and response.status >= 400:
            # The wrong password is refused on purpose; that answer is a form error, not 4xx.
            # A camera picture that fails is a 5xx of /api/camera_proxy.
            self.errors.append(f"HTTP {response.status} {response.url}")

    def shot(self, name: str) -> None:
        """Screenshot of the whole viewport; fails the walk if an error toast is up."""
        self.page.wait_for_timeout(1500)
        toast = self.page.locator("ha-toast")
        if toast.count() and toast.first.is_visible():
            self.errors.append(f"toast on {name}: {toast.first.inner_text()}")
        path = self.out / f"{len(self.shots) + 1:02d}-{name}.png"
        self.page.screenshot(path=str(path))
        self.shots.append(path)
        print(f"  {path}")

    def goto(self, path: str, *, live: bool = False) -> None:
        """Open a page and wait until it is quiet (a page of live cameras never is)."""
        self.page.goto(f"{self.base}{path}")
        self.page.wait_for_load_state("load" if live else "networkidle")

    def log_in(self) -> None:
        self.page.goto(f"{self.base}/")
        self.page.wait_for_url(re.compile("auth/authorize"))
        self.page.fill("input[name=username]", USERNAME)
        self.page.fill("input[name=password]", PASSWORD)
        self.page.keyboard.press("Enter")
        self.page.wait_for_url(lambda url: "auth/authorize" not in url)
        self.page.wait_for_load_state("networkidle")

    def devices(self) -> list[dict[str, Any]]:
        """The integration's devices, hub first, from the frontend's own registry copy."""
        devices: list[dict[str, Any]] = self.page.evaluate(
            """(domain) => Object.values(document.querySelector("home-assistant").hass.devices)
                .filter((d) => d.identifiers.some(([name]) => name === domain))
                .map((d) => ({id: d.id, name: d.name_by_user || d.name, via: d.via_device_id}))""",
            DOMAIN,
        )
        return sorted(devices, key=lambda device: (device["via"] is not None, device["name"]))

    def integration(self) -> None:
        self.goto(f"/config/integrations/integration/{DOMAIN}")
        self.page.get_by_text("RLC-810A").first.wait_for(timeout=TIMEOUT_MS)
        self.shot("integration")

    def device_pages(self) -> None:
        devices = self.devices()
        if not devices:
            self.errors.append("no devices of the integration")
        for device in devices:
            self.goto(f"/config/devices/device/{device['id']}")
            self.page.get_by_text(device["name"]).first.wait_for(timeout=TIMEOUT_MS)
            self.shot("device-" + re.sub(r"[^a-z0-9]+", "-", device["name"].lower()))
            for viewport in NAME_VIEWPORTS:
                self.names_fit(device["name"], viewport)
        self.page.set_viewport_size(PAGE_VIEWPORT)

    def names_fit(self, device: str, viewport: ViewportSize) -> None:
        """No entity name on the device page is cut off, but those known not to fit."""
        self.page.set_viewport_size(viewport)
        # The number rows measure themselves 250 ms after a resize.
        self.page.wait_for_timeout(1000)
        for row in self.page.evaluate(CUT_OFF_NAMES):
            if (row["platform"], row["key"]) not in CANNOT_FIT:
                width = viewport["width"]
                self.errors.append(f"{device} at {width} px: name cut off: {row}")

    def add_form_wrong_password(self, port: int) -> None:
        self.page.set_viewport_size(DIALOG_VIEWPORT)
        self.goto(f"/config/integrations/dashboard/add?domain={DOMAIN}")
        # "Do you want to set up ...?" comes first for a link like this one.
        self.page.get_by_role("button", name="OK").click()
        self.page.locator("input[name=host]").wait_for(timeout=TIMEOUT_MS)
        # Home Assistant 2026.10 focuses no field when the form opens; none but the host may be.
        focused = self.page.evaluate(FOCUSED_FIELD)
        if focused not in (None, "host"):
            self.errors.append(f"the add form opens on {focused!r}, not on the host field")
        fields = {
            "input[name=host]": WRONG_LOGIN["host"],
            "input[type=number]": str(port),
            "input[name=username]": WRONG_LOGIN["username"],
            "input[name=password]": WRONG_LOGIN["password"],
        }
        for selector, value in fields.items():
            self.page.locator(selector).fill(value)
        self.page.get_by_role("button", name="Submit").click()
        self.page.get_by_text("refused the username or password").wait_for()
        self.shot("add-form-wrong-password")
        self.page.keyboard.press("Escape")

    def camera_cards_and_dialog(self) -> None:
        """The dashboard of live camera cards, then a camera's dialog; no 5xx anywhere."""
        self.page.set_viewport_size(DIALOG_VIEWPORT)
        self.goto(f"/{CAMERA_DASHBOARD}/0", live=True)
        cards = self.page.locator("hui-picture-entity-card, hui-picture-glance-card")
        cards.first.wait_for(timeout=TIMEOUT_MS)
        self.page.wait_for_timeout(CAMERA_SETTLE_MS)
        self.pictures_shown("camera cards")
        self.shot("camera-cards-live")
        cards.first.click()
        # The dialog's host element stays hidden in Home Assistant 2026.10; its dialog shows.
        self.page.get_by_role("dialog").first.wait_for(timeout=TIMEOUT_MS)
        self.page.wait_for_timeout(CAMERA_SETTLE_MS)
        self.pictures_shown("camera dialog")
        self.shot("camera-dialog")
        self.page.keyboard.press("Escape")

    def pictures_shown(self, where: str) -> None:
        """Every camera picture on the page loaded (a blank card is a failed request)."""
        broken: list[str] = self.page.evaluate(
            """() => {
                const found = [];
                const walk = (root) => root.querySelectorAll("*").forEach((el) => {
                    const camera = el.tagName === "IMG" && el.src.includes("/api/camera_proxy");
                    if (camera) found.push(el);
                    if (el.shadowRoot) walk(el.shadowRoot);
                });
                walk(document);
                return found
                    .filter((img) => !img.complete || img.naturalWidth === 0)
                    .map((img) => img.src.replace(/token=[^&]*/, "token=…"));
            }"""
        )
        if broken:
            self.errors.append(f"{where}: camera pictures that did not load: {broken}")

    def demo_automation(self) -> None:
        """The demo's person -> floodlight automation is there to try."""
        self.goto("/config/automation/dashboard")
        self.page.get_by_text(DEMO_AUTOMATION).first.wait_for(timeout=TIMEOUT_MS)
        self.shot("automations")

    def media_browser(self) -> None:
        self.page.set_viewport_size(DIALOG_VIEWPORT)
        self.goto("/media-browser/browser")
        self.page.get_by_text("Reolink", exact=True).filter(visible=True).first.click()
        # Device -> stream -> day -> newest recording (an NVR adds a camera level).
        for _level in range(5):
            self.page.wait_for_timeout(1500)
            if self.page.locator("video").count():
                break
            self.page.locator(".child").filter(visible=True).first.click()
        video = self.page.locator("video").first
        deadline = time.monotonic() + TIMEOUT_MS / 1000
        while video.evaluate("v => v.currentTime") < PLAYED_SECONDS:
            if time.monotonic() > deadline:
                raise TimeoutError("the recording does not play")
            self.page.wait_for_timeout(250)
        self.shot("media-browser-playing")


def integration_log_errors(log: Path) -> list[str]:
    """ERROR and CRITICAL lines of Home Assistant's log that name the integration."""
    text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
    return [f"log: {match.group(0)}" for match in INTEGRATION_ERROR.finditer(text)]


def main(base: str, out: Path, log: Path, sim_port: int) -> int:
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--autoplay-policy=no-user-gesture-required"],
        )
        page = browser.new_page(viewport=PAGE_VIEWPORT)
        page.set_default_timeout(TIMEOUT_MS)
        walk = Walk(page, base, out)
        steps = (
            ("log in", walk.log_in),
            ("integration page", walk.integration),
            ("device pages", walk.device_pages),
            ("add form, wrong password", lambda: walk.add_form_wrong_password(sim_port)),
            ("media browser", walk.media_browser),
            ("camera cards and dialog", walk.camera_cards_and_dialog),
            ("demo automation", walk.demo_automation),
        )
        for title, step in steps:
            print(title)
            try:
                step()
            except Exception as err:
                # Every failed step is reported with its screenshot, then the next one runs.
                walk.errors.append(f"{title}: {type(err).__name__}: {err}")
                walk.shot("failed-" + title.replace(" ", "-").replace(",", ""))
        browser.close()
    errors = walk.errors + integration_log_errors(log)
    print(f"{len(walk.shots)} screenshots in {out}")
    for error in errors:
        print(f"ERROR {error}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4])))
