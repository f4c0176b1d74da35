"""Workflow schemes, the newer bulk API: ``POST /workflowscheme/read``, ``/update`` (with status
mappings, moving issues as an async task) and ``/update/mappings`` (the mappings an update needs).
The model lives in ``workflowschemes``.
"""

from __future__ import annotations

import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from jiracfg.sandbox import tasks
from jiracfg.sandbox.http import ApiError, body_object, ok, peer, require, route, store
from jiracfg.sandbox.routes.workflowschemes import (
    JIRA,
    LINKS,
    SCHEMES,
    Chooser,
    check_name,
    check_type,
    find_scheme,
    find_workflow,
    overrides,
    plan_moves,
    project_type_ids,
    run_moves,
    save_scheme,
    statuses_of,
    users_of,
    workflow_of,
)
from jiracfg.sandbox.shapes import ID
from jiracfg.sandbox.store import Doc, Store


def workflow_by_id(db: Store, workflow_id: str) -> Doc | None:
    fn = peer("workflows", "get_workflow")
    if fn is not None:
        found: Doc | None = fn(db, workflow_id)
        return found
    return find_workflow(db, JIRA) if workflow_id == JIRA else None


def initial_status(db: Store, workflow: str) -> str:
    fn = peer("workflows", "initial_status_id")
    return str(fn(db, workflow)) if fn else statuses_of(db, workflow)[0]


def status_meta(db: Store, status_id: str) -> dict[str, str]:
    get, category = peer("statuses", "get_status"), peer("statuses", "status_category_of")
    doc = get(db, status_id) if get else None
    return {
        "id": status_id,
        "name": str(doc["name"]) if doc else status_id,
        "category": str(category(db, status_id)) if category else "TODO",
    }


def version_of(doc: Doc) -> dict[str, Any]:
    return {"id": doc["versionId"], "versionNumber": doc["version"]}


def workflow_meta(db: Store, name: str) -> dict[str, Any]:
    doc = find_workflow(db, name) or {"id": "", "name": name}
    version = doc.get("version")
    if not isinstance(version, dict):
        version = {
            "id": str(uuid.uuid5(uuid.NAMESPACE_URL, str(doc["id"]))),
            "versionNumber": int(version or 1),
        }
    return {
        "id": str(doc["id"]),
        "name": name,
        "description": str(doc.get("description") or ""),
        "version": version,
    }


def read_bean(db: Store, doc: Doc) -> dict[str, Any]:
    groups: dict[str, list[str]] = {}
    for type_id, workflow in doc["issueTypeMappings"].items():
        groups.setdefault(workflow, []).append(type_id)
    return {
        "id": doc["id"],
        "name": doc["name"],
        "description": doc["description"] or None,
        "scope": {"type": "GLOBAL"},
        "version": version_of(doc),
        "defaultWorkflow": workflow_meta(db, doc["defaultWorkflow"]),
        "workflowsForIssueTypes": [
            {"issueTypeIds": ids, "workflow": workflow_meta(db, wf)} for wf, ids in groups.items()
        ],
    }


@route("/rest/api/3/workflowscheme/read", "POST")
async def read_schemes(request: Request) -> Response:
    shape = {"workflowSchemeIds": [ID], "projectIds": [ID]}
    data, db = await body_object(request, shape), store(request)
    ids = [str(i) for i in data.get("workflowSchemeIds") or []]
    for project_id in data.get("projectIds") or []:
        link = db.get(LINKS, str(project_id))  # the default scheme has no id: not returned
        ids += [link["schemeId"]] if link else []
    docs = [db.get(SCHEMES, i) for i in dict.fromkeys(ids)]
    return ok([read_bean(db, d) for d in docs if d is not None])


def workflow_name(db: Store, workflow_id: Any) -> str:
    doc = workflow_by_id(db, str(workflow_id))
    if doc is None:
        raise ApiError(400, f"The workflow with ID '{workflow_id}' was not found.")
    return str(doc["name"])


def mappings_from(db: Store, data: dict[str, Any]) -> tuple[str, dict[str, str]]:
    """Default workflow and issue type mappings (names) of an update's ids."""
    default = (
        workflow_name(db, data["defaultWorkflowId"]) if data.get("defaultWorkflowId") else JIRA
    )
    types: dict[str, str] = {}
    for item in data.get("workflowsForIssueTypes") or []:
        require(isinstance(item, dict), 400, "The workflowsForIssueTypes are invalid.")
        name = workflow_name(db, item.get("workflowId"))
        types.update({check_type(db, t): name for t in item.get("issueTypeIds") or []})
    return default, types


def update_chooser(db: Store, data: dict[str, Any]) -> Chooser:
    by_override = overrides(data.get("statusMappingsByIssueTypeOverride"))
    by_workflows: dict[tuple[str, str], dict[str, str]] = {}
    for item in data.get("statusMappingsByWorkflows") or []:
        key = (str(item.get("oldWorkflowId")), str(item.get("newWorkflowId")))
        by_workflows[key] = {
            str(m["oldStatusId"]): str(m["newStatusId"]) for m in item.get("statusMappings") or []
        }

    def choose(type_id: str, before: str, after: str) -> dict[str, str]:
        ids = (workflow_meta(db, before)["id"], workflow_meta(db, after)["id"])
        return {**by_workflows.get(ids, {}), **by_override(type_id)}

    return choose


@route("/rest/api/3/workflowscheme/update", "POST")
async def update_with_mappings(request: Request) -> Response:
    data, db = await body_object(request), store(request)
    for field in ("id", "name", "version"):
        require(field in data, 400, f"The {field} must be provided.", field)
    doc = find_scheme(db, data["id"], 400)
    number = (data["version"] or {}).get("versionNumber")
    require(
        number == doc["version"],
        409,
        "The workflow scheme was changed since it was read: "
        f"version {number} is not the current version {doc['version']}.",
    )
    default, types = mappings_from(db, data)
    new = {
        **doc,
        "name": check_name(db, data["name"], doc["id"]),
        "description": str(data.get("description") or ""),
        "defaultWorkflow": default,
        "issueTypeMappings": types,
    }
    moves = plan_moves(db, users_of(db, doc["id"]), doc, new, update_chooser(db, data))
    if not moves:
        save_scheme(db, new)
        return ok({})

    def work() -> None:
        run_moves(db, moves)
        save_scheme(db, new)

    return tasks.submit(request, "Updating the workflow scheme", work)


@route("/rest/api/3/workflowscheme/update/mappings", "POST")
async def required_mappings(request: Request) -> Response:
    data, db = await body_object(request), store(request)
    require("id" in data, 400, "The id must be provided.", "id")
    doc = find_scheme(db, data["id"], 400)
    default, types = mappings_from(db, data)
    new = {**doc, "defaultWorkflow": default, "issueTypeMappings": types}
    used = sorted({t for p in users_of(db, doc["id"]) for t in project_type_ids(db, p)})
    pairs = {t: (workflow_of(doc, t), workflow_of(new, t)) for t in used}
    return ok(mapping_report(db, {t: p for t, p in pairs.items() if p[0] != p[1]}))


def mapping_report(db: Store, pairs: dict[str, tuple[str, str]]) -> dict[str, Any]:
    """The required-mappings response for issue types moving between workflows."""

    def gone(before: str, after: str) -> list[str]:
        kept = set(statuses_of(db, after))
        return [s for s in statuses_of(db, before) if s not in kept]

    workflows = list(dict.fromkeys(w for pair in pairs.values() for w in pair))
    ids = {w: workflow_meta(db, w)["id"] for w in workflows}
    statuses = list(dict.fromkeys(s for w in workflows for s in statuses_of(db, w)))
    return {
        "statusMappingsByIssueTypes": [
            {"issueTypeId": t, "statusIds": gone(*p)} for t, p in pairs.items() if gone(*p)
        ],
        "statusMappingsByWorkflows": [
            {"sourceWorkflowId": ids[b], "targetWorkflowId": ids[a], "statusIds": gone(b, a)}
            for b, a in dict.fromkeys(pairs.values())
            if gone(b, a)
        ],
        "statuses": [status_meta(db, s) for s in statuses],
        "statusesPerWorkflow": [
            {
                "workflowId": ids[w],
                "initialStatusId": initial_status(db, w),
                "statuses": statuses_of(db, w),
            }
            for w in workflows
        ],
    }


ROUTES = [
    read_schemes,
    update_with_mappings,
    required_mappings,
]


def seed_empty(db: Store) -> None:
    """Nothing: the schemes are seeded by ``workflowschemes``."""
