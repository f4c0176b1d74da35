from __future__ import annotations

from typing import Any

import pytest

from jiracfg.client import JiraClient
from jiracfg.errors import PlanError, UnresolvedReferenceError
from jiracfg.kinds import ApplyContext, FetchContext
from jiracfg.kinds.project import KIND
from jiracfg.model import Address, Resource, Snapshot
from jiracfg.sandbox.server import SandboxServer

DEFAULT_SCHEMES = {
    "workflow": "Default Workflow Scheme",
    "issue_type": "Default Issue Type Scheme",
    "issue_type_screen": "Default Issue Type Screen Scheme",
    "permission": "Default Permission Scheme",
    "notification": "Default Notification Scheme",
}


@pytest.fixture(autouse=True)
def site(sandbox: SandboxServer, client: JiraClient) -> None:
    """Two more users, a Developers role, a category and an issue type scheme to point at."""
    for name in ("dana", "eli"):
        sandbox.store.insert(
            "user",
            {
                "accountId": f"557058:{name}",
                "token": "x",
                "emailAddress": f"{name}@example.com",
                "displayName": name.title(),
            },
        )
    client.post("/role", {"name": "Developers"})
    client.post("/projectCategory", {"name": "Internal"})
    client.post("/issuetypescheme", {"name": "Ops", "issueTypeIds": ["10002", "10003"]})


LISTS = [
    ("project_category", "/projectCategory", None),
    ("project_role", "/role", None),
    ("status", "/statuses/search", "values"),
    ("issue_type_scheme", "/issuetypescheme", "values"),
    ("issue_type_screen_scheme", "/issuetypescreenscheme", "values"),
    ("workflow_scheme", "/workflowscheme", "values"),
    ("permission_scheme", "/permissionscheme", "permissionSchemes"),
    ("notification_scheme", "/notificationscheme", "values"),
]


def live_state(client: JiraClient) -> Snapshot:
    """Projects as the kind fetches them, plus the names and ids of what they refer to (read
    straight from the sandbox, so these tests don't depend on the other kinds)."""
    ctx = FetchContext(client)
    for kind, path, key in LISTS:
        body = client.get(path, {"maxResults": 1000})
        for doc in body if key is None else body[key]:
            ctx.add(
                Resource(Address(kind, doc["name"]), {"name": doc["name"]}, {"id": str(doc["id"])})
            )
    ctx.add(Resource(Address("workflow_scheme", "Default Workflow Scheme"), {}, {}))
    for resource in KIND.fetch(ctx):
        ctx.add(resource)
    return ctx.live


def project(snapshot: Snapshot, key: str) -> Resource:
    found = snapshot.get(Address("project", key))
    assert found is not None, f"no project {key}"
    return found


def create(client: JiraClient, spec: dict[str, Any]) -> str:
    return KIND.create(ApplyContext(client, live_state(client)), spec)


def full_spec(key: str = "ENG") -> dict[str, Any]:
    return {
        "key": key,
        "name": "Engineering",
        "type": "software",
        "lead": "dana@example.com",
        "description": "Builds things",
        "category": "Internal",
        "assignee_type": "project_lead",
        "schemes": {**DEFAULT_SCHEMES, "issue_type": "Ops"},
        "components": [
            {
                "name": "API",
                "description": "REST",
                "lead": "eli@example.com",
                "assignee_type": "component_lead",
            },
            {"name": "Web"},
        ],
        "versions": [
            {
                "name": "1.0",
                "released": True,
                "start_date": "2024-01-08",
                "release_date": "2024-03-29",
            },
            {"name": "1.1", "description": "next", "archived": True},
        ],
        "roles": {
            "Administrators": {"users": ["dana@example.com"]},
            "Developers": {"users": ["eli@example.com"], "groups": ["jira-users"]},
        },
    }


def test_fetch_normalizes_a_plain_project(client: JiraClient) -> None:
    client.post(
        "/project",
        {
            "key": "OPS",
            "name": "Operations",
            "projectTypeKey": "business",
            "leadAccountId": "557058:admin",
        },
    )
    live = project(live_state(client), "OPS")
    assert live.spec == {
        "key": "OPS",
        "name": "Operations",
        "type": "business",
        "lead": "admin@example.com",
        "schemes": DEFAULT_SCHEMES,
        "roles": {"Administrators": {"users": ["admin@example.com"]}},
    }
    assert live.id is not None and live.id.isdigit()
    assert list(live.spec["schemes"]) == list(DEFAULT_SCHEMES)  # canonical order


def test_create_then_fetch_round_trips(client: JiraClient) -> None:
    spec = full_spec()
    new_id = create(client, spec)
    live = project(live_state(client), "ENG")
    assert (live.spec, live.id) == (spec, new_id)


def test_refs_name_category_schemes_and_roles() -> None:
    refs = set(KIND.refs(full_spec()))
    assert Address("project_category", "Internal") in refs
    assert Address("issue_type_scheme", "Ops") in refs
    assert Address("workflow_scheme", "Default Workflow Scheme") in refs
    assert {Address("project_role", r) for r in ("Administrators", "Developers")} <= refs
    assert KIND.key(full_spec()) == "ENG"


@pytest.mark.parametrize(
    "change",
    [
        {"name": "Platform", "description": "Runs things", "lead": "eli@example.com"},
        {"category": None, "assignee_type": None, "description": None},
        {"schemes": DEFAULT_SCHEMES},
        {
            "components": [
                {"name": "API", "description": "gRPC now"},
                {"name": "CLI", "lead": "dana@example.com"},
            ]
        },
        {"versions": [{"name": "1.2"}, {"name": "1.1", "released": True}, {"name": "1.0"}]},
        {"roles": {"Developers": {"groups": ["jira-administrators", "jira-users"]}}},
    ],
)
def test_update_round_trips(client: JiraClient, change: dict[str, Any]) -> None:
    create(client, full_spec())
    live = live_state(client)
    spec = {k: v for k, v in {**full_spec(), **change}.items() if v is not None}
    KIND.update(ApplyContext(client, live), project(live, "ENG"), spec)
    assert project(live_state(client), "ENG").spec == spec


def test_key_change_renames_and_keeps_the_id(client: JiraClient) -> None:
    new_id = create(client, full_spec())
    live = live_state(client)
    KIND.update(ApplyContext(client, live), project(live, "ENG"), full_spec("CORE"))
    after = live_state(client)
    assert project(after, "CORE").id == new_id and Address("project", "ENG") not in after


def test_scheme_change_goes_through_the_assignment_endpoints(client: JiraClient) -> None:
    create(client, full_spec())
    made = client.post("/permissionscheme", {"name": "Strict"})
    client.post("/workflowscheme", {"name": "Flow", "defaultWorkflow": "jira"})
    live = live_state(client)
    spec = {
        **full_spec(),
        "schemes": {**DEFAULT_SCHEMES, "permission": "Strict", "workflow": "Flow"},
    }
    KIND.update(ApplyContext(client, live), project(live, "ENG"), spec)
    assert project(live_state(client), "ENG").spec["schemes"] == spec["schemes"]
    assert client.get("/project/ENG/permissionscheme")["id"] == made["id"]


def test_type_change_is_refused_before_any_call(client: JiraClient) -> None:
    create(client, full_spec())
    live = live_state(client)
    with pytest.raises(PlanError, match="can't change a project's type"):
        KIND.update(
            ApplyContext(client, live),
            project(live, "ENG"),
            {**full_spec(), "type": "business", "name": "Renamed"},
        )
    assert project(live_state(client), "ENG").spec["name"] == "Engineering"


def test_unknown_user_or_role_is_an_unresolved_reference(client: JiraClient) -> None:
    with pytest.raises(UnresolvedReferenceError, match=r"nobody@example\.com"):
        create(client, {**full_spec(), "lead": "nobody@example.com"})
    with pytest.raises(UnresolvedReferenceError, match="Testers"):
        create(client, {**full_spec("QA"), "name": "QA", "roles": {"Testers": {"groups": []}}})


def test_delete_runs_the_async_delete(client: JiraClient) -> None:
    create(client, full_spec())
    live = live_state(client)
    KIND.delete(ApplyContext(client, live), project(live, "ENG"))
    assert Address("project", "ENG") not in live_state(client)
    client.post(
        "/project",
        {
            "key": "ENG",
            "name": "Engineering",
            "projectTypeKey": "software",
            "leadAccountId": "557058:admin",
        },
    )  # purged: the key is free


def test_find_after_a_lost_response(client: JiraClient) -> None:
    new_id = create(client, full_spec())
    ctx = ApplyContext(client, Snapshot())
    assert KIND.find(ctx, full_spec()) == new_id
    assert KIND.find(ctx, full_spec("NOPE")) is None


def test_workflow_scheme_switches_with_mappings_once_the_project_has_issues(
    client: JiraClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    create(client, full_spec())
    client.post(
        "/issue",
        {"fields": {"project": {"key": "ENG"}, "issuetype": {"id": "10002"}, "summary": "Keep me"}},
    )
    client.post("/workflowscheme", {"name": "Flow", "defaultWorkflow": "jira"})
    sent: list[tuple[str, Any]] = []
    post = client.post

    def recording_post(path: str, json: Any = None, params: Any = None) -> Any:
        sent.append((path, json))
        return post(path, json, params)

    monkeypatch.setattr(client, "post", recording_post)
    live = live_state(client)
    settings = {
        "status_mappings": [
            {"project": "ENG", "issue_type": "Task", "from": "Done", "to": "To Do"},
            {"project": "OPS", "from": "x", "to": "y"},
        ]
    }
    spec = {**full_spec(), "schemes": {**full_spec()["schemes"], "workflow": "Flow"}}
    KIND.update(ApplyContext(client, live, settings), project(live, "ENG"), spec)
    assert project(live_state(client), "ENG").spec["schemes"]["workflow"] == "Flow"
    switch = [body for path, body in sent if path == "/workflowscheme/project/switch"]
    ids = {s["name"]: s["id"] for s in client.get("/statuses/search")["values"]}
    assert switch[0]["mappingsByIssueTypeOverride"] == [
        {
            "issueTypeId": "10002",
            "statusMappings": [{"oldStatusId": ids["Done"], "newStatusId": ids["To Do"]}],
        }
    ]
