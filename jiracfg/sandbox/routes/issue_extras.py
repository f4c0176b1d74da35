"""What else hangs on an issue: entity properties (``/issue/{key}/properties``), watchers and
remote links.

Collections (parent: issue id): ``issue_property`` (see ``_entity_properties``);
``issue_watcher`` ``{id: "<issue id>:<account id>", accountId}`` (as on Jira Cloud, the creator of
an issue watches it); ``issue_remotelink`` ``{id, globalId?, application?, relationship?, object}``
(a POST with a known ``globalId`` updates that link).
"""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from jiracfg.sandbox.http import (
    ApiError,
    base,
    body_object,
    no_content,
    ok,
    require,
    route,
    store,
)
from jiracfg.sandbox.jql import call
from jiracfg.sandbox.routes._entity_properties import property_routes
from jiracfg.sandbox.routes._issue_beans import user_details
from jiracfg.sandbox.routes._workflow_rules import demand
from jiracfg.sandbox.routes.issues import find_issue
from jiracfg.sandbox.store import Doc, Store

WATCHERS, LINKS = "issue_watcher", "issue_remotelink"


# -- watchers ----------------------------------------------------------------------------------
def watchers_of(db: Store, issue_id: str) -> list[str]:
    return [d["accountId"] for d in db.all(WATCHERS, issue_id)]


def watch(db: Store, issue_id: str, account_id: str) -> None:
    key = f"{issue_id}:{account_id}"
    if db.get(WATCHERS, key) is None:
        db.insert(WATCHERS, {"id": key, "accountId": account_id}, parent=issue_id)


def watches_field(request: Request, issue: Doc) -> dict[str, Any]:
    """``fields.watches`` of an issue bean."""
    accounts = watchers_of(store(request), issue["id"])
    return {
        "self": f"{base(request)}/rest/api/3/issue/{issue['key']}/watchers",
        "watchCount": len(accounts),
        "isWatching": request.state.account_id in accounts,
    }


@route("/rest/api/3/issue/{key}/watchers")
async def get_watchers(request: Request) -> Response:
    db = store(request)
    issue = find_issue(db, request.path_params["key"])
    accounts = watchers_of(db, issue["id"])
    return ok(
        {
            **watches_field(request, issue),
            "watchers": [user_details(db, base(request), a) for a in accounts],
        }
    )


def known_user(db: Store, account_id: Any) -> str:
    user = call("core", "find_user", None, db, str(account_id))
    if user is None or not user.get("active", True):
        raise ApiError(400, f"The user with account ID '{account_id}' does not exist.")
    return str(user["accountId"])


@route("/rest/api/3/issue/{key}/watchers", "POST")
async def add_watcher(request: Request) -> Response:
    db = store(request)
    issue = find_issue(db, request.path_params["key"])
    raw = await request.body()
    account = json.loads(raw) if raw.strip() else request.state.account_id
    require(isinstance(account, str), 400, "The body must be an account ID as a JSON string.")
    if account != request.state.account_id:  # watching oneself needs no more
        message = "You do not have the permission to manage the watcher list."
        demand(db, issue, "MANAGE_WATCHERS", request.state.account_id, 403, message)
    watch(db, issue["id"], known_user(db, account))
    return no_content()


@route("/rest/api/3/issue/{key}/watchers", "DELETE")
async def remove_watcher(request: Request) -> Response:
    db = store(request)
    issue = find_issue(db, request.path_params["key"])
    account = request.query_params.get("accountId")
    require(bool(account), 400, "The accountId must be provided.", "accountId")
    db.delete(WATCHERS, f"{issue['id']}:{account}")
    return no_content()


# -- remote links ------------------------------------------------------------------------------
def link_bean(request: Request, issue: Doc, doc: Doc) -> dict[str, Any]:
    bean = {
        "id": int(doc["id"]),
        "self": f"{base(request)}/rest/api/3/issue/{issue['key']}/remotelink/{doc['id']}",
        "object": doc["object"],
    }
    for optional in ("globalId", "application", "relationship"):
        if doc.get(optional) is not None:
            bean[optional] = doc[optional]
    return bean


def checked_link(data: dict[str, Any]) -> Doc:
    target = data.get("object")
    if not isinstance(target, dict):
        raise ApiError(400, errors={"object": "The remote link needs an object."})
    if not target.get("url"):
        raise ApiError(400, errors={"url": "'url' is required."})
    if not target.get("title"):
        raise ApiError(400, errors={"title": "'title' is required."})
    link = {k: data.get(k) for k in ("globalId", "application", "relationship")}
    return {**{k: v for k, v in link.items() if v is not None}, "object": target}


def find_link(db: Store, issue: Doc, link_id: str) -> Doc:
    doc = db.get(LINKS, link_id)
    if doc is None or db.parent_of(LINKS, link_id) != issue["id"]:
        raise ApiError(404, f"No remote link with id '{link_id}' exists on this issue.")
    return doc


@route("/rest/api/3/issue/{key}/remotelink")
async def list_links(request: Request) -> Response:
    db = store(request)
    issue = find_issue(db, request.path_params["key"])
    wanted = request.query_params.get("globalId")
    if wanted is not None:
        return ok(link_bean(request, issue, by_global_id(db, issue, wanted)))
    return ok([link_bean(request, issue, d) for d in db.all(LINKS, issue["id"])])


def by_global_id(db: Store, issue: Doc, wanted: str) -> Doc:
    hits = [d for d in db.all(LINKS, issue["id"]) if d.get("globalId") == wanted]
    if not hits:
        raise ApiError(404, f"No remote link with globalId '{wanted}' exists on this issue.")
    return hits[0]


@route("/rest/api/3/issue/{key}/remotelink", "POST")
async def upsert_link(request: Request) -> Response:
    data, db = await body_object(request), store(request)
    issue = find_issue(db, request.path_params["key"])
    link = checked_link(data)
    same = [
        d
        for d in db.all(LINKS, issue["id"])
        if link.get("globalId") and d.get("globalId") == link["globalId"]
    ]
    if same:
        doc = db.put(LINKS, {**link, "id": same[0]["id"]})
        status = 200
    else:
        doc, status = db.insert(LINKS, link, parent=issue["id"]), 201
    bean = link_bean(request, issue, doc)
    return ok({"id": bean["id"], "self": bean["self"]}, status)


@route("/rest/api/3/issue/{key}/remotelink", "DELETE")
async def delete_link_by_global_id(request: Request) -> Response:
    db = store(request)
    issue = find_issue(db, request.path_params["key"])
    wanted = request.query_params.get("globalId")
    require(bool(wanted), 400, "The globalId must be provided.", "globalId")
    db.delete(LINKS, by_global_id(db, issue, str(wanted))["id"])
    return no_content()


@route("/rest/api/3/issue/{key}/remotelink/{linkId}")
async def get_link(request: Request) -> Response:
    db = store(request)
    issue = find_issue(db, request.path_params["key"])
    return ok(link_bean(request, issue, find_link(db, issue, request.path_params["linkId"])))


@route("/rest/api/3/issue/{key}/remotelink/{linkId}", "PUT")
async def update_link(request: Request) -> Response:
    data, db = await body_object(request), store(request)
    issue = find_issue(db, request.path_params["key"])
    doc = find_link(db, issue, request.path_params["linkId"])
    db.put(LINKS, {**checked_link(data), "id": doc["id"]})
    return no_content()


@route("/rest/api/3/issue/{key}/remotelink/{linkId}", "DELETE")
async def delete_link(request: Request) -> Response:
    db = store(request)
    issue = find_issue(db, request.path_params["key"])
    db.delete(LINKS, find_link(db, issue, request.path_params["linkId"])["id"])
    return no_content()


def issue_of(db: Store, request: Request) -> str:
    return str(find_issue(db, request.path_params["key"])["id"])


ROUTES = [
    get_watchers,
    add_watcher,
    remove_watcher,
    list_links,
    upsert_link,
    delete_link_by_global_id,
    get_link,
    update_link,
    delete_link,
    *property_routes("/rest/api/3/issue/{key}/properties", "issue", issue_of),
]


def seed_empty(db: Store) -> None:
    """A new site has no watchers, remote links or issue properties."""
