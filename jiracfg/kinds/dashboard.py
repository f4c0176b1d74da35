"""dashboard: a dashboard, who may see and edit it, and its gadgets (``/dashboard``).

Spec: ``{name, owner: email, description?, share?, edit?, gadgets?: [{title?, module | uri,
position: {column, row}, color, properties?: {key: JSON}}]}``; permissions as a filter's (see
``_shares``), gadgets in layout order (column, then row). A gadget's settings are its item
properties (``/dashboard/{id}/items/{gadget}/properties/{key}``); a ``filterId`` in them is written
as ``{filter: <filter key>}`` (with ``prefix: filter-`` or ``number: true`` when Jira wrote the id
so), so no filter id reaches YAML and apply writes the target's id.

Jira has no administrator override for reading dashboards: export sees the dashboards shared with
the exporting user (or owned by it), never the system dashboard. Namesakes get the key
``alias: "<name> (<owner>)"``. Apply creates a dashboard as the applying user, adds its gadgets and
hands it to its owner (``PUT /dashboard/bulk/edit`` ``changeOwner``); changes go through
``extendAdminPermissions``. When any gadget differs, update replaces the gadgets (Jira gives them
new ids; nothing outside the dashboard refers to them).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any, ClassVar

from jiracfg.errors import JiraApiError
from jiracfg.kinds._base import (
    ApplyContext,
    FetchContext,
    Flaw,
    Kind,
    SortKey,
    by_text,
    drop_empty,
)
from jiracfg.kinds._people import Directory, for_apply
from jiracfg.kinds._shares import permission_bodies, permission_specs, share_refs
from jiracfg.kinds.filter import myself
from jiracfg.model import Address, Resource, Spec

EXPAND = "description,owner,sharePermissions,editPermissions"
ADMIN = {"extendAdminPermissions": "true"}
FILTER_ID = "filterId"
PREFIX = "filter-"


def position(gadget: Any) -> tuple[int, int]:
    where = gadget.get("position") or {} if isinstance(gadget, dict) else {}
    return int(where.get("column", 0)), int(where.get("row", 0))


class DashboardKind(Kind):
    name = "dashboard"
    folder = "dashboards"
    audited = False  # Jira's audit log does not record them (see sandbox/audit.py)
    depends_on = ("group", "project", "project_role", "filter")
    unordered: ClassVar[dict[str, SortKey]] = {
        "share": by_text,
        "edit": by_text,
        "gadgets": position,
    }

    def refs(self, spec: Spec) -> Iterable[Address]:
        yield from share_refs([*spec.get("share", []), *spec.get("edit", [])])
        for gadget in spec.get("gadgets", []):
            yield from (Address("filter", n) for n in filters_in(gadget.get("properties")))

    def flaws(self, spec: Spec) -> Iterable[Flaw]:
        rows: dict[int, list[int]] = {}
        for gadget in spec.get("gadgets", []):
            column, row = position(gadget)
            rows.setdefault(column, []).append(row)
        for column, found in sorted(rows.items()):
            if sorted(found) != list(range(len(found))):
                yield Flaw(
                    f"the gadgets of column {column} are in rows {sorted(found)}: Jira stacks "
                    "a column's gadgets with no gap or overlap",
                    "gadgets",
                    f"number the rows of column {column} 0, 1, 2, ... in the order they show",
                )

    def fetch(self, ctx: FetchContext) -> Iterable[Resource]:
        docs = [
            d
            for d in ctx.client.paged("/dashboard/search", {"expand": EXPAND, "orderBy": "id"})
            if not d.get("systemDashboard")
        ]
        people = Directory.of(ctx)
        found = ctx.client.map(lambda d: self._gadgets(ctx, str(d["id"])), docs)
        gadgets = [[spec for spec, _ in pairs] for pairs in found]
        specs = [self.spec_of(ctx, people, d, g) for d, g in zip(docs, gadgets, strict=True)]
        counts = Counter(str(s["name"]).casefold() for s in specs)
        for doc, spec, pairs in zip(docs, specs, found, strict=True):
            shared = counts[str(spec["name"]).casefold()] > 1
            if shared:
                spec["alias"] = f"{spec['name']} ({spec['owner']})"
            ids = {gadget_key(g): gadget_id for g, gadget_id in pairs}
            yield self.resource(
                self.canonical(spec), id=str(doc["id"]), duplicate_name=shared, gadgets=ids
            )

    def nested_ids(self, live: Resource) -> dict[str, str]:
        """Each gadget's id (for the id map), by its place: ``gadget:<column>,<row>``, unique on
        a dashboard (``validate`` refuses two gadgets in one place)."""
        return {f"gadget:{place}": str(i) for place, i in (live.meta.get("gadgets") or {}).items()}

    def spec_of(
        self, ctx: FetchContext, people: Directory, doc: dict[str, Any], gadgets: list[Spec]
    ) -> Spec:
        owner = str((doc.get("owner") or {}).get("accountId") or "")
        spec: Spec = {
            "name": doc["name"],
            "owner": people.email(owner),
            "description": doc.get("description"),
            "gadgets": gadgets,
        }
        return drop_empty({**spec, **permission_specs(ctx, people, doc)})

    def _gadgets(self, ctx: FetchContext, dashboard_id: str) -> list[tuple[Spec, str]]:
        """The dashboard's gadgets in layout order, each with its id."""
        found = ctx.client.get(f"/dashboard/{dashboard_id}/gadget")["gadgets"]
        ordered = sorted(found, key=position)
        return [(self._gadget(ctx, dashboard_id, g), str(g["id"])) for g in ordered]

    def _gadget(self, ctx: FetchContext, dashboard_id: str, gadget: dict[str, Any]) -> Spec:
        path = f"/dashboard/{dashboard_id}/items/{gadget['id']}/properties"
        keys = [k["key"] for k in ctx.client.get(path)["keys"]]
        values = {k: ctx.client.get(f"{path}/{k}")["value"] for k in sorted(keys)}
        return drop_empty(
            {
                "title": gadget.get("title"),
                "module": gadget.get("moduleKey"),
                "uri": gadget.get("uri"),
                "position": {"column": position(gadget)[0], "row": position(gadget)[1]},
                "color": gadget.get("color"),
                "properties": named_filters(ctx, values),
            }
        )

    def create(self, ctx: ApplyContext, spec: Spec) -> str:
        dashboard_id = str(ctx.client.post("/dashboard", self.body(ctx, spec))["id"])
        self._add_gadgets(ctx, dashboard_id, spec)
        self._hand_over(ctx, dashboard_id, spec)
        return dashboard_id

    def update(self, ctx: ApplyContext, live: Resource, spec: Spec) -> None:
        path = f"/dashboard/{live.id}"
        if _details(live.spec) != _details(spec):
            ctx.client.put(path, self.body(ctx, spec), params=ADMIN)
        if live.spec.get("gadgets", []) != spec.get("gadgets", []):
            for gadget in ctx.client.get(f"{path}/gadget")["gadgets"]:  # re-read: the ids
                ctx.client.delete(f"{path}/gadget/{gadget['id']}", params=ADMIN)
            self._add_gadgets(ctx, str(live.id), spec)
        if live.spec.get("owner") != spec.get("owner"):
            self._hand_over(ctx, str(live.id), spec)

    def delete(self, ctx: ApplyContext, live: Resource) -> None:
        ctx.client.delete(f"/dashboard/{live.id}", params=ADMIN)

    def body(self, ctx: ApplyContext, spec: Spec) -> dict[str, Any]:
        people = for_apply(ctx)
        body: dict[str, Any] = {"name": spec["name"], "description": spec.get("description", "")}
        return {**body, **permission_bodies(ctx, people, spec)}

    def _add_gadgets(self, ctx: ApplyContext, dashboard_id: str, spec: Spec) -> None:
        path = f"/dashboard/{dashboard_id}"
        for gadget in sorted(spec.get("gadgets", []), key=position):
            made = ctx.client.post(f"{path}/gadget", gadget_body(gadget), params=ADMIN)
            for key, value in sorted((gadget.get("properties") or {}).items()):
                item = f"{path}/items/{made['id']}/properties/{key}"
                ctx.client.put(item, site_filters(ctx, value), params=ADMIN)

    def _hand_over(self, ctx: ApplyContext, dashboard_id: str, spec: Spec) -> None:
        owner = for_apply(ctx).account_id(str(spec["owner"]))
        if owner == myself(ctx):
            return
        body = {
            "action": "changeOwner",
            "entityIds": [int(dashboard_id)],
            "extendAdminPermissions": True,
            "changeOwnerDetails": {"newOwner": owner, "autofixName": False},
        }
        errors = ctx.client.put("/dashboard/bulk/edit", body).get("entityErrors") or {}
        if errors:  # Jira answers 200 and names the dashboards it refused
            raise JiraApiError("PUT", "/dashboard/bulk/edit", 400, errors)


def gadget_key(gadget: Spec) -> str:
    place = gadget.get("position") or {}
    return f"{place.get('column', 0)},{place.get('row', 0)}"


def gadget_body(gadget: Spec) -> dict[str, Any]:
    column, row = position(gadget)
    body: dict[str, Any] = {
        "title": gadget.get("title", ""),
        "color": gadget.get("color", "blue"),
        "position": {"column": column, "row": row},
        "ignoreUriAndModuleKeyValidation": True,  # an app's gadget may be installed later
    }
    if gadget.get("module"):
        body["moduleKey"] = gadget["module"]
    else:
        body["uri"] = gadget.get("uri")
    return body


def _details(spec: Spec) -> Spec:
    return {k: spec.get(k) for k in ("name", "description", "share", "edit")}


# -- filters named in gadget settings --------------------------------------------------------------
def named_filters(ctx: FetchContext, value: Any) -> Any:
    """``value`` with each ``filterId`` the site has as ``{filter: key}`` (unknown ids stay)."""
    if isinstance(value, list):
        return [named_filters(ctx, v) for v in value]
    if not isinstance(value, dict):
        return value
    out = {k: named_filters(ctx, v) for k, v in value.items()}
    if FILTER_ID in value and not isinstance(value[FILTER_ID], (dict, list, bool)):
        raw = value[FILTER_ID]
        text = str(raw).removeprefix(PREFIX)
        key = ctx.maybe_name_of("filter", text)
        if key is not None:
            ref: dict[str, Any] = {"filter": key}
            if isinstance(raw, int):
                ref["number"] = True
            elif str(raw).startswith(PREFIX):
                ref["prefix"] = PREFIX
            out[FILTER_ID] = ref
    return out


def site_filters(ctx: ApplyContext, value: Any) -> Any:
    """``value`` with each ``{filter: key}`` as the target site's filter id."""
    if isinstance(value, list):
        return [site_filters(ctx, v) for v in value]
    if not isinstance(value, dict):
        return value
    if set(value) <= {"filter", "prefix", "number"} and isinstance(value.get("filter"), str):
        found = ctx.id_of("filter", value["filter"])
        return int(found) if value.get("number") else f"{value.get('prefix', '')}{found}"
    return {k: site_filters(ctx, v) for k, v in value.items()}


def filters_in(value: Any) -> Iterator[str]:
    """The filter keys that ``{filter: key}`` references in gadget settings name."""
    if isinstance(value, list):
        for item in value:
            yield from filters_in(item)
    elif isinstance(value, dict):
        if set(value) <= {"filter", "prefix", "number"} and isinstance(value.get("filter"), str):
            yield value["filter"]
        else:
            for item in value.values():
                yield from filters_in(item)


KIND = DashboardKind()
