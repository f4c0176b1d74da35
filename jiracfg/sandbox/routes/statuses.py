"""Statuses and status categories (legacy ``/status`` reads and the bulk ``/statuses`` API).

Collection ``status`` ``{id, name, description, statusCategory: TODO|IN_PROGRESS|DONE,
projectId?}`` (``projectId`` only for PROJECT-scoped, team-managed statuses). Names are unique
within a scope, case-insensitively. A status a workflow uses can't be deleted; the legacy
``/status`` reads only see statuses that some workflow uses, as in Jira.

Exported for other areas: ``get_status(db, id) -> doc|None``, ``all_statuses(db) -> list[doc]``,
``status_category_of(db, status_id) -> "TODO"|"IN_PROGRESS"|"DONE"``; ``create_status(db, name,
category, description)`` and ``check_status_name(db, name, own_id)`` for workflows (statuses
created through ``/workflows/create``).

Expected from other areas (optional): ``workflows.status_in_use(db, status_id) -> bool``,
``projects.get_project(db, id) -> doc|None``.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from jiracfg.sandbox.http import (
    ApiError,
    base,
    body_object,
    checked_name,
    list_param,
    no_content,
    ok,
    page,
    peer,
    require,
    route,
    same_name,
    store,
)
from jiracfg.sandbox.shapes import ID
from jiracfg.sandbox.store import Doc, Store

STATUSES = "status"
CATEGORIES = {  # key of the new API -> (id, key, colorName, name) of the legacy category
    "TODO": (2, "new", "blue-gray", "To Do"),
    "IN_PROGRESS": (4, "indeterminate", "yellow", "In Progress"),
    "DONE": (3, "done", "green", "Done"),
}
NO_CATEGORY = (1, "undefined", "medium-gray", "No Category")
SEED_STATUSES = [  # a new Jira Cloud site: the classic statuses, then To Do and Done
    ("1", "Open", "TODO", "The issue is open and ready for the assignee to start work on it."),
    (
        "3",
        "In Progress",
        "IN_PROGRESS",
        "This issue is being actively worked on at the moment by the assignee.",
    ),
    (
        "4",
        "Reopened",
        "TODO",
        "This issue was once resolved, but the resolution was deemed "
        "incorrect. From here issues are either marked assigned or resolved.",
    ),
    (
        "5",
        "Resolved",
        "DONE",
        "A resolution has been taken, and it is awaiting verification by "
        "reporter. From here issues are either reopened, or are closed.",
    ),
    (
        "6",
        "Closed",
        "DONE",
        "The issue is considered finished, the resolution is correct. Issues "
        "which are closed can be reopened.",
    ),
    ("10000", "To Do", "TODO", ""),
    ("10001", "Done", "DONE", ""),
]
ICONS = {
    "1": "open.png",
    "3": "inprogress.png",
    "4": "reopened.png",
    "5": "resolved.png",
    "6": "closed.png",
}
MAX_IDS = 50


# -- exported API ------------------------------------------------------------------------------
def get_status(db: Store, status_id: Any) -> Doc | None:
    return db.get(STATUSES, str(status_id))


def all_statuses(db: Store) -> list[Doc]:
    return db.all(STATUSES)


def status_category_of(db: Store, status_id: Any) -> str:
    doc = get_status(db, status_id)
    return "TODO" if doc is None else str(doc["statusCategory"])


def check_status_name(
    db: Store, name: Any, own_id: str | None = None, project_id: str | None = None
) -> str:
    """The name, stripped; 400 when it is empty, too long or taken in its scope."""
    checked_name(
        name, "The status name is required.", "The name is too long, maxSize=255", field=None
    )
    clash = db.first(
        STATUSES,
        lambda s: (
            same_name(s["name"], name) and s["id"] != own_id and s.get("projectId") == project_id
        ),
    )
    require(clash is None, 400, f"A status with the name '{name.strip()}' already exists.")
    return str(name).strip()


def check_category(raw: Any) -> str:
    require(
        raw in CATEGORIES,
        400,
        "The status category must be one of TODO, IN_PROGRESS or DONE.",
        "statusCategory",
    )
    return str(raw)


def create_status(
    db: Store, name: Any, category: Any, description: Any, project_id: str | None = None
) -> Doc:
    doc: Doc = {
        "name": check_status_name(db, name, project_id=project_id),
        "statusCategory": check_category(category),
        "description": str(description or ""),
    }
    if project_id is not None:
        doc["projectId"] = project_id
    return db.insert(STATUSES, doc)


def in_use(db: Store, status_id: str) -> bool:
    used = peer("workflows", "status_in_use")
    return bool(used and used(db, status_id))


# -- beans -------------------------------------------------------------------------------------
def jira_status(doc: Doc) -> dict[str, Any]:
    """JiraStatus of the new API."""
    scope: dict[str, Any] = {"type": "GLOBAL"}
    if doc.get("projectId"):
        scope = {"type": "PROJECT", "project": {"id": doc["projectId"]}}
    return {
        "id": doc["id"],
        "name": doc["name"],
        "description": doc["description"],
        "statusCategory": doc["statusCategory"],
        "scope": scope,
    }


def category_bean(request: Request, row: tuple[int, str, str, str]) -> dict[str, Any]:
    cat_id, key, color, name = row
    return {
        "self": f"{base(request)}/rest/api/3/statuscategory/{cat_id}",
        "id": cat_id,
        "key": key,
        "colorName": color,
        "name": name,
    }


def legacy_bean(request: Request, doc: Doc) -> dict[str, Any]:
    """StatusDetails of the legacy ``/status`` reads."""
    icon = ICONS.get(doc["id"], "generic.png")
    return {
        "self": f"{base(request)}/rest/api/3/status/{doc['id']}",
        "description": doc["description"],
        "iconUrl": f"{base(request)}/images/icons/statuses/{icon}",
        "name": doc["name"],
        "untranslatedName": doc["name"],
        "id": doc["id"],
        "statusCategory": category_bean(request, CATEGORIES[doc["statusCategory"]]),
    }


# -- legacy reads ------------------------------------------------------------------------------
@route("/rest/api/3/status")
async def legacy_list(request: Request) -> Response:
    db = store(request)
    return ok([legacy_bean(request, s) for s in all_statuses(db) if in_use(db, s["id"])])


@route("/rest/api/3/status/{idOrName}")
async def legacy_get(request: Request) -> Response:
    db, raw = store(request), request.path_params["idOrName"]
    doc = get_status(db, raw) or db.first(STATUSES, lambda s: same_name(s["name"], raw))
    if doc is None or not in_use(db, doc["id"]):
        raise ApiError(404, f"The status with ID or name '{raw}' was not found.")
    return ok(legacy_bean(request, doc))


@route("/rest/api/3/statuscategory")
async def list_categories(request: Request) -> Response:
    rows = [NO_CATEGORY, *CATEGORIES.values()]
    return ok([category_bean(request, r) for r in sorted(rows)])


@route("/rest/api/3/statuscategory/{idOrKey}")
async def get_category(request: Request) -> Response:
    raw = request.path_params["idOrKey"]
    found = [r for r in (NO_CATEGORY, *CATEGORIES.values()) if raw in (str(r[0]), r[1])]
    if not found:
        raise ApiError(404, f"The status category with ID or key '{raw}' was not found.")
    return ok(category_bean(request, found[0]))


# -- bulk API ----------------------------------------------------------------------------------
def id_list(request: Request) -> list[str]:
    ids = list_param(request, "id")
    require(bool(ids), 400, "The list of status IDs must not be empty.", "id")
    require(len(ids) <= MAX_IDS, 400, f"The list of status IDs can't exceed {MAX_IDS}.", "id")
    return ids


@route("/rest/api/3/statuses")
async def bulk_get(request: Request) -> Response:
    db = store(request)
    docs = [get_status(db, i) for i in id_list(request)]
    return ok([jira_status(d) for d in docs if d is not None])


@route("/rest/api/3/statuses/byNames")
async def by_names(request: Request) -> Response:
    names = list_param(request, "name")
    require(bool(names), 400, "The list of status names must not be empty.", "name")
    require(len(names) <= MAX_IDS, 400, f"The list of status names can't exceed {MAX_IDS}.")
    project = request.query_params.get("projectId") or None
    docs = store(request).find(
        STATUSES,
        lambda s: s.get("projectId") == project and any(same_name(s["name"], n) for n in names),
    )
    return ok([jira_status(d) for d in docs])


@route("/rest/api/3/statuses/search")
async def search(request: Request) -> Response:
    project = request.query_params.get("projectId") or None
    text = (request.query_params.get("searchString") or "").casefold()
    category = request.query_params.get("statusCategory")
    require(category in (None, *CATEGORIES), 400, f"Invalid status category: {category}")
    docs = store(request).find(
        STATUSES,
        lambda s: (
            s.get("projectId") == project
            and text in s["name"].casefold()
            and category in (None, s["statusCategory"])
        ),
    )
    return ok(page(request, [jira_status(d) for d in docs], default_max=200, cap=200))


def scope_project(db: Store, scope: Any) -> str | None:
    """The project id of a PROJECT scope, None for GLOBAL; 400 for anything else."""
    require(
        isinstance(scope, dict) and scope.get("type") in ("GLOBAL", "PROJECT"),
        400,
        "The scope type must be GLOBAL or PROJECT.",
        "scope",
    )
    if scope["type"] == "GLOBAL":
        return None
    project_id = str((scope.get("project") or {}).get("id") or "")
    get_project = peer("projects", "get_project")
    require(
        project_id != "" and (get_project is None or get_project(db, project_id)),
        400,
        "The project of a PROJECT scope must exist.",
        "scope",
    )
    return project_id


STATUS = {"name": str, "statusCategory": str, "description": str}  # the spec's StatusCreate


def status_items(data: dict[str, Any]) -> list[dict[str, Any]]:
    items = data.get("statuses")
    require(
        isinstance(items, list) and bool(items) and all(isinstance(i, dict) for i in items),
        400,
        "Unable to parse request. [statuses] is missing.",
    )
    return list(items or [])


@route("/rest/api/3/statuses", "POST")
async def bulk_create(request: Request) -> Response:
    shape = {"scope": {"type": str, "project": {"id": ID}}, "statuses": [STATUS]}
    data, db = await body_object(request, shape), store(request)
    with db.tx():
        project_id = scope_project(db, data.get("scope"))
        made = [
            create_status(
                db, s.get("name"), s.get("statusCategory"), s.get("description"), project_id
            )
            for s in status_items(data)
        ]
    return ok([jira_status(d) for d in made])


@route("/rest/api/3/statuses", "PUT")
async def bulk_update(request: Request) -> Response:
    data, db = await body_object(request, {"statuses": [{"id": ID, **STATUS}]}), store(request)
    with db.tx():
        for item in status_items(data):
            doc = get_status(db, item.get("id"))
            require(doc is not None, 400, f"The status with ID {item.get('id')} was not found.")
            assert doc is not None
            doc["name"] = check_status_name(db, item.get("name"), doc["id"], doc.get("projectId"))
            doc["statusCategory"] = check_category(item.get("statusCategory"))
            doc["description"] = str(item.get("description") or "")
            db.put(STATUSES, doc)
    return no_content()


@route("/rest/api/3/statuses", "DELETE")
async def bulk_delete(request: Request) -> Response:
    db = store(request)
    with db.tx():
        for status_id in id_list(request):
            require(
                get_status(db, status_id) is not None,
                400,
                f"The status with ID {status_id} was not found.",
            )
            require(
                not in_use(db, status_id),
                400,
                f"The status with ID {status_id} is used in a workflow and can't be deleted.",
            )
            db.delete(STATUSES, status_id)
    return no_content()


ROUTES = [
    legacy_list,
    legacy_get,
    list_categories,
    get_category,
    bulk_get,
    by_names,
    search,
    bulk_create,
    bulk_update,
    bulk_delete,
]


def seed_empty(db: Store) -> None:
    for status_id, name, category, description in SEED_STATUSES:
        doc = {"name": name, "statusCategory": category, "description": description}
        if int(status_id) < 10000:  # the classic ids; the counter gives 10000 and on
            doc["id"] = status_id
        assert db.insert(STATUSES, doc)["id"] == status_id
