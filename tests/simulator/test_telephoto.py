"""The telephoto lens of a dual-lens tracker: Snap `iLogicChannel=1` (reolink_aio 0.22.0)."""

import aiohttp

from simulator import Simulator

PASSWORD = "telephoto-pass"


async def _snap(sim: Simulator, query: str) -> aiohttp.ClientResponse:
    async with aiohttp.ClientSession() as session:
        response = await session.get(
            f"{sim.url}/cgi-bin/api.cgi?cmd=Snap&{query}&user=admin&password={PASSWORD}"
        )
        await response.read()
        return response


async def test_snap_of_each_lens() -> None:
    """The wide and the telephoto lens give different pictures; a lens a camera lacks is -4."""
    async with Simulator(profile="nvr-trackmix", https=False, password=PASSWORD) as sim:
        wide = await _snap(sim, "channel=0")
        tele = await _snap(sim, "channel=0&iLogicChannel=1")
        assert wide.content_type == tele.content_type == "image/jpeg"
        assert "snap_00.jpg" in wide.headers["Content-Disposition"]
        assert "snap_00_tele.jpg" in tele.headers["Content-Disposition"]
        other = await _snap(sim, "channel=1&iLogicChannel=1")
        assert other.content_type != "image/jpeg"
        assert '"rspCode": -4' in (await other.text())
