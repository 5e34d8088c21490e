"""Exceptions raised by the Reolink HTTP API client (error codes: guide section 4.1)."""

CREDENTIAL_CODES = frozenset({-7, -27, -502, -503})
LOCKED_CODE = -506  # "Login locked": too many wrong passwords; the right one is refused too
SESSION_LIMIT_CODES = frozenset({-5, -507})  # -507: "login reach max"
RATE_LIMIT_CODE = -105
# Real firmware answers a batch of more than 35 commands with -16 "send failed".
BATCH_REFUSED_CODE = -16


class ReolinkError(Exception):
    """Base class of every error the client raises."""


class ReolinkConnectionError(ReolinkError):
    """The device could not be reached or the transfer broke off."""


class ReolinkTimeoutError(ReolinkConnectionError):
    """The device did not answer within the configured timeout."""


class ReolinkStalledError(ReolinkTimeoutError):
    """A file transfer made no progress: too few bytes arrived for too long."""


class ReolinkCertificateError(ReolinkConnectionError):
    """The certificate does not match the pinned fingerprint, or failed verification."""


class ReolinkTlsError(ReolinkConnectionError):
    """The TLS handshake failed: HTTPS is off on that port, or no common TLS version."""


class ReolinkResponseError(ReolinkError):
    """The device answered, but not with what the API promises (HTTP error, bad JSON...)."""


class ReolinkTooLargeError(ReolinkResponseError):
    """A file answer went on past the size the recording can have."""


class ReolinkRedirectError(ReolinkResponseError):
    """The device answered with a redirect: Reolink devices never redirect their API.

    Following one would send the request, the Login body with the password included,
    wherever the answer points; it is refused instead.
    """


class ReolinkDownloadCenterError(ReolinkError):
    """Reolink's download center (reolink.com) failed or answered what it never sends."""


class ReolinkFirmwareTooLargeError(ReolinkDownloadCenterError):
    """A firmware download went past the size any firmware file has."""


class ReolinkNotFirmwareError(ReolinkDownloadCenterError):
    """The download is not a firmware file: not a zip, or a zip without a `.pak` inside."""


class ReolinkAuthError(ReolinkError):
    """The credentials were refused (3.2.1 Login; codes -7, -27, -502, -503)."""

    def __init__(self, message: str, code: int | None = None, retry_after: float = 0.0) -> None:
        super().__init__(message)
        self.code = code
        self.retry_after = retry_after


class ReolinkBackoffError(ReolinkError):
    """A login is refused for a while; `retry_after` is the remaining wait in seconds."""

    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class ReolinkSessionLimitError(ReolinkBackoffError):
    """All login slots of the device are taken (-5 "max session")."""


class ReolinkRateLimitError(ReolinkBackoffError):
    """The device refuses logins because there were too many (-105)."""


class ReolinkLoginLockedError(ReolinkBackoffError):
    """The device locked logins after wrong passwords (-506); it does not say for how long."""


class ReolinkCommandError(ReolinkError):
    """One command of a batch failed with an rspCode (guide section 4.1)."""

    def __init__(self, cmd: str, code: int, detail: str = "") -> None:
        super().__init__(f"{cmd} failed: {code} {detail}".rstrip())
        self.cmd = cmd
        self.code = code
        self.detail = detail


class ReolinkNotSupportedError(ReolinkCommandError):
    """-9: the device or channel does not support the command."""


class ReolinkFirmwareTooOldError(ReolinkNotSupportedError):
    """-9 for a command no working setup can do without: the firmware predates it."""

    def __init__(self, cmd: str, code: int, detail: str = "", firmware: str = "") -> None:
        super().__init__(cmd, code, detail)
        # The installed version when GetDevInfo answered, else "".
        self.firmware = firmware


class ReolinkParamError(ReolinkCommandError):
    """-1, -4 or -23: a parameter is missing or invalid."""


class ReolinkInvalidChannelError(ReolinkCommandError):
    """-49: the channel does not exist."""


class ReolinkDeviceOfflineError(ReolinkCommandError):
    """-99: the NVR channel's camera is offline."""


class ReolinkTokenError(ReolinkCommandError):
    """-6 or -21: the token is unknown to the device (expired, or the device rebooted)."""


class ReolinkFileError(ReolinkCommandError):
    """-220: a recording could not be downloaded (3.6.6 Download); base of the file errors."""


class ReolinkFileBusyError(ReolinkFileError):
    """-221: the recording is in use (still being written, or another download)."""


class ReolinkFileNotFoundError(ReolinkFileError):
    """-222: no such recording."""


_ERROR_CLASSES: dict[int, type[ReolinkCommandError]] = {
    -9: ReolinkNotSupportedError,
    -1: ReolinkParamError,
    -4: ReolinkParamError,
    -23: ReolinkParamError,
    -49: ReolinkInvalidChannelError,
    -99: ReolinkDeviceOfflineError,
    -6: ReolinkTokenError,
    -21: ReolinkTokenError,
    -220: ReolinkFileError,
    -221: ReolinkFileBusyError,
    -222: ReolinkFileNotFoundError,
}


def command_error(cmd: str, code: int, detail: str = "") -> ReolinkCommandError:
    """The typed error for one failed command."""
    return _ERROR_CLASSES.get(code, ReolinkCommandError)(cmd, code, detail)
