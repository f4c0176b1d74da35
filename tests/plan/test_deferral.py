"""Reference cycles broken with a two-step write (``jiracfg.plan.deferral``), as pure data: a
workflow whose update-field post function sets an option of a context limited to a project that
uses the workflow is created without it, then updated with it after the context exists; a cycle
without such a reference is still reported."""

from __future__ import annotations

from typing import Any

from jiracfg.model import Address
from jiracfg.plan.deferral import order_in_steps
from jiracfg.plan.model import Action, Change
from jiracfg.plan.order import waits_on

SET_MAJOR = {
    "rule": "system:update-field",
    "parameters": {"field": "Severity", "value": "Major", "option_context": "Bug severity"},
}


def workflow(actions: list[dict[str, Any]]) -> dict[str, Any]:
    close = {"name": "Close", "from": ["To Do"], "to": "Done"}
    return {
        "name": "Triage",
        "statuses": ["Done", "To Do"],
        "transitions": [
            {"name": "Create", "type": "initial", "to": "To Do"},
            {**close, "actions": actions} if actions else close,
        ],
    }


def creates(post_functions: list[dict[str, Any]]) -> list[Change]:
    """A rebuild: the workflow, a scheme using it, project TRI with that scheme, and Severity's
    context Bug severity limited to TRI."""
    specs = {
        "workflow/Triage": workflow(post_functions),
        "workflow_scheme/Triage": {"name": "Triage", "default_workflow": "Triage"},
        "project/TRI": {"key": "TRI", "name": "Triage", "schemes": {"workflow": "Triage"}},
        "field_context/Severity/Bug severity": {
            "field": "Severity",
            "name": "Bug severity",
            "projects": ["TRI"],
            "options": [{"value": "Major"}],
        },
    }
    return [Change(Address.parse(a), Action.CREATE, after=s) for a, s in specs.items()]


def test_the_workflow_is_created_without_the_post_function_then_updated_with_it() -> None:
    ordered, cycles = order_in_steps(creates([SET_MAJOR]))
    assert cycles == []
    steps = [(c.action.value, str(c.address)) for c in ordered]
    assert steps == [
        ("create", "workflow/Triage"),
        ("create", "workflow_scheme/Triage"),
        ("create", "project/TRI"),
        ("create", "field_context/Severity/Bug severity"),
        ("update", "workflow/Triage"),
    ]
    first, then = ordered[0], ordered[-1]
    assert first.after == workflow([]) and then.before == workflow([])
    assert then.after == workflow([SET_MAJOR])
    assert [f.path for f in then.fields] == ["transitions[Close].actions"]
    assert then.reason == (
        "restore post function system:update-field ('Major') on transition 'Close' after "
        "field_context/Severity/Bug severity exists"
    )
    assert "without post function system:update-field ('Major')" in first.reason
    assert waits_on(ordered)[4] >= {0, 3}  # after its create and the context


def test_a_cycle_through_an_update_is_still_reported() -> None:
    """Only a create (or replace) is split: an update would take the live rule away meanwhile."""
    changes = creates([SET_MAJOR])
    changes[0] = Change(changes[0].address, Action.UPDATE, workflow([]), workflow([SET_MAJOR]))
    ordered, cycles = order_in_steps(changes)
    assert sorted(ordered, key=str) == sorted(changes, key=str)  # nothing split
    assert "workflow/Triage" in cycles and "project/TRI" in cycles


def test_a_cycle_through_a_reference_the_kind_does_not_defer_is_still_reported() -> None:
    """A context named by a condition (not an update-field post function) is not deferred."""
    changes = creates([])
    rule = {"rule": "some:condition", "parameters": SET_MAJOR["parameters"]}
    spec = workflow([])
    spec["transitions"][1] = {**spec["transitions"][1], "conditions": {"rules": [rule]}}
    changes[0] = Change(changes[0].address, Action.CREATE, after=spec)
    ordered, cycles = order_in_steps(changes)
    assert len(ordered) == 4 and ordered[0].after == spec
    assert "workflow/Triage" in cycles
