"""Share and edit permissions of filters and dashboards, and who may see or change them.

Stored permission ``{id, type, groupId?, projectId?, roleId?, accountId?}``; ``type`` is one of
``global``, ``loggedin`` (``authenticated`` in requests), ``group``, ``project`` (with ``roleId``
when shared with a project role: Jira answers it as ``project`` with a ``role``), ``user``.
Requests name a group by ``groupId`` or ``name`` (``groupname`` in the permission endpoints), a
project by ``id``, a role by ``id``, a user by ``accountId``; an unknown one is Jira's 400.

Visibility (owner-scoped, as in Jira): the owner, users the object is shared with (directly, through
a group they are in, or with every logged-in user), and, with ``overrideSharePermissions=true``,
Jira administrators (members of ``jira-administrators`` or ``site-admins``). A share with a project
counts as visible to every user (the sandbox does not check *Browse projects*).
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from jiracfg.sandbox.http import ApiError, base, bool_param, peer, require
from jiracfg.sandbox.routes.core import find_group, find_user, user_bean
from jiracfg.sandbox.store import Doc, Store

ADMIN_GROUPS = ("jira-administrators", "site-admins")
EVERYONE = ("global", "loggedin")
PERMISSION_IDS = "sharepermission"


def is_admin(db: Store, account: str) -> bool:
    return any(
        account in (find_group(db, name=name) or {}).get("members", []) for name in ADMIN_GROUPS
    )


def reaches(db: Store, account: str, perm: Doc) -> bool:
    """Whether the permission ``perm`` includes the user ``account``."""
    kind = perm["type"]
    if kind in EVERYONE or kind == "project":
        return True
    if kind == "group":
        group = find_group(db, group_id=perm.get("groupId")) or {}
        return account in group.get("members", [])
    return kind == "user" and perm.get("accountId") == account


def can_view(db: Store, request: Request, doc: Doc) -> bool:
    account = str(request.state.account_id)
    if doc.get("owner") == account or any(reaches(db, account, p) for p in doc.get("share", [])):
        return True
    if any(reaches(db, account, p) for p in doc.get("edit", [])):
        return True
    return bool_param(request, "overrideSharePermissions") and is_admin(db, account)


def can_edit(db: Store, request: Request, doc: Doc) -> bool:
    account = str(request.state.account_id)
    edits = doc.get("edit", [])
    return doc.get("owner") == account or any(
        p["type"] != "project" and reaches(db, account, p) for p in edits
    )


# -- requests ------------------------------------------------------------------------------------
def read_permissions(db: Store, raw: Any, field: str) -> list[Doc]:
    """The stored form of a request's ``sharePermissions`` / ``editPermissions`` list."""
    if raw is None:
        return []
    require(isinstance(raw, list), 400, "The share permissions must be a list.", field)
    return [read_permission(db, item, field) for item in raw]


def read_permission(db: Store, item: Any, field: str) -> Doc:
    require(isinstance(item, dict), 400, "A share permission must be an object.", field)
    kind = str(item.get("type") or "")
    if kind in ("global", "loggedin", "authenticated"):
        return _new(db, {"type": "loggedin" if kind == "authenticated" else kind})
    if kind == "group":
        return _new(db, {"type": "group", "groupId": _group(db, item, field)})
    if kind in ("project", "projectRole"):
        return _new(db, _project(db, item, kind, field))
    if kind == "user":
        account = str(_inner(item, "user").get("accountId") or item.get("accountId") or "")
        require(find_user(db, account) is not None, 400, f"User '{account}' does not exist.", field)
        return _new(db, {"type": "user", "accountId": account})
    raise ApiError(400, errors={field: f"Invalid share permission type '{kind}'."})


def _inner(item: dict[str, Any], key: str) -> dict[str, Any]:
    value = item.get(key)
    return value if isinstance(value, dict) else {}


def _group(db: Store, item: dict[str, Any], field: str) -> str:
    inner = _inner(item, "group")
    gid = inner.get("groupId") or item.get("groupId")
    name = inner.get("name") or item.get("groupname")
    group = find_group(db, group_id=str(gid)) if gid else find_group(db, name=str(name or ""))
    require(group is not None, 400, f"Group '{gid or name or ''}' does not exist.", field)
    return str((group or {})["groupId"])


def _project(db: Store, item: dict[str, Any], kind: str, field: str) -> Doc:
    project_id = str(_inner(item, "project").get("id") or item.get("projectId") or "")
    get_project = peer("projects", "get_project")
    found = get_project(db, project_id) if get_project and project_id.isdigit() else None
    require(found is not None, 400, f"Project with id '{project_id}' does not exist.", field)
    stored = {"type": "project", "projectId": project_id}
    role = item.get("role")
    role_id = str(_inner(item, "role").get("id") or item.get("projectRoleId") or "")
    if kind == "projectRole" or role is not None or role_id:
        get_role = peer("roles", "get_role")
        known = get_role(db, role_id) if get_role and role_id.isdigit() else None
        require(known is not None, 400, f"Project role with id '{role_id}' does not exist.", field)
        stored["roleId"] = role_id
    return stored


def _new(db: Store, perm: Doc) -> Doc:
    return {"id": db.next_id(PERMISSION_IDS), **perm}


# -- responses -----------------------------------------------------------------------------------
def permission_bean(request: Request, db: Store, perm: Doc) -> dict[str, Any]:
    out: dict[str, Any] = {"id": perm["id"], "type": perm["type"]}
    url = base(request)
    if perm["type"] == "group":
        group = find_group(db, group_id=perm["groupId"]) or {"name": "", "groupId": perm["groupId"]}
        out["group"] = {
            "name": group["name"],
            "groupId": group["groupId"],
            "self": f"{url}/rest/api/3/group?groupId={group['groupId']}",
        }
    elif perm["type"] == "project":
        out.update(_project_bean(request, db, perm))
    elif perm["type"] == "user":
        user = find_user(db, perm["accountId"])
        bean = user_bean(request, user) if user else {"accountId": perm["accountId"]}
        keep = ("self", "accountId", "displayName", "active", "avatarUrls")
        out["user"] = {k: v for k, v in bean.items() if k in keep}
    return out


def _project_bean(request: Request, db: Store, perm: Doc) -> dict[str, Any]:
    get_project = peer("projects", "get_project")
    project = (get_project(db, perm["projectId"]) if get_project else None) or {}
    url = base(request)
    out: dict[str, Any] = {
        "project": {
            "id": perm["projectId"],
            "key": project.get("key", ""),
            "name": project.get("name", ""),
            "self": f"{url}/rest/api/3/project/{perm['projectId']}",
        }
    }
    if perm.get("roleId"):
        get_role = peer("roles", "get_role")
        role = (get_role(db, perm["roleId"]) if get_role else None) or {}
        out["role"] = {
            "id": int(perm["roleId"]),
            "name": role.get("name", ""),
            "self": f"{url}/rest/api/3/role/{perm['roleId']}",
        }
    return out


def forget_group(db: Store, coll: str, group_id: str) -> None:
    """Drop the shares with a deleted group from every doc of ``coll``."""
    for doc in db.all(coll):
        kept = {
            key: [p for p in doc.get(key, []) if p.get("groupId") != group_id]
            for key in ("share", "edit")
        }
        if kept != {key: doc.get(key, []) for key in ("share", "edit")}:
            db.put(coll, {**doc, **kept})
