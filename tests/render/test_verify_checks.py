"""verify's issue_counts check, pure: counts per project, type and status against the repo's."""

from __future__ import annotations

from jiracfg.model import Snapshot
from jiracfg.plan.model import Plan
from jiracfg.verify import issue_counts
from jiracfg.verify.model import Inputs, IssueCounts

TRIPLE = ("ENG", "Bug", "Done")


def results(site: int, site_total: int) -> list[tuple[str, str, str]]:
    counts = IssueCounts({TRIPLE: 2}, {TRIPLE: site}, {"ENG": 2}, {"ENG": site_total})
    inputs = Inputs(Snapshot(), Snapshot(), Plan([], {}, [], [], []), {}, counts)
    return [(str(r.status), r.subject, r.evidence) for r in issue_counts.check(inputs)]


def test_equal_counts_pass() -> None:
    assert results(2, 2) == [("pass", "issues", "2 issues in 1 projects")]


def test_a_missing_issue_fails_naming_project_type_and_status() -> None:
    assert results(1, 1) == [
        ("fail", "ENG / Bug / Done", "site 1, repo 2"),
        ("fail", "project/ENG", "site 1 issues, repo 2"),
    ]


def test_an_extra_issue_elsewhere_in_the_project_fails_the_total() -> None:
    assert results(2, 3) == [("fail", "project/ENG", "site 3 issues, repo 2")]
