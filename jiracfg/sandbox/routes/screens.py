"""Screens (tabs, tab fields), screen schemes, issue type screen schemes (+ project associations).

Collections: ``screen`` ``{id, name, description}``; ``screen_tab`` (parent: screen id)
``{id, name, screenId}``; ``screen_tab_field`` (parent: tab id) ``{id: "tab:field", fieldId,
tabId, screenId}``; ``screen_scheme`` ``{id, name, description, screens: {default, create?, edit?,
view?}}`` (screen ids as ints); ``issue_type_screen_scheme`` ``{id, name, description, isDefault,
mappings: [{issueTypeId | "default", screenSchemeId}]}``; ``issue_type_screen_scheme_project``
``{id: projectId, schemeId}`` (a project without one uses the default scheme, id 1).

Exported for other areas:
- ``get_screen(store, id) -> doc | None`` (workflows: transition screens)
- ``assign_screen_scheme(store, project_id, itss_id | None)`` (None: the default issue type screen
  scheme; projects.py should call it when a project is created)
- ``issue_type_screen_scheme_of_project(store, project_id) -> doc``
- ``screen_for_issue(store, project_id, issue_type_id, operation) -> screen id`` and
  ``screen_field_ids(store, screen_id) -> [field id]`` (issues: create/edit screens, createmeta)
- ``forget_issue_type(store, id)``, ``forget_project(store, project_id)``, ``forget_field(store,
  field_id)`` (drop mappings / associations / tab fields of a deleted object)

Expected from other areas (optional until they exist): ``fields.get_field(store, id) -> doc|None``,
``fields.all_fields(store) -> list[doc]``, ``workflows.screen_in_use_by_workflow(store, id) ->
bool``, ``projects.get_project(store, id) -> doc|None``.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from jiracfg.sandbox.http import (
    ApiError,
    body_object,
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
from jiracfg.sandbox.routes._common import (
    project_details,
    require_project,
    schemes_page,
)
from jiracfg.sandbox.routes.issuetypes import get_issue_type
from jiracfg.sandbox.store import Doc, Store

SCREENS, TABS, TAB_FIELDS = "screen", "screen_tab", "screen_tab_field"
SCREEN_SCHEMES, ITSS, ITSS_PROJECTS = (
    "screen_scheme",
    "issue_type_screen_scheme",
    "issue_type_screen_scheme_project",
)
DEFAULT_ITSS_ID = "1"
SCREEN_TYPES = ("default", "create", "edit", "view")
SYSTEM_FIELDS = {  # names of a new site's system fields, used until the fields area answers
    "summary": "Summary",
    "issuetype": "Issue Type",
    "security": "Security Level",
    "priority": "Priority",
    "duedate": "Due date",
    "components": "Components",
    "versions": "Affects versions",
    "fixVersions": "Fix versions",
    "assignee": "Assignee",
    "reporter": "Reporter",
    "environment": "Environment",
    "description": "Description",
    "timetracking": "Time tracking",
    "attachment": "Attachment",
    "labels": "Labels",
    "issuelinks": "Linked Issues",
    "resolution": "Resolution",
    "parent": "Parent",
}
DEFAULT_SCREEN_FIELDS = [
    "summary",
    "issuetype",
    "security",
    "priority",
    "duedate",
    "components",
    "versions",
    "fixVersions",
    "assignee",
    "reporter",
    "environment",
    "description",
    "timetracking",
    "attachment",
    "labels",
    "issuelinks",
]
SEED_SCREENS = [
    ("1", "Default Screen", "Allows to update all system fields.", DEFAULT_SCREEN_FIELDS),
    (
        "2",
        "Resolve Issue Screen",
        "Allows to set resolution, change fix versions and assign an issue.",
        ["resolution", "fixVersions", "assignee"],
    ),
    (
        "3",
        "Workflow Screen",
        "This screen is used in the workflow and enables you to assign issues",
        ["assignee"],
    ),
]


# -- fields (owned by the fields area) ---------------------------------------------------------
def field_name(db: Store, field_id: str) -> str | None:
    get_field = peer("fields", "get_field")
    if get_field is not None:
        doc = get_field(db, field_id)
        return None if doc is None else str(doc["name"])
    return SYSTEM_FIELDS.get(field_id)


def all_field_ids(db: Store) -> list[str]:
    everything = peer("fields", "all_fields")
    if everything is None:
        return list(SYSTEM_FIELDS)
    return [str(f["id"]) for f in everything(db)]


# -- exported API ------------------------------------------------------------------------------
def get_screen(db: Store, screen_id: Any) -> Doc | None:
    return db.get(SCREENS, str(screen_id))


def issue_type_screen_scheme_of_project(db: Store, project_id: Any) -> Doc:
    link = db.get(ITSS_PROJECTS, str(project_id))
    doc = db.get(ITSS, link["schemeId"] if link else DEFAULT_ITSS_ID)
    assert doc is not None
    return doc


def assign_screen_scheme(db: Store, project_id: Any, itss_id: Any | None) -> None:
    with db.tx():
        db.delete(ITSS_PROJECTS, str(project_id))
        db.insert(
            ITSS_PROJECTS, {"id": str(project_id), "schemeId": str(itss_id or DEFAULT_ITSS_ID)}
        )


def forget_project(db: Store, project_id: Any) -> None:
    db.delete(ITSS_PROJECTS, str(project_id))


def forget_issue_type(db: Store, type_id: Any) -> None:
    with db.tx():
        for doc in db.find(
            ITSS, lambda d: any(m["issueTypeId"] == str(type_id) for m in d["mappings"])
        ):
            doc["mappings"] = [m for m in doc["mappings"] if m["issueTypeId"] != str(type_id)]
            db.put(ITSS, doc)


def screen_for_issue(db: Store, project_id: Any, type_id: Any, operation: str) -> str:
    """The screen id an issue of this project and type uses for ``operation`` (create, edit,
    view): the issue type's screen scheme (or the default mapping's), then that operation's
    screen (or the scheme's default screen)."""
    itss = issue_type_screen_scheme_of_project(db, project_id)
    mappings = {m["issueTypeId"]: m["screenSchemeId"] for m in itss["mappings"]}
    scheme = db.get(SCREEN_SCHEMES, mappings.get(str(type_id), mappings.get("default", "1")))
    screens = (scheme or {}).get("screens") or {"default": 1}
    return str(screens.get(operation, screens["default"]))


def screen_field_ids(db: Store, screen_id: Any) -> list[str]:
    """The fields on a screen's tabs, in tab order."""
    return [
        str(item["fieldId"])
        for tab in db.all(TABS, str(screen_id))
        for item in db.all(TAB_FIELDS, tab["id"])
    ]


def forget_field(db: Store, field_id: str) -> None:
    with db.tx():
        for item in db.where(TAB_FIELDS, fieldId=field_id):
            db.delete(TAB_FIELDS, item["id"])


# -- screens -----------------------------------------------------------------------------------
def screen_bean(doc: Doc) -> dict[str, Any]:
    bean: dict[str, Any] = {"id": int(doc["id"]), "name": doc["name"]}
    if doc.get("description"):
        bean["description"] = doc["description"]
    return bean


def find_screen(db: Store, raw: str) -> Doc:
    return found(get_screen(db, raw), "The screen was not found.")


def check_screen_name(db: Store, name: Any, own_id: str | None = None) -> str:
    checked = checked_name(name, "The name is required.", "The name can't exceed 255 characters.")
    require(
        not name_taken(db, SCREENS, checked, own_id), 400, "The name is used by another screen."
    )
    return checked


def ordered(request: Request, docs: list[Doc], default: str = "id") -> list[Doc]:
    order = request.query_params.get("orderBy") or default
    field = order.lstrip("+-")
    require(field in ("id", "name"), 400, f"Invalid orderBy value: {order}")

    def key(d: Doc) -> Any:
        return int(d["id"]) if field == "id" else d["name"].casefold()

    return sorted(docs, key=key, reverse=order.startswith("-"))


def filtered(request: Request, db: Store, coll: str) -> list[Doc]:
    ids, query = list_param(request, "id"), (request.query_params.get("queryString") or "")
    return ordered(
        request,
        db.find(
            coll, lambda d: (not ids or d["id"] in ids) and query.casefold() in d["name"].casefold()
        ),
    )


@route("/rest/api/3/screens")
async def list_screens(request: Request) -> Response:
    docs = filtered(request, store(request), SCREENS)
    return ok(page(request, [screen_bean(d) for d in docs], default_max=100))


@route("/rest/api/3/screens", "POST")
async def create_screen(request: Request) -> Response:
    data, db = await body_object(request), store(request)
    with db.tx():
        doc = db.insert(
            SCREENS,
            {
                "name": check_screen_name(db, data.get("name")),
                "description": str(data.get("description") or ""),
            },
        )
        db.insert(TABS, {"name": "Field Tab", "screenId": doc["id"]}, parent=doc["id"])
    return ok(screen_bean(doc), 201)


@route("/rest/api/3/screens/{screenId}", "PUT")
async def update_screen(request: Request) -> Response:
    data, db = await body_object(request), store(request)
    doc = find_screen(db, request.path_params["screenId"])
    if "name" in data:  # Jira refuses a screen's own unchanged name as "used" [obs: Salto]
        require(data["name"] != doc["name"], 400, "The name is used by another screen.")
        doc["name"] = check_screen_name(db, data["name"], doc["id"])
    if "description" in data:
        doc["description"] = str(data["description"] or "")
    return ok(screen_bean(db.put(SCREENS, doc)))


@route("/rest/api/3/screens/{screenId}", "DELETE")
async def delete_screen(request: Request) -> Response:
    db = store(request)
    doc = find_screen(db, request.path_params["screenId"])
    used = db.first(SCREEN_SCHEMES, lambda s: int(doc["id"]) in s["screens"].values())
    require(used is None, 400, "The screen is used in a screen scheme.")
    in_workflow = peer("workflows", "screen_in_use_by_workflow")
    require(
        not (in_workflow and in_workflow(db, doc["id"])), 400, "The screen is used in a workflow."
    )
    with db.tx():
        for tab in db.all(TABS, doc["id"]):
            db.delete_children(TAB_FIELDS, tab["id"])
        db.delete_children(TABS, doc["id"])
        db.delete(SCREENS, doc["id"])
    return no_content()


@route("/rest/api/3/screens/{screenId}/availableFields")
async def available_fields(request: Request) -> Response:
    db = store(request)
    doc = find_screen(db, request.path_params["screenId"])
    used = {f["fieldId"] for f in db.where(TAB_FIELDS, screenId=doc["id"])}
    free = [i for i in all_field_ids(db) if i not in used]
    return ok([{"id": i, "name": field_name(db, i) or i} for i in free])


@route("/rest/api/3/screens/addToDefault/{fieldId}", "POST")
async def add_to_default(request: Request) -> Response:
    """Add a field to the Default Screen's first tab (404 if unknown or already there)."""
    db, field_id = store(request), request.path_params["fieldId"]
    require(
        field_name(db, field_id) is not None, 404, f"The field with id '{field_id}' was not found."
    )
    present = next(iter(db.where(TAB_FIELDS, screenId="1", fieldId=field_id)), None)
    require(present is None, 404, f"Field with id '{field_id}' already exists on the screen.")
    tab = db.all(TABS, "1")[0]
    db.insert(
        TAB_FIELDS,
        {"id": f"{tab['id']}:{field_id}", "fieldId": field_id, "tabId": tab["id"], "screenId": "1"},
        parent=tab["id"],
    )
    return ok({})


# -- tabs --------------------------------------------------------------------------------------
def tab_bean(doc: Doc) -> dict[str, Any]:
    return {"id": int(doc["id"]), "name": doc["name"]}


def find_tab(db: Store, request: Request) -> tuple[Doc, Doc]:
    screen = find_screen(db, request.path_params["screenId"])
    tab = db.get(TABS, request.path_params["tabId"])
    if tab is None or tab["screenId"] != screen["id"]:
        raise ApiError(404, "The screen tab was not found.")
    return screen, tab


def check_tab_name(db: Store, screen_id: str, name: Any, own_id: str | None = None) -> str:
    checked = checked_name(
        name, "Tab name cannot be empty.", "The tab name can't exceed 255 characters."
    )
    require(
        not name_taken(db, TABS, checked, own_id, screen_id),
        400,
        f"Screen Tab with name '{name}' already exists.",
        "name",
    )
    return checked


@route("/rest/api/3/screens/tabs")
async def bulk_tabs(request: Request) -> Response:
    """Tabs of many screens (EXP): PageBean ``{screenId, tabId, tabName}``, ``maxResult`` 100."""
    db, screen_ids = store(request), list_param(request, "screenId")
    tab_ids = list_param(request, "tabId")
    require(bool(screen_ids), 400, "The screenId must be provided.", "screenId")
    require(all(i.isdigit() for i in screen_ids + tab_ids), 400, "The screenId is invalid.")
    items = [
        {"screenId": int(s), "tabId": int(t["id"]), "tabName": t["name"]}
        for s in screen_ids
        for t in db.all(TABS, s)
        if not tab_ids or t["id"] in tab_ids
    ]
    return ok(page(request, items, default_max=100, cap=100, size_param="maxResult"))


@route("/rest/api/3/screens/{screenId}/tabs")
async def list_tabs(request: Request) -> Response:
    db = store(request)
    screen = find_screen(db, request.path_params["screenId"])
    return ok([tab_bean(t) for t in db.all(TABS, screen["id"])])


@route("/rest/api/3/screens/{screenId}/tabs", "POST")
async def create_tab(request: Request) -> Response:
    data, db = await body_object(request), store(request)
    screen = find_screen(db, request.path_params["screenId"])
    name = check_tab_name(db, screen["id"], data.get("name"))
    return ok(
        tab_bean(db.insert(TABS, {"name": name, "screenId": screen["id"]}, parent=screen["id"]))
    )


@route("/rest/api/3/screens/{screenId}/tabs/{tabId}", "PUT")
async def rename_tab(request: Request) -> Response:
    data, db = await body_object(request), store(request)
    screen, tab = find_tab(db, request)
    name = data.get("name")  # its own unchanged name counts as taken, as in Jira [obs: Salto]
    require(name != tab["name"], 400, f"Screen Tab with name '{name}' already exists.", "name")
    tab["name"] = check_tab_name(db, screen["id"], name, tab["id"])
    return ok(tab_bean(db.put(TABS, tab)))


@route("/rest/api/3/screens/{screenId}/tabs/{tabId}", "DELETE")
async def delete_tab(request: Request) -> Response:
    db = store(request)
    _, tab = find_tab(db, request)
    with db.tx():
        db.delete_children(TAB_FIELDS, tab["id"])
        db.delete(TABS, tab["id"])
    return no_content()


@route("/rest/api/3/screens/{screenId}/tabs/{tabId}/move/{pos}", "POST")
async def move_tab(request: Request) -> Response:
    db = store(request)
    screen, tab = find_tab(db, request)
    raw = request.path_params["pos"]
    require(raw.lstrip("-").isdigit(), 400, "The position must be a number.")
    others = [t["id"] for t in db.all(TABS, screen["id"]) if t["id"] != tab["id"]]
    pos = int(raw)
    require(0 <= pos <= len(others), 404, f"The position {pos} is invalid.")
    db.reorder(TABS, [*others[:pos], tab["id"], *others[pos:]])
    return no_content()


# -- tab fields --------------------------------------------------------------------------------
def field_bean(db: Store, item: Doc) -> dict[str, Any]:
    return {"id": item["fieldId"], "name": field_name(db, item["fieldId"]) or item["fieldId"]}


def find_tab_field(db: Store, request: Request) -> tuple[Doc, Doc]:
    _, tab = find_tab(db, request)
    item = db.get(TAB_FIELDS, f"{tab['id']}:{request.path_params['id']}")
    if item is None:
        raise ApiError(404, f"The field with id '{request.path_params['id']}' is not on the tab.")
    return tab, item


@route("/rest/api/3/screens/{screenId}/tabs/{tabId}/fields")
async def list_tab_fields(request: Request) -> Response:
    db = store(request)
    _, tab = find_tab(db, request)
    return ok([field_bean(db, f) for f in db.all(TAB_FIELDS, tab["id"])])


@route("/rest/api/3/screens/{screenId}/tabs/{tabId}/fields", "POST")
async def add_tab_field(request: Request) -> Response:
    data, db = await body_object(request), store(request)
    screen, tab = find_tab(db, request)
    field_id = str(data.get("fieldId") or "")
    require(field_id != "", 400, "The fieldId must be provided.", "fieldId")
    require(
        field_name(db, field_id) is not None, 404, f"The field with id '{field_id}' was not found."
    )
    present = db.where(TAB_FIELDS, screenId=screen["id"], fieldId=field_id)
    require(not present, 400, f"Field with id '{field_id}' already exists on the screen.")
    item = db.insert(
        TAB_FIELDS,
        {
            "id": f"{tab['id']}:{field_id}",
            "fieldId": field_id,
            "tabId": tab["id"],
            "screenId": screen["id"],
        },
        parent=tab["id"],
    )
    return ok(field_bean(db, item))


@route("/rest/api/3/screens/{screenId}/tabs/{tabId}/fields/{id}", "DELETE")
async def remove_tab_field(request: Request) -> Response:
    db = store(request)
    _, item = find_tab_field(db, request)
    db.delete(TAB_FIELDS, item["id"])
    return no_content()


@route("/rest/api/3/screens/{screenId}/tabs/{tabId}/fields/{id}/move", "POST")
async def move_tab_field(request: Request) -> Response:
    data, db = await body_object(request), store(request)
    tab, item = find_tab_field(db, request)
    ids = [f["fieldId"] for f in db.all(TAB_FIELDS, tab["id"])]
    order = field_order(ids, item["fieldId"], data)
    db.reorder(TAB_FIELDS, [f"{tab['id']}:{f}" for f in order])
    return no_content()


def field_order(ids: list[str], moving: str, data: dict[str, Any]) -> list[str]:
    """``ids`` with ``moving`` placed after ``data['after']`` or at ``data['position']``."""
    index, rest = ids.index(moving), [i for i in ids if i != moving]
    after, position = data.get("after"), data.get("position")
    if after is not None:
        require(str(after) in rest, 404, f"The field with id '{after}' is not on the tab.")
        cut = rest.index(str(after)) + 1
    else:
        targets = {
            "First": 0,
            "Last": len(rest),
            "Earlier": max(index - 1, 0),
            "Later": min(index + 1, len(rest)),
        }
        require(
            isinstance(position, str) and position in targets,
            400,
            "Either after or position must be provided.",
        )
        cut = targets[str(position)]
    return [*rest[:cut], moving, *rest[cut:]]


# -- screen schemes ----------------------------------------------------------------------------
def screen_scheme_bean(doc: Doc) -> dict[str, Any]:
    bean: dict[str, Any] = {
        "id": int(doc["id"]),
        "name": doc["name"],
        "description": doc["description"],
        "screens": dict(doc["screens"]),
    }
    if not bean["description"]:
        del bean["description"]
    return bean


def find_screen_scheme(db: Store, raw: Any) -> Doc:
    doc = db.get(SCREEN_SCHEMES, str(raw))
    if doc is None:
        raise ApiError(404, "The screen scheme was not found.")
    return doc


def check_scheme_name(db: Store, coll: str, name: Any, own_id: str | None = None) -> str:
    checked = checked_name(name, "The name is required.", "The name can't exceed 255 characters.")
    require(not name_taken(db, coll, checked, own_id), 400, "The name is used by another scheme.")
    return checked


def screen_types(db: Store, raw: Any, current: dict[str, int]) -> dict[str, int]:
    """``current`` with the screen types of ``raw`` applied (null clears all but default)."""
    require(isinstance(raw, dict), 400, "The screens must be provided.", "screens")
    result = dict(current)
    for kind, value in raw.items():
        require(kind in SCREEN_TYPES, 400, f"Unrecognized screen type: {kind}", "screens")
        if value is None:
            require(kind != "default", 400, "The default screen can't be removed.")
            result.pop(kind, None)
            continue
        require(
            get_screen(db, value) is not None,
            404,
            "One or more screens assigned to screen types was not found.",
        )
        result[kind] = int(value)
    require("default" in result, 400, "The default screen must be provided.", "screens")
    return {k: result[k] for k in SCREEN_TYPES if k in result}


@route("/rest/api/3/screenscheme")
async def list_screen_schemes(request: Request) -> Response:
    db = store(request)
    beans = [screen_scheme_bean(d) for d in filtered(request, db, SCREEN_SCHEMES)]
    if "issueTypeScreenSchemes" in (request.query_params.get("expand") or "").split(","):
        for bean in beans:
            users = [
                itss_bean(d)
                for d in db.all(ITSS)
                if any(m["screenSchemeId"] == str(bean["id"]) for m in d["mappings"])
            ]
            bean["issueTypeScreenSchemes"] = {
                "self": str(request.url),
                "maxResults": 100,
                "startAt": 0,
                "total": len(users),
                "isLast": True,
                "values": users,
            }
    return ok(page(request, beans, default_max=25))


@route("/rest/api/3/screenscheme", "POST")
async def create_screen_scheme(request: Request) -> Response:
    data, db = await body_object(request), store(request)
    name = check_scheme_name(db, SCREEN_SCHEMES, data.get("name"))
    screens = screen_types(db, data.get("screens"), {})
    doc = db.insert(
        SCREEN_SCHEMES,
        {"name": name, "screens": screens, "description": str(data.get("description") or "")},
    )
    return ok({"id": int(doc["id"])}, 201)


@route("/rest/api/3/screenscheme/{schemeId}", "PUT")
async def update_screen_scheme(request: Request) -> Response:
    data, db = await body_object(request), store(request)
    doc = find_screen_scheme(db, request.path_params["schemeId"])
    if "name" in data:
        doc["name"] = check_scheme_name(db, SCREEN_SCHEMES, data["name"], doc["id"])
    if "description" in data:
        doc["description"] = str(data["description"] or "")
    if "screens" in data:
        doc["screens"] = screen_types(db, data["screens"], doc["screens"])
    db.put(SCREEN_SCHEMES, doc)
    return no_content()


@route("/rest/api/3/screenscheme/{schemeId}", "DELETE")
async def delete_screen_scheme(request: Request) -> Response:
    db = store(request)
    doc = find_screen_scheme(db, request.path_params["schemeId"])
    used = db.first(ITSS, lambda d: any(m["screenSchemeId"] == doc["id"] for m in d["mappings"]))
    require(
        used is None,
        400,
        "The screen scheme cannot be deleted as it is in use in an issue type screen scheme.",
    )
    db.delete(SCREEN_SCHEMES, doc["id"])
    return no_content()


# -- issue type screen schemes -----------------------------------------------------------------
def itss_bean(doc: Doc) -> dict[str, Any]:
    bean = {"id": doc["id"], "name": doc["name"], "description": doc["description"]}
    return {k: v for k, v in bean.items() if v != ""}


def find_itss(db: Store, raw: Any) -> Doc:
    doc = db.get(ITSS, str(raw))
    if doc is None:
        raise ApiError(404, "The issue type screen scheme was not found.")
    return doc


def mappings_of(db: Store, raw: Any) -> list[dict[str, str]]:
    require(isinstance(raw, list), 400, "The issueTypeMappings must be provided.")
    items = [
        {"issueTypeId": str(m.get("issueTypeId")), "screenSchemeId": str(m.get("screenSchemeId"))}
        for m in raw
        if isinstance(m, dict)
    ]
    types = [m["issueTypeId"] for m in items]
    require(
        len(set(types)) == len(types),
        400,
        "One or more issue type IDs are repeated, an issue type ID can only be specified once.",
    )
    require(
        all(t == "default" or get_issue_type(db, t) for t in types),
        404,
        "One or more issue type IDs were not found.",
    )
    for item in items:
        find_screen_scheme(db, item["screenSchemeId"])
    return items


@route("/rest/api/3/issuetypescreenscheme")
async def list_itss(request: Request) -> Response:
    docs = filtered(request, store(request), ITSS)
    return ok(page(request, [itss_bean(d) for d in docs]))


@route("/rest/api/3/issuetypescreenscheme", "POST")
async def create_itss(request: Request) -> Response:
    data, db = await body_object(request), store(request)
    name = check_scheme_name(db, ITSS, data.get("name"))
    mappings = mappings_of(db, data.get("issueTypeMappings"))
    require(
        any(m["issueTypeId"] == "default" for m in mappings),
        400,
        "The default issue type mapping must be provided.",
    )
    doc = db.insert(
        ITSS,
        {
            "name": name,
            "description": str(data.get("description") or ""),
            "isDefault": False,
            "mappings": mappings,
        },
    )
    return ok({"id": doc["id"]}, 201)


@route("/rest/api/3/issuetypescreenscheme/mapping")
async def itss_mappings(request: Request) -> Response:
    ids = list_param(request, "issueTypeScreenSchemeId")
    items = [
        {"issueTypeScreenSchemeId": d["id"], **m}
        for d in store(request).all(ITSS)
        if not ids or d["id"] in ids
        for m in d["mappings"]
    ]
    return ok(page(request, items))


@route("/rest/api/3/issuetypescreenscheme/project")
async def itss_of_projects(request: Request) -> Response:
    db = store(request)
    return ok(
        schemes_page(
            request,
            "issueTypeScreenScheme",
            lambda p: str(issue_type_screen_scheme_of_project(db, p)["id"]),
            lambda s: itss_bean(find_itss(db, s)),
        )
    )


@route("/rest/api/3/issuetypescreenscheme/project", "PUT")
async def assign_itss(request: Request) -> Response:
    data, db = await body_object(request), store(request)
    scheme = find_itss(db, data.get("issueTypeScreenSchemeId"))
    project_id = str(data.get("projectId"))
    require_project(db, project_id)
    assign_screen_scheme(db, project_id, scheme["id"])
    return no_content()


@route("/rest/api/3/issuetypescreenscheme/{schemeId}", "PUT")
async def update_itss(request: Request) -> Response:
    data, db = await body_object(request), store(request)
    doc = find_itss(db, request.path_params["schemeId"])
    if "name" in data:
        name = data["name"]
        require(
            not name_taken(db, ITSS, str(name), doc["id"]),
            400,
            "The issue type screen scheme name is in use.",
        )
        doc["name"] = check_scheme_name(db, ITSS, name, doc["id"])
    if "description" in data:
        doc["description"] = str(data["description"] or "")
    db.put(ITSS, doc)
    return no_content()


@route("/rest/api/3/issuetypescreenscheme/{schemeId}", "DELETE")
async def delete_itss(request: Request) -> Response:
    db = store(request)
    doc = find_itss(db, request.path_params["schemeId"])
    require(not doc["isDefault"], 400, "The default issue type screen scheme can't be deleted.")
    used = db.first(ITSS_PROJECTS, lambda link: link["schemeId"] == doc["id"])
    require(
        used is None,
        400,
        "The issue type screen scheme cannot be deleted because it is "
        "assigned to one or more projects.",
    )
    db.delete(ITSS, doc["id"])
    return no_content()


@route("/rest/api/3/issuetypescreenscheme/{schemeId}/mapping", "PUT")
async def append_mappings(request: Request) -> Response:
    data, db = await body_object(request), store(request)
    doc = find_itss(db, request.path_params["schemeId"])
    items = mappings_of(db, data.get("issueTypeMappings"))
    require(
        all(m["issueTypeId"] != "default" for m in items), 400, "A default mapping cannot be added."
    )
    mapped = {m["issueTypeId"] for m in doc["mappings"]}
    present = [m["issueTypeId"] for m in items if m["issueTypeId"] in mapped]
    require(
        not present,
        400,
        "These issue types are already mapped in the issue type screen "
        f"scheme: {', '.join(present)}",
    )
    db.put(ITSS, {**doc, "mappings": doc["mappings"] + items})
    return no_content()


@route("/rest/api/3/issuetypescreenscheme/{schemeId}/mapping/default", "PUT")
async def set_default_mapping(request: Request) -> Response:
    data, db = await body_object(request), store(request)
    doc = find_itss(db, request.path_params["schemeId"])
    require(data.get("screenSchemeId") is not None, 400, "The screenSchemeId has to be provided.")
    target = find_screen_scheme(db, data["screenSchemeId"])["id"]
    doc["mappings"] = [
        {**m, "screenSchemeId": target} if m["issueTypeId"] == "default" else m
        for m in doc["mappings"]
    ]
    db.put(ITSS, doc)
    return no_content()


@route("/rest/api/3/issuetypescreenscheme/{schemeId}/mapping/remove", "POST")
async def remove_mappings(request: Request) -> Response:
    data, db = await body_object(request), store(request)
    doc = find_itss(db, request.path_params["schemeId"])
    ids = [str(i) for i in data.get("issueTypeIds") or []]
    require(bool(ids), 400, "The issueTypeIds must be provided.", "issueTypeIds")
    require(len(set(ids)) == len(ids), 400, "The issueTypeIds must not contain duplicates.")
    require("default" not in ids, 400, "The default mapping can't be removed.")
    mapped = {m["issueTypeId"] for m in doc["mappings"]}
    require(set(ids) <= mapped, 404, "One or more issue type mappings were not found.")
    db.put(ITSS, {**doc, "mappings": [m for m in doc["mappings"] if m["issueTypeId"] not in ids]})
    return no_content()


@route("/rest/api/3/issuetypescreenscheme/{schemeId}/project")
async def projects_of_itss(request: Request) -> Response:
    db = store(request)
    doc = find_itss(db, request.path_params["schemeId"])
    links = [link["id"] for link in db.all(ITSS_PROJECTS) if link["schemeId"] == doc["id"]]
    return ok(page(request, [project_details(request, db, p) for p in links]))


ROUTES = [
    list_screens,
    create_screen,
    add_to_default,
    bulk_tabs,
    update_screen,
    delete_screen,
    available_fields,
    list_tabs,
    create_tab,
    rename_tab,
    delete_tab,
    move_tab,
    list_tab_fields,
    add_tab_field,
    remove_tab_field,
    move_tab_field,
    list_screen_schemes,
    create_screen_scheme,
    update_screen_scheme,
    delete_screen_scheme,
    list_itss,
    create_itss,
    itss_mappings,
    itss_of_projects,
    assign_itss,
    update_itss,
    delete_itss,
    append_mappings,
    set_default_mapping,
    remove_mappings,
    projects_of_itss,
]


def seed_empty(db: Store) -> None:
    for screen_id, name, description, fields in SEED_SCREENS:
        db.insert(SCREENS, {"id": screen_id, "name": name, "description": description})
        tab = db.insert(TABS, {"name": "Field Tab", "screenId": screen_id}, parent=screen_id)
        for field_id in fields:
            db.insert(
                TAB_FIELDS,
                {
                    "id": f"{tab['id']}:{field_id}",
                    "fieldId": field_id,
                    "tabId": tab["id"],
                    "screenId": screen_id,
                },
                parent=tab["id"],
            )
    db.insert(
        SCREEN_SCHEMES,
        {
            "id": "1",
            "name": "Default Screen Scheme",
            "screens": {"default": 1},
            "description": "Default Screen Scheme",
        },
    )
    db.insert(
        ITSS,
        {
            "id": DEFAULT_ITSS_ID,
            "name": "Default Issue Type Screen Scheme",
            "description": "The default issue type screen scheme",
            "isDefault": True,
            "mappings": [{"issueTypeId": "default", "screenSchemeId": "1"}],
        },
    )
