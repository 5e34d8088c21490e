"""A fake Reolink download center: reolink.com's firmware lookup and files, on loopback.

Reolink publishes firmware on https://reolink.com/download-center; Home Assistant core's
integration (reolink_aio 0.22.0 `_check_reolink_firmware`, `upload_firmware`) asks its
WordPress API for it. The two JSON answers carry what that parser reads, nothing more:

- `GET /wp-json/reo-v2/download/hardware-version/selection-list`:
  `{"result": {"code": 0}, "data": [{"id": <hardware id>, "title": <hardware version>,
  "dlProduct": {"id": <product id>, "title": <model>}}, ...]}`
- `GET /wp-json/reo-v2/download/firmware/?dlProductId=..&hardwareVersion=..&lang=en`:
  `{"result": {"code": 0}, "data": [{"firmwares": [{"version": .., "url": ..,
  "new": <release notes>, "hardwareVersion": [{"title": .., "dlProduct": {"title": ..}}]},
  ...]}]}`

A firmware `url` answers `application/octet-stream`: a zip holding the `.pak` file (and an
installation guide), as reolink_aio unpacks it. See simulator/README.md for the faults.
"""

import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from simulator.device import CHANNEL_FIRMWARE_VERSION
from simulator.profiles import PROFILES, get_profile
from simulator.serving import Service, send_padded

SELECTION_PATH = "/wp-json/reo-v2/download/hardware-version/selection-list"
FIRMWARE_PATH = "/wp-json/reo-v2/download/firmware/"
FILES_PATH = "/wp-content/uploads/firmware/"
# Where each fault can be set: the two JSON answers and the firmware files.
TARGETS = ("selection", "firmware", "file")
FAULTS = (
    "server_error",  # HTTP 503 with an HTML page
    "garbage_json",  # 200 application/json that is not JSON
    "wrong_content",  # 200 text/html (a captive portal, a maintenance page)
    "api_error",  # JSON with result.code 429 (the hourly rate limit reolink_aio names)
    "odd_code",  # JSON whose result.code is false: equal to 0 in Python, yet no success code
    "wrong_shape",  # JSON of another shape (data a string)
    "oversized",  # a file declared (Content-Length) far larger than any firmware
    "oversized_stream",  # a file without Content-Length that goes on past the cap
    "not_zip",  # octet-stream, but not a zip
    "no_firmware",  # a zip without a .pak file
)
OLDER_VERSION = "v3.0.0.3000_24010100"


@dataclass
class Release:
    """One firmware the center lists for a model and hardware version."""

    version: str
    notes: str
    file: str


@dataclass
class Product:
    """One hardware version of one model, with its firmware list."""

    hardware_id: int
    hardware: str
    product_id: int
    model: str
    releases: list[Release] = field(default_factory=list)


def _camera_kinds() -> Iterable[tuple[str, str]]:
    """(model, hardware version) of every camera the simulator's profiles have."""
    seen: dict[tuple[str, str], None] = {}
    for name in PROFILES:
        for kind in get_profile(name).channels:
            seen[(kind.model, kind.board)] = None
    return seen


class DownloadCenter(Service):
    """The fake download center on 127.0.0.1; `requests` logs every request's path and query."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, pak_size: int = 100_000) -> None:
        self.host = host
        self.port = port
        self.pak_size = pak_size
        self.products: list[Product] = []
        for index, (model, hardware) in enumerate(_camera_kinds()):
            self.add_product(model, hardware, product_id=100 + index, hardware_id=1000 + index)
        self.faults: dict[str, str] = {}
        # A file declared or streamed by the oversized faults: far above any firmware.
        self.oversize_bytes = 512 * 1024 * 1024
        self.requests: list[tuple[str, dict[str, str]]] = []
        self._runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        """Base URL, what the client takes in place of https://reolink.com."""
        return f"http://{self.host}:{self.port}"

    def add_product(
        self,
        model: str,
        hardware: str,
        *,
        product_id: int,
        hardware_id: int,
        versions: tuple[str, ...] = (CHANNEL_FIRMWARE_VERSION, OLDER_VERSION),
    ) -> Product:
        """List a model and hardware version with firmware (newest first, as the site does)."""
        product = Product(hardware_id, hardware, product_id, model)
        for version in versions:
            file = f"{model}_{hardware}_{version}.zip".replace(" ", "_")
            notes = f"<p>{model} {version}: improved detection; fixed bugs.</p>"
            product.releases.append(Release(version, notes, file))
        self.products.append(product)
        return product

    def set_fault(self, target: str, fault: str) -> None:
        """Answer every request of `target` ("selection", "firmware", "file") with `fault`."""
        if target not in TARGETS or fault not in FAULTS:
            raise ValueError(f"unknown fault {target}={fault}")
        self.faults[target] = fault

    def clear_faults(self) -> None:
        self.faults.clear()

    def count(self, path: str) -> int:
        """Requests of a path (SELECTION_PATH, FIRMWARE_PATH or a file URL's path)."""
        return sum(1 for logged, _query in self.requests if logged.startswith(path))

    def pak_name(self, release: Release, product: Product) -> str:
        """The firmware file inside the zip, named as Reolink names them."""
        build = release.version.removeprefix("v").split(".", 3)[-1]
        return f"{product.hardware}.{build}.{product.model}.REOLINK.pak"

    # -- lifecycle -------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get(SELECTION_PATH, self._selection)
        app.router.add_get(FIRMWARE_PATH, self._firmware)
        app.router.add_get(FILES_PATH + "{name}", self._file)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        self.port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # -- handlers --------------------------------------------------------------------------

    def _log(self, request: web.Request) -> None:
        self.requests.append((request.path, dict(request.query)))

    async def _selection(self, request: web.Request) -> web.StreamResponse:
        self._log(request)
        return self._json("selection", self.selection_data())

    async def _firmware(self, request: web.Request) -> web.StreamResponse:
        self._log(request)
        query = request.query
        data = self.firmware_data(query.get("dlProductId"), query.get("hardwareVersion"))
        return self._json("firmware", data)

    def selection_data(self) -> list[dict[str, Any]]:
        """The `data` of the selection list: every model and hardware version."""
        return [
            {
                "id": product.hardware_id,
                "title": product.hardware,
                "dlProduct": {"id": product.product_id, "title": product.model},
            }
            for product in self.products
        ]

    def firmware_data(self, product_id: str | None, hardware_id: str | None) -> list[Any]:
        """The `data` of the firmware list of a product and hardware id (query strings)."""
        product = next(
            (
                p
                for p in self.products
                if str(p.product_id) == product_id and str(p.hardware_id) == hardware_id
            ),
            None,
        )
        releases = [] if product is None else [self._release(r, product) for r in product.releases]
        return [{"firmwares": releases}]

    def _release(self, release: Release, product: Product) -> dict[str, Any]:
        return {
            "version": release.version,
            "url": f"{self.url}{FILES_PATH}{release.file}",
            "new": release.notes,
            "hardwareVersion": [{"title": product.hardware, "dlProduct": {"title": product.model}}],
        }

    def _json(self, target: str, data: Any) -> web.StreamResponse:
        fault = self.faults.get(target)
        if fault == "server_error":
            return web.Response(
                status=503, text="<html>Service unavailable</html>", content_type="text/html"
            )
        if fault == "garbage_json":
            return web.Response(
                body=b'{"result": {"code": 0}, "data": [\x00', content_type="application/json"
            )
        if fault == "wrong_content":
            return web.Response(
                text="<html><body>Maintenance</body></html>", content_type="text/html"
            )
        return web.json_response(_json_answer(fault, data))

    async def _file(self, request: web.Request) -> web.StreamResponse:
        self._log(request)
        name = request.match_info["name"]
        found = next(((r, p) for p in self.products for r in p.releases if r.file == name), None)
        if found is None:
            return web.Response(status=404, text="<html>Not found</html>", content_type="text/html")
        fault = self.faults.get("file")
        if fault in ("oversized", "oversized_stream"):
            return await self._endless(request, declared=fault == "oversized")
        if fault in ("server_error", "wrong_content"):
            return self._json("file", None)
        if fault == "not_zip":
            body = b"\x7fELF" + bytes(self.pak_size)
        else:
            body = self._zip(*found, with_firmware=fault != "no_firmware")
        return web.Response(body=body, content_type="application/octet-stream")

    def _zip(self, release: Release, product: Product, *, with_firmware: bool) -> bytes:
        buffer = io.BytesIO()
        folder = release.file.removesuffix(".zip")
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(f"{folder}/Firmware Upgrade Guide.pdf", b"%PDF-1.4\n%%EOF\n")
            if with_firmware:
                pak = (release.version.encode() * (self.pak_size // 16 + 1))[: self.pak_size]
                archive.writestr(f"{folder}/{self.pak_name(release, product)}", pak)
        return buffer.getvalue()

    async def _endless(self, request: web.Request, *, declared: bool) -> web.StreamResponse:
        """Zero bytes up to `oversize_bytes`, until the client gives up."""
        response = web.StreamResponse(headers={"Content-Type": "application/octet-stream"})
        if declared:
            response.content_length = self.oversize_bytes
        else:
            response.enable_chunked_encoding()
        return await send_padded(request, response, b"", self.oversize_bytes)


def _json_answer(fault: str | None, data: Any) -> dict[str, Any]:
    """A JSON answer's body, as `fault` shapes it."""
    if fault == "api_error":
        return {"result": {"code": 429, "msg": "rate limit"}}
    if fault == "odd_code":
        return {"result": {"code": False}, "data": data}
    if fault == "wrong_shape":
        return {"result": {"code": 0}, "data": "no list here"}
    return {"result": {"code": 0}, "data": data}
