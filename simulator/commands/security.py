"""3.2 Security: users (3.2.3-3.2.6) and login lock settings (3.2.9/3.2.10).

Login, Logout, GetOnline and Disconnect belong to the server's session handling.
"""

from typing import Any

from simulator.commands.base import (
    MISSING_PARAM,
    PARAM_ERROR,
    Call,
    CommandReply,
    Family,
    Reply,
    Spec,
    always,
    feature,
    minmax,
    ok,
    text,
)
from simulator.errors import ApiError

MAX_USERS = 20
LEVELS = ["guest", "admin"]
USER_RANGE: dict[str, Any] = {
    "level": LEVELS,
    "password": text(31, 6),
    "userName": text(31, 1),
}

FAMILIES: tuple[Family, ...] = (
    Family(
        key="SysCfg",
        get_cmd="GetSysCfg",
        set_cmd="SetSysCfg",
        gate=always,
        per_channel=False,
        default=lambda _p, _k, _c: {"LockTime": 300, "allowedTimes": 5, "loginLock": 0},
        range=lambda _p, _k: {
            "LockTime": minmax(0, 300),
            "allowedTimes": minmax(0, 5),
            "loginLock": "boolean",
        },
    ),
)


def _user_field(user: dict[str, Any], key: str, rule: dict[str, Any]) -> str:
    value = user.get(key)
    if value is None:
        raise ApiError(MISSING_PARAM)
    if not isinstance(value, str) or not rule.get("minLen", 0) <= len(value) <= rule["maxLen"]:
        raise ApiError(PARAM_ERROR)
    return value


def get_user(call: Call) -> Reply:
    """3.2.3 GetUser: names and levels, never passwords."""
    users = [dict(user) for user in call.device.state["users"]]
    value = {"User": users}
    if call.action != 1:
        return CommandReply(value)
    return CommandReply(value, {"User": {"level": "guest"}}, {"User": USER_RANGE})


def _require_admin(call: Call) -> None:
    if call.device.user_level(call.user) != "admin":
        raise ApiError(-27)


def _known(call: Call, name: str) -> bool:
    return any(user["userName"] == name for user in call.device.state["users"])


def add_user(call: Call) -> Reply:
    """3.2.4 AddUser (up to 20 users)."""
    _require_admin(call)
    user = call.section("User")
    name = _user_field(user, "userName", USER_RANGE["userName"])
    password = _user_field(user, "password", USER_RANGE["password"])
    level = user.get("level")
    if level is None:
        raise ApiError(MISSING_PARAM)
    if level not in LEVELS:
        raise ApiError(PARAM_ERROR)
    if _known(call, name):
        raise ApiError(-28)
    if len(call.device.state["users"]) >= MAX_USERS:
        raise ApiError(-29)
    call.device.add_user(name, password, level)
    return ok()


def del_user(call: Call) -> Reply:
    """3.2.5 DelUser; the logged-in user cannot delete itself."""
    _require_admin(call)
    name = _user_field(call.section("User"), "userName", USER_RANGE["userName"])
    if not _known(call, name):
        raise ApiError(-39)
    if name == call.user:
        raise ApiError(PARAM_ERROR)
    call.device.delete_user(name)
    return ok()


def modify_user(call: Call) -> Reply:
    """3.2.6 ModifyUser: new password (old one checked when given) and/or level."""
    user = call.section("User")
    name = _user_field(user, "userName", USER_RANGE["userName"])
    if not _known(call, name):
        raise ApiError(-39)
    if name != call.user:
        _require_admin(call)
    old = user.get("oldPassword")
    if old is not None and not call.device.check_login(name, str(old)):
        raise ApiError(-502)
    if "newPassword" in user:
        call.device.set_password(name, _user_field(user, "newPassword", USER_RANGE["password"]))
    if "level" in user:
        if user["level"] not in LEVELS:
            raise ApiError(PARAM_ERROR)
        for entry in call.device.state["users"]:
            if entry["userName"] == name:
                entry["level"] = user["level"]
    return ok()


SPECS: tuple[Spec, ...] = (
    Spec("GetUser", get_user, feature("user")),
    Spec("AddUser", add_user, feature("user")),
    Spec("DelUser", del_user, feature("user")),
    Spec("ModifyUser", modify_user, feature("user")),
)
