"""project_role: global project roles and their default actors (``/role``).

Spec: ``{name, description?, default_actors?: {users: [emails], groups: [names]}}``. Default actors
only seed new projects; a project's own actors belong to the project kind. "Administrators" is
protected (the default permission scheme uses it); the app-managed
"atlassian-addons-project-access" is readonly.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from jiracfg.kinds._base import (
    ApplyContext,
    FetchContext,
    Kind,
    SortKey,
    by_text,
    drop_empty,
    refs_to,
)
from jiracfg.kinds._people import Directory, for_apply
from jiracfg.model import Address, Resource, Spec

ADDONS = "atlassian-addons-project-access"
USER_ACTOR = "atlassian-user-role-actor"


class ProjectRoleKind(Kind):
    name = "project_role"
    folder = "project-roles"
    audited = True
    unordered: ClassVar[dict[str, SortKey]] = {
        "default_actors.users": by_text,
        "default_actors.groups": by_text,
    }
    depends_on = ("group",)
    builtin_keys: ClassVar[frozenset[str]] = frozenset({ADDONS})

    def refs(self, spec: Spec) -> Iterable[Address]:
        return refs_to("group", (spec.get("default_actors") or {}).get("groups") or [])

    def fetch(self, ctx: FetchContext) -> Iterable[Resource]:
        people = Directory.of(ctx)
        roles = ctx.client.get("/role")
        return [self._normalize(people, doc) for doc in roles]

    def _normalize(self, people: Directory, doc: dict[str, Any]) -> Resource:
        users, groups = actor_ids(doc)
        spec = drop_empty(
            {
                "name": doc["name"],
                "description": doc.get("description"),
                "default_actors": drop_empty(
                    {
                        "users": sorted(people.email(a) for a in users),
                        "groups": sorted(people.group_name(g) for g in groups),
                    }
                ),
            }
        )
        meta: dict[str, Any] = {"id": str(doc["id"])}
        if doc["name"] == ADDONS:
            meta["readonly"] = True
        elif doc["name"] == "Administrators":
            meta["protected"] = True
        return self.resource(spec, **meta)

    def create(self, ctx: ApplyContext, spec: Spec) -> str:
        want = wanted_ids(ctx, spec)  # before the create: an unknown user leaves no role behind
        body = {"name": spec["name"], "description": spec.get("description", "")}
        role_id = str(ctx.client.post("/role", body)["id"])
        sync_actors(ctx, role_id, want, ([], []))
        return role_id

    def update(self, ctx: ApplyContext, live: Resource, spec: Spec) -> None:
        body = {
            f: spec.get(f, "")
            for f in ("name", "description")
            if spec.get(f, "") != live.spec.get(f, "")
        }
        if body:  # partial update: only what changed
            ctx.client.post(f"/role/{live.id}", body)
        have = actor_ids(ctx.client.get(f"/role/{live.id}/actors"))
        sync_actors(ctx, str(live.id), wanted_ids(ctx, spec), have)

    def delete(self, ctx: ApplyContext, live: Resource) -> None:
        ctx.client.delete(f"/role/{live.id}")


def actor_ids(doc: dict[str, Any]) -> tuple[list[str], list[str]]:
    """Account ids and group ids of a role bean's actors."""
    actors = doc.get("actors") or []
    users = [str(a["actorUser"]["accountId"]) for a in actors if a.get("type") == USER_ACTOR]
    groups = [str(a["actorGroup"]["groupId"]) for a in actors if a.get("type") != USER_ACTOR]
    return users, groups


def sync_actors(
    ctx: ApplyContext,
    role_id: str,
    want: tuple[list[str], list[str]],
    have: tuple[list[str], list[str]],
) -> None:
    """Add the missing default actors (users and groups in separate requests, as Jira needs)
    and remove the extra ones."""
    for key, ids, present in (("user", want[0], have[0]), ("groupId", want[1], have[1])):
        new = [i for i in ids if i not in present]
        if new:
            ctx.client.post(f"/role/{role_id}/actors", {key: new})
        for gone in [i for i in present if i not in ids]:
            ctx.client.delete(f"/role/{role_id}/actors", {key: gone})


def wanted_ids(ctx: ApplyContext, spec: Spec) -> tuple[list[str], list[str]]:
    people = for_apply(ctx)
    actors = spec.get("default_actors") or {}
    return (
        [people.account_id(e) for e in actors.get("users", [])],
        [people.group_id(g) for g in actors.get("groups", [])],
    )


KIND = ProjectRoleKind()
