from __future__ import annotations

from typing import Any

import pytest

from jiracfg.sandbox.routes import fieldconfigs
from jiracfg.sandbox.server import SandboxServer
from tests.conftest import Api, create_project


def create_config(api: Api, name: str, **extra: Any) -> str:
    body = api.checked("POST", "/fieldconfiguration", 200, json={"name": name, **extra})
    return str(body["id"])


def items(api: Api, config_id: str) -> dict[str, dict[str, Any]]:
    page = api.checked(
        "GET", f"/fieldconfiguration/{config_id}/fields", 200, params={"maxResults": 1000}
    )
    return {i["id"]: i for i in page["values"]}


def set_items(api: Api, config_id: str, *changes: dict[str, Any]) -> None:
    api.checked(
        "PUT",
        f"/fieldconfiguration/{config_id}/fields",
        204,
        json={"fieldConfigurationItems": list(changes)},
    )


def create_scheme(api: Api, name: str, **extra: Any) -> str:
    body = api.checked("POST", "/fieldconfigurationscheme", 201, json={"name": name, **extra})
    return str(body["id"])


def mappings(api: Api, scheme_id: str) -> dict[str, str]:
    page = api.checked(
        "GET",
        "/fieldconfigurationscheme/mapping",
        200,
        params={"fieldConfigurationSchemeId": scheme_id},
    )
    return {m["issueTypeId"]: m["fieldConfigurationId"] for m in page["values"]}


# -- field configurations ----------------------------------------------------------------------
def test_new_site_has_the_default_field_configuration(api: Api) -> None:
    page = api.checked("GET", "/fieldconfiguration", 200)
    assert [(c["id"], c["name"], c["isDefault"]) for c in page["values"]] == [
        (10000, "Default Field Configuration", True)
    ]
    fields = items(api, "10000")
    assert fields["summary"] == {"id": "summary", "isHidden": False, "isRequired": True}
    assert fields["description"]["renderer"] == "wiki-renderer"
    assert fields["labels"]["renderer"] == "autocomplete-renderer"
    assert not fields["duedate"]["isRequired"] and "renderer" not in fields["duedate"]
    assert "status" not in fields and "created" not in fields  # not orderable


def test_create_list_filter_and_update_configuration(api: Api) -> None:
    made = create_config(api, "Engineering", description="eng fields")
    create_config(api, "Support")
    page = api.checked("GET", "/fieldconfiguration", 200, params={"query": "ENG"})
    assert [c["name"] for c in page["values"]] == ["Engineering"]
    page = api.checked("GET", "/fieldconfiguration", 200, params={"isDefault": "true"})
    assert [c["name"] for c in page["values"]] == ["Default Field Configuration"]
    api.checked("PUT", f"/fieldconfiguration/{made}", 204, json={"name": "Eng", "description": ""})
    page = api.checked("GET", "/fieldconfiguration", 200, params={"id": made})
    assert [(c["name"], c["description"]) for c in page["values"]] == [("Eng", "")]


def test_configuration_names_are_unique_and_required(api: Api) -> None:
    create_config(api, "Engineering")
    body = api.error("POST", "/fieldconfiguration", 400, json={"name": "ENGINEERING"})
    assert body["errorMessages"] == ["A field configuration is using this name."]
    api.error("POST", "/fieldconfiguration", 400, json={"description": "no name"})
    api.error("POST", "/fieldconfiguration", 400, json={"name": "x" * 256})
    api.error("POST", "/fieldconfiguration", 400, json={"name": "Y", "description": "d" * 256})
    api.error("PUT", "/fieldconfiguration/99999", 404, json={"name": "Z"})


def test_default_configuration_is_protected_but_its_items_are_editable(api: Api) -> None:
    body = api.error("PUT", "/fieldconfiguration/10000", 400, json={"name": "Renamed"})
    assert body["errorMessages"] == ["The default field configuration can't be edited."]
    body = api.error("DELETE", "/fieldconfiguration/10000", 400)
    assert body["errorMessages"] == ["The default field configuration can't be deleted."]
    set_items(api, "10000", {"id": "duedate", "isRequired": True})
    assert items(api, "10000")["duedate"]["isRequired"]


def test_update_items_and_hiding_resets_the_rest(api: Api) -> None:
    made = create_config(api, "Engineering")
    set_items(
        api,
        made,
        {
            "id": "environment",
            "isRequired": True,
            "description": "Where",
            "renderer": "text-renderer",
        },
        {"id": "labels", "isHidden": True},
    )
    fields = items(api, made)
    assert fields["environment"] == {
        "id": "environment",
        "isHidden": False,
        "isRequired": True,
        "description": "Where",
        "renderer": "text-renderer",
    }
    assert fields["labels"]["isHidden"]
    set_items(api, made, {"id": "environment", "isHidden": True})
    assert items(api, made)["environment"] == {
        "id": "environment",
        "isHidden": True,
        "isRequired": False,
        "renderer": "wiki-renderer",
    }
    assert not items(api, "10000")["labels"]["isHidden"]  # other configurations untouched


def test_new_configuration_copies_the_default_with_every_field_optional(api: Api) -> None:
    set_items(
        api,
        "10000",
        {"id": "duedate", "isRequired": True, "description": "When"},
        {"id": "labels", "isHidden": True},
    )
    made = create_config(api, "Copy")
    fields = items(api, made)
    assert (fields["duedate"]["isRequired"], fields["duedate"]["description"]) == (False, "When")
    assert fields["labels"]["isHidden"] and fields["summary"]["isRequired"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"id": "summary", "isHidden": True}, "is locked"),  # locked fields stay visible
        ({"id": "issuetype", "isRequired": False}, "is locked"),  # ... and required
        ({"id": "duedate", "isHidden": True, "isRequired": True}, "both hidden and required"),
        ({"id": "duedate", "renderer": "wiki-renderer"}, "can't be changed"),  # not a text field
        (
            {"id": "labels", "renderer": "text-renderer"},
            "can't be changed",
        ),  # autocomplete is fixed
        ({"id": "description", "renderer": "fancy-renderer"}, "is not valid"),
        ({"id": "nosuchfield", "isRequired": True}, "'nosuchfield' was not found"),
        ({"isRequired": True}, "needs an id"),
    ],
)
def test_item_changes_are_validated(api: Api, change: dict[str, Any], message: str) -> None:
    made = create_config(api, "Engineering")
    body = api.error(
        "PUT",
        f"/fieldconfiguration/{made}/fields",
        400,
        json={"fieldConfigurationItems": [{"id": "duedate", "isRequired": True}, change]},
    )
    assert message in " ".join(body["errorMessages"] + list(body["errors"].values()))
    assert not items(api, made)["duedate"]["isRequired"]  # nothing applied
    api.error("PUT", f"/fieldconfiguration/{made}/fields", 400, json={})
    api.error("GET", "/fieldconfiguration/99999/fields", 404)


def test_delete_configuration_unless_a_scheme_uses_it(api: Api) -> None:
    made, kept = create_config(api, "Temp"), create_config(api, "Kept")
    scheme = create_scheme(api, "Scheme")
    api.checked(
        "PUT",
        f"/fieldconfigurationscheme/{scheme}/mapping",
        204,
        json={"mappings": [{"issueTypeId": "10001", "fieldConfigurationId": kept}]},
    )
    body = api.error("DELETE", f"/fieldconfiguration/{kept}", 400)
    assert "used by a field configuration scheme" in body["errorMessages"][0]
    api.checked("DELETE", f"/fieldconfiguration/{made}", 204)
    api.error("DELETE", f"/fieldconfiguration/{made}", 404)


def test_items_list_custom_fields_and_forget_deleted_ones(api: Api, sandbox: SandboxServer) -> None:
    field = api.call(
        "POST",
        "/field",
        json={
            "name": "Notes",
            "type": "com.atlassian.jira.plugin.system.customfieldtypes:textarea",
        },
    )
    assert field.status_code == 201, field.text
    field_id = field.json()["id"]
    made = create_config(api, "Engineering")
    set_items(api, made, {"id": field_id, "isRequired": True, "renderer": "text-renderer"})
    assert items(api, made)[field_id]["renderer"] == "text-renderer"
    assert sandbox.store.count("field_configuration_item", made) == 1
    assert api.call("DELETE", f"/field/{field_id}").status_code == 303
    assert field_id not in items(api, made)
    assert sandbox.store.count("field_configuration_item", made) == 0


# -- field configuration schemes ---------------------------------------------------------------
def test_create_list_update_scheme_with_a_default_mapping(api: Api) -> None:
    scheme = create_scheme(api, "Engineering", description="eng")
    create_scheme(api, "Support")
    page = api.checked("GET", "/fieldconfigurationscheme", 200, params={"id": scheme})
    assert page["values"] == [{"id": scheme, "name": "Engineering", "description": "eng"}]
    assert mappings(api, scheme) == {"default": "10000"}
    api.checked("PUT", f"/fieldconfigurationscheme/{scheme}", 204, json={"name": "Engineering"})
    api.checked("PUT", f"/fieldconfigurationscheme/{scheme}", 204, json={"name": "Eng"})
    page = api.checked("GET", "/fieldconfigurationscheme", 200)
    assert [s["name"] for s in page["values"]] == ["Eng", "Support"]


def test_scheme_names_are_unique(api: Api) -> None:
    create_scheme(api, "Engineering")
    support = create_scheme(api, "Support")
    body = api.error("POST", "/fieldconfigurationscheme", 400, json={"name": "engineering"})
    assert body["errorMessages"] == ["A field configuration scheme is using this name."]
    api.error("PUT", f"/fieldconfigurationscheme/{support}", 400, json={"name": "ENGINEERING"})
    api.error("PUT", f"/fieldconfigurationscheme/{support}", 400, json={"description": "x"})
    api.error(
        "POST", "/fieldconfigurationscheme", 400, json={"name": "D", "description": "d" * 1025}
    )
    api.error("PUT", "/fieldconfigurationscheme/99999", 404, json={"name": "X"})


def test_set_and_remove_mappings(api: Api) -> None:
    config, scheme = create_config(api, "Bugs"), create_scheme(api, "Engineering")
    api.checked(
        "PUT",
        f"/fieldconfigurationscheme/{scheme}/mapping",
        204,
        json={
            "mappings": [
                {"issueTypeId": "10003", "fieldConfigurationId": config},
                {"issueTypeId": "default", "fieldConfigurationId": config},
                {"issueTypeId": "10001", "fieldConfigurationId": "10000"},
            ]
        },
    )
    assert mappings(api, scheme) == {"default": config, "10003": config, "10001": "10000"}
    api.checked(
        "POST",
        f"/fieldconfigurationscheme/{scheme}/mapping/delete",
        204,
        json={"issueTypeIds": ["10003"]},
    )
    assert mappings(api, scheme) == {"default": config, "10001": "10000"}
    every = api.checked("GET", "/fieldconfigurationscheme/mapping", 200)
    assert len(every["values"]) == 2


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"mappings": []}, 400),
        (
            {
                "mappings": [
                    {"issueTypeId": "10001", "fieldConfigurationId": "10000"},
                    {"issueTypeId": "10001", "fieldConfigurationId": "10000"},
                ]
            },
            400,
        ),
        ({"mappings": [{"issueTypeId": "99999", "fieldConfigurationId": "10000"}]}, 404),
        ({"mappings": [{"issueTypeId": "10001", "fieldConfigurationId": "99999"}]}, 404),
    ],
)
def test_set_mappings_is_validated(api: Api, body: dict[str, Any], status: int) -> None:
    scheme = create_scheme(api, "Engineering")
    api.error("PUT", f"/fieldconfigurationscheme/{scheme}/mapping", status, json=body)
    assert mappings(api, scheme) == {"default": "10000"}


@pytest.mark.parametrize(
    ("ids", "status"),
    [
        ([], 400),
        (["10001", "10001"], 400),
        (["default"], 400),
        (["99999"], 404),
        ([str(n) for n in range(101)], 400),
    ],
)
def test_remove_mappings_is_validated(api: Api, ids: list[str], status: int) -> None:
    scheme = create_scheme(api, "Engineering")
    api.error(
        "POST",
        f"/fieldconfigurationscheme/{scheme}/mapping/delete",
        status,
        json={"issueTypeIds": ids},
    )


def test_mapping_list_takes_at_most_50_schemes(api: Api) -> None:
    api.error(
        "GET",
        "/fieldconfigurationscheme/mapping",
        400,
        params={"fieldConfigurationSchemeId": [str(n) for n in range(51)]},
    )
    api.error(
        "GET",
        "/fieldconfigurationscheme/mapping",
        404,
        params={"fieldConfigurationSchemeId": "99999"},
    )


def test_assign_schemes_to_projects(api: Api) -> None:
    eng, ops = create_project(api, "ENG"), create_project(api, "OPS")
    scheme = create_scheme(api, "Engineering")
    api.checked(
        "PUT",
        "/fieldconfigurationscheme/project",
        204,
        json={"projectId": eng, "fieldConfigurationSchemeId": scheme},
    )
    page = api.checked(
        "GET", "/fieldconfigurationscheme/project", 200, params={"projectId": [eng, ops]}
    )
    assert page["values"] == [
        {"projectIds": [ops]},
        {"fieldConfigurationScheme": {"id": scheme, "name": "Engineering"}, "projectIds": [eng]},
    ]
    body = api.error("DELETE", f"/fieldconfigurationscheme/{scheme}", 400)
    assert "used by one or more projects" in body["errorMessages"][0]
    api.checked(
        "PUT",
        "/fieldconfigurationscheme/project",
        204,
        json={"projectId": eng, "fieldConfigurationSchemeId": None},
    )
    api.checked("DELETE", f"/fieldconfigurationscheme/{scheme}", 204)
    api.error("DELETE", f"/fieldconfigurationscheme/{scheme}", 404)


def test_assign_and_list_projects_are_validated(api: Api) -> None:
    scheme = create_scheme(api, "Engineering")
    body = api.error(
        "PUT",
        "/fieldconfigurationscheme/project",
        404,
        json={"projectId": "99999", "fieldConfigurationSchemeId": scheme},
    )
    assert body["errorMessages"] == ["The project was not found."]
    eng = create_project(api, "ENG")
    api.error(
        "PUT",
        "/fieldconfigurationscheme/project",
        404,
        json={"projectId": eng, "fieldConfigurationSchemeId": "99999"},
    )
    api.error("GET", "/fieldconfigurationscheme/project", 400)
    api.error("GET", "/fieldconfigurationscheme/project", 400, params={"projectId": "abc"})


def test_deleted_project_is_forgotten(api: Api) -> None:
    eng, scheme = create_project(api, "ENG"), create_scheme(api, "Engineering")
    api.checked(
        "PUT",
        "/fieldconfigurationscheme/project",
        204,
        json={"projectId": eng, "fieldConfigurationSchemeId": scheme},
    )
    assert api.call("DELETE", "/project/ENG", params={"enableUndo": "false"}).status_code == 204
    api.checked("DELETE", f"/fieldconfigurationscheme/{scheme}", 204)


def test_new_project_uses_the_chosen_or_the_system_default_scheme(api: Api) -> None:
    scheme = create_scheme(api, "Engineering")
    body = api.call(
        "POST",
        "/project",
        json={
            "key": "ENG",
            "name": "Engineering",
            "leadAccountId": "557058:admin",
            "projectTypeKey": "software",
            "fieldConfigurationScheme": int(scheme),
        },
    )
    assert body.status_code == 201, body.text
    eng, ops = str(body.json()["id"]), create_project(api, "OPS")
    page = api.checked(
        "GET", "/fieldconfigurationscheme/project", 200, params={"projectId": [eng, ops]}
    )
    assert [v.get("fieldConfigurationScheme", {}).get("id") for v in page["values"]] == [
        None,
        scheme,
    ]
    refused = api.call(
        "POST",
        "/project",
        json={
            "key": "WEB",
            "name": "Web",
            "leadAccountId": "557058:admin",
            "projectTypeKey": "software",
            "fieldConfigurationScheme": 99999,
        },
    )
    assert refused.status_code == 404, refused.text


def test_deleted_issue_type_is_forgotten(api: Api, sandbox: SandboxServer) -> None:
    scheme = create_scheme(api, "Engineering")
    api.checked(
        "PUT",
        f"/fieldconfigurationscheme/{scheme}/mapping",
        204,
        json={"mappings": [{"issueTypeId": "10003", "fieldConfigurationId": "10000"}]},
    )
    fieldconfigs.forget_issue_type(sandbox.store, "10003")
    assert mappings(api, scheme) == {"default": "10000"}
