"""ONVIF event service client: pull-point subscriptions over SOAP 1.2 (ONVIF Core 9.1, 9.4).

Only the operations event delivery needs: the device's clock (GetSystemDateAndTime, which
needs no token), CreatePullPointSubscription, PullMessages, Renew and Unsubscribe, each
signed with a WS-Security UsernameToken (PasswordDigest) dated by the device's clock.
Answers are parsed with the standard library's ElementTree after refusing any document
type declaration (SOAP 1.2 forbids them), which rules out entity expansion; bodies are
read up to a fixed size.
"""

import asyncio
import base64
import contextlib
import hashlib
import os
import re
import time
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

import aiohttp

from .exceptions import ReolinkAuthError, ReolinkConnectionError, ReolinkError, ReolinkTimeoutError

EVENT_SERVICE_PATH: Final = "/onvif/event_service"
DEVICE_SERVICE_PATH: Final = "/onvif/device_service"
MAX_BODY_BYTES: Final = 256 * 1024
MESSAGE_LIMIT: Final = 100
# Extra wait beyond a PullMessages timeout before the device counts as silent.
PULL_GRACE: Final = 5.0

NS: Final = {
    "soap": "http://www.w3.org/2003/05/soap-envelope",
    "wsa": "http://www.w3.org/2005/08/addressing",
    "wsnt": "http://docs.oasis-open.org/wsn/b-2",
    "tev": "http://www.onvif.org/ver10/events/wsdl",
    "tt": "http://www.onvif.org/ver10/schema",
    "wsse": "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd",
    "wsu": "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd",
}
ACTION_CREATE: Final = (
    "http://www.onvif.org/ver10/events/wsdl/EventPortType/CreatePullPointSubscriptionRequest"
)
ACTION_PULL: Final = (
    "http://www.onvif.org/ver10/events/wsdl/PullPointSubscription/PullMessagesRequest"
)
ACTION_RENEW: Final = "http://docs.oasis-open.org/wsn/bw-2/SubscriptionManager/RenewRequest"
ACTION_UNSUBSCRIBE: Final = (
    "http://docs.oasis-open.org/wsn/bw-2/SubscriptionManager/UnsubscribeRequest"
)
ACTION_DATE_AND_TIME: Final = "http://www.onvif.org/ver10/device/wsdl/GetSystemDateAndTime"
DEVICE_WSDL: Final = "http://www.onvif.org/ver10/device/wsdl"
# A device clock further from ours is broken, not merely unset (factory default: 1970...).
MAX_CLOCK_OFFSET: Final = 100 * 365 * 86400
# A URI naming the password scheme, not a secret.
PASSWORD_DIGEST: Final = (
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0"  # noqa: S105
    "#PasswordDigest"
)
NONCE_ENCODING: Final = (
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary"
)
# Data items carrying the state: "IsMotion" for the cell motion detector, "State" elsewhere.
STATE_ITEMS: Final = ("IsMotion", "State")
# Source items naming the channel; single cameras send a token such as "VideoSourceToken".
SOURCE_ITEMS: Final = ("Source", "VideoSourceConfigurationToken")
# A channel index as devices write it ("000", "3"); longer text is no channel of any device.
_CHANNEL = re.compile(r"[0-9]{1,3}")
_NUMBER = re.compile(r"[0-9]{1,4}")
DATE_TIME_PARTS: Final = (
    "Date/tt:Year",
    "Date/tt:Month",
    "Date/tt:Day",
    "Time/tt:Hour",
    "Time/tt:Minute",
    "Time/tt:Second",
)
_DOCTYPE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
# The encoding an XML declaration names; devices write UTF-8.
_DECLARED_ENCODING = re.compile(rb"""<\?xml[^>]*?\bencoding\s*=\s*["']([^"']*)["']""")


class OnvifError(ReolinkError):
    """Base class of ONVIF event service failures."""


class OnvifConnectionError(OnvifError, ReolinkConnectionError):
    """The ONVIF port refused the connection or it broke."""


class OnvifTimeoutError(OnvifConnectionError, ReolinkTimeoutError):
    """No answer in time; for PullMessages this means the subscription went silent."""


class OnvifAuthError(OnvifError, ReolinkAuthError):
    """The device refused the UsernameToken (ter:NotAuthorized)."""


class OnvifFaultError(OnvifError):
    """A SOAP fault other than an authentication failure, e.g. an unknown subscription."""

    def __init__(self, code: str, reason: str) -> None:
        """Keep the fault's (sub)code and reason text."""
        super().__init__(f"SOAP fault {code}: {reason}" if reason else f"SOAP fault {code}")
        self.code = code
        self.reason = reason


class OnvifResponseError(OnvifError):
    """An answer that is not the expected SOAP envelope (bad XML, too large, missing parts)."""


# Topic's last part (Reolink firmware) -> event kind: "motion" or a GetAiState type.
TOPIC_KINDS: Final[Mapping[str, str]] = {
    "Motion": "motion",
    "MotionAlarm": "motion",
    "PeopleDetect": "people",
    "VehicleDetect": "vehicle",
    "DogCatDetect": "dog_cat",
    "FaceDetect": "face",
    "Package": "package",
    # Bicycles on newer firmware (GetEvents kind "non-motor vehicle").
    "Non_Motor_VehicleDetect": "non-motor vehicle",
    "Visitor": "visitor",
}


@dataclass(frozen=True, slots=True)
class OnvifEvent:
    """One notification: the topic's last part (e.g. "PeopleDetect"), its source and state."""

    rule: str
    source: str | None
    state: bool
    initialized: bool = False

    @property
    def kind(self) -> str | None:
        """ "motion" or a GetAiState detection type; None for topics without meaning here."""
        return TOPIC_KINDS.get(self.rule)

    @property
    def channel(self) -> int | None:
        """The channel index NVRs put in the source item; None for anything else.

        Only ASCII digits count: "²" passes str.isdigit() yet int() refuses it, and
        int() refuses 4,300 digits and more.
        """
        if self.source is None or not _CHANNEL.fullmatch(self.source):
            return None
        return int(self.source)


@dataclass(frozen=True, slots=True)
class PullAnswer:
    """One PullMessages answer: the notifications read, and how many could not be read."""

    events: list[OnvifEvent]
    unreadable: int = 0


@dataclass(slots=True)
class PullPointSubscription:
    """A live subscription: where to pull from, how long it was granted, when it ends."""

    address: str
    lifetime: float
    expires: float  # time.monotonic()

    def remaining(self) -> float:
        """Seconds until the device drops it unless renewed."""
        return self.expires - time.monotonic()


class OnvifEventClient:
    """Talks to one device's ONVIF event service."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        host: str,
        port: int,
        username: str,
        password: str,
        *,
        timeout: float = 10.0,
    ) -> None:
        """Nothing is sent until the first call."""
        if not 0 < port < 65536:
            raise ValueError(f"ONVIF port out of range: {port}")
        self._session = session
        self._host = host
        self._port = port
        self._username = username
        self._password = password
        self._timeout = timeout
        # The device's clock minus ours, from sync_clock(); tokens are dated by it.
        self.clock_offset = 0.0

    def __repr__(self) -> str:
        return f"OnvifEventClient({self._host!r}, {self._port})"

    @property
    def service_url(self) -> str:
        """The event service address on the ONVIF port."""
        return f"http://{_url_host(self._host)}:{self._port}{EVENT_SERVICE_PATH}"

    @property
    def device_service_url(self) -> str:
        """The device service, where the device tells its clock."""
        return f"http://{_url_host(self._host)}:{self._port}{DEVICE_SERVICE_PATH}"

    async def sync_clock(self) -> float:
        """Read the device's clock (GetSystemDateAndTime, no token) and date tokens by it.

        The device refuses a token dated more than a few minutes away from its own clock,
        so a camera whose clock is off would refuse every request signed with ours.
        """
        body = f'<tds:GetSystemDateAndTime xmlns:tds="{DEVICE_WSDL}"/>'
        sent = time.time()
        root = await self._call(
            self.device_service_url, ACTION_DATE_AND_TIME, body, self._timeout, signed=False
        )
        received = time.time()
        device = parse_utc_date_time(root)
        # The device read its clock about halfway through the round trip.
        offset = device.timestamp() - (sent + received) / 2
        if abs(offset) > MAX_CLOCK_OFFSET:
            raise OnvifResponseError(f"device clock {device.isoformat()} is not plausible")
        self.clock_offset = offset
        return offset

    async def create_pull_point(self, lifetime: float) -> PullPointSubscription:
        """CreatePullPointSubscription; the granted lifetime comes from the device's clock."""
        body = (
            f"<tev:CreatePullPointSubscription><tev:InitialTerminationTime>"
            f"{format_duration(lifetime)}</tev:InitialTerminationTime>"
            f"</tev:CreatePullPointSubscription>"
        )
        root = await self._call(self.service_url, ACTION_CREATE, body, self._timeout)
        address = self._manager_url(_text(root, ".//tev:SubscriptionReference/wsa:Address"))
        try:
            granted = _granted_seconds(root)
        except OnvifResponseError:
            # The device holds it anyway; its slots are few.
            with contextlib.suppress(OnvifError):
                await self.unsubscribe(PullPointSubscription(address, 0, 0))
            raise
        return PullPointSubscription(address, granted, time.monotonic() + granted)

    async def pull_messages(self, subscription: PullPointSubscription, wait: float) -> PullAnswer:
        """Wait up to `wait` s for notifications; no events when none came."""
        body = (
            f"<tev:PullMessages><tev:Timeout>{format_duration(wait)}</tev:Timeout>"
            f"<tev:MessageLimit>{MESSAGE_LIMIT}</tev:MessageLimit></tev:PullMessages>"
        )
        root = await self._call(
            subscription.address,
            ACTION_PULL,
            body,
            wait + PULL_GRACE,
            to=subscription.address,
        )
        if root.find(".//tev:PullMessagesResponse", NS) is None:
            raise OnvifResponseError("answer is not a PullMessagesResponse")
        events = parse_notifications(root)
        return PullAnswer(events, count_notifications(root) - len(events))

    async def renew(self, subscription: PullPointSubscription) -> None:
        """Renew for the granted lifetime again.

        Reolink firmware answers Renew with the *initial* termination time, so the new
        end is counted locally from the moment the device accepted the renewal.
        """
        body = (
            f"<wsnt:Renew><wsnt:TerminationTime>{format_duration(subscription.lifetime)}"
            f"</wsnt:TerminationTime></wsnt:Renew>"
        )
        root = await self._call(
            subscription.address, ACTION_RENEW, body, self._timeout, to=subscription.address
        )
        if root.find(".//wsnt:RenewResponse", NS) is None:
            raise OnvifResponseError("answer is not a RenewResponse")
        subscription.expires = time.monotonic() + subscription.lifetime

    async def unsubscribe(self, subscription: PullPointSubscription) -> None:
        """End the subscription so it does not hold one of the device's few slots."""
        await self._call(
            subscription.address,
            ACTION_UNSUBSCRIBE,
            "<wsnt:Unsubscribe/>",
            self._timeout,
            to=subscription.address,
        )

    def _manager_url(self, address: str) -> str:
        """The subscription's path on the host and port we reach the device at.

        Devices report their own LAN address, which is wrong behind NAT or port
        mapping; only the path and query of the reported address are trusted.
        """
        parts = urlsplit(address.strip())
        if not parts.path.startswith("/"):
            raise OnvifResponseError("subscription address has no path")
        query = f"?{parts.query}" if parts.query else ""
        return f"http://{_url_host(self._host)}:{self._port}{parts.path}{query}"

    async def _call(
        self,
        url: str,
        action: str,
        body: str,
        seconds: float,
        *,
        to: str | None = None,
        signed: bool = True,
    ) -> ET.Element:
        envelope = self._envelope(action, body, to, signed=signed)
        try:
            async with asyncio.timeout(seconds):
                async with self._session.post(
                    url,
                    data=envelope.encode(),
                    headers={
                        "Content-Type": f'application/soap+xml; charset=utf-8; action="{action}"'
                    },
                    allow_redirects=False,
                ) as response:
                    raw = await _read_limited(response.content)
                    status = response.status
        except TimeoutError as err:
            raise OnvifTimeoutError(
                f"no answer from the ONVIF port within {seconds:.0f} s"
            ) from err
        except aiohttp.ClientError as err:
            raise OnvifConnectionError(f"ONVIF port: {type(err).__name__}") from err
        root = parse_envelope(raw)
        fault = root.find(".//soap:Body/soap:Fault", NS)
        if fault is not None:
            raise _fault_error(fault)
        if status != 200:
            raise OnvifResponseError(f"HTTP status {status} without a SOAP fault")
        return root

    def _envelope(self, action: str, body: str, to: str | None, *, signed: bool) -> str:
        to_header = f"<wsa:To>{escape(to)}</wsa:To>" if to else ""
        security = self._security() if signed else ""
        return (
            '<?xml version="1.0" encoding="UTF-8"?>'
            f'<soap:Envelope xmlns:soap="{NS["soap"]}" xmlns:wsa="{NS["wsa"]}" '
            f'xmlns:wsnt="{NS["wsnt"]}" xmlns:tev="{NS["tev"]}">'
            f"<soap:Header><wsa:Action>{action}</wsa:Action>{to_header}{security}</soap:Header>"
            f"<soap:Body>{body}</soap:Body></soap:Envelope>"
        )

    def _security(self) -> str:
        """A UsernameToken dated by the device's clock (see sync_clock)."""
        nonce = os.urandom(16)
        now = datetime.fromtimestamp(time.time() + self.clock_offset, UTC)
        created = now.strftime("%Y-%m-%dT%H:%M:%S.000Z")
        digest = password_digest(nonce, created, self._password)
        return (
            f'<wsse:Security soap:mustUnderstand="true" xmlns:wsse="{NS["wsse"]}" '
            f'xmlns:wsu="{NS["wsu"]}"><wsse:UsernameToken>'
            f"<wsse:Username>{escape(self._username)}</wsse:Username>"
            f'<wsse:Password Type="{PASSWORD_DIGEST}">{digest}</wsse:Password>'
            f'<wsse:Nonce EncodingType="{NONCE_ENCODING}">'
            f"{base64.b64encode(nonce).decode()}</wsse:Nonce>"
            f"<wsu:Created>{created}</wsu:Created>"
            "</wsse:UsernameToken></wsse:Security>"
        )


async def _read_limited(content: aiohttp.StreamReader) -> bytes:
    """The body, refusing to hold more than MAX_BODY_BYTES of it."""
    body = bytearray()
    while chunk := await content.read(64 * 1024):
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            raise OnvifResponseError(f"answer larger than {MAX_BODY_BYTES} bytes")
    return bytes(body)


def password_digest(nonce: bytes, created: str, password: str) -> str:
    """Base64(SHA-1(nonce + created + password)), WS-Security UsernameToken Profile 1.0."""
    sha1 = hashlib.sha1(nonce + created.encode() + password.encode(), usedforsecurity=False)
    return base64.b64encode(sha1.digest()).decode()


def parse_envelope(raw: bytes) -> ET.Element:
    """The SOAP envelope of an answer; no DTD, no entities, well-formed or an error."""
    _check_utf8(raw)
    if _DOCTYPE.search(raw):
        raise OnvifResponseError("answer contains a document type declaration")
    try:
        root = ET.fromstring(raw)  # noqa: S314 - DTDs refused above, so no entity expansion
    except ET.ParseError as err:
        raise OnvifResponseError(f"answer is not XML: {err}") from err
    if root.tag != f"{{{NS['soap']}}}Envelope":
        raise OnvifResponseError("answer is not a SOAP 1.2 envelope")
    return root


def _check_utf8(raw: bytes) -> None:
    """Refuse anything but UTF-8 text, so the DTD check reads what the parser will.

    In UTF-16 or UTF-32 (which the parser detects by themselves) `<!DOCTYPE` is not
    the ASCII bytes the check looks for; UTF-16 of ASCII text holds NUL bytes.
    """
    declared = _DECLARED_ENCODING.match(raw.removeprefix(b"\xef\xbb\xbf"))
    if declared is not None and declared.group(1).lower() not in (b"utf-8", b"utf8"):
        raise OnvifResponseError("answer is not UTF-8 (declared another encoding)")
    if b"\x00" in raw:
        raise OnvifResponseError("answer is not UTF-8 (holds NUL bytes)")
    try:
        raw.decode()
    except UnicodeDecodeError:
        raise OnvifResponseError("answer is not UTF-8") from None


def parse_notifications(root: ET.Element) -> list[OnvifEvent]:
    """Every NotificationMessage with a topic and a boolean state; others are skipped."""
    events: list[OnvifEvent] = []
    for message in root.iterfind(".//wsnt:NotificationMessage", NS):
        topic = message.findtext("wsnt:Topic", default="", namespaces=NS).strip()
        rule = topic.rsplit("/", 1)[-1]
        body = message.find("wsnt:Message/tt:Message", NS)
        if not rule or body is None:
            continue
        state = _simple_item(body, "tt:Data", STATE_ITEMS)
        if state not in ("true", "false"):
            continue
        events.append(
            OnvifEvent(
                rule=rule,
                source=_simple_item(body, "tt:Source", SOURCE_ITEMS),
                state=state == "true",
                initialized=body.get("PropertyOperation") == "Initialized",
            )
        )
    return events


def _granted_seconds(root: ET.Element) -> float:
    """How long the device granted a subscription, by its own clock."""
    current = parse_time(_text(root, ".//wsnt:CurrentTime"))
    termination = parse_time(_text(root, ".//wsnt:TerminationTime"))
    granted = (termination - current).total_seconds()
    if granted <= 0:
        raise OnvifResponseError("subscription ends before it starts")
    return granted


def count_notifications(root: ET.Element) -> int:
    """NotificationMessage elements in any namespace: what the device meant to tell."""
    return sum(1 for element in root.iter() if _local_name(element.tag) == "NotificationMessage")


def parse_utc_date_time(root: ET.Element) -> datetime:
    """The UTCDateTime of a GetSystemDateAndTimeResponse."""
    utc = root.find(".//tds:SystemDateAndTime/tt:UTCDateTime", {**NS, "tds": DEVICE_WSDL})
    if utc is None:
        raise OnvifResponseError("answer lacks UTCDateTime")
    texts = [
        utc.findtext(f"tt:{part}", default="", namespaces=NS).strip() for part in DATE_TIME_PARTS
    ]
    if not all(_NUMBER.fullmatch(text) for text in texts):
        raise OnvifResponseError("answer has no valid UTCDateTime")
    year, month, day, hour, minute, second = (int(text) for text in texts)
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    except ValueError as err:
        raise OnvifResponseError("answer has no valid UTCDateTime") from err


def _local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _simple_item(message: ET.Element, section: str, names: tuple[str, ...]) -> str | None:
    for name in names:
        item = message.find(f"{section}/tt:SimpleItem[@Name='{name}']", NS)
        if item is not None and item.get("Value") is not None:
            return item.get("Value")
    return None


def _fault_error(fault: ET.Element) -> OnvifError:
    codes = [
        (value.text or "").strip() for value in fault.iterfind(".//soap:Value", NS) if value.text
    ]
    code = codes[-1] if codes else "unknown"
    reason = fault.findtext(".//soap:Reason/soap:Text", default="", namespaces=NS).strip()
    if code.rsplit(":", 1)[-1] in ("NotAuthorized", "FailedAuthentication"):
        return OnvifAuthError(f"ONVIF login refused ({code})")
    return OnvifFaultError(code, reason[:200])


def _text(root: ET.Element, path: str) -> str:
    text = root.findtext(path, default="", namespaces=NS).strip()
    if not text:
        raise OnvifResponseError(f"answer lacks {path.rsplit('/', 1)[-1]}")
    return text


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def format_duration(seconds: float) -> str:
    """An xs:duration of whole seconds, e.g. PT60S."""
    return f"PT{max(1, round(seconds))}S"


def parse_time(text: str) -> datetime:
    """An xs:dateTime as devices send it (UTC, 'Z' or an offset)."""
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as err:
        raise OnvifResponseError(f"bad time {text!r}") from err
    return value if value.tzinfo else value.replace(tzinfo=UTC)
