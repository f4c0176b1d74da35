"""What each change of a concurrent apply waits on: references, Jira's sequential parts, renames."""

from __future__ import annotations

from jiracfg.model import Address
from jiracfg.plan.model import Action, Change
from jiracfg.plan.order import order, waits_on


def create(kind: str, key: str, **spec: object) -> Change:
    return Change(Address(kind, key), Action.CREATE, after={"name": key, **spec})


def waits(changes: list[Change]) -> dict[str, list[str]]:
    ordered, _ = order(changes)
    found = waits_on(ordered)
    return {
        str(c.address): sorted(str(ordered[i].address) for i in found[n])
        for n, c in enumerate(ordered)
    }


def test_a_change_waits_on_the_changes_to_what_it_references_and_nothing_else() -> None:
    found = waits(
        [
            create("status", "Open", category="TODO"),
            create("status", "Shut", category="DONE"),
            create("workflow", "Flow", statuses=["Open", "Shut"], transitions=[]),
            create("issue_type", "Bug", level="standard"),
        ]
    )
    assert found == {
        "status/Open": [],
        "status/Shut": [],
        "issue_type/Bug": [],
        "workflow/Flow": ["status/Open", "status/Shut"],
    }


def test_priorities_wait_on_each_other_jiras_one_global_order() -> None:
    found = waits([create("priority", p, color="#000000", position=n) for n, p in enumerate("ab")])
    assert found == {"priority/a": [], "priority/b": ["priority/a"]}


def test_contexts_of_one_field_run_one_at_a_time_those_of_other_fields_in_parallel() -> None:
    contexts = [
        Change(Address("field_context", f"{f}/{c}"), Action.CREATE, after={"field": f, "name": c})
        for f, c in [("Team", "One"), ("Team", "Two"), ("Size", "One")]
    ]
    found = waits(contexts)
    assert found == {
        "field_context/Size/One": [],
        "field_context/Team/One": [],
        "field_context/Team/Two": ["field_context/Team/One"],
    }


def test_a_create_waits_on_the_rename_that_frees_its_key() -> None:
    renamed = Change(
        Address("status", "Closed"),
        Action.UPDATE,
        before={"name": "Open", "category": "TODO"},
        after={"name": "Closed", "category": "TODO"},
        renamed_from="Open",
    )
    found = waits([create("status", "Open", category="TODO"), renamed])
    assert found == {"status/Closed": [], "status/Open": ["status/Closed"]}


def test_workflow_creates_run_alongside_each_other_but_never_alongside_an_update() -> None:
    """Jira refuses (409) a workflow write while a workflow task (a migration) runs: updates and
    deletes, which may start one, run alone; creates start none and run together between them."""
    status = create("status", "Open", category="TODO")
    flows = [create("workflow", n, statuses=["Open"], transitions=[]) for n in ("A", "B")]
    moved = Change(
        Address("workflow", "C"),
        Action.UPDATE,
        before={"name": "C", "statuses": ["Open"], "transitions": []},
        after={"name": "C", "description": "new", "statuses": ["Open"], "transitions": []},
    )
    late = create("workflow", "D", statuses=["Open"], transitions=[])
    found = waits([status, *flows, moved, late])
    assert found["workflow/A"] == found["workflow/B"] == ["status/Open"]
    assert found["workflow/C"] == ["status/Open", "workflow/A", "workflow/B"]
    assert found["workflow/D"] == ["status/Open", "workflow/C"]


def test_a_project_update_may_switch_its_workflow_scheme_so_it_runs_alone_in_that_group() -> None:
    """Switching the workflow scheme of a project with issues is a Jira task: workflow writes
    beside it are refused (409), creates included."""
    flow = create("workflow", "A", statuses=[], transitions=[])
    switched = Change(
        Address("project", "ENG"),
        Action.UPDATE,
        before={"key": "ENG", "name": "Eng", "schemes": {}},
        after={"key": "ENG", "name": "Eng", "schemes": {}, "description": "switched"},
    )
    made = Change(
        Address("project", "OPS"), Action.CREATE, after={"key": "OPS", "name": "Ops", "schemes": {}}
    )
    found = waits([flow, switched, made])
    assert found["project/ENG"] == ["workflow/A"]
    assert found["project/OPS"] == ["project/ENG"]
