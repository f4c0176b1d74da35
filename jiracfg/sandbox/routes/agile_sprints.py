"""Sprints (``/rest/agile/1.0/sprint``, ``/board/{id}/sprint``): part of the ``agile`` area.

Collection ``sprint`` ``{id, name, state: future|active|closed, originBoardId, goal, startDate,
endDate, completeDate}`` (dates in UTC, ``2024-05-06T09:00:00.000Z``). Jira's rules kept here: a
sprint is created ``future`` on a scrum board (a kanban board has no sprints); the only state
changes are future -> active, which needs a start and an end date, and active -> closed, which
sets ``completeDate`` to now; the end is after the start; ``completeDate`` can't be set; a closed
sprint takes only a new name or goal (other changes are ignored) and no issues; ``PUT`` nulls the
fields it does not send, ``POST`` changes only those it sends; deleting a sprint sends its issues
back to the backlog. Moving issues into a sprint (≤50 at a time, sub-tasks with their parent)
takes them out of their other open sprints; closed sprints stay on the issue, so an issue carried
over holds every sprint it was in.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from jiracfg.sandbox.http import (
    ApiError,
    base,
    body_object,
    list_param,
    no_content,
    ok,
    require,
    route,
    store,
)
from jiracfg.sandbox.routes._issue_beans import Renderer, wanted_fields
from jiracfg.sandbox.routes._issue_history import now
from jiracfg.sandbox.routes.agile import (
    AGILE,
    BOARDS,
    ISSUES,
    ISSUES_SHAPE,
    SPRINT_FIELD,
    SPRINTS,
    agile_page,
    board_or_404,
    issue_docs,
    issue_refs,
    rank_around,
    set_sprints,
)
from jiracfg.sandbox.shapes import ID
from jiracfg.sandbox.store import Doc, Store

SHAPE = {
    "originBoardId": ID,
    "goal": str,
    "startDate": str,
    "endDate": str,
    "completeDate": str,
    "state": str,
}
STATES = ("closed", "active", "future")
SPRINT_MISSING = (
    "The requested sprint cannot be viewed because it either does not exist or you do not have "
    "permission to view it."
)


def sprint_or_404(db: Store, raw: str) -> Doc:
    doc = db.get(SPRINTS, raw) if raw.isdigit() else None
    if doc is None:
        raise ApiError(404, SPRINT_MISSING)
    return doc


def sprint_bean(request: Request, doc: Doc) -> dict[str, Any]:
    bean: dict[str, Any] = {
        "id": int(doc["id"]),
        "self": f"{base(request)}{AGILE}/sprint/{doc['id']}",
        "state": doc["state"],
        "name": doc["name"],
    }
    for key in ("startDate", "endDate", "completeDate"):
        if doc.get(key):
            bean[key] = doc[key]
    bean["originBoardId"] = int(doc["originBoardId"])
    if doc.get("goal"):
        bean["goal"] = doc["goal"]
    return bean


def utc(raw: Any, field: str) -> str | None:
    """An ISO date-time with a zone as Jira stores it (UTC, milliseconds); 400 when unreadable."""
    if raw in (None, ""):
        return None
    try:
        parsed = datetime.fromisoformat(str(raw).replace("Z", "+00:00"))
    except ValueError as exc:
        raise ApiError(400, errors={field: f"Invalid date format: {raw}"}) from exc
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def checked_name(raw: Any) -> str:
    require(isinstance(raw, str) and raw.strip() != "", 400, "Sprint name is required.", "name")
    require(len(str(raw)) <= 255, 400, "Sprint name is too long.", "name")
    return str(raw).strip()


def check_dates(doc: Doc) -> None:
    start, end = doc.get("startDate"), doc.get("endDate")
    if start and end:
        require(end > start, 400, "The sprint end date must be after the start date.", "endDate")


@route(f"{AGILE}/sprint", "POST")
async def create_sprint(request: Request) -> Response:
    db, data = store(request), await body_object(request, SHAPE)
    board_id = str(data.get("originBoardId") or "")
    require(bool(board_id), 400, "The board id is required.", "originBoardId")
    board = db.get(BOARDS, board_id) if board_id.isdigit() else None
    if board is None:
        raise ApiError(404, f"Board with id {board_id} does not exist.")
    require(board["type"] == "scrum", 400, "Sprints can only be created on scrum boards.")
    doc = {
        "name": checked_name(data.get("name")),
        "state": "future",
        "originBoardId": board_id,
        "goal": data.get("goal") or "",
        "startDate": utc(data.get("startDate"), "startDate"),
        "endDate": utc(data.get("endDate"), "endDate"),
        "completeDate": None,
    }
    check_dates(doc)
    return ok(sprint_bean(request, db.insert(SPRINTS, doc, start=1)), 201)


@route(f"{AGILE}/sprint/{{sprintId}}")
async def get_sprint(request: Request) -> Response:
    return ok(sprint_bean(request, sprint_or_404(store(request), request.path_params["sprintId"])))


@route(f"{AGILE}/sprint/{{sprintId}}", "PUT")
async def update_sprint(request: Request) -> Response:
    return await changed(request, full=True)


@route(f"{AGILE}/sprint/{{sprintId}}", "POST")
async def partially_update_sprint(request: Request) -> Response:
    return await changed(request, full=False)


async def changed(request: Request, *, full: bool) -> Response:
    db = store(request)
    doc = sprint_or_404(db, request.path_params["sprintId"])
    data = await body_object(request, SHAPE)
    given = data if not full else {k: data.get(k) for k in ("name", "goal", "startDate", "endDate")}
    if doc["state"] == "closed":
        new = closed_update(doc, data, given)
    else:
        new = open_update(doc, data, given)
    db.put(SPRINTS, new)
    return ok(sprint_bean(request, new))


def closed_update(doc: Doc, data: dict[str, Any], given: dict[str, Any]) -> Doc:
    """A closed sprint takes a new name or goal only; it can't change state."""
    state = data.get("state")
    require(state in (None, "closed"), 400, "A closed sprint can't be reopened.", "state")
    new = dict(doc)
    if "name" in given:
        new["name"] = checked_name(given["name"])
    if "goal" in given:
        new["goal"] = given["goal"] or ""
    return new


def open_update(doc: Doc, data: dict[str, Any], given: dict[str, Any]) -> Doc:
    new = dict(doc)
    if "name" in given:
        new["name"] = checked_name(given["name"])
    if "goal" in given:
        new["goal"] = given["goal"] or ""
    for key in ("startDate", "endDate"):
        if key in given:
            new[key] = utc(given[key], key)
    check_dates(new)
    return moved_state(doc, new, data.get("state"))


def moved_state(doc: Doc, new: Doc, state: Any) -> Doc:
    """Only future -> active (with both dates) and active -> closed (completed now)."""
    if state in (None, doc["state"]):
        if doc["state"] == "active":
            require(bool(new["startDate"] and new["endDate"]), 400, "An active sprint needs dates.")
        return new
    require(state in STATES, 400, f"Unknown sprint state '{state}'.", "state")
    if (doc["state"], state) == ("future", "active"):
        require(
            bool(new["startDate"]),
            400,
            "The sprint must have a start date to be started.",
            "startDate",
        )
        require(
            bool(new["endDate"]), 400, "The sprint must have an end date to be started.", "endDate"
        )
        return {**new, "state": "active"}
    if (doc["state"], state) == ("active", "closed"):
        return {**new, "state": "closed", "completeDate": utc(now(), "completeDate")}
    raise ApiError(
        400,
        errors={"state": f"A sprint can't move from {doc['state']} to {state}."},
    )


@route(f"{AGILE}/sprint/{{sprintId}}", "DELETE")
async def delete_sprint(request: Request) -> Response:
    db = store(request)
    doc = sprint_or_404(db, request.path_params["sprintId"])
    with db.tx():
        for issue in holding(db, doc["id"]):
            held = [s for s in issue["fields"][SPRINT_FIELD] if s != doc["id"]]
            issue["fields"][SPRINT_FIELD] = held
            if not held:
                issue["fields"].pop(SPRINT_FIELD)
            db.put(ISSUES, issue)
        db.delete(SPRINTS, doc["id"])
    return no_content()


def holding(db: Store, sprint_id: str) -> list[Doc]:
    """The issues in a sprint, in rank order."""
    sql = (
        "SELECT body FROM docs WHERE coll='issue' AND EXISTS (SELECT 1 FROM json_each("
        f"json_extract(body, '$.fields.{SPRINT_FIELD}')) WHERE value = ?) "
        "ORDER BY json_extract(body, '$.fields.customfield_10019')"
    )
    with db.lock:
        rows = db.db.execute(sql, (sprint_id,)).fetchall()
    return [json.loads(r[0]) for r in rows]


@route(f"{AGILE}/sprint/{{sprintId}}/issue", "POST")
async def move_to_sprint(request: Request) -> Response:
    db, data = store(request), await body_object(request, ISSUES_SHAPE)
    doc = sprint_or_404(db, request.path_params["sprintId"])
    docs = issue_docs(db, issue_refs(data))
    require(
        doc["state"] != "closed",
        400,
        "Issues can only be moved to future or active sprints; this sprint is closed.",
    )
    with db.tx():
        for issue in docs:
            set_sprints(db, issue, doc["id"])
        if data.get("rankBeforeIssue") is not None or data.get("rankAfterIssue") is not None:
            rank_around(db, [db.get(ISSUES, d["id"]) or d for d in docs], data)
    return no_content()


@route(f"{AGILE}/sprint/{{sprintId}}/issue")
async def sprint_issues(request: Request) -> Response:
    db = store(request)
    doc = sprint_or_404(db, request.path_params["sprintId"])
    found = holding(db, doc["id"])
    page = agile_page(request, found)
    render = Renderer(request, wanted_fields(request), "*navigable")
    return ok(
        {
            "expand": "schema,names",
            "startAt": page["startAt"],
            "maxResults": page["maxResults"],
            "total": page["total"],
            "issues": [render.bean(i) for i in page["values"]],
        }
    )


@route(f"{AGILE}/board/{{boardId}}/sprint")
async def board_sprints(request: Request) -> Response:
    """The board's sprints: closed, then active, then future, each in creation order."""
    db = store(request)
    board = board_or_404(db, request.path_params["boardId"])
    states = list_param(request, "state")
    for state in states:
        require(state in STATES, 400, f"Unknown sprint state '{state}'.", "state")
    found = [s for s in db.all(SPRINTS) if s["originBoardId"] == board["id"]]
    found = [s for s in found if not states or s["state"] in states]
    found.sort(key=lambda s: (STATES.index(s["state"]), int(s["id"])))
    return ok(agile_page(request, [sprint_bean(request, s) for s in found]))


ROUTES = [
    create_sprint,
    get_sprint,
    update_sprint,
    partially_update_sprint,
    delete_sprint,
    move_to_sprint,
    sprint_issues,
    board_sprints,
]


def seed_empty(db: Store) -> None:
    """Nothing: a new site has no sprints."""
