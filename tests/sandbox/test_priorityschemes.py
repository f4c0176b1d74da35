"""Priority schemes: the default scheme, priorities and projects, mappings, validated against the
spec."""

from __future__ import annotations

from typing import Any

from tests.conftest import Api, create_project


def schemes(api: Api, **params: Any) -> dict[str, dict[str, Any]]:
    found = api.checked("GET", "/priorityscheme", 200, params=params)
    return {s["name"]: s for s in found["values"]}


def create(api: Api, name: str = "Small", ids: list[int] | None = None) -> str:
    body = {"name": name, "defaultPriorityId": 3, "priorityIds": ids or [2, 3, 4]}
    return str(api.checked("POST", "/priorityscheme", 201, json=body)["id"])


def priority_names(api: Api, scheme_id: str) -> list[str]:
    found = api.checked("GET", f"/priorityscheme/{scheme_id}/priorities", 200)
    return [p["name"] for p in found["values"]]


def test_every_site_has_the_default_scheme_with_every_priority(api: Api) -> None:
    default = schemes(api, expand="priorities,projects")["Default Priority Scheme"]
    assert default["isDefault"] is True
    names = [p["name"] for p in default["priorities"]["values"]]
    assert names == ["Highest", "High", "Medium", "Low", "Lowest"]
    priority = api.checked("GET", f"/priority/{default['defaultPriorityId']}", 200)
    assert priority["isDefault"] is True
    assert api.error("DELETE", f"/priorityscheme/{default['id']}", 400)


def test_create_update_and_delete(api: Api) -> None:
    scheme_id = create(api)
    assert priority_names(api, scheme_id) == ["High", "Medium", "Low"]
    api.error(
        "POST",
        "/priorityscheme",
        409,
        json={"name": "small", "defaultPriorityId": 3, "priorityIds": [3]},
    )
    api.error(
        "POST",
        "/priorityscheme",
        400,
        json={"name": "Bad", "defaultPriorityId": 1, "priorityIds": [3]},
    )
    body = {"description": "Fewer", "priorities": {"add": {"ids": [1]}, "remove": {"ids": [4]}}}
    answer = api.checked("PUT", f"/priorityscheme/{scheme_id}", 202, json=body)
    assert answer["priorityScheme"]["description"] == "Fewer"
    assert priority_names(api, scheme_id) == ["Highest", "High", "Medium"]
    api.error("PUT", f"/priorityscheme/{scheme_id}", 400, json={"defaultPriorityId": 5})
    api.checked("DELETE", f"/priorityscheme/{scheme_id}", 204)
    api.error("PUT", f"/priorityscheme/{scheme_id}", 404, json={})


def test_projects_move_between_schemes(api: Api) -> None:
    scheme_id = create(api)
    project_id = create_project(api, "ENG")
    body = {"projects": {"add": {"ids": [int(project_id)]}}}
    api.checked("PUT", f"/priorityscheme/{scheme_id}", 202, json=body)
    found = api.checked("GET", f"/priorityscheme/{scheme_id}/projects", 200)
    assert [p["key"] for p in found["values"]] == ["ENG"]
    assert api.error("DELETE", f"/priorityscheme/{scheme_id}", 400)
    api.checked("PUT", "/priorityscheme/1", 202, json=body)  # back into the default scheme
    assert api.checked("GET", f"/priorityscheme/{scheme_id}/projects", 200)["values"] == []
    priority = api.error("DELETE", "/priority/2", 400)  # High is in the scheme
    assert "priority scheme" in priority["errorMessages"][0]


def test_issues_need_a_mapping_when_their_priority_goes(api: Api) -> None:
    scheme_id = create(api)
    project_id = int(create_project(api, "ENG"))
    issue = {"project": {"key": "ENG"}, "issuetype": {"name": "Task"}, "summary": "x"}
    made = api.checked("POST", "/issue", 201, json={"fields": {**issue, "priority": {"id": "1"}}})
    body: dict[str, Any] = {"projects": {"add": {"ids": [project_id]}}}
    refused = api.error("PUT", f"/priorityscheme/{scheme_id}", 400, json=body)
    assert "[1] require mapping" in refused["errorMessages"][0]
    body["mappings"] = {"in": {"1": "2"}}
    api.checked("PUT", f"/priorityscheme/{scheme_id}", 202, json=body)
    moved = api.checked("GET", f"/issue/{made['key']}", 200)
    assert moved["fields"]["priority"]["id"] == "2"
