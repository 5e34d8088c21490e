"""Constants of the Reolink HTTP API integration."""

from typing import Final

from .api.streams import Protocol, Stream

DOMAIN: Final = "reolink_http"
MANUFACTURER: Final = "Reolink"

CONF_USE_HTTPS: Final = "use_https"
CONF_CERT_FINGERPRINT: Final = "cert_fingerprint"
CONF_EVENT_INTERVAL: Final = "event_interval"
CONF_SETTINGS_INTERVAL: Final = "settings_interval"
CONF_STREAM: Final = "stream"
CONF_PROTOCOL: Final = "protocol"
# Ask reolink.com's download center for the firmware of an NVR's cameras (off: no vendor
# cloud is ever contacted).
CONF_CAMERA_FIRMWARE: Final = "camera_firmware_lookup"

DEFAULT_USERNAME: Final = "admin"
DEFAULT_EVENT_INTERVAL: Final = 1.0
DEFAULT_SETTINGS_INTERVAL: Final = 60
# An NVR's settings poll is many batches; core's `reolink` reads it every 10 s per camera
# (at least every 60 s) to spare the NVR, and so does the default here.
SETTINGS_INTERVAL_PER_CAMERA: Final = 10
DEFAULT_STREAM: Final[Stream] = "main"
DEFAULT_PROTOCOL: Final[Protocol] = "rtsp"
DEFAULT_CAMERA_FIRMWARE: Final = False

MIN_EVENT_INTERVAL: Final = 0.5
MAX_EVENT_INTERVAL: Final = 10.0
MIN_SETTINGS_INTERVAL: Final = 10
MAX_SETTINGS_INTERVAL: Final = 3600


ISSUE_CERT_CHANGED: Final = "certificate_changed"

# Where motion and AI events come from: the device's ONVIF pull point with a slow safety
# poll, or the HTTP poll alone.
CONF_EVENT_SOURCE: Final = "event_source"
EVENT_SOURCE_AUTO: Final = "auto"
EVENT_SOURCE_ONVIF: Final = "onvif"
EVENT_SOURCE_POLLING: Final = "polling"
EVENT_SOURCES: Final = (EVENT_SOURCE_AUTO, EVENT_SOURCE_ONVIF, EVENT_SOURCE_POLLING)
DEFAULT_EVENT_SOURCE: Final = EVENT_SOURCE_AUTO
