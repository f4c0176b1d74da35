from __future__ import annotations

import json
from typing import Any

import pytest

from jiracfg.plan.facts import count_by_search
from jiracfg.plan.facts import count_issues as jql_count
from jiracfg.sandbox.routes import issue_search, issues, workflows, workflowschemes
from jiracfg.sandbox.server import SandboxServer
from tests.conftest import Api, client_for, create_project

ADMIN = "557058:admin"
SELECT = "com.atlassian.jira.plugin.system.customfieldtypes:select"
CASCADE = "com.atlassian.jira.plugin.system.customfieldtypes:cascadingselect"


class Site:
    """Builds what issue tests need over HTTP (and options straight into the fields area's
    store, to keep option setup short)."""

    def __init__(self, api: Api, server: SandboxServer) -> None:
        self.api, self.db = api, server.store

    # -- building --------------------------------------------------------------------------------
    def project(self, key: str) -> str:
        return create_project(self.api, key)

    def field(
        self,
        name: str,
        type_key: str,
        values: dict[str, list[str]],
        project_ids: list[str] | None = None,
    ) -> tuple[str, dict[str, str]]:
        """A custom field with options (``{parent: [children]}``) in its context; limited to
        ``project_ids`` when given. Returns the field id and ``{value: option id}``."""
        made = self.api.checked("POST", "/field", 201, json={"name": name, "type": type_key})
        self.on_default_screen(made["id"])
        context = self.db.all("field_context", made["id"])[0]
        if project_ids:
            self.db.put("field_context", {**context, "projectIds": project_ids})
        ids: dict[str, str] = {}
        for parent, children in values.items():
            ids[parent] = self.option(context, parent, None)
            for child in children:
                ids[f"{parent}/{child}"] = self.option(context, child, ids[parent])
        return str(made["id"]), ids

    def on_default_screen(self, field_id: str) -> None:
        """Put a field on the Default Screen (create/edit of projects on the default schemes):
        Jira only sets fields that are on the operation's screen."""
        tab = self.api.checked("GET", "/screens/1/tabs", 200)[0]
        self.api.checked(
            "POST", f"/screens/1/tabs/{tab['id']}/fields", 200, json={"fieldId": field_id}
        )

    def option(self, context: dict[str, Any], value: str, parent: str | None) -> str:
        doc = self.db.insert(
            "field_option",
            {
                "contextId": context["id"],
                "fieldId": context["fieldId"],
                "value": value,
                "disabled": False,
                "optionId": parent,
            },
            parent=context["id"],
        )
        return str(doc["id"])

    def issue(
        self,
        project: str,
        summary: str = "Something",
        type_name: str = "Task",
        fields: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        body = {
            "fields": {
                "project": {"key": project},
                "issuetype": {"name": type_name},
                "summary": summary,
                **(fields or {}),
            }
        }
        made: dict[str, Any] = self.api.checked("POST", "/issue", 201, json=body)
        return made

    def count(self, jql: str) -> int:
        return int(
            self.api.checked("POST", "/search/approximate-count", 200, json={"jql": jql})["count"]
        )


@pytest.fixture
def site(api: Api, sandbox: SandboxServer) -> Site:
    return Site(api, sandbox)


def field_errors(api: Api, body: dict[str, Any]) -> dict[str, str]:
    found: dict[str, str] = api.error("POST", "/issue", 400, json=body)["errors"]
    return found


# -- create / get ------------------------------------------------------------------------------
def test_create_numbers_keys_per_project_and_get_by_key_or_id(site: Site, api: Api) -> None:
    site.project("ENG")
    site.project("OPS")
    first, second = site.issue("ENG"), site.issue("ENG", "Second")
    other = site.issue("OPS")
    assert [first["key"], second["key"], other["key"]] == ["ENG-1", "ENG-2", "OPS-1"]
    assert first["self"].endswith(f"/rest/api/3/issue/{first['id']}")
    got = api.checked("GET", "/issue/ENG-2", 200)
    assert (got["id"], got["fields"]["summary"]) == (second["id"], "Second")
    assert got["fields"]["issuetype"]["name"] == "Task"
    assert got["fields"]["project"]["key"] == "ENG"
    assert api.checked("GET", f"/issue/{first['id']}", 200)["key"] == "ENG-1"


def test_new_issue_is_in_its_workflows_initial_status(site: Site, api: Api) -> None:
    project = site.project("ENG")
    made = site.issue(
        "ENG",
        fields={
            "description": {"type": "doc", "version": 1, "content": []},
            "priority": {"name": "High"},
            "labels": ["a", "b"],
        },
    )
    fields = api.checked("GET", f"/issue/{made['key']}", 200)["fields"]
    workflow = workflowschemes.workflow_name_for(site.db, project, "10002")
    assert fields["status"]["id"] == workflows.initial_status_id(site.db, workflow)
    assert (fields["priority"]["name"], fields["labels"]) == ("High", ["a", "b"])
    assert fields["resolution"] is None


def test_get_selects_fields(site: Site, api: Api) -> None:
    site.project("ENG")
    made = site.issue("ENG", fields={"labels": ["x"]})
    only = api.checked("GET", f"/issue/{made['key']}", 200, params={"fields": "summary,labels"})
    assert set(only["fields"]) == {"summary", "labels"}
    without = api.checked("GET", f"/issue/{made['key']}", 200, params={"fields": "-labels"})
    assert "labels" not in without["fields"] and "summary" in without["fields"]


def test_missing_issue_is_404(site: Site, api: Api) -> None:
    site.project("ENG")
    for ref in ("ENG-99", "99999", "NOPE-1", "garbage"):
        body = api.error("GET", f"/issue/{ref}", 404)
        assert body["errorMessages"] == [issues.NOT_FOUND]


def test_create_refuses_bad_project_type_and_summary(site: Site, api: Api) -> None:
    site.project("ENG")
    errors = field_errors(
        api, {"fields": {"project": {"key": "NOPE"}, "issuetype": {"name": "Task"}, "summary": "x"}}
    )
    assert errors == {"project": "Specify a valid project ID or key"}
    errors = field_errors(
        api, {"fields": {"project": {"key": "ENG"}, "issuetype": {"name": "Task"}}}
    )
    assert errors == {"summary": "You must specify a summary of the issue."}
    errors = field_errors(api, {"fields": {"project": {"key": "ENG"}, "summary": "x"}})
    assert errors == {"issuetype": "Specify an issue type"}
    errors = field_errors(
        api,
        {
            "fields": {
                "project": {"key": "ENG"},
                "summary": "x",
                "issuetype": {"name": "Task"},
                "description": "t",
                "assignee": {"id": ADMIN},
            }
        },
    )
    assert set(errors) == {"description", "assignee"}
    assert "accountId" in errors["assignee"]  # assignee is settable, by accountId only


def test_issue_type_must_be_in_the_projects_scheme(site: Site, api: Api) -> None:
    project = site.project("ENG")
    scheme = api.checked(
        "POST", "/issuetypescheme", 201, json={"name": "Only tasks", "issueTypeIds": ["10002"]}
    )
    api.checked(
        "PUT",
        "/issuetypescheme/project",
        204,
        json={"issueTypeSchemeId": scheme["issueTypeSchemeId"], "projectId": project},
    )
    errors = field_errors(
        api, {"fields": {"project": {"id": project}, "summary": "x", "issuetype": {"name": "Bug"}}}
    )
    assert errors == {"issuetype": "Specify a valid issue type"}
    assert site.issue("ENG", type_name="Task")["key"] == "ENG-1"


def test_option_values_must_belong_to_the_projects_context(site: Site, api: Api) -> None:
    eng, ops = site.project("ENG"), site.project("OPS")
    field, ids = site.field("Team", SELECT, {"Red": [], "Blue": []}, [eng])
    made = site.issue("ENG", fields={field: {"value": "Blue"}})
    got = api.checked("GET", f"/issue/{made['key']}", 200, params={"fields": field})
    assert got["fields"][field] == {
        "self": got["fields"][field]["self"],
        "value": "Blue",
        "id": ids["Blue"],
    }
    base = {"project": {"key": "ENG"}, "issuetype": {"name": "Task"}, "summary": "x"}
    assert field_errors(api, {"fields": {**base, field: {"value": "Green"}}}) == {
        field: "Option value 'Green' is not valid"
    }
    assert field_errors(api, {"fields": {**base, field: {"id": "424242"}}}) == {
        field: "Option id '424242' is not valid"
    }
    other = {**base, "project": {"id": ops}, field: {"value": "Red"}}
    assert "cannot be set" in field_errors(api, {"fields": other})[field]


def test_cascading_values_need_a_child_of_the_parent(site: Site, api: Api) -> None:
    site.project("ENG")
    field, ids = site.field("Area", CASCADE, {"Web": ["UI", "API"], "Mobile": ["iOS"]})
    made = site.issue("ENG", fields={field: {"value": "Web", "child": {"value": "API"}}})
    value = api.checked("GET", f"/issue/{made['key']}", 200)["fields"][field]
    assert (value["id"], value["child"]["id"]) == (ids["Web"], ids["Web/API"])
    base = {"project": {"key": "ENG"}, "issuetype": {"name": "Task"}, "summary": "x"}
    wrong = {**base, field: {"value": "Mobile", "child": {"value": "API"}}}
    assert field_errors(api, {"fields": wrong}) == {field: "Option value 'API' is not valid"}


def test_bulk_create_reports_each_failure(site: Site, api: Api) -> None:
    site.project("ENG")
    good = {"fields": {"project": {"key": "ENG"}, "issuetype": {"name": "Task"}, "summary": "ok"}}
    bad = {"fields": {"project": {"key": "ENG"}, "issuetype": {"name": "Task"}}}
    body = api.checked("POST", "/issue/bulk", 201, json={"issueUpdates": [good, bad, good]})
    assert [i["key"] for i in body["issues"]] == ["ENG-1", "ENG-2"]
    assert [(e["failedElementNumber"], e["status"]) for e in body["errors"]] == [(1, 400)]
    assert body["errors"][0]["elementErrors"]["errors"] == {
        "summary": "You must specify a summary of the issue."
    }
    failed = api.call("POST", "/issue/bulk", json={"issueUpdates": [bad]})
    assert failed.status_code == 400 and failed.json()["issues"] == []


# -- edit / delete -----------------------------------------------------------------------------
def test_edit_fields_and_label_updates(site: Site, api: Api) -> None:
    site.project("ENG")
    made = site.issue("ENG", fields={"labels": ["keep", "drop"]})
    api.checked(
        "PUT",
        f"/issue/{made['key']}",
        204,
        json={
            "fields": {"summary": "Renamed"},
            "update": {"labels": [{"remove": "drop"}, {"add": "new"}]},
        },
    )
    fields = api.checked("GET", f"/issue/{made['key']}", 200)["fields"]
    assert (fields["summary"], fields["labels"]) == ("Renamed", ["keep", "new"])
    returned = api.checked(
        "PUT",
        f"/issue/{made['key']}",
        200,
        params={"returnIssue": "true"},
        json={"fields": {"priority": {"id": "1"}}},
    )
    assert returned["fields"]["priority"]["name"] == "Highest"
    body = api.error("PUT", f"/issue/{made['key']}", 400, json={"fields": {"summary": ""}})
    assert body["errors"] == {"summary": "You must specify a summary of the issue."}
    body = api.error(
        "PUT", f"/issue/{made['key']}", 400, json={"fields": {"priority": {"name": "Urgent"}}}
    )
    assert body["errors"] == {"priority": "Specify a valid 'id' or 'name' for Priority"}


def test_delete_issue(site: Site, api: Api) -> None:
    site.project("ENG")
    made = site.issue("ENG")
    api.checked("DELETE", f"/issue/{made['key']}", 204)
    api.error("GET", f"/issue/{made['key']}", 404)
    api.error("DELETE", f"/issue/{made['key']}", 404)
    assert site.issue("ENG")["key"] == "ENG-2"  # numbers are never reused


# -- transitions -------------------------------------------------------------------------------
def test_transitions_follow_the_workflow(site: Site, api: Api) -> None:
    site.project("ENG")
    made = site.issue("ENG")
    offered = api.checked("GET", f"/issue/{made['key']}/transitions", 200)["transitions"]
    assert offered and all(t["isAvailable"] for t in offered)
    first = offered[0]
    api.checked(
        "POST",
        f"/issue/{made['key']}/transitions",
        204,
        json={"transition": {"id": first["id"]}, "fields": {"resolution": {"name": "Done"}}},
    )
    fields = api.checked("GET", f"/issue/{made['key']}", 200)["fields"]
    assert fields["status"]["id"] == first["to"]["id"]
    assert fields["resolution"]["name"] == "Done"
    body = api.error(
        "POST", f"/issue/{made['key']}/transitions", 400, json={"transition": {"id": "424242"}}
    )
    assert body["errorMessages"] == ["Transition id '424242' is not valid for this issue."]
    one = api.checked(
        "GET", f"/issue/{made['key']}/transitions", 200, params={"transitionId": first["id"]}
    )["transitions"]
    assert [t["id"] for t in one] in ([], [first["id"]])


# -- comments ----------------------------------------------------------------------------------
def test_comments(site: Site, api: Api) -> None:
    site.project("ENG")
    made = site.issue("ENG")
    text = {
        "type": "doc",
        "version": 1,
        "content": [{"type": "paragraph", "content": [{"type": "text", "text": "Hi"}]}],
    }
    added = api.checked("POST", f"/issue/{made['key']}/comment", 201, json={"body": text})
    assert (added["body"], added["author"]["accountId"]) == (text, ADMIN)
    listed = api.checked("GET", f"/issue/{made['key']}/comment", 200)
    assert (listed["total"], [c["id"] for c in listed["comments"]]) == (1, [added["id"]])
    body = api.error("POST", f"/issue/{made['key']}/comment", 400, json={"body": {}})
    assert body["errors"] == {"comment": "Comment body can not be empty!"}


# -- search ------------------------------------------------------------------------------------
def test_enhanced_search_pages_with_tokens(site: Site, api: Api) -> None:
    site.project("ENG")
    site.project("OPS")
    created = [site.issue("ENG", f"Issue {n}")["id"] for n in range(7)]
    site.issue("OPS")
    seen, token = [], None
    while True:
        body = {
            "jql": "project = ENG ORDER BY key",
            "maxResults": 3,
            **({"nextPageToken": token} if token else {}),
        }
        page = api.checked("POST", "/search/jql", 200, json=body)
        seen += [i["id"] for i in page["issues"]]
        token = page.get("nextPageToken")
        assert page["isLast"] == (token is None) and "total" not in page
        if token is None:
            break
    assert seen == created
    got = api.checked(
        "GET",
        "/search/jql",
        200,
        params={"jql": "project = ENG", "fields": "summary", "maxResults": 2},
    )
    assert [set(i["fields"]) for i in got["issues"]] == [{"summary"}, {"summary"}]
    assert got["issues"][0]["key"] == "ENG-7"  # newest first without ORDER BY
    ids_only = api.checked("GET", "/search/jql", 200, params={"jql": "project = OPS"})
    assert ids_only["issues"] == [{"id": ids_only["issues"][0]["id"]}]
    api.error("POST", "/search/jql", 400, json={"jql": "project = ENG", "nextPageToken": "!!"})


def test_classic_search_is_gone(api: Api) -> None:
    for method in ("GET", "POST"):
        body = api.error(method, "/search", 410, json={"jql": "project = X"})
        assert body["errorMessages"] == [issue_search.GONE]


def test_counts_through_jiracfg_facts(site: Site, sandbox: SandboxServer) -> None:
    site.project("ENG")
    for _ in range(3):
        site.issue("ENG")
    jira = client_for(sandbox)
    try:
        assert jql_count(jira, 'project = "ENG"') == 3
        assert jql_count(jira, 'project = "ENG" AND issuetype = Bug') == 0
        assert count_by_search(jira, "project = ENG") == 3
    finally:
        jira.close()


# -- the contract for other areas --------------------------------------------------------------
def test_count_issues_filters(site: Site) -> None:
    eng, ops = site.project("ENG"), site.project("OPS")
    field, ids = site.field("Team", SELECT, {"Red": [], "Blue": []})
    site.issue("ENG", fields={field: {"value": "Red"}, "priority": {"id": "2"}})
    site.issue("ENG", type_name="Bug")
    site.issue("OPS", fields={field: {"value": "Red"}})
    db = site.db
    status = issues.initial_status(db, eng, "10002")
    assert issues.count_issues(db) == 3
    assert issues.count_issues(db, project_id=eng) == 2
    assert issues.count_issues(db, project_id=ops, issue_type_id="10003") == 0
    assert issues.count_issues(db, issue_type_id="10003", status_id=status) == 1
    assert issues.count_issues(db, field_id=field, option_id=ids["Red"]) == 2
    assert issues.count_issues(db, field_id=field, option_id=ids["Blue"]) == 0
    assert issues.count_issues(db, field_id=field) == 2
    assert issues.count_issues(db, priority_id="2") == 1
    assert issues.count_issues(db, resolution_id="10000") == 0


def test_retype_move_and_delete_project_issues(site: Site) -> None:
    eng, ops = site.project("ENG"), site.project("OPS")
    site.issue("ENG", type_name="Bug")
    site.issue("OPS", type_name="Bug")
    db = site.db
    issues.retype_issues(db, "10003", "10002")
    assert issues.count_issues(db, issue_type_id="10003") == 0
    assert issues.count_issues(db, issue_type_id="10002") == 2
    status = issues.initial_status(db, eng, "10002")
    issues.move_statuses(db, eng, "10002", {status: "10001"})
    assert issues.count_issues(db, project_id=eng, status_id="10001") == 1
    assert issues.count_issues(db, project_id=ops, status_id=status) == 1
    issues.delete_project_issues(db, eng)
    assert (issues.count_issues(db, project_id=eng), issues.count_issues(db)) == (0, 1)
    assert issues.by_key(db, "ENG-1") is None


def test_clear_option_replaces_or_drops(site: Site) -> None:
    site.project("ENG")
    field, ids = site.field("Area", CASCADE, {"Web": ["UI"], "App": []})
    made = site.issue("ENG", fields={field: {"value": "Web", "child": {"value": "UI"}}})
    db = site.db
    issues.clear_option(db, field, ids["Web/UI"], None)
    assert issues.find_issue(db, made["id"])["fields"][field] == {"id": ids["Web"], "child": None}
    issues.clear_option(db, field, ids["Web"], ids["App"])
    assert issues.count_issues(db, field_id=field, option_id=ids["App"]) == 1
    issues.clear_option(db, field, ids["App"], None)
    assert issues.count_issues(db, field_id=field) == 0


# -- webhooks ----------------------------------------------------------------------------------
def test_issue_events_reach_webhooks_whose_jql_matches(site: Site, api: Api) -> None:
    site.project("ENG")
    site.project("OPS")
    hooks = "/rest/webhooks/1.0/webhook"
    api.call(
        "POST",
        hooks,
        json={
            "name": "ENG bugs",
            "url": "https://hooks.example.com/a",
            "events": ["jira:issue_created", "jira:issue_updated"],
            "filters": {"issue-related-events-section": "project = ENG AND issuetype = Bug"},
        },
    )
    bug = site.issue("ENG", type_name="Bug")
    site.issue("ENG")
    site.issue("OPS", type_name="Bug")
    api.checked("PUT", f"/issue/{bug['key']}", 204, json={"fields": {"summary": "Changed"}})
    sent = api.call("GET", "/rest/sandbox/1/webhook-deliveries").json()
    assert [(s["event"], json.loads(s["body"])["issue"]["key"]) for s in sent] == [
        ("jira:issue_created", bug["key"]),
        ("jira:issue_updated", bug["key"]),
    ]
