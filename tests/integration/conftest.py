"""Fixtures: Home Assistant with the integration enabled, simulators on loopback."""

import asyncio
import fcntl
import shutil
import tempfile
from collections.abc import AsyncIterator, Iterable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from homeassistant.config_entries import SOURCE_USER, ConfigEntry
from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_PORT, CONF_USERNAME
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry, get_test_config_dir

from custom_components.reolink_http.const import CONF_USE_HTTPS, DOMAIN
from simulator import Simulator

from .virtual_clock import VirtualClock

PORT_443_LOCK = Path(tempfile.gettempdir()) / "reolink_http-tests-port-443.lock"

# What asyncio's debug mode reports for an incoming connection whose setup failed.
INCOMING_CONNECTION_FAILED = "Error on transport creation for incoming connection"
# Characters that must be URL-encoded in stream URLs and never show up in output.
PASSWORD = "Sim:pa ss/w@rd%1"


@pytest.fixture(autouse=True)
def auto_enable(enable_custom_integrations: None, socket_enabled: None) -> None:
    """Load custom integrations and allow loopback sockets in every test here."""


@pytest.fixture
def hass_config_dir(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A config directory per test: detection pictures are files under its .storage.

    Not inside `tmp_path`, which tests use for files of their own.
    """
    config = tmp_path_factory.mktemp("config")
    shutil.copytree(get_test_config_dir(), config, symlinks=True, dirs_exist_ok=True)
    return str(config)


@pytest.fixture(autouse=True)
def device_tls_errors_stay_on_the_device(hass: HomeAssistant) -> None:
    """A simulated device's failed TLS handshakes are not Home Assistant's exceptions.

    The simulators share Home Assistant's event loop, which the harness runs in debug mode:
    asyncio then reports every incoming connection whose setup fails (a client speaking plain
    HTTP to the HTTPS port, a client that resets or gives up during the TLS handshake) to the
    loop's exception handler, which the harness turns into a test failure. On a real device
    these stay on the device.
    """
    report = hass.loop.get_exception_handler()
    assert report is not None

    def handler(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        if context.get("message") == INCOMING_CONNECTION_FAILED and isinstance(
            context.get("exception"), OSError
        ):
            return
        report(loop, context)

    hass.loop.set_exception_handler(handler)


@pytest.fixture(autouse=True)
def no_deprecated_use(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Home Assistant reports no deprecated call ("Detected that custom integration ...").

    The harness raises such reports only for core code; for a custom integration they are
    logged, and a later release breaks them for real.
    """
    yield
    reports = [r.getMessage() for r in caplog.records if r.name == "homeassistant.helpers.frame"]
    assert not reports


@pytest.fixture(autouse=True)
def no_password_in_logs(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Whatever a test does, the device password never reaches the log."""
    yield
    for secret in (PASSWORD, quote(PASSWORD, safe="")):
        assert secret not in caplog.text


def user_input(sim: Simulator, **overrides: Any) -> dict[str, Any]:
    """What a user types into the form for this simulator."""
    return {
        CONF_HOST: sim.host,
        CONF_PORT: sim.port,
        CONF_USE_HTTPS: sim.https,
        CONF_USERNAME: "admin",
        CONF_PASSWORD: PASSWORD,
        **overrides,
    }


async def add_device(
    hass: HomeAssistant, sim: Simulator, enable: Iterable[str] = ()
) -> MockConfigEntry:
    """Add the simulator through the real user flow and wait for setup.

    `enable` names description keys (unique ID suffixes) of disabled-by-default entities
    to enable, as a user would in the entity settings, before the test uses them.
    """
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    result = await hass.config_entries.flow.async_configure(result["flow_id"], user_input(sim))
    assert result["type"] is FlowResultType.CREATE_ENTRY, result
    await hass.async_block_till_done()
    entry = result["result"]
    assert isinstance(entry, MockConfigEntry) or entry.domain == DOMAIN
    if enable:
        await enable_by_key(hass, entry, enable)
    return entry


async def enable_by_key(hass: HomeAssistant, entry: ConfigEntry, keys: Iterable[str]) -> None:
    """Enable the entry's disabled entities with these description keys, then reload."""
    registry = er.async_get(hass)
    suffixes = tuple(f"_{key}" for key in keys)
    for entity in er.async_entries_for_config_entry(registry, entry.entry_id):
        if entity.disabled_by is not None and entity.unique_id.endswith(suffixes):
            registry.async_update_entity(entity.entity_id, disabled_by=None)
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()


async def _simulator(profile: str, https: bool, **kwargs: Any) -> AsyncIterator[Simulator]:
    # Tests add and reload entries faster than people do; the login rate limit
    # itself is covered by the client tests.
    kwargs.setdefault("login_rate_limit", 20)
    kwargs.setdefault("reboot_seconds", 1.0)
    async with Simulator(profile=profile, https=https, password=PASSWORD, **kwargs) as sim:
        yield sim


async def profile_simulator(profile: str, **kwargs: Any) -> AsyncIterator[Simulator]:
    """A simulator of `profile` over plain HTTP (TLS is covered by the HTTPS fixtures)."""
    kwargs.setdefault("reboot_seconds", 0.3)
    async for sim in _simulator(profile, https=False, **kwargs):
        yield sim


@pytest.fixture
async def ipc() -> AsyncIterator[Simulator]:
    """A 4K bullet camera over HTTPS."""
    async for sim in _simulator("ipc", https=True):
        yield sim


@pytest.fixture
async def ipc_http() -> AsyncIterator[Simulator]:
    """A camera with only HTTP enabled."""
    async for sim in _simulator("ipc", https=False):
        yield sim


@pytest.fixture
async def nvr() -> AsyncIterator[Simulator]:
    """An 8-channel NVR over HTTPS, channel 5 offline."""
    async for sim in _simulator("nvr-8", https=True):
        yield sim


@pytest.fixture
async def doorbell() -> AsyncIterator[Simulator]:
    """A doorbell over HTTPS."""
    async for sim in _simulator("doorbell", https=True):
        yield sim


@pytest.fixture
async def ipc_443() -> AsyncIterator[Simulator]:
    """A camera on the default HTTPS port, as DHCP discovery finds it.

    The port is one per machine: test runs side by side take turns through a file lock.
    """
    lock = await asyncio.to_thread(open, PORT_443_LOCK, "a")
    try:
        await asyncio.to_thread(fcntl.flock, lock, fcntl.LOCK_EX)
        async for sim in _simulator("ipc", https=True, port=443):
            yield sim
    finally:
        lock.close()  # closing releases the lock


@pytest.fixture
async def camera() -> AsyncIterator[Simulator]:
    """A fixed 4K camera with an SD card, over HTTP."""
    async for sim in profile_simulator("ipc"):
        yield sim


@pytest.fixture
async def ptz() -> AsyncIterator[Simulator]:
    """A PTZ camera, over HTTP."""
    async for sim in profile_simulator("ptz"):
        yield sim


@pytest.fixture
async def floodlight() -> AsyncIterator[Simulator]:
    """A floodlight camera with siren, over HTTP."""
    async for sim in profile_simulator("floodlight"):
        yield sim


@pytest.fixture
async def wifi() -> AsyncIterator[Simulator]:
    """A Wi-Fi camera without local storage, over HTTP."""
    async for sim in profile_simulator("wifi"):
        yield sim


@pytest.fixture
async def trackmix() -> AsyncIterator[Simulator]:
    """A pan/tilt tracker reporting every AI kind (face, non-motor vehicle...), over HTTP."""
    async for sim in profile_simulator("trackmix"):
        yield sim


@pytest.fixture
async def nvr16() -> AsyncIterator[Simulator]:
    """A 16-channel NVR with one HDD, over HTTP."""
    async for sim in profile_simulator("nvr-16"):
        yield sim


@pytest.fixture
def media_dir(hass: HomeAssistant, tmp_path: Path) -> Path:
    """A directory Home Assistant may write to."""
    allowed = tmp_path / "media"
    allowed.mkdir()
    hass.config.allowlist_external_dirs = {str(allowed)}
    return allowed


@pytest.fixture
def clock(hass: HomeAssistant) -> Iterator[VirtualClock]:
    """Home Assistant's loop clock, moved on by the test (timers fire in order)."""
    virtual = VirtualClock(hass)
    yield virtual
    virtual.restore()
