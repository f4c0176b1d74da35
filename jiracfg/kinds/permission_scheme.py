"""permission_scheme: who holds each project permission (``/permissionscheme``).

Spec: ``{name, description?, grants: {PERMISSION_KEY: [holders]}}``, keys and holders sorted.
Holders: ``anyone``, ``reporter``, ``assignee``, ``project_lead``, ``application_role`` (any
product) or ``application_role:<key>``, ``group:<name>``, ``user:<email>``, ``role:<role>``,
``user_field:<field>``, ``group_field:<field>``; other Jira types pass through as ``<type>[:<id>]``.
The "Default Permission Scheme" is protected. Updates add and delete single grants (a ``PUT`` with
``permissions`` would replace them all).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from jiracfg.kinds._base import ApplyContext, FetchContext, Kind, SortKey, by_text, drop_empty
from jiracfg.kinds._people import Directory, for_apply, principal_id, principal_name, principal_refs
from jiracfg.model import Address, Resource, Spec

DEFAULT = "Default Permission Scheme"
PLAIN = {
    "anyone": "anyone",
    "reporter": "reporter",
    "assignee": "assignee",
    "projectLead": "project_lead",
}
PRINCIPALS = {
    "group": "group",
    "user": "user",
    "projectRole": "role",
    "userCustomField": "user_field",
    "groupCustomField": "group_field",
}
APP = ("applicationRole", "application_role")
GrantKey = tuple[str, str, str | None]  # (permission, holder type, holder id)


class PermissionSchemeKind(Kind):
    name = "permission_scheme"
    folder = "permission-schemes"
    audited = True
    unordered: ClassVar[dict[str, SortKey]] = {"grants.*": by_text}
    depends_on = ("group", "project_role", "custom_field")

    def refs(self, spec: Spec) -> Iterable[Address]:
        return principal_refs(h for holders in spec.get("grants", {}).values() for h in holders)

    def fetch(self, ctx: FetchContext) -> Iterable[Resource]:
        people = Directory.of(ctx)
        docs = ctx.client.get("/permissionscheme", {"expand": "permissions"})["permissionSchemes"]
        return [self._normalize(ctx, people, doc) for doc in docs]

    def _normalize(self, ctx: FetchContext, people: Directory, doc: dict[str, Any]) -> Resource:
        grants: dict[str, set[str]] = {}
        for grant in doc.get("permissions", []):
            text = holder_text(ctx, people, grant["holder"])
            grants.setdefault(grant["permission"], set()).add(text)
        spec = drop_empty(
            {
                "name": doc["name"],
                "description": doc.get("description"),
                "grants": {k: sorted(v) for k, v in sorted(grants.items())},
            }
        )
        meta: dict[str, Any] = {"id": str(doc["id"])}
        if doc["name"] == DEFAULT:
            meta["protected"] = True
        return self.resource(spec, **meta)

    def create(self, ctx: ApplyContext, spec: Spec) -> str:
        body = {
            "name": spec["name"],
            "description": spec.get("description", ""),
            "permissions": [grant_body(key) for key in wanted_keys(ctx, spec)],
        }
        return str(ctx.client.post("/permissionscheme", body)["id"])

    def update(self, ctx: ApplyContext, live: Resource, spec: Spec) -> None:
        path = f"/permissionscheme/{live.id}"
        if any(spec.get(f, "") != live.spec.get(f, "") for f in ("name", "description")):
            ctx.client.put(path, {"name": spec["name"], "description": spec.get("description", "")})
        have = {
            grant_key(g): str(g["id"]) for g in ctx.client.get(f"{path}/permission")["permissions"]
        }  # re-read: the ids to delete
        want = wanted_keys(ctx, spec)
        for key in [k for k in have if k not in want]:
            ctx.client.delete(f"{path}/permission/{have[key]}")
        for key in [k for k in want if k not in have]:
            ctx.client.post(f"{path}/permission", grant_body(key))

    def delete(self, ctx: ApplyContext, live: Resource) -> None:
        ctx.client.delete(f"/permissionscheme/{live.id}")


def holder_id(holder: dict[str, Any]) -> str | None:
    value = holder.get("value") or holder.get("parameter")
    return None if value in (None, "") else str(value)


def holder_text(ctx: FetchContext, people: Directory, holder: dict[str, Any]) -> str:
    kind, value = holder["type"], holder_id(holder)
    if kind in PLAIN:
        return PLAIN[kind]
    if kind in PRINCIPALS and value is not None:
        return principal_name(ctx, people, PRINCIPALS[kind], value)
    kind = APP[1] if kind == APP[0] else kind
    return f"{kind}:{value}" if value is not None else kind


def grant_key(grant: dict[str, Any]) -> GrantKey:
    return grant["permission"], grant["holder"]["type"], holder_id(grant["holder"])


def wanted_keys(ctx: ApplyContext, spec: Spec) -> list[GrantKey]:
    people = for_apply(ctx)
    return [
        (permission, *holder_of(ctx, people, text))
        for permission, holders in spec.get("grants", {}).items()
        for text in holders
    ]


def holder_of(ctx: ApplyContext, people: Directory, text: str) -> tuple[str, str | None]:
    """Jira's holder type and id for a holder string."""
    prefix, _, name = text.partition(":")
    plain = {v: k for k, v in PLAIN.items()}
    if text in plain:
        return plain[text], None
    jira_type = {v: k for k, v in PRINCIPALS.items()}.get(prefix)
    if jira_type is not None:
        return jira_type, principal_id(ctx, people, prefix, name)
    return (APP[0] if prefix == APP[1] else prefix), name or None


def grant_body(key: GrantKey) -> dict[str, Any]:
    permission, kind, value = key
    holder = {"type": kind} if value is None else {"type": kind, "value": value}
    return {"permission": permission, "holder": holder}


KIND = PermissionSchemeKind()
