"""A workflow's statuses and transitions: Jira's ``JiraWorkflow`` as the repo's spec (fetch) and
the spec as the ``workflows`` item of a create or update (apply). Rule parameters are mapped by
``_workflow_rules``, the statuses sent beside the workflow by ``_workflow_statuses``."""

from __future__ import annotations

from typing import Any

from jiracfg.kinds._base import ApplyContext, FetchContext, by_text, drop_empty
from jiracfg.kinds._workflow_deleted import Kept, kept_raw
from jiracfg.kinds._workflow_rules import SCREEN_RULE, Rule, name_of, read_rule, wire_rule
from jiracfg.kinds._workflow_statuses import status_places, status_updates
from jiracfg.model import Spec

Doc = dict[str, Any]
Namesakes = dict[tuple[str, str], Doc]  # (name, target status id) -> live transition


def transition_key(t: Spec) -> tuple[bool, tuple[str, str], list[tuple[str, str]], str]:
    """The initial transition first, then by name, sources and target."""
    return (
        t.get("type") != "initial",
        by_text(t.get("name")),
        [by_text(s) for s in t.get("from") or []],
        str(t.get("to")),
    )


# -- fetch: ids to names -----------------------------------------------------------------------
def read_workflow(ctx: FetchContext, doc: Doc) -> Spec:
    status = status_names(ctx, doc)
    return drop_empty(
        {
            "name": doc["name"],
            "description": doc.get("description"),
            "statuses": sorted(status.values(), key=str.casefold),
            "status_properties": {
                status[s["statusReference"]]: s["properties"]
                for s in doc["statuses"]
                if s.get("properties")
            },
            "transitions": sorted(
                (read_transition(ctx, t, status) for t in doc["transitions"]),
                key=transition_key,
            ),
        }
    )


def status_names(ctx: FetchContext, doc: Doc) -> dict[str, str]:
    """The workflow's status references (status ids) -> status names."""
    return {
        s["statusReference"]: ctx.name_of("status", s["statusReference"]) for s in doc["statuses"]
    }


def read_transition(ctx: FetchContext, t: Doc, status: dict[str, str]) -> Spec:
    screen = (t.get("transitionScreen") or {}).get("parameters", {}).get("screenId")
    return drop_empty(
        {
            "name": t["name"],
            "id": str(t["id"]) if t.get("id") else None,
            "description": t.get("description"),
            "type": None if t["type"] == "DIRECTED" else t["type"].lower(),
            "from": sorted(
                (status[lk["fromStatusReference"]] for lk in t.get("links") or []), key=str.casefold
            ),
            "to": status[t["toStatusReference"]],
            "screen": screen and name_of(ctx, "screen", screen),
            "conditions": read_group(ctx, t.get("conditions") or {}),
            "validators": [read_rule(ctx, r) for r in t.get("validators") or []],
            "actions": [read_rule(ctx, r) for r in t.get("actions") or []],
            "properties": t.get("properties"),
        }
    )


def read_group(ctx: FetchContext, group: Doc) -> Spec:
    return drop_empty(
        {
            "operation": None if group.get("operation", "ALL") == "ALL" else "ANY",
            "rules": [read_rule(ctx, r) for r in group.get("conditions") or []],
            "groups": [read_group(ctx, g) for g in group.get("conditionGroups") or []],
        }
    )


# -- apply: names to ids -----------------------------------------------------------------------
def wire_workflow(ctx: ApplyContext, spec: Spec, meta: dict[str, Any]) -> tuple[list[Any], Spec]:
    """The payload's status list and the workflow's statuses and transitions."""
    ids = {name: ctx.id_of("status", name) for name in spec["statuses"]}
    places = status_places(spec, ids, meta.get("layouts", {}))
    live = namesakes(spec, meta)
    kept: Kept = meta.get("kept") or {}
    moves = [wire_transition(ctx, t, ids, live, kept) for t in spec["transitions"]]
    return status_updates(ctx, list(ids.values())), {
        "description": spec.get("description", ""),
        "statuses": places,
        "transitions": moves,
    }


def namesakes(spec: Spec, meta: dict[str, Any]) -> Namesakes:
    """The live transitions a spec transition without an id may take the id and triggers of."""
    given = {str(t["id"]) for t in spec["transitions"] if t.get("id")}
    return {
        (t["name"], t["toStatusReference"]): t
        for t in meta.get("transitions", [])
        if str(t.get("id")) not in given  # an id the spec gives is that transition's alone
    }


def wire_transition(
    ctx: ApplyContext, t: Spec, ids: dict[str, str], live: Namesakes, kept: Kept
) -> Doc:
    known = live.pop((t["name"], ids[t["to"]]), {})  # each live transition matches once
    out: Doc = {
        "name": t["name"],
        "description": t.get("description", ""),
        "type": t.get("type", "directed").upper(),
        "toStatusReference": ids[t["to"]],
        "links": [{"fromStatusReference": ids[s]} for s in t.get("from", [])],
        "validators": [wire_kept(ctx, t, r, kept) for r in t.get("validators", [])],
        "actions": [wire_kept(ctx, t, r, kept) for r in t.get("actions", [])],
        "properties": t.get("properties", {}),
        "triggers": known.get("triggers", []),
    }
    tid = t.get("id") or known.get("id")  # written in YAML, else the live namesake's
    if tid:
        out["id"] = str(tid)
    return {**out, **wire_extras(ctx, t, kept)}


def wire_extras(ctx: ApplyContext, t: Spec, kept: Kept) -> Doc:
    """The transition's conditions and screen, when it has them."""
    out: Doc = {}
    if t.get("conditions"):
        out["conditions"] = wire_group(ctx, t, t["conditions"], kept)
    if t.get("screen"):
        out["transitionScreen"] = wire_rule(
            ctx, {"rule": SCREEN_RULE, "parameters": {"screenId": t["screen"]}}
        )
    return out


def wire_group(ctx: ApplyContext, t: Spec, group: Spec, kept: Kept) -> Doc:
    return {
        "operation": group.get("operation", "ALL"),
        "conditions": [wire_kept(ctx, t, r, kept) for r in group.get("rules", [])],
        "conditionGroups": [wire_group(ctx, t, g, kept) for g in group.get("groups", [])],
    }


def wire_kept(ctx: ApplyContext, t: Spec, rule: Rule, kept: Kept) -> Doc:
    """A rule naming a deleted object as the live transition holds it; any other by ids."""
    return kept_raw(kept, t, rule) or wire_rule(ctx, rule)
