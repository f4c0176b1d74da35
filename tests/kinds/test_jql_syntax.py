"""The JQL syntax check (the tokenizer's parser): what it refuses cannot parse."""

from __future__ import annotations

import pytest

from jiracfg.kinds._jql import jql_error

VALID = [
    "",
    "project = ENG",
    '"Story Points" > 3',
    "cf[10010] >= 3 AND status != Done",
    "NOT (status = Done OR resolution IS NOT EMPTY) ORDER BY created DESC, key",
    "ORDER BY rank",
    'issue in linkedIssues(ABC-1, "blocks")',
    "assignee = currentUser() AND reporter in membersOf('jira-admins')",
    "labels not in (a, b, 'c d')",
    'status CHANGED FROM "A" TO "B" AFTER -1d',
    "status WAS NOT IN (Done) BEFORE 2024-01-01",
    'due <= 2024/01/01 and summary ~ "foo" or text !~ bar',
    "! status = Done",
    "issue.property[foo].bar = x",
]
INVALID = {
    "project = = SUP AND (": "expected a value, found '='",
    "project = SUP AND (": "expected a field, found the end",
    "project =": "expected a value, found the end",
    "status = Done Done": "found 'Done'",
    "AND project = X": "expected a field, found 'AND'",
    "status IS something": "expected 'empty' or 'null'",
    "(project = X": "expected ')'",
    "project X": "expected an operator",
    "project in (A, B": "expected ')'",
    "project = X ORDER created": "expected 'by'",
}


@pytest.mark.parametrize("jql", VALID)
def test_valid_jql_passes(jql: str) -> None:
    assert jql_error(jql) == ""


@pytest.mark.parametrize("jql", sorted(INVALID))
def test_broken_jql_is_refused_with_the_reason(jql: str) -> None:
    assert INVALID[jql] in jql_error(jql)
