"""Facts the checks need from the live site, gathered before they run: issue counts by JQL."""

from __future__ import annotations

from jiracfg.client import JiraClient
from jiracfg.errors import NotFoundError


def count_issues(client: JiraClient, jql: str) -> int:
    """Issues matching ``jql``: the approximate-count endpoint, else a zero-size classic search."""
    try:
        body = client.post("/search/approximate-count", {"jql": jql})
        return int(body["count"])
    except NotFoundError:
        body = client.post("/search", {"jql": jql, "maxResults": 0, "fields": ["id"]})
        return int(body["total"])


def gather(client: JiraClient, queries: set[str]) -> dict[str, int]:
    ordered = sorted(queries)
    return dict(zip(ordered, client.map(lambda q: count_issues(client, q), ordered), strict=True))
