"""Redirects are refused on every request: nothing, the password least, goes elsewhere."""

import pytest

from custom_components.reolink_http.api import ByteRange, ReolinkRedirectError
from custom_components.reolink_http.api.commands import get_dev_info
from tests.listener import Listener

from .conftest import SimFactory

PASSWORD = "redirect-secret"
STATUSES = [301, 302, 303, 307, 308]


@pytest.fixture
async def listener() -> Listener:
    async with Listener() as other:
        yield other


@pytest.mark.parametrize("status", STATUSES)
async def test_login_is_never_sent_where_a_redirect_points(
    start_sim: SimFactory, connect: SimFactory, listener: Listener, status: int
) -> None:
    """From a pinned HTTPS device to plain HTTP on another port: refused, not followed."""
    sim = await start_sim(profile="ipc", https=True, password=PASSWORD)
    client = await connect(sim, password=PASSWORD, cert_fingerprint=sim.fingerprint)
    sim.set_fault(redirect={"status": status, "location": listener.url})
    with pytest.raises(ReolinkRedirectError, match=f"HTTP {status}"):
        await client.login()
    with pytest.raises(ReolinkRedirectError):
        await client.run(get_dev_info())
    assert listener.connections == 0
    assert PASSWORD.encode() not in listener.received


@pytest.mark.parametrize("status", STATUSES)
async def test_files_are_never_fetched_where_a_redirect_points(
    start_sim: SimFactory, connect: SimFactory, listener: Listener, status: int
) -> None:
    """Snapshot and downloads, whole or ranged: the token never leaves for the other address."""
    sim = await start_sim(profile="ipc", password=PASSWORD)
    client = await connect(sim, password=PASSWORD)
    await client.login()
    sim.set_fault(redirect={"status": status, "location": listener.url + "?cmd=Snap"})
    with pytest.raises(ReolinkRedirectError):
        await client.snapshot(0)
    for opened in (
        client.open_download("Mp4Record/2026-01-01/RecM02_x.mp4"),
        client.open_download("Mp4Record/2026-01-01/RecM02_x.mp4", byte_range=ByteRange(0, 9)),
    ):
        with pytest.raises(ReolinkRedirectError):
            async with opened:
                pass
    assert listener.connections == 0
