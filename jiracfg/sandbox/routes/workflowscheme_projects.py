"""Workflow schemes of projects: which scheme each project uses, assigning one to a project without
issues, switching (with status mappings, as an async task) and a scheme's project usages. The
model lives in ``workflowschemes``.
"""

from __future__ import annotations

import base64
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from jiracfg.sandbox import tasks
from jiracfg.sandbox.http import (
    ApiError,
    body_object,
    int_param,
    list_param,
    no_content,
    ok,
    require,
    route,
    store,
)
from jiracfg.sandbox.routes._common import (
    count_issues,
    group_by_scheme,
    project_exists,
    require_project,
)
from jiracfg.sandbox.routes.workflowschemes import (
    DEFAULT_SCHEME,
    assign_workflow_scheme,
    find_scheme,
    overrides,
    plan_moves,
    run_moves,
    scheme_bean,
    users_of,
    workflow_scheme_of_project,
)
from jiracfg.sandbox.store import Doc, Store


@route("/rest/api/3/workflowscheme/project")
async def schemes_of_projects(request: Request) -> Response:
    db, wanted = store(request), list_param(request, "projectId")
    require(bool(wanted), 400, "The ID of a project has to be provided.", "projectId")
    require(
        all(p.isdigit() for p in wanted), 400, "The ID of a project must be a number.", "projectId"
    )
    require(len(wanted) <= 100, 400, "At most 100 project IDs can be provided.", "projectId")
    groups = group_by_scheme(
        [p for p in dict.fromkeys(wanted) if project_exists(db, p)],
        lambda p: workflow_scheme_of_project(db, p).get("id"),
    )
    return ok(
        {
            "values": [
                {
                    "workflowScheme": scheme_bean(
                        request, find_scheme(db, s) if s else DEFAULT_SCHEME
                    ),
                    "projectIds": projects,
                }
                for s, projects in groups.items()
            ]
        }
    )


def target_scheme(db: Store, raw: Any) -> Doc:
    return dict(DEFAULT_SCHEME) if raw in (None, "") else find_scheme(db, raw)


@route("/rest/api/3/workflowscheme/project", "PUT")
async def assign_scheme(request: Request) -> Response:
    data, db = await body_object(request), store(request)
    require("projectId" in data, 400, "The ID of a project has to be provided.", "projectId")
    project_id = str(data["projectId"])
    scheme = target_scheme(db, data.get("workflowSchemeId"))
    require_project(db, project_id)
    require(
        not count_issues(db, project_id=project_id),
        400,
        "The workflow scheme can't be "
        "assigned because the project has issues. Switch the project's workflow scheme "
        "with status mappings instead.",
    )
    assign_workflow_scheme(db, project_id, scheme.get("id"))
    return no_content()


@route("/rest/api/3/workflowscheme/project/switch", "POST")
async def switch_scheme(request: Request) -> Response:
    data, db = await body_object(request), store(request)
    project_id = str(data.get("projectId") or "")
    require(
        project_id.isdigit() and project_exists(db, project_id),
        400,
        f"The project with ID '{project_id}' was not found.",
        "projectId",
    )
    try:
        target = target_scheme(db, data.get("targetSchemeId"))
    except ApiError as exc:
        raise ApiError(400, *exc.messages) from exc
    given = overrides(data.get("mappingsByIssueTypeOverride"))
    moves = plan_moves(
        db,
        [project_id],
        workflow_scheme_of_project(db, project_id),
        target,
        lambda t, o, n: given(t),
    )

    def work() -> None:
        run_moves(db, moves)
        assign_workflow_scheme(db, project_id, target.get("id"))

    return tasks.submit(request, "Switching the project's workflow scheme", work)


@route("/rest/api/3/workflowscheme/{workflowSchemeId}/projectUsages")
async def project_usages(request: Request) -> Response:
    db = store(request)
    scheme = find_scheme(db, request.path_params["workflowSchemeId"])
    start = decode_token(request.query_params.get("nextPageToken"))
    size = int_param(request, "maxResults", 50, low=1, high=200)
    users = users_of(db, scheme["id"])
    block: dict[str, Any] = {"values": [{"id": p} for p in users[start : start + size]]}
    if start + size < len(users):
        block["nextPageToken"] = base64.urlsafe_b64encode(str(start + size).encode()).decode()
    return ok({"workflowSchemeId": scheme["id"], "projects": block})


def decode_token(token: str | None) -> int:
    if not token:
        return 0
    try:
        return int(base64.urlsafe_b64decode(token.encode()).decode())
    except ValueError as exc:
        raise ApiError(400, "Invalid format of nextPageToken") from exc


ROUTES = [
    schemes_of_projects,
    assign_scheme,
    switch_scheme,
    project_usages,
]


def seed_empty(db: Store) -> None:
    """A new site's projects use the Default Workflow Scheme, which has no association."""
