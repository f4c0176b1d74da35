"""screen_scheme: which screen an issue operation shows (``/screenscheme``).

Spec: ``{name, description?, screens: {default, create?, edit?, view?}}`` with screen names. The
"Default Screen Scheme" is protected. An update sends every screen type: null clears create, edit or
view (Jira refuses to clear default).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from jiracfg.kinds._base import ApplyContext, FetchContext, Kind, drop_empty, refs_to
from jiracfg.model import Address, Resource, Spec

SCREEN_TYPES = ("default", "create", "edit", "view")


class ScreenSchemeKind(Kind):
    name = "screen_scheme"
    folder = "screen-schemes"
    audited = True
    depends_on = ("screen",)
    in_use_by = ("issue_type_screen_scheme",)

    def refs(self, spec: Spec) -> Iterable[Address]:
        return refs_to("screen", spec["screens"].values())

    def fetch(self, ctx: FetchContext) -> Iterable[Resource]:
        return [self._normalize(ctx, doc) for doc in ctx.client.paged("/screenscheme")]

    def _normalize(self, ctx: FetchContext, doc: dict[str, Any]) -> Resource:
        screens = doc.get("screens") or {}
        spec = drop_empty(
            {
                "name": doc["name"],
                "description": doc.get("description"),
                "screens": {
                    t: ctx.name_of("screen", screens[t]) for t in SCREEN_TYPES if screens.get(t)
                },
            }
        )
        meta: dict[str, Any] = {"id": str(doc["id"])}
        if str(doc["id"]) == "1":  # the Default Screen Scheme
            meta["protected"] = True
        return self.resource(spec, **meta)

    def create(self, ctx: ApplyContext, spec: Spec) -> str:
        screens = {t: int(ctx.id_of("screen", n)) for t, n in spec["screens"].items()}
        body = {
            "name": spec["name"],
            "description": spec.get("description", ""),
            "screens": screens,
        }
        return str(ctx.client.post("/screenscheme", body)["id"])

    def update(self, ctx: ApplyContext, live: Resource, spec: Spec) -> None:
        screens = {
            t: ctx.id_of("screen", spec["screens"][t]) if spec["screens"].get(t) else None
            for t in SCREEN_TYPES
        }
        body: dict[str, Any] = {"description": spec.get("description", ""), "screens": screens}
        if spec["name"] != live.spec["name"]:  # its own name may count as taken
            body["name"] = spec["name"]
        ctx.client.put(f"/screenscheme/{live.id}", body)

    def delete(self, ctx: ApplyContext, live: Resource) -> None:
        ctx.client.delete(f"/screenscheme/{live.id}")


KIND = ScreenSchemeKind()
