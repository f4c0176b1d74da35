"""Users and groups named in the config repo must exist on the target site."""

from __future__ import annotations

from typing import Any

from jiracfg.client import JiraClient
from jiracfg.model import Resource
from jiracfg.plan.checks import needed_queries, run_checks
from jiracfg.plan.checks._inputs import UNCOUNTED
from jiracfg.plan.checks.people import principals
from jiracfg.plan.facts import gather
from jiracfg.sandbox.server import EMAIL
from tests.plan.test_checks import inputs, names, res


def project(lead: str, **extra: Any) -> Resource:
    return res(
        "project/ENG",
        {"key": "ENG", "name": "Eng", "type": "software", "lead": lead, "schemes": {}, **extra},
        id="1",
    )


LIVE = project("ann@example.com")


def test_an_unknown_lead_email_is_looked_up_once_and_refused_with_a_hint() -> None:
    desired = project("new@example.com", components=[{"name": "API", "lead": "new@example.com"}])
    assert needed_queries(inputs([desired], [LIVE])) == {"user:new@example.com"}
    problems = run_checks(inputs([desired], [LIVE], facts={"user:new@example.com": 0}))
    assert names(problems) == ["referenced_users_exist"]
    assert "'new@example.com'" in problems[0].message and "invite" in problems[0].hint
    assert run_checks(inputs([desired], [LIVE], facts={"user:new@example.com": 1})) == []


def test_names_the_live_site_shows_need_no_lookup() -> None:
    swapped = project("ann@example.com", roles={"Admins": {"users": ["ANN@example.com"]}})
    assert needed_queries(inputs([swapped], [LIVE])) == set()


def test_without_gathered_facts_nothing_is_refused() -> None:
    assert run_checks(inputs([project("new@example.com")], [LIVE])) == []


def test_an_unknown_group_in_a_grant_is_refused() -> None:
    scheme = res(
        "permission_scheme/P",
        {
            "name": "P",
            "grants": {"BROWSE_PROJECTS": ["group:ghosts", "group:jira-users", "role:Developers"]},
        },
    )
    facts = {"group:ghosts": 0, "group:jira-users": 1}
    found = inputs([scheme], [], facts=facts)
    assert needed_queries(found) == set(facts)
    problems = [p for p in run_checks(found) if p.check == "referenced_groups_exist"]
    assert [p.address for p in problems] == ["permission_scheme/P"]
    assert "'ghosts'" in problems[0].message and "create the group" in problems[0].hint


def test_every_kind_that_names_people_is_read() -> None:
    assert set(
        principals(
            "project",
            {
                "lead": "a@x",
                "components": [{"lead": "b@x"}],
                "roles": {"R": {"users": ["c@x"], "groups": ["g1"]}},
            },
        )
    ) == {"user:a@x", "user:b@x", "user:c@x", "group:g1"}
    assert set(
        principals("project_role", {"default_actors": {"users": ["d@x"], "groups": ["g2"]}})
    ) == {"user:d@x", "group:g2"}
    assert set(
        principals(
            "notification_scheme",
            {"events": {"Issue created": ["user:e@x", "user:557058:abc", "reporter", "group:g3"]}},
        )
    ) == {"user:e@x", "group:g3"}


def test_facts_look_users_and_groups_up_and_mark_refused_jql(client: JiraClient) -> None:
    facts = gather(
        client,
        {
            f"user:{EMAIL.upper()}",
            "user:nobody@example.com",
            "group:JIRA-users",
            "group:ghosts",
            'priority = "No such"',
        },
    )
    assert facts == {
        f"user:{EMAIL.upper()}": 1,
        "user:nobody@example.com": 0,
        "group:JIRA-users": 1,
        "group:ghosts": 0,
        'priority = "No such"': UNCOUNTED,
    }


def test_a_group_the_repo_creates_needs_no_lookup_but_its_members_do() -> None:
    scheme = res("permission_scheme/P", {"name": "P", "grants": {"BROWSE_PROJECTS": ["group:qa"]}})
    group = res("group/qa", {"name": "qa", "members": ["new@example.com"]})
    found = inputs([scheme, group], [], facts={"user:new@example.com": 0})
    assert needed_queries(found) == {"user:new@example.com"}
    assert names(run_checks(found)) == ["referenced_users_exist"]


def test_users_and_groups_of_workflow_rules_are_looked_up() -> None:
    restrict = {
        "rule": "system:restrict-issue-transition",
        "parameters": {"accountIds": ["new@example.com", "allow-reporter"], "groupIds": ["qa"]},
    }
    assign = {
        "rule": "system:change-assignee",
        "parameters": {"type": "to-selected-user", "accountId": "lead@example.com"},
    }
    flow = res(
        "workflow/F",
        {
            "name": "F",
            "statuses": ["Open"],
            "transitions": [
                {"name": "Create", "type": "initial", "to": "Open", "actions": [assign]},
                {"name": "Go", "type": "global", "to": "Open", "conditions": {"rules": [restrict]}},
            ],
        },
    )
    assert set(principals("workflow", flow.spec)) == {
        "user:new@example.com",
        "user:lead@example.com",
        "group:qa",
    }
    facts = {"user:new@example.com": 0, "user:lead@example.com": 1, "group:qa": 1}
    checked = run_checks(inputs([flow], [], facts=facts))
    problems = [p for p in checked if p.check.startswith("referenced_")]
    assert [(p.check, p.address) for p in problems] == [("referenced_users_exist", "workflow/F")]
    assert "'new@example.com'" in problems[0].message
