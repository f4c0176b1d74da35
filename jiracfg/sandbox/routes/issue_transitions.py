"""Issue transitions: the transitions of the issue's workflow from its status, and doing one
(with the screen's fields, e.g. ``resolution``). The issue model lives in ``issues``.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from jiracfg.sandbox.http import ApiError, base, body_object, no_content, ok, require, route, store
from jiracfg.sandbox.jql import call
from jiracfg.sandbox.routes._issue_beans import status_details
from jiracfg.sandbox.routes.issues import (
    ISSUES,
    FieldErrors,
    apply_fields,
    find_issue,
    notify,
    now,
    ref_of,
    reference,
)
from jiracfg.sandbox.store import Doc, Store


def available(db: Store, doc: Doc) -> list[dict[str, Any]]:
    """The transitions of the issue's workflow from its current status."""
    workflow = call(
        "workflowschemes", "workflow_name_for", None, db, doc["projectId"], doc["issueTypeId"]
    )
    if workflow is None:
        return []
    return list(call("workflows", "transitions_from", [], db, workflow, doc["statusId"]))


@route("/rest/api/3/issue/{key}/transitions")
async def get_transitions(request: Request) -> Response:
    db = store(request)
    doc = find_issue(db, request.path_params["key"])
    only = request.query_params.get("transitionId")
    beans = [
        {
            "id": str(t["id"]),
            "name": t["name"],
            "to": status_details(db, base(request), str(t["to"])),
            "hasScreen": False,
            "isGlobal": False,
            "isInitial": False,
            "isAvailable": True,
            "isConditional": False,
            "isLooped": False,
        }
        for t in available(db, doc)
        if only is None or str(t["id"]) == only
    ]
    return ok({"expand": "transitions", "transitions": beans})


@route("/rest/api/3/issue/{key}/transitions", "POST")
async def do_transition(request: Request) -> Response:
    data, db = await body_object(request), store(request)
    doc = find_issue(db, request.path_params["key"])
    wanted = ref_of(data.get("transition"), "id")
    require(wanted is not None, 400, "Missing 'transition' identifier")
    found = [t for t in available(db, doc) if str(t["id"]) == wanted]
    require(bool(found), 400, f"Transition id '{wanted}' is not valid for this issue.")
    fields = dict(data.get("fields") or {})
    if "resolution" in fields:
        try:
            doc["resolutionId"] = reference(
                db, "resolution", fields.pop("resolution"), "Resolution"
            )
        except ValueError as exc:
            raise ApiError(400, errors={"resolution": str(exc)}) from exc
    errors = FieldErrors()
    apply_fields(db, doc, fields, errors)
    errors.raise_any()
    doc.update(statusId=str(found[0]["to"]), updated=now())
    db.put(ISSUES, doc)
    notify(request, "jira:issue_updated", "issue_generic", doc)
    return no_content()


ROUTES = [
    get_transitions,
    do_transition,
]


def seed_empty(db: Store) -> None:
    """A new site has no issues."""
