from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from tests.conftest import Api

PLUGIN = "com.atlassian.jira.plugin.system.customfieldtypes:"


def create_field(
    api: Api, name: str, kind: str = "select", searcher: str | None = None, **extra: Any
) -> dict[str, Any]:
    body: dict[str, Any] = {"name": name, "type": PLUGIN + kind, **extra}
    if searcher:
        body["searcherKey"] = PLUGIN + searcher
    made: dict[str, Any] = api.checked("POST", "/field", 201, json=body)
    return made


def search(api: Api, **params: Any) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = api.checked("GET", "/field/search", 200, params=params)["values"]
    return result


def finish(api: Api, task_url: str) -> dict[str, Any]:
    """Poll a task until it ends (the sandbox reports RUNNING once)."""
    path = urlsplit(task_url).path
    task: dict[str, Any] = api.checked("GET", path, 200)
    while task["status"] == "RUNNING":
        task = api.checked("GET", path, 200)
    return task


def test_new_site_lists_system_fields_with_their_ids_and_schemas(api: Api) -> None:
    fields = {f["id"]: f for f in api.checked("GET", "/field", 200)}
    assert {
        "summary",
        "status",
        "priority",
        "resolution",
        "labels",
        "issuetype",
        "assignee",
        "duedate",
        "fixVersions",
        "parent",
    } <= set(fields)
    assert fields["labels"]["schema"] == {"type": "array", "items": "string", "system": "labels"}
    assert (fields["status"]["name"], fields["status"]["custom"]) == ("Status", False)
    assert fields["issuetype"]["clauseNames"] == ["issuetype", "type"]


def test_new_site_has_the_software_custom_fields_some_locked(api: Api) -> None:
    found = search(api, type="custom", expand="isLocked,searcherKey")
    locked = {f["name"]: f["isLocked"] for f in found}
    assert locked["Sprint"] and locked["Rank"] and not locked["Flagged"]
    assert all(f["id"].startswith("customfield_100") for f in found)


def test_create_custom_field_answers_field_details_and_a_default_context(api: Api) -> None:
    made = create_field(api, "Severity", "select", "multiselectsearcher", description="How bad")
    assert made["id"] == "customfield_10030" and made["custom"] and made["searchable"]
    assert made["schema"] == {"type": "option", "custom": PLUGIN + "select", "customId": 10030}
    assert made["clauseNames"] == ["cf[10030]", "Severity"]
    contexts = api.checked("GET", f"/field/{made['id']}/context", 200)["values"]
    assert [(c["name"], c["isGlobalContext"], c["isAnyIssueType"]) for c in contexts] == [
        ("Default Configuration Scheme for Severity", True, True)
    ]


def test_every_type_maps_to_its_schema(api: Api) -> None:
    shapes = {
        "cascadingselect": ("option-with-child", None),
        "multiselect": ("array", "option"),
        "multicheckboxes": ("array", "option"),
        "float": ("number", None),
        "datepicker": ("date", None),
        "datetime": ("datetime", None),
        "multiuserpicker": ("array", "user"),
        "labels": ("array", "string"),
        "url": ("string", None),
        "textarea": ("string", None),
    }
    for kind, (schema_type, items) in shapes.items():
        schema = create_field(api, f"F {kind}", kind)["schema"]
        assert (schema["type"], schema.get("items")) == (schema_type, items), kind


def test_custom_field_names_need_not_be_unique(api: Api) -> None:
    first, second = create_field(api, "Team"), create_field(api, "Team", "textfield")
    assert first["id"] != second["id"]
    assert [f["name"] for f in search(api, type="custom", query="team")].count("Team") == 3


def test_create_refuses_bad_names_types_and_searchers(api: Api) -> None:
    body = api.error("POST", "/field", 400, json={"name": " ", "type": PLUGIN + "select"})
    assert "name" in body["errors"]
    api.error("POST", "/field", 400, json={"name": "x" * 256, "type": PLUGIN + "select"})
    assert (
        "type"
        in api.error("POST", "/field", 400, json={"name": "A", "type": PLUGIN + "nope"})["errors"]
    )
    api.error("POST", "/field", 400, json={"name": "A"})
    body = api.error(
        "POST",
        "/field",
        400,
        json={"name": "A", "type": PLUGIN + "float", "searcherKey": PLUGIN + "textsearcher"},
    )
    assert "searcherKey" in body["errors"]


def test_search_filters_orders_and_expands(api: Api) -> None:
    create_field(api, "Zeta", "textfield", "textsearcher", description="the last one")
    create_field(api, "Alpha", "float", "numberrange")
    names = [f["name"] for f in search(api, type="custom", orderBy="-name")]
    assert names[:2] == ["Zeta", "Team"]
    hits = search(api, query="LAST ONE", expand="searcherKey,contextsCount")
    assert [(f["name"], f["searcherKey"], f["contextsCount"]) for f in hits] == [
        ("Zeta", PLUGIN + "textsearcher", 1)
    ]
    assert "searcherKey" not in search(api, id="customfield_10031")[0]
    assert {f["id"] for f in search(api, type="system")} >= {"summary", "status"}
    api.error("GET", "/field/search", 400, params={"orderBy": "colour"})


def test_search_pages_with_a_page_bean(api: Api) -> None:
    page = api.checked("GET", "/field/search", 200, params={"maxResults": 5, "startAt": 5})
    assert (page["startAt"], page["maxResults"], len(page["values"])) == (5, 5, 5)
    assert not page["isLast"] and page["total"] > 40


def test_update_name_description_and_searcher(api: Api) -> None:
    made = create_field(api, "Estimate", "float", "exactnumber")
    api.checked(
        "PUT",
        f"/field/{made['id']}",
        204,
        json={"name": "Points", "description": "d", "searcherKey": PLUGIN + "numberrange"},
    )
    got = search(api, id=made["id"], expand="searcherKey")[0]
    assert (got["name"], got["description"], got["searcherKey"]) == (
        "Points",
        "d",
        PLUGIN + "numberrange",
    )
    api.checked("PUT", f"/field/{made['id']}", 204, json={"searcherKey": None})
    assert not next(f for f in api.checked("GET", "/field", 200) if f["id"] == made["id"])[
        "searchable"
    ]
    api.error("PUT", f"/field/{made['id']}", 400, json={"searcherKey": PLUGIN + "daterange"})
    api.error("PUT", f"/field/{made['id']}", 400, json={"name": ""})


def test_system_and_locked_fields_are_immutable(api: Api) -> None:
    api.error("PUT", "/field/summary", 404, json={"name": "Title"})
    api.error("POST", "/field/summary/trash", 400)
    api.error("DELETE", "/field/status", 400)
    body = api.error("PUT", "/field/customfield_10020", 400, json={"name": "Iteration"})
    assert "locked" in body["errorMessages"][0]
    api.error("DELETE", "/field/customfield_10019", 400)
    api.error("PUT", "/field/customfield_99999", 404, json={"name": "x"})


def test_trash_hides_a_field_and_restore_brings_it_back(api: Api) -> None:
    made = create_field(api, "Old", "textfield")
    api.checked("POST", f"/field/{made['id']}/trash", 200)
    assert made["id"] not in {f["id"] for f in api.checked("GET", "/field", 200)}
    trashed = api.checked("GET", "/field/search/trashed", 200)["values"]
    assert [f["id"] for f in trashed] == [made["id"]]
    api.error("GET", f"/field/{made['id']}/context", 404)
    api.error("POST", f"/field/{made['id']}/trash", 404)
    api.checked("POST", f"/field/{made['id']}/restore", 200)
    api.error("POST", f"/field/{made['id']}/restore", 400)
    assert made["id"] in {f["id"] for f in api.checked("GET", "/field", 200)}


def test_delete_is_an_async_task_that_removes_the_field_everywhere(api: Api) -> None:
    made = create_field(api, "Gone", "select")
    api.checked("POST", "/screens/1/tabs/10000/fields", 200, json={"fieldId": made["id"]})
    started = api.checked("DELETE", f"/field/{made['id']}", 303)
    assert finish(api, started["self"])["status"] == "COMPLETE"
    assert made["id"] not in {f["id"] for f in api.checked("GET", "/field", 200)}
    on_screen = api.checked("GET", "/screens/1/tabs/10000/fields", 200)
    assert made["id"] not in {f["id"] for f in on_screen}
    api.error("DELETE", f"/field/{made['id']}", 404)


def test_trashed_field_can_be_deleted(api: Api) -> None:
    made = create_field(api, "Trashed", "textfield")
    api.checked("POST", f"/field/{made['id']}/trash", 200)
    finish(api, api.checked("DELETE", f"/field/{made['id']}", 303)["self"])
    assert api.checked("GET", "/field/search/trashed", 200)["values"] == []


def test_custom_field_option_by_id(api: Api) -> None:
    context = api.checked("GET", "/field/customfield_10021/context", 200)["values"][0]
    option = api.checked("GET", f"/field/customfield_10021/context/{context['id']}/option", 200)[
        "values"
    ][0]
    got = api.checked("GET", f"/customFieldOption/{option['id']}", 200)
    assert got["value"] == "Impediment"
    api.error("GET", "/customFieldOption/424242", 404)
