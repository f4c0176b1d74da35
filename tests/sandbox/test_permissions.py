from __future__ import annotations

from typing import Any

from jiracfg.sandbox.routes.core import find_group
from jiracfg.sandbox.server import SandboxServer
from tests.conftest import Api, create_project

ADMIN = "557058:admin"
ROLE_HOLDER = {"type": "projectRole", "value": "10002"}


def create_scheme(api: Api, name: str, permissions: list[dict[str, Any]] | None = None) -> str:
    body = api.checked(
        "POST",
        "/permissionscheme",
        201,
        json={"name": name, "description": "d", "permissions": permissions or []},
    )
    return str(body["id"])


def grants(api: Api, scheme: str) -> list[tuple[str, str, str | None]]:
    body = api.checked("GET", f"/permissionscheme/{scheme}/permission", 200)
    return [
        (g["permission"], g["holder"]["type"], g["holder"].get("value"))
        for g in body["permissions"]
    ]


def group_id(sandbox: SandboxServer, name: str) -> str:
    group = find_group(sandbox.store, name=name)
    assert group is not None
    return str(group["groupId"])


# -- permission schemes ------------------------------------------------------------------------
def test_default_permission_scheme_has_jiras_usual_grants(api: Api) -> None:
    body = api.checked("GET", "/permissionscheme", 200)
    assert [(s["id"], s["name"]) for s in body["permissionSchemes"]] == [
        (0, "Default Permission Scheme")
    ]
    assert "permissions" not in body["permissionSchemes"][0]
    expanded = api.checked("GET", "/permissionscheme", 200, params={"expand": "permissions"})
    held = {
        (g["permission"], g["holder"]["type"], g["holder"].get("value"))
        for g in expanded["permissionSchemes"][0]["permissions"]
    }
    assert ("ADMINISTER_PROJECTS", "projectRole", "10002") in held
    assert ("BROWSE_PROJECTS", "applicationRole", None) in held
    assert ("BROWSE_PROJECTS", "projectRole", "10003") in held


def test_all_permissions(api: Api) -> None:
    body = api.checked("GET", "/permissions", 200)["permissions"]
    assert body["BROWSE_PROJECTS"]["type"] == "PROJECT"
    assert body["ADMINISTER"]["type"] == "GLOBAL"


def test_create_with_every_holder_type(api: Api, sandbox: SandboxServer) -> None:
    gid = group_id(sandbox, "jira-users")
    holders = [
        {"type": "anyone"},
        {"type": "group", "value": gid},
        {"type": "group", "parameter": "site-admins"},
        {"type": "user", "value": ADMIN},
        ROLE_HOLDER,
        {"type": "reporter"},
        {"type": "projectLead"},
        {"type": "assignee"},
        {"type": "applicationRole", "parameter": "jira-software"},
    ]
    scheme = create_scheme(
        api, "Eng", [{"permission": "BROWSE_PROJECTS", "holder": h} for h in holders]
    )
    got = api.checked("GET", f"/permissionscheme/{scheme}/permission", 200)["permissions"]
    by_type = {g["holder"]["type"]: g["holder"] for g in got}
    assert by_type["user"] == {"type": "user", "parameter": ADMIN, "value": ADMIN, "expand": "user"}
    assert {
        (h["parameter"], h["value"]) for h in (g["holder"] for g in got) if h["type"] == "group"
    } == {("jira-users", gid), ("site-admins", group_id(sandbox, "site-admins"))}
    assert len(got) == len(holders)
    one = api.checked("GET", f"/permissionscheme/{scheme}/permission/{got[0]['id']}", 200)
    assert one["holder"] == {"type": "anyone"}


def test_grant_validation(api: Api) -> None:
    scheme = create_scheme(api, "Eng")
    url = f"/permissionscheme/{scheme}/permission"
    body = api.error("POST", url, 400, json={"permission": "FLY", "holder": {"type": "anyone"}})
    assert "FLY" in body["errors"]["permission"]
    api.error("POST", url, 400, json={"permission": "BROWSE_PROJECTS", "holder": {"type": "x"}})
    api.error(
        "POST",
        url,
        400,
        json={"permission": "BROWSE_PROJECTS", "holder": {"type": "group", "parameter": "nobody"}},
    )
    api.error(
        "POST",
        url,
        400,
        json={"permission": "BROWSE_PROJECTS", "holder": {"type": "user", "value": "557058:ghost"}},
    )
    api.error(
        "POST",
        url,
        400,
        json={
            "permission": "BROWSE_PROJECTS",
            "holder": {"type": "projectRole", "value": "424242"},
        },
    )
    api.error(
        "POST",
        url,
        400,
        json={"permission": "BROWSE_PROJECTS", "holder": {"type": "applicationRole", "value": "x"}},
    )


def test_duplicate_grant_is_refused(api: Api) -> None:
    scheme = create_scheme(api, "Eng")
    grant = {"permission": "EDIT_ISSUES", "holder": ROLE_HOLDER}
    made = api.checked("POST", f"/permissionscheme/{scheme}/permission", 201, json=grant)
    assert made["holder"]["value"] == "10002"
    body = api.error("POST", f"/permissionscheme/{scheme}/permission", 400, json=grant)
    assert "already grants EDIT_ISSUES" in body["errorMessages"][0]
    api.error(
        "POST", "/permissionscheme", 400, json={"name": "Twice", "permissions": [grant, grant]}
    )
    assert grants(api, scheme) == [("EDIT_ISSUES", "projectRole", "10002")]


def test_delete_grant(api: Api) -> None:
    scheme = create_scheme(api, "Eng", [{"permission": "EDIT_ISSUES", "holder": ROLE_HOLDER}])
    grant_id = api.checked("GET", f"/permissionscheme/{scheme}/permission", 200)["permissions"][0][
        "id"
    ]
    api.checked("DELETE", f"/permissionscheme/{scheme}/permission/{grant_id}", 204)
    assert grants(api, scheme) == []
    api.error("DELETE", f"/permissionscheme/{scheme}/permission/{grant_id}", 400)
    api.error("GET", f"/permissionscheme/{scheme}/permission/{grant_id}", 404)


def test_put_replaces_grants_only_when_permissions_are_given(api: Api) -> None:
    scheme = create_scheme(api, "Eng", [{"permission": "EDIT_ISSUES", "holder": ROLE_HOLDER}])
    renamed = api.checked("PUT", f"/permissionscheme/{scheme}", 200, json={"name": "Engineering"})
    assert (renamed["name"], renamed["description"]) == ("Engineering", "d")
    read = api.checked("GET", f"/permissionscheme/{scheme}", 200)
    assert (read["name"], read["description"]) == ("Engineering", "d")
    assert grants(api, scheme) == [("EDIT_ISSUES", "projectRole", "10002")]
    api.checked(
        "PUT",
        f"/permissionscheme/{scheme}",
        200,
        json={
            "name": "Engineering",
            "permissions": [{"permission": "ADD_COMMENTS", "holder": {"type": "reporter"}}],
        },
    )
    assert grants(api, scheme) == [("ADD_COMMENTS", "reporter", None)]
    api.checked(
        "PUT", f"/permissionscheme/{scheme}", 200, json={"name": "Engineering", "permissions": []}
    )
    assert grants(api, scheme) == []


def test_scheme_names_are_unique(api: Api) -> None:
    scheme = create_scheme(api, "Eng")
    api.error("POST", "/permissionscheme", 400, json={"name": "default permission scheme"})
    api.error("PUT", f"/permissionscheme/{scheme}", 400, json={"name": "Default Permission Scheme"})
    api.error("POST", "/permissionscheme", 400, json={"name": " "})
    api.error("GET", "/permissionscheme/424242", 404)


def test_delete_scheme_refuses_default_and_in_use(api: Api) -> None:
    body = api.error("DELETE", "/permissionscheme/0", 400)
    assert body["errorMessages"] == ["The default permission scheme can't be deleted."]
    scheme = create_scheme(api, "Eng")
    create_project(api, permissionScheme=int(scheme))
    body = api.error("DELETE", f"/permissionscheme/{scheme}", 400)
    assert "associated with one or more projects" in body["errorMessages"][0]
    api.checked("PUT", "/project/ENG/permissionscheme", 200, json={"id": 0})
    api.checked("DELETE", f"/permissionscheme/{scheme}", 204)
    api.error("GET", f"/permissionscheme/{scheme}", 404)


def test_project_permission_scheme(api: Api) -> None:
    create_project(api)
    assert api.checked("GET", "/project/ENG/permissionscheme", 200)["id"] == 0
    scheme = create_scheme(api, "Eng")
    assigned = api.checked(
        "PUT",
        "/project/ENG/permissionscheme",
        200,
        json={"id": int(scheme)},
        params={"expand": "permissions"},
    )
    assert (assigned["id"], assigned["permissions"]) == (int(scheme), [])
    assert api.checked("GET", "/project/ENG/permissionscheme", 200)["name"] == "Eng"
    api.error("PUT", "/project/ENG/permissionscheme", 404, json={"id": 424242})
    api.error("GET", "/project/NOPE/permissionscheme", 404)


# -- notification schemes ----------------------------------------------------------------------
def notifications(api: Api, scheme: str) -> dict[str, list[tuple[str, str | None]]]:
    body = api.checked("GET", f"/notificationscheme/{scheme}", 200, params={"expand": "all"})
    return {
        e["event"]["name"]: [
            (n["notificationType"], n.get("parameter")) for n in e["notifications"]
        ]
        for e in body["notificationSchemeEvents"]
    }


def create_notif_scheme(api: Api, name: str, events: list[dict[str, Any]] | None = None) -> str:
    body = api.checked(
        "POST",
        "/notificationscheme",
        201,
        json={"name": name, "notificationSchemeEvents": events or []},
    )
    return str(body["id"])


def test_default_notification_scheme(api: Api) -> None:
    body = api.checked("GET", "/notificationscheme", 200, params={"expand": "all"})
    assert [(s["id"], s["name"]) for s in body["values"]] == [
        (10000, "Default Notification Scheme")
    ]
    found = notifications(api, "10000")
    assert found["Issue Created"] == [
        ("AllWatchers", None),
        ("CurrentAssignee", None),
        ("Reporter", None),
    ]
    assert len(found) == 17
    assert "notificationSchemeEvents" not in api.checked("GET", "/notificationscheme/10000", 200)
    assert api.checked("GET", "/events", 200)[0] == {"id": 1, "name": "Issue Created"}


def test_create_list_and_update_notification_scheme(api: Api, sandbox: SandboxServer) -> None:
    gid = group_id(sandbox, "jira-users")
    scheme = create_notif_scheme(
        api,
        "Eng",
        [
            {
                "event": {"id": "1"},
                "notifications": [
                    {"notificationType": "Group", "parameter": gid},
                    {"notificationType": "ProjectRole", "parameter": "10002"},
                    {"notificationType": "User", "parameter": ADMIN},
                ],
            }
        ],
    )
    assert notifications(api, scheme) == {
        "Issue Created": [("Group", "jira-users"), ("ProjectRole", "10002"), ("User", ADMIN)]
    }
    api.checked(
        "PUT", f"/notificationscheme/{scheme}", 204, json={"name": "Alpha", "description": "first"}
    )
    listed = api.checked("GET", "/notificationscheme", 200)["values"]
    assert [(s["name"], s.get("description")) for s in listed] == [
        ("Alpha", "first"),
        ("Default Notification Scheme", ""),
    ]
    only = api.checked("GET", "/notificationscheme", 200, params={"onlyDefault": "true"})
    assert [s["id"] for s in only["values"]] == [10000]
    api.error("GET", "/notificationscheme", 400, params={"id": "abc"})


def test_add_and_remove_notifications(api: Api) -> None:
    scheme = create_notif_scheme(api, "Eng")
    add = {
        "notificationSchemeEvents": [
            {
                "event": {"id": "2"},
                "notifications": [
                    {"notificationType": "Reporter"},
                    {"notificationType": "AllWatchers"},
                ],
            }
        ]
    }
    api.checked("PUT", f"/notificationscheme/{scheme}/notification", 204, json=add)
    assert notifications(api, scheme) == {
        "Issue Updated": [("Reporter", None), ("AllWatchers", None)]
    }
    body = api.error("PUT", f"/notificationscheme/{scheme}/notification", 400, json=add)
    assert "already exists" in body["errorMessages"][0]
    first = api.checked("GET", f"/notificationscheme/{scheme}", 200, params={"expand": "all"})[
        "notificationSchemeEvents"
    ][0]["notifications"][0]["id"]
    api.checked("DELETE", f"/notificationscheme/{scheme}/notification/{first}", 204)
    assert notifications(api, scheme) == {"Issue Updated": [("AllWatchers", None)]}
    api.error("DELETE", f"/notificationscheme/{scheme}/notification/{first}", 404)


def test_notification_validation(api: Api) -> None:
    def event(*items: dict[str, Any], event_id: str = "1") -> dict[str, Any]:
        return {
            "name": "X",
            "notificationSchemeEvents": [{"event": {"id": event_id}, "notifications": list(items)}],
        }

    api.error(
        "POST",
        "/notificationscheme",
        400,
        json=event({"notificationType": "Reporter"}, event_id="999"),
    )
    body = api.error(
        "POST",
        "/notificationscheme",
        400,
        json=event({"notificationType": "EmailAddress", "parameter": "a@example.com"}),
    )
    assert "no longer supported" in body["errors"]["notificationType"]
    api.error("POST", "/notificationscheme", 400, json=event({"notificationType": "Group"}))
    api.error(
        "POST",
        "/notificationscheme",
        400,
        json=event({"notificationType": "User", "parameter": "557058:ghost"}),
    )
    api.error(
        "POST",
        "/notificationscheme",
        400,
        json=event({"notificationType": "Reporter"}, {"notificationType": "Reporter"}),
    )
    api.error("POST", "/notificationscheme", 400, json={"name": "default NOTIFICATION scheme"})
    many = [{"notificationType": "User", "parameter": ADMIN}] * 1001
    api.error("POST", "/notificationscheme", 400, json=event(*many))


def test_delete_notification_scheme_refuses_default_and_in_use(api: Api) -> None:
    body = api.error("DELETE", "/notificationscheme/10000", 400)
    assert body["errorMessages"] == ["The default notification scheme can't be deleted."]
    scheme = create_notif_scheme(api, "Eng")
    project = create_project(api, notificationScheme=int(scheme))
    api.error("DELETE", f"/notificationscheme/{scheme}", 400)
    mapping = api.checked("GET", "/notificationscheme/project", 200, params={"projectId": project})[
        "values"
    ]
    assert mapping == [{"notificationSchemeId": scheme, "projectId": project}]
    assert api.checked("GET", "/project/ENG/notificationscheme", 200)["name"] == "Eng"
    api.checked("PUT", "/project/ENG", 200, json={"notificationScheme": 10000})
    api.checked("DELETE", f"/notificationscheme/{scheme}", 204)
    api.error("GET", f"/notificationscheme/{scheme}", 404)


def test_notification_scheme_project_mappings_filter(api: Api) -> None:
    eng, ops = create_project(api, "ENG"), create_project(api, "OPS")
    scheme = create_notif_scheme(api, "Ops")
    api.checked("PUT", "/project/OPS", 200, json={"notificationScheme": int(scheme)})
    page = api.checked(
        "GET", "/notificationscheme/project", 200, params={"notificationSchemeId": scheme}
    )
    assert page["values"] == [{"notificationSchemeId": scheme, "projectId": ops}]
    used = api.checked("GET", "/notificationscheme", 200, params={"projectId": eng})
    assert [s["id"] for s in used["values"]] == [10000]
    api.error("GET", "/notificationscheme/project", 400, params={"projectId": "ENG"})
