"""Project versions: list (plain and paged), create, get, update, delete, remove and swap, move.

Collection ``version`` (parent: project id) ``{id, name, description, projectId, archived, released,
startDate, releaseDate}`` in sequence order, owned by ``projects`` (a project's delete drops them).
Exported for ``projects``: ``version_beans(request, store, project_id)`` (a project's details).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from jiracfg.sandbox.http import (
    ApiError,
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
from jiracfg.sandbox.routes.components import matching
from jiracfg.sandbox.routes.projects import VERSIONS, find_project, get_project
from jiracfg.sandbox.store import Doc, Store


def user_date(raw: str) -> str:
    day = date.fromisoformat(raw)
    return f"{day.day}/{day.strftime('%b')}/{day.strftime('%y')}"


def version_bean(request: Request, doc: Doc) -> dict[str, Any]:
    release = doc.get("releaseDate")
    bean: dict[str, Any] = {
        "self": f"{base(request)}/rest/api/3/version/{doc['id']}",
        "id": doc["id"],
        "name": doc["name"],
        "archived": doc["archived"],
        "released": doc["released"],
        "projectId": int(doc["projectId"]),
    }
    if doc["description"]:
        bean["description"] = doc["description"]
    if doc.get("startDate"):
        bean.update(startDate=doc["startDate"], userStartDate=user_date(doc["startDate"]))
    if release:
        bean.update(
            releaseDate=release,
            userReleaseDate=user_date(release),
            overdue=not doc["released"] and release < date.today().isoformat(),
        )
    return bean


def find_version(db: Store, raw: str) -> Doc:
    parent = db.parent_of(VERSIONS, raw)
    return found(
        db.get(VERSIONS, raw) if parent and get_project(db, parent) else None,
        f"Could not find version for id '{raw}'",
    )


def iso_date(data: dict[str, Any], field: str) -> str | None:
    raw = data.get(field)
    if raw in (None, ""):
        return None
    try:
        return date.fromisoformat(str(raw)).isoformat()
    except ValueError as exc:
        raise ApiError(
            400, errors={field: "Please enter the date in the format yyyy-MM-dd."}
        ) from exc


def check_version(db: Store, data: dict[str, Any], project_id: str, own: Doc | None) -> Doc:
    out = dict(
        own
        or {
            "description": "",
            "projectId": project_id,
            "archived": False,
            "released": False,
            "startDate": None,
            "releaseDate": None,
        }
    )
    if own is None or "name" in data:
        out["name"] = version_name(db, data.get("name"), project_id, own)
    for field in ("startDate", "releaseDate"):
        if field in data:
            out[field] = iso_date(data, field)
    for field in ("archived", "released"):
        if data.get(field) is not None:
            out[field] = bool(data[field])
    if "description" in data:
        out["description"] = str(data["description"] or "")
    start, release = out.get("startDate"), out.get("releaseDate")
    require(
        not (start and release and start > release),
        400,
        "The start date must be before the release date.",
        "startDate",
    )
    return out


def version_name(db: Store, name: Any, project_id: str, own: Doc | None) -> str:
    checked = checked_name(
        name,
        "You must specify a valid version name",
        "The version name must not exceed 255 characters.",
    )
    require(
        not name_taken(db, VERSIONS, checked, (own or {}).get("id"), project_id),
        400,
        "A version with this name already exists in this project.",
        "name",
    )
    return checked


VERSION_SORTS: dict[str, str | None] = {
    "sequence": None,
    "name": "name",
    "description": "description",
    "releaseDate": "releaseDate",
    "startDate": "startDate",
}


def version_states(doc: Doc) -> set[str]:
    return {"archived" if doc["archived"] else "", "released" if doc["released"] else "unreleased"}


def filtered_versions(request: Request, docs: list[Doc]) -> list[Doc]:
    wanted = set(list_param(request, "status"))
    docs = [v for v in matching(request, docs) if not wanted or version_states(v) & wanted]
    order = request.query_params.get("orderBy") or "sequence"
    field = order.lstrip("+-")
    require(field in VERSION_SORTS, 400, f"Invalid orderBy value: '{order}'.")
    sort = VERSION_SORTS[field]
    if sort is not None:  # versions without the field last
        docs = sorted(docs, key=lambda v: (v.get(sort) in (None, ""), str(v.get(sort) or "")))
    return list(reversed(docs)) if order.startswith("-") else docs


@route("/rest/api/3/project/{projectIdOrKey}/versions")
async def project_versions(request: Request) -> Response:
    db = store(request)
    doc = find_project(db, request.path_params["projectIdOrKey"])
    return ok([version_bean(request, v) for v in db.all(VERSIONS, doc["id"])])


@route("/rest/api/3/project/{projectIdOrKey}/version")
async def project_versions_paged(request: Request) -> Response:
    db = store(request)
    doc = find_project(db, request.path_params["projectIdOrKey"])
    docs = filtered_versions(request, db.all(VERSIONS, doc["id"]))
    return ok(page(request, [version_bean(request, v) for v in docs]))


@route("/rest/api/3/version", "POST")
async def create_version(request: Request) -> Response:
    data, db = await body_object(request), store(request)
    raw = data.get("projectId") or data.get("project")
    require(raw is not None, 400, "Project must be specified to create a version.", "projectId")
    project = find_project(db, str(raw))
    doc = db.insert(VERSIONS, check_version(db, data, project["id"], None), parent=project["id"])
    return ok(version_bean(request, doc), 201)


@route("/rest/api/3/version/{id}")
async def get_version(request: Request) -> Response:
    return ok(version_bean(request, find_version(store(request), request.path_params["id"])))


@route("/rest/api/3/version/{id}", "PUT")
async def update_version(request: Request) -> Response:
    data, db = await body_object(request), store(request)
    doc = find_version(db, request.path_params["id"])
    changed = db.put(VERSIONS, check_version(db, data, doc["projectId"], doc))
    return ok(version_bean(request, changed))


def swap_target(db: Store, doc: Doc, raw: Any) -> None:
    if raw is None:
        return
    other = find_version(db, str(raw))
    require(
        other["projectId"] == doc["projectId"] and other["id"] != doc["id"],
        400,
        "The replacement version must be another version of the same project.",
    )


@route("/rest/api/3/version/{id}", "DELETE")
async def delete_version(request: Request) -> Response:
    db = store(request)
    doc = find_version(db, request.path_params["id"])
    for field in ("moveFixIssuesTo", "moveAffectedIssuesTo"):
        swap_target(db, doc, request.query_params.get(field))
    db.delete(VERSIONS, doc["id"])
    return no_content()


@route("/rest/api/3/version/{id}/removeAndSwap", "POST")
async def remove_and_swap(request: Request) -> Response:
    db = store(request)
    doc = find_version(db, request.path_params["id"])
    data = await body_object(request) if await request.body() else {}
    for field in ("moveFixIssuesTo", "moveAffectedIssuesTo"):
        swap_target(db, doc, data.get(field))
    db.delete(VERSIONS, doc["id"])
    return no_content()


@route("/rest/api/3/version/{id}/move", "POST")
async def move_version(request: Request) -> Response:
    data, db = await body_object(request), store(request)
    doc = find_version(db, request.path_params["id"])
    ids = [v["id"] for v in db.all(VERSIONS, doc["projectId"])]
    db.reorder(VERSIONS, moved_versions(db, ids, doc, data))
    return ok(version_bean(request, doc))


def moved_versions(db: Store, ids: list[str], doc: Doc, data: dict[str, Any]) -> list[str]:
    rest = [i for i in ids if i != doc["id"]]
    if data.get("after") is not None:
        after = str(data["after"]).rstrip("/").rsplit("/", 1)[-1]
        require(
            after in rest,
            400,
            "The version to move after must be another version of the same project.",
            "after",
        )
        cut = rest.index(after) + 1
        return [*rest[:cut], doc["id"], *rest[cut:]]
    position = data.get("position")
    require(
        position in ("First", "Last", "Earlier", "Later"),
        400,
        "Either after or position must be provided.",
        "position",
    )
    where = {
        "First": 0,
        "Last": len(rest),
        "Earlier": max(ids.index(doc["id"]) - 1, 0),
        "Later": min(ids.index(doc["id"]) + 1, len(rest)),
    }[str(position)]
    return [*rest[:where], doc["id"], *rest[where:]]


def version_beans(request: Request, db: Store, project_id: str) -> list[dict[str, Any]]:
    return [version_bean(request, v) for v in db.all(VERSIONS, project_id)]


ROUTES = [
    project_versions,
    project_versions_paged,
    create_version,
    get_version,
    update_version,
    delete_version,
    remove_and_swap,
    move_version,
]


def seed_empty(db: Store) -> None:
    """A new site has none."""
