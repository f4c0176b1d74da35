"""Groups: create, delete, get, and membership (the lists ``/group/bulk`` and ``/group/member`` are
served by ``core``, which also seeds the groups every new site has).

Collection ``group`` ``{id, name, groupId, members: [accountId]}``. Jira's rules kept here: names
are unique ignoring case (400); a group Jira itself made for the site (its admin and product
access groups) can't be deleted (400); adding a member twice, or removing one who is not a member,
is a 400; deleting a group takes it out of every permission grant, notification, issue security
level, filter and dashboard share that names it (Jira does the same), through ``forget_group`` of
those areas.

Exported for other areas: ``DEFAULT_GROUPS`` (names of the groups a new site has).
"""

from __future__ import annotations

import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from jiracfg.sandbox.http import ApiError, base, body_object, ok, peer, require, route, store
from jiracfg.sandbox.routes.core import find_group, find_user
from jiracfg.sandbox.store import Doc, Store

DEFAULT_GROUPS = ("jira-administrators", "jira-software-users", "jira-users", "site-admins")
GROUPS = "group"


def group_full_bean(request: Request, group: Doc) -> dict[str, Any]:
    """The ``Group`` bean (``users`` left unexpanded, as Jira answers without ``expand``)."""
    return {
        "name": group["name"],
        "groupId": group["groupId"],
        "self": f"{base(request)}/rest/api/3/group?groupId={group['groupId']}",
        "users": {"size": len(group.get("members", [])), "items": [], "max-results": 50},
        "expand": "users",
    }


def wanted_group(db: Store, request: Request) -> Doc:
    """The group named by ``groupId`` or ``groupname``; 400 without either, 404 when unknown."""
    gid, name = request.query_params.get("groupId"), request.query_params.get("groupname")
    require(bool(gid or name), 400, "You must specify a group name or a group ID.")
    group = find_group(db, group_id=gid) if gid else find_group(db, name=name)
    if group is None:
        raise ApiError(
            404, f"The group with {'id' if gid else 'name'} '{gid or name}' does not exist."
        )
    return group


@route("/rest/api/3/group")
async def get_group(request: Request) -> Response:
    return ok(group_full_bean(request, wanted_group(store(request), request)))


@route("/rest/api/3/group", "POST")
async def create_group(request: Request) -> Response:
    data, db = await body_object(request), store(request)
    name = data.get("name")
    require(isinstance(name, str) and name.strip() != "", 400, "You must specify a group name.")
    require(len(str(name)) <= 255, 400, "The group name must not be longer than 255 characters.")
    require(
        find_group(db, name=str(name)) is None,
        400,
        f"A group with name '{name}' already exists.",
    )
    with db.tx():
        serial = db.next_id("group_uuid", 1)  # ids repeat from seed to seed, as seeds must
        group_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"jira-sandbox-group:{name}:{serial}"))
        doc = db.insert(GROUPS, {"name": str(name), "groupId": group_id, "members": []})
    return ok(group_full_bean(request, doc), 201)


@route("/rest/api/3/group", "DELETE")
async def delete_group(request: Request) -> Response:
    db = store(request)
    group = wanted_group(db, request)
    require(
        group["name"] not in DEFAULT_GROUPS,
        400,
        f"The group '{group['name']}' is a default group of this site and can't be deleted.",
    )
    with db.tx():
        for area in ("permissions", "issuesecurity", "filters", "dashboards"):
            forget = peer(area, "forget_group")
            if forget is not None:
                forget(db, group["groupId"])
        db.delete(GROUPS, group["id"])
    return Response(status_code=200)


@route("/rest/api/3/group/user", "POST")
async def add_member(request: Request) -> Response:
    data, db = await body_object(request, {"accountId": str}), store(request)
    group = wanted_group(db, request)
    account = str(data.get("accountId") or "")
    require(bool(account), 400, "You must specify the accountId of the user.")
    require(find_user(db, account) is not None, 400, f"The user '{account}' does not exist.")
    members = list(group.get("members", []))
    require(
        account not in members,
        400,
        f"Cannot add user. User is already a member of '{group['name']}'.",
    )
    group = db.put(GROUPS, {**group, "members": [*members, account]})
    return ok(group_full_bean(request, group), 201)


@route("/rest/api/3/group/user", "DELETE")
async def remove_member(request: Request) -> Response:
    db = store(request)
    group = wanted_group(db, request)
    account = request.query_params.get("accountId") or ""
    members = list(group.get("members", []))
    require(
        account in members,
        400,
        f"Cannot remove user. User is not a member of '{group['name']}'.",
    )
    db.put(GROUPS, {**group, "members": [m for m in members if m != account]})
    return Response(status_code=200)


ROUTES = [get_group, create_group, delete_group, add_member, remove_member]


def seed_empty(db: Store) -> None:
    """Nothing: ``core`` seeds the default groups."""
