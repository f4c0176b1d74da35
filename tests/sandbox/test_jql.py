from __future__ import annotations

from typing import Any

import pytest

from jiracfg.sandbox.routes import issues
from jiracfg.sandbox.server import SandboxServer
from tests.conftest import Api
from tests.sandbox.test_issues import SELECT, Site

OPERATORS = "'=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', 'IS' and 'IS NOT'"


@pytest.fixture
def site(api: Api, sandbox: SandboxServer) -> Site:
    return Site(api, sandbox)


@pytest.fixture
def filled(site: Site) -> dict[str, Any]:
    """ENG: two Tasks (one Red, one Blue+label), a Bug (no team, priority High); OPS: a Task
    (Red). Returns the field id, its option ids and the issue keys by summary."""
    eng, ops = site.project("ENG"), site.project("OPS")
    field, ids = site.field("Team", SELECT, {"Red": [], "Blue": []})
    keys = {
        "red": site.issue("ENG", "red", fields={field: {"value": "Red"}})["key"],
        "blue": site.issue("ENG", "blue", fields={field: {"value": "Blue"}, "labels": ["ui"]})[
            "key"
        ],
        "bug": site.issue("ENG", "bug", "Bug", fields={"priority": {"name": "High"}})["key"],
        "ops": site.issue("OPS", "ops", fields={field: {"value": "Red"}})["key"],
    }
    return {"field": field, "ids": ids, "keys": keys, "eng": eng, "ops": ops}


def jql_error(api: Api, jql: str) -> list[str]:
    body = api.error("POST", "/search/approximate-count", 400, json={"jql": jql})
    messages: list[str] = body["errorMessages"]
    return messages


def keys_of(api: Api, jql: str) -> list[str]:
    page = api.checked("POST", "/search/jql", 200, json={"jql": jql, "fields": ["summary"]})
    return [i["key"] for i in page["issues"]]


@pytest.mark.parametrize(
    ("jql", "count"),
    [
        ("project = ENG", 3),
        ("project = eng", 3),
        ("project in (ENG, OPS)", 4),
        ('project = "Project OPS"', 1),
        ("project != ENG", 1),
        ("project = ENG AND issuetype = Bug", 1),
        ("project = ENG AND type != Bug", 2),
        ("project = ENG AND issuetype not in (Bug, Story)", 2),
        ("project = ENG OR project = OPS", 4),
        ("project = ENG AND NOT issuetype = Task", 1),
        ("(project = OPS OR issuetype = Bug) AND project = ENG", 1),
        ("project = ENG AND priority = High", 1),
        ("project = ENG AND priority in (Highest, 2)", 1),
        ("project = ENG AND resolution IS EMPTY", 3),
        ("project = ENG AND resolution = Unresolved", 0),
        ("project = ENG AND resolution is not empty", 0),
        ("project = ENG AND labels = ui", 1),
        ("project = ENG AND labels is EMPTY", 2),
        ("Team = Red", 2),
        ('"team" = Blue', 1),
        ("project = ENG AND Team != Red", 1),
        ("project = ENG AND Team is empty", 1),
        ("project = ENG AND Team IS NOT NULL", 2),
        ("Team in (Red, Blue)", 3),
    ],
)
def test_clauses_and_operators_count_correctly(
    api: Api, filled: dict[str, Any], jql: str, count: int
) -> None:
    assert (
        api.checked("POST", "/search/approximate-count", 200, json={"jql": jql})["count"] == count
    )


def test_custom_fields_by_id_and_cf_number(api: Api, filled: dict[str, Any]) -> None:
    number = filled["field"].removeprefix("customfield_")
    for clause in (f"cf[{number}]", filled["field"]):
        assert keys_of(api, f"{clause} = Red ORDER BY key") == [
            filled["keys"]["red"],
            filled["keys"]["ops"],
        ]
        assert keys_of(api, f"{clause} = {filled['ids']['Blue']}") == [filled["keys"]["blue"]]


def test_status_by_name_and_id(api: Api, filled: dict[str, Any]) -> None:
    status = api.checked("GET", f"/issue/{filled['keys']['red']}", 200)["fields"]["status"]
    for value in (status["id"], f'"{status["name"].lower()}"'):
        assert (
            api.checked(
                "POST", "/search/approximate-count", 200, json={"jql": f"status = {value}"}
            )["count"]
            == 4
        )


def test_order_by(api: Api, filled: dict[str, Any]) -> None:
    keys = filled["keys"]
    assert keys_of(api, "project = ENG ORDER BY key DESC") == [
        keys["bug"],
        keys["blue"],
        keys["red"],
    ]
    assert keys_of(api, "project in (ENG, OPS) ORDER BY project DESC, summary") == [
        keys["ops"],
        keys["blue"],
        keys["bug"],
        keys["red"],
    ]
    assert keys_of(api, "project = ENG ORDER BY created ASC")[0] == keys["red"]
    assert jql_error(api, "project = ENG ORDER BY nothing") == [
        "Field 'nothing' does not exist or you do not have permission to view it."
    ]


@pytest.mark.parametrize(
    ("jql", "message"),
    [
        ("project = NOPE", "The value 'NOPE' does not exist for the field 'project'."),
        ("status = Imaginary", "The value 'Imaginary' does not exist for the field 'status'."),
        ("issuetype = Saga", "The value 'Saga' does not exist for the field 'issuetype'."),
        ("priority = Urgent", "The value 'Urgent' does not exist for the field 'priority'."),
        ("Team = Green", "The option 'Green' for field 'Team' does not exist."),
        ("nothing = 1", "Field 'nothing' does not exist or you do not have permission to view it."),
        (
            "cf[99999] = 1",
            "Field 'cf[99999]' does not exist or you do not have permission to view it.",
        ),
        ("project ~ ENG", "The operator '~' is not supported by the 'project' field."),
        (
            "project = OR",
            "Error in the JQL Query: Expecting either a value, list or function but got "
            "'OR'. You must surround 'OR' in quotation marks to use it as a value. "
            "(line 1, character 11)",
        ),
        (
            "project =",
            "Error in the JQL Query: Expecting either a value, list or function before the "
            "end of the query.",
        ),
        (
            "project ENG",
            f"Error in the JQL Query: Expecting operator but got 'ENG'. The valid "
            f"operators are {OPERATORS}. (line 1, character 9)",
        ),
        (
            "project = ENG status = Done",
            "Error in the JQL Query: Expecting either 'OR' or 'AND' but got 'status'. (line 1, "
            "character 15)",
        ),
        ("(project = ENG", "Error in the JQL Query: Expecting ')' before the end of the query."),
        (
            'project = "ENG',
            "Error in the JQL Query: The quoted string 'ENG' has not been completed. "
            "(line 1, character 11)",
        ),
        (
            "project is ENG",
            "Error in the JQL Query: Expecting 'EMPTY' but got 'ENG'. (line 1, character 12)",
        ),
        (
            "",
            "Unbounded JQL queries are not allowed here. Please add a search restriction to your "
            "query.",
        ),
        (
            "ORDER BY key",
            "Unbounded JQL queries are not allowed here. Please add a search "
            "restriction to your query.",
        ),
    ],
)
def test_bad_jql_is_refused_with_jiras_message(
    api: Api, filled: dict[str, Any], jql: str, message: str
) -> None:
    assert jql_error(api, jql) == [message]
    body = api.error("POST", "/search/jql", 400, json={"jql": jql})
    assert body["errorMessages"] == [message]


def test_webhook_filters_match_through_issue_matches(site: Site, filled: dict[str, Any]) -> None:
    red = issues.find_issue(site.db, filled["keys"]["red"])
    assert issues.issue_matches(site.db, red["id"], "Team = Red AND project = ENG")
    assert not issues.issue_matches(site.db, red["id"], "issuetype = Bug")
    assert issues.issue_matches(site.db, red["id"], "")
    assert not issues.issue_matches(site.db, "424242", "")
