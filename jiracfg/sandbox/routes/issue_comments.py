"""Issue comments: list (paged, ``orderBy=created|-created``), add, get, update, delete, comments
by ids (``POST /comment/list``) and comment properties. Collection ``issue_comment`` (parent:
issue id) ``{id, issueId, body (ADF), author, created, updated, updateAuthor, visibility?}``;
``issues`` drops them with the issue. A restricted comment's ``visibility`` is ``{type: role,
value: role name}`` or ``{type: group, value: group name, identifier: group id}``; both must
exist (400 otherwise).
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from jiracfg.sandbox.http import (
    ApiError,
    base,
    body_object,
    no_content,
    ok,
    page,
    require,
    route,
    store,
)
from jiracfg.sandbox.jql import call
from jiracfg.sandbox.routes._entity_properties import property_routes, put_properties
from jiracfg.sandbox.routes._issue_children import child_bean, embedded, listed, requested_ids
from jiracfg.sandbox.routes._issue_history import now, touch
from jiracfg.sandbox.routes._workflow_rules import demand
from jiracfg.sandbox.routes.issues import COMMENTS, find_issue, issue_and_child
from jiracfg.sandbox.store import Doc, Store


def comment_bean(request: Request, doc: Doc, expand: str = "") -> dict[str, Any]:
    own = {"body": doc["body"], "jsdPublic": True}
    return child_bean(request, doc, "comment", own, expand)


def comment_field(request: Request, issue: Doc) -> dict[str, Any]:
    """``fields.comment`` of an issue bean (all of them)."""
    field = embedded(request, issue, COMMENTS, "comments", comment_bean)
    return {**field, "self": f"{base(request)}/rest/api/3/issue/{issue['id']}/comment"}


def checked_body(raw: Any) -> dict[str, Any]:
    require(
        isinstance(raw, dict) and raw.get("type") == "doc" and bool(raw.get("content")),
        400,
        "Comment body can not be empty!",
        "comment",
    )
    assert isinstance(raw, dict)
    return raw


def checked_visibility(db: Store, raw: Any) -> dict[str, str] | None:
    """A comment or worklog's ``visibility`` (None: everyone); 400 when its role or group does
    not exist."""
    if raw is None:
        return None
    require(isinstance(raw, dict), 400, "Visibility must be an object.", "visibility")
    kind, value, ident = raw.get("type"), raw.get("value"), raw.get("identifier")
    if kind == "role":
        roles = [r for r in db.all("project_role") if r["name"] == value or r["id"] == ident]
        require(bool(roles), 400, f"You are currently not a member of the project role: {value}.")
        return {"type": "role", "value": roles[0]["name"], "identifier": roles[0]["id"]}
    if kind == "group":
        group = call("core", "find_group", None, db, ident, value)
        require(group is not None, 400, f"Group: {value or ident} does not exist.")
        return {"type": "group", "value": group["name"], "identifier": group["groupId"]}
    raise ApiError(400, errors={"visibility": "Visibility type must be 'group' or 'role'."})


def find_comment(request: Request) -> Doc:
    return issue_and_child(request, COMMENTS, "id", "Can not find a comment for the id: ")[1]


@route("/rest/api/3/issue/{key}/comment")
async def list_comments(request: Request) -> Response:
    db = store(request)
    issue = find_issue(db, request.path_params["key"])
    docs = db.all(COMMENTS, issue["id"])
    if request.query_params.get("orderBy", "").lstrip("+") == "-created":
        docs.reverse()
    return listed(request, docs, "comments", comment_bean, 100)


@route("/rest/api/3/issue/{key}/comment", "POST")
async def add_comment(request: Request) -> Response:
    data, db = await body_object(request), store(request)
    issue = find_issue(db, request.path_params["key"])
    caller = request.state.account_id
    demand(
        db,
        issue,
        "ADD_COMMENTS",
        caller,
        400,
        "You do not have the permission to comment on this issue.",
    )
    stamp = now()
    doc = {
        "issueId": issue["id"],
        "body": checked_body(data.get("body")),
        "author": request.state.account_id,
        "created": stamp,
        "updated": stamp,
        "visibility": checked_visibility(db, data.get("visibility")),
    }
    with db.tx():
        db.insert(COMMENTS, doc, parent=issue["id"])
        put_properties(db, "comment", doc["id"], data.get("properties"))
        touch(db, issue["id"])
    return ok(comment_bean(request, doc), 201)


@route("/rest/api/3/issue/{key}/comment/{id}")
async def get_comment(request: Request) -> Response:
    doc = find_comment(request)
    return ok(comment_bean(request, doc, request.query_params.get("expand", "")))


@route("/rest/api/3/issue/{key}/comment/{id}", "PUT")
async def update_comment(request: Request) -> Response:
    data, db = await body_object(request), store(request)
    doc = find_comment(request)
    doc["body"] = checked_body(data.get("body"))
    if "visibility" in data:
        doc["visibility"] = checked_visibility(db, data.get("visibility"))
    doc.update(updated=now(), updateAuthor=request.state.account_id)
    with db.tx():
        db.put(COMMENTS, doc)
        touch(db, doc["issueId"])
    return ok(comment_bean(request, doc))


@route("/rest/api/3/issue/{key}/comment/{id}", "DELETE")
async def delete_comment(request: Request) -> Response:
    db, doc = store(request), find_comment(request)
    with db.tx():
        db.delete(COMMENTS, doc["id"])
        db.delete_children("comment_property", doc["id"])
        touch(db, doc["issueId"])
    return no_content()


@route("/rest/api/3/comment/list", "POST")
async def comments_by_ids(request: Request) -> Response:
    ids, db = await requested_ids(request), store(request)
    docs = [d for d in (db.get(COMMENTS, i) for i in sorted(set(ids), key=int_or_zero)) if d]
    expand = request.query_params.get("expand", "")
    return ok(page(request, [comment_bean(request, d, expand) for d in docs], default_max=1000))


def int_or_zero(text: str) -> int:
    return int(text) if text.isdigit() else 0


def comment_of(db: Store, request: Request) -> str:
    doc = db.get(COMMENTS, request.path_params["commentId"])
    if doc is None:
        raise ApiError(
            404, f"Can not find a comment for the id: {request.path_params['commentId']}."
        )
    return str(doc["id"])


ROUTES = [
    list_comments,
    add_comment,
    get_comment,
    update_comment,
    delete_comment,
    comments_by_ids,
    *property_routes("/rest/api/3/comment/{commentId}/properties", "comment", comment_of),
]


def seed_empty(db: Store) -> None:
    """A new site has no comments."""
