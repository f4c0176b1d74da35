"""screen: screens with their tabs and tab fields (``/screens``), order significant.

Spec: ``{name, description?, tabs: [{name, fields?: [field keys in order]}]}``. Fields are
``custom_field`` keys (system fields by name, e.g. ``Summary``). ``update`` diffs tabs by name
(unmatched live and desired tabs pair up as renames) and fields with the fewest add, remove and move
calls: a field leaves its old tab before it joins another, since Jira allows it once per screen.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from jiracfg.errors import ConfigError
from jiracfg.kinds._base import (
    ApplyContext,
    FetchContext,
    Kind,
    drop_empty,
    refs_to,
    settle,
    with_key,
)
from jiracfg.model import Address, Resource, Spec

LiveTab = dict[str, Any]  # {"id", "name", "fields": [field ids]}
CHUNK = 100  # screen ids per bulk tab request (a page of tabs holds at most 100; short URL)


class ScreenKind(Kind):
    name = "screen"
    folder = "screens"
    audited = True
    depends_on = ("custom_field",)
    in_use_by = ("workflow", "screen_scheme")

    def refs(self, spec: Spec) -> Iterable[Address]:
        return refs_to("custom_field", [f for tab in spec["tabs"] for f in tab.get("fields", [])])

    def fetch(self, ctx: FetchContext) -> Iterable[Resource]:
        return self._read(ctx, list(ctx.client.paged("/screens")))

    def fetch_one(self, ctx: FetchContext, spec: Spec) -> Resource | None:
        """Jira's ``queryString`` matches names in part: the screens holding the name, then the
        tabs of the one that has it."""
        found = ctx.client.paged("/screens", {"queryString": spec["name"]})
        return with_key(
            self._read(ctx, [s for s in found if s["name"] == spec["name"]]), self.key(spec)
        )

    def _read(self, ctx: FetchContext, screens: list[dict[str, Any]]) -> list[Resource]:
        tabs = bulk_tabs(ctx, [str(s["id"]) for s in screens])
        return [self._normalize(ctx, s, tabs.get(str(s["id"]), [])) for s in screens]

    def _normalize(self, ctx: FetchContext, doc: dict[str, Any], tabs: list[LiveTab]) -> Resource:
        spec = drop_empty(
            {
                "name": doc["name"],
                "description": doc.get("description"),
                "tabs": [
                    drop_empty(
                        {
                            "name": t["name"],
                            "fields": [ctx.name_of("custom_field", f) for f in t["fields"]],
                        }
                    )
                    for t in tabs
                ],
            }
        )
        meta: dict[str, Any] = {"id": str(doc["id"]), "tabs": tabs}
        if str(doc["id"]) == "1":  # the Default Screen
            meta["protected"] = True
        return self.resource(spec, **meta)

    def create(self, ctx: ApplyContext, spec: Spec) -> str:
        check_unique(spec)
        body = {"name": spec["name"], "description": spec.get("description", "")}
        screen_id = str(ctx.client.post("/screens", body)["id"])
        sync_tabs(ctx, screen_id, spec["tabs"], read_tabs(ctx, screen_id, with_fields=False))
        return screen_id

    def update(self, ctx: ApplyContext, live: Resource, spec: Spec) -> None:
        check_unique(spec)
        body = changed_details(live.spec, spec)
        if body:
            ctx.client.put(f"/screens/{live.id}", body)
        sync_tabs(ctx, str(live.id), spec["tabs"])

    def delete(self, ctx: ApplyContext, live: Resource) -> None:
        ctx.client.delete(f"/screens/{live.id}")


def changed_details(live: Spec, spec: Spec) -> dict[str, str]:
    """The name and description that differ (Jira refuses a screen's own name as taken)."""
    body = {"name": spec["name"]} if spec["name"] != live["name"] else {}
    if spec.get("description", "") != live.get("description", ""):
        body["description"] = spec.get("description", "")
    return body


def bulk_tabs(ctx: FetchContext, screen_ids: list[str]) -> dict[str, list[LiveTab]]:
    """Every screen's tabs with their field ids: bulk tab pages, then one read per tab."""
    chunks = [screen_ids[i : i + CHUNK] for i in range(0, len(screen_ids), CHUNK)]
    rows = [
        row
        for chunk in chunks
        for row in ctx.client.paged("/screens/tabs", {"screenId": chunk}, size_param="maxResult")
    ]
    fields = ctx.client.map(
        lambda r: [
            str(f["id"])
            for f in ctx.client.get(f"/screens/{r['screenId']}/tabs/{r['tabId']}/fields")
        ],
        rows,
    )
    tabs: dict[str, list[LiveTab]] = {}
    for row, ids in zip(rows, fields, strict=True):
        tabs.setdefault(str(row["screenId"]), []).append(
            {"id": str(row["tabId"]), "name": row["tabName"], "fields": ids}
        )
    return tabs


def read_tabs(ctx: ApplyContext, screen_id: Any, *, with_fields: bool = True) -> list[LiveTab]:
    """The screen's tabs and their fields (a new screen's one tab has none: not read)."""
    tabs = ctx.client.get(f"/screens/{screen_id}/tabs")
    return [
        {
            "id": str(t["id"]),
            "name": t["name"],
            "fields": [
                str(f["id"]) for f in ctx.client.get(f"/screens/{screen_id}/tabs/{t['id']}/fields")
            ]
            if with_fields
            else [],
        }
        for t in tabs
    ]


def sync_tabs(
    ctx: ApplyContext,
    screen_id: str,
    desired: list[dict[str, Any]],
    live: list[LiveTab] | None = None,
) -> None:
    """Make the screen's tabs and fields ``desired``, from ``live`` or a fresh read (earlier
    changes in the same apply, e.g. a deleted field, may have changed the screen since it was
    fetched)."""
    path = f"/screens/{screen_id}/tabs"
    live = read_tabs(ctx, screen_id) if live is None else live
    tabs = pair_tabs(ctx, path, live, [t["name"] for t in desired])
    wanted = {
        t["name"]: [ctx.id_of("custom_field", f) for f in t.get("fields", [])] for t in desired
    }
    for tab in tabs:  # 1. fields leave tabs first (a field is allowed once per screen)
        for field in [f for f in tab["fields"] if f not in wanted.get(tab["name"], [])]:
            ctx.client.delete(f"{path}/{tab['id']}/fields/{field}")
    for tab in [t for t in tabs if t["name"] not in wanted]:  # 2. obsolete tabs go
        ctx.client.delete(f"{path}/{tab['id']}")
    kept = [t for t in tabs if t["name"] in wanted]
    for tab in kept:  # 3. fields join and take their places
        sync_fields(ctx, f"{path}/{tab['id']}/fields", tab["fields"], wanted[tab["name"]])
    order_tabs(
        ctx,
        path,
        [t["id"] for t in kept],
        [next(t["id"] for t in kept if t["name"] == name) for name in wanted],
    )


def check_unique(spec: Spec) -> None:
    """Jira refuses a tab name twice on a screen and a field twice on a screen: say so up front."""
    names = [t["name"] for t in spec["tabs"]]
    fields = [f for t in spec["tabs"] for f in t.get("fields", [])]
    for what, items in (("tab", names), ("field", fields)):
        twice = sorted({i for i in items if items.count(i) > 1})
        if twice:
            raise ConfigError(
                f"screen {spec['name']!r} has the {what}(s) {', '.join(twice)} more than once",
                hint=f"keep each {what} once per screen",
            )


def pair_tabs(ctx: ApplyContext, path: str, live: list[LiveTab], names: list[str]) -> list[LiveTab]:
    """Live tabs renamed or created so every desired name has one; unmatched live tabs stay."""
    have = {t["name"] for t in live}
    missing = [n for n in names if n not in have]
    spare = [t for t in live if t["name"] not in names]
    for tab, name in zip(spare, missing, strict=False):
        ctx.client.put(f"{path}/{tab['id']}", {"name": name})
        tab["name"] = name
    for name in missing[len(spare) :]:
        made = ctx.client.post(path, {"name": name})
        live.append({"id": str(made["id"]), "name": name, "fields": []})
    return live


def sync_fields(ctx: ApplyContext, path: str, current: list[str], want: list[str]) -> None:
    order = [f for f in current if f in want]
    for field in [f for f in want if f not in order]:
        add_field(ctx, path, field)
        order.append(field)
    keep = longest_in_order(order, want)
    for i, field in enumerate(want):
        if field in keep:
            continue
        where = {"after": want[i - 1]} if i else {"position": "First"}
        ctx.client.post(f"{path}/{field}/move", where)


def add_field(ctx: ApplyContext, path: str, field: str) -> None:
    """POST ``field`` onto a tab; after a passing fault, the tab's fields say whether it went on."""
    settle(
        lambda: ctx.client.post(path, {"fieldId": field}),
        lambda: field in {str(f["id"]) for f in ctx.client.get(path)},
    )


def longest_in_order(current: list[str], want: list[str]) -> set[str]:
    """The largest set of ``current`` items already in ``want``'s relative order (they stay put)."""
    ranks = [want.index(f) for f in current]
    best: list[list[int]] = []  # best[i]: longest increasing run ending at i
    for i, rank in enumerate(ranks):
        runs = [best[j] for j in range(i) if ranks[j] < rank]
        best.append([*max(runs, key=len, default=[]), rank])
    return {want[r] for r in max(best, key=len, default=[])}


def order_tabs(ctx: ApplyContext, path: str, current: list[str], want: list[str]) -> None:
    for pos, tab_id in enumerate(want):
        if current[pos] != tab_id:
            ctx.client.post(f"{path}/{tab_id}/move/{pos}")
            current.remove(tab_id)
            current.insert(pos, tab_id)


KIND = ScreenKind()
