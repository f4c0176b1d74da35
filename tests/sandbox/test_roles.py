from __future__ import annotations

from typing import Any

from jiracfg.sandbox.server import SandboxServer
from tests.conftest import Api, create_project
from tests.sandbox.test_permissions import ADMIN, grants, group_id

BOB = "557058:bob"


def add_bob(sandbox: SandboxServer) -> None:
    sandbox.store.insert(
        "user",
        {
            "accountId": BOB,
            "emailAddress": "bob@example.com",
            "displayName": "Bob Builder",
            "token": "bob",
        },
    )


def create_role(api: Api, name: str, description: str = "") -> dict[str, Any]:
    body: dict[str, Any] = api.checked(
        "POST", "/role", 200, json={"name": name, "description": description}
    )
    return body


def actors(body: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (
            a["type"].split("-")[1],
            a.get("actorUser", {}).get("accountId") or a["actorGroup"]["name"],
        )
        for a in body["actors"]
    ]


def test_new_site_roles(api: Api) -> None:
    roles = api.checked("GET", "/role", 200)
    assert [(r["id"], r["name"]) for r in roles] == [
        (10002, "Administrators"),
        (10003, "atlassian-addons-project-access"),
    ]
    assert api.checked("GET", "/role/10002", 200)["actors"] == []


def test_create_and_update_role(api: Api) -> None:
    made = create_role(api, "Developers", "devs")
    assert made["id"] > 10003 and made["actors"] == []
    full = api.checked(
        "PUT", f"/role/{made['id']}", 200, json={"name": "Engineers", "description": "eng"}
    )
    assert (full["name"], full["description"]) == ("Engineers", "eng")
    part = api.checked("POST", f"/role/{made['id']}", 200, json={"description": "new"})
    assert (part["name"], part["description"]) == ("Engineers", "new")


def test_role_name_rules(api: Api) -> None:
    made = create_role(api, "Developers")
    body = api.error("POST", "/role", 409, json={"name": "developers"})
    assert "already exists" in body["errors"]["name"]
    api.error("POST", "/role", 400, json={"name": " Padded"})
    api.error("POST", "/role", 400, json={"name": ""})
    api.error("PUT", f"/role/{made['id']}", 400, json={"name": "Only name"})
    api.error("POST", f"/role/{made['id']}", 400, json={})
    api.error("POST", f"/role/{made['id']}", 400, json={"name": "Administrators"})
    api.error("GET", "/role/424242", 404)


def test_addons_role_is_managed_by_jira(api: Api) -> None:
    api.error("POST", "/role/10003", 400, json={"name": "apps"})
    api.error("DELETE", "/role/10003", 400)


def test_default_actors(api: Api, sandbox: SandboxServer) -> None:
    add_bob(sandbox)
    role = create_role(api, "Developers")["id"]
    url = f"/role/{role}/actors"
    api.checked("POST", url, 200, json={"user": [BOB, ADMIN]})
    body = api.checked("POST", url, 200, json={"group": ["jira-users"]})
    assert actors(body) == [("user", BOB), ("group", "jira-users"), ("user", ADMIN)]
    api.error("POST", url, 400, json={"user": [BOB]})
    api.error("POST", url, 400, json={"user": [BOB], "group": ["site-admins"]})
    api.error("POST", url, 400, json={"groupId": ["no-such-group"]})
    gid = group_id(sandbox, "jira-users")
    after = api.checked("DELETE", url, 200, params={"groupId": gid})
    assert actors(after) == [("user", BOB), ("user", ADMIN)]
    api.error("DELETE", url, 400, params={"groupId": gid})
    assert actors(api.checked("GET", url, 200)) == [("user", BOB), ("user", ADMIN)]


def test_new_project_gets_default_actors_and_lead(api: Api, sandbox: SandboxServer) -> None:
    add_bob(sandbox)
    role = create_role(api, "Developers")["id"]
    api.checked("POST", f"/role/{role}/actors", 200, json={"user": [BOB]})
    create_project(api)
    listed = api.checked("GET", "/project/ENG/role", 200)
    assert listed["Developers"].endswith(f"/project/ENG/role/{role}")
    assert actors(api.checked("GET", f"/project/ENG/role/{role}", 200)) == [("user", BOB)]
    assert actors(api.checked("GET", "/project/ENG/role/10002", 200)) == [("user", ADMIN)]
    details = api.checked("GET", "/project/ENG/roledetails", 200)
    assert {d["name"] for d in details} == set(listed)


def test_project_actors_add_replace_remove(api: Api, sandbox: SandboxServer) -> None:
    add_bob(sandbox)
    create_project(api)
    url = "/project/ENG/role/10002"
    body = api.checked("POST", url, 200, json={"user": [BOB], "group": ["jira-users"]})
    assert actors(body) == [("user", BOB), ("group", "jira-users"), ("user", ADMIN)]
    api.error("POST", url, 400, json={"user": [BOB]})
    api.error("POST", url, 404, json={"user": ["557058:ghost"]})
    gid = group_id(sandbox, "site-admins")
    replaced = api.checked(
        "PUT",
        url,
        200,
        json={
            "categorisedActors": {
                "atlassian-user-role-actor": [BOB],
                "atlassian-group-role-actor-id": [gid],
            }
        },
    )
    assert actors(replaced) == [("user", BOB), ("group", "site-admins")]
    api.error("PUT", url, 400, json={})
    api.checked("DELETE", url, 204, params={"user": BOB})
    api.error("DELETE", url, 400, params={"user": BOB})
    assert actors(api.checked("GET", url, 200)) == [("group", "site-admins")]
    api.error("GET", "/project/NOPE/role/10002", 404)
    api.error("GET", "/project/ENG/role/424242", 404)


def test_delete_role_in_use_needs_a_swap(api: Api) -> None:
    body = api.error("DELETE", "/role/10002", 409)
    assert "in use" in body["errorMessages"][0]
    spare = create_role(api, "Spare")["id"]
    api.error("DELETE", "/role/10002", 400, params={"swap": "424242"})
    api.error("DELETE", "/role/10002", 400, params={"swap": "10002"})
    api.checked("DELETE", "/role/10002", 204, params={"swap": str(spare)})
    held = grants(api, "0")
    assert ("ADMINISTER_PROJECTS", "projectRole", str(spare)) in held
    assert not [g for g in held if g[2] == "10002"]
    api.error("GET", "/role/10002", 404)


def test_delete_unused_role(api: Api) -> None:
    role = create_role(api, "Temp")["id"]
    create_project(api)
    api.checked("DELETE", f"/role/{role}", 204)
    assert "Temp" not in api.checked("GET", "/project/ENG/role", 200)
    api.error("DELETE", f"/role/{role}", 404)
