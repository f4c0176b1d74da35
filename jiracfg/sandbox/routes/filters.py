"""Filters (``/filter``): saved JQL with an owner, share and edit permissions.

Collection ``filter`` ``{id, name, jql, description, owner: accountId, share: [perm], edit:
[perm]}`` (permissions: see ``_sharing``). Jira's rules kept here: a filter is seen only by its
owner, the users it is shared with, and administrators asking ``overrideSharePermissions=true``
(else ``GET /filter/{id}`` is Jira's 400 "not available to you"); names are unique per owner,
ignoring case (400 ``filterName``); JQL naming a field or a value the site does not have is a 400
``jql`` (the sandbox's JQL reader decides; what it cannot read beyond that is accepted); only the
owner (or a user its edit permissions name) updates a filter, only the owner or an administrator
deletes it or changes its owner; adding a global or logged-in share replaces every other share.

Exported for other areas: ``get_filter(db, id) -> doc|None``; ``forget_group(db, group_id)``.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from jiracfg.kinds._jql import SYSTEM_FIELDS
from jiracfg.sandbox import jql
from jiracfg.sandbox.http import (
    ApiError,
    base,
    body_object,
    list_param,
    no_content,
    ok,
    page,
    require,
    route,
    same_name,
    store,
)
from jiracfg.sandbox.routes import _sharing
from jiracfg.sandbox.routes.core import find_user, user_bean
from jiracfg.sandbox.store import Doc, Store

FILTERS = "filter"
UNAVAILABLE = (
    "The selected filter is not available to you, perhaps it has been deleted or had its "
    "permissions changed."
)
SHAPE = {"jql": str, "sharePermissions": list, "editPermissions": list, "favourite": bool}
EXPANDS = (
    "description",
    "owner",
    "jql",
    "viewUrl",
    "searchUrl",
    "favourite",
    "favouritedCount",
    "sharePermissions",
    "editPermissions",
)


def get_filter(db: Store, filter_id: Any) -> Doc | None:
    return db.get(FILTERS, str(filter_id))


def forget_group(db: Store, group_id: str) -> None:
    _sharing.forget_group(db, FILTERS, group_id)


def filter_bean(request: Request, db: Store, doc: Doc, expand: tuple[str, ...]) -> dict[str, Any]:
    url = base(request)
    owner = find_user(db, doc["owner"]) or {"accountId": doc["owner"]}
    full: dict[str, Any] = {
        "self": f"{url}/rest/api/3/filter/{doc['id']}",
        "id": doc["id"],
        "name": doc["name"],
        "description": doc.get("description", ""),
        "owner": user_bean(request, owner) if "emailAddress" in owner else owner,
        "jql": doc.get("jql", ""),
        "viewUrl": f"{url}/issues/?filter={doc['id']}",
        "searchUrl": f"{url}/rest/api/3/search?jql={doc.get('jql', '')}",
        "favourite": False,
        "favouritedCount": 0,
        "sharePermissions": [_sharing.permission_bean(request, db, p) for p in doc["share"]],
        "editPermissions": [_sharing.permission_bean(request, db, p) for p in doc["edit"]],
    }
    return {k: v for k, v in full.items() if k in ("self", "id", "name") or k in expand}


def visible(request: Request, db: Store, filter_id: str) -> Doc:
    doc = get_filter(db, filter_id) if filter_id.isdigit() else None
    if doc is None or not _sharing.can_view(db, request, doc):
        raise ApiError(400, UNAVAILABLE)
    return doc


def checked_jql(db: Store, text: Any) -> str:
    """The JQL, or Jira's 400 (``errors.jql``) when it names a field, or a value of a field the
    sandbox reads, that the site does not have; JQL the sandbox's reader can't parse (functions,
    history operators) is accepted as it is."""
    query = str(text or "")
    try:
        parsed = jql.parse(query)
    except ApiError:
        return query
    for clause in _clauses(parsed.where):
        _check_clause(db, clause)
    return query


def _clauses(node: jql.Node | None) -> list[jql.Clause]:
    if node is None:
        return []
    if isinstance(node, jql.Clause):
        return [node]
    return [c for item in node.items for c in _clauses(item)]


def _check_clause(db: Store, clause: jql.Clause) -> None:
    name = clause.name
    known = name.casefold() in SYSTEM_FIELDS or name.casefold().startswith("issue.property")
    if not known and not jql.custom_fields(db, name):
        message = f"Field '{name}' does not exist or you do not have permission to view it."
        raise ApiError(400, errors={"jql": message})
    if clause.op in ("=", "!=", "in", "not in") and name.casefold() in jql.SYSTEM:
        try:
            jql.compile_clause(db, clause)
        except ApiError as exc:
            raise ApiError(400, errors={"jql": exc.messages[0]}) from exc
    named = NAMED_BY_VALUE.get(name.casefold())
    if clause.op in ("=", "!=", "in", "not in") and named is not None:
        for value in clause.values:
            _check_named(db, name, named, value)


def _check_named(db: Store, name: str, kind: str, value: str) -> None:
    """Jira's 400 for a filter, sprint or user (by id, name or email) the site does not have."""
    if LOOKUPS[kind](db, value):
        return
    message = (
        f"A value with ID '{value}' does not exist for the field '{name}'."
        if value.isdigit()
        else f"The value '{value}' does not exist for the field '{name}'."
    )
    raise ApiError(400, errors={"jql": message})


def _filter_named(db: Store, value: str) -> bool:
    if value.isdigit():
        return get_filter(db, value) is not None
    return db.first(FILTERS, lambda f: same_name(f["name"], value)) is not None


def _sprint_named(db: Store, value: str) -> bool:
    if value.isdigit():
        return db.get("sprint", value) is not None
    return db.first("sprint", lambda s: same_name(s["name"], value)) is not None


def _user_named(db: Store, value: str) -> bool:
    wanted = value.casefold()
    return find_user(db, value) is not None or (
        db.first("user", lambda u: str(u.get("emailAddress", "")).casefold() == wanted) is not None
    )


NAMED_BY_VALUE = {
    **dict.fromkeys(("filter", "request", "savedfilter", "searchrequest"), "filter"),
    "sprint": "sprint",
    **dict.fromkeys(("assignee", "reporter", "creator", "watcher", "voter"), "user"),
}
LOOKUPS = {"filter": _filter_named, "sprint": _sprint_named, "user": _user_named}


def checked_filter_name(db: Store, data: dict[str, Any], owner: str, own_id: str | None) -> str:
    name = data.get("name")
    require(
        isinstance(name, str) and name.strip() != "",
        400,
        "You must specify a name to save this filter as.",
        "filterName",
    )
    require(len(str(name)) <= 255, 400, "The filter name is too long.", "filterName")
    taken = db.first(
        FILTERS,
        lambda d: d["owner"] == owner and same_name(d["name"], str(name)) and d["id"] != own_id,
    )
    require(taken is None, 400, "Filter with same name already exists.", "filterName")
    return str(name).strip()


async def filter_body(request: Request, db: Store, owner: str, own: Doc | None) -> Doc:
    data = await body_object(request, SHAPE)
    doc: Doc = dict(own or {"owner": owner, "share": [], "edit": [], "description": ""})
    doc["name"] = checked_filter_name(db, data, doc["owner"], own["id"] if own else None)
    doc["jql"] = checked_jql(db, data.get("jql", doc.get("jql", "")))
    if "description" in data:
        doc["description"] = str(data.get("description") or "")
    if "sharePermissions" in data:
        doc["share"] = _sharing.read_permissions(db, data["sharePermissions"], "sharePermissions")
    if "editPermissions" in data:
        doc["edit"] = _sharing.read_permissions(db, data["editPermissions"], "editPermissions")
    return doc


def expand_of(request: Request) -> tuple[str, ...]:
    return tuple(list_param(request, "expand"))


@route("/rest/api/3/filter", "POST")
async def create_filter(request: Request) -> Response:
    db = store(request)
    with db.tx():
        doc = db.insert(FILTERS, await filter_body(request, db, request.state.account_id, None))
    return ok(filter_bean(request, db, doc, EXPANDS))


@route("/rest/api/3/filter/search")
async def search_filters(request: Request) -> Response:
    db = store(request)
    ids = list_param(request, "id")
    require(len(ids) <= 200, 400, "The id parameter accepts at most 200 filter ids.")
    found = [d for d in db.all(FILTERS) if _sharing.can_view(db, request, d)]
    found = [d for d in found if _matches(request, d, ids)]
    order = request.query_params.get("orderBy", "name")
    require(
        order.lstrip("+-") in ("name", "id", "description", "owner"),
        400,
        f"The orderBy value '{order}' is not valid.",
    )
    found.sort(key=lambda d: _sort_key(d, order.lstrip("+-")), reverse=order.startswith("-"))
    beans = [filter_bean(request, db, d, expand_of(request)) for d in found]
    return ok(page(request, beans, default_max=50, cap=100))


def _matches(request: Request, doc: Doc, ids: list[str]) -> bool:
    params = request.query_params
    name = (params.get("filterName") or "").casefold()
    shares = doc["share"]
    return (
        (not ids or doc["id"] in ids)
        and name in doc["name"].casefold()
        and params.get("accountId", doc["owner"]) == doc["owner"]
        and _shared(shares, "groupId", params.get("groupId"))
        and _shared(shares, "projectId", params.get("projectId"))
    )


def _shared(shares: list[Doc], key: str, wanted: str | None) -> bool:
    return wanted is None or any(p.get(key) == wanted for p in shares)


def _sort_key(doc: Doc, order: str) -> Any:
    if order == "id":
        return int(doc["id"])
    return (str(doc.get(order) or "").casefold(), int(doc["id"]))


@route("/rest/api/3/filter/my")
async def my_filters(request: Request) -> Response:
    db = store(request)
    mine = db.where(FILTERS, owner=request.state.account_id)
    return ok([filter_bean(request, db, d, EXPANDS) for d in mine])


@route("/rest/api/3/filter/{id}")
async def get_one(request: Request) -> Response:
    db = store(request)
    doc = visible(request, db, request.path_params["id"])
    return ok(filter_bean(request, db, doc, EXPANDS))


@route("/rest/api/3/filter/{id}", "PUT")
async def update_filter(request: Request) -> Response:
    db = store(request)
    own = visible(request, db, request.path_params["id"])
    require(
        _sharing.can_edit(db, request, own),
        400,
        "You do not have permission to edit this filter; only its owner can.",
    )
    with db.tx():
        doc = db.put(FILTERS, await filter_body(request, db, own["owner"], own))
    return ok(filter_bean(request, db, doc, EXPANDS))


@route("/rest/api/3/filter/{id}", "DELETE")
async def delete_filter(request: Request) -> Response:
    db = store(request)
    doc = get_filter(db, request.path_params["id"])
    require(doc is not None, 400, UNAVAILABLE)
    assert doc is not None
    allowed = doc["owner"] == request.state.account_id or _sharing.is_admin(
        db, request.state.account_id
    )
    require(allowed, 401, "You do not have permission to delete this filter.")
    db.delete(FILTERS, doc["id"])
    return no_content()


@route("/rest/api/3/filter/{id}/owner", "PUT")
async def change_owner(request: Request) -> Response:
    db = store(request)
    data = await body_object(request, {"accountId": str})
    doc = get_filter(db, request.path_params["id"])
    require(doc is not None, 404, "The filter does not exist.")
    assert doc is not None
    caller = request.state.account_id
    require(doc["owner"] == caller or _sharing.is_admin(db, caller), 403, "You cannot do this.")
    account = str(data.get("accountId") or "")
    require(find_user(db, account) is not None, 404, f"The user '{account}' does not exist.")
    clash = db.first(
        FILTERS,
        lambda d: d["owner"] == account and same_name(d["name"], doc["name"]) and d != doc,
    )
    require(
        clash is None,
        400,
        "The new owner of the filter already owns a filter with the same name.",
    )
    db.put(FILTERS, {**doc, "owner": account})
    return no_content()


@route("/rest/api/3/filter/{id}/permission")
async def get_permissions(request: Request) -> Response:
    db = store(request)
    doc = _seen(request, db)
    return ok([_sharing.permission_bean(request, db, p) for p in doc["share"]])


@route("/rest/api/3/filter/{id}/permission", "POST")
async def add_permission(request: Request) -> Response:
    db = store(request)
    doc = _seen(request, db)
    require(doc["owner"] == request.state.account_id, 400, "Only the owner can share a filter.")
    data = await body_object(request, {"type": str, "groupname": str, "projectId": str})
    perm = _sharing.read_permission(db, data, "type")
    everyone = perm["type"] in _sharing.EVERYONE
    shares = [perm] if everyone else [*_kept(doc["share"]), perm]
    db.put(FILTERS, {**doc, "share": shares})
    return ok([_sharing.permission_bean(request, db, p) for p in shares], 201)


def _kept(shares: list[Doc]) -> list[Doc]:
    return [p for p in shares if p["type"] not in _sharing.EVERYONE]


@route("/rest/api/3/filter/{id}/permission/{permissionId}")
async def get_permission(request: Request) -> Response:
    db = store(request)
    perm = _permission(_seen(request, db), request.path_params["permissionId"])
    return ok(_sharing.permission_bean(request, db, perm))


@route("/rest/api/3/filter/{id}/permission/{permissionId}", "DELETE")
async def delete_permission(request: Request) -> Response:
    db = store(request)
    doc = _seen(request, db)
    require(doc["owner"] == request.state.account_id, 404, UNAVAILABLE)
    perm = _permission(doc, request.path_params["permissionId"])
    db.put(FILTERS, {**doc, "share": [p for p in doc["share"] if p is not perm]})
    return no_content()


def _seen(request: Request, db: Store) -> Doc:
    filter_id = request.path_params["id"]
    doc = get_filter(db, filter_id) if filter_id.isdigit() else None
    if doc is None or not _sharing.can_view(db, request, doc):
        raise ApiError(404, UNAVAILABLE)
    return doc


def _permission(doc: Doc, permission_id: str) -> Doc:
    found = [p for p in doc["share"] if str(p["id"]) == permission_id]
    if not found:
        raise ApiError(404, f"Share permission with id '{permission_id}' does not exist.")
    perm: Doc = found[0]
    return perm


ROUTES = [
    create_filter,
    search_filters,
    my_filters,
    get_one,
    update_filter,
    delete_filter,
    change_owner,
    get_permissions,
    add_permission,
    get_permission,
    delete_permission,
]


def seed_empty(db: Store) -> None:
    """Nothing: a new site has no filters."""
