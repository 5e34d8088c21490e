"""Async client for the Reolink Camera HTTP API (User Guide v7)."""

import contextlib
import uuid
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from types import TracebackType
from typing import Any, Self, TypeVar

import aiohttp

from . import commands as c
from .commands import TypedCommand
from .exceptions import (
    BATCH_REFUSED_CODE,
    CREDENTIAL_CODES,
    LOCKED_CODE,
    RATE_LIMIT_CODE,
    SESSION_LIMIT_CODES,
    ReolinkAuthError,
    ReolinkCommandError,
    ReolinkError,
    ReolinkLoginLockedError,
    ReolinkRateLimitError,
    ReolinkResponseError,
    ReolinkSessionLimitError,
    ReolinkTokenError,
)
from .methods import CommandMethods
from .models import Token
from .protocol import Command, CommandResult, parse_results
from .session import BackoffPolicy, TokenManager
from .streams import (
    DEFAULT_RTMP_PORT,
    DEFAULT_RTSP_PORT,
    Protocol,
    SnapStream,
    Stream,
    flv_url,
    rtmp_url,
    rtsp_url,
)
from .transport import (
    RANGED_STATUSES,
    STALL_SECONDS,
    ByteRange,
    FileAnswer,
    Redactor,
    Transport,
    normalize_fingerprint,
    read_limited,
)
from .writes import SettingWrites

T = TypeVar("T")
DOWNLOAD_CHUNK = 64 * 1024
# Real firmware answers -16 "send failed" to a POST of more commands than this.
MAX_BATCH = 35
PEEK_BYTES = 64  # enough to tell a JSON error answer from JPEG/MP4 data
# A 4K (8 MP) JPEG is at most a few MiB; anything far larger is a broken or hostile
# device, and a snapshot is held in memory whole.
MAX_SNAPSHOT_BYTES = 16 * 1024 * 1024


class ReolinkClient(CommandMethods, SettingWrites):
    """Speaks the long-session form of the API (2.6.1) to one camera or NVR."""

    def __init__(
        self,
        host: str,
        username: str,
        password: str,
        *,
        session: aiohttp.ClientSession,
        port: int | None = None,
        use_https: bool = True,
        verify_tls: bool = False,
        cert_fingerprint: str | None = None,
        timeout: float = 10.0,
        chunk_size: int = MAX_BATCH,
        backoff_initial: float = 5.0,
        backoff_max: float = 300.0,
        auth_backoff: float = 60.0,
        renew_margin: float = 60.0,
        rtsp_port: int = DEFAULT_RTSP_PORT,
        rtmp_port: int = DEFAULT_RTMP_PORT,
        stall_seconds: float = STALL_SECONDS,
    ) -> None:
        self.host = host
        self.use_https = use_https
        self.port = port or (443 if use_https else 80)
        self.chunk_size = min(max(1, chunk_size), MAX_BATCH)
        self.rtsp_port = rtsp_port
        self.rtmp_port = rtmp_port
        self._username = username
        self._password = password
        ssl_option: bool | aiohttp.Fingerprint = verify_tls
        if cert_fingerprint is not None:
            ssl_option = aiohttp.Fingerprint(bytes.fromhex(normalize_fingerprint(cert_fingerprint)))
        scheme = "https" if use_https else "http"
        host_part = f"[{host}]" if ":" in host else host
        self._transport = Transport(
            session,
            f"{scheme}://{host_part}:{self.port}",
            ssl_option=ssl_option,
            timeout=timeout,
            redactor=Redactor(password),
            stall_seconds=stall_seconds,
        )
        policy = BackoffPolicy(backoff_initial, backoff_max, auth_backoff)
        self._auth = TokenManager(self._login_request, policy, renew_margin)

    def __repr__(self) -> str:
        scheme = "https" if self.use_https else "http"
        return f"ReolinkClient({scheme}://{self.host}:{self.port}, user={self._username!r})"

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    @property
    def username(self) -> str:
        """The account the client logs in with."""
        return self._username

    @property
    def peer_fingerprint(self) -> str | None:
        """SHA-256 (64 lowercase hex) of the certificate the device last presented."""
        return self._transport.peer_fingerprint

    # --- session ---------------------------------------------------------------------

    async def login(self) -> None:
        """Make sure a valid token exists (calls log in lazily anyway)."""
        await self._auth.token()

    async def close(self) -> None:
        """Release the token (3.2.2 Logout); a failed Logout is not raised.

        The aiohttp session stays open.
        """
        await self._auth.cancel()
        token = self._auth.take()
        if token is None:
            return
        # The device forgets the token when its lease ends anyway.
        with contextlib.suppress(ReolinkError):
            await self._post([c.logout().command], token)

    async def _login_request(self) -> Token:
        typed = c.login(self._username, self._password)
        answer = await self._transport.post_json({"cmd": "Login"}, [typed.command.to_json()])
        result = parse_results([typed.command], answer)[0]
        if result.error is not None:
            raise _login_error(result.error)
        token = typed.parse(result)
        if not token.name:
            raise ReolinkResponseError("Login answer carries no token")
        if self._transport.https and self._transport.peer_fingerprint is None:
            await self._transport.probe_certificate(self.host, self.port)
        return token

    # --- commands ----------------------------------------------------------------------

    async def execute(self, commands: Sequence[Command]) -> list[CommandResult]:
        """Send commands in batches of `chunk_size`; results keep the order given.

        A failing command yields a result with `error` set and never fails the batch.
        `chunk_size` is capped by the firmware limit `MAX_BATCH`.
        """
        results: list[CommandResult] = []
        for start in range(0, len(commands), self.chunk_size):
            results.extend(await self._execute_chunk(commands[start : start + self.chunk_size]))
        return results

    async def execute_typed(
        self, commands: Sequence[TypedCommand[Any]]
    ) -> list[Any | ReolinkCommandError]:
        """Like `execute`, parsed: each element is the builder's value type or its error."""
        results = await self.execute([typed.command for typed in commands])
        return [parse_typed(t, result) for t, result in zip(commands, results, strict=True)]

    async def execute_with_typed(
        self, commands: Sequence[Command], typed: Sequence[TypedCommand[Any]]
    ) -> tuple[list[CommandResult], list[Any | ReolinkCommandError]]:
        """`execute` of both in one batch: plain results, then the typed ones parsed."""
        results = await self.execute([*commands, *(each.command for each in typed)])
        plain, rest = results[: len(commands)], results[len(commands) :]
        return plain, [parse_typed(t, result) for t, result in zip(typed, rest, strict=True)]

    def room_beside(self, count: int) -> int:
        """Commands that fit beside `count` others without another request."""
        return -count % self.chunk_size

    async def run(self, typed: TypedCommand[T]) -> T:
        """Send one command and return its parsed value, raising its typed error."""
        value = (await self.execute_typed([typed]))[0]
        if isinstance(value, ReolinkCommandError):
            raise value
        result: T = value
        return result

    async def _execute_chunk(self, chunk: Sequence[Command]) -> list[CommandResult]:
        token = await self._auth.token()
        results = await self._post_resilient(chunk, token)
        stale = [i for i, r in enumerate(results) if isinstance(r.error, ReolinkTokenError)]
        if not stale:
            return results
        # -6/-21: the device forgot the token (lease over, reboot); log in again, retry once.
        self._auth.invalidate(token)
        token = await self._auth.token()
        retried = await self._post_resilient([chunk[i] for i in stale], token)
        for index, result in zip(stale, retried, strict=True):
            results[index] = result
        return results

    async def _post_resilient(self, chunk: Sequence[Command], token: str) -> list[CommandResult]:
        """POST a batch; one refused as a whole (-16, beyond the firmware's limit) is split once."""
        results = await self._post(chunk, token)
        if len(chunk) > 1 and all(_batch_refused(result) for result in results):
            middle = (len(chunk) + 1) // 2
            first, second = chunk[:middle], chunk[middle:]
            return [*await self._post(first, token), *await self._post(second, token)]
        return results

    async def _post(self, chunk: Sequence[Command], token: str) -> list[CommandResult]:
        query = {"cmd": chunk[0].cmd, "token": token}
        answer = await self._transport.post_json(query, [command.to_json() for command in chunk])
        return parse_results(chunk, answer)

    # --- firmware of a camera behind an NVR -----------------------------------------------

    async def upload_channel_firmware(
        self,
        channel: int,
        file_name: str,
        size: int,
        pieces: AsyncIterator[bytes],
        progress: Callable[[int], None] | None = None,
    ) -> None:
        """Install a camera's firmware file through its NVR.

        3.1.14 UpgradePrepare names the channel and the file, then 3.1.11 Upgrade posts
        the file in pieces, each answered `rspCode` 200 (reolink_aio 0.22.0
        `upload_firmware`); the NVR installs it on the camera once the last piece is in.
        `progress` gets the bytes sent so far.
        """
        await self.run(c.upgrade_prepare(file_name, size, channel))
        upload_id = str(uuid.uuid4())
        sent = 0
        index = 0
        async for piece in pieces:
            name = c.upgrade_piece_name(file_name, upload_id, index, size)
            await self._post_piece(name, piece)
            sent += len(piece)
            index += 1
            if progress is not None:
                progress(sent)
        if sent != size:
            raise ReolinkResponseError(f"the firmware file held {sent} bytes, not {size}")

    async def _post_piece(self, name: str, piece: bytes) -> None:
        token = await self._auth.token()
        answer = await self._transport.post_file(
            c.upgrade_piece_query(token), c.UPGRADE_FIELD, name, piece
        )
        result = parse_results([Command("Upgrade")], answer)[0]
        if result.error is not None:
            raise result.error
        ack = c.action("Upgrade").parse(result)
        if ack.rsp_code != 200:
            raise ReolinkResponseError(f"Upgrade answered rspCode {ack.rsp_code}")

    # --- binary commands -----------------------------------------------------------------

    async def snapshot(
        self,
        channel: int,
        width: int | None = None,
        height: int | None = None,
        *,
        stream: SnapStream | None = None,
        telephoto: bool = False,
    ) -> bytes:
        """3.6.7 Snap: a JPEG of the channel's current picture (of `stream`, if given).

        `telephoto`: of a dual-lens tracker's telephoto lens. Raises ReolinkResponseError,
        without reading on, once the answer passes MAX_SNAPSHOT_BYTES.
        """
        query = c.snap_query(channel, width, height, stream, telephoto)
        async with self._binary(query, streamed=False) as (first, response):
            with self._transport.translate_errors():
                return await read_limited(response, MAX_SNAPSHOT_BYTES, start=first)

    def open_download(
        self,
        source: str,
        output: str | None = None,
        *,
        byte_range: ByteRange | None = None,
        chunk_size: int = DOWNLOAD_CHUNK,
        listed_size: int | None = None,
    ) -> contextlib.AbstractAsyncContextManager[FileAnswer]:
        """3.6.6 Download: the recording as an open answer, optionally of one byte range.

        `async with client.open_download(name, byte_range=ByteRange(100, 199)) as answer:`
        gives status, size and content type before the first byte, then the bytes chunk
        by chunk (never all in memory); leaving the block early closes the connection
        to the device. Reading raises ReolinkStalledError when the device stops sending
        and ReolinkTooLargeError past what the file can hold (from `listed_size`, the
        size Search gave, when known).
        """
        query = c.download_query(source, output)
        return self._open_file(query, byte_range, chunk_size, listed_size)

    @asynccontextmanager
    async def _open_file(
        self,
        query: dict[str, str],
        byte_range: ByteRange | None,
        chunk_size: int,
        listed_size: int | None,
    ) -> AsyncIterator[FileAnswer]:
        headers = None if byte_range is None else {"Range": byte_range.header()}
        async with self._binary(query, headers) as (first, response):
            yield FileAnswer(response, self._transport, chunk_size, first, listed_size)

    @asynccontextmanager
    async def _binary(
        self, query: dict[str, str], headers: dict[str, str] | None = None, *, streamed: bool = True
    ) -> AsyncIterator[tuple[bytes, aiohttp.ClientResponse]]:
        """GET with the token in the URL; a JSON body instead of data is a typed error.

        With a Range header, 206 and 416 answers are file answers too: devices
        send errors as 200 JSON, and part of a file may well start with `{`.
        """
        statuses = RANGED_STATUSES if headers else (200,)
        for attempt in (1, 2):
            token = await self._auth.token()
            async with self._transport.get(
                {**query, "token": token}, headers, statuses, streamed=streamed
            ) as response:
                error = None
                first = b""
                if response.status == 200:
                    with self._transport.translate_errors():
                        first = await response.content.read(PEEK_BYTES)
                        error = await self._json_error(query["cmd"], first, response)
                if error is None:
                    yield first, response
                    return
            if not (isinstance(error, ReolinkTokenError) and attempt == 1):
                raise error
            self._auth.invalidate(token)

    async def _json_error(
        self, cmd: str, first: bytes, response: aiohttp.ClientResponse
    ) -> ReolinkCommandError | None:
        if first.lstrip()[:1] not in (b"[", b"{"):
            return None
        answer = self._transport.decode(await read_limited(response, start=first))
        result = parse_results([Command(cmd)], answer if isinstance(answer, list) else [answer])
        if result[0].error is None:
            raise ReolinkResponseError(f"{cmd} answered JSON without data")
        return result[0].error

    # --- live view -----------------------------------------------------------------------

    def stream_url(self, channel: int, stream: Stream = "main", protocol: Protocol = "rtsp") -> str:
        """A live-view URL of 2.7 for the channel (0-based on NVRs and cameras alike)."""
        if protocol == "rtsp":
            return rtsp_url(
                self.host, channel, stream, self._username, self._password, self.rtsp_port
            )
        if protocol == "rtmp":
            return rtmp_url(
                self.host, channel, stream, self._username, self._password, self.rtmp_port
            )
        return flv_url(
            self.host,
            channel,
            stream,
            self._username,
            self._password,
            https=self.use_https,
            port=self.port,
            rtmp_port=self.rtmp_port,
        )

    def telephoto_stream_url(self, channel: int, stream: SnapStream) -> str:
        """A live-view URL of a dual-lens tracker's telephoto lens: RTSP main, FLV sub."""
        if stream == "main":
            return rtsp_url(
                self.host, channel, "autotrack", self._username, self._password, self.rtsp_port
            )
        return flv_url(
            self.host,
            channel,
            "autotrack_sub",
            self._username,
            self._password,
            https=self.use_https,
            port=self.port,
            rtmp_port=self.rtmp_port,
        )


def parse_typed(typed: TypedCommand[Any], result: CommandResult) -> Any:
    """The builder's value for a result, or a ReolinkCommandError for any other shape."""
    if result.error is not None:
        return result.error
    try:
        return typed.parse(result)
    except (KeyError, TypeError, ValueError, AttributeError) as err:
        return ReolinkCommandError(result.cmd, -1, f"unexpected answer shape: {type(err).__name__}")


def _batch_refused(result: CommandResult) -> bool:
    return result.error is not None and result.error.code == BATCH_REFUSED_CODE


def _login_error(error: ReolinkCommandError) -> ReolinkError:
    message = f"login refused: {error.code} {error.detail}".rstrip()
    if error.code in SESSION_LIMIT_CODES:
        return ReolinkSessionLimitError(message, 0.0)
    if error.code == RATE_LIMIT_CODE:
        return ReolinkRateLimitError(message, 0.0)
    # Some firmware says so only in the detail ("Login has been locked", reolink_aio).
    if error.code == LOCKED_CODE or "locked" in error.detail.lower():
        return ReolinkLoginLockedError(message, 0.0)
    if error.code in CREDENTIAL_CODES:
        return ReolinkAuthError(message, error.code)
    return ReolinkResponseError(message)
