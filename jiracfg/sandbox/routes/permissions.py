"""Permission schemes with grants, and notification schemes (+ project associations, events).

Collections: ``permission_scheme`` ``{id, name, description}``; ``permission_grant`` (parent:
scheme id) ``{id, permission, type, value}``; ``notification_scheme`` ``{id, name, description}``;
``notification`` (parent: scheme id) ``{id, eventId, type, value}``; ``permission_scheme_project``
and ``notification_scheme_project`` ``{id: projectId, schemeId}``. ``value`` is the principal's id
(group id, account id, role id, field id, application key) or None.

A new site has the "Default Permission Scheme" (id 0) and the "Default Notification Scheme" (10000);
neither can be deleted, nor can a scheme a project uses.

Exported for other areas: ``get_permission_scheme``, ``get_notification_scheme`` (doc|None),
``assign_permission_scheme``, ``assign_notification_scheme`` (None: the
default), ``forget_project``, ``forget_group(store, group_id)`` (a deleted group's grants go),
``role_in_use(store, role_id)``, ``replace_role(store, old_id, new_id)`` (roles: delete with
swap). Expected: ``projects.project_by_key_or_id``, ``fields.get_field``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from jiracfg.sandbox.http import (
    base,
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
from jiracfg.sandbox.routes._common import child_of, insert_children
from jiracfg.sandbox.routes.core import find_group, find_user
from jiracfg.sandbox.routes.roles import ADDONS, ADMINISTRATORS, find_project, get_role
from jiracfg.sandbox.shapes import ID, Required, Text
from jiracfg.sandbox.store import Doc, Store

SCHEMES, GRANTS, SCHEME_PROJECTS = (
    "permission_scheme",
    "permission_grant",
    "permission_scheme_project",
)
NOTIF_SCHEMES, NOTIFS, NOTIF_PROJECTS = (
    "notification_scheme",
    "notification",
    "notification_scheme_project",
)
DEFAULT_SCHEME_ID, DEFAULT_NOTIF_ID = "0", "10000"
ADMIN_ONLY = (
    "ADMINISTER_PROJECTS",
    "EDIT_WORKFLOW",
    "EDIT_ISSUE_LAYOUT",
    "DELETE_ISSUES",
    "MODIFY_REPORTER",
    "SET_ISSUE_SECURITY",
    "MANAGE_WATCHERS",
    "DELETE_ALL_COMMENTS",
    "EDIT_ALL_COMMENTS",
    "DELETE_ALL_ATTACHMENTS",
    "DELETE_ALL_WORKLOGS",
    "EDIT_ALL_WORKLOGS",
)
PROJECT_PERMISSIONS = (
    *ADMIN_ONLY,
    "BROWSE_PROJECTS",
    "MANAGE_SPRINTS_PERMISSION",
    "VIEW_DEV_TOOLS",
    "VIEW_READONLY_WORKFLOW",
    "ASSIGNABLE_USER",
    "ASSIGN_ISSUES",
    "CLOSE_ISSUES",
    "CREATE_ISSUES",
    "EDIT_ISSUES",
    "LINK_ISSUES",
    "MOVE_ISSUES",
    "RESOLVE_ISSUES",
    "SCHEDULE_ISSUES",
    "TRANSITION_ISSUES",
    "VIEW_VOTERS_AND_WATCHERS",
    "ADD_COMMENTS",
    "DELETE_OWN_COMMENTS",
    "EDIT_OWN_COMMENTS",
    "CREATE_ATTACHMENTS",
    "DELETE_OWN_ATTACHMENTS",
    "DELETE_OWN_WORKLOGS",
    "EDIT_OWN_WORKLOGS",
    "WORK_ON_ISSUES",
)
GLOBAL_PERMISSIONS = (
    "ADMINISTER",
    "SYSTEM_ADMIN",
    "USER_PICKER",
    "CREATE_SHARED_OBJECTS",
    "MANAGE_GROUP_FILTER_SUBSCRIPTIONS",
    "BULK_CHANGE",
)
APPLICATIONS = ("jira-software",)
EVENTS = {
    1: "Issue Created",
    2: "Issue Updated",
    3: "Issue Assigned",
    4: "Issue Resolved",
    5: "Issue Closed",
    6: "Issue Commented",
    7: "Issue Reopened",
    8: "Issue Deleted",
    9: "Issue Moved",
    10: "Work Logged On Issue",
    11: "Work Started On Issue",
    12: "Work Stopped On Issue",
    13: "Generic Event",
    14: "Issue Comment Edited",
    15: "Issue Worklog Updated",
    16: "Issue Worklog Deleted",
    17: "Issue Comment Deleted",
}
NOTIFICATION_TYPES = {
    "CurrentAssignee": None,
    "Reporter": None,
    "CurrentUser": None,
    "ProjectLead": None,
    "ComponentLead": None,
    "AllWatchers": None,
    "User": "user",
    "Group": "group",
    "ProjectRole": "projectRole",
    "UserCustomField": "userCustomField",
    "GroupCustomField": "groupCustomField",
}
HOLDER_TYPES = (
    "anyone",
    "applicationRole",
    "assignee",
    "reporter",
    "projectLead",
    "group",
    "user",
    "projectRole",
    "userCustomField",
    "groupCustomField",
)
EXPANDS = {
    "group": "group",
    "user": "user",
    "projectRole": "projectRole",
    "userCustomField": "field",
    "groupCustomField": "field",
}


# -- exported API ------------------------------------------------------------------------------
def get_permission_scheme(db: Store, scheme_id: Any) -> Doc | None:
    return db.get(SCHEMES, str(scheme_id))


def get_notification_scheme(db: Store, scheme_id: Any) -> Doc | None:
    return db.get(NOTIF_SCHEMES, str(scheme_id))


def assign_permission_scheme(db: Store, project_id: Any, scheme_id: Any | None) -> None:
    link(db, SCHEME_PROJECTS, project_id, scheme_id or DEFAULT_SCHEME_ID)


def assign_notification_scheme(db: Store, project_id: Any, scheme_id: Any | None) -> None:
    link(db, NOTIF_PROJECTS, project_id, scheme_id or DEFAULT_NOTIF_ID)


def link(db: Store, coll: str, project_id: Any, scheme_id: Any) -> None:
    with db.tx():
        db.delete(coll, str(project_id))
        db.insert(coll, {"id": str(project_id), "schemeId": str(scheme_id)})


def forget_project(db: Store, project_id: Any) -> None:
    with db.tx():
        db.delete(SCHEME_PROJECTS, str(project_id))
        db.delete(NOTIF_PROJECTS, str(project_id))


def role_in_use(db: Store, role_id: Any) -> bool:
    return bool(role_refs(db, str(role_id)))


def role_refs(db: Store, role_id: str) -> list[tuple[str, Doc]]:
    grants = [
        (GRANTS, g) for g in db.all(GRANTS) if (g["type"], g["value"]) == ("projectRole", role_id)
    ]
    return grants + [
        (NOTIFS, n) for n in db.all(NOTIFS) if (n["type"], n["value"]) == ("ProjectRole", role_id)
    ]


def replace_role(db: Store, old_id: Any, new_id: Any) -> None:
    """Point every grant and notification of role ``old_id`` at ``new_id`` (no duplicates)."""
    with db.tx():
        for coll, doc in role_refs(db, str(old_id)):
            twin = {**doc, "value": str(new_id)}
            parent = db.parent_of(coll, doc["id"])
            siblings = db.all(coll, parent)
            if any(same_entry(s, twin) for s in siblings):
                db.delete(coll, doc["id"])
            else:
                db.put(coll, twin)


def forget_group(db: Store, group_id: Any) -> None:
    """Drop every grant and notification naming a deleted group (Jira does the same)."""
    with db.tx():
        for coll, kind in ((GRANTS, "group"), (NOTIFS, "Group")):
            for doc in db.all(coll):
                if (doc["type"], doc["value"]) == (kind, str(group_id)):
                    db.delete(coll, doc["id"])


def same_entry(a: Doc, b: Doc) -> bool:
    keys = ("permission", "eventId", "type", "value")
    return all(a.get(k) == b.get(k) for k in keys)


def scheme_of_project(db: Store, coll: str, project_id: str, default: str) -> str:
    found = db.get(coll, project_id)
    return str(found["schemeId"]) if found else default


# -- principals --------------------------------------------------------------------------------
def resolve(db: Store, kind: str, value: Any, name: Any = None) -> str:
    """The id of a principal named by id (``value``) or, for groups, by name; 400 when unknown."""
    if kind == "group":
        group = find_group(db, group_id=str(value)) if value else None
        group = group or find_group(db, group_id=str(name)) or find_group(db, name=str(name))
        require(group is not None, 400, f"Group '{value or name}' does not exist.")
        assert group is not None
        return str(group["groupId"])
    raw = str(value if value not in (None, "") else name or "")
    require(PRINCIPALS[kind](db, raw), 400, f"The {kind} '{raw}' does not exist.")
    return raw


def field_exists(db: Store, field_id: str) -> bool:
    get_field = peer("fields", "get_field")
    if get_field is None:
        return re.fullmatch(r"customfield_\d+", field_id) is not None
    field = get_field(db, field_id)
    return field is not None and bool(field.get("custom"))


PRINCIPALS: dict[str, Callable[[Store, str], bool]] = {
    "user": lambda db, v: find_user(db, v) is not None,
    "projectRole": lambda db, v: v.isdigit() and get_role(db, v) is not None,
    "userCustomField": field_exists,
    "groupCustomField": field_exists,
}


def principal_fields(db: Store, kind: str | None, value: str | None, key: str) -> dict[str, Any]:
    """``parameter`` + ``value``/``recipient`` of a holder or notification (group: name + id)."""
    if kind is None or value is None:
        return {}
    parameter = value
    if kind == "group":
        group = find_group(db, group_id=value)
        parameter = group["name"] if group else value
    return {"parameter": parameter, key: value, "expand": EXPANDS[kind]}


# -- permission grants -------------------------------------------------------------------------
def grant_bean(request: Request, db: Store, grant: Doc) -> dict[str, Any]:
    kind = grant["type"] if grant["type"] in EXPANDS else None
    holder = {"type": grant["type"], **principal_fields(db, kind, grant["value"], "value")}
    if grant["type"] == "applicationRole" and grant["value"]:
        holder |= {"parameter": grant["value"], "value": grant["value"]}
    return {
        "id": int(grant["id"]),
        "holder": holder,
        "permission": grant["permission"],
        "self": f"{base(request)}/rest/api/3/permissionscheme/permission/{grant['id']}",
    }


def parse_grant(db: Store, raw: Any) -> Doc:
    require(isinstance(raw, dict), 400, "A permission grant must be an object.")
    permission, holder = raw.get("permission"), raw.get("holder")
    require(
        permission in PROJECT_PERMISSIONS,
        400,
        f"The permission with key '{permission}' does not exist.",
        "permission",
    )
    require(
        isinstance(holder, dict) and holder.get("type") in HOLDER_TYPES,
        400,
        "The holder type is invalid.",
        "holder",
    )
    kind, value, name = holder["type"], holder.get("value"), holder.get("parameter")
    if kind == "applicationRole":
        app = value or name or None
        require(app is None or app in APPLICATIONS, 400, f"Application '{app}' does not exist.")
        return {"permission": permission, "type": kind, "value": app}
    resolved = resolve(db, kind, value, name) if kind in EXPANDS else None
    return {"permission": permission, "type": kind, "value": resolved}


def parse_grants(db: Store, raw: Any) -> list[Doc]:
    require(isinstance(raw, list), 400, "The permissions must be a list.", "permissions")
    grants: list[Doc] = []
    for item in raw:
        grant = parse_grant(db, item)
        require(not any(same_entry(g, grant) for g in grants), 400, duplicate_grant(grant))
        grants.append(grant)
    return grants


def duplicate_grant(grant: Doc) -> str:
    return (
        f"The permission scheme already grants {grant['permission']} to this "
        f"{grant['type']} holder."
    )


def put_grants(db: Store, scheme_id: str, grants: list[Doc]) -> list[Doc]:
    return [db.insert(GRANTS, dict(g), parent=scheme_id) for g in grants]


# -- permission schemes ------------------------------------------------------------------------
def scheme_bean(request: Request, db: Store, doc: Doc) -> dict[str, Any]:
    bean: dict[str, Any] = {
        "expand": "permissions,user,group,projectRole,field,all",
        "id": int(doc["id"]),
        "self": f"{base(request)}/rest/api/3/permissionscheme/{doc['id']}",
        "name": doc["name"],
        "description": doc["description"],
    }
    if request.query_params.get("expand"):
        bean["permissions"] = [grant_bean(request, db, g) for g in db.all(GRANTS, doc["id"])]
    return bean


def find_scheme(db: Store, raw: str) -> Doc:
    return found(
        db.get(SCHEMES, raw) if raw.isdigit() else None,
        f"Permission scheme with id {raw} not found.",
    )


def check_scheme_name(db: Store, coll: str, name: Any, own_id: str | None = None) -> str:
    checked = checked_name(
        name, "The name must be provided.", "The name can't exceed 255 characters."
    )
    require(
        not name_taken(db, coll, checked, own_id),
        400,
        f"A scheme with the name '{name}' already exists.",
        "name",
    )
    return checked


@route("/rest/api/3/permissionscheme")
async def list_schemes(request: Request) -> Response:
    db = store(request)
    return ok({"permissionSchemes": [scheme_bean(request, db, s) for s in db.all(SCHEMES)]})


@route("/rest/api/3/permissionscheme", "POST")
async def create_scheme(request: Request) -> Response:
    data, db = await body_object(request), store(request)
    name = check_scheme_name(db, SCHEMES, data.get("name"))
    grants = parse_grants(db, data.get("permissions") or [])
    with db.tx():
        doc = db.insert(SCHEMES, {"name": name, "description": str(data.get("description") or "")})
        put_grants(db, doc["id"], grants)
    return ok(scheme_bean(request, db, doc), 201)


@route("/rest/api/3/permissionscheme/{schemeId}")
async def get_scheme(request: Request) -> Response:
    db = store(request)
    return ok(scheme_bean(request, db, find_scheme(db, request.path_params["schemeId"])))


@route("/rest/api/3/permissionscheme/{schemeId}", "PUT")
async def update_scheme(request: Request) -> Response:
    data, db = await body_object(request), store(request)
    doc = find_scheme(db, request.path_params["schemeId"])
    doc["name"] = check_scheme_name(db, SCHEMES, data.get("name"), doc["id"])
    if "description" in data:
        doc["description"] = str(data["description"] or "")
    grants = parse_grants(db, data["permissions"]) if "permissions" in data else None
    with db.tx():
        db.put(SCHEMES, doc)
        if grants is not None:  # a permissions list replaces every grant
            db.delete_children(GRANTS, doc["id"])
            put_grants(db, doc["id"], grants)
    return ok(scheme_bean(request, db, doc))


@route("/rest/api/3/permissionscheme/{schemeId}", "DELETE")
async def delete_scheme(request: Request) -> Response:
    db = store(request)
    doc = find_scheme(db, request.path_params["schemeId"])
    drop_scheme(db, doc, "permission", (SCHEMES, GRANTS, SCHEME_PROJECTS, DEFAULT_SCHEME_ID))
    return no_content()


def drop_scheme(db: Store, doc: Doc, kind: str, colls: tuple[str, str, str, str]) -> None:
    """Delete a ``kind`` scheme and its entries (``colls``: schemes, entries, project links,
    default id); 400 for the default scheme or one that projects use."""
    schemes, entries, links, default_id = colls
    require(doc["id"] != default_id, 400, f"The default {kind} scheme can't be deleted.")
    require(
        db.first(links, lambda p: p["schemeId"] == doc["id"]) is None,
        400,
        f"The {kind} scheme is associated with one or more projects and can't be deleted.",
    )
    with db.tx():
        db.delete_children(entries, doc["id"])
        db.delete(schemes, doc["id"])


@route("/rest/api/3/permissionscheme/{schemeId}/permission")
async def list_grants(request: Request) -> Response:
    db = store(request)
    doc = find_scheme(db, request.path_params["schemeId"])
    return ok(
        {
            "permissions": [grant_bean(request, db, g) for g in db.all(GRANTS, doc["id"])],
            "expand": "user,group,permissions,projectRole,field,all",
        }
    )


@route("/rest/api/3/permissionscheme/{schemeId}/permission", "POST")
async def create_grant(request: Request) -> Response:
    data, db = await body_object(request), store(request)
    doc = find_scheme(db, request.path_params["schemeId"])
    grant = parse_grant(db, data)
    existing = db.all(GRANTS, doc["id"])
    require(not any(same_entry(g, grant) for g in existing), 400, duplicate_grant(grant))
    return ok(grant_bean(request, db, put_grants(db, doc["id"], [grant])[0]), 201)


def find_grant(db: Store, request: Request, status: int) -> Doc:
    doc = find_scheme(db, request.path_params["schemeId"])
    grant_id = request.path_params["permissionId"]
    missing = f"Permission grant with id {grant_id} not found."
    return child_of(db, GRANTS, grant_id, doc["id"], missing, status)


@route("/rest/api/3/permissionscheme/{schemeId}/permission/{permissionId}")
async def get_grant(request: Request) -> Response:
    db = store(request)
    return ok(grant_bean(request, db, find_grant(db, request, 404)))


@route("/rest/api/3/permissionscheme/{schemeId}/permission/{permissionId}", "DELETE")
async def delete_grant(request: Request) -> Response:
    db = store(request)
    db.delete(GRANTS, find_grant(db, request, 400)["id"])
    return no_content()


@route("/rest/api/3/permissions")
async def all_permissions(request: Request) -> Response:
    def bean(key: str, kind: str) -> dict[str, Any]:
        name = key.removesuffix("_PERMISSION").replace("_", " ").capitalize()
        return {"key": key, "name": name, "type": kind, "description": f"{name}."}

    keys = [(k, "PROJECT") for k in PROJECT_PERMISSIONS] + [
        (k, "GLOBAL") for k in GLOBAL_PERMISSIONS
    ]
    return ok({"permissions": {k: bean(k, kind) for k, kind in sorted(keys)}})


@route("/rest/api/3/project/{projectKeyOrId}/permissionscheme")
async def project_scheme(request: Request) -> Response:
    db = store(request)
    project = find_project(db, request.path_params["projectKeyOrId"])
    scheme_id = scheme_of_project(db, SCHEME_PROJECTS, str(project["id"]), DEFAULT_SCHEME_ID)
    return ok(scheme_bean(request, db, find_scheme(db, scheme_id)))


@route("/rest/api/3/project/{projectKeyOrId}/permissionscheme", "PUT")
async def assign_project_scheme(request: Request) -> Response:
    data, db = await body_object(request), store(request)
    project = find_project(db, request.path_params["projectKeyOrId"])
    doc = find_scheme(db, str(data.get("id")))
    assign_permission_scheme(db, project["id"], doc["id"])
    return ok(scheme_bean(request, db, doc))


# -- notification schemes ----------------------------------------------------------------------
def event_bean(event_id: int) -> dict[str, Any]:
    return {
        "id": event_id,
        "name": EVENTS[event_id],
        "description": f"This is the '{EVENTS[event_id].lower()}' event.",
    }


def notification_bean(db: Store, doc: Doc) -> dict[str, Any]:
    kind = NOTIFICATION_TYPES.get(doc["type"])
    return {
        "id": int(doc["id"]),
        "notificationType": doc["type"],
        **principal_fields(db, kind, doc["value"], "recipient"),
    }


def notif_scheme_bean(request: Request, db: Store, doc: Doc) -> dict[str, Any]:
    bean: dict[str, Any] = {
        "expand": "notificationSchemeEvents,user,group,projectRole,field,all",
        "id": int(doc["id"]),
        "self": f"{base(request)}/rest/api/3/notificationscheme/{doc['id']}",
        "name": doc["name"],
        "description": doc["description"],
    }
    if request.query_params.get("expand"):
        by_event: dict[int, list[dict[str, Any]]] = {}
        for n in db.all(NOTIFS, doc["id"]):
            by_event.setdefault(n["eventId"], []).append(notification_bean(db, n))
        bean["notificationSchemeEvents"] = [
            {"event": event_bean(e), "notifications": by_event[e]} for e in sorted(by_event)
        ]
    return bean


# The spec's CreateNotificationSchemeDetails (and Update..., AddNotificationsDetails).
NOTIFICATION = {"notificationType": str, "parameter": str}
NOTIF_EVENT = {"event": Required({"id": ID}), "notifications": [NOTIFICATION]}
NOTIF_SCHEME: dict[str, Any] = {
    "description": Text(4000, "The description can't exceed 4000 characters.")
}
NOTIF_SCHEME["notificationSchemeEvents"] = [NOTIF_EVENT]


def parse_notifications(db: Store, raw: Any, existing: list[Doc]) -> list[Doc]:
    """Notifications of a ``notificationSchemeEvents`` list (≤1000, none already present)."""
    require(
        isinstance(raw, list),
        400,
        "The notificationSchemeEvents must be a list.",
        "notificationSchemeEvents",
    )
    out: list[Doc] = []
    for item in raw:
        event = (item.get("event") or {}).get("id") if isinstance(item, dict) else None
        require(
            str(event).isdigit() and int(str(event)) in EVENTS,
            400,
            f"The event with id '{event}' does not exist.",
            "notificationSchemeEvents",
        )
        for notification in item.get("notifications") or []:
            doc = parse_notification(db, int(str(event)), notification)
            require(
                not any(same_entry(d, doc) for d in existing + out),
                400,
                f"The notification {doc['type']} already exists for event "
                f"'{EVENTS[doc['eventId']]}'.",
            )
            out.append(doc)
    require(len(out) <= 1000, 400, "You can add up to 1000 notifications per request.")
    return out


def parse_notification(db: Store, event_id: int, raw: Any) -> Doc:
    kind = raw.get("notificationType") if isinstance(raw, dict) else None
    require(
        kind != "EmailAddress",
        400,
        "The notification type EmailAddress is no longer supported.",
        "notificationType",
    )
    require(
        kind in NOTIFICATION_TYPES,
        400,
        f"The notification type '{kind}' is invalid.",
        "notificationType",
    )
    principal = NOTIFICATION_TYPES[str(kind)]
    parameter = raw.get("parameter")
    if principal is not None:
        require(
            parameter not in (None, ""), 400, f"The parameter is required for {kind}.", "parameter"
        )
    value = resolve(db, principal, parameter, parameter) if principal else None
    return {"eventId": event_id, "type": kind, "value": value}


def find_notif_scheme(db: Store, raw: str) -> Doc:
    return found(
        db.get(NOTIF_SCHEMES, raw) if raw.isdigit() else None,
        f"Notification scheme with id {raw} was not found.",
    )


def numeric_list(request: Request, name: str) -> list[str]:
    values = list_param(request, name)
    require(all(v.isdigit() for v in values), 400, f"The {name} must be a number.", name)
    return values


@route("/rest/api/3/notificationscheme")
async def list_notif_schemes(request: Request) -> Response:
    db, ids = store(request), numeric_list(request, "id")
    projects = numeric_list(request, "projectId")
    used = {scheme_of_project(db, NOTIF_PROJECTS, p, DEFAULT_NOTIF_ID) for p in projects}
    only_default = request.query_params.get("onlyDefault", "").lower() == "true"
    docs = [
        d
        for d in db.all(NOTIF_SCHEMES)
        if (not ids or d["id"] in ids)
        and (not projects or d["id"] in used)
        and (not only_default or d["id"] == DEFAULT_NOTIF_ID)
    ]
    docs.sort(key=lambda d: d["name"].casefold())
    return ok(page(request, [notif_scheme_bean(request, db, d) for d in docs]))


@route("/rest/api/3/notificationscheme", "POST")
async def create_notif_scheme(request: Request) -> Response:
    data, db = await body_object(request, NOTIF_SCHEME), store(request)
    name = check_scheme_name(db, NOTIF_SCHEMES, data.get("name"))
    notifications = parse_notifications(db, data.get("notificationSchemeEvents") or [], [])
    with db.tx():
        doc = db.insert(
            NOTIF_SCHEMES, {"name": name, "description": str(data.get("description") or "")}
        )
        insert_children(db, NOTIFS, notifications, doc["id"])
    return ok({"id": doc["id"]}, 201)


@route("/rest/api/3/notificationscheme/project")
async def notif_scheme_projects(request: Request) -> Response:
    db = store(request)
    schemes, projects = (
        numeric_list(request, "notificationSchemeId"),
        numeric_list(request, "projectId"),
    )
    links = [
        {"notificationSchemeId": p["schemeId"], "projectId": p["id"]}
        for p in db.all(NOTIF_PROJECTS)
        if (not schemes or p["schemeId"] in schemes) and (not projects or p["id"] in projects)
    ]
    return ok(page(request, sorted(links, key=lambda m: int(m["projectId"]))))


@route("/rest/api/3/notificationscheme/{id}")
async def get_notif_scheme(request: Request) -> Response:
    db = store(request)
    return ok(notif_scheme_bean(request, db, find_notif_scheme(db, request.path_params["id"])))


@route("/rest/api/3/notificationscheme/{id}", "PUT")
async def update_notif_scheme(request: Request) -> Response:
    data, db = await body_object(request, NOTIF_SCHEME), store(request)
    doc = find_notif_scheme(db, request.path_params["id"])
    if "name" in data:
        doc["name"] = check_scheme_name(db, NOTIF_SCHEMES, data["name"], doc["id"])
    if "description" in data:
        doc["description"] = str(data["description"] or "")
    db.put(NOTIF_SCHEMES, doc)
    return no_content()


@route("/rest/api/3/notificationscheme/{id}/notification", "PUT")
async def add_notifications(request: Request) -> Response:
    data, db = await body_object(request, NOTIF_SCHEME), store(request)
    doc = find_notif_scheme(db, request.path_params["id"])
    require(
        "notificationSchemeEvents" in data,
        400,
        "The notificationSchemeEvents must be provided.",
        "notificationSchemeEvents",
    )
    new = parse_notifications(db, data["notificationSchemeEvents"], db.all(NOTIFS, doc["id"]))
    insert_children(db, NOTIFS, new, doc["id"])
    return no_content()


@route("/rest/api/3/notificationscheme/{notificationSchemeId}", "DELETE")
async def delete_notif_scheme(request: Request) -> Response:
    db = store(request)
    doc = find_notif_scheme(db, request.path_params["notificationSchemeId"])
    drop_scheme(db, doc, "notification", (NOTIF_SCHEMES, NOTIFS, NOTIF_PROJECTS, DEFAULT_NOTIF_ID))
    return no_content()


@route(
    "/rest/api/3/notificationscheme/{notificationSchemeId}/notification/{notificationId}", "DELETE"
)
async def delete_notification(request: Request) -> Response:
    db = store(request)
    doc = find_notif_scheme(db, request.path_params["notificationSchemeId"])
    notification_id = request.path_params["notificationId"]
    missing = f"Notification with id {notification_id} was not found."
    db.delete(NOTIFS, child_of(db, NOTIFS, notification_id, doc["id"], missing)["id"])
    return no_content()


@route("/rest/api/3/project/{projectKeyOrId}/notificationscheme")
async def project_notif_scheme(request: Request) -> Response:
    db = store(request)
    project = find_project(db, request.path_params["projectKeyOrId"])
    scheme_id = scheme_of_project(db, NOTIF_PROJECTS, str(project["id"]), DEFAULT_NOTIF_ID)
    return ok(notif_scheme_bean(request, db, find_notif_scheme(db, scheme_id)))


@route("/rest/api/3/events")
async def events(request: Request) -> Response:
    return ok([{"id": i, "name": name} for i, name in EVENTS.items()])


ROUTES = [
    list_schemes,
    create_scheme,
    get_scheme,
    update_scheme,
    delete_scheme,
    list_grants,
    create_grant,
    get_grant,
    delete_grant,
    all_permissions,
    project_scheme,
    assign_project_scheme,
    list_notif_schemes,
    create_notif_scheme,
    notif_scheme_projects,
    get_notif_scheme,
    update_notif_scheme,
    add_notifications,
    delete_notif_scheme,
    delete_notification,
    project_notif_scheme,
    events,
]


def seed_empty(db: Store) -> None:
    db.insert(
        SCHEMES,
        {
            "id": DEFAULT_SCHEME_ID,
            "name": "Default Permission Scheme",
            "description": "This is the default Permission Scheme. Any new projects "
            "that are created will be assigned this scheme.",
        },
    )
    for key in PROJECT_PERMISSIONS:
        holder = ("projectRole", ADMINISTRATORS) if key in ADMIN_ONLY else ("applicationRole", None)
        for kind, value in (holder, ("projectRole", ADDONS)):
            db.insert(
                GRANTS, {"permission": key, "type": kind, "value": value}, parent=DEFAULT_SCHEME_ID
            )
    doc = db.insert(NOTIF_SCHEMES, {"name": "Default Notification Scheme", "description": ""})
    assert doc["id"] == DEFAULT_NOTIF_ID
    for event_id in EVENTS:
        for kind in ("AllWatchers", "CurrentAssignee", "Reporter"):
            db.insert(
                NOTIFS, {"eventId": event_id, "type": kind, "value": None}, parent=DEFAULT_NOTIF_ID
            )
