"""Facts the checks need from the live site, gathered before they run.

A fact is a query string and a number: ``user:<email>`` (users with that email), ``group:<name>``
(groups with that name, ignoring case), ``env:<VAR>`` (1 when the variable is set), anything
else is JQL (issues matching it; ``UNCOUNTED``
when Jira refuses the JQL, so a check can say the count could not be taken).
"""

from __future__ import annotations

import os
from typing import Any

from jiracfg.client import JiraClient
from jiracfg.errors import JiraApiError, NotFoundError
from jiracfg.plan.checks._inputs import UNCOUNTED


def count_issues(client: JiraClient, jql: str) -> int:
    """Issues matching ``jql``: the approximate-count endpoint, else counted by searching."""
    try:
        body = client.post("/search/approximate-count", {"jql": jql})
        return int(body["count"])
    except NotFoundError:
        return count_by_search(client, jql)
    except JiraApiError as exc:
        if exc.status == 400:
            return UNCOUNTED
        raise


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


def users_with_email(client: JiraClient, email: str) -> int:
    found = client.get("/user/search", {"query": email, "maxResults": 1000})
    return sum(str(u.get("emailAddress", "")).casefold() == email.casefold() for u in found)


def groups_named(client: JiraClient, name: str) -> int:
    found = client.paged("/group/bulk", {"groupName": name})
    return sum(str(g.get("name", "")).casefold() == name.casefold() for g in found)


def variable_set(client: JiraClient, name: str) -> int:
    """1 when the environment variable ``name`` is set and not empty (its value is not kept)."""
    return int(bool(os.environ.get(name)))


LOOKUPS = {"user": users_with_email, "group": groups_named, "env": variable_set}


def fact(client: JiraClient, query: str) -> int:
    prefix, _, name = query.partition(":")
    lookup = LOOKUPS.get(prefix)
    return lookup(client, name) if lookup else count_issues(client, query)


def gather(client: JiraClient, queries: set[str]) -> dict[str, int]:
    ordered = sorted(queries)
    return dict(zip(ordered, client.map(lambda q: fact(client, q), ordered), strict=True))
