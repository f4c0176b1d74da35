"""``GET /mypermissions`` over HTTP: computed from the permission schemes by the same rule that
refuses issue writes (creates, edits, transitions, comments, worklogs, attachments, links,
watchers, moves, deletes), so the answer and the refusal agree."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Api, SandboxServer, create_project
from tests.sandbox.test_issue_bulk import made
from tests.sandbox.test_issue_move import move, type_id

ADF = {"type": "doc", "version": 1, "content": []}


def mine(api: Api, keys: str, **context: str) -> dict[str, bool]:
    found = api.checked("GET", "/mypermissions", 200, params={"permissions": keys, **context})
    return {k: v["havePermission"] for k, v in found["permissions"].items()}


def revoke(api: Api, permission: str, scheme: str = "0") -> None:
    """Take every grant of ``permission`` out of the permission scheme."""
    grants = api.checked("GET", f"/permissionscheme/{scheme}/permission", 200)["permissions"]
    for grant in grants:
        if grant["permission"] == permission:
            api.checked("DELETE", f"/permissionscheme/{scheme}/permission/{grant['id']}", 204)


def test_the_permissions_parameter_is_required_and_keys_must_exist(api: Api) -> None:
    body = api.error("GET", "/mypermissions", 400)
    assert body["errorMessages"] == ["The 'permissions' query parameter is required."]
    assert (
        "NOPE"
        in api.error("GET", "/mypermissions", 400, params={"permissions": "NOPE"})["errorMessages"][
            0
        ]
    )
    params = {"permissions": "BROWSE_PROJECTS", "projectKey": "NOPE"}
    api.error("GET", "/mypermissions", 404, params=params)
    params = {"permissions": "BROWSE_PROJECTS", "issueKey": "NOPE-1"}
    api.error("GET", "/mypermissions", 404, params=params)


def test_the_answer_follows_the_permission_scheme_and_the_move_agrees(api: Api) -> None:
    create_project(api, "ENG")
    early, later = (i["key"] for i in made(api, 2))
    keys = "MOVE_ISSUES,CREATE_ISSUES,BULK_CHANGE"
    expected = {"MOVE_ISSUES": True, "CREATE_ISSUES": True, "BULK_CHANGE": True}
    assert mine(api, keys, projectKey="ENG") == expected
    found = api.checked("GET", "/mypermissions", 200, params={"permissions": "MOVE_ISSUES"})
    bean: dict[str, Any] = found["permissions"]["MOVE_ISSUES"]
    assert (bean["id"], bean["type"], bean["key"]) == ("25", "PROJECT", "MOVE_ISSUES")
    revoke(api, "MOVE_ISSUES")
    assert mine(api, keys, projectKey="ENG")["MOVE_ISSUES"] is False
    assert mine(api, keys, issueKey=early)["MOVE_ISSUES"] is False
    assert mine(api, "MOVE_ISSUES") == {"MOVE_ISSUES": False}  # in no project
    refused = move(api, f"ENG,{type_id(api, 'ENG', True)},{later}", [early], 400)
    assert refused == {
        "errors": [
            {
                "message": "You don't have permission to move issues in the project of "
                f"{early} (MOVE_ISSUES)."
            }
        ]
    }
    assert not api.checked("GET", f"/issue/{early}", 200)["fields"]["issuetype"]["subtask"]


def test_bulk_change_is_global_and_the_bulk_endpoints_agree(
    api: Api, sandbox: SandboxServer
) -> None:
    create_project(api, "ENG")
    (issue,) = (i["key"] for i in made(api, 1))
    sandbox.store.set_meta("bulk_change_denied", "1")
    assert mine(api, "BULK_CHANGE", projectKey="ENG") == {"BULK_CHANGE": False}
    assert mine(api, "BULK_CHANGE,MOVE_ISSUES") == {"BULK_CHANGE": False, "MOVE_ISSUES": True}
    answer = api.call("POST", "/bulk/issues/delete", json={"selectedIssueIdsOrKeys": [issue]})
    assert answer.status_code == 403 and "bulk changes" in answer.json()["errors"][0]["message"]


def test_grants_decided_by_issue_data_count_in_a_project_not_on_an_issue(api: Api) -> None:
    create_project(api, "ENG")
    (issue,) = (i["key"] for i in made(api, 1))
    revoke(api, "EDIT_ISSUES")
    grant = {"permission": "EDIT_ISSUES", "holder": {"type": "assignee"}}
    api.checked("POST", "/permissionscheme/0/permission", 201, json=grant)
    assert mine(api, "EDIT_ISSUES", projectKey="ENG") == {"EDIT_ISSUES": True}
    assert mine(api, "EDIT_ISSUES", issueKey=issue) == {"EDIT_ISSUES": False}  # unassigned


def test_creates_and_deletes_follow_the_scheme_as_the_answer_says(api: Api) -> None:
    create_project(api, "ENG")
    first, second = (i["key"] for i in made(api, 2))
    revoke(api, "DELETE_ISSUES")
    assert mine(api, "DELETE_ISSUES", issueKey=first) == {"DELETE_ISSUES": False}
    body = api.error("DELETE", f"/issue/{first}", 403)
    assert body["errorMessages"] == ["You do not have permission to delete issues in this project."]
    wanted = {"selectedIssueIdsOrKeys": [first, second]}
    task = api.checked("POST", "/bulk/issues/delete", 201, json=wanted)["taskId"]
    api.checked("GET", f"/bulk/queue/{task}", 200)  # RUNNING
    done = api.checked("GET", f"/bulk/queue/{task}", 200)
    assert done["processedAccessibleIssues"] == [] and len(done["failedAccessibleIssues"]) == 2
    api.checked("GET", f"/issue/{first}", 200)  # still there
    revoke(api, "CREATE_ISSUES")
    assert mine(api, "CREATE_ISSUES", projectKey="ENG") == {"CREATE_ISSUES": False}
    fields = {"project": {"key": "ENG"}, "issuetype": {"name": "Task"}, "summary": "x"}
    body = api.error("POST", "/issue", 400, json={"fields": fields})
    assert body["errors"] == {
        "project": "You do not have permission to create issues in this project."
    }


WRITES: list[tuple[str, str, str, dict[str, Any], int]] = [
    ("EDIT_ISSUES", "PUT", "/issue/{key}", {"json": {"fields": {"summary": "y"}}}, 400),
    ("ADD_COMMENTS", "POST", "/issue/{key}/comment", {"json": {"body": ADF}}, 400),
    ("WORK_ON_ISSUES", "POST", "/issue/{key}/worklog", {"json": {"timeSpentSeconds": 60}}, 400),
    (
        "CREATE_ATTACHMENTS",
        "POST",
        "/issue/{key}/attachments",
        {"files": {"file": ("a.txt", b"x")}, "headers": {"X-Atlassian-Token": "no-check"}},
        403,
    ),
    ("MANAGE_WATCHERS", "POST", "/issue/{key}/watchers", {"json": "557058:someone"}, 403),
]


@pytest.mark.parametrize(("key", "method", "path", "extra", "status"), WRITES)
def test_each_write_follows_its_permission_as_the_answer_says(
    api: Api, key: str, method: str, path: str, extra: dict[str, Any], status: int
) -> None:
    create_project(api, "ENG")
    (issue,) = (i["key"] for i in made(api, 1))
    revoke(api, key)
    assert mine(api, key, issueKey=issue) == {key: False}
    answer = api.call(method, path.format(key=issue), **extra)
    assert answer.status_code == status, answer.text
    assert answer.json()["errorMessages"][0].startswith("You do not have")


def test_links_and_transitions_follow_their_permissions(api: Api) -> None:
    create_project(api, "ENG")
    first, second = (i["key"] for i in made(api, 2))
    assert api.checked("GET", f"/issue/{first}/transitions", 200)["transitions"]
    revoke(api, "TRANSITION_ISSUES")
    assert api.checked("GET", f"/issue/{first}/transitions", 200)["transitions"] == []
    revoke(api, "LINK_ISSUES")
    link = {"type": {"name": "Blocks"}, "inwardIssue": {"key": first}}
    body = api.error("POST", "/issueLink", 404, json={**link, "outwardIssue": {"key": second}})
    assert body["errorMessages"] == [f"No Link Issue Permission for issue '{first}'."]
