"""The boundary where device data enters: limits and clean strings for every JSON answer.

Devices are not trusted. JSON allows lone UTF-16 surrogates (`"\\ud800"`, what a name
cut mid-character at a byte limit turns into), control characters and strings of any
length, and some firmware sends bytes that are not UTF-8. Such a string breaks Home
Assistant's state writer and its registries, so every answer passes through
`decode_answer` before any model, entity or log sees it.
"""

import json
import logging
import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from typing import Any

from .exceptions import ReolinkResponseError

_fast_loads: Callable[[bytes], Any]
try:
    # Home Assistant ships orjson; events answers are parsed every second.
    from orjson import loads as _fast_loads
except ImportError:  # pragma: no cover - the client also runs without it
    _fast_loads = json.loads

# Far above any real answer: captured ones are at most about 10 KiB (GetAbility),
# an NVR with many channels repeats its per-channel part, still well below this.
MAX_ANSWER_BYTES = 4 * 1024 * 1024
# Real answers nest about 6 deep (GetAbility: list, element, value, Ability, abilityChn...).
MAX_DEPTH = 32
# Longest string kept from a device. Motion-area tables are long (GetAlarm's
# `scope.table` has one character per grid cell, 4800 on an 80x60 grid); nothing
# legitimate comes near this.
MAX_STRING = 64 * 1024
# Names shown in Home Assistant (device, channel, model, preset names).
MAX_NAME = 64
# Integers beyond 64 bits: no field holds one, and `float()` of a longer one overflows.
_INT_LIMIT = 2**64

# What real hardware has. A number from a device that sizes a loop, a list or a set of
# entities is held to it: one GetDevInfo with `diskNum` 65535 froze Home Assistant for
# minutes (an entity per disk), 2**70 exhausted its memory. Beyond these a count is
# refused and a list cut, logged once (`bounded_count`, `bounded_list`).
# The largest Reolink recorder, the RLN36 (reolink_aio's firmware table), has 36 channels.
MAX_CHANNELS = 36
# Cameras have one SD card, recorders and hubs a few drive bays.
MAX_DISKS = 16
# Guide 3.7.2 SetPtzPreset: preset ids 1-64 (the simulated PTZ cameras list all 64).
MAX_PRESETS = 64
# GetPtzPatrol lists a handful of patrols (6 on the simulated PTZ cameras).
MAX_PATROLS = 16
# A hub or doorbell pairs a few chimes; the rest of a longer (hostile) list is dropped.
MAX_CHIMES = 16
# Logins GetOnline lists: a device holds a few dozen sessions at most (the guide's limit
# message is "max session"; the simulated devices hold 8).
MAX_LOGINS = 64
# Accounts a device holds (the guide's AddUser allows 20; 32 leaves room).
MAX_USERS = 32
# The choices of a `range` (frame rates, bit rates, modes) are a few dozen at most.
MAX_OPTIONS = 64
# Object kinds of GetEvents/GetAiState: people, vehicle, dog_cat, face, package and a few
# newer ones; smart-detection lists are skipped anyway.
MAX_AI_TYPES = 32
# Recordings one Search lists: back-to-back clips of the shortest post-record time
# (15 s) fill a day with 5,760; a search window spans a little more than a day.
MAX_RECORDINGS = 8192
# Months of recording calendars one Search answers (`Status`), and days in a month.
MAX_MONTHS = 24
MAX_DAYS = 31

_LOGGER = logging.getLogger(__name__)
_reported: set[str] = set()
# Findings remembered; a device changing its answer at every poll cannot grow the set.
_MAX_REPORTED = 256

_ZWNJ = "\u200c"
_ZWJ = "\u200d"
_JOINERS = (_ZWNJ, _ZWJ)
_EMOJI_PRESENTATION = "\ufe0f"
# Scripts whose words use ZWNJ/ZWJ: Arabic to Vedic (Arabic, Syriac, the Indic scripts,
# Sinhala, Myanmar, Khmer, Mongolian...), then the smaller Brahmic ones.
_JOINING_SCRIPTS = ((0x0600, 0x1CFF), (0xA800, 0xABFF), (0x11000, 0x11FFF))

# C0 and C1 control characters, DEL, and lone surrogates (valid JSON escapes, invalid text).
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
# In strictly valid JSON text, what can decode to one of those: escapes of control
# characters (short or \u00XX), DEL (JSON allows it unescaped) and C1 characters
# written as UTF-8.
_MAYBE_UNSAFE = re.compile(rb"\\(?:[bfnrt]|u00[0-1]|u007[fF]|u00[89])|\x7f|\xc2[\x80-\x9f]")


def clean_text(text: str, limit: int = MAX_STRING) -> str:
    """Printable, encodable text of at most `limit` characters.

    Whitespace controls (tab, newline) become spaces so words stay apart; every other
    control character and each lone surrogate becomes U+FFFD, which shows that
    something was there.
    """
    if _UNSAFE.search(text) is not None:
        text = _UNSAFE.sub(_replacement, text)
    return text[:limit]


def clean_name(value: object) -> str:
    """A display name from the device: clean, stripped and at most MAX_NAME characters.

    Beyond `clean_text`, invisible format characters go (see `visible_text`), so a
    name shows what it is.
    """
    text = "" if value is None else str(value)
    return clean_text(visible_text(text[:MAX_STRING]), MAX_NAME).strip()


def visible_text(text: str) -> str:
    """Text without Unicode format characters (category Cf), line separators as spaces.

    Format characters are invisible: bidirectional overrides and isolates make a name
    display in another order than it is written (`"\\u202eetaG"` shows as "Gate"),
    zero-width spaces and the BOM make two names that look alike differ. Only the
    joiners that shape legitimate text stay (`_shapes_text`).
    """
    if text.isascii():
        return text  # ASCII holds no format characters; controls are clean_text's part
    kept: list[str] = []
    for index, char in enumerate(text):
        category = unicodedata.category(char)
        if category in ("Zl", "Zp"):
            kept.append(" ")
        elif category != "Cf" or _shapes_text(text, index):
            kept.append(char)
    return "".join(kept)


def _shapes_text(text: str, index: int) -> bool:
    """A joiner (ZWNJ, ZWJ) inside a word of a script that uses it, or ZWJ inside an emoji.

    Persian and the Indic scripts need ZWNJ/ZWJ to spell some words; emoji sequences
    (family, rainbow flag, skin tones with professions) are joined by ZWJ. Between
    other characters, Latin letters for one, a joiner only hides a difference.
    """
    char = text[index]
    if char not in _JOINERS or index == 0 or index + 1 == len(text):
        return False
    before, after = text[index - 1], text[index + 1]
    if char == _ZWJ and _ends_emoji(before) and unicodedata.category(after) == "So":
        return True
    return _in_joining_script(before) and _in_joining_script(after)


def _ends_emoji(char: str) -> bool:
    # An emoji, a skin tone modifier (Sk) or the emoji presentation selector.
    return char == _EMOJI_PRESENTATION or unicodedata.category(char) in ("So", "Sk")


def _in_joining_script(char: str) -> bool:
    code = ord(char)
    return unicodedata.category(char)[0] in "LM" and any(
        first <= code <= last for first, last in _JOINING_SCRIPTS
    )


def _replacement(match: re.Match[str]) -> str:
    return " " if match.group() in "\t\n\r" else "\ufffd"


def bounded_count(what: str, value: int, maximum: int, default: int = 0) -> int:
    """A count a device reports, or `default` when no real device has that many."""
    if 0 <= value <= maximum:
        return value
    _report_once(f"A device reported {value} {what}, real devices have at most {maximum}")
    return default


def bounded_list[T](what: str, items: Sequence[T], maximum: int) -> Sequence[T]:
    """A list a device sent, cut at what real devices have."""
    if len(items) <= maximum:
        return items
    _report_once(f"A device listed {len(items)} {what}, real devices have at most {maximum}")
    return items[:maximum]


def _report_once(finding: str) -> None:
    # A device answers the same at every poll: one line tells it, more would repeat it.
    if finding in _reported:
        return
    if len(_reported) >= _MAX_REPORTED:
        _reported.clear()
    _reported.add(finding)
    _LOGGER.warning("%s: the excess is ignored", finding)


def decode_answer(raw: bytes) -> Any:
    """Parse a JSON answer within the limits, with every string cleaned.

    Bytes that are not UTF-8 become U+FFFD: one bad byte in a name must not lose the
    other answers of the batch. Raises ReolinkResponseError for an answer too large or
    too deep, and ValueError for text that is not JSON.
    """
    if len(raw) > MAX_ANSWER_BYTES:
        raise ReolinkResponseError(
            f"answer of {len(raw)} bytes is larger than the {MAX_ANSWER_BYTES} allowed"
        )
    try:
        decoded = _fast_loads(raw)
    except ValueError:
        # Refused by the strict parser (bad bytes, lone surrogates, a BOM, deep nesting):
        # the lenient path below decides.
        return sanitize_answer(_lenient_loads(raw))
    if len(raw) > MAX_STRING:
        return sanitize_answer(decoded)
    if _MAYBE_UNSAFE.search(raw) is None:
        # No escape, DEL or C1 character that decodes to a control character: every
        # string is clean already, only the depth is left.
        _check_depth(decoded, 0)
        return decoded
    return sanitize_answer(decoded)


def _lenient_loads(raw: bytes) -> Any:
    text = raw.decode("utf-8-sig", "replace")
    try:
        return json.loads(text)
    except RecursionError:
        raise ReolinkResponseError(f"answer nests deeper than {MAX_DEPTH} levels") from None


def sanitize_answer(value: Any) -> Any:
    """A copy of a decoded JSON value with clean strings (keys too), checked for depth."""
    return _clean(value, 0)


def _check_depth(value: Any, depth: int) -> None:
    if isinstance(value, dict):
        children: Any = value.values()
    elif isinstance(value, list):
        children = value
    else:
        return
    if depth >= MAX_DEPTH:
        raise ReolinkResponseError(f"answer nests deeper than {MAX_DEPTH} levels")
    for child in children:
        _check_depth(child, depth + 1)


def _clean(value: Any, depth: int) -> Any:
    if isinstance(value, str):
        return clean_text(value)
    if depth >= MAX_DEPTH and isinstance(value, dict | list):
        raise ReolinkResponseError(f"answer nests deeper than {MAX_DEPTH} levels")
    if isinstance(value, dict):
        return {clean_text(str(k)): _clean(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v, depth + 1) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None  # json accepts NaN and Infinity; no number field can hold them
    if type(value) is int and not -_INT_LIMIT < value < _INT_LIMIT:
        return None
    return value
