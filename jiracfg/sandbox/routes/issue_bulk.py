"""Bulk issue operations (``/bulk``): the bulk delete, an async task as on Jira Cloud.

``POST /rest/api/3/bulk/issues/delete`` takes ``selectedIssueIdsOrKeys`` (ids or keys, 1 to
1,000, from any projects) and answers 201 ``{taskId}``; ``GET /rest/api/3/bulk/queue/{taskId}``
reports the task's progress (``BulkOperationProgress``). The work runs at submission in one
transaction; the first poll says RUNNING and later ones COMPLETE, with the deleted issues' ids in
``processedAccessibleIssues`` and the ids or keys that name no issue counted in
``invalidOrInaccessibleIssueCount`` (so a resent request after a lost answer is harmless).
Sub-tasks go with their parent, as in Jira's bulk delete. Times are epoch milliseconds, as Jira
answers (the spec says date-time strings; see ``tests/spec_gaps.yaml``). A malformed request
answers 400 with the bulk API's own error body ``{errors: [{message}]}``; with the store meta
``bulk_change_denied`` set (a caller without the *Make bulk changes* global permission) every
submission answers 403 the same way. An issue the caller may not delete (no *Delete issues* in its
project's permission scheme) stays, named with the reason in ``failedAccessibleIssues``. A task
id that names no bulk task answers 400 with the body
of the spec's example (an ErrorCollection, "... is not a bulk operation task"): the spec lists
200, 400 and 401 only.
"""

from __future__ import annotations

import time
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from jiracfg.sandbox.http import ApiError, body_object, ok, route, store
from jiracfg.sandbox.routes.issues import (
    NO_DELETE,
    by_key,
    children_of,
    drop_issue,
    may_delete,
    notice,
)
from jiracfg.sandbox.shapes import Required
from jiracfg.sandbox.store import Doc, Store

TASKS = "bulk_task"
NOT_BULK = "The task associated with this taskId is not a bulk operation task"
MAX_ISSUES = 1000
DENIED = "bulk_change_denied"  # store meta: the caller lacks the Make bulk changes permission
SHAPE = {"selectedIssueIdsOrKeys": Required([str]), "sendBulkNotification": bool}


class Refused(Exception):
    """A refused bulk request: the bulk API's own error body (BulkOperationErrorResponse)."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status

    def response(self) -> Response:
        return JSONResponse({"errors": [{"message": str(self)}]}, status_code=self.status)


async def bulk_body(request: Request, shape: dict[str, Any]) -> dict[str, Any]:
    """The body of a bulk submission; ``Refused`` without the permission or for a bad body."""
    if store(request).get_meta(DENIED):
        raise Refused("You don't have the global permission to make bulk changes.", 403)
    try:
        return await body_object(request, shape)
    except ApiError as exc:
        raise Refused(
            "; ".join([*exc.messages, *exc.errors.values()]) or "Invalid request"
        ) from None


@route("/rest/api/3/bulk/issues/delete", "POST")
async def submit_bulk_delete(request: Request) -> Response:
    try:
        data = await bulk_body(request, SHAPE)
    except Refused as exc:
        return exc.response()
    wanted = [str(w) for w in data["selectedIssueIdsOrKeys"]]
    if not 1 <= len(wanted) <= MAX_ISSUES:
        message = f"selectedIssueIdsOrKeys must name between 1 and {MAX_ISSUES} issues."
        return Refused(message).response()
    db, now, caller = store(request), _now(), request.state.account_id
    found = [issue_by_ref(db, w) for w in wanted]
    denied = {str(d["id"]): [NO_DELETE] for d in found if d and not may_delete(db, d, caller)}
    doomed = _with_subtasks(db, [d for d in found if d and str(d["id"]) not in denied])
    sends = [notice(request, "jira:issue_deleted", "issue_deleted", doc) for doc in doomed]
    with db.tx():
        for doc in doomed:
            drop_issue(db, doc)
    for send in sends:  # once committed
        send()
    invalid = sum(1 for d in found if d is None)
    done = [int(d["id"]) for d in doomed]
    return queued(request, now, len(wanted), done, invalid, denied)


def queued(
    request: Request,
    started: int,
    total: int,
    done: list[int],
    invalid: int,
    failed: dict[str, list[str]] | None = None,
) -> Response:
    """Record a bulk task that ran at submission (its progress at ``/bulk/queue/{taskId}``) and
    answer 201 ``{taskId}``, as every bulk submission does. ``failed``: issue id -> reasons."""
    task = {
        "submittedBy": request.state.account_id,
        "created": started,
        "started": started,
        "updated": _now(),
        "totalIssueCount": total,
        "processedAccessibleIssues": sorted(done),
        "invalidOrInaccessibleIssueCount": invalid,
        "failedAccessibleIssues": failed or {},
        "polls": 0,
    }
    made = store(request).insert(TASKS, task)
    return ok({"taskId": str(made["id"])}, 201)


def issue_by_ref(db: Store, raw: str) -> Doc | None:
    """The issue an id or key names, if any."""
    return db.get("issue", raw) if raw.isdigit() else by_key(db, raw)


def _with_subtasks(db: Store, docs: list[Doc]) -> list[Doc]:
    """``docs`` and their sub-tasks, each once (sub-tasks go with their parent)."""
    out: dict[str, Doc] = {}
    for doc in docs:
        for each in [*children_of(db, doc), doc]:
            out.setdefault(str(each["id"]), each)
    return list(out.values())


def _now() -> int:
    return int(time.time() * 1000)


@route("/rest/api/3/bulk/queue/{taskId}")
async def get_bulk_progress(request: Request) -> Response:
    db = store(request)
    task = db.get(TASKS, request.path_params["taskId"])
    if task is None:  # the spec lists no 404: its 400, with the spec's own example body
        raise ApiError(400, NOT_BULK)
    task["polls"] += 1
    db.put(TASKS, task)
    return ok(_progress(task, running=task["polls"] < 2))


def _progress(task: Doc, running: bool) -> dict[str, Any]:
    bean: dict[str, Any] = {
        "taskId": str(task["id"]),
        "status": "RUNNING" if running else "COMPLETE",
        "progressPercent": 50 if running else 100,
        "submittedBy": {"accountId": task["submittedBy"]},
        "created": task["created"],
        "started": task["started"],
        "updated": task["updated"],
    }
    if not running:
        bean |= {
            k: task[k]
            for k in (
                "totalIssueCount",
                "processedAccessibleIssues",
                "invalidOrInaccessibleIssueCount",
            )
        }
    if not running and task.get("failedAccessibleIssues"):
        bean["failedAccessibleIssues"] = task["failedAccessibleIssues"]
    return bean


ROUTES = [submit_bulk_delete, get_bulk_progress]


def seed_empty(db: Store) -> None:
    """A new site has no bulk tasks."""
