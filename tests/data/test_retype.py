"""Type changes over HTTP: the bulk move, whose task can complete yet fail for an issue."""

from __future__ import annotations

import pytest

from jiracfg.client import JiraClient
from jiracfg.data.bulk import bulk_task
from jiracfg.data.retype import IssueTypes, retype, walk_from
from jiracfg.errors import TaskFailedError
from tests.conftest import Api, create_project
from tests.sandbox.test_issue_bulk import made
from tests.sandbox.test_issue_move import fields, sub_flow_project


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
