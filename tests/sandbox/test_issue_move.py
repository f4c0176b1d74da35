"""The bulk move over HTTP: a standard issue becomes a sub-task of a later issue with its key,
queued on ``/bulk/queue`` as on Jira Cloud; what Jira refuses answers the bulk API's 400."""

from __future__ import annotations

from typing import Any

from tests.conftest import Api, create_project
from tests.sandbox.test_issue_bulk import made
from tests.sandbox.test_workflowschemes import create_scheme, make_workflow


def type_id(api: Api, project: str, subtask: bool) -> str:
    """A sub-task type, or a standard one (hierarchy level 0: not an epic)."""
    types = api.checked("GET", f"/issue/createmeta/{project}/issuetypes", 200)["issueTypes"]
    return str(next(t["id"] for t in types if t["hierarchyLevel"] == (-1 if subtask else 0)))


def move(api: Api, target: str, keys: list[str], status: int = 201) -> dict[str, Any]:
    body = {"targetToSourcesMapping": {target: {"issueIdsOrKeys": keys}}}
    answer = api.call("POST", "/bulk/issues/move", json=body)
    assert answer.status_code == status, answer.text
    found: dict[str, Any] = answer.json()
    return found


def fields(api: Api, key: str) -> dict[str, Any]:
    found: dict[str, Any] = api.checked(
        "GET", f"/issue/{key}", 200, params={"fields": "issuetype,parent"}
    )["fields"]
    return found


def test_a_standard_issue_becomes_a_sub_task_of_a_later_one_keeping_its_key(api: Api) -> None:
    create_project(api, "ENG")
    early, later = (i["key"] for i in made(api, 2))
    subtask = type_id(api, "ENG", subtask=True)
    task = move(api, f"ENG,{subtask},{later}", [early])["taskId"]
    assert api.checked("GET", f"/bulk/queue/{task}", 200)["status"] == "RUNNING"
    done = api.checked("GET", f"/bulk/queue/{task}", 200)
    assert done["status"] == "COMPLETE" and done["totalIssueCount"] == 1
    moved = fields(api, early)
    assert moved["issuetype"]["subtask"] and moved["parent"]["key"] == later
    standard = type_id(api, "ENG", subtask=False)
    move(api, f"ENG,{standard}", [early])  # and back: the parent goes
    back = fields(api, early)
    assert not back["issuetype"]["subtask"] and not back.get("parent")


def test_what_jira_refuses_answers_the_bulk_apis_400(api: Api) -> None:
    create_project(api, "ENG")
    create_project(api, "OPS")
    first, second = (i["key"] for i in made(api, 2))
    (other,) = (i["key"] for i in made(api, 1, "OPS"))
    subtask, standard = type_id(api, "ENG", True), type_id(api, "ENG", False)
    refusals = [
        (f"ENG,{subtask}", [first], "parent is required"),  # a sub-task needs its parent
        (f"ENG,{standard},{second}", [first], "parent is required"),  # a standard type takes none
        (f"ENG,{subtask},{other}", [first], "standard issue of the target project"),
        (f"ENG,{subtask},{first}", [first], "its own parent"),
        (f"ENG,{subtask},{second}", ["ENG-99"], "not valid"),
        (f"ENG,{standard}", [other], "within their project"),  # a move to another project
    ]
    for target, keys, message in refusals:
        found = move(api, target, keys, 400)
        assert message in found["errors"][0]["message"], (target, found)
    assert not fields(api, first)["issuetype"]["subtask"]  # nothing moved


def sub_flow_project(api: Api) -> str:
    """ENG, whose sub-tasks follow a workflow of To Do (initial) and Done only: a new Task's
    status is not in it. Returns the sub-task type's id."""
    project = create_project(api, "ENG")
    subtask = type_id(api, "ENG", subtask=True)
    make_workflow(api, "Sub flow", ["10000", "10001"])
    scheme = create_scheme(api, "Eng", mappings={subtask: "Sub flow"})
    body = {"projectId": project, "workflowSchemeId": scheme}
    api.checked("PUT", "/workflowscheme/project", 204, json=body)
    return subtask


def progress(api: Api, task: str) -> dict[str, Any]:
    api.checked("GET", f"/bulk/queue/{task}", 200)  # RUNNING
    done: dict[str, Any] = api.checked("GET", f"/bulk/queue/{task}", 200)
    return done


def test_an_issue_that_cannot_move_fails_alone_in_a_complete_task(api: Api) -> None:
    subtask = sub_flow_project(api)
    first, second, parent = made(api, 3)
    status = api.checked("GET", f"/issue/{first['key']}", 200)["fields"]["status"]
    assert status["id"] not in ("10000", "10001")
    body = {"issueIdsOrKeys": [first["key"], second["key"]], "inferStatusDefaults": False}
    task = api.checked(
        "POST",
        "/bulk/issues/move",
        201,
        json={"targetToSourcesMapping": {f"ENG,{subtask},{parent['key']}": body}},
    )["taskId"]
    done = progress(api, task)
    assert done["status"] == "COMPLETE" and done["processedAccessibleIssues"] == []
    assert sorted(done["failedAccessibleIssues"]) == sorted([first["id"], second["id"]])
    assert "status" in done["failedAccessibleIssues"][first["id"]][0]
    assert not fields(api, first["key"])["issuetype"]["subtask"]  # it stayed as it was
    body["inferStatusDefaults"] = True  # the target workflow's initial status
    mapping = {f"ENG,{subtask},{parent['key']}": body}
    task = api.checked("POST", "/bulk/issues/move", 201, json={"targetToSourcesMapping": mapping})
    assert "failedAccessibleIssues" not in progress(api, task["taskId"])
    moved = api.checked("GET", f"/issue/{first['key']}", 200)["fields"]
    assert moved["issuetype"]["subtask"] and moved["status"]["id"] == "10000"


def test_a_malformed_move_answers_the_bulk_apis_error_body(api: Api) -> None:
    found = api.call("POST", "/bulk/issues/move", json={"targetToSourcesMapping": "x"})
    assert found.status_code == 400
    assert set(found.json()) == {"errors"} and found.json()["errors"][0]["message"]
