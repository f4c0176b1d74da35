"""The Agile API's boards (``/rest/agile/1.0/board``), their read-only configuration, the backlog
and rank. Sprints are served by the sibling ``agile_sprints``; rank strings by ``_rank``.

Collection ``board`` ``{id, name, type: scrum|kanban, filterId, location: {type, projectId?,
accountId?}, columns: [{name, statusIds}], constraintType}``. Jira's rules kept here: a board is
made from a filter the caller can see (``filters.get_filter``), with a name under 255 characters
and the type ``scrum`` or ``kanban``, in a project or in the caller's own space; its columns are
made from the statuses of its project's workflows (every status for a board in a user's space), by
status category, and no REST call changes them; deleting a board leaves its sprints (issues keep
them), as on Jira Cloud.

Issues carry their sprints in the Sprint field (``customfield_10020``: sprint ids, closed ones
too; rendered as sprint beans by ``sprint_field``) and their rank in the Rank field
(``customfield_10019``, a LexoRank-like string: ``ORDER BY Rank`` sorts by it). A new issue ranks
last (``initial_rank``). ``PUT /issue/rank`` moves up to 50 issues (sub-tasks too) before or
after another; ``POST /backlog/issue`` takes up to 50 issues out of their open (future and active)
sprints; closed sprints stay on the issue. A sub-task follows its parent into and out of sprints:
it can't be moved there on its own.

Exported for other areas: ``initial_rank(db, issue_doc)`` (issues: set on create);
``sprint_field(request, issue_doc) -> [sprint bean] | None`` (issue beans).
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from jiracfg.sandbox.http import (
    ApiError,
    base,
    body_object,
    int_param,
    list_param,
    no_content,
    ok,
    require,
    route,
    store,
)
from jiracfg.sandbox.jql import call, project_ref
from jiracfg.sandbox.routes import _rank
from jiracfg.sandbox.shapes import ID
from jiracfg.sandbox.store import Doc, Store

AGILE = "/rest/agile/1.0"
BOARDS, SPRINTS, ISSUES = "board", "sprint", "issue"
SPRINT_FIELD, RANK_FIELD = "customfield_10020", "customfield_10019"
BOARD_MISSING = (
    "The requested board cannot be viewed because it either does not exist or you do not have "
    "permission to view it."
)
MOVE_LIMIT = 50
COLUMNS = (("To Do", "TODO"), ("In Progress", "IN_PROGRESS"), ("Done", "DONE"))
BOARD_SHAPE = {"type": str, "filterId": ID, "location": {"type": str, "projectKeyOrId": ID}}
ISSUES_SHAPE = {"issues": [ID], "rankBeforeIssue": ID, "rankAfterIssue": ID}


# -- exported API ------------------------------------------------------------------------------
def initial_rank(db: Store, doc: Doc) -> None:
    """Rank a new issue last (before it is stored)."""
    doc.setdefault("fields", {})[RANK_FIELD] = _rank.last(db)


def sprint_field(request: Request, doc: Doc) -> list[dict[str, Any]] | None:
    """The Sprint field's value: the issue's sprints as beans (None when it has none)."""
    db = store(request)
    found = [db.get(SPRINTS, s) for s in (doc.get("fields") or {}).get(SPRINT_FIELD) or []]
    beans = [field_bean(s) for s in found if s is not None]
    return beans or None


def field_bean(sprint: Doc) -> dict[str, Any]:
    bean = {
        "id": int(sprint["id"]),
        "name": sprint["name"],
        "state": sprint["state"],
        "boardId": int(sprint["originBoardId"]),
        "goal": sprint.get("goal") or "",
    }
    for key in ("startDate", "endDate", "completeDate"):
        if sprint.get(key):
            bean[key] = sprint[key]
    return bean


# -- boards ------------------------------------------------------------------------------------
def board_or_404(db: Store, raw: str) -> Doc:
    doc = db.get(BOARDS, raw) if raw.isdigit() else None
    if doc is None:
        raise ApiError(404, BOARD_MISSING)
    return doc


def board_bean(request: Request, db: Store, doc: Doc) -> dict[str, Any]:
    bean: dict[str, Any] = {
        "id": int(doc["id"]),
        "self": f"{base(request)}{AGILE}/board/{doc['id']}",
        "name": doc["name"],
        "type": doc["type"],
    }
    location = location_bean(db, doc)
    if location:
        bean["location"] = location
    return bean


def location_bean(db: Store, doc: Doc) -> dict[str, Any]:
    where = doc.get("location") or {}
    project = call("projects", "get_project", None, db, where.get("projectId") or "")
    if project is None:
        return {"userAccountId": where["accountId"]} if where.get("accountId") else {}
    return {
        "projectId": int(project["id"]),
        "displayName": f"{project['name']} ({project['key']})",
        "projectName": project["name"],
        "projectKey": project["key"],
        "projectTypeKey": project.get("projectTypeKey", "software"),
        "name": f"{project['name']} ({project['key']})",
    }


def agile_page(request: Request, items: list[Any], default_max: int = 50) -> dict[str, Any]:
    """The Agile API's page: ``{maxResults, startAt, total, isLast, values}`` (no ``self``)."""
    start = int_param(request, "startAt", 0)
    size = int_param(request, "maxResults", default_max, low=1, high=default_max)
    chunk = items[start : start + size]
    return {
        "maxResults": size,
        "startAt": start,
        "total": len(items),
        "isLast": start + len(chunk) >= len(items),
        "values": chunk,
    }


def matches(request: Request, db: Store, doc: Doc) -> bool:
    params = request.query_params
    types = list_param(request, "type")
    if types and doc["type"] not in types:
        return False
    name = params.get("name")
    if name and name.casefold() not in doc["name"].casefold():
        return False
    if params.get("filterId") and params["filterId"] != str(doc.get("filterId")):
        return False
    wanted = params.get("projectKeyOrId")
    if wanted:
        project = project_ref(db, wanted)
        return project is not None and str(project["id"]) == (doc.get("location") or {}).get(
            "projectId"
        )
    return True


@route(f"{AGILE}/board")
async def list_boards(request: Request) -> Response:
    db = store(request)
    found = [d for d in db.all(BOARDS) if matches(request, db, d)]
    if request.query_params.get("orderBy", "").lstrip("+-") == "name":
        found.sort(
            key=lambda d: d["name"].casefold(),
            reverse=request.query_params["orderBy"].startswith("-"),
        )
    return ok(agile_page(request, [board_bean(request, db, d) for d in found]))


@route(f"{AGILE}/board", "POST")
async def create_board(request: Request) -> Response:
    db, data = store(request), await body_object(request, BOARD_SHAPE)
    name = data.get("name")
    require(isinstance(name, str) and name.strip() != "", 400, "Board name is required.", "name")
    require(len(str(name)) < 255, 400, "Board name must be less than 255 characters.", "name")
    require(data.get("type") in ("scrum", "kanban"), 400, "Board type is invalid.", "type")
    filter_id = str(data.get("filterId") or "")
    require(
        bool(filter_id) and call("filters", "get_filter", None, db, filter_id) is not None,
        400,
        f"Filter with id '{filter_id}' does not exist or you do not have permission to view it.",
        "filterId",
    )
    location = board_location(request, db, data.get("location"))
    doc = {
        "name": str(name).strip(),
        "type": data["type"],
        "filterId": filter_id,
        "location": location,
        "columns": initial_columns(db, location.get("projectId")),
        "constraintType": "issueCount" if data["type"] == "kanban" else "none",
    }
    doc = db.insert(BOARDS, doc, start=1)
    return ok(board_bean(request, db, doc), 201)


def board_location(request: Request, db: Store, raw: Any) -> dict[str, str]:
    where = raw or {}
    kind = where.get("type")
    if kind == "user" or not where:
        return {"type": "user", "accountId": str(request.state.account_id)}
    require(kind == "project", 400, "Location type must be project or user.", "location")
    wanted = str(where.get("projectKeyOrId") or "")
    project = project_ref(db, wanted) if wanted else None
    require(project is not None, 400, f"Project '{wanted}' does not exist.", "location")
    assert project is not None
    return {"type": "project", "projectId": str(project["id"])}


def initial_columns(db: Store, project_id: str | None) -> list[dict[str, Any]]:
    """To Do, In Progress and Done, holding the statuses of the project's workflows (every
    status when the board is in a user's space) by status category."""
    statuses = project_statuses(db, project_id) if project_id else all_status_ids(db)
    columns = []
    for name, category in COLUMNS:
        held = [
            s for s in statuses if call("statuses", "status_category_of", "", db, s) == category
        ]
        columns.append({"name": name, "statusIds": sorted(held, key=int)})
    return columns


def all_status_ids(db: Store) -> list[str]:
    return [str(s["id"]) for s in call("statuses", "all_statuses", [], db)]


def project_statuses(db: Store, project_id: str) -> list[str]:
    found: set[str] = set()
    for issue_type in call("issuetypes", "issue_types_of_project", [], db, project_id):
        workflow = call(
            "workflowschemes", "workflow_name_for", None, db, project_id, issue_type["id"]
        )
        if workflow is not None:
            found |= set(call("workflows", "workflow_status_ids", [], db, workflow))
    return sorted(found, key=int)


@route(f"{AGILE}/board/{{boardId}}")
async def get_board(request: Request) -> Response:
    db = store(request)
    return ok(board_bean(request, db, board_or_404(db, request.path_params["boardId"])))


@route(f"{AGILE}/board/{{boardId}}", "DELETE")
async def delete_board(request: Request) -> Response:
    db = store(request)
    doc = board_or_404(db, request.path_params["boardId"])
    db.delete(BOARDS, doc["id"])
    return no_content()


@route(f"{AGILE}/board/{{boardId}}/configuration")
async def board_configuration(request: Request) -> Response:
    db = store(request)
    doc = board_or_404(db, request.path_params["boardId"])
    url = base(request)
    columns = [
        {
            "name": c["name"],
            "statuses": [{"id": s, "self": f"{url}/rest/api/3/status/{s}"} for s in c["statusIds"]],
        }
        for c in doc["columns"]
    ]
    body: dict[str, Any] = {
        "id": int(doc["id"]),
        "name": doc["name"],
        "type": doc["type"],
        "self": f"{url}{AGILE}/board/{doc['id']}/configuration",
        "location": config_location(db, doc),
        "filter": {"id": doc["filterId"], "self": f"{url}/rest/api/3/filter/{doc['filterId']}"},
        "columnConfig": {"columns": columns, "constraintType": doc["constraintType"]},
        "ranking": {"rankCustomFieldId": int(RANK_FIELD.rsplit("_", 1)[1])},
    }
    if doc["type"] == "kanban":
        body["subQuery"] = {"query": "resolution = EMPTY OR resolution changed AFTER -2w"}
    else:
        body["estimation"] = {"type": "field", "field": estimation_field()}
    return ok(body)


def config_location(db: Store, doc: Doc) -> dict[str, str]:
    where = doc.get("location") or {}
    if where.get("type") != "project":
        return {"type": "user"}
    return {"type": "project", "projectKeyOrId": str(where["projectId"])}


def estimation_field() -> dict[str, str]:
    return {"fieldId": "customfield_10016", "displayName": "Story point estimate"}


@route("/rest/sandbox/1/board/{boardId}/column-status", "PUT")
async def map_status(request: Request) -> Response:
    """Sandbox-only, standing in for Jira's UI (the board's settings > Columns, where an admin
    drags a status into a column): ``{status: name or id, column: name}`` maps the status to
    that column (out of any other). Jira has no REST call for it."""
    db = store(request)
    doc = board_or_404(db, request.path_params["boardId"])
    data = await body_object(request, {"status": ID, "column": str})
    wanted = str(data.get("status") or "")
    found = [s for s in call("statuses", "all_statuses", [], db) if wanted in (s["id"], s["name"])]
    require(bool(found), 400, f"The status '{wanted}' does not exist.", "status")
    names = [c["name"] for c in doc["columns"]]
    require(data.get("column") in names, 400, "The board has no such column.", "column")
    status = str(found[0]["id"])
    for column in doc["columns"]:
        held = [s for s in column["statusIds"] if s != status]
        column["statusIds"] = [*held, status] if column["name"] == data["column"] else held
    db.put(BOARDS, doc)
    return no_content()


# -- moving issues: backlog and rank -----------------------------------------------------------
def issue_refs(data: dict[str, Any]) -> list[str]:
    raw = data.get("issues")
    require(isinstance(raw, list) and len(raw) > 0, 400, "No issues were given.", "issues")
    assert isinstance(raw, list)
    require(
        len(raw) <= MOVE_LIMIT,
        400,
        f"At most {MOVE_LIMIT} issues may be moved at once.",
        "issues",
    )
    return [str(r) for r in raw]


def issue_docs(db: Store, refs: list[str], subtasks: bool = False) -> list[Doc]:
    """The issues named by id or key (400 naming the first unknown); sub-tasks only where
    ``subtasks`` (they are ranked, but move into sprints with their parent)."""
    docs = []
    for ref in refs:
        doc = call("issues", "by_key", None, db, ref) if not ref.isdigit() else db.get(ISSUES, ref)
        require(doc is not None, 400, f"Issue '{ref}' does not exist.", "issues")
        assert doc is not None
        require(
            subtasks or not is_subtask(db, doc),
            400,
            f"Issue '{ref}' is a sub-task: it moves with its parent.",
            "issues",
        )
        docs.append(doc)
    return docs


def is_subtask(db: Store, doc: Doc) -> bool:
    found = call("issuetypes", "get_issue_type", None, db, doc["issueTypeId"]) or {}
    return int(found.get("hierarchyLevel", 0)) == -1


def family(db: Store, doc: Doc) -> list[Doc]:
    """An issue and its sub-tasks (they follow it into and out of sprints)."""
    return [doc, *call("issues", "children_of", [], db, doc)]


def set_sprints(db: Store, doc: Doc, sprint_id: str | None) -> None:
    """Take the issue (and its sub-tasks) out of open sprints, into ``sprint_id`` if given."""
    for member in family(db, doc):
        held = list((member.get("fields") or {}).get(SPRINT_FIELD) or [])
        kept = [s for s in held if (db.get(SPRINTS, s) or {}).get("state") == "closed"]
        if sprint_id is not None and sprint_id not in kept:
            kept.append(sprint_id)
        member.setdefault("fields", {})[SPRINT_FIELD] = kept
        if not kept:
            member["fields"].pop(SPRINT_FIELD)
        db.put(ISSUES, member)


@route(f"{AGILE}/backlog/issue", "POST")
async def move_to_backlog(request: Request) -> Response:
    db = store(request)
    docs = issue_docs(db, issue_refs(await body_object(request, ISSUES_SHAPE)))
    with db.tx():
        for doc in docs:
            set_sprints(db, doc, None)
    return no_content()


@route(f"{AGILE}/issue/rank", "PUT")
async def rank_issues(request: Request) -> Response:
    db, data = store(request), await body_object(request, ISSUES_SHAPE)
    docs = issue_docs(db, issue_refs(data), subtasks=True)
    rank_around(db, docs, data)
    return no_content()


def rank_around(db: Store, docs: list[Doc], data: dict[str, Any]) -> None:
    """Rank ``docs`` (in their order) just before ``rankBeforeIssue`` or after
    ``rankAfterIssue``."""
    before, after = data.get("rankBeforeIssue"), data.get("rankAfterIssue")
    require(
        (before is None) != (after is None),
        400,
        "Exactly one of rankBeforeIssue and rankAfterIssue must be given.",
    )
    anchor = issue_docs(db, [str(before if before is not None else after)], subtasks=True)[0]
    moved = {d["id"] for d in docs}
    require(anchor["id"] not in moved, 400, "An issue can't be ranked relative to itself.")
    with db.tx():
        ranks = _rank.around(db, anchor, moved, before is not None, len(docs))
        for doc, rank in zip(docs, ranks, strict=True):
            doc.setdefault("fields", {})[RANK_FIELD] = rank
            db.put(ISSUES, doc)


ROUTES = [
    list_boards,
    create_board,
    get_board,
    delete_board,
    board_configuration,
    map_status,
    move_to_backlog,
    rank_issues,
]


def seed_empty(db: Store) -> None:
    """Nothing: a new site has no boards (Jira Software makes one with a project from a template,
    not over REST)."""
