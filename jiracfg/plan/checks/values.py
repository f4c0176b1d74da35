"""Issue values are never destroyed without an explicit yes.

Deleting an object that holds issue values (a custom field, also when it is replaced because Jira
can't change its type) destroys them. When issues hold any, the plan stops, with the count, until
jiracfg.yaml names the object's address under ``allow_data_loss``; then the plan says how many
issues lose their values (a warning), and apply goes ahead.
"""

from __future__ import annotations

from collections.abc import Iterator

from jiracfg.kinds import REGISTRY
from jiracfg.plan.checks._inputs import Inputs, issues
from jiracfg.plan.model import Action, Change, Problem


def queries(inputs: Inputs) -> set[str]:
    return {jql for _, jql in _destroying(inputs)}


def values_lost_only_when_allowed(inputs: Inputs) -> list[Problem]:
    allowed = {str(a) for a in inputs.settings.get("allow_data_loss") or []}
    problems = []
    for change, jql in _destroying(inputs):
        count = inputs.count(jql)
        if count:
            problems.append(_problem(change, jql, count, str(change.address) in allowed))
    return problems


def _problem(change: Change, jql: str, count: int, allowed: bool) -> Problem:
    why = (
        f"Jira can't change it in place ({_changed(change)}), so it is deleted and created again"
        if change.action is Action.REPLACE
        else "it is deleted"
    )
    lost = f"{issues(count)} hold values of {change.address} ({jql}): {why}, and they lose them"
    if allowed:
        return Problem(
            "warning",
            "values_lost_only_when_allowed",
            f"{lost} (allowed in jiracfg.yaml allow_data_loss)",
            "",
            str(change.address),
        )
    return Problem(
        "error",
        "values_lost_only_when_allowed",
        lost,
        f"keep it as it is on the site; or, if those values may go, say so in jiracfg.yaml: "
        f"allow_data_loss: [{change.address}]",
        str(change.address),
    )


def _changed(change: Change) -> str:
    return ", ".join(f"{f.path}: {f.before} -> {f.after}" for f in change.fields) or "a change"


def _destroying(inputs: Inputs) -> Iterator[tuple[Change, str]]:
    for change in inputs.of(Action.DELETE) + inputs.of(Action.REPLACE):
        live = inputs.live.get(change.live_address)
        jql = REGISTRY[change.address.kind].values_jql(live) if live is not None else None
        if jql:
            yield change, jql
