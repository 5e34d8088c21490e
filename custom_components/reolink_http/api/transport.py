"""HTTP(S) transport: one POST per batch (2.1 Protocol), binary GETs, error mapping."""

import asyncio
import contextlib
import hashlib
import json
import re
import ssl
from collections.abc import AsyncIterator, Callable, Collection, Iterator, Mapping
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from typing import Any, Self

import aiohttp

from .exceptions import (
    ReolinkCertificateError,
    ReolinkConnectionError,
    ReolinkError,
    ReolinkRedirectError,
    ReolinkResponseError,
    ReolinkStalledError,
    ReolinkTimeoutError,
    ReolinkTlsError,
    ReolinkTooLargeError,
)
from .sanitize import MAX_ANSWER_BYTES, clean_text, decode_answer

API_PATH = "/cgi-bin/api.cgi"
RANGE_REQUEST = re.compile(r"^bytes=(\d*)-(\d*)$")
CONTENT_RANGE = re.compile(r"^bytes (?:(\d+)-(\d+)|\*)/(\d+|\*)$")
# Statuses a ranged file request may answer with (RFC 9110 14, 15.3.7, 15.5.17).
RANGED_STATUSES = (200, 206, 416)
EXCERPT_LENGTH = 120
READ_PIECE = 64 * 1024
# A file transfer stalls when less than STALL_BYTES arrive within STALL_SECONDS of waiting
# for the device (time the reader spends elsewhere, a paused player, does not count): a
# device sending one byte a second would otherwise hold a download for days.
STALL_SECONDS = 30.0
STALL_BYTES = 64 * 1024
# What a file answer may bring when nothing better is known: above hours of 4K video.
MAX_FILE_BYTES = 16 * 1024**3
# Beyond the size Search listed, a file may still grow while it is recorded.
FILE_GROWTH_BYTES = 64 * 1024 * 1024
_SECRET_QUERY = re.compile(r"(?i)\b(token|password)=[^&\s'\"]*")

_fast_dumps: Callable[[Any], bytes] | None
try:
    # Home Assistant ships orjson; the events poll writes its request every second.
    from orjson import dumps as _fast_dumps
except ImportError:  # pragma: no cover - the client also runs without it
    _fast_dumps = None


# Distinct requests whose last answer is kept: the polls' batches (an NVR-16's settings
# take six) and a few one-off reads after writes.
REMEMBERED_ANSWERS = 16
_NOT_KEPT = object()


def encode_body(body: Any) -> bytes:
    """A request body as compact JSON, non-ASCII text escaped (`\\u00e9`) as json.dumps does.

    Escaped text is what devices have always received, so bodies orjson would write
    otherwise (non-ASCII text, keys that are not strings) go through json. Only floats
    may be written differently: 1e16 for 1e+16, null for NaN (which JSON lacks).
    """
    if _fast_dumps is not None:
        with contextlib.suppress(TypeError):
            data = _fast_dumps(body)
            if data.isascii():
                return data
    return json.dumps(body, separators=(",", ":")).encode()


def normalize_fingerprint(fingerprint: str) -> str:
    """64 lowercase hex characters, accepting the colon-separated form."""
    cleaned = fingerprint.replace(":", "").strip().lower()
    if len(cleaned) != 64 or any(c not in "0123456789abcdef" for c in cleaned):
        raise ValueError("certificate fingerprint must be a SHA-256 digest in hex")
    return cleaned


class Redactor:
    """Removes tokens and the password from text that may reach a log or an exception."""

    def __init__(self, password: str) -> None:
        self._password = password

    def __repr__(self) -> str:
        return "Redactor()"

    def __call__(self, text: str) -> str:
        text = _SECRET_QUERY.sub(r"\1=***", text)
        if len(self._password) >= 3:
            text = text.replace(self._password, "***")
        return text

    def excerpt(self, body: bytes | str) -> str:
        """A short, redacted, printable start of a body."""
        text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
        short = " ".join(text[: EXCERPT_LENGTH * 2].split())[:EXCERPT_LENGTH]
        return self(clean_text(short))


@dataclass(frozen=True, slots=True)
class ByteRange:
    """One `bytes=first-last` range (inclusive); `first` None asks for the last `last` bytes."""

    first: int | None
    last: int | None

    @classmethod
    def parse(cls, header: str | None) -> ByteRange | None:
        """None for no Range header or a multi-part one (answered in full).

        Raises ValueError for a malformed or unsatisfiable single range.
        """
        if header is None or "," in header:
            return None
        match = RANGE_REQUEST.match(header.strip())
        if match is None or match.group(1) == match.group(2) == "":
            raise ValueError(header)
        first = int(match.group(1)) if match.group(1) else None
        last = int(match.group(2)) if match.group(2) else None
        if first is not None and last is not None and last < first:
            raise ValueError(header)
        if first is None and last == 0:
            raise ValueError(header)
        return cls(first, last)

    def header(self) -> str:
        """The value of a Range request header."""
        first = "" if self.first is None else str(self.first)
        last = "" if self.last is None else str(self.last)
        return f"bytes={first}-{last}"

    def is_whole_file(self) -> bool:
        """`bytes=0-`: what players send first, answerable without knowing the size."""
        return self.first == 0 and self.last is None

    def bounds(self, size: int) -> tuple[int, int] | None:
        """Inclusive (first, last) within a file of `size` bytes; None if unsatisfiable."""
        if self.first is None:
            assert self.last is not None
            return (max(0, size - self.last), size - 1) if size else None
        if self.first >= size:
            return None
        last = size - 1 if self.last is None else min(self.last, size - 1)
        return self.first, last


def size_ceiling(listed_size: int | None) -> int:
    """The most a file answer may bring: twice the listed size and room to grow."""
    if listed_size is None or listed_size <= 0:
        return MAX_FILE_BYTES
    return min(2 * listed_size + FILE_GROWTH_BYTES, MAX_FILE_BYTES)


class FileAnswer:
    """An open Download/Playback answer (3.6.6, 3.6.8): what it holds, then its bytes.

    `status` is 200 (the whole file, also when the device ignored a Range header),
    206 (the part from `first_byte`) or 416 (nothing; `size` may still be known).
    Iterating yields the body in chunks of at most `chunk_size` bytes; `received`
    counts what was read from the device so far.
    """

    def __init__(
        self,
        response: aiohttp.ClientResponse,
        transport: Transport,
        chunk_size: int,
        peeked: bytes = b"",
        listed_size: int | None = None,
    ) -> None:
        self.status = response.status
        self.content_type = response.content_type
        self.chunk_size = chunk_size
        self.ceiling = size_ceiling(listed_size)
        self.received = 0
        self._waited = 0.0  # waiting for the device since the last STALL_BYTES arrived
        self._progress_mark = 0
        self.first_byte = 0
        self.length: int | None = None
        self.size: int | None = None
        self._response = response
        self._transport = transport
        self._pending = peeked
        self._read_headers(response)

    def __repr__(self) -> str:
        return f"FileAnswer(status={self.status}, first_byte={self.first_byte}, size={self.size})"

    @property
    def partial(self) -> bool:
        """The device answered only the requested part."""
        return self.status == 206

    @property
    def satisfiable(self) -> bool:
        """False when the device found the range outside the file."""
        return self.status != 416

    @property
    def last_byte(self) -> int | None:
        """Offset of the answer's last byte, when its length is known."""
        return None if self.length is None else self.first_byte + self.length - 1

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> bytes:
        if not self.satisfiable:
            raise StopAsyncIteration
        chunk, self._pending = self._pending, b""
        if not chunk:
            with self._transport.translate_errors():
                chunk = await self._read_within_stall_limit()
        if not chunk:
            raise StopAsyncIteration
        self.received += len(chunk)
        if self.received > self.ceiling:
            raise ReolinkTooLargeError(
                f"the device sent more than the {self.ceiling} bytes this file can have"
            )
        if self.received - self._progress_mark >= STALL_BYTES:
            self._progress_mark, self._waited = self.received, 0.0
        return chunk

    async def _read_within_stall_limit(self) -> bytes:
        loop = asyncio.get_running_loop()
        started = loop.time()
        limit = self._transport.stall_seconds
        try:
            async with asyncio.timeout(limit - self._waited):
                return await self._response.content.read(self.chunk_size)
        except TimeoutError:
            raise ReolinkStalledError(
                f"transfer stalled: less than {STALL_BYTES} bytes in {limit:g} s"
            ) from None
        finally:
            self._waited += loop.time() - started

    def _read_headers(self, response: aiohttp.ClientResponse) -> None:
        if self.status == 200:
            self.length = self.size = response.content_length
            return
        match = CONTENT_RANGE.match(response.headers.get("Content-Range", "").strip())
        if match is not None and match.group(3) != "*":
            self.size = int(match.group(3))
        if self.status == 416:
            self.length = 0
            return
        if match is None or match.group(1) is None or int(match.group(2)) < int(match.group(1)):
            raise ReolinkResponseError("HTTP 206 without a byte span in Content-Range")
        self.first_byte = int(match.group(1))
        self.length = int(match.group(2)) - self.first_byte + 1


class Transport:
    """Sends requests to one device and maps every failure to a typed error."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        base_url: str,
        *,
        ssl_option: bool | aiohttp.Fingerprint,
        timeout: float,
        redactor: Redactor,
        stall_seconds: float = STALL_SECONDS,
    ) -> None:
        self._session = session
        self.stall_seconds = stall_seconds
        self._url = base_url + API_PATH
        self._ssl = ssl_option
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        # A recording takes as long as its reader wants; only a stalled device is an error.
        self._stream_timeout = aiohttp.ClientTimeout(total=None, connect=timeout, sock_read=timeout)
        self.redactor = redactor
        self.https = base_url.startswith("https")
        self._seen_ssl_object: object = None
        self.peer_fingerprint: str | None = None
        # Request body -> (digest of the answer, decoded answer) of the latest requests,
        # oldest first; a digest, not the bytes: an NVR's settings answers are large.
        self._last_answers: dict[bytes, tuple[bytes, Any]] = {}

    def __repr__(self) -> str:
        return f"Transport({self._url!r})"

    async def post_json(self, query: Mapping[str, str], body: Any) -> Any:
        """POST a JSON command array and return the decoded answer.

        Once a request has been sent before, an answer byte for byte the same as the last
        one to it (most polls at rest) is not decoded again: the earlier result is
        returned, the very same objects, which callers must not change.
        """
        data = encode_body(body)
        raw = await self._post_raw(query, data, {"Content-Type": "application/json"})
        return self._decode_unless_repeated(data, raw)

    async def post_file(
        self, query: Mapping[str, str], field: str, file_name: str, data: bytes
    ) -> Any:
        """POST one file (or a piece of it) as multipart form data, as 3.1.11 Upgrade takes it."""
        with aiohttp.MultipartWriter("form-data") as form:
            part = form.append(data)
            part.set_content_disposition(
                "form-data", name=field, filename=file_name, quote_fields=False
            )
            part.headers[aiohttp.hdrs.CONTENT_TYPE] = "application/octet-stream"
            raw = await self._post_raw(query, form)
        return self.decode(raw)

    async def _post_raw(
        self,
        query: Mapping[str, str],
        data: bytes | aiohttp.MultipartWriter,
        headers: Mapping[str, str] | None = None,
    ) -> bytes:
        """POST to the API and return the answer's body once its status is 200."""
        with self.translate_errors():
            async with self._session.post(
                self._url,
                params=query,
                data=data,
                headers=headers,
                ssl=self._ssl,
                timeout=self._timeout,
                allow_redirects=False,
            ) as response:
                self._remember_certificate(response)
                raw = await read_limited(response)
                self._check_status(response, raw)
        return raw

    def _decode_unless_repeated(self, request: bytes, raw: bytes) -> Any:
        digest = hashlib.blake2b(raw, digest_size=16).digest()
        last = self._last_answers.pop(request, None)
        if last is not None and last[0] == digest and last[1] is not _NOT_KEPT:
            decoded = last[1]
        else:
            decoded = self.decode(raw)
        # A request sent once so far (login, setup reads, a write) keeps only the digest:
        # a device with few distinct requests would otherwise hold those answers for good.
        self._last_answers[request] = (digest, decoded if last is not None else _NOT_KEPT)
        if len(self._last_answers) > REMEMBERED_ANSWERS:
            del self._last_answers[next(iter(self._last_answers))]
        return decoded

    @asynccontextmanager
    async def get(
        self,
        query: Mapping[str, str],
        headers: Mapping[str, str] | None = None,
        statuses: Collection[int] = (200,),
        *,
        streamed: bool = True,
    ) -> AsyncIterator[aiohttp.ClientResponse]:
        """GET for binary answers (Snap, Download, Playback).

        A streamed answer (a recording) may take as long as its reader wants, with only
        a stall being an error; any other (a picture) has the request timeout in all,
        one timer where a stall check re-arms one for each piece read.

        Only opening the answer is translated to typed errors: reads of the body go
        through `translate_errors` at the reader, and whatever the caller's own code
        raises meanwhile (a player that went away) passes through unchanged.
        Leaving early closes the connection instead of reading the rest.
        """
        with self.translate_errors():
            response = await self._session.get(
                self._url,
                params=query,
                headers=headers,
                ssl=self._ssl,
                timeout=self._stream_timeout if streamed else self._timeout,
                allow_redirects=False,
            )
        try:
            with self.translate_errors():
                self._remember_certificate(response)
                if response.status not in statuses:
                    self._check_status(response, await read_limited(response))
            yield response
        finally:
            _close_unfinished(response)
            response.release()

    async def probe_certificate(self, host: str, port: int) -> str | None:
        """Read the device certificate over a bare TLS handshake.

        aiohttp hands the connection back to its pool as soon as a short answer is read,
        so the response cannot always show which certificate was presented.
        """
        context = _unverified_context()
        with contextlib.suppress(OSError, TimeoutError, ssl.SSLError):
            async with asyncio.timeout(self._timeout.total):
                _reader, writer = await asyncio.open_connection(host, port, ssl=context)
            try:
                certificate = writer.get_extra_info("ssl_object").getpeercert(binary_form=True)
            finally:
                writer.close()
                with contextlib.suppress(OSError, ssl.SSLError):
                    await writer.wait_closed()
            if certificate:
                self.peer_fingerprint = hashlib.sha256(certificate).hexdigest()
        return self.peer_fingerprint

    def decode(self, raw: bytes) -> Any:
        """Parse a JSON answer within limits and with clean strings (see `decode_json`)."""
        return decode_json(raw, self.redactor)

    def _check_status(self, response: aiohttp.ClientResponse, raw: bytes) -> None:
        if 300 <= response.status < 400:
            raise ReolinkRedirectError(
                f"HTTP {response.status}: the device redirects its API elsewhere, "
                "which Reolink devices never do; not followed"
            )
        if response.status != 200:
            raise ReolinkResponseError(
                f"HTTP {response.status} {response.reason or ''}".rstrip()
                + f": {self.redactor.excerpt(raw)!r}"
            )

    def _remember_certificate(self, response: aiohttp.ClientResponse) -> None:
        if not self.https or response.connection is None:
            return
        transport = response.connection.transport
        ssl_object = transport.get_extra_info("ssl_object") if transport else None
        if ssl_object is None or ssl_object is self._seen_ssl_object:
            return
        certificate = ssl_object.getpeercert(binary_form=True)
        if certificate:
            self._seen_ssl_object = ssl_object
            self.peer_fingerprint = hashlib.sha256(certificate).hexdigest()

    @contextmanager
    def translate_errors(self) -> Iterator[None]:
        """Map aiohttp/asyncio/ssl failures to the client's exceptions, without secrets."""
        try:
            yield
        except ReolinkError:
            raise
        except aiohttp.ServerFingerprintMismatch as err:
            raise ReolinkCertificateError(
                f"certificate fingerprint mismatch: expected {err.expected.hex()}, "
                f"got {err.got.hex()}"
            ) from None
        except (aiohttp.ClientConnectorCertificateError, ssl.SSLCertVerificationError) as err:
            raise ReolinkCertificateError(f"certificate refused: {self._describe(err)}") from None
        except (aiohttp.ClientSSLError, ssl.SSLError) as err:
            raise ReolinkTlsError(f"TLS handshake failed: {self._describe(err)}") from None
        except TimeoutError:
            raise ReolinkTimeoutError(f"no answer within {self._timeout.total} s") from None
        except aiohttp.ClientResponseError as err:
            raise ReolinkResponseError(f"HTTP {err.status} {err.message}") from None
        except (aiohttp.ClientError, OSError) as err:
            raise ReolinkConnectionError(f"connection failed: {self._describe(err)}") from None

    def _describe(self, err: BaseException) -> str:
        return f"{type(err).__name__}: {self.redactor(str(err))}"


def decode_json(raw: bytes, redactor: Redactor) -> Any:
    """Parse a JSON answer within limits and with clean strings (see `sanitize`).

    Reports what arrived instead when it is not JSON.
    """
    try:
        return decode_answer(raw)
    except ValueError:
        raise ReolinkResponseError(f"answer is not JSON: {redactor.excerpt(raw)!r}") from None


async def read_limited(
    response: aiohttp.ClientResponse, limit: int = MAX_ANSWER_BYTES, start: bytes = b""
) -> bytes:
    """An answer's body (`start`: what was read of it already), refused beyond `limit` bytes.

    Checked while reading, so a device cannot make Home Assistant hold an
    answer of any size in memory (Content-Length may be absent or wrong).
    """
    declared = response.content_length
    if declared is not None and declared > limit:
        response.close()
        raise ReolinkResponseError(
            f"answer of {declared} bytes is larger than the {limit} bytes allowed"
        )
    # Pieces joined once at the end: one copy of the answer, where a growing buffer is
    # copied each time it outgrows its block and once more into bytes.
    pieces, size = [start], len(start)
    while piece := await response.content.read(READ_PIECE):
        size += len(piece)
        if size > limit:
            response.close()
            raise ReolinkResponseError(f"answer is larger than the {limit} bytes allowed")
        pieces.append(piece)
    return b"".join(pieces)


def _close_unfinished(response: aiohttp.ClientResponse) -> None:
    """Drop the connection of an answer the caller stopped reading.

    Handing it back to the pool would mean reading the rest of a recording first.
    """
    if not response.content.at_eof():
        response.close()


def _unverified_context() -> ssl.SSLContext:
    """A client context that accepts any certificate, only to read it.

    Built without loading the system CA store: that is slow file I/O which must
    not happen inside an event loop, and the handshake verifies nothing anyway.
    """
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context
