"""Detection pictures that survive a restart, within a fixed count and size.

The JPEGs are files in `.storage/reolink_http_pictures/<entry id>/` (named by a random
ID, never by anything the device sent); an index in Home Assistant's storage says which
picture is which. Per channel and kind the newest PICTURES_PER_KIND are kept, and all of
an entry's files together stay below MAX_STORED_BYTES (the oldest go first). Only the
newest picture of each channel is held in memory.
"""

import asyncio
import logging
import shutil
import uuid
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Final

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.storage import STORAGE_DIR, Store
from homeassistant.util import dt as dt_util

from .const import DOMAIN

_LOGGER = logging.getLogger(__name__)

PICTURES_PER_KIND: Final = 10
# A 4K JPEG is a few MiB; a larger answer is shown but not kept.
MAX_PICTURE_BYTES: Final = 8 * 1024 * 1024
MAX_STORED_BYTES: Final = 64 * 1024 * 1024
STORAGE_VERSION: Final = 1
SAVE_DELAY: Final = 2.0


@dataclass(frozen=True, slots=True)
class DetectionPicture:
    """A picture taken when a detection started."""

    channel_key: str
    kind: str
    at: datetime
    image: bytes

    def again(self, kind: str, at: datetime) -> DetectionPicture:
        """The same picture for another detection (within the one-Snap-a-second window)."""
        return replace(self, kind=kind, at=at)


@dataclass(frozen=True, slots=True)
class StoredPicture:
    """Index entry of one kept picture."""

    channel_key: str
    kind: str
    at: datetime
    file: str
    size: int

    def as_dict(self) -> dict[str, Any]:
        """JSON for the index."""
        return {
            "channel_key": self.channel_key,
            "kind": self.kind,
            "at": self.at.isoformat(),
            "file": self.file,
            "size": self.size,
        }

    @classmethod
    def from_dict(cls, data: Any) -> StoredPicture | None:
        """One index entry; None when it is not one we wrote."""
        if not isinstance(data, dict):
            return None
        try:
            at = dt_util.parse_datetime(str(data["at"]))
            file, size = str(data["file"]), int(data["size"])
            channel_key, kind = str(data["channel_key"]), str(data["kind"])
        except (KeyError, TypeError, ValueError):
            return None
        if at is None or at.tzinfo is None or not _is_our_file(file):
            return None
        return cls(channel_key, kind, at, file, size)


def _is_our_file(name: str) -> bool:
    stem, dot, suffix = name.partition(".")
    return dot == "." and suffix == "jpg" and len(stem) == 32 and stem.isalnum()


class DetectionStore:
    """Kept pictures of one entry, oldest first."""

    def __init__(self, hass: HomeAssistant, entry_id: str) -> None:
        """Nothing is read before async_load."""
        self.hass = hass
        self.folder = Path(hass.config.path(STORAGE_DIR, f"{DOMAIN}_pictures", entry_id))
        self._index: Store[dict[str, Any]] = Store(
            hass, STORAGE_VERSION, f"{DOMAIN}.pictures.{entry_id}"
        )
        self._pictures: list[StoredPicture] = []
        self._latest: dict[str, DetectionPicture] = {}
        self._disk = asyncio.Lock()

    async def async_load(self) -> None:
        """Read the index, forgetting entries whose file is gone."""
        data = await self._index.async_load() or {}
        listed = data.get("pictures") if isinstance(data, dict) else None
        records = [
            record
            for item in (listed if isinstance(listed, list) else [])
            if (record := StoredPicture.from_dict(item)) is not None
        ]
        present = await self.hass.async_add_executor_job(self._present, [r.file for r in records])
        self._pictures = sorted((r for r in records if r.file in present), key=lambda r: r.at)

    def _present(self, files: list[str]) -> set[str]:
        return {name for name in files if (self.folder / name).is_file()}

    @property
    def pictures(self) -> list[StoredPicture]:
        """Every kept picture, oldest first."""
        return list(self._pictures)

    @property
    def stored_bytes(self) -> int:
        """What the kept pictures weigh on disk."""
        return sum(record.size for record in self._pictures)

    def latest(self, channel_key: str) -> StoredPicture | DetectionPicture | None:
        """The channel's newest picture: taken since start, else the newest kept one."""
        if (picture := self._latest.get(channel_key)) is not None:
            return picture
        return next((r for r in reversed(self._pictures) if r.channel_key == channel_key), None)

    def near(self, channel_key: str, moment: datetime, within: timedelta) -> StoredPicture | None:
        """The kept picture of the channel closest to `moment`, if one is within `within`."""
        candidates = [
            record
            for record in self._pictures
            if record.channel_key == channel_key and abs(record.at - moment) <= within
        ]
        return min(candidates, key=lambda r: abs(r.at - moment), default=None)

    def kept(self, file: str) -> StoredPicture | None:
        """The kept picture stored under this file name."""
        return next((record for record in self._pictures if record.file == file), None)

    async def async_image(self, picture: StoredPicture | DetectionPicture) -> bytes | None:
        """The JPEG of a picture (read from disk for kept ones)."""
        if isinstance(picture, DetectionPicture):
            return picture.image
        return await self.hass.async_add_executor_job(self._read, picture.file)

    def _read(self, name: str) -> bytes | None:
        try:
            return (self.folder / name).read_bytes()
        except OSError:
            return None

    @callback
    def add(self, picture: DetectionPicture) -> None:
        """Show `picture` as the channel's newest and keep it, dropping what exceeds the limits."""
        self._latest[picture.channel_key] = picture
        if len(picture.image) > MAX_PICTURE_BYTES:
            _LOGGER.debug("Detection picture of %d bytes not kept", len(picture.image))
            return
        name = f"{uuid.uuid4().hex}.jpg"
        record = StoredPicture(
            picture.channel_key, picture.kind, picture.at, name, len(picture.image)
        )
        self._pictures.append(record)
        dropped = self._over_limits()
        kept = {r.file for r in self._pictures}
        self.hass.async_create_background_task(
            self._write(name, picture.image, dropped, kept), "reolink_http detection picture"
        )
        self._index.async_delay_save(self._data, SAVE_DELAY)

    def _over_limits(self) -> list[str]:
        """Drop the oldest beyond PICTURES_PER_KIND per channel and kind, then by total size."""
        counts: dict[tuple[str, str], int] = {}
        kept: list[StoredPicture] = []
        dropped: list[str] = []
        for record in reversed(self._pictures):
            slot = (record.channel_key, record.kind)
            counts[slot] = counts.get(slot, 0) + 1
            if counts[slot] <= PICTURES_PER_KIND:
                kept.append(record)
            else:
                dropped.append(record.file)
        kept.reverse()
        while sum(r.size for r in kept) > MAX_STORED_BYTES:
            dropped.append(kept.pop(0).file)
        self._pictures = kept
        return dropped

    async def _write(self, name: str, image: bytes, dropped: list[str], kept: set[str]) -> None:
        # One job at a time, so a picture is never removed before it was written.
        async with self._disk:
            await self.hass.async_add_executor_job(self._write_files, name, image, dropped, kept)

    def _write_files(self, name: str, image: bytes, dropped: list[str], kept: set[str]) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            if name in kept:
                temporary = self.folder / f"{name}.part"
                temporary.write_bytes(image)
                temporary.replace(self.folder / name)
            for old in dropped:
                (self.folder / old).unlink(missing_ok=True)
        except OSError as err:
            _LOGGER.warning("Cannot keep detection picture in %s: %s", self.folder, err)

    def _data(self) -> dict[str, Any]:
        return {"pictures": [record.as_dict() for record in self._pictures]}

    async def async_flush(self) -> None:
        """Write what is pending now (unload): the next load must find every picture."""
        async with self._disk:
            await self._index.async_save(self._data())

    async def async_remove(self) -> None:
        """Delete every kept picture and the index (the entry was removed)."""
        await self._index.async_remove()
        await self.hass.async_add_executor_job(
            lambda: shutil.rmtree(self.folder, ignore_errors=True)
        )
