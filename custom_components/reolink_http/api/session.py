"""Token lifecycle of the long-session access (guide 2.3, 2.6.1 and 3.2.1 Login).

One login is shared by all concurrent callers (single flight), the token is reused for its
lease and renewed shortly before it ends. Refused logins start a back-off during which no
new Login reaches the device, so a wrong password never locks the account (-506) and a full
device (-5) or a rate limit (-105) is not hammered.
"""

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from .exceptions import (
    ReolinkAuthError,
    ReolinkBackoffError,
    ReolinkLoginLockedError,
)
from .models import Token

LoginFunction = Callable[[], Awaitable[Token]]


@dataclass(frozen=True, slots=True)
class BackoffPolicy:
    """Exponential back-off after a refused login, capped."""

    initial: float = 5.0
    maximum: float = 300.0
    auth: float = 60.0

    def delay(self, failures: int, error: Exception) -> float:
        """Seconds to wait after the `failures`-th refusal in a row."""
        # A refused password and a lock-out both take minutes to change.
        locked = isinstance(error, (ReolinkAuthError, ReolinkLoginLockedError))
        base = self.auth if locked else self.initial
        return min(base * 2.0 ** max(failures - 1, 0), self.maximum)


class TokenManager:
    """Hands out a valid token, logging in at most once at a time."""

    def __init__(
        self,
        login: LoginFunction,
        policy: BackoffPolicy,
        renew_margin: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._login = login
        self._policy = policy
        self._renew_margin = renew_margin
        self._clock = clock
        self._token: str | None = None
        self._renew_at = 0.0
        self._pending: asyncio.Task[str] | None = None
        self._failures = 0
        self._blocked_until = 0.0
        self._blocking_error: Exception | None = None

    def __repr__(self) -> str:
        return f"TokenManager(has_token={self._token is not None}, failures={self._failures})"

    @property
    def current(self) -> str | None:
        """The token when it is still fresh, None otherwise."""
        if self._token is not None and self._clock() < self._renew_at:
            return self._token
        return None

    async def token(self) -> str:
        """A valid token; logs in (once for all concurrent callers) when needed."""
        fresh = self.current
        if fresh is not None:
            return fresh
        self._raise_if_blocked()
        if self._pending is None:
            self._pending = asyncio.get_running_loop().create_task(self._login_once())
            self._pending.add_done_callback(_consume_exception)
        return await asyncio.shield(self._pending)

    def invalidate(self, token: str) -> None:
        """Forget `token` after the device rejected it (-6/-21); a newer one is kept."""
        if self._token == token:
            self._token = None

    def take(self) -> str | None:
        """Remove and return the token (for Logout)."""
        token, self._token = self._token, None
        return token

    async def cancel(self) -> None:
        """Stop a login still in flight (on close)."""
        pending, self._pending = self._pending, None
        if pending is not None and not pending.done():
            pending.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await pending

    def _raise_if_blocked(self) -> None:
        error = self._blocking_error
        remaining = self._blocked_until - self._clock()
        if error is None or remaining <= 0:
            return
        if isinstance(error, ReolinkAuthError):
            raise ReolinkAuthError(
                f"login refused earlier ({error}); not retrying for {remaining:.0f} s",
                error.code,
                remaining,
            )
        kind = type(error) if isinstance(error, ReolinkBackoffError) else ReolinkBackoffError
        raise kind(f"{error}; next login allowed in {remaining:.0f} s", remaining)

    async def _login_once(self) -> str:
        try:
            token = await self._login()
        except (ReolinkAuthError, ReolinkBackoffError) as err:
            raise self._start_backoff(err) from None
        finally:
            self._pending = None
        self._failures = 0
        self._blocking_error = None
        self._token = token.name
        margin = min(self._renew_margin, token.lease / 10)
        self._renew_at = self._clock() + token.lease - margin
        return token.name

    def _start_backoff(self, error: Exception) -> Exception:
        self._failures += 1
        delay = self._policy.delay(self._failures, error)
        self._blocked_until = self._clock() + delay
        self._blocking_error = error
        if isinstance(error, ReolinkAuthError):
            return ReolinkAuthError(str(error), error.code, delay)
        if isinstance(error, ReolinkBackoffError):
            return type(error)(str(error), delay)
        return error


def _consume_exception(task: asyncio.Task[str]) -> None:
    # Every waiter receives the exception; this only silences "never retrieved" warnings
    # when all waiters were cancelled.
    if not task.cancelled():
        task.exception()
