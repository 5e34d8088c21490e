"""ONVIF service of the simulated device: device service and pull-point events (ONVIF Core 8, 9).

Served on its own port, as real devices do (GetNetPort ``onvifPort``; the actual port is
written there when the service starts). The event source is the same device state that
GetMdState/GetAiState read, so both paths always agree. Modelled on the RLC-1224A captures
in ``../shared/reolink-api/real-firmware/onvif/`` (see ``simulator/onvif_soap.py`` for the
wire form and the WS-Security check):

- ``/onvif/device_service``: GetSystemDateAndTime (no token needed, the device's clock),
  GetCapabilities and GetServices as captured (event XAddr on the ONVIF port, pull points).
- ``/onvif/event_service``: GetEventProperties (the nine Reolink topics) and
  CreatePullPointSubscription; the manager lives at ``/onvif/PullSubManager?Idx=00000000``
  (manager calls sent to the event service with a WS-Addressing ``To`` naming it work too).
- A new subscription first gets all nine topics as ``Initialized``, supported or not, over
  two pulls (Motion, FaceDetect, PeopleDetect, VehicleDetect, Non_Motor_VehicleDetect,
  DogCatDetect; then MotionAlarm, Visitor, Package); then each change (``Changed``).
- PullMessages answers when something is queued, else after its Timeout but at most
  ``max_pull_seconds`` (20 s, as cameras answer long polls).
- Sources read ``000`` on cameras and the channel index in three digits on NVRs.
- Renew answers with the *initial* termination time (a firmware bug clients must live with).
- At most ``max_subscriptions`` (3) live pull points; every fault is HTTP 400 ``Sender``
  without subcode or reason, as captured.
"""

import asyncio
import itertools
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final
from xml.sax.saxutils import quoteattr

from aiohttp import web

from simulator.device import Device
from simulator.onvif_soap import (
    NS,
    Request,
    SoapFault,
    TokenChecker,
    capabilities_body,
    date_and_time_body,
    duration,
    envelope,
    fault_body,
    parse_request,
    parse_time,
    services_body,
    xs_time,
)
from simulator.serving import Listener

DEVICE_SERVICE_PATH = "/onvif/device_service"
EVENT_SERVICE_PATH = "/onvif/event_service"
MANAGER_PATH = "/onvif/PullSubManager"
MAX_REQUEST_BYTES = 64 * 1024
QUEUE_LIMIT = 1000
REQUEST_TIMES_LIMIT = 10_000  # as many as the HTTP log keeps
# How often the event engine compares the device state with what it last published.
TICK_SECONDS = 0.02
SHUTDOWN_TIMEOUT = 1.0
# Real cameras answer a long poll after about 20 s whatever it asked (home-assistant.io #28749).
DEFAULT_PULL_SECONDS = 20.0
MAX_SOURCE_CHARS = 65536

CONCRETE_SET = "http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet"
MOTION_TOPIC = "tns1:RuleEngine/CellMotionDetector/Motion"
# Topic -> the channel state it reports, in the order of the two captured initial pulls.
FIRST_PULL: Final = {
    MOTION_TOPIC: "motion",
    "tns1:RuleEngine/MyRuleDetector/FaceDetect": "face",
    "tns1:RuleEngine/MyRuleDetector/PeopleDetect": "people",
    "tns1:RuleEngine/MyRuleDetector/VehicleDetect": "vehicle",
    "tns1:RuleEngine/MyRuleDetector/Non_Motor_VehicleDetect": "non-motor vehicle",
    "tns1:RuleEngine/MyRuleDetector/DogCatDetect": "dog_cat",
}
SECOND_PULL: Final = {
    "tns1:VideoSource/MotionAlarm": "motion",
    "tns1:RuleEngine/MyRuleDetector/Visitor": "visitor",
    "tns1:RuleEngine/MyRuleDetector/Package": "package",
}
TOPICS: Final = {**FIRST_PULL, **SECOND_PULL}
MOTION_TOPICS: Final = frozenset(t for t, state in TOPICS.items() if state == "motion")
# Where the foreign_namespace fault puts the notification's tt:Message.
FOREIGN_SCHEMA = "http://www.onvif.org/ver10/schema/unexpected"
DEVICE_OPERATIONS = frozenset({"GetSystemDateAndTime", "GetCapabilities", "GetServices"})
EVENT_OPERATIONS = frozenset({"CreatePullPointSubscription", "GetEventProperties"})
MANAGER_OPERATIONS = frozenset({"PullMessages", "Renew", "Unsubscribe"})
# ONVIF Core 5.9.4: asked before a client knows the device's clock, so answered unsigned.
PRE_AUTH = frozenset({"GetSystemDateAndTime"})
BOOL_FAULTS = (
    "refuse_subscriptions",
    "silent",
    "deaf",
    "port_closed",
    "chatty",
    "foreign_namespace",
    "broken_answers",
    "utf16_bomb",
)

type TopicKey = tuple[int, str]  # (channel, topic)
# A queued notification, or None where the device ends one answer (the initial two pulls).
type Queued = str | None


@dataclass
class OnvifFaults:
    """Faults of the ONVIF port; see simulator/README.md."""

    refuse_subscriptions: bool = False
    silent: bool = False
    deaf: bool = False
    port_closed: bool = False
    chatty: bool = False
    foreign_namespace: bool = False
    broken_answers: bool = False
    utf16_bomb: bool = False
    source: str | None = None

    def describe(self) -> dict[str, bool | str | None]:
        described: dict[str, bool | str | None] = {k: getattr(self, k) for k in BOOL_FAULTS}
        described["source"] = self.source
        return described


@dataclass
class _Subscription:
    index: int
    created: float  # device clock
    termination: float  # device clock
    expires: float  # monotonic
    messages: deque[Queued] = field(default_factory=lambda: deque(maxlen=QUEUE_LIMIT))
    wake: asyncio.Event = field(default_factory=asyncio.Event)

    def has_messages(self) -> bool:
        while self.messages and self.messages[0] is None:
            self.messages.popleft()
        return bool(self.messages)

    def take(self, limit: int) -> list[str]:
        """Queued notifications up to `limit`, not past the end of an answer."""
        taken: list[str] = []
        while self.messages and len(taken) < limit:
            item = self.messages.popleft()
            if item is None:
                if taken:
                    break
                continue
            taken.append(item)
        return taken


class OnvifService:
    """The ONVIF service of one device on its own port."""

    def __init__(
        self,
        device: Device,
        password_of: Callable[[str], str | None],
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        max_subscriptions: int = 3,
        max_lifetime: float = 3600.0,
        max_pull_seconds: float = DEFAULT_PULL_SECONDS,
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
        # Wall time of each request received (recent ones), like the HTTP log's entries.
        self.request_times: deque[float] = deque(maxlen=REQUEST_TIMES_LIMIT)
        self.operations: list[str] = []  # names of answered operations, newest last
        self.operation_counts: Counter[str] = Counter()  # every operation answered, by name
        self.pull_times: list[float] = []  # time.monotonic() of each PullMessages received
        self._password_of = password_of
        self._tokens = TokenChecker()
        self._subscriptions: dict[int, _Subscription] = {}
        self._indexes = itertools.count()
        self._published: dict[TopicKey, bool] = {}
        self._runner: web.AppRunner | None = None
        self._listener: Listener | None = None
        self._engine: asyncio.Task[None] | None = None
        self._closed = False
        # Set unless the silent fault holds pulls open: clearing the fault or closing the
        # port (reboot, stop) lets them go on.
        self._hung_pulls_released = asyncio.Event()
        self._hung_pulls_released.set()

    # -- lifecycle ----------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application(client_max_size=MAX_REQUEST_BYTES)
        for path in (DEVICE_SERVICE_PATH, EVENT_SERVICE_PATH, MANAGER_PATH):
            app.router.add_post(path, self._handle)
        self._runner = web.AppRunner(
            app, access_log=None, handle_signals=False, shutdown_timeout=SHUTDOWN_TIMEOUT
        )
        await self._runner.setup()
        self._listener = Listener(self._runner, self.host, self.port)
        await self._listener.start()
        self.port = self._listener.port
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
            self._runner = self._listener = None

    async def close_port(self) -> None:
        """Stop listening and end open connections (reboot, or the port_closed fault)."""
        self._closed = True
        self._hung_pulls_released.set()
        if self._listener is not None:
            await self._listener.stop()

    async def open_port(self) -> None:
        self._closed = False
        if self.faults.silent:
            self._hung_pulls_released.clear()
        if self._listener is not None and not self._listener.listening:
            for _ in range(50):
                try:
                    await self._listener.start()
                except OSError:
                    await asyncio.sleep(0.1)
                else:
                    return

    def on_reboot(self) -> None:
        """Subscriptions do not survive a reboot."""
        self._drop_subscriptions()

    # -- faults -------------------------------------------------------------------------------

    async def set_faults(self, **faults: Any) -> None:
        """Bool faults (BOOL_FAULTS), `source` (a string or None), `expire` (one-shot) and
        `clock_offset` (seconds the device's clock is ahead, negative for behind)."""
        unknown = set(faults) - {*BOOL_FAULTS, "source", "expire", "clock_offset"}
        if unknown:
            raise ValueError(f"unknown ONVIF fault keys: {', '.join(sorted(unknown))}")
        _check_fault_values(faults)
        if faults.get("expire"):
            self._drop_subscriptions()
        if "clock_offset" in faults:
            self.device.clock_offset = float(faults["clock_offset"])
        if "source" in faults:
            self.faults.source = faults["source"]
        for key in BOOL_FAULTS:
            if key in faults and key != "port_closed":
                setattr(self.faults, key, faults[key])
        if faults.get("chatty"):
            # The pulls held open now are answered at once too.
            for subscription in self._subscriptions.values():
                subscription.messages.append(self._chatter())
                subscription.wake.set()
        if self.faults.silent:
            self._hung_pulls_released.clear()
        else:
            self._hung_pulls_released.set()
        closed = faults.get("port_closed", self.faults.port_closed)
        if closed != self.faults.port_closed:
            self.faults.port_closed = closed
            await (self.close_port() if closed else self.open_port())

    async def clear_faults(self) -> None:
        await self.set_faults(**dict.fromkeys(BOOL_FAULTS, False), source=None)

    def describe(self) -> dict[str, Any]:
        return {
            "port": self.port,
            "request_count": self.request_count,
            "request_times": list(self.request_times),
            "subscriptions": len(self._subscriptions),
            "operations": self.operations[-100:],
            "operation_counts": dict(self.operation_counts),
            "max_pull_seconds": self.max_pull_seconds,
            "clock_offset": self.device.clock_offset,
            "faults": self.faults.describe(),
        }

    @property
    def subscription_count(self) -> int:
        self._expire()
        return len(self._subscriptions)

    # -- event engine -------------------------------------------------------------------------

    def _online(self) -> list[dict[str, Any]]:
        return [c for c in self.device.state["channels"] if c["online"]]

    def _state(self, channel_state: dict[str, Any], topic: str) -> bool | None:
        """The topic's state on this channel; None where the channel cannot report it."""
        kind = self.device.profile.channels[channel_state["channel"]]
        key = TOPICS[topic]
        if key == "motion":
            return bool(channel_state["motion"])
        if key == "visitor":
            return bool(channel_state["visitor"]) if kind.doorbell else None
        if self.ai_topics and key in kind.ai_types:
            return bool(channel_state["ai"].get(key))
        return None

    def _snapshot(self) -> dict[TopicKey, bool]:
        """Every topic a channel reports, of every online channel, with its state."""
        topics: dict[TopicKey, bool] = {}
        for channel_state in self._online():
            for topic in TOPICS:
                state = self._state(channel_state, topic)
                if state is not None:
                    topics[(channel_state["channel"], topic)] = state
        return topics

    def _announcements(self) -> list[Queued]:
        """What a new subscription gets first: the nine topics over two answers."""
        announced: list[Queued] = []
        for topics in (FIRST_PULL, SECOND_PULL):
            for channel_state in self._online():
                for topic in topics:
                    if not self.ai_topics and topic not in MOTION_TOPICS:
                        continue
                    state = bool(self._state(channel_state, topic))
                    key = (channel_state["channel"], topic)
                    announced.append(self._message(key, state, "Initialized"))
            announced.append(None)
        return announced

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

    def _label(self, channel: int) -> str:
        if self.faults.source is not None:
            return self.faults.source
        return f"{channel:03d}" if self.device.is_nvr else "000"

    def _message(self, key: TopicKey, on: bool, operation: str) -> str:
        channel, topic = key
        label = quoteattr(self._label(channel))
        if topic == MOTION_TOPIC:
            source = (
                "".join(
                    f"<tt:SimpleItem Name={quoteattr(name)} Value={label} />"
                    for name in (
                        "VideoSourceConfigurationToken",
                        "VideoAnalyticsConfigurationToken",
                    )
                )
                + f'<tt:SimpleItem Name="Rule" Value={label} />'
            )
            data = f'<tt:SimpleItem Name="IsMotion" Value="{str(on).lower()}" />'
        else:
            source = f'<tt:SimpleItem Name="Source" Value={label} />'
            data = f'<tt:SimpleItem Name="State" Value="{str(on).lower()}" />'
        rebind = f' xmlns:tt="{FOREIGN_SCHEMA}"' if self.faults.foreign_namespace else ""
        return (
            f'<wsnt:NotificationMessage><wsnt:Topic Dialect="{CONCRETE_SET}">{topic}</wsnt:Topic>'
            f'<wsnt:Message><tt:Message{rebind} UtcTime="{xs_time(self.device.now())}" '
            f'PropertyOperation="{operation}"><tt:Source>{source}</tt:Source>'
            f"<tt:Data>{data}</tt:Data></tt:Message></wsnt:Message></wsnt:NotificationMessage>"
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

    async def _handle(self, http: web.Request) -> web.StreamResponse:
        if self._closed or not self.device.state["config"]["NetPort"].get("onvifEnable", 1):
            # A disabled service behaves like a closed port.
            if http.transport is not None:
                http.transport.abort()
            return web.Response()
        self.request_count += 1
        self.request_times.append(time.time())
        request: Request | None = None
        try:
            request = parse_request(await http.read())
            if request.operation not in PRE_AUTH:
                token = request.token
                password = self._password_of(token.username) if token else None
                self._tokens.check(token, password, self.device.now())
            self.operations.append(request.operation)
            self.operation_counts[request.operation] += 1
            answer = envelope(await self._dispatch(http, request), request)
        except SoapFault as fault:
            return _soap_response(envelope(fault_body(fault), request), status=400)
        if self.faults.broken_answers and request.operation in ("PullMessages", "Renew"):
            answer = answer[: len(answer) // 2]  # cut off mid-answer, the subscription lives on
        if self.faults.utf16_bomb and request.operation == "PullMessages":
            return _utf16_bomb()
        return _soap_response(answer)

    async def _dispatch(self, http: web.Request, request: Request) -> str:
        operation, path = request.operation, http.path
        if path == DEVICE_SERVICE_PATH and operation in DEVICE_OPERATIONS:
            return self._device_service(http, operation)
        if path == EVENT_SERVICE_PATH and operation == "CreatePullPointSubscription":
            return self._create(http, request)
        if path == EVENT_SERVICE_PATH and operation == "GetEventProperties":
            return _event_properties()
        if path in (EVENT_SERVICE_PATH, MANAGER_PATH) and operation in MANAGER_OPERATIONS:
            subscription = self._find(http, request)
            if operation == "PullMessages":
                return await self._pull(subscription, request)
            if operation == "Renew":
                return self._renew(subscription)
            self._subscriptions.pop(subscription.index, None)
            subscription.wake.set()
            return "<wsnt:UnsubscribeResponse></wsnt:UnsubscribeResponse>"
        raise SoapFault()

    def _device_service(self, http: web.Request, operation: str) -> str:
        if operation == "GetSystemDateAndTime":
            return date_and_time_body(self.device.now())
        if operation == "GetCapabilities":
            return capabilities_body(http.host, len(self.device.state["channels"]))
        return services_body(http.host)

    def _create(self, http: web.Request, request: Request) -> str:
        self._expire()
        if self.faults.refuse_subscriptions or len(self._subscriptions) >= self.max_subscriptions:
            raise SoapFault()
        asked = request.body.findtext("tev:InitialTerminationTime", default="", namespaces=NS)
        lifetime = min(self.max_lifetime, _lifetime(asked, self.device.now()))
        now = self.device.now()
        index = next(self._indexes)
        subscription = _Subscription(index, now, now + lifetime, time.monotonic() + lifetime)
        if self.initial_state:
            subscription.messages.extend(self._announcements())
        self._subscriptions[index] = subscription
        address = f"http://{http.host}{MANAGER_PATH}?Idx={index:08d}"
        return (
            "<tev:CreatePullPointSubscriptionResponse><tev:SubscriptionReference>"
            f"<wsa5:Address>{address}</wsa5:Address></tev:SubscriptionReference>"
            f"<wsnt:CurrentTime>{xs_time(now)}</wsnt:CurrentTime>"
            f"<wsnt:TerminationTime>{xs_time(subscription.termination)}</wsnt:TerminationTime>"
            "</tev:CreatePullPointSubscriptionResponse>"
        )

    def _find(self, http: web.Request, request: Request) -> _Subscription:
        index_text = http.query.get("Idx")
        if index_text is None and request.to:
            _, _, query = request.to.partition("Idx=")
            index_text = query.split("&", 1)[0] or None
        self._expire()
        subscription = None
        if index_text is not None and index_text.isascii() and index_text.isdigit():
            subscription = self._subscriptions.get(int(index_text[:9]))
        if subscription is None:
            raise SoapFault()  # unknown or expired manager (10_* capture)
        return subscription

    async def _pull(self, subscription: _Subscription, request: Request) -> str:
        self.pull_times.append(time.monotonic())
        asked = request.body.findtext("tev:Timeout", default="PT10S", namespaces=NS)
        limit_text = request.body.findtext("tev:MessageLimit", default="100", namespaces=NS)
        limit = int(limit_text) if limit_text.strip().isdigit() else 100
        wait = min(self.max_pull_seconds, duration(asked))
        if self.faults.silent:
            # Accepts the request and does not answer, like a hung event service, until
            # the fault is cleared or the port closes (reboot, stop); the client gave up
            # on it long before, so it then ends at once.
            await self._hung_pulls_released.wait()
            raise SoapFault()
        if self.faults.chatty and not subscription.has_messages():
            subscription.messages.append(self._chatter())
        if not subscription.has_messages():
            subscription.wake.clear()
            try:
                async with asyncio.timeout(wait):
                    await subscription.wake.wait()
            except TimeoutError:
                pass
        if subscription.index not in self._subscriptions:
            raise SoapFault()
        taken = subscription.take(max(1, min(limit, QUEUE_LIMIT)))
        return (
            f"<tev:PullMessagesResponse><tev:CurrentTime>{xs_time(self.device.now())}"
            f"</tev:CurrentTime><tev:TerminationTime>{xs_time(subscription.termination)}"
            f"</tev:TerminationTime>{''.join(taken)}</tev:PullMessagesResponse>"
        )

    def _chatter(self) -> str:
        """The chatty fault: channel 0's motion state again, at once, for every pull."""
        channel_state = self.device.state["channels"][0]
        return self._message((0, MOTION_TOPIC), bool(channel_state["motion"]), "Changed")

    def _renew(self, subscription: _Subscription) -> str:
        lifetime = subscription.termination - subscription.created
        subscription.expires = time.monotonic() + lifetime
        # Firmware quirk: the answer repeats the termination time of the creation.
        return (
            f"<wsnt:RenewResponse><wsnt:TerminationTime>{xs_time(subscription.termination)}"
            f"</wsnt:TerminationTime><wsnt:CurrentTime>{xs_time(self.device.now())}"
            "</wsnt:CurrentTime></wsnt:RenewResponse>"
        )


def _lifetime(asked: str, now: float) -> float:
    """A relative (PT60S) or absolute (xs:dateTime) InitialTerminationTime; 60 s if none."""
    if not asked.strip():
        return 60.0
    if asked.strip().startswith("P"):
        return duration(asked)
    try:
        return max(1.0, parse_time(asked.strip()) - now)
    except ValueError as err:
        raise SoapFault() from err


def _check_fault_values(faults: dict[str, Any]) -> None:
    for key in (*BOOL_FAULTS, "expire"):
        if key in faults and not isinstance(faults[key], bool):
            raise ValueError(f"ONVIF fault {key} must be true or false")
    source = faults.get("source")
    if source is not None and (not isinstance(source, str) or len(source) > MAX_SOURCE_CHARS):
        raise ValueError(f"ONVIF fault source must be a string of at most {MAX_SOURCE_CHARS}")
    offset = faults.get("clock_offset", 0)
    if isinstance(offset, bool) or not isinstance(offset, int | float) or abs(offset) > 10**9:
        raise ValueError("clock_offset must be a number of seconds")


def _event_properties() -> str:
    """GetEventPropertiesResponse (ONVIF Core 9.5.6) with the nine Reolink topics."""
    rule_engine: dict[str, list[str]] = {}
    video_source: list[str] = []
    for topic in TOPICS:
        parts = topic.removeprefix("tns1:").split("/")
        described = _topic_description(parts[-1], motion=topic == MOTION_TOPIC)
        if parts[0] == "VideoSource":
            video_source.append(described)
        else:
            rule_engine.setdefault(parts[1], []).append(described)
    engine = "".join(f"<{name}>{''.join(items)}</{name}>" for name, items in rule_engine.items())
    return (
        "<tev:GetEventPropertiesResponse><tev:TopicNamespaceLocation>"
        "http://www.onvif.org/onvif/ver10/topics/topicns.xml</tev:TopicNamespaceLocation>"
        "<wsnt:FixedTopicSet>true</wsnt:FixedTopicSet><wstop:TopicSet>"
        f"<tns1:RuleEngine>{engine}</tns1:RuleEngine>"
        f"<tns1:VideoSource>{''.join(video_source)}</tns1:VideoSource></wstop:TopicSet>"
        f"<wsnt:TopicExpressionDialect>{CONCRETE_SET}</wsnt:TopicExpressionDialect>"
        "<wsnt:TopicExpressionDialect>http://docs.oasis-open.org/wsn/t-1/TopicExpression/"
        "Concrete</wsnt:TopicExpressionDialect><tev:MessageContentFilterDialect>"
        "http://www.onvif.org/ver10/tev/messageContentFilter/ItemFilter"
        "</tev:MessageContentFilterDialect><tev:MessageContentSchemaLocation>"
        "http://www.onvif.org/onvif/ver10/schema/onvif.xsd</tev:MessageContentSchemaLocation>"
        "</tev:GetEventPropertiesResponse>"
    )


def _topic_description(name: str, *, motion: bool) -> str:
    if motion:
        source = (
            "".join(
                f'<tt:SimpleItemDescription Name="{item}" Type="tt:ReferenceToken"/>'
                for item in ("VideoSourceConfigurationToken", "VideoAnalyticsConfigurationToken")
            )
            + '<tt:SimpleItemDescription Name="Rule" Type="xsd:string"/>'
        )
        data = '<tt:SimpleItemDescription Name="IsMotion" Type="xsd:boolean"/>'
    else:
        source = '<tt:SimpleItemDescription Name="Source" Type="tt:ReferenceToken"/>'
        data = '<tt:SimpleItemDescription Name="State" Type="xsd:boolean"/>'
    return (
        f'<{name} wstop:topic="true"><tt:MessageDescription IsProperty="true">'
        f"<tt:Source>{source}</tt:Source><tt:Data>{data}</tt:Data>"
        f"</tt:MessageDescription></{name}>"
    )


def _utf16_bomb() -> web.Response:
    """An entity-expansion document in UTF-16: `<!DOCTYPE` is not the bytes a UTF-8 check
    looks for, while XML parsers detect UTF-16 by themselves (ten levels of ten: 10**10)."""
    levels = "".join(f'<!ENTITY e{n} "{f"&e{n - 1};" * 10}">' for n in range(1, 11))
    document = (
        '<?xml version="1.0" encoding="UTF-16"?>'
        f'<!DOCTYPE s:Envelope [<!ENTITY e0 "lol">{levels}]>'
        '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" '
        'xmlns:tev="http://www.onvif.org/ver10/events/wsdl"><s:Body>'
        "<tev:PullMessagesResponse>&e10;</tev:PullMessagesResponse></s:Body></s:Envelope>"
    )
    return web.Response(
        body=document.encode("utf-16"), content_type="application/soap+xml", charset="utf-16"
    )


def _soap_response(text: str, status: int = 200) -> web.Response:
    return web.Response(
        status=status, text=text, content_type="application/soap+xml", charset="utf-8"
    )
