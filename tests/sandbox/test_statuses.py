from __future__ import annotations

from typing import Any

from tests.conftest import Api

GLOBAL = {"type": "GLOBAL"}


def create(api: Api, *statuses: dict[str, Any]) -> list[dict[str, Any]]:
    body: list[dict[str, Any]] = api.checked(
        "POST", "/statuses", 200, json={"scope": GLOBAL, "statuses": list(statuses)}
    )
    return body


def review(name: str = "In Review", category: str = "IN_PROGRESS") -> dict[str, Any]:
    return {"name": name, "statusCategory": category, "description": "Waiting for a reviewer"}


def test_new_site_statuses(api: Api) -> None:
    page = api.checked("GET", "/statuses/search", 200)
    assert page["maxResults"] == 200 and page["isLast"]
    assert [(s["id"], s["name"], s["statusCategory"]) for s in page["values"]] == [
        ("1", "Open", "TODO"),
        ("3", "In Progress", "IN_PROGRESS"),
        ("4", "Reopened", "TODO"),
        ("5", "Resolved", "DONE"),
        ("6", "Closed", "DONE"),
        ("10000", "To Do", "TODO"),
        ("10001", "Done", "DONE"),
    ]
    assert page["values"][0]["scope"] == GLOBAL


def test_legacy_reads_see_only_statuses_of_workflows(api: Api) -> None:
    listed = api.checked("GET", "/status", 200)
    assert [s["name"] for s in listed] == ["Open", "In Progress", "Reopened", "Resolved", "Closed"]
    closed = api.checked("GET", "/status/closed", 200)
    assert (closed["id"], closed["statusCategory"]["key"]) == ("6", "done")
    assert api.checked("GET", "/status/3", 200)["name"] == "In Progress"
    body = api.error("GET", "/status/10000", 404)
    assert body["errorMessages"] == ["The status with ID or name '10000' was not found."]


def test_status_categories(api: Api) -> None:
    cats = api.checked("GET", "/statuscategory", 200)
    assert [(c["id"], c["key"]) for c in cats] == [
        (1, "undefined"),
        (2, "new"),
        (3, "done"),
        (4, "indeterminate"),
    ]
    assert api.checked("GET", "/statuscategory/indeterminate", 200)["colorName"] == "yellow"
    assert api.checked("GET", "/statuscategory/3", 200)["name"] == "Done"
    api.error("GET", "/statuscategory/9", 404)


def test_bulk_create_get_update_delete(api: Api) -> None:
    made = create(api, review(), review("Blocked", "TODO"))
    assert [(s["id"], s["name"]) for s in made] == [("10002", "In Review"), ("10003", "Blocked")]
    got = api.checked("GET", "/statuses", 200, params={"id": ["10003", "10002", "999"]})
    assert [s["name"] for s in got] == ["Blocked", "In Review"]
    api.checked(
        "PUT",
        "/statuses",
        204,
        json={"statuses": [{"id": "10002", "name": "Reviewing", "statusCategory": "DONE"}]},
    )
    after = api.checked("GET", "/statuses", 200, params={"id": "10002"})[0]
    assert (after["name"], after["statusCategory"], after["description"]) == (
        "Reviewing",
        "DONE",
        "",
    )
    api.checked("DELETE", "/statuses", 204, params={"id": ["10002", "10003"]})
    assert api.checked("GET", "/statuses", 200, params={"id": ["10002", "10003"]}) == []


def test_search_filters_and_pages(api: Api) -> None:
    create(api, review())
    found = api.checked("GET", "/statuses/search", 200, params={"searchString": "PROG"})
    assert [s["name"] for s in found["values"]] == ["In Progress"]
    done = api.checked("GET", "/statuses/search", 200, params={"statusCategory": "DONE"})
    assert [s["name"] for s in done["values"]] == ["Resolved", "Closed", "Done"]
    first = api.checked("GET", "/statuses/search", 200, params={"maxResults": 3})
    assert (len(first["values"]), first["total"], first["isLast"]) == (3, 8, False)
    assert "startAt=3" in first["nextPage"]
    api.error("GET", "/statuses/search", 400, params={"statusCategory": "LATER"})


def test_by_names_is_case_insensitive(api: Api) -> None:
    found = api.checked("GET", "/statuses/byNames", 200, params={"name": ["to do", "DONE", "x"]})
    assert [s["id"] for s in found] == ["10000", "10001"]
    api.error("GET", "/statuses/byNames", 400)


def test_status_names_are_unique_case_insensitively(api: Api) -> None:
    body = api.error(
        "POST", "/statuses", 400, json={"scope": GLOBAL, "statuses": [review("in progress")]}
    )
    assert body["errorMessages"] == ["A status with the name 'in progress' already exists."]
    api.error(
        "POST",
        "/statuses",
        400,
        json={"scope": GLOBAL, "statuses": [review("Twice"), review("TWICE")]},
    )
    assert api.checked("GET", "/statuses/byNames", 200, params={"name": "Twice"}) == []
    api.error(
        "PUT",
        "/statuses",
        400,
        json={"statuses": [{"id": "10000", "name": "DONE", "statusCategory": "TODO"}]},
    )
    api.checked(
        "PUT",
        "/statuses",
        204,
        json={
            "statuses": [  # its own name, another case
                {"id": "10000", "name": "TO DO", "statusCategory": "TODO"}
            ]
        },
    )


def test_create_refuses_bad_input(api: Api) -> None:
    long = api.error(
        "POST", "/statuses", 400, json={"scope": GLOBAL, "statuses": [review("x" * 256)]}
    )
    assert long["errorMessages"] == ["The name is too long, maxSize=255"]
    bad = api.error(
        "POST", "/statuses", 400, json={"scope": GLOBAL, "statuses": [review("New", "LATER")]}
    )
    assert "statusCategory" in bad["errors"]
    api.error("POST", "/statuses", 400, json={"scope": {"type": "SITE"}, "statuses": [review()]})
    api.error("POST", "/statuses", 400, json={"scope": GLOBAL, "statuses": []})
    api.error(
        "PUT",
        "/statuses",
        400,
        json={"statuses": [{"id": "424242", "name": "Ghost", "statusCategory": "TODO"}]},
    )


def test_status_used_by_a_workflow_cannot_be_deleted(api: Api) -> None:
    body = api.error("DELETE", "/statuses", 400, params={"id": ["10000", "3"]})
    assert body["errorMessages"] == [
        "The status with ID 3 is used in a workflow and can't be deleted."
    ]
    assert len(api.checked("GET", "/statuses", 200, params={"id": "10000"})) == 1  # all or none


def test_delete_needs_known_ids(api: Api) -> None:
    api.error("DELETE", "/statuses", 400, params={"id": "424242"})
    api.error("DELETE", "/statuses", 400)
    api.error("GET", "/statuses", 400, params={"id": [str(i) for i in range(51)]})
