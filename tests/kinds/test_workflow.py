from __future__ import annotations

import copy
from typing import Any

import pytest

from jiracfg.client import JiraClient
from jiracfg.errors import ConfigError, ConflictError, JiraApiError, UnresolvedReferenceError
from jiracfg.kinds import ApplyContext, FetchContext
from jiracfg.kinds import priority as priority_kind
from jiracfg.kinds import resolution as resolution_kind
from jiracfg.kinds import screen as screen_kind
from jiracfg.kinds import status as status_kind
from jiracfg.kinds.workflow import KIND
from jiracfg.model import Address, Resource, Snapshot
from jiracfg.sandbox.routes import workflows as sandbox_workflows
from tests.kinds.fields_helper import with_fields

BLOCKED_BY_CHILDREN = {
    "rule": "system:parent-or-child-blocking-condition",
    "parameters": {"blocker": "CHILD", "statusIds": ["Done", "To Do"]},
}
SPEC: dict[str, Any] = {
    "name": "Code review",
    "description": "With a review step",
    "statuses": ["Done", "In Progress", "To Do"],
    "status_properties": {"Done": {"jira.issue.editable": "false"}},
    "transitions": [
        {"name": "Create", "id": "1", "type": "initial", "to": "To Do"},
        {
            "name": "Finish",
            "id": "21",
            "from": ["In Progress"],
            "to": "Done",
            "screen": "Resolve Issue Screen",
            "conditions": {
                "operation": "ANY",
                "rules": [BLOCKED_BY_CHILDREN],
                "groups": [
                    {
                        "rules": [
                            {
                                "rule": "system:restrict-issue-transition",
                                "parameters": {"permissionKeys": ["RESOLVE_ISSUES"]},
                            }
                        ]
                    }
                ],
            },
            "validators": [
                {
                    "rule": "system:validate-field-value",
                    "parameters": {"ruleType": "fieldRequired", "fieldsRequired": ["Assignee"]},
                }
            ],
            "actions": [
                {"rule": "system:change-assignee", "parameters": {"type": "to-unassigned"}}
            ],
            "properties": {"opsbar-sequence": "10"},
        },
        {"name": "Reset", "id": "31", "type": "global", "to": "To Do"},
        {"name": "Start", "id": "11", "from": ["Done", "To Do"], "to": "In Progress"},
    ],
}


def live_refs(client: JiraClient) -> list[Resource]:
    """Statuses, fields and screens, as fetched before workflows."""
    ctx = FetchContext(client, with_fields(client))
    for kind in (status_kind, screen_kind, resolution_kind, priority_kind):
        for resource in kind.KIND.fetch(ctx):
            ctx.add(resource)
    return list(ctx.live)


def fetched(client: JiraClient) -> dict[str, Resource]:
    ctx = FetchContext(client, Snapshot(live_refs(client)))
    return {r.address.key: r for r in KIND.fetch(ctx)}


def apply_ctx(client: JiraClient, *extra: Resource, **settings: Any) -> ApplyContext:
    return ApplyContext(
        client, Snapshot([*live_refs(client), *fetched(client).values(), *extra]), settings
    )


def test_fetch_normalizes_the_read_only_jira_workflow(client: JiraClient) -> None:
    jira = fetched(client)["jira"]
    assert jira.readonly and "jira" in KIND.builtin_keys
    assert jira.spec["statuses"] == ["Closed", "In Progress", "Open", "Reopened", "Resolved"]
    assert jira.spec["status_properties"] == {"Closed": {"jira.issue.editable": "false"}}
    moves = jira.spec["transitions"]
    assert moves[0] == {"name": "Create", "id": "1", "type": "initial", "to": "Open"}
    resolve = next(t for t in moves if t["name"] == "Resolve Issue")
    assert resolve["from"] == ["In Progress", "Open", "Reopened"]
    assert resolve["screen"] == "Resolve Issue Screen"
    assert resolve["conditions"] == {
        "rules": [
            {
                "rule": "system:restrict-issue-transition",
                "parameters": {"permissionKeys": ["RESOLVE_ISSUES"]},
            }
        ]
    }
    assert [t["name"] for t in moves].count("Close Issue") == 2


def test_create_then_fetch_round_trips(client: JiraClient) -> None:
    new_id = KIND.create(apply_ctx(client), SPEC)
    live = fetched(client)["Code review"]
    assert (live.spec, live.id, live.readonly) == (SPEC, new_id, False)


def test_rule_parameters_hold_ids_in_jira(client: JiraClient) -> None:
    KIND.create(apply_ctx(client), SPEC)
    raw = client.post("/workflows", {"workflowNames": ["Code review"]})["workflows"][0]
    finish = next(t for t in raw["transitions"] if t["name"] == "Finish")
    assert finish["conditions"]["conditions"][0]["parameters"]["statusIds"] == "10001,10000"
    assert finish["transitionScreen"]["parameters"] == {"screenId": "2"}
    assert finish["validators"][0]["parameters"]["fieldsRequired"] == "assignee"
    assert sorted(s["statusReference"] for s in raw["statuses"]) == ["10000", "10001", "3"]


PEOPLE_AND_VALUES = [
    {
        "rule": "system:restrict-issue-transition",
        "parameters": {
            "accountIds": ["admin@example.com", "allow-reporter"],
            "groupIds": ["jira-users", "site-admins"],
        },
    },
    {"rule": "system:update-field", "parameters": {"field": "Resolution", "value": "Won't Do"}},
    {"rule": "system:update-field", "parameters": {"field": "Priority", "value": "High"}},
    {
        "rule": "system:change-assignee",
        "parameters": {"type": "to-selected-user", "accountId": "admin@example.com"},
    },
]


def test_users_groups_resolutions_and_priorities_are_named_not_ids(client: JiraClient) -> None:
    spec = copy.deepcopy(SPEC)
    finish = spec["transitions"][1]
    finish["conditions"] = {"rules": PEOPLE_AND_VALUES[:1]}
    finish["actions"] = PEOPLE_AND_VALUES[1:]
    KIND.create(apply_ctx(client), spec)
    assert fetched(client)["Code review"].spec == spec
    raw = client.post("/workflows", {"workflowNames": ["Code review"]})["workflows"][0]
    wired = next(t for t in raw["transitions"] if t["name"] == "Finish")
    groups = {g["name"]: g["groupId"] for g in client.paged("/group/bulk")}
    assert wired["conditions"]["conditions"][0]["parameters"] == {
        "accountIds": "557058:admin,allow-reporter",
        "groupIds": f"{groups['jira-users']},{groups['site-admins']}",
    }
    actions = [a["parameters"] for a in wired["actions"]]
    assert [a.get("value") or a.get("accountId") for a in actions] == ["10001", "2", "557058:admin"]
    assert {"group/jira-users", "resolution/Won't Do", "priority/High"} <= {
        f"{a.kind}/{a.key}" for a in KIND.refs(spec)
    }


def test_update_changes_every_part_and_keeps_transition_ids(client: JiraClient) -> None:
    KIND.create(apply_ctx(client), SPEC)
    before = fetched(client)["Code review"]
    spec = copy.deepcopy(SPEC)
    spec.update(description="Reviewed", statuses=["Done", "In Progress", "Resolved", "To Do"])
    del spec["status_properties"]
    spec["transitions"][1]["screen"] = "Workflow Screen"
    for part in ("conditions", "properties"):
        del spec["transitions"][1][part]
    spec["transitions"].append({"name": "Wrap up", "from": ["Done"], "to": "Resolved"})
    spec["transitions"][2]["to"] = "Done"  # Reset changes target and keeps its id
    KIND.update(apply_ctx(client), before, spec)
    after = fetched(client)["Code review"]
    assert after.meta["version"]["versionNumber"] == 1
    ids = {t["name"]: t["id"] for t in after.spec["transitions"]}
    assert ids == {"Create": "1", "Finish": "21", "Reset": "31", "Start": "11", "Wrap up": "41"}
    assert KIND.comparable(after.spec, spec) == after.spec  # the id Jira gave is no change


def test_a_transition_without_an_id_keeps_its_live_namesakes(client: JiraClient) -> None:
    KIND.create(apply_ctx(client), SPEC)
    before = fetched(client)["Code review"]
    spec = copy.deepcopy(SPEC)
    for t in spec["transitions"]:
        del t["id"]
    spec["transitions"][0]["name"] = "Open it"  # a new name: a new transition, a new id
    KIND.update(apply_ctx(client), before, spec)
    ids = {t["name"]: t["id"] for t in fetched(client)["Code review"].spec["transitions"]}
    assert ids == {"Open it": "41", "Finish": "21", "Reset": "31", "Start": "11"}


def test_update_with_a_stale_version_conflicts(client: JiraClient) -> None:
    KIND.create(apply_ctx(client), SPEC)
    stale = fetched(client)["Code review"]
    KIND.update(apply_ctx(client), stale, {**SPEC, "description": "first"})
    with pytest.raises(ConflictError):
        KIND.update(apply_ctx(client), stale, {**SPEC, "description": "second"})


def test_a_workflow_cannot_be_renamed(client: JiraClient) -> None:
    KIND.create(apply_ctx(client), SPEC)
    live = fetched(client)["Code review"]
    with pytest.raises(ConfigError, match="can't be renamed"):
        KIND.update(apply_ctx(client), live, {**SPEC, "name": "Review", "renamed_from": "x"})


def test_removed_statuses_with_issues_follow_status_mappings(
    client: JiraClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    KIND.create(apply_ctx(client), SPEC)
    monkeypatch.setattr(
        sandbox_workflows, "usage_pairs", lambda db: [("10100", "10002", "Code review")]
    )
    monkeypatch.setattr(sandbox_workflows, "count_issues", lambda db, **where: 2)
    spec = copy.deepcopy(SPEC)
    spec["statuses"].remove("In Progress")
    spec["transitions"] = [
        SPEC["transitions"][0],
        {"name": "Close", "type": "global", "to": "Done"},
    ]
    project = Resource(Address("project", "ENG"), {"key": "ENG"}, {"id": "10100"})
    with pytest.raises(JiraApiError, match="no longer has"):
        KIND.update(apply_ctx(client, project), fetched(client)["Code review"], spec)
    mapping = {"project": "ENG", "issue_type": "Task", "from": "In Progress", "to": "To Do"}
    task = Resource(Address("issue_type", "Task"), {"name": "Task"}, {"id": "10002"})
    KIND.update(
        apply_ctx(client, project, task, status_mappings=[mapping]),
        fetched(client)["Code review"],
        spec,
    )
    assert fetched(client)["Code review"].spec["statuses"] == ["Done", "To Do"]


def test_delete_and_refs(client: JiraClient) -> None:
    KIND.create(apply_ctx(client), SPEC)
    KIND.delete(apply_ctx(client), fetched(client)["Code review"])
    assert "Code review" not in fetched(client)
    assert set(KIND.refs(SPEC)) == {
        Address("status", "Done"),
        Address("status", "In Progress"),
        Address("status", "To Do"),
        Address("screen", "Resolve Issue Screen"),
        Address("custom_field", "Assignee"),
    }


def test_a_rule_naming_a_deleted_object_names_it_as_deleted(client: JiraClient) -> None:
    made = client.post(
        "/statuses",
        {"scope": {"type": "GLOBAL"}, "statuses": [{"name": "Gone", "statusCategory": "TODO"}]},
    )
    spec = copy.deepcopy(SPEC)
    spec["transitions"][1]["conditions"] = {
        "rules": [
            {
                "rule": "system:previous-status-condition",
                "parameters": {"previousStatusIds": ["Gone", "To Do"]},
            }
        ]
    }
    KIND.create(apply_ctx(client), spec)
    client.delete("/statuses", {"id": made[0]["id"]})
    live = fetched(client)["Code review"]
    rule = live.spec["transitions"][1]["conditions"]["rules"][0]
    assert rule["parameters"] == {"previousStatusIds": ["(deleted status)", "To Do"]}
    assert Address("status", "(deleted status)") not in set(KIND.refs(live.spec))
    KIND.update(apply_ctx(client), live, {**live.spec, "description": "edited"})
    raw = client.post("/workflows", {"workflowNames": ["Code review"]})["workflows"][0]
    finish = next(t for t in raw["transitions"] if t["name"] == "Finish")
    kept = finish["conditions"]["conditions"][0]["parameters"]["previousStatusIds"]
    assert kept.split(",")[0] == str(made[0]["id"])  # the site's rule is kept as it was
    changed = copy.deepcopy(fetched(client)["Code review"].spec)
    changed["transitions"][1]["conditions"]["rules"][0]["parameters"]["previousStatusIds"].pop()
    with pytest.raises(UnresolvedReferenceError, match=r"names \(deleted status\)"):
        KIND.update(apply_ctx(client), fetched(client)["Code review"], changed)


def test_values_that_are_not_ids_stay_as_they_are(client: JiraClient) -> None:
    spec = copy.deepcopy(SPEC)
    moves = {"fromStatusId": "", "toStatusId": "-1", "statusIds": ["To Do"], "groupIds": []}
    spec["transitions"][1]["validators"] = [
        {"rule": "system:previous-status-condition", "parameters": moves}
    ]
    KIND.create(apply_ctx(client), spec)
    rule = fetched(client)["Code review"].spec["transitions"][1]["validators"][0]
    assert rule["parameters"] == {"toStatusId": "-1", "statusIds": ["To Do"]}
