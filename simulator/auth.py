"""Sessions, tokens, login rate limit and lockout (User Guide v7, 2.3 Token, 3.2 Security)."""

import secrets
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from simulator.errors import ApiError

TOKEN_LENGTH = 15
FIRST_SESSION_ID = 1000


@dataclass(slots=True)
class Session:
    """One live token (3.2.1 Login)."""

    token: str
    username: str
    level: str
    session_id: int
    ip: str
    expires_at: float

    def __repr__(self) -> str:
        # The token is a credential: keep it out of logs and tracebacks.
        return f"Session(id={self.session_id}, user={self.username!r})"


@dataclass(slots=True)
class AuthLimits:
    """Device-side limits; defaults follow a real camera."""

    lease: float = 3600.0
    max_sessions: int = 8
    login_rate_limit: int = 5
    login_rate_window: float = 10.0
    lockout_failures: int = 5
    lockout_seconds: float = 60.0


class SessionManager:
    """Issues and checks tokens, enforces the session, rate and lockout limits."""

    def __init__(
        self,
        check_login: Callable[[str, str], bool],
        user_level: Callable[[str], str],
        limits: AuthLimits | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._check_login = check_login
        self._user_level = user_level
        self.limits = limits or AuthLimits()
        self._clock = clock
        self._sessions: dict[str, Session] = {}
        self._next_session_id = FIRST_SESSION_ID
        self._recent_logins: deque[float] = deque()
        self._failures_in_a_row = 0
        self._locked_until = 0.0

    # -- tokens -------------------------------------------------------------------------------

    @property
    def live_sessions(self) -> list[Session]:
        """Sessions whose lease has not run out, oldest first."""
        self._purge_expired()
        return list(self._sessions.values())

    def authenticate(self, token: str | None) -> Session:
        """Resolve a URL token: -6 when there is none, -21 when unknown or expired."""
        if not token:
            raise ApiError(-6)
        self._purge_expired()
        session = self._sessions.get(token)
        if session is None:
            raise ApiError(-21)
        return session

    def check_short_session(self, username: str, password: str) -> str:
        """Authenticate one request by URL credentials (2.6.2); returns the user name.

        A wrong password counts as a failed login, so short sessions cannot bypass the lockout.
        """
        self._raise_if_locked()
        self._verify_credentials(username, password)
        return username

    def login(self, param: Any, ip: str) -> dict[str, Any]:
        """3.2.1 Login: returns the reply value with the new token."""
        self._raise_if_locked()
        self._enforce_rate_limit()
        username, password = _login_credentials(param)
        self._verify_credentials(username, password)
        if len(self.live_sessions) >= self.limits.max_sessions:
            raise ApiError(-5)
        session = self._open_session(username, ip)
        return {"Token": {"leaseTime": self._lease_for_reply(), "name": session.token}}

    def logout(self, token: str) -> None:
        """3.2.2 Logout: frees the session slot."""
        self._sessions.pop(token, None)

    def online_users(self, own: Session | None) -> dict[str, Any]:
        """3.2.7 GetOnline reply value; the caller's own session cannot be disconnected."""
        users = [
            {
                "canbeDisconn": 0 if session is own else 1,
                "ip": session.ip,
                "level": session.level,
                "sessionId": session.session_id,
                "userName": session.username,
            }
            for session in self.live_sessions
        ]
        return {"User": users}

    def disconnect(self, param: Any, own: Session | None) -> None:
        """3.2.8 Disconnect: ends the session named by user name and session id."""
        user = param.get("User") if isinstance(param, dict) else None
        if not isinstance(user, dict):
            raise ApiError(-23)
        username, session_id = user.get("userName"), user.get("sessionId")
        if not isinstance(username, str) or not isinstance(session_id, int):
            raise ApiError(-4)
        for session in self.live_sessions:
            if session.session_id == session_id and session.username == username:
                if session is own:
                    raise ApiError(-4, "cannot disconnect own session")
                del self._sessions[session.token]
                return
        raise ApiError(-1)

    def expire_all(self) -> None:
        """Forget every token (token-expiry fault and reboot)."""
        self._sessions.clear()

    # -- internals ----------------------------------------------------------------------------

    def _purge_expired(self) -> None:
        now = self._clock()
        expired = [token for token, s in self._sessions.items() if s.expires_at <= now]
        for token in expired:
            del self._sessions[token]

    def _raise_if_locked(self) -> None:
        now = self._clock()
        if now < self._locked_until:
            raise ApiError(-506)
        if self._locked_until:
            self._locked_until = 0.0
            self._failures_in_a_row = 0

    def _enforce_rate_limit(self) -> None:
        # Rejected attempts are not recorded, so a client that backs off gets in again
        # once the window has moved on.
        now = self._clock()
        window_start = now - self.limits.login_rate_window
        while self._recent_logins and self._recent_logins[0] <= window_start:
            self._recent_logins.popleft()
        if len(self._recent_logins) >= self.limits.login_rate_limit:
            raise ApiError(-105)
        self._recent_logins.append(now)

    def _verify_credentials(self, username: str, password: str) -> None:
        if self._check_login(username, password):
            self._failures_in_a_row = 0
            return
        self._failures_in_a_row += 1
        if self._failures_in_a_row >= self.limits.lockout_failures:
            self._locked_until = self._clock() + self.limits.lockout_seconds
        raise ApiError(-7)

    def _open_session(self, username: str, ip: str) -> Session:
        token = secrets.token_hex(8)[:TOKEN_LENGTH]
        session = Session(
            token=token,
            username=username,
            level=self._user_level(username),
            session_id=self._next_session_id,
            ip=ip,
            expires_at=self._clock() + self.limits.lease,
        )
        self._next_session_id += 1
        self._sessions[token] = session
        return session

    def _lease_for_reply(self) -> int:
        # leaseTime is an integer on devices; a sub-second test lease is reported as 1.
        return max(1, round(self.limits.lease))


def _login_credentials(param: Any) -> tuple[str, str]:
    """Extract `User.userName` / `User.password` from a Login param (3.2.1)."""
    user = param.get("User") if isinstance(param, dict) else None
    if not isinstance(user, dict) or "userName" not in user:
        raise ApiError(-23)
    username, password = user.get("userName"), user.get("password", "")
    if not isinstance(username, str) or not isinstance(password, str):
        raise ApiError(-4)
    return username, password
