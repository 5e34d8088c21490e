"""Tokens, leases, session slots, rate limit, lockout and short sessions (3.2 Security)."""

import asyncio
from typing import Any

from simulator.auth import Session
from tests.simulator.conftest import Api, StartSim

DEV_INFO = {"cmd": "GetDevInfo", "action": 0, "param": {}}


async def dev_info_code(api: Api, **query: Any) -> int | None:
    answers = await api.post([DEV_INFO], **query)
    return api.error_code(answers[0])


async def test_missing_token_is_please_login_first(api: Api) -> None:
    assert await dev_info_code(api) == -6
    answers = await api.post([DEV_INFO])
    assert answers[0]["error"]["detail"] == "please login first"


async def test_unknown_token_is_error_token(api: Api) -> None:
    await api.token()
    assert await dev_info_code(api, token="0123456789abcde") == -21


async def test_valid_token_is_accepted(api: Api) -> None:
    assert await dev_info_code(api, token=await api.token()) is None


async def test_wrong_password_is_login_failed(api: Api) -> None:
    answer = await api.login(password="wrong")
    assert api.error_code(answer) == -7
    assert api.sim.login_count == 1


async def test_login_without_user_is_a_param_problem(api: Api) -> None:
    answers = await api.post([{"cmd": "Login", "param": {}}], cmd="Login")
    assert api.error_code(answers[0]) == -23
    answers = await api.post(
        [{"cmd": "Login", "param": {"User": {"userName": 7, "password": "x"}}}], cmd="Login"
    )
    assert api.error_code(answers[0]) == -4


async def test_token_expires_after_the_lease(start_sim: StartSim) -> None:
    api = await start_sim(lease=0.5)
    answer = await api.login()
    assert answer["value"]["Token"]["leaseTime"] == 1  # integer seconds on the wire
    token = answer["value"]["Token"]["name"]
    assert await dev_info_code(api, token=token) is None
    await asyncio.sleep(0.55)
    assert await dev_info_code(api, token=token) == -21


async def test_max_sessions_and_logout_frees_a_slot(start_sim: StartSim) -> None:
    api = await start_sim(max_sessions=2)
    first = await api.token()
    await api.token()
    full = await api.login()
    assert api.error_code(full) == -5
    assert full["error"]["detail"] == "max session"
    logout = await api.post([{"cmd": "Logout", "param": {}}], token=first)
    assert logout == [{"cmd": "Logout", "code": 0, "value": {"rspCode": 200}}]
    assert await dev_info_code(api, token=first) == -21
    assert api.error_code(await api.login()) is None


async def test_frequent_logins_are_rate_limited(start_sim: StartSim) -> None:
    api = await start_sim(login_rate_limit=3, login_rate_window=1.0)
    for _ in range(3):
        assert api.error_code(await api.login()) is None
    limited = await api.login()
    assert api.error_code(limited) == -105
    await asyncio.sleep(1.05)
    assert api.error_code(await api.login()) is None
    assert api.sim.login_count == 5


async def test_failed_logins_lock_the_device(start_sim: StartSim) -> None:
    api = await start_sim(lockout_failures=3, lockout_seconds=1.0, login_rate_limit=100)
    for _ in range(3):
        assert api.error_code(await api.login(password="wrong")) == -7
    locked = await api.login()  # even the right password is refused while locked
    assert api.error_code(locked) == -506
    assert locked["error"]["detail"] == "Login locked"
    await asyncio.sleep(1.05)
    assert api.error_code(await api.login()) is None


async def test_success_resets_the_failure_streak(start_sim: StartSim) -> None:
    api = await start_sim(lockout_failures=3, login_rate_limit=100)
    for _ in range(2):
        assert api.error_code(await api.login(password="wrong")) == -7
    assert api.error_code(await api.login()) is None
    for _ in range(2):
        assert api.error_code(await api.login(password="wrong")) == -7
    assert api.error_code(await api.login()) is None


async def test_short_session_authenticates_one_request(api: Api) -> None:
    answers = await api.post([DEV_INFO, DEV_INFO], user="admin", password="password")
    assert [api.error_code(a) for a in answers] == [None, None]
    response = await api.get(cmd="GetMdState", channel=0, user="admin", password="password")
    assert (await response.json(content_type="text/html"))[0]["value"] == {"state": 0}
    assert api.sim.sessions.live_sessions == []  # no token was issued
    assert api.sim.login_count == 0


async def test_wrong_short_session_password_counts_towards_lockout(start_sim: StartSim) -> None:
    api = await start_sim(lockout_failures=2, lockout_seconds=30)
    answers = await api.post([DEV_INFO, DEV_INFO], user="admin", password="bad")
    assert [api.error_code(a) for a in answers] == [-7, -7]  # one request, one failure
    assert await dev_info_code(api, user="admin", password="bad") == -7
    assert await dev_info_code(api, user="admin", password="password") == -506
    assert api.error_code(await api.login()) == -506


async def test_login_batch_without_token_answers_login_only(api: Api) -> None:
    answers = await api.post([api.login_command(), DEV_INFO], cmd="Login")
    assert [api.error_code(a) for a in answers] == [None, -6]
    token = answers[0]["value"]["Token"]["name"]
    both = await api.post([api.login_command(), DEV_INFO], token=token)
    assert [api.error_code(a) for a in both] == [None, None]


async def test_logout_inside_a_batch_ends_the_token_for_the_rest(api: Api) -> None:
    token = await api.token()
    answers = await api.post([DEV_INFO, {"cmd": "Logout"}, DEV_INFO], token=token)
    assert [api.error_code(a) for a in answers] == [None, None, -21]


async def test_get_online_lists_sessions_in_the_guide_shape(api: Api) -> None:
    own = await api.token()
    other = await api.token()
    answers = await api.post([{"cmd": "GetOnline", "action": 0, "param": {}}], token=own)
    users = answers[0]["value"]["User"]
    assert len(users) == 2
    assert set(users[0]) == {"canbeDisconn", "ip", "level", "sessionId", "userName"}
    assert users[0]["userName"] == "admin"
    assert users[0]["level"] == "admin"
    assert users[0]["ip"] == "127.0.0.1"
    assert [u["canbeDisconn"] for u in users] == [0, 1]
    assert users[0]["sessionId"] != users[1]["sessionId"]
    assert other not in str(answers)


async def test_disconnect_ends_another_session(api: Api) -> None:
    own = await api.token()
    other = await api.token()
    online = await api.post([{"cmd": "GetOnline"}], token=own)
    other_id = next(u["sessionId"] for u in online[0]["value"]["User"] if u["canbeDisconn"])
    own_id = next(u["sessionId"] for u in online[0]["value"]["User"] if not u["canbeDisconn"])

    def disconnect(session_id: Any, user: str = "admin") -> dict[str, Any]:
        return {"cmd": "Disconnect", "param": {"User": {"userName": user, "sessionId": session_id}}}

    answers = await api.post(
        [disconnect(own_id), disconnect(99999), disconnect("x"), disconnect(other_id)], token=own
    )
    assert [api.error_code(a) for a in answers] == [-4, -1, -4, None]
    assert await dev_info_code(api, token=other) == -21
    assert await dev_info_code(api, token=own) is None


async def test_session_repr_hides_the_token(api: Api) -> None:
    token = await api.token()
    session = api.sim.sessions.live_sessions[0]
    assert isinstance(session, Session)
    assert token not in repr(session)
    assert token not in repr(api.sim)
