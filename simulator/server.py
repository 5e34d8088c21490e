"""HTTP(S) front end of the simulated device (guide v7: 2 HTTP & Json, 3.2 Security, 4 Response).

`Simulator` owns one `Device` and serves the Camera HTTP API plus the `/sim/*` control API.
"""

import asyncio
import contextlib
import copy
import json
import logging
import random
import re
import ssl
import time
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from aiohttp import web

from simulator.auth import AuthLimits, Session, SessionManager
from simulator.commands.base import UPLOAD_KEY
from simulator.device import PROFILES, BinaryReply, CommandReply, Device
from simulator.errors import ApiError
from simulator.faults import (
    ActiveFaults,
    ControlError,
    FaultInjector,
    parse_fault_request,
    rewrite_answer,
)
from simulator.onvif import DEFAULT_PULL_SECONDS, OnvifService
from simulator.serving import Listener, Service, send_padded
from simulator.tls import server_certificate, server_ssl_context

_LOGGER = logging.getLogger(__name__)

API_PATHS = ("/cgi-bin/api.cgi", "/api.cgi")
SCENARIOS = ("random-motion",)
LOG_LIMIT = 10_000
# Real firmware refuses a POST with more commands than this (-16 "send failed").
DEFAULT_MAX_BATCH = 35
BATCH_TOO_LARGE = -16
# Real devices label their JSON answers text/html; reolink_aio refuses anything else.
JSON_CONTENT_TYPE = "text/html"
# Query parameters that steer the request rather than belong to the command's param.
RESERVED_QUERY_KEYS = frozenset({"cmd", "token", "user", "password", "action"})
SECRET_QUERY_KEYS = frozenset({"token", "user", "password"})
# Plain decimal integers only: "0012" or long digit strings stay text (file names, times).
INT_QUERY_VALUE = re.compile(r"-?(0|[1-9][0-9]{0,9})")
SHUTDOWN_TIMEOUT = 1.0
REBIND_ATTEMPTS = 50
REBIND_DELAY = 0.1
NO_RESPONSE = 0  # logged status of requests whose connection was dropped
# Recordings answer byte ranges (RFC 9110 14); Snap is always whole.
RANGED_COMMANDS = frozenset({"download", "playback"})
SINGLE_BYTE_RANGE = re.compile(r"bytes=(\d*)-(\d*)")
UNSATISFIABLE = (-1, -1)

# A Unicode noncharacter marks where the invalid byte goes; json.dumps escapes it.
BAD_BYTE_MARK = "\ufdd0"
BAD_BYTE_ESCAPED = b"\\ufdd0"

SESSION_COMMANDS = frozenset({"login", "logout", "getonline", "disconnect"})
OK_VALUE = {"rspCode": 200}


class RequestLog:
    """Recent API requests (bounded) and exact counters, for `GET /sim/log`."""

    def __init__(self, limit: int = LOG_LIMIT) -> None:
        self.entries: deque[dict[str, Any]] = deque(maxlen=limit)
        self.login_count = 0
        self.request_count = 0

    def record(
        self, *, method: str, path: str, commands: list[str], token_used: bool, status: int
    ) -> None:
        self.request_count += 1
        self.entries.append(
            {
                "time": time.time(),
                "method": method,
                "path": path,
                "commands": commands,
                "token_used": token_used,
                "status": status,
            }
        )

    def clear(self) -> None:
        self.entries.clear()
        self.login_count = 0
        self.request_count = 0

    def snapshot(self) -> dict[str, Any]:
        return {
            "requests": list(self.entries),
            "login_count": self.login_count,
            "request_count": self.request_count,
        }


@dataclass(slots=True)
class _RequestContext:
    """What one API request carries for authentication, plus flags set while answering."""

    token: str | None
    user: str | None
    password: str | None
    ip: str
    faults: ActiveFaults
    short_session: str | ApiError | None = None
    reboot_requested: bool = False
    commands: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Command:
    name: str
    action: int
    param: dict[str, Any]


class _DroppedError(Exception):
    """The request must end without any answer on the wire."""


class Simulator(Service):
    """One simulated Reolink device on its own port (see simulator/README.md)."""

    def __init__(
        self,
        profile: str = "ipc",
        https: bool = False,
        host: str = "127.0.0.1",
        port: int = 0,
        username: str = "admin",
        password: str = "password",  # noqa: S107 - the documented simulator default
        lease: float = 3600,
        max_sessions: int = 8,
        reboot_seconds: float = 5.0,
        login_rate_limit: int = 5,
        login_rate_window: float = 10.0,
        lockout_failures: int = 5,
        lockout_seconds: float = 60.0,
        scenario: str | None = None,
        seed: int = 0,
        *,
        scenario_interval: float = 2.0,
        max_batch: int = DEFAULT_MAX_BATCH,
        onvif_pull_seconds: float = DEFAULT_PULL_SECONDS,
    ) -> None:
        if profile not in PROFILES:
            raise ValueError(f"unknown profile {profile!r}; choose one of {', '.join(PROFILES)}")
        if scenario is not None and scenario not in SCENARIOS:
            raise ValueError(f"unknown scenario {scenario!r}; choose one of {SCENARIOS}")
        self.profile = profile
        self.https = https
        self.host = host
        self.port = port
        self.reboot_seconds = reboot_seconds
        self.scenario = scenario
        self.scenario_interval = scenario_interval
        if max_batch < 1:
            raise ValueError("max_batch must be at least 1")
        self.max_batch = max_batch
        self.device = Device(profile, username=username, password=password, seed=seed)
        self.sessions = SessionManager(
            self.device.check_login,
            self.device.user_level,
            AuthLimits(
                lease=lease,
                max_sessions=max_sessions,
                login_rate_limit=login_rate_limit,
                login_rate_window=login_rate_window,
                lockout_failures=lockout_failures,
                lockout_seconds=lockout_seconds,
            ),
        )
        self.faults = FaultInjector()
        self.log = RequestLog()
        self.onvif = OnvifService(
            self.device, self.device.password_of, host, max_pull_seconds=onvif_pull_seconds
        )
        self._rng = random.Random(seed)
        self._runner: web.AppRunner | None = None
        self._listener: Listener | None = None
        self._scenario_task: asyncio.Task[None] | None = None
        self._reboot_task: asyncio.Task[None] | None = None
        self._reboot_until = 0.0
        self._offline = asyncio.Event()
        # Set to end a reboot before its deadline (see end_reboot).
        self._reboot_cut = asyncio.Event()

    def __repr__(self) -> str:
        return f"Simulator(profile={self.profile!r}, url={self.url!r})"

    # -- public properties --------------------------------------------------------------------

    @property
    def url(self) -> str:
        scheme = "https" if self.https else "http"
        return f"{scheme}://{self.host}:{self.port}"

    @property
    def fingerprint(self) -> str | None:
        """SHA-256 of the served certificate (64 lowercase hex), None over plain HTTP."""
        return server_certificate().fingerprint if self.https else None

    @property
    def state(self) -> dict[str, Any]:
        return self.device.state

    @property
    def requests(self) -> list[dict[str, Any]]:
        return list(self.log.entries)

    @property
    def login_count(self) -> int:
        return self.log.login_count

    @property
    def rebooting(self) -> bool:
        return self._reboot_task is not None and not self._reboot_task.done()

    # -- control, Python side -----------------------------------------------------------------

    def patch_state(self, patch: Mapping[str, Any]) -> None:
        """Deep-merge a patch into the device state (same as `POST /sim/state`)."""
        self.device.patch_state(patch)

    def set_fault(self, **fault: Any) -> None:
        """Activate faults (same keys as `POST /sim/fault`); raises ControlError on bad input."""
        request = parse_fault_request(fault)
        self.faults.apply(request)
        if request.expire_tokens:
            self.sessions.expire_all()
        if request.reboot_seconds is not None:
            self._request_reboot(request.reboot_seconds)

    def clear_faults(self) -> None:
        self.faults.clear()

    def clear_log(self) -> None:
        self.log.clear()

    async def reboot(self, seconds: float | None = None) -> None:
        """Reboot like 3.1.13 Reboot; returns once the device stopped listening."""
        self._request_reboot(self.reboot_seconds if seconds is None else seconds)
        await self._offline.wait()

    def end_reboot(self) -> None:
        """Come back now rather than at the reboot's deadline.

        For tests whose clock runs ahead of real time: the moment the device answers
        again is then theirs, not wherever real time has pushed the deadline.
        """
        self._reboot_until = asyncio.get_running_loop().time()
        self._reboot_cut.set()

    async def wait_online(self) -> None:
        """Wait for a running reboot to finish."""
        if self._reboot_task is not None:
            await asyncio.shield(self._reboot_task)

    # -- lifecycle ----------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application()
        for path in API_PATHS:
            app.router.add_route("GET", path, self._handle_api)
            app.router.add_route("POST", path, self._handle_api)
        app.router.add_get("/sim/state", self._get_state)
        app.router.add_post("/sim/state", self._post_state)
        app.router.add_get("/sim/fault", self._get_fault)
        app.router.add_post("/sim/fault", self._post_fault)
        app.router.add_delete("/sim/fault", self._delete_fault)
        app.router.add_get("/sim/log", self._get_log)
        app.router.add_delete("/sim/log", self._delete_log)
        app.router.add_get("/sim/onvif", self._get_onvif)
        app.router.add_post("/sim/onvif", self._post_onvif)
        app.router.add_delete("/sim/onvif", self._delete_onvif)
        self._runner = web.AppRunner(
            app, access_log=None, handle_signals=False, shutdown_timeout=SHUTDOWN_TIMEOUT
        )
        await self._runner.setup()
        tls = self._tls_context if self.https else None
        self._listener = Listener(self._runner, self.host, self.port, tls)
        await self._listener.start()
        self.port = self._listener.port
        await self.onvif.start()
        if self.scenario == "random-motion":
            self._scenario_task = asyncio.create_task(self._random_motion())

    async def stop(self) -> None:
        tasks = [t for t in (self._scenario_task, self._reboot_task) if t is not None]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._scenario_task = self._reboot_task = None
        await self.onvif.stop()
        if self._listener is not None:
            await self._listener.stop()
            self._listener = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def _tls_context(self) -> ssl.SSLContext:
        return server_ssl_context(lambda: self.faults.refuses_handshakes)

    # -- reboot -------------------------------------------------------------------------------

    def _request_reboot(self, seconds: float) -> None:
        # The loop's clock, like the sleep below: tests may run it faster than real time.
        now = asyncio.get_running_loop().time()
        self._reboot_until = max(self._reboot_until, now + seconds)
        if not self.rebooting:
            self._reboot_task = asyncio.create_task(self._reboot())

    async def _reboot(self) -> None:
        """Go offline (listener closed, connections ended, tokens gone), then come back."""
        self.sessions.expire_all()
        self.device.on_reboot()
        self.onvif.on_reboot()
        await self.onvif.close_port()
        await self._go_offline()
        self._reboot_cut.clear()
        while True:  # another reboot request may push the deadline further out
            remaining = self._reboot_until - asyncio.get_running_loop().time()
            if remaining <= 0:
                break
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._reboot_cut.wait(), remaining)
        await self._come_back()
        if not self.onvif.faults.port_closed:
            await self.onvif.open_port()

    async def _go_offline(self) -> None:
        if self._listener is not None:
            await self._listener.stop()
        self._offline.set()

    async def _come_back(self) -> None:
        assert self._listener is not None
        for _ in range(REBIND_ATTEMPTS):
            try:
                await self._listener.start()
            except OSError:
                await asyncio.sleep(REBIND_DELAY)
            else:
                break
        else:
            _LOGGER.error("Could not listen on port %s again after reboot", self.port)
        self._offline.clear()

    async def _random_motion(self) -> None:
        while True:
            await asyncio.sleep(self.scenario_interval)
            try:
                self.device.random_event(self._rng)
            except Exception:
                _LOGGER.exception("random-motion step failed")

    # -- Camera HTTP API ----------------------------------------------------------------------

    async def _handle_api(self, request: web.Request) -> web.StreamResponse:
        faults = self.faults.take()
        context = _RequestContext(
            token=request.query.get("token"),
            user=request.query.get("user"),
            password=request.query.get("password"),
            ip=request.remote or "",
            faults=faults,
        )
        try:
            response = await self._answer_api(request, context)
        except _DroppedError:
            _drop(request)
            self._record(request, context, NO_RESPONSE)
            # aiohttp cannot write this to the closed transport and lets it go quietly.
            return web.Response()
        response = await self._hostile(request, response, faults)
        self._record(request, context, response.status)
        if context.reboot_requested:
            # Answer first, then go offline, like a device acknowledging the reboot.
            await response.prepare(request)
            await response.write_eof()
            self._request_reboot(self.reboot_seconds)
        return response

    async def _hostile(
        self, request: web.Request, response: web.StreamResponse, faults: ActiveFaults
    ) -> web.StreamResponse:
        """Apply the answer faults (faults.py): JSON answers rewritten, a snapshot oversized."""
        if not isinstance(response, web.Response) or not isinstance(response.body, bytes):
            return response
        if faults.oversized_snapshot and response.content_type == "image/jpeg":
            return await _send_oversized(request, response, faults.oversized_snapshot)
        if _is_slowed(request, response, faults):
            return await _send_slow_file(request, response, faults)
        if response.status != 200 or response.body[:1] != b"[":
            return response
        if faults.rewrites_answer:
            response.body = rewrite_answer(response.body, faults)
        if faults.truncates_body:
            return await _send_truncated(request, response)
        return response

    async def _answer_api(
        self, request: web.Request, context: _RequestContext
    ) -> web.StreamResponse:
        if context.faults.latency_ms:
            await asyncio.sleep(context.faults.latency_ms / 1000)
        # A device whose TLS fails drops what comes over connections opened before.
        if self.rebooting or context.faults.drop_connection or self.faults.refuses_handshakes:
            context.commands = _query_command_names(request)
            raise _DroppedError
        if context.faults.http_status:
            context.commands = _query_command_names(request)
            return _http_error(context.faults.http_status)
        if context.faults.redirect:
            context.commands = _query_command_names(request)
            return _redirect(context.faults.redirect)
        body = await request.read() if request.method == "POST" else b""
        try:
            if body.strip() and not _is_file_upload(request):
                return self._answer_batch(body, request, context)
            upload = _uploaded_file(request, body) if _is_file_upload(request) else None
            return self._answer_query_command(request, context, upload)
        except Exception:
            # Last line of defence: a device never answers 500.
            _LOGGER.exception("Unexpected failure answering %s", request.path)
            return self._json_answer([ApiError(-25).envelope(_url_cmd(request))], context)

    def _answer_batch(
        self, body: bytes, request: web.Request, context: _RequestContext
    ) -> web.Response:
        try:
            decoded = json.loads(body)
        except (ValueError, RecursionError):
            context.commands = _query_command_names(request)
            return self._json_answer([ApiError(-10).envelope(_url_cmd(request))], context)
        if isinstance(decoded, dict):
            decoded = [decoded]  # devices accept a lone object as a one-command batch
        if not isinstance(decoded, list):
            context.commands = _query_command_names(request)
            return self._json_answer([ApiError(-10).envelope(_url_cmd(request))], context)
        fallback = _url_cmd(request)
        context.commands = [_element_name(e, fallback) for e in decoded]
        if len(decoded) > self.max_batch:
            # The device answers the whole POST with one error, whatever the commands.
            first = context.commands[0]
            return self._json_answer([ApiError(BATCH_TOO_LARGE).envelope(first)], context)
        answers = [self._answer_element(e, fallback, context, allow_binary=False) for e in decoded]
        return self._json_answer([a for a in answers if isinstance(a, dict)], context)

    def _answer_query_command(
        self,
        request: web.Request,
        context: _RequestContext,
        upload: dict[str, Any] | None = None,
    ) -> web.StreamResponse:
        """The GET form of 2.1: `?cmd=X&channel=0&token=T`, also used for Snap/Download.

        `upload`: the name and size of a multipart POST's file, handed to its command.
        """
        param = _query_param(request)
        if upload is not None:
            param[UPLOAD_KEY] = upload
        element: dict[str, Any] = {"cmd": request.query.get("cmd"), "param": param}
        if "action" in request.query:
            element["action"] = _query_value(request.query["action"])
        fallback = _url_cmd(request)
        context.commands = [_element_name(element, fallback)]
        answer = self._answer_element(element, fallback, context, allow_binary=True)
        if isinstance(answer, BinaryReply):
            ranged = context.commands[0].lower() in RANGED_COMMANDS
            return _binary_response(answer, ranged, request.headers.get("Range"))
        return self._json_answer([answer], context)

    def _answer_element(
        self, element: Any, fallback: str, context: _RequestContext, *, allow_binary: bool
    ) -> dict[str, Any] | BinaryReply:
        """Answer one command; every failure becomes that command's error envelope."""
        name = _element_name(element, fallback)
        try:
            command = _parse_command(element)
            return self._run(command, context, allow_binary=allow_binary)
        except ApiError as err:
            return err.envelope(name)
        except Exception:
            _LOGGER.exception("Command %s failed unexpectedly", name)
            return ApiError(-25).envelope(name)

    def _run(
        self, command: _Command, context: _RequestContext, *, allow_binary: bool
    ) -> dict[str, Any] | BinaryReply:
        key = command.name.lower()
        if key == "login":
            self.log.login_count += 1
            _raise_injected(command, context.faults)
            return _success(command.name, self.sessions.login(command.param, context.ip))
        session, username = self._authenticate(context)
        _raise_injected(command, context.faults)
        if key in SESSION_COMMANDS:
            return _success(command.name, self._run_session_command(key, command, session))
        reply = self.device.execute(command.name, command.action, command.param, user=username)
        if isinstance(reply, BinaryReply):
            if not allow_binary:
                raise ApiError(-4, "binary command must be sent on its own (GET form)")
            return reply
        if key == "reboot":
            context.reboot_requested = True
        return _reply_element(command, reply)

    def _run_session_command(
        self, key: str, command: _Command, session: Session | None
    ) -> dict[str, Any]:
        if key == "logout":
            if session is not None:
                self.sessions.logout(session.token)
            return OK_VALUE
        if key == "getonline":
            return self.sessions.online_users(session)
        self.sessions.disconnect(command.param, session)
        return OK_VALUE

    def _authenticate(self, context: _RequestContext) -> tuple[Session | None, str]:
        """Token session (2.6.1) or URL credentials (2.6.2); checked for each command."""
        if context.token:
            session = self.sessions.authenticate(context.token)
            return session, session.username
        if context.user is None:
            raise ApiError(-6)
        if context.short_session is None:
            # Checked once per request so one bad password is one failed login.
            try:
                context.short_session = self.sessions.check_short_session(
                    context.user, context.password or ""
                )
            except ApiError as err:
                context.short_session = err
        if isinstance(context.short_session, ApiError):
            raise context.short_session
        return None, context.short_session

    def _json_answer(self, answers: list[dict[str, Any]], context: _RequestContext) -> web.Response:
        body = _answer_bytes(answers, context.faults.invalid_utf8)
        if context.faults.malformed_json:
            body = body[: len(body) // 2]
        return web.Response(body=body, content_type=JSON_CONTENT_TYPE, charset="utf-8")

    def _record(self, request: web.Request, context: _RequestContext, status: int) -> None:
        self.log.record(
            method=request.method,
            path=_loggable_path(request),
            commands=context.commands,
            token_used=bool(context.token),
            status=status,
        )

    # -- control API (never affected by faults) -----------------------------------------------

    async def _get_state(self, _request: web.Request) -> web.Response:
        state = {**self.device.state, "sessions": len(self.sessions.live_sessions)}
        return web.json_response(state, dumps=_dumps_lenient)

    async def _post_state(self, request: web.Request) -> web.Response:
        try:
            self.device.patch_state(_json_object(await request.read()))
        except ValueError as err:
            return web.json_response({"error": str(err)}, status=400)
        return await self._get_state(request)

    async def _get_fault(self, _request: web.Request) -> web.Response:
        return web.json_response(self.faults.describe())

    async def _post_fault(self, request: web.Request) -> web.Response:
        try:
            self.set_fault(**_json_object(await request.read()))
        except ValueError as err:
            return web.json_response({"error": str(err)}, status=400)
        return web.json_response(self.faults.describe())

    async def _delete_fault(self, _request: web.Request) -> web.Response:
        self.clear_faults()
        return web.json_response(self.faults.describe())

    async def _get_log(self, _request: web.Request) -> web.Response:
        return web.json_response(self.log.snapshot())

    async def _delete_log(self, _request: web.Request) -> web.Response:
        self.clear_log()
        return web.json_response(self.log.snapshot())

    async def _get_onvif(self, _request: web.Request) -> web.Response:
        return web.json_response(self.onvif.describe())

    async def _post_onvif(self, request: web.Request) -> web.Response:
        try:
            await self.onvif.set_faults(**_json_object(await request.read()))
        except (ValueError, TypeError) as err:
            return web.json_response({"error": str(err)}, status=400)
        return web.json_response(self.onvif.describe())

    async def _delete_onvif(self, _request: web.Request) -> web.Response:
        await self.onvif.clear_faults()
        return web.json_response(self.onvif.describe())


# -- helpers ----------------------------------------------------------------------------------


def _parse_command(element: Any) -> _Command:
    """Validate one batch element `{cmd, action, param}` (2.2 JSON); bad shapes are -4."""
    if not isinstance(element, dict):
        raise ApiError(-4, "command must be a JSON object")
    name, action, param = element.get("cmd"), element.get("action", 0), element.get("param", {})
    if not isinstance(name, str) or not name:
        raise ApiError(-4, "cmd must be a non-empty string")
    if isinstance(action, bool) or not isinstance(action, int):
        raise ApiError(-4, "action must be an integer")
    if param is None:
        param = {}
    if not isinstance(param, dict):
        raise ApiError(-4, "param must be a JSON object")
    return _Command(name=name, action=action, param=param)


def _element_name(element: Any, fallback: str) -> str:
    name = element.get("cmd") if isinstance(element, dict) else None
    return name if isinstance(name, str) and name else fallback


def _raise_injected(command: _Command, faults: ActiveFaults) -> None:
    code = faults.command_errors.get(command.name)
    if code is not None:
        raise ApiError(code)


def _success(name: str, value: dict[str, Any]) -> dict[str, Any]:
    return {"cmd": name, "code": 0, "value": value}


def _reply_element(command: _Command, reply: CommandReply) -> dict[str, Any]:
    """`initial` and `range` only when asked for with action 1 (2.5 Definitions)."""
    answer = _success(command.name, reply.value)
    if command.action == 1:
        if reply.initial is not None:
            answer["initial"] = reply.initial
        if reply.range is not None:
            answer["range"] = reply.range
    return answer


def _answer_bytes(answers: list[dict[str, Any]], bad_commands: frozenset[str]) -> bytes:
    """The JSON text; answers of ``bad_commands`` carry one byte that is not UTF-8."""
    if not any(answer.get("cmd") in bad_commands for answer in answers):
        return json.dumps(answers).encode()
    parts = [
        _bad_utf8_element(answer)
        if answer.get("cmd") in bad_commands
        else json.dumps(answer).encode()
        for answer in answers
    ]
    return b"[" + b", ".join(parts) + b"]"


def _bad_utf8_element(answer: dict[str, Any]) -> bytes:
    """Like firmware that cuts a name mid-character: one 0xff byte inside a string."""
    marked = copy.deepcopy(answer)
    if not _mark_first_string(marked.get("value")) and not _mark_first_string(marked.get("error")):
        marked["cmd"] += BAD_BYTE_MARK
    return json.dumps(marked).encode().replace(BAD_BYTE_ESCAPED, b"\xff")


def _mark_first_string(node: Any) -> bool:
    """Append the mark to the first string found depth-first; False if there is none."""
    if isinstance(node, dict):
        slots: list[tuple[Any, Any]] = list(node.items())
    elif isinstance(node, list):
        slots = list(enumerate(node))
    else:
        return False
    for key, value in slots:
        if isinstance(value, str):
            node[key] = value + BAD_BYTE_MARK
            return True
        if _mark_first_string(value):
            return True
    return False


def _is_file_upload(request: web.Request) -> bool:
    """3.1.11 Upgrade posts the file as multipart form data; its command is in the query."""
    return request.content_type.startswith("multipart/")


def _uploaded_file(request: web.Request, body: bytes) -> dict[str, Any]:
    """The first part of a multipart POST: its file name and size (the bytes are dropped)."""
    found = re.search(r'boundary="?([^";]+)"?', request.headers.get("Content-Type", ""))
    parts = body.split(b"--" + found.group(1).encode()) if found else []
    headers, _, payload = parts[1].partition(b"\r\n\r\n") if len(parts) > 2 else (b"", b"", b"")
    name = re.search(rb'filename="?([^"\r\n;]*)', headers)
    return {
        "filename": name.group(1).decode("utf-8", "replace") if name else "",
        "size": len(payload.removesuffix(b"\r\n")),
    }


def _url_cmd(request: web.Request) -> str:
    return request.query.get("cmd", "")


def _query_command_names(request: web.Request) -> list[str]:
    cmd = _url_cmd(request)
    return [cmd] if cmd else []


def _query_param(request: web.Request) -> dict[str, Any]:
    return {
        key: _query_value(value)
        for key, value in request.query.items()
        if key not in RESERVED_QUERY_KEYS
    }


def _query_value(value: str) -> int | str:
    stripped = value.strip()
    return int(stripped) if INT_QUERY_VALUE.fullmatch(stripped) else value


def _loggable_path(request: web.Request) -> str:
    query = [(k, v) for k, v in request.query.items() if k not in SECRET_QUERY_KEYS]
    return f"{request.path}?{urlencode(query)}" if query else request.path


def _binary_response(
    reply: BinaryReply, ranged: bool = False, range_header: str | None = None
) -> web.Response:
    """The file; for recordings (`ranged`) also one byte range of it."""
    headers = {}
    if reply.filename:
        headers["Content-Disposition"] = f'attachment; filename="{reply.filename}"'
    if not ranged:
        return web.Response(body=reply.body, content_type=reply.content_type, headers=headers)
    headers["Accept-Ranges"] = "bytes"
    size = len(reply.body)
    span = None if range_header is None else _byte_span(range_header, size)
    if span is None:  # absent, malformed or multi-part: RFC 9110 14.2 allows the whole file
        return web.Response(body=reply.body, content_type=reply.content_type, headers=headers)
    if span == UNSATISFIABLE:
        headers["Content-Range"] = f"bytes */{size}"
        return web.Response(status=416, headers=headers)
    first, last = span
    headers["Content-Range"] = f"bytes {first}-{last}/{size}"
    return web.Response(
        status=206,
        body=reply.body[first : last + 1],
        content_type=reply.content_type,
        headers=headers,
    )


def _byte_span(header: str, size: int) -> tuple[int, int] | None:
    """Inclusive (first, last) of a single `bytes=a-b`, `a-` or `-n`; UNSATISFIABLE if outside."""
    match = SINGLE_BYTE_RANGE.fullmatch(header.strip())
    if match is None or match.group(1) == match.group(2) == "":
        return None
    first_text, last_text = match.groups()
    if first_text == "":
        suffix = int(last_text)
        return (max(0, size - suffix), size - 1) if suffix and size else UNSATISFIABLE
    first = int(first_text)
    last = size - 1 if last_text == "" else min(int(last_text), size - 1)
    if last_text != "" and int(last_text) < first:
        return None  # invalid syntax (RFC 9110 14.1.1): ignored, whole file
    return (first, last) if first < size else UNSATISFIABLE


def _http_error(status: int) -> web.Response:
    html = f"<html><head><title>{status}</title></head><body><h1>{status}</h1></body></html>"
    return web.Response(status=status, text=html, content_type="text/html")


def _redirect(redirect: Mapping[str, Any]) -> web.Response:
    location = redirect["location"]
    html = f'<html><body>Moved to <a href="{location}">{location}</a></body></html>'
    return web.Response(
        status=redirect["status"],
        text=html,
        content_type="text/html",
        headers={"Location": location},
    )


async def _send_truncated(request: web.Request, full: web.Response) -> web.StreamResponse:
    """Announce the whole body, send its first half, then close the connection."""
    assert isinstance(full.body, bytes)
    response = web.StreamResponse(status=full.status, headers={"Content-Type": full.content_type})
    response.content_length = len(full.body)
    await response.prepare(request)
    await response.write(full.body[: len(full.body) // 2])
    _drop(request)
    return response


async def _send_oversized(
    request: web.Request, full: web.Response, size: int
) -> web.StreamResponse:
    """The JPEG, then zero bytes up to `size` in all, under a Content-Length of `size`."""
    assert isinstance(full.body, bytes)
    response = web.StreamResponse(headers={"Content-Type": full.content_type})
    response.content_length = max(size, len(full.body))
    return await send_padded(request, response, full.body, size)


def _is_file_answer(request: web.Request, response: web.Response) -> bool:
    """A Download/Playback answer carrying the file (not a JSON error)."""
    cmd = _url_cmd(request).lower()
    body = response.body if isinstance(response.body, bytes) else b""
    return cmd in RANGED_COMMANDS and response.status in (200, 206) and body[:1] != b"["


def _is_slowed(request: web.Request, response: web.Response, faults: ActiveFaults) -> bool:
    """A file answer under either slow fault; a Snap picture trickles too."""
    if _is_file_answer(request, response):
        return bool(faults.trickle_files or faults.endless_files)
    return bool(faults.trickle_files) and response.content_type == "image/jpeg"


async def _send_slow_file(
    request: web.Request, full: web.Response, faults: ActiveFaults
) -> web.StreamResponse:
    if faults.trickle_files:
        return await _send_trickle(request, full, faults.trickle_files)
    return await _send_endless(request, full)


def _streamed_like(full: web.Response) -> web.StreamResponse:
    """A streamed answer with the status and headers of `full` (its length left to the caller)."""
    response = web.StreamResponse(status=full.status)
    for name in ("Content-Type", "Content-Range", "Accept-Ranges", "Content-Disposition"):
        if name in full.headers:
            response.headers[name] = full.headers[name]
    return response


async def _send_trickle(
    request: web.Request, full: web.Response, seconds: float
) -> web.StreamResponse:
    """The file under its full Content-Length, one byte every `seconds`.

    Goes on until the file is sent or the reader hangs up.
    """
    assert isinstance(full.body, bytes)
    response = _streamed_like(full)
    response.content_length = len(full.body)
    await response.prepare(request)
    try:
        for index in range(len(full.body)):
            if request.transport is None or request.transport.is_closing():
                return response  # the reader hung up
            await response.write(full.body[index : index + 1])
            await asyncio.sleep(seconds)
        await response.write_eof()
    except ConnectionError:
        pass  # the reader gave up, which is what a client should do
    return response


async def _send_endless(request: web.Request, full: web.Response) -> web.StreamResponse:
    """The file, then zero bytes without end, chunked (no Content-Length).

    Goes on until the reader hangs up.
    """
    assert isinstance(full.body, bytes)
    response = _streamed_like(full)
    response.enable_chunked_encoding()
    return await send_padded(request, response, full.body, None)


def _drop(request: web.Request) -> None:
    """Close the connection without writing an answer."""
    transport = request.transport
    if transport is not None:
        transport.abort()


def _json_object(body: bytes) -> dict[str, Any]:
    try:
        decoded = json.loads(body) if body.strip() else {}
    except ValueError as err:
        raise ControlError(f"body is not JSON: {err}") from err
    if not isinstance(decoded, dict):
        raise ControlError("body must be a JSON object")
    return decoded


def _dumps_lenient(value: Any) -> str:
    return json.dumps(value, default=str)
