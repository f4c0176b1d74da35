"""What an apply of issue data needs (``Needs``) and the ``permissions_granted`` check: pure, but
for gathering the answers from a sandbox."""

from __future__ import annotations

from typing import Any

from jiracfg.data.checks import DataInputs
from jiracfg.data.facts import DesiredFacts, LiveFacts
from jiracfg.data.grants import held, judged_by_repo
from jiracfg.data.permissions import Needs, gather, permissions_granted, placeholders
from jiracfg.model import Address, Resource, Snapshot
from jiracfg.plan.model import Action, Change, FieldChange
from tests.conftest import StartSandbox, client_for


def create(key: str, path: list[list[str]] | None = None) -> Change:
    after = {"status_path": path or [], "live_top": 0}
    return Change(Address("issue", key), Action.CREATE, after=after)


def update(key: str, *paths: str) -> Change:
    fields = [FieldChange(p, None, 1) for p in paths]
    return Change(Address("issue", key), Action.UPDATE, {}, {"status_path": []}, fields)


def test_placeholders_burn_the_gaps_apply_burns() -> None:
    assert placeholders([1, 2, 5], 0) == 2  # 3 and 4
    assert placeholders([3, 4], 5) == 0  # the counter is past them: new keys, nothing burned
    assert placeholders([8], 5) == 2  # 6 and 7


def test_a_create_needs_what_its_file_writes() -> None:
    needs = Needs(frozenset({"Sub-task"}))
    spec = {"key": "ENG-3", "type": "Sub-task", "parent": "ENG-7", "comments": [{}], "due": "x"}
    needs.note(spec, create("ENG-3", [["Done", "Done"]]), max_live=0)
    found = needs.counts["ENG"]
    assert {k for k in found} == {
        "BROWSE_PROJECTS",
        "CREATE_ISSUES",
        "ADD_COMMENTS",
        "SCHEDULE_ISSUES",
        "TRANSITION_ISSUES",
        "MOVE_ISSUES",  # a stand-in for its later parent: the bulk move
        "BULK_CHANGE",
    }
    live_parent = Needs(frozenset({"Sub-task"}))
    live_parent.note(spec, create("ENG-3"), max_live=9)  # the parent exists: no move
    assert "MOVE_ISSUES" not in live_parent.counts["ENG"]


def test_an_update_needs_what_it_changes_and_deletes_count_placeholders() -> None:
    needs = Needs()
    spec = {"key": "ENG-2", "type": "Task", "summary": "x"}
    needs.note(spec, update("ENG-2", "summary", "type"), max_live=0)
    assert needs.counts["ENG"]["EDIT_ISSUES"] == 1 and needs.counts["ENG"]["MOVE_ISSUES"] == 1
    gone = Change(Address("issue", "ENG-1"), Action.DELETE)
    needs.deletes([gone, create("ENG-9"), create("OPS-3")], {"ENG": 5, "OPS": 0})
    assert needs.counts["ENG"]["DELETE_ISSUES"] == 1 + 3  # the delete, ENG-6..8
    assert needs.counts["OPS"]["deletes"] == 2  # OPS-1 and 2


def inputs(needs: Needs, answer: dict[str, bool] | None) -> DataInputs:
    desired = DesiredFacts(needs=needs)
    live = LiveFacts({}, set(), True, 0, permissions={"ENG": answer}, schemes={"ENG": "Eng"})
    return DataInputs(desired, live, {}, {})


def test_a_missing_permission_is_an_error_with_the_count_and_the_scheme() -> None:
    needs = Needs()
    needs.add("ENG", {"CREATE_ISSUES"}, 3)
    (problem,) = permissions_granted(inputs(needs, {"CREATE_ISSUES": False}))
    assert problem.is_error and problem.check == "permissions_granted"
    assert "ENG" in problem.message and "Create issues (CREATE_ISSUES)" in problem.message
    assert "which 3 issue change(s) need" in problem.message and "'Eng'" in problem.hint
    assert permissions_granted(inputs(needs, None)) == []  # not on the target: judged later


def test_without_bulk_change_deletes_go_one_by_one_a_move_cannot() -> None:
    needs = Needs()
    needs.add("ENG", {"DELETE_ISSUES", "deletes"}, 4)
    (problem,) = permissions_granted(inputs(needs, {"BULK_CHANGE": False, "DELETE_ISSUES": True}))
    assert problem.severity == "warning" and "one by one" in problem.message
    assert "4 issue(s)" in problem.message
    needs.add("ENG", {"BULK_CHANGE", "MOVE_ISSUES"})
    (problem,) = permissions_granted(inputs(needs, {"BULK_CHANGE": False, "MOVE_ISSUES": True}))
    assert problem.is_error and "which 1 issue change(s) need" in problem.message


ME = frozenset({"557058:admin", "admin@example.com"})


def config(grants: dict[str, list[str]], roles: dict[str, Any] | None = None) -> Snapshot:
    project: dict[str, Any] = {"key": "ENG", "lead": "ann@example.com"}
    project |= {"schemes": {"permission": "Eng"}} | ({"roles": roles} if roles is not None else {})
    return Snapshot(
        [
            Resource(Address("project", "ENG"), project),
            Resource(Address("permission_scheme", "Eng"), {"name": "Eng", "grants": grants}),
            Resource(Address("group", "ops"), {"name": "ops", "members": ["Admin@example.com"]}),
        ]
    )


def test_the_configuration_grants_through_roles_groups_and_users() -> None:
    roles = {"Administrators": {"users": ["admin@example.com"]}, "Devs": {"groups": ["ops"]}}
    found = config(
        {
            "CREATE_ISSUES": ["role:Devs"],
            "DELETE_ISSUES": ["role:Administrators"],
            "MOVE_ISSUES": ["project_lead", "user:bob@example.com"],
            "EDIT_ISSUES": ["reporter"],  # as Jira answers a project context
            "LINK_ISSUES": ["group:nobody-knows"],
        },
        roles,
    )
    answers = {k: held(found, "ENG", k, ME) for k in ("CREATE_ISSUES", "DELETE_ISSUES")}
    assert answers == {"CREATE_ISSUES": True, "DELETE_ISSUES": True}
    assert held(found, "ENG", "MOVE_ISSUES", ME) is False
    assert held(found, "ENG", "EDIT_ISSUES", ME) is True
    assert held(found, "ENG", "LINK_ISSUES", ME) is None  # a group the repo does not hold
    no_roles = config({"CREATE_ISSUES": ["role:Devs"]})
    assert held(no_roles, "ENG", "CREATE_ISSUES", ME) is None


def test_the_configuration_decides_when_it_makes_or_changes_the_project() -> None:
    wanted = config({"CREATE_ISSUES": ["application_role"]})
    assert judged_by_repo(wanted, Snapshot(), "ENG")  # made by this apply
    assert not judged_by_repo(wanted, wanted, "ENG")  # as on the site: the site answers
    before = config({})
    assert judged_by_repo(wanted, before, "ENG")  # the scheme changes
    assert not judged_by_repo(Snapshot(), before, "ENG")  # the repo does not hold it


def test_an_unknown_answer_is_a_warning_that_apply_checks_again() -> None:
    needs = Needs()
    needs.add("ENG", {"LINK_ISSUES"})
    (problem,) = permissions_granted(inputs(needs, {"LINK_ISSUES": None}))
    assert problem.severity == "warning" and "apply checks it again" in problem.message


def test_a_404_for_a_project_the_site_has_is_every_permission_missing(
    start_sandbox: StartSandbox,
) -> None:
    """Jira answers /mypermissions 404 also when the account may not browse the project: for a
    project the live site has, that is no permission at all, not "no such project yet"."""
    client = client_for(start_sandbox("empty"))
    hidden = Resource(Address("project", "HID"), {"key": "HID", "name": "Hidden", "schemes": {}})
    site = Snapshot([hidden])
    needs = Needs()
    needs.add("HID", {"CREATE_ISSUES"})
    granted, _ = gather(client, needs, site, site)
    assert granted == {"HID": {"BROWSE_PROJECTS": False, "CREATE_ISSUES": False}}
    granted, _ = gather(client, needs, site, Snapshot())  # made by this apply: the repo judges
    assert granted["HID"] is not None and "CREATE_ISSUES" in granted["HID"]
