"""Issue links (``/issueLink``): links between two issues, of a type of ``issue_link_type``.

A link goes from a source issue to a destination issue: ``POST /issueLink`` takes the source as
``inwardIssue`` and the destination as ``outwardIssue``, and ``GET /issueLink/{id}`` answers them
the same way. Each issue lists its links in ``fields.issuelinks`` with the *other* issue: the
source shows ``outwardIssue`` (read with the type's ``outward`` text: "ENG-1 blocks OPS-2"), the
destination ``inwardIssue`` ("OPS-2 is blocked by ENG-1"). This is Jira Cloud's (confusing)
mapping: the issue the outward text reads from is the request's ``inwardIssue`` (Atlassian's "Jira
issue linking model" guide; mozilla/jira-bugzilla-integration PR 1285, atlassian-mcp-server issue
112, iloom-cli issue 617 observed it on Jira Cloud; see ``jiracfg.data.fill``). A request that
duplicates a link answers 201 and creates nothing; an unknown type or issue answers 404, a link
from an issue to itself 400. Deleting an issue or a link type deletes its links.

Collections: ``issue_link`` (parent: the source issue's id) ``{id, typeId, sourceId, destId}``;
``issue_link_in`` (parent: the destination's id) ``{id}``: the same link seen from its
destination.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from jiracfg.sandbox.http import ApiError, base, body_object, no_content, ok, require, route, store
from jiracfg.sandbox.jql import call
from jiracfg.sandbox.routes._issue_beans import Renderer
from jiracfg.sandbox.routes._workflow_rules import demand
from jiracfg.sandbox.routes.issue_comments import checked_body, checked_visibility
from jiracfg.sandbox.routes.issues import by_key
from jiracfg.sandbox.shapes import ID, Required
from jiracfg.sandbox.store import Doc, Store

LINKS, INWARD = "issue_link", "issue_link_in"
ISSUE_REF = {"id": ID, "key": str}
SHAPE = {
    "type": Required({"id": ID, "name": str}),
    "inwardIssue": Required(ISSUE_REF),
    "outwardIssue": Required(ISSUE_REF),
    "comment": dict,
}
LINKED_FIELDS = ["summary", "status", "priority", "issuetype"]


# -- exported to the other issue areas ---------------------------------------------------------
def links_field(request: Request, issue: Doc) -> list[dict[str, Any]]:
    """``fields.issuelinks``: the issue's links, each with the other issue."""
    db, render = store(request), Renderer(request, LINKED_FIELDS, "id")
    out = [
        _side(request, render, d, "outwardIssue", d["destId"]) for d in db.all(LINKS, issue["id"])
    ]
    for ref in db.all(INWARD, issue["id"]):
        link = db.get(LINKS, ref["id"])
        if link is not None:
            out.append(_side(request, render, link, "inwardIssue", link["sourceId"]))
    return [o for o in out if o is not None]


def forget_issue(db: Store, issue_id: str) -> None:
    """Drop every link of a deleted issue, from both ends."""
    for link in db.all(LINKS, issue_id):
        db.delete(INWARD, link["id"])
    for ref in db.all(INWARD, issue_id):
        db.delete(LINKS, ref["id"])
    db.delete_children(LINKS, issue_id)
    db.delete_children(INWARD, issue_id)


def forget_link_type(db: Store, type_id: str) -> None:
    """Jira deletes the links of a deleted link type."""
    for link in db.where(LINKS, typeId=str(type_id)):
        _drop(db, link)


# -- beans ---------------------------------------------------------------------------------------
def _type_bean(request: Request, type_id: str) -> dict[str, Any]:
    doc = call("basics", "get_link_type", None, store(request), type_id) or {}
    return {
        "id": type_id,
        "name": doc.get("name"),
        "inward": doc.get("inward"),
        "outward": doc.get("outward"),
        "self": f"{base(request)}/rest/api/3/issueLinkType/{type_id}",
    }


def _linked(render: Renderer, issue: Doc) -> dict[str, Any]:
    bean = render.bean(issue)
    return {k: bean[k] for k in ("id", "key", "self", "fields")}


def _side(
    request: Request, render: Renderer, link: Doc, side: str, other_id: str
) -> dict[str, Any] | None:
    other = store(request).get("issue", other_id)
    if other is None:
        return None
    return {
        "id": link["id"],
        "self": f"{base(request)}/rest/api/3/issueLink/{link['id']}",
        "type": _type_bean(request, link["typeId"]),
        side: _linked(render, other),
    }


def _link_bean(request: Request, link: Doc) -> dict[str, Any]:
    db, render = store(request), Renderer(request, LINKED_FIELDS, "id")
    return {
        "id": link["id"],
        "self": f"{base(request)}/rest/api/3/issueLink/{link['id']}",
        "type": _type_bean(request, link["typeId"]),
        "inwardIssue": _linked(render, db.get("issue", link["sourceId"]) or {}),
        "outwardIssue": _linked(render, db.get("issue", link["destId"]) or {}),
    }


# -- routes --------------------------------------------------------------------------------------
def _link_type(db: Store, raw: dict[str, Any]) -> str:
    wanted_id, wanted_name = raw.get("id"), raw.get("name")
    for doc in db.all("issue_link_type"):
        if (wanted_id is not None and str(doc["id"]) == str(wanted_id)) or (
            wanted_id is None and wanted_name is not None and doc["name"] == wanted_name
        ):
            return str(doc["id"])
    if wanted_id is not None:
        raise ApiError(404, f"No issue link type with id '{wanted_id}' found.")
    require(wanted_name is not None, 400, "The issue link type id or name is required.", "type")
    raise ApiError(404, f"No issue link type with name '{wanted_name}' found.")


def _issue(db: Store, raw: dict[str, Any]) -> Doc:
    wanted = raw.get("id") if raw.get("id") is not None else raw.get("key")
    text = str(wanted or "")
    doc = db.get("issue", text) if text.isdigit() else by_key(db, text)
    if doc is None:
        raise ApiError(404, "Issue Does Not Exist")
    return doc


@route("/rest/api/3/issueLink", "POST")
async def create_link(request: Request) -> Response:
    data, db = await body_object(request, SHAPE), store(request)
    type_id = _link_type(db, data["type"])
    source, dest = _issue(db, data["inwardIssue"]), _issue(db, data["outwardIssue"])
    require(source["id"] != dest["id"], 400, "You cannot link an issue to itself.")
    message = f"No Link Issue Permission for issue '{source['key']}'."
    demand(db, source, "LINK_ISSUES", request.state.account_id, 404, message)
    comment = data.get("comment")
    if comment is not None:
        checked_body(comment.get("body"))
        checked_visibility(db, comment.get("visibility"))
    same = [
        d
        for d in db.all(LINKS, source["id"])
        if (d["typeId"], d["destId"]) == (type_id, dest["id"])
    ]
    with db.tx():
        if not same:
            link = {"typeId": type_id, "sourceId": source["id"], "destId": dest["id"]}
            db.insert(LINKS, link, parent=source["id"])
            db.insert(INWARD, {"id": link["id"]}, parent=dest["id"])
        if comment is not None:
            _comment(request, db, source, comment)
    return Response(status_code=201)


def _comment(request: Request, db: Store, issue: Doc, comment: dict[str, Any]) -> None:
    """The optional comment of a link request, added to the source issue."""
    from jiracfg.sandbox.routes._issue_history import now

    stamp = now()
    doc = {
        "issueId": issue["id"],
        "body": checked_body(comment.get("body")),
        "author": request.state.account_id,
        "created": stamp,
        "updated": stamp,
        "visibility": checked_visibility(db, comment.get("visibility")),
    }
    db.insert("issue_comment", doc, parent=issue["id"])


def _find(db: Store, raw: str) -> Doc:
    require(raw.isdigit(), 400, f"The issue link ID '{raw}' is invalid.")
    doc = db.get(LINKS, raw)
    if doc is None:
        raise ApiError(404, f"No issue link with id '{raw}' exists.")
    return doc


@route("/rest/api/3/issueLink/{linkId}")
async def get_link(request: Request) -> Response:
    return ok(_link_bean(request, _find(store(request), request.path_params["linkId"])))


def _drop(db: Store, link: Doc) -> None:
    with db.tx():
        db.delete(LINKS, link["id"])
        db.delete(INWARD, link["id"])


@route("/rest/api/3/issueLink/{linkId}", "DELETE")
async def delete_link(request: Request) -> Response:
    db = store(request)
    _drop(db, _find(db, request.path_params["linkId"]))
    return no_content()


ROUTES = [create_link, get_link, delete_link]


def seed_empty(db: Store) -> None:
    """A new site has no issue links."""
