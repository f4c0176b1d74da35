"""A replace deletes the live object first: Jira refuses that while issues use it.

Jira can't change an issue type's ``level`` in place, so the change is a replace (delete, then
create), and Jira refuses to delete a type that issues have. Such a replace is refused by the plan,
with the count, before any write.
"""

from __future__ import annotations

from collections.abc import Iterator

from jiracfg.plan.checks._inputs import Inputs, issues, jql_value
from jiracfg.plan.model import Action, Change, Problem

CLAUSES = {"issue_type": "issuetype"}  # kinds replaced on a field change, and their JQL clause


def queries(inputs: Inputs) -> set[str]:
    return {jql for _, jql in _replaced(inputs)}


def replaced_objects_have_no_issues(inputs: Inputs) -> list[Problem]:
    return [
        Problem(
            "error",
            "replaced_objects_have_no_issues",
            f"{change.address} would be deleted and created again ({_fields(change)} can't "
            f"change in place), but {issues(count)} use it (JQL: {jql})",
            f"keep its {_fields(change)}, or create a new {change.address.kind} with the new "
            "value, move the issues to it, then remove this one",
            str(change.address),
        )
        for change, jql in _replaced(inputs)
        if (count := inputs.count(jql))
    ]


def _replaced(inputs: Inputs) -> Iterator[tuple[Change, str]]:
    for change in inputs.of(Action.REPLACE):
        clause = CLAUSES.get(change.address.kind)
        if clause:
            yield change, f"{clause} = {jql_value(change.live_address.key)}"


def _fields(change: Change) -> str:
    before, after = change.before or {}, change.after or {}
    changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
    return ", ".join(k for k in changed if k != "renamed_from") or "it"
