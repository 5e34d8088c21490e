"""Error codes of the Camera HTTP API (User Guide v7, section 4.1 Error)."""

ERROR_DETAILS: dict[int, str] = {
    -1: "not exist",
    -2: "out of mem",
    -3: "check err",
    -4: "param error",
    -5: "max session",
    -6: "please login first",
    -7: "login failed",
    -8: "timeout",
    -9: "not support",
    -10: "protocol",
    -11: "fcgi read failed",
    -12: "get config failed",
    -13: "set config failed",
    -14: "malloc failed",
    -15: "create socket failed",
    -16: "send failed",
    -17: "rcv failed",
    -18: "open file failed",
    -19: "read file failed",
    -20: "write file failed",
    -21: "error token",
    -22: "The length of the string exceeds the limit",
    -23: "missing param",
    -24: "error command",
    -25: "internal error",
    -26: "ability error",
    -27: "invalid user",
    -28: "user already exist",
    -29: "maximum number of users",
    -30: "same version",
    -31: "busy",
    -32: "ip conflict",
    -34: "need bing email",
    -35: "unbind",
    -36: "network timeout",
    -37: "password err",
    -38: "uid err",
    -39: "user not exist",
    -40: "unbind failed",
    -41: "cloud not support",
    -42: "login cloud server failed",
    -43: "bind failed",
    -44: "cloud unknown err",
    -45: "need verify code",
    -46: "Digest authentication failed",
    -47: "Digest authentication Nonce expires",
    -48: "Fetching a picture failed",
    -49: "Channel invalid",
    -99: "Device offline",
    -100: "test failed",
    -101: "check firmware failed",
    -102: "download online failed",
    -103: "get upgrade status failed",
    -105: "Frequent logins, please try again later!",
    -220: "Error downloading video file",
    -221: "Busy video recording task",
    -222: "The video file does not exist",
    -301: "Digest Authentication nonce error",
    -310: "Aes decryption failure",
    -451: "ftp login failed",
    -452: "ftp create dir failed",
    -453: "ftp upload failed",
    -454: "ftp connect failed",
    -480: "email undefined failed",
    -481: "email connect failed",
    -482: "email auth failed",
    -483: "email network err",
    -484: "email server err",
    -485: "email memory err",
    -500: "The number of IP addresses reaches the upper limit",
    -501: "The user does not exist",
    -502: "Password err",
    -503: "Login deny",
    -505: "Login not init",
    -506: "Login locked",
    -507: "Login reach max",
}


UNKNOWN_COMMAND = "Unknown"


class ApiError(Exception):
    """A command failed with one of the guide's rspCodes."""

    def __init__(
        self, code: int, detail: str | None = None, *, unknown_command: bool = False
    ) -> None:
        self.code = code
        self.detail = detail or ERROR_DETAILS.get(code, "unknown error")
        # Firmware names a command it does not know "Unknown" in its answer.
        self.unknown_command = unknown_command
        super().__init__(f"{code} {self.detail}")

    def envelope(self, cmd: str) -> dict[str, object]:
        """The error answer for one command (real devices send code 1)."""
        return {
            "cmd": UNKNOWN_COMMAND if self.unknown_command else cmd,
            "code": 1,
            "error": {"rspCode": self.code, "detail": self.detail},
        }
