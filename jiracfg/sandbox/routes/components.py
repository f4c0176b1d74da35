"""Project components: list (plain and paged), search, create, get, update, delete.

Collection ``component`` (parent: project id) ``{id, name, description, leadAccountId,
assigneeType, projectId}``, owned by ``projects`` (a project's delete drops its components).
Exported for ``projects``: ``component_beans(request, store, project_id)`` (a project's details).
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from jiracfg.sandbox.http import (
    base,
    body_object,
    checked_name,
    found,
    list_param,
    name_taken,
    no_content,
    ok,
    page,
    require,
    route,
    store,
)
from jiracfg.sandbox.routes.projects import (
    COMPONENT_ASSIGNEE_TYPES,
    COMPONENTS,
    PROJECTS,
    find_project,
    find_user,
    get_project,
    user_ref,
)
from jiracfg.sandbox.store import Doc, Store


def components_of(db: Store, project_id: str) -> list[Doc]:
    return sorted(db.all(COMPONENTS, project_id), key=lambda c: c["name"].casefold())


def real_assignee(db: Store, doc: Doc, project: Doc) -> tuple[str, str | None]:
    """The assignee type that really applies to the component's issues, and that user."""
    kind = doc["assigneeType"]
    if kind == "COMPONENT_LEAD" and doc.get("leadAccountId"):
        return kind, doc["leadAccountId"]
    if kind == "UNASSIGNED" or (
        kind == "PROJECT_DEFAULT" and project["assigneeType"] == "UNASSIGNED"
    ):
        return "UNASSIGNED", None
    return "PROJECT_LEAD", project["leadAccountId"]


def component_bean(request: Request, db: Store, doc: Doc) -> dict[str, Any]:
    project = db.get(PROJECTS, doc["projectId"])
    assert project is not None
    real, who = real_assignee(db, doc, project)
    nominal = doc.get("leadAccountId") if doc["assigneeType"] == "COMPONENT_LEAD" else who
    bean = {
        "self": f"{base(request)}/rest/api/3/component/{doc['id']}",
        "id": doc["id"],
        "name": doc["name"],
        "description": doc["description"] or None,
        "lead": user_ref(request, db, doc.get("leadAccountId")),
        "assigneeType": doc["assigneeType"],
        "assignee": user_ref(request, db, nominal),
        "realAssigneeType": real,
        "realAssignee": user_ref(request, db, who),
        "isAssigneeTypeValid": real == doc["assigneeType"]
        or doc["assigneeType"] == "PROJECT_DEFAULT",
        "project": project["key"],
        "projectId": int(project["id"]),
    }
    return {k: v for k, v in bean.items() if v is not None}


def find_component(db: Store, raw: str) -> Doc:
    parent = db.parent_of(COMPONENTS, raw)
    return found(
        db.get(COMPONENTS, raw) if parent and get_project(db, parent) else None,
        f"The component with id {raw} does not exist.",
    )


def check_component(db: Store, data: dict[str, Any], project_id: str, own: Doc | None) -> Doc:
    out = dict(
        own
        or {
            "description": "",
            "leadAccountId": None,
            "assigneeType": "PROJECT_DEFAULT",
            "projectId": project_id,
        }
    )
    if own is None or "name" in data:
        out["name"] = component_name(db, data.get("name"), project_id, own)
    if "description" in data:
        out["description"] = str(data["description"] or "")
    if "leadAccountId" in data:
        lead = data["leadAccountId"] or None
        require(
            lead is None or find_user(db, lead) is not None,
            400,
            f"The user with account ID '{lead}' does not exist.",
            "leadAccountId",
        )
        out["leadAccountId"] = lead
    if data.get("assigneeType") is not None:
        require(
            data["assigneeType"] in COMPONENT_ASSIGNEE_TYPES,
            400,
            "The assignee type is invalid.",
            "assigneeType",
        )
        out["assigneeType"] = data["assigneeType"]
    return out


def component_name(db: Store, name: Any, project_id: str, own: Doc | None) -> str:
    checked = checked_name(
        name,
        "The component name must be specified.",
        "The component name must not exceed 255 characters.",
    )
    require(
        not name_taken(db, COMPONENTS, checked, (own or {}).get("id"), project_id),
        400,
        f"A component with the name {checked} already exists in this project.",
        "name",
    )
    return checked


@route("/rest/api/3/project/{projectIdOrKey}/components")
async def project_components(request: Request) -> Response:
    db = store(request)
    doc = find_project(db, request.path_params["projectIdOrKey"])
    return ok([component_bean(request, db, c) for c in components_of(db, doc["id"])])


@route("/rest/api/3/project/{projectIdOrKey}/component")
async def project_components_paged(request: Request) -> Response:
    db = store(request)
    doc = find_project(db, request.path_params["projectIdOrKey"])
    docs = ordered_components(request, matching(request, components_of(db, doc["id"])))
    beans = [{**component_bean(request, db, c), "issueCount": 0} for c in docs]
    return ok(page(request, beans))


def matching(request: Request, docs: list[Doc]) -> list[Doc]:
    query = (request.query_params.get("query") or "").casefold()
    return [
        d for d in docs if query in d["name"].casefold() or query in d["description"].casefold()
    ]


def ordered_components(request: Request, docs: list[Doc]) -> list[Doc]:
    order = request.query_params.get("orderBy") or "name"
    field = order.lstrip("+-")
    require(
        field in ("name", "description", "issueCount", "lead"),
        400,
        f"Invalid orderBy value: '{order}'.",
    )
    sort = field if field in ("name", "description") else "name"
    return sorted(
        docs, key=lambda c: str(c.get(sort) or "").casefold(), reverse=order.startswith("-")
    )


@route("/rest/api/3/component")
async def find_components(request: Request) -> Response:
    db = store(request)
    projects = [find_project(db, p) for p in list_param(request, "projectIdsOrKeys")]
    docs = [c for p in projects for c in components_of(db, p["id"])]
    docs = ordered_components(request, matching(request, docs))
    return ok(page(request, [component_bean(request, db, c) for c in docs]))


@route("/rest/api/3/component", "POST")
async def create_component(request: Request) -> Response:
    data, db = await body_object(request), store(request)
    require(
        bool(data.get("project") or data.get("projectId")),
        400,
        "The project must be specified.",
        "projectId",
    )
    project = find_project(db, str(data.get("project") or data.get("projectId")))
    doc = db.insert(
        COMPONENTS, check_component(db, data, project["id"], None), parent=project["id"]
    )
    return ok(component_bean(request, db, doc), 201)


@route("/rest/api/3/component/{id}")
async def get_component(request: Request) -> Response:
    db = store(request)
    return ok(component_bean(request, db, find_component(db, request.path_params["id"])))


@route("/rest/api/3/component/{id}", "PUT")
async def update_component(request: Request) -> Response:
    data, db = await body_object(request), store(request)
    doc = find_component(db, request.path_params["id"])
    changed = db.put(COMPONENTS, check_component(db, data, doc["projectId"], doc))
    return ok(component_bean(request, db, changed))


@route("/rest/api/3/component/{id}", "DELETE")
async def delete_component(request: Request) -> Response:
    db = store(request)
    doc = find_component(db, request.path_params["id"])
    target = request.query_params.get("moveIssuesTo")
    if target is not None:
        find_component(db, target)
    db.delete(COMPONENTS, doc["id"])
    return no_content()


def component_beans(request: Request, db: Store, project_id: str) -> list[dict[str, Any]]:
    return [component_bean(request, db, c) for c in components_of(db, project_id)]


ROUTES = [
    project_components,
    project_components_paged,
    find_components,
    create_component,
    get_component,
    update_component,
    delete_component,
]


def seed_empty(db: Store) -> None:
    """A new site has none."""
