from __future__ import annotations

import json
from typing import Any

import pytest

from jiracfg.sandbox.routes import workflows
from jiracfg.sandbox.server import SandboxServer
from tests.conftest import Api


def status(ref: str, name: str, category: str = "TODO", **extra: Any) -> dict[str, Any]:
    return {"statusReference": ref, "name": name, "statusCategory": category, **extra}


def transition(
    tid: str, name: str, to: str, kind: str = "DIRECTED", *sources: str, **extra: Any
) -> dict[str, Any]:
    links = [{"fromStatusReference": s, "fromPort": 0, "toPort": 1} for s in sources]
    return {"id": tid, "name": name, "type": kind, "toStatusReference": to, "links": links, **extra}


REQUIRED = {
    "ruleKey": "system:validate-field-value",
    "parameters": {"ruleType": "fieldRequired", "fieldsRequired": "assignee"},
}
SCREEN = {"ruleKey": "system:transition-screen", "parameters": {"screenId": "3"}}


def flow(name: str = "Review flow") -> dict[str, Any]:
    """A create payload: reuses To Do (10000) and Done (10001), adds In Review."""
    refs = ("todo", "rev", "done")
    return {
        "scope": {"type": "GLOBAL"},
        "statuses": [
            status("todo", "To Do", id="10000"),
            status("rev", "In Review", "IN_PROGRESS"),
            status("done", "Done", "DONE", id="10001"),
        ],
        "workflows": [
            {
                "name": name,
                "description": "Code review",
                "statuses": [{"statusReference": r, "properties": {}} for r in refs],
                "transitions": [
                    transition("1", "Create", "todo", "INITIAL"),
                    transition(
                        "11",
                        "Review",
                        "rev",
                        "DIRECTED",
                        "todo",
                        transitionScreen=json_copy(SCREEN),
                    ),
                    transition("21", "Done", "done", "GLOBAL", validators=[json_copy(REQUIRED)]),
                ],
            }
        ],
    }


def json_copy(value: dict[str, Any]) -> dict[str, Any]:
    copied: dict[str, Any] = json.loads(json.dumps(value))
    return copied


def create(api: Api, payload: dict[str, Any] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = api.checked("POST", "/workflows/create", 200, json=payload or flow())
    return body


def read(api: Api, name: str) -> dict[str, Any]:
    body = api.checked("POST", "/workflows", 200, json={"workflowNames": [name]})
    found: dict[str, Any] = body["workflows"][0]
    return found


def update_payload(
    workflow: dict[str, Any], status_updates: list[dict[str, Any]], **changes: Any
) -> dict[str, Any]:
    """Resend a read workflow (statuses by id) with ``changes``."""
    item = {k: workflow[k] for k in ("id", "version", "statuses", "transitions", "description")}
    return {"statuses": status_updates, "workflows": [{**item, **changes}]}


def errors(api: Api, payload: dict[str, Any]) -> list[str]:
    body = api.checked("POST", "/workflows/create/validation", 200, json={"payload": payload})
    return [e["code"] for e in body["errors"]]


# -- reads -------------------------------------------------------------------------------------
def test_new_site_has_the_read_only_jira_workflow(api: Api) -> None:
    page = api.checked("GET", "/workflows/search", 200)
    assert [w["name"] for w in page["values"]] == ["jira"]
    jira = page["values"][0]
    assert not jira["isEditable"] and "transitions" not in jira
    assert [s["statusReference"] for s in jira["statuses"]] == ["1", "3", "5", "4", "6"]
    assert {s["name"] for s in page["statuses"]} == {
        "Open",
        "In Progress",
        "Resolved",
        "Reopened",
        "Closed",
    }
    expanded = api.checked("GET", "/workflows/search", 200, params={"expand": "values.transitions"})
    names = [t["name"] for t in expanded["values"][0]["transitions"]]
    assert names[:3] == ["Create", "Start Progress", "Resolve Issue"]


def test_search_filters_orders_and_pages(api: Api) -> None:
    create(api, flow("Alpha"))
    ordered = api.checked("GET", "/workflows/search", 200, params={"orderBy": "-name"})
    assert [w["name"] for w in ordered["values"]] == ["jira", "Alpha"]
    found = api.checked("GET", "/workflows/search", 200, params={"queryString": "ALP"})
    assert [w["name"] for w in found["values"]] == ["Alpha"]
    assert {s["name"] for s in found["statuses"]} == {"To Do", "In Review", "Done"}
    first = api.checked("GET", "/workflows/search", 200, params={"maxResults": 1})
    assert (first["total"], first["isLast"]) == (2, False)
    inactive = api.checked("GET", "/workflows/search", 200, params={"isActive": "false"})
    assert len(inactive["values"]) == 2
    api.error("GET", "/workflows/search", 400, params={"orderBy": "size"})


def test_bulk_read_by_ids_and_names(api: Api) -> None:
    made = create(api)["workflows"][0]
    body = api.checked(
        "POST",
        "/workflows",
        200,
        json={"workflowIds": [made["id"]], "workflowNames": ["JIRA", "nope"]},
    )
    assert [w["name"] for w in body["workflows"]] == ["Review flow", "jira"]
    assert {"In Review", "Closed"} <= {s["name"] for s in body["statuses"]}


def test_classic_search(api: Api) -> None:
    page = api.checked("GET", "/workflow/search", 200)
    assert page["values"][0]["id"]["name"] == "jira" and page["values"][0]["isDefault"]


# -- create ------------------------------------------------------------------------------------
def test_create_reuses_and_creates_statuses(api: Api) -> None:
    body = create(api)
    workflow = body["workflows"][0]
    review = next(s for s in body["statuses"] if s["name"] == "In Review")
    assert review["id"] == review["statusReference"] and int(review["id"]) >= 10002
    assert [s["statusReference"] for s in workflow["statuses"]] == ["10000", review["id"], "10001"]
    assert workflow["version"]["versionNumber"] == 0 and workflow["isEditable"]
    moves = {t["name"]: t for t in workflow["transitions"]}
    assert moves["Review"]["links"][0]["fromStatusReference"] == "10000"
    assert moves["Review"]["transitionScreen"]["parameters"] == {"screenId": "3"}
    assert moves["Done"]["validators"][0]["ruleKey"] == "system:validate-field-value"


def test_created_workflow_serves_other_areas(api: Api, sandbox: SandboxServer) -> None:
    create(api)
    db = sandbox.store
    review = workflows.workflow_status_ids(db, "review flow")[1]
    assert workflows.initial_status_id(db, "Review flow") == "10000"
    assert [t["name"] for t in workflows.transitions_from(db, "Review flow", "10000")] == [
        "Review",
        "Done",
    ]
    assert workflows.status_in_use(db, review) and workflows.screen_in_use_by_workflow(db, "3")
    assert not workflows.screen_in_use_by_workflow(db, "1")
    api.error("DELETE", "/statuses", 400, params={"id": review})


def test_transition_ids_are_given_like_jira(api: Api) -> None:
    payload = flow()
    for t in payload["workflows"][0]["transitions"]:
        del t["id"]
    moves = create(api, payload)["workflows"][0]["transitions"]
    assert [t["id"] for t in moves] == ["1", "11", "21"]


def test_given_transition_ids_are_kept_on_create_and_update(api: Api) -> None:
    payload = flow()
    for t, tid in zip(payload["workflows"][0]["transitions"], ["7", "41", "31"], strict=True):
        t["id"] = tid
    made = create(api, payload)["workflows"][0]
    assert [t["id"] for t in made["transitions"]] == ["7", "41", "31"]
    moves = [*reversed(made["transitions"])]
    moves.append({**moves[0], "id": None, "name": "Again"})
    body = update_payload(made, reused(made, api), transitions=moves)
    done = api.checked("POST", "/workflows/update", 200, json=body)
    ids = {t["name"]: t["id"] for t in done["workflows"][0]["transitions"]}
    assert ids == {"Create": "7", "Review": "41", "Done": "31", "Again": "1"}
    moves = [t for t in done["workflows"][0]["transitions"] if t["name"] != "Again"]
    moves.append({**moves[0], "id": None, "name": "Later"})  # new: never Again's old id
    body = update_payload(done["workflows"][0], reused(made, api), transitions=moves)
    done = api.checked("POST", "/workflows/update", 200, json=body)
    assert {t["name"]: t["id"] for t in done["workflows"][0]["transitions"]}["Later"] == "11"


def test_workflow_names_are_unique(api: Api) -> None:
    create(api)
    payload = flow("REVIEW FLOW")
    payload["statuses"][1]["id"] = read(api, "Review flow")["statuses"][1]["statusReference"]
    body = api.error("POST", "/workflows/create", 400, json=payload)
    assert body["errorMessages"] == ["A workflow with the name 'REVIEW FLOW' already exists."]
    assert "NON_UNIQUE_WORKFLOW_NAME" in errors(api, flow("jira"))
    assert "INVALID_WORKFLOW_NAME" in errors(api, flow(" padded"))


def test_a_new_status_needs_a_free_name(api: Api) -> None:
    payload = flow()
    payload["statuses"][1]["name"] = "closed"
    body = api.error("POST", "/workflows/create", 400, json=payload)
    assert body["errorMessages"] == ["You must use a unique status name."]
    assert api.checked("GET", "/workflows/search", 200)["total"] == 1


def broken(change: Any) -> dict[str, Any]:
    payload = flow()
    change(payload["workflows"][0])
    return payload


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (lambda w: w["transitions"].pop(0), "INITIAL_TRANSITION"),
        (lambda w: w["transitions"].pop(1), "NO_INBOUND_TRANSITION"),
        (
            lambda w: w["statuses"].append({"statusReference": "ghost", "properties": {}}),
            "INVALID_STATUS_REFERENCE",
        ),
        (
            lambda w: w["transitions"][1].update(toStatusReference="ghost"),
            "INVALID_TRANSITION_STATUS",
        ),
        (lambda w: w["transitions"][1].update(links=[]), "INVALID_TRANSITION_LINKS"),
        (lambda w: w["transitions"][1].update(name="done"), "NON_UNIQUE_TRANSITION_NAME"),
        (lambda w: w["transitions"][2].update(id="11"), "DUPLICATE_TRANSITION_ID"),
        (lambda w: w["transitions"][2].update(id="x1"), "INVALID_TRANSITION_ID"),
        (
            lambda w: w["transitions"][2]["validators"][0]["parameters"].update(ignoreContext=True),
            "INVALID_RULE",
        ),
        (
            lambda w: w["transitions"][1]["transitionScreen"]["parameters"].update(screenId="999"),
            "INVALID_TRANSITION_SCREEN",
        ),
    ],
)
def test_create_refuses_a_broken_workflow(api: Api, change: Any, code: str) -> None:
    payload = broken(change)
    assert code in errors(api, payload)
    body = api.error("POST", "/workflows/create", 400, json=payload)
    assert body["errorMessages"]
    assert api.checked("GET", "/workflows/search", 200)["total"] == 1


def test_validation_levels_and_a_clean_payload(api: Api) -> None:
    assert errors(api, flow()) == []
    body = api.checked(
        "POST",
        "/workflows/create/validation",
        200,
        json={
            "payload": broken(lambda w: w["transitions"].pop(0)),
            "validationOptions": {"levels": ["WARNING"]},
        },
    )
    assert body == {"errors": []}
    api.error("POST", "/workflows/create/validation", 400, json={})


# -- update ------------------------------------------------------------------------------------
def reused(workflow: dict[str, Any], api: Api) -> list[dict[str, Any]]:
    """The workflow's statuses as WorkflowStatusUpdate entries that reuse them by id."""
    ids = [s["statusReference"] for s in workflow["statuses"]]
    found = api.checked("GET", "/statuses", 200, params={"id": ids})
    return [status(s["id"], s["name"], s["statusCategory"], id=s["id"]) for s in found]


def test_update_bumps_the_version_and_refuses_a_stale_one(api: Api) -> None:
    workflow = create(api)["workflows"][0]
    renamed = [{**t, "name": "Ship"} if t["name"] == "Done" else t for t in workflow["transitions"]]
    body = api.checked(
        "POST",
        "/workflows/update",
        200,
        json=update_payload(
            workflow, reused(workflow, api), transitions=renamed, description="New"
        ),
    )
    after = body["workflows"][0]
    assert (
        after["version"]["versionNumber"] == 1
        and after["version"]["id"] != workflow["version"]["id"]
    )
    assert "Ship" in [t["name"] for t in after["transitions"]] and after["description"] == "New"
    stale = api.error(
        "POST", "/workflows/update", 409, json=update_payload(workflow, reused(workflow, api))
    )
    assert stale["errorMessages"] == ["Workflow version and version token must match"]


def test_update_can_add_a_new_status(api: Api) -> None:
    workflow = create(api)["workflows"][0]
    more = [*reused(workflow, api), status("qa", "QA", "IN_PROGRESS")]
    moves = [*workflow["transitions"], transition("31", "Test", "qa", "DIRECTED", "10001")]
    places = [*workflow["statuses"], {"statusReference": "qa", "properties": {}}]
    body = api.checked(
        "POST",
        "/workflows/update",
        200,
        json=update_payload(workflow, more, statuses=places, transitions=moves),
    )
    assert "QA" in {s["name"] for s in body["statuses"]}
    assert len(body["workflows"][0]["statuses"]) == 4


def test_update_needs_version_statuses_and_transitions(api: Api) -> None:
    workflow = create(api)["workflows"][0]
    body = api.error(
        "POST",
        "/workflows/update",
        400,
        json={
            "statuses": [],
            "workflows": [{"id": workflow["id"], "statuses": workflow["statuses"]}],
        },
    )
    assert body["errorMessages"] == ["Unable to parse request. [null] is missing."]
    api.error(
        "POST",
        "/workflows/update",
        400,
        json={"workflows": [{**update_payload(workflow, [])["workflows"][0], "id": "nope"}]},
    )


def test_the_system_workflow_is_read_only(api: Api) -> None:
    jira = read(api, "jira")
    body = api.error("POST", "/workflows/update", 400, json=update_payload(jira, reused(jira, api)))
    assert body["errorMessages"] == ["The workflow 'jira' is read-only."]
    deleted = api.error("DELETE", f"/workflow/{jira['id']}", 400)
    assert deleted["errorMessages"] == ["Cannot delete a system workflow."]


def pretend_used(monkeypatch: pytest.MonkeyPatch, name: str, issues: int) -> None:
    """Project 10000's Task issues (type 10002) follow ``name``; ``issues`` sit in each status."""
    monkeypatch.setattr(workflows, "usage_pairs", lambda db: [("10000", "10002", name)])
    monkeypatch.setattr(workflows, "count_issues", lambda db, **where: issues)


def test_removing_a_status_with_issues_needs_a_mapping(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    workflow = create(api)["workflows"][0]
    review = workflow["statuses"][1]["statusReference"]
    pretend_used(monkeypatch, "Review flow", 3)
    keep = [s for s in workflow["statuses"] if s["statusReference"] != review]
    moves = [t for t in workflow["transitions"] if t["toStatusReference"] != review]
    payload = update_payload(workflow, reused(workflow, api), statuses=keep, transitions=moves)
    body = api.error("POST", "/workflows/update", 400, json=payload)
    assert "which the workflow no longer has" in body["errorMessages"][0]
    check = api.checked("POST", "/workflows/update/validation", 200, json={"payload": payload})
    assert check["errors"][0]["elementReference"]["statusMappingReference"] == {
        "projectId": "10000",
        "issueTypeId": "10002",
    }
    payload["workflows"][0]["statusMappings"] = [
        {
            "projectId": "10000",
            "issueTypeId": "10002",
            "statusMigrations": [{"oldStatusReference": review, "newStatusReference": "10000"}],
        }
    ]
    done = api.checked("POST", "/workflows/update", 200, json=payload)
    assert done["taskId"] and api.checked("GET", f"/task/{done['taskId']}", 200)
    assert len(done["workflows"][0]["statuses"]) == 2


def test_removing_an_unused_status_needs_no_mapping(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    workflow = create(api)["workflows"][0]
    review = workflow["statuses"][1]["statusReference"]
    pretend_used(monkeypatch, "Review flow", 0)
    payload = update_payload(
        workflow,
        reused(workflow, api),
        statuses=[s for s in workflow["statuses"] if s["statusReference"] != review],
        transitions=[t for t in workflow["transitions"] if t["toStatusReference"] != review],
    )
    body = api.checked("POST", "/workflows/update", 200, json=payload)
    assert "taskId" not in body
    api.checked("DELETE", "/statuses", 204, params={"id": review})


# -- delete ------------------------------------------------------------------------------------
def test_delete_an_inactive_workflow(api: Api) -> None:
    workflow = create(api)["workflows"][0]
    api.checked("DELETE", f"/workflow/{workflow['id']}", 204)
    assert (
        api.checked("POST", "/workflows", 200, json={"workflowNames": ["Review flow"]})["workflows"]
        == []
    )
    body = api.error("DELETE", f"/workflow/{workflow['id']}", 404)
    assert body["errorMessages"] == ["The workflow was not found."]
    assert errors(api, flow()) == ["NON_UNIQUE_STATUS_NAME"]  # In Review stays; the name is free


def test_active_workflow_cannot_be_deleted(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    workflow = create(api)["workflows"][0]
    pretend_used(monkeypatch, "Review flow", 0)
    body = api.error("DELETE", f"/workflow/{workflow['id']}", 400)
    assert body["errorMessages"] == ["Cannot delete an active workflow."]
    active = api.checked("GET", "/workflows/search", 200, params={"isActive": "true"})
    assert [w["name"] for w in active["values"]] == ["Review flow"]


def test_workflow_of_a_scheme_cannot_be_deleted(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    workflow = create(api)["workflows"][0]
    monkeypatch.setattr(workflows, "in_any_scheme", lambda db, name: name == "Review flow")
    body = api.error("DELETE", f"/workflow/{workflow['id']}", 400)
    assert body["errorMessages"] == ["Cannot delete a workflow that is used by a workflow scheme."]
