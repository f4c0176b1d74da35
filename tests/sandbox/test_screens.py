from __future__ import annotations

from typing import Any

import pytest

from jiracfg.sandbox.routes import issuetypes, screens
from tests.conftest import Api


def new_screen(api: Api, name: str = "Bug screen") -> int:
    body = api.checked("POST", "/screens", 201, json={"name": name, "description": "d"})
    return int(body["id"])


def first_tab(api: Api, screen: int) -> int:
    return int(api.checked("GET", f"/screens/{screen}/tabs", 200)[0]["id"])


def tab_fields(api: Api, screen: int, tab: int) -> list[str]:
    return [f["id"] for f in api.checked("GET", f"/screens/{screen}/tabs/{tab}/fields", 200)]


def add_fields(api: Api, screen: int, tab: int, *fields: str) -> None:
    for field in fields:
        api.checked("POST", f"/screens/{screen}/tabs/{tab}/fields", 200, json={"fieldId": field})


def new_screen_scheme(api: Api, name: str, **screen_ids: int) -> int:
    body = api.checked("POST", "/screenscheme", 201, json={"name": name, "screens": screen_ids})
    return int(body["id"])


def new_itss(api: Api, name: str, mappings: list[dict[str, Any]]) -> str:
    body = api.checked(
        "POST", "/issuetypescreenscheme", 201, json={"name": name, "issueTypeMappings": mappings}
    )
    return str(body["id"])


def itss_mappings(api: Api, scheme: str) -> dict[str, str]:
    page = api.checked(
        "GET", "/issuetypescreenscheme/mapping", 200, params={"issueTypeScreenSchemeId": scheme}
    )
    return {m["issueTypeId"]: m["screenSchemeId"] for m in page["values"]}


# -- screens -----------------------------------------------------------------------------------
def test_new_site_screens_and_their_fields(api: Api) -> None:
    page = api.checked("GET", "/screens", 200)
    assert page["maxResults"] == 100
    assert [(s["id"], s["name"]) for s in page["values"]] == [
        (1, "Default Screen"),
        (2, "Resolve Issue Screen"),
        (3, "Workflow Screen"),
    ]
    tabs = api.checked("GET", "/screens/1/tabs", 200)
    assert [t["name"] for t in tabs] == ["Field Tab"]
    fields = api.checked("GET", f"/screens/1/tabs/{tabs[0]['id']}/fields", 200)
    assert fields[0] == {"id": "summary", "name": "Summary"}
    assert {"issuetype", "reporter", "labels", "assignee", "duedate"} <= {f["id"] for f in fields}


def test_create_screen_gets_a_field_tab_and_can_be_updated(api: Api) -> None:
    screen = new_screen(api)
    assert [t["name"] for t in api.checked("GET", f"/screens/{screen}/tabs", 200)] == ["Field Tab"]
    body = api.checked("PUT", f"/screens/{screen}", 200, json={"name": "Bugs", "description": ""})
    assert body == {"id": screen, "name": "Bugs"}
    found = api.checked("GET", "/screens", 200, params={"queryString": "bug"})
    assert [s["id"] for s in found["values"]] == [screen]


def test_screen_names_are_unique_case_insensitively(api: Api) -> None:
    body = api.error("POST", "/screens", 400, json={"name": "default screen"})
    assert body["errorMessages"] == ["The name is used by another screen."]
    screen = new_screen(api)
    api.error("PUT", f"/screens/{screen}", 400, json={"name": "WORKFLOW SCREEN"})
    api.error("PUT", f"/screens/{screen}", 400, json={"name": "Bug screen"})  # its own name
    api.checked("PUT", f"/screens/{screen}", 200, json={"description": "only this"})


def test_renaming_a_tab_to_its_own_name_is_refused(api: Api) -> None:
    screen = new_screen(api)
    tab = first_tab(api, screen)
    body = api.error("PUT", f"/screens/{screen}/tabs/{tab}", 400, json={"name": "Field Tab"})
    assert body["errors"]["name"] == "Screen Tab with name 'Field Tab' already exists."


def test_screen_paging_and_order(api: Api) -> None:
    new_screen(api, "Alpha")
    page = api.checked("GET", "/screens", 200, params={"maxResults": 2, "orderBy": "name"})
    assert [s["name"] for s in page["values"]] == ["Alpha", "Default Screen"]
    assert not page["isLast"] and page["total"] == 4


def test_screen_in_a_screen_scheme_cannot_be_deleted(api: Api) -> None:
    screen = new_screen(api)
    scheme = new_screen_scheme(api, "Bug scheme", default=screen)
    body = api.error("DELETE", f"/screens/{screen}", 400)
    assert body["errorMessages"] == ["The screen is used in a screen scheme."]
    api.checked("DELETE", f"/screenscheme/{scheme}", 204)
    api.checked("DELETE", f"/screens/{screen}", 204)
    api.error("DELETE", f"/screens/{screen}", 404)
    api.error("GET", f"/screens/{screen}/tabs", 404)


def test_screen_used_by_a_workflow_cannot_be_deleted(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    screen = new_screen(api)
    real_peer = issuetypes.peer

    def fake_peer(module: str, name: str) -> Any:
        if (module, name) == ("workflows", "screen_in_use_by_workflow"):
            return lambda db, screen_id: str(screen_id) == str(screen)
        return real_peer(module, name)

    monkeypatch.setattr(screens, "peer", fake_peer)
    body = api.error("DELETE", f"/screens/{screen}", 400)
    assert body["errorMessages"] == ["The screen is used in a workflow."]


# -- tabs --------------------------------------------------------------------------------------
def test_tabs_add_rename_move_delete(api: Api) -> None:
    screen = new_screen(api)
    second = api.checked("POST", f"/screens/{screen}/tabs", 200, json={"name": "Details"})
    third = api.checked("POST", f"/screens/{screen}/tabs", 200, json={"name": "More"})
    api.error("POST", f"/screens/{screen}/tabs", 400, json={"name": "details"})
    api.checked("PUT", f"/screens/{screen}/tabs/{third['id']}", 200, json={"name": "Extra"})
    api.checked("POST", f"/screens/{screen}/tabs/{third['id']}/move/0", 204)
    names = [t["name"] for t in api.checked("GET", f"/screens/{screen}/tabs", 200)]
    assert names == ["Extra", "Field Tab", "Details"]
    api.error("POST", f"/screens/{screen}/tabs/{third['id']}/move/3", 404)
    api.checked("DELETE", f"/screens/{screen}/tabs/{second['id']}", 204)
    api.error("DELETE", f"/screens/{screen}/tabs/{second['id']}", 404)
    api.error("PUT", f"/screens/1/tabs/{third['id']}", 404, json={"name": "x"})


# -- tab fields --------------------------------------------------------------------------------
def test_a_field_appears_once_per_screen(api: Api) -> None:
    screen = new_screen(api)
    tab = first_tab(api, screen)
    other = api.checked("POST", f"/screens/{screen}/tabs", 200, json={"name": "Other"})["id"]
    add_fields(api, screen, tab, "summary")
    body = api.error(
        "POST", f"/screens/{screen}/tabs/{other}/fields", 400, json={"fieldId": "summary"}
    )
    assert "already exists" in body["errorMessages"][0]
    api.error("POST", f"/screens/{screen}/tabs/{tab}/fields", 404, json={"fieldId": "nope"})


def test_tab_fields_move_and_remove(api: Api) -> None:
    screen = new_screen(api)
    tab = first_tab(api, screen)
    add_fields(api, screen, tab, "summary", "description", "labels", "priority")
    path = f"/screens/{screen}/tabs/{tab}/fields"
    api.checked("POST", f"{path}/priority/move", 204, json={"position": "First"})
    api.checked("POST", f"{path}/summary/move", 204, json={"after": "labels"})
    assert tab_fields(api, screen, tab) == ["priority", "description", "labels", "summary"]
    api.checked("POST", f"{path}/labels/move", 204, json={"position": "Earlier"})
    api.checked("POST", f"{path}/priority/move", 204, json={"position": "Last", "after": "labels"})
    assert tab_fields(api, screen, tab) == ["labels", "priority", "description", "summary"]
    api.error("POST", f"{path}/labels/move", 400, json={})
    api.checked("DELETE", f"{path}/description", 204)
    api.error("DELETE", f"{path}/description", 404)
    assert tab_fields(api, screen, tab) == ["labels", "priority", "summary"]


def test_available_fields_exclude_those_on_the_screen(api: Api) -> None:
    screen = new_screen(api)
    add_fields(api, screen, first_tab(api, screen), "summary")
    free = {f["id"] for f in api.checked("GET", f"/screens/{screen}/availableFields", 200)}
    assert "summary" not in free and "description" in free
    api.error("GET", "/screens/999/availableFields", 404)


# -- screen schemes ----------------------------------------------------------------------------
def test_default_screen_scheme_is_seeded(api: Api) -> None:
    page = api.checked("GET", "/screenscheme", 200)
    assert page["maxResults"] == 25
    assert [(s["id"], s["name"], s["screens"]) for s in page["values"]] == [
        (1, "Default Screen Scheme", {"default": 1})
    ]


def test_screen_scheme_create_update_and_clear(api: Api) -> None:
    screen = new_screen(api)
    scheme = new_screen_scheme(api, "Bugs", default=1, create=screen, view=2)
    api.checked(
        "PUT",
        f"/screenscheme/{scheme}",
        204,
        json={"name": "Bug scheme", "screens": {"create": None, "edit": str(screen)}},
    )
    got = api.checked("GET", "/screenscheme", 200, params={"id": scheme})["values"][0]
    assert (got["name"], got["screens"]) == (
        "Bug scheme",
        {"default": 1, "edit": screen, "view": 2},
    )
    api.error("PUT", f"/screenscheme/{scheme}", 400, json={"screens": {"default": None}})
    api.error("POST", "/screenscheme", 400, json={"name": "bug SCHEME", "screens": {"default": 1}})
    api.error("POST", "/screenscheme", 404, json={"name": "X", "screens": {"default": 999}})
    api.error("POST", "/screenscheme", 400, json={"name": "Y", "screens": {"view": 1}})


def test_screen_scheme_in_an_itss_cannot_be_deleted(api: Api) -> None:
    body = api.error("DELETE", "/screenscheme/1", 400)
    assert "in use in an issue type screen scheme" in body["errorMessages"][0]
    api.error("DELETE", "/screenscheme/4242", 404)


# -- issue type screen schemes -----------------------------------------------------------------
def test_default_itss_is_seeded(api: Api) -> None:
    page = api.checked("GET", "/issuetypescreenscheme", 200)
    assert [(s["id"], s["name"]) for s in page["values"]] == [
        ("1", "Default Issue Type Screen Scheme")
    ]
    assert itss_mappings(api, "1") == {"default": "1"}


def test_itss_create_needs_a_default_mapping(api: Api) -> None:
    api.error(
        "POST",
        "/issuetypescreenscheme",
        400,
        json={"name": "X", "issueTypeMappings": [{"issueTypeId": "10001", "screenSchemeId": "1"}]},
    )
    api.error(
        "POST",
        "/issuetypescreenscheme",
        400,
        json={
            "name": "X",
            "issueTypeMappings": [
                {"issueTypeId": "default", "screenSchemeId": "1"},
                {"issueTypeId": "default", "screenSchemeId": "1"},
            ],
        },
    )
    api.error(
        "POST",
        "/issuetypescreenscheme",
        404,
        json={
            "name": "X",
            "issueTypeMappings": [{"issueTypeId": "default", "screenSchemeId": "77"}],
        },
    )
    api.error(
        "POST",
        "/issuetypescreenscheme",
        400,
        json={
            "name": "default issue type screen scheme",
            "issueTypeMappings": [{"issueTypeId": "default", "screenSchemeId": "1"}],
        },
    )


def test_itss_mappings_append_default_and_remove(api: Api) -> None:
    other = str(new_screen_scheme(api, "Bugs", default=2))
    scheme = new_itss(api, "Eng", [{"issueTypeId": "default", "screenSchemeId": "1"}])
    path = f"/issuetypescreenscheme/{scheme}/mapping"
    api.checked(
        "PUT",
        path,
        204,
        json={"issueTypeMappings": [{"issueTypeId": "10003", "screenSchemeId": other}]},
    )
    body = api.error(
        "PUT",
        path,
        400,
        json={
            "issueTypeMappings": [
                {"issueTypeId": "10001", "screenSchemeId": other},
                {"issueTypeId": "10003", "screenSchemeId": "1"},
            ]
        },
    )
    assert "already mapped" in body["errorMessages"][0]
    api.error(
        "PUT",
        path,
        400,
        json={"issueTypeMappings": [{"issueTypeId": "default", "screenSchemeId": other}]},
    )
    api.checked("PUT", f"{path}/default", 204, json={"screenSchemeId": other})
    assert itss_mappings(api, scheme) == {"default": other, "10003": other}
    api.error("POST", f"{path}/remove", 404, json={"issueTypeIds": ["10001"]})
    api.error("POST", f"{path}/remove", 400, json={"issueTypeIds": ["default"]})
    api.checked("POST", f"{path}/remove", 204, json={"issueTypeIds": ["10003"]})
    assert itss_mappings(api, scheme) == {"default": other}


def test_itss_update_and_name_in_use(api: Api) -> None:
    scheme = new_itss(api, "Eng", [{"issueTypeId": "default", "screenSchemeId": "1"}])
    api.checked(
        "PUT",
        f"/issuetypescreenscheme/{scheme}",
        204,
        json={"name": "Engineering", "description": "eng"},
    )
    got = api.checked("GET", "/issuetypescreenscheme", 200, params={"id": scheme})["values"][0]
    assert got == {"id": scheme, "name": "Engineering", "description": "eng"}
    body = api.error(
        "PUT",
        f"/issuetypescreenscheme/{scheme}",
        400,
        json={"name": "DEFAULT issue type screen scheme"},
    )
    assert body["errorMessages"] == ["The issue type screen scheme name is in use."]


def test_itss_projects_and_in_use_delete(api: Api, two_projects: tuple[str, str]) -> None:
    p1, p2 = two_projects
    scheme = new_itss(api, "Eng", [{"issueTypeId": "default", "screenSchemeId": "1"}])
    api.checked(
        "PUT",
        "/issuetypescreenscheme/project",
        204,
        json={"issueTypeScreenSchemeId": scheme, "projectId": p1},
    )
    page = api.checked(
        "GET", "/issuetypescreenscheme/project", 200, params=[("projectId", p1), ("projectId", p2)]
    )
    assert {v["issueTypeScreenScheme"]["id"]: v["projectIds"] for v in page["values"]} == {
        scheme: [p1],
        "1": [p2],
    }
    projects = api.checked("GET", f"/issuetypescreenscheme/{scheme}/project", 200)
    assert [p["id"] for p in projects["values"]] == [p1]
    body = api.error("DELETE", f"/issuetypescreenscheme/{scheme}", 400)
    assert "assigned to one or more projects" in body["errorMessages"][0]
    api.error("DELETE", "/issuetypescreenscheme/1", 400)
    api.checked(
        "PUT",
        "/issuetypescreenscheme/project",
        204,
        json={"issueTypeScreenSchemeId": "1", "projectId": p1},
    )
    api.checked("DELETE", f"/issuetypescreenscheme/{scheme}", 204)
    api.error(
        "PUT",
        "/issuetypescreenscheme/project",
        404,
        json={"issueTypeScreenSchemeId": scheme, "projectId": p1},
    )


def test_deleting_an_issue_type_drops_its_itss_mappings(api: Api) -> None:
    made = api.checked("POST", "/issuetype", 201, json={"name": "Spike"})
    scheme = new_itss(
        api,
        "Eng",
        [
            {"issueTypeId": "default", "screenSchemeId": "1"},
            {"issueTypeId": made["id"], "screenSchemeId": "1"},
        ],
    )
    api.checked("DELETE", f"/issuetype/{made['id']}", 204)
    assert itss_mappings(api, scheme) == {"default": "1"}


def test_add_to_default_screen(api: Api) -> None:
    tab = first_tab(api, 1)
    api.checked("DELETE", f"/screens/1/tabs/{tab}/fields/labels", 204)
    api.checked("POST", "/screens/addToDefault/labels", 200)
    assert tab_fields(api, 1, tab)[-1] == "labels"
    api.error("POST", "/screens/addToDefault/labels", 404)
    api.error("POST", "/screens/addToDefault/nosuchfield", 404)


def test_screen_schemes_expand_their_issue_type_screen_schemes(api: Api) -> None:
    page = api.checked("GET", "/screenscheme", 200, params={"expand": "issueTypeScreenSchemes"})
    users = page["values"][0]["issueTypeScreenSchemes"]["values"]
    assert [u["name"] for u in users] == ["Default Issue Type Screen Scheme"]
    api.error("GET", "/issuetypescreenscheme/project", 400, params={"projectId": "ABC"})


def test_bulk_tabs_of_many_screens(api: Api) -> None:
    screen = new_screen(api)
    api.checked("POST", f"/screens/{screen}/tabs", 200, json={"name": "Second"})
    # the spec gives this experimental operation only an example body, no schema to check against
    response = api.call(
        "GET",
        "/screens/tabs",
        params=[("screenId", "1"), ("screenId", str(screen)), ("maxResult", "2")],
    )
    assert response.status_code == 200
    page = response.json()
    assert page["maxResults"] == 2 and page["total"] == 3 and not page["isLast"]
    assert [(v["screenId"], v["tabName"]) for v in page["values"]] == [
        (1, "Field Tab"),
        (screen, "Field Tab"),
    ]
    api.error("GET", "/screens/tabs", 400)


def test_a_screen_of_the_system_workflow_cannot_be_deleted(api: Api) -> None:
    """The built-in ``jira`` workflow shows the Resolve Issue Screen (id 2) on two transitions."""
    body = api.error("DELETE", "/screens/2", 400)
    assert body["errorMessages"] == ["The screen is used in a workflow."]
    assert api.checked("GET", "/screens", 200, params={"id": [2]})["total"] == 1
