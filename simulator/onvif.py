"""ONVIF event service of the simulated device (ONVIF Core 9.1 pull point, 9.4 subscriptions).

Served on its own port, as real devices do (GetNetPort ``onvifPort``; the actual port is
written there when the service starts). The event source is the same device state that
GetMdState/GetAiState read, so both paths always agree. Modelled after Reolink firmware:

- ``/onvif/event_service`` takes CreatePullPointSubscription; the manager lives at
  ``/onvif/PullSubManager?Idx=N`` (manager calls sent to the event service with a WS-Addressing
  ``To`` naming the manager are accepted too, as some clients do that).
- Topics: ``tns1:RuleEngine/CellMotionDetector/Motion`` (``IsMotion``),
  ``tns1:VideoSource/MotionAlarm``, ``tns1:RuleEngine/MyRuleDetector/{PeopleDetect,
  VehicleDetect, DogCatDetect, FaceDetect, Package, Visitor}`` (``State``). Cameras name the
  source ``VideoSourceToken``; NVRs put the channel index there.
- A new subscription first gets the current state of every topic (``Initialized``).
- Renew answers with the *initial* termination time (a firmware bug clients must live with).
- At most ``max_subscriptions`` live pull points; more are refused with a SOAP fault.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import itertools
import re
import time
import xml.etree.ElementTree as ET
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from xml.sax.saxutils import escape

from aiohttp import web

from simulator.device import Device

EVENT_SERVICE_PATH = "/onvif/event_service"
MANAGER_PATH = "/onvif/PullSubManager"
MAX_REQUEST_BYTES = 64 * 1024
QUEUE_LIMIT = 1000
# How often the event engine compares the device state with what it last published.
TICK_SECONDS = 0.02
SHUTDOWN_TIMEOUT = 1.0

NS = {
    "soap": "http://www.w3.org/2003/05/soap-envelope",
    "wsa": "http://www.w3.org/2005/08/addressing",
    "wsnt": "http://docs.oasis-open.org/wsn/b-2",
    "tev": "http://www.onvif.org/ver10/events/wsdl",
    "tt": "http://www.onvif.org/ver10/schema",
    "wsse": "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd",
    "wsu": "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd",
}
CONCRETE_SET = "http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet"
MOTION_TOPIC = "tns1:RuleEngine/CellMotionDetector/Motion"
MOTION_ALARM_TOPIC = "tns1:VideoSource/MotionAlarm"
AI_TOPICS = {
    "people": "tns1:RuleEngine/MyRuleDetector/PeopleDetect",
    "vehicle": "tns1:RuleEngine/MyRuleDetector/VehicleDetect",
    "dog_cat": "tns1:RuleEngine/MyRuleDetector/DogCatDetect",
    "face": "tns1:RuleEngine/MyRuleDetector/FaceDetect",
    "package": "tns1:RuleEngine/MyRuleDetector/Package",
    # Unverified: in no public capture, and reolink_aio 0.22.0 does not subscribe to it.
    "non-motor vehicle": "tns1:RuleEngine/MyRuleDetector/Non_Motor_VehicleDetect",
}
VISITOR_TOPIC = "tns1:RuleEngine/MyRuleDetector/Visitor"
_DURATION = re.compile(r"^PT(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?$")
_DOCTYPE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)

type TopicKey = tuple[int, str]  # (channel, topic)


class SoapFault(Exception):
    """Answered as a SOAP 1.2 fault with this HTTP status."""

    def __init__(self, status: int, code: str, subcode: str, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.code = code
        self.subcode = subcode
        self.reason = reason


@dataclass
class OnvifFaults:
    """Faults of the ONVIF port; see simulator/README.md."""

    refuse_subscriptions: bool = False
    silent: bool = False
    deaf: bool = False
    port_closed: bool = False

    def describe(self) -> dict[str, bool]:
        return {
            "refuse_subscriptions": self.refuse_subscriptions,
            "silent": self.silent,
            "deaf": self.deaf,
            "port_closed": self.port_closed,
        }


@dataclass
class _Subscription:
    index: int
    created: datetime
    termination: datetime
    expires: float  # monotonic
    messages: deque[str] = field(default_factory=lambda: deque(maxlen=QUEUE_LIMIT))
    wake: asyncio.Event = field(default_factory=asyncio.Event)


class OnvifService:
    """The event service of one device on its own port."""

    def __init__(
        self,
        device: Device,
        password_of: Callable[[str], str | None],
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        max_subscriptions: int = 3,
        max_lifetime: float = 3600.0,
        max_pull_seconds: float = 60.0,
        initial_state: bool = True,
        ai_topics: bool = True,
    ) -> None:
        self.device = device
        self.host = host
        self.port = port
        self.max_subscriptions = max_subscriptions
        self.max_lifetime = max_lifetime
        self.max_pull_seconds = max_pull_seconds
        self.initial_state = initial_state
        # Older firmware publishes motion only; AI detections must then be polled.
        self.ai_topics = ai_topics
        self.faults = OnvifFaults()
        self.request_count = 0
        self.operations: list[str] = []  # names of answered operations, newest last
        self._password_of = password_of
        self._subscriptions: dict[int, _Subscription] = {}
        self._indexes = itertools.count(1)
        self._published: dict[TopicKey, bool] = {}
        self._runner: web.AppRunner | None = None
        self._site: web.TCPSite | None = None
        self._engine: asyncio.Task[None] | None = None
        self._closed = False
        # Set unless the silent fault holds pulls open: clearing the fault or closing the
        # port (reboot, stop) lets them go on.
        self._hung_pulls_released = asyncio.Event()
        self._hung_pulls_released.set()

    # -- lifecycle ----------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application(client_max_size=MAX_REQUEST_BYTES)
        app.router.add_post(EVENT_SERVICE_PATH, self._handle)
        app.router.add_post(MANAGER_PATH, self._handle)
        self._runner = web.AppRunner(
            app, access_log=None, handle_signals=False, shutdown_timeout=SHUTDOWN_TIMEOUT
        )
        await self._runner.setup()
        await self._listen()
        self.port = self._runner.addresses[0][1]
        self.device.state["config"]["NetPort"]["onvifPort"] = self.port
        self._published = self._snapshot()
        self._engine = asyncio.create_task(self._run_engine())

    async def stop(self) -> None:
        if self._engine is not None:
            self._engine.cancel()
            await asyncio.gather(self._engine, return_exceptions=True)
            self._engine = None
        self._drop_subscriptions()
        await self.close_port()  # ends pulls held open by the silent fault at once
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = self._site = None

    async def close_port(self) -> None:
        """Stop listening and end open connections (reboot, or the port_closed fault)."""
        self._closed = True
        self._hung_pulls_released.set()
        if self._site is not None:
            await self._site.stop()
            self._site = None
        if self._runner is not None and self._runner.server is not None:
            for connection in self._runner.server.connections:
                connection.force_close()

    async def open_port(self) -> None:
        self._closed = False
        if self.faults.silent:
            self._hung_pulls_released.clear()
        if self._site is None and self._runner is not None:
            for _ in range(50):
                try:
                    await self._listen()
                except OSError:
                    await asyncio.sleep(0.1)
                else:
                    return

    async def _listen(self) -> None:
        assert self._runner is not None
        self._site = web.TCPSite(self._runner, self.host, self.port, reuse_address=True)
        await self._site.start()

    def on_reboot(self) -> None:
        """Subscriptions do not survive a reboot."""
        self._drop_subscriptions()

    # -- faults -------------------------------------------------------------------------------

    async def set_faults(self, **faults: Any) -> None:
        """Keys: refuse_subscriptions, silent, deaf, port_closed (bools), expire (one-shot)."""
        unknown = set(faults) - {"refuse_subscriptions", "silent", "deaf", "port_closed", "expire"}
        if unknown:
            raise ValueError(f"unknown ONVIF fault keys: {', '.join(sorted(unknown))}")
        for key, value in faults.items():
            if not isinstance(value, bool):
                raise ValueError(f"ONVIF fault {key} must be true or false")  # noqa: TRY004
        if faults.get("expire"):
            self._drop_subscriptions()
        self.faults.refuse_subscriptions = faults.get(
            "refuse_subscriptions", self.faults.refuse_subscriptions
        )
        self.faults.silent = faults.get("silent", self.faults.silent)
        if self.faults.silent:
            self._hung_pulls_released.clear()
        else:
            self._hung_pulls_released.set()
        self.faults.deaf = faults.get("deaf", self.faults.deaf)
        closed = faults.get("port_closed", self.faults.port_closed)
        if closed != self.faults.port_closed:
            self.faults.port_closed = closed
            await (self.close_port() if closed else self.open_port())

    async def clear_faults(self) -> None:
        await self.set_faults(
            refuse_subscriptions=False, silent=False, deaf=False, port_closed=False
        )

    def describe(self) -> dict[str, Any]:
        return {
            "port": self.port,
            "request_count": self.request_count,
            "subscriptions": len(self._subscriptions),
            "operations": self.operations[-100:],
            "faults": self.faults.describe(),
        }

    @property
    def subscription_count(self) -> int:
        self._expire()
        return len(self._subscriptions)

    # -- event engine -------------------------------------------------------------------------

    def _snapshot(self) -> dict[TopicKey, bool]:
        """Every topic of every online channel with its current state."""
        topics: dict[TopicKey, bool] = {}
        for channel_state in self.device.state["channels"]:
            if not channel_state["online"]:
                continue
            index = channel_state["channel"]
            kind = self.device.profile.channels[index]
            motion = bool(channel_state["motion"])
            topics[(index, MOTION_TOPIC)] = motion
            topics[(index, MOTION_ALARM_TOPIC)] = motion
            for ai_type in kind.ai_types if self.ai_topics else ():
                topics[(index, AI_TOPICS[ai_type])] = bool(channel_state["ai"].get(ai_type))
            if kind.doorbell:
                topics[(index, VISITOR_TOPIC)] = bool(channel_state["visitor"])
        return topics

    async def _run_engine(self) -> None:
        while True:
            await asyncio.sleep(TICK_SECONDS)
            self._expire()
            current = self._snapshot()
            changed = {key: on for key, on in current.items() if self._published.get(key) != on}
            self._published = current
            quiet = self.faults.silent or self.faults.deaf
            if changed and self._subscriptions and not quiet:
                messages = [self._message(key, on, "Changed") for key, on in changed.items()]
                for subscription in self._subscriptions.values():
                    subscription.messages.extend(messages)
                    subscription.wake.set()

    def _message(self, key: TopicKey, on: bool, operation: str) -> str:
        channel, topic = key
        now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        token = str(channel) if self.device.is_nvr else "VideoSourceToken"
        if topic == MOTION_TOPIC:
            source = (
                f'<tt:SimpleItem Name="VideoSourceConfigurationToken" Value="{token}"/>'
                '<tt:SimpleItem Name="VideoAnalyticsConfigurationToken" '
                'Value="VideoAnalyticsToken"/>'
                '<tt:SimpleItem Name="Rule" Value="MyMotionDetectorRule"/>'
            )
            data = f'<tt:SimpleItem Name="IsMotion" Value="{str(on).lower()}"/>'
        else:
            source = f'<tt:SimpleItem Name="Source" Value="{token}"/>'
            data = f'<tt:SimpleItem Name="State" Value="{str(on).lower()}"/>'
        return (
            f'<wsnt:NotificationMessage><wsnt:Topic Dialect="{CONCRETE_SET}">{topic}</wsnt:Topic>'
            f'<wsnt:Message><tt:Message UtcTime="{now}" PropertyOperation="{operation}">'
            f"<tt:Source>{source}</tt:Source><tt:Data>{data}</tt:Data>"
            "</tt:Message></wsnt:Message></wsnt:NotificationMessage>"
        )

    def _expire(self) -> None:
        now = time.monotonic()
        for index in [i for i, s in self._subscriptions.items() if s.expires <= now]:
            self._subscriptions.pop(index).wake.set()

    def _drop_subscriptions(self) -> None:
        for subscription in self._subscriptions.values():
            subscription.wake.set()
        self._subscriptions.clear()

    # -- SOAP ---------------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        if self._closed or not self.device.state["config"]["NetPort"].get("onvifEnable", 1):
            # A disabled service behaves like a closed port.
            if request.transport is not None:
                request.transport.abort()
            return web.Response()
        self.request_count += 1
        try:
            root = _parse(await request.read())
            self._authenticate(root)
            operation, body = _operation(root)
            self.operations.append(operation)
            answer = await self._dispatch(request, root, operation, body)
        except SoapFault as fault:
            return _fault_response(fault)
        return web.Response(
            text=_envelope(answer),
            content_type="application/soap+xml",
            charset="utf-8",
        )

    async def _dispatch(
        self, request: web.Request, root: ET.Element, operation: str, body: ET.Element
    ) -> str:
        if operation == "CreatePullPointSubscription":
            return self._create(request, body)
        subscription = self._find(request, root)
        if operation == "PullMessages":
            return await self._pull(subscription, body)
        if operation == "Renew":
            return self._renew(subscription)
        if operation == "Unsubscribe":
            self._subscriptions.pop(subscription.index, None)
            subscription.wake.set()
            return "<wsnt:UnsubscribeResponse/>"
        raise SoapFault(400, "soap:Sender", "ter:ActionNotSupported", f"{operation} unsupported")

    def _authenticate(self, root: ET.Element) -> None:
        token = root.find("soap:Header/wsse:Security/wsse:UsernameToken", NS)
        if token is None:
            raise _not_authorized()
        username = token.findtext("wsse:Username", default="", namespaces=NS)
        digest = token.findtext("wsse:Password", default="", namespaces=NS)
        nonce = token.findtext("wsse:Nonce", default="", namespaces=NS)
        created = token.findtext("wsu:Created", default="", namespaces=NS)
        password = self._password_of(username)
        if password is None:
            raise _not_authorized()
        try:
            raw_nonce = base64.b64decode(nonce, validate=True)
        except ValueError as err:
            raise _not_authorized() from err
        expected = base64.b64encode(
            hashlib.sha1(
                raw_nonce + created.encode() + password.encode(), usedforsecurity=False
            ).digest()
        ).decode()
        if digest != expected:
            raise _not_authorized()

    def _create(self, request: web.Request, body: ET.Element) -> str:
        self._expire()
        if self.faults.refuse_subscriptions or len(self._subscriptions) >= self.max_subscriptions:
            raise SoapFault(
                500, "soap:Receiver", "ter:Action", "no pull point subscription available"
            )
        requested = body.findtext("tev:InitialTerminationTime", default="", namespaces=NS)
        lifetime = min(self.max_lifetime, _duration(requested) if requested else 60.0)
        now = datetime.now(UTC)
        index = next(self._indexes)
        subscription = _Subscription(
            index, now, now + timedelta(seconds=lifetime), time.monotonic() + lifetime
        )
        if self.initial_state:
            subscription.messages.extend(
                self._message(key, on, "Initialized") for key, on in self._snapshot().items()
            )
        self._subscriptions[index] = subscription
        address = f"http://{request.host}{MANAGER_PATH}?Idx={index}"
        return (
            "<tev:CreatePullPointSubscriptionResponse><tev:SubscriptionReference>"
            f"<wsa:Address>{address}</wsa:Address></tev:SubscriptionReference>"
            f"<wsnt:CurrentTime>{_xs_time(now)}</wsnt:CurrentTime>"
            f"<wsnt:TerminationTime>{_xs_time(subscription.termination)}</wsnt:TerminationTime>"
            "</tev:CreatePullPointSubscriptionResponse>"
        )

    def _find(self, request: web.Request, root: ET.Element) -> _Subscription:
        index_text = request.query.get("Idx")
        if index_text is None:
            to = root.findtext("soap:Header/wsa:To", default="", namespaces=NS)
            match = re.search(r"[?&]Idx=(\d+)", to)
            index_text = match.group(1) if match else None
        self._expire()
        subscription = (
            self._subscriptions.get(int(index_text))
            if index_text is not None and index_text.isdigit()
            else None
        )
        if subscription is None:
            raise SoapFault(
                400, "soap:Sender", "wsrf-rw:ResourceUnknownFault", "unknown subscription"
            )
        return subscription

    async def _pull(self, subscription: _Subscription, body: ET.Element) -> str:
        requested = body.findtext("tev:Timeout", default="PT10S", namespaces=NS)
        limit_text = body.findtext("tev:MessageLimit", default="100", namespaces=NS).strip()
        limit = int(limit_text) if limit_text.isdigit() and int(limit_text) > 0 else 100
        if self.faults.silent:
            # Accepts the request and does not answer, like a hung event service, until
            # the fault is cleared or the port closes (reboot, stop).
            await self._hung_pulls_released.wait()
        wait = min(self.max_pull_seconds, _duration(requested))
        if not subscription.messages:
            subscription.wake.clear()
            try:
                async with asyncio.timeout(wait):
                    await subscription.wake.wait()
            except TimeoutError:
                pass
        if subscription.index not in self._subscriptions:
            raise SoapFault(
                400, "soap:Sender", "wsrf-rw:ResourceUnknownFault", "subscription ended"
            )
        count = min(limit, len(subscription.messages))
        taken = [subscription.messages.popleft() for _ in range(count)]
        now = datetime.now(UTC)
        return (
            f"<tev:PullMessagesResponse><tev:CurrentTime>{_xs_time(now)}</tev:CurrentTime>"
            f"<tev:TerminationTime>{_xs_time(subscription.termination)}</tev:TerminationTime>"
            f"{''.join(taken)}</tev:PullMessagesResponse>"
        )

    def _renew(self, subscription: _Subscription) -> str:
        lifetime = (subscription.termination - subscription.created).total_seconds()
        subscription.expires = time.monotonic() + lifetime
        # Firmware quirk: the answer repeats the termination time of the creation.
        return (
            f"<wsnt:RenewResponse><wsnt:TerminationTime>{_xs_time(subscription.termination)}"
            f"</wsnt:TerminationTime><wsnt:CurrentTime>{_xs_time(datetime.now(UTC))}"
            "</wsnt:CurrentTime></wsnt:RenewResponse>"
        )


def _parse(raw: bytes) -> ET.Element:
    if _DOCTYPE.search(raw):
        raise SoapFault(400, "soap:Sender", "ter:InvalidArgs", "DTD not allowed")
    try:
        root = ET.fromstring(raw)  # noqa: S314 - DTDs refused above
    except ET.ParseError as err:
        raise SoapFault(400, "soap:Sender", "ter:WellFormed", "not well-formed XML") from err
    if root.tag != f"{{{NS['soap']}}}Envelope":
        raise SoapFault(400, "soap:VersionMismatch", "ter:WellFormed", "not a SOAP 1.2 envelope")
    return root


def _operation(root: ET.Element) -> tuple[str, ET.Element]:
    body = root.find("soap:Body", NS)
    if body is None or len(body) == 0:
        raise SoapFault(400, "soap:Sender", "ter:InvalidArgs", "empty body")
    element = body[0]
    return element.tag.rsplit("}", 1)[-1], element


def _duration(text: str) -> float:
    match = _DURATION.match(text.strip())
    if match is None or not any(match.groups()):
        raise SoapFault(400, "soap:Sender", "ter:InvalidArgVal", f"bad duration {text!r}")
    hours, minutes, seconds = (float(part) if part else 0.0 for part in match.groups())
    return hours * 3600 + minutes * 60 + seconds


def _xs_time(value: datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def _not_authorized() -> SoapFault:
    return SoapFault(400, "soap:Sender", "ter:NotAuthorized", "Sender not Authorized")


def _envelope(body: str) -> str:
    namespaces = " ".join(f'xmlns:{prefix}="{uri}"' for prefix, uri in NS.items())
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><soap:Envelope {namespaces} '
        'xmlns:ter="http://www.onvif.org/ver10/error" '
        'xmlns:wsrf-rw="http://docs.oasis-open.org/wsrf/rw-2">'
        f"<soap:Body>{body}</soap:Body></soap:Envelope>"
    )


def _fault_response(fault: SoapFault) -> web.Response:
    body = (
        f"<soap:Fault><soap:Code><soap:Value>{fault.code}</soap:Value>"
        f"<soap:Subcode><soap:Value>{fault.subcode}</soap:Value></soap:Subcode></soap:Code>"
        f'<soap:Reason><soap:Text xml:lang="en">{escape(fault.reason)}</soap:Text></soap:Reason>'
        "</soap:Fault>"
    )
    return web.Response(
        status=fault.status,
        text=_envelope(body),
        content_type="application/soap+xml",
        charset="utf-8",
    )
