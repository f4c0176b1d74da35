"""Issue types and issue type schemes (with their project associations).

Collections: ``issue_type`` ``{id, name, description, hierarchyLevel, avatarId}``;
``issue_type_scheme`` ``{id, name, description, defaultIssueTypeId, isDefault, issueTypeIds}``
(``issueTypeIds`` in scheme order); ``issue_type_scheme_project`` ``{id: projectId, schemeId}``.
A project without an association uses the default scheme (id 10000), as in Jira.

Exported for other areas (read our collections only through these):
- ``get_issue_type(store, id) -> doc | None``
- ``issue_types_of_project(store, project_id) -> list[doc]`` (its scheme's types, scheme order)
- ``issue_type_scheme_of_project(store, project_id) -> doc``
- ``assign_issue_type_scheme(store, project_id, scheme_id | None)`` (None: the default scheme;
  projects.py should call it when a project is created)
- ``forget_project(store, project_id)`` (drop the associations of a deleted project; this also
  forgets its issue type screen scheme association)

Expected from other areas (optional until they exist): ``issues.count_issues(store, project_id=None,
issue_type_id=None, status_id=None) -> int``, ``issues.retype_issues(store, old_id, new_id)``,
``projects.get_project(store, project_id) -> doc | None``, ``screens.forget_issue_type(store, id)``.
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
    found,
    list_param,
    moved,
    name_taken,
    no_content,
    ok,
    page,
    peer,
    require,
    route,
    store,
)
from jiracfg.sandbox.routes._common import (
    count_issues,
    require_project,
    schemes_page,
)
from jiracfg.sandbox.store import Doc, Store

TYPES, SCHEMES, SCHEME_PROJECTS = "issue_type", "issue_type_scheme", "issue_type_scheme_project"
DEFAULT_SCHEME_ID = "10000"
SEED_TYPES = [
    ("10000", "Epic", "Epics track collections of related bugs, stories, and tasks.", 1, 10307),
    (
        "10001",
        "Story",
        "Stories track functionality or features expressed as user goals.",
        0,
        10315,
    ),
    ("10002", "Task", "A small, distinct piece of work.", 0, 10318),
    ("10003", "Bug", "Bugs track problems or errors.", 0, 10303),
    (
        "10004",
        "Sub-task",
        "Subtasks track small pieces of work that are part of a larger task.",
        -1,
        10316,
    ),
]


# -- exported API ------------------------------------------------------------------------------
def all_issue_types(db: Store) -> list[Doc]:
    return db.all(TYPES)


def get_issue_type(db: Store, type_id: Any) -> Doc | None:
    return db.get(TYPES, str(type_id))


def issue_type_scheme_of_project(db: Store, project_id: Any) -> Doc:
    link = db.get(SCHEME_PROJECTS, str(project_id))
    scheme = db.get(SCHEMES, link["schemeId"] if link else DEFAULT_SCHEME_ID)
    assert scheme is not None
    return scheme


def issue_types_of_project(db: Store, project_id: Any) -> list[Doc]:
    ids = issue_type_scheme_of_project(db, project_id)["issueTypeIds"]
    return [t for t in (db.get(TYPES, i) for i in ids) if t is not None]


def assign_issue_type_scheme(db: Store, project_id: Any, scheme_id: Any | None) -> None:
    with db.tx():
        db.delete(SCHEME_PROJECTS, str(project_id))
        db.insert(
            SCHEME_PROJECTS,
            {"id": str(project_id), "schemeId": str(scheme_id or DEFAULT_SCHEME_ID)},
        )


def forget_project(db: Store, project_id: Any) -> None:
    with db.tx():
        db.delete(SCHEME_PROJECTS, str(project_id))
        forget = peer("screens", "forget_project")
        if forget:
            forget(db, project_id)


# -- issue types -------------------------------------------------------------------------------
def type_bean(request: Request, doc: Doc) -> dict[str, Any]:
    url = f"{base(request)}/rest/api/2/universal_avatar/view/type/issuetype/avatar/"
    url += str(doc["avatarId"])
    return {
        "self": f"{base(request)}/rest/api/3/issuetype/{doc['id']}",
        "id": doc["id"],
        "description": doc["description"],
        "iconUrl": f"{url}?size=medium",
        "name": doc["name"],
        "subtask": doc["hierarchyLevel"] == -1,
        "avatarId": doc["avatarId"],
        "hierarchyLevel": doc["hierarchyLevel"],
    }


def find_type(db: Store, raw: str) -> Doc:
    require(raw.isdigit(), 400, "The issue type ID is invalid.")
    return found(get_issue_type(db, raw), f"The issue type with id '{raw}' does not exist.")


def check_type_name(db: Store, name: Any, own_id: str | None = None) -> str:
    checked = checked_name(
        name,
        "You must specify a unique name for the issue type.",
        "The issue type name must not exceed 60 characters.",
        limit=60,
    )
    require(
        not name_taken(db, TYPES, checked, own_id),
        409,
        "An issue type with this name already exists.",
        "name",
    )
    return checked


@route("/rest/api/3/issuetype")
async def list_types(request: Request) -> Response:
    return ok([type_bean(request, t) for t in store(request).all(TYPES)])


@route("/rest/api/3/issuetype", "POST")
async def create_type(request: Request) -> Response:
    data, db = await body_object(request), store(request)
    level = data.get("hierarchyLevel", -1 if data.get("type") == "subtask" else 0)
    require(level in (-1, 0), 400, "The hierarchy level is invalid.", "hierarchyLevel")
    with db.tx():
        doc = db.insert(
            TYPES,
            {
                "name": check_type_name(db, data.get("name")),
                "description": str(data.get("description") or ""),
                "hierarchyLevel": level,
                "avatarId": 10318 if level == 0 else 10316,
            },
        )
        default = db.get(SCHEMES, DEFAULT_SCHEME_ID)
        assert default is not None
        db.put(SCHEMES, {**default, "issueTypeIds": [*default["issueTypeIds"], doc["id"]]})
    return ok(type_bean(request, doc), 201)


@route("/rest/api/3/issuetype/{id}")
async def get_type(request: Request) -> Response:
    return ok(type_bean(request, find_type(store(request), request.path_params["id"])))


@route("/rest/api/3/issuetype/{id}", "PUT")
async def update_type(request: Request) -> Response:
    data, db = await body_object(request), store(request)
    doc = find_type(db, request.path_params["id"])
    if "name" in data:
        doc["name"] = check_type_name(db, data["name"], doc["id"])
    if "description" in data:
        doc["description"] = str(data["description"] or "")
    if isinstance(data.get("avatarId"), int):
        doc["avatarId"] = data["avatarId"]
    return ok(type_bean(request, db.put(TYPES, doc)))


@route("/rest/api/3/issuetype/{id}", "DELETE")
async def delete_type(request: Request) -> Response:
    db = store(request)
    doc = find_type(db, request.path_params["id"])
    alternative = request.query_params.get("alternativeIssueTypeId")
    if count_issues(db, issue_type_id=doc["id"]):
        check_alternative(db, doc, alternative)
    with db.tx():
        remove_type_everywhere(db, doc["id"], alternative)
    return no_content()


def check_alternative(db: Store, doc: Doc, alternative: str | None) -> None:
    require(
        alternative is not None,
        404,
        "The issue type is in use. Specify an alternative issue type to move its issues to.",
    )
    alt = get_issue_type(db, alternative)
    if alt is None:
        raise ApiError(404, f"The alternative issue type with id '{alternative}' does not exist.")
    require(
        alt["id"] != doc["id"], 409, "The alternative issue type can't be the issue type itself."
    )
    require(
        alt["hierarchyLevel"] == doc["hierarchyLevel"],
        409,
        "The alternative issue type must be at the same hierarchy level as the issue type.",
    )


def remove_type_everywhere(db: Store, type_id: str, alternative: str | None) -> None:
    retype = peer("issues", "retype_issues")
    if retype and alternative:
        retype(db, type_id, alternative)
    for scheme in db.find(SCHEMES, lambda s: type_id in s["issueTypeIds"]):
        scheme["issueTypeIds"].remove(type_id)
        if scheme.get("defaultIssueTypeId") == type_id:
            scheme["defaultIssueTypeId"] = None
        db.put(SCHEMES, scheme)
    forget = peer("screens", "forget_issue_type")
    if forget:
        forget(db, type_id)
    db.delete(TYPES, type_id)


@route("/rest/api/3/issuetype/{id}/alternatives")
async def alternatives(request: Request) -> Response:
    db = store(request)
    doc = find_type(db, request.path_params["id"])
    alts = db.find(
        TYPES, lambda t: t["hierarchyLevel"] == doc["hierarchyLevel"] and t["id"] != doc["id"]
    )
    return ok([type_bean(request, t) for t in alts])


@route("/rest/api/3/issuetype/project")
async def types_of_project(request: Request) -> Response:
    db, project_id = store(request), request.query_params.get("projectId", "")
    require(project_id.isdigit(), 400, "The projectId parameter must be a number.")
    require_project(db, project_id)
    level = request.query_params.get("level")
    types = [
        t
        for t in issue_types_of_project(db, project_id)
        if level is None or str(t["hierarchyLevel"]) == level
    ]
    return ok([type_bean(request, t) for t in types])


# -- issue type schemes ------------------------------------------------------------------------
def scheme_bean(doc: Doc) -> dict[str, Any]:
    bean = {
        "id": doc["id"],
        "name": doc["name"],
        "description": doc["description"],
        "defaultIssueTypeId": doc.get("defaultIssueTypeId"),
        "isDefault": doc["isDefault"],
    }
    return {k: v for k, v in bean.items() if v not in (None, "") or k == "name"}


def find_scheme(db: Store, raw: str) -> Doc:
    return found(db.get(SCHEMES, raw), "The issue type scheme was not found.")


def check_scheme_name(db: Store, name: Any, own_id: str | None = None) -> str:
    checked = checked_name(
        name,
        "The name of the issue type scheme is required.",
        "The name can't exceed 255 characters.",
    )
    require(
        not name_taken(db, SCHEMES, checked, own_id), 409, "The name is used by another scheme."
    )
    return checked


def check_description(data: dict[str, Any]) -> str:
    text = str(data.get("description") or "")
    require(len(text) <= 4000, 400, "The description can't exceed 4000 characters.", "description")
    return text


def known_type_ids(db: Store, raw: Any) -> list[str]:
    require(isinstance(raw, list), 400, "The issueTypeIds must be provided.", "issueTypeIds")
    ids = [str(i) for i in raw]
    require(len(set(ids)) == len(ids), 400, "The issueTypeIds must not contain duplicates.")
    missing = [i for i in ids if get_issue_type(db, i) is None]
    require(not missing, 404, f"These issue types were not found: {', '.join(missing)}")
    return ids


def check_members(db: Store, ids: list[str], default: str | None) -> None:
    levels = [find_type(db, i)["hierarchyLevel"] for i in ids]
    require(
        any(level >= 0 for level in levels),
        400,
        "The issue type scheme must contain at least one standard issue type.",
    )
    require(
        default is None or default in ids,
        400,
        "The default issue type ID has to be present in issue type IDs list.",
    )
    require(
        default is None or find_type(db, default)["hierarchyLevel"] >= 0,
        400,
        "The default issue type can't be a subtask issue type.",
    )


def order_schemes(request: Request, docs: list[Doc]) -> list[Doc]:
    order = request.query_params.get("orderBy", "id")
    field = order.lstrip("+-")
    require(field in ("id", "name"), 400, f"Invalid orderBy value: {order}")

    def key(d: Doc) -> Any:
        return int(d["id"]) if field == "id" else d["name"].casefold()

    return sorted(docs, key=key, reverse=order.startswith("-"))


@route("/rest/api/3/issuetypescheme")
async def list_schemes(request: Request) -> Response:
    ids, query = list_param(request, "id"), (request.query_params.get("queryString") or "")
    docs = store(request).find(
        SCHEMES, lambda s: (not ids or s["id"] in ids) and query.casefold() in s["name"].casefold()
    )
    return ok(page(request, [scheme_bean(d) for d in order_schemes(request, docs)]))


@route("/rest/api/3/issuetypescheme", "POST")
async def create_scheme(request: Request) -> Response:
    data, db = await body_object(request), store(request)
    name = check_scheme_name(db, data.get("name"))
    ids = known_type_ids(db, data.get("issueTypeIds"))
    default = None if data.get("defaultIssueTypeId") is None else str(data["defaultIssueTypeId"])
    check_members(db, ids, default)
    doc = db.insert(
        SCHEMES,
        {
            "name": name,
            "description": check_description(data),
            "defaultIssueTypeId": default,
            "isDefault": False,
            "issueTypeIds": ids,
        },
    )
    return ok({"issueTypeSchemeId": doc["id"]}, 201)


@route("/rest/api/3/issuetypescheme/{schemeId}", "PUT")
async def update_scheme(request: Request) -> Response:
    data, db = await body_object(request), store(request)
    doc = find_scheme(db, request.path_params["schemeId"])
    if "name" in data:
        doc["name"] = check_scheme_name(db, data["name"], doc["id"])
    if "description" in data:
        doc["description"] = check_description(data)
    if "defaultIssueTypeId" in data:
        default = data["defaultIssueTypeId"]
        require(
            default is None or str(default) in doc["issueTypeIds"],
            400,
            "The default issue type has to be one of the issue types of the scheme.",
        )
        doc["defaultIssueTypeId"] = None if default is None else str(default)
    db.put(SCHEMES, doc)
    return no_content()


@route("/rest/api/3/issuetypescheme/{schemeId}", "DELETE")
async def delete_scheme(request: Request) -> Response:
    db = store(request)
    doc = find_scheme(db, request.path_params["schemeId"])
    require(not doc["isDefault"], 400, "The default issue type scheme can't be removed.")
    used = db.first(SCHEME_PROJECTS, lambda link: link["schemeId"] == doc["id"])
    require(
        used is None,
        400,
        "The issue type scheme is associated with one or more projects. "
        "Assign the projects to another scheme before deleting it.",
    )
    db.delete(SCHEMES, doc["id"])
    return no_content()


@route("/rest/api/3/issuetypescheme/mapping")
async def scheme_mappings(request: Request) -> Response:
    ids = list_param(request, "issueTypeSchemeId")
    items = [
        {"issueTypeSchemeId": s["id"], "issueTypeId": t}
        for s in store(request).all(SCHEMES)
        if not ids or s["id"] in ids
        for t in s["issueTypeIds"]
    ]
    return ok(page(request, items))


@route("/rest/api/3/issuetypescheme/project")
async def schemes_of_projects(request: Request) -> Response:
    db = store(request)
    return ok(
        schemes_page(
            request,
            "issueTypeScheme",
            lambda p: str(issue_type_scheme_of_project(db, p)["id"]),
            lambda s: scheme_bean(find_scheme(db, s)),
        )
    )


@route("/rest/api/3/issuetypescheme/project", "PUT")
async def assign_scheme(request: Request) -> Response:
    data, db = await body_object(request), store(request)
    scheme = find_scheme(db, str(data.get("issueTypeSchemeId")))
    project_id = str(data.get("projectId"))
    require_project(db, project_id)
    current = issue_type_scheme_of_project(db, project_id)["issueTypeIds"]
    stray = [
        t
        for t in current
        if t not in scheme["issueTypeIds"]
        and count_issues(db, project_id=project_id, issue_type_id=t)
    ]
    require(
        not stray,
        400,
        "This issue type scheme can't be assigned to the project. This is "
        "because some issues in this project use issue types not present in the scheme. Before "
        f"assigning the scheme to the project, update the issue types on these issues: "
        f"{', '.join(stray)}",
    )
    assign_issue_type_scheme(db, project_id, scheme["id"])
    return no_content()


@route("/rest/api/3/issuetypescheme/{schemeId}/issuetype", "PUT")
async def add_types(request: Request) -> Response:
    data, db = await body_object(request), store(request)
    doc = find_scheme(db, request.path_params["schemeId"])
    ids = known_type_ids(db, data.get("issueTypeIds"))
    present = [i for i in ids if i in doc["issueTypeIds"]]
    require(
        not present,
        400,
        "These issue types were not added because they are already present "
        f"in the issue type scheme: {', '.join(present)}",
    )
    db.put(SCHEMES, {**doc, "issueTypeIds": doc["issueTypeIds"] + ids})
    return no_content()


@route("/rest/api/3/issuetypescheme/{schemeId}/issuetype/move", "PUT")
async def move_types(request: Request) -> Response:
    data, db = await body_object(request), store(request)
    doc = find_scheme(db, request.path_params["schemeId"])
    ids = [str(i) for i in data.get("issueTypeIds") or []]
    require(bool(ids), 400, "The issueTypeIds must be provided.", "issueTypeIds")
    missing = [i for i in ids if i not in doc["issueTypeIds"]]
    require(
        not missing,
        400,
        "The issue type scheme does not include some of the specified issue "
        f"types. Issue type IDs missing from the scheme are:  {', '.join(missing)}",
    )
    db.put(SCHEMES, {**doc, "issueTypeIds": moved(doc["issueTypeIds"], ids, data, check_after)})
    return no_content()


def check_after(after: str, rest: list[str]) -> None:
    require(
        after in rest,
        400,
        "The issue type to position after must be in the scheme "
        "and not be one of the moved issue types.",
        "after",
    )


@route("/rest/api/3/issuetypescheme/{schemeId}/issuetype/{issueTypeId}", "DELETE")
async def remove_type(request: Request) -> Response:
    db, type_id = store(request), request.path_params["issueTypeId"]
    doc = find_scheme(db, request.path_params["schemeId"])
    require(
        type_id in doc["issueTypeIds"],
        404,
        "The issue type was not found in the issue type scheme.",
    )
    require(
        not doc["isDefault"],
        400,
        "Issue types can't be removed from the default issue type scheme.",
    )
    check_removable(db, doc, type_id)
    doc["issueTypeIds"].remove(type_id)
    if doc.get("defaultIssueTypeId") == type_id:
        doc["defaultIssueTypeId"] = None
    db.put(SCHEMES, doc)
    return no_content()


def check_removable(db: Store, doc: Doc, type_id: str) -> None:
    standard = [i for i in doc["issueTypeIds"] if find_type(db, i)["hierarchyLevel"] >= 0]
    require(
        standard != [type_id],
        400,
        "Can't remove the last standard issue type from the issue type scheme.",
    )
    projects = [link["id"] for link in db.all(SCHEME_PROJECTS) if link["schemeId"] == doc["id"]]
    used = any(count_issues(db, project_id=p, issue_type_id=type_id) for p in projects)
    require(
        not used,
        400,
        "The issue type can't be removed from the issue type scheme because "
        "it is used by issues in projects that use the scheme.",
    )


ROUTES = [
    list_types,
    create_type,
    types_of_project,
    get_type,
    update_type,
    delete_type,
    alternatives,
    list_schemes,
    create_scheme,
    scheme_mappings,
    schemes_of_projects,
    assign_scheme,
    update_scheme,
    delete_scheme,
    add_types,
    move_types,
    remove_type,
]


def seed_empty(db: Store) -> None:
    for type_id, name, description, level, avatar in SEED_TYPES:  # ids come from the counter
        doc = db.insert(
            TYPES,
            {"name": name, "description": description, "hierarchyLevel": level, "avatarId": avatar},
        )
        assert doc["id"] == type_id
    db.insert(
        SCHEMES,
        {
            "name": "Default Issue Type Scheme",
            "description": "Default issue type scheme is the list of global issue "
            "types. All newly created issue types will automatically be added to "
            "this scheme.",
            "defaultIssueTypeId": None,
            "isDefault": True,
            "issueTypeIds": [t[0] for t in SEED_TYPES],
        },
    )
