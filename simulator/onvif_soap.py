"""SOAP as Reolink's ONVIF firmware writes and checks it (gSOAP: ``SOAP-ENV`` envelopes).

The envelope, the device-service answers and the fault form are those of the RLC-1224A
captures in ``../shared/reolink-api/real-firmware/onvif/``; the WS-Security check is gSOAP's
``wsseapi`` (PasswordDigest, 300 s clock skew, nonces remembered for 540 s), the plugin that
firmware's namespace set and fault form come from.
"""

import base64
import binascii
import hashlib
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime
from xml.sax.saxutils import escape, quoteattr

SOAP = "http://www.w3.org/2003/05/soap-envelope"
WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
WSU = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
# URIs naming the password schemes, not secrets.
PASSWORD_DIGEST = (
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0"  # noqa: S105
    "#PasswordDigest"
)
PASSWORD_TEXT = PASSWORD_DIGEST.replace("#PasswordDigest", "#PasswordText")
NONCE_ENCODING = (
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary"
)
# gSOAP wsseapi: SOAP_WSSE_CLKSKEW, and SOAP_WSSE_NONCETIME = CLKSKEW + 240.
CLOCK_SKEW = 300.0
NONCE_TIME = CLOCK_SKEW + 240.0

# Every answer declares the namespaces of the captured RLC-1224A envelopes, in their order.
NAMESPACES = (
    ("SOAP-ENV", SOAP),
    ("SOAP-ENC", "http://www.w3.org/2003/05/soap-encoding"),
    ("xsi", "http://www.w3.org/2001/XMLSchema-instance"),
    ("xsd", "http://www.w3.org/2001/XMLSchema"),
    ("wsa", "http://schemas.xmlsoap.org/ws/2004/08/addressing"),
    ("wsdd", "http://schemas.xmlsoap.org/ws/2005/04/discovery"),
    ("xop", "http://www.w3.org/2004/08/xop/include"),
    ("chan", "http://schemas.microsoft.com/ws/2005/02/duplex"),
    ("wsa5", "http://www.w3.org/2005/08/addressing"),
    ("c14n", "http://www.w3.org/2001/10/xml-exc-c14n#"),
    ("ds", "http://www.w3.org/2000/09/xmldsig#"),
    ("saml1", "urn:oasis:names:tc:SAML:1.0:assertion"),
    ("saml2", "urn:oasis:names:tc:SAML:2.0:assertion"),
    ("wsu", WSU),
    ("xenc", "http://www.w3.org/2001/04/xmlenc#"),
    ("wsc", "http://docs.oasis-open.org/ws-sx/ws-secureconversation/200512"),
    ("wsse", WSSE),
    ("tt", "http://www.onvif.org/ver10/schema"),
    ("wsrfbf", "http://docs.oasis-open.org/wsrf/bf-2"),
    ("wstop", "http://docs.oasis-open.org/wsn/t-1"),
    ("wsrfr", "http://docs.oasis-open.org/wsrf/r-2"),
    ("ns1", "http://www.onvif.org/ver20/media/wsdl"),
    ("tdn", "http://www.onvif.org/ver10/network/wsdl"),
    ("tds", "http://www.onvif.org/ver10/device/wsdl"),
    ("tev", "http://www.onvif.org/ver10/events/wsdl"),
    ("wsnt", "http://docs.oasis-open.org/wsn/b-2"),
    ("timg", "http://www.onvif.org/ver20/imaging/wsdl"),
    ("tmd", "http://www.onvif.org/ver10/deviceIO/wsdl"),
    ("tptz", "http://www.onvif.org/ver20/ptz/wsdl"),
    ("trc", "http://www.onvif.org/ver10/recording/wsdl"),
    ("trp", "http://www.onvif.org/ver10/replay/wsdl"),
    ("trt", "http://www.onvif.org/ver10/media/wsdl"),
    ("trv", "http://www.onvif.org/ver10/receiver/wsdl"),
    ("tse", "http://www.onvif.org/ver10/search/wsdl"),
    ("ter", "http://www.onvif.org/ver10/error"),
    ("tns1", "http://www.onvif.org/ver10/topics"),
    ("tan", "http://www.onvif.org/ver20/analytics/wsdl"),
)
NS = dict(NAMESPACES)
_DOCTYPE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


class SoapFault(Exception):
    """A fault as the firmware answers it: HTTP 400, Sender, no subcode, empty reason.

    Only authentication failures carry gSOAP's wsse subcode and reason text.
    """

    def __init__(self, subcode: str | None = None, reason: str = "") -> None:
        super().__init__(reason or subcode or "SOAP fault")
        self.subcode = subcode
        self.reason = reason


def authentication_failed() -> SoapFault:
    """gSOAP wsseapi's answer to a wrong digest, an expired or future token and a replay."""
    return SoapFault(
        "wsse:FailedAuthentication", "The security token could not be authenticated or authorized"
    )


@dataclass(frozen=True, slots=True)
class UsernameToken:
    """The request's WS-Security UsernameToken, as sent."""

    username: str
    password: str
    password_type: str
    nonce: str
    created: str


@dataclass(frozen=True, slots=True)
class Request:
    """A parsed SOAP request: the operation, its element, the headers answers echo."""

    operation: str
    body: ET.Element
    to: str | None
    token: UsernameToken | None


def parse_request(raw: bytes) -> Request:
    """The request's envelope; DTDs, broken XML and non-SOAP-1.2 documents are faults."""
    if _DOCTYPE.search(raw):
        raise SoapFault()
    try:
        root = ET.fromstring(raw)  # noqa: S314 - DTDs refused above
    except ET.ParseError as err:
        raise SoapFault() from err
    if root.tag != f"{{{SOAP}}}Envelope":
        raise SoapFault()
    body = root.find(f"{{{SOAP}}}Body")
    if body is None or len(body) == 0:
        raise SoapFault()
    header = root.find(f"{{{SOAP}}}Header")
    to = None
    if header is not None:
        to = next((e.text or "" for e in header if e.tag.rsplit("}", 1)[-1] == "To"), None)
    element = body[0]
    return Request(element.tag.rsplit("}", 1)[-1], element, to, _token(header))


def _token(header: ET.Element | None) -> UsernameToken | None:
    if header is None:
        return None
    token = header.find(f"{{{WSSE}}}Security/{{{WSSE}}}UsernameToken")
    if token is None:
        return None
    password = token.find(f"{{{WSSE}}}Password")
    return UsernameToken(
        username=(token.findtext(f"{{{WSSE}}}Username") or "").strip(),
        password=(password.text or "").strip() if password is not None else "",
        password_type=(password.get("Type") or PASSWORD_TEXT) if password is not None else "",
        nonce=(token.findtext(f"{{{WSSE}}}Nonce") or "").strip(),
        created=(token.findtext(f"{{{WSU}}}Created") or "").strip(),
    )


class TokenChecker:
    """gSOAP's UsernameToken check against the device's clock, with its replay memory."""

    def __init__(self) -> None:
        self._seen: dict[tuple[str, str], float] = {}  # (nonce, digest) -> forget after

    def check(self, token: UsernameToken | None, password: str | None, now: float) -> None:
        """Raise the firmware's fault unless the token proves `password` right now."""
        if token is None or password is None:
            raise authentication_failed()
        if token.password_type != PASSWORD_DIGEST:
            if token.password != password:
                raise authentication_failed()
            return
        try:
            nonce = base64.b64decode(token.nonce, validate=True)
        except (binascii.Error, ValueError) as err:
            raise authentication_failed() from err
        if token.password != digest(nonce, token.created, password):
            raise authentication_failed()
        try:
            created = parse_time(token.created)
        except ValueError as err:
            raise authentication_failed() from err
        if created > now + CLOCK_SKEW or created + NONCE_TIME <= now:
            raise authentication_failed()
        self._forget_before(now)
        key = (token.nonce, token.password)
        if key in self._seen:
            raise authentication_failed()
        self._seen[key] = created + NONCE_TIME

    def _forget_before(self, now: float) -> None:
        for key in [key for key, until in self._seen.items() if until <= now]:
            del self._seen[key]


def digest(nonce: bytes, created: str, password: str) -> str:
    """Base64(SHA-1(nonce + created + password)), UsernameToken Profile 1.0."""
    sha1 = hashlib.sha1(nonce + created.encode() + password.encode(), usedforsecurity=False)
    return base64.b64encode(sha1.digest()).decode()


def parse_time(text: str) -> float:
    """Seconds since the epoch of an xs:dateTime (UTC unless it names an offset)."""
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).timestamp()


def envelope(body: str, request: Request | None = None) -> str:
    """An answer; like the firmware it echoes the request's wsa5:To and UsernameToken."""
    declarations = " ".join(f'xmlns:{prefix}="{uri}"' for prefix, uri in NAMESPACES)
    header = _echo(request) if request is not None else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<SOAP-ENV:Envelope {declarations}>'
        f"{header}<SOAP-ENV:Body>{body}</SOAP-ENV:Body></SOAP-ENV:Envelope>"
    )


def _echo(request: Request) -> str:
    parts = []
    if request.to is not None:
        parts.append(f'<wsa5:To SOAP-ENV:mustUnderstand="1">{escape(request.to)}</wsa5:To>')
    token = request.token
    if token is not None:
        parts.append(
            "<wsse:Security><wsse:UsernameToken>"
            f"<wsse:Username>{escape(token.username)}</wsse:Username>"
            f"<wsse:Password Type={quoteattr(token.password_type)}>"
            f"{escape(token.password)}</wsse:Password>"
            f'<wsse:Nonce EncodingType="{NONCE_ENCODING}">{escape(token.nonce)}</wsse:Nonce>'
            f"<wsu:Created>{escape(token.created)}</wsu:Created>"
            "</wsse:UsernameToken></wsse:Security>"
        )
    return f"<SOAP-ENV:Header>{''.join(parts)}</SOAP-ENV:Header>" if parts else ""


def fault_body(fault: SoapFault) -> str:
    """The captured form: Sender, no subcode, an empty reason (auth adds gSOAP's)."""
    subcode = (
        f"<SOAP-ENV:Subcode><SOAP-ENV:Value>{fault.subcode}</SOAP-ENV:Value></SOAP-ENV:Subcode>"
        if fault.subcode
        else ""
    )
    reason = (
        f'<SOAP-ENV:Text xml:lang="en">{escape(fault.reason)}</SOAP-ENV:Text>'
        if fault.reason
        else '<SOAP-ENV:Text xml:lang="en"/>'
    )
    return (
        "<SOAP-ENV:Fault><SOAP-ENV:Code><SOAP-ENV:Value>SOAP-ENV:Sender</SOAP-ENV:Value>"
        f"{subcode}</SOAP-ENV:Code><SOAP-ENV:Reason>{reason}</SOAP-ENV:Reason></SOAP-ENV:Fault>"
    )


def xs_time(seconds: float) -> str:
    """An xs:dateTime in UTC, whole seconds, as the firmware writes it."""
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


_DURATION = re.compile(
    r"^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$"
)


def duration(text: str) -> float:
    """Seconds of an xs:duration such as PT60S, PT1M or P0DT0H5M0S; else a fault."""
    match = _DURATION.match(text.strip())
    if match is None or not any(match.groups()):
        raise SoapFault()
    days, hours, minutes, seconds = (float(part) if part else 0.0 for part in match.groups())
    return days * 86400 + hours * 3600 + minutes * 60 + seconds


# -- the device service, as the RLC-1224A answers it (17_*, 18_* captures) --------------------

_SERVICES = (
    ("http://www.onvif.org/ver10/device/wsdl", "device_service", 21),
    ("http://www.onvif.org/ver20/analytics/wsdl", "analytics_service", 21),
    ("http://www.onvif.org/ver20/imaging/wsdl", "imaging_service", 19),
    ("http://www.onvif.org/ver10/deviceIO/wsdl", "deviceIO_service", 19),
    ("http://www.onvif.org/ver10/media/wsdl", "media_service", 20),
    ("http://www.onvif.org/ver20/media/wsdl", "Media2", 21),
    ("http://www.onvif.org/ver10/events/wsdl", "event_service", 21),
)


def services_body(host: str) -> str:
    """GetServicesResponse: every service on the ONVIF port, with the captured versions."""
    services = "".join(
        f"<tds:Service><tds:Namespace>{namespace}</tds:Namespace>"
        f"<tds:XAddr>http://{host}/onvif/{path}</tds:XAddr><tds:Version><tt:Major>{major}"
        "</tt:Major><tt:Minor>6</tt:Minor></tds:Version></tds:Service>"
        for namespace, path, major in _SERVICES
    )
    return f"<tds:GetServicesResponse>{services}</tds:GetServicesResponse>"


def capabilities_body(host: str, video_sources: int) -> str:
    """GetCapabilitiesResponse as captured (event XAddr on the ONVIF port, pull points)."""
    url = f"http://{host}/onvif"
    return (
        "<tds:GetCapabilitiesResponse><tds:Capabilities>"
        f"<tt:Analytics><tt:XAddr>{url}/analytics_service</tt:XAddr>"
        "<tt:RuleSupport>true</tt:RuleSupport>"
        "<tt:AnalyticsModuleSupport>true</tt:AnalyticsModuleSupport></tt:Analytics>"
        f"<tt:Device><tt:XAddr>{url}/device_service</tt:XAddr><tt:Network>"
        "<tt:IPFilter>false</tt:IPFilter><tt:ZeroConfiguration>false</tt:ZeroConfiguration>"
        "<tt:IPVersion6>false</tt:IPVersion6><tt:DynDNS>false</tt:DynDNS></tt:Network>"
        "<tt:System><tt:DiscoveryResolve>true</tt:DiscoveryResolve>"
        "<tt:DiscoveryBye>true</tt:DiscoveryBye><tt:RemoteDiscovery>false</tt:RemoteDiscovery>"
        "<tt:SystemBackup>false</tt:SystemBackup><tt:SystemLogging>false</tt:SystemLogging>"
        "<tt:FirmwareUpgrade>false</tt:FirmwareUpgrade><tt:SupportedVersions>"
        "<tt:Major>21</tt:Major><tt:Minor>6</tt:Minor></tt:SupportedVersions></tt:System>"
        "<tt:IO></tt:IO><tt:Security><tt:TLS1.1>false</tt:TLS1.1><tt:TLS1.2>false</tt:TLS1.2>"
        "<tt:OnboardKeyGeneration>false</tt:OnboardKeyGeneration>"
        "<tt:AccessPolicyConfig>false</tt:AccessPolicyConfig><tt:X.509Token>false</tt:X.509Token>"
        "<tt:SAMLToken>false</tt:SAMLToken><tt:KerberosToken>false</tt:KerberosToken>"
        "<tt:RELToken>false</tt:RELToken></tt:Security></tt:Device>"
        f"<tt:Events><tt:XAddr>{url}/event_service</tt:XAddr>"
        "<tt:WSSubscriptionPolicySupport>true</tt:WSSubscriptionPolicySupport>"
        "<tt:WSPullPointSupport>true</tt:WSPullPointSupport>"
        "<tt:WSPausableSubscriptionManagerInterfaceSupport>false"
        "</tt:WSPausableSubscriptionManagerInterfaceSupport></tt:Events>"
        f"<tt:Imaging><tt:XAddr>{url}/imaging_service</tt:XAddr></tt:Imaging>"
        f"<tt:Media><tt:XAddr>{url}/media_service</tt:XAddr><tt:StreamingCapabilities>"
        "<tt:RTPMulticast>false</tt:RTPMulticast><tt:RTP_TCP>true</tt:RTP_TCP>"
        "<tt:RTP_RTSP_TCP>true</tt:RTP_RTSP_TCP><tt:Extension></tt:Extension>"
        "</tt:StreamingCapabilities><tt:Extension><tt:ProfileCapabilities>"
        "<tt:MaximumNumberOfProfiles>10</tt:MaximumNumberOfProfiles></tt:ProfileCapabilities>"
        "</tt:Extension></tt:Media>"
        f"<tt:Extension><tt:DeviceIO><tt:XAddr>{url}/deviceIO_service</tt:XAddr>"
        f"<tt:VideoSources>{video_sources}</tt:VideoSources><tt:VideoOutputs>0</tt:VideoOutputs>"
        "<tt:AudioSources>1</tt:AudioSources><tt:AudioOutputs>1</tt:AudioOutputs>"
        "<tt:RelayOutputs>0</tt:RelayOutputs></tt:DeviceIO></tt:Extension>"
        "</tds:Capabilities></tds:GetCapabilitiesResponse>"
    )


def date_and_time_body(now: float) -> str:
    """GetSystemDateAndTimeResponse (ONVIF Core 8.3.9): the device's clock in UTC."""
    value = datetime.fromtimestamp(now, UTC)
    moment = (
        f"<tt:Time><tt:Hour>{value.hour}</tt:Hour><tt:Minute>{value.minute}</tt:Minute>"
        f"<tt:Second>{value.second}</tt:Second></tt:Time><tt:Date><tt:Year>{value.year}"
        f"</tt:Year><tt:Month>{value.month}</tt:Month><tt:Day>{value.day}</tt:Day></tt:Date>"
    )
    return (
        "<tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime>"
        "<tt:DateTimeType>NTP</tt:DateTimeType><tt:DaylightSavings>false</tt:DaylightSavings>"
        "<tt:TimeZone><tt:TZ>UTC0</tt:TZ></tt:TimeZone>"
        f"<tt:UTCDateTime>{moment}</tt:UTCDateTime><tt:LocalDateTime>{moment}</tt:LocalDateTime>"
        "</tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse>"
    )
