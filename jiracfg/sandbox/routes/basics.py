"""Priorities, resolutions and issue link types.

Collections: ``priority`` ``{id, name, description, statusColor, iconUrl?, avatarId?, isDefault}``
and ``resolution`` ``{id, name, description, isDefault}``, both listed in their stored order (what
``/move`` changes); ``issue_link_type`` ``{id, name, inward, outward}``. A new site has Jira's five
priorities (Medium the default), four resolutions and four link types.

Deleting a priority or resolution runs as an async task. Resolutions take the ``replaceWith``
resolution for their issues; priorities (whose ``replaceWith`` Jira removed with priority schemes)
hand their issues to the default priority, and the default priority itself can't be deleted.

Exported for other areas: ``get_priority(store, id)``, ``default_priority_id(store)``,
``get_resolution(store, id)``, ``get_link_type(store, id)``.
Expected from other areas (optional): ``issues.count_issues(store, priority_id=|resolution_id=)``,
``issues.replace_priority(store, old_id, new_id)``, ``issues.replace_resolution(store, old_id,
new_id)``.
"""

from __future__ import annotations

import re
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from jiracfg.sandbox import tasks
from jiracfg.sandbox.http import (
    base,
    body_object,
    bool_param,
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
from jiracfg.sandbox.routes._common import count_issues
from jiracfg.sandbox.store import Doc, Store

PRIORITIES, RESOLUTIONS, LINK_TYPES = "priority", "resolution", "issue_link_type"
COLOR = re.compile(r"^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
ICONS = {
    f"/images/icons/priorities/{name}{suffix}.png"
    for suffix in ("", "_new")
    for name in (
        "blocker",
        "critical",
        "high",
        "highest",
        "low",
        "lowest",
        "major",
        "medium",
        "minor",
        "trivial",
    )
}
SEED_PRIORITIES = [
    ("1", "Highest", "This problem will block progress.", "#d04437"),
    ("2", "High", "Serious problem that could block progress.", "#f15C75"),
    ("3", "Medium", "Has the potential to affect progress.", "#f79232"),
    ("4", "Low", "Minor problem or easily worked around.", "#707070"),
    ("5", "Lowest", "Trivial problem with little or no impact on progress.", "#999999"),
]
SEED_RESOLUTIONS = [
    ("10000", "Done", "Work has been completed on this issue."),
    ("10001", "Won't Do", "This issue won't be actioned."),
    ("10002", "Duplicate", "The problem is a duplicate of an existing issue."),
    (
        "10003",
        "Cannot Reproduce",
        "All attempts at reproducing this issue failed, or not enough "
        "information was available to reproduce the issue. Reading the code produces no clues "
        "as to why this behavior would occur. If more information appears later, please reopen "
        "the issue.",
    ),
]
SEED_LINK_TYPES = [
    ("10000", "Blocks", "is blocked by", "blocks"),
    ("10001", "Cloners", "is cloned by", "clones"),
    ("10002", "Duplicate", "is duplicated by", "duplicates"),
    ("10003", "Relates", "relates to", "relates to"),
]


# -- exported API ------------------------------------------------------------------------------
def get_priority(db: Store, priority_id: Any) -> Doc | None:
    return db.get(PRIORITIES, str(priority_id))


def default_priority_id(db: Store) -> str | None:
    found = db.first(PRIORITIES, lambda p: bool(p["isDefault"]))
    return None if found is None else str(found["id"])


def get_resolution(db: Store, resolution_id: Any) -> Doc | None:
    return db.get(RESOLUTIONS, str(resolution_id))


def all_priorities(db: Store) -> list[Doc]:
    return db.all(PRIORITIES)


def all_resolutions(db: Store) -> list[Doc]:
    return db.all(RESOLUTIONS)


def get_link_type(db: Store, link_type_id: Any) -> Doc | None:
    return db.get(LINK_TYPES, str(link_type_id))


# -- shared by priorities and resolutions ------------------------------------------------------
def find(db: Store, coll: str, raw: str) -> Doc:
    return found(db.get(coll, raw), f"{coll.capitalize()} with ID {raw} not found.")


def check_name(db: Store, coll: str, name: Any, own_id: str | None = None) -> str:
    checked = checked_name(
        name,
        f"The {coll} name is required.",
        f"The {coll} name must not exceed 60 characters.",
        limit=60,
    )
    require(
        not name_taken(db, coll, checked, own_id),
        400,
        f"The {coll} name '{name}' is already used.",
        "name",
    )
    return checked


def check_description(data: dict[str, Any]) -> str:
    text = str(data.get("description") or "")
    require(len(text) <= 255, 400, "The length of the description must not exceed 255 characters.")
    return text


def set_default(db: Store, coll: str, new_id: str | None) -> None:
    with db.tx():
        for doc in db.all(coll):
            if doc["isDefault"] != (doc["id"] == new_id):
                db.put(coll, {**doc, "isDefault": doc["id"] == new_id})


def order_routes(coll: str) -> list[Route]:
    """``PUT /{coll}/default`` and ``PUT /{coll}/move`` (priorities and resolutions alike)."""

    async def set_default(request: Request) -> Response:
        return await default_request(request, coll)

    async def move(request: Request) -> Response:
        return await move_request(request, coll)

    return [
        route(f"/rest/api/3/{coll}/default", "PUT")(set_default),
        route(f"/rest/api/3/{coll}/move", "PUT")(move),
    ]


async def default_request(request: Request, coll: str) -> Response:
    data, db = await body_object(request), store(request)
    require("id" in data, 400, "The id has to be provided.")
    new_id = None if data["id"] is None else str(data["id"])
    if new_id is not None:
        find(db, coll, new_id)
    set_default(db, coll, new_id)
    return no_content()


async def move_request(request: Request, coll: str) -> Response:
    data, db = await body_object(request), store(request)
    ids = [str(i) for i in data.get("ids") or []]
    require(bool(ids), 400, "The ids must be provided.", "ids")
    require(len(set(ids)) == len(ids), 400, "The ids must not contain duplicates.", "ids")
    require(len(ids) <= 1000, 400, "The ids must contain no more than 1,000 items.")
    for item in ids:
        find(db, coll, item)
    current = [d["id"] for d in db.all(coll)]
    db.reorder(coll, moved(current, ids, data, lambda after, rest: check_after(after, rest, ids)))
    return no_content()


def check_after(after: str, rest: list[str], ids: list[str]) -> None:
    require(after not in ids, 400, "The after ID can't be one of the moved IDs.", "after")
    require(after in rest, 404, f"The ID '{after}' to move after was not found.")


def search(request: Request, db: Store, coll: str) -> list[Doc]:
    ids, only_default = list_param(request, "id"), bool_param(request, "onlyDefault")
    return db.find(
        coll, lambda d: (not ids or d["id"] in ids) and (not only_default or d["isDefault"])
    )


# -- priorities --------------------------------------------------------------------------------
def priority_bean(request: Request, doc: Doc) -> dict[str, Any]:
    bean = {
        "self": f"{base(request)}/rest/api/3/priority/{doc['id']}",
        "id": doc["id"],
        "name": doc["name"],
        "description": doc["description"],
        "statusColor": doc["statusColor"],
        "isDefault": doc["isDefault"],
    }
    if doc.get("iconUrl"):
        bean["iconUrl"] = base(request) + doc["iconUrl"]
    if doc.get("avatarId") is not None:
        bean["avatarId"] = doc["avatarId"]
    return bean


def priority_details(db: Store, data: dict[str, Any], doc: Doc) -> Doc:
    """``doc`` with the priority fields of a create or update body applied and checked."""
    if "name" in data or "id" not in doc:
        doc["name"] = check_name(db, PRIORITIES, data.get("name"), doc.get("id"))
    if "statusColor" in data or "id" not in doc:
        color = data.get("statusColor")
        require(
            isinstance(color, str) and bool(COLOR.match(color)),
            400,
            "The status color must be a 3 or 6 digit hexadecimal color.",
            "statusColor",
        )
        doc["statusColor"] = color
    if "description" in data:
        doc["description"] = check_description(data)
    require(
        data.get("iconUrl") is None or data.get("avatarId") is None,
        400,
        "Either iconUrl or avatarId can be provided, not both.",
    )
    if data.get("iconUrl") is not None:
        require(data["iconUrl"] in ICONS, 400, "The iconUrl is not a built-in icon.", "iconUrl")
        doc.update(iconUrl=data["iconUrl"], avatarId=None)
    if data.get("avatarId") is not None:
        doc.update(avatarId=int(data["avatarId"]), iconUrl=None)
    return doc


@route("/rest/api/3/priority")
async def list_priorities(request: Request) -> Response:
    return ok([priority_bean(request, p) for p in store(request).all(PRIORITIES)])


@route("/rest/api/3/priority/search")
async def search_priorities(request: Request) -> Response:
    name = (request.query_params.get("priorityName") or "").casefold()
    docs = [d for d in search(request, store(request), PRIORITIES) if name in d["name"].casefold()]
    return ok(page(request, [priority_bean(request, d) for d in docs]))


@route("/rest/api/3/priority", "POST")
async def create_priority(request: Request) -> Response:
    data, db = await body_object(request), store(request)
    doc = priority_details(db, data, {"description": "", "isDefault": False})
    return ok({"id": db.insert(PRIORITIES, doc)["id"]}, 201)


@route("/rest/api/3/priority/{id}")
async def get_priority_route(request: Request) -> Response:
    doc = find(store(request), PRIORITIES, request.path_params["id"])
    return ok(priority_bean(request, doc))


@route("/rest/api/3/priority/{id}", "PUT")
async def update_priority(request: Request) -> Response:
    data, db = await body_object(request), store(request)
    doc = find(db, PRIORITIES, request.path_params["id"])
    db.put(PRIORITIES, priority_details(db, data, doc))
    return no_content()


@route("/rest/api/3/priority/{id}", "DELETE")
async def delete_priority(request: Request) -> Response:
    db = store(request)
    doc = find(db, PRIORITIES, request.path_params["id"])
    require(not doc["isDefault"], 400, "The default priority can't be deleted.")
    in_schemes = peer("priorityschemes", "priority_in_schemes")
    require(
        in_schemes is None or not in_schemes(db, doc["id"]),
        400,
        "You can't delete a priority that is associated with a priority scheme.",
    )
    default = default_priority_id(db)
    in_use = count_issues(db, priority_id=doc["id"]) > 0
    require(
        default is not None or not in_use,
        400,
        "The priority is used by issues and there is no default priority to move them to.",
    )

    def work() -> None:
        replace = peer("issues", "replace_priority")
        if replace and in_use:
            replace(db, doc["id"], default)
        forget = peer("priorityschemes", "forget_priority")
        if forget is not None:
            forget(db, doc["id"])
        db.delete(PRIORITIES, doc["id"])

    return tasks.submit(request, f"Deleting priority {doc['name']}", work)


# -- resolutions -------------------------------------------------------------------------------
def resolution_bean(request: Request, doc: Doc) -> dict[str, Any]:
    return {
        "self": f"{base(request)}/rest/api/3/resolution/{doc['id']}",
        "id": doc["id"],
        "name": doc["name"],
        "description": doc["description"],
    }


@route("/rest/api/3/resolution")
async def list_resolutions(request: Request) -> Response:
    return ok([resolution_bean(request, r) for r in store(request).all(RESOLUTIONS)])


@route("/rest/api/3/resolution/search")
async def search_resolutions(request: Request) -> Response:
    docs = search(request, store(request), RESOLUTIONS)
    return ok(
        page(request, [{**resolution_bean(request, d), "isDefault": d["isDefault"]} for d in docs])
    )


@route("/rest/api/3/resolution", "POST")
async def create_resolution(request: Request) -> Response:
    data, db = await body_object(request), store(request)
    doc = db.insert(
        RESOLUTIONS,
        {
            "name": check_name(db, RESOLUTIONS, data.get("name")),
            "description": check_description(data),
            "isDefault": False,
        },
    )
    return ok({"id": doc["id"]}, 201)


@route("/rest/api/3/resolution/{id}")
async def get_resolution_route(request: Request) -> Response:
    doc = find(store(request), RESOLUTIONS, request.path_params["id"])
    return ok(resolution_bean(request, doc))


@route("/rest/api/3/resolution/{id}", "PUT")
async def update_resolution(request: Request) -> Response:
    data, db = await body_object(request), store(request)
    doc = find(db, RESOLUTIONS, request.path_params["id"])
    doc["name"] = check_name(db, RESOLUTIONS, data.get("name"), doc["id"])
    if "description" in data:
        doc["description"] = check_description(data)
    db.put(RESOLUTIONS, doc)
    return no_content()


@route("/rest/api/3/resolution/{id}", "DELETE")
async def delete_resolution(request: Request) -> Response:
    db = store(request)
    doc = find(db, RESOLUTIONS, request.path_params["id"])
    other = request.query_params.get("replaceWith") or ""
    require(other != "", 400, "The replaceWith parameter is required.", "replaceWith")
    require(other != doc["id"], 400, "The resolution can't be replaced with itself.", "replaceWith")
    find(db, RESOLUTIONS, other)

    def work() -> None:
        replace = peer("issues", "replace_resolution")
        if replace and count_issues(db, resolution_id=doc["id"]):
            replace(db, doc["id"], other)
        db.delete(RESOLUTIONS, doc["id"])

    return tasks.submit(request, f"Deleting resolution {doc['name']}", work)


# -- issue link types --------------------------------------------------------------------------
def link_type_bean(request: Request, doc: Doc) -> dict[str, Any]:
    return {
        "id": doc["id"],
        "name": doc["name"],
        "inward": doc["inward"],
        "outward": doc["outward"],
        "self": f"{base(request)}/rest/api/3/issueLinkType/{doc['id']}",
    }


def find_link_type(db: Store, raw: str) -> Doc:
    require(raw.isdigit(), 400, "The issue link type ID must be a number.")
    return found(get_link_type(db, raw), f"No issue link type with id '{raw}' found.")


LINK_TYPE = {"inward": str, "outward": str}


def link_type_details(db: Store, data: dict[str, Any], doc: Doc) -> Doc:
    """``doc`` with name, inward and outward from ``data`` (all required on create)."""
    for key in ("name", "inward", "outward"):
        if key in data or "id" not in doc:
            value = str(data.get(key) or "")
            require(value.strip() != "", 400, f"The issue link type {key} is required.", key)
            require(len(value) <= 255, 400, f"The {key} can't exceed 255 characters.", key)
            doc[key] = value.strip()
    require(
        not name_taken(db, LINK_TYPES, doc["name"], doc.get("id")),
        404,
        f"An issue link type with the name '{doc['name']}' already exists.",
    )
    return doc


@route("/rest/api/3/issueLinkType")
async def list_link_types(request: Request) -> Response:
    docs = store(request).all(LINK_TYPES)
    return ok({"issueLinkTypes": [link_type_bean(request, d) for d in docs]})


@route("/rest/api/3/issueLinkType", "POST")
async def create_link_type(request: Request) -> Response:
    data, db = await body_object(request, LINK_TYPE), store(request)
    doc = db.insert(LINK_TYPES, link_type_details(db, data, {}))
    return ok(link_type_bean(request, doc), 201)


@route("/rest/api/3/issueLinkType/{id}")
async def get_link_type_route(request: Request) -> Response:
    return ok(link_type_bean(request, find_link_type(store(request), request.path_params["id"])))


@route("/rest/api/3/issueLinkType/{id}", "PUT")
async def update_link_type(request: Request) -> Response:
    data, db = await body_object(request, LINK_TYPE), store(request)
    doc = find_link_type(db, request.path_params["id"])
    return ok(link_type_bean(request, db.put(LINK_TYPES, link_type_details(db, data, doc))))


@route("/rest/api/3/issueLinkType/{id}", "DELETE")
async def delete_link_type(request: Request) -> Response:
    db = store(request)
    doc = find_link_type(db, request.path_params["id"])
    forget = peer("issue_links", "forget_link_type")  # Jira deletes the type's links too
    with db.tx():
        if forget is not None:
            forget(db, doc["id"])
        db.delete(LINK_TYPES, doc["id"])
    return no_content()


ROUTES = [
    list_priorities,
    search_priorities,
    create_priority,
    *order_routes(PRIORITIES),
    get_priority_route,
    update_priority,
    delete_priority,
    list_resolutions,
    search_resolutions,
    create_resolution,
    *order_routes(RESOLUTIONS),
    get_resolution_route,
    update_resolution,
    delete_resolution,
    list_link_types,
    create_link_type,
    get_link_type_route,
    update_link_type,
    delete_link_type,
]


def seed_empty(db: Store) -> None:
    for priority_id, name, description, color in SEED_PRIORITIES:
        db.insert(
            PRIORITIES,
            {
                "id": priority_id,
                "name": name,
                "description": description,
                "statusColor": color,
                "isDefault": name == "Medium",
                "iconUrl": f"/images/icons/priorities/{name.lower()}.svg",
            },
        )
    for resolution_id, name, description in SEED_RESOLUTIONS:  # ids come from the counter
        doc = db.insert(RESOLUTIONS, {"name": name, "description": description, "isDefault": False})
        assert doc["id"] == resolution_id
    for type_id, name, inward, outward in SEED_LINK_TYPES:
        doc = db.insert(LINK_TYPES, {"name": name, "inward": inward, "outward": outward})
        assert doc["id"] == type_id
