"""Live-view URLs of guide section 2.7 (RTSP 2.7.1, RTMP 2.7.2, FLV 2.7.3)."""

from typing import Literal
from urllib.parse import quote

Stream = Literal["main", "sub", "ext"]
# The telephoto lens of a dual-lens tracker behind an NVR, as the preview paths name it:
# its main stream only over RTSP, its sub stream only over FLV (home-assistant/core #146321).
TelephotoStream = Literal["autotrack", "autotrack_sub"]
# 3.6.7 Snap's `snapType`: the picture of the main or the sub stream.
SnapStream = Literal["main", "sub"]
Protocol = Literal["rtsp", "rtmp", "flv"]

STREAMS: tuple[Stream, ...] = ("main", "sub", "ext")
# Recordings (3.6.5 Search `streamType`) are kept of these two only.
RECORDING_STREAMS: tuple[Stream, ...] = ("main", "sub")
PROTOCOLS: tuple[Protocol, ...] = ("rtsp", "rtmp", "flv")
DEFAULT_RTSP_PORT = 554
DEFAULT_RTMP_PORT = 1935


def _host_port(host: str, port: int | None, default: int | None) -> str:
    bracketed = f"[{host}]" if ":" in host and not host.startswith("[") else host
    return bracketed if port is None or port == default else f"{bracketed}:{port}"


def rtsp_url(
    host: str,
    channel: int,
    stream: Stream | TelephotoStream,
    username: str,
    password: str,
    port: int = DEFAULT_RTSP_PORT,
) -> str:
    """2.7.1: channel numbers in the path start at 01 (`Preview_01_main` is channel 0)."""
    credentials = f"{quote(username, safe='')}:{quote(password, safe='')}"
    return f"rtsp://{credentials}@{_host_port(host, port, None)}/Preview_{channel + 1:02d}_{stream}"


def rtmp_url(
    host: str, channel: int, stream: Stream, username: str, password: str, port: int | None = None
) -> str:
    """2.7.2: channel ids start at 0; `stream=1` only for the sub stream."""
    stream_index = 1 if stream == "sub" else 0
    return (
        f"rtmp://{_host_port(host, port, DEFAULT_RTMP_PORT)}/bcs/channel{channel}_{stream}.bcs"
        f"?channel={channel}&stream={stream_index}"
        f"&user={quote(username, safe='')}&password={quote(password, safe='')}"
    )


def flv_url(
    host: str,
    channel: int,
    stream: Stream | TelephotoStream,
    username: str,
    password: str,
    *,
    https: bool = True,
    port: int | None = None,
    rtmp_port: int = DEFAULT_RTMP_PORT,
) -> str:
    """2.7.3: served by the web server, relaying the RTMP application `bcs`."""
    scheme = "https" if https else "http"
    web_port = 443 if https else 80
    return (
        f"{scheme}://{_host_port(host, port, web_port)}/flv?port={rtmp_port}&app=bcs"
        f"&stream=channel{channel}_{stream}.bcs"
        f"&user={quote(username, safe='')}&password={quote(password, safe='')}"
    )
