"""Projects (search, get, create with schemes, update, delete) and project categories.

Collections: ``project`` ``{id, key, name, description, leadAccountId, projectTypeKey,
assigneeType, categoryId, url, status: live|deleted, previousKeys, deletedDate?}``;
``project_category`` ``{id, name, description}``; ``component`` (parent: project id) ``{id, name,
description, leadAccountId, assigneeType, projectId}``; ``version`` (parent: project id) ``{id,
name, description, projectId, archived, released, startDate, releaseDate}`` (in sequence order).

A project's old keys keep pointing at it and stay taken until released (``releasedProjectKeys``);
``DELETE /project/{k}`` moves it to the recycle bin (key still taken) unless ``enableUndo=false``.

Exported for other areas: ``get_project(store, id)``, ``project_by_key_or_id(store, key_or_id)``
(live projects only), ``all_projects(store)``.

Expected from other areas (optional until they exist): every ``assign_*`` of the contract and
``roles.init_project_roles`` on create; every ``forget_project`` and
``issues.delete_project_issues`` on delete; ``core.find_user``/``user_bean`` for leads;
``issuetypes.issue_types_of_project``/``type_bean``; ``roles.all_roles(store) -> list[doc]`` (the
project bean's ``roles`` map); and, to refuse unknown scheme ids, ``get_<scheme>(store, id) ->
doc|None`` of each scheme area (see ``SCHEMES``).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from jiracfg.sandbox import tasks
from jiracfg.sandbox.http import (
    ApiError,
    base,
    body_object,
    bool_param,
    checked_name,
    found,
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
from jiracfg.sandbox.routes._common import count_issues
from jiracfg.sandbox.store import Doc, Store

PROJECTS, CATEGORIES = "project", "project_category"
COMPONENTS, VERSIONS = "component", "version"
KEY_PATTERN = re.compile(r"^[A-Z][A-Z0-9]+$")
RESERVED_KEYS = {"AUX", "CON", "NUL", "PRN"} | {
    f"{d}{n}" for d in ("COM", "LPT") for n in range(1, 10)
}
PROJECT_TYPES = {"business": "#FFFFFF", "software": "#FFFFFF", "service_desk": "#FFFFFF"}
ASSIGNEE_TYPES = ("PROJECT_LEAD", "UNASSIGNED")
COMPONENT_ASSIGNEE_TYPES = ("PROJECT_DEFAULT", "COMPONENT_LEAD", "PROJECT_LEAD", "UNASSIGNED")
# body field, area, getter (refuses unknown ids once the area exports it), assigner
SCHEMES = [
    ("workflowScheme", "workflowschemes", "get_workflow_scheme", "assign_workflow_scheme"),
    ("issueTypeScheme", "issuetypes", "get_issue_type_scheme", "assign_issue_type_scheme"),
    ("issueTypeScreenScheme", "screens", "get_issue_type_screen_scheme", "assign_screen_scheme"),
    (
        "fieldConfigurationScheme",
        "fieldconfigs",
        "get_field_configuration_scheme",
        "assign_field_configuration_scheme",
    ),
    ("permissionScheme", "permissions", "get_permission_scheme", "assign_permission_scheme"),
    ("notificationScheme", "permissions", "get_notification_scheme", "assign_notification_scheme"),
    ("issueSecurityScheme", "issuesecurity", "get_security_scheme", "assign_security_scheme"),
]
TEMPLATE_EXCLUSIVE = (
    "workflowScheme",
    "issueTypeScheme",
    "issueTypeScreenScheme",
    "fieldConfigurationScheme",
)
CREATE_FIELDS = {
    "key",
    "name",
    "leadAccountId",
    "lead",
    "projectTypeKey",
    "projectTemplateKey",
    "description",
    "url",
    "assigneeType",
    "avatarId",
    "categoryId",
    "issueSecurityScheme",
    *(s[0] for s in SCHEMES),
}
UPDATE_FIELDS = {
    "key",
    "name",
    "leadAccountId",
    "lead",
    "description",
    "url",
    "assigneeType",
    "avatarId",
    "categoryId",
    "issueSecurityScheme",
    "permissionScheme",
    "notificationScheme",
    "releasedProjectKeys",
}


# -- exported API ------------------------------------------------------------------------------
def get_project(db: Store, project_id: Any) -> Doc | None:
    doc = db.get(PROJECTS, str(project_id))
    return doc if doc is not None and doc["status"] == "live" else None


def project_by_key_or_id(db: Store, key_or_id: Any) -> Doc | None:
    raw = str(key_or_id)
    if raw.isdigit():
        return get_project(db, raw)
    current = db.where(PROJECTS, key=raw, status="live")  # in SQLite: every issue request asks
    if current:
        return current[0]
    return db.first(
        PROJECTS, lambda p: p["status"] == "live" and (p["key"] == raw or raw in p["previousKeys"])
    )


def all_projects(db: Store) -> list[Doc]:
    return db.find(PROJECTS, lambda p: p["status"] == "live")


# -- cross-area helpers ------------------------------------------------------------------------
def call_peer(module: str, name: str, *args: Any) -> Any:
    fn = peer(module, name)
    return None if fn is None else fn(*args)


def find_user(db: Store, account_id: Any) -> Doc | None:
    fn = peer("core", "find_user")
    user: Doc | None = fn(db, str(account_id)) if fn else None
    return user


def user_ref(request: Request, db: Store, account_id: str | None) -> dict[str, Any] | None:
    user = find_user(db, account_id) if account_id else None
    fn = peer("core", "user_bean")
    return None if user is None or fn is None else dict(fn(request, user))


def find_project(db: Store, raw: str) -> Doc:
    return found(project_by_key_or_id(db, raw), f"No project could be found with key '{raw}'.")


def refuse_unknown_fields(data: dict[str, Any], allowed: set[str]) -> None:
    for name in data:
        require(
            name in allowed,
            400,
            f'Unrecognized field "{name}" (class '
            "com.atlassian.jira.rest.v2.issue.project.ProjectInputBean), not marked as "
            "ignorable",
        )


# -- project validation ------------------------------------------------------------------------
def key_owner(db: Store, key: str, own_id: str | None) -> Doc | None:
    """The project (live or in the recycle bin) that holds ``key`` as its key or an old key."""
    return db.first(
        PROJECTS, lambda p: p["id"] != own_id and (p["key"] == key or key in p["previousKeys"])
    )


def key_problem(db: Store, key: Any, own_id: str | None = None) -> str | None:
    if not isinstance(key, str) or not key:
        return "You must specify a unique project key, at least 2 characters long."
    if len(key) > 10:
        return "The project key must not exceed 10 characters in length."
    if not KEY_PATTERN.match(key):
        return (
            "Project keys must start with an uppercase letter, followed by one or more "
            "uppercase alphanumeric characters."
        )
    if key in RESERVED_KEYS:
        return "This keyword is invalid as it is a reserved word on this operating system."
    owner = key_owner(db, key, own_id)
    return None if owner is None else f"Project '{owner['name']}' uses this project key."


def name_problem(db: Store, name: Any, own_id: str | None = None) -> str | None:
    if not isinstance(name, str) or not name.strip():
        return "You must specify a valid project name."
    if len(name.strip()) < 2:
        return "The project name should be at least 2 characters in length."
    if len(name) > 80:
        return "The project name must not exceed 80 characters in length."
    taken = name_taken(db, PROJECTS, name, own_id)
    return "A project with that name already exists." if taken else None


def lead_problem(db: Store, data: dict[str, Any], required: bool) -> str | None:
    if "lead" in data:
        return "The lead parameter is no longer supported; specify leadAccountId."
    account = data.get("leadAccountId")
    if account in (None, ""):
        return "You must specify a valid project lead." if required else None
    if find_user(db, account) is None:
        return "The user you have specified as project lead does not exist."
    return None


def check_project(db: Store, data: dict[str, Any], own: Doc | None) -> None:
    """Every problem of a create (``own`` None) or update body, reported together (400)."""
    own_id = None if own is None else own["id"]
    checks = {"projectLead": lead_problem(db, data, own is None)}
    if own is None or "key" in data:
        checks["projectKey"] = key_problem(db, data.get("key"), own_id)
    if own is None or "name" in data:
        checks["projectName"] = name_problem(db, data.get("name"), own_id)
    if "assigneeType" in data and data["assigneeType"] not in ASSIGNEE_TYPES:
        checks["assigneeType"] = "The default assignee type is invalid."
    errors = {k: v for k, v in checks.items() if v}
    if errors:
        raise ApiError(400, errors=errors)


def check_type(data: dict[str, Any]) -> str:
    type_key = data.get("projectTypeKey")
    require(
        type_key is not None or data.get("projectTemplateKey") is not None,
        400,
        "A project type key must be specified.",
        "projectTypeKey",
    )
    require(
        type_key in PROJECT_TYPES or type_key is None,
        400,
        "The project type key is invalid.",
        "projectTypeKey",
    )
    used = [f for f in TEMPLATE_EXCLUSIVE if data.get(f) is not None]
    require(
        not used or data.get("projectTemplateKey") is None,
        400,
        "You can't specify a project template key together with workflowScheme, "
        "issueTypeScheme, issueTypeScreenScheme or fieldConfigurationScheme.",
    )
    return str(type_key or template_type(str(data["projectTemplateKey"])))


def template_type(template: str) -> str:
    if template.startswith("com.pyxis.greenhopper"):
        return "software"
    return "service_desk" if template.startswith("com.atlassian.servicedesk") else "business"


def check_category(db: Store, raw: Any) -> str | None:
    if raw is None or str(raw) == "-1":
        return None
    if db.get(CATEGORIES, str(raw)) is None:
        raise ApiError(404, f"No project category with ID {raw} exists.")
    return str(raw)


def scheme_ids(db: Store, data: dict[str, Any], fields: tuple[str, ...]) -> dict[str, str]:
    """The scheme ids the body sets (``fields`` only); 404 for one its area does not know."""
    chosen: dict[str, str] = {}
    for field, module, getter, _ in SCHEMES:
        if field not in fields or data.get(field) is None:
            continue
        found = peer(module, getter)
        if found is not None and found(db, str(data[field])) is None:
            raise ApiError(404, f"The {field} with ID {data[field]} does not exist.")
        chosen[field] = str(data[field])
    return chosen


def assign_schemes(db: Store, project_id: str, chosen: dict[str, str], every: bool) -> None:
    """Assign the chosen schemes (``every``: the others become the defaults, on create)."""
    for field, module, _, assigner in SCHEMES:
        if every or field in chosen:
            call_peer(module, assigner, db, project_id, chosen.get(field))


# -- project beans -----------------------------------------------------------------------------
def expands(request: Request) -> set[str]:
    raw = request.query_params.get("expand") or ""
    return {e.strip() for e in raw.split(",") if e.strip()}


def avatar_urls(request: Request, project_id: str) -> dict[str, str]:
    sizes = {"16x16": "xsmall", "24x24": "small", "32x32": "medium", "48x48": "large"}
    url = f"{base(request)}/secure/projectavatar"
    return {k: f"{url}?size={v}&pid={project_id}" for k, v in sizes.items()}


def category_bean(request: Request, doc: Doc) -> dict[str, Any]:
    bean = {
        "self": f"{base(request)}/rest/api/3/projectCategory/{doc['id']}",
        "id": doc["id"],
        "name": doc["name"],
        "description": doc["description"],
    }
    return {k: v for k, v in bean.items() if v != ""}


def project_bean(request: Request, db: Store, doc: Doc, extra: set[str]) -> dict[str, Any]:
    """A Project as search lists it, plus the ``extra`` parts (expand names, or ``details``)."""
    bean: dict[str, Any] = {
        "expand": "description,lead,issueTypes,url,projectKeys,permissions,insight",
        "self": f"{base(request)}/rest/api/3/project/{doc['id']}",
        "id": doc["id"],
        "key": doc["key"],
        "name": doc["name"],
        "avatarUrls": avatar_urls(request, doc["id"]),
        "projectTypeKey": doc["projectTypeKey"],
        "simplified": False,
        "style": "classic",
        "isPrivate": False,
        "properties": {},
    }
    category = db.get(CATEGORIES, doc["categoryId"]) if doc.get("categoryId") else None
    if category is not None:
        bean["projectCategory"] = category_bean(request, category)
    for part in extra:
        if part in PARTS:
            bean.update(PARTS[part](request, db, doc))
    if doc["status"] == "deleted":
        bean.update(
            deleted=True,
            deletedDate=doc["deletedDate"],
            deletedBy=user_ref(request, db, doc["deletedBy"]),
        )
    return {k: v for k, v in bean.items() if v is not None}


def issue_types_part(request: Request, db: Store, doc: Doc) -> dict[str, Any]:
    types = call_peer("issuetypes", "issue_types_of_project", db, doc["id"]) or []
    beans = [call_peer("issuetypes", "type_bean", request, t) for t in types]
    return {"issueTypes": [b for b in beans if b is not None]}


def details_part(request: Request, db: Store, doc: Doc) -> dict[str, Any]:
    """What ``GET /project/{k}`` always includes beyond the search bean."""
    roles = call_peer("roles", "all_roles", db) or []
    url = f"{base(request)}/rest/api/3/project/{doc['id']}/role"
    return {
        **issue_types_part(request, db, doc),
        "description": doc["description"],
        "lead": user_ref(request, db, doc["leadAccountId"]),
        "assigneeType": doc["assigneeType"],
        "url": doc.get("url") or None,
        "components": call_peer("components", "component_beans", request, db, doc["id"]) or [],
        "versions": call_peer("versions", "version_beans", request, db, doc["id"]) or [],
        "roles": {r["name"]: f"{url}/{r['id']}" for r in roles},
    }


Part = Callable[[Request, Store, Doc], dict[str, Any]]
PARTS: dict[str, Part] = {
    "description": lambda request, db, doc: {"description": doc["description"]},
    "lead": lambda request, db, doc: {"lead": user_ref(request, db, doc["leadAccountId"])},
    "url": lambda request, db, doc: {"url": doc.get("url") or None},
    "issueTypes": issue_types_part,
    "insight": lambda request, db, doc: {
        "insight": {"totalIssueCount": count_issues(db, project_id=doc["id"])}
    },
    "details": details_part,
}


# -- projects ----------------------------------------------------------------------------------
SORTS: dict[str, Callable[[Store, Doc], Any]] = {
    "key": lambda db, p: p["key"],
    "name": lambda db, p: p["name"].casefold(),
    "category": lambda db, p: category_name(db, p),
    "owner": lambda db, p: p["leadAccountId"],
    "issueCount": lambda db, p: count_issues(db, project_id=p["id"]),
}
ORDERS = {"lastIssueUpdatedDate", "archivedDate", "deletedDate", *SORTS}


def category_name(db: Store, doc: Doc) -> str:
    category = db.get(CATEGORIES, doc["categoryId"]) if doc.get("categoryId") else None
    return "" if category is None else str(category["name"]).casefold()


def sorted_projects(request: Request, db: Store, docs: list[Doc]) -> list[Doc]:
    order = request.query_params.get("orderBy") or "key"
    field = order.lstrip("+-")
    require(field in ORDERS, 400, f"Invalid orderBy value: '{order}'.")
    sort = SORTS.get(field, SORTS["key"])
    return sorted(docs, key=lambda p: sort(db, p), reverse=order.startswith("-"))


def search_filter(request: Request) -> Any:
    ids, keys = list_param(request, "id"), list_param(request, "keys")
    query = (request.query_params.get("query") or "").casefold()
    types = list_param(request, "typeKey")
    category = request.query_params.get("categoryId")
    statuses = list_param(request, "status") or ["live"]

    def wanted(p: Doc) -> bool:
        return (
            p["status"] in statuses
            and (not ids or p["id"] in ids)
            and (not keys or p["key"] in keys)
            and (not types or p["projectTypeKey"] in types)
            and (category is None or p.get("categoryId") == category)
            and (query in p["key"].casefold() or query in p["name"].casefold())
        )

    return wanted


@route("/rest/api/3/project/search")
async def search_projects(request: Request) -> Response:
    db = store(request)
    docs = sorted_projects(request, db, db.find(PROJECTS, search_filter(request)))
    beans = [project_bean(request, db, d, expands(request)) for d in docs]
    return ok(page(request, beans, cap=100))


@route("/rest/api/3/project/type")
async def project_types(request: Request) -> Response:
    return ok(
        [
            {
                "key": k,
                "formattedKey": k.replace("_", " ").title(),
                "descriptionI18nKey": f"jira.project.type.{k}.description",
                "icon": "",
                "color": color,
            }
            for k, color in PROJECT_TYPES.items()
        ]
    )


@route("/rest/api/3/project")
async def list_projects(request: Request) -> Response:
    db = store(request)
    docs = sorted(all_projects(db), key=lambda p: p["key"])
    return ok([project_bean(request, db, d, expands(request)) for d in docs])


@route("/rest/api/3/project", "POST")
async def create_project(request: Request) -> Response:
    data, db = await body_object(request), store(request)
    refuse_unknown_fields(data, CREATE_FIELDS)
    check_project(db, data, None)
    type_key = check_type(data)
    category = check_category(db, data.get("categoryId"))
    chosen = scheme_ids(db, data, tuple(s[0] for s in SCHEMES))
    with db.tx():
        doc = db.insert(PROJECTS, new_project(data, type_key, category))
        assign_schemes(db, doc["id"], chosen, every=True)
        call_peer("roles", "init_project_roles", db, doc["id"], doc["leadAccountId"])
    return ok(
        {
            "self": f"{base(request)}/rest/api/3/project/{doc['id']}",
            "id": int(doc["id"]),
            "key": doc["key"],
        },
        201,
    )


def new_project(data: dict[str, Any], type_key: str, category: str | None) -> Doc:
    return {
        "key": data["key"],
        "name": data["name"].strip(),
        "description": str(data.get("description") or ""),
        "leadAccountId": data["leadAccountId"],
        "projectTypeKey": type_key,
        "assigneeType": data.get("assigneeType") or "UNASSIGNED",
        "categoryId": category,
        "url": str(data.get("url") or ""),
        "status": "live",
        "previousKeys": [],
    }


@route("/rest/api/3/project/{projectIdOrKey}")
async def get_one_project(request: Request) -> Response:
    db = store(request)
    doc = find_project(db, request.path_params["projectIdOrKey"])
    return ok(project_bean(request, db, doc, {"details", *expands(request)}))


@route("/rest/api/3/project/{projectIdOrKey}", "PUT")
async def update_project(request: Request) -> Response:
    data, db = await body_object(request), store(request)
    doc = find_project(db, request.path_params["projectIdOrKey"])
    refuse_unknown_fields(data, UPDATE_FIELDS)
    check_project(db, data, doc)
    chosen = scheme_ids(db, data, ("permissionScheme", "notificationScheme", "issueSecurityScheme"))
    released = released_keys(doc, data.get("releasedProjectKeys"))
    with db.tx():
        changed = apply_update(db, doc, data)
        changed["previousKeys"] = [k for k in changed["previousKeys"] if k not in released]
        db.put(PROJECTS, changed)
        assign_schemes(db, doc["id"], chosen, every=False)
    return ok(project_bean(request, db, changed, {"details", *expands(request)}))


def released_keys(doc: Doc, raw: Any) -> list[str]:
    keys = [str(k) for k in raw or []]
    stray = [k for k in keys if k not in doc["previousKeys"]]
    require(
        not stray,
        400,
        f"Released keys must belong to the project and not be its current key: {', '.join(stray)}",
        "releasedProjectKeys",
    )
    return keys


def apply_update(db: Store, doc: Doc, data: dict[str, Any]) -> Doc:
    out = dict(doc)
    if "key" in data and data["key"] != doc["key"]:
        out["key"], out["previousKeys"] = data["key"], [*doc["previousKeys"], doc["key"]]
    if "categoryId" in data:
        out["categoryId"] = check_category(db, data["categoryId"])
    for field in ("name", "description", "url", "assigneeType", "leadAccountId"):
        if data.get(field) is not None:
            out[field] = str(data[field]).strip() if field == "name" else data[field]
    return out


@route("/rest/api/3/project/{projectIdOrKey}", "DELETE")
async def delete_project(request: Request) -> Response:
    db = store(request)
    doc = find_project(db, request.path_params["projectIdOrKey"])
    if bool_param(request, "enableUndo", True):
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S.000+0000", time.gmtime())
        db.put(
            PROJECTS,
            {
                **doc,
                "status": "deleted",
                "deletedDate": stamp,
                "deletedBy": request.state.account_id,
            },
        )
    else:
        with db.tx():
            purge_project(db, doc)
    return no_content()


@route("/rest/api/3/project/{projectIdOrKey}/delete", "POST")
async def delete_project_async(request: Request) -> Response:
    db = store(request)
    doc = find_project(db, request.path_params["projectIdOrKey"])
    return tasks.submit(request, f"Deleting project {doc['key']}", lambda: purge_project(db, doc))


def purge_project(db: Store, doc: Doc) -> None:
    """Delete a project for good, with its issues, components, versions and associations."""
    call_peer("issues", "delete_project_issues", db, doc["id"])
    for module in (
        "workflowschemes",
        "issuetypes",
        "screens",
        "fields",
        "fieldconfigs",
        "permissions",
        "issuesecurity",
        "priorityschemes",
        "roles",
    ):
        call_peer(module, "forget_project", db, doc["id"])
    db.delete_children(COMPONENTS, doc["id"])
    db.delete_children(VERSIONS, doc["id"])
    db.delete(PROJECTS, doc["id"])


# -- project categories ------------------------------------------------------------------------
def find_category(db: Store, raw: str) -> Doc:
    return found(
        db.get(CATEGORIES, raw) if raw.isdigit() else None,
        f"No project category with ID {raw} exists.",
    )


def check_category_body(db: Store, data: dict[str, Any], own_id: str | None) -> dict[str, str]:
    out: dict[str, str] = {}
    if own_id is None or "name" in data:
        name = str(data.get("name") or "")
        out["name"] = checked_name(
            name,
            "The project category name must be specified.",
            "The project category name must not exceed 255 characters.",
        )
        require(
            not name_taken(db, CATEGORIES, name, own_id),
            409,
            f"The project category '{name}' already exists.",
            "name",
        )
    if own_id is None or "description" in data:
        out["description"] = str(data.get("description") or "")
        require(
            len(out["description"]) <= 1000,
            400,
            "The project category description must not exceed 1000 characters.",
            "description",
        )
    return out


@route("/rest/api/3/projectCategory")
async def list_categories(request: Request) -> Response:
    return ok([category_bean(request, c) for c in store(request).all(CATEGORIES)])


@route("/rest/api/3/projectCategory", "POST")
async def create_category(request: Request) -> Response:
    data, db = await body_object(request), store(request)
    doc = db.insert(CATEGORIES, check_category_body(db, data, None))
    return ok(category_bean(request, doc), 201)


@route("/rest/api/3/projectCategory/{id}")
async def get_category(request: Request) -> Response:
    return ok(category_bean(request, find_category(store(request), request.path_params["id"])))


@route("/rest/api/3/projectCategory/{id}", "PUT")
async def update_category(request: Request) -> Response:
    data, db = await body_object(request), store(request)
    doc = find_category(db, request.path_params["id"])
    doc.update(check_category_body(db, data, doc["id"]))
    return ok(category_bean(request, db.put(CATEGORIES, doc)))


@route("/rest/api/3/projectCategory/{id}", "DELETE")
async def delete_category(request: Request) -> Response:
    db = store(request)
    doc = find_category(db, request.path_params["id"])
    with db.tx():
        for project in db.find(PROJECTS, lambda p: p.get("categoryId") == doc["id"]):
            db.put(PROJECTS, {**project, "categoryId": None})
        db.delete(CATEGORIES, doc["id"])
    return no_content()


ROUTES = [
    search_projects,
    project_types,
    list_projects,
    create_project,
    get_one_project,
    update_project,
    delete_project,
    delete_project_async,
    list_categories,
    create_category,
    get_category,
    update_category,
    delete_category,
]


def seed_empty(db: Store) -> None:
    """A new site has no projects, categories, components or versions."""
