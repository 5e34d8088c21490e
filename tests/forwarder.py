"""A stand-in device in front of the simulator, for firmware behaviours it does not have."""

import asyncio

import aiohttp
from aiohttp import web

from simulator import Simulator
from simulator.serving import Service

FORWARDED_HEADERS = ("Content-Type", "Content-Length", "Content-Range", "Accept-Ranges")
STALL_LIMIT = 5.0


class Forwarder(Service):
    """A device in front of the simulator: its firmware may ignore Range, or stall mid-file.

    Forwards every API request to the simulator and streams the answer back in
    1 KiB pieces, counting what it wrote (`sent`). With `drop_range` the Range header
    never reaches the simulator (the answer is 200 with the whole file); `drop_length`
    sends file answers chunked, without Content-Length; with
    `stall_after` a file answer stops after that many bytes until the reader hangs up,
    which sets `reader_left`.
    """

    def __init__(
        self,
        sim: Simulator,
        *,
        drop_range: bool = True,
        drop_length: bool = False,
        stall_after: int | None = None,
    ) -> None:
        self.sim = sim
        self.drop_range = drop_range
        self.drop_length = drop_length
        self.stall_after = stall_after
        self.sent = 0
        self.reader_left = asyncio.Event()
        self.port = 0
        self._runner: web.AppRunner | None = None
        self._http: aiohttp.ClientSession | None = None

    async def start(self) -> None:
        self._http = aiohttp.ClientSession()
        app = web.Application()
        app.router.add_route("*", "/{path:.*}", self._forward)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        assert self._runner is not None
        assert self._http is not None
        await self._runner.cleanup()
        await self._http.close()

    async def _forward(self, request: web.Request) -> web.StreamResponse:
        assert self._http is not None
        headers = {"Content-Type": request.headers.get("Content-Type", "application/json")}
        if "Range" in request.headers and not self.drop_range:
            headers["Range"] = request.headers["Range"]
        body = await request.read()
        async with self._http.request(
            request.method, self.sim.url + request.path_qs, data=body, headers=headers, ssl=False
        ) as answer:
            kept = [
                k for k in FORWARDED_HEADERS if not (self.drop_length and k == "Content-Length")
            ]
            response = web.StreamResponse(
                status=answer.status,
                headers={k: answer.headers[k] for k in kept if k in answer.headers},
            )
            await response.prepare(request)
            async for piece in answer.content.iter_chunked(1024):
                await self._stall_if_due(request)
                await response.write(piece)
                self.sent += len(piece)
        await response.write_eof()
        return response

    async def _stall_if_due(self, request: web.Request) -> None:
        if self.stall_after is None or self.sent < self.stall_after:
            return
        # aiohttp offers no event for a peer hanging up on an idle answer: poll.
        async with asyncio.timeout(STALL_LIMIT):
            while request.transport is not None and not request.transport.is_closing():  # noqa: ASYNC110
                await asyncio.sleep(0.01)
        self.reader_left.set()
        raise ConnectionResetError
