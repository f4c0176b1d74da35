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
import time
from typing import Any

from jiracfg.client import JiraClient
from jiracfg.errors import JiraApiError, LostResponseError, NotFoundError, TaskFailedError

BULK_DELETE = 1000
ATTEMPTS = 4
REFUSED = (400, 403, 404, 405)  # no permission, or no such endpoint: one by one
DONE = "COMPLETE"
ENDED = frozenset({"COMPLETE", "FAILED", "CANCELLED", "CANCEL_REQUESTED", "DEAD"})


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
    """Bulk delete ``keys``; the keys still to delete one by one (none when it completed)."""
    try:
        task = _submit(client, keys)
        progress = _wait(client, task)
    except TaskFailedError:
        return keys
    except JiraApiError as exc:
        if exc.status in REFUSED:
            return keys
        raise
    failed = progress.get("failedAccessibleIssues") or {}
    return keys if progress.get("status") != DONE or failed else []


def _submit(client: JiraClient, keys: list[str]) -> str:
    body = {"selectedIssueIdsOrKeys": keys, "sendBulkNotification": False}
    for attempt in range(ATTEMPTS):
        try:
            return str(client.post("/bulk/issues/delete", body)["taskId"])
        except JiraApiError as exc:
            lost = isinstance(exc, LostResponseError) or exc.status >= 500
            if not lost or attempt == ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def _wait(client: JiraClient, task: str, timeout: float = 600.0) -> dict[str, Any]:
    deadline, delay = time.monotonic() + timeout, 0.05
    while True:
        progress: dict[str, Any] = client.get(f"/bulk/queue/{task}")
        if progress.get("status") in ENDED:
            return progress
        if time.monotonic() > deadline:
            raise TaskFailedError(f"Jira bulk task {task} still {progress.get('status')}")
        time.sleep(delay)
        delay = min(delay * 2, 2.0)
