"""Deleting issues over HTTP: Jira's bulk delete (an async task), else one by one."""

from __future__ import annotations

import pytest

from jiracfg.client import JiraClient
from jiracfg.data.deletes import delete_issues
from jiracfg.sandbox.server import SandboxServer
from tests.conftest import Api, create_project


def issues(api: Api, count: int) -> list[str]:
    fields = {"project": {"key": "ENG"}, "issuetype": {"name": "Task"}, "summary": "x"}
    body = {"issueUpdates": [{"fields": fields}] * count}
    return [str(i["key"]) for i in api.checked("POST", "/issue/bulk", 201, json=body)["issues"]]


@pytest.mark.parametrize("denied", [False, True])
def test_issues_go_in_one_bulk_task_or_one_by_one_without_the_permission(
    denied: bool, sandbox: SandboxServer, api: Api, client: JiraClient
) -> None:
    create_project(api, "ENG")
    keys = issues(api, 5)
    if denied:
        sandbox.store.set_meta("bulk_change_denied", "1")
    delete_issues(client, [*keys[:3], keys[0]])  # a key given twice is deleted once
    left = [i["key"] for i in sandbox.store.all("issue")]
    assert left == keys[3:]
    assert len(sandbox.store.all("bulk_task")) == (0 if denied else 1)
