"""Issue 10's sandbox reproductions: each answered 500 (a traceback) or took what Jira refuses."""

from __future__ import annotations

import json
from typing import Any

import pytest

from jiracfg.sandbox.routes import webhooks
from jiracfg.sandbox.server import SandboxServer
from tests.conftest import Api

PAYLOAD = "Invalid request payload. Refer to the REST API documentation and try again."


def workflow(**transition: Any) -> dict[str, Any]:
    """A create payload whose one transition carries ``transition``'s extra keys."""
    start = {"id": "1", "name": "Create", "type": "INITIAL", "toStatusReference": "s"}
    return {
        "scope": {"type": "GLOBAL"},
        "statuses": [{"statusReference": "s", "name": "Fresh", "statusCategory": "TODO"}],
        "workflows": [
            {
                "name": "Nulls",
                "statuses": [{"statusReference": "s", "properties": {}}],
                "transitions": [{**start, **transition}],
            }
        ],
    }


NULL_INSIDE = [
    pytest.param(workflow(links=[None]), id="links"),
    pytest.param(workflow(validators=[None]), id="validators"),
    pytest.param(workflow(conditions={"operation": "ALL", "conditions": [None]}), id="conditions"),
    pytest.param({**workflow(), "workflows": [None]}, id="workflows"),
    pytest.param({**workflow(), "statuses": [None]}, id="statuses"),
]


@pytest.mark.parametrize("payload", NULL_INSIDE)
def test_workflow_create_refuses_null_inside(api: Api, payload: dict[str, Any]) -> None:
    body = api.error("POST", "/workflows/create", 400, json=payload)
    assert body["errorMessages"] == [PAYLOAD]
    api.error("POST", "/workflows/create/validation", 400, json={"payload": payload})
    assert api.checked("GET", "/workflows/search?queryString=Nulls", 200)["total"] == 0


def test_bulk_read_needs_both_halves_of_a_pair(api: Api) -> None:
    body = api.error(
        "POST", "/workflows", 400, json={"projectAndIssueTypes": [{"projectId": "10000"}]}
    )
    assert body["errors"] == {"projectAndIssueTypes[0].issueTypeId": "is required"}


@pytest.mark.parametrize(
    ("method", "path", "payload"),
    [
        ("POST", "/notificationscheme", {"name": "N", "notificationSchemeEvents": [{"event": 1}]}),
        (
            "PUT",
            "/notificationscheme/10000/notification",
            {"notificationSchemeEvents": [{"event": True}]},
        ),
        ("POST", "/role/10002/actors", {"user": 1}),
        ("POST", "/project/ENG/role/10002", {"group": [1127]}),
        ("POST", "/statuses", {"scope": {"type": "PROJECT", "project": True}, "statuses": []}),
        ("POST", "/projectCategory", {"name": "Cat", "description": [False, {"a": None}]}),
        ("PUT", "/projectCategory/10000", {"description": {"a": 1}}),
        ("POST", "/search/jql", {"jql": "project = ENG", "fields": "summary"}),
    ],
)
def test_wrong_json_types_are_refused(
    demo_api: Api, method: str, path: str, payload: dict[str, Any]
) -> None:
    body = demo_api.error(method, path, 400, json=payload)
    assert body["errorMessages"] == [PAYLOAD]


def test_no_python_repr_is_stored(demo_api: Api) -> None:
    demo_api.error("POST", "/projectCategory", 400, json={"name": "C", "description": [False]})
    names = [c["name"] for c in demo_api.checked("GET", "/projectCategory", 200)]
    assert "C" not in names


def test_json_sent_as_text_is_unsupported(api: Api) -> None:
    response = api.call(
        "POST",
        "/projectCategory",
        content=b'{"name": "Cat"}',
        headers={"Content-Type": "text/plain"},
    )
    assert response.status_code == 415
    assert api.checked("GET", "/projectCategory", 200) == []
    api.checked("POST", "/projectCategory", 201, json={"name": "Cat"})


def test_notification_scheme_description_limit(api: Api) -> None:
    long = {"name": "Loud", "description": "x" * 4001}
    body = api.error("POST", "/notificationscheme", 400, json=long)
    assert body["errors"] == {"description": "The description can't exceed 4000 characters."}
    api.checked("POST", "/notificationscheme", 201, json={**long, "description": "x" * 4000})


def test_next_page_token_garbage_is_a_400(demo_api: Api) -> None:
    for token in ("a", "abcde", "%%%%"):
        body = demo_api.error(
            "GET", "/search/jql", 400, params={"jql": "project = ENG", "nextPageToken": token}
        )
        assert body["errorMessages"] == ["The provided next page token is invalid or expired."]


def test_zero_per_page_is_the_last_page(demo_api: Api) -> None:
    bean = demo_api.checked("GET", "/workflows/search?maxResults=0", 200)
    assert (bean["isLast"], bean["values"], "nextPage" in bean) == (True, [], False)


def test_fields_order_by_projects_count(demo_api: Api) -> None:
    """The spec lists ``projectsCount`` as an order (all the demo's fields have global contexts,
    so every count is the number of projects)."""
    plain = demo_api.checked("GET", "/field/search?type=custom", 200)["values"]
    for order in ("projectsCount", "-projectsCount", "+projectsCount"):
        params = {"type": "custom", "orderBy": order}
        bean = demo_api.checked("GET", "/field/search", 200, params=params)
        assert sorted(f["id"] for f in bean["values"]) == sorted(f["id"] for f in plain)
        assert all("projectsCount" not in f for f in bean["values"])


def new_issue(api: Api, summary: str, **fields: Any) -> str:
    base = {"project": {"key": "ENG"}, "issuetype": {"name": "Task"}, "summary": summary}
    made = api.checked("POST", "/issue", 201, json={"fields": {**base, **fields}})
    return str(made["key"])


def keys(api: Api, jql: str) -> set[str]:
    found = api.checked(
        "POST", "/search/jql", 200, json={"jql": jql, "fields": ["key"], "maxResults": 5000}
    )
    return {i["key"] for i in found["issues"]}


POINTS, REVIEW = "customfield_10030", "customfield_10037"  # the demo's Story Points, Review Date


def test_jql_compares_numbers(demo_api: Api) -> None:
    two, five = new_issue(demo_api, "S", **{POINTS: 2}), new_issue(demo_api, "L", **{POINTS: 5.5})
    mine = {two, five, new_issue(demo_api, "none")}  # an empty field matches no comparison
    cases = {"> 3": {five}, ">= 2": {two, five}, "< 3": {two}, "<= 2": {two}, "= 5.5": {five}}
    for compare, wanted in cases.items():  # among the new issues (the demo's have points too)
        found = keys(demo_api, f'project = ENG AND "Story Points" {compare}')
        assert found & mine == wanted, compare
    assert keys(demo_api, "project = ENG AND cf[10030] != 2") & mine == {five}


def test_jql_compares_dates(demo_api: Api) -> None:
    early = new_issue(demo_api, "early", **{REVIEW: "2024-05-01"})
    late = new_issue(demo_api, "late", **{REVIEW: "2024-07-01"})
    mine = {early, late}  # the demo's own issues have review dates too
    assert keys(demo_api, 'project = ENG AND "Review Date" < "2024-06-01"') & mine == {early}
    assert keys(demo_api, 'project = ENG AND "Review Date" >= "2024/07/01"') & mine == {late}
    every = keys(demo_api, "project = ENG")
    assert keys(demo_api, "project = ENG AND created >= -1h") == every
    assert keys(demo_api, 'project = ENG AND created > "2999-01-01 10:00"') == set()
    assert keys(demo_api, "project = ENG AND updated <= -52w") == set()


@pytest.mark.parametrize(
    ("jql", "message"),
    [
        (
            "project = ENG AND status > 3",
            "The operator '>' is not supported by the 'status' field.",
        ),
        ('project = ENG AND created < "soon"', "Date value 'soon' for field 'created' is invalid."),
        ('project = ENG AND "Story Points" > lots', "not a valid number"),
    ],
)
def test_jql_comparison_refusals(demo_api: Api, jql: str, message: str) -> None:
    body = demo_api.error("POST", "/search/jql", 400, json={"jql": jql})
    assert message in body["errorMessages"][0]


def test_a_webhook_filter_never_fails_a_write(demo_api: Api) -> None:
    hook = {
        "name": "Big stories",
        "url": "https://hooks.example.com/jira",
        "events": ["jira:issue_created", "jira:issue_updated"],
        "filters": {"issue-related-events-section": '"Story Points" > 3'},
        "excludeBody": False,
    }
    made = demo_api.checked("POST", "/rest/webhooks/1.0/webhook", 201, json=hook)
    small, big = new_issue(demo_api, "S", **{POINTS: 1}), new_issue(demo_api, "L", **{POINTS: 8})
    demo_api.checked("PUT", f"/issue/{small}", 204, json={"fields": {POINTS: 2}})
    sent = demo_api.checked(
        "GET",
        "/rest/sandbox/1/webhook-deliveries",
        200,
        params={"webhookId": made["self"].rsplit("/", 1)[-1]},
    )
    assert [json.loads(d["body"])["issue"]["key"] for d in sent] == [big]


def test_a_failing_side_effect_keeps_the_committed_write(
    demo_api: Api, demo_sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any) -> int:
        raise RuntimeError("delivery store is down")

    monkeypatch.setattr(webhooks, "deliver", broken)
    key = new_issue(demo_api, "written")
    demo_api.checked("PUT", f"/issue/{key}", 204, json={"fields": {"summary": "edited"}})
    assert demo_api.checked("GET", f"/issue/{key}", 200)["fields"]["summary"] == "edited"
    assert demo_sandbox.app.state.guarded == []
