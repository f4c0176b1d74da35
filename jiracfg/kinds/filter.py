"""filter: a saved JQL search (``/filter``), with its owner and share and edit permissions.

Spec: ``{name, owner: email, description?, jql?, share?: [permission], edit?: [permission]}``,
permissions sorted (see ``_shares``: ``group:<name>``, ``project:<KEY>``,
``project:<KEY>/role:<role>``, ``user:<email>``, ``loggedin``, ``global``). The JQL names custom
fields by name or alias (see ``_jql``); export turns the site's ``cf[N]`` into names and apply turns
names into the target's ids.

Filters are owner-scoped: Jira shows a filter only to its owner and the users it is shared with, so
export reads them with ``overrideSharePermissions`` (administrators see every filter). Names are
unique per owner, not per site: filters sharing a name get the key ``alias: "<name> (<owner>)"``.
Only a filter's owner may change it, so apply creates a filter as the applying user and then hands
it to its owner (``PUT /filter/{id}/owner``), and updates another user's filter by taking it over,
changing it, and handing it back.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import Any, ClassVar

from jiracfg.errors import JiraApiError
from jiracfg.kinds._base import (
    ApplyContext,
    FetchContext,
    Kind,
    SortKey,
    by_text,
    drop_empty,
    fold,
    refs_to,
)
from jiracfg.kinds._jql import (
    FieldNames,
    clause_values,
    custom_names,
    jql_refs,
    needs_fields,
    normal,
)
from jiracfg.kinds._jql_values import site_values
from jiracfg.kinds._people import Directory, for_apply
from jiracfg.kinds._shares import permission_bodies, permission_specs, share_refs
from jiracfg.model import Address, Resource, Spec

EXPAND = "description,owner,jql,sharePermissions,editPermissions"
PROJECT_KEY = re.compile(r"[A-Z][A-Z0-9_]+")  # a key as Jira makes them (names are not keys)


class FilterKind(Kind):
    name = "filter"
    folder = "filters"
    audited = False  # Jira's audit log does not record them (see sandbox/audit.py)
    depends_on = ("group", "project", "project_role", "custom_field")
    jql_fields = ("jql",)
    unordered: ClassVar[dict[str, SortKey]] = {"share": by_text, "edit": by_text}

    def refs(self, spec: Spec) -> Iterable[Address]:
        yield from share_refs([*spec.get("share", []), *spec.get("edit", [])])
        yield from jql_projects(str(spec.get("jql") or ""))

    def canonical(self, spec: Spec) -> Spec:
        spec = super().canonical(spec)
        return {**spec, "jql": normal(str(spec["jql"]))} if spec.get("jql") else spec

    def order_refs(self, spec: Spec) -> Iterable[Address]:
        return jql_order_refs(str(spec.get("jql") or ""))

    def fetch(self, ctx: FetchContext) -> Iterable[Resource]:
        params = {"expand": EXPAND, "overrideSharePermissions": "true", "orderBy": "id"}
        docs = list(ctx.client.paged("/filter/search", params))
        people = Directory.of(ctx)
        specs = [self.spec_of(ctx, people, doc) for doc in docs]
        fields = self._field_names(ctx, specs)
        counts = Counter(str(s["name"]).casefold() for s in specs)
        for doc, spec in zip(docs, specs, strict=True):
            if fields and spec.get("jql"):
                spec["jql"] = fields.to_names(spec["jql"])
            shared = counts[str(spec["name"]).casefold()] > 1
            if shared:
                spec["alias"] = f"{spec['name']} ({spec['owner']})"
            yield self.resource(self.canonical(spec), id=str(doc["id"]), duplicate_name=shared)

    def _field_names(self, ctx: FetchContext, specs: list[Spec]) -> FieldNames | None:
        if not any(needs_fields(str(s.get("jql") or "")) for s in specs):
            return None
        keys = {str(r.id): r.address.key for r in ctx.live.of_kind("custom_field") if r.id}
        return FieldNames.read(ctx.client, keys)

    def spec_of(self, ctx: FetchContext, people: Directory, doc: dict[str, Any]) -> Spec:
        owner = str((doc.get("owner") or {}).get("accountId") or "")
        spec: Spec = {
            "name": doc["name"],
            "owner": people.email(owner),
            "description": doc.get("description"),
            "jql": str(doc.get("jql") or "").strip(),
        }
        return drop_empty({**spec, **permission_specs(ctx, people, doc)})

    def serial_group(self, spec: Spec) -> str | None:
        # every namesake is created as the applying user before it is handed to its owner
        return f"filters named {fold(str(spec['name']))}"

    def create(self, ctx: ApplyContext, spec: Spec) -> str:
        try:
            filter_id = str(ctx.client.post("/filter", self.body(ctx, spec))["id"])
        except JiraApiError as exc:  # the create may have been made: a namesake not yet handed
            lost = exc.status in (0, 400) or exc.status >= 500
            made = _made_here(ctx, str(spec["name"])) if lost else None
            if made is None:
                raise
            filter_id = made
        owner = for_apply(ctx).account_id(str(spec["owner"]))
        if owner != myself(ctx):
            ctx.client.put(f"/filter/{filter_id}/owner", {"accountId": owner})
        return filter_id

    def update(self, ctx: ApplyContext, live: Resource, spec: Spec) -> None:
        path, people = f"/filter/{live.id}", for_apply(ctx)
        me, owner = myself(ctx), people.account_id(str(spec["owner"]))
        if _without_owner(live.spec) != _without_owner(spec):
            if people.account_id(str(live.spec["owner"])) != me:  # only the owner may edit
                ctx.client.put(f"{path}/owner", {"accountId": me})
            ctx.client.put(path, self.body(ctx, spec))
            if owner != me:
                ctx.client.put(f"{path}/owner", {"accountId": owner})
        elif live.spec.get("owner") != spec.get("owner"):
            ctx.client.put(f"{path}/owner", {"accountId": owner})

    def delete(self, ctx: ApplyContext, live: Resource) -> None:
        ctx.client.delete(f"/filter/{live.id}")

    def body(self, ctx: ApplyContext, spec: Spec) -> dict[str, Any]:
        people = for_apply(ctx)
        body: dict[str, Any] = {
            "name": spec["name"],
            "description": spec.get("description", ""),
            "jql": site_jql(ctx, str(spec.get("jql") or ""), f"filter {self.key(spec)!r}"),
        }
        return {**body, **permission_bodies(ctx, people, spec)}


def jql_projects(jql: str) -> list[Address]:
    """The projects a JQL names by key (``project = ENG``, ``project in (ENG, OPS)``): Jira
    refuses a filter naming a project the site does not have. Ids and names are left out."""
    keys = [v.upper() for v in clause_values(jql, "project") if PROJECT_KEY.fullmatch(v)]
    return [Address("project", k) for k in dict.fromkeys(keys)]


def jql_order_refs(jql: str) -> list[Address]:
    """What a JQL's write must follow: the custom fields, filters and sprints it names (apply
    writes their ids)."""
    return [*refs_to("custom_field", custom_names(jql)), *(Address(*r) for r in jql_refs(jql))]


def site_jql(ctx: ApplyContext, jql: str, where: str) -> str:
    """``jql`` with the repo's custom field names as the target's ``cf[N]`` and the filters,
    sprints and users it names as the target's ids (see ``_jql_values``)."""
    if not needs_fields(jql):
        return jql
    fields = FieldNames.read(ctx.client, ctx.keys_of("custom_field")).to_ids(jql, where)
    return site_values(ctx, fields, where)


def _made_here(ctx: ApplyContext, name: str) -> str | None:
    """A filter named ``name`` that the applying user owns and this apply does not know yet: the
    one a create whose answer was lost made (handed to its owner right after)."""
    known = set(ctx.keys_of("filter"))
    params = {"filterName": name, "accountId": myself(ctx), "overrideSharePermissions": "true"}
    found = [
        str(doc["id"])
        for doc in ctx.client.paged("/filter/search", params)
        if fold(str(doc["name"])) == fold(name) and str(doc["id"]) not in known
    ]
    return found[0] if found else None


def myself(ctx: ApplyContext) -> str:
    """The applying user's account id (read once per apply)."""
    found = ctx.shared.get("myself")
    if found is None:
        found = ctx.shared["myself"] = str(ctx.client.get("/myself")["accountId"])
    return str(found)


def _without_owner(spec: Spec) -> Spec:
    return {k: v for k, v in spec.items() if k not in ("owner", "alias", "renamed_from")}


KIND = FilterKind()
