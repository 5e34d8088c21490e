"""A camera's firmware uploaded through its NVR, as reolink_aio 0.22.0 `upload_firmware` does it."""

import uuid
from typing import Any

import aiohttp

from simulator import Simulator

PASSWORD = "upgrade-pass1"
PIECE = 40960  # reolink_aio's chunk size
NAME = "IPC_523128M8MP.4000_25010100.RLC-810A.REOLINK.pak"


async def _post(session: aiohttp.ClientSession, sim: Simulator, token: str, body: Any) -> Any:
    async with session.post(f"{sim.url}/cgi-bin/api.cgi?token={token}", json=body) as answer:
        return await answer.json(content_type=None)


async def _login(session: aiohttp.ClientSession, sim: Simulator) -> str:
    login = [{"cmd": "Login", "param": {"User": {"userName": "admin", "password": PASSWORD}}}]
    async with session.post(f"{sim.url}/cgi-bin/api.cgi?cmd=Login", json=login) as answer:
        return str((await answer.json(content_type=None))[0]["value"]["Token"]["name"])


async def _piece(
    session: aiohttp.ClientSession, sim: Simulator, token: str, filename: str, data: bytes
) -> Any:
    query = {"cmd": "Upgrade", "token": token, "clearConfig": 0, "file": "upgrade-package"}
    with aiohttp.MultipartWriter("form-data") as writer:
        part = writer.append(data)
        part.set_content_disposition(
            "form-data", name="upgrade-package", filename=filename, quote_fields=False
        )
        part.headers[aiohttp.hdrs.CONTENT_TYPE] = "application/octet-stream"
        async with session.post(f"{sim.url}/cgi-bin/api.cgi", data=writer, params=query) as answer:
            return (await answer.json(content_type=None))[0]


def _prepare(channel_bits: str, size: int) -> list[dict[str, Any]]:
    param = {"restoreCfg": 0, "fileName": NAME, "ipcChnBit": channel_bits, "fileSize": size}
    return [{"cmd": "UpgradePrepare", "action": 0, "param": param}]


async def test_camera_firmware_uploaded_in_pieces_is_installed() -> None:
    """UpgradePrepare names the camera; each piece answers rspCode 200; the last installs."""
    async with Simulator(profile="nvr-8", https=False, password=PASSWORD) as sim:
        firmware = bytes(range(256)) * 400  # 102,400 bytes: three pieces
        async with aiohttp.ClientSession() as session:
            token = await _login(session, sim)
            info = [{"cmd": "GetChnTypeInfo", "action": 0, "param": {"channel": 2}}]
            before = (await _post(session, sim, token, info))[0]["value"]["firmVer"]
            prepared = await _post(session, sim, token, _prepare(str(1 << 2), len(firmware)))
            assert prepared[0]["code"] == 0
            upload_id = uuid.uuid4()
            for index, start in enumerate(range(0, len(firmware), PIECE)):
                name = f"{NAME}&{upload_id}&{index}&{len(firmware)}"
                answer = await _piece(session, sim, token, name, firmware[start : start + PIECE])
                assert answer["code"] == 0
                assert answer["value"]["rspCode"] == 200
            after = (await _post(session, sim, token, info))[0]["value"]["firmVer"]
            other = [{"cmd": "GetChnTypeInfo", "action": 0, "param": {"channel": 0}}]
            untouched = (await _post(session, sim, token, other))[0]["value"]["firmVer"]
    assert before != after == sim.device.upgrade["channel_version"]
    assert untouched == before


async def test_wrong_uploads_are_refused() -> None:
    """An offline or several cameras, a missing size, a piece of another file or too many bytes."""
    async with (
        Simulator(profile="nvr-8", https=False, password=PASSWORD) as sim,
        aiohttp.ClientSession() as session,
    ):
        token = await _login(session, sim)
        for bits, size in ((str(1 << 5), 10), ("3", 10), ("1", None)):
            body = _prepare(bits, 10)
            body[0]["param"]["fileSize"] = size
            answer = (await _post(session, sim, token, body))[0]
            assert answer["error"]["rspCode"] == -4, bits
        await _post(session, sim, token, _prepare("1", 10))
        other = await _piece(session, sim, token, f"other.pak&{uuid.uuid4()}&0&10", b"x")
        assert other["error"]["rspCode"] == -4
        too_long = await _piece(session, sim, token, f"{NAME}&{uuid.uuid4()}&0&10", b"x" * 11)
        assert too_long["error"]["rspCode"] == -4
        assert sim.device.upgrade["target"] is None
