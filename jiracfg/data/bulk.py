"""Jira's bulk issue operations (``POST /bulk/issues/{delete,move}``): a queued task, polled on
``/bulk/queue/{taskId}`` until it ends. A task that ends COMPLETE may still have failed for some
issues: its progress (``BulkOperationProgress``) names them in ``failedAccessibleIssues`` (issue id
-> reasons) and counts the ids or keys it could not use in ``invalidOrInaccessibleIssueCount``.
Either one is a failure here (a refusal is never success), raised as ``TaskFailedError``.
"""

from __future__ import annotations

from typing import Any

from jiracfg.client import JiraClient
from jiracfg.errors import JiraApiError, LostResponseError, TaskFailedError

ATTEMPTS = 4  # submissions of a request whose answer was lost (a resend is harmless)


def bulk_task(
    client: JiraClient, path: str, body: dict[str, Any], *, invalid_ok: bool = False
) -> dict[str, Any]:
    """Submit a bulk operation, wait for it, and return its final progress; raise
    ``TaskFailedError`` naming the issues it failed for (and, unless ``invalid_ok``, when some
    ids or keys were invalid or inaccessible)."""
    task = _submit(client, path, body)
    progress = client.poll_task(f"/bulk/queue/{task}")
    problems = _failures(progress, invalid_ok)
    if problems:
        raise TaskFailedError(f"Jira bulk task {task} ({path}): {'; '.join(problems)}")
    return progress


def _failures(progress: dict[str, Any], invalid_ok: bool) -> list[str]:
    status = progress.get("status")
    found = [] if status == "COMPLETE" else [f"ended {status}"]
    failed: dict[str, list[str]] = progress.get("failedAccessibleIssues") or {}
    found += [f"issue {issue} failed: {' '.join(why)}" for issue, why in sorted(failed.items())]
    invalid = int(progress.get("invalidOrInaccessibleIssueCount") or 0)
    if invalid and not invalid_ok:
        found.append(f"{invalid} issue(s) invalid or inaccessible")
    return found


def _submit(client: JiraClient, path: str, body: dict[str, Any]) -> str:
    for attempt in range(ATTEMPTS):
        try:
            return str(client.post(path, body)["taskId"])
        except JiraApiError as exc:
            lost = isinstance(exc, LostResponseError) or exc.status >= 500
            if not lost or attempt == ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")
