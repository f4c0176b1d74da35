"""Groups and their members, validated against the spec."""

from __future__ import annotations

from typing import Any

from jiracfg.sandbox.server import SandboxServer
from tests.conftest import Api
from tests.sandbox.test_roles import BOB, add_bob


def create(api: Api, name: str) -> dict[str, Any]:
    group: dict[str, Any] = api.checked("POST", "/group", 201, json={"name": name})
    return group


def member_ids(api: Api, group_id: str) -> list[str]:
    found = api.checked("GET", "/group/member", 200, params={"groupId": group_id})
    return [u["accountId"] for u in found["values"]]


def test_create_get_and_find_by_name(api: Api) -> None:
    made = create(api, "qa")
    assert made["name"] == "qa" and made["groupId"]
    got = api.checked("GET", "/group", 200, params={"groupId": made["groupId"]})
    assert got["name"] == "qa"
    found = api.checked("GET", "/group/bulk", 200, params={"groupName": "QA"})
    assert [g["groupId"] for g in found["values"]] == [made["groupId"]]
    api.error("POST", "/group", 400, json={"name": "Qa"})
    api.error("POST", "/group", 400, json={"name": " "})
    api.error("GET", "/group", 404, params={"groupId": "nope"})


def test_members_are_added_once_and_removed(api: Api, sandbox: SandboxServer) -> None:
    add_bob(sandbox)
    group_id = create(api, "qa")["groupId"]
    api.checked("POST", "/group/user", 201, params={"groupId": group_id}, json={"accountId": BOB})
    assert member_ids(api, group_id) == [BOB]
    api.error("POST", "/group/user", 400, params={"groupId": group_id}, json={"accountId": BOB})
    api.error("POST", "/group/user", 400, params={"groupId": group_id}, json={"accountId": "x"})
    api.call("DELETE", "/group/user", params={"groupId": group_id, "accountId": BOB})
    assert member_ids(api, group_id) == []
    api.error("DELETE", "/group/user", 400, params={"groupId": group_id, "accountId": BOB})


def test_a_site_group_is_never_deleted(api: Api) -> None:
    body = api.error("DELETE", "/group", 400, params={"groupname": "site-admins"})
    assert "can't be deleted" in body["errorMessages"][0]


def test_deleting_a_group_drops_its_grants(api: Api) -> None:
    group_id = create(api, "qa")["groupId"]
    grant = {"permission": "BROWSE_PROJECTS", "holder": {"type": "group", "value": group_id}}
    scheme = api.checked(
        "POST", "/permissionscheme", 201, json={"name": "S", "permissions": [grant]}
    )
    assert api.call("DELETE", "/group", params={"groupId": group_id}).status_code == 200
    left = api.checked("GET", f"/permissionscheme/{scheme['id']}/permission", 200)
    assert left["permissions"] == []
    api.error("DELETE", "/group", 404, params={"groupId": group_id})
