from __future__ import annotations

from typing import Any

import pytest

from jiracfg.sandbox.routes import basics
from tests.conftest import Api


def issues_use(monkeypatch: pytest.MonkeyPatch, **used: str) -> list[tuple[str, str, str]]:
    """Pretend issues use some priorities/resolutions (``priority_id="3"``); record replacements."""
    replaced: list[tuple[str, str, str]] = []

    def count(db: Any, **where: Any) -> int:
        return sum(1 for key, value in used.items() if where.get(key) == value)

    def replacer(kind: str) -> Any:
        return lambda db, old, new: replaced.append((kind, old, new))

    monkeypatch.setattr(basics, "count_issues", count)
    monkeypatch.setattr(
        basics, "peer", lambda module, name: replacer(name) if name.startswith("replace_") else None
    )
    return replaced


def finish(api: Api, response: Any) -> dict[str, Any]:
    """Poll the task behind a 303 until it ends; return the final bean."""
    path = response["self"].split("/rest/api/3")[1]
    while response["status"] in ("ENQUEUED", "RUNNING"):
        response = api.checked("GET", path, 200)
    result: dict[str, Any] = response
    return result


def names(api: Api, path: str) -> list[str]:
    return [d["name"] for d in api.checked("GET", path, 200)]


# -- priorities --------------------------------------------------------------------------------
def test_new_site_priorities_in_order_with_medium_default(api: Api) -> None:
    listed = api.checked("GET", "/priority", 200)
    assert [(p["id"], p["name"]) for p in listed] == [
        ("1", "Highest"),
        ("2", "High"),
        ("3", "Medium"),
        ("4", "Low"),
        ("5", "Lowest"),
    ]
    assert listed[1]["statusColor"] == "#f15C75"
    assert listed[0]["iconUrl"].endswith("/images/icons/priorities/highest.svg")
    default = api.checked("GET", "/priority/search", 200, params={"onlyDefault": "true"})
    assert [p["name"] for p in default["values"]] == ["Medium"]


def test_search_priorities_by_id_and_name(api: Api) -> None:
    page = api.checked("GET", "/priority/search", 200, params={"id": ["1", "4"]})
    assert [p["name"] for p in page["values"]] == ["Highest", "Low"]
    page = api.checked("GET", "/priority/search", 200, params={"priorityName": "high"})
    assert [p["name"] for p in page["values"]] == ["Highest", "High"]
    page = api.checked("GET", "/priority/search", 200, params={"maxResults": 2})
    assert (len(page["values"]), page["isLast"], page["total"]) == (2, False, 5)


def test_create_get_update_priority(api: Api) -> None:
    made = api.checked(
        "POST",
        "/priority",
        201,
        json={
            "name": "Blocker",
            "statusColor": "#b30000",
            "description": "Stops a release",
            "iconUrl": "/images/icons/priorities/blocker.png",
        },
    )
    assert made["id"] == "10000"
    api.checked(
        "PUT", f"/priority/{made['id']}", 204, json={"name": "Critical", "statusColor": "#abc"}
    )
    got = api.checked("GET", f"/priority/{made['id']}", 200)
    assert (got["name"], got["statusColor"], got["description"]) == (
        "Critical",
        "#abc",
        "Stops a release",
    )
    assert got["iconUrl"].endswith("blocker.png") and not got["isDefault"]
    assert names(api, "/priority")[-1] == "Critical"


@pytest.mark.parametrize(
    "body",
    [
        {"name": "medium", "statusColor": "#fff"},  # name taken, any case
        {"name": "x" * 61, "statusColor": "#fff"},  # too long
        {"name": "Blocker"},  # colour missing
        {"name": "Blocker", "statusColor": "red"},  # not a hex colour
        {
            "name": "Blocker",
            "statusColor": "#fff",
            "avatarId": 1,
            "iconUrl": "/images/icons/priorities/blocker.png",
        },  # both icon kinds
        {"name": "Blocker", "statusColor": "#fff", "iconUrl": "http://x/y.png"},
    ],
)
def test_priority_create_is_validated(api: Api, body: dict[str, Any]) -> None:
    api.error("POST", "/priority", 400, json=body)


def test_priority_update_checks_name_and_existence(api: Api) -> None:
    body = api.error("PUT", "/priority/2", 400, json={"name": "LOW"})
    assert "already used" in body["errors"]["name"]
    api.checked("PUT", "/priority/2", 204, json={"name": "High"})  # its own name is fine
    api.error("PUT", "/priority/99", 404, json={"name": "X"})
    api.error("GET", "/priority/99", 404)


def test_set_and_clear_default_priority(api: Api) -> None:
    api.checked("PUT", "/priority/default", 204, json={"id": "2"})
    assert [p["isDefault"] for p in api.checked("GET", "/priority", 200)] == [
        False,
        True,
        False,
        False,
        False,
    ]
    api.checked("PUT", "/priority/default", 204, json={"id": None})
    assert not any(p["isDefault"] for p in api.checked("GET", "/priority", 200))
    api.error("PUT", "/priority/default", 404, json={"id": "99"})
    api.error("PUT", "/priority/default", 400, json={})


def test_move_priorities(api: Api) -> None:
    api.checked("PUT", "/priority/move", 204, json={"ids": ["5", "4"], "position": "First"})
    assert names(api, "/priority") == ["Lowest", "Low", "Highest", "High", "Medium"]
    api.checked("PUT", "/priority/move", 204, json={"ids": ["5"], "after": "2"})
    assert names(api, "/priority") == ["Low", "Highest", "High", "Lowest", "Medium"]
    api.checked("PUT", "/priority/move", 204, json={"ids": ["4"], "position": "Last"})
    assert names(api, "/priority")[-1] == "Low"


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"ids": []}, 400),
        ({"ids": ["1", "1"], "position": "First"}, 400),
        ({"ids": ["1"]}, 400),
        ({"ids": ["1"], "position": "Middle"}, 400),
        ({"ids": ["1"], "after": "1"}, 400),
        ({"ids": ["99"], "position": "First"}, 404),
        ({"ids": ["1"], "after": "99"}, 404),
    ],
)
def test_move_is_validated(api: Api, body: dict[str, Any], status: int) -> None:
    api.error("PUT", "/priority/move", status, json=body)


def test_delete_priority_runs_as_a_task(api: Api) -> None:
    task = api.checked("DELETE", "/priority/1", 303)
    assert finish(api, task)["status"] == "COMPLETE"
    assert "Highest" not in names(api, "/priority")
    api.error("DELETE", "/priority/1", 404)


def test_default_priority_cannot_be_deleted(api: Api) -> None:
    body = api.error("DELETE", "/priority/3", 400)
    assert body["errorMessages"] == ["The default priority can't be deleted."]


def test_in_use_priority_hands_its_issues_to_the_default(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    replaced = issues_use(monkeypatch, priority_id="2")
    finish(api, api.checked("DELETE", "/priority/2", 303))
    assert replaced == [("replace_priority", "2", "3")]
    api.checked("PUT", "/priority/default", 204, json={"id": None})
    issues_use(monkeypatch, priority_id="4")
    body = api.error("DELETE", "/priority/4", 400)
    assert "no default priority" in body["errorMessages"][0]


# -- resolutions -------------------------------------------------------------------------------
def test_new_site_resolutions(api: Api) -> None:
    listed = api.checked("GET", "/resolution", 200)
    assert [(r["id"], r["name"]) for r in listed] == [
        ("10000", "Done"),
        ("10001", "Won't Do"),
        ("10002", "Duplicate"),
        ("10003", "Cannot Reproduce"),
    ]
    page = api.checked("GET", "/resolution/search", 200)
    assert [r["isDefault"] for r in page["values"]] == [False] * 4


def test_create_update_default_and_move_resolution(api: Api) -> None:
    made = api.checked("POST", "/resolution", 201, json={"name": "Fixed", "description": "ok"})
    assert made["id"] == "10004"
    api.checked("PUT", f"/resolution/{made['id']}", 204, json={"name": "Shipped"})
    got = api.checked("GET", f"/resolution/{made['id']}", 200)
    assert (got["name"], got["description"]) == ("Shipped", "ok")
    api.checked("PUT", "/resolution/default", 204, json={"id": made["id"]})
    only = api.checked("GET", "/resolution/search", 200, params={"onlyDefault": "true"})
    assert [r["name"] for r in only["values"]] == ["Shipped"]
    api.checked("PUT", "/resolution/move", 204, json={"ids": [made["id"]], "position": "First"})
    assert names(api, "/resolution")[:2] == ["Shipped", "Done"]


def test_resolution_names_are_unique_case_insensitively(api: Api) -> None:
    api.error("POST", "/resolution", 400, json={"name": "done"})
    api.error("POST", "/resolution", 400, json={"name": "y" * 61})
    api.error("POST", "/resolution", 400, json={"description": "no name"})
    api.error("PUT", "/resolution/10001", 400, json={"name": "DUPLICATE"})
    api.error("PUT", "/resolution/10001", 400, json={"description": "name is required"})
    api.error("GET", "/resolution/99", 404)


def test_delete_resolution_needs_a_replacement(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    replaced = issues_use(monkeypatch, resolution_id="10002")
    api.error("DELETE", "/resolution/10002", 400)
    api.error("DELETE", "/resolution/10002", 400, params={"replaceWith": "10002"})
    api.error("DELETE", "/resolution/10002", 404, params={"replaceWith": "99"})
    task = api.checked("DELETE", "/resolution/10002", 303, params={"replaceWith": "10000"})
    assert finish(api, task)["status"] == "COMPLETE"
    assert replaced == [("replace_resolution", "10002", "10000")]
    assert "Duplicate" not in names(api, "/resolution")


# -- issue link types --------------------------------------------------------------------------
def test_new_site_link_types(api: Api) -> None:
    body = api.checked("GET", "/issueLinkType", 200)
    assert [(t["id"], t["name"], t["inward"], t["outward"]) for t in body["issueLinkTypes"]] == [
        ("10000", "Blocks", "is blocked by", "blocks"),
        ("10001", "Cloners", "is cloned by", "clones"),
        ("10002", "Duplicate", "is duplicated by", "duplicates"),
        ("10003", "Relates", "relates to", "relates to"),
    ]


def test_create_get_update_delete_link_type(api: Api) -> None:
    made = api.checked(
        "POST",
        "/issueLinkType",
        201,
        json={"name": "Causes", "inward": "is caused by", "outward": "causes"},
    )
    assert made["id"] == "10004"
    changed = api.checked("PUT", f"/issueLinkType/{made['id']}", 200, json={"outward": "leads to"})
    assert (changed["name"], changed["outward"]) == ("Causes", "leads to")
    assert api.checked("GET", f"/issueLinkType/{made['id']}", 200) == changed
    api.checked("DELETE", f"/issueLinkType/{made['id']}", 204)
    api.error("GET", f"/issueLinkType/{made['id']}", 404)


def test_link_type_constraints(api: Api) -> None:
    body = api.error(
        "POST", "/issueLinkType", 404, json={"name": "blocks", "inward": "a", "outward": "b"}
    )  # Jira answers a taken name with 404
    assert "already exists" in body["errorMessages"][0]
    api.error("POST", "/issueLinkType", 400, json={"name": "Causes", "inward": "a"})
    api.error("PUT", "/issueLinkType/10000", 404, json={"name": "Relates"})
    api.error("GET", "/issueLinkType/abc", 400)
    api.error("DELETE", "/issueLinkType/99", 404)
