"""Several recordings as one MP4: their packets copied one after another, never re-encoded.

Each part is trimmed to a span of its own timeline. Without re-encoding a video can only
begin on a key frame, so a part starts at the last key frame at or before its span
(the device's key frame interval, typically 1-4 s, decides how close that is) and ends
with the last packet that starts before the span's end. Blocking (PyAV): run it in an
executor.
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, BinaryIO

# Only what a recording plays: video and its sound.
KEPT_STREAM_TYPES = ("video", "audio")


class ClipJoinError(Exception):
    """The recordings cannot be joined without re-encoding (unreadable, or of unlike streams)."""


@dataclass(frozen=True, slots=True)
class ClipPart:
    """A downloaded recording and the span of it to keep, in seconds from its start."""

    path: Path
    keep_from: float
    keep_to: float


@dataclass(frozen=True, slots=True)
class JoinedClip:
    """What was written."""

    seconds: float
    packets: int


def join_clips(parts: Sequence[ClipPart], output: BinaryIO) -> JoinedClip:
    """Write the kept spans of `parts`, in order, as one MP4 into `output` (a seekable file)."""
    import av  # noqa: PLC0415 - heavy, loaded only when clips are joined

    written = 0
    seconds = 0.0
    try:
        with av.open(output, mode="w", format="mp4") as target:
            streams: list[Any] | None = None
            codecs: list[str] = []
            for part in parts:
                with av.open(str(part.path)) as source:
                    inputs = [s for s in source.streams if s.type in KEPT_STREAM_TYPES]
                    if streams is None:
                        streams = [target.add_stream_from_template(s) for s in inputs]
                        codecs = [s.codec_context.name for s in inputs]
                    elif [s.codec_context.name for s in inputs] != codecs:
                        raise ClipJoinError(f"{part.path.name}: streams differ from the first")
                    length, count = _copy_part(source, inputs, streams, part, seconds, target)
                seconds += length
                written += count
    except av.FFmpegError as err:
        raise ClipJoinError(str(err)) from err
    return JoinedClip(seconds, written)


def _copy_part(
    source: Any, inputs: list[Any], streams: list[Any], part: ClipPart, at: float, target: Any
) -> tuple[float, int]:
    """Mux the part's kept packets so that they begin `at` seconds into the output."""
    index = {stream.index: position for position, stream in enumerate(inputs)}
    start: float | None = None
    end = 0.0
    count = 0
    for packet in _kept_packets(source.demux(inputs), part):
        moment = _seconds(packet)
        if start is None:
            start = moment
        shift = at - start
        time_base: Fraction = packet.time_base
        offset = round(shift / time_base)
        packet.pts += offset
        packet.dts += offset
        packet.stream = streams[index[packet.stream.index]]
        end = max(end, moment + float((packet.duration or 0) * time_base))
        target.mux(packet)
        count += 1
    return (0.0 if start is None else end - start), count


def _kept_packets(packets: Iterator[Any], part: ClipPart) -> Iterator[Any]:
    """From the last video key frame at or before `keep_from` to just before `keep_to`.

    Packets before the span wait in a buffer that restarts at every key frame: at most
    one key frame interval is held.
    """
    waiting: list[Any] = []
    started = False
    for packet in packets:
        if packet.dts is None or packet.pts is None:
            continue  # the demuxer's end-of-stream markers
        moment = _seconds(packet)
        video = packet.stream.type == "video"
        if moment >= part.keep_to:
            if video:
                return
            continue
        if not started:
            if video and packet.is_keyframe and moment <= part.keep_from:
                waiting = []
            if moment < part.keep_from:
                waiting.append(packet)
                continue
            started = True
            yield from _from_key_frame(waiting)
            waiting = []
        yield packet


def _from_key_frame(waiting: list[Any]) -> Iterator[Any]:
    """The buffered packets from the first video key frame on (a part must open with one)."""
    keyed = False
    for packet in waiting:
        keyed |= packet.stream.type == "video" and packet.is_keyframe
        if keyed:
            yield packet


def _seconds(packet: Any) -> float:
    """When a packet is decoded, in seconds of its stream."""
    return float(packet.dts * packet.time_base)
