"""3.4 Video input and 3.5 Enc commands."""

from typing import Any

from simulator.commands.base import Family, Spec, feature, minmax, text
from simulator.profiles import CameraKind, Profile

OSD_POSITIONS = [
    "Upper Left",
    "Top Center",
    "Upper Right",
    "Lower Left",
    "Bottom Center",
    "Lower Right",
]
ON_OFF_AUTO = ["Auto", "Color", "Black&White"]


def _kind(kind: CameraKind | None) -> CameraKind:
    assert kind is not None
    return kind


def _image(_p: Profile, _k: CameraKind | None, channel: int) -> dict[str, Any]:
    return {
        "bright": 128,
        "channel": channel,
        "contrast": 128,
        "hue": 128,
        "saturation": 128,
        "sharpen": 128,
    }


def _image_range(_p: Profile, _k: CameraKind | None) -> dict[str, Any]:
    return {key: minmax(0, 255) for key in ("bright", "contrast", "hue", "saturation", "sharpen")}


def _osd(_p: Profile, _k: CameraKind | None, channel: int) -> dict[str, Any]:
    return {
        "bgcolor": 0,
        "channel": channel,
        "osdChannel": {"enable": 1, "name": f"Camera{channel + 1:02d}", "pos": "Lower Right"},
        "osdTime": {"enable": 1, "pos": "Top Center"},
        "watermark": 1,
    }


def _osd_range(_p: Profile, _k: CameraKind | None) -> dict[str, Any]:
    return {
        "bgcolor": "boolean",
        "osdChannel": {"enable": "boolean", "name": text(31), "pos": OSD_POSITIONS},
        "osdTime": {"enable": "boolean", "pos": OSD_POSITIONS},
        "watermark": "boolean",
    }


def _bd() -> dict[str, Any]:
    return {"bright": 128, "dark": 128, "mode": "Auto"}


# HDR and binning (reolink_aio's HDREnum/BinningModeEnum): 0 off, 1 auto, 2 on.
OFF_AUTO_ON = [0, 1, 2]


def _isp(_p: Profile, kind: CameraKind | None, channel: int) -> dict[str, Any]:
    extras = {"binningMode": 0, "hdr": 0} if kind is not None and kind.tracker else {}
    return extras | {
        "antiFlicker": "Outdoor",
        "backLight": "Off",
        "bd_day": _bd(),
        "bd_led_color": _bd(),
        "bd_night": _bd(),
        "blc": 128,
        "blueGain": 128,
        "cdsType": 0,
        "channel": channel,
        "constantFrameRate": 0,
        "dayNight": "Auto",
        "dayNightThreshold": 50,
        "drc": 128,
        "exposure": "Auto",
        "gain": {"max": 100, "min": 1},
        "mirroring": 0,
        "nr3d": 1,
        "redGain": 128,
        "rotation": 0,
        "shutter": {"max": 125, "min": 0},
        "whiteBalance": "Auto",
    }


def _isp_range(_p: Profile, kind: CameraKind | None) -> dict[str, Any]:
    bd = {"bright": minmax(0, 255), "dark": minmax(0, 255), "mode": ["Auto", "Manual"]}
    extras = {"binningMode": OFF_AUTO_ON, "hdr": OFF_AUTO_ON} if kind and kind.tracker else {}
    return extras | {
        "antiFlicker": ["Other", "50HZ", "60HZ", "Off", "Outdoor"],
        "backLight": ["Off", "BackLightControl", "DynamicRangeControl"],
        "bd_day": bd,
        "bd_led_color": bd,
        "bd_night": bd,
        "blc": minmax(0, 255),
        "blueGain": minmax(0, 255),
        "cdsType": minmax(0, 1),
        "constantFrameRate": "boolean",
        "dayNight": ON_OFF_AUTO,
        "dayNightThreshold": minmax(0, 100),
        "drc": minmax(0, 255),
        "exposure": ["Auto", "LowNoise", "Anti-Smearing", "Manual"],
        "gain": {"max": minmax(1, 100), "min": minmax(1, 100)},
        "mirroring": "boolean",
        "nr3d": "boolean",
        "redGain": minmax(0, 255),
        "rotation": "boolean",
        "shutter": {"max": minmax(0, 125), "min": minmax(0, 125)},
        "whiteBalance": ["Auto", "Manual"],
    }


def _mask(_p: Profile, kind: CameraKind | None, channel: int) -> dict[str, Any]:
    # Devices with privacy masks list their areas, an empty block where none is drawn;
    # clients (reolink_aio) take a non-empty "area" as the sign of support.
    area = {
        "block": {"height": 0, "width": 0, "x": 0, "y": 0},
        "screen": {"height": 360, "width": 640},
    }
    return {"area": [area], "channel": channel, "enable": 0}


def _crop(_p: Profile, kind: CameraKind | None, channel: int) -> dict[str, Any]:
    camera = _kind(kind)
    return {
        "channel": channel,
        "cropHeight": camera.height // 4,
        "cropWidth": camera.width // 4,
        "mainHeight": camera.height,
        "mainWidth": camera.width,
        "minHeight": camera.height // 4,
        "minWidth": camera.width // 4,
        "topLeftX": camera.width * 3 // 8,
        "topLeftY": camera.height * 3 // 8,
    }


def _crop_range(_p: Profile, kind: CameraKind | None) -> dict[str, Any]:
    camera = _kind(kind)
    return {
        "topLeftX": minmax(0, camera.width * 3 // 4),
        "topLeftY": minmax(0, camera.height * 3 // 4),
    }


def _stream(width: int, height: int, bit_rate: int, frame_rate: int, codec: str) -> dict[str, Any]:
    return {
        "bitRate": bit_rate,
        "frameRate": frame_rate,
        "gop": 2,
        "height": height,
        "profile": "High",
        "size": f"{width}*{height}",
        "vType": codec,
        "width": width,
    }


def _enc(_p: Profile, kind: CameraKind | None, channel: int) -> dict[str, Any]:
    camera = _kind(kind)
    return {
        "audio": 0,
        "channel": channel,
        "mainStream": _stream(camera.width, camera.height, 6144, 25, "h265"),
        "subStream": _stream(640, 360, 256, 10, "h264"),
    }


def _stream_range(stream: dict[str, Any], rates: list[int], frames: list[int]) -> dict[str, Any]:
    return {
        "bitRate": rates,
        "default": {k: stream[k] for k in ("bitRate", "frameRate", "gop")},
        "frameRate": frames,
        "gop": minmax(1, 4),
        "height": stream["height"],
        "profile": ["Base", "Main", "High"],
        "size": stream["size"],
        "vType": stream["vType"],
        "width": stream["width"],
    }


def _enc_range(profile: Profile, kind: CameraKind | None) -> dict[str, Any]:
    """One resolution set, in the guide's list shape (3.5.1)."""
    default = _enc(profile, kind, 0)
    main = _stream_range(
        default["mainStream"], [4096, 5120, 6144, 7168, 8192], [25, 22, 20, 18, 16, 15, 12, 10]
    )
    sub = _stream_range(default["subStream"], [64, 128, 160, 192, 256, 384, 512], [15, 10, 7, 4])
    return {"audio": "boolean", "chnBit": 1, "mainStream": main, "subStream": sub}


FAMILIES: tuple[Family, ...] = (
    Family(
        key="Image",
        get_cmd="GetImage",
        set_cmd="SetImage",
        gate=feature("image"),
        per_channel=True,
        default=_image,
        range=_image_range,
    ),
    Family(
        key="Osd",
        get_cmd="GetOsd",
        set_cmd="SetOsd",
        gate=feature("osd"),
        per_channel=True,
        default=_osd,
        range=_osd_range,
    ),
    Family(
        key="Isp",
        get_cmd="GetIsp",
        set_cmd="SetIsp",
        gate=feature("isp"),
        per_channel=True,
        default=_isp,
        range=_isp_range,
    ),
    Family(
        key="Mask",
        get_cmd="GetMask",
        set_cmd="SetMask",
        gate=feature("mask"),
        per_channel=True,
        default=_mask,
        range=lambda _p, _k: {"enable": "boolean", "maxAreas": 4},
    ),
    Family(
        key="Crop",
        get_cmd="GetCrop",
        set_cmd="SetCrop",
        gate=feature("videoClip"),
        per_channel=True,
        default=_crop,
        range=_crop_range,
    ),
    Family(
        key="stitch",
        get_cmd="GetStitch",
        set_cmd="SetStitch",
        gate=lambda device, _channel: device.profile.stitch,
        per_channel=False,
        default=lambda _p, _k, _c: {"distance": 2.0, "stitchXMove": 0, "stitchYMove": 0},
        range=lambda _p, _k: {
            "distance": {"max": 20.0, "min": 2.0},
            "stitchXMove": minmax(-100, 100),
            "stitchYMove": minmax(-100, 100),
        },
    ),
    Family(
        key="Enc",
        get_cmd="GetEnc",
        set_cmd="SetEnc",
        gate=feature("enc"),
        per_channel=True,
        default=_enc,
        range=_enc_range,
        list_range=True,
    ),
)


SPECS: tuple[Spec, ...] = ()
