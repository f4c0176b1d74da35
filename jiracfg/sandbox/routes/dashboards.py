"""Dashboards (``/dashboard``), their gadgets and the gadgets' item properties.

Collection ``dashboard`` ``{id, name, description, owner, share, edit, system?}`` (permissions:
see ``_sharing``); ``gadget`` (parent: the dashboard) ``{id, moduleKey|uri, title, color,
column, row}``; ``dashboard_item_property`` (parent ``<dashboard>/<gadget>``) ``{id, key, value}``.
Every site has the system dashboard (10000, shared globally; it can't be changed or deleted here).

Jira's rules kept here: a dashboard is seen by its owner and those it is shared with (no
administrator override, as in Jira's dashboard search); its owner (or its editors) changes it, an
administrator too with ``extendAdminPermissions=true``; ``PUT /dashboard/bulk/edit`` changes
owners (``changeOwner``); a dashboard name is required (400 ``name``); a gadget needs a known
``moduleKey`` or ``uri`` (unless ``ignoreUriAndModuleKeyValidation``), a color among Jira's eight
and a column 0-2; placing a gadget moves the gadgets below it in its column down, removing one
closes the gap; a property value is any JSON up to 32768 characters.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from jiracfg.sandbox.http import (
    ApiError,
    base,
    body,
    body_object,
    bool_param,
    int_param,
    list_param,
    no_content,
    ok,
    page,
    require,
    route,
    store,
)
from jiracfg.sandbox.routes import _sharing
from jiracfg.sandbox.routes.core import find_user, user_bean
from jiracfg.sandbox.store import Doc, Store

DASHBOARDS, GADGETS, PROPERTIES = "dashboard", "gadget", "dashboard_item_property"
SYSTEM = "10000"
MISSING = (
    "The dashboard you requested either does not exist or you don't have the required "
    "permissions to perform this action."
)
COLORS = ("blue", "red", "yellow", "green", "cyan", "purple", "gray", "white")
MODULES = (
    "com.atlassian.jira.gadgets:filter-results-dashboard-item",
    "com.atlassian.jira.gadgets:pie-chart-dashboard-item",
    "com.atlassian.jira.gadgets:assigned-to-me-dashboard-item",
    "com.atlassian.jira.gadgets:created-vs-resolved-chart-dashboard-item",
    "com.atlassian.jira.gadgets:two-dimensional-stats-dashboard-item",
    "com.atlassian.jira.gadgets:activity-stream-dashboard-item",
)
COLUMNS = 3
SHAPE = {"sharePermissions": list, "editPermissions": list}
GADGET_SHAPE = {
    "moduleKey": str,
    "uri": str,
    "title": str,
    "color": str,
    "position": dict,
    "ignoreUriAndModuleKeyValidation": bool,
}
EXPANDS = ("description", "owner", "sharePermissions", "editPermissions", "isWritable", "view")


def forget_group(db: Store, group_id: str) -> None:
    _sharing.forget_group(db, DASHBOARDS, group_id)


def dashboard_bean(
    request: Request, db: Store, doc: Doc, expand: tuple[str, ...] = EXPANDS
) -> dict[str, Any]:
    url, owner = base(request), find_user(db, doc.get("owner", ""))
    full: dict[str, Any] = {
        "id": doc["id"],
        "name": doc["name"],
        "self": f"{url}/rest/api/3/dashboard/{doc['id']}",
        "view": f"{url}/jira/dashboards/{doc['id']}",
        "isFavourite": False,
        "popularity": 0,
        "systemDashboard": bool(doc.get("system")),
        "description": doc.get("description", ""),
        "isWritable": writable(request, db, doc),
        "sharePermissions": [_sharing.permission_bean(request, db, p) for p in doc["share"]],
        "editPermissions": [_sharing.permission_bean(request, db, p) for p in doc["edit"]],
    }
    if owner is not None:
        bean = user_bean(request, owner)
        full["owner"] = {k: bean[k] for k in ("self", "accountId", "displayName", "active")}
    keep = ("id", "name", "self", "isFavourite", "popularity", "systemDashboard")
    return {k: v for k, v in full.items() if k in keep or k in expand}


def writable(request: Request, db: Store, doc: Doc) -> bool:
    if doc.get("system"):
        return False
    if _sharing.can_edit(db, request, doc):
        return True
    admin = bool_param(request, "extendAdminPermissions")
    return admin and _sharing.is_admin(db, request.state.account_id)


def seen(request: Request, db: Store, dashboard_id: str) -> Doc:
    doc = db.get(DASHBOARDS, dashboard_id) if dashboard_id.isdigit() else None
    if doc is None or not (doc.get("system") or _sharing.can_view(db, request, doc)):
        raise ApiError(404, MISSING)
    return doc


def editable(request: Request, db: Store, dashboard_id: str) -> Doc:
    """The dashboard, when the caller may change it (an administrator with
    ``extendAdminPermissions`` may change any but the system dashboard)."""
    doc = db.get(DASHBOARDS, dashboard_id) if dashboard_id.isdigit() else None
    if doc is None or not writable(request, db, doc):
        raise ApiError(404, MISSING)
    return doc


async def dashboard_body(request: Request, db: Store, doc: Doc) -> Doc:
    data = await body_object(request, SHAPE)
    name = data.get("name")
    require(isinstance(name, str) and name.strip() != "", 400, "Name is required.", "name")
    require(len(str(name)) <= 255, 400, "The name is too long.", "name")
    return {
        **doc,
        "name": str(name).strip(),
        "description": str(data.get("description") or ""),
        "share": _sharing.read_permissions(db, data.get("sharePermissions"), "sharePermissions"),
        "edit": _sharing.read_permissions(db, data.get("editPermissions"), "editPermissions"),
    }


@route("/rest/api/3/dashboard")
async def list_dashboards(request: Request) -> Response:
    db, wanted = store(request), request.query_params.get("filter")
    require(wanted in (None, "", "my", "favourite"), 400, "The filter must be my or favourite.")
    found = visible_dashboards(request, db)
    if wanted == "my":
        found = [d for d in found if d.get("owner") == request.state.account_id]
    elif wanted == "favourite":
        found = []
    start, size = int_param(request, "startAt", 0), int_param(request, "maxResults", 20, high=1000)
    chunk = [dashboard_bean(request, db, d) for d in found[start : start + size]]
    out: dict[str, Any] = {"startAt": start, "maxResults": size, "total": len(found)}
    if start + size < len(found):
        out["next"] = str(request.url.include_query_params(startAt=start + size))
    return ok({**out, "dashboards": chunk})


def visible_dashboards(request: Request, db: Store) -> list[Doc]:
    return [d for d in db.all(DASHBOARDS) if d.get("system") or _sharing.can_view(db, request, d)]


@route("/rest/api/3/dashboard/search")
async def search_dashboards(request: Request) -> Response:
    db, params = store(request), request.query_params
    name = (params.get("dashboardName") or "").casefold()
    found = [
        d
        for d in visible_dashboards(request, db)
        if name in d["name"].casefold()
        and params.get("accountId", d.get("owner")) == d.get("owner")
        and (params.get("groupId") is None or _has(d, "groupId", params.get("groupId")))
        and (params.get("projectId") is None or _has(d, "projectId", params.get("projectId")))
    ]
    order = params.get("orderBy", "name").lstrip("+-")
    require(order in ("name", "id", "owner", "description"), 400, "The orderBy is not valid.")
    key = (lambda d: int(d["id"])) if order == "id" else (lambda d: str(d.get(order)).casefold())
    found.sort(key=key, reverse=params.get("orderBy", "").startswith("-"))
    expand = tuple(list_param(request, "expand"))
    return ok(page(request, [dashboard_bean(request, db, d, expand) for d in found]))


def _has(doc: Doc, key: str, value: str | None) -> bool:
    return any(p.get(key) == value for p in doc["share"])


@route("/rest/api/3/dashboard", "POST")
async def create_dashboard(request: Request) -> Response:
    db = store(request)
    owner = {"owner": request.state.account_id, "share": [], "edit": []}
    with db.tx():
        doc = db.insert(DASHBOARDS, await dashboard_body(request, db, owner))
    return ok(dashboard_bean(request, db, doc))


@route("/rest/api/3/dashboard/{id}")
async def get_dashboard(request: Request) -> Response:
    db = store(request)
    return ok(dashboard_bean(request, db, seen(request, db, request.path_params["id"])))


@route("/rest/api/3/dashboard/{id}", "PUT")
async def update_dashboard(request: Request) -> Response:
    db = store(request)
    doc = editable(request, db, request.path_params["id"])
    with db.tx():
        doc = db.put(DASHBOARDS, await dashboard_body(request, db, doc))
    return ok(dashboard_bean(request, db, doc))


@route("/rest/api/3/dashboard/{id}", "DELETE")
async def delete_dashboard(request: Request) -> Response:
    db = store(request)
    doc = editable(request, db, request.path_params["id"])
    with db.tx():
        for gadget in db.all(GADGETS, doc["id"]):
            db.delete_children(PROPERTIES, f"{doc['id']}/{gadget['id']}")
        db.delete_children(GADGETS, doc["id"])
        db.delete(DASHBOARDS, doc["id"])
    return no_content()


@route("/rest/api/3/dashboard/{id}/copy", "POST")
async def copy_dashboard(request: Request) -> Response:
    db = store(request)
    source = seen(request, db, request.path_params["id"])
    fresh = {"owner": request.state.account_id, "share": [], "edit": []}
    with db.tx():
        doc = db.insert(DASHBOARDS, await dashboard_body(request, db, fresh))
        for gadget in db.all(GADGETS, source["id"]):
            copied = db.insert(GADGETS, {**gadget, "id": None}, parent=doc["id"])
            for prop in db.all(PROPERTIES, f"{source['id']}/{gadget['id']}"):
                _put_property(db, doc["id"], copied["id"], prop["key"], prop["value"])
    return ok(dashboard_bean(request, db, doc))


@route("/rest/api/3/dashboard/bulk/edit", "PUT")
async def bulk_edit(request: Request) -> Response:
    db = store(request)
    data = await body_object(request, {"action": str, "entityIds": list})
    require(data.get("action") == "changeOwner", 400, "Only changeOwner is supported here.")
    details = data.get("changeOwnerDetails")
    details = details if isinstance(details, dict) else {}
    owner = str(details.get("newOwner") or "")
    require(find_user(db, owner) is not None, 400, f"The user '{owner}' does not exist.")
    admin = bool(data.get("extendAdminPermissions")) and _sharing.is_admin(
        db, request.state.account_id
    )
    errors = {}
    for raw in data.get("entityIds") or []:
        doc = db.get(DASHBOARDS, str(raw))
        if (
            doc is None
            or doc.get("system")
            or not (admin or doc["owner"] == request.state.account_id)
        ):
            errors[str(raw)] = {"errorMessages": [MISSING], "errors": {}}
            continue
        db.put(DASHBOARDS, {**doc, "owner": owner})
    return ok({"action": "changeOwner", "entityErrors": errors})


# -- gadgets -------------------------------------------------------------------------------------
def gadget_bean(gadget: Doc) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": int(gadget["id"]),
        "title": gadget.get("title", ""),
        "color": gadget["color"],
        "position": {"column": gadget["column"], "row": gadget["row"]},
    }
    for key in ("moduleKey", "uri"):
        if gadget.get(key):
            out[key] = gadget[key]
    return out


def gadgets_of(db: Store, dashboard_id: str) -> list[Doc]:
    return sorted(db.all(GADGETS, dashboard_id), key=lambda g: (g["column"], g["row"]))


@route("/rest/api/3/dashboard/{id}/gadget")
async def list_gadgets(request: Request) -> Response:
    db = store(request)
    doc = seen(request, db, request.path_params["id"])
    return ok({"gadgets": [gadget_bean(g) for g in gadgets_of(db, doc["id"])]})


@route("/rest/api/3/dashboard/{id}/gadget", "POST")
async def add_gadget(request: Request) -> Response:
    db = store(request)
    doc = editable(request, db, request.path_params["id"])
    data = await body_object(request, GADGET_SHAPE)
    gadget = {**_module(data), "title": str(data.get("title") or ""), **_looks(data, "blue")}
    column, row = _position(data, db, doc["id"])
    with db.tx():
        _shift(db, doc["id"], column, row, 1)
        made = db.insert(GADGETS, {**gadget, "column": column, "row": row}, parent=doc["id"])
    return ok(gadget_bean(made))


def _module(data: dict[str, Any]) -> dict[str, Any]:
    module, uri = data.get("moduleKey"), data.get("uri")
    require(not (module and uri), 400, "Only one of moduleKey or uri can be provided.")
    require(bool(module or uri), 400, "Either moduleKey or uri must be provided.")
    known = data.get("ignoreUriAndModuleKeyValidation") is True or module in MODULES
    require(known, 400, f"The gadget with the module key '{module or uri}' does not exist.")
    return {"moduleKey": module} if module else {"uri": uri}


def _looks(data: dict[str, Any], default: str) -> dict[str, Any]:
    color = data.get("color") or default
    require(color in COLORS, 400, f"The color '{color}' is not valid.", "color")
    return {"color": color}


def _position(data: dict[str, Any], db: Store, dashboard_id: str) -> tuple[int, int]:
    position = data.get("position")
    if not isinstance(position, dict):
        return 0, len([g for g in db.all(GADGETS, dashboard_id) if g["column"] == 0])
    column: Any = position.get("column")
    row: Any = position.get("row")
    if not (_index(column) and _index(row)):
        raise ApiError(400, errors={"position": "The position needs a column and a row."})
    require(0 <= int(column) < COLUMNS, 400, "The column index is out of range.", "position")
    require(int(row) >= 0, 400, "The row index is out of range.", "position")
    return int(column), int(row)


def _index(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _shift(db: Store, dashboard_id: str, column: int, row: int, by: int) -> None:
    for gadget in db.all(GADGETS, dashboard_id):
        if gadget["column"] == column and gadget["row"] >= row:
            db.put(GADGETS, {**gadget, "row": gadget["row"] + by})


def _gadget(db: Store, doc: Doc, gadget_id: str) -> Doc:
    found = db.get(GADGETS, gadget_id) if gadget_id.isdigit() else None
    if found is None or db.parent_of(GADGETS, gadget_id) != doc["id"]:
        raise ApiError(404, f"The gadget with id '{gadget_id}' does not exist on this dashboard.")
    return found


@route("/rest/api/3/dashboard/{id}/gadget/{gadgetId}", "PUT")
async def update_gadget(request: Request) -> Response:
    db = store(request)
    doc = editable(request, db, request.path_params["id"])
    gadget = _gadget(db, doc, request.path_params["gadgetId"])
    data = await body_object(request, GADGET_SHAPE)
    changed = {**gadget, **_looks(data, gadget["color"])}
    if "title" in data:
        changed["title"] = str(data.get("title") or "")
    with db.tx():
        if isinstance(data.get("position"), dict):
            _shift(db, doc["id"], gadget["column"], gadget["row"] + 1, -1)
            column, row = _position(data, db, doc["id"])
            _shift(db, doc["id"], column, row, 1)
            changed.update(column=column, row=row)
        db.put(GADGETS, changed)
    return no_content()


@route("/rest/api/3/dashboard/{id}/gadget/{gadgetId}", "DELETE")
async def remove_gadget(request: Request) -> Response:
    db = store(request)
    doc = editable(request, db, request.path_params["id"])
    gadget = _gadget(db, doc, request.path_params["gadgetId"])
    with db.tx():
        db.delete(GADGETS, gadget["id"])
        db.delete_children(PROPERTIES, f"{doc['id']}/{gadget['id']}")
        _shift(db, doc["id"], gadget["column"], gadget["row"] + 1, -1)
    return no_content()


# -- item properties -----------------------------------------------------------------------------
def _put_property(db: Store, dashboard_id: str, item_id: str, key: str, value: Any) -> bool:
    """Store a property; whether it is new."""
    parent = f"{dashboard_id}/{item_id}"
    doc_id = f"{parent}/{key}"
    existing = db.get(PROPERTIES, doc_id)
    if existing is not None:
        db.put(PROPERTIES, {**existing, "value": value})
        return False
    db.insert(PROPERTIES, {"id": doc_id, "key": key, "value": value}, parent=parent)
    return True


def _item(request: Request, db: Store, write: bool) -> tuple[Doc, Doc]:
    dashboard_id = request.path_params["dashboardId"]
    doc = editable(request, db, dashboard_id) if write else seen(request, db, dashboard_id)
    return doc, _gadget(db, doc, request.path_params["itemId"])


@route("/rest/api/3/dashboard/{dashboardId}/items/{itemId}/properties")
async def property_keys(request: Request) -> Response:
    db = store(request)
    doc, gadget = _item(request, db, False)
    url = base(request) + request.url.path
    keys = [
        {"key": p["key"], "self": f"{url}/{p['key']}"}
        for p in db.all(PROPERTIES, f"{doc['id']}/{gadget['id']}")
    ]
    return ok({"keys": keys})


@route("/rest/api/3/dashboard/{dashboardId}/items/{itemId}/properties/{key}")
async def get_property(request: Request) -> Response:
    db = store(request)
    doc, gadget = _item(request, db, False)
    key = request.path_params["key"]
    found = db.get(PROPERTIES, f"{doc['id']}/{gadget['id']}/{key}")
    if found is None:
        raise ApiError(404, f"The property with key '{key}' does not exist.")
    return ok({"key": key, "value": found["value"]})


@route("/rest/api/3/dashboard/{dashboardId}/items/{itemId}/properties/{key}", "PUT")
async def set_property(request: Request) -> Response:
    db = store(request)
    doc, gadget = _item(request, db, True)
    key = request.path_params["key"]
    require(len(key) <= 255, 400, "The property key is too long.")
    value = await body(request)
    require(len(json.dumps(value)) <= 32768, 400, "The property value is too long.")
    created = _put_property(db, doc["id"], gadget["id"], key, value)
    return ok({}, 201 if created else 200)


@route("/rest/api/3/dashboard/{dashboardId}/items/{itemId}/properties/{key}", "DELETE")
async def delete_property(request: Request) -> Response:
    db = store(request)
    doc, gadget = _item(request, db, True)
    key = request.path_params["key"]
    require(
        db.delete(PROPERTIES, f"{doc['id']}/{gadget['id']}/{key}"),
        404,
        f"The property with key '{key}' does not exist.",
    )
    return no_content()


ROUTES = [
    list_dashboards,
    search_dashboards,
    create_dashboard,
    bulk_edit,
    get_dashboard,
    update_dashboard,
    delete_dashboard,
    copy_dashboard,
    list_gadgets,
    add_gadget,
    update_gadget,
    remove_gadget,
    property_keys,
    get_property,
    set_property,
    delete_property,
]


def seed_empty(db: Store) -> None:
    """The system dashboard every site has."""
    system = {"id": SYSTEM, "name": "Default dashboard", "system": True, "owner": ""}
    db.insert(DASHBOARDS, {**system, "share": [{"id": 1, "type": "global"}], "edit": []})
    db.next_id(DASHBOARDS, start=10001)
