"""Deleting issues: Jira's bulk delete, else one by one on the client's pool.

``POST /bulk/issues/delete`` (≤1,000 issues a request, any projects) is an async task polled on
``/bulk/queue/{taskId}``: one request and a few polls instead of a ``DELETE`` per issue. It needs
the *Make bulk changes* global permission: where it is refused (403, or a site without the
endpoint), or where the task does not complete, the issues are deleted one by one
(``deleteSubtasks=true``; 404 is done already). A resent request after a lost answer is harmless:
issues already gone count as invalid, not as errors.
"""

from __future__ import annotations

import contextlib

from jiracfg.client import JiraClient
from jiracfg.data.bulk import bulk_task
from jiracfg.errors import JiraApiError, NotFoundError, TaskFailedError

BULK_DELETE = 1000
REFUSED = (400, 403, 404, 405)  # no permission, or no such endpoint: one by one


def delete_issues(client: JiraClient, keys: list[str]) -> None:
    """Delete ``keys`` (sub-tasks go with their parent)."""
    for start in range(0, len(keys), BULK_DELETE):
        chunk = keys[start : start + BULK_DELETE]
        left = chunk if len(chunk) == 1 else _bulk(client, chunk)
        client.map(lambda key: delete_issue(client, key), left)


def delete_issue(client: JiraClient, key: str) -> None:
    with contextlib.suppress(NotFoundError):  # gone already: a retried delete's lost answer
        client.delete(f"/issue/{key}", {"deleteSubtasks": "true"})


def _bulk(client: JiraClient, keys: list[str]) -> list[str]:
    """Bulk delete ``keys``; the keys still to delete one by one (none when it completed).
    Issues already gone count as invalid: no failure (a resent request's lost answer)."""
    body = {"selectedIssueIdsOrKeys": keys, "sendBulkNotification": False}
    try:
        bulk_task(client, "/bulk/issues/delete", body, invalid_ok=True)
    except TaskFailedError:
        return keys
    except JiraApiError as exc:
        if exc.status in REFUSED:
            return keys
        raise
    return []
