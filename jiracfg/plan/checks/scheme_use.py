"""Issue security and priority schemes: what Jira refuses about them, known before any write.

- Jira refuses to delete an issue security scheme or a priority scheme that a project uses; a
  delete is fine only when every project using it moves to another scheme (or goes) in the plan.
- A priority scheme needs a default priority that is one of its priorities (the Default Priority
  Scheme excepted: its default is the site's default priority).
- Jira migrates the priority of issues that a change takes away from their project (a priority
  removed from a scheme, a project moved to a scheme without it) only with explicit mappings,
  which jiracfg does not guess: such a change is refused with the count of issues (JQL).
"""

from __future__ import annotations

from collections.abc import Iterator

from jiracfg.model import Address, Resource, Spec
from jiracfg.plan.checks._inputs import Inputs, issues, jql_value
from jiracfg.plan.model import Action, Problem

FIELDS = {"issue_security_scheme": "issue_security", "priority_scheme": "priority"}
DEFAULT_PRIORITY_SCHEME = "Default Priority Scheme"


def queries(inputs: Inputs) -> set[str]:
    return {jql for _, _, jql in _priority_moves(inputs)}


def schemes_in_use_not_deleted(inputs: Inputs) -> list[Problem]:
    problems = []
    for change in inputs.of(Action.DELETE):
        field = FIELDS.get(change.address.kind)
        if field is None:
            continue
        for project in _projects_after(inputs, field, change.address.key):
            problems.append(
                Problem(
                    "error",
                    "schemes_in_use_not_deleted",
                    f"{change.address} is used by project {project}; Jira refuses to delete a "
                    "scheme a project uses",
                    f"give project {project} another scheme (schemes.{field}) in the same change",
                    str(change.address),
                )
            )
    return problems


def priority_schemes_have_a_default(inputs: Inputs) -> list[Problem]:
    problems = []
    for change in inputs.changes:
        after = change.after
        if change.address.kind != "priority_scheme" or after is None:
            continue
        default = after.get("default_priority")
        if change.address.key == DEFAULT_PRIORITY_SCHEME:
            if default is not None:
                problems.append(_default_problem(change.address, DEFAULT_HINT, "has no"))
        elif default not in (after.get("priorities") or []):
            problems.append(_default_problem(change.address, SCHEME_HINT, "needs a"))
    return problems


DEFAULT_HINT = "remove default_priority; mark the site's default priority with default: true"
SCHEME_HINT = "set default_priority to one of the scheme's priorities"


def _default_problem(address: Address, hint: str, verb: str) -> Problem:
    return Problem(
        "error",
        "priority_schemes_have_a_default",
        f"{address} {verb} default_priority among its priorities",
        hint,
        str(address),
    )


def issue_priorities_stay_available(inputs: Inputs) -> list[Problem]:
    problems = []
    for address, what, jql in _priority_moves(inputs):
        count = inputs.count(jql)
        if count:
            problems.append(
                Problem(
                    "error",
                    "issue_priorities_stay_available",
                    f"{issues(count)} of {what} would lose their priority: Jira needs a mapping, "
                    "which jiracfg does not guess",
                    "change those issues' priority first (JQL: " + jql + "), or keep the "
                    "priority in the scheme",
                    str(address),
                )
            )
    return problems


# -- what the plan leaves in place ---------------------------------------------------------------
def _project_after(inputs: Inputs, live: Resource) -> Spec | None:
    change = inputs.change_of(live.address)
    if change is None:
        return live.spec
    return None if change.action is Action.DELETE else change.after


def _projects_after(inputs: Inputs, field: str, scheme: str) -> list[str]:
    found = []
    for live in inputs.live.of_kind("project"):
        spec = _project_after(inputs, live)
        if spec is not None and (spec.get("schemes") or {}).get(field) == scheme:
            found.append(live.address.key)
    return found


def _priorities_of(inputs: Inputs, scheme: str | None) -> set[str] | None:
    """The priorities scheme ``scheme`` (None: the default scheme) will have."""
    address = Address("priority_scheme", scheme or DEFAULT_PRIORITY_SCHEME)
    found = inputs.desired.get(address) or inputs.live.get(address)
    return None if found is None else set(found.spec.get("priorities") or [])


def _priority_moves(inputs: Inputs) -> Iterator[tuple[Address, str, str]]:
    """(address, what, JQL of the issues that would lose their priority) per live project."""
    every = {r.address.key for r in inputs.live.of_kind("priority")}
    for live in inputs.live.of_kind("project"):
        after = _project_after(inputs, live)
        if after is None:
            continue
        scheme = (after.get("schemes") or {}).get("priority")
        kept = _priorities_of(inputs, scheme)
        if kept is None or kept >= _live_priorities(inputs, live):
            continue  # nothing the project offers today goes away
        lost = sorted(every - kept)  # issues may hold any of them: Jira maps each one in use
        if lost:
            names = ", ".join(jql_value(p) for p in lost)
            jql = f"project = {jql_value(live.address.key)} AND priority in ({names})"
            yield live.address, f"project {live.address.key}", jql


def _live_priorities(inputs: Inputs, project: Resource) -> set[str]:
    """The priorities the project offers today (its live scheme's)."""
    scheme = (project.spec.get("schemes") or {}).get("priority") or DEFAULT_PRIORITY_SCHEME
    found = inputs.live.get(Address("priority_scheme", scheme))
    return set(found.spec.get("priorities") or []) if found else set()
