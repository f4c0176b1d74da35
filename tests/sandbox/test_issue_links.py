"""Issue links and parents across projects in the sandbox, over HTTP, responses checked against
Atlassian's spec: ``/issueLink`` create (duplicates are no-ops), get, delete; both sides in
``fields.issuelinks``; Jira's refusals; links dropped with their issue or link type; sub-task and
epic parents across projects."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Api, create_project


def issue(api: Api, project: str, type_name: str = "Task", **fields: Any) -> str:
    body = {"project": {"key": project}, "issuetype": {"name": type_name}, "summary": "x", **fields}
    return str(api.checked("POST", "/issue", 201, json={"fields": body})["key"])


def link(source: str, dest: str, kind: str = "Blocks") -> dict[str, Any]:
    return {"type": {"name": kind}, "inwardIssue": {"key": source}, "outwardIssue": {"key": dest}}


def links_of(api: Api, key: str) -> list[tuple[str, str, str]]:
    found = api.checked("GET", f"/issue/{key}", 200, params={"fields": "issuelinks"})
    out = []
    for entry in found["fields"]["issuelinks"]:
        side = "outwardIssue" if "outwardIssue" in entry else "inwardIssue"
        out.append((entry["type"]["name"], side, entry[side]["key"]))
    return out


@pytest.fixture
def two_projects(api: Api) -> tuple[str, str]:
    create_project(api, "ENG")
    create_project(api, "OPS")
    return issue(api, "ENG"), issue(api, "OPS")


def test_a_link_shows_on_both_issues_and_once(api: Api, two_projects: tuple[str, str]) -> None:
    eng, ops = two_projects
    assert api.call("POST", "/issueLink", json=link(eng, ops)).status_code == 201
    assert api.call("POST", "/issueLink", json=link(eng, ops)).status_code == 201  # no-op
    api.checked("POST", "/issueLink", 201, json=link(eng, ops, "Relates"))
    assert links_of(api, eng) == [("Blocks", "outwardIssue", ops), ("Relates", "outwardIssue", ops)]
    assert links_of(api, ops) == [("Blocks", "inwardIssue", eng), ("Relates", "inwardIssue", eng)]
    entry = api.checked("GET", f"/issue/{eng}", 200, params={"fields": "*all"})["fields"]
    link_id = entry["issuelinks"][0]["id"]
    got = api.checked("GET", f"/issueLink/{link_id}", 200)
    assert (got["inwardIssue"]["key"], got["outwardIssue"]["key"]) == (eng, ops)
    assert got["type"]["outward"] == "blocks"
    api.checked("DELETE", f"/issueLink/{link_id}", 204)
    api.error("GET", f"/issueLink/{link_id}", 404)
    api.error("DELETE", f"/issueLink/{link_id}", 404)
    api.error("GET", "/issueLink/abc", 400)
    assert links_of(api, ops) == [("Relates", "inwardIssue", eng)]


def test_jira_refuses_unknown_types_issues_and_self_links(
    api: Api, two_projects: tuple[str, str]
) -> None:
    eng, ops = two_projects
    body = api.error("POST", "/issueLink", 404, json=link(eng, ops, "Nope"))
    assert body["errorMessages"] == ["No issue link type with name 'Nope' found."]
    api.error("POST", "/issueLink", 404, json={**link(eng, ops), "type": {"id": "99999"}})
    api.error("POST", "/issueLink", 404, json=link(eng, "OPS-999"))
    api.error("POST", "/issueLink", 400, json=link(eng, eng))
    api.error("POST", "/issueLink", 400, json={"type": {"name": "Blocks"}})
    api.error("POST", "/issueLink", 400, json={**link(eng, ops), "comment": {"body": "plain"}})
    assert links_of(api, eng) == []


def test_links_go_with_their_issue_and_their_type(api: Api, two_projects: tuple[str, str]) -> None:
    eng, ops = two_projects
    third = issue(api, "OPS")
    api.checked("POST", "/issueLink", 201, json=link(eng, ops))
    api.checked("POST", "/issueLink", 201, json=link(third, eng, "Duplicate"))
    api.checked("DELETE", f"/issue/{ops}", 204)
    assert links_of(api, eng) == [("Duplicate", "inwardIssue", third)]
    types = api.checked("GET", "/issueLinkType", 200)["issueLinkTypes"]
    duplicate = next(t["id"] for t in types if t["name"] == "Duplicate")
    api.checked("DELETE", f"/issueLinkType/{duplicate}", 204)
    assert links_of(api, eng) == [] and links_of(api, third) == []


def test_a_link_comment_goes_to_the_source_issue(api: Api, two_projects: tuple[str, str]) -> None:
    eng, ops = two_projects
    doc = {"type": "doc", "version": 1, "content": [{"type": "paragraph", "content": []}]}
    api.checked("POST", "/issueLink", 201, json={**link(eng, ops), "comment": {"body": doc}})
    assert api.checked("GET", f"/issue/{eng}/comment", 200)["total"] == 1
    assert api.checked("GET", f"/issue/{ops}/comment", 200)["total"] == 0


def test_parents_across_projects(api: Api, two_projects: tuple[str, str]) -> None:
    eng, ops = two_projects
    epic = issue(api, "ENG", "Epic")
    child = issue(api, "OPS", parent={"key": epic})  # an epic takes children of any project
    got = api.checked("GET", f"/issue/{child}", 200, params={"fields": "parent"})
    assert got["fields"]["parent"]["key"] == epic
    body = {"project": {"key": "OPS"}, "issuetype": {"name": "Sub-task"}, "summary": "s"}
    errors = api.error("POST", "/issue", 400, json={"fields": {**body, "parent": {"key": eng}}})
    assert errors["errors"] == {"parent": "A sub-task must be in the same project as its parent."}
    sub = issue(api, "OPS", "Sub-task", parent={"key": ops})
    errors = api.error("POST", "/issue", 400, json={"fields": {**body, "parent": {"key": sub}}})
    assert "hierarchy" in errors["errors"]["parent"]  # no sub-task of a sub-task
