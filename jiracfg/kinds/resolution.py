"""resolution: issue resolutions (``/resolution``), in Jira's one global order.

Spec: ``{name, description?, default?: true, position}``; ``position`` works as for priorities
(see ``_ordered``). The new site's four resolutions are ordinary managed objects. Deleting one
hands its issues to the default resolution, else to the first other one in Jira's order (Jira
requires a replacement).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from jiracfg.errors import PlanError
from jiracfg.kinds._base import ApplyContext, FetchContext, Kind, drop_empty
from jiracfg.kinds._ordered import place, positioned, settle, sync_default
from jiracfg.model import Resource, Spec


class ResolutionKind(Kind):
    name = "resolution"
    folder = "resolutions"
    audited = True
    depends_on = ()

    def serial_group(self, spec: Spec) -> str | None:
        return "resolution order"  # every write may move Jira's one global order (see _ordered)

    def fetch(self, ctx: FetchContext) -> Iterable[Resource]:
        docs = list(ctx.client.paged("/resolution/search"))
        return [self._normalize(doc, position) for doc, position in positioned(docs)]

    def _normalize(self, doc: dict[str, Any], position: int) -> Resource:
        spec = drop_empty(
            {
                "name": doc["name"],
                "description": doc.get("description"),
                "default": True if doc.get("isDefault") else None,
                "position": position,
            }
        )
        return self.resource(spec, id=str(doc["id"]))

    def create(self, ctx: ApplyContext, spec: Spec) -> str:
        body = {"name": spec["name"], "description": spec.get("description", "")}
        new_id = str(ctx.client.post("/resolution", body)["id"])
        place(ctx, self.name, "resolution", new_id, spec["position"])
        sync_default(ctx, "resolution", new_id, bool(spec.get("default")), False)
        return new_id

    def update(self, ctx: ApplyContext, live: Resource, spec: Spec) -> None:
        if any(spec.get(f, "") != live.spec.get(f, "") for f in ("name", "description")):
            ctx.client.put(
                f"/resolution/{live.id}",
                {"name": spec["name"], "description": spec.get("description", "")},
            )
        settle(ctx, live, spec)
        if spec["position"] != live.spec.get("position"):
            place(ctx, self.name, "resolution", str(live.id), spec["position"])
        sync_default(
            ctx,
            "resolution",
            str(live.id),
            bool(spec.get("default")),
            bool(live.spec.get("default")),
        )

    def delete(self, ctx: ApplyContext, live: Resource) -> None:
        ctx.client.delete(f"/resolution/{live.id}", {"replaceWith": replacement(ctx, live)})


def replacement(ctx: ApplyContext, live: Resource) -> str:
    """The resolution that takes over the issues of ``live``: the default, else the first."""
    others = [d for d in ctx.client.paged("/resolution/search") if str(d["id"]) != live.id]
    chosen = next((d for d in others if d.get("isDefault")), others[0] if others else None)
    if chosen is None:
        raise PlanError(
            f"{live.address} is the last resolution, and Jira keeps at least one",
            hint="keep another resolution in the config repo",
        )
    return str(chosen["id"])


KIND = ResolutionKind()
