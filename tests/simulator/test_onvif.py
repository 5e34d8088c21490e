"""The simulator's ONVIF event service, spoken to with hand-written SOAP."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import os
import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime

import aiohttp
import pytest

from simulator import Simulator

from .conftest import PASSWORD, USERNAME, Api, StartSim

NS = {
    "s": "http://www.w3.org/2003/05/soap-envelope",
    "wsa": "http://www.w3.org/2005/08/addressing",
    "wsnt": "http://docs.oasis-open.org/wsn/b-2",
    "tev": "http://www.onvif.org/ver10/events/wsdl",
    "tt": "http://www.onvif.org/ver10/schema",
}
SECURITY = (
    '<wsse:Security xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/'
    'oasis-200401-wss-wssecurity-secext-1.0.xsd" xmlns:wsu="http://docs.oasis-open.org/wss/'
    '2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"><wsse:UsernameToken>'
    "<wsse:Username>{user}</wsse:Username><wsse:Password>{digest}</wsse:Password>"
    "<wsse:Nonce>{nonce}</wsse:Nonce><wsu:Created>{created}</wsu:Created>"
    "</wsse:UsernameToken></wsse:Security>"
)


def envelope(body: str, password: str = PASSWORD, to: str = "") -> str:
    nonce = os.urandom(16)
    created = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    digest = hashlib.sha1(nonce + created.encode() + password.encode(), usedforsecurity=False)
    security = SECURITY.format(
        user=USERNAME,
        digest=base64.b64encode(digest.digest()).decode(),
        nonce=base64.b64encode(nonce).decode(),
        created=created,
    )
    header = f"<wsa:To>{to}</wsa:To>" if to else ""
    return (
        f'<s:Envelope xmlns:s="{NS["s"]}" xmlns:wsa="{NS["wsa"]}" xmlns:wsnt="{NS["wsnt"]}" '
        f'xmlns:tev="{NS["tev"]}"><s:Header>{header}{security}</s:Header>'
        f"<s:Body>{body}</s:Body></s:Envelope>"
    )


CREATE = (
    "<tev:CreatePullPointSubscription><tev:InitialTerminationTime>{}"
    "</tev:InitialTerminationTime></tev:CreatePullPointSubscription>"
)
PULL = (
    "<tev:PullMessages><tev:Timeout>{}</tev:Timeout>"
    "<tev:MessageLimit>{}</tev:MessageLimit></tev:PullMessages>"
)


async def soap(http: aiohttp.ClientSession, url: str, text: str) -> tuple[int, ET.Element]:
    async with http.post(url, data=text) as response:
        return response.status, ET.fromstring(await response.read())  # noqa: S314 - own simulator


def service(sim: Simulator) -> str:
    return f"http://127.0.0.1:{sim.onvif.port}/onvif/event_service"


async def create(http: aiohttp.ClientSession, sim: Simulator, lifetime: str = "PT60S") -> str:
    status, root = await soap(http, service(sim), envelope(CREATE.format(lifetime)))
    assert status == 200, ET.tostring(root)
    address = root.findtext(".//wsa:Address", namespaces=NS)
    assert address
    return address


async def pull(
    http: aiohttp.ClientSession, address: str, wait: str = "PT2S", limit: int = 100
) -> list[tuple[str, str, str, str]]:
    """(topic, operation, source, state) of each message."""
    status, root = await soap(http, address, envelope(PULL.format(wait, limit)))
    assert status == 200, ET.tostring(root)
    messages = []
    for message in root.iterfind(".//wsnt:NotificationMessage", NS):
        body = message.find(".//tt:Message", NS)
        assert body is not None
        items = {i.get("Name"): i.get("Value") for i in body.iterfind(".//tt:SimpleItem", NS)}
        messages.append(
            (
                message.findtext("wsnt:Topic", namespaces=NS) or "",
                body.get("PropertyOperation") or "",
                items.get("Source") or items.get("VideoSourceConfigurationToken") or "",
                items.get("State") or items.get("IsMotion") or "",
            )
        )
    return messages


def fault_code(root: ET.Element) -> str:
    codes = [value.text or "" for value in root.iterfind(".//s:Value", NS)]
    return codes[-1]


async def test_port_is_in_get_net_port(api: Api, sim: Simulator) -> None:
    """GetNetPort reports where the service really listens."""
    answers = await api.post([{"cmd": "GetNetPort"}], token=await api.token())
    assert answers[0]["value"]["NetPort"]["onvifPort"] == sim.onvif.port != 0


async def test_initial_state_then_changes(http: aiohttp.ClientSession, start_sim: StartSim) -> None:
    """A new subscription gets every topic's state, then only changes, per NVR channel."""
    sim_api: Api = await start_sim(profile="nvr-8")
    sim = sim_api.sim
    address = await create(http, sim)
    initial = await pull(http, address)
    online = [c["channel"] for c in sim.state["channels"] if c["online"]]
    assert {int(source) for _, _, source, _ in initial} == set(online)
    assert {operation for _, operation, _, _ in initial} == {"Initialized"}
    topics = {topic for topic, _, _, _ in initial}
    assert "tns1:RuleEngine/CellMotionDetector/Motion" in topics
    assert "tns1:RuleEngine/MyRuleDetector/PeopleDetect" in topics

    sim.patch_state({"channels": {"1": {"motion": True}}})
    changed = await pull(http, address)
    assert sorted(changed) == [
        ("tns1:RuleEngine/CellMotionDetector/Motion", "Changed", "1", "true"),
        ("tns1:VideoSource/MotionAlarm", "Changed", "1", "true"),
    ]


async def test_empty_pull_waits_for_its_timeout(
    http: aiohttp.ClientSession, sim: Simulator
) -> None:
    """Nothing to tell: the answer comes after the requested timeout (capped by the device)."""
    sim.onvif.max_pull_seconds = 0.3
    address = await create(http, sim)
    await pull(http, address, limit=1000)
    loop = asyncio.get_running_loop()
    started = loop.time()
    assert await pull(http, address, wait="PT5S") == []
    assert 0.25 < loop.time() - started < 2


async def test_doorbell_visitor_and_camera_token(
    http: aiohttp.ClientSession, start_sim: StartSim
) -> None:
    """A camera names its source by token; doorbells publish the Visitor topic."""
    sim_api: Api = await start_sim(profile="doorbell")
    sim = sim_api.sim
    address = await create(http, sim)
    await pull(http, address)
    sim.patch_state({"channels": {"0": {"visitor": True}}})
    assert await pull(http, address) == [
        ("tns1:RuleEngine/MyRuleDetector/Visitor", "Changed", "VideoSourceToken", "true")
    ]


async def test_lifetime_renew_quirk_and_expiry(http: aiohttp.ClientSession, sim: Simulator) -> None:
    """Lifetimes are capped; Renew repeats the first termination time; unrenewed ones end."""
    sim.onvif.max_lifetime = 1
    status, root = await soap(http, service(sim), envelope(CREATE.format("PT1H")))
    assert status == 200
    current = datetime.fromisoformat(root.findtext(".//wsnt:CurrentTime", namespaces=NS) or "")
    ends = root.findtext(".//wsnt:TerminationTime", namespaces=NS) or ""
    assert (datetime.fromisoformat(ends) - current).total_seconds() == 1
    address = root.findtext(".//wsa:Address", namespaces=NS) or ""
    await asyncio.sleep(0.6)
    renew = "<wsnt:Renew><wsnt:TerminationTime>PT1S</wsnt:TerminationTime></wsnt:Renew>"
    status, root = await soap(http, address, envelope(renew))
    assert status == 200
    assert root.findtext(".//wsnt:TerminationTime", namespaces=NS) == ends
    await asyncio.sleep(0.6)
    assert sim.onvif.subscription_count == 1  # renewed, so still alive past the first end
    await asyncio.sleep(0.6)
    status, root = await soap(http, address, envelope(PULL.format("PT1S", 10)))
    assert (status, fault_code(root)) == (400, "wsrf-rw:ResourceUnknownFault")


async def test_limits_and_manager_calls_through_the_service(
    http: aiohttp.ClientSession, sim: Simulator
) -> None:
    """Three live pull points at most; manager calls may name the manager in wsa:To."""
    addresses = [await create(http, sim) for _ in range(3)]
    status, root = await soap(http, service(sim), envelope(CREATE.format("PT60S")))
    assert (status, fault_code(root)) == (500, "ter:Action")
    status, _ = await soap(http, service(sim), envelope("<wsnt:Unsubscribe/>", to=addresses[0]))
    assert status == 200
    assert sim.onvif.subscription_count == 2
    assert re.search(r"Idx=\d+$", addresses[1])


@pytest.mark.parametrize(
    "text",
    [
        envelope(CREATE.format("PT60S"), password="wrong"),
        envelope(CREATE.format("PT60S")).replace("<wsse:Nonce>", "<wsse:Nonce>!!"),
        f'<s:Envelope xmlns:s="{NS["s"]}" xmlns:tev="{NS["tev"]}">'
        f"<s:Body>{CREATE.format('PT60S')}</s:Body></s:Envelope>",
    ],
    ids=["wrong-password", "bad-nonce", "no-token"],
)
async def test_unauthenticated_requests_are_refused(
    http: aiohttp.ClientSession, sim: Simulator, text: str
) -> None:
    """A wrong digest, a broken nonce or no UsernameToken: ter:NotAuthorized."""
    status, root = await soap(http, service(sim), text)
    assert (status, fault_code(root)) == (400, "ter:NotAuthorized")
    assert sim.onvif.subscription_count == 0


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>', "ter:InvalidArgs"),
        ("<unclosed>", "ter:WellFormed"),
        ("<x/>", "ter:WellFormed"),
        (envelope(CREATE.format("5 minutes")), "ter:InvalidArgVal"),
        (envelope("<tev:GetEventProperties/>"), "ter:ActionNotSupported"),
        (envelope(""), "ter:InvalidArgs"),
    ],
    ids=["dtd", "broken", "not-soap", "bad-duration", "unknown-operation", "empty-body"],
)
async def test_bad_requests_get_faults(
    http: aiohttp.ClientSession, sim: Simulator, text: str, code: str
) -> None:
    """Malformed or unsupported requests are answered with a SOAP fault, never a crash."""
    if code == "ter:ActionNotSupported":
        address = await create(http, sim)
    else:
        address = service(sim)
    status, root = await soap(http, address, text)
    assert status == 400
    assert fault_code(root) == code


async def test_faults_through_the_control_api(
    http: aiohttp.ClientSession, api: Api, sim: Simulator
) -> None:
    """refuse/expire/silent/port_closed switch on and off; bad keys answer 400."""
    address = await create(http, sim)
    status, body = await api.control("POST", "/sim/onvif", {"expire": True, "silent": True})
    assert status == 200
    assert body["subscriptions"] == 0
    assert body["faults"]["silent"] is True
    status, _ = await soap(http, address, envelope(PULL.format("PT1S", 1)))
    assert status == 400  # the expired subscription is gone before silence matters
    new = await create(http, sim)
    with pytest.raises(TimeoutError):
        async with asyncio.timeout(0.5):
            await pull(http, new, "PT0.1S")
    assert (await api.control("POST", "/sim/onvif", {"nope": True}))[0] == 400
    assert (await api.control("POST", "/sim/onvif", {"silent": "yes"}))[0] == 400
    await api.control("POST", "/sim/onvif", {"port_closed": True})
    with pytest.raises(aiohttp.ClientConnectionError):
        await create(http, sim)
    status, body = await api.control("DELETE", "/sim/onvif")
    assert not any(body["faults"].values())
    await create(http, sim)
    status, body = await api.control("GET", "/sim/onvif")
    assert body["port"] == sim.onvif.port
    assert "CreatePullPointSubscription" in body["operations"]


async def test_disabled_onvif_and_reboot(http: aiohttp.ClientSession, start_sim: StartSim) -> None:
    """onvifEnable 0 closes the door; a reboot drops subscriptions and reopens the port."""
    sim_api: Api = await start_sim(profile="ipc", reboot_seconds=0.2)
    sim = sim_api.sim
    await create(http, sim)
    await sim.reboot()
    with pytest.raises(aiohttp.ClientConnectionError):
        await create(http, sim)
    await sim.wait_online()
    assert sim.onvif.subscription_count == 0
    await create(http, sim)
    sim.patch_state({"config": {"NetPort": {"onvifEnable": 0}}})
    with pytest.raises(aiohttp.ClientConnectionError):
        await create(http, sim)
