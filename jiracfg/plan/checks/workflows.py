"""Workflow changes must not strand issues in statuses that disappear.

A project's issues of type T follow ``scheme.issue_types[T]`` (else ``scheme.default_workflow``) of
the project's workflow scheme. When a project switches scheme, or a scheme or workflow changes,
every status the old workflow had and the new one lacks strands the issues in it: each needs a
mapping in jiracfg.yaml ``status_mappings: [{project, issue_type, from, to}]``.

A workflow the plan creates, or a rule it changes, must not name a deleted object
(``(deleted group)``: see ``kinds._workflow_deleted``): no object on any site can stand for it;
an unchanged rule is sent as the site holds it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from jiracfg.kinds import workflow
from jiracfg.model import Address, Snapshot, Spec
from jiracfg.plan.checks._inputs import Inputs, jql_value
from jiracfg.plan.model import Action, Change, Problem


@dataclass(frozen=True)
class Strand:
    project: str
    issue_type: str
    status: str  # its live name
    new_workflow: str
    renamed: str = ""  # its new name, when the plan renames it in place

    def named_by(self, mapping: dict[str, Any]) -> bool:
        """Whether a ``status_mappings`` entry is about these issues (a status the same apply
        renames by its old name or its new one: apply matches statuses by id)."""
        return (
            str(mapping.get("project")) == self.project
            and str(mapping.get("from")) in (self.status, self.renamed or self.status)
            and mapping.get("issue_type") in (None, self.issue_type)
        )

    @property
    def jql(self) -> str:
        return (
            f"project = {jql_value(self.project)} AND issuetype = {jql_value(self.issue_type)}"
            f" AND status = {jql_value(self.status)}"
        )


def queries(inputs: Inputs) -> set[str]:
    return {s.jql for s in strands(inputs)}


def stranded_statuses_need_mapping(inputs: Inputs) -> list[Problem]:
    problems = []
    for strand in strands(inputs):
        count = inputs.count(strand.jql)
        if count and not any(map(strand.named_by, inputs.settings.get("status_mappings") or [])):
            problems.append(_problem(strand, count))
    return problems


def _problem(s: Strand, count: int) -> Problem:
    return Problem(
        "error",
        "stranded_statuses_need_mapping",
        f"{count} {s.issue_type} issue(s) in project {s.project} are in status {s.status!r}"
        + (f" (renamed to {s.renamed!r})" if s.renamed else "")
        + f", which workflow {s.new_workflow!r} does not have",
        "declare where they go in jiracfg.yaml: status_mappings: [{project: "
        f"{s.project}, issue_type: {s.issue_type}, from: {s.renamed or s.status}, to: <a status of "
        f"{s.new_workflow}>}}]",
        f"project/{s.project}",
    )


def rules_name_no_deleted_objects(inputs: Inputs) -> list[Problem]:
    """Each once, also where the workflow is written in two steps (``jiracfg.plan.deferral``)."""
    found = [
        _deleted_problem(inputs, change.address, *found)
        for change in inputs.changes
        if change.address.kind == "workflow" and change.action is not Action.DELETE
        for found in sorted(set(workflow.unkept(change.after or {}, _live_spec(inputs, change))))
    ]
    return list(dict.fromkeys(found))


def _live_spec(inputs: Inputs, change: Change) -> Spec | None:
    found = inputs.live.get(change.live_address)
    return None if found is None or change.action is Action.CREATE else found.spec


def _deleted_problem(inputs: Inputs, address: Address, move: str, rule: str, name: str) -> Problem:
    where = inputs.origin_of(address, name)
    return Problem(
        "error",
        "rules_name_no_deleted_objects",
        f"{where + ': ' if where else ''}{address}: transition {move!r}: rule {rule} names "
        f"{name}, an object deleted from the site it was exported from (Jira kept its id); no "
        "object can stand for it, so the rule can only stay where the site holds it as it is",
        f"remove {name} from the rule (a condition on a deleted group lets no one through), "
        "or name an existing object",
        str(address),
    )


def strands(inputs: Inputs) -> Iterator[Strand]:
    """Every (project, issue type, status) that a desired change would strand (a status renamed in
    place is the same status under its new name)."""
    renamed = {
        c.renamed_from: c.address.key
        for c in inputs.changes
        if c.address.kind == "status" and c.renamed_from
    }
    for project in inputs.desired.of_kind("project"):
        live = inputs.live.get(project.address)
        if live is None:
            continue
        for issue_type in _issue_types(inputs, project.spec):
            old = _workflow(inputs.live, inputs.live, live.spec, issue_type)
            new = _workflow(inputs.desired, inputs.live, project.spec, issue_type)
            if old is None or new is None:
                continue
            kept = _statuses(new)
            for status in sorted(s for s in _statuses(old) if renamed.get(s, s) not in kept):
                name = str(new.get("name"))
                yield Strand(project.address.key, issue_type, status, name, renamed.get(status, ""))


def _issue_types(inputs: Inputs, project: dict[str, Any]) -> list[str]:
    name = (project.get("schemes") or {}).get("issue_type")
    scheme = _spec(inputs.desired, inputs.live, Address("issue_type_scheme", str(name)))
    if scheme and scheme.get("issue_types"):
        return [str(t) for t in scheme["issue_types"]]
    return sorted({r.address.key for r in inputs.live.of_kind("issue_type")})


def _workflow(
    first: Snapshot, fallback: Snapshot, project: dict[str, Any], issue_type: str
) -> dict[str, Any] | None:
    scheme_name = (project.get("schemes") or {}).get("workflow")
    scheme = _spec(first, fallback, Address("workflow_scheme", str(scheme_name)))
    if scheme is None:
        return None
    workflow = (scheme.get("issue_types") or {}).get(issue_type) or scheme.get("default_workflow")
    return _spec(first, fallback, Address("workflow", str(workflow)))


def _spec(first: Snapshot, fallback: Snapshot, address: Address) -> dict[str, Any] | None:
    found = first.get(address) or fallback.get(address)
    return None if found is None else found.spec


def _statuses(workflow: dict[str, Any]) -> set[str]:
    return {str(s) for s in workflow.get("statuses") or []}
