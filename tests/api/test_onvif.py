"""ONVIF event client against the simulator's event service, and against hostile answers."""

import asyncio
import base64
import hashlib
from collections.abc import AsyncIterator, Awaitable, Callable

import aiohttp
import pytest
from aiohttp import web

from custom_components.reolink_http.api.onvif import (
    MAX_BODY_BYTES,
    OnvifAuthError,
    OnvifConnectionError,
    OnvifEventClient,
    OnvifFaultError,
    OnvifResponseError,
    OnvifTimeoutError,
    PullPointSubscription,
    format_duration,
    password_digest,
)
from simulator import Simulator

from .conftest import SimFactory

type Peer = Callable[
    [web.Response | Callable[[web.Request], Awaitable[web.Response]]], Awaitable[int]
]


DEVICE_PASSWORD = "password"


def onvif_client(
    http: aiohttp.ClientSession, port: int, password: str = DEVICE_PASSWORD
) -> OnvifEventClient:
    return OnvifEventClient(http, "127.0.0.1", port, "admin", password, timeout=2)


async def test_digest_matches_the_profile_example() -> None:
    """WS-Security UsernameToken Profile 1.0: Base64(SHA-1(nonce + created + password))."""
    nonce = b"0123456789abcdef"
    expected = base64.b64encode(
        hashlib.sha1(nonce + b"2026-01-01T00:00:00.000Zsecret", usedforsecurity=False).digest()
    ).decode()
    assert password_digest(nonce, "2026-01-01T00:00:00.000Z", "secret") == expected
    assert format_duration(59.6) == "PT60S"
    assert format_duration(0) == "PT1S"


async def test_lifecycle_against_the_simulator(
    start_sim: SimFactory, http: aiohttp.ClientSession
) -> None:
    """Create, initial states, a pushed change, renew, unsubscribe."""
    sim: Simulator = await start_sim(profile="nvr-8")
    client = onvif_client(http, sim.onvif.port)
    subscription = await client.create_pull_point(600)
    assert subscription.lifetime == 600
    assert subscription.address.endswith("/onvif/PullSubManager?Idx=00000000")
    initial = (await client.pull_messages(subscription, 5)).events
    initial += (await client.pull_messages(subscription, 5)).events
    assert all(event.initialized and not event.state for event in initial)
    assert {event.rule for event in initial} >= {"Motion", "PeopleDetect", "Package"}
    assert {event.channel for event in initial} == {
        c["channel"] for c in sim.state["channels"] if c["online"]
    }

    sim.patch_state({"channels": {"2": {"ai": {"vehicle": True}}}})
    changed = await client.pull_messages(subscription, 5)
    assert [(e.rule, e.channel, e.state) for e in changed.events] == [("VehicleDetect", 2, True)]
    assert changed.unreadable == 0

    subscription.expires = 0
    await client.renew(subscription)
    assert subscription.remaining() > 590
    await client.unsubscribe(subscription)
    assert sim.onvif.subscription_count == 0
    with pytest.raises(OnvifFaultError, match="Sender"):
        await client.pull_messages(subscription, 1)


async def test_camera_source_and_older_token(
    start_sim: SimFactory, http: aiohttp.ClientSession
) -> None:
    """A camera names its source "000"; older firmware's "VideoSourceToken" is no channel."""
    sim: Simulator = await start_sim(profile="doorbell")
    client = onvif_client(http, sim.onvif.port)
    subscription = await client.create_pull_point(60)
    await client.pull_messages(subscription, 5)
    await client.pull_messages(subscription, 5)
    sim.patch_state({"channels": {"0": {"visitor": True}}})
    (event,) = (await client.pull_messages(subscription, 5)).events
    assert (event.rule, event.source, event.channel, event.state) == ("Visitor", "000", 0, True)
    await sim.onvif.set_faults(source="VideoSourceToken")
    sim.patch_state({"channels": {"0": {"visitor": False}}})
    (event,) = (await client.pull_messages(subscription, 5)).events
    assert (event.source, event.channel, event.state) == ("VideoSourceToken", None, False)
    await client.unsubscribe(subscription)


@pytest.mark.parametrize(
    "source",
    ["²", "٣", "1" * 4300, "9" * 5000, "-1", " 1", "1.0", "0x1", "1234", ""],
    ids=[
        "superscript",
        "arabic",
        "4300-digits",
        "5000-digits",
        "minus",
        "space",
        "float",
        "hex",
        "4-digits",
        "empty",
    ],
)
async def test_sources_that_name_no_channel(
    start_sim: SimFactory, http: aiohttp.ClientSession, source: str
) -> None:
    """Digits int() refuses, or more than any device has, are no channel and no error."""
    sim: Simulator = await start_sim(profile="ipc")
    await sim.onvif.set_faults(source=source)
    client = onvif_client(http, sim.onvif.port)
    subscription = await client.create_pull_point(60)
    answer = await client.pull_messages(subscription, 5)
    assert answer.events
    assert {(event.source, event.channel) for event in answer.events} == {(source, None)}
    await client.unsubscribe(subscription)


async def test_unreadable_notifications_are_counted(
    start_sim: SimFactory, http: aiohttp.ClientSession
) -> None:
    """Notifications in another namespace are not events, but the answer says they came."""
    sim: Simulator = await start_sim(profile="ipc")
    await sim.onvif.set_faults(foreign_namespace=True)
    client = onvif_client(http, sim.onvif.port)
    subscription = await client.create_pull_point(60)
    first = await client.pull_messages(subscription, 5)
    assert (first.events, first.unreadable) == ([], 6)
    await client.unsubscribe(subscription)


async def test_clock_far_off_is_read_and_signed_with(
    start_sim: SimFactory, http: aiohttp.ClientSession
) -> None:
    """A device three hours ahead refuses our clock's tokens until we read and use its clock."""
    sim: Simulator = await start_sim(profile="ipc")
    await sim.onvif.set_faults(clock_offset=3 * 3600)
    client = onvif_client(http, sim.onvif.port)
    with pytest.raises(OnvifAuthError):
        await client.create_pull_point(60)
    offset = await client.sync_clock()
    assert abs(offset - 3 * 3600) < 3
    subscription = await client.create_pull_point(60)
    assert subscription.lifetime == 60
    await client.unsubscribe(subscription)
    assert sim.onvif.subscription_count == 0


async def test_wrong_password_is_an_auth_error(
    start_sim: SimFactory, http: aiohttp.ClientSession
) -> None:
    """ter:NotAuthorized becomes OnvifAuthError, which never names the password."""
    sim: Simulator = await start_sim(profile="ipc")
    with pytest.raises(OnvifAuthError) as caught:
        await onvif_client(http, sim.onvif.port, "wrong-secret").create_pull_point(60)
    assert "wrong-secret" not in str(caught.value)


async def test_refused_and_closed_port(start_sim: SimFactory, http: aiohttp.ClientSession) -> None:
    """A refused subscription is a SOAP fault; a closed port a connection error."""
    sim: Simulator = await start_sim(profile="ipc")
    client = onvif_client(http, sim.onvif.port)
    await sim.onvif.set_faults(refuse_subscriptions=True)
    with pytest.raises(OnvifFaultError):
        await client.create_pull_point(60)
    await sim.onvif.set_faults(refuse_subscriptions=False, port_closed=True)
    with pytest.raises(OnvifConnectionError):
        await client.create_pull_point(60)


async def test_silent_pull_times_out(
    start_sim: SimFactory, http: aiohttp.ClientSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A PullMessages the device never answers ends after its timeout plus the grace."""
    monkeypatch.setattr("custom_components.reolink_http.api.onvif.PULL_GRACE", 0.2)
    sim: Simulator = await start_sim(profile="ipc")
    client = onvif_client(http, sim.onvif.port)
    subscription = await client.create_pull_point(60)
    await sim.onvif.set_faults(silent=True)
    with pytest.raises(OnvifTimeoutError):
        await client.pull_messages(subscription, 0.3)


@pytest.fixture
async def peer() -> AsyncIterator[Peer]:
    """A fake ONVIF port answering whatever the test gives it."""
    runners: list[web.AppRunner] = []

    async def serve(
        answer: web.Response | Callable[[web.Request], Awaitable[web.Response]],
    ) -> int:
        async def handle(request: web.Request) -> web.Response:
            return answer if isinstance(answer, web.Response) else await answer(request)

        app = web.Application()
        app.router.add_post("/{tail:.*}", handle)
        runner = web.AppRunner(app)
        await runner.setup()
        runners.append(runner)
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        return int(runner.addresses[0][1])

    yield serve
    for runner in runners:
        await runner.cleanup()


ENVELOPE = (
    '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body>{}</s:Body></s:Envelope>'
)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("not xml at all", "not XML"),
        ("<html><body>hi</body></html>", "not a SOAP 1.2 envelope"),
        (
            '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>' + ENVELOPE.format("&a;"),
            "document type declaration",
        ),
        (ENVELOPE.format("<x/>" * (MAX_BODY_BYTES // 4)), "larger than"),
        (ENVELOPE.format(""), "lacks wsa:Address"),
    ],
    ids=["not-xml", "html", "entities", "too-large", "no-address"],
)
async def test_bad_answers_are_typed_errors(
    http: aiohttp.ClientSession, peer: Peer, body: str, message: str
) -> None:
    """Anything but a well-formed, small SOAP envelope is an OnvifResponseError."""
    port = await peer(web.Response(text=body, content_type="application/soap+xml"))
    with pytest.raises(OnvifResponseError, match=message):
        await onvif_client(http, port).create_pull_point(60)


async def test_subscription_address_keeps_our_host(http: aiohttp.ClientSession, peer: Peer) -> None:
    """A device reporting another address (NAT, port mapping) is still reached where we reach it."""
    answer = ENVELOPE.format(
        '<tev:CreatePullPointSubscriptionResponse xmlns:tev="http://www.onvif.org/ver10/events/wsdl"'
        ' xmlns:wsa="http://www.w3.org/2005/08/addressing"'
        ' xmlns:wsnt="http://docs.oasis-open.org/wsn/b-2"><tev:SubscriptionReference>'
        "<wsa:Address>http://10.9.9.9:8000/onvif/PullSubManager?Idx=7</wsa:Address>"
        "</tev:SubscriptionReference><wsnt:CurrentTime>2026-01-01T00:00:00Z</wsnt:CurrentTime>"
        "<wsnt:TerminationTime>2026-01-01T00:01:00+00:00</wsnt:TerminationTime>"
        "</tev:CreatePullPointSubscriptionResponse>"
    )
    port = await peer(web.Response(text=answer, content_type="application/soap+xml"))
    subscription = await onvif_client(http, port).create_pull_point(600)
    assert subscription.address == f"http://127.0.0.1:{port}/onvif/PullSubManager?Idx=7"
    assert subscription.lifetime == 60


async def test_http_error_without_fault_and_broken_connection(
    http: aiohttp.ClientSession, peer: Peer
) -> None:
    """A 500 with a plain envelope is a response error; a dropped connection a connection error."""
    port = await peer(web.Response(status=500, text=ENVELOPE.format("")))
    subscription = PullPointSubscription(f"http://127.0.0.1:{port}/onvif/x", 60, 0)
    with pytest.raises(OnvifResponseError, match="HTTP status 500"):
        await onvif_client(http, port).renew(subscription)

    async def drop(request: web.Request) -> web.Response:
        assert request.transport is not None
        request.transport.abort()
        await asyncio.sleep(0)
        return web.Response()

    port = await peer(drop)
    with pytest.raises(OnvifConnectionError):
        await onvif_client(http, port).unsubscribe(subscription)


async def test_port_out_of_range(http: aiohttp.ClientSession) -> None:
    """A port GetNetPort could never report is refused up front."""
    with pytest.raises(ValueError, match="out of range"):
        OnvifEventClient(http, "127.0.0.1", 0, "admin", "password")


DATE_AND_TIME = (
    '<tds:GetSystemDateAndTimeResponse xmlns:tds="http://www.onvif.org/ver10/device/wsdl" '
    'xmlns:tt="http://www.onvif.org/ver10/schema"><tds:SystemDateAndTime><tt:UTCDateTime>'
    "<tt:Time><tt:Hour>{hour}</tt:Hour><tt:Minute>0</tt:Minute><tt:Second>0</tt:Second>"
    "</tt:Time><tt:Date><tt:Year>{year}</tt:Year><tt:Month>1</tt:Month><tt:Day>1</tt:Day>"
    "</tt:Date></tt:UTCDateTime></tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse>"
)


@pytest.mark.parametrize(
    ("year", "hour", "message"),
    [
        ("9999", "0", "not plausible"),
        ("1", "0", "not plausible"),
        ("2026", "25", "no valid UTCDateTime"),
        ("2026", "²", "no valid UTCDateTime"),
        ("2026", "9" * 4300, "no valid UTCDateTime"),
    ],
    ids=["year-9999", "year-1", "hour-25", "superscript", "4300-digits"],
)
async def test_broken_device_clock_is_a_typed_error(
    http: aiohttp.ClientSession, peer: Peer, year: str, hour: str, message: str
) -> None:
    """A clock no device can have is refused; tokens stay dated by ours."""
    answer = ENVELOPE.format(DATE_AND_TIME.format(year=year, hour=hour))
    port = await peer(web.Response(text=answer, content_type="application/soap+xml"))
    client = onvif_client(http, port)
    with pytest.raises(OnvifResponseError, match=message):
        await client.sync_clock()
    assert client.clock_offset == 0
