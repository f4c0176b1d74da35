"""status: global (company-managed) statuses (``/statuses``).

Spec: ``{name, category: TODO|IN_PROGRESS|DONE, description?}``. The classic statuses every site
has (Open, In Progress, Reopened, Resolved, Closed: ids below 10000) are managed but protected:
exported and updatable (renaming "In Progress" is allowed), never deleted. To Do and Done are
ordinary statuses. Team-managed (PROJECT-scoped) statuses belong to their projects and are not
fetched.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from jiracfg.kinds._base import ApplyContext, FetchContext, Kind, drop_empty
from jiracfg.model import Resource, Spec

CLASSIC_MAX_ID = 10000


class StatusKind(Kind):
    name = "status"
    folder = "statuses"
    audited = True
    depends_on = ()
    in_use_by = ("workflow",)

    def fetch(self, ctx: FetchContext) -> Iterable[Resource]:
        return [self._normalize(doc) for doc in ctx.client.paged("/statuses/search")]

    def _normalize(self, doc: dict[str, Any]) -> Resource:
        spec = drop_empty(
            {
                "name": doc["name"],
                "category": doc["statusCategory"],
                "description": doc.get("description"),
            }
        )
        meta: dict[str, Any] = {"id": str(doc["id"])}
        if int(doc["id"]) < CLASSIC_MAX_ID:
            meta["protected"] = True
        return self.resource(spec, **meta)

    def create(self, ctx: ApplyContext, spec: Spec) -> str:
        body = {"scope": {"type": "GLOBAL"}, "statuses": [wire(spec)]}
        return str(ctx.client.post("/statuses", body)[0]["id"])

    def update(self, ctx: ApplyContext, live: Resource, spec: Spec) -> None:
        ctx.client.put("/statuses", {"statuses": [{"id": live.id, **wire(spec)}]})

    def delete(self, ctx: ApplyContext, live: Resource) -> None:
        ctx.client.delete("/statuses", params={"id": live.id})

    def find(self, ctx: ApplyContext, spec: Spec) -> str | None:
        found = ctx.client.get("/statuses/byNames", {"name": spec["name"]})
        same = [s for s in found if s["name"].casefold() == spec["name"].casefold()]
        return str(same[0]["id"]) if same else None


def wire(spec: Spec) -> dict[str, str]:
    """A status as the bulk API takes it (the description is always sent, to clear it)."""
    return {
        "name": spec["name"],
        "statusCategory": spec["category"],
        "description": spec.get("description", ""),
    }


KIND = StatusKind()
