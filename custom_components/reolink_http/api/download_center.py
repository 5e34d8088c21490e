"""Reolink's download center (reolink.com): the newest firmware of a camera, and its file.

An NVR reports each camera's model, hardware version and firmware (GetChnTypeInfo) but
checks none online; the download center's WordPress API lists the firmware of every
model and hardware version (the same requests reolink_aio 0.22.0 makes in
`_check_reolink_firmware`). Nothing it sends is trusted: answers are size-capped and
sanitized like a device's, a firmware file is streamed to a temporary file under a hard
size cap, and its `.pak` is taken out of the zip only within that cap. File work runs in
threads, never in the event loop.
"""

import asyncio
import lzma
import re
import shutil
import tempfile
import zipfile
import zlib
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO, Self

import aiohttp

from .exceptions import (
    ReolinkDownloadCenterError,
    ReolinkFirmwareTooLargeError,
    ReolinkNotFirmwareError,
    ReolinkResponseError,
)
from .sanitize import MAX_NAME, bounded_list, clean_name, clean_text
from .transport import Redactor, Transport, decode_json, read_limited

DOWNLOAD_CENTER_URL = "https://reolink.com"
# Where a person finds the same files (the update entity's release URL).
RELEASE_URL = "https://reolink.com/download-center/"
SELECTION_PATH = "/wp-json/reo-v2/download/hardware-version/selection-list"
FIRMWARE_PATH = "/wp-json/reo-v2/download/firmware/"
# A camera's firmware zip is tens of MB (an NVR's about 100); nothing real comes near this.
MAX_FIRMWARE_BYTES = 256 * 1024 * 1024
LOOKUP_TIMEOUT = 30.0
# The whole download; a stalled one fails sooner (no byte for STALL_SECONDS).
DOWNLOAD_TIMEOUT = 20 * 60.0
STALL_SECONDS = 60.0
MAX_REDIRECTS = 3
PIECE = 64 * 1024
# Models and hardware versions the site lists: a few thousand at most.
MAX_HARDWARE_VERSIONS = 20_000
MAX_RELEASES = 200
FIRMWARE_TYPES = frozenset(
    {"application/octet-stream", "application/zip", "application/x-zip-compressed"}
)
FIRMWARE_SUFFIXES = (".pak", ".paks")
# The NVR reads the piece names as `<name>&<id>&<piece>&<size>`: a name must not hold `&`.
_SAFE_NAME = re.compile(r"^[A-Za-z0-9._+-]{1,128}$")
_VERSION = re.compile(r"^v?(\d+)\.(\d+)\.(\d+)\.(\d+)(?:_(\d+))?(?:_(\d+))?", re.IGNORECASE)
# ASCII and full-width parentheses, as the site writes both.
_PARENTHESES = re.compile("\\(.*?\\)|\uff08.*?\uff09")
# The download center's requests carry no password: nothing to hide in an excerpt.
_NOTHING_SECRET = Redactor("")

# What zipfile raises for a damaged or odd zip: a name flagged UTF-8 that is not
# (UnicodeDecodeError, a ValueError), damaged LZMA data, an encrypted member (RuntimeError).
_NOT_A_ZIP = (
    zipfile.BadZipFile,
    zlib.error,
    lzma.LZMAError,
    EOFError,
    NotImplementedError,
    RuntimeError,
    ValueError,
)

type Progress = Callable[[int, int | None], None]


@dataclass(frozen=True, slots=True)
class FirmwareVersion:
    """A Reolink firmware version, `v3.1.0.4000_25010100`: numbers and build date."""

    numbers: tuple[int, int, int, int]
    # The build date (yymmddNN) when the version carries one.
    date: str | None

    @classmethod
    def parse(cls, text: str) -> Self | None:
        """None for text that is not a Reolink version."""
        match = _VERSION.match(text.strip())
        if match is None:
            return None
        major, middle, minor, build = (int(match.group(i)) for i in range(1, 5))
        date = match.group(6) or match.group(5)
        return cls((major, middle, minor, build), date)

    def newer_than(self, other: FirmwareVersion) -> bool:
        """Later build date when both carry one of the same form, else higher numbers."""
        dated = self.date and other.date and len(self.date) == len(other.date)
        if dated and self.date != other.date:
            return str(self.date) > str(other.date)
        return self.numbers > other.numbers


def is_newer(candidate: str, installed: str) -> bool:
    """Whether `candidate` is a newer firmware than `installed`; unreadable ones are not."""
    new, old = FirmwareVersion.parse(candidate), FirmwareVersion.parse(installed)
    return new is not None and old is not None and new.newer_than(old)


def model_key(title: str) -> str:
    """A model or hardware title as compared: without parenthesised parts and spaces.

    The site writes e.g. `RLC-810A (PoE)` where the camera says `RLC-810A`.
    """
    return _PARENTHESES.sub("", title).replace(" ", "").casefold()


@dataclass(frozen=True, slots=True)
class HardwareVersion:
    """One model and hardware version the download center lists."""

    hardware_id: int
    hardware: str
    product_id: int
    model: str

    def matches(self, model: str, hardware: str) -> bool:
        """The camera's model (typeInfo) and hardware version (boardInfo) are this one."""
        return model_key(self.model) == model_key(model) and model_key(self.hardware) == model_key(
            hardware
        )


@dataclass(frozen=True, slots=True)
class FirmwareRelease:
    """One firmware the download center offers: version, file URL and release notes."""

    version: str
    url: str
    notes: str


@dataclass(frozen=True, slots=True)
class FirmwareFile:
    """A firmware file (`.pak`) taken out of a download, in a temporary folder."""

    path: Path
    name: str
    size: int

    async def pieces(self, size: int) -> AsyncIterator[bytes]:
        """The file in pieces of `size` bytes, read in a thread."""
        handle = await asyncio.to_thread(self.path.open, "rb")
        try:
            while piece := await asyncio.to_thread(handle.read, size):
                yield piece
        finally:
            await asyncio.to_thread(handle.close)


def find_hardware(
    selection: tuple[HardwareVersion, ...], model: str, hardware: str
) -> HardwareVersion | None:
    """The entry of a camera's model and hardware version, None when the site lacks it."""
    if not model or not hardware:
        return None
    return next((entry for entry in selection if entry.matches(model, hardware)), None)


def newest(releases: tuple[FirmwareRelease, ...]) -> FirmwareRelease | None:
    """The release with the newest readable version."""
    best: tuple[FirmwareVersion, FirmwareRelease] | None = None
    for release in releases:
        version = FirmwareVersion.parse(release.version)
        if version is not None and (best is None or version.newer_than(best[0])):
            best = (version, release)
    return None if best is None else best[1]


def parse_hardware_versions(raw: bytes) -> tuple[HardwareVersion, ...]:
    """The models and hardware versions of a selection-list answer."""
    entries = bounded_list(
        "hardware versions (download center)", answer_data(raw), MAX_HARDWARE_VERSIONS
    )
    found: list[HardwareVersion] = []
    for entry in entries:
        product = _as_map(_as_map(entry).get("dlProduct"))
        parsed = _hardware_version(_as_map(entry), product)
        if parsed is not None:
            found.append(parsed)
    return tuple(found)


def parse_releases(raw: bytes, entry: HardwareVersion) -> tuple[FirmwareRelease, ...]:
    """The firmware of a firmware-list answer for `entry`.

    Releases the site files under another model or hardware version are left out.
    """
    data = answer_data(raw)
    firmwares = _as_list(_as_map(data[0]).get("firmwares")) if data else []
    found: list[FirmwareRelease] = []
    for item in bounded_list("firmware releases (download center)", firmwares, MAX_RELEASES):
        release = _release(_as_map(item), entry)
        if release is not None:
            found.append(release)
    return tuple(found)


def answer_data(raw: bytes) -> list[Any]:
    """The `data` list of a JSON answer; every answer that is not one is a typed error."""
    with _as_center_error():
        answer = _as_map(decode_json(raw, _NOTHING_SECRET))
    code = _as_map(answer.get("result")).get("code")
    if type(code) is not int or code != 0:  # False and 0.0 equal 0 but are not its answer
        raise ReolinkDownloadCenterError(f"the download center answered code {code!r}")
    data = answer.get("data")
    if not isinstance(data, list):
        raise ReolinkDownloadCenterError("the download center answered without a data list")
    return data


@contextmanager
def _as_center_error() -> Iterator[None]:
    """Too large, not JSON, too deep (sanitize's and the transport's checks): the center's."""
    try:
        yield
    except ReolinkResponseError as err:
        raise ReolinkDownloadCenterError(f"the download center's {err}") from None


class DownloadCenter:
    """Client of reolink.com's download API; `base_url` points elsewhere in tests."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        base_url: str = DOWNLOAD_CENTER_URL,
        *,
        timeout: float = LOOKUP_TIMEOUT,
        download_timeout: float = DOWNLOAD_TIMEOUT,
        stall_seconds: float = STALL_SECONDS,
        max_firmware_bytes: int = MAX_FIRMWARE_BYTES,
    ) -> None:
        self._session = session
        self.base_url = base_url.rstrip("/")
        self.max_firmware_bytes = max_firmware_bytes
        self._lookup_timeout = aiohttp.ClientTimeout(total=timeout)
        self._download_timeout = aiohttp.ClientTimeout(
            total=download_timeout, sock_connect=timeout, sock_read=stall_seconds
        )
        # Failures map to the client's errors in one place, the transport's.
        self._lookup = Transport(
            session, self.base_url, ssl_option=True, timeout=timeout, redactor=_NOTHING_SECRET
        )
        self._download = Transport(
            session, self.base_url, ssl_option=True, timeout=stall_seconds, redactor=_NOTHING_SECRET
        )

    def __repr__(self) -> str:
        return f"DownloadCenter({self.base_url!r})"

    async def hardware_versions(self) -> tuple[HardwareVersion, ...]:
        """Every model and hardware version the site lists (one request)."""
        return parse_hardware_versions(await self._get_json(SELECTION_PATH, {}))

    async def releases(self, entry: HardwareVersion) -> tuple[FirmwareRelease, ...]:
        """The firmware listed for one model and hardware version (one request)."""
        query = {
            "dlProductId": str(entry.product_id),
            "hardwareVersion": str(entry.hardware_id),
            "lang": "en",
        }
        return parse_releases(await self._get_json(FIRMWARE_PATH, query), entry)

    async def _get_json(self, path: str, query: Mapping[str, str]) -> bytes:
        with _as_center_error():
            return await self._read_json(path, query)

    async def _read_json(self, path: str, query: Mapping[str, str]) -> bytes:
        with self._lookup.translate_errors():
            async with self._session.get(
                self.base_url + path,
                params=query,
                timeout=self._lookup_timeout,
                max_redirects=MAX_REDIRECTS,
            ) as response:
                _check_status(response)
                if response.content_type != "application/json":
                    kind = clean_name(response.content_type)
                    raise ReolinkDownloadCenterError(
                        f"the download center answered {kind}, not JSON"
                    )
                return await read_limited(response)

    @asynccontextmanager
    async def download(
        self, release: FirmwareRelease, progress: Progress | None = None
    ) -> AsyncIterator[FirmwareFile]:
        """Download the release's file and take its `.pak` out; removed on leaving.

        Raises ReolinkFirmwareTooLargeError past `max_firmware_bytes` (declared or
        received), ReolinkNotFirmwareError for anything but a zip holding a `.pak`,
        and the transport's errors for the network.
        """
        folder = Path(await asyncio.to_thread(tempfile.mkdtemp, prefix="reolink_http-firmware-"))
        try:
            archive = folder / "download.zip"
            await self._fetch(release.url, archive, progress)
            yield await asyncio.to_thread(
                extract_firmware, archive, folder, self.max_firmware_bytes
            )
        finally:
            await asyncio.to_thread(shutil.rmtree, folder, True)

    async def _fetch(self, url: str, target: Path, progress: Progress | None) -> None:
        if not url.startswith(("https://", "http://")):
            raise ReolinkDownloadCenterError("the firmware's address is not a web address")
        handle = await asyncio.to_thread(target.open, "wb")
        try:
            with self._download.translate_errors():
                async with self._session.get(
                    url, timeout=self._download_timeout, max_redirects=MAX_REDIRECTS
                ) as response:
                    _check_status(response)
                    if response.content_type not in FIRMWARE_TYPES:
                        kind = clean_name(response.content_type)
                        raise ReolinkNotFirmwareError(
                            f"the download is {kind}, not a firmware file"
                        )
                    total = response.content_length
                    self._check_size(total or 0)
                    await self._copy(response, handle, total, progress)
        finally:
            await asyncio.to_thread(handle.close)

    async def _copy(
        self,
        response: aiohttp.ClientResponse,
        handle: BinaryIO,
        total: int | None,
        progress: Progress | None,
    ) -> None:
        received = 0
        while piece := await response.content.read(PIECE):
            received += len(piece)
            self._check_size(received)
            await asyncio.to_thread(handle.write, piece)
            if progress is not None:
                progress(received, total)

    def _check_size(self, size: int) -> None:
        if size > self.max_firmware_bytes:
            raise ReolinkFirmwareTooLargeError(
                f"the firmware download is larger than the {self.max_firmware_bytes} bytes "
                "any firmware file has"
            )


def extract_firmware(archive: Path, folder: Path, max_bytes: int) -> FirmwareFile:
    """The `.pak` inside a downloaded zip, copied out within `max_bytes` (runs in a thread).

    The size a zip declares for a member is not trusted: bytes are counted as they
    are unpacked, so a zip bomb stops at the cap.
    """
    try:
        with zipfile.ZipFile(archive) as bundle:
            member = next(
                (i for i in bundle.infolist() if i.filename.lower().endswith(FIRMWARE_SUFFIXES)),
                None,
            )
            if member is None:
                raise ReolinkNotFirmwareError("the download holds no firmware file (.pak)")
            if member.file_size > max_bytes:
                raise ReolinkFirmwareTooLargeError(
                    f"the firmware file is larger than the {max_bytes} bytes allowed"
                )
            name = _firmware_name(member.filename)
            target = folder / "firmware.pak"
            size = _unpack(bundle, member, target, max_bytes)
    except _NOT_A_ZIP as err:
        raise ReolinkNotFirmwareError(f"the download is not a firmware zip: {err}") from None
    except OSError as err:
        raise ReolinkDownloadCenterError(f"the firmware could not be unpacked: {err}") from None
    if size == 0:
        raise ReolinkNotFirmwareError("the firmware file in the download is empty")
    return FirmwareFile(target, name, size)


def _unpack(bundle: zipfile.ZipFile, member: zipfile.ZipInfo, target: Path, limit: int) -> int:
    written = 0
    with bundle.open(member) as source, target.open("wb") as sink:
        while piece := source.read(PIECE):
            written += len(piece)
            if written > limit:
                raise ReolinkFirmwareTooLargeError(
                    f"the firmware file unpacks to more than the {limit} bytes allowed"
                )
            sink.write(piece)
    return written


def _firmware_name(path: str) -> str:
    """The file's own name, as the NVR is told it; refused if it could break the upload."""
    name = PurePosixPath(path.replace("\\", "/")).name
    if _SAFE_NAME.match(name) is None:
        raise ReolinkNotFirmwareError(
            f"the firmware file's name is not usable: {clean_name(name)!r}"
        )
    return name


def _check_status(response: aiohttp.ClientResponse) -> None:
    if response.status == 429:
        raise ReolinkDownloadCenterError(
            "the download center's hourly limit is reached (HTTP 429); try again in an hour"
        )
    if response.status != 200:
        reason = clean_name(response.reason)
        raise ReolinkDownloadCenterError(
            f"the download center answered HTTP {response.status} {reason}".rstrip()
        )


def _as_map(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _as_id(value: Any) -> int | None:
    """A positive id: an int, or its decimal text."""
    # ASCII only: str.isdigit() also takes "²", which int() refuses.
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) < 10:
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**31:
        return value
    return None


def _hardware_version(
    entry: Mapping[str, Any], product: Mapping[str, Any]
) -> HardwareVersion | None:
    hardware_id, product_id = _as_id(entry.get("id")), _as_id(product.get("id"))
    hardware, model = clean_name(entry.get("title")), clean_name(product.get("title"))
    if hardware_id is None or product_id is None or not hardware or not model:
        return None
    return HardwareVersion(hardware_id, hardware, product_id, model)


def _release(item: Mapping[str, Any], entry: HardwareVersion) -> FirmwareRelease | None:
    hardware_list = _as_list(item.get("hardwareVersion"))
    listed = _as_map(hardware_list[0]) if hardware_list else {}
    model = clean_name(_as_map(listed.get("dlProduct")).get("title"))
    if not entry.matches(model, clean_name(listed.get("title"))):
        return None
    return release_of(item.get("version"), item.get("url"), item.get("new"))


def release_of(version: object, url: object, notes: object) -> FirmwareRelease | None:
    """A release from the download center's answer or a kept copy of one; None if it is none."""
    name = clean_name(version)
    if FirmwareVersion.parse(name) is None or not isinstance(url, str):
        return None
    if not url.startswith(("https://", "http://")) or len(url) > 2048:
        return None
    text = clean_text(notes) if isinstance(notes, str) else ""
    return FirmwareRelease(name[:MAX_NAME], url, text)
