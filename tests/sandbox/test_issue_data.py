"""The sandbox's data endpoints over HTTP: every field type, create metadata and required fields,
bulk create and fetch, transitions with screens, conditions and validators, comments, worklogs
and their feeds, attachments, properties, watchers, remote links, the changelog, key numbers."""

from __future__ import annotations

import time
from typing import Any

import pytest

from jiracfg.sandbox.server import SandboxServer
from tests.conftest import Api, create_project

ADMIN = "557058:admin"
PLUGIN = "com.atlassian.jira.plugin.system.customfieldtypes:"


def doc(text: str) -> dict[str, Any]:
    return {
        "type": "doc",
        "version": 1,
        "content": [{"type": "paragraph", "content": [{"type": "text", "text": text}]}],
    }


class Site:
    """A project ENG on the default schemes with custom fields of every type on its screen."""

    def __init__(self, api: Api, server: SandboxServer) -> None:
        self.api, self.db = api, server.store
        self.project_id = create_project(api, "ENG")
        self.tab = api.checked("GET", "/screens/1/tabs", 200)[0]["id"]
        self.fields: dict[str, str] = {}

    def field(self, short: str, options: dict[str, list[str]] | None = None) -> str:
        made = self.api.checked(
            "POST", "/field", 201, json={"name": f"F {short}", "type": PLUGIN + short}
        )
        self.api.checked(
            "POST", f"/screens/1/tabs/{self.tab}/fields", 200, json={"fieldId": made["id"]}
        )
        context = self.api.checked("GET", f"/field/{made['id']}/context", 200)["values"][0]
        for parent, children in (options or {}).items():
            base = f"/field/{made['id']}/context/{context['id']}/option"
            top = self.api.checked("POST", base, 200, json={"options": [{"value": parent}]})
            kids = [{"value": c, "optionId": top["options"][0]["id"]} for c in children]
            if kids:
                self.api.checked("POST", base, 200, json={"options": kids})
        self.fields[short] = str(made["id"])
        return str(made["id"])

    def create(self, fields: dict[str, Any] | None = None, type_name: str = "Task") -> Any:
        body = {
            "fields": {
                "project": {"key": "ENG"},
                "issuetype": {"name": type_name},
                "summary": "Something",
                **(fields or {}),
            }
        }
        return self.api.checked("POST", "/issue", 201, json=body)

    def fields_of(self, key: str, **params: Any) -> dict[str, Any]:
        found: dict[str, Any] = self.api.checked("GET", f"/issue/{key}", 200, params=params)[
            "fields"
        ]
        return found


@pytest.fixture
def site(api: Api, sandbox: SandboxServer) -> Site:
    return Site(api, sandbox)


# -- field values ------------------------------------------------------------------------------
def test_every_custom_field_type_round_trips(site: Site, api: Api) -> None:
    f = {
        short: site.field(short, opts)
        for short, opts in [
            ("select", {"Red": [], "Blue": []}),
            ("radiobuttons", {"Yes": [], "No": []}),
            ("multiselect", {"A": [], "B": [], "C": []}),
            ("multicheckboxes", {"X": [], "Y": []}),
            ("cascadingselect", {"Europe": ["Germany", "France"]}),
            ("textfield", None),
            ("textarea", None),
            ("url", None),
            ("float", None),
            ("datepicker", None),
            ("datetime", None),
            ("userpicker", None),
            ("multiuserpicker", None),
            ("labels", None),
            ("grouppicker", None),
            ("multigrouppicker", None),
        ]
    }
    given = {
        f["select"]: {"value": "Blue"},
        f["radiobuttons"]: {"value": "No"},
        f["multiselect"]: [{"value": "A"}, {"value": "C"}],
        f["multicheckboxes"]: [{"value": "Y"}],
        f["cascadingselect"]: {"value": "Europe", "child": {"value": "France"}},
        f["textfield"]: "plain text",
        f["textarea"]: doc("rich"),
        f["url"]: "https://example.com/x",
        f["float"]: 3.5,
        f["datepicker"]: "2026-03-01",
        f["datetime"]: "2026-03-01T10:30:00.000+0100",
        f["userpicker"]: {"accountId": ADMIN},
        f["multiuserpicker"]: [{"accountId": ADMIN}],
        f["labels"]: ["one", "two"],
        f["grouppicker"]: {"name": "jira-users"},
        f["multigrouppicker"]: [{"name": "jira-users"}, {"name": "site-admins"}],
    }
    made = site.create(given)
    got = site.fields_of(made["key"])
    assert got[f["select"]]["value"] == "Blue"
    assert got[f["radiobuttons"]]["value"] == "No"
    assert [o["value"] for o in got[f["multiselect"]]] == ["A", "C"]
    assert [o["value"] for o in got[f["multicheckboxes"]]] == ["Y"]
    assert (got[f["cascadingselect"]]["value"], got[f["cascadingselect"]]["child"]["value"]) == (
        "Europe",
        "France",
    )
    assert got[f["textfield"]] == "plain text"
    assert got[f["textarea"]] == doc("rich")
    assert got[f["url"]] == "https://example.com/x"
    assert got[f["float"]] == 3.5
    assert got[f["datepicker"]] == "2026-03-01"
    assert got[f["datetime"]] == "2026-03-01T09:30:00.000+0000"  # kept in UTC
    assert got[f["userpicker"]]["accountId"] == ADMIN
    assert [u["accountId"] for u in got[f["multiuserpicker"]]] == [ADMIN]
    assert got[f["labels"]] == ["one", "two"]
    assert got[f["grouppicker"]]["name"] == "jira-users"
    assert [g["name"] for g in got[f["multigrouppicker"]]] == ["jira-users", "site-admins"]


@pytest.mark.parametrize(
    ("short", "value", "message"),
    [
        ("select", {"value": "Nope"}, "Option value 'Nope' is not valid"),
        ("multiselect", {"value": "A"}, "Operation value must be an array of options"),
        ("textfield", 5, "Operation value must be a string"),
        ("textfield", "x" * 256, "exceeds the allowed limit of 255 characters"),
        ("textarea", "not adf", "Atlassian Document"),
        ("url", "no url", "Not a valid URL"),
        ("float", "5", "Operation value must be a number"),
        ("datepicker", "2026-13-01", "Error parsing date string"),
        ("datetime", "yesterday", "Error parsing time"),
        ("userpicker", {"accountId": "nobody"}, "does not exist"),
        ("multiuserpicker", {"accountId": ADMIN}, "array of users"),
        ("labels", ["has space"], "must not contain spaces"),
        ("grouppicker", {"name": "no-such-group"}, "does not exist"),
    ],
)
def test_invalid_values_are_refused_per_type(
    site: Site, api: Api, short: str, value: Any, message: str
) -> None:
    field = site.field(short, {"A": []} if "select" in short else None)
    body = {
        "fields": {
            "project": {"key": "ENG"},
            "issuetype": {"name": "Task"},
            "summary": "x",
            field: value,
        }
    }
    errors = api.error("POST", "/issue", 400, json=body)["errors"]
    assert list(errors) == [field] and message in errors[field], errors


def test_system_fields_round_trip(site: Site, api: Api) -> None:
    version = api.checked(
        "POST", "/version", 201, json={"name": "1.0", "projectId": int(site.project_id)}
    )
    component = api.checked("POST", "/component", 201, json={"name": "API", "project": "ENG"})
    made = site.create(
        {
            "assignee": {"accountId": ADMIN},
            "duedate": "2026-12-24",
            "components": [{"name": "API"}],
            "versions": [{"id": version["id"]}],
            "fixVersions": [{"name": "1.0"}],
            "environment": doc("prod"),
            "timetracking": {"originalEstimate": "1d 2h"},
        }
    )
    got = site.fields_of(made["key"])
    assert got["assignee"]["accountId"] == ADMIN
    assert got["reporter"]["accountId"] == ADMIN and got["creator"]["accountId"] == ADMIN
    assert got["duedate"] == "2026-12-24"
    assert [c["id"] for c in got["components"]] == [component["id"]]
    assert [v["name"] for v in got["versions"]] == [v["name"] for v in got["fixVersions"]]
    assert got["environment"] == doc("prod")
    assert got["timetracking"]["originalEstimateSeconds"] == 10 * 3600
    assert got["timetracking"]["originalEstimate"] == "1d 2h"
    errors = api.error(
        "PUT", f"/issue/{made['key']}", 400, json={"fields": {"components": [{"name": "Nope"}]}}
    )["errors"]
    assert errors == {"components": "Component name 'Nope' is not valid"}


def test_fields_off_the_screen_or_hidden_cannot_be_set(site: Site, api: Api) -> None:
    made = api.checked("POST", "/field", 201, json={"name": "Off", "type": PLUGIN + "textfield"})
    body = {
        "fields": {
            "project": {"key": "ENG"},
            "issuetype": {"name": "Task"},
            "summary": "x",
            made["id"]: "v",
        }
    }
    errors = api.error("POST", "/issue", 400, json=body)["errors"]
    assert errors == {
        made["id"]: f"Field '{made['id']}' cannot be set. It is not on the appropriate screen, "
        "or unknown."
    }
    api.checked(
        "PUT",
        "/fieldconfiguration/10000/fields",
        204,
        json={"fieldConfigurationItems": [{"id": "duedate", "isHidden": True}]},
    )
    body["fields"] = {**body["fields"], "duedate": "2026-01-01"}
    del body["fields"][made["id"]]
    assert "duedate" in api.error("POST", "/issue", 400, json=body)["errors"]


def test_required_fields_come_from_the_field_configuration(site: Site, api: Api) -> None:
    field = site.field("textfield")
    api.checked(
        "PUT",
        "/fieldconfiguration/10000/fields",
        204,
        json={"fieldConfigurationItems": [{"id": field, "isRequired": True}]},
    )
    meta = api.checked("GET", f"/issue/createmeta/ENG/issuetypes/{task_id(api)}", 200)
    by_id = {m["fieldId"]: m for m in meta["fields"]}
    assert by_id[field]["required"] is True and by_id["summary"]["required"] is True
    assert by_id["description"]["required"] is False
    errors = api.error(
        "POST",
        "/issue",
        400,
        json={"fields": {"project": {"key": "ENG"}, "issuetype": {"name": "Task"}}},
    )["errors"]
    assert errors == {
        "summary": "You must specify a summary of the issue.",
        field: "F textfield is required.",
    }
    made = site.create({field: "given"})
    errors = api.error("PUT", f"/issue/{made['key']}", 400, json={"fields": {field: None}})[
        "errors"
    ]
    assert errors == {field: "F textfield is required."}


def task_id(api: Api) -> str:
    types = api.checked("GET", "/issue/createmeta/ENG/issuetypes", 200)["issueTypes"]
    return str(next(t["id"] for t in types if t["name"] == "Task"))


def test_createmeta_lists_screen_fields_with_allowed_values(site: Site, api: Api) -> None:
    field = site.field("select", {"Red": [], "Blue": []})
    types = api.checked("GET", "/issue/createmeta/ENG/issuetypes", 200)
    assert {"Task", "Sub-task"} <= {t["name"] for t in types["issueTypes"]}
    meta = api.checked("GET", f"/issue/createmeta/ENG/issuetypes/{task_id(api)}", 200)
    by_id = {m["fieldId"]: m for m in meta["fields"]}
    assert [o["value"] for o in by_id[field]["allowedValues"]] == ["Red", "Blue"]
    assert {"summary", "project", "issuetype", "assignee", "labels"} <= set(by_id)
    assert "resolution" not in by_id  # not on the Default Screen
    api.error("GET", "/issue/createmeta/NOPE/issuetypes", 404)
    api.error("GET", "/issue/createmeta/ENG/issuetypes/424242", 400)
    edit = api.checked("GET", f"/issue/{site.create()['key']}/editmeta", 200)
    assert field in edit["fields"]


def test_createmeta_and_writes_follow_the_projects_priority_scheme(site: Site, api: Api) -> None:
    project = [int(site.project_id)]
    body = {"name": "Few", "defaultPriorityId": 4, "priorityIds": [2, 4], "projectIds": project}
    api.checked("POST", "/priorityscheme", 202, json=body)  # a task: it moves a project
    meta = api.checked("GET", f"/issue/createmeta/ENG/issuetypes/{task_id(api)}", 200)
    (priority,) = [m for m in meta["fields"] if m["fieldId"] == "priority"]
    assert [p["name"] for p in priority["allowedValues"]] == ["High", "Low"]
    assert priority["defaultValue"]["name"] == "Low"
    made = site.create()
    assert site.fields_of(made["key"])["priority"]["name"] == "Low"  # the scheme's default
    medium = {"project": {"key": "ENG"}, "issuetype": {"name": "Task"}, "summary": "s"}
    medium["priority"] = {"name": "Medium"}
    refused = api.error("POST", "/issue", 400, json={"fields": medium})
    assert refused["errors"] == {"priority": "The priority selected is invalid."}
    edit = {"fields": {"priority": {"name": "Medium"}}}
    assert api.error("PUT", f"/issue/{made['key']}", 400, json=edit)["errors"]["priority"]
    api.checked("PUT", f"/issue/{made['key']}", 204, json={"fields": {"priority": {"id": "2"}}})


# -- hierarchy, bulk ---------------------------------------------------------------------------
def test_subtasks_need_a_parent_and_epics_take_children(site: Site, api: Api) -> None:
    parent = site.create()
    errors = api.error(
        "POST",
        "/issue",
        400,
        json={
            "fields": {"project": {"key": "ENG"}, "issuetype": {"name": "Sub-task"}, "summary": "s"}
        },
    )["errors"]
    assert errors == {"parent": "A sub-task must have a parent issue."}
    sub = site.create({"parent": {"key": parent["key"]}}, "Sub-task")
    assert site.fields_of(sub["key"])["parent"]["key"] == parent["key"]
    assert [s["key"] for s in site.fields_of(parent["key"])["subtasks"]] == [sub["key"]]
    epic = site.create({}, "Epic")
    child = site.create({"parent": {"key": epic["key"]}})
    assert site.fields_of(child["key"])["parent"]["id"] == epic["id"]
    errors = api.error(
        "PUT", f"/issue/{epic['key']}", 400, json={"fields": {"parent": {"key": child["key"]}}}
    )["errors"]
    assert "hierarchy" in errors["parent"]
    api.error("DELETE", f"/issue/{parent['key']}", 400)
    api.checked("DELETE", f"/issue/{parent['key']}", 204, params={"deleteSubtasks": "true"})
    api.error("GET", f"/issue/{sub['key']}", 404)


def test_bulk_create_and_bulk_fetch(site: Site, api: Api) -> None:
    updates = [
        {"fields": {"project": {"key": "ENG"}, "issuetype": {"name": "Task"}, "summary": f"B{n}"}}
        for n in range(3)
    ]
    updates.insert(1, {"fields": {"project": {"key": "ENG"}, "issuetype": {"name": "Task"}}})
    made = api.checked(
        "POST", "/issue/bulk", 201, params={"notifyUsers": "false"}, json={"issueUpdates": updates}
    )
    assert [i["key"] for i in made["issues"]] == ["ENG-1", "ENG-2", "ENG-3"]
    assert [e["failedElementNumber"] for e in made["errors"]] == [1]
    fetched = api.checked(
        "POST",
        "/issue/bulkfetch",
        200,
        json={
            "issueIdsOrKeys": ["ENG-3", made["issues"][0]["id"], "ENG-99"],
            "fields": ["summary"],
        },
    )
    assert [i["key"] for i in fetched["issues"]] == ["ENG-1", "ENG-3"]  # ascending ids
    assert fetched["issues"][0]["fields"] == {"summary": "B0"}
    assert [e["id"] for e in fetched["issueErrors"]] == ["ENG-99"]
    api.error(
        "POST", "/issue/bulkfetch", 400, json={"issueIdsOrKeys": [str(n) for n in range(101)]}
    )


def test_key_numbers_are_never_reused(site: Site, api: Api) -> None:
    keys = [site.create()["key"] for _ in range(3)]
    api.checked("DELETE", f"/issue/{keys[2]}", 204)
    api.checked("DELETE", f"/issue/{keys[1]}", 204)
    assert site.create()["key"] == "ENG-4"


# -- transitions -------------------------------------------------------------------------------
def workflow_with_rules(api: Api, sandbox: SandboxServer, site: Site) -> None:
    """ENG's Task workflow: To Do -> Done (screen 2: resolution; resolution required) and
    To Do -> In Progress (only for the assignee)."""
    from jiracfg.sandbox.routes import workflows

    db = sandbox.store
    wf = workflows.workflow_by_name(db, "jira")
    assert wf is not None
    for t in wf["transitions"]:
        if t["id"] == "5":
            t["validators"] = [
                {
                    "ruleKey": "system:validate-field-value",
                    "parameters": {"ruleType": "fieldRequired", "fieldsRequired": "resolution"},
                }
            ]
    db.put("workflow", wf)


def test_transition_screen_conditions_and_validators(
    site: Site, api: Api, sandbox: SandboxServer
) -> None:
    workflow_with_rules(api, sandbox, site)
    made = site.create()
    offered = api.checked(
        "GET", f"/issue/{made['key']}/transitions", 200, params={"expand": "transitions.fields"}
    )["transitions"]
    names = {t["name"]: t for t in offered}
    assert "Start Progress" not in names  # only the assignee may start progress
    assert names["Resolve Issue"]["hasScreen"] is True
    assert "resolution" in names["Resolve Issue"]["fields"]
    body = api.error(
        "POST", f"/issue/{made['key']}/transitions", 400, json={"transition": {"id": "5"}}
    )
    assert body["errorMessages"] == ["Resolution is required."]
    body = api.error(
        "POST",
        f"/issue/{made['key']}/transitions",
        400,
        json={"transition": {"id": "5"}, "fields": {"labels": ["x"]}},
    )
    assert "cannot be set" in body["errors"]["labels"]
    api.checked(
        "POST",
        f"/issue/{made['key']}/transitions",
        204,
        json={"transition": {"id": "5"}, "fields": {"resolution": {"name": "Done"}}},
    )
    got = site.fields_of(made["key"])
    assert (got["status"]["name"], got["resolution"]["name"]) == ("Resolved", "Done")
    assert got["resolutiondate"] is not None
    other = site.create({"assignee": {"accountId": ADMIN}})
    offered = api.checked("GET", f"/issue/{other['key']}/transitions", 200)["transitions"]
    assert "Start Progress" in {t["name"] for t in offered}


def test_create_with_a_transition(site: Site, api: Api) -> None:
    made = api.checked(
        "POST",
        "/issue",
        201,
        json={
            "fields": {
                "project": {"key": "ENG"},
                "issuetype": {"name": "Task"},
                "summary": "x",
                "assignee": {"accountId": ADMIN},
            },
            "transition": {"id": "4"},
        },
    )
    assert site.fields_of(made["key"])["status"]["name"] == "In Progress"


# -- changelog ---------------------------------------------------------------------------------
def test_changelog_records_every_write(site: Site, api: Api) -> None:
    field = site.field("select", {"Red": [], "Blue": []})
    made = site.create({field: {"value": "Red"}})
    api.checked(
        "PUT",
        f"/issue/{made['key']}",
        204,
        json={"fields": {"summary": "Renamed", field: {"value": "Blue"}}},
    )
    api.checked(
        "POST",
        f"/issue/{made['key']}/transitions",
        204,
        json={"transition": {"id": "5"}, "fields": {"resolution": {"name": "Done"}}},
    )
    log = api.checked("GET", f"/issue/{made['key']}/changelog", 200)
    assert log["total"] == 2
    first = {i["field"]: i for i in log["values"][0]["items"]}
    assert (first["summary"]["fromString"], first["summary"]["toString"]) == (
        "Something",
        "Renamed",
    )
    assert (first["F select"]["fromString"], first["F select"]["toString"]) == ("Red", "Blue")
    assert first["F select"]["fieldtype"] == "custom"
    second = {i["field"]: i for i in log["values"][1]["items"]}
    assert second["status"]["toString"] == "Resolved" and second["resolution"]["toString"] == "Done"
    bulk = api.checked(
        "POST",
        "/changelog/bulkfetch",
        200,
        json={"issueIdsOrKeys": [made["key"]], "fieldIds": ["status"]},
    )
    histories = bulk["issueChangeLogs"][0]["changeHistories"]
    assert [[i["fieldId"] for i in h["items"]] for h in histories] == [["status"]]
    expanded = api.checked("GET", f"/issue/{made['key']}", 200, params={"expand": "changelog"})
    assert expanded["changelog"]["total"] == 2


def test_changelog_bulkfetch_pages(site: Site, api: Api) -> None:
    made = site.create()
    for n in range(5):
        api.checked("PUT", f"/issue/{made['key']}", 204, json={"fields": {"summary": f"S{n}"}})
    seen, token = 0, None
    while True:
        body: dict[str, Any] = {"issueIdsOrKeys": [made["id"]], "maxResults": 2}
        if token:
            body["nextPageToken"] = token
        page = api.checked("POST", "/changelog/bulkfetch", 200, json=body)
        seen += sum(len(log["changeHistories"]) for log in page["issueChangeLogs"])
        token = page.get("nextPageToken")
        if not token:
            break
    assert seen == 5


# -- comments ----------------------------------------------------------------------------------
def test_comments_visibility_paging_update_delete_and_list(site: Site, api: Api) -> None:
    made = site.create()
    base = f"/issue/{made['key']}/comment"
    public = api.checked("POST", base, 201, json={"body": doc("one")})
    restricted = api.checked(
        "POST",
        base,
        201,
        json={"body": doc("two"), "visibility": {"type": "group", "value": "jira-users"}},
    )
    assert restricted["visibility"]["value"] == "jira-users"
    by_role = api.checked(
        "POST",
        base,
        201,
        json={"body": doc("three"), "visibility": {"type": "role", "value": "Administrators"}},
    )
    assert by_role["visibility"]["type"] == "role"
    api.error(
        "POST", base, 400, json={"body": doc("x"), "visibility": {"type": "group", "value": "nope"}}
    )
    page = api.checked("GET", base, 200, params={"startAt": 1, "maxResults": 1})
    assert (page["total"], [c["id"] for c in page["comments"]]) == (3, [restricted["id"]])
    newest = api.checked("GET", base, 200, params={"orderBy": "-created"})["comments"]
    assert newest[0]["id"] == by_role["id"]
    api.checked("PUT", f"{base}/{public['id']}", 200, json={"body": doc("edited")})
    assert api.checked("GET", f"{base}/{public['id']}", 200)["body"] == doc("edited")
    listed = api.checked("POST", "/comment/list", 200, json={"ids": [int(public["id"]), 999999]})
    assert [c["id"] for c in listed["values"]] == [public["id"]]
    api.checked("PUT", f"/comment/{public['id']}/properties/origin", 201, json={"a": 1})
    api.checked("PUT", f"/comment/{public['id']}/properties/origin", 200, json={"a": 2})
    got = api.checked("GET", f"/comment/{public['id']}/properties/origin", 200)
    assert got == {"key": "origin", "value": {"a": 2}}
    api.checked("DELETE", f"{base}/{public['id']}", 204)
    api.error("GET", f"{base}/{public['id']}", 404)
    api.error("GET", f"/comment/{public['id']}/properties", 404)


# -- worklogs ----------------------------------------------------------------------------------
def test_worklogs_crud_estimates_and_feeds(site: Site, api: Api) -> None:
    made = site.create({"timetracking": {"originalEstimate": "4h"}})
    base = f"/issue/{made['key']}/worklog"
    since = int(time.time() * 1000) - 1
    first = api.checked(
        "POST",
        base,
        201,
        json={"started": "2025-01-02T09:00:00.000+0000", "timeSpent": "1h", "comment": doc("w")},
    )
    assert (first["started"], first["timeSpentSeconds"]) == ("2025-01-02T09:00:00.000+0000", 3600)
    second = api.checked(
        "POST",
        base,
        201,
        params={"adjustEstimate": "leave"},
        json={"started": "2025-01-03T09:00:00.000+0000", "timeSpentSeconds": 1800},
    )
    tracking = site.fields_of(made["key"])["timetracking"]
    assert (tracking["timeSpentSeconds"], tracking["remainingEstimateSeconds"]) == (5400, 3 * 3600)
    api.error("POST", base, 400, json={"started": "2025-01-03T09:00:00.000+0000"})
    api.error("POST", base, 400, json={"timeSpent": "1h"})
    api.checked("PUT", f"{base}/{second['id']}", 200, json={"timeSpentSeconds": 600})
    listed = api.checked("GET", base, 200)
    assert [w["timeSpentSeconds"] for w in listed["worklogs"]] == [3600, 600]
    updated = api.checked("GET", "/worklog/updated", 200, params={"since": since})
    assert {v["worklogId"] for v in updated["values"]} == {int(first["id"]), int(second["id"])}
    api.checked("DELETE", f"{base}/{first['id']}", 204)
    deleted = api.checked("GET", "/worklog/deleted", 200, params={"since": since})
    assert [v["worklogId"] for v in deleted["values"]] == [int(first["id"])]
    by_ids = api.checked("POST", "/worklog/list", 200, json={"ids": [int(second["id"])]})
    assert [w["id"] for w in by_ids] == [second["id"]]
    api.checked("DELETE", f"/issue/{made['key']}", 204)
    deleted = api.checked("GET", "/worklog/deleted", 200, params={"since": since})
    assert {v["worklogId"] for v in deleted["values"]} == {int(first["id"]), int(second["id"])}


# -- attachments -------------------------------------------------------------------------------
def test_attachments_need_the_token_keep_the_bytes_and_obey_the_limit(
    site: Site, api: Api, sandbox: SandboxServer
) -> None:
    made = site.create()
    url = f"/issue/{made['key']}/attachments"
    files = {"file": ("notes.txt", b"hello bytes", "text/plain")}
    api.error("POST", url, 403, files=files)
    token = {"X-Atlassian-Token": "no-check"}
    added = api.checked("POST", url, 200, files=files, headers=token)
    assert (added[0]["filename"], added[0]["size"], added[0]["mimeType"]) == (
        "notes.txt",
        11,
        "text/plain",
    )
    content = api.call("GET", f"/attachment/content/{added[0]['id']}")
    assert content.status_code == 303
    followed = api.http.get(content.headers["location"])
    assert followed.content == b"hello bytes"
    direct = api.call("GET", f"/attachment/content/{added[0]['id']}", params={"redirect": "false"})
    assert direct.content == b"hello bytes"
    assert api.checked("GET", f"/attachment/{added[0]['id']}", 200)["filename"] == "notes.txt"
    assert [a["id"] for a in site.fields_of(made["key"])["attachment"]] == [added[0]["id"]]
    meta = api.checked("GET", "/attachment/meta", 200)
    assert meta["enabled"] is True
    sandbox.store.set_meta("attachment_upload_limit", "10")
    assert api.checked("GET", "/attachment/meta", 200)["uploadLimit"] == 10
    api.error("POST", url, 413, files=files, headers=token)
    api.checked("DELETE", f"/attachment/{added[0]['id']}", 204)
    api.error("GET", f"/attachment/{added[0]['id']}", 404)
    log = api.checked("GET", f"/issue/{made['key']}/changelog", 200)["values"]
    assert [(i.get("to"), i.get("from")) for h in log for i in h["items"]] == [
        (added[0]["id"], None),
        (None, added[0]["id"]),
    ]


def test_a_large_attachment_streams_in_chunks(site: Site, api: Api) -> None:
    made = site.create()
    payload = bytes(range(256)) * (5 * 4096)  # 5 MiB, more than one chunk
    added = api.checked(
        "POST",
        f"/issue/{made['key']}/attachments",
        200,
        files={"file": ("big.bin", payload, "application/octet-stream")},
        headers={"X-Atlassian-Token": "no-check"},
    )
    with api.http.stream(
        "GET", f"/rest/api/3/attachment/content/{added[0]['id']}", params={"redirect": "false"}
    ) as response:
        got = b"".join(response.iter_bytes())
    assert got == payload


# -- properties, watchers, remote links --------------------------------------------------------
def test_issue_properties(site: Site, api: Api) -> None:
    made = site.create()
    base = f"/issue/{made['key']}/properties"
    api.checked("PUT", f"{base}/origin", 201, json={"key": "OLD-1"})
    assert api.checked("GET", base, 200)["keys"][0]["key"] == "origin"
    api.error("PUT", f"{base}/big", 400, json={"v": "x" * 40000})
    api.checked("DELETE", f"{base}/origin", 204)
    api.error("GET", f"{base}/origin", 404)
    fetched = api.checked(
        "POST", "/issue/bulkfetch", 200, json={"issueIdsOrKeys": [made["key"]], "properties": ["x"]}
    )
    assert fetched["issues"][0]["properties"] == {}


def test_watchers(site: Site, api: Api) -> None:
    made = site.create()
    base = f"/issue/{made['key']}/watchers"
    assert [w["accountId"] for w in api.checked("GET", base, 200)["watchers"]] == [ADMIN]
    api.checked("DELETE", base, 204, params={"accountId": ADMIN})
    assert api.checked("GET", base, 200)["watchCount"] == 0
    api.checked("POST", base, 204, json=ADMIN)
    api.error("POST", base, 400, json="nobody")
    assert site.fields_of(made["key"])["watches"]["watchCount"] == 1


def test_writes_to_what_hangs_on_an_issue_move_its_updated_as_jira_does(
    site: Site, api: Api
) -> None:
    """Comments, worklogs and attachments move ``updated`` (an incremental export finds the
    issue by it); watchers and entity properties do not (no issue edit in Jira either)."""
    key = site.create()["key"]
    base = f"/issue/{key}"
    token = {"X-Atlassian-Token": "no-check"}

    def write(method: str, path: str, status: int, **kwargs: Any) -> Any:
        before = site.fields_of(key)["updated"]
        time.sleep(0.005)
        answer = api.checked(method, path, status, **kwargs)
        return answer, site.fields_of(key)["updated"] > before

    comment, moved = write("POST", f"{base}/comment", 201, json={"body": doc("a")})
    assert moved
    assert write("PUT", f"{base}/comment/{comment['id']}", 200, json={"body": doc("b")})[1]
    assert write("DELETE", f"{base}/comment/{comment['id']}", 204)[1]
    work = {"timeSpentSeconds": 60, "started": "2024-01-02T09:00:00.000+0000"}
    assert write("POST", f"{base}/worklog", 201, json=work)[1]
    files = {"file": ("a.txt", b"a", "text/plain")}
    (attached,), moved = write("POST", f"{base}/attachments", 200, files=files, headers=token)
    assert moved
    assert write("DELETE", f"/attachment/{attached['id']}", 204)[1]
    assert not write("DELETE", f"{base}/watchers", 204, params={"accountId": ADMIN})[1]
    assert not write("POST", f"{base}/watchers", 204, json=ADMIN)[1]
    assert not write("PUT", f"{base}/properties/p", 201, json={"x": 1})[1]


def test_remote_links_upsert_by_global_id(site: Site, api: Api) -> None:
    made = site.create()
    base = f"/issue/{made['key']}/remotelink"
    link = {"globalId": "g1", "object": {"url": "https://x.example", "title": "X"}}
    first = api.checked("POST", base, 201, json=link)
    again = api.checked(
        "POST", base, 200, json={**link, "object": {"url": "https://y", "title": "Y"}}
    )
    assert first["id"] == again["id"]
    listed = api.checked("GET", base, 200)
    assert [(r["globalId"], r["object"]["title"]) for r in listed] == [("g1", "Y")]
    api.error("POST", base, 400, json={"object": {"url": "https://x"}})
    api.checked("DELETE", base, 204, params={"globalId": "g1"})
    assert api.checked("GET", base, 200) == []


# -- the large seed's issues -------------------------------------------------------------------
def test_large_seed_issues_are_valid_and_continue_the_key_sequence(
    start_sandbox: Any,
) -> None:
    from tests.conftest import seeded_store

    db = seeded_store("large", 0.05)
    assert db.count("issue") == 5 * (2 + 50)  # two over REST, the rest in bulk
    assert db.count("issue_comment") == 5 * 10 and db.count("issue_worklog") == 5 * 5
    server = start_sandbox("large", store=db, scale=0.05)
    api = Api(server)
    page = api.checked(
        "POST", "/search/jql", 200, json={"jql": "project = P000 ORDER BY key", "fields": ["*all"]}
    )
    assert len(page["issues"]) == 50 and page["issues"][0]["fields"]["reporter"]
    for issue in page["issues"]:  # what the create screen lacks, a create could not have set
        kind = issue["fields"]["issuetype"]["id"]
        meta = api.checked("GET", f"/issue/createmeta/P000/issuetypes/{kind}", 200)["fields"]
        shown = {m["fieldId"] for m in meta}
        for name in {"description", "labels"} - shown:
            assert not issue["fields"].get(name), (issue["key"], name)
    made = api.checked(
        "POST",
        "/issue",
        201,
        json={
            "fields": {
                "project": {"key": "P000"},
                "issuetype": {"id": page["issues"][0]["fields"]["issuetype"]["id"]},
                "summary": "after the bulk",
            }
        },
    )
    assert made["key"] == "P000-53"
    worklogs = api.checked("GET", "/worklog/updated", 200, params={"since": 0})
    assert len(worklogs["values"]) == 25
