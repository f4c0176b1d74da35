"""Groups, issue security schemes and priority schemes through the CLI against a live demo
sandbox: edits converge (plan, apply, empty plan), and what Jira refuses is refused by the plan."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import Jiracfg
from tests.e2e.test_edits import converge, edit, jira
from tests.e2e.test_refusals import Setup, check_refused


def members(run: Jiracfg, group: str) -> set[str]:
    with jira(run) as http:
        found = http.get("/group/member", params={"groupname": group}).json()["values"]
    return {u["emailAddress"] for u in found}


def test_a_new_group_named_by_a_permission_scheme_is_created_first(exported_demo: Jiracfg) -> None:
    repo = exported_demo.repo
    (repo / "groups" / "qa.yaml").write_text(
        "name: qa\nmembers:\n  - erin@acme.example\n", encoding="utf-8"
    )
    edit(
        repo,
        "permission-schemes/engineering-permissions.yaml",
        lambda s: s["grants"]["BROWSE_PROJECTS"].append("group:qa"),
    )
    edit(repo, "groups/engineering.yaml", lambda g: g["members"].remove("dan@acme.example"))
    plan = exported_demo.plan_changes()
    assert plan.index("create group/qa") < plan.index(
        "update permission_scheme/Engineering Permissions"
    )
    converge(
        exported_demo,
        [
            "update group/engineering",
            "create group/qa",
            "update permission_scheme/Engineering Permissions",
        ],
    )
    assert members(exported_demo, "qa") == {"erin@acme.example"}
    assert members(exported_demo, "engineering") == {"alice@acme.example", "bob@acme.example"}


def test_change_levels_members_and_default_of_a_security_scheme(exported_demo: Jiracfg) -> None:
    def change(scheme: dict[str, Any]) -> None:
        staff = next(lv for lv in scheme["levels"] if lv["name"] == "Staff")
        staff["members"] = ["group:engineering", "group:support", "reporter"]
        scheme["levels"].append({"name": "Public", "members": ["application_role"]})
        scheme["default_level"] = "Public"

    edit(exported_demo.repo, "issue-security-schemes/engineering-security.yaml", change)
    converge(exported_demo, ["update issue_security_scheme/Engineering Security"])
    store = exported_demo.server.store
    assert {lv["name"] for lv in store.all("security_level")} == {
        "Staff",
        "Security team",
        "Public",
    }


def test_a_project_changes_its_priority_and_security_schemes(exported_demo: Jiracfg) -> None:
    def schemes(project: dict[str, Any]) -> None:
        project["schemes"]["priority"] = "Marketing Priorities"
        project["schemes"].pop("issue_security")

    edit(
        exported_demo.repo,
        "priority-schemes/marketing-priorities.yaml",
        lambda s: s["priorities"].append("Highest"),
    )
    edit(exported_demo.repo, "projects/eng.yaml", schemes)
    converge(
        exported_demo,
        ["update priority_scheme/Marketing Priorities", "update project/ENG"],
    )
    assert exported_demo.server.store.all("security_scheme_project") == []


OTHER = "name: Other\nlevels:\n  - name: Everyone\n    members:\n      - application_role\n"


def remove_file(rel: str) -> Any:
    return lambda run: (run.repo / rel).unlink()


def replace_security_scheme(run: Jiracfg) -> None:
    """The one scheme's file goes; another stays, so the repo still holds the kind."""
    (run.repo / "issue-security-schemes" / "other.yaml").write_text(OTHER, encoding="utf-8")
    (run.repo / "issue-security-schemes" / "engineering-security.yaml").unlink()


def mkt_issue_priority(name: str) -> Any:
    def setup(run: Jiracfg) -> None:
        with jira(run) as http:
            found = http.post("/search/jql", json={"jql": "project = MKT", "fields": ["key"]})
            key = found.json()["issues"][0]["key"]
            http.put(f"/issue/{key}", json={"fields": {"priority": {"name": name}}})
        edit(
            run.repo,
            "priority-schemes/marketing-priorities.yaml",
            lambda s: s["priorities"].remove(name),
        )

    return setup


CASES: dict[str, tuple[Setup, tuple[str, ...], list[str]]] = {
    "security scheme in use": (
        replace_security_scheme,
        ("--prune",),
        ["project/ENG", "refers to issue_security_scheme/Engineering Security"],
    ),
    "default priority scheme": (
        remove_file("priority-schemes/default-priority-scheme.yaml"),
        ("--prune",),
        ["priority_scheme/Default Priority Scheme is protected"],
    ),
    "site group": (
        remove_file("groups/site-admins.yaml"),
        ("--prune",),
        ["group/site-admins is protected"],
    ),
    "group named by a scheme": (
        remove_file("groups/security-team.yaml"),
        ("--prune",),
        ["refers to group/security-team, which does not exist"],
    ),
    "priority held by issues": (
        mkt_issue_priority("High"),
        (),
        ["issue(s) of project MKT would lose their priority", 'priority in ("Blocker"'],
    ),
    "member who is not a user": (
        lambda run: edit(
            run.repo, "groups/support.yaml", lambda g: g["members"].append("ghost@acme.example")
        ),
        (),
        ["groups/support.yaml:", "'ghost@acme.example'", "invite the user"],
    ),
    "scheme without a default priority": (
        lambda run: edit(
            run.repo,
            "priority-schemes/marketing-priorities.yaml",
            lambda s: s.update(default_priority="Highest"),
        ),
        (),
        ["priority_scheme/Marketing Priorities needs a default_priority"],
    ),
    "default scheme with its own default": (
        lambda run: edit(
            run.repo,
            "priority-schemes/default-priority-scheme.yaml",
            lambda s: s.update(default_priority="High"),
        ),
        (),
        ["priority_scheme/Default Priority Scheme has no default_priority", "default: true"],
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_refused_before_any_write(exported_demo: Jiracfg, case: str) -> None:
    check_refused(exported_demo, CASES[case])


def test_a_security_scheme_no_project_uses_any_more_is_deleted(exported_demo: Jiracfg) -> None:
    replace_security_scheme(exported_demo)
    edit(
        exported_demo.repo,
        "projects/eng.yaml",
        lambda p: p["schemes"].update(issue_security="Other"),
    )
    converge(
        exported_demo,
        [
            "create issue_security_scheme/Other",
            "update project/ENG",
            "delete issue_security_scheme/Engineering Security",
        ],
        "--prune",
    )
    assert [s["name"] for s in exported_demo.server.store.all("security_scheme")] == ["Other"]
