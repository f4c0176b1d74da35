"""issue_type: global issue types (``/issuetype``).

Spec: ``{name, description?, level: standard|subtask}``. Types above
the standard level (Epic) can't be created or re-levelled over REST: they are readonly (referenced,
never exported). Jira can't flip a type between standard and subtask, so ``level`` forces a replace.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from jiracfg.kinds._base import ApplyContext, FetchContext, Kind, drop_empty
from jiracfg.model import Resource, Spec

LEVELS = {-1: "subtask", 0: "standard"}


class IssueTypeKind(Kind):
    name = "issue_type"
    folder = "issue-types"
    audited = True
    depends_on = ()
    replace_on = ("level",)
    builtin_keys: ClassVar[frozenset[str]] = frozenset({"Epic"})

    def fetch(self, ctx: FetchContext) -> Iterable[Resource]:
        return [self._normalize(doc) for doc in ctx.client.get("/issuetype")]

    def _normalize(self, doc: dict[str, Any]) -> Resource:
        level = int(doc.get("hierarchyLevel", -1 if doc.get("subtask") else 0))
        spec = drop_empty(
            {
                "name": doc["name"],
                "description": doc.get("description"),
                "level": LEVELS.get(level, "standard"),
            }
        )
        meta: dict[str, Any] = {"id": str(doc["id"]), "hierarchy_level": level}
        if level > 0:
            meta["readonly"] = True
        return self.resource(spec, **meta)

    def create(self, ctx: ApplyContext, spec: Spec) -> str:
        level = -1 if spec.get("level") == "subtask" else 0
        body = {
            "name": spec["name"],
            "description": spec.get("description", ""),
            "hierarchyLevel": level,
        }
        return str(ctx.client.post("/issuetype", body)["id"])

    def update(self, ctx: ApplyContext, live: Resource, spec: Spec) -> None:
        body = {"name": spec["name"]} if spec["name"] != live.spec["name"] else {}
        if spec.get("description", "") != live.spec.get("description", ""):
            body["description"] = spec.get("description", "")
        if body:  # only what changed: Jira may take an object's own name as already in use
            ctx.client.put(f"/issuetype/{live.id}", body)

    def delete(self, ctx: ApplyContext, live: Resource) -> None:
        ctx.client.delete(f"/issuetype/{live.id}")


KIND = IssueTypeKind()
