"""Reference cycles broken with a two-step write (``jiracfg.plan.deferral``), as pure data: a
workflow whose update-field post function sets an option of a context limited to a project that
uses the workflow is created without it, then updated with it after the context exists; a cycle
without such a reference is still reported."""

from __future__ import annotations

from typing import Any

from jiracfg.model import Address, Snapshot
from jiracfg.plan.checks import Inputs
from jiracfg.plan.checks.workflows import rules_name_no_deleted_objects
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
    assert then.deferred and not first.deferred
    assert Change.from_dict(then.to_dict()) == then  # a saved plan keeps the steps


def test_a_rebuild_interrupted_between_the_steps_is_only_the_second_step() -> None:
    """The workflow is on the site without its post function: the update adding it is the second
    step alone, after the context; the scheme and the project don't wait on it."""
    changes = creates([SET_MAJOR])
    changes[0] = Change(changes[0].address, Action.UPDATE, workflow([]), workflow([SET_MAJOR]))
    ordered, cycles = order_in_steps(changes)
    assert cycles == []
    assert [str(c.address) for c in ordered][-1] == "workflow/Triage"
    assert ordered[-1].deferred and ordered[-1].reason.startswith("restore post function")
    scheme = [str(c.address) for c in ordered].index("workflow_scheme/Triage")
    assert len(ordered) == 4 and waits_on(ordered)[scheme] == set()  # it waits on nothing


def test_an_update_that_changes_more_writes_that_first() -> None:
    changes = creates([SET_MAJOR])
    old = {**workflow([]), "description": "old"}
    changes[0] = Change(changes[0].address, Action.UPDATE, old, workflow([SET_MAJOR]))
    ordered, cycles = order_in_steps(changes)
    assert cycles == []
    first, then = ordered[0], ordered[-1]
    assert (str(first.address), first.after, first.deferred) == (
        "workflow/Triage",
        workflow([]),
        False,
    )
    assert [f.path for f in first.fields] == ["description"]
    assert then.deferred and then.after == workflow([SET_MAJOR])


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


def test_a_rule_naming_a_deleted_group_is_reported_once_for_the_two_steps() -> None:
    gone = {
        "rule": "system:restrict-issue-transition",
        "parameters": {"groupIds": ["(deleted group)"]},
    }
    spec = workflow([SET_MAJOR])
    spec["transitions"][1] = {**spec["transitions"][1], "conditions": {"rules": [gone]}}
    changes = creates([])
    changes[0] = Change(changes[0].address, Action.CREATE, after=spec)
    ordered, cycles = order_in_steps(changes)
    assert cycles == [] and len(ordered) == 5
    inputs = Inputs(Snapshot(), Snapshot(), ordered)
    problems = rules_name_no_deleted_objects(inputs)
    assert [p.check for p in problems] == ["rules_name_no_deleted_objects"]
