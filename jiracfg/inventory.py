"""What jiracfg does not manage yet, counted, so coverage gaps are visible in every export."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jiracfg.client import JiraClient
from jiracfg.errors import JiraApiError
from jiracfg.model import Snapshot

Counter = Callable[[JiraClient, Snapshot], int]


def _total(path: str, params: dict[str, Any] | None = None) -> Counter:
    return lambda client, live: int(client.get(path, params or {"maxResults": 1}).get("total", 0))


def _length(path: str, key: str) -> Counter:
    return lambda client, live: len(client.get(path).get(key, []))


def _issues(client: JiraClient, live: Snapshot) -> int:
    from jiracfg.plan.facts import count_issues

    keys = [r.address.key for r in live.of_kind("project")]
    return sum(count_issues(client, f'project = "{k}"') for k in keys)


UNMANAGED: dict[str, Counter] = {
    "issues": _issues,
    "filters": _total("/filter/search"),
    "dashboards": _total("/dashboard/search"),
    "boards": _total("/rest/agile/1.0/board"),
    "issue_security_schemes": _length("/issuesecurityschemes", "issueSecuritySchemes"),
    "priority_schemes": _total("/priorityscheme"),
}


def inventory(client: JiraClient, live: Snapshot) -> dict[str, Any]:
    counts: dict[str, Any] = {}
    for name, counter in UNMANAGED.items():
        try:
            counts[name] = counter(client, live)
        except JiraApiError:
            counts[name] = "unavailable"
    flagged = sorted(str(r.address) for r in live if r.meta.get("duplicate_name"))
    return {"not_managed_yet": counts, "duplicate_names": flagged}
