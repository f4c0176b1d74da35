"""``/rest/api/2``: the v3 routes with plain-string rich text (only the v3 spec is in the reference
folder, so v2 answers are checked against their v3 twins, which the spec validates)."""

from __future__ import annotations

import json
from typing import Any

from tests.conftest import Api

V2 = "/rest/api/2"
ISSUE = {"project": {"key": "ENG"}, "issuetype": {"name": "Task"}, "summary": "Two"}


def v2(api: Api, method: str, path: str, status: int, **kwargs: Any) -> Any:
    response = api.call(method, V2 + path, **kwargs)
    assert response.status_code == status, (response.status_code, response.text[:300])
    return response.json() if response.content else None


def test_issue_with_a_string_description(demo_api: Api) -> None:
    text = "First line\nSecond line"
    made = v2(demo_api, "POST", "/issue", 201, json={"fields": {**ISSUE, "description": text}})
    assert made["self"].endswith(f"{V2}/issue/{made['id']}")
    got = v2(demo_api, "GET", f"/issue/{made['key']}", 200)
    assert got["fields"]["description"] == text
    v3 = demo_api.checked("GET", f"/issue/{made['key']}", 200)
    assert v3["fields"]["description"]["type"] == "doc"
    assert [p["content"][0]["text"] for p in v3["fields"]["description"]["content"]] == [
        "First line",
        "Second line",
    ]
    assert got["fields"]["summary"] == v3["fields"]["summary"]


def test_edit_with_set_and_fields_takes_strings(demo_api: Api) -> None:
    key = v2(demo_api, "POST", "/issue", 201, json={"fields": ISSUE})["key"]
    v2(demo_api, "PUT", f"/issue/{key}", 204, json={"fields": {"description": "plain"}})
    assert v2(demo_api, "GET", f"/issue/{key}", 200)["fields"]["description"] == "plain"
    update = {"update": {"description": [{"set": "again"}]}}
    v2(demo_api, "PUT", f"/issue/{key}", 204, json=update)
    assert v2(demo_api, "GET", f"/issue/{key}", 200)["fields"]["description"] == "again"


def test_comments_are_strings(demo_api: Api) -> None:
    key = v2(demo_api, "POST", "/issue", 201, json={"fields": ISSUE})["key"]
    made = v2(demo_api, "POST", f"/issue/{key}/comment", 201, json={"body": "Looks good"})
    assert made["body"] == "Looks good"
    listed = v2(demo_api, "GET", f"/issue/{key}/comment", 200)
    assert [c["body"] for c in listed["comments"]] == ["Looks good"]
    v3 = demo_api.checked("GET", f"/issue/{key}/comment", 200)
    assert v3["comments"][0]["body"]["type"] == "doc"


def test_v2_serves_the_admin_areas_and_searches(demo_api: Api) -> None:
    for path in ("/project/ENG", "/workflowscheme", "/field/search?type=custom", "/role"):
        v3 = json.dumps(demo_api.checked("GET", path, 200)).replace("/rest/api/3/", V2 + "/")
        assert v2(demo_api, "GET", path, 200) == json.loads(v3), path
    found = v2(
        demo_api, "POST", "/search/jql", 200, json={"jql": "project = ENG", "fields": ["key"]}
    )
    assert found["issues"]
    assert v2(demo_api, "GET", "/search", 410)["errorMessages"]


def test_v2_errors_and_refusals_are_the_same(demo_api: Api) -> None:
    body = v2(demo_api, "POST", "/issue/ENG-1/comment", 400, json={"body": ""})
    assert body["errors"] or body["errorMessages"]
    assert v2(demo_api, "GET", "/issue/NOPE-1", 404)["errorMessages"]
    assert v2(demo_api, "POST", "/projectCategory", 400, json={"name": ["x"]})["errors"]
