"""Jira's global ordered lists (priorities, resolutions): a ``position`` and a ``default`` flag.

Jira keeps one order for all priorities (and one for all resolutions), changed with ``PUT
/{path}/move``. Each object's spec holds its 1-based ``position`` in that order. A create, or an
update that changes the position, re-sorts the whole list in one move call by the positions this
apply has settled so far: the desired position of every object already written in the apply, the
live position of the rest. The last such write therefore leaves exactly the desired order, in
whatever order the changes ran.
"""

from __future__ import annotations

from typing import Any

from jiracfg.kinds._base import ApplyContext
from jiracfg.model import Resource, Spec


def positioned(docs: list[dict[str, Any]]) -> list[tuple[dict[str, Any], int]]:
    """Each listed object with its 1-based position."""
    return [(doc, index + 1) for index, doc in enumerate(docs)]


def settle(ctx: ApplyContext, live: Resource, spec: Spec) -> None:
    """Remember ``spec`` as the settled state of ``live`` for later writes of this apply."""
    ctx.live.add(Resource(live.address, spec, live.meta))


def place(ctx: ApplyContext, kind: str, path: str, jira_id: str, position: int) -> None:
    """Move ``jira_id`` to ``position``, with every other object at its settled position."""
    current = [str(doc["id"]) for doc in ctx.client.paged(f"/{path}/search")]
    wanted: dict[str, int] = {
        str(r.id): int(r.spec["position"])
        for r in ctx.live.of_kind(kind)
        if r.id and "position" in r.spec
    }
    wanted[jira_id] = position
    index = {item: n for n, item in enumerate(current)}
    up = position <= index[jira_id] + 1  # on a tie it goes before the other object, or after

    def key(item: str) -> tuple[int, bool, int]:
        return wanted.get(item, index[item] + 1), (item != jira_id) == up, index[item]

    order = sorted(current, key=key)
    if order != current:
        ctx.client.put(f"/{path}/move", {"ids": order, "position": "First"})


def sync_default(ctx: ApplyContext, path: str, jira_id: str, want: bool, was: bool) -> None:
    """Make ``jira_id`` the default, or stop it being one (unless another took over already)."""
    if want and not was:
        ctx.client.put(f"/{path}/default", {"id": jira_id})
    if was and not want:
        now = [str(d["id"]) for d in ctx.client.paged(f"/{path}/search", {"onlyDefault": True})]
        if now == [jira_id]:
            ctx.client.put(f"/{path}/default", {"id": None})
