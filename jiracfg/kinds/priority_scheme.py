"""priority_scheme: the priorities projects offer and their default (``/priorityscheme``).

Spec: ``{name, description?, default_priority?, priorities: [name]}``, priorities sorted (Jira
shows them in the site's one priority order). Projects name their scheme
(``schemes.priority``; omitted: the "Default Priority Scheme", which every site has and Jira
refuses to delete). The default scheme's default priority is the site's default priority, written
as ``default: true`` on the priority, so its file has no ``default_priority``.

Jira migrates issues whose priority a change takes away from their project only with explicit
mappings; jiracfg sends none, and a plan check refuses such a change with the issue count. Writes
answer 202 with a task, which is waited on.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from jiracfg.kinds._base import (
    ApplyContext,
    FetchContext,
    Kind,
    SortKey,
    by_text,
    drop_empty,
    refs_to,
)
from jiracfg.model import Address, Resource, Spec

DEFAULT = "Default Priority Scheme"
BASE = "/priorityscheme"


class PrioritySchemeKind(Kind):
    name = "priority_scheme"
    folder = "priority-schemes"
    audited = True
    unordered: ClassVar[dict[str, SortKey]] = {"priorities": by_text}
    depends_on = ("priority",)

    def refs(self, spec: Spec) -> Iterable[Address]:
        yield from refs_to("priority", spec.get("priorities", []))
        yield from refs_to("priority", [spec.get("default_priority")])

    def fetch(self, ctx: FetchContext) -> Iterable[Resource]:
        docs = list(ctx.client.paged(BASE, {"expand": "priorities,projects"}))
        return [self._normalize(ctx, doc) for doc in docs]

    def _normalize(self, ctx: FetchContext, doc: dict[str, Any]) -> Resource:
        default = bool(doc.get("isDefault") or doc.get("default"))
        priorities = nested(ctx, doc, "priorities")
        names = [ctx.name_of("priority", p["id"]) for p in priorities]
        chosen = doc.get("defaultPriorityId")
        spec = drop_empty(
            {
                "name": doc["name"],
                "description": doc.get("description"),
                "default_priority": None
                if default or not chosen
                else ctx.name_of("priority", chosen),
                "priorities": sorted(names, key=by_text),
            }
        )
        # the default scheme's projects are every other project: never read to the end
        projects = [] if default else [str(p["id"]) for p in nested(ctx, doc, "projects")]
        meta: dict[str, Any] = {"id": str(doc["id"]), "projects": projects}
        if default:
            meta["protected"] = True
        return self.resource(spec, **meta)

    def create(self, ctx: ApplyContext, spec: Spec) -> str:
        body = {
            "name": spec["name"],
            "description": spec.get("description", ""),
            "defaultPriorityId": priority_id(ctx, spec["default_priority"]),
            "priorityIds": [priority_id(ctx, p) for p in spec["priorities"]],
        }
        answer = ctx.client.post(BASE, body)
        wait(ctx, answer)
        return str(answer["id"])

    def update(self, ctx: ApplyContext, live: Resource, spec: Spec) -> None:
        body: dict[str, Any] = {
            f: spec.get(f, "")
            for f in ("name", "description")
            if spec.get(f, "") != live.spec.get(f, "")
        }
        old, new = set(live.spec.get("priorities", [])), set(spec.get("priorities", []))
        changes = {
            "add": {"ids": [priority_id(ctx, p) for p in sorted(new - old)]},
            "remove": {"ids": [priority_id(ctx, p) for p in sorted(old - new)]},
        }
        if old != new:
            body["priorities"] = {k: v for k, v in changes.items() if v["ids"]}
        default = spec.get("default_priority")
        if default and default != live.spec.get("default_priority"):
            body["defaultPriorityId"] = priority_id(ctx, default)
        if body:
            wait(ctx, ctx.client.put(f"{BASE}/{live.id}", body))

    def delete(self, ctx: ApplyContext, live: Resource) -> None:
        ctx.client.delete(f"{BASE}/{live.id}")


def nested(ctx: FetchContext, doc: dict[str, Any], key: str) -> list[dict[str, Any]]:
    """The scheme's expanded ``priorities`` or ``projects`` page, read to its end."""
    first = doc.get(key) or {}
    values = list(first.get("values", []))
    if first.get("isLast", True):
        return values
    return list(ctx.client.paged(f"{BASE}/{doc['id']}/{key}"))


def priority_id(ctx: ApplyContext, name: str) -> int:
    return int(ctx.id_of("priority", name))


def wait(ctx: ApplyContext, answer: Any) -> None:
    """Wait on the task a 202 answer names."""
    task = answer.get("task") if isinstance(answer, dict) else None
    if task and task.get("self") and task.get("status") not in ("COMPLETE",):
        ctx.client.wait_task(str(task["self"]))


def assign(ctx: ApplyContext, project_id: str, scheme_id: str | None) -> None:
    """Move a project into a scheme (None: back into the default scheme)."""
    target = scheme_id or default_scheme_id(ctx)
    body = {"projects": {"add": {"ids": [int(project_id)]}}}
    wait(ctx, ctx.client.put(f"{BASE}/{target}", body))


def default_scheme_id(ctx: ApplyContext) -> str:
    found = ctx.maybe_id_of("priority_scheme", DEFAULT)
    if found is not None:
        return found
    return str(next(iter(ctx.client.paged(BASE, {"onlyDefault": "true"})))["id"])


KIND = PrioritySchemeKind()
