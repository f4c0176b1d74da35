"""JQL values naming objects: a corpus of real-world shapes whose filters, sprints and users are
named by id on the site and by the repo's names in YAML round-trips byte for byte; projects,
statuses and the like named by id are written by name; functions, EMPTY, strings and history
dates are never touched; ids and unknown filters or sprints are refused with a "did you mean"."""

from __future__ import annotations

import pytest

from jiracfg.kinds import REGISTRY
from jiracfg.kinds._jql import jql_refs, jql_users, problems, rewrite_values, value_problems

ANN, BOB = "5b10ac8d82e05b22cc7d4ef5", "557058:f58131cb-b67d-43c7-b30d-6b58d40bd077"
SITE = {
    ("filter", "10001"): "Open bugs",
    ("filter", "10002"): "Open bugs (bob@example.com)",
    ("filter", "10003"): 'Say "hi"',
    ("sprint", "42"): "ENG Scrum/ENG Sprint 1",
    ("sprint", "43"): "ENG Scrum/ENG Sprint 2",
    ("user", ANN): "ann@example.com",
    ("user", BOB): "bob@example.com",
    ("project", "10000"): "ENG",
    ("status", "3"): "In Progress",
    ("issue_type", "10004"): "Bug",
    ("priority", "2"): "High",
    ("resolution", "10000"): "Won't Do",
    ("version", "10200"): "2.4",
    ("component", "10100"): "Web",
    ("filter", "10004"): "2024",  # names of digits: quoted, since Jira reads a bare number as an id
    ("version", "10201"): "2024",
    ("issue", "10001"): "ENG-1",
    ("issue", "10002"): "ENG-2",
}
REPO = {
    (kind, name): site_id
    for (kind, site_id), name in SITE.items()
    if kind not in ("project", "issue")
}
KEYS = {
    "filter": ["Open bugs", "Open bugs (bob@example.com)", 'Say "hi"', "2024"],
    "sprint": ["ENG Scrum/ENG Sprint 1", "ENG Scrum/ENG Sprint 2", "OPS Kanban/ENG Sprint 1 (2)"],
}

# (as the repo writes it, as the site holds it after apply)
CORPUS = [
    ('filter = "Open bugs"', "filter = 10001"),
    ('filter in ("Open bugs", "Open bugs (bob@example.com)")', "filter in (10001, 10002)"),
    (
        'request = "Open bugs" AND savedFilter != "Open bugs"',
        "request = 10001 AND savedFilter != 10001",
    ),
    ('searchRequest = "Say \\"hi\\""', "searchRequest = 10003"),
    (
        'filter = "Open bugs" ORDER BY created DESC, Rank ASC',
        "filter = 10001 ORDER BY created DESC, Rank ASC",
    ),
    ('sprint = "ENG Scrum/ENG Sprint 1"', "sprint = 42"),
    ('sprint in (openSprints(), "ENG Scrum/ENG Sprint 2")', "sprint in (openSprints(), 43)"),
    (
        'sprint in openSprints() AND sprint not in ("ENG Scrum/ENG Sprint 1")',
        "sprint in openSprints() AND sprint not in (42)",
    ),
    (
        "sprint IS EMPTY OR sprint in futureSprints()",
        "sprint IS EMPTY OR sprint in futureSprints()",
    ),
    ('sprint WAS "ENG Scrum/ENG Sprint 1"', "sprint WAS 42"),
    ('assignee = "ann@example.com"', f'assignee = "{ANN}"'),
    (
        'assignee in (currentUser(), "bob@example.com") OR reporter IS EMPTY',
        f'assignee in (currentUser(), "{BOB}") OR reporter IS EMPTY',
    ),
    ('status CHANGED BY "ann@example.com" AFTER -1w', f'status CHANGED BY "{ANN}" AFTER -1w'),
    (
        'assignee WAS "ann@example.com" BY "bob@example.com" DURING ("2024/01/01", "2024/02/01")',
        f'assignee WAS "{ANN}" BY "{BOB}" DURING ("2024/01/01", "2024/02/01")',
    ),
    ('assignee CHANGED FROM "ann@example.com" TO EMPTY', f'assignee CHANGED FROM "{ANN}" TO EMPTY'),
    (
        'reporter in membersOf("jira-administrators") AND watcher = "ann@example.com"',
        f'reporter in membersOf("jira-administrators") AND watcher = "{ANN}"',
    ),
    (
        'creator != "bob@example.com" AND voter = "ann@example.com" '
        'AND worklogAuthor = "ann@example.com"',
        f'creator != "{BOB}" AND voter = "{ANN}" AND worklogAuthor = "{ANN}"',
    ),
    ('summary ~ "10001" AND text ~ "ann@example.com" AND labels = "42"', ""),
    ("assignee = currentUser() AND sprint in closedSprints()", ""),
    (
        'NOT (filter = "Open bugs" OR sprint = "ENG Scrum/ENG Sprint 1")',
        "NOT (filter = 10001 OR sprint = 42)",
    ),
    ("project = ENG AND status = Done", ""),
    ('filter = "2024" AND fixVersion = "2024"', "filter = 10004 AND fixVersion = 10201"),
]

# ids of other objects: exported by name, applied by name (every site takes names)
EXPORTED = [
    ("project = 10000", "project = ENG"),
    ("project in (10000, OPS)", "project in (ENG, OPS)"),
    ("status = 3 AND issuetype = 10004", 'status = "In Progress" AND issuetype = Bug'),
    (
        "type = 10004 AND priority in (2) AND resolution != 10000",
        'type = Bug AND priority in (High) AND resolution != "Won\'t Do"',
    ),
    (f"assignee = {ANN}", 'assignee = "ann@example.com"'),
    (
        "fixVersion = 10200 AND affectedVersion in (10200) AND component = 10100",
        'fixVersion = "2.4" AND affectedVersion in ("2.4") AND component = Web',
    ),
    (
        "fixVersion in (10201, 10200) OR filter = 10004",
        'fixVersion in ("2024", "2.4") OR filter = "2024"',
    ),
    (
        "parent = 10001 AND issue in (10001, 10002) OR key = 10002 OR issuekey != 99999",
        "parent = ENG-1 AND issue in (ENG-1, ENG-2) OR key = ENG-2 OR issuekey != 99999",
    ),  # issues by key (a rebuild keeps keys); an id the site does not have stays
    (
        "filter = 99999 AND assignee = 0123abc",
        "",
    ),  # unknown to the site: kept (validate refuses the id)
]


def from_site(jql: str) -> str:
    return rewrite_values(jql, lambda kind, text: SITE.get((kind, text)))


def to_site(jql: str) -> str:
    return rewrite_values(jql, lambda kind, text: REPO.get((kind, text)), site_ids=True)


@pytest.mark.parametrize(("repo", "site"), CORPUS)
def test_values_round_trip_byte_for_byte(repo: str, site: str) -> None:
    site = site or repo
    assert to_site(repo) == site
    assert from_site(site) == repo
    assert value_problems(repo, KEYS) == []
    assert problems(repo, []) == []  # every field of the corpus is a system field


@pytest.mark.parametrize(("site", "repo"), EXPORTED)
def test_ids_of_other_objects_are_exported_by_name(site: str, repo: str) -> None:
    assert from_site(site) == (repo or site)


@pytest.mark.parametrize(
    ("jql", "message"),
    [
        ("filter = 10001", "the filter 10001 by the site's own id"),
        ("sprint in (42)", "the sprint 42 by the site's own id"),
        ("project = 10000", "the project 10000 by the site's own id"),
        ("status = 3", "the status 3 by the site's own id"),
        ("issuetype = 10004", "the issue type 10004 by the site's own id"),
        ("fixVersion = 10200", "the version 10200 by the site's own id"),
        ("filter = 2024", "the filter 2024 by the site's own id"),
        ("parent = 10001", "the issue 10001 by the site's own id"),
        ('issuekey in (ENG-1, "10002")', "name the issue by its key"),
        ("key = 10001", "name the issue by its key"),
        ('filter = "2025"', "filter '2025', which is not in the repo"),
        (
            'filter = "Open bgus"',
            "filter 'Open bgus', which is not in the repo (by its name, or its alias); "
            "did you mean 'Open bugs'?",
        ),
        ('filter = "open bugs"', "did you mean 'Open bugs'?"),
        (
            'sprint = "ENG Sprint 2"',
            "sprint 'ENG Sprint 2', which is not in the repo (by <board>/<sprint>); "
            "did you mean 'ENG Scrum/ENG Sprint 2'?",
        ),
        ('sprint WAS "ENG Scrum/ENG Sprnt 1"', "did you mean 'ENG Scrum/ENG Sprint 1'?"),
    ],
)
def test_ids_and_unknown_names_are_refused(jql: str, message: str) -> None:
    (why,) = value_problems(jql, KEYS)
    assert message in why


def test_a_bare_id_stays_bare_and_a_quoted_name_of_digits_stays_quoted() -> None:
    filters = REGISTRY["filter"]
    assert filters.canonical({"jql": "filter = 2024"})["jql"] == "filter = 2024"
    assert filters.canonical({"jql": "filter = '2024'"})["jql"] == 'filter = "2024"'


def test_users_by_account_id_and_functions_pass_validate() -> None:
    jql = f'assignee = "{ANN}" AND sprint in openSprints() AND filter != EMPTY'
    assert value_problems(jql, KEYS) == []
    jql = 'parent = ENG-1 AND key in (ENG-2, "ENG-3") AND issue in linkedIssues(ENG-4)'
    assert value_problems(jql, KEYS) == []


def test_users_and_references_are_listed_for_checks_and_ordering() -> None:
    jql = 'assignee = "ann@example.com" AND status CHANGED BY "bob@example.com" AND ' + (
        'filter = "Open bugs" AND sprint in ("ENG Scrum/ENG Sprint 1") AND reporter = currentUser()'
    )
    assert jql_users(jql) == ["ann@example.com", "bob@example.com"]
    assert jql_refs(jql) == [("filter", "Open bugs"), ("sprint", "ENG Scrum/ENG Sprint 1")]
    refs = {str(a) for a in REGISTRY["filter"].order_refs({"jql": jql})}
    assert refs == {"filter/Open bugs", "sprint/ENG Scrum/ENG Sprint 1"}


def test_quoting_a_value_one_way_or_another_is_not_a_change() -> None:
    webhook = REGISTRY["webhook"]
    single = webhook.canonical({"jql": "filter = 'Open bugs' AND assignee = 'ann@example.com'"})
    double = webhook.canonical({"jql": 'filter = "Open bugs" AND assignee = "ann@example.com"'})
    assert single == double
    assert REGISTRY["filter"].canonical({"jql": "sprint = 'ENG Scrum/ENG Sprint 1'"})["jql"] == (
        'sprint = "ENG Scrum/ENG Sprint 1"'
    )
