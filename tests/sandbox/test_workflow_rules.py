"""Workflow rules run on transitions: permission and role conditions, field-required and
permission validators (Jira's 400 with the rule's message), resolution, field-update and assignee
post functions."""

from __future__ import annotations

from typing import Any

import pytest

from jiracfg.sandbox.routes import workflows
from jiracfg.sandbox.server import SandboxServer
from tests.conftest import Api
from tests.sandbox.test_issue_data import ADMIN, Site

START, RESOLVE = "4", "5"  # the system workflow's Start Progress (To Do -> In Progress), Resolve


@pytest.fixture
def site(api: Api, sandbox: SandboxServer) -> Site:
    return Site(api, sandbox)


def rules(sandbox: SandboxServer, transition: str, **parts: Any) -> None:
    """Give a transition of ENG's workflow (the system workflow ``jira``) these rules."""
    wf = workflows.workflow_by_name(sandbox.store, "jira")
    assert wf is not None
    for t in wf["transitions"]:
        if t["id"] == transition:
            t.update(parts)
    sandbox.store.put("workflow", wf)


def restrict(**parameters: str) -> dict[str, Any]:
    rule = {"ruleKey": "system:restrict-issue-transition", "parameters": parameters}
    return {"operation": "ALL", "conditions": [rule]}


def offered(api: Api, key: str) -> set[str]:
    found = api.checked("GET", f"/issue/{key}/transitions", 200)["transitions"]
    return {t["id"] for t in found}


def move(api: Api, key: str, transition: str, status: int = 204, **fields: Any) -> Any:
    body = {"transition": {"id": transition}, "fields": fields}
    if status == 204:
        return api.checked("POST", f"/issue/{key}/transitions", 204, json=body)
    return api.error("POST", f"/issue/{key}/transitions", status, json=body)["errorMessages"]


def test_role_condition_offers_the_transition_to_the_roles_actors(
    site: Site, api: Api, sandbox: SandboxServer
) -> None:
    role = str(api.checked("POST", "/role", 200, json={"name": "Reviewers"})["id"])
    rules(sandbox, START, conditions=restrict(roleIds=role))
    key = site.create()["key"]
    assert START not in offered(api, key)
    assert move(api, key, START, 400) == [f"Transition id '{START}' is not valid for this issue."]
    api.checked("POST", f"/project/ENG/role/{role}", 200, json={"user": [ADMIN]})
    assert START in offered(api, key)
    move(api, key, START)


def test_permission_condition_follows_the_permission_scheme(
    site: Site, api: Api, sandbox: SandboxServer
) -> None:
    rules(sandbox, START, conditions=restrict(permissionKeys="RESOLVE_ISSUES"))
    key = site.create()["key"]
    assert START in offered(api, key)  # the default scheme grants it to every user
    grants = api.checked("GET", "/permissionscheme/0/permission", 200)["permissions"]
    for grant in grants:
        if grant["permission"] == "RESOLVE_ISSUES":
            api.checked("DELETE", f"/permissionscheme/0/permission/{grant['id']}", 204)
    assert START not in offered(api, key)


def test_a_failing_validator_answers_400_with_its_message(
    site: Site, api: Api, sandbox: SandboxServer
) -> None:
    required = {"ruleType": "fieldRequired", "fieldsRequired": "labels"}
    message = {**required, "errorMessage": "Label it before you start!"}
    validators = [
        {"ruleKey": "system:validate-field-value", "parameters": required},
        {"ruleKey": "system:validate-field-value", "parameters": message},
        {"ruleKey": "system:check-permission-validator", "parameters": {"permissionKey": "X"}},
    ]
    rules(sandbox, START, conditions={}, validators=validators)
    key = site.create()["key"]
    assert move(api, key, START, 400) == [
        "Labels is required.",
        "Label it before you start!",
        "You do not have permission to transition this issue.",
    ]
    assert site.fields_of(key)["status"]["name"] == "Open"  # nothing moved
    rules(sandbox, START, validators=validators[:2])
    api.checked("PUT", f"/issue/{key}", 204, json={"fields": {"labels": ["ready"]}})
    move(api, key, START)
    assert site.fields_of(key)["status"]["name"] == "In Progress"


def test_post_functions_set_resolution_fields_and_assignee(
    site: Site, api: Api, sandbox: SandboxServer
) -> None:
    done = next(
        r["id"]
        for r in api.checked("GET", "/resolution/search", 200)["values"]
        if r["name"] == "Done"
    )
    text = site.field("textfield")
    actions = [
        {"ruleKey": "system:update-field", "parameters": {"field": "resolution", "value": done}},
        {"ruleKey": "system:update-field", "parameters": {"field": text, "value": "started"}},
        {
            "ruleKey": "system:update-field",
            "parameters": {"field": "labels", "value": "wip", "mode": "append"},
        },
        {"ruleKey": "system:change-assignee", "parameters": {"type": "to-current-user"}},
        {"ruleKey": "system:update-field", "parameters": {"field": "priority", "value": "nope"}},
    ]
    rules(sandbox, START, conditions={}, actions=actions)
    key = site.create({"labels": ["a"]})["key"]
    move(api, key, START)  # the last post function names no priority: skipped, as Jira does
    got = site.fields_of(key)
    assert (got["status"]["name"], got["resolution"]["name"]) == ("In Progress", "Done")
    assert got["resolutiondate"] is not None
    assert (got[text], got["labels"], got["assignee"]["accountId"]) == (
        "started",
        ["a", "wip"],
        ADMIN,
    )
    history = api.checked("GET", f"/issue/{key}/changelog", 200)["values"][-1]["items"]
    assert {"status", "resolution", "labels", "assignee"} <= {i["field"] for i in history}
