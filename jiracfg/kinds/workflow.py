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

The kind is here; a workflow's statuses and transitions are read and written by
``_workflow_transitions`` (statuses sent beside it and status mappings: ``_workflow_statuses``),
rule parameters by ``_workflow_rules``. A create caught in a reference cycle through an
update-field's option context leaves those post functions to a follow-up update
(``deferrable_refs``, see ``_workflow_options``).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from typing import Any, ClassVar

from jiracfg.errors import ConfigError
from jiracfg.kinds._base import (
    ApplyContext,
    Deferred,
    FetchContext,
    Flaw,
    Kind,
    SortKey,
    by_text,
    refs_to,
)
from jiracfg.kinds._workflow_deleted import kept_rules, unkept
from jiracfg.kinds._workflow_options import deferred_options
from jiracfg.kinds._workflow_rules import (
    DELETED,
    option_flaws,
    param_refs,
    people,
    rules_in,
)
from jiracfg.kinds._workflow_statuses import status_mappings
from jiracfg.kinds._workflow_transitions import read_workflow, transition_key, wire_workflow
from jiracfg.model import Address, Resource, Snapshot, Spec

__all__ = ["KIND", "people", "unkept"]


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

    def deferrable_refs(
        self, spec: Spec, among: Collection[Address]
    ) -> tuple[list[Deferred], Spec]:
        return deferred_options(spec, among)

    # a create migrates no issue: Jira answers it at once, never as a task (see serial_group)
    creates_share_serial_group = True

    def serial_group(self, spec: Spec) -> str | None:
        # Jira runs workflow and workflow scheme writes that migrate issues as tasks and refuses
        # (409) a workflow write while another such task runs: updates and deletes one at a
        # time, creates (no task) alongside each other between them
        return "workflow configuration"

    def where_used(self, spec: Spec, ref: Address) -> str:
        field = "screen" if ref.kind == "screen" else "to"
        moves = [t["name"] for t in spec.get("transitions") or [] if t.get(field) == ref.key]
        return f"on transition(s) {', '.join(map(repr, moves))}" if moves else ""

    def fetch(self, ctx: FetchContext) -> Iterable[Resource]:
        pages = ctx.client.paged("/workflows/search", {"expand": "values.transitions"})
        return [self._normalize(ctx, doc) for doc in pages]

    def _normalize(self, ctx: FetchContext, doc: dict[str, Any]) -> Resource:
        meta = {
            "id": doc["id"],
            "version": doc["version"],
            "transitions": doc["transitions"],
            "layouts": {s["statusReference"]: s.get("layout") for s in doc["statuses"]},
        }
        spec = read_workflow(ctx, doc)
        meta["kept"] = kept_rules(spec, doc["transitions"])
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
        _refuse_rename(live, spec)
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


def _refuse_rename(live: Resource, spec: Spec) -> None:
    if spec["name"] != live.spec["name"]:
        raise ConfigError(
            f"workflow {live.spec['name']!r} can't be renamed to "
            f"{spec['name']!r}: Jira has no REST call to rename a workflow",
            hint="rename it in Jira's workflow editor, or keep the old name",
        )


def _with_id(t: Spec, ids: dict[tuple[str, str], Any]) -> Spec:
    """``t`` with the id after its name, where export writes it."""
    return {"name": t["name"], "id": ids[(t["name"], t["to"])], **t}


KIND = WorkflowKind()
