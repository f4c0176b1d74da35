"""Workflow schemes: CRUD and the default / issue type / workflow sub-resources (of a scheme or,
with ``updateDraftIfNeeded``, of its draft), and the status migrations that publishing, updating
and switching share.

Collections: ``workflow_scheme`` ``{id, name, description, defaultWorkflow, issueTypeMappings:
{issueTypeId: workflowName}, version, versionId}``; ``workflow_scheme_draft`` (id: its scheme's
id) ``{id, name, description, defaultWorkflow, issueTypeMappings, lastModified}``;
``workflow_scheme_project`` ``{id: projectId, schemeId}``. A project without an association uses
the *Default Workflow Scheme*, which (as in Jira) has no id, maps every issue type to ``jira`` and
can be neither edited nor deleted.

A scheme used by a project is active: Jira refuses to edit it in place (use a draft:
``updateDraftIfNeeded``) or to delete it. Publishing a draft, ``POST /workflowscheme/update`` and
switching a project's scheme move issues out of statuses their new workflow lacks; each such
status with issues needs a mapping (400 otherwise), and the move runs as an async task. The
sibling modules serve the rest of the area: ``workflowscheme_drafts`` (drafts and publish),
``workflowscheme_updates`` (read, update with mappings, required mappings) and
``workflowscheme_projects`` (project association, switch, project usages).

Exported (contract in ``routes/__init__.py``, plus ``get_workflow_scheme`` for projects):
``workflow_scheme_of_project``, ``workflow_name_for``, ``assign_workflow_scheme``,
``workflow_in_use``, ``forget_project``, ``forget_issue_type``. Expected from other areas
(optional until they exist): ``workflows.workflow_by_name``, ``get_workflow``,
``workflow_status_ids``, ``initial_status_id``;
``statuses.get_status``, ``status_category_of``; ``issues.count_issues``, ``move_statuses``;
``projects.get_project``; ``issuetypes.issue_types_of_project``.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from jiracfg.sandbox.http import (
    ApiError,
    base,
    body_object,
    bool_param,
    checked_name,
    name_taken,
    no_content,
    ok,
    page,
    peer,
    require,
    route,
    same_name,
    store,
)
from jiracfg.sandbox.routes._common import (
    count_issues,
)
from jiracfg.sandbox.routes.issuetypes import get_issue_type, issue_types_of_project
from jiracfg.sandbox.store import Doc, Store

SCHEMES, DRAFTS, LINKS = "workflow_scheme", "workflow_scheme_draft", "workflow_scheme_project"
JIRA = "jira"
JIRA_STATUSES = ["1", "3", "4", "5", "6"]  # the system workflow's, until workflows answers
DEFAULT_SCHEME: Doc = {
    "name": "Default Workflow Scheme",
    "description": "Default Workflow Scheme",
    "defaultWorkflow": JIRA,
    "issueTypeMappings": {},
}
Moves = list[tuple[str, str, dict[str, str]]]  # (project id, issue type id, {old: new status})
Chooser = Callable[[str, str, str], dict[str, str]]  # (type, old wf, new wf) -> {old: new}


# -- other areas -------------------------------------------------------------------------------
def find_workflow(db: Store, name: str) -> Doc | None:
    fn = peer("workflows", "workflow_by_name")
    if fn is not None:
        found: Doc | None = fn(db, name)
        return found
    return {"id": JIRA, "name": JIRA, "description": ""} if name == JIRA else None


def statuses_of(db: Store, workflow: str) -> list[str]:
    fn = peer("workflows", "workflow_status_ids")
    return [str(s) for s in fn(db, workflow)] if fn else list(JIRA_STATUSES)


def move_statuses(db: Store, project_id: str, type_id: str, mapping: dict[str, str]) -> None:
    fn = peer("issues", "move_statuses")
    if fn is not None:
        fn(db, project_id, type_id, mapping)


def project_type_ids(db: Store, project_id: str) -> list[str]:
    return [str(t["id"]) for t in issue_types_of_project(db, project_id)]


# -- exported API ------------------------------------------------------------------------------
def get_workflow_scheme(db: Store, scheme_id: Any) -> Doc | None:
    return db.get(SCHEMES, str(scheme_id))


def workflow_scheme_of_project(db: Store, project_id: Any) -> Doc:
    link = db.get(LINKS, str(project_id))
    scheme = db.get(SCHEMES, link["schemeId"]) if link else None
    return scheme or dict(DEFAULT_SCHEME)


def workflow_of(scheme: Doc, type_id: str) -> str:
    return str(scheme["issueTypeMappings"].get(type_id, scheme["defaultWorkflow"]))


def workflow_name_for(db: Store, project_id: Any, issue_type_id: Any) -> str:
    return workflow_of(workflow_scheme_of_project(db, project_id), str(issue_type_id))


def assign_workflow_scheme(db: Store, project_id: Any, scheme_id: Any | None) -> None:
    with db.tx():
        db.delete(LINKS, str(project_id))
        if scheme_id is not None:
            db.insert(LINKS, {"id": str(project_id), "schemeId": str(scheme_id)})


def workflow_in_use(db: Store, workflow_name: str) -> bool:
    def uses(doc: Doc) -> bool:
        return workflow_name in (doc["defaultWorkflow"], *doc["issueTypeMappings"].values())

    return workflow_name == JIRA or any(uses(d) for c in (SCHEMES, DRAFTS) for d in db.all(c))


def forget_project(db: Store, project_id: Any) -> None:
    db.delete(LINKS, str(project_id))


def forget_issue_type(db: Store, type_id: Any) -> None:
    with db.tx():
        for coll in (SCHEMES, DRAFTS):
            for doc in db.find(coll, lambda d: str(type_id) in d["issueTypeMappings"]):
                del doc["issueTypeMappings"][str(type_id)]
                db.put(coll, doc)


# -- beans -------------------------------------------------------------------------------------
def scheme_bean(request: Request, doc: Doc) -> dict[str, Any]:
    bean: dict[str, Any] = {
        "name": doc["name"],
        "defaultWorkflow": doc["defaultWorkflow"],
        "issueTypeMappings": dict(doc["issueTypeMappings"]),
        "draft": False,
    }
    if doc.get("id"):
        url = f"{base(request)}/rest/api/3/workflowscheme/{doc['id']}"
        bean.update(id=int(doc["id"]), self=url)
    if doc.get("description"):
        bean["description"] = doc["description"]
    return bean


def draft_bean(request: Request, draft: Doc, scheme: Doc) -> dict[str, Any]:
    bean = scheme_bean(request, draft)
    bean.update(
        draft=True,
        self=f"{bean['self']}/draft",
        lastModified=draft["lastModified"],
        originalDefaultWorkflow=scheme["defaultWorkflow"],
        originalIssueTypeMappings=dict(scheme["issueTypeMappings"]),
    )
    return bean


# -- lookups and validation --------------------------------------------------------------------
def find_scheme(db: Store, raw: Any, status: int = 404) -> Doc:
    doc = db.get(SCHEMES, str(raw)) if str(raw).isdigit() else None
    if doc is None:
        raise ApiError(status, "The workflow scheme was not found.")
    return doc


def scheme_of(request: Request) -> Doc:
    return find_scheme(store(request), request.path_params["id"])


def find_draft(db: Store, scheme: Doc) -> Doc:
    draft = db.get(DRAFTS, scheme["id"])
    if draft is None:
        raise ApiError(404, "Draft workflow scheme was not found.")
    return draft


def users_of(db: Store, scheme_id: str) -> list[str]:
    return [link["id"] for link in db.all(LINKS) if link["schemeId"] == scheme_id]


def is_active(db: Store, scheme_id: str) -> bool:
    return db.first(LINKS, lambda link: link["schemeId"] == scheme_id) is not None


def check_name(db: Store, name: Any, own_id: str | None = None) -> str:
    checked = checked_name(
        name,
        "The name of the workflow scheme is required.",
        "The name can't exceed 255 characters.",
    )
    clash = same_name(checked, DEFAULT_SCHEME["name"]) or name_taken(db, SCHEMES, checked, own_id)
    require(not clash, 400, f"A workflow scheme with the name '{name}' already exists.", "name")
    return checked


def check_workflow(db: Store, name: Any, status: int = 400) -> str:
    """The workflow's name as Jira spells it (names are matched case-insensitively)."""
    found = find_workflow(db, name) if isinstance(name, str) else None
    if found is None:
        raise ApiError(status, f"The workflow '{name}' was not found.")
    return str(found["name"])


def check_type(db: Store, type_id: Any) -> str:
    if get_issue_type(db, type_id) is None:
        raise ApiError(404, f"The issue type with ID '{type_id}' was not found.")
    return str(type_id)


def check_mappings(db: Store, raw: Any) -> dict[str, str]:
    require(
        isinstance(raw, dict), 400, "The issueTypeMappings must be an object.", "issueTypeMappings"
    )
    missing = [t for t in raw if get_issue_type(db, t) is None]
    require(
        not missing,
        400,
        f"The issue types with these IDs were not found: {', '.join(missing)}.",
        "issueTypeMappings",
    )
    return {str(t): check_workflow(db, w) for t, w in raw.items()}


def apply_body(db: Store, doc: Doc, data: dict[str, Any]) -> Doc:
    """``doc`` with a WorkflowScheme body's fields applied (mappings replace the old ones)."""
    if "name" in data:
        doc["name"] = check_name(db, data["name"], doc.get("id"))
    if "description" in data:
        doc["description"] = str(data["description"] or "")
    if "defaultWorkflow" in data:
        doc["defaultWorkflow"] = check_workflow(db, data["defaultWorkflow"] or JIRA)
    if "issueTypeMappings" in data:
        doc["issueTypeMappings"] = check_mappings(db, data["issueTypeMappings"] or {})
    return doc


# -- writes: direct, or to the draft of an active scheme ---------------------------------------
def save_scheme(db: Store, doc: Doc) -> Doc:
    doc.update(version=doc["version"] + 1, versionId=str(uuid.uuid4()))
    return db.put(SCHEMES, doc)


def new_draft(db: Store, scheme: Doc) -> Doc:
    fields = ("id", "name", "description", "defaultWorkflow", "issueTypeMappings")
    return db.insert(DRAFTS, {**{f: scheme[f] for f in fields}, "lastModified": now_text()})


def now_text() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S.000+0000", time.gmtime())


def edit(request: Request, doc: Doc, change: Callable[[Doc], Any], to_draft: bool) -> Response:
    """Apply ``change`` to the scheme, or to its draft when it is active (if allowed)."""
    db = store(request)
    with db.tx():
        if not is_active(db, doc["id"]):
            change(doc)
            return ok(scheme_bean(request, save_scheme(db, doc)))
        require(
            to_draft,
            400,
            "The workflow scheme is active and can't be edited. Set "
            "updateDraftIfNeeded to true to create or update its draft instead.",
        )
        draft = db.get(DRAFTS, doc["id"]) or new_draft(db, doc)
        return ok(draft_bean(request, save_draft(db, draft, change), doc))


def save_draft(db: Store, draft: Doc, change: Callable[[Doc], Any]) -> Doc:
    change(draft)
    draft["lastModified"] = now_text()
    return db.put(DRAFTS, draft)


def edit_draft(request: Request, change: Callable[[Doc], Any]) -> Response:
    db, scheme = store(request), scheme_of(request)
    with db.tx():
        draft = save_draft(db, find_draft(db, scheme), change)
    return ok(draft_bean(request, draft, scheme))


def to_draft_param(request: Request) -> bool:
    return bool_param(request, "updateDraftIfNeeded")


def shown(request: Request, scheme: Doc) -> Doc:
    """The scheme, or its draft if ``returnDraftIfExists`` asks for it and one exists."""
    draft = store(request).get(DRAFTS, scheme["id"])
    return draft if draft and bool_param(request, "returnDraftIfExists") else scheme


# -- schemes -----------------------------------------------------------------------------------
@route("/rest/api/3/workflowscheme")
async def list_schemes(request: Request) -> Response:
    docs = store(request).all(SCHEMES)
    return ok(page(request, [scheme_bean(request, d) for d in docs]))


@route("/rest/api/3/workflowscheme", "POST")
async def create_scheme(request: Request) -> Response:
    data, db = await body_object(request), store(request)
    require("name" in data, 400, "The name of the workflow scheme is required.", "name")
    doc = apply_body(
        db, {"description": "", "defaultWorkflow": JIRA, "issueTypeMappings": {}}, data
    )
    doc = db.insert(SCHEMES, {**doc, "version": 1, "versionId": str(uuid.uuid4())})
    return ok(scheme_bean(request, doc), 201)


@route("/rest/api/3/workflowscheme/{id}")
async def get_scheme(request: Request) -> Response:
    scheme = scheme_of(request)
    doc = shown(request, scheme)
    return ok(draft_bean(request, doc, scheme) if doc is not scheme else scheme_bean(request, doc))


@route("/rest/api/3/workflowscheme/{id}", "PUT")
async def update_scheme(request: Request) -> Response:
    data, db = await body_object(request), store(request)
    doc = scheme_of(request)
    return edit(
        request, doc, lambda d: apply_body(db, d, data), bool(data.get("updateDraftIfNeeded"))
    )


@route("/rest/api/3/workflowscheme/{id}", "DELETE")
async def delete_scheme(request: Request) -> Response:
    db, doc = store(request), scheme_of(request)
    require(not is_active(db, doc["id"]), 400, "Cannot delete an active workflow scheme.")
    with db.tx():
        db.delete(DRAFTS, doc["id"])
        db.delete(SCHEMES, doc["id"])
    return no_content()


# -- default / issue type / workflow sub-resources (scheme and draft) --------------------------
def set_default(db: Store, workflow: Any) -> Callable[[Doc], None]:
    name = check_workflow(db, workflow)
    return lambda d: d.update(defaultWorkflow=name)


def set_type(db: Store, type_id: str, workflow: Any) -> Callable[[Doc], None]:
    name = check_workflow(db, workflow)
    return lambda d: d["issueTypeMappings"].update({type_id: name})


def drop_type(type_id: str) -> Callable[[Doc], None]:
    return lambda d: d["issueTypeMappings"].pop(type_id, None)


@route("/rest/api/3/workflowscheme/{id}/default")
async def get_default(request: Request) -> Response:
    return ok({"workflow": shown(request, scheme_of(request))["defaultWorkflow"]})


@route("/rest/api/3/workflowscheme/{id}/default", "PUT")
async def put_default(request: Request) -> Response:
    data, doc = await body_object(request), scheme_of(request)
    change = set_default(store(request), data.get("workflow"))
    return edit(request, doc, change, bool(data.get("updateDraftIfNeeded")))


@route("/rest/api/3/workflowscheme/{id}/default", "DELETE")
async def reset_default(request: Request) -> Response:
    change = set_default(store(request), JIRA)
    return edit(request, scheme_of(request), change, to_draft_param(request))


@route("/rest/api/3/workflowscheme/{id}/issuetype/{issueType}")
async def get_type_mapping(request: Request) -> Response:
    doc, type_id = scheme_of(request), request.path_params["issueType"]
    check_type(store(request), type_id)
    return ok({"issueType": type_id, "workflow": workflow_of(shown(request, doc), type_id)})


@route("/rest/api/3/workflowscheme/{id}/issuetype/{issueType}", "PUT")
async def put_type_mapping(request: Request) -> Response:
    data, db, doc = await body_object(request), store(request), scheme_of(request)
    type_id = check_type(db, request.path_params["issueType"])
    change = set_type(db, type_id, data.get("workflow"))
    return edit(request, doc, change, bool(data.get("updateDraftIfNeeded")))


@route("/rest/api/3/workflowscheme/{id}/issuetype/{issueType}", "DELETE")
async def delete_type_mapping(request: Request) -> Response:
    doc, type_id = scheme_of(request), request.path_params["issueType"]
    check_type(store(request), type_id)
    return edit(request, doc, drop_type(type_id), to_draft_param(request))


def workflow_mapping(doc: Doc, name: str) -> dict[str, Any]:
    types = [t for t, w in doc["issueTypeMappings"].items() if w == name]
    return {"workflow": name, "issueTypes": types, "defaultMapping": doc["defaultWorkflow"] == name}


def workflow_mappings(request: Request, doc: Doc) -> Response:
    """One workflow's mapping (``workflowName``), else every workflow's (an array)."""
    name = request.query_params.get("workflowName")
    used = [doc["defaultWorkflow"], *doc["issueTypeMappings"].values()]
    if name is None:
        return ok([workflow_mapping(doc, w) for w in dict.fromkeys(used)])
    require(name in used, 404, f"The workflow '{name}' is not used by the workflow scheme.")
    return ok(workflow_mapping(doc, name))


def map_workflow(db: Store, name: str | None, data: dict[str, Any]) -> Callable[[Doc], None]:
    """Change: ``name`` serves exactly ``issueTypes`` (and the default if ``defaultMapping``)."""
    require(bool(name), 404, "The workflow name must be specified.")
    workflow = check_workflow(db, name, 404)
    types = [check_type(db, t) for t in data.get("issueTypes") or []]

    def change(doc: Doc) -> None:
        kept = {t: w for t, w in doc["issueTypeMappings"].items() if w != workflow}
        doc["issueTypeMappings"] = {**kept, **dict.fromkeys(types, workflow)}
        if data.get("defaultMapping"):
            doc["defaultWorkflow"] = workflow

    return change


def unmap_workflow(db: Store, name: str | None) -> Callable[[Doc], None]:
    require(bool(name), 404, "The workflow name must be specified.")
    workflow = check_workflow(db, name, 404)

    def change(doc: Doc) -> None:
        doc["issueTypeMappings"] = {
            t: w for t, w in doc["issueTypeMappings"].items() if w != workflow
        }
        if doc["defaultWorkflow"] == workflow:
            doc["defaultWorkflow"] = JIRA

    return change


@route("/rest/api/3/workflowscheme/{id}/workflow")
async def get_workflow_mapping(request: Request) -> Response:
    return workflow_mappings(request, scheme_of(request))


@route("/rest/api/3/workflowscheme/{id}/workflow", "PUT")
async def put_workflow_mapping(request: Request) -> Response:
    data, db, doc = await body_object(request), store(request), scheme_of(request)
    change = map_workflow(db, request.query_params.get("workflowName"), data)
    return edit(request, doc, change, bool(data.get("updateDraftIfNeeded")))


@route("/rest/api/3/workflowscheme/{id}/workflow", "DELETE")
async def delete_workflow_mapping(request: Request) -> Response:
    db, doc = store(request), scheme_of(request)
    change = unmap_workflow(db, request.query_params.get("workflowName"))
    edit(request, doc, change, to_draft_param(request))
    return Response(status_code=200)


# -- status migrations -------------------------------------------------------------------------
def by_type(items: list[Any], old_key: str) -> Callable[[str], dict[str, str]]:
    """``[{issueTypeId, <old_key>, newStatusId}]`` as a lookup: issue type -> {old: new}."""
    table: dict[str, dict[str, str]] = {}
    for item in items:
        require(
            isinstance(item, dict) and {"issueTypeId", old_key, "newStatusId"} <= set(item),
            400,
            f"Each status mapping needs issueTypeId, {old_key} and newStatusId.",
        )
        table.setdefault(str(item["issueTypeId"]), {})[str(item[old_key])] = str(
            item["newStatusId"]
        )
    return lambda type_id: table.get(type_id, {})


def overrides(raw: Any) -> Callable[[str], dict[str, str]]:
    """``[{issueTypeId, statusMappings: [{oldStatusId, newStatusId}]}]`` as a lookup."""
    flat = [
        {"issueTypeId": o.get("issueTypeId"), **m}
        for o in raw or []
        if isinstance(o, dict)
        for m in o.get("statusMappings") or []
    ]
    return by_type(flat, "oldStatusId")


def plan_moves(db: Store, projects: list[str], old: Doc, new: Doc, given: Chooser) -> Moves:
    """Where issues of ``projects`` go when they leave scheme ``old`` for ``new``; 400 when a
    status with issues that the new workflow lacks has no mapping, or a mapping's target is not
    in the new workflow."""
    moves: Moves = []
    missing: dict[str, list[str]] = {}
    for project_id in projects:
        for type_id in project_type_ids(db, project_id):
            before, after = workflow_of(old, type_id), workflow_of(new, type_id)
            if before != after:
                mapping = checked_mapping(db, given(type_id, before, after), after)
                gone = stranded(db, project_id, type_id, before, after)
                missing.setdefault(type_id, []).extend(s for s in gone if s not in mapping)
                moves.append((project_id, type_id, {s: mapping[s] for s in gone if s in mapping}))
    require(
        not any(missing.values()),
        400,
        " ".join(
            f"Issue type with ID '{t}' is missing the mappings required for statuses with IDs "
            f"{', '.join(dict.fromkeys(ids))}."
            for t, ids in missing.items()
            if ids
        ),
    )
    return moves


def stranded(db: Store, project_id: str, type_id: str, before: str, after: str) -> list[str]:
    """Statuses of ``before`` that ``after`` lacks and that the project's issues of the type
    are in."""
    kept = set(statuses_of(db, after))
    return [
        s
        for s in statuses_of(db, before)
        if s not in kept
        and count_issues(db, project_id=project_id, issue_type_id=type_id, status_id=s)
    ]


def checked_mapping(db: Store, mapping: dict[str, str], workflow: str) -> dict[str, str]:
    targets = set(statuses_of(db, workflow))
    wrong = sorted({n for n in mapping.values() if n not in targets})
    require(
        not wrong,
        400,
        f"The statuses with IDs {', '.join(wrong)} are not in the workflow '{workflow}'.",
    )
    return mapping


def run_moves(db: Store, moves: Moves) -> None:
    for project_id, type_id, mapping in moves:
        if mapping:
            move_statuses(db, project_id, type_id, mapping)


ROUTES = [
    list_schemes,
    create_scheme,
    get_scheme,
    update_scheme,
    delete_scheme,
    get_default,
    put_default,
    reset_default,
    get_type_mapping,
    put_type_mapping,
    delete_type_mapping,
    get_workflow_mapping,
    put_workflow_mapping,
    delete_workflow_mapping,
]


def seed_empty(db: Store) -> None:
    """A new site has only the Default Workflow Scheme, which has no id and is not stored."""
