"""Issue security schemes: their levels, the levels' members, and the projects that use them.

Collections: ``security_scheme`` ``{id, name, description, defaultLevelId|None}``;
``security_level`` (parent: scheme id) ``{id, name, description}``; ``security_member`` (parent:
level id) ``{id, type, value|None}`` (``value``: group id, account id, role id, field id or
application key, as permission grants hold them); ``security_scheme_project`` ``{id: projectId,
schemeId}``. A new site has no scheme.

Jira's rules kept here: scheme names are unique ignoring case, level names unique in their scheme
(400); a scheme a project uses can't be deleted (400, Jira's message); a level's delete and a
project's association run as async tasks (303); a member is named once per level (400). Member
types are matched ignoring case, as Jira does (``projectrole``). ``defaultLevelId: "-1"`` clears a
scheme's default level (best effort: Jira documents no other way).

Exported for other areas: ``get_security_scheme(store, id) -> doc|None``,
``assign_security_scheme(store, project_id, scheme_id|None)``, ``forget_project``,
``forget_group(store, group_id)``.
"""

from __future__ import annotations

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
    require,
    route,
    store,
)
from jiracfg.sandbox.routes._common import child_of, insert_children
from jiracfg.sandbox.routes.permissions import APPLICATIONS, principal_fields, resolve
from jiracfg.sandbox.routes.roles import find_project
from jiracfg.sandbox.shapes import ID
from jiracfg.sandbox.store import Doc, Store

SCHEMES, LEVELS, MEMBERS, PROJECTS = (
    "security_scheme",
    "security_level",
    "security_member",
    "security_scheme_project",
)
MEMBER_TYPES = {
    t.casefold(): t
    for t in (
        "reporter",
        "assignee",
        "projectLead",
        "group",
        "user",
        "projectRole",
        "applicationRole",
        "userCustomField",
        "groupCustomField",
    )
}
PRINCIPAL_TYPES = ("group", "user", "projectRole", "userCustomField", "groupCustomField")
MEMBER = {"type": str, "parameter": str}
LEVEL = {"name": str, "description": str, "isDefault": bool, "members": [MEMBER]}
SCHEME = {"name": str, "description": str, "levels": [LEVEL]}
DEFAULTS = {"defaultValues": [{"issueSecuritySchemeId": ID, "defaultLevelId": ID}]}
ASSOCIATION = {
    "projectId": ID,
    "schemeId": ID,
    "oldToNewSecurityLevelMappings": [{"oldLevelId": ID, "newLevelId": ID}],
}


# -- exported API ------------------------------------------------------------------------------
def get_security_scheme(db: Store, scheme_id: Any) -> Doc | None:
    return db.get(SCHEMES, str(scheme_id))


def assign_security_scheme(db: Store, project_id: Any, scheme_id: Any | None) -> None:
    with db.tx():
        db.delete(PROJECTS, str(project_id))
        if scheme_id not in (None, "", "-1"):
            db.insert(PROJECTS, {"id": str(project_id), "schemeId": str(scheme_id)})


def forget_project(db: Store, project_id: Any) -> None:
    db.delete(PROJECTS, str(project_id))


def forget_group(db: Store, group_id: Any) -> None:
    with db.tx():
        for member in db.all(MEMBERS):
            if (member["type"], member["value"]) == ("group", str(group_id)):
                db.delete(MEMBERS, member["id"])


# -- lookups -----------------------------------------------------------------------------------
def find_scheme(db: Store, raw: Any) -> Doc:
    doc = db.get(SCHEMES, str(raw))
    if doc is None:
        raise ApiError(404, f"Issue security scheme with ID {raw} not found.")
    return doc


def find_level(db: Store, scheme: Doc, raw: Any) -> Doc:
    return child_of(db, LEVELS, raw, scheme["id"], f"Issue security level with ID {raw} not found.")


def scheme_and_level(request: Request) -> tuple[Store, Doc, Doc]:
    """The store, the scheme ``{id}`` and its level ``{levelId}`` of a level route (404s)."""
    db = store(request)
    scheme = find_scheme(db, request.path_params["id"])
    return db, scheme, find_level(db, scheme, request.path_params["levelId"])


def projects_of(db: Store, scheme_id: str) -> list[str]:
    return [p["id"] for p in db.all(PROJECTS) if p["schemeId"] == scheme_id]


# -- beans -------------------------------------------------------------------------------------
def scheme_bean(request: Request, db: Store, doc: Doc, levels: bool) -> dict[str, Any]:
    bean: dict[str, Any] = {
        "self": f"{base(request)}/rest/api/3/issuesecurityschemes/{doc['id']}",
        "id": int(doc["id"]),
        "name": doc["name"],
        "description": doc["description"],
    }
    if doc.get("defaultLevelId"):
        bean["defaultSecurityLevelId"] = int(doc["defaultLevelId"])
    if levels:
        bean["levels"] = [level_bean(request, doc, lv) for lv in db.all(LEVELS, doc["id"])]
    return bean


def level_bean(request: Request, scheme: Doc, level: Doc) -> dict[str, Any]:
    return {
        "self": f"{base(request)}/rest/api/3/securitylevel/{level['id']}",
        "id": level["id"],
        "name": level["name"],
        "description": level["description"],
        "isDefault": scheme.get("defaultLevelId") == level["id"],
        "issueSecuritySchemeId": scheme["id"],
    }


def member_bean(db: Store, scheme_id: str, level_id: str, member: Doc) -> dict[str, Any]:
    kind, value = member["type"], member["value"]
    holder: dict[str, Any] = {"type": kind}
    if kind in PRINCIPAL_TYPES:
        holder |= principal_fields(db, kind, value, "value")
    elif value:
        holder |= {"parameter": value, "value": value}
    return {
        "id": member["id"],
        "issueSecurityLevelId": level_id,
        "issueSecuritySchemeId": scheme_id,
        "holder": holder,
        "managed": False,
    }


# -- parsing -----------------------------------------------------------------------------------
def parse_member(db: Store, raw: Any) -> Doc:
    require(isinstance(raw, dict), 400, "A security level member must be an object.")
    kind = MEMBER_TYPES.get(str(raw.get("type") or "").casefold())
    require(kind is not None, 400, f"The member type '{raw.get('type')}' is invalid.", "type")
    assert kind is not None
    parameter = raw.get("parameter")
    if kind in PRINCIPAL_TYPES:
        require(parameter not in (None, ""), 400, f"A {kind} member needs a parameter.")
        return {"type": kind, "value": resolve(db, kind, None, parameter)}
    if kind == "applicationRole" and parameter:
        require(parameter in APPLICATIONS, 400, f"Application '{parameter}' does not exist.")
        return {"type": kind, "value": str(parameter)}
    return {"type": kind, "value": None}


def parse_members(db: Store, raw: Any, have: list[Doc]) -> list[Doc]:
    require(isinstance(raw, list), 400, "The members must be a list.", "members")
    members: list[Doc] = []
    for item in raw:
        member = parse_member(db, item)
        same = [m for m in [*have, *members] if (m["type"], m["value"]) == tuple(member.values())]
        require(not same, 400, f"The {member['type']} member already exists in this level.")
        members.append(member)
    return members


def parse_level(db: Store, raw: Any, taken: list[str]) -> tuple[Doc, list[Doc], bool]:
    require(isinstance(raw, dict), 400, "A security level must be an object.")
    name = checked_name(
        raw.get("name"),
        "The security level name must not be empty.",
        "The security level name must not exceed 255 characters.",
    )
    require(
        name.casefold() not in taken,
        400,
        f"A security level with name '{name}' already exists in this scheme.",
    )
    description = str(raw.get("description") or "")
    require(
        len(description) <= 4000,
        400,
        "The length of the description must not exceed 4,000 characters.",
    )
    members = parse_members(db, raw.get("members") or [], [])
    return {"name": name, "description": description}, members, bool(raw.get("isDefault"))


def parse_levels(db: Store, raw: Any, taken: list[str]) -> list[tuple[Doc, list[Doc], bool]]:
    require(isinstance(raw, list), 400, "The levels must be a list.", "levels")
    out = []
    for item in raw:
        parsed = parse_level(db, item, taken)
        taken = [*taken, parsed[0]["name"].casefold()]
        out.append(parsed)
    require(sum(1 for p in out if p[2]) <= 1, 400, "Only one security level can be the default.")
    return out


def add_levels(db: Store, scheme: Doc, levels: list[tuple[Doc, list[Doc], bool]]) -> None:
    for level, members, default in levels:
        doc = db.insert(LEVELS, level, parent=scheme["id"])
        for member in members:
            db.insert(MEMBERS, member, parent=doc["id"])
        if default:
            db.put(SCHEMES, {**scheme, "defaultLevelId": doc["id"]})


def level_names(db: Store, scheme_id: str, own: str | None = None) -> list[str]:
    return [lv["name"].casefold() for lv in db.all(LEVELS, scheme_id) if lv["id"] != own]


def scheme_text(data: dict[str, Any], db: Store, own: str | None) -> dict[str, str]:
    out: dict[str, str] = {}
    if "name" in data or own is None:
        name = checked_name(
            data.get("name"),
            "The name of the issue security scheme must not be empty.",
            "The name of the issue security scheme must not exceed 255 characters.",
        )
        require(
            not name_taken(db, SCHEMES, name, own),
            400,
            f"An issue security scheme with name '{name}' already exists.",
        )
        out["name"] = name
    if "description" in data or own is None:
        out["description"] = str(data.get("description") or "")
        require(
            len(out["description"]) <= 4000,
            400,
            "The length of the description must not exceed 4,000 characters.",
        )
    return out


# -- schemes -----------------------------------------------------------------------------------
@route("/rest/api/3/issuesecurityschemes")
async def list_schemes(request: Request) -> Response:
    db = store(request)
    beans = [scheme_bean(request, db, d, levels=False) for d in db.all(SCHEMES)]
    return ok({"issueSecuritySchemes": beans})


@route("/rest/api/3/issuesecurityschemes", "POST")
async def create_scheme(request: Request) -> Response:
    data, db = await body_object(request, SCHEME), store(request)
    text = scheme_text(data, db, None)
    levels = parse_levels(db, data.get("levels") or [], [])
    with db.tx():
        scheme = db.insert(SCHEMES, {**text, "defaultLevelId": None})
        add_levels(db, scheme, levels)
    return ok({"id": scheme["id"]}, 201)


@route("/rest/api/3/issuesecurityschemes/level")
async def list_levels(request: Request) -> Response:
    db = store(request)
    schemes, ids = list_param(request, "schemeId"), list_param(request, "id")
    only_default = request.query_params.get("onlyDefault") == "true"
    beans = [
        level_bean(request, scheme, level)
        for scheme in db.all(SCHEMES)
        for level in db.all(LEVELS, scheme["id"])
        if (not schemes and not ids) or scheme["id"] in schemes or level["id"] in ids
    ]
    beans = [b for b in beans if b["isDefault"] or not only_default]
    return ok(page(request, beans, default_max=50))


@route("/rest/api/3/issuesecurityschemes/level/member")
async def list_members(request: Request) -> Response:
    db = store(request)
    schemes, levels = list_param(request, "schemeId"), list_param(request, "levelId")
    ids = list_param(request, "id")
    beans = [
        member_bean(db, scheme["id"], level["id"], member)
        for scheme in db.all(SCHEMES)
        for level in db.all(LEVELS, scheme["id"])
        for member in db.all(MEMBERS, level["id"])
        if (not schemes and not levels and not ids)
        or scheme["id"] in schemes
        or level["id"] in levels
        or member["id"] in ids
    ]
    return ok(page(request, beans, default_max=50))


@route("/rest/api/3/issuesecurityschemes/level/default", "PUT")
async def set_default_levels(request: Request) -> Response:
    data, db = await body_object(request, DEFAULTS), store(request)
    values = data.get("defaultValues")
    require(isinstance(values, list) and bool(values), 400, "defaultValues must not be empty.")
    changed = []
    for item in values or []:
        require(isinstance(item, dict), 400, "A default value must be an object.")
        scheme = find_scheme(db, item.get("issueSecuritySchemeId"))
        level = str(item.get("defaultLevelId") or "")
        if level != "-1":
            find_level(db, scheme, level)
        changed.append({**scheme, "defaultLevelId": None if level == "-1" else level})
    with db.tx():
        for scheme in changed:
            db.put(SCHEMES, scheme)
    return no_content()


@route("/rest/api/3/issuesecurityschemes/project")
async def list_project_mappings(request: Request) -> Response:
    db = store(request)
    schemes = list_param(request, "issueSecuritySchemeId")
    projects = list_param(request, "projectId")
    pairs = [
        {"issueSecuritySchemeId": p["schemeId"], "projectId": p["id"]}
        for p in db.all(PROJECTS)
        if (not schemes or p["schemeId"] in schemes) and (not projects or p["id"] in projects)
    ]
    return ok(page(request, pairs, default_max=50))


@route("/rest/api/3/issuesecurityschemes/project", "PUT")
async def associate_project(request: Request) -> Response:
    data, db = await body_object(request, ASSOCIATION), store(request)
    project_id, scheme_id = data.get("projectId"), data.get("schemeId")
    require(project_id not in (None, ""), 400, "The project ID must be provided.", "projectId")
    project = find_project(db, str(project_id))
    if scheme_id not in (None, "", "-1"):
        find_scheme(db, scheme_id)
    return tasks.submit(
        request,
        "Associating an issue security scheme with a project",
        lambda: assign_security_scheme(db, project["id"], scheme_id),
    )


@route("/rest/api/3/issuesecurityschemes/{id}")
async def get_scheme(request: Request) -> Response:
    db = store(request)
    return ok(scheme_bean(request, db, find_scheme(db, request.path_params["id"]), levels=True))


@route("/rest/api/3/issuesecurityschemes/{id}", "PUT")
async def update_scheme(request: Request) -> Response:
    data, db = await body_object(request), store(request)
    scheme = find_scheme(db, request.path_params["id"])
    db.put(SCHEMES, {**scheme, **scheme_text(data, db, scheme["id"])})
    return no_content()


@route("/rest/api/3/issuesecurityschemes/{id}", "DELETE")
async def delete_scheme(request: Request) -> Response:
    db = store(request)
    scheme = find_scheme(db, request.path_params["id"])
    require(
        not projects_of(db, scheme["id"]),
        400,
        "You can't delete an issue security scheme if any projects are associated with it.",
    )
    with db.tx():
        for level in db.all(LEVELS, scheme["id"]):
            db.delete_children(MEMBERS, level["id"])
        db.delete_children(LEVELS, scheme["id"])
        db.delete(SCHEMES, scheme["id"])
    return no_content()


# -- levels and members ------------------------------------------------------------------------
@route("/rest/api/3/issuesecurityschemes/{id}/level", "PUT")
async def add_scheme_levels(request: Request) -> Response:
    data, db = await body_object(request, {"levels": [LEVEL]}), store(request)
    scheme = find_scheme(db, request.path_params["id"])
    levels = parse_levels(db, data.get("levels") or [], level_names(db, scheme["id"]))
    with db.tx():
        add_levels(db, scheme, levels)
    return no_content()


@route("/rest/api/3/issuesecurityschemes/{id}/level/{levelId}", "PUT")
async def update_level(request: Request) -> Response:
    data = await body_object(request)
    db, scheme, level = scheme_and_level(request)
    if "name" in data:
        parsed = parse_level(db, {"name": data["name"]}, level_names(db, scheme["id"], level["id"]))
        level["name"] = parsed[0]["name"]
    if "description" in data:
        level["description"] = str(data["description"] or "")
    db.put(LEVELS, level)
    return no_content()


@route("/rest/api/3/issuesecurityschemes/{id}/level/{levelId}", "DELETE")
async def delete_level(request: Request) -> Response:
    db, scheme, level = scheme_and_level(request)
    replacement = request.query_params.get("replaceWith")
    if replacement:
        require(replacement != level["id"], 400, "A level can't replace itself.")
        find_level(db, scheme, replacement)

    def work() -> None:
        db.delete_children(MEMBERS, level["id"])
        db.delete(LEVELS, level["id"])
        if scheme.get("defaultLevelId") == level["id"]:
            db.put(SCHEMES, {**scheme, "defaultLevelId": None})

    return tasks.submit(request, "Removing an issue security level", work)


@route("/rest/api/3/issuesecurityschemes/{id}/level/{levelId}/member", "PUT")
async def add_level_members(request: Request) -> Response:
    data = await body_object(request, {"members": [MEMBER]})
    db, _, level = scheme_and_level(request)
    members = parse_members(db, data.get("members"), db.all(MEMBERS, level["id"]))
    insert_children(db, MEMBERS, members, level["id"])
    return no_content()


@route("/rest/api/3/issuesecurityschemes/{id}/level/{levelId}/member/{memberId}", "DELETE")
async def delete_level_member(request: Request) -> Response:
    db, _, level = scheme_and_level(request)
    member_id = request.path_params["memberId"]
    missing = f"Security level member {member_id} not found."
    db.delete(MEMBERS, child_of(db, MEMBERS, member_id, level["id"], missing)["id"])
    return no_content()


ROUTES = [
    list_schemes,
    create_scheme,
    list_levels,
    list_members,
    set_default_levels,
    list_project_mappings,
    associate_project,
    get_scheme,
    update_scheme,
    delete_scheme,
    add_scheme_levels,
    update_level,
    delete_level,
    add_level_members,
    delete_level_member,
]


def seed_empty(db: Store) -> None:
    """Nothing: a new site has no issue security scheme."""
