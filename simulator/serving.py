"""What the simulator's HTTP servers share: `async with` to run them, large bodies in pieces."""

import asyncio
import socket
import ssl
from collections.abc import Callable
from types import TracebackType
from typing import Self

from aiohttp import web

# Filler is written in pieces of this size, so a server holds none of a large body.
PIECE = 64 * 1024


class Service:
    """A server started and stopped by its own `start` and `stop`, or by `async with`."""

    async def start(self) -> None:
        raise NotImplementedError

    async def stop(self) -> None:
        raise NotImplementedError

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()


class Listener:
    """A runner's listening socket, stopped and started again by reboots and closed ports.

    Stopping first stops accepting and lets the connections asyncio already accepted
    attach: closing the server between asyncio's accept and the creation of that
    connection's transport trips an assertion inside asyncio (in debug mode, an error of
    the loop, as tests run it). Then every attached transport is closed, those still in
    their TLS handshake included.
    """

    def __init__(
        self,
        runner: web.AppRunner,
        host: str,
        port: int,
        tls: Callable[[], ssl.SSLContext] | None = None,
    ) -> None:
        """`tls` makes the TLS context at each start: a reboot may serve another certificate."""
        self.port = port  # 0: any free port, fixed once listening
        self._runner = runner
        self._host = host
        self._tls = tls
        self._server: asyncio.Server | None = None

    @property
    def listening(self) -> bool:
        return self._server is not None

    async def start(self) -> None:
        """Listen (SO_REUSEADDR, so a reboot gets its port back at once)."""
        handler = self._runner.server
        assert handler is not None, "runner not set up"
        family = socket.AF_INET6 if ":" in self._host else socket.AF_INET
        sock = socket.create_server((self._host, self.port), family=family)
        ssl_context = None if self._tls is None else self._tls()
        try:
            server = await asyncio.get_running_loop().create_server(
                handler, sock=sock, ssl=ssl_context
            )
        except BaseException:
            sock.close()
            raise
        self._server = server
        self.port = sock.getsockname()[1]

    async def stop(self) -> None:
        """Stop listening and end every open connection."""
        server, self._server = self._server, None
        if server is None:
            return
        for sock in server.sockets:
            asyncio.get_running_loop().remove_reader(sock.fileno())  # accept no more
        self._end_connections(server)  # before they answer anything more
        await asyncio.sleep(0)  # those already accepted get their transports
        server.close()
        self._end_connections(server)

    def _end_connections(self, server: asyncio.Server) -> None:
        # transport.close() still flushes an answer that was already written.
        server.close_clients()  # those whose handler has not started too
        handler = self._runner.server
        if handler is not None:
            for connection in handler.connections:
                connection.force_close()  # also ends a handler waiting on a held pull


async def send_padded(
    request: web.Request, response: web.StreamResponse, body: bytes, size: int | None
) -> web.StreamResponse:
    """`body`, then zero bytes up to `size` bytes in all (without end when None).

    The caller sets the response's length or chunked encoding. Written piece by piece;
    a reader that hangs up ends the answer, which is what a client should do.
    """
    await response.prepare(request)
    filler = memoryview(bytes(PIECE))
    try:
        await response.write(body)
        left = None if size is None else size - len(body)
        while left is None or left > 0:
            await response.write(filler if left is None else filler[: min(left, PIECE)])
            if left is not None:
                left -= PIECE
        await response.write_eof()
    except ConnectionError:
        pass
    return response
