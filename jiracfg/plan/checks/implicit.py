"""Objects Jira makes on its own are shown before apply: a new custom field gets a global context
(all projects, all issue types; Jira refuses to delete it) unless the desired contexts include a
global one, which then takes it over. The plan warns, naming it, so the repo can declare it.
"""

from __future__ import annotations

from jiracfg.kinds import REGISTRY
from jiracfg.model import Address, Spec
from jiracfg.plan.checks._inputs import Inputs
from jiracfg.plan.model import Action, Change, Problem


def new_fields_get_a_global_context(inputs: Inputs) -> list[Problem]:
    creates = inputs.of(Action.CREATE)
    children = _children(inputs) if creates else {}
    return [
        _problem(change, made)
        for change in creates
        for made in REGISTRY[change.address.kind].created_with(
            change.after or {}, children.get(change.address, [])
        )
    ]


def _children(inputs: Inputs) -> dict[Address, list[Spec]]:
    """Desired nested specs by their parent's address."""
    found: dict[Address, list[Spec]] = {}
    for resource in inputs.desired:
        kind = REGISTRY.get(resource.address.kind)
        if kind is not None and kind.parent is not None:
            parent = Address(kind.parent, str(resource.spec.get(kind.parent_key_field, "")))
            found.setdefault(parent, []).append(resource.spec)
    return found


def _problem(change: Change, made: Spec) -> Problem:
    return Problem(
        "warning",
        "new_fields_get_a_global_context",
        f"Jira will also create {made['name']!r} with {change.address}: a global context "
        "(every project, every issue type) that Jira won't let anyone delete",
        f"declare it under contexts: (- name: {made['name']}, without projects) so the repo "
        "says what the site has; the next export writes it",
        str(change.address),
    )
