"""Server info, the caller, users and groups."""

from __future__ import annotations

import time
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from jiracfg.sandbox.http import ApiError, base, int_param, not_found, ok, page, route, store
from jiracfg.sandbox.store import Store

ADMIN = {
    "accountId": "557058:admin",
    "emailAddress": "admin@example.com",
    "displayName": "Sandbox Admin",
    "token": "sandbox",
}


def user_bean(request: Request, user: dict[str, Any]) -> dict[str, Any]:
    return {
        "self": f"{base(request)}/rest/api/3/user?accountId={user['accountId']}",
        "accountId": user["accountId"],
        "accountType": "atlassian",
        "emailAddress": user["emailAddress"],
        "displayName": user["displayName"],
        "active": user.get("active", True),
        "timeZone": "Etc/UTC",
        "locale": "en_US",
        "avatarUrls": {},
    }


def group_bean(group: dict[str, Any]) -> dict[str, Any]:
    return {"name": group["name"], "groupId": group["groupId"]}


def find_user(db: Store, account_id: str) -> dict[str, Any] | None:
    found = db.where("user", accountId=account_id)  # filtered in SQLite: called on every issue
    return found[0] if found else None


def find_group(
    db: Store, group_id: str | None = None, name: str | None = None
) -> dict[str, Any] | None:
    """A group by id, else by name (case-insensitive, as Jira matches group names)."""
    if group_id:
        return db.first("group", lambda g: g["groupId"] == group_id)
    wanted = (name or "").casefold()
    return db.first("group", lambda g: bool(wanted) and g["name"].casefold() == wanted)


def server_time() -> str:
    """Now, as Jira writes times (what clients rely on to avoid clock skew)."""
    stamp = time.time()
    clock = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(stamp))
    return f"{clock}.{int(stamp * 1000) % 1000:03d}+0000"


@route("/rest/api/3/serverInfo")
async def server_info(request: Request) -> Response:
    return ok(
        {
            "baseUrl": base(request),
            "version": "1001.0.0-SNAPSHOT",
            "versionNumbers": [1001, 0, 0],
            "deploymentType": "Cloud",
            "buildNumber": 100242,
            "buildDate": "2026-11-01T00:00:00.000+0000",
            "serverTime": server_time(),
            "scmInfo": "sandbox",
            "serverTitle": "Jira sandbox",
            "serverTimeZone": "Etc/UTC",
        }
    )


@route("/rest/api/3/myself")
async def myself(request: Request) -> Response:
    user = find_user(store(request), request.state.account_id)
    assert user is not None
    return ok(user_bean(request, user))


@route("/rest/api/3/user")
async def get_user(request: Request) -> Response:
    user = find_user(store(request), request.query_params.get("accountId", ""))
    if user is None:
        raise not_found("User")
    return ok(user_bean(request, user))


@route("/rest/api/3/user/search")
async def user_search(request: Request) -> Response:
    query = (request.query_params.get("query") or "").casefold()
    account = request.query_params.get("accountId")
    if not query and not account:
        raise ApiError(400, "One of 'query' or 'accountId' parameters must be provided.")
    users = [
        u
        for u in store(request).all("user")
        if (account and u["accountId"] == account)
        or (
            query
            and (query in u["displayName"].casefold() or query in u["emailAddress"].casefold())
        )
    ]
    start = int_param(request, "startAt", 0)
    size = int_param(request, "maxResults", 50, high=1000)
    return ok([user_bean(request, u) for u in users[start : start + size]])


@route("/rest/api/3/users/search")
async def users_all(request: Request) -> Response:
    users = store(request).all("user")
    start = int_param(request, "startAt", 0)
    size = int_param(request, "maxResults", 50, high=1000)
    return ok([user_bean(request, u) for u in users[start : start + size]])


@route("/rest/api/3/group/bulk")
async def groups_bulk(request: Request) -> Response:
    names = {n.casefold() for n in request.query_params.getlist("groupName")}
    ids = set(request.query_params.getlist("groupId"))
    groups = [
        group_bean(g)
        for g in store(request).all("group")
        if (not names or g["name"].casefold() in names) and (not ids or g["groupId"] in ids)
    ]
    return ok(page(request, groups, default_max=50))


@route("/rest/api/3/group/member")
async def group_members(request: Request) -> Response:
    db = store(request)
    gid, name = request.query_params.get("groupId"), request.query_params.get("groupname")
    group = db.first("group", lambda g: g["groupId"] == gid or g["name"] == name)
    if group is None:
        raise not_found("Group")
    members = [  # UserDetails: a user bean without the locale
        {k: v for k, v in user_bean(request, u).items() if k != "locale"}
        for u in db.all("user")
        if u["accountId"] in group.get("members", [])
    ]
    return ok(page(request, members, default_max=50, cap=50))  # the spec: 1 to 50 a page


ROUTES = [server_info, myself, get_user, user_search, users_all, groups_bulk, group_members]


def seed_empty(db: Store) -> None:
    db.insert("user", dict(ADMIN))
    for name in ("jira-administrators", "jira-software-users", "jira-users", "site-admins"):
        db.insert(
            "group", {"name": name, "groupId": _group_id(name), "members": [ADMIN["accountId"]]}
        )


def _group_id(name: str) -> str:
    import uuid

    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"jira-sandbox-group:{name}"))
