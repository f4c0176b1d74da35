from __future__ import annotations

import httpx

from jiracfg.sandbox.server import SandboxServer
from tests.conftest import Api


def test_unauthenticated_requests_get_401_with_error_body(sandbox: SandboxServer) -> None:
    response = httpx.get(sandbox.url + "/rest/api/3/myself")
    assert response.status_code == 401
    assert response.json()["errorMessages"]
    bad = httpx.get(sandbox.url + "/rest/api/3/myself", auth=("admin@example.com", "wrong"))
    assert bad.status_code == 401


def test_server_info_says_cloud(api: Api) -> None:
    info = api.checked("GET", "/serverInfo", 200)
    assert info["deploymentType"] == "Cloud"


def test_myself_is_the_admin(api: Api) -> None:
    me = api.checked("GET", "/myself", 200)
    assert me["emailAddress"] == "admin@example.com"


def test_user_search_finds_seeded_users(api: Api) -> None:
    users = api.checked("GET", "/user/search", 200, params={"query": "admin"})
    assert [u["displayName"] for u in users] == ["Sandbox Admin"]
    api.error("GET", "/user/search", 400)


def test_groups_are_listed(api: Api) -> None:
    groups = api.checked("GET", "/group/bulk", 200)
    assert "jira-administrators" in {g["name"] for g in groups["values"]}


def test_user_by_account_id_and_all_users(api: Api) -> None:
    me = api.checked("GET", "/user", 200, params={"accountId": "557058:admin"})
    assert me["emailAddress"] == "admin@example.com"
    api.error("GET", "/user", 404, params={"accountId": "557058:ghost"})
    everyone = api.checked("GET", "/users/search", 200, params={"maxResults": 1})
    assert [u["accountId"] for u in everyone] == ["557058:admin"]


def test_group_members_page_at_most_50(api: Api, sandbox: SandboxServer) -> None:
    sandbox.store.insert(
        "group",
        {"name": "crowd", "groupId": "g-crowd", "members": [f"557058:u{i}" for i in range(60)]},
    )
    for i in range(60):
        sandbox.store.insert(
            "user",
            {
                "accountId": f"557058:u{i}",
                "displayName": f"U{i}",
                "emailAddress": f"u{i}@example.com",
                "active": True,
            },
        )
    page = api.checked(
        "GET", "/group/member", 200, params={"groupname": "crowd", "maxResults": 100}
    )
    assert (page["maxResults"], len(page["values"]), page["isLast"]) == (50, 50, False)
    api.error("GET", "/group/member", 404, params={"groupname": "nobody"})


def test_unknown_path_is_404_with_error_body(api: Api) -> None:
    api.error("GET", "/nosuchthing", 404)
