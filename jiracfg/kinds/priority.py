"""priority: issue priorities (``/priority``), in Jira's one global order.

Spec: ``{name, description?, color: "#rrggbb", icon?, default?: true, position}``. ``position`` is
the 1-based place in Jira's order (Highest first on a new site); see ``_ordered`` for how an apply
reaches the desired order. ``icon`` names a built-in priority icon (``highest``, ``major_new``...);
it can be changed, not removed. ``color`` is lower case. The new site's five priorities are ordinary
managed objects (Jira lets an admin rename, recolour, reorder and delete them), but Jira refuses to
delete the default priority: move ``default`` first.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from jiracfg.kinds._base import ApplyContext, FetchContext, Kind, drop_empty
from jiracfg.kinds._ordered import place, positioned, settle, sync_default
from jiracfg.model import Resource, Spec

ICONS = "/images/icons/priorities/"


class PriorityKind(Kind):
    name = "priority"
    folder = "priorities"
    audited = True
    depends_on = ()

    def serial_group(self, spec: Spec) -> str | None:
        return "priority order"  # every write may move Jira's one global order (see _ordered)

    def fetch(self, ctx: FetchContext) -> Iterable[Resource]:
        docs = list(ctx.client.paged("/priority/search"))
        return [self._normalize(doc, position) for doc, position in positioned(docs)]

    def _normalize(self, doc: dict[str, Any], position: int) -> Resource:
        spec = drop_empty(
            {
                "name": doc["name"],
                "description": doc.get("description"),
                "color": str(doc.get("statusColor") or "").lower(),
                "icon": icon_of(doc.get("iconUrl")),
                "default": True if doc.get("isDefault") else None,
                "position": position,
            }
        )
        return self.resource(spec, id=str(doc["id"]))

    def create(self, ctx: ApplyContext, spec: Spec) -> str:
        body = {
            "name": spec["name"],
            "statusColor": spec["color"],
            **details(spec, {"icon": None, "description": None}),
        }
        new_id = str(ctx.client.post("/priority", body)["id"])
        place(ctx, self.name, "priority", new_id, spec["position"])
        sync_default(ctx, "priority", new_id, bool(spec.get("default")), False)
        return new_id

    def update(self, ctx: ApplyContext, live: Resource, spec: Spec) -> None:
        body = details(spec, live.spec)
        if spec["name"] != live.spec["name"]:
            body["name"] = spec["name"]
        if spec["color"] != live.spec.get("color"):
            body["statusColor"] = spec["color"]
        if body:
            ctx.client.put(f"/priority/{live.id}", body)
        settle(ctx, live, spec)
        if spec["position"] != live.spec.get("position"):
            place(ctx, self.name, "priority", str(live.id), spec["position"])
        sync_default(
            ctx, "priority", str(live.id), bool(spec.get("default")), bool(live.spec.get("default"))
        )

    def delete(self, ctx: ApplyContext, live: Resource) -> None:
        ctx.client.delete(f"/priority/{live.id}")


def icon_of(url: Any) -> str | None:
    """The built-in icon a priority's icon URL shows (``.../priorities/high.svg`` -> ``high``)."""
    text = str(url or "")
    if ICONS not in text:
        return None
    return text.rsplit("/", 1)[-1].rsplit(".", 1)[0]


def details(spec: Spec, live: Spec) -> dict[str, Any]:
    """The description and icon of ``spec`` that differ from ``live``, as Jira takes them."""
    body: dict[str, Any] = {}
    if spec.get("description", "") != live.get("description", ""):
        body["description"] = spec.get("description", "")
    if spec.get("icon") and spec["icon"] != live.get("icon"):
        body["iconUrl"] = f"{ICONS}{spec['icon']}.png"
    return body


KIND = PriorityKind()
