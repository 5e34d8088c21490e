"""Another address on the machine that records every byte sent to it (a redirect's target)."""

import asyncio
import contextlib

from simulator.serving import Service

# What the listener answers, so a client that followed a redirect finishes at once.
ANSWER = (
    b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 2\r\n"
    b"Connection: close\r\n\r\n[]"
)


class Listener(Service):
    """A plain TCP listener on 127.0.0.1: `received` holds all it was sent."""

    def __init__(self) -> None:
        self.received = bytearray()
        self.connections = 0
        self.port = 0
        self._server: asyncio.Server | None = None

    @property
    def url(self) -> str:
        """Where a redirect sends the client (plain HTTP, another port)."""
        return f"http://127.0.0.1:{self.port}/cgi-bin/api.cgi"

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        assert self._server is not None
        self._server.close()
        await self._server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """Read one request (headers, then a body of its Content-Length) and answer it."""
        self.connections += 1
        with contextlib.suppress(OSError, asyncio.IncompleteReadError):
            head = await reader.readuntil(b"\r\n\r\n")
            self.received += head
            length = _content_length(head)
            if length:
                self.received += await reader.readexactly(length)
            writer.write(ANSWER)
            await writer.drain()
        writer.close()


def _content_length(head: bytes) -> int:
    for line in head.split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length" and value.strip().isdigit():
            return int(value.strip())
    return 0
