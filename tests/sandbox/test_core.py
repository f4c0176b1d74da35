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


def test_unknown_path_is_404_with_error_body(api: Api) -> None:
    api.error("GET", "/nosuchthing", 404)
