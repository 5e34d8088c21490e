"""The simulator's ONVIF event service, spoken to with hand-written SOAP."""

import asyncio
import base64
import hashlib
import os
import re
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import aiohttp
import pytest

from simulator import Simulator
from tests import REAL_FIRMWARE

from .conftest import PASSWORD, USERNAME, Api, StartSim

NS = {
    "s": "http://www.w3.org/2003/05/soap-envelope",
    "wsa": "http://www.w3.org/2005/08/addressing",
    "wsnt": "http://docs.oasis-open.org/wsn/b-2",
    "tev": "http://www.onvif.org/ver10/events/wsdl",
    "tt": "http://www.onvif.org/ver10/schema",
}
DIGEST_TYPE = (
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0"
    "#PasswordDigest"
)
SECURITY = (
    '<wsse:Security xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/'
    'oasis-200401-wss-wssecurity-secext-1.0.xsd" xmlns:wsu="http://docs.oasis-open.org/wss/'
    '2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"><wsse:UsernameToken>'
    f'<wsse:Username>{{user}}</wsse:Username><wsse:Password Type="{DIGEST_TYPE}">{{digest}}'
    "</wsse:Password><wsse:Nonce>{nonce}</wsse:Nonce><wsu:Created>{created}</wsu:Created>"
    "</wsse:UsernameToken></wsse:Security>"
)


def envelope(
    body: str,
    password: str = PASSWORD,
    to: str = "",
    *,
    skew: float = 0.0,
    nonce: bytes | None = None,
) -> str:
    """A request signed `skew` seconds away from our clock, with a new nonce unless given."""
    nonce = os.urandom(16) if nonce is None else nonce
    created = (datetime.now(UTC) + timedelta(seconds=skew)).strftime("%Y-%m-%dT%H:%M:%SZ")
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
    """The innermost code of a fault, as the firmware answers it."""
    codes = [value.text or "" for value in root.iterfind(".//s:Value", NS)]
    return codes[-1]


SENDER = "SOAP-ENV:Sender"
AUTH_FAILED = "wsse:FailedAuthentication"


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

    await pull(http, address)  # the second half of the announcements
    sim.patch_state({"channels": {"1": {"motion": True}}})
    changed = await pull(http, address)
    assert sorted(changed) == [
        ("tns1:RuleEngine/CellMotionDetector/Motion", "Changed", "001", "true"),
        ("tns1:VideoSource/MotionAlarm", "Changed", "001", "true"),
    ]


async def test_empty_pull_waits_for_its_timeout(
    http: aiohttp.ClientSession, sim: Simulator
) -> None:
    """Nothing to tell: the answer comes after the requested timeout (capped by the device)."""
    sim.onvif.max_pull_seconds = 0.3
    address = await create(http, sim)
    await pull(http, address, limit=1000)
    await pull(http, address, limit=1000)
    loop = asyncio.get_running_loop()
    started = loop.time()
    assert await pull(http, address, wait="PT5S") == []
    assert 0.25 < loop.time() - started < 2


async def test_doorbell_visitor_and_camera_token(
    http: aiohttp.ClientSession, start_sim: StartSim
) -> None:
    """A camera names its source "000"; doorbells publish the Visitor topic."""
    sim_api: Api = await start_sim(profile="doorbell")
    sim = sim_api.sim
    address = await create(http, sim)
    await pull(http, address)
    await pull(http, address)
    sim.patch_state({"channels": {"0": {"visitor": True}}})
    assert await pull(http, address) == [
        ("tns1:RuleEngine/MyRuleDetector/Visitor", "Changed", "000", "true")
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
    assert (status, fault_code(root)) == (400, SENDER)


async def test_limits_and_manager_calls_through_the_service(
    http: aiohttp.ClientSession, sim: Simulator
) -> None:
    """Three live pull points at most; manager calls may name the manager in wsa:To."""
    addresses = [await create(http, sim) for _ in range(3)]
    status, root = await soap(http, service(sim), envelope(CREATE.format("PT60S")))
    assert (status, fault_code(root)) == (400, SENDER)
    status, _ = await soap(http, service(sim), envelope("<wsnt:Unsubscribe/>", to=addresses[0]))
    assert status == 200
    assert sim.onvif.subscription_count == 2
    assert [re.sub(r".*\?", "", address) for address in addresses] == [
        "Idx=00000000",
        "Idx=00000001",
        "Idx=00000002",
    ]


@pytest.mark.parametrize(
    "request_text",
    [
        lambda: envelope(CREATE.format("PT60S"), password="wrong"),
        lambda: envelope(CREATE.format("PT60S")).replace("<wsse:Nonce>", "<wsse:Nonce>!!"),
        lambda: (
            f'<s:Envelope xmlns:s="{NS["s"]}" xmlns:tev="{NS["tev"]}">'
            f"<s:Body>{CREATE.format('PT60S')}</s:Body></s:Envelope>"
        ),
    ],
    ids=["wrong-password", "bad-nonce", "no-token"],
)
async def test_unauthenticated_requests_are_refused(
    http: aiohttp.ClientSession, sim: Simulator, request_text: Callable[[], str]
) -> None:
    """A wrong digest, a broken nonce or no UsernameToken: gSOAP's FailedAuthentication.

    Signed when the test runs, so only what the case names is wrong with the token.
    """
    status, root = await soap(http, service(sim), request_text())
    assert (status, fault_code(root)) == (400, AUTH_FAILED)
    assert sim.onvif.subscription_count == 0


@pytest.mark.parametrize(
    "request_text",
    [
        lambda: '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>',
        lambda: "<unclosed>",
        lambda: "<x/>",
        lambda: envelope(CREATE.format("5 minutes")),
        lambda: envelope("<tev:GetServiceCapabilities/>"),
        lambda: envelope(""),
    ],
    ids=["dtd", "broken", "not-soap", "bad-duration", "unknown-operation", "empty-body"],
)
async def test_bad_requests_get_faults(
    http: aiohttp.ClientSession, sim: Simulator, request_text: Callable[[], str]
) -> None:
    """Malformed or unsupported requests get the firmware's one fault, never a crash.

    Signed when the test runs: a token made at collection may have expired by then.
    """
    status, root = await soap(http, service(sim), request_text())
    assert (status, fault_code(root)) == (400, SENDER)
    assert root.findtext(".//s:Reason/s:Text", namespaces=NS) == ""  # empty, as captured


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


async def test_request_times_are_logged(
    http: aiohttp.ClientSession, api: Api, sim: Simulator
) -> None:
    """Each ONVIF request, answered or faulted, gets its wall time in the control answer."""
    before = time.time()
    address = await create(http, sim)
    await pull(http, address, "PT0.1S")
    status, _ = await soap(http, address, "not soap")
    assert status == 400
    after = time.time()
    _, body = await api.control("GET", "/sim/onvif")
    assert len(body["request_times"]) == body["request_count"] == 3
    assert before <= body["request_times"][0] <= body["request_times"][-1] <= after
    assert body["request_times"] == sorted(body["request_times"])


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


# Real RLC-1224A answers (tests/fixtures/README.md).
CAPTURES = REAL_FIRMWARE / "onvif"


def body_paths(root: ET.Element) -> set[str]:
    """Every element path inside the SOAP body, with namespaces."""
    body = root.find("s:Body", NS)
    assert body is not None
    paths: set[str] = set()

    def walk(element: ET.Element, prefix: str) -> None:
        for child in element:
            path = f"{prefix}/{child.tag}"
            paths.add(path)
            walk(child, path)

    walk(body, "")
    return paths


def capture(name: str) -> ET.Element:
    (path,) = CAPTURES.glob(f"{name}_*.xml")
    return ET.fromstring(path.read_bytes())  # noqa: S314 - our own evidence files


TDS = "http://www.onvif.org/ver10/device/wsdl"
DEVICE_CALLS = {
    "17": f'<tds:GetCapabilities xmlns:tds="{TDS}"><tds:Category>All</tds:Category>'
    "</tds:GetCapabilities>",
    "18": f'<tds:GetServices xmlns:tds="{TDS}"><tds:IncludeCapability>false'
    "</tds:IncludeCapability></tds:GetServices>",
}


@pytest.mark.parametrize("number", ["17", "18"], ids=["GetCapabilities", "GetServices"])
async def test_device_service_answers_as_captured(
    http: aiohttp.ClientSession, sim: Simulator, number: str
) -> None:
    """GetCapabilities and GetServices have the RLC-1224A's elements, on our ONVIF port."""
    url = f"http://127.0.0.1:{sim.onvif.port}/onvif/device_service"
    body = DEVICE_CALLS[number]
    status, root = await soap(http, url, envelope(body))
    assert status == 200, ET.tostring(root)
    assert body_paths(root) == body_paths(capture(number))
    addresses = [e.text or "" for e in root.iter() if e.tag.endswith("XAddr")]
    assert addresses
    assert all(a.startswith(f"http://127.0.0.1:{sim.onvif.port}/onvif/") for a in addresses)
    assert f"http://127.0.0.1:{sim.onvif.port}/onvif/event_service" in addresses
    unsigned = f'<s:Envelope xmlns:s="{NS["s"]}"><s:Body>{body}</s:Body></s:Envelope>'
    status, root = await soap(http, url, unsigned)
    assert (status, fault_code(root)) == (400, AUTH_FAILED)


async def test_event_answers_as_captured(http: aiohttp.ClientSession, sim: Simulator) -> None:
    """Create, the two announcing pulls and Unsubscribe have the captured elements and order."""
    status, root = await soap(http, service(sim), envelope(CREATE.format("PT60S")))
    assert body_paths(root) == body_paths(capture("01"))
    address = root.findtext(".//wsa:Address", namespaces=NS) or ""
    topics = []
    for number in ("02", "03"):
        status, root = await soap(http, address, envelope(PULL.format("PT5S", 100), to=address))
        assert status == 200
        assert body_paths(root) == body_paths(capture(number))
        topics.append([t.text for t in root.iterfind(".//wsnt:Topic", NS)])
        expected = [t.text for t in capture(number).iterfind(".//wsnt:Topic", NS)]
        assert topics[-1] == expected
        # The answer echoes the request's To, as the firmware does.
        assert root.findtext("s:Header/wsa:To", namespaces=NS) == address
    status, root = await soap(http, address, envelope("<wsnt:Unsubscribe/>", to=address))
    assert body_paths(root) == body_paths(capture("04"))


async def test_fault_as_captured(http: aiohttp.ClientSession, sim: Simulator) -> None:
    """Unsubscribe of an unknown manager: HTTP 400 and the captured fault, nothing else."""
    address = f"http://127.0.0.1:{sim.onvif.port}/onvif/PullSubManager?Idx=00000007"
    status, root = await soap(http, address, envelope("<wsnt:Unsubscribe/>"))
    assert status == 400
    assert body_paths(root) == body_paths(capture("10"))


async def test_clock_is_unsigned_and_tokens_follow_it(
    http: aiohttp.ClientSession, sim: Simulator
) -> None:
    """GetSystemDateAndTime needs no token and tells the device's clock, which tokens must meet."""
    await sim.onvif.set_faults(clock_offset=-3 * 3600)
    url = f"http://127.0.0.1:{sim.onvif.port}/onvif/device_service"
    body = f'<tds:GetSystemDateAndTime xmlns:tds="{TDS}"/>'
    status, root = await soap(
        http, url, f'<s:Envelope xmlns:s="{NS["s"]}"><s:Body>{body}</s:Body></s:Envelope>'
    )
    assert status == 200
    utc = {
        e.tag.rsplit("}", 1)[-1]: int(e.text or "")
        for e in root.iterfind(".//tt:UTCDateTime/*/*", NS)
    }
    device = datetime(
        utc["Year"], utc["Month"], utc["Day"], utc["Hour"], utc["Minute"], utc["Second"], tzinfo=UTC
    )
    assert abs((device - datetime.now(UTC)).total_seconds() + 3 * 3600) < 5
    status, root = await soap(http, service(sim), envelope(CREATE.format("PT60S")))
    assert (status, fault_code(root)) == (400, AUTH_FAILED)
    status, _ = await soap(http, service(sim), envelope(CREATE.format("PT60S"), skew=-3 * 3600))
    assert status == 200


@pytest.mark.parametrize(
    ("skew", "accepted"),
    [(-400 * 86400, False), (-600, False), (-500, True), (290, True), (400, False)],
    ids=["400-days-old", "10-min-old", "8-min-old", "5-min-ahead", "7-min-ahead"],
)
async def test_token_time_window(
    http: aiohttp.ClientSession, sim: Simulator, skew: float, accepted: bool
) -> None:
    """gSOAP's window: created at most 300 s ahead of the device, and at most 540 s ago."""
    status, root = await soap(http, service(sim), envelope(CREATE.format("PT60S"), skew=skew))
    assert (status == 200) is accepted, ET.tostring(root)
    if not accepted:
        assert fault_code(root) == AUTH_FAILED


async def test_replayed_nonce_is_refused(http: aiohttp.ClientSession, sim: Simulator) -> None:
    """The same nonce and digest twice: the second request is refused, a new nonce passes."""
    nonce = os.urandom(16)
    text = envelope(CREATE.format("PT60S"), nonce=nonce)
    assert (await soap(http, service(sim), text))[0] == 200
    status, root = await soap(http, service(sim), text)
    assert (status, fault_code(root)) == (400, AUTH_FAILED)
    assert sim.onvif.subscription_count == 1
    assert (await soap(http, service(sim), envelope(CREATE.format("PT60S"))))[0] == 200


async def test_event_properties_name_the_nine_topics(
    http: aiohttp.ClientSession, sim: Simulator
) -> None:
    """GetEventProperties lists Reolink's topics; the announcements cover the same nine."""
    status, root = await soap(http, service(sim), envelope("<tev:GetEventProperties/>"))
    assert status == 200
    set_ = root.find(".//{http://docs.oasis-open.org/wsn/t-1}TopicSet")
    assert set_ is not None
    named = {
        element.tag.rsplit("}", 1)[-1]
        for element in set_.iter()
        if element.get("{http://docs.oasis-open.org/wsn/t-1}topic") == "true"
    }
    address = await create(http, sim)
    first, second = await pull(http, address), await pull(http, address)
    announced = {topic.rsplit("/", 1)[-1] for topic, _, _, _ in first + second}
    assert named == announced
    assert len(named) == 9
    assert [len(first), len(second)] == [6, 3]


async def test_pull_cap_is_twenty_seconds_by_default(start_sim: StartSim) -> None:
    """Cameras answer a long poll after about 20 s whatever it asked; a flag changes it."""
    default = (await start_sim(profile="ipc")).sim
    assert default.onvif.max_pull_seconds == 20
    flagged = (await start_sim(profile="ipc", onvif_pull_seconds=7)).sim
    assert flagged.onvif.describe()["max_pull_seconds"] == 7


async def test_empty_pull_ends_at_the_cap_whatever_it_asked(
    http: aiohttp.ClientSession, sim: Simulator
) -> None:
    """A pull asking five minutes is answered, empty, at the device's cap."""
    sim.onvif.max_pull_seconds = 0.3
    address = await create(http, sim)
    await pull(http, address)
    await pull(http, address)
    loop = asyncio.get_running_loop()
    started = loop.time()
    assert await pull(http, address, wait="PT5M") == []
    assert loop.time() - started < 3


async def test_notification_faults(http: aiohttp.ClientSession, sim: Simulator) -> None:
    """chatty answers every pull at once; source relabels; foreign_namespace moves tt:Message."""
    sim.onvif.max_pull_seconds = 30
    address = await create(http, sim)
    await pull(http, address)
    await pull(http, address)
    await sim.onvif.set_faults(chatty=True, source="²")
    for _ in range(3):
        async with asyncio.timeout(5):
            assert await pull(http, address) == [
                ("tns1:RuleEngine/CellMotionDetector/Motion", "Changed", "²", "false")
            ]
    await sim.onvif.set_faults(chatty=False, foreign_namespace=True)
    sim.patch_state({"channels": {"0": {"motion": True}}})
    status, root = await soap(http, address, envelope(PULL.format("PT5S", 100)))
    assert status == 200
    assert len(root.findall(".//wsnt:NotificationMessage", NS)) == 2
    assert root.findall(".//tt:Message", NS) == []


async def test_utf16_bomb_hides_its_document_type(
    http: aiohttp.ClientSession, sim: Simulator
) -> None:
    """utf16_bomb answers a pull with a DTD in UTF-16: no `<!DOCTYPE` bytes, yet one inside."""
    address = await create(http, sim)
    await sim.onvif.set_faults(utf16_bomb=True)
    async with http.post(address, data=envelope(PULL.format("PT1S", 10))) as response:
        raw = await response.read()
    assert response.status == 200
    assert raw.startswith(b"\xff\xfe")  # the byte order mark
    assert b"<!DOCTYPE" not in raw
    assert "<!DOCTYPE" in raw.decode("utf-16")
    assert sim.onvif.subscription_count == 1


async def test_broken_answers_keep_the_subscription(
    http: aiohttp.ClientSession, sim: Simulator
) -> None:
    """broken_answers cuts PullMessages and Renew answers in half; the subscription lives on."""
    address = await create(http, sim)
    await sim.onvif.set_faults(broken_answers=True)
    async with http.post(address, data=envelope(PULL.format("PT1S", 10))) as response:
        text = await response.text()
    assert response.status == 200
    with pytest.raises(ET.ParseError):
        ET.fromstring(text)  # noqa: S314 - own simulator
    assert sim.onvif.subscription_count == 1
    status, _ = await soap(http, address, envelope("<wsnt:Unsubscribe/>"))
    assert (status, sim.onvif.subscription_count) == (200, 0)
