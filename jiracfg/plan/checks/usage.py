"""Objects still used by issues are not removed without a replacement.

Deleting a status or an issue type that issues still use, or removing a dropdown option that issues
hold, loses data: such a change is refused until the issues are moved (or the object is kept).
"""

from __future__ import annotations

from collections.abc import Iterator

from jiracfg.plan.checks._inputs import Inputs, jql_value
from jiracfg.plan.model import Action, Problem

CLAUSES = {"status": "status", "issue_type": "issuetype"}


def queries(inputs: Inputs) -> set[str]:
    return {jql for jql, _ in _uses(inputs)}


def used_objects_keep_a_replacement(inputs: Inputs) -> list[Problem]:
    problems = []
    for jql, address in _uses(inputs):
        count = inputs.count(jql)
        if count:
            problems.append(
                Problem(
                    "error",
                    "used_objects_keep_a_replacement",
                    f"{count} issue(s) still use {address} (JQL: {jql})",
                    "move those issues first (bulk change or a status mapping), or keep the object",
                    address,
                )
            )
    return problems


def _uses(inputs: Inputs) -> Iterator[tuple[str, str]]:
    for change in inputs.of(Action.DELETE):
        clause = CLAUSES.get(change.address.kind)
        if clause:
            yield f"{clause} = {jql_value(change.address.key)}", str(change.address)
    yield from _removed_options(inputs)


def _removed_options(inputs: Inputs) -> Iterator[tuple[str, str]]:
    for change in inputs.changes:
        if change.address.kind != "field_context" or change.action is Action.CREATE:
            continue
        before = {str(o.get("value")) for o in (change.before or {}).get("options") or []}
        after = {str(o.get("value")) for o in (change.after or {}).get("options") or []}
        field = str((change.before or {}).get("field", ""))
        for value in sorted(before - after):
            yield f"{jql_value(field)} = {jql_value(value)}", f"{change.address} option {value!r}"
