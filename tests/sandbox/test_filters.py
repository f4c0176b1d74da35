"""Filters in the sandbox: Jira's shapes (checked against the spec), owner-scoped visibility,
share permissions, owner changes and Jira's refusals."""

from __future__ import annotations

from typing import Any

import httpx

from tests.conftest import Api, create_project

BOB = ("bob@acme.example", "sandbox")


def make(api: Api, **extra: Any) -> dict[str, Any]:
    body = {"name": "Open bugs", "jql": "issuetype = Bug", **extra}
    made: dict[str, Any] = api.checked("POST", "/filter", 200, json=body)
    return made


def test_create_get_update_delete(api: Api) -> None:
    made = make(api, description="All bugs", sharePermissions=[{"type": "global"}])
    assert made["owner"]["accountId"] == "557058:admin"
    assert made["sharePermissions"][0]["type"] == "global"
    path = f"/filter/{made['id']}"
    got = api.checked("GET", path, 200)
    assert (got["name"], got["jql"], got["description"]) == (
        "Open bugs",
        "issuetype = Bug",
        "All bugs",
    )
    changed = api.checked("PUT", path, 200, json={"name": "Bugs", "jql": "issuetype = Task"})
    assert (changed["name"], changed["jql"]) == ("Bugs", "issuetype = Task")
    assert changed["sharePermissions"][0]["type"] == "global"  # kept when not sent
    api.checked("DELETE", path, 204)
    assert "not available" in api.error("GET", path, 400)["errorMessages"][0]


def test_search_pages_and_expands(api: Api) -> None:
    for name in ("b", "a", "c"):
        make(api, name=name)
    found = api.checked(
        "GET", "/filter/search", 200, params={"maxResults": 2, "expand": "jql,owner"}
    )
    assert [f["name"] for f in found["values"]] == ["a", "b"] and not found["isLast"]
    assert (
        found["total"] == 3
        and "jql" in found["values"][0]
        and "description" not in found["values"][0]
    )
    named = api.checked("GET", "/filter/search", 200, params={"filterName": "C"})
    assert [f["name"] for f in named["values"]] == ["c"]


def test_refusals_carry_jira_error_bodies(api: Api) -> None:
    make(api)
    duplicate = api.error("POST", "/filter", 400, json={"name": "open BUGS", "jql": ""})
    assert duplicate["errors"] == {"filterName": "Filter with same name already exists."}
    unknown = api.error("POST", "/filter", 400, json={"name": "x", "jql": '"Story Poonts" > 3'})
    assert "Story Poonts" in unknown["errors"]["jql"]
    bad_group = {"name": "y", "sharePermissions": [{"type": "group", "group": {"name": "nope"}}]}
    assert "nope" in api.error("POST", "/filter", 400, json=bad_group)["errors"]["sharePermissions"]
    bad_project = {"name": "z", "sharePermissions": [{"type": "project", "project": {"id": "999"}}]}
    assert api.error("POST", "/filter", 400, json=bad_project)["errors"]
    assert api.error("POST", "/filter", 400, json={"jql": "project = X"})["errors"]["filterName"]


def test_jql_naming_a_filter_sprint_or_user_the_site_lacks_is_refused(api: Api) -> None:
    """Jira's 400 for a value the site does not have (an id, or a name), as saved filters get
    when they name a deleted filter; existing ones by id, name or email are taken."""
    first = make(api)
    cases = {
        "filter = 99999": "A value with ID '99999' does not exist for the field 'filter'.",
        'savedFilter = "Nope"': "The value 'Nope' does not exist for the field 'savedFilter'.",
        "sprint in (4242)": "A value with ID '4242' does not exist for the field 'sprint'.",
        'assignee = "557058:ghost"': "The value '557058:ghost' does not exist for the field "
        "'assignee'.",
    }
    for jql, message in cases.items():
        assert api.error("POST", "/filter", 400, json={"name": jql, "jql": jql})["errors"] == {
            "jql": message
        }
    taken = f'filter = {first["id"]} AND filter != "Open bugs" AND reporter = "admin@example.com"'
    api.checked("POST", "/filter", 200, json={"name": "ok", "jql": taken})


def test_a_filter_not_shared_is_invisible_to_other_users(api: Api, sandbox: Any) -> None:
    other = _user(api, sandbox, "bob")
    private = make(api, name="Private")
    shared = make(api, name="Shared", sharePermissions=[{"type": "authenticated"}])
    assert shared["sharePermissions"][0]["type"] == "loggedin"
    with httpx.Client(base_url=sandbox.url + "/rest/api/3", auth=other) as bob:
        seen = bob.get("/filter/search").json()["values"]
        assert [f["name"] for f in seen] == ["Shared"]
        assert bob.get(f"/filter/{private['id']}").status_code == 400
        assert bob.put(f"/filter/{shared['id']}", json={"name": "Mine"}).status_code == 400
    everything = api.checked(
        "GET", "/filter/search", 200, params={"overrideSharePermissions": "true"}
    )
    assert everything["total"] == 2


def test_share_permissions_and_owner_change(api: Api, sandbox: Any) -> None:
    project_id = create_project(api)
    bob = _user(api, sandbox, "bob")
    made = make(api)
    path = f"/filter/{made['id']}/permission"
    api.checked("POST", path, 201, json={"type": "group", "groupname": "jira-users"})
    after = api.checked("POST", path, 201, json={"type": "project", "projectId": project_id})
    assert {p["type"] for p in after} == {"group", "project"}
    assert after[1]["project"]["key"] == "ENG"
    one = api.checked("GET", f"{path}/{after[0]['id']}", 200)
    assert one["group"]["name"] == "jira-users"
    api.checked("DELETE", f"{path}/{after[0]['id']}", 204)
    assert [p["type"] for p in api.checked("GET", path, 200)] == ["project"]
    assert [p["type"] for p in api.checked("POST", path, 201, json={"type": "global"})] == [
        "global"
    ]
    account = api.checked("GET", "/user/search", 200, params={"query": bob[0]})[0]["accountId"]
    api.checked("PUT", f"/filter/{made['id']}/owner", 204, json={"accountId": account})
    assert api.checked("GET", f"/filter/{made['id']}", 200)["owner"]["accountId"] == account
    assert api.error("PUT", f"/filter/{made['id']}/owner", 404, json={"accountId": "nobody"})


def test_an_owner_change_onto_a_namesake_is_refused(api: Api, sandbox: Any) -> None:
    bob = _user(api, sandbox, "bob")
    account = api.checked("GET", "/user/search", 200, params={"query": bob[0]})[0]["accountId"]
    first, second = make(api), make(api, name="Other")
    api.checked("PUT", f"/filter/{first['id']}/owner", 204, json={"accountId": account})
    api.checked("PUT", f"/filter/{second['id']}", 200, json={"name": "Open bugs"})
    body = api.error("PUT", f"/filter/{second['id']}/owner", 400, json={"accountId": account})
    assert "same name" in body["errorMessages"][0]


def _user(api: Api, sandbox: Any, handle: str) -> tuple[str, str]:
    email = f"{handle}@acme.example"
    sandbox.store.insert(
        "user",
        {
            "accountId": f"557058:{handle}",
            "emailAddress": email,
            "displayName": handle,
            "token": "t",
        },
    )
    return email, "t"
