"""The bulk delete over HTTP: an async task polled on ``/bulk/queue``, as on Jira Cloud."""

from __future__ import annotations

from typing import Any

from tests.conftest import Api, create_project


def made(api: Api, count: int, key: str = "ENG") -> list[dict[str, Any]]:
    body = {
        "issueUpdates": [
            {"fields": {"project": {"key": key}, "issuetype": {"name": "Task"}, "summary": "x"}}
            for _ in range(count)
        ]
    }
    return list(api.checked("POST", "/issue/bulk", 201, json=body)["issues"])


def test_bulk_delete_runs_as_a_task_and_never_reuses_numbers(api: Api) -> None:
    create_project(api, "ENG")
    issues = made(api, 4)
    doomed = [issues[0]["key"], issues[1]["id"], "ENG-999"]
    task = api.checked("POST", "/bulk/issues/delete", 201, json={"selectedIssueIdsOrKeys": doomed})[
        "taskId"
    ]
    first = api.checked("GET", f"/bulk/queue/{task}", 200)
    assert first["status"] == "RUNNING"  # a client must really poll
    done = api.checked("GET", f"/bulk/queue/{task}", 200)
    assert done["status"] == "COMPLETE" and done["progressPercent"] == 100
    assert done["processedAccessibleIssues"] == sorted(int(i["id"]) for i in issues[:2])
    assert done["invalidOrInaccessibleIssueCount"] == 1 and done["totalIssueCount"] == 3
    api.checked("GET", f"/issue/{issues[2]['key']}", 200)
    assert api.call("GET", f"/issue/{issues[0]['key']}").status_code == 404
    assert made(api, 1)[0]["key"] == "ENG-5"  # deleted numbers are not given again
    again = api.checked(
        "POST", "/bulk/issues/delete", 201, json={"selectedIssueIdsOrKeys": doomed[:2]}
    )["taskId"]  # a resend after a lost answer: nothing left to delete, no error
    api.checked("GET", f"/bulk/queue/{again}", 200)
    assert api.checked("GET", f"/bulk/queue/{again}", 200)["processedAccessibleIssues"] == []


def test_bulk_delete_refuses_an_empty_or_oversized_selection(api: Api) -> None:
    for selection in ([], [str(n) for n in range(10_001, 11_002)]):
        answer = api.call("POST", "/bulk/issues/delete", json={"selectedIssueIdsOrKeys": selection})
        assert answer.status_code == 400
        assert "between 1 and 1000" in answer.json()["errors"][0]["message"]


def test_an_unknown_task_answers_the_specs_400(api: Api) -> None:
    body = api.error("GET", "/bulk/queue/987654", 400)
    assert body["errorMessages"] == [
        "The task associated with this taskId is not a bulk operation task"
    ]
