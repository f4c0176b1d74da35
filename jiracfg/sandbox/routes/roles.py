"""Project roles: global roles with default actors, and per-project role actors.

Collections: ``project_role`` ``{id, name, description, actors: [actor]}`` (``actors`` are the
default actors); ``project_role_actors`` (parent: project id) ``{id: "project:role", actors:
[actor]}``; an actor is ``{id, type: user|group, value: accountId|groupId}``.

A new site has "Administrators" (10002) and the app-managed "atlassian-addons-project-access"
(10003), whose name and actors Jira keeps to itself. A new project gets each role's default actors,
and its lead joins Administrators.

Exported for other areas: ``get_role(store, id)``, ``all_roles(store)``,
``init_project_roles(store, project_id, lead_account_id)``, ``forget_project(store, project_id)``.
Expected: ``projects.project_by_key_or_id``, ``permissions.role_in_use`` and
``permissions.replace_role(store, old_id, new_id)`` (a swap on delete).
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from jiracfg.sandbox.http import (
    ApiError,
    base,
    body_object,
    found,
    name_taken,
    no_content,
    ok,
    peer,
    require,
    route,
    store,
)
from jiracfg.sandbox.routes.core import find_group, find_user
from jiracfg.sandbox.store import Doc, Store

ROLES, PROJECT_ACTORS = "project_role", "project_role_actors"
ADMINISTRATORS, ADDONS = "10002", "10003"
SEED_ROLES = [
    (
        ADMINISTRATORS,
        "Administrators",
        "A project role that represents administrators in a project",
    ),
    (
        ADDONS,
        "atlassian-addons-project-access",
        "A project role that represents Connect add-ons "
        "declaring a scope that requires more than read issue permissions",
    ),
]
USER_ACTOR, GROUP_ACTOR = "atlassian-user-role-actor", "atlassian-group-role-actor"


# -- exported API ------------------------------------------------------------------------------
def get_role(db: Store, role_id: Any) -> Doc | None:
    return db.get(ROLES, str(role_id))


def all_roles(db: Store) -> list[Doc]:
    return db.all(ROLES)


def init_project_roles(db: Store, project_id: Any, lead_account_id: str | None) -> None:
    with db.tx():
        for role in db.all(ROLES):
            actors = [{**a, "id": new_actor_id(db)} for a in role["actors"]]
            lead = {"type": "user", "value": lead_account_id}
            if role["id"] == ADMINISTRATORS and lead_account_id and not has_actor(actors, lead):
                actors.append({**lead, "id": new_actor_id(db)})
            db.insert(
                PROJECT_ACTORS,
                {"id": f"{project_id}:{role['id']}", "actors": actors},
                parent=str(project_id),
            )


def forget_project(db: Store, project_id: Any) -> None:
    db.delete_children(PROJECT_ACTORS, str(project_id))


# -- beans -------------------------------------------------------------------------------------
def new_actor_id(db: Store) -> str:
    return str(db.next_id("role_actor"))


def has_actor(actors: list[Doc], wanted: Doc) -> bool:
    return any((a["type"], a["value"]) == (wanted["type"], wanted["value"]) for a in actors)


def actor_bean(db: Store, actor: Doc) -> dict[str, Any] | None:
    if actor["type"] == "user":
        user = find_user(db, actor["value"])
        return (
            None
            if user is None
            else {
                "id": int(actor["id"]),
                "displayName": user["displayName"],
                "type": USER_ACTOR,
                "actorUser": {"accountId": user["accountId"]},
            }
        )
    group = find_group(db, group_id=actor["value"])
    return (
        None
        if group is None
        else {
            "id": int(actor["id"]),
            "displayName": group["name"],
            "type": GROUP_ACTOR,
            "name": group["name"],
            "actorGroup": {
                "name": group["name"],
                "displayName": group["name"],
                "groupId": group["groupId"],
            },
        }
    )


def actor_beans(db: Store, actors: list[Doc]) -> list[dict[str, Any]]:
    beans = [b for b in (actor_bean(db, a) for a in actors) if b is not None]
    return sorted(beans, key=lambda b: (b["displayName"].casefold(), b["id"]))


def role_bean(
    request: Request,
    db: Store,
    role: Doc,
    actors: list[Doc] | None = None,
    project: Doc | None = None,
) -> dict[str, Any]:
    where = f"project/{project['key']}/role" if project else "role"
    return {
        "self": f"{base(request)}/rest/api/3/{where}/{role['id']}",
        "name": role["name"],
        "id": int(role["id"]),
        "description": role["description"],
        "actors": actor_beans(db, role["actors"] if actors is None else actors),
    }


# -- lookups and validation --------------------------------------------------------------------
def find_role(db: Store, raw: str) -> Doc:
    return found(
        get_role(db, raw) if raw.isdigit() else None,
        f"Project role with id '{raw}' does not exist.",
    )


def find_project(db: Store, key_or_id: str) -> Doc:
    lookup = peer("projects", "project_by_key_or_id")
    project = lookup(db, key_or_id) if lookup else None
    if project is None:
        raise ApiError(404, f"No project could be found with key '{key_or_id}'.")
    return dict(project)


def check_name(db: Store, name: Any, own_id: str | None = None, clash_status: int = 409) -> str:
    require(
        isinstance(name, str) and name.strip() != "" and name == name.strip(),
        400,
        "The name cannot be empty or start or end with whitespace.",
        "name",
    )
    require(len(name) <= 255, 400, "The name can't exceed 255 characters.", "name")
    require(
        not name_taken(db, ROLES, name, own_id),
        clash_status,
        f"A project role named '{name}' already exists.",
        "name",
    )
    return str(name)


def check_changeable(role: Doc) -> None:
    require(
        role["id"] != ADDONS,
        400,
        "The atlassian-addons-project-access role is managed by Jira and can't be changed.",
    )


ACTORS = {"user": [str], "group": [str], "groupId": [str]}  # the spec's ActorsMap


def wanted_actors(db: Store, data: dict[str, Any], status: int) -> list[Doc]:
    """Actors named by an ActorsMap body (``user``, ``groupId``, ``group`` lists)."""
    out: list[Doc] = []
    for account in data.get("user") or []:
        require(
            find_user(db, str(account)) is not None,
            status,
            f"The user with account ID '{account}' does not exist.",
        )
        out.append({"type": "user", "value": str(account)})
    for key in ("groupId", "group"):
        for raw in data.get(key) or []:
            group = find_group(db, **({"group_id": raw} if key == "groupId" else {"name": raw}))
            require(group is not None, status, f"The group '{raw}' does not exist.")
            assert group is not None
            out.append({"type": "group", "value": group["groupId"]})
    return out


def added(db: Store, actors: list[Doc], new: list[Doc]) -> list[Doc]:
    require(bool(new), 400, "You must specify at least one user or group.")
    for actor in new:
        require(
            not has_actor(actors, actor),
            400,
            f"'{actor['value']}' is already a member of the project role.",
        )
        actors = [*actors, {**actor, "id": new_actor_id(db)}]
    return actors


def removed(request: Request, actors: list[Doc]) -> list[Doc]:
    db, params = store(request), request.query_params
    wanted = wanted_actors(
        db, {k: [params[k]] for k in ("user", "groupId", "group") if params.get(k)}, 400
    )
    require(len(wanted) == 1, 400, "Specify exactly one of user, groupId or group.")
    require(
        has_actor(actors, wanted[0]),
        400,
        f"'{wanted[0]['value']}' is not a member of the project role.",
    )
    return [a for a in actors if (a["type"], a["value"]) != (wanted[0]["type"], wanted[0]["value"])]


# -- global roles ------------------------------------------------------------------------------
@route("/rest/api/3/role")
async def list_roles(request: Request) -> Response:
    db = store(request)
    return ok([role_bean(request, db, r) for r in db.all(ROLES)])


@route("/rest/api/3/role", "POST")
async def create_role(request: Request) -> Response:
    data, db = await body_object(request), store(request)
    role = db.insert(
        ROLES,
        {
            "name": check_name(db, data.get("name")),
            "description": str(data.get("description") or ""),
            "actors": [],
        },
    )
    return ok(role_bean(request, db, role))


@route("/rest/api/3/role/{id}")
async def get_role_route(request: Request) -> Response:
    db = store(request)
    return ok(role_bean(request, db, find_role(db, request.path_params["id"])))


@route("/rest/api/3/role/{id}", "PUT")
async def update_role(request: Request) -> Response:
    return await edit_role(request, fully=True)


@route("/rest/api/3/role/{id}", "POST")
async def patch_role(request: Request) -> Response:
    return await edit_role(request, fully=False)


async def edit_role(request: Request, fully: bool) -> Response:
    """A full (name and description) or partial (either) update of a role."""
    data, db = await body_object(request), store(request)
    role = find_role(db, request.path_params["id"])
    check_changeable(role)
    given = ["name" in data, "description" in data]
    require(
        all(given) if fully else any(given),
        400,
        "Both name and description must be provided to fully update a project role."
        if fully
        else "Either name or description must be provided to partially update a project role.",
    )
    return ok(role_bean(request, db, db.put(ROLES, changed_role(db, role, data))))


def changed_role(db: Store, role: Doc, data: dict[str, Any]) -> Doc:
    if "name" in data:
        role["name"] = check_name(db, data["name"], role["id"], clash_status=400)
    if "description" in data:
        role["description"] = str(data["description"] or "")
    return role


@route("/rest/api/3/role/{id}", "DELETE")
async def delete_role(request: Request) -> Response:
    db = store(request)
    role = find_role(db, request.path_params["id"])
    check_changeable(role)
    swap = request.query_params.get("swap")
    in_use = peer("permissions", "role_in_use")
    if swap is None:
        require(
            not (in_use and in_use(db, role["id"])),
            409,
            "The project role is in use. Specify a replacement project role to delete it.",
        )
    else:
        require(
            swap != role["id"] and get_role(db, swap) is not None,
            400,
            f"The replacement project role with id '{swap}' does not exist.",
        )
    with db.tx():
        swap_role = peer("permissions", "replace_role")
        if swap is not None and swap_role:
            swap_role(db, role["id"], swap)
        for doc in db.find(PROJECT_ACTORS, lambda d: d["id"].endswith(f":{role['id']}")):
            db.delete(PROJECT_ACTORS, doc["id"])
        db.delete(ROLES, role["id"])
    return no_content()


# -- default actors ----------------------------------------------------------------------------
@route("/rest/api/3/role/{id}/actors")
async def default_actors(request: Request) -> Response:
    db = store(request)
    return ok(role_bean(request, db, find_role(db, request.path_params["id"])))


@route("/rest/api/3/role/{id}/actors", "POST")
async def add_default_actors(request: Request) -> Response:
    data, db = await body_object(request, ACTORS), store(request)
    role = find_role(db, request.path_params["id"])
    require(
        not (data.get("user") and (data.get("group") or data.get("groupId"))),
        400,
        "You can't add users and groups in the same request.",
    )
    role["actors"] = added(db, role["actors"], wanted_actors(db, data, 400))
    return ok(role_bean(request, db, db.put(ROLES, role)))


@route("/rest/api/3/role/{id}/actors", "DELETE")
async def remove_default_actor(request: Request) -> Response:
    db = store(request)
    role = find_role(db, request.path_params["id"])
    role["actors"] = removed(request, role["actors"])
    return ok(role_bean(request, db, db.put(ROLES, role)))


# -- project actors ----------------------------------------------------------------------------
def project_actors(db: Store, project: Doc, role: Doc) -> Doc:
    doc = db.get(PROJECT_ACTORS, f"{project['id']}:{role['id']}")
    if doc is None:  # a role created after the project: no actors yet
        doc = db.insert(
            PROJECT_ACTORS,
            {"id": f"{project['id']}:{role['id']}", "actors": []},
            parent=str(project["id"]),
        )
    return doc


def project_and_role(request: Request) -> tuple[Doc, Doc]:
    db = store(request)
    project = find_project(db, request.path_params["projectIdOrKey"])
    return project, find_role(db, request.path_params["id"])


@route("/rest/api/3/project/{projectIdOrKey}/role")
async def project_roles(request: Request) -> Response:
    db = store(request)
    project = find_project(db, request.path_params["projectIdOrKey"])
    url = f"{base(request)}/rest/api/3/project/{project['key']}/role"
    return ok({r["name"]: f"{url}/{r['id']}" for r in db.all(ROLES)})


@route("/rest/api/3/project/{projectIdOrKey}/roledetails")
async def project_role_details(request: Request) -> Response:
    db = store(request)
    project = find_project(db, request.path_params["projectIdOrKey"])
    url = f"{base(request)}/rest/api/3/project/{project['key']}/role"
    return ok(
        [
            {
                "self": f"{url}/{r['id']}",
                "name": r["name"],
                "id": int(r["id"]),
                "description": r["description"],
                "admin": r["id"] == ADMINISTRATORS,
                "default": False,
                "roleConfigurable": r["id"] != ADDONS,
                "translatedName": r["name"],
            }
            for r in db.all(ROLES)
        ]
    )


@route("/rest/api/3/project/{projectIdOrKey}/role/{id}")
async def project_role(request: Request) -> Response:
    db, (project, role) = store(request), project_and_role(request)
    actors = project_actors(db, project, role)["actors"]
    return ok(role_bean(request, db, role, actors, project))


@route("/rest/api/3/project/{projectIdOrKey}/role/{id}", "POST")
async def add_project_actors(request: Request) -> Response:
    data, db = await body_object(request, ACTORS), store(request)
    project, role = project_and_role(request)
    doc = project_actors(db, project, role)
    doc["actors"] = added(db, doc["actors"], wanted_actors(db, data, 404))
    return ok(role_bean(request, db, role, db.put(PROJECT_ACTORS, doc)["actors"], project))


@route("/rest/api/3/project/{projectIdOrKey}/role/{id}", "PUT")
async def set_project_actors(request: Request) -> Response:
    kinds = (USER_ACTOR, GROUP_ACTOR, f"{GROUP_ACTOR}-id")
    data, db = (
        await body_object(request, {"categorisedActors": {key: [str] for key in kinds}}),
        store(request),
    )
    project, role = project_and_role(request)
    actors = data.get("categorisedActors")
    if not isinstance(actors, dict):
        raise ApiError(400, "categorisedActors must be provided.")
    new = wanted_actors(
        db,
        {
            "user": actors.get(USER_ACTOR),
            "groupId": actors.get(f"{GROUP_ACTOR}-id"),
            "group": actors.get(GROUP_ACTOR),
        },
        404,
    )
    doc = project_actors(db, project, role)
    kept = [a for a in doc["actors"] if has_actor(new, a)]
    doc["actors"] = kept + [{**a, "id": new_actor_id(db)} for a in new if not has_actor(kept, a)]
    return ok(role_bean(request, db, role, db.put(PROJECT_ACTORS, doc)["actors"], project))


@route("/rest/api/3/project/{projectIdOrKey}/role/{id}", "DELETE")
async def remove_project_actor(request: Request) -> Response:
    db, (project, role) = store(request), project_and_role(request)
    doc = project_actors(db, project, role)
    doc["actors"] = removed(request, doc["actors"])
    db.put(PROJECT_ACTORS, doc)
    return no_content()


ROUTES = [
    list_roles,
    create_role,
    get_role_route,
    update_role,
    patch_role,
    delete_role,
    default_actors,
    add_default_actors,
    remove_default_actor,
    project_roles,
    project_role_details,
    project_role,
    add_project_actors,
    set_project_actors,
    remove_project_actor,
]


def seed_empty(db: Store) -> None:
    for role_id, name, description in SEED_ROLES:
        db.insert(ROLES, {"id": role_id, "name": name, "description": description, "actors": []})
    db.next_id(ROLES, start=10003)  # new roles continue after the built-in ids
