"""issue_counts: when jiracfg.yaml manages data, the site holds as many issues per project, issue
type and status as the repo's issue files (JQL approximate counts), and no more per project."""

from __future__ import annotations

from jiracfg.verify.model import Inputs, Result, cannot, fail, passed

NAME = "issue_counts"


def check(inputs: Inputs) -> list[Result]:
    counts = inputs.issues
    if counts is None:
        return [cannot(NAME, "issues", "jiracfg.yaml has no data: section (no issues managed)")]
    results = [
        fail(NAME, f"{p} / {t} / {s}", f"site {counts.site.get((p, t, s), 0)}, repo {n}")
        for (p, t, s), n in sorted(counts.repo.items())
        if counts.site.get((p, t, s), 0) != n
    ]
    results += [
        fail(NAME, f"project/{p}", f"site {counts.site_totals.get(p, 0)} issues, repo {n}")
        for p, n in sorted(counts.repo_totals.items())
        if counts.site_totals.get(p, 0) != n
    ]
    if results:
        return results
    total = sum(counts.repo_totals.values())
    return [passed(NAME, "issues", f"{total} issues in {len(counts.repo_totals)} projects")]
