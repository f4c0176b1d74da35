"""Issue transitions: the transitions of the issue's workflow from its status whose conditions
pass for the caller, and doing one: only the fields of its screen (e.g. ``resolution``) may be
set, its validators must accept the result, and the changelog records the move. The issue model
lives in ``issues``.

The workflow rules (conditions, validators, post functions) run in ``_workflow_rules``.
"""

from __future__ import annotations

import copy
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from jiracfg.sandbox.http import base, body_object, no_content, ok, require, route, store
from jiracfg.sandbox.jql import call
from jiracfg.sandbox.routes._issue_beans import status_details
from jiracfg.sandbox.routes._issue_history import now
from jiracfg.sandbox.routes._issue_values import ref_of
from jiracfg.sandbox.routes._workflow_rules import (
    check_validators,
    conditions_pass,
    has_permission,
    post_functions,
)
from jiracfg.sandbox.routes.issues import (
    FieldErrors,
    Screen,
    apply_fields,
    find_issue,
    is_empty,
    notify,
    save,
    set_field,
)
from jiracfg.sandbox.store import Doc, Store


def workflow_of(db: Store, doc: Doc) -> Doc | None:
    name = call(
        "workflowschemes", "workflow_name_for", None, db, doc["projectId"], doc["issueTypeId"]
    )
    return None if name is None else call("workflows", "workflow_by_name", None, db, name)


def available(db: Store, doc: Doc, caller: str) -> list[Doc]:
    """The workflow's transitions from the issue's status whose conditions pass for ``caller``
    (none without *Transition issues* in the project, as Jira lists none)."""
    if not has_permission(db, doc, "TRANSITION_ISSUES", caller):
        return []
    workflow = workflow_of(db, doc) or {}
    return [
        t
        for t in workflow.get("transitions", [])
        if (
            t["type"] == "GLOBAL"
            or (
                t["type"] == "DIRECTED"
                and any(link["fromStatusReference"] == doc["statusId"] for link in t["links"])
            )
        )
        and conditions_pass(db, t.get("conditions") or {}, doc, caller)
    ]


def screen_id(t: Doc) -> str | None:
    screen = t.get("transitionScreen") or {}
    found = (screen.get("parameters") or {}).get("screenId")
    return None if found in (None, "") else str(found)


def transition_bean(request: Request, db: Store, doc: Doc, t: Doc, expand: bool) -> Doc:
    bean = {
        "id": str(t["id"]),
        "name": t["name"],
        "to": status_details(db, base(request), str(t["toStatusReference"])),
        "hasScreen": screen_id(t) is not None,
        "isGlobal": t["type"] == "GLOBAL",
        "isInitial": False,
        "isAvailable": True,
        "isConditional": bool((t.get("conditions") or {}).get("conditions")),
        "isLooped": False,
    }
    if expand:
        bean["fields"] = screen_fields(db, doc, t)
    return bean


def screen_fields(db: Store, doc: Doc, t: Doc) -> dict[str, Any]:
    """``expand=transitions.fields``: the screen's fields (required flags from the field
    configuration)."""
    sid = screen_id(t)
    if sid is None:
        return {}
    screen = Screen(db, doc, "transition", sid)
    meta = call("issue_createmeta", "field_meta", None, db, doc, screen)
    return {m.pop("fieldId"): m for m in meta or []}


@route("/rest/api/3/issue/{key}/transitions")
async def get_transitions(request: Request) -> Response:
    db = store(request)
    doc = find_issue(db, request.path_params["key"])
    only = request.query_params.get("transitionId")
    expand = "transitions.fields" in request.query_params.get("expand", "")
    beans = [
        transition_bean(request, db, doc, t, expand)
        for t in available(db, doc, request.state.account_id)
        if only is None or str(t["id"]) == only
    ]
    return ok({"expand": "transitions", "transitions": beans})


def transition_issue(request: Request, doc: Doc, data: dict[str, Any]) -> None:
    """Move ``doc`` along a transition (400 with Jira's messages when it cannot)."""
    db, caller = store(request), request.state.account_id
    wanted = ref_of(data.get("transition"), "id")
    require(wanted is not None, 400, "Missing 'transition' identifier")
    found = [t for t in available(db, doc, caller) if str(t["id"]) == wanted]
    require(bool(found), 400, f"Transition id '{wanted}' is not valid for this issue.")
    before, t = copy.deepcopy(doc), found[0]
    errors = FieldErrors()
    fields = data.get("fields") or {}
    require(isinstance(fields, dict), 400, "Can not deserialize fields.")
    apply_fields(db, doc, dict(fields), errors, Screen(db, doc, "transition", screen_id(t) or "-"))
    errors.raise_any()
    check_validators(db, doc, t, caller, is_empty)
    if doc["statusId"] != str(t["toStatusReference"]):
        doc.update(statusId=str(t["toStatusReference"]), statusChanged=now())
    post_functions(db, doc, t, caller, set_field)
    save(db, before, doc, caller)


@route("/rest/api/3/issue/{key}/transitions", "POST")
async def do_transition(request: Request) -> Response:
    data, db = await body_object(request), store(request)
    doc = find_issue(db, request.path_params["key"])
    with db.tx():
        transition_issue(request, doc, data)
    notify(request, "jira:issue_updated", "issue_generic", doc)
    return no_content()


ROUTES = [
    get_transitions,
    do_transition,
]


def seed_empty(db: Store) -> None:
    """A new site has no issues."""
