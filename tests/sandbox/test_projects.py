from __future__ import annotations

from typing import Any

import pytest

from jiracfg.sandbox import http
from jiracfg.sandbox.routes import projects
from jiracfg.sandbox.server import SandboxServer
from tests.conftest import Api
from tests.openapi import assert_conforms

ADMIN = "557058:admin"


def add_user(sandbox: SandboxServer, account_id: str, email: str) -> None:
    sandbox.store.insert(
        "user",
        {
            "accountId": account_id,
            "emailAddress": email,
            "displayName": email.split("@")[0].title(),
            "token": "x",
        },
    )


def create_project(api: Api, key: str, name: str | None = None, **extra: Any) -> dict[str, Any]:
    body = {
        "key": key,
        "name": name or f"Project {key}",
        "leadAccountId": ADMIN,
        "projectTypeKey": "software",
        **extra,
    }
    made: dict[str, Any] = api.checked("POST", "/project", 201, json=body)
    return made


def create_category(api: Api, name: str, description: str = "") -> str:
    made = api.checked(
        "POST", "/projectCategory", 201, json={"name": name, "description": description}
    )
    return str(made["id"])


def errors_of(
    api: Api, status: int, body: dict[str, Any], method: str = "POST", path: str = "/project"
) -> dict[str, str]:
    found: dict[str, str] = api.error(method, path, status, json=body)["errors"]
    return found


# -- projects ----------------------------------------------------------------------------------
def test_create_answers_identifiers_and_get_has_details(api: Api) -> None:
    made = create_project(
        api, "ENG", "Engineering", description="Builds things", assigneeType="PROJECT_LEAD"
    )
    assert isinstance(made["id"], int) and made["key"] == "ENG"
    assert made["self"].endswith(f"/rest/api/3/project/{made['id']}")
    got = api.checked("GET", "/project/ENG", 200)
    assert (got["id"], got["name"], got["description"]) == (
        str(made["id"]),
        "Engineering",
        "Builds things",
    )
    assert (got["lead"]["accountId"], got["assigneeType"]) == (ADMIN, "PROJECT_LEAD")
    assert [t["name"] for t in got["issueTypes"]] == ["Epic", "Story", "Task", "Bug", "Sub-task"]
    assert (got["components"], got["versions"], got["style"]) == ([], [], "classic")
    assert api.checked("GET", f"/project/{made['id']}", 200)["key"] == "ENG"


def test_search_pages_filters_and_orders(api: Api) -> None:
    category = create_category(api, "Internal")
    create_project(api, "ZED", "Alpha", categoryId=int(category))
    create_project(api, "ABC", "Zulu", projectTypeKey="business")
    create_project(api, "MID", "Middle")
    first = api.checked("GET", "/project/search", 200, params={"maxResults": 2})
    assert ([p["key"] for p in first["values"]], first["isLast"]) == (["ABC", "MID"], False)
    assert "description" not in first["values"][0]
    by_name = api.checked("GET", "/project/search", 200, params={"orderBy": "-name"})
    assert [p["name"] for p in by_name["values"]] == ["Zulu", "Middle", "Alpha"]
    business = api.checked("GET", "/project/search", 200, params={"typeKey": "business"})
    assert [p["key"] for p in business["values"]] == ["ABC"]
    in_category = api.checked("GET", "/project/search", 200, params={"categoryId": category})
    assert [p["projectCategory"]["name"] for p in in_category["values"]] == ["Internal"]
    found = api.checked("GET", "/project/search", 200, params={"query": "mid", "keys": "MID"})
    assert [p["key"] for p in found["values"]] == ["MID"]
    api.error("GET", "/project/search", 400, params={"orderBy": "colour"})


def test_search_expands_description_lead_and_issue_types(api: Api) -> None:
    create_project(api, "ENG", description="eng")
    page = api.checked(
        "GET", "/project/search", 200, params={"expand": "description,lead,issueTypes"}
    )
    project = page["values"][0]
    assert (project["description"], project["lead"]["accountId"]) == ("eng", ADMIN)
    assert len(project["issueTypes"]) == 5


def test_search_caps_page_size_at_100(api: Api) -> None:
    page = api.checked("GET", "/project/search", 200, params={"maxResults": 500})
    assert page["maxResults"] == 100


def test_deprecated_list_is_a_plain_array(api: Api) -> None:
    create_project(api, "BBB")
    create_project(api, "AAA")
    listed = api.checked("GET", "/project", 200)
    assert [p["key"] for p in listed] == ["AAA", "BBB"]


def test_project_types(api: Api) -> None:
    types = api.checked("GET", "/project/type", 200)
    assert {t["key"] for t in types} == {"business", "software", "service_desk"}


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("eng", "Project keys must start with an uppercase letter"),
        ("1ENG", "Project keys must start with an uppercase letter"),
        ("E", "Project keys must start with an uppercase letter"),
        ("EN-G", "Project keys must start with an uppercase letter"),
        ("ABCDEFGHIJK", "must not exceed 10 characters"),
        ("CON", "reserved word"),
        ("", "You must specify a unique project key"),
    ],
)
def test_bad_keys_are_refused(api: Api, key: str, message: str) -> None:
    body = {"key": key, "name": "Bad", "leadAccountId": ADMIN, "projectTypeKey": "software"}
    assert message in errors_of(api, 400, body)["projectKey"]


def test_duplicate_key_and_name_are_reported_together(api: Api) -> None:
    create_project(api, "ENG", "Engineering")
    errors = errors_of(
        api,
        400,
        {"key": "ENG", "name": "ENGINEERING", "leadAccountId": ADMIN, "projectTypeKey": "software"},
    )
    assert errors == {
        "projectKey": "Project 'Engineering' uses this project key.",
        "projectName": "A project with that name already exists.",
    }


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("E", "at least 2 characters"),
        ("x" * 81, "must not exceed 80"),
        ("   ", "You must specify a valid project name."),
    ],
)
def test_bad_names_are_refused(api: Api, name: str, message: str) -> None:
    body = {"key": "NEW", "name": name, "leadAccountId": ADMIN, "projectTypeKey": "software"}
    assert message in errors_of(api, 400, body)["projectName"]


def test_lead_must_be_a_real_user(api: Api) -> None:
    body = {"key": "NEW", "name": "New", "projectTypeKey": "software"}
    assert "valid project lead" in errors_of(api, 400, body)["projectLead"]
    unknown = errors_of(api, 400, {**body, "leadAccountId": "nobody"})
    assert unknown == {"projectLead": "The user you have specified as project lead does not exist."}


def test_type_template_and_fields_are_checked(api: Api) -> None:
    body = {"key": "NEW", "name": "New", "leadAccountId": ADMIN}
    api.error("POST", "/project", 400, json=body)
    api.error("POST", "/project", 400, json={**body, "projectTypeKey": "kanban"})
    api.error(
        "POST",
        "/project",
        400,
        json={**body, "projectTypeKey": "software", "assigneeType": "ANYONE"},
    )
    api.error("POST", "/project", 400, json={**body, "projectTypeKey": "software", "colour": "red"})
    both = {
        **body,
        "projectTemplateKey": "com.pyxis.greenhopper.jira:gh-simplified-basic",
        "workflowScheme": 10000,
    }
    api.error("POST", "/project", 400, json=both)
    api.error(
        "POST", "/project", 404, json={**body, "projectTypeKey": "software", "categoryId": 424242}
    )
    del both["workflowScheme"]
    made = api.checked("POST", "/project", 201, json=both)
    assert api.checked("GET", f"/project/{made['id']}", 200)["projectTypeKey"] == "software"


def test_create_assigns_every_scheme(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, str, Any]] = []

    def fake_peer(module: str, name: str) -> Any:
        if name.startswith("get_") and name.endswith("_scheme"):
            return lambda db, scheme_id: None if scheme_id == "404" else {"id": scheme_id}
        if name.startswith("assign_") or name == "init_project_roles":
            return lambda db, project_id, arg: calls.append((name, project_id, arg))
        return real_peer(module, name)

    real_peer = http.peer
    monkeypatch.setattr(projects, "peer", fake_peer)
    made = create_project(api, "ENG", workflowScheme=10100, permissionScheme=10200)
    project_id = str(made["id"])
    assert sorted(calls) == sorted(
        [
            ("assign_workflow_scheme", project_id, "10100"),
            ("assign_issue_type_scheme", project_id, None),
            ("assign_screen_scheme", project_id, None),
            ("assign_field_configuration_scheme", project_id, None),
            ("assign_permission_scheme", project_id, "10200"),
            ("assign_notification_scheme", project_id, None),
            ("assign_security_scheme", project_id, None),
            ("init_project_roles", project_id, ADMIN),
        ]
    )
    body = api.error(
        "POST",
        "/project",
        404,
        json={
            "key": "OPS",
            "name": "Ops",
            "leadAccountId": ADMIN,
            "projectTypeKey": "software",
            "issueTypeScheme": 404,
        },
    )
    assert "issueTypeScheme" in body["errorMessages"][0]


@pytest.mark.parametrize("field", ["workflowScheme", "permissionScheme", "notificationScheme"])
def test_unknown_scheme_ids_are_refused(api: Api, field: str) -> None:
    body = {
        "key": "OPS",
        "name": "Ops",
        "leadAccountId": ADMIN,
        "projectTypeKey": "software",
        field: 424242,
    }
    assert field in api.error("POST", "/project", 404, json=body)["errorMessages"][0]
    api.error("GET", "/project/OPS", 404)


def test_update_assigns_permission_and_notification_schemes(api: Api) -> None:
    create_project(api, "ENG")
    strict = api.checked("POST", "/permissionscheme", 201, json={"name": "Strict"})["id"]
    quiet = api.checked("POST", "/notificationscheme", 201, json={"name": "Quiet"})["id"]
    api.checked(
        "PUT",
        "/project/ENG",
        200,
        json={"permissionScheme": strict, "notificationScheme": int(quiet)},
    )
    assert api.checked("GET", "/project/ENG/permissionscheme", 200)["id"] == strict
    assert api.checked("GET", "/project/ENG/notificationscheme", 200)["name"] == "Quiet"
    api.error("PUT", "/project/ENG", 404, json={"permissionScheme": 424242})


def test_created_project_uses_the_chosen_issue_type_scheme(api: Api) -> None:
    scheme = api.checked(
        "POST", "/issuetypescheme", 201, json={"name": "Ops", "issueTypeIds": ["10002", "10004"]}
    )
    create_project(api, "OPS", issueTypeScheme=int(scheme["issueTypeSchemeId"]))
    got = api.checked("GET", "/project/OPS", 200)
    assert [t["name"] for t in got["issueTypes"]] == ["Task", "Sub-task"]


def test_update_changes_details_and_key(api: Api, sandbox: SandboxServer) -> None:
    add_user(sandbox, "557058:dana", "dana@example.com")
    category = create_category(api, "Internal")
    made = create_project(api, "ENG")
    changed = api.checked(
        "PUT",
        "/project/ENG",
        200,
        json={
            "name": "Engineering",
            "description": "new",
            "leadAccountId": "557058:dana",
            "categoryId": int(category),
            "assigneeType": "PROJECT_LEAD",
            "key": "CORE",
        },
    )
    assert (changed["key"], changed["name"], changed["lead"]["accountId"]) == (
        "CORE",
        "Engineering",
        "557058:dana",
    )
    assert changed["projectCategory"]["id"] == category
    old = api.checked("GET", "/project/ENG", 200)
    assert (old["id"], old["key"]) == (str(made["id"]), "CORE")
    cleared = api.checked("PUT", "/project/CORE", 200, json={"categoryId": -1})
    assert "projectCategory" not in cleared


def test_old_keys_stay_taken_until_released(api: Api) -> None:
    create_project(api, "ENG", "Engineering")
    api.checked("PUT", "/project/ENG", 200, json={"key": "CORE"})
    body = {"key": "ENG", "name": "Other", "leadAccountId": ADMIN, "projectTypeKey": "software"}
    assert errors_of(api, 400, body)["projectKey"] == (
        "Project 'Engineering' uses this project key."
    )
    api.error("PUT", "/project/CORE", 400, json={"releasedProjectKeys": ["CORE"]})
    api.checked("PUT", "/project/CORE", 200, json={"releasedProjectKeys": ["ENG"]})
    api.error("GET", "/project/ENG", 404)
    api.checked("POST", "/project", 201, json=body)


def test_update_refuses_bad_values(api: Api) -> None:
    create_project(api, "ENG", "Engineering")
    create_project(api, "OPS", "Operations")
    errors = errors_of(
        api, 400, {"name": "operations", "key": "OPS", "leadAccountId": "x"}, "PUT", "/project/ENG"
    )
    assert set(errors) == {"projectName", "projectKey", "projectLead"}
    api.error("PUT", "/project/ENG", 400, json={"workflowScheme": 10000})
    api.error("PUT", "/project/NOPE", 404, json={"name": "x"})
    assert api.checked("PUT", "/project/ENG", 200, json={"name": "Engineering"})["key"] == "ENG"


def test_missing_project_is_404(api: Api) -> None:
    body = api.error("GET", "/project/NOPE", 404)
    assert body["errorMessages"] == ["No project could be found with key 'NOPE'."]
    api.error("GET", "/project/424242", 404)


def test_delete_moves_to_the_recycle_bin_and_keeps_the_key(api: Api) -> None:
    create_project(api, "ENG", "Engineering")
    api.checked("DELETE", "/project/ENG", 204)
    api.error("GET", "/project/ENG", 404)
    trash = api.checked("GET", "/project/search", 200, params={"status": "deleted"})
    assert [(p["key"], p["deleted"]) for p in trash["values"]] == [("ENG", True)]
    assert api.checked("GET", "/project/search", 200)["total"] == 0
    body = {"key": "ENG", "name": "Other", "leadAccountId": ADMIN, "projectTypeKey": "software"}
    assert "uses this project key" in errors_of(api, 400, body)["projectKey"]


def test_delete_without_undo_purges(api: Api) -> None:
    create_project(api, "ENG", "Engineering")
    api.checked("POST", "/component", 201, json={"project": "ENG", "name": "API"})
    api.checked("DELETE", "/project/ENG", 204, params={"enableUndo": "false"})
    api.error("GET", "/project/ENG", 404)
    create_project(api, "ENG", "Engineering")
    assert api.checked("GET", "/project/ENG/components", 200) == []


def test_async_delete_runs_as_a_task_and_forgets_associations(api: Api) -> None:
    made = create_project(api, "ENG", "Engineering")
    response = api.call("POST", "/project/ENG/delete")
    assert response.status_code == 303
    assert assert_conforms(response)["id"] == response.headers["Location"].rsplit("/", 1)[1]
    location = response.headers["Location"]
    api.checked("GET", location.split("/rest/api/3")[1], 200)
    task = api.checked("GET", location.split("/rest/api/3")[1], 200)
    assert task["status"] == "COMPLETE"
    api.error("GET", "/project/ENG", 404)
    api.error("GET", "/issuetype/project", 404, params={"projectId": str(made["id"])})
    api.error("POST", "/project/ENG/delete", 404)


# -- categories --------------------------------------------------------------------------------
def test_category_crud(api: Api) -> None:
    category = create_category(api, "Internal", "Inside")
    assert api.checked("GET", f"/projectCategory/{category}", 200)["description"] == "Inside"
    changed = api.checked("PUT", f"/projectCategory/{category}", 200, json={"name": "Inner"})
    assert (changed["name"], changed["description"]) == ("Inner", "Inside")
    assert [c["name"] for c in api.checked("GET", "/projectCategory", 200)] == ["Inner"]
    create_project(api, "ENG", categoryId=int(category))
    api.checked("DELETE", f"/projectCategory/{category}", 204)
    api.error("GET", f"/projectCategory/{category}", 404)
    assert "projectCategory" not in api.checked("GET", "/project/ENG", 200)


def test_category_constraints(api: Api) -> None:
    category = create_category(api, "Internal")
    create_category(api, "External")
    api.error("POST", "/projectCategory", 409, json={"name": "INTERNAL"})
    api.error("POST", "/projectCategory", 400, json={"description": "no name"})
    api.error("POST", "/projectCategory", 400, json={"name": "x" * 256})
    api.error("POST", "/projectCategory", 400, json={"name": "Long", "description": "x" * 1001})
    api.error("PUT", f"/projectCategory/{category}", 409, json={"name": "external"})
    api.error("PUT", "/projectCategory/424242", 404, json={"name": "x"})
    api.error("DELETE", "/projectCategory/424242", 404)


# -- components --------------------------------------------------------------------------------
def test_component_crud_and_lists(api: Api, sandbox: SandboxServer) -> None:
    add_user(sandbox, "557058:dana", "dana@example.com")
    create_project(api, "ENG")
    made = api.checked(
        "POST",
        "/component",
        201,
        json={
            "project": "ENG",
            "name": "UI",
            "description": "front",
            "leadAccountId": "557058:dana",
            "assigneeType": "COMPONENT_LEAD",
        },
    )
    assert (made["lead"]["accountId"], made["realAssigneeType"]) == (
        "557058:dana",
        "COMPONENT_LEAD",
    )
    api.checked("POST", "/component", 201, json={"project": "ENG", "name": "API"})
    listed = api.checked("GET", "/project/ENG/components", 200)
    assert [c["name"] for c in listed] == ["API", "UI"]
    paged = api.checked("GET", "/project/ENG/component", 200, params={"query": "front"})
    assert [(c["name"], c["issueCount"]) for c in paged["values"]] == [("UI", 0)]
    everywhere = api.checked("GET", "/component", 200, params={"projectIdsOrKeys": "ENG"})
    assert everywhere["total"] == 2
    changed = api.checked(
        "PUT", f"/component/{made['id']}", 200, json={"name": "Web", "leadAccountId": ""}
    )
    assert changed["name"] == "Web" and "lead" not in changed
    read = api.checked("GET", f"/component/{made['id']}", 200)
    assert (read["name"], read["description"], "lead" in read) == ("Web", "front", False)
    api.checked("DELETE", f"/component/{made['id']}", 204)
    api.error("GET", f"/component/{made['id']}", 404)


def test_component_constraints(api: Api) -> None:
    create_project(api, "ENG")
    create_project(api, "OPS")
    made = api.checked("POST", "/component", 201, json={"project": "ENG", "name": "UI"})
    api.checked("POST", "/component", 201, json={"project": "OPS", "name": "UI"})
    assert (
        "already exists"
        in errors_of(api, 400, {"project": "ENG", "name": "ui"}, path="/component")["name"]
    )
    api.error("POST", "/component", 400, json={"name": "No project"})
    api.error("POST", "/component", 404, json={"project": "NOPE", "name": "X"})
    api.error("POST", "/component", 400, json={"project": "ENG", "name": "x" * 256})
    api.error(
        "POST", "/component", 400, json={"project": "ENG", "name": "L", "leadAccountId": "nobody"}
    )
    api.error(
        "POST", "/component", 400, json={"project": "ENG", "name": "T", "assigneeType": "ANYONE"}
    )
    api.error("DELETE", f"/component/{made['id']}", 404, params={"moveIssuesTo": "424242"})


# -- versions ----------------------------------------------------------------------------------
def create_version(api: Api, project_id: int, name: str, **extra: Any) -> dict[str, Any]:
    made: dict[str, Any] = api.checked(
        "POST", "/version", 201, json={"projectId": project_id, "name": name, **extra}
    )
    return made


def test_version_crud_dates_and_states(api: Api) -> None:
    project = create_project(api, "ENG")["id"]
    made = create_version(
        api,
        project,
        "1.0",
        description="first",
        startDate="2024-01-02",
        releaseDate="2024-02-03",
        released=True,
    )
    assert (made["userReleaseDate"], made["released"], made["overdue"]) == ("3/Feb/24", True, False)
    late = create_version(api, project, "2.0", releaseDate="2020-01-01")
    assert late["overdue"] is True
    changed = api.checked(
        "PUT",
        f"/version/{late['id']}",
        200,
        json={"name": "2.0.1", "archived": True, "releaseDate": None},
    )
    assert (changed["name"], changed["archived"], "releaseDate" in changed) == (
        "2.0.1",
        True,
        False,
    )
    listed = api.checked("GET", "/project/ENG/versions", 200)
    assert [v["name"] for v in listed] == ["1.0", "2.0.1"]
    archived = api.checked("GET", "/project/ENG/version", 200, params={"status": "archived"})
    assert [v["name"] for v in archived["values"]] == ["2.0.1"]
    assert api.checked("GET", f"/version/{made['id']}", 200)["description"] == "first"


def test_version_constraints(api: Api) -> None:
    project = create_project(api, "ENG")["id"]
    made = create_version(api, project, "1.0")
    assert (
        "already exists"
        in errors_of(api, 400, {"projectId": project, "name": "1.0"}, path="/version")["name"]
    )
    api.error("POST", "/version", 400, json={"name": "no project"})
    api.error("POST", "/version", 404, json={"projectId": 424242, "name": "x"})
    api.error("POST", "/version", 400, json={"projectId": project, "name": "x" * 256})
    api.error(
        "POST",
        "/version",
        400,
        json={"projectId": project, "name": "d", "releaseDate": "03/02/2024"},
    )
    errors = errors_of(
        api,
        400,
        {"projectId": project, "name": "d", "startDate": "2024-03-01", "releaseDate": "2024-02-01"},
        path="/version",
    )
    assert "startDate" in errors
    api.error("PUT", "/version/424242", 404, json={"name": "x"})
    api.error(
        "POST", f"/version/{made['id']}/removeAndSwap", 400, json={"moveFixIssuesTo": made["id"]}
    )


def test_version_order_moves_and_delete(api: Api) -> None:
    project = create_project(api, "ENG")["id"]
    ids = [create_version(api, project, n)["id"] for n in ("1", "2", "3")]
    api.checked("POST", f"/version/{ids[2]}/move", 200, json={"position": "First"})
    api.checked(
        "POST",
        f"/version/{ids[0]}/move",
        200,
        json={"after": f"{api.http.base_url}/rest/api/3/version/{ids[1]}"},
    )
    names = [v["name"] for v in api.checked("GET", "/project/ENG/versions", 200)]
    assert names == ["3", "2", "1"]
    api.error("POST", f"/version/{ids[0]}/move", 400, json={})
    api.checked("POST", f"/version/{ids[0]}/removeAndSwap", 204, json={"moveFixIssuesTo": ids[1]})
    api.checked("DELETE", f"/version/{ids[1]}", 204)
    assert [v["name"] for v in api.checked("GET", "/project/ENG/versions", 200)] == ["3"]
