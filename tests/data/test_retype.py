"""Type changes over HTTP: the bulk move, whose task can complete yet fail for an issue."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from jiracfg.client import JiraClient
from jiracfg.data.blobs import open_store
from jiracfg.data.bulk import bulk_task
from jiracfg.data.catalog import Catalog
from jiracfg.data.fill import Filler, Summary
from jiracfg.data.retype import IssueTypes, retype, walk_from
from jiracfg.errors import TaskFailedError
from jiracfg.model import Address
from jiracfg.plan.model import Action, Change
from tests.conftest import Api, create_project
from tests.sandbox.test_issue_bulk import made
from tests.sandbox.test_issue_move import fields, sub_flow_project, type_id
from tests.sandbox.test_workflowschemes import create_scheme, workflow_payload


def test_a_move_that_fails_for_its_issue_raises_naming_it(api: Api, client: JiraClient) -> None:
    create_project(api, "ENG")
    parent, later = (i["key"] for i in made(api, 2))
    sub = {"project": {"key": "ENG"}, "issuetype": {"name": "Sub-task"}, "parent": {"key": parent}}
    api.checked("POST", "/issue", 201, json={"fields": {**sub, "summary": "s"}})
    spec = {"key": parent, "type": "Sub-task", "parent": later}
    with pytest.raises(TaskFailedError, match=f"{parent}.*sub-tasks"):
        retype(client, IssueTypes(client), parent, spec)  # it has a sub-task of its own
    assert not fields(api, parent)["issuetype"]["subtask"]


def test_bulk_task_names_the_failed_issues(api: Api, client: JiraClient) -> None:
    subtask = sub_flow_project(api)
    first, parent = made(api, 2)
    target = {"issueIdsOrKeys": [first["key"]], "inferStatusDefaults": False}
    body = {"targetToSourcesMapping": {f"ENG,{subtask},{parent['key']}": target}}
    with pytest.raises(TaskFailedError, match=f"issue {first['id']} failed: .*status"):
        bulk_task(client, "/bulk/issues/move", body)


def test_the_walk_goes_on_from_where_the_move_left_the_issue() -> None:
    path = [["Start", "In Progress"], ["Finish", "Done"]]
    assert walk_from("ENG-1", "To Do", "To Do", path) == path
    assert walk_from("ENG-1", "To Do", "In Progress", path) == path[1:]
    assert walk_from("ENG-1", "To Do", "Done", path) == []
    with pytest.raises(TaskFailedError, match=r"ENG-1.*'Open'.*plan again"):
        walk_from("ENG-1", "To Do", "Open", path)


def directed(tid: str, name: str, source: str, dest: str) -> dict[str, Any]:
    link = {"fromStatusReference": source, "fromPort": 0, "toPort": 1}
    return {"id": tid, "name": name, "type": "DIRECTED", "toStatusReference": dest, "links": [link]}


def test_after_a_retype_the_walk_goes_on_from_the_status_read_back(
    api: Api, client: JiraClient, tmp_path: Path
) -> None:
    """ENG's sub-tasks: To Do (initial) -Go-> the Task's status -Finish-> Done. A Task keeps its
    status in the move: the walk planned from To Do goes on from there (Go is not offered)."""
    project = create_project(api, "ENG")
    issue, later = made(api, 2)
    kept = api.checked("GET", f"/issue/{issue['key']}", 200)["fields"]["status"]["id"]
    flow = workflow_payload("Sub flow", ["10000", kept, "10001"])
    flow["workflows"][0]["transitions"][1:] = [
        directed("11", "Go", "10000", kept),
        directed("21", "Finish", kept, "10001"),
    ]
    api.checked("POST", "/workflows/create", 200, json=flow)
    api.checked("DELETE", f"/issue/{later['key']}", 204)  # the scheme goes to a project
    api.checked("DELETE", f"/issue/{issue['key']}", 204)  # without issues
    subtask = type_id(api, "ENG", subtask=True)
    scheme = create_scheme(api, "Eng", mappings={subtask: "Sub flow"})
    body = {"projectId": project, "workflowSchemeId": scheme}
    api.checked("PUT", "/workflowscheme/project", 204, json=body)
    issue, later = made(api, 2)
    name = api.checked("GET", f"/issue/{issue['key']}", 200)["fields"]["status"]["name"]
    spec = {"key": issue["key"], "type": "Sub-task", "parent": later["key"], "status": "Done"}
    after = {"status_from": "To Do", "status_path": [["Go", name], ["Finish", "Done"]]}
    change = Change(Address("issue", issue["key"]), Action.UPDATE, after=after)
    filler = Filler(client, Catalog(client), open_store(tmp_path, "blobs"), Summary())
    filler.fill(issue["key"], spec, change, new=False, retype=True)
    found = api.checked("GET", f"/issue/{issue['key']}", 200)["fields"]
    assert found["issuetype"]["subtask"] and found["status"]["name"] == "Done"
