from __future__ import annotations

from typing import Any

from tests.conftest import Api, create_project
from tests.sandbox.test_fields import create_field, finish

BUG, STORY, TASK = "10003", "10001", "10002"


def field_with_context(api: Api, kind: str = "select") -> tuple[str, str]:
    """A new field and its (default, global) context."""
    field_id = create_field(api, f"Field {kind}", kind)["id"]
    return field_id, contexts(api, field_id)[0]["id"]


def contexts(api: Api, field_id: str, **params: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = api.checked(
        "GET", f"/field/{field_id}/context", 200, params=params
    )["values"]
    return found


def add_context(
    api: Api,
    field_id: str,
    name: str,
    projects: list[str] | None = None,
    types: list[str] | None = None,
) -> str:
    made = api.checked(
        "POST",
        f"/field/{field_id}/context",
        201,
        json={"name": name, "projectIds": projects or [], "issueTypeIds": types or []},
    )
    return str(made["id"])


def options(api: Api, field_id: str, context_id: str, **params: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = api.checked(
        "GET", f"/field/{field_id}/context/{context_id}/option", 200, params=params
    )["values"]
    return found


def add_options(
    api: Api, field_id: str, context_id: str, values: list[Any], parent: str | None = None
) -> list[dict[str, Any]]:
    items = [{"value": v} if parent is None else {"value": v, "optionId": parent} for v in values]
    made: list[dict[str, Any]] = api.checked(
        "POST", f"/field/{field_id}/context/{context_id}/option", 200, json={"options": items}
    )["options"]
    return made


def mapped(api: Api, field_id: str, context_id: str, mapping: str, key: str) -> set[str]:
    """The project or issue type ids ``mapping`` lists for one context."""
    rows = api.checked(
        "GET", f"/field/{field_id}/context/{mapping}", 200, params={"contextId": context_id}
    )["values"]
    return {str(r[key]) for r in rows}


# -- contexts ----------------------------------------------------------------------------------
def test_create_project_context_and_read_its_mappings(api: Api) -> None:
    eng, ops = create_project(api, "ENG"), create_project(api, "OPS")
    field_id, default = field_with_context(api)
    made = api.checked(
        "POST",
        f"/field/{field_id}/context",
        201,
        json={
            "name": "Engineering",
            "description": "eng",
            "projectIds": [eng, ops],
            "issueTypeIds": [BUG, STORY],
        },
    )
    assert (made["projectIds"], made["issueTypeIds"]) == ([eng, ops], [BUG, STORY])
    rows = api.checked("GET", f"/field/{field_id}/context/projectmapping", 200)["values"]
    assert rows == [
        {"contextId": default, "isGlobalContext": True},
        {"contextId": made["id"], "projectId": eng, "isGlobalContext": False},
        {"contextId": made["id"], "projectId": ops, "isGlobalContext": False},
    ]
    rows = api.checked(
        "GET", f"/field/{field_id}/context/issuetypemapping", 200, params={"contextId": made["id"]}
    )["values"]
    assert [r["issueTypeId"] for r in rows] == [STORY, BUG]


def test_list_contexts_filters(api: Api) -> None:
    eng = create_project(api, "ENG")
    field_id, default = field_with_context(api)
    scoped = add_context(api, field_id, "Eng bugs", [eng], [BUG])
    assert [c["id"] for c in contexts(api, field_id, isGlobalContext="true")] == [default]
    assert [c["id"] for c in contexts(api, field_id, isAnyIssueType="false")] == [scoped]
    assert [c["name"] for c in contexts(api, field_id, contextId=scoped)] == ["Eng bugs"]


def test_only_one_global_context_per_field(api: Api) -> None:
    eng = create_project(api, "ENG")
    field_id, _ = field_with_context(api)
    body = api.error("POST", f"/field/{field_id}/context", 400, json={"name": "Another"})
    assert "global context" in body["errorMessages"][0]
    scoped = add_context(api, field_id, "Scoped", [eng])
    body = api.error(
        "POST",
        f"/field/{field_id}/context/{scoped}/project/remove",
        400,
        json={"projectIds": [eng]},
    )  # the last project: it would become global
    assert "only one global context" in body["errorMessages"][0]
    assert [c["isGlobalContext"] for c in contexts(api, field_id)] == [True, False]


def test_the_global_context_stays_global_and_whole(api: Api) -> None:
    """CHANGE-3019 (April 2026): no delete, no projects, no issue types for the global context."""
    eng = create_project(api, "ENG")
    field_id, default = field_with_context(api)
    body = api.error("DELETE", f"/field/{field_id}/context/{default}", 400)
    assert body["errorMessages"] == ["The global context can't be deleted."]
    body = api.error(
        "PUT", f"/field/{field_id}/context/{default}/project", 400, json={"projectIds": [eng]}
    )
    assert body["errorMessages"] == ["Projects can't be added to the global context."]
    body = api.error(
        "PUT",
        f"/field/{field_id}/context/{default}/issuetype",
        400,
        json={"issueTypeIds": ["10001"]},
    )
    assert body["errorMessages"] == ["Issue types can't be added to the global context."]
    scoped = add_context(api, field_id, "Scoped", [eng])
    api.checked("DELETE", f"/field/{field_id}/context/{scoped}", 204)


def test_a_project_belongs_to_one_context_per_field(api: Api) -> None:
    eng, ops = create_project(api, "ENG"), create_project(api, "OPS")
    field_id, _ = field_with_context(api)
    add_context(api, field_id, "First", [eng])
    second = add_context(api, field_id, "Second", [ops])
    body = api.error(
        "POST", f"/field/{field_id}/context", 400, json={"name": "Third", "projectIds": [eng]}
    )
    assert eng in body["errorMessages"][0]
    api.error("PUT", f"/field/{field_id}/context/{second}/project", 400, json={"projectIds": [eng]})
    api.error(
        "POST",
        f"/field/{field_id}/context/{second}/project/remove",
        400,
        json={"projectIds": [eng]},
    )


def test_projects_and_issue_types_are_added_and_removed(api: Api) -> None:
    eng, ops = create_project(api, "ENG"), create_project(api, "OPS")
    field_id, _ = field_with_context(api)
    scoped = add_context(api, field_id, "Scoped", [eng], [BUG])
    api.checked(
        "PUT", f"/field/{field_id}/context/{scoped}/project", 204, json={"projectIds": [ops]}
    )
    assert mapped(api, field_id, scoped, "projectmapping", "projectId") == {eng, ops}  # appended
    api.checked(
        "POST",
        f"/field/{field_id}/context/{scoped}/project/remove",
        204,
        json={"projectIds": [eng]},
    )
    api.checked(
        "PUT", f"/field/{field_id}/context/{scoped}/issuetype", 204, json={"issueTypeIds": [TASK]}
    )
    assert mapped(api, field_id, scoped, "issuetypemapping", "issueTypeId") == {BUG, TASK}
    api.error(
        "PUT",
        f"/field/{field_id}/context/{scoped}/issuetype",
        400,
        json={"issueTypeIds": [STORY, TASK]},
    )
    api.checked(
        "POST",
        f"/field/{field_id}/context/{scoped}/issuetype/remove",
        204,
        json={"issueTypeIds": [BUG, TASK]},
    )
    assert [c["isAnyIssueType"] for c in contexts(api, field_id, contextId=scoped)] == [True]
    rows = api.checked(
        "GET", f"/field/{field_id}/context/projectmapping", 200, params={"contextId": scoped}
    )["values"]
    assert [r["projectId"] for r in rows] == [ops]


def test_context_input_is_validated(api: Api) -> None:
    field_id, default = field_with_context(api)
    api.error(
        "POST", f"/field/{field_id}/context", 404, json={"name": "X", "projectIds": ["424242"]}
    )
    api.error(
        "POST",
        f"/field/{field_id}/context",
        404,
        json={"name": "X", "projectIds": ["1"], "issueTypeIds": ["424242"]},
    )
    api.error("POST", f"/field/{field_id}/context", 400, json={"name": ""})
    api.error(
        "PUT",
        f"/field/{field_id}/context/{default}/issuetype",
        400,
        json={"issueTypeIds": [BUG, BUG]},
    )
    api.error(
        "POST",
        f"/field/{field_id}/context/{default}/issuetype/remove",
        400,
        json={"issueTypeIds": [BUG]},
    )
    api.error("GET", "/field/summary/context", 404)
    api.error("PUT", f"/field/customfield_10021/context/{default}", 404, json={"name": "x"})


def test_rename_and_delete_context(api: Api) -> None:
    eng = create_project(api, "ENG")
    field_id, default = field_with_context(api)
    scoped = add_context(api, field_id, "Scoped", [eng])
    api.checked(
        "PUT",
        f"/field/{field_id}/context/{scoped}",
        204,
        json={"name": "Renamed", "description": "now"},
    )
    assert [(c["name"], c["description"]) for c in contexts(api, field_id, contextId=scoped)] == [
        ("Renamed", "now")
    ]
    body = api.error(
        "PUT",
        f"/field/{field_id}/context/{scoped}",
        400,
        json={"name": contexts(api, field_id)[0]["name"].upper()},
    )
    assert "name" in body["errors"]
    add_options(api, field_id, scoped, ["A"])
    api.checked("DELETE", f"/field/{field_id}/context/{scoped}", 204)
    api.error("GET", f"/field/{field_id}/context/{scoped}/option", 404)
    assert [c["id"] for c in contexts(api, field_id)] == [default]


def test_deleted_project_leaves_its_contexts(api: Api) -> None:
    eng, ops = create_project(api, "ENG"), create_project(api, "OPS")
    field_id, _ = field_with_context(api)
    both = add_context(api, field_id, "Both", [eng, ops])
    only = add_context(api, field_id, "Only OPS", [create_project(api, "SUP")])
    api.checked("DELETE", f"/project/{eng}", 204, params={"enableUndo": "false"})
    rows = api.checked(
        "GET", f"/field/{field_id}/context/projectmapping", 200, params={"contextId": both}
    )["values"]
    assert [r["projectId"] for r in rows] == [ops]
    api.checked("DELETE", f"/project/{ops}", 204, params={"enableUndo": "false"})
    assert only in [c["id"] for c in contexts(api, field_id)]
    assert both not in [c["id"] for c in contexts(api, field_id)]  # it would have turned global


# -- options -----------------------------------------------------------------------------------
def test_options_are_created_listed_and_paged(api: Api) -> None:
    field_id, ctx = field_with_context(api)
    made = add_options(api, field_id, ctx, [f"Option {i:03d}" for i in range(150)])
    assert made[0] == {"id": made[0]["id"], "value": "Option 000", "disabled": False}
    page = api.checked("GET", f"/field/{field_id}/context/{ctx}/option", 200)
    assert (page["maxResults"], len(page["values"]), page["total"]) == (100, 100, 150)
    assert options(api, field_id, ctx, optionId=made[7]["id"])[0]["value"] == "Option 007"


def test_cascading_options_list_after_their_parents(api: Api) -> None:
    field_id, ctx = field_with_context(api, "cascadingselect")
    europe, americas = add_options(api, field_id, ctx, ["Europe", "Americas"])
    add_options(api, field_id, ctx, ["USA", "Canada"], americas["id"])
    add_options(api, field_id, ctx, ["France"], europe["id"])
    listed = options(api, field_id, ctx)
    assert [(o["value"], o.get("optionId")) for o in listed] == [
        ("Europe", None),
        ("Americas", None),
        ("France", europe["id"]),
        ("USA", americas["id"]),
        ("Canada", americas["id"]),
    ]
    assert [o["value"] for o in options(api, field_id, ctx, onlyOptions="true")] == [
        "Europe",
        "Americas",
    ]
    add_options(api, field_id, ctx, ["France"], americas["id"])  # unique per parent only


def test_option_values_are_unique_among_siblings_ignoring_case(api: Api) -> None:
    field_id, ctx = field_with_context(api)
    add_options(api, field_id, ctx, ["High"])
    body = api.error(
        "POST",
        f"/field/{field_id}/context/{ctx}/option",
        400,
        json={"options": [{"value": "high"}]},
    )
    assert "already exists" in body["errors"]["value"]
    api.error(
        "POST",
        f"/field/{field_id}/context/{ctx}/option",
        400,
        json={"options": [{"value": "Low"}, {"value": "LOW"}]},
    )
    assert [o["value"] for o in options(api, field_id, ctx)] == ["High"]


def test_option_requests_are_capped(api: Api) -> None:
    field_id, ctx = field_with_context(api)
    too_many = [{"value": f"v{i}"} for i in range(1001)]
    api.error("POST", f"/field/{field_id}/context/{ctx}/option", 400, json={"options": too_many})
    for start in range(0, 10000, 1000):
        add_options(api, field_id, ctx, [f"v{i}" for i in range(start, start + 1000)])
    body = api.error(
        "POST",
        f"/field/{field_id}/context/{ctx}/option",
        400,
        json={"options": [{"value": "one more"}]},
    )
    assert "10000" in body["errorMessages"][0]


def test_option_input_is_validated(api: Api) -> None:
    field_id, ctx = field_with_context(api)
    top = add_options(api, field_id, ctx, ["A"])[0]
    api.error(
        "POST",
        f"/field/{field_id}/context/{ctx}/option",
        400,
        json={"options": [{"value": "child", "optionId": top["id"]}]},
    )
    api.error(
        "POST", f"/field/{field_id}/context/{ctx}/option", 400, json={"options": [{"value": ""}]}
    )
    text_field, text_ctx = field_with_context(api, "textfield")
    api.error("GET", f"/field/{text_field}/context/{text_ctx}/option", 400)


def test_update_options_reports_only_changes_and_is_all_or_nothing(api: Api) -> None:
    field_id, ctx = field_with_context(api)
    a, b = add_options(api, field_id, ctx, ["A", "B"])
    path = f"/field/{field_id}/context/{ctx}/option"
    changed = api.checked(
        "PUT",
        path,
        200,
        json={
            "options": [
                {"id": a["id"], "value": "A"},
                {"id": b["id"], "value": "Bee", "disabled": True},
            ]
        },
    )
    assert changed["options"] == [{"id": b["id"], "value": "Bee", "disabled": True}]
    api.error(
        "PUT",
        path,
        404,
        json={"options": [{"id": a["id"], "value": "Z"}, {"id": "424242", "value": "Y"}]},
    )
    api.error("PUT", path, 400, json={"options": [{"id": a["id"], "value": "bee"}]})
    assert [o["value"] for o in options(api, field_id, ctx)] == ["A", "Bee"]


def test_move_options(api: Api) -> None:
    field_id, ctx = field_with_context(api, "cascadingselect")
    a, _, c, d = add_options(api, field_id, ctx, ["A", "B", "C", "D"])
    kid = add_options(api, field_id, ctx, ["a1"], a["id"])[0]
    path = f"/field/{field_id}/context/{ctx}/option/move"
    api.checked(
        "PUT", path, 204, json={"customFieldOptionIds": [d["id"], c["id"]], "position": "First"}
    )
    api.checked("PUT", path, 204, json={"customFieldOptionIds": [a["id"]], "after": d["id"]})
    assert [o["value"] for o in options(api, field_id, ctx)] == ["D", "A", "C", "B", "a1"]
    api.error(
        "PUT", path, 400, json={"customFieldOptionIds": [a["id"], kid["id"]], "position": "Last"}
    )
    api.error("PUT", path, 400, json={"customFieldOptionIds": [a["id"]]})
    api.error("PUT", path, 400, json={"customFieldOptionIds": [a["id"]], "after": a["id"]})
    api.error("PUT", path, 404, json={"customFieldOptionIds": ["424242"], "position": "Last"})


def test_delete_option_needs_its_children_gone_first(api: Api) -> None:
    field_id, ctx = field_with_context(api, "cascadingselect")
    parent = add_options(api, field_id, ctx, ["Parent"])[0]
    kid = add_options(api, field_id, ctx, ["Kid"], parent["id"])[0]
    path = f"/field/{field_id}/context/{ctx}/option"
    body = api.error("DELETE", f"{path}/{parent['id']}", 400)
    assert "cascading" in body["errorMessages"][0]
    api.checked("DELETE", f"{path}/{kid['id']}", 204)
    api.checked("DELETE", f"{path}/{parent['id']}", 204)
    api.error("DELETE", f"{path}/{parent['id']}", 404)


def test_replace_option_in_issues_is_a_task(api: Api) -> None:
    field_id, ctx = field_with_context(api)
    old, new = add_options(api, field_id, ctx, ["Old", "New"])
    path = f"/field/{field_id}/context/{ctx}/option/{old['id']}/issue"
    started = api.checked("DELETE", path, 303, params={"replaceWith": new["id"]})
    task = finish(api, started["self"])
    assert (task["status"], task["result"]["modifiedIssues"]) == ("COMPLETE", [])
    api.error("DELETE", path, 404, params={"replaceWith": "424242"})
    api.error("DELETE", path, 400, params={"replaceWith": old["id"]})


# -- defaults ----------------------------------------------------------------------------------
def put_default(api: Api, field_id: str, status: int, **value: Any) -> Any:
    """PUT one default value of the field (a 4xx expects Jira's error body); the response."""
    call = api.checked if status < 400 else api.error
    path = f"/field/{field_id}/context/defaultValue"
    return call("PUT", path, status, json={"defaultValues": [value]})


def test_option_defaults_are_set_read_and_cleared(api: Api) -> None:
    field_id, ctx = field_with_context(api, "multiselect")
    a, b = add_options(api, field_id, ctx, ["A", "B"])
    path = f"/field/{field_id}/context/defaultValue"
    assert api.checked("GET", path, 200)["values"] == []
    both = {"type": "option.multiple", "contextId": ctx, "optionIds": [a["id"], b["id"]]}
    put_default(api, field_id, 204, **both)
    assert api.checked("GET", path, 200, params={"contextId": ctx})["values"] == [both]
    api.checked("DELETE", f"/field/{field_id}/context/{ctx}/option/{a['id']}", 204)
    assert api.checked("GET", path, 200)["values"][0]["optionIds"] == [b["id"]]
    put_default(api, field_id, 204, type="option.multiple", contextId=ctx, optionIds=[])
    assert api.checked("GET", path, 200)["values"] == []


def test_cascading_default_child_must_be_under_its_parent(api: Api) -> None:
    field_id, ctx = field_with_context(api, "cascadingselect")
    europe, americas = add_options(api, field_id, ctx, ["Europe", "Americas"])
    usa = add_options(api, field_id, ctx, ["USA"], americas["id"])[0]
    cascading = {"type": "option.cascading", "contextId": ctx, "cascadingOptionId": usa["id"]}
    put_default(api, field_id, 404, **cascading, optionId=europe["id"])
    put_default(api, field_id, 204, **cascading, optionId=americas["id"])
    path = f"/field/{field_id}/context/defaultValue"
    assert api.checked("GET", path, 200)["values"][0]["cascadingOptionId"] == usa["id"]


def test_default_must_match_the_field_and_its_context(api: Api) -> None:
    field_id, ctx = field_with_context(api)
    other_field, other_ctx = field_with_context(api)
    foreign = add_options(api, other_field, other_ctx, ["Elsewhere"])[0]
    put_default(api, field_id, 404, type="option.single", contextId=ctx, optionId=foreign["id"])
    body = put_default(api, field_id, 400, type="textfield", contextId=ctx, text="x")
    assert "type" in body["errors"]
    put_default(
        api, field_id, 404, type="option.single", contextId=other_ctx, optionId=foreign["id"]
    )


def test_text_and_number_defaults(api: Api) -> None:
    text_field, text_ctx = field_with_context(api, "textfield")
    put_default(api, text_field, 204, type="textfield", contextId=text_ctx, text="n/a")
    got = api.checked("GET", f"/field/{text_field}/context/defaultValue", 200)["values"]
    assert got == [{"type": "textfield", "contextId": text_ctx, "text": "n/a"}]
    number_field, number_ctx = field_with_context(api, "float")
    put_default(api, number_field, 204, type="float", contextId=number_ctx, number=3.5)
    got = api.checked("GET", f"/field/{number_field}/context/defaultValue", 200)["values"]
    assert got[0]["number"] == 3.5
