from __future__ import annotations

from typing import Any

from jiracfg.sandbox.routes import workflowschemes
from jiracfg.sandbox.server import SandboxServer
from tests.conftest import Api, create_project

STATUSES = {
    "1": ("Open", "TODO"),
    "3": ("In Progress", "IN_PROGRESS"),
    "6": ("Closed", "DONE"),
    "10000": ("To Do", "TODO"),
    "10001": ("Done", "DONE"),
}
TASK, BUG = "10002", "10003"


def workflow_payload(name: str, statuses: list[str]) -> dict[str, Any]:
    """Create body of a workflow over seeded statuses: created in the first, a global transition
    to each."""
    transitions = [
        {
            "id": "1",
            "name": "Create",
            "type": "INITIAL",
            "links": [],
            "toStatusReference": statuses[0],
        }
    ]
    transitions += [
        {
            "id": str(11 + 10 * i),
            "name": f"To {STATUSES[s][0]}",
            "type": "GLOBAL",
            "toStatusReference": s,
            "links": [],
        }
        for i, s in enumerate(statuses)
    ]
    return {
        "scope": {"type": "GLOBAL"},
        "statuses": [
            {
                "id": s,
                "statusReference": s,
                "name": STATUSES[s][0],
                "statusCategory": STATUSES[s][1],
            }
            for s in statuses
        ],
        "workflows": [
            {
                "name": name,
                "transitions": transitions,
                "statuses": [{"statusReference": s, "properties": {}} for s in statuses],
            }
        ],
    }


def make_workflow(api: Api, name: str, statuses: list[str]) -> str:
    made = api.checked("POST", "/workflows/create", 200, json=workflow_payload(name, statuses))
    return str(made["workflows"][0]["id"])


def create_scheme(
    api: Api, name: str, default: str = "jira", mappings: dict[str, str] | None = None
) -> str:
    body = {"name": name, "defaultWorkflow": default, "issueTypeMappings": mappings or {}}
    made = api.checked("POST", "/workflowscheme", 201, json=body)
    return str(made["id"])


def create_issue(api: Api, project_id: str, type_id: str = TASK) -> str:
    fields = {"project": {"id": project_id}, "issuetype": {"id": type_id}, "summary": "Work"}
    return str(api.checked("POST", "/issue", 201, json={"fields": fields})["key"])


def status_of(api: Api, key: str) -> str:
    issue = api.call("GET", f"/issue/{key}", params={"fields": "status"}).json()
    return str(issue["fields"]["status"]["id"])


def finish(api: Api, response_body: dict[str, Any]) -> dict[str, Any]:
    """Poll an async task until it ends; return its last bean."""
    path = f"/task/{response_body['id']}"
    task: dict[str, Any] = api.checked("GET", path, 200)
    while task["status"] == "RUNNING":
        task = api.checked("GET", path, 200)
    return task


def active_scheme_with_issue(api: Api) -> tuple[str, str, str]:
    """A scheme using "Flow" (To Do, Done) for tasks, a project on it, a task in To Do."""
    make_workflow(api, "Flow", ["10000", "10001"])
    scheme = create_scheme(api, "Eng", mappings={TASK: "Flow"})
    project = create_project(api, "ENG", workflowScheme=scheme)
    return scheme, project, create_issue(api, project)


# -- reads and plain writes --------------------------------------------------------------------
def test_new_site_lists_no_scheme_and_projects_use_the_default(api: Api) -> None:
    page = api.checked("GET", "/workflowscheme", 200)
    assert (page["total"], page["values"]) == (0, [])
    project = create_project(api, "NEW")
    found = api.checked("GET", "/workflowscheme/project", 200, params={"projectId": project})
    [entry] = found["values"]
    assert entry["projectIds"] == [project]
    assert entry["workflowScheme"]["name"] == "Default Workflow Scheme"
    assert "id" not in entry["workflowScheme"]
    assert entry["workflowScheme"]["defaultWorkflow"] == "jira"


def test_create_get_list_and_update_an_inactive_scheme(api: Api) -> None:
    make_workflow(api, "Flow", ["10000", "10001"])
    scheme = create_scheme(api, "Eng", mappings={BUG: "flow"})
    got = api.checked("GET", f"/workflowscheme/{scheme}", 200)
    assert (got["name"], got["defaultWorkflow"], got["draft"]) == ("Eng", "jira", False)
    assert got["issueTypeMappings"] == {BUG: "Flow"}  # Jira's spelling of the name
    changed = api.checked(
        "PUT",
        f"/workflowscheme/{scheme}",
        200,
        json={
            "name": "Engineering",
            "description": "eng",
            "defaultWorkflow": "Flow",
            "issueTypeMappings": {TASK: "jira"},
        },
    )
    assert (changed["name"], changed["description"]) == ("Engineering", "eng")
    assert (changed["defaultWorkflow"], changed["issueTypeMappings"]) == ("Flow", {TASK: "jira"})
    page = api.checked("GET", "/workflowscheme", 200, params={"maxResults": 1})
    assert [s["name"] for s in page["values"]] == ["Engineering"] and page["isLast"]


def test_create_validates_name_workflows_and_issue_types(api: Api) -> None:
    create_scheme(api, "Eng")
    body = api.error("POST", "/workflowscheme", 400, json={"name": "ENG"})
    assert body["errors"]["name"] == "A workflow scheme with the name 'ENG' already exists."
    api.error("POST", "/workflowscheme", 400, json={"name": "default workflow scheme"})
    api.error("POST", "/workflowscheme", 400, json={"description": "no name"})
    api.error("POST", "/workflowscheme", 400, json={"name": "x" * 256})
    body = api.error("POST", "/workflowscheme", 400, json={"name": "A", "defaultWorkflow": "Nope"})
    assert body["errorMessages"] == ["The workflow 'Nope' was not found."]
    api.error(
        "POST", "/workflowscheme", 400, json={"name": "B", "issueTypeMappings": {"424242": "jira"}}
    )
    api.error("GET", "/workflowscheme/424242", 404)
    api.error("GET", "/workflowscheme/abc", 404)


def test_default_issue_type_and_workflow_sub_resources(api: Api) -> None:
    make_workflow(api, "Flow", ["10000", "10001"])
    scheme = create_scheme(api, "Eng")
    path = f"/workflowscheme/{scheme}"
    api.checked("PUT", f"{path}/default", 200, json={"workflow": "Flow"})
    assert api.checked("GET", f"{path}/default", 200) == {"workflow": "Flow"}
    api.checked("DELETE", f"{path}/default", 200)
    api.checked("PUT", f"{path}/issuetype/{BUG}", 200, json={"workflow": "Flow"})
    assert api.checked("GET", f"{path}/issuetype/{BUG}", 200)["workflow"] == "Flow"
    assert api.checked("GET", f"{path}/issuetype/{TASK}", 200)["workflow"] == "jira"
    api.error("GET", f"{path}/issuetype/424242", 404)
    one = api.checked("GET", f"{path}/workflow", 200, params={"workflowName": "Flow"})
    assert (one["issueTypes"], one["defaultMapping"]) == ([BUG], False)
    api.checked(
        "PUT",
        f"{path}/workflow",
        200,
        params={"workflowName": "Flow"},
        json={"issueTypes": [TASK], "defaultMapping": True},
    )
    every = api.checked("GET", f"{path}/workflow", 200)
    assert every == [{"workflow": "Flow", "issueTypes": [TASK], "defaultMapping": True}]
    api.error("GET", f"{path}/workflow", 404, params={"workflowName": "jira"})
    api.checked("DELETE", f"{path}/workflow", 200, params={"workflowName": "Flow"})
    after = api.checked("GET", path, 200)
    assert (after["defaultWorkflow"], after["issueTypeMappings"]) == ("jira", {})
    api.checked("DELETE", f"{path}/issuetype/{BUG}", 200)
    api.error("PUT", f"{path}/workflow", 404, json={"issueTypes": []})


def test_delete_inactive_scheme_but_not_an_active_one(api: Api) -> None:
    spare = create_scheme(api, "Spare")
    api.checked("DELETE", f"/workflowscheme/{spare}", 204)
    api.error("GET", f"/workflowscheme/{spare}", 404)
    used = create_scheme(api, "Used")
    create_project(api, "USE", workflowScheme=used)
    body = api.error("DELETE", f"/workflowscheme/{used}", 400)
    assert body["errorMessages"] == ["Cannot delete an active workflow scheme."]


# -- active schemes and drafts -----------------------------------------------------------------
def test_active_scheme_is_edited_through_its_draft(api: Api) -> None:
    scheme, _, _ = active_scheme_with_issue(api)
    path = f"/workflowscheme/{scheme}"
    body = api.error("PUT", path, 400, json={"defaultWorkflow": "Flow"})
    assert "updateDraftIfNeeded" in body["errorMessages"][0]
    api.error("PUT", f"{path}/issuetype/{BUG}", 400, json={"workflow": "Flow"})
    api.error("DELETE", f"{path}/default", 400)
    draft = api.checked(
        "PUT", path, 200, json={"defaultWorkflow": "Flow", "updateDraftIfNeeded": True}
    )
    assert (draft["draft"], draft["defaultWorkflow"]) == (True, "Flow")
    assert draft["originalDefaultWorkflow"] == "jira"
    assert api.checked("GET", path, 200)["defaultWorkflow"] == "jira"
    shown = api.checked("GET", path, 200, params={"returnDraftIfExists": "true"})
    assert (shown["draft"], shown["defaultWorkflow"]) == (True, "Flow")
    assert api.checked("GET", f"{path}/default", 200, params={"returnDraftIfExists": "true"}) == {
        "workflow": "Flow"
    }


def test_draft_lifecycle_and_sub_resources(api: Api) -> None:
    scheme, _, _ = active_scheme_with_issue(api)
    idle = create_scheme(api, "Idle")
    path = f"/workflowscheme/{scheme}"
    api.error("POST", f"/workflowscheme/{idle}/createdraft", 400)
    api.error("GET", f"{path}/draft", 404)
    made = api.checked("POST", f"{path}/createdraft", 201)
    assert made["issueTypeMappings"] == {TASK: "Flow"}
    read = api.checked("GET", f"{path}/draft", 200)
    assert (read["draft"], read["issueTypeMappings"]) == (True, {TASK: "Flow"})
    api.error("POST", f"{path}/createdraft", 400)
    api.checked("PUT", f"{path}/draft/default", 200, json={"workflow": "Flow"})
    assert api.checked("GET", f"{path}/draft/default", 200) == {"workflow": "Flow"}
    api.checked("PUT", f"{path}/draft/issuetype/{BUG}", 200, json={"workflow": "jira"})
    assert api.checked("GET", f"{path}/draft/issuetype/{BUG}", 200)["workflow"] == "jira"
    api.checked("DELETE", f"{path}/draft/issuetype/{BUG}", 200)
    api.checked(
        "PUT",
        f"{path}/draft/workflow",
        200,
        params={"workflowName": "jira"},
        json={"issueTypes": [BUG]},
    )
    assert api.checked("GET", f"{path}/draft/workflow", 200, params={"workflowName": "jira"})[
        "issueTypes"
    ] == [BUG]
    api.checked("DELETE", f"{path}/draft/workflow", 200, params={"workflowName": "jira"})
    api.checked("DELETE", f"{path}/draft/default", 200)
    draft = api.checked("PUT", f"{path}/draft", 200, json={"description": "next"})
    assert (draft["description"], draft["defaultWorkflow"]) == ("next", "jira")
    api.checked("DELETE", f"{path}/draft", 204)
    api.error("DELETE", f"{path}/draft", 404)
    api.error("PUT", f"/workflowscheme/{idle}/draft", 400, json={"description": "x"})


def test_publish_needs_mappings_for_statuses_with_issues(api: Api) -> None:
    scheme, _, key = active_scheme_with_issue(api)
    path = f"/workflowscheme/{scheme}"
    api.checked("DELETE", f"{path}/issuetype/{TASK}", 200, params={"updateDraftIfNeeded": "true"})
    body = api.error("POST", f"{path}/draft/publish", 400, json={})
    assert body["errorMessages"] == [
        f"Issue type with ID '{TASK}' is missing the mappings required for statuses with IDs 10000."
    ]
    wrong = [{"issueTypeId": TASK, "statusId": "10000", "newStatusId": "10001"}]
    api.error("POST", f"{path}/draft/publish", 400, json={"statusMappings": wrong})
    mapping = [{"issueTypeId": TASK, "statusId": "10000", "newStatusId": "3"}]
    api.checked(
        "POST",
        f"{path}/draft/publish",
        204,
        params={"validateOnly": "true"},
        json={"statusMappings": mapping},
    )
    assert status_of(api, key) == "10000"
    task = api.checked("POST", f"{path}/draft/publish", 303, json={"statusMappings": mapping})
    assert finish(api, task)["status"] == "COMPLETE"
    assert status_of(api, key) == "3"
    assert api.checked("GET", path, 200)["issueTypeMappings"] == {}
    api.error("GET", f"{path}/draft", 404)


# -- the newer API -----------------------------------------------------------------------------
def test_read_by_scheme_and_project_ids(api: Api) -> None:
    flow = make_workflow(api, "Flow", ["10000", "10001"])
    scheme = create_scheme(api, "Eng", "Flow", mappings={BUG: "Flow"})
    project = create_project(api, "ENG", workflowScheme=scheme)
    on_default = create_project(api, "DEF")
    read = api.checked(
        "POST", "/workflowscheme/read", 200, json={"projectIds": [project, on_default]}
    )
    [one] = read
    assert (one["id"], one["name"], one["scope"]) == (scheme, "Eng", {"type": "GLOBAL"})
    assert one["defaultWorkflow"]["id"] == flow
    assert one["workflowsForIssueTypes"][0]["issueTypeIds"] == [BUG]
    assert (
        api.checked(
            "POST", "/workflowscheme/read", 200, json={"workflowSchemeIds": [scheme, "424242"]}
        )
        == read
    )


def update_body(api: Api, scheme: str, **changes: Any) -> dict[str, Any]:
    [current] = api.checked(
        "POST", "/workflowscheme/read", 200, json={"workflowSchemeIds": [scheme]}
    )
    return {
        "id": scheme,
        "name": current["name"],
        "description": "",
        "version": current["version"],
        "defaultWorkflowId": current["defaultWorkflow"]["id"],
        **changes,
    }


def test_update_of_an_inactive_scheme_is_immediate_and_versioned(api: Api) -> None:
    flow = make_workflow(api, "Flow", ["10000", "10001"])
    scheme = create_scheme(api, "Eng")
    body = update_body(
        api,
        scheme,
        name="Engineering",
        defaultWorkflowId=flow,
        workflowsForIssueTypes=[{"workflowId": flow, "issueTypeIds": [BUG]}],
    )
    assert api.checked("POST", "/workflowscheme/update", 200, json=body) == {}
    got = api.checked("GET", f"/workflowscheme/{scheme}", 200)
    assert (got["name"], got["defaultWorkflow"], got["issueTypeMappings"]) == (
        "Engineering",
        "Flow",
        {BUG: "Flow"},
    )
    stale = api.error("POST", "/workflowscheme/update", 409, json=body)
    assert "version" in stale["errorMessages"][0]
    api.error("POST", "/workflowscheme/update", 400, json={"id": scheme, "name": "x"})


def test_update_of_an_active_scheme_migrates_issues_as_a_task(api: Api) -> None:
    scheme, _, key = active_scheme_with_issue(api)
    jira = api.checked("POST", "/workflows", 200, json={"workflowNames": ["jira"]})
    jira_id = jira["workflows"][0]["id"]
    body = update_body(api, scheme, workflowsForIssueTypes=[])
    required = api.checked(
        "POST",
        "/workflowscheme/update/mappings",
        200,
        json={"id": scheme, "workflowsForIssueTypes": [], "defaultWorkflowId": jira_id},
    )
    assert {"issueTypeId": TASK, "statusIds": ["10000", "10001"]} in required[
        "statusMappingsByIssueTypes"
    ]
    assert {s["id"] for s in required["statuses"]} >= {"1", "10000", "10001"}
    missing = api.error("POST", "/workflowscheme/update", 400, json=body)
    assert "10000" in missing["errorMessages"][0]
    override = [
        {"issueTypeId": TASK, "statusMappings": [{"oldStatusId": "10000", "newStatusId": "1"}]}
    ]
    task = api.checked(
        "POST",
        "/workflowscheme/update",
        303,
        json={**body, "statusMappingsByIssueTypeOverride": override},
    )
    assert finish(api, task)["status"] == "COMPLETE"
    assert status_of(api, key) == "1"
    assert api.checked("GET", f"/workflowscheme/{scheme}", 200)["issueTypeMappings"] == {}


def test_update_takes_mappings_by_workflow(api: Api) -> None:
    scheme, _, key = active_scheme_with_issue(api)
    flow = api.checked("POST", "/workflowscheme/read", 200, json={"workflowSchemeIds": [scheme]})
    flow_id = flow[0]["workflowsForIssueTypes"][0]["workflow"]["id"]
    jira_id = flow[0]["defaultWorkflow"]["id"]
    by_workflow = [
        {
            "oldWorkflowId": flow_id,
            "newWorkflowId": jira_id,
            "statusMappings": [{"oldStatusId": "10000", "newStatusId": "6"}],
        }
    ]
    task = api.checked(
        "POST",
        "/workflowscheme/update",
        303,
        json=update_body(
            api, scheme, workflowsForIssueTypes=[], statusMappingsByWorkflows=by_workflow
        ),
    )
    assert finish(api, task)["status"] == "COMPLETE"
    assert status_of(api, key) == "6"


# -- projects ----------------------------------------------------------------------------------
def test_assign_only_to_projects_without_issues(api: Api) -> None:
    scheme = create_scheme(api, "Eng")
    empty = create_project(api, "EMP")
    api.checked(
        "PUT", "/workflowscheme/project", 204, json={"projectId": empty, "workflowSchemeId": scheme}
    )
    found = api.checked("GET", "/workflowscheme/project", 200, params={"projectId": empty})
    assert found["values"][0]["workflowScheme"]["id"] == int(scheme)
    api.error(
        "PUT",
        "/workflowscheme/project",
        404,
        json={"projectId": empty, "workflowSchemeId": "424242"},
    )
    api.error(
        "PUT",
        "/workflowscheme/project",
        404,
        json={"projectId": "424242", "workflowSchemeId": scheme},
    )
    create_issue(api, empty)
    body = api.error("PUT", "/workflowscheme/project", 400, json={"projectId": empty})
    assert "has issues" in body["errorMessages"][0]
    api.error("GET", "/workflowscheme/project", 400)


def test_switch_moves_issues_with_mappings(api: Api) -> None:
    _, project, key = active_scheme_with_issue(api)
    other = create_scheme(api, "Classic")
    switch = {"projectId": project, "targetSchemeId": other}
    body = api.error("POST", "/workflowscheme/project/switch", 400, json=switch)
    assert "missing the mappings" in body["errorMessages"][0]
    api.error(
        "POST", "/workflowscheme/project/switch", 400, json={**switch, "targetSchemeId": "424242"}
    )
    mappings = [
        {"issueTypeId": TASK, "statusMappings": [{"oldStatusId": "10000", "newStatusId": "3"}]}
    ]
    task = api.checked(
        "POST",
        "/workflowscheme/project/switch",
        303,
        json={**switch, "mappingsByIssueTypeOverride": mappings},
    )
    assert finish(api, task)["status"] == "COMPLETE"
    assert status_of(api, key) == "3"
    found = api.checked("GET", "/workflowscheme/project", 200, params={"projectId": project})
    assert found["values"][0]["workflowScheme"]["name"] == "Classic"


def test_project_usages_page_with_a_cursor(api: Api) -> None:
    scheme = create_scheme(api, "Eng")
    projects = [create_project(api, key, workflowScheme=scheme) for key in ("AAA", "BBB", "CCC")]
    path = f"/workflowscheme/{scheme}/projectUsages"
    first = api.checked("GET", path, 200, params={"maxResults": 2})
    rest = api.checked(
        "GET", path, 200, params={"nextPageToken": first["projects"]["nextPageToken"]}
    )
    ids = [p["id"] for p in first["projects"]["values"] + rest["projects"]["values"]]
    assert ids == projects and "nextPageToken" not in rest["projects"]
    api.error("GET", path, 400, params={"nextPageToken": "!!"})
    api.error("GET", "/workflowscheme/424242/projectUsages", 404)


# -- what other areas call ---------------------------------------------------------------------
def test_contract_functions(api: Api, sandbox: SandboxServer) -> None:
    make_workflow(api, "Flow", ["10000", "10001"])
    scheme = create_scheme(api, "Eng", mappings={BUG: "Flow"})
    project = create_project(api, "ENG", workflowScheme=scheme)
    db = sandbox.store
    assert workflowschemes.workflow_name_for(db, project, BUG) == "Flow"
    assert workflowschemes.workflow_name_for(db, project, TASK) == "jira"
    assert workflowschemes.workflow_in_use(db, "Flow")
    workflowschemes.forget_issue_type(db, BUG)
    assert not workflowschemes.workflow_in_use(db, "Flow")
    workflowschemes.assign_workflow_scheme(db, project, None)
    assert workflowschemes.workflow_scheme_of_project(db, project)["name"] == (
        "Default Workflow Scheme"
    )
    workflowschemes.assign_workflow_scheme(db, project, scheme)
    workflowschemes.forget_project(db, project)
    assert "id" not in workflowschemes.workflow_scheme_of_project(db, project)
