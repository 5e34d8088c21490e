"""HTTP(S) transport: one POST per batch (2.1 Protocol), binary GETs, error mapping."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import re
import ssl
from collections.abc import AsyncIterator, Iterator, Mapping
from contextlib import asynccontextmanager, contextmanager
from typing import Any

import aiohttp

from .exceptions import (
    ReolinkCertificateError,
    ReolinkConnectionError,
    ReolinkError,
    ReolinkResponseError,
    ReolinkTimeoutError,
)

API_PATH = "/cgi-bin/api.cgi"
EXCERPT_LENGTH = 120
_SECRET_QUERY = re.compile(r"(?i)\b(token|password)=[^&\s'\"]*")


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
        return self(short)


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
    ) -> None:
        self._session = session
        self._url = base_url + API_PATH
        self._ssl = ssl_option
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        # A recording takes as long as its reader wants; only a stalled device is an error.
        self._stream_timeout = aiohttp.ClientTimeout(total=None, connect=timeout, sock_read=timeout)
        self.redactor = redactor
        self.https = base_url.startswith("https")
        self._seen_ssl_object: object = None
        self.peer_fingerprint: str | None = None

    def __repr__(self) -> str:
        return f"Transport({self._url!r})"

    async def post_json(self, query: Mapping[str, str], body: Any) -> Any:
        """POST a JSON command array and return the decoded answer."""
        with self.translate_errors():
            async with self._session.post(
                self._url,
                params=query,
                data=json.dumps(body, separators=(",", ":")),
                headers={"Content-Type": "application/json"},
                ssl=self._ssl,
                timeout=self._timeout,
            ) as response:
                self._remember_certificate(response)
                raw = await response.read()
                self._check_status(response, raw)
        return self.decode(raw)

    @asynccontextmanager
    async def get(self, query: Mapping[str, str]) -> AsyncIterator[aiohttp.ClientResponse]:
        """GET for binary answers (Snap, Download, Playback); errors stay typed inside."""
        with self.translate_errors():
            async with self._session.get(
                self._url, params=query, ssl=self._ssl, timeout=self._stream_timeout
            ) as response:
                self._remember_certificate(response)
                if response.status != 200:
                    self._check_status(response, await response.read())
                yield response

    async def post_form(self, query: Mapping[str, str], form: aiohttp.FormData) -> Any:
        """POST multipart form data (3.1.11 Upgrade) and decode the JSON answer."""
        with self.translate_errors():
            async with self._session.post(
                self._url, params=query, data=form, ssl=self._ssl, timeout=self._timeout
            ) as response:
                raw = await response.read()
                self._check_status(response, raw)
        return self.decode(raw)

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
        """Parse a JSON answer, reporting what arrived instead when it is not JSON."""
        try:
            return json.loads(raw)
        except ValueError:
            raise ReolinkResponseError(
                f"answer is not JSON: {self.redactor.excerpt(raw)!r}"
            ) from None

    def _check_status(self, response: aiohttp.ClientResponse, raw: bytes) -> None:
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
        except (aiohttp.ClientSSLError, ssl.SSLError) as err:
            raise ReolinkCertificateError(f"TLS failed: {self._describe(err)}") from None
        except TimeoutError:
            raise ReolinkTimeoutError(f"no answer within {self._timeout.total} s") from None
        except aiohttp.ClientResponseError as err:
            raise ReolinkResponseError(f"HTTP {err.status} {err.message}") from None
        except (aiohttp.ClientError, OSError) as err:
            raise ReolinkConnectionError(f"connection failed: {self._describe(err)}") from None

    def _describe(self, err: BaseException) -> str:
        return f"{type(err).__name__}: {self.redactor(str(err))}"


def _unverified_context() -> ssl.SSLContext:
    """A client context that accepts any certificate, only to read it.

    Built without loading the system CA store: that is slow file I/O which must
    not happen inside an event loop, and the handshake verifies nothing anyway.
    """
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context
