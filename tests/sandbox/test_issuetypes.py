from __future__ import annotations

from typing import Any

import pytest

from jiracfg.sandbox.routes import issuetypes
from tests.conftest import Api


def in_use(monkeypatch: pytest.MonkeyPatch, used: dict[str, int]) -> None:
    """Pretend issues use some types (``{issue_type_id: count}``), whatever the project."""

    def count(db: Any, project_id: Any = None, issue_type_id: Any = None, **_: Any) -> int:
        return used.get(str(issue_type_id), 0)

    monkeypatch.setattr(issuetypes, "count_issues", count)


def create_type(api: Api, name: str, level: int = 0) -> dict[str, Any]:
    body: dict[str, Any] = api.checked(
        "POST", "/issuetype", 201, json={"name": name, "hierarchyLevel": level}
    )
    return body


def create_scheme(api: Api, name: str, ids: list[str], **extra: Any) -> str:
    body = api.checked(
        "POST", "/issuetypescheme", 201, json={"name": name, "issueTypeIds": ids, **extra}
    )
    return str(body["issueTypeSchemeId"])


def members(api: Api, scheme_id: str) -> list[str]:
    page = api.checked(
        "GET", "/issuetypescheme/mapping", 200, params={"issueTypeSchemeId": scheme_id}
    )
    return [m["issueTypeId"] for m in page["values"]]


# -- issue types -------------------------------------------------------------------------------
def test_new_site_has_the_software_issue_types(api: Api) -> None:
    types = api.checked("GET", "/issuetype", 200)
    levels = {t["name"]: t["hierarchyLevel"] for t in types}
    assert levels == {"Epic": 1, "Story": 0, "Task": 0, "Bug": 0, "Sub-task": -1}
    assert all(int(t["id"]) >= 10000 for t in types)
    assert [t["subtask"] for t in types if t["name"] == "Sub-task"] == [True]


def test_create_get_update_issue_type(api: Api) -> None:
    made = create_type(api, "Incident")
    assert made["hierarchyLevel"] == 0 and not made["subtask"]
    got = api.checked("GET", f"/issuetype/{made['id']}", 200)
    assert got["name"] == "Incident"
    changed = api.checked(
        "PUT",
        f"/issuetype/{made['id']}",
        200,
        json={"name": "Major incident", "description": "Pager"},
    )
    assert (changed["name"], changed["description"]) == ("Major incident", "Pager")


def test_new_issue_type_joins_the_default_scheme(api: Api) -> None:
    made = create_type(api, "Spike")
    assert members(api, "10000")[-1] == made["id"]


def test_issue_type_names_are_unique_case_insensitively_and_short(api: Api) -> None:
    body = api.error("POST", "/issuetype", 409, json={"name": "bug"})
    assert "already exists" in body["errors"]["name"]
    body = api.error("POST", "/issuetype", 400, json={"name": "x" * 61})
    assert body["errors"]["name"] == "The issue type name must not exceed 60 characters."
    api.error("POST", "/issuetype", 400, json={"name": "Level two", "hierarchyLevel": 2})
    api.error("PUT", "/issuetype/10002", 409, json={"name": "STORY"})


def test_missing_issue_type_is_404_and_bad_id_400(api: Api) -> None:
    api.error("GET", "/issuetype/99999", 404)
    api.error("GET", "/issuetype/abc", 400)


def test_delete_unused_issue_type(api: Api) -> None:
    made = create_type(api, "Temp")
    api.checked("DELETE", f"/issuetype/{made['id']}", 204)
    api.error("GET", f"/issuetype/{made['id']}", 404)
    assert made["id"] not in members(api, "10000")


def test_in_use_issue_type_delete_needs_an_alternative(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    in_use(monkeypatch, {"10003": 4})
    api.error("DELETE", "/issuetype/10003", 404)
    api.error("DELETE", "/issuetype/10003", 409, params={"alternativeIssueTypeId": "10003"})
    api.error("DELETE", "/issuetype/10003", 409, params={"alternativeIssueTypeId": "10004"})
    api.error("DELETE", "/issuetype/10003", 404, params={"alternativeIssueTypeId": "99999"})
    api.checked("DELETE", "/issuetype/10003", 204, params={"alternativeIssueTypeId": "10002"})


def test_alternatives_share_the_hierarchy_level(api: Api) -> None:
    alts = api.checked("GET", "/issuetype/10002/alternatives", 200)
    assert {a["name"] for a in alts} == {"Story", "Bug"}


def test_issue_types_of_a_project_follow_its_scheme(
    api: Api, two_projects: tuple[str, str]
) -> None:
    p1 = two_projects[0]
    scheme = create_scheme(api, "Ops", ["10002", "10004"])
    api.checked(
        "PUT", "/issuetypescheme/project", 204, json={"issueTypeSchemeId": scheme, "projectId": p1}
    )
    types = api.checked("GET", "/issuetype/project", 200, params={"projectId": p1})
    assert [t["name"] for t in types] == ["Task", "Sub-task"]
    subtasks = api.checked(
        "GET", "/issuetype/project", 200, params={"projectId": p1, "level": "-1"}
    )
    assert [t["name"] for t in subtasks] == ["Sub-task"]
    api.error("GET", "/issuetype/project", 400)


# -- issue type schemes ------------------------------------------------------------------------
def test_default_scheme_is_seeded_with_every_type(api: Api) -> None:
    page = api.checked("GET", "/issuetypescheme", 200)
    assert [(s["id"], s["name"], s["isDefault"]) for s in page["values"]] == [
        ("10000", "Default Issue Type Scheme", True)
    ]
    assert members(api, "10000") == ["10000", "10001", "10002", "10003", "10004"]


def test_create_list_filter_and_update_scheme(api: Api) -> None:
    scheme = create_scheme(
        api, "Engineering", ["10001", "10003"], defaultIssueTypeId="10003", description="eng"
    )
    create_scheme(api, "Support", ["10002"])
    page = api.checked("GET", "/issuetypescheme", 200, params={"queryString": "engin"})
    assert [(s["name"], s["defaultIssueTypeId"]) for s in page["values"]] == [
        ("Engineering", "10003")
    ]
    by_name = api.checked("GET", "/issuetypescheme", 200, params={"orderBy": "-name"})
    assert [s["name"] for s in by_name["values"]][:2] == ["Support", "Engineering"]
    api.checked(
        "PUT",
        f"/issuetypescheme/{scheme}",
        204,
        json={"name": "Eng", "defaultIssueTypeId": "10001"},
    )
    one = api.checked("GET", "/issuetypescheme", 200, params={"id": scheme})
    assert one["values"][0]["name"] == "Eng"


def test_scheme_create_validates_members_and_name(api: Api) -> None:
    create_scheme(api, "Engineering", ["10001"])
    api.error("POST", "/issuetypescheme", 409, json={"name": "ENGINEERING", "issueTypeIds": ["1"]})
    body = api.error(
        "POST",
        "/issuetypescheme",
        400,
        json={"name": "X", "issueTypeIds": ["10001"], "defaultIssueTypeId": "10002"},
    )
    assert body["errorMessages"] == [
        "The default issue type ID has to be present in issue type IDs list."
    ]
    api.error("POST", "/issuetypescheme", 400, json={"name": "Y", "issueTypeIds": ["10004"]})
    api.error("POST", "/issuetypescheme", 404, json={"name": "Z", "issueTypeIds": ["424242"]})
    api.error("PUT", "/issuetypescheme/10000", 400, json={"defaultIssueTypeId": "424242"})


def test_append_fails_wholesale_when_one_type_is_present(api: Api) -> None:
    scheme = create_scheme(api, "Engineering", ["10001"])
    body = api.error(
        "PUT",
        f"/issuetypescheme/{scheme}/issuetype",
        400,
        json={"issueTypeIds": ["10002", "10001"]},
    )
    assert "already present" in body["errorMessages"][0]
    assert members(api, scheme) == ["10001"]
    api.checked(
        "PUT",
        f"/issuetypescheme/{scheme}/issuetype",
        204,
        json={"issueTypeIds": ["10002", "10003"]},
    )
    assert members(api, scheme) == ["10001", "10002", "10003"]


def test_move_types_in_a_scheme(api: Api) -> None:
    scheme = create_scheme(api, "Engineering", ["10001", "10002", "10003"])
    api.checked(
        "PUT",
        f"/issuetypescheme/{scheme}/issuetype/move",
        204,
        json={"issueTypeIds": ["10003"], "position": "First"},
    )
    assert members(api, scheme) == ["10003", "10001", "10002"]
    api.checked(
        "PUT",
        f"/issuetypescheme/{scheme}/issuetype/move",
        204,
        json={"issueTypeIds": ["10003"], "after": "10002"},
    )
    assert members(api, scheme) == ["10001", "10002", "10003"]
    api.error(
        "PUT",
        f"/issuetypescheme/{scheme}/issuetype/move",
        400,
        json={"issueTypeIds": ["10000"], "position": "Last"},
    )


def test_remove_type_from_scheme_rules(
    api: Api, monkeypatch: pytest.MonkeyPatch, two_projects: tuple[str, str]
) -> None:
    p1 = two_projects[0]
    scheme = create_scheme(
        api, "Engineering", ["10001", "10002", "10004"], defaultIssueTypeId="10002"
    )
    body = api.error("DELETE", "/issuetypescheme/10000/issuetype/10001", 400)
    assert body["errorMessages"] == [
        "Issue types can't be removed from the default issue type scheme."
    ]
    api.error("DELETE", f"/issuetypescheme/{scheme}/issuetype/10003", 404)
    api.checked("DELETE", f"/issuetypescheme/{scheme}/issuetype/10002", 204)
    assert (
        "defaultIssueTypeId"
        not in api.checked("GET", "/issuetypescheme", 200, params={"id": scheme})["values"][0]
    )
    body = api.error("DELETE", f"/issuetypescheme/{scheme}/issuetype/10001", 400)
    assert body["errorMessages"] == [
        "Can't remove the last standard issue type from the issue type scheme."
    ]
    api.checked(
        "PUT", "/issuetypescheme/project", 204, json={"issueTypeSchemeId": scheme, "projectId": p1}
    )
    in_use(monkeypatch, {"10004": 1})
    body = api.error("DELETE", f"/issuetypescheme/{scheme}/issuetype/10004", 400)
    assert "used by issues" in body["errorMessages"][0]


def test_scheme_delete_refuses_default_and_assigned(
    api: Api, two_projects: tuple[str, str]
) -> None:
    p1 = two_projects[0]
    body = api.error("DELETE", "/issuetypescheme/10000", 400)
    assert body["errorMessages"] == ["The default issue type scheme can't be removed."]
    scheme = create_scheme(api, "Engineering", ["10001"])
    api.checked(
        "PUT", "/issuetypescheme/project", 204, json={"issueTypeSchemeId": scheme, "projectId": p1}
    )
    body = api.error("DELETE", f"/issuetypescheme/{scheme}", 400)
    assert "associated with one or more projects" in body["errorMessages"][0]
    api.checked(
        "PUT", "/issuetypescheme/project", 204, json={"issueTypeSchemeId": "10000", "projectId": p1}
    )
    api.checked("DELETE", f"/issuetypescheme/{scheme}", 204)
    api.error("DELETE", f"/issuetypescheme/{scheme}", 404)


def test_schemes_of_projects(api: Api, two_projects: tuple[str, str]) -> None:
    p1, p2 = two_projects
    scheme = create_scheme(api, "Engineering", ["10001"])
    api.checked(
        "PUT", "/issuetypescheme/project", 204, json={"issueTypeSchemeId": scheme, "projectId": p1}
    )
    page = api.checked(
        "GET", "/issuetypescheme/project", 200, params=[("projectId", p1), ("projectId", p2)]
    )
    found = {v["issueTypeScheme"]["id"]: v["projectIds"] for v in page["values"]}
    assert found == {scheme: [p1], "10000": [p2]}
    api.error("GET", "/issuetypescheme/project", 400)


def test_assign_fails_when_issues_use_types_missing_from_scheme(
    api: Api, monkeypatch: pytest.MonkeyPatch, two_projects: tuple[str, str]
) -> None:
    p1 = two_projects[0]
    scheme = create_scheme(api, "Engineering", ["10001"])
    in_use(monkeypatch, {"10003": 2})
    body = api.error(
        "PUT", "/issuetypescheme/project", 400, json={"issueTypeSchemeId": scheme, "projectId": p1}
    )
    assert "10003" in body["errorMessages"][0]
    api.error(
        "PUT", "/issuetypescheme/project", 404, json={"issueTypeSchemeId": "4242", "projectId": p1}
    )
