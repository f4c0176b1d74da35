"""issue_security_scheme: who may see issues set to each security level
(``/issuesecurityschemes``).

Spec: ``{name, description?, default_level?, levels: [{name, description?, members}]}``, levels
by name and members sorted. Members: ``reporter``, ``assignee``, ``project_lead``,
``application_role`` (any product) or ``application_role:<key>``, ``group:<name>``,
``user:<email>``, ``role:<role>``, ``user_field:<field>``, ``group_field:<field>``. A level is
known by its name: a new name is a new level (Jira clears the level of its issues when a level is
deleted). Projects name their scheme (``schemes.issue_security``); Jira refuses to delete a scheme
a project uses.

Fetching reads every scheme, level and member in three listings. Updates re-read the scheme and
change only what differs: levels added in one request, members added per level in one request and
deleted singly, the default level set last.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from jiracfg.kinds._base import (
    ApplyContext,
    FetchContext,
    Kind,
    SortKey,
    by_name,
    by_text,
    drop_empty,
)
from jiracfg.kinds._people import Directory, principal_refs
from jiracfg.kinds.permission_scheme import holder_of, holder_text
from jiracfg.model import Address, Resource, Spec

BASE = "/issuesecurityschemes"
MemberKey = tuple[str, str | None]  # (Jira member type, id)


class IssueSecuritySchemeKind(Kind):
    name = "issue_security_scheme"
    folder = "issue-security-schemes"
    audited = True
    unordered: ClassVar[dict[str, SortKey]] = {"levels": by_name, "levels[].members": by_text}
    depends_on = ("group", "project_role", "custom_field")

    def refs(self, spec: Spec) -> Iterable[Address]:
        return principal_refs(m for level in spec.get("levels", []) for m in level["members"])

    def fetch(self, ctx: FetchContext) -> Iterable[Resource]:
        schemes = ctx.client.get(BASE)["issueSecuritySchemes"]
        if not schemes:
            return []
        levels = list(ctx.client.paged(f"{BASE}/level"))
        members = list(ctx.client.paged(f"{BASE}/level/member", {"expand": "all"}))
        people = Directory.of(ctx)
        return [self._normalize(ctx, people, s, levels, members) for s in schemes]

    def _normalize(
        self,
        ctx: FetchContext,
        people: Directory,
        doc: dict[str, Any],
        levels: list[dict[str, Any]],
        members: list[dict[str, Any]],
    ) -> Resource:
        own = [lv for lv in levels if str(lv["issueSecuritySchemeId"]) == str(doc["id"])]
        default = next((lv["name"] for lv in own if lv.get("isDefault")), None)
        specs = [
            drop_empty(
                {
                    "name": lv["name"],
                    "description": lv.get("description"),
                    "members": sorted(
                        (
                            holder_text(ctx, people, m["holder"])
                            for m in members
                            if str(m["issueSecurityLevelId"]) == str(lv["id"])
                        ),
                        key=by_text,
                    ),
                }
            )
            for lv in own
        ]
        for level in specs:
            level.setdefault("members", [])
        spec = drop_empty(
            {
                "name": doc["name"],
                "description": doc.get("description"),
                "default_level": default,
                "levels": sorted(specs, key=by_name),
            }
        )
        return self.resource(spec, id=str(doc["id"]))

    def create(self, ctx: ApplyContext, spec: Spec) -> str:
        people = Directory(ctx.client)
        body = {
            "name": spec["name"],
            "description": spec.get("description", ""),
            "levels": [level_body(ctx, people, lv, spec) for lv in spec.get("levels", [])],
        }
        return str(ctx.client.post(BASE, body)["id"])

    def update(self, ctx: ApplyContext, live: Resource, spec: Spec) -> None:
        path = f"{BASE}/{live.id}"
        body = {
            f: spec.get(f, "")
            for f in ("name", "description")
            if spec.get(f, "") != live.spec.get(f, "")
        }
        if body:
            ctx.client.put(path, body)
        levels = {lv["name"]: str(lv["id"]) for lv in ctx.client.get(path).get("levels", [])}
        want = {lv["name"]: lv for lv in spec.get("levels", [])}
        people = Directory(ctx.client)
        for name in [n for n in levels if n not in want]:
            ctx.client.delete(f"{path}/level/{levels[name]}")
        old = {lv["name"]: lv.get("description", "") for lv in live.spec.get("levels", [])}
        self._sync_levels(ctx, people, str(live.id), levels, spec, old)
        self._set_default(ctx, str(live.id), live.spec.get("default_level"), spec)

    def _sync_levels(
        self,
        ctx: ApplyContext,
        people: Directory,
        scheme_id: str,
        levels: dict[str, str],
        spec: Spec,
        old: dict[str, str],
    ) -> None:
        path = f"{BASE}/{scheme_id}/level"
        new = [lv for lv in spec.get("levels", []) if lv["name"] not in levels]
        if new:
            bodies = [level_body(ctx, people, lv, {}) for lv in new]
            ctx.client.put(path, {"levels": bodies})
        have = member_ids(ctx, scheme_id)
        for level in [lv for lv in spec.get("levels", []) if lv["name"] in levels]:
            level_id = levels[level["name"]]
            if level.get("description", "") != old.get(level["name"], ""):
                body = {"description": level.get("description", "")}
                ctx.client.put(f"{path}/{level_id}", body)
            sync_members(ctx, people, f"{path}/{level_id}", have.get(level_id, {}), level)

    def _set_default(self, ctx: ApplyContext, scheme_id: str, old: Any, spec: Spec) -> None:
        new = spec.get("default_level")
        if new == old:
            return
        levels = {
            lv["name"]: str(lv["id"]) for lv in ctx.client.get(f"{BASE}/{scheme_id}")["levels"]
        }
        value = levels[new] if new else "-1"
        body = {"defaultValues": [{"issueSecuritySchemeId": scheme_id, "defaultLevelId": value}]}
        ctx.client.put(f"{BASE}/level/default", body)

    def delete(self, ctx: ApplyContext, live: Resource) -> None:
        ctx.client.delete(f"{BASE}/{live.id}")


def level_body(
    ctx: ApplyContext, people: Directory, level: dict[str, Any], spec: Spec
) -> dict[str, Any]:
    return {
        "name": level["name"],
        "description": level.get("description", ""),
        "isDefault": spec.get("default_level") == level["name"],
        "members": [member_body(holder_of(ctx, people, m)) for m in level.get("members", [])],
    }


def member_body(key: MemberKey) -> dict[str, Any]:
    kind, value = key
    return {"type": kind} if value is None else {"type": kind, "parameter": value}


def member_ids(ctx: ApplyContext, scheme_id: str) -> dict[str, dict[MemberKey, str]]:
    """Member ids by level id and (type, id)."""
    found: dict[str, dict[MemberKey, str]] = {}
    for m in ctx.client.paged(f"{BASE}/level/member", {"schemeId": scheme_id}):
        holder = m["holder"]
        value = holder.get("value") or holder.get("parameter") or None
        found.setdefault(str(m["issueSecurityLevelId"]), {})[(holder["type"], value)] = str(m["id"])
    return found


def sync_members(
    ctx: ApplyContext,
    people: Directory,
    path: str,
    have: dict[MemberKey, str],
    level: dict[str, Any],
) -> None:
    want = [holder_of(ctx, people, m) for m in level.get("members", [])]
    for key in [k for k in have if k not in want]:
        ctx.client.delete(f"{path}/member/{have[key]}")
    new = [member_body(k) for k in want if k not in have]
    if new:
        ctx.client.put(f"{path}/member", {"members": new})


KIND = IssueSecuritySchemeKind()
