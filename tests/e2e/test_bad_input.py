"""Input Jira would refuse, found by ``validate``/``plan`` before the first write (issue 10):
each case exits 1 naming file:line, and the sandbox is left exactly as it was."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.e2e.conftest import Jiracfg
from tests.e2e.test_edits import edit
from tests.e2e.test_refusals import refused

Setup = Callable[[Jiracfg], None]


def bug_becomes_a_subtask(run: Jiracfg) -> None:
    edit(run.repo, "issue-types/bug.yaml", lambda t: t.update(level="subtask"))


PLAN_CASES: dict[str, tuple[Setup, list[str]]] = {
    "level of a type in use": (
        bug_becomes_a_subtask,
        [
            "issue-types/bug.yaml:",
            "issue_type/Bug would be deleted and created again",
            "issue(s) use it",
        ],
    ),
}


@pytest.mark.parametrize("case", sorted(PLAN_CASES))
def test_plan_refuses_before_any_write(exported_demo: Jiracfg, case: str) -> None:
    setup, expected = PLAN_CASES[case]
    setup(exported_demo)
    output = refused(exported_demo)
    missing = [text for text in expected if text not in output]
    assert not missing, output
