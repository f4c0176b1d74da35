"""Priority schemes: which priorities a project offers, and its default priority.

Collections: ``priority_scheme`` ``{id, name, description, defaultPriorityId, priorityIds,
excluded}`` and ``priority_scheme_project`` ``{id: projectId, schemeId}``. A new site has the
"Default Priority Scheme" (id 1): every project without a scheme uses it; it holds every priority
but those taken out of it (``excluded``: a new priority joins it), and its default priority is the
site's default priority. Priorities are listed in the site's one priority order.

Jira's rules kept here: names unique ignoring case (409 on create, 400 on update, best-effort
wording); the default priority must be one of the scheme's; the default scheme can't be deleted,
nor a scheme with projects (400); issues whose priority a change would take away from their
project need a mapping (``in`` for priorities removed and projects added, ``out`` for projects
going back to the default scheme), with Jira's messages; writes with projects or mappings answer
202 with a task.

Exported for other areas: ``priority_in_schemes(store, priority_id) -> bool`` (a priority in a
scheme other than the default can't be deleted), ``project_priorities(store, project_id)`` (the
priorities an issue of the project may have, and its default), ``forget_priority``,
``forget_project``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from jiracfg.sandbox import tasks
from jiracfg.sandbox.http import (
    ApiError,
    base,
    body_object,
    checked_name,
    list_param,
    name_taken,
    no_content,
    ok,
    page,
    peer,
    require,
    route,
    store,
)
from jiracfg.sandbox.shapes import ID
from jiracfg.sandbox.store import Doc, Store

SCHEMES, PROJECTS = "priority_scheme", "priority_scheme_project"
CHANGES = {"add": {"ids": [ID]}, "remove": {"ids": [ID]}}
CREATE = {"defaultPriorityId": ID, "priorityIds": [ID], "projectIds": [ID], "mappings": dict}
UPDATE = {"defaultPriorityId": ID, "priorities": CHANGES, "projects": CHANGES, "mappings": dict}
DEFAULT_ID = "1"
DEFAULT_NAME = "Default Priority Scheme"


# -- exported API ------------------------------------------------------------------------------
def priority_in_schemes(db: Store, priority_id: Any) -> bool:
    return any(
        str(priority_id) in s["priorityIds"] for s in db.all(SCHEMES) if s["id"] != DEFAULT_ID
    )


def project_priorities(db: Store, project_id: Any) -> tuple[list[str], str | None]:
    """The priorities a project's issues may have (its scheme's, in the site's order) and the
    one a new issue gets when the create does not name one."""
    scheme = db.get(SCHEMES, scheme_of_project(db, str(project_id)))
    if scheme is None:
        return all_priority_ids(db), None
    return priority_ids(db, scheme), default_of(db, scheme)


def forget_priority(db: Store, priority_id: Any) -> None:
    default = db.get(SCHEMES, DEFAULT_ID)
    if default is not None and str(priority_id) in default["excluded"]:
        db.put(
            SCHEMES,
            {**default, "excluded": [p for p in default["excluded"] if p != str(priority_id)]},
        )


def forget_project(db: Store, project_id: Any) -> None:
    db.delete(PROJECTS, str(project_id))


# -- reading -----------------------------------------------------------------------------------
def all_priority_ids(db: Store) -> list[str]:
    priorities = peer("basics", "all_priorities")
    return [str(p["id"]) for p in (priorities(db) if priorities else [])]


def priority_ids(db: Store, scheme: Doc) -> list[str]:
    """The scheme's priorities, in the site's priority order."""
    ids = all_priority_ids(db)
    if scheme["id"] == DEFAULT_ID:
        return [i for i in ids if i not in scheme["excluded"]]
    return [i for i in ids if i in scheme["priorityIds"]]


def default_of(db: Store, scheme: Doc) -> str | None:
    if scheme["id"] != DEFAULT_ID:
        return str(scheme["defaultPriorityId"])
    found = peer("basics", "default_priority_id")
    return str(found(db)) if found and found(db) else None


def scheme_of_project(db: Store, project_id: str) -> str:
    found = db.get(PROJECTS, project_id)
    return str(found["schemeId"]) if found else DEFAULT_ID


def projects_in(db: Store, scheme_id: str) -> list[str]:
    every = peer("projects", "all_projects")
    ids = [str(p["id"]) for p in (every(db) if every else [])]
    return [p for p in ids if scheme_of_project(db, p) == scheme_id]


def find_scheme(db: Store, raw: Any) -> Doc:
    doc = db.get(SCHEMES, str(raw))
    if doc is None:
        raise ApiError(404, f"The priority scheme with ID {raw} does not exist.")
    return doc


# -- beans -------------------------------------------------------------------------------------
def scheme_bean(request: Request, db: Store, doc: Doc, expand: set[str]) -> dict[str, Any]:
    bean: dict[str, Any] = {
        "id": doc["id"],
        "name": doc["name"],
        "description": doc["description"],
        "isDefault": doc["id"] == DEFAULT_ID,
        "default": doc["id"] == DEFAULT_ID,
        "self": f"{base(request)}/rest/api/3/priorityscheme/{doc['id']}",
    }
    default = default_of(db, doc)
    if default:
        bean["defaultPriorityId"] = default
    if "priorities" in expand:
        bean["priorities"] = page(request, priority_beans(request, db, doc))
    if "projects" in expand:
        bean["projects"] = page(request, project_beans(request, db, doc["id"]))
    return bean


def priority_beans(request: Request, db: Store, scheme: Doc) -> list[dict[str, Any]]:
    get, bean = peer("basics", "get_priority"), peer("basics", "priority_bean")
    if get is None or bean is None:
        return []
    default = default_of(db, scheme)
    return [
        {**bean(request, get(db, i)), "isDefault": i == default, "sequence": str(n)}
        for n, i in enumerate(priority_ids(db, scheme), 1)
    ]


def project_beans(request: Request, db: Store, scheme_id: str) -> list[dict[str, Any]]:
    get = peer("projects", "get_project")
    docs = [get(db, p) for p in projects_in(db, scheme_id)] if get else []
    return [
        {
            "self": f"{base(request)}/rest/api/3/project/{d['id']}",
            "id": str(d["id"]),
            "key": d["key"],
            "name": d["name"],
            "projectTypeKey": d["projectTypeKey"],
        }
        for d in docs
        if d is not None
    ]


# -- checks ------------------------------------------------------------------------------------
def checked_priorities(db: Store, raw: Any) -> list[str]:
    require(isinstance(raw, list) and bool(raw), 400, "The priority IDs must not be empty.")
    known = set(all_priority_ids(db))
    ids = [str(i) for i in raw]
    unknown = [i for i in ids if i not in known]
    require(not unknown, 400, f"The priorities with IDs {unknown} do not exist.")
    return ids


def checked_default(raw: Any, ids: list[str]) -> str:
    require(
        raw is not None and str(raw) in ids,
        400,
        "The default priority must be one of the priorities of the scheme.",
    )
    return str(raw)


def used(db: Store, project_ids: Iterable[str], priority_ids: Iterable[str]) -> list[str]:
    """The priorities of ``priority_ids`` that issues of the projects hold."""
    count = peer("issues", "count_issues")
    if count is None:
        return []
    wanted = list(project_ids)
    return [i for i in priority_ids if any(count(db, project_id=p, priority_id=i) for p in wanted)]


def needed_mapping(needed: list[str], given: dict[str, Any], side: str) -> None:
    missing = [i for i in needed if i not in given]
    require(
        not missing,
        400,
        f"The priorities with IDs [{', '.join(missing)}] require mapping. Please provide mappings "
        f"in the '{side}' mappings object, where these priorities are the keys with "
        "corresponding values.",
    )


def remap(db: Store, project_ids: list[str], mapping: dict[str, str]) -> None:
    update = peer("issues", "update_where")
    if update is None or not mapping:
        return

    def change(doc: Doc) -> bool:
        new = mapping.get(str(doc.get("priorityId")))
        if new is not None:
            doc["priorityId"] = str(new)
        return new is not None

    for project in project_ids:
        update(db, project, change)


def mappings(data: dict[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    raw = data.get("mappings") or {}
    require(isinstance(raw, dict), 400, "The mappings must be an object.", "mappings")
    return (
        {str(k): str(v) for k, v in (raw.get("in") or {}).items()},
        {str(k): str(v) for k, v in (raw.get("out") or {}).items()},
    )


def text_of(db: Store, data: dict[str, Any], own: str | None) -> dict[str, str]:
    out: dict[str, str] = {}
    if own is None or "name" in data:
        out["name"] = checked_name(
            data.get("name"),
            "The name of the priority scheme must not be empty.",
            "The name of the priority scheme must not exceed 255 characters.",
        )
        if name_taken(db, SCHEMES, out["name"], own):
            raise ApiError(
                409 if own is None else 400,
                f"A priority scheme with name '{out['name']}' already exists.",
            )
    if own is None or "description" in data:
        out["description"] = str(data.get("description") or "")
        require(
            len(out["description"]) <= 4000, 400, "The description must not exceed 4000 characters."
        )
    return out


# -- routes ------------------------------------------------------------------------------------
@route("/rest/api/3/priorityscheme")
async def list_schemes(request: Request) -> Response:
    db = store(request)
    ids, names = list_param(request, "schemeId"), request.query_params.get("schemeName")
    only_default = request.query_params.get("onlyDefault") == "true"
    expand = set((request.query_params.get("expand") or "").split(","))
    docs = [
        d
        for d in db.all(SCHEMES)
        if (not ids or d["id"] in ids)
        and (not names or names.casefold() in d["name"].casefold())
        and (not only_default or d["id"] == DEFAULT_ID)
    ]
    return ok(page(request, [scheme_bean(request, db, d, expand) for d in docs]))


@route("/rest/api/3/priorityscheme", "POST")
async def create_scheme(request: Request) -> Response:
    data, db = await body_object(request, CREATE), store(request)
    text = text_of(db, data, None)
    ids = checked_priorities(db, data.get("priorityIds"))
    default = checked_default(data.get("defaultPriorityId"), ids)
    projects = [str(p) for p in data.get("projectIds") or []]
    inward, _ = mappings(data)
    taken = [i for i in all_priority_ids(db) if i not in ids]
    needed_mapping(used(db, projects, taken), inward, "in")
    new: Doc = {**text, "defaultPriorityId": default, "priorityIds": ids, "excluded": []}
    with db.tx():
        doc = db.insert(SCHEMES, new)
        move_projects(db, projects, str(doc["id"]), inward)
    if not projects:
        return ok({"id": doc["id"]}, 201)
    task = tasks.completed(db, "Creating a priority scheme")
    return ok({"id": doc["id"], "task": task_bean(request, task)}, 202)


def move_projects(db: Store, projects: list[str], scheme_id: str, mapping: dict[str, str]) -> None:
    get_project = peer("projects", "get_project")
    for project in projects:
        require(
            get_project is None or get_project(db, project) is not None,
            400,
            f"The project with ID {project} does not exist.",
        )
        db.delete(PROJECTS, project)
        if scheme_id != DEFAULT_ID:
            db.insert(PROJECTS, {"id": project, "schemeId": scheme_id})
    remap(db, projects, mapping)


def task_bean(request: Request, task_id: str) -> dict[str, Any]:
    task = store(request).get("task", task_id) or {}
    return {
        "self": f"{base(request)}/rest/api/3/task/{task_id}",
        "id": task_id,
        "description": task.get("description", ""),
        "status": "COMPLETE",
        "progress": 100,
        "submitted": task.get("submitted", 0),
        "submittedBy": 0,
        "elapsedRuntime": 0,
        "lastUpdate": task.get("finished", 0),
    }


@route("/rest/api/3/priorityscheme/{schemeId}", "PUT")
async def update_scheme(request: Request) -> Response:
    data, db = await body_object(request, UPDATE), store(request)
    scheme = find_scheme(db, request.path_params["schemeId"])
    changed = {**scheme, **text_of(db, data, scheme["id"])}
    ids = changes_of_priorities(db, scheme, data.get("priorities") or {})
    add, remove = projects_change(data.get("projects") or {})
    inward, outward = mappings(data)
    staying = [p for p in projects_in(db, scheme["id"]) if p not in remove]
    removed = [i for i in priority_ids(db, scheme) if i not in ids]
    needed = used(db, staying, removed) + [
        i for p in add for i in used(db, [p], all_priority_ids(db)) if i not in ids
    ]
    needed_mapping(sorted(set(needed)), inward, "in")
    default_ids = priority_ids(db, find_scheme(db, DEFAULT_ID))
    needed_mapping([i for i in used(db, remove, ids) if i not in default_ids], outward, "out")
    default = data.get("defaultPriorityId", default_of(db, scheme))
    default = checked_default(default, ids)
    with db.tx():
        db.put(SCHEMES, stored(db, changed, ids, default))
        remap(db, staying, inward)
        move_projects(db, add, scheme["id"], inward)
        move_projects(db, remove, DEFAULT_ID, outward)
    task = tasks.completed(db, "Updating a priority scheme")
    bean = scheme_bean(request, db, find_scheme(db, scheme["id"]), set())
    return ok({"priorityScheme": bean, "task": task_bean(request, task)}, 202)


def stored(db: Store, scheme: Doc, ids: list[str], default: str) -> Doc:
    if scheme["id"] != DEFAULT_ID:
        return {**scheme, "priorityIds": ids, "defaultPriorityId": default}
    set_default = peer("basics", "set_default")
    if set_default is not None:
        set_default(db, "priority", default)
    excluded = [i for i in all_priority_ids(db) if i not in ids]
    # the site's default priority is read from basics; kept here too so that changing it is a
    # change of this scheme (its audit record)
    return {**scheme, "excluded": excluded, "defaultPriorityId": default}


def changes_of_priorities(db: Store, scheme: Doc, raw: Any) -> list[str]:
    require(isinstance(raw, dict), 400, "The priorities must be an object.", "priorities")
    add = [str(i) for i in (raw.get("add") or {}).get("ids") or []]
    remove = [str(i) for i in (raw.get("remove") or {}).get("ids") or []]
    if add:
        checked_priorities(db, add)
    ids = [i for i in priority_ids(db, scheme) if i not in remove] + add
    require(bool(ids), 400, "A priority scheme must have at least one priority.")
    return [i for i in all_priority_ids(db) if i in ids]


def projects_change(raw: Any) -> tuple[list[str], list[str]]:
    require(isinstance(raw, dict), 400, "The projects must be an object.", "projects")
    add = [str(i) for i in (raw.get("add") or {}).get("ids") or []]
    remove = [str(i) for i in (raw.get("remove") or {}).get("ids") or []]
    return add, remove


@route("/rest/api/3/priorityscheme/{schemeId}", "DELETE")
async def delete_scheme(request: Request) -> Response:
    db = store(request)
    scheme = find_scheme(db, request.path_params["schemeId"])
    require(scheme["id"] != DEFAULT_ID, 400, "The default priority scheme can't be deleted.")
    require(
        not projects_in(db, scheme["id"]),
        400,
        "The priority scheme can't be deleted while projects are associated with it.",
    )
    db.delete(SCHEMES, scheme["id"])
    return no_content()


@route("/rest/api/3/priorityscheme/{schemeId}/priorities")
async def scheme_priorities(request: Request) -> Response:
    db = store(request)
    scheme = find_scheme(db, request.path_params["schemeId"])
    return ok(page(request, priority_beans(request, db, scheme)))


@route("/rest/api/3/priorityscheme/{schemeId}/projects")
async def scheme_projects(request: Request) -> Response:
    db = store(request)
    scheme = find_scheme(db, request.path_params["schemeId"])
    wanted = list_param(request, "projectId")
    beans = [b for b in project_beans(request, db, scheme["id"]) if not wanted or b["id"] in wanted]
    return ok(page(request, beans))


ROUTES = [
    list_schemes,
    create_scheme,
    update_scheme,
    delete_scheme,
    scheme_priorities,
    scheme_projects,
]


def seed_empty(db: Store) -> None:
    db.insert(
        SCHEMES,
        {
            "id": DEFAULT_ID,
            "name": DEFAULT_NAME,
            "description": "This is the default scheme used by all new and unassigned projects",
            "defaultPriorityId": None,
            "priorityIds": [],
            "excluded": [],
        },
    )
