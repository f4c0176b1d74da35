"""What jiracfg does not manage yet, counted, so coverage gaps are visible in every export."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jiracfg.client import JiraClient
from jiracfg.errors import JiraApiError
from jiracfg.model import Snapshot

Counter = Callable[[JiraClient, Snapshot], int]
PROJECTS_PER_COUNT = 100  # project keys per issue count (one JQL, kept short)


def _total(path: str, **params: Any) -> Counter:
    """A PageBean's ``total`` (counted over the pages where Jira leaves it out)."""

    def count(client: JiraClient, live: Snapshot) -> int:
        total = client.get(path, {**params, "maxResults": 1}).get("total")
        return int(total) if isinstance(total, int) else sum(1 for _ in client.paged(path, params))

    return count


def _length(path: str, key: str) -> Counter:
    return lambda client, live: len(client.get(path).get(key, []))


def _issues(client: JiraClient, live: Snapshot) -> int:
    """Issues of every project (listed here: ``--kinds`` may have left projects unfetched)."""
    from jiracfg.plan.facts import count_issues

    keys = [f'"{p["key"]}"' for p in client.paged("/project/search", {"maxResults": 100})]
    chunks = [keys[i : i + PROJECTS_PER_COUNT] for i in range(0, len(keys), PROJECTS_PER_COUNT)]
    return sum(count_issues(client, f"project in ({', '.join(c)})") for c in chunks)


UNMANAGED: dict[str, Counter] = {
    "issues": _issues,
}


def inventory(client: JiraClient, live: Snapshot) -> dict[str, Any]:
    counts: dict[str, Any] = {}
    for name, counter in UNMANAGED.items():
        try:
            counts[name] = counter(client, live)
        except JiraApiError as exc:  # e.g. 403: not on this plan, or no permission
            counts[name] = f"unavailable (HTTP {exc.status})"
    flagged = sorted(str(r.address) for r in live if r.meta.get("duplicate_name"))
    return {"not_managed_yet": counts, "duplicate_names": flagged, "skipped": skipped(live)}


def skipped(live: Snapshot) -> dict[str, str]:
    """Objects export could not read, with what to set (an app whose shared secret is unset)."""
    return {
        str(r.address): f"set {r.meta['unreadable']} to export it"
        for r in live
        if r.meta.get("unreadable")
    }
