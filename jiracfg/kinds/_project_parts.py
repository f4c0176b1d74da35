"""What a project holds besides its details: components, versions and role actors.

Components and versions match by name (a rename is a delete and a create); versions keep Jira's
order. Role actors are ``{role name: {users: [emails], groups: [names]}}``, each role replaced
wholesale when it differs. The app-managed "atlassian-addons-project-access" role is left alone.
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from jiracfg.errors import UnresolvedReferenceError
from jiracfg.kinds._base import ApplyContext, drop_empty
from jiracfg.kinds._people import Directory
from jiracfg.model import Spec

ADDONS_ROLE = "atlassian-addons-project-access"
USER_ACTOR, GROUP_ACTOR = "atlassian-user-role-actor", "atlassian-group-role-actor"


# -- reading -----------------------------------------------------------------------------------
def component_spec(doc: dict[str, Any], users: Directory) -> Spec:
    lead = (doc.get("lead") or {}).get("accountId")
    kind = str(doc.get("assigneeType") or "PROJECT_DEFAULT")
    return drop_empty(
        {
            "name": doc["name"],
            "description": doc.get("description"),
            "lead": users.email(lead) if lead else None,
            "assignee_type": None if kind == "PROJECT_DEFAULT" else kind.lower(),
        }
    )


def version_spec(doc: dict[str, Any]) -> Spec:
    return drop_empty(
        {
            "name": doc["name"],
            "description": doc.get("description"),
            "released": doc.get("released") or None,
            "archived": doc.get("archived") or None,
            "start_date": doc.get("startDate"),
            "release_date": doc.get("releaseDate"),
        }
    )


def roles_spec(roles: list[dict[str, Any]], users: Directory) -> Spec:
    """``{role name: {users, groups}}`` from ProjectRole beans (roles without actors left out),
    by role name."""
    out: Spec = {}
    for role in sorted(roles, key=lambda r: str(r["name"])):
        actors = role.get("actors") or []
        entry = drop_empty(
            {
                "users": sorted(
                    users.email(a["actorUser"]["accountId"]) for a in actors if a.get("actorUser")
                ),
                "groups": sorted(a["actorGroup"]["name"] for a in actors if a.get("actorGroup")),
            }
        )
        if entry and role["name"] != ADDONS_ROLE:
            out[role["name"]] = entry
    return out


# -- components --------------------------------------------------------------------------------
def component_body(spec: Spec, users: Directory) -> dict[str, Any]:
    lead = spec.get("lead")
    return {
        "name": spec["name"],
        "description": spec.get("description", ""),
        "leadAccountId": users.account_id(lead) if lead else "",
        "assigneeType": str(spec.get("assignee_type") or "project_default").upper(),
    }


def sync_components(
    ctx: ApplyContext,
    project: tuple[str, str],
    have: list[Spec],
    ids: dict[str, str],
    want: list[Spec],
    users: Directory,
) -> None:
    """Make the project's components ``want`` (``project``: its id and key)."""
    old = {c["name"]: c for c in have}
    for name in [n for n in old if n not in {c["name"] for c in want}]:
        ctx.client.delete(f"/component/{ids[name]}")
    for spec in want:
        if spec["name"] not in old:
            body = {k: v for k, v in component_body(spec, users).items() if v != ""}
            ctx.client.post("/component", {"project": project[1], **body})
        elif old[spec["name"]] != spec:
            ctx.client.put(f"/component/{ids[spec['name']]}", component_body(spec, users))


# -- versions ----------------------------------------------------------------------------------
def version_body(spec: Spec) -> dict[str, Any]:
    return {
        "name": spec["name"],
        "description": spec.get("description", ""),
        "released": bool(spec.get("released")),
        "archived": bool(spec.get("archived")),
        "startDate": spec.get("start_date"),
        "releaseDate": spec.get("release_date"),
    }


def sync_versions(
    ctx: ApplyContext, project_id: str, have: list[Spec], ids: dict[str, str], want: list[Spec]
) -> None:
    """Make the project's versions ``want``, in that order."""
    old = {v["name"]: v for v in have}
    wanted = [v["name"] for v in want]
    ids = dict(ids)
    for name in [n for n in old if n not in wanted]:
        ctx.client.post(f"/version/{ids.pop(name)}/removeAndSwap", {})
    for spec in want:
        if spec["name"] not in old:
            made = ctx.client.post("/version", {"projectId": int(project_id), **version_body(spec)})
            ids[spec["name"]] = str(made["id"])
        elif old[spec["name"]] != spec:
            ctx.client.put(f"/version/{ids[spec['name']]}", version_body(spec))
    order = [n for n in old if n in wanted] + [n for n in wanted if n not in old]
    if order != wanted:
        move_versions(ctx, [ids[n] for n in wanted])


def move_versions(ctx: ApplyContext, ids: list[str]) -> None:
    ctx.client.post(f"/version/{ids[0]}/move", {"position": "First"})
    for before, version_id in pairwise(ids):
        after = f"{ctx.client.url}/rest/api/3/version/{before}"
        ctx.client.post(f"/version/{version_id}/move", {"after": after})


# -- role actors -------------------------------------------------------------------------------
def sync_roles(
    ctx: ApplyContext, project_id: str, have: Spec | None, want: Spec, users: Directory
) -> None:
    """Set the actors of every role that differs (``have`` None: of every role)."""
    urls: dict[str, str] = ctx.client.get(f"/project/{project_id}/role")
    unknown = sorted(set(want) - set(urls))
    if unknown:
        raise UnresolvedReferenceError(
            f"project roles {unknown} do not exist in the target",
            hint="create them as project_role objects first",
        )
    for name, url in urls.items():
        entry = want.get(name, {})
        if name == ADDONS_ROLE or (have is not None and have.get(name, {}) == entry):
            continue
        actors = {
            USER_ACTOR: [users.account_id(u) for u in entry.get("users", [])],
            GROUP_ACTOR: list(entry.get("groups", [])),
        }
        ctx.client.put(
            f"/project/{project_id}/role/{url.rstrip('/').rsplit('/', 1)[-1]}",
            {"categorisedActors": actors},
        )
