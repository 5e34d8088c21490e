"""What the simulator's HTTP servers share: `async with` to run them, large bodies in pieces."""

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
