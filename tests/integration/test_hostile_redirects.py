"""A device answering with redirects, through Home Assistant: nothing goes where they point.

Reolink devices never redirect their API. A redirect followed would send the Login body,
the password in it, to whatever address the answer names, even from a pinned HTTPS
device to plain HTTP; the token would follow snapshots and recordings.
"""

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from homeassistant.components.camera import async_get_image
from homeassistant.config_entries import SOURCE_USER
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError

from custom_components.reolink_http.const import DOMAIN
from simulator import Simulator
from tests.listener import Listener

from .conftest import PASSWORD, add_device, user_input
from .helpers import camera_of, download, motion_entity, sim_days, sim_recordings


@pytest.fixture
async def listener() -> AsyncIterator[Listener]:
    async with Listener() as other:
        yield other


@pytest.mark.parametrize("status", [301, 302, 307, 308])
async def test_setup_never_follows_a_redirect(
    hass: HomeAssistant, camera: Simulator, listener: Listener, status: int
) -> None:
    """The add form: the device "answered, but not like a Reolink device"."""
    camera.set_fault(redirect={"status": status, "location": listener.url})
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    result = await hass.config_entries.flow.async_configure(result["flow_id"], user_input(camera))
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "not_reolink"}
    assert listener.connections == 0
    assert PASSWORD.encode() not in listener.received


async def test_running_entry_never_follows_a_redirect(
    hass: HomeAssistant, ipc: Simulator, listener: Listener, media_dir: Path
) -> None:
    """Logins, polls, snapshots and downloads of a set-up device: refused, clear errors."""
    entry = await add_device(hass, ipc)
    motion = motion_entity(hass, entry.unique_id)
    rec = sim_recordings(ipc, 0, "main", sim_days(ipc)[1])[0]
    ipc.set_fault(redirect={"status": 307, "location": listener.url}, expire_tokens=True)
    await entry.runtime_data.events.async_refresh()
    await hass.async_block_till_done()
    assert hass.states.get(motion).state == STATE_UNAVAILABLE
    with pytest.raises(HomeAssistantError, match="redirect"):
        await async_get_image(hass, camera_of(hass, entry, 0))
    with pytest.raises(HomeAssistantError) as failed:
        await download(
            hass,
            entity_id=camera_of(hass, entry, 0),
            start_time=rec.start.replace(tzinfo=None).isoformat(sep=" "),
            filename=str(media_dir / "clip.mp4"),
        )
    assert not isinstance(failed.value, ServiceValidationError)
    assert list(media_dir.iterdir()) == []
    assert listener.connections == 0
    ipc.clear_faults()
    await entry.runtime_data.events.async_refresh()
    await hass.async_block_till_done()
    assert hass.states.get(motion).state != STATE_UNAVAILABLE
