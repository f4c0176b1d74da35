"""Each named check trips on what it guards against, and stays quiet otherwise."""

from __future__ import annotations

from typing import Any

import pytest

from jiracfg.model import Address, Origin, Resource, Snapshot
from jiracfg.plan import checks
from jiracfg.plan.checks import Inputs, needed_queries, run_checks
from jiracfg.plan.diff import diff
from jiracfg.plan.model import Action, Change


def res(address: str, spec: dict[str, Any], **meta: Any) -> Resource:
    return Resource(Address.parse(address), spec, meta)


def inputs(desired: list[Resource], live: list[Resource], prune: bool = False, **kw: Any) -> Inputs:
    d, lv = Snapshot(desired), Snapshot(live)
    changes, _ = diff(d, lv, prune=prune)
    return Inputs(d, lv, changes, prune=prune, **kw)


def names(problems: list[Any]) -> list[str]:
    return sorted(p.check for p in problems if p.is_error)


TASK = res("issue_type/Task", {"name": "Task", "level": "standard"}, id="1")


def test_delete_without_prune_is_an_error() -> None:
    change = Change(Address("issue_type", "Task"), Action.DELETE, before=TASK.spec)
    problems = run_checks(Inputs(Snapshot(), Snapshot([TASK]), [change], prune=False))
    assert "deletes_only_with_prune" in names(problems)


def test_protected_objects_are_never_deleted() -> None:
    scheme = res(
        "issue_type_scheme/Default Issue Type Scheme",
        {"name": "Default Issue Type Scheme", "issue_types": ["Task"]},
        id="1",
        protected=True,
    )
    other = res("issue_type_scheme/Main", {"name": "Main", "issue_types": ["Task"]}, id="2")
    found = run_checks(inputs([TASK, other], [TASK, scheme, other], prune=True))
    assert names(found) == ["protected_objects_not_deleted"]


def test_protected_globs_in_settings() -> None:
    legacy = res("issue_type/Legacy", {"name": "Legacy", "level": "standard"}, id="9")
    found = run_checks(
        inputs([TASK], [TASK, legacy], prune=True, settings={"protected": ["issue_type/Leg*"]})
    )
    assert names(found) == ["protected_objects_not_deleted"]
    assert run_checks(inputs([TASK], [TASK, legacy], prune=True)) == []


def test_dangling_references_stop_the_plan_but_builtins_resolve() -> None:
    scheme = res("issue_type_scheme/Main", {"name": "Main", "issue_types": ["Task", "Nope"]})
    assert names(run_checks(inputs([TASK, scheme], [TASK]))) == ["references_resolve"]
    ok = res("issue_type_scheme/Main", {"name": "Main", "issue_types": ["Task", "Epic"]})
    assert names(run_checks(inputs([TASK, ok], [TASK]))) == []


WF_OLD = res("workflow/Old", {"name": "Old", "statuses": ["To Do", "Review", "Done"]}, id="w1")
WF_NEW = res("workflow/New", {"name": "New", "statuses": ["To Do", "Done"]}, id="w2")
SCHEME_OLD = res("workflow_scheme/S1", {"name": "S1", "default_workflow": "Old"}, id="s1")
SCHEME_NEW = res("workflow_scheme/S2", {"name": "S2", "default_workflow": "New"}, id="s2")


def project(scheme: str) -> Resource:
    return res(
        "project/ENG", {"key": "ENG", "name": "Eng", "schemes": {"workflow": scheme}}, id="p1"
    )


STATUSES = [
    res(f"status/{name}", {"name": name, "category": "TODO"}, id=str(i))
    for i, name in enumerate(("To Do", "Review", "Done"))
]


def switch(**kw: Any) -> Inputs:
    shared = [TASK, *STATUSES, WF_OLD, WF_NEW, SCHEME_OLD, SCHEME_NEW]
    live, desired = [*shared, project("S1")], [*shared, project("S2")]
    return inputs(desired, live, **kw)


JQL = 'project = "ENG" AND issuetype = "Task" AND status = "Review"'


def test_a_scheme_switch_that_strands_issues_needs_a_mapping() -> None:
    assert needed_queries(switch()) == {JQL}
    problems = run_checks(switch(facts={JQL: 4}))
    assert names(problems) == ["stranded_statuses_need_mapping"]
    assert "4 Task issue(s)" in problems[0].message


def test_a_declared_mapping_or_no_issues_lets_the_switch_through() -> None:
    mapping = {"status_mappings": [{"project": "ENG", "from": "Review", "to": "To Do"}]}
    assert names(run_checks(switch(facts={JQL: 4}, settings=mapping))) == []
    assert names(run_checks(switch(facts={JQL: 0}))) == []


def test_deleting_a_status_still_in_use_is_refused() -> None:
    status = res("status/Review", {"name": "Review", "category": "IN_PROGRESS"}, id="5")
    keep = res("status/Done", {"name": "Done", "category": "DONE"}, id="6")
    found = inputs([keep], [keep, status], prune=True, facts={'status = "Review"': 2})
    assert needed_queries(found) == {'status = "Review"'}
    assert names(run_checks(found)) == ["used_objects_keep_a_replacement"]


def test_a_failing_check_becomes_an_error_instead_of_raising(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(_: Inputs) -> list[Any]:
        raise RuntimeError("boom")

    monkeypatch.setitem(checks.CHECKS, "broken", broken)
    problems = run_checks(inputs([TASK], [TASK]))
    assert [p.check for p in problems] == ["broken"]


TEAM = res("custom_field/Team", {"name": "Team", "type": "select"}, id="f1", duplicate_name=True)
TEAM_2 = res(
    "custom_field/Team [select]",
    {"name": "Team", "alias": "Team [select]", "type": "select"},
    id="f2",
    duplicate_name=True,
)


def test_an_unaliased_name_shared_by_live_fields_no_file_matches_stops_the_plan() -> None:
    problems = run_checks(inputs([TEAM], [TEAM, TEAM_2]))
    assert names(problems) == ["no_ambiguous_names"]
    assert problems[0].address == "custom_field/Team" and "alias: Team [select]" in problems[0].hint
    assert run_checks(inputs([TEAM, TEAM_2], [TEAM, TEAM_2])) == []
    unrelated = res("custom_field/Flag", {"name": "Flag", "type": "select"}, id="f3")
    warned = run_checks(inputs([unrelated], [TEAM, TEAM_2, unrelated]))
    assert names(warned) == [] and {p.check for p in warned} == {"no_ambiguous_names"}


def test_errors_carry_a_hint_and_the_file_and_line_of_their_object() -> None:
    scheme = Resource(
        Address("issue_type_scheme", "Main"),
        {"name": "Main", "issue_types": ["Nope"]},
        origin=Origin("issue-type-schemes/main.yaml", 3),
    )
    bug = res("issue_type/Bug", {"name": "Bug", "level": "standard"})
    role = res("project_role/Devs", {"name": "Devs", "default_actors": {"users": ["x@y.z"]}})
    eng = res("project/ENG", {"key": "ENG", "name": "Eng", "type": "software", "schemes": {}})
    flows = [
        res("workflow/Old", {"name": "Old", "statuses": []}, id="w"),
        res("workflow/New", {"name": "New", "statuses": [], "renamed_from": "Old"}),
    ]
    live, desired = [TEAM, TEAM_2, TASK, eng, flows[0]], [scheme, TEAM, bug, role, flows[1]]
    desired.append(res("project/ENG", {**eng.spec, "type": "business"}))
    facts = {'issuetype = "Task"': 1, "user:x@y.z": 0}
    problems = run_checks(inputs(desired, live, prune=True, facts=facts))
    assert names(problems) == sorted(
        [
            "references_resolve",
            "no_ambiguous_names",
            "used_objects_keep_a_replacement",
            "project_type_unchanged",
            "workflows_not_renamed",
            "referenced_users_exist",
        ]
    )
    assert all(p.hint for p in problems if p.is_error)
    located = [p for p in problems if p.check == "references_resolve"]
    assert located[0].message.startswith("issue-type-schemes/main.yaml:3: issue_type_scheme/Main")


def test_change_of_finds_a_live_objects_change_by_its_live_address() -> None:
    """Checks ask per live object; a renamed object's change is found under its old key."""
    old = Address("status", "Old")
    renamed = Change(Address("status", "New"), Action.UPDATE, {"name": "Old"}, {"name": "New"})
    renamed = Change(
        renamed.address, renamed.action, renamed.before, renamed.after, renamed_from="Old"
    )
    made = Change(Address("status", "Made"), Action.CREATE, after={"name": "Made"})
    given = Inputs(Snapshot(), Snapshot(), [made, renamed])
    assert given.change_of(old) is renamed and given.change_of(made.address) is made
    assert given.change_of(Address("status", "New")) is None
