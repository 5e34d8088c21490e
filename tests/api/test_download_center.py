"""The download-center client against the fake download center, and a camera's firmware
installed through the NVR simulator."""

import json
import zipfile
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from custom_components.reolink_http.api import (
    ReolinkConnectionError,
    ReolinkDownloadCenterError,
    ReolinkFirmwareTooLargeError,
    ReolinkNotFirmwareError,
    ReolinkParamError,
)
from custom_components.reolink_http.api.download_center import (
    DownloadCenter,
    FirmwareRelease,
    FirmwareVersion,
    extract_firmware,
    find_hardware,
    is_newer,
    newest,
    parse_hardware_versions,
)
from simulator.device import CHANNEL_FIRMWARE_VERSION
from simulator.download_center import FIRMWARE_PATH, SELECTION_PATH
from simulator.download_center import DownloadCenter as FakeCenter

from .conftest import SimFactory

MODEL, BOARD = "RLC-810A", "IPC_523128M8MP"


@pytest.fixture
async def center() -> AsyncIterator[FakeCenter]:
    async with FakeCenter() as fake:
        yield fake


def client_of(http: aiohttp.ClientSession, fake: FakeCenter, **options: int) -> DownloadCenter:
    return DownloadCenter(http, fake.url, **options)


async def latest_release(client: DownloadCenter, model: str, board: str) -> FirmwareRelease:
    entry = find_hardware(await client.hardware_versions(), model, board)
    assert entry is not None
    release = newest(await client.releases(entry))
    assert release is not None
    return release


async def test_lookup_finds_the_newest_firmware(
    http: aiohttp.ClientSession, center: FakeCenter
) -> None:
    """Two requests: the selection list, then the firmware list of the camera's hardware."""
    release = await latest_release(client_of(http, center), MODEL, BOARD)
    assert release.version == CHANNEL_FIRMWARE_VERSION
    assert release.url.startswith(center.url)
    assert MODEL in release.notes
    assert center.count(SELECTION_PATH) == 1
    assert center.count(FIRMWARE_PATH) == 1
    query = center.requests[-1][1]
    assert query["lang"] == "en"


async def test_titles_match_without_parentheses_and_spaces(
    http: aiohttp.ClientSession, center: FakeCenter
) -> None:
    """The site's `RLC-1240A (PoE)` is the camera's `RLC-1240A`, as reolink_aio compares."""
    center.add_product("RLC-1240A (PoE)", "IPC 560 SD5 4MP", product_id=7, hardware_id=70)
    release = await latest_release(client_of(http, center), "RLC-1240A", "IPC560SD54MP")
    assert release.version == CHANNEL_FIRMWARE_VERSION
    selection = await client_of(http, center).hardware_versions()
    assert find_hardware(selection, "RLC-999", BOARD) is None


def test_versions_compare_by_build_date_then_numbers() -> None:
    """v3.1.0.4000_25010100 is newer than v3.1.0.2174_23050800; text that is no version never is."""
    assert is_newer("v3.1.0.4000_25010100", "v3.1.0.2174_23050800")
    assert not is_newer("v3.1.0.2174_23050800", "v3.1.0.4000_25010100")
    assert not is_newer("v3.1.0.4000_25010100", "v3.1.0.4000_25010100")
    assert is_newer("v3.0.0.5", "v3.0.0.4")
    assert not is_newer("newer version available", "v3.0.0.4")
    assert FirmwareVersion.parse("v3.0.0.1388_22100600") is not None


@pytest.mark.parametrize(
    ("target", "fault"),
    [
        ("selection", "server_error"),
        ("selection", "garbage_json"),
        ("selection", "wrong_content"),
        ("selection", "api_error"),
        ("selection", "odd_code"),
        ("selection", "wrong_shape"),
        ("firmware", "garbage_json"),
        ("firmware", "api_error"),
        ("firmware", "odd_code"),
    ],
)
async def test_lookup_faults_are_typed_errors(
    http: aiohttp.ClientSession, center: FakeCenter, target: str, fault: str
) -> None:
    center.set_fault(target, fault)
    with pytest.raises(ReolinkDownloadCenterError):
        await latest_release(client_of(http, center), MODEL, BOARD)


async def test_unreachable_center_is_a_connection_error(http: aiohttp.ClientSession) -> None:
    async with FakeCenter() as fake:
        url = fake.url
    with pytest.raises(ReolinkConnectionError):
        await DownloadCenter(http, url).hardware_versions()


async def test_download_takes_the_pak_out_of_the_zip(
    http: aiohttp.ClientSession, center: FakeCenter
) -> None:
    """The file holds the .pak only while the block runs; progress counts bytes."""
    client = client_of(http, center)
    release = await latest_release(client, MODEL, BOARD)
    seen: list[int] = []
    async with client.download(release, lambda received, _total: seen.append(received)) as pak:
        assert pak.name.endswith(".pak")
        assert pak.size == center.pak_size
        assert pak.path.read_bytes().startswith(CHANNEL_FIRMWARE_VERSION.encode())
        folder = pak.path.parent
    assert not folder.exists()
    assert seen
    assert seen[-1] > 0


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        ("oversized", ReolinkFirmwareTooLargeError),
        ("oversized_stream", ReolinkFirmwareTooLargeError),
        ("not_zip", ReolinkNotFirmwareError),
        ("no_firmware", ReolinkNotFirmwareError),
        ("wrong_content", ReolinkNotFirmwareError),
        ("server_error", ReolinkDownloadCenterError),
    ],
)
async def test_download_faults_are_typed_errors(
    http: aiohttp.ClientSession, center: FakeCenter, fault: str, error: type[Exception]
) -> None:
    """Refused while streaming (a 1 MiB cap here), and nothing is left behind."""
    client = client_of(http, center, max_firmware_bytes=1024 * 1024)
    release = await latest_release(client, MODEL, BOARD)
    center.set_fault("file", fault)
    center.oversize_bytes = 8 * 1024 * 1024
    with pytest.raises(error):
        async with client.download(release):
            pass


def test_zip_bomb_stops_at_the_cap(tmp_path: Path) -> None:
    """A member that unpacks past the cap is refused, whatever size the zip declares."""
    archive = tmp_path / "bomb.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bundle:
        bundle.writestr("fw/IPC.pak", bytes(4 * 1024 * 1024))
    with pytest.raises(ReolinkFirmwareTooLargeError):
        extract_firmware(archive, tmp_path, 1024 * 1024)


def test_unsafe_member_name_is_refused(tmp_path: Path) -> None:
    """A name with `&` would break the NVR's piece names."""
    archive = tmp_path / "odd.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("fw/a&b.pak", b"firmware")
    with pytest.raises(ReolinkNotFirmwareError):
        extract_firmware(archive, tmp_path, 1024)


async def test_camera_firmware_installed_through_the_nvr(
    http: aiohttp.ClientSession, center: FakeCenter, start_sim: SimFactory, connect: SimFactory
) -> None:
    """UpgradePrepare for channel 2, the file in pieces; the camera runs the new version."""
    sim = await start_sim(profile="nvr-8")
    client = await connect(sim)
    download = client_of(http, center)
    release = await latest_release(download, MODEL, BOARD)
    sent: list[int] = []
    async with download.download(release) as pak:
        await client.upload_channel_firmware(2, pak.name, pak.size, pak.pieces(40960), sent.append)
    assert sent[-1] == center.pak_size
    assert len(sent) == -(-center.pak_size // 40960)
    assert sim.state["channels"][2]["firmware"] == CHANNEL_FIRMWARE_VERSION
    assert sim.state["channels"][0]["firmware"] != CHANNEL_FIRMWARE_VERSION


async def test_nvr_refuses_an_offline_camera(
    http: aiohttp.ClientSession, center: FakeCenter, start_sim: SimFactory, connect: SimFactory
) -> None:
    """Channel 5 of the NVR-8 is offline: UpgradePrepare answers -4, nothing is sent."""
    sim = await start_sim(profile="nvr-8")
    client = await connect(sim)

    async def pieces() -> AsyncIterator[bytes]:
        yield b"x"

    with pytest.raises(ReolinkParamError):
        await client.upload_channel_firmware(5, "IPC.pak", 1, pieces())
    assert not [r for r in sim.requests if "Upgrade" in r.get("commands", [])]


async def test_hostile_text_is_cleaned_and_odd_entries_skipped(
    http: aiohttp.ClientSession, center: FakeCenter
) -> None:
    """Control characters and lone surrogates are cleaned; unreadable releases are left out."""
    product = center.products[0]
    product.releases[0].notes = "line\x00one\ud800\u202eevil" + "x" * 200_000
    product.releases[1].version = "not a version"
    client = client_of(http, center)
    entry = find_hardware(await client.hardware_versions(), product.model, product.hardware)
    assert entry is not None
    releases = await client.releases(entry)
    assert [r.version for r in releases] == [CHANNEL_FIRMWARE_VERSION]
    notes = releases[0].notes
    assert "\x00" not in notes
    assert "\ud800" not in notes
    assert len(notes) <= 64 * 1024


async def test_answer_beyond_the_cap_is_refused(
    http: aiohttp.ClientSession, center: FakeCenter
) -> None:
    """A selection list of more than 4 MiB is refused while it is read."""
    for index in range(40_000):
        center.add_product(f"M{index}" * 20, "H" * 40, product_id=index + 10_000, hardware_id=1)
    with pytest.raises(ReolinkDownloadCenterError):
        await client_of(http, center).hardware_versions()


def test_unreadable_member_names_are_not_firmware(tmp_path: Path) -> None:
    """A name flagged UTF-8 that is not (bytes changed after packing) is refused, typed."""
    archive = tmp_path / "names.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("fw/caf\u00e9.pak", b"firmware")
    archive.write_bytes(archive.read_bytes().replace("\u00e9".encode(), b"\xff\xfe"))
    with pytest.raises(ReolinkNotFirmwareError):
        extract_firmware(archive, tmp_path, 1024)


def test_corrupt_lzma_member_is_not_firmware(tmp_path: Path) -> None:
    """A member packed with LZMA whose data is damaged is refused, typed."""
    archive = tmp_path / "lzma.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_LZMA) as bundle:
        bundle.writestr("fw/IPC.pak", bytes(range(256)) * 64)
        member = bundle.getinfo("fw/IPC.pak")
    body = bytearray(archive.read_bytes())
    # After the local header (30 bytes and the name) and LZMA's 9 bytes of properties.
    start = 30 + len(member.filename) + 9
    body[start : start + 64] = b"\xff" * 64
    archive.write_bytes(bytes(body))
    with pytest.raises(ReolinkNotFirmwareError):
        extract_firmware(archive, tmp_path, 1024 * 1024)


def test_ids_that_are_not_ascii_digits_are_skipped() -> None:
    """`"²"` is a digit to str.isdigit() but no integer, `"0"` no id: such entries are left out."""
    entries = [
        {"id": id_, "title": BOARD, "dlProduct": {"id": "7", "title": MODEL}}
        for id_ in ("\u00b2", "\u0663", "0", "12")
    ]
    answer = json.dumps({"result": {"code": 0}, "data": entries}).encode()
    assert [e.hardware_id for e in parse_hardware_versions(answer)] == [12]
