"""Worklogs: CRUD on an issue (``started`` kept as given, ``adjustEstimate`` moving the remaining
estimate), worklogs by ids (``POST /worklog/list``), the incremental feeds ``GET /worklog/updated``
and ``/worklog/deleted`` (``since`` in epoch milliseconds, 1,000 a page) and worklog properties.

Collections: ``issue_worklog`` (parent: issue id) ``{id, issueId, author, updateAuthor, comment?,
visibility?, started, timeSpentSeconds, created, updated, updatedMs}``; ``worklog_deleted``
``{id: worklog id, updatedMs}`` (also written when an issue goes with its worklogs). Time spent
and the remaining estimate live in the issue's ``timetracking`` value.
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from jiracfg.sandbox.http import (
    ApiError,
    body_object,
    int_param,
    no_content,
    ok,
    require,
    route,
    store,
)
from jiracfg.sandbox.routes import _issue_values as values
from jiracfg.sandbox.routes._entity_properties import property_routes, put_properties
from jiracfg.sandbox.routes._issue_children import child_bean, embedded, listed, requested_ids
from jiracfg.sandbox.routes._issue_history import now
from jiracfg.sandbox.routes._workflow_rules import demand
from jiracfg.sandbox.routes.issue_comments import checked_visibility
from jiracfg.sandbox.routes.issues import ISSUES, find_issue, issue_and_child
from jiracfg.sandbox.store import Doc, Store

WORKLOGS, DELETED = "issue_worklog", "worklog_deleted"
FEED_PAGE, MAX_MILLIS = 1000, 1 << 62


def millis() -> int:
    return int(time.time() * 1000)


def worklog_bean(request: Request, doc: Doc, expand: str = "") -> dict[str, Any]:
    own = {
        "started": doc["started"],
        "timeSpent": values.duration_text(doc["timeSpentSeconds"]),
        "timeSpentSeconds": doc["timeSpentSeconds"],
        "issueId": doc["issueId"],
    }
    if doc.get("comment"):
        own["comment"] = doc["comment"]
    return child_bean(request, doc, "worklog", own, expand)


def worklog_field(request: Request, issue: Doc) -> dict[str, Any]:
    """``fields.worklog`` of an issue bean (the first 20, as Jira embeds them)."""
    return embedded(request, issue, WORKLOGS, "worklogs", worklog_bean, 20)


def forget_issue(db: Store, issue_id: str) -> None:
    """An issue is deleted: its worklogs appear in the deleted feed."""
    stamp = millis()
    for doc in db.all(WORKLOGS, issue_id):
        db.delete(DELETED, doc["id"])
        db.insert(DELETED, {"id": doc["id"], "updatedMs": stamp})


# -- validation --------------------------------------------------------------------------------
def spent_seconds(data: dict[str, Any]) -> int:
    if data.get("timeSpentSeconds") is not None:
        raw = data["timeSpentSeconds"]
        require(
            isinstance(raw, int) and not isinstance(raw, bool) and raw > 0,
            400,
            "Time Spent must be greater than 0.",
            "timeLogged",
        )
        return int(raw)
    require(
        data.get("timeSpent") not in (None, ""),
        400,
        "You must indicate the time spent working.",
        "timeLogged",
    )
    try:
        seconds = values.duration_seconds(data["timeSpent"])
    except ValueError:
        raise ApiError(400, errors={"timeLogged": "Invalid time duration entered."}) from None
    require(seconds > 0, 400, "Time Spent must be greater than 0.", "timeLogged")
    return seconds


def started(raw: Any) -> str:
    require(raw not in (None, ""), 400, "Started date must be provided.", "started")
    try:
        return values.parse_datetime(None, {}, raw)  # type: ignore[arg-type]
    except ValueError:
        raise ApiError(
            400, errors={"started": f"Could not parse the started date: {raw}"}
        ) from None


def checked_comment(raw: Any) -> Any:
    if raw is None:
        return None
    try:
        return values.parse_adf(None, {}, raw)  # type: ignore[arg-type]
    except ValueError as exc:
        raise ApiError(400, errors={"comment": str(exc)}) from None


# -- time tracking -----------------------------------------------------------------------------
def adjust(request: Request, db: Store, issue: Doc, spent_delta: int, reduce: int) -> None:
    """Add ``spent_delta`` to the issue's time spent and move its remaining estimate as the
    ``adjustEstimate`` parameter says (``auto``: down by ``reduce``)."""
    tracking = dict(issue["fields"].get("timetracking") or {})
    tracking["timeSpent"] = max(0, int(tracking.get("timeSpent") or 0) + spent_delta)
    mode = request.query_params.get("adjustEstimate", "auto")
    require(
        mode in ("auto", "leave", "new", "manual"),
        400,
        "Invalid adjustEstimate value.",
        "adjustEstimate",
    )
    remaining = tracking.get("remainingEstimate")
    if mode == "new":
        remaining = estimate_param(request, "newEstimate")
    elif mode == "manual":
        remaining = max(0, int(remaining or 0) - estimate_param(request, "reduceBy"))
    elif mode == "auto" and remaining is not None:
        remaining = max(0, int(remaining) - reduce)
    if remaining is not None:
        tracking["remainingEstimate"] = remaining
    issue["fields"]["timetracking"] = {k: v for k, v in tracking.items() if v is not None}
    issue["updated"] = now()
    db.put(ISSUES, issue)


def estimate_param(request: Request, name: str) -> int:
    raw = request.query_params.get(name)
    require(raw not in (None, ""), 400, f"You must supply a valid {name}.", name)
    try:
        return values.duration_seconds(raw)
    except ValueError:
        raise ApiError(400, errors={name: f"You must supply a valid {name}."}) from None


# -- routes ------------------------------------------------------------------------------------
def find_worklog(request: Request, param: str = "id") -> tuple[Doc, Doc]:
    return issue_and_child(request, WORKLOGS, param, "Cannot find worklog with id: ")


@route("/rest/api/3/issue/{key}/worklog")
async def list_worklogs(request: Request) -> Response:
    db = store(request)
    issue = find_issue(db, request.path_params["key"])
    after = int_param(request, "startedAfter", 0)
    before = int_param(request, "startedBefore", 0)
    docs = [d for d in db.all(WORKLOGS, issue["id"]) if in_window(d, after, before)]
    return listed(request, docs, "worklogs", worklog_bean, 5000)


def in_window(doc: Doc, after: int, before: int) -> bool:
    started_ms = stamp_ms(doc["started"])
    return started_ms >= after and (not before or started_ms < before)


def stamp_ms(text: str) -> int:
    """Epoch milliseconds of a stored date-time."""
    return int(datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%f%z").timestamp() * 1000)


@route("/rest/api/3/issue/{key}/worklog", "POST")
async def add_worklog(request: Request) -> Response:
    data, db = await body_object(request), store(request)
    issue = find_issue(db, request.path_params["key"])
    stamp, caller = now(), request.state.account_id
    message = "You do not have the permission to associate a worklog to this issue."
    demand(db, issue, "WORK_ON_ISSUES", caller, 400, message)
    doc = {
        "issueId": issue["id"],
        "author": caller,
        "updateAuthor": caller,
        "comment": checked_comment(data.get("comment")),
        "visibility": checked_visibility(db, data.get("visibility")),
        "started": started(data.get("started")),
        "timeSpentSeconds": spent_seconds(data),
        "created": stamp,
        "updated": stamp,
        "updatedMs": millis(),
    }
    with db.tx():
        db.insert(WORKLOGS, doc, parent=issue["id"])
        adjust(request, db, issue, doc["timeSpentSeconds"], doc["timeSpentSeconds"])
        put_properties(db, "worklog", doc["id"], data.get("properties"))
    return ok(worklog_bean(request, doc), 201)


@route("/rest/api/3/issue/{key}/worklog/{id}")
async def get_worklog(request: Request) -> Response:
    doc = find_worklog(request)[1]
    return ok(worklog_bean(request, doc, request.query_params.get("expand", "")))


@route("/rest/api/3/issue/{key}/worklog/{id}", "PUT")
async def update_worklog(request: Request) -> Response:
    data, db = await body_object(request), store(request)
    issue, doc = find_worklog(request)
    old = doc["timeSpentSeconds"]
    if "timeSpent" in data or "timeSpentSeconds" in data:
        doc["timeSpentSeconds"] = spent_seconds(data)
    if "started" in data:
        doc["started"] = started(data["started"])
    if "comment" in data:
        doc["comment"] = checked_comment(data["comment"])
    if "visibility" in data:
        doc["visibility"] = checked_visibility(db, data["visibility"])
    doc.update(updated=now(), updateAuthor=request.state.account_id, updatedMs=millis())
    with db.tx():
        db.put(WORKLOGS, doc)
        delta = doc["timeSpentSeconds"] - old
        adjust(request, db, issue, delta, delta)
    return ok(worklog_bean(request, doc))


@route("/rest/api/3/issue/{key}/worklog/{id}", "DELETE")
async def delete_worklog(request: Request) -> Response:
    db = store(request)
    issue, doc = find_worklog(request)
    with db.tx():
        db.delete(WORKLOGS, doc["id"])
        db.delete_children("worklog_property", doc["id"])
        db.delete(DELETED, doc["id"])
        db.insert(DELETED, {"id": doc["id"], "updatedMs": millis()})
        adjust(request, db, issue, -doc["timeSpentSeconds"], -doc["timeSpentSeconds"])
    return no_content()


def feed(request: Request, coll: str) -> dict[str, Any]:
    """A ChangedWorklogs page: worklogs changed at or after ``since`` (ms), oldest first."""
    since = min(int_param(request, "since", 0), MAX_MILLIS)
    db = store(request)
    with db.lock:
        rows = db.db.execute(
            "SELECT id, json_extract(body, '$.updatedMs') AS ms FROM docs WHERE coll=? AND ms >= ? "
            "ORDER BY ms, CAST(id AS INTEGER) LIMIT ?",
            (coll, since, FEED_PAGE + 1),
        ).fetchall()
    chunk = rows[:FEED_PAGE]
    until = int(chunk[-1][1]) if chunk else since
    out: dict[str, Any] = {
        "values": [
            {"worklogId": int(r[0]), "updatedTime": int(r[1]), "properties": []} for r in chunk
        ],
        "since": since,
        "until": until,
        "self": str(request.url),
        "lastPage": len(rows) <= FEED_PAGE,
    }
    if not out["lastPage"]:
        out["nextPage"] = str(request.url.include_query_params(since=until + 1))
    return out


@route("/rest/api/3/worklog/updated")
async def updated_feed(request: Request) -> Response:
    return ok(feed(request, WORKLOGS))


@route("/rest/api/3/worklog/deleted")
async def deleted_feed(request: Request) -> Response:
    return ok(feed(request, DELETED))


@route("/rest/api/3/worklog/list", "POST")
async def worklogs_by_ids(request: Request) -> Response:
    ids, db = await requested_ids(request), store(request)
    docs = [db.get(WORKLOGS, i) for i in dict.fromkeys(ids)]
    expand = request.query_params.get("expand", "")
    return ok([worklog_bean(request, d, expand) for d in docs if d])


def worklog_of(db: Store, request: Request) -> str:
    return str(find_worklog(request, "worklogId")[1]["id"])


ROUTES = [
    list_worklogs,
    add_worklog,
    get_worklog,
    update_worklog,
    delete_worklog,
    updated_feed,
    deleted_feed,
    worklogs_by_ids,
    *property_routes(
        "/rest/api/3/issue/{key}/worklog/{worklogId}/properties", "worklog", worklog_of
    ),
]


def seed_empty(db: Store) -> None:
    """A new site has no worklogs."""
