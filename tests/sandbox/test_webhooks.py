from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

import pytest

from jiracfg.sandbox.routes import webhooks
from jiracfg.sandbox.server import SandboxServer
from tests.conftest import Api

PATH = "/rest/webhooks/1.0/webhook"
SECRET = "s3cr3t-never-shown"
FLOAT = "com.atlassian.jira.plugin.system.customfieldtypes:float"
UNBALANCED = {"issue-related-events-section": 'summary ~ "open'}


def body(**extra: Any) -> dict[str, Any]:
    return {
        "name": "Deploy hook",
        "url": "https://hooks.example.com/jira",
        "events": ["jira:issue_created", "jira:issue_updated"],
        "filters": {"issue-related-events-section": "project = ENG"},
        "excludeBody": False,
        **extra,
    }


def create(api: Api, **extra: Any) -> dict[str, Any]:
    made: dict[str, Any] = api.checked("POST", PATH, 201, json=body(**extra))
    return made


def hook_id(hook: dict[str, Any]) -> str:
    return str(hook["self"]).rsplit("/", 1)[-1]


def test_new_site_has_no_webhooks(api: Api) -> None:
    assert api.checked("GET", PATH, 200) == []


def test_create_list_get_update_delete(api: Api) -> None:
    made = create(api)
    assert made["enabled"] is True and made["filters"] == {
        "issue-related-events-section": "project = ENG"
    }
    assert made["lastUpdatedUser"] == "557058:admin" and isinstance(made["lastUpdated"], int)
    assert api.checked("GET", PATH, 200) == [made]
    path = f"{PATH}/{hook_id(made)}"
    changed = api.checked("PUT", path, 200, json=body(name="Renamed", enabled=False, filters={}))
    assert (changed["name"], changed["enabled"], changed["filters"]) == ("Renamed", False, {})
    assert api.checked("GET", path, 200)["name"] == "Renamed"
    assert api.call("DELETE", path).status_code == 204
    api.error("GET", path, 404)


def test_secret_is_write_only(api: Api) -> None:
    made = create(api, secret=SECRET)
    listed = api.call("GET", PATH).text + api.call("GET", f"{PATH}/{hook_id(made)}").text
    assert SECRET not in json.dumps(made) + listed
    assert not any("secret" in key.lower() for key in made)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": "  "}, "name"),
        ({"url": "ftp://hooks.example.com/x"}, "url"),
        ({"url": "not a url"}, "url"),
        ({"events": ["jira:issue_exploded"]}, "events"),
        ({"events": "jira:issue_created"}, "events"),
        ({"filters": UNBALANCED}, "issue-related-events-section"),
        ({"excludeBody": "yes"}, "excludeBody"),
        ({"secret": 42}, "secret"),
    ],
)
def test_create_refuses_what_jira_refuses(api: Api, change: dict[str, Any], field: str) -> None:
    error = api.error("POST", PATH, 400, json=body(**change))
    assert field in error["errors"], error
    assert api.checked("GET", PATH, 200) == []


def test_filter_may_name_custom_fields_by_number(api: Api) -> None:
    field = api.checked("POST", "/field", 201, json={"name": "Story Points", "type": FLOAT})
    jql = f"cf[{field['schema']['customId']}] > 3"
    made = create(api, filters={"issue-related-events-section": jql})
    assert made["filters"]["issue-related-events-section"] == jql


def test_filter_refuses_an_unknown_custom_field(api: Api) -> None:
    error = api.error(
        "POST", PATH, 400, json=body(filters={"issue-related-events-section": "cf[99999] = 1"})
    )
    assert "cf[99999]" in error["errors"]["issue-related-events-section"]


def test_missing_webhook_is_404(api: Api) -> None:
    api.error("GET", f"{PATH}/777", 404)
    api.error("PUT", f"{PATH}/777", 404, json=body())
    api.error("DELETE", f"{PATH}/abc", 404)


def deliveries(api: Api, hook: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    params = {"webhookId": hook_id(hook)} if hook else {}
    found: list[dict[str, Any]] = api.checked(
        "GET", "/rest/sandbox/1/webhook-deliveries", 200, params=params
    )
    return found


def test_deliver_signs_matching_webhooks_only(api: Api, sandbox: SandboxServer) -> None:
    signed = create(api, secret=SECRET, filters={})
    plain = create(api, name="Other", events=["jira:issue_deleted"], filters={})
    issue = {"id": "10001", "key": "ENG-1"}
    assert webhooks.deliver(sandbox.store, "jira:issue_created", {"issue": issue}) == 1
    [sent] = deliveries(api, signed)
    assert deliveries(api, plain) == [] and deliveries(api) == [sent]
    expected = hmac.new(SECRET.encode(), sent["body"].encode(), hashlib.sha256).hexdigest()
    assert sent["headers"]["X-Hub-Signature"] == f"sha256={expected}"
    content = json.loads(sent["body"])
    assert (content["webhookEvent"], content["issue"]) == ("jira:issue_created", issue)
    assert sent["url"] == "https://hooks.example.com/jira"


def test_put_without_secret_keeps_it_and_empty_secret_removes_it(
    api: Api, sandbox: SandboxServer
) -> None:
    path = f"{PATH}/{hook_id(create(api, secret=SECRET))}"
    api.checked("PUT", path, 200, json=body(excludeBody=True, filters={}))
    webhooks.deliver(sandbox.store, "jira:issue_updated", {"issue": {"id": "1"}})
    api.checked("PUT", path, 200, json=body(secret="", filters={}))
    webhooks.deliver(sandbox.store, "jira:issue_updated", {"issue": {"id": "1"}})
    first, second = deliveries(api)
    assert first["body"] == "" and first["headers"]["X-Hub-Signature"] == webhooks.signature(
        SECRET, b""
    )
    assert "X-Hub-Signature" not in second["headers"] and second["body"]


def test_disabled_webhook_is_not_delivered(api: Api, sandbox: SandboxServer) -> None:
    create(api, enabled=False, filters={})
    assert webhooks.deliver(sandbox.store, "jira:issue_created", {"issue": {"id": "1"}}) == 0
    assert deliveries(api) == []


def test_deliver_asks_the_issues_area_whether_the_filter_matches(
    api: Api, sandbox: SandboxServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    create(api)
    asked: list[tuple[str, str]] = []

    def matches(db: Any, issue_id: str, jql: str) -> bool:
        asked.append((issue_id, jql))
        return False

    monkeypatch.setattr(webhooks, "peer", lambda module, name: matches)
    assert webhooks.deliver(sandbox.store, "jira:issue_created", {"issue": {"id": "5"}}) == 0
    assert asked == [("5", "project = ENG")]
