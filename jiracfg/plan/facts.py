"""Facts the checks need from the live site, gathered before they run: issue counts by JQL."""

from __future__ import annotations

from typing import Any

from jiracfg.client import JiraClient
from jiracfg.errors import NotFoundError


def count_issues(client: JiraClient, jql: str) -> int:
    """Issues matching ``jql``: the approximate-count endpoint, else counted by searching."""
    try:
        body = client.post("/search/approximate-count", {"jql": jql})
        return int(body["count"])
    except NotFoundError:
        return count_by_search(client, jql)


def count_by_search(client: JiraClient, jql: str) -> int:
    """Issues matching ``jql``, counted over the enhanced search's pages of ids (the classic
    ``/search`` with its ``total`` is gone from Jira Cloud: 410)."""
    total, token = 0, None
    while True:
        body: dict[str, Any] = {"jql": jql, "maxResults": 5000, "fields": ["id"]}
        page = client.post("/search/jql", {**body, **({"nextPageToken": token} if token else {})})
        total += len(page.get("issues") or [])
        token = page.get("nextPageToken")
        if not token:
            return total


def gather(client: JiraClient, queries: set[str]) -> dict[str, int]:
    ordered = sorted(queries)
    return dict(zip(ordered, client.map(lambda q: count_issues(client, q), ordered), strict=True))
