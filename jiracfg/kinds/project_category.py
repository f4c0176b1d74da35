"""project_category: the categories projects are grouped by (``/projectCategory``).

Spec: ``{name, description?}``. Names are unique (case-insensitive). Deleting a category leaves its
projects without one.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from jiracfg.kinds._base import ApplyContext, FetchContext, Kind, drop_empty
from jiracfg.model import Resource, Spec


class ProjectCategoryKind(Kind):
    name = "project_category"
    folder = "project-categories"
    audited = True
    depends_on = ()

    def fetch(self, ctx: FetchContext) -> Iterable[Resource]:
        return [self._normalize(doc) for doc in ctx.client.get("/projectCategory")]

    def _normalize(self, doc: dict[str, Any]) -> Resource:
        spec = drop_empty({"name": doc["name"], "description": doc.get("description")})
        return self.resource(spec, id=str(doc["id"]))

    def create(self, ctx: ApplyContext, spec: Spec) -> str:
        body = {"name": spec["name"], "description": spec.get("description", "")}
        return str(ctx.client.post("/projectCategory", body)["id"])

    def update(self, ctx: ApplyContext, live: Resource, spec: Spec) -> None:
        body = {"name": spec["name"]} if spec["name"] != live.spec["name"] else {}
        if spec.get("description", "") != live.spec.get("description", ""):
            body["description"] = spec.get("description", "")
        if body:
            ctx.client.put(f"/projectCategory/{live.id}", body)

    def delete(self, ctx: ApplyContext, live: Resource) -> None:
        ctx.client.delete(f"/projectCategory/{live.id}")


KIND = ProjectCategoryKind()
