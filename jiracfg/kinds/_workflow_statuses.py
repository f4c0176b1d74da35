"""A workflow write's statuses: the status entries Jira wants beside the workflow (reused as they
are) and where issues in statuses an update removes go (jiracfg.yaml ``status_mappings``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jiracfg.kinds._base import ApplyContext, drop_empty
from jiracfg.model import Resource, Spec

STATUS_CHUNK = 50  # ids per ``GET /statuses``
Move = dict[str, str]
Pair = tuple[str, str]  # (project id, issue type id)


def status_places(
    spec: Spec, ids: Mapping[str, str], layouts: Mapping[str, Any]
) -> list[dict[str, Any]]:
    """The workflow's statuses with their properties, keeping the layout each had."""
    props = spec.get("status_properties", {})
    return [
        {
            "statusReference": ids[n],
            "properties": props.get(n, {}),
            **({"layout": layouts[ids[n]]} if layouts.get(ids[n]) else {}),
        }
        for n in spec["statuses"]
    ]


def status_updates(ctx: ApplyContext, ids: list[str]) -> list[dict[str, Any]]:
    """WorkflowStatusUpdate entries that reuse the statuses as they are: as the plan read them
    (and this apply wrote them); read only those it does not know."""
    known = _known_statuses(ctx, ids)
    found = _read_statuses(ctx, [i for i in ids if i not in known])
    found += [_status_doc(i, known[i]) for i in ids if i in known]
    return [_status_update(s) for s in found]


def _known_statuses(ctx: ApplyContext, ids: list[str]) -> dict[str, Spec]:
    """The specs of the statuses the apply knows, by id (a status renamed earlier in this apply
    is there twice: its current name wins)."""
    return {
        str(r.id): r.spec
        for r in ctx.live.of_kind("status")
        if r.id in ids and ctx.maybe_id_of("status", r.address.key) == r.id
    }


def _read_statuses(ctx: ApplyContext, ids: list[str]) -> list[dict[str, Any]]:
    chunks = [ids[i : i + STATUS_CHUNK] for i in range(0, len(ids), STATUS_CHUNK)]
    return [s for chunk in chunks for s in ctx.client.get("/statuses", {"id": chunk})]


def _status_doc(status_id: str, spec: Spec) -> dict[str, Any]:
    return {
        "id": status_id,
        "name": spec["name"],
        "statusCategory": spec["category"],
        "description": spec.get("description", ""),
    }


def _status_update(status: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": status["id"],
        "name": status["name"],
        "statusCategory": status["statusCategory"],
        "description": status.get("description", ""),
        "statusReference": status["id"],
    }


def status_mappings(ctx: ApplyContext, live: Resource, spec: Spec) -> dict[str, Any]:
    """Where issues in statuses the update removes go, from jiracfg.yaml ``status_mappings``. A
    status is matched by id: one renamed in place earlier in the apply stays, under its new name."""
    kept = {ctx.id_of("status", name) for name in spec["statuses"]}
    gone = set(live.meta.get("layouts") or {}) - kept  # the live statuses' ids
    by_pair: dict[Pair, list[Move]] = {}
    default: list[Move] = []
    for mapping in ctx.settings.get("status_mappings") or []:
        found = _migration(ctx, mapping, gone, spec)
        if found is not None and found[0] is not None:
            by_pair.setdefault(found[0], []).append(found[1])
        elif found is not None:
            default.append(found[1])
    return _mappings_body(default, by_pair)


def _migration(
    ctx: ApplyContext, mapping: dict[str, Any], gone: set[str], spec: Spec
) -> tuple[Pair | None, Move] | None:
    """The move one ``status_mappings`` entry asks of this update and the (project, issue type)
    it is for (None: the workflow's default mapping); None when it is not about this update."""
    project = ctx.maybe_id_of("project", str(mapping.get("project")))
    old = ctx.maybe_id_of("status", str(mapping.get("from")))
    if old is None or old not in gone or mapping.get("to") not in spec["statuses"]:
        return None
    if project is None:
        return None
    move = {"oldStatusReference": old, "newStatusReference": ctx.id_of("status", mapping["to"])}
    if not mapping.get("issue_type"):
        return None, move
    return (project, ctx.id_of("issue_type", mapping["issue_type"])), move


def _mappings_body(default: list[Move], by_pair: dict[Pair, list[Move]]) -> dict[str, Any]:
    return drop_empty(
        {
            "defaultStatusMappings": default,
            "statusMappings": [
                {"projectId": p, "issueTypeId": t, "statusMigrations": moves}
                for (p, t), moves in by_pair.items()
            ],
        }
    )
