"""Onboard the demo Home Assistant and add the simulated devices through the real config flow."""

import asyncio
import json
import sys
from pathlib import Path
from typing import Any

import aiohttp

USER = {"name": "Developer", "username": "dev", "password": "dev-password", "language": "en"}
DEVICE_PASSWORD = "password"


def write_http_settings(config_dir: Path, port: int) -> None:
    """Serve on 127.0.0.1:`port`, written where Home Assistant 2026.10 keeps it.

    Since 2026.10 an `http:` block in YAML is taken as a trial that reverts to port 8123
    on all interfaces after five minutes unless confirmed in the UI.
    """
    stable = {
        "server_port": port,
        "server_host": ["127.0.0.1"],
        "cors_allowed_origins": ["https://cast.home-assistant.io"],
        "login_attempts_threshold": -1,
        "ip_ban_enabled": True,
        "ssl_profile": "modern",
        "use_x_frame_options": True,
        "created_at": "2026-10-01T00:00:00+00:00",
        "error": None,
        "error_message": None,
    }
    data = {"stable": stable, "pending": None, "yaml_migration_done": True}
    storage = config_dir / ".storage"
    storage.mkdir(parents=True, exist_ok=True)
    document = {"version": 2, "minor_version": 2, "key": "http", "data": data}
    (storage / "http").write_text(json.dumps(document, indent=2), encoding="utf-8")


async def wait_until_up(http: aiohttp.ClientSession, base: str, seconds: float = 180) -> None:
    """Poll the onboarding endpoint until Home Assistant answers."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while loop.time() < deadline:
        try:
            async with http.get(f"{base}/api/onboarding") as response:
                if response.status in (200, 401, 404):
                    return
        except aiohttp.ClientError:
            pass
        await asyncio.sleep(1)
    raise SystemExit("Home Assistant did not start; see its log (home-assistant.log)")


async def access_token(http: aiohttp.ClientSession, base: str) -> str:
    """Onboard on first run; otherwise log in with the known user."""
    client_id = f"{base}/"
    async with http.get(f"{base}/api/onboarding") as response:
        steps = await response.json() if response.status == 200 else []
    if any(step["step"] == "user" and not step["done"] for step in steps):
        async with http.post(
            f"{base}/api/onboarding/users", json={**USER, "client_id": client_id}
        ) as response:
            code = (await response.json())["auth_code"]
    else:
        code = await login_code(http, base, client_id)
    async with http.post(
        f"{base}/auth/token",
        data={"grant_type": "authorization_code", "code": code, "client_id": client_id},
    ) as response:
        token = str((await response.json())["access_token"])
    headers = {"Authorization": f"Bearer {token}"}
    for step, body in (
        ("core_config", {}),
        ("analytics", {}),
        ("integration", {"client_id": client_id, "redirect_uri": f"{base}/?auth_callback=1"}),
    ):
        async with http.post(f"{base}/api/onboarding/{step}", json=body, headers=headers):
            pass
    return token


async def login_code(http: aiohttp.ClientSession, base: str, client_id: str) -> str:
    """The login flow a browser runs, for an already onboarded instance."""
    async with http.post(
        f"{base}/auth/login_flow",
        json={
            "client_id": client_id,
            "handler": ["homeassistant", None],
            "redirect_uri": f"{base}/?auth_callback=1",
        },
    ) as response:
        flow = await response.json()
    async with http.post(
        f"{base}/auth/login_flow/{flow['flow_id']}",
        json={"client_id": client_id, "username": USER["username"], "password": USER["password"]},
    ) as response:
        return str((await response.json())["result"])


async def add_device(http: aiohttp.ClientSession, base: str, token: str, port: int) -> None:
    """Run the integration's user step, as the UI would."""
    headers = {"Authorization": f"Bearer {token}"}
    async with http.post(
        f"{base}/api/config/config_entries/flow",
        json={"handler": "reolink_http"},
        headers=headers,
    ) as response:
        flow: dict[str, Any] = await response.json()
    user_input = {
        "host": "127.0.0.1",
        "port": port,
        "use_https": True,
        "username": "admin",
        "password": DEVICE_PASSWORD,
    }
    async with http.post(
        f"{base}/api/config/config_entries/flow/{flow['flow_id']}",
        json=user_input,
        headers=headers,
    ) as response:
        result = await response.json()
    outcome = result.get("title") or result.get("reason") or result.get("errors")
    print(f"Device on port {port}: {outcome}")


# Onboarding adds these; they need the internet, which the demo does not, and fail visibly.
ONLINE_ONLY = ("radio_browser",)


async def remove_online_only(http: aiohttp.ClientSession, base: str, token: str) -> None:
    """Delete the onboarding's entries that cannot work offline."""
    headers = {"Authorization": f"Bearer {token}"}
    async with http.get(f"{base}/api/config/config_entries/entry", headers=headers) as response:
        entries: list[dict[str, Any]] = await response.json()
    for entry in entries:
        if entry["domain"] in ONLINE_ONLY:
            url = f"{base}/api/config/config_entries/entry/{entry['entry_id']}"
            async with http.delete(url, headers=headers):
                pass


async def main(base: str, ports: list[int]) -> None:
    """Wait for Home Assistant, onboard it once, add every simulated device."""
    async with aiohttp.ClientSession() as http:
        await wait_until_up(http, base)
        token = await access_token(http, base)
        for port in ports:
            await add_device(http, base, token, port)
        # By now onboarding's own entries exist.
        await remove_online_only(http, base, token)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], [int(port) for port in sys.argv[2:]]))
