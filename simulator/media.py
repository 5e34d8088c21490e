"""Generated media: JPEG snapshots (3.6.7 Snap) and MP4 recordings (3.6.6 Download)."""

import io
import threading
from datetime import datetime
from fractions import Fraction
from functools import lru_cache
from typing import Any

from PIL import Image, ImageDraw, ImageFont

CLIP_SIZE: dict[str, tuple[int, int]] = {"main": (640, 360), "sub": (320, 180)}
CLIP_FPS = 1
SCENE_SECONDS = 5
ENCODERS: tuple[str, ...] = ("libx264", "h264", "mpeg4")
_clip_lock = threading.Lock()


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=max(10, size))


def _frame(
    width: int, height: int, colour: tuple[int, int, int], label: str, stamp: str
) -> Image.Image:
    image = Image.new("RGB", (width, height), colour)
    draw = ImageDraw.Draw(image)
    size = max(10, height // 12)
    draw.text((size // 2, size // 2), label, fill=(255, 255, 255), font=_font(size))
    draw.text((size // 2, height - 2 * size), stamp, fill=(255, 255, 0), font=_font(size))
    return image


def snapshot_jpeg(
    width: int, height: int, colour: tuple[int, int, int], label: str, when: datetime
) -> bytes:
    """A JPEG showing the channel label and the device time."""
    image = _frame(width, height, colour, label, when.strftime("%Y-%m-%d %H:%M:%S"))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=70)
    return buffer.getvalue()


def _pick_encoder() -> str:
    import av  # noqa: PLC0415 - PyAV is heavy, load it only when a clip is requested

    for name in ENCODERS:
        try:
            av.codec.Codec(name, "w")
        except av.codec.codec.UnknownCodecError:
            continue
        return name
    raise RuntimeError("no usable video encoder in PyAV")


@lru_cache(maxsize=64)
def video_clip(channel: int, stream: str, colour: tuple[int, int, int], seconds: int) -> bytes:
    """An H.264 MP4 (mpeg4 without H.264) lasting exactly ``seconds``, cached.

    One frame per second keeps long recordings cheap while a player can still seek
    through the whole length that Search listed; the picture changes every few seconds.
    """
    import av  # noqa: PLC0415 - see _pick_encoder

    width, height = CLIP_SIZE.get(stream, CLIP_SIZE["sub"])
    buffer = io.BytesIO()
    with _clip_lock, av.open(buffer, mode="w", format="mp4") as container:
        encoder = _pick_encoder()
        video: Any = container.add_stream(encoder, rate=CLIP_FPS)
        video.width, video.height = width, height
        video.pix_fmt = "yuv420p"
        video.time_base = Fraction(1, CLIP_FPS)
        if encoder == "libx264":
            video.options = {"preset": "ultrafast"}
        frame: Any = None
        for second in range(max(1, seconds)):
            if second % SCENE_SECONDS == 0:
                shade = tuple(min(255, c + (second // SCENE_SECONDS) % 8 * 12) for c in colour)
                label = f"CH{channel + 1:02d} {stream}"
                image = _frame(width, height, shade, label, f"{second // 60:02d}:{second % 60:02d}")  # type: ignore[arg-type]
                frame = av.VideoFrame.from_image(image)  # type: ignore[no-untyped-call]
            frame.pts = second
            for packet in video.encode(frame):
                container.mux(packet)
        for packet in video.encode():
            container.mux(packet)
    return buffer.getvalue()
