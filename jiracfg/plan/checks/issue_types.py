"""A project's issues keep their issue type: Jira refuses to take a type out of an issue type
scheme while issues of the projects using it have that type, and to give a project a scheme that
lacks the type of some of its issues. Each (project, issue type) that a desired scheme edit or
scheme switch would drop is counted with JQL; any issue stops the plan.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from jiracfg.model import Address, Resource, Spec
from jiracfg.plan.checks._inputs import UNCOUNTED, Inputs, jql_value
from jiracfg.plan.model import Action, Problem


@dataclass(frozen=True)
class Dropped:
    project: str
    issue_type: str
    scheme: str  # the project's issue type scheme after the plan
    switched: bool  # the project moves to another scheme (else the scheme itself changes)

    @property
    def jql(self) -> str:
        return f"project = {jql_value(self.project)} AND issuetype = {jql_value(self.issue_type)}"


def queries(inputs: Inputs) -> set[str]:
    return {d.jql for d in dropped(inputs)}


def issue_types_kept_while_used(inputs: Inputs) -> list[Problem]:
    return [_problem(d, n) for d in dropped(inputs) if (n := inputs.count(d.jql))]


def _problem(d: Dropped, count: int) -> Problem:
    change = (
        f"project {d.project} would move to issue type scheme {d.scheme!r}, which does not list it"
        if d.switched
        else f"issue type scheme {d.scheme!r} would no longer list it"
    )
    number = "an unknown number of" if count == UNCOUNTED else str(count)
    return Problem(
        "error",
        "issue_types_kept_while_used",
        f"{number} {d.issue_type} issue(s) in project {d.project} ({d.jql}): {change}, and Jira "
        "refuses to leave issues without their type",
        f"move those issues to another issue type first (bulk change in Jira), or keep "
        f"{d.issue_type} in issue type scheme {d.scheme!r}",
        f"project/{d.project}" if d.switched else f"issue_type_scheme/{d.scheme}",
    )


def dropped(inputs: Inputs) -> Iterator[Dropped]:
    """Every (project, issue type) that the plan takes out of the project's scheme."""
    gone = {c.live_address for c in inputs.of(Action.DELETE)}  # deleted types: see ``usage``
    for live in inputs.live.of_kind("project"):
        if live.address in gone:
            continue
        desired = inputs.desired.get(live.address)
        old_name, old = _scheme(inputs, live.spec, before=True)
        new_name, new = _scheme(inputs, desired.spec if desired else live.spec, before=False)
        if old is None or new is None:
            continue
        for issue_type in old - new:
            if Address("issue_type", issue_type) not in gone:
                yield Dropped(live.address.key, issue_type, new_name, new_name != old_name)


def _scheme(inputs: Inputs, project: Spec, *, before: bool) -> tuple[str, set[str] | None]:
    name = str((project.get("schemes") or {}).get("issue_type") or "")
    address = Address("issue_type_scheme", name)
    found: Resource | None = inputs.live.get(address)
    if not before:
        found = inputs.desired.get(address) or found
    if not name or found is None:
        return name, None
    return name, {str(t) for t in found.spec.get("issue_types") or []}
