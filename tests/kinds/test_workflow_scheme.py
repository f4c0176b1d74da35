from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema
import pytest

from jiracfg.client import JiraClient
from jiracfg.errors import JiraApiError
from jiracfg.kinds import ApplyContext, FetchContext
from jiracfg.kinds.issue_type import KIND as ISSUE_TYPE
from jiracfg.kinds.workflow_scheme import KIND
from jiracfg.model import Address, Resource, Snapshot
from jiracfg.repo.yamlio import plain, read
from jiracfg.sandbox.routes.core import ADMIN
from tests.sandbox.test_workflowschemes import workflow_payload

EXAMPLES = Path(__file__).parents[2] / "examples" / "config" / "workflow-schemes"


def make_workflow(client: JiraClient, name: str, statuses: list[str]) -> None:
    client.post("/workflows/create", workflow_payload(name, statuses))


@pytest.fixture
def flows(client: JiraClient) -> JiraClient:
    """The client, with workflows "Flow" (To Do, Done) and "Triage" (Open, In Progress)."""
    make_workflow(client, "Flow", ["10000", "10001"])
    make_workflow(client, "Triage", ["1", "3"])
    return client


def live_state(client: JiraClient) -> Snapshot:
    """Issue types and workflow schemes only (other kinds are tested on their own)."""
    ctx = FetchContext(client)
    for kind in (ISSUE_TYPE, KIND):
        for resource in kind.fetch(ctx):
            ctx.add(resource)
    return ctx.live


def scheme(snapshot: Snapshot, name: str) -> Resource:
    found = {r.address.key: r for r in snapshot.of_kind("workflow_scheme")}
    return found[name]


def create(client: JiraClient, spec: dict[str, Any]) -> str:
    return KIND.create(ApplyContext(client, live_state(client)), spec)


def project_with_issue(client: JiraClient, scheme_id: str) -> tuple[str, str]:
    """Project ENG on the scheme and a Task in its workflow's first status: (id, issue key)."""
    made = client.post(
        "/project",
        {
            "key": "ENG",
            "name": "Engineering",
            "projectTypeKey": "software",
            "leadAccountId": ADMIN["accountId"],
            "workflowScheme": scheme_id,
        },
    )
    fields = {"project": {"id": str(made["id"])}, "issuetype": {"name": "Task"}, "summary": "x"}
    return str(made["id"]), str(client.post("/issue", {"fields": fields})["key"])


def status_of(client: JiraClient, key: str) -> str:
    return str(client.get(f"/issue/{key}", {"fields": "status"})["fields"]["status"]["name"])


def with_project(live: Snapshot, project_id: str) -> Snapshot:
    """The live snapshot plus project ENG (the project kind is fetched separately)."""
    live.add(Resource(Address("project", "ENG"), {"key": "ENG"}, {"id": project_id}))
    return live


SPEC: dict[str, Any] = {
    "name": "Engineering ✓",
    "description": "eng",
    "default_workflow": "Flow",
    "issue_types": {"Bug": "Triage", "Task": "jira"},
}


def test_fetch_has_the_readonly_default_scheme_and_names_instead_of_ids(flows: JiraClient) -> None:
    flows.post(
        "/workflowscheme",
        {
            "name": "Eng",
            "defaultWorkflow": "Flow",
            "issueTypeMappings": {"10003": "Triage", "10001": "jira"},
        },
    )
    live = live_state(flows)
    default = scheme(live, "Default Workflow Scheme")
    assert default.readonly and default.id is None
    assert default.spec["default_workflow"] == "jira" and "issue_types" not in default.spec
    eng = scheme(live, "Eng")
    assert eng.spec == {
        "name": "Eng",
        "default_workflow": "Flow",
        "issue_types": {"Bug": "Triage", "Story": "jira"},
    }
    assert list(eng.spec["issue_types"]) == ["Bug", "Story"] and not eng.readonly
    assert "Default Workflow Scheme" in KIND.builtin_keys


def test_create_then_fetch_round_trips(flows: JiraClient) -> None:
    new_id = create(flows, SPEC)
    live = scheme(live_state(flows), SPEC["name"])
    assert (live.spec, live.id) == (SPEC, new_id)


def test_find_locates_a_scheme_by_name(flows: JiraClient) -> None:
    new_id = create(flows, SPEC)
    assert KIND.find(ApplyContext(flows, live_state(flows)), SPEC) == new_id
    assert KIND.find(ApplyContext(flows, live_state(flows)), {**SPEC, "name": "Other"}) is None


@pytest.mark.parametrize(
    "want",
    [
        {
            "name": "Renamed",
            "description": "eng",
            "default_workflow": "Flow",
            "issue_types": {"Bug": "Triage", "Task": "jira"},
        },
        {"name": SPEC["name"], "default_workflow": "jira", "issue_types": {"Story": "Flow"}},
        {"name": SPEC["name"], "description": "other", "default_workflow": "Triage"},
    ],
)
def test_update_of_an_unused_scheme_round_trips(flows: JiraClient, want: dict[str, Any]) -> None:
    create(flows, SPEC)
    live = live_state(flows)
    KIND.update(ApplyContext(flows, live), scheme(live, SPEC["name"]), want)
    assert scheme(live_state(flows), want["name"]).spec == want


def test_update_of_a_used_scheme_moves_issues_as_mapped(flows: JiraClient) -> None:
    scheme_id = create(flows, {"name": "Eng", "default_workflow": "Flow"})
    project_id, key = project_with_issue(flows, scheme_id)
    assert status_of(flows, key) == "To Do"
    live = with_project(live_state(flows), project_id)
    want = {"name": "Eng", "default_workflow": "Flow", "issue_types": {"Task": "Triage"}}
    settings = {
        "status_mappings": [
            {"project": "OTHER", "from": "To Do", "to": "Open"},
            {"project": "ENG", "issue_type": "Task", "from": "To Do", "to": "In Progress"},
        ]
    }
    KIND.update(ApplyContext(flows, live, settings), scheme(live, "Eng"), want)
    assert status_of(flows, key) == "In Progress"
    assert scheme(live_state(flows), "Eng").spec == want


def test_mapping_for_every_issue_type_applies_too(flows: JiraClient) -> None:
    scheme_id = create(flows, {"name": "Eng", "default_workflow": "Flow"})
    project_id, key = project_with_issue(flows, scheme_id)
    live = with_project(live_state(flows), project_id)
    settings = {"status_mappings": [{"project": "ENG", "from": "To Do", "to": "Open"}]}
    KIND.update(
        ApplyContext(flows, live, settings),
        scheme(live, "Eng"),
        {"name": "Eng", "default_workflow": "Triage"},
    )
    assert status_of(flows, key) == "Open"


def test_update_of_a_used_scheme_without_mapping_is_refused(flows: JiraClient) -> None:
    scheme_id = create(flows, {"name": "Eng", "default_workflow": "Flow"})
    project_id, key = project_with_issue(flows, scheme_id)
    live = with_project(live_state(flows), project_id)
    with pytest.raises(JiraApiError, match="missing the mappings"):
        KIND.update(
            ApplyContext(flows, live),
            scheme(live, "Eng"),
            {"name": "Eng", "default_workflow": "Triage"},
        )
    assert scheme(live_state(flows), "Eng").spec["default_workflow"] == "Flow"
    assert status_of(flows, key) == "To Do"


def test_delete_and_a_used_scheme_is_refused(flows: JiraClient) -> None:
    create(flows, {"name": "Temp", "default_workflow": "jira"})
    used_id = create(flows, {"name": "Used", "default_workflow": "Flow"})
    project_with_issue(flows, used_id)
    live = live_state(flows)
    KIND.delete(ApplyContext(flows, live), scheme(live, "Temp"))
    with pytest.raises(JiraApiError, match="active"):
        KIND.delete(ApplyContext(flows, live), scheme(live, "Used"))
    assert {r.address.key for r in live_state(flows).of_kind("workflow_scheme")} == {
        "Default Workflow Scheme",
        "Used",
    }


def test_refs_name_workflows_and_issue_types() -> None:
    assert set(KIND.refs(SPEC)) == {
        Address("workflow", "Flow"),
        Address("workflow", "Triage"),
        Address("workflow", "jira"),
        Address("issue_type", "Bug"),
        Address("issue_type", "Task"),
    }


def test_examples_validate_against_the_schema() -> None:
    paths = sorted(EXAMPLES.glob("*.yaml"))
    assert paths
    for path in paths:
        jsonschema.validate(plain(read(path, path.name)), KIND.schema())
    jsonschema.validate(SPEC, KIND.schema())
    for bad in ({"name": "x"}, {**SPEC, "issue_types": {"Bug": ""}}, {**SPEC, "extra": 1}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, KIND.schema())
