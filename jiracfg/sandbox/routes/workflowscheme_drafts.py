"""Workflow scheme drafts: create, read, edit (the whole draft or its default / issue type /
workflow sub-resources), delete, and publish (moving issues out of statuses the new workflows
lack, as an async task). The model lives in ``workflowschemes``.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from jiracfg.sandbox import tasks
from jiracfg.sandbox.http import body_object, bool_param, no_content, ok, require, route, store
from jiracfg.sandbox.routes.workflowschemes import (
    DRAFTS,
    JIRA,
    apply_body,
    by_type,
    check_type,
    draft_bean,
    drop_type,
    edit_draft,
    find_draft,
    is_active,
    map_workflow,
    new_draft,
    plan_moves,
    run_moves,
    save_draft,
    save_scheme,
    scheme_of,
    set_default,
    set_type,
    unmap_workflow,
    users_of,
    workflow_mappings,
    workflow_of,
)
from jiracfg.sandbox.store import Store


@route("/rest/api/3/workflowscheme/{id}/createdraft", "POST")
async def create_draft(request: Request) -> Response:
    db, scheme = store(request), scheme_of(request)
    require(is_active(db, scheme["id"]), 400, "Only an active workflow scheme can have a draft.")
    require(db.get(DRAFTS, scheme["id"]) is None, 400, "The workflow scheme already has a draft.")
    return ok(draft_bean(request, new_draft(db, scheme), scheme), 201)


@route("/rest/api/3/workflowscheme/{id}/draft")
async def get_draft(request: Request) -> Response:
    db, scheme = store(request), scheme_of(request)
    return ok(draft_bean(request, find_draft(db, scheme), scheme))


@route("/rest/api/3/workflowscheme/{id}/draft", "PUT")
async def put_draft(request: Request) -> Response:
    data, db, scheme = await body_object(request), store(request), scheme_of(request)
    require(is_active(db, scheme["id"]), 400, "Only an active workflow scheme can have a draft.")
    with db.tx():
        draft = db.get(DRAFTS, scheme["id"]) or new_draft(db, scheme)
        draft = save_draft(db, draft, lambda d: apply_body(db, d, data))
    return ok(draft_bean(request, draft, scheme))


@route("/rest/api/3/workflowscheme/{id}/draft", "DELETE")
async def delete_draft(request: Request) -> Response:
    db, scheme = store(request), scheme_of(request)
    find_draft(db, scheme)
    db.delete(DRAFTS, scheme["id"])
    return no_content()


@route("/rest/api/3/workflowscheme/{id}/draft/default")
async def get_draft_default(request: Request) -> Response:
    db, scheme = store(request), scheme_of(request)
    return ok({"workflow": find_draft(db, scheme)["defaultWorkflow"]})


@route("/rest/api/3/workflowscheme/{id}/draft/default", "PUT")
async def put_draft_default(request: Request) -> Response:
    data = await body_object(request)
    return edit_draft(request, set_default(store(request), data.get("workflow")))


@route("/rest/api/3/workflowscheme/{id}/draft/default", "DELETE")
async def reset_draft_default(request: Request) -> Response:
    return edit_draft(request, set_default(store(request), JIRA))


@route("/rest/api/3/workflowscheme/{id}/draft/issuetype/{issueType}")
async def get_draft_type(request: Request) -> Response:
    db, scheme, type_id = store(request), scheme_of(request), request.path_params["issueType"]
    check_type(db, type_id)
    return ok({"issueType": type_id, "workflow": workflow_of(find_draft(db, scheme), type_id)})


@route("/rest/api/3/workflowscheme/{id}/draft/issuetype/{issueType}", "PUT")
async def put_draft_type(request: Request) -> Response:
    data, db = await body_object(request), store(request)
    type_id = check_type(db, request.path_params["issueType"])
    return edit_draft(request, set_type(db, type_id, data.get("workflow")))


@route("/rest/api/3/workflowscheme/{id}/draft/issuetype/{issueType}", "DELETE")
async def delete_draft_type(request: Request) -> Response:
    type_id = check_type(store(request), request.path_params["issueType"])
    return edit_draft(request, drop_type(type_id))


@route("/rest/api/3/workflowscheme/{id}/draft/workflow")
async def get_draft_workflow(request: Request) -> Response:
    db, scheme = store(request), scheme_of(request)
    return workflow_mappings(request, find_draft(db, scheme))


@route("/rest/api/3/workflowscheme/{id}/draft/workflow", "PUT")
async def put_draft_workflow(request: Request) -> Response:
    data, db = await body_object(request), store(request)
    find_draft(db, scheme_of(request))
    return edit_draft(request, map_workflow(db, request.query_params.get("workflowName"), data))


@route("/rest/api/3/workflowscheme/{id}/draft/workflow", "DELETE")
async def delete_draft_workflow(request: Request) -> Response:
    db = store(request)
    find_draft(db, scheme_of(request))
    edit_draft(request, unmap_workflow(db, request.query_params.get("workflowName")))
    return Response(status_code=200)


@route("/rest/api/3/workflowscheme/{id}/draft/publish", "POST")
async def publish_draft(request: Request) -> Response:
    db, scheme = store(request), scheme_of(request)
    draft = find_draft(db, scheme)
    raw = await request.body()
    data = await body_object(request) if raw else {}
    given = by_type(data.get("statusMappings") or [], "statusId")
    moves = plan_moves(db, users_of(db, scheme["id"]), scheme, draft, lambda t, o, n: given(t))
    if bool_param(request, "validateOnly"):
        return no_content()

    def work() -> None:
        run_moves(db, moves)
        fields = ("name", "description", "defaultWorkflow", "issueTypeMappings")
        save_scheme(db, {**scheme, **{f: draft[f] for f in fields}})
        db.delete(DRAFTS, scheme["id"])

    return tasks.submit(request, "Publishing the draft workflow scheme", work)


ROUTES = [
    create_draft,
    get_draft,
    put_draft,
    delete_draft,
    get_draft_default,
    put_draft_default,
    reset_draft_default,
    get_draft_type,
    put_draft_type,
    delete_draft_type,
    get_draft_workflow,
    put_draft_workflow,
    delete_draft_workflow,
    publish_draft,
]


def seed_empty(db: Store) -> None:
    """Drafts exist only once an active scheme gets one."""
