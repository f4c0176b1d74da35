"""Jira's async tasks: ``303 See Other`` + ``Location: /rest/api/3/task/{id}``.

The work runs at submission, inside one transaction (so a failure leaves no partial state); the
first
poll reports RUNNING and later polls the outcome, so clients must really poll.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from jiracfg.sandbox.http import ApiError, base, not_found, ok, route, store
from jiracfg.sandbox.store import Store


def submit(request: Request, description: str, work: Callable[[], Any]) -> Response:
    """Run ``work`` as a task; answer 303 with the task's Location and a TaskProgressBean."""
    db = store(request)
    now = int(time.time() * 1000)
    task: dict[str, Any] = {
        "description": description,
        "submitted": now,
        "started": now,
        "submittedBy": 0,
        "polls": 0,
    }
    try:
        with db.tx():
            task["result"] = work()
        task.update(status="COMPLETE", message="Completed", progress=100)
    except ApiError as exc:
        task.update(
            status="FAILED",
            message="; ".join(exc.messages + list(exc.errors.values())),
            progress=100,
        )
    task["finished"] = int(time.time() * 1000)
    db.insert("task", task)
    location = f"{base(request)}/rest/api/3/task/{task['id']}"
    return JSONResponse(
        _bean(request, task, running=True), status_code=303, headers={"Location": location}
    )


def _bean(request: Request, task: dict[str, Any], running: bool) -> dict[str, Any]:
    bean = {
        "self": f"{base(request)}/rest/api/3/task/{task['id']}",
        "id": task["id"],
        "description": task["description"],
        "status": "RUNNING" if running else task["status"],
        "submittedBy": task["submittedBy"],
        "progress": 50 if running else task["progress"],
        "elapsedRuntime": task["finished"] - task["started"],
        "submitted": task["submitted"],
        "started": task["started"],
        "lastUpdate": task["finished"],
    }
    if not running:
        bean["finished"] = task["finished"]
        bean["message"] = task["message"]
        if task.get("result") is not None:
            bean["result"] = task["result"]
    return bean


@route("/rest/api/3/task/{taskId}")
async def get_task(request: Request) -> Response:
    db: Store = store(request)
    task = db.get("task", request.path_params["taskId"])
    if task is None:
        raise not_found("Task")
    task["polls"] += 1
    db.put("task", task)
    return ok(_bean(request, task, running=task["polls"] < 2))


ROUTES = [get_task]


def completed(db: Store, description: str, result: Any = None) -> str:
    """Record a task that already ran inside the caller's request (for endpoints that answer
    200 with a ``taskId`` rather than 303); return its id."""
    now = int(time.time() * 1000)
    task = {
        "description": description,
        "submitted": now,
        "started": now,
        "finished": now,
        "submittedBy": 0,
        "polls": 0,
        "status": "COMPLETE",
        "message": "Completed",
        "progress": 100,
        "result": result,
    }
    return str(db.insert("task", task)["id"])
