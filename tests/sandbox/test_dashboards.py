"""Dashboards in the sandbox: Jira's shapes (checked against the spec), gadgets that stack in their
column, item properties, owner-scoped visibility, owner changes and Jira's refusals."""

from __future__ import annotations

from typing import Any

import httpx

from jiracfg.sandbox.server import SandboxServer
from tests.conftest import Api

PIE = "com.atlassian.jira.gadgets:pie-chart-dashboard-item"


def make(api: Api, **extra: Any) -> dict[str, Any]:
    body = {"name": "Team", "sharePermissions": [], "editPermissions": [], **extra}
    made: dict[str, Any] = api.checked("POST", "/dashboard", 200, json=body)
    return made


def gadget(api: Api, path: str, column: int, row: int, **extra: Any) -> dict[str, Any]:
    body = {
        "moduleKey": PIE,
        "title": f"{column}/{row}",
        "position": {"column": column, "row": row},
    }
    added: dict[str, Any] = api.checked("POST", f"{path}/gadget", 200, json={**body, **extra})
    return added


def layout(api: Api, path: str) -> list[tuple[str, int, int]]:
    found = api.checked("GET", f"{path}/gadget", 200)["gadgets"]
    return [(g["title"], g["position"]["column"], g["position"]["row"]) for g in found]


def test_create_get_update_copy_delete(api: Api) -> None:
    made = make(api, description="d", sharePermissions=[{"type": "global"}])
    path = f"/dashboard/{made['id']}"
    assert api.checked("GET", path, 200)["description"] == "d"
    changed = api.checked("PUT", path, 200, json={"name": "Renamed", "sharePermissions": []})
    assert (changed["name"], changed["sharePermissions"]) == ("Renamed", [])
    gadget(api, path, 0, 0)
    copy = api.checked("POST", f"{path}/copy", 200, json={"name": "Copy"})
    assert layout(api, f"/dashboard/{copy['id']}") == [("0/0", 0, 0)]
    api.checked("DELETE", path, 204)
    assert api.error("GET", path, 404)["errorMessages"]


def test_search_lists_the_system_dashboard_and_expands(api: Api) -> None:
    make(api, description="mine")
    found = api.checked("GET", "/dashboard/search", 200, params={"expand": "description,owner"})
    assert [d["name"] for d in found["values"]] == ["Default dashboard", "Team"]
    assert found["values"][1]["description"] == "mine" and "owner" in found["values"][1]
    listed = api.checked("GET", "/dashboard", 200, params={"filter": "my"})
    assert [d["name"] for d in listed["dashboards"]] == ["Team"]


def test_gadgets_stack_in_their_column_and_keep_properties(api: Api) -> None:
    path = f"/dashboard/{make(api)['id']}"
    first = gadget(api, path, 0, 0, color="red")
    gadget(api, path, 0, 0)  # placed above: the first moves down
    gadget(api, path, 1, 0)
    assert layout(api, path) == [("0/0", 0, 0), ("0/0", 0, 1), ("1/0", 1, 0)]
    item = f"{path}/items/{first['id']}/properties/config"
    assert api.call("PUT", item, json={"filterId": "filter-1"}).status_code == 201
    assert api.call("PUT", item, json={"filterId": "filter-2"}).status_code == 200
    assert api.checked("GET", item, 200)["value"] == {"filterId": "filter-2"}
    keys = api.checked("GET", f"{path}/items/{first['id']}/properties", 200)["keys"]
    assert [k["key"] for k in keys] == ["config"]
    moved = {"position": {"column": 1, "row": 0}, "color": "green"}
    api.checked("PUT", f"{path}/gadget/{first['id']}", 204, json=moved)
    assert layout(api, path) == [("0/0", 0, 0), ("0/0", 1, 0), ("1/0", 1, 1)]
    api.checked("DELETE", f"{path}/gadget/{first['id']}", 204)
    assert layout(api, path) == [("0/0", 0, 0), ("1/0", 1, 0)]
    assert api.error("GET", item, 404)["errorMessages"]


def test_refusals_carry_jira_error_bodies(api: Api) -> None:
    assert api.error("POST", "/dashboard", 400, json={"sharePermissions": []})["errors"]["name"]
    path = f"/dashboard/{make(api)['id']}"
    unknown = {"moduleKey": "x:nope", "position": {"column": 0, "row": 0}}
    assert "nope" in api.error("POST", f"{path}/gadget", 400, json=unknown)["errorMessages"][0]
    both = {"moduleKey": PIE, "uri": "rest/x.xml"}
    assert api.error("POST", f"{path}/gadget", 400, json=both)["errorMessages"]
    color = {"moduleKey": PIE, "color": "pink"}
    assert api.error("POST", f"{path}/gadget", 400, json=color)["errors"]["color"]
    wide = {"moduleKey": PIE, "position": {"column": 3, "row": 0}}
    assert api.error("POST", f"{path}/gadget", 400, json=wide)["errors"]["position"]
    shared = {"name": "x", "sharePermissions": [{"type": "group", "group": {"name": "ghosts"}}]}
    assert api.error("POST", "/dashboard", 400, json=shared)["errors"]["sharePermissions"]
    assert api.error("PUT", "/dashboard/10000", 404, json={"name": "mine now"})["errorMessages"]


def test_a_dashboard_not_shared_is_invisible_and_owners_change(
    api: Api, sandbox: SandboxServer
) -> None:
    sandbox.store.insert(
        "user",
        {
            "accountId": "557058:bob",
            "emailAddress": "bob@x.example",
            "displayName": "Bob",
            "token": "t",
        },
    )
    private = make(api, name="Private")
    make(api, name="Shared", sharePermissions=[{"type": "authenticated"}])
    with httpx.Client(base_url=sandbox.url + "/rest/api/3", auth=("bob@x.example", "t")) as bob:
        seen = [d["name"] for d in bob.get("/dashboard/search").json()["values"]]
        assert seen == ["Default dashboard", "Shared"]
        assert bob.get(f"/dashboard/{private['id']}").status_code == 404
    change = {
        "action": "changeOwner",
        "entityIds": [int(private["id"])],
        "changeOwnerDetails": {"newOwner": "557058:bob", "autofixName": False},
    }
    done = api.checked("PUT", "/dashboard/bulk/edit", 200, json=change)
    assert done["entityErrors"] == {}
    assert api.error("GET", f"/dashboard/{private['id']}", 404)  # bob's now, and not shared
    admin = {"extendAdminPermissions": "true"}
    api.checked("DELETE", f"/dashboard/{private['id']}", 204, params=admin)
