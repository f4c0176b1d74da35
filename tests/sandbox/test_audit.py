"""The sandbox's audit log (``GET /auditing/record``): a record with Jira's shape for every
configuration write, none for a refused write or for issue data, and Jira's query parameters."""

from __future__ import annotations

from typing import Any

from tests.conftest import Api

SELECT = "com.atlassian.jira.plugin.system.customfieldtypes:select"
SEARCHER = "com.atlassian.jira.plugin.system.customfieldtypes:multiselectsearcher"
WEBHOOKS = "/rest/webhooks/1.0/webhook"


def records(api: Api, **params: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = api.checked("GET", "/auditing/record", 200, params=params)[
        "records"
    ]
    return found


def field_with_options(api: Api, name: str = "Risk") -> tuple[str, str, list[dict[str, Any]]]:
    made = api.checked(
        "POST", "/field", 201, json={"name": name, "type": SELECT, "searcherKey": SEARCHER}
    )
    context = api.checked("GET", f"/field/{made['id']}/context", 200)["values"][0]["id"]
    options = api.checked(
        "POST",
        f"/field/{made['id']}/context/{context}/option",
        200,
        json={"options": [{"value": "High"}, {"value": "Low"}]},
    )["options"]
    return made["id"], context, options


def test_a_new_site_has_an_empty_log(api: Api) -> None:
    assert api.checked("GET", "/auditing/record", 200) == {
        "offset": 0,
        "limit": 1000,
        "total": 0,
        "records": [],
    }


def test_each_configuration_write_is_recorded_newest_first(api: Api) -> None:
    field, context, options = field_with_options(api)
    api.call("DELETE", f"/field/{field}/context/{context}/option/{options[0]['id']}")
    api.checked("PUT", f"/field/{field}", 204, json={"name": "Risk level"})
    found = records(api)
    assert [r["summary"] for r in found] == ["Custom field updated"] * 3 + ["Custom field created"]
    renamed, removed, added, created = found
    assert {r["category"] for r in found} == {"fields"}
    assert created["objectItem"] == {"id": field, "name": "Risk", "typeName": "CUSTOM_FIELD"}
    assert renamed["objectItem"]["name"] == "Risk level"
    assert {"fieldName": "name", "changedFrom": "Risk", "changedTo": "Risk level"} in renamed[
        "changedValues"
    ]
    assert removed["changedValues"] == [
        {"fieldName": "Option", "changedFrom": "High", "changedTo": ""}
    ]
    assert [v["changedTo"] for v in added["changedValues"]] == ["High", "Low"]
    assert found[0]["id"] > found[1]["id"] and found[0]["authorAccountId"] == "557058:admin"
    assert found[0]["created"].endswith("+0000")


def test_a_refused_write_and_issue_data_leave_no_record(demo_api: Api) -> None:
    status = {"name": "Done", "statusCategory": "DONE"}
    body = {"scope": {"type": "GLOBAL"}, "statuses": [status]}
    demo_api.error("POST", "/statuses", 400, json=body)
    demo_api.checked("PUT", "/issue/ENG-1", 204, json={"fields": {"summary": "Edited"}})
    assert records(demo_api) == []


def test_filters_dashboards_boards_and_sprints_are_not_audited_as_on_jira(api: Api) -> None:
    """Jira's admin audit log leaves them out (see ``sandbox/audit.py``); verify expects no record
    of their writes (their kinds are not ``audited``)."""
    made = api.checked("POST", "/filter", 200, json={"name": "Mine", "jql": "order by key"})
    api.checked("PUT", f"/filter/{made['id']}", 200, json={"name": "Mine 2", "jql": "order by key"})
    dash = api.checked("POST", "/dashboard", 200, json={"name": "D", "sharePermissions": []})
    board = {"name": "B", "type": "scrum", "filterId": int(made["id"])}
    board_id = api.checked("POST", "/rest/agile/1.0/board", 201, json=board)["id"]
    sprint = {"name": "S1", "originBoardId": board_id, "goal": "g"}
    sprint_id = api.checked("POST", "/rest/agile/1.0/sprint", 201, json=sprint)["id"]
    api.checked("POST", f"/rest/agile/1.0/sprint/{sprint_id}", 200, json={"goal": "h"})
    api.checked("DELETE", f"/dashboard/{dash['id']}", 204)
    api.checked("DELETE", f"/rest/agile/1.0/board/{board_id}", 204)
    assert records(api) == []
    api.checked(
        "POST",
        "/statuses",
        200,
        json={
            "scope": {"type": "GLOBAL"},
            "statuses": [{"name": "Triage", "statusCategory": "TODO"}],
        },
    )
    assert [r["summary"] for r in records(api)] == ["Status created"]


def test_a_secret_never_reaches_the_log(api: Api) -> None:
    hook = {
        "name": "Deploy",
        "url": "https://hooks.example.com/x",
        "events": ["jira:issue_created"],
    }
    made = api.checked("POST", WEBHOOKS, 201, json={**hook, "secret": "s3cr3t-value"})
    path = f"{WEBHOOKS}/{str(made['self']).rsplit('/', 1)[-1]}"
    api.checked("PUT", path, 200, json={**hook, "secret": "other-s3cr3t", "enabled": False})
    found = records(api)
    assert [r["summary"] for r in found] == ["Webhook updated", "Webhook created"]
    assert found[0]["changedValues"] == [
        {"fieldName": "enabled", "changedFrom": "true", "changedTo": "false"}
    ]
    assert "s3cr3t" not in api.call("GET", "/auditing/record").text


def test_offset_limit_filter_from_and_to(api: Api) -> None:
    field_with_options(api, "Alpha")
    field_with_options(api, "Beta")
    everything = records(api)
    assert len(everything) == 4
    page = api.checked("GET", "/auditing/record", 200, params={"offset": 1, "limit": 2})
    assert (page["offset"], page["limit"], page["total"]) == (1, 2, 4)
    assert page["records"] == everything[1:3]
    assert [r["objectItem"]["name"] for r in records(api, filter="beta created")] == ["Beta"]
    assert len(records(api, filter="fields low")) == 2  # a changed value matches too
    newest = everything[0]["created"]
    assert records(api, **{"from": newest}) == everything[:1]
    assert records(api, to="2020-01-01") == []
    assert len(records(api, **{"from": "2020-01-01T00:00:00.000+0000"})) == 4
    api.error("GET", "/auditing/record", 400, params={"from": "last tuesday"})
