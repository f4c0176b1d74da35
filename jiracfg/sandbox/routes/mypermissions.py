"""``GET /rest/api/3/mypermissions``: which permissions the caller has, as Jira Cloud answers it.

``permissions`` (comma-separated keys) is required: without it, or with an unknown key, Jira
answers 400. The context is an issue (``issueId``, else ``issueKey``), a project (``projectId``,
else ``projectKey``; 404 when it names none) or the site. A project permission is decided by the
same rule the sandbox enforces issue writes and workflow conditions with
(``_workflow_rules.has_permission``: the project's permission scheme, its grants to anyone,
application role, group, project role, user, project lead, reporter or assignee):

- for an issue, as enforced on that issue;
- for a project, grants decided by issue data (reporter, assignee, user and group custom fields)
  count as held ("any user can be a reporter", Jira's documentation says), the others as for an
  issue of the project;
- for the site, held in any project.

Global permissions ignore the context: *Make bulk changes* (``BULK_CHANGE``) is held unless the
store meta ``bulk_change_denied`` is set (what the bulk endpoints enforce; Jira Cloud has no REST
call to change global permissions), *Administer Jira* and *Administer the system* by members of
the site's admin groups, the others by everyone.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from jiracfg.sandbox.http import ApiError, ok, route, store
from jiracfg.sandbox.jql import call
from jiracfg.sandbox.routes._sharing import is_admin
from jiracfg.sandbox.routes._workflow_rules import holds
from jiracfg.sandbox.routes.issue_bulk import DENIED, issue_by_ref
from jiracfg.sandbox.routes.permissions import GLOBAL_PERMISSIONS, PROJECT_PERMISSIONS
from jiracfg.sandbox.store import Doc, Store

REQUIRED = "The 'permissions' query parameter is required."
ISSUE_DATA = ("reporter", "assignee", "userCustomField", "groupCustomField")
# Jira's ids and names of the permissions it has had since before keys (others: by key)
KNOWN: dict[str, tuple[str, str]] = {
    "ADMINISTER": ("0", "Administer Jira"),
    "BROWSE_PROJECTS": ("10", "Browse Projects"),
    "CREATE_ISSUES": ("11", "Create Issues"),
    "EDIT_ISSUES": ("12", "Edit Issues"),
    "ASSIGN_ISSUES": ("13", "Assign Issues"),
    "RESOLVE_ISSUES": ("14", "Resolve Issues"),
    "ADD_COMMENTS": ("15", "Add Comments"),
    "DELETE_ISSUES": ("16", "Delete Issues"),
    "ASSIGNABLE_USER": ("17", "Assignable User"),
    "CLOSE_ISSUES": ("18", "Close Issues"),
    "CREATE_ATTACHMENTS": ("19", "Create Attachments"),
    "WORK_ON_ISSUES": ("20", "Work On Issues"),
    "LINK_ISSUES": ("21", "Link Issues"),
    "CREATE_SHARED_OBJECTS": ("22", "Share dashboards and filters"),
    "ADMINISTER_PROJECTS": ("23", "Administer Projects"),
    "MANAGE_GROUP_FILTER_SUBSCRIPTIONS": ("24", "Manage group filter subscriptions"),
    "MOVE_ISSUES": ("25", "Move Issues"),
    "SET_ISSUE_SECURITY": ("26", "Set Issue Security"),
    "USER_PICKER": ("27", "Browse users and groups"),
    "SCHEDULE_ISSUES": ("28", "Schedule Issues"),
    "VIEW_DEV_TOOLS": ("29", "View Development Tools"),
    "MODIFY_REPORTER": ("30", "Modify Reporter"),
    "VIEW_VOTERS_AND_WATCHERS": ("31", "View Voters and Watchers"),
    "MANAGE_WATCHERS": ("32", "Manage Watchers"),
    "BULK_CHANGE": ("33", "Make bulk changes"),
    "EDIT_ALL_COMMENTS": ("34", "Edit All Comments"),
    "EDIT_OWN_COMMENTS": ("35", "Edit Own Comments"),
    "DELETE_ALL_COMMENTS": ("36", "Delete All Comments"),
    "DELETE_OWN_COMMENTS": ("37", "Delete Own Comments"),
    "DELETE_ALL_ATTACHMENTS": ("38", "Delete All Attachments"),
    "DELETE_OWN_ATTACHMENTS": ("39", "Delete Own Attachments"),
    "EDIT_OWN_WORKLOGS": ("40", "Edit Own Worklogs"),
    "EDIT_ALL_WORKLOGS": ("41", "Edit All Worklogs"),
    "DELETE_OWN_WORKLOGS": ("42", "Delete Own Worklogs"),
    "DELETE_ALL_WORKLOGS": ("43", "Delete All Worklogs"),
    "SYSTEM_ADMIN": ("44", "Administer the system"),
    "VIEW_READONLY_WORKFLOW": ("45", "View Read-Only Workflow"),
    "TRANSITION_ISSUES": ("46", "Transition Issues"),
}


def wanted(request: Request) -> list[str]:
    """The ``permissions`` keys asked for; 400 when none or one Jira does not have."""
    raw = request.query_params.get("permissions", "")
    keys = [k.strip() for k in raw.split(",") if k.strip()]
    if not keys:
        raise ApiError(400, REQUIRED)
    unknown = [k for k in keys if k not in PROJECT_PERMISSIONS and k not in GLOBAL_PERMISSIONS]
    if unknown:
        raise ApiError(400, f"Invalid permission key(s): {', '.join(unknown)}.")
    return keys


def context(request: Request, db: Store) -> tuple[list[str], Doc | None]:
    """(the projects the answer is about, the issue if one is named); 404 for a missing one."""
    params = request.query_params
    raw_issue = params.get("issueId") or params.get("issueKey")
    if raw_issue:
        issue = issue_by_ref(db, raw_issue)
        if issue is None:
            raise ApiError(404, "Issue does not exist or you do not have permission to see it.")
        return [str(issue["projectId"])], issue
    raw_project = params.get("projectId") or params.get("projectKey")
    if raw_project:
        project = call("projects", "project_by_key_or_id", None, db, raw_project)
        if project is None:
            raise ApiError(404, f"No project could be found with key '{raw_project}'.")
        return [str(project["id"])], None
    return [str(p["id"]) for p in db.all("project")], None


def project_grants(db: Store, project_id: str) -> list[Doc]:
    link = db.get("permission_scheme_project", project_id) or {}
    return db.all("permission_grant", str(link.get("schemeId", "0")))


def in_project(db: Store, project_id: str, key: str, caller: str) -> bool:
    """``key`` in the project's context: grants decided by issue data count as held."""
    doc = {"projectId": project_id, "fields": {}}
    return any(
        g["permission"] == key and (g.get("type") in ISSUE_DATA or holds(db, doc, g, caller))
        for g in project_grants(db, project_id)
    )


def on_issue(db: Store, issue: Doc, key: str, caller: str) -> bool:
    grants = project_grants(db, str(issue["projectId"]))
    return any(g["permission"] == key and holds(db, issue, g, caller) for g in grants)


def held_globally(db: Store, key: str, caller: str) -> bool:
    if key == "BULK_CHANGE":
        return not db.get_meta(DENIED)
    if key in ("ADMINISTER", "SYSTEM_ADMIN"):
        return is_admin(db, caller)
    return True


def held(db: Store, key: str, caller: str, where: tuple[list[str], Doc | None]) -> bool:
    projects, issue = where
    if key in GLOBAL_PERMISSIONS:
        return held_globally(db, key, caller)
    if issue is not None:
        return on_issue(db, issue, key, caller)
    return any(in_project(db, p, key, caller) for p in projects)


def bean(key: str, have: bool) -> dict[str, Any]:
    default = key.removesuffix("_PERMISSION").replace("_", " ").capitalize()
    permission_id, name = KNOWN.get(key, (key, default))
    return {
        "id": permission_id,
        "key": key,
        "name": name,
        "type": "GLOBAL" if key in GLOBAL_PERMISSIONS else "PROJECT",
        "description": f"Ability to {name.lower()}.",
        "havePermission": have,
    }


@route("/rest/api/3/mypermissions")
async def my_permissions(request: Request) -> Response:
    db, caller = store(request), request.state.account_id
    keys = wanted(request)
    where = context(request, db)
    return ok({"permissions": {k: bean(k, held(db, k, caller, where)) for k in keys}})


ROUTES = [my_permissions]


def seed_empty(db: Store) -> None:
    """Nothing of its own: the answer comes from the permission schemes and the store meta."""
