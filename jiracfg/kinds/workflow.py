"""workflow: company-managed workflows through the current API (``/workflows/...``).

Spec: ``{name, description?, statuses: [status names], status_properties?: {status: {key: value}},
transitions: [{name, id?, description?, type?: initial|global (directed when absent), from?: [status
names], to: status name, screen?: screen name, conditions?: {operation?: ANY, rules: [...],
groups: [...]}, validators?: [rule], actions?: [rule], properties?: {key: value}}]}`` where a rule
is ``{rule: ruleKey, parameters?: {...}}``. Rule parameters hold names where Jira holds ids (see
``_workflow_rules``: statuses, fields, roles, screens, groups, users by email, an update-field's
resolution, priority or select option by value with ``option_context``, and ``(deleted group)``
for an object deleted since). Canonical order (Jira does not
keep one): statuses and ``from`` sorted by name; transitions initial first, then by name, sources
and target.

Jira refuses a workflow with a status no transition goes to (the initial and global transitions
count), so ``validate`` does too (``flaws``). The system workflow ``jira`` is read-only. Updates
send the version fetched (``meta``): a stale one fails with 409 and the applier retries from a
fresh read. Jira cannot rename a workflow over REST. Statuses removed from a workflow that
projects use are mapped from jiracfg.yaml ``status_mappings`` (per issue type when given, else as
the workflow's default mapping).

Transition ids are kept: scripts, automation and integrations transition issues by id, and the id
is local to its workflow, so export writes it (``id: "41"``) and create and update send it, which
makes a rebuild give every transition the id it had and a changed target keep it. A transition
written without an id is given one by Jira; until the next export writes it, the plan compares it
as the id of the live transition with the same name and target (``comparable``), so the plan
converges either way.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, ClassVar

from jiracfg.errors import ConfigError
from jiracfg.kinds._base import (
    ApplyContext,
    FetchContext,
    Flaw,
    Kind,
    SortKey,
    by_text,
    drop_empty,
    refs_to,
)
from jiracfg.kinds._workflow_rules import (
    DELETED,
    SCREEN_RULE,
    deleted_names,
    name_of,
    option_flaws,
    param_refs,
    people,
    read_rule,
    rules_in,
    wire_rule,
)
from jiracfg.model import Address, Resource, Snapshot, Spec

__all__ = ["KIND", "deleted_names", "people"]


def transition_key(t: Spec) -> tuple[bool, tuple[str, str], list[tuple[str, str]], str]:
    """The initial transition first, then by name, sources and target."""
    return (
        t.get("type") != "initial",
        by_text(t.get("name")),
        [by_text(s) for s in t.get("from") or []],
        str(t.get("to")),
    )


class WorkflowKind(Kind):
    name = "workflow"
    folder = "workflows"
    audited = True
    unordered: ClassVar[dict[str, SortKey]] = {
        "statuses": by_text,
        "transitions[].from": by_text,
        "transitions": transition_key,
    }
    depends_on = (
        "status",
        "screen",
        "custom_field",
        "project_role",
        "group",
        "resolution",
        "priority",
    )
    in_use_by = ("workflow_scheme",)
    builtin_keys: ClassVar[frozenset[str]] = frozenset({"jira"})

    def refs(self, spec: Spec) -> Iterable[Address]:
        yield from refs_to("status", spec["statuses"])
        for t in spec.get("transitions") or []:
            yield from refs_to(
                "screen", [t.get("screen")] if t.get("screen") not in DELETED else []
            )
            for rule in rules_in(t):
                yield from param_refs(rule.get("parameters") or {})

    def flaws(self, spec: Spec) -> Iterable[Flaw]:
        listed = set(spec.get("statuses") or [])
        for t in spec.get("transitions") or []:
            for status in [*(t.get("from") or []), t.get("to")]:
                if status and status not in listed:
                    yield Flaw(
                        f"transition {t.get('name')!r} goes from or to status {status!r}, which "
                        "the workflow does not list",
                        status,
                        f"add {status!r} to the workflow's statuses, or fix the transition",
                    )
        yield from _unreached(spec)

    def repo_flaws(self, spec: Spec, repo: Snapshot) -> Iterable[Flaw]:
        return (Flaw(*found) for found in option_flaws(spec, repo))

    def nested_ids(self, live: Resource) -> dict[str, str]:
        return {
            f"transition:{t.get('name')} -> {t.get('to')}": str(t["id"])
            for t in live.spec.get("transitions") or []
            if t.get("id") is not None
        }

    def serial_group(self, spec: Spec) -> str | None:
        # Jira runs workflow and workflow scheme writes that migrate issues as tasks and refuses
        # (409) a workflow write while another such task runs: one at a time
        return "workflow configuration"

    def where_used(self, spec: Spec, ref: Address) -> str:
        field = "screen" if ref.kind == "screen" else "to"
        moves = [t["name"] for t in spec.get("transitions") or [] if t.get(field) == ref.key]
        return f"on transition(s) {', '.join(map(repr, moves))}" if moves else ""

    def fetch(self, ctx: FetchContext) -> Iterable[Resource]:
        pages = ctx.client.paged("/workflows/search", {"expand": "values.transitions"})
        return [self._normalize(ctx, doc) for doc in pages]

    def _normalize(self, ctx: FetchContext, doc: dict[str, Any]) -> Resource:
        status = {
            s["statusReference"]: ctx.name_of("status", s["statusReference"])
            for s in doc["statuses"]
        }
        spec = drop_empty(
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
        meta = {
            "id": doc["id"],
            "version": doc["version"],
            "transitions": doc["transitions"],
            "layouts": {s["statusReference"]: s.get("layout") for s in doc["statuses"]},
        }
        return self.resource(spec, readonly=not doc.get("isEditable", True), **meta)

    def create(self, ctx: ApplyContext, spec: Spec) -> str:
        statuses, body = wire_workflow(ctx, spec, {})
        made = ctx.client.post(
            "/workflows/create",
            {
                "scope": {"type": "GLOBAL"},
                "statuses": statuses,
                "workflows": [{"name": spec["name"], **body}],
            },
        )
        return str(made["workflows"][0]["id"])

    def update(self, ctx: ApplyContext, live: Resource, spec: Spec) -> None:
        if spec["name"] != live.spec["name"]:
            raise ConfigError(
                f"workflow {live.spec['name']!r} can't be renamed to "
                f"{spec['name']!r}: Jira has no REST call to rename a workflow",
                hint="rename it in Jira's workflow editor, or keep the old name",
            )
        statuses, body = wire_workflow(ctx, spec, live.meta)
        item = {
            "id": live.id,
            "version": live.meta["version"],
            **body,
            **status_mappings(ctx, live, spec),
        }
        done = ctx.client.post("/workflows/update", {"statuses": statuses, "workflows": [item]})
        if done.get("taskId"):
            ctx.client.wait_task(f"/rest/api/3/task/{done['taskId']}")

    def delete(self, ctx: ApplyContext, live: Resource) -> None:
        ctx.client.delete(f"/workflow/{live.id}")

    def comparable(self, live: Spec, spec: Spec) -> Spec:
        """Transitions written without an id take the id of their live namesake (same target)."""
        ids = {(t["name"], t["to"]): t.get("id") for t in live.get("transitions") or []}
        moves = [
            t if "id" in t or not ids.get((t["name"], t["to"])) else _with_id(t, ids)
            for t in spec.get("transitions") or []
        ]
        return super().comparable(live, {**spec, "transitions": moves} if moves else spec)


def _unreached(spec: Spec) -> Iterator[Flaw]:
    """Jira refuses a workflow with a status no transition leads to (the initial and global
    transitions count)."""
    reached = {t.get("to") for t in spec.get("transitions") or []}
    for status in spec.get("statuses") or []:
        if status not in reached:
            yield Flaw(
                f"status {status!r} has no inbound transition: no transition goes to it, and "
                "Jira refuses such a workflow",
                status,
                f"add a transition to it (or point one at it), or remove {status!r} from the "
                "workflow's statuses",
            )


def _with_id(t: Spec, ids: dict[tuple[str, str], Any]) -> Spec:
    """``t`` with the id after its name, where export writes it."""
    return {"name": t["name"], "id": ids[(t["name"], t["to"])], **t}


# -- fetch: ids to names -----------------------------------------------------------------------
def read_transition(ctx: FetchContext, t: dict[str, Any], status: dict[str, str]) -> Spec:
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


def read_group(ctx: FetchContext, group: dict[str, Any]) -> Spec:
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
    props, layouts = spec.get("status_properties", {}), meta.get("layouts", {})
    places = [
        {
            "statusReference": ids[n],
            "properties": props.get(n, {}),
            **({"layout": layouts[ids[n]]} if layouts.get(ids[n]) else {}),
        }
        for n in spec["statuses"]
    ]
    given = {str(t["id"]) for t in spec["transitions"] if t.get("id")}
    live = {
        (t["name"], t["toStatusReference"]): t
        for t in meta.get("transitions", [])
        if str(t.get("id")) not in given  # an id the spec gives is that transition's alone
    }
    moves = [wire_transition(ctx, t, ids, live) for t in spec["transitions"]]
    return status_updates(ctx, list(ids.values())), {
        "description": spec.get("description", ""),
        "statuses": places,
        "transitions": moves,
    }


def status_updates(ctx: ApplyContext, ids: list[str]) -> list[dict[str, Any]]:
    """WorkflowStatusUpdate entries that reuse the statuses as they are: as the plan read them
    (and this apply wrote them); read only those it does not know."""
    known = {  # a status renamed earlier in this apply is there twice: its current name wins
        str(r.id): r.spec
        for r in ctx.live.of_kind("status")
        if r.id in ids and ctx.maybe_id_of("status", r.address.key) == r.id
    }
    unknown = [i for i in ids if i not in known]
    chunks = [unknown[i : i + 50] for i in range(0, len(unknown), 50)]
    found = [s for chunk in chunks for s in ctx.client.get("/statuses", {"id": chunk})]
    found += [
        {
            "id": i,
            "name": known[i]["name"],
            "statusCategory": known[i]["category"],
            "description": known[i].get("description", ""),
        }
        for i in ids
        if i in known
    ]
    return [
        {
            "id": s["id"],
            "name": s["name"],
            "statusCategory": s["statusCategory"],
            "description": s.get("description", ""),
            "statusReference": s["id"],
        }
        for s in found
    ]


def wire_transition(
    ctx: ApplyContext, t: Spec, ids: dict[str, str], live: dict[tuple[str, str], dict[str, Any]]
) -> dict[str, Any]:
    known = live.pop((t["name"], ids[t["to"]]), {})  # each live transition matches once
    out: dict[str, Any] = {
        "name": t["name"],
        "description": t.get("description", ""),
        "type": t.get("type", "directed").upper(),
        "toStatusReference": ids[t["to"]],
        "links": [{"fromStatusReference": ids[s]} for s in t.get("from", [])],
        "validators": [wire_rule(ctx, r) for r in t.get("validators", [])],
        "actions": [wire_rule(ctx, r) for r in t.get("actions", [])],
        "properties": t.get("properties", {}),
        "triggers": known.get("triggers", []),
    }
    tid = t.get("id") or known.get("id")  # written in YAML, else the live namesake's
    if tid:
        out["id"] = str(tid)
    if t.get("conditions"):
        out["conditions"] = wire_group(ctx, t["conditions"])
    if t.get("screen"):
        out["transitionScreen"] = wire_rule(
            ctx, {"rule": SCREEN_RULE, "parameters": {"screenId": t["screen"]}}
        )
    return out


def wire_group(ctx: ApplyContext, group: Spec) -> dict[str, Any]:
    return {
        "operation": group.get("operation", "ALL"),
        "conditions": [wire_rule(ctx, r) for r in group.get("rules", [])],
        "conditionGroups": [wire_group(ctx, g) for g in group.get("groups", [])],
    }


def status_mappings(ctx: ApplyContext, live: Resource, spec: Spec) -> dict[str, Any]:
    """Where issues in statuses the update removes go, from jiracfg.yaml ``status_mappings``. A
    status is matched by id: one renamed in place earlier in the apply stays, under its new name."""
    kept = {ctx.id_of("status", name) for name in spec["statuses"]}
    gone = set(live.meta.get("layouts") or {}) - kept  # the live statuses' ids
    by_pair: dict[tuple[str, str], list[dict[str, str]]] = {}
    default: list[dict[str, str]] = []
    for m in ctx.settings.get("status_mappings") or []:
        project = ctx.maybe_id_of("project", str(m.get("project")))
        old = ctx.maybe_id_of("status", str(m.get("from")))
        if old is None or old not in gone or m.get("to") not in spec["statuses"] or project is None:
            continue
        move = {"oldStatusReference": old, "newStatusReference": ctx.id_of("status", m["to"])}
        if m.get("issue_type"):
            by_pair.setdefault((project, ctx.id_of("issue_type", m["issue_type"])), []).append(move)
        else:
            default.append(move)
    return drop_empty(
        {
            "defaultStatusMappings": default,
            "statusMappings": [
                {"projectId": p, "issueTypeId": t, "statusMigrations": moves}
                for (p, t), moves in by_pair.items()
            ],
        }
    )


KIND = WorkflowKind()
