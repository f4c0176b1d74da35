"""Share and edit permissions of filters and dashboards, by name.

A permission is one string: ``global`` (everyone, anonymous users too), ``loggedin`` (every
logged-in user; Jira's request type ``authenticated``), ``group:<name>``, ``project:<KEY>``,
``project:<KEY>/role:<role name>``, ``user:<email>``. Jira answers ids; these functions turn them
into names on export and back into ids for the target site on apply. A type jiracfg does not know
(``project-unknown``: a project the exporting user can't see) is written as the bare type.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from jiracfg.kinds._base import ApplyContext, FetchContext, by_text
from jiracfg.kinds._people import Directory
from jiracfg.model import Address, Spec

ROLE = "/role:"
LISTS = (("share", "sharePermissions"), ("edit", "editPermissions"))  # spec field, Jira's field


def permission_specs(ctx: FetchContext, people: Directory, doc: dict[str, Any]) -> Spec:
    """``{share: [...], edit: [...]}`` of a filter's or dashboard's bean, sorted."""
    return {
        field: sorted({share_text(ctx, people, p) for p in doc.get(key) or []}, key=by_text)
        for field, key in LISTS
    }


def permission_bodies(ctx: ApplyContext, people: Directory, spec: Spec) -> dict[str, Any]:
    """``{sharePermissions: [...], editPermissions: [...]}`` for the target site."""
    return {key: [share_body(ctx, people, t) for t in spec.get(field, [])] for field, key in LISTS}


def share_text(ctx: FetchContext, people: Directory, perm: dict[str, Any]) -> str:
    kind = str(perm.get("type"))
    if kind == "group":
        group = perm.get("group") or {}
        return f"group:{group.get('name') or people.group_name(str(group.get('groupId')))}"
    if kind == "user":
        return f"user:{people.email(str((perm.get('user') or {}).get('accountId')))}"
    if kind == "project":
        key = ctx.name_of("project", (perm.get("project") or {}).get("id"))
        role = perm.get("role")
        return (
            f"project:{key}{ROLE}{ctx.name_of('project_role', role['id'])}"
            if role
            else (f"project:{key}")
        )
    return "loggedin" if kind == "authenticated" else kind


def share_body(ctx: ApplyContext, people: Directory, text: str) -> dict[str, Any]:
    """Jira's SharePermission for ``text`` on the target site."""
    prefix, _, name = text.partition(":")
    if prefix == "group":
        return {"type": "group", "group": {"groupId": people.group_id(name)}}
    if prefix == "user":
        return {"type": "user", "user": {"accountId": people.account_id(name)}}
    if prefix == "project":
        key, _, role = name.partition(ROLE)
        project = {"id": ctx.id_of("project", key)}
        if role:
            return {"type": "projectRole", "project": project, "role": _role(ctx, role)}
        return {"type": "project", "project": project}
    return {"type": "authenticated" if text == "loggedin" else text}


def _role(ctx: ApplyContext, name: str) -> dict[str, Any]:
    return {"id": int(ctx.id_of("project_role", name))}


def share_refs(texts: Iterable[str]) -> Iterator[Address]:
    """The groups, projects and roles the permissions name (for validation and order)."""
    for text in texts:
        prefix, _, name = text.partition(":")
        if prefix == "group" and name:
            yield Address("group", name)
        elif prefix == "project" and name:
            key, _, role = name.partition(ROLE)
            yield Address("project", key)
            if role:
                yield Address("project_role", role)


def share_principals(texts: Iterable[str]) -> Iterator[str]:
    """The ``user:`` and ``group:`` principals among the permissions (for the people checks)."""
    return (t for t in texts if t.startswith(("user:", "group:")))
