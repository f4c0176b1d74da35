"""Issues: create (one or in bulk), get, edit, delete, and the issue model the siblings share:
``issue_transitions`` (along the project's workflow), ``issue_comments``, ``issue_search`` (JQL
search: enhanced ``/search/jql``, approximate counts; the removed classic ``/search`` answers 410).
Beans are rendered by ``_issue_beans``.

Collections: ``issue`` (parent: project id) ``{id, key, num, projectId, issueTypeId, statusId,
priorityId, resolutionId, summary, description, labels, created, updated, fields: {customfield_N:
option id | [option ids] | {"id", "child"} | value}}``; ``issue_num`` (parent: project id)
``{id: "<projectId>-<num>", issueId}`` finds an issue by key; ``issue_comment`` (parent: issue id,
served by ``issue_comments``). JQL lives in ``jiracfg/sandbox/jql.py``.

Exported for other areas (the contract in ``routes/__init__.py``): ``count_issues``,
``retype_issues``, ``move_statuses``, ``delete_project_issues``, ``clear_option``.

Expected from other areas beyond that contract (optional until they exist):
``fields.field_options(store, field_id) -> list[{id, value, disabled?, optionId?, contextId}]``
(``optionId``: the parent of a cascading child), ``fields.context_for(store, field_id, project_id,
issue_type_id) -> doc | None`` (the context that applies), ``basics.all_priorities(store)``,
``basics.all_resolutions(store)``, ``issuetypes.all_issue_types(store)`` (see ``jql.py``).
"""

from __future__ import annotations

import re
import time
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from jiracfg.sandbox import jql
from jiracfg.sandbox.http import (
    ApiError,
    base,
    body_object,
    checked,
    no_content,
    ok,
    peer,
    require,
    route,
    side_effect,
    store,
)
from jiracfg.sandbox.jql import call, catalog, is_option_field, named, project_ref
from jiracfg.sandbox.routes._issue_beans import Renderer, wanted_fields
from jiracfg.sandbox.store import Doc, Store

ISSUES, NUMS, COMMENTS = "issue", "issue_num", "issue_comment"
SETTABLE = {"summary", "description", "priority", "labels"}
MULTI = ("multiselect", "multicheckboxes")
KEY = re.compile(r"^([A-Za-z][A-Za-z0-9_]*)-(\d+)$")
NOT_FOUND = "Issue does not exist or you do not have permission to see it."


def now() -> str:
    stamp = time.time()
    return (
        time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(stamp))
        + f".{int(stamp * 1000) % 1000:03d}+0000"
    )


# -- exported API ------------------------------------------------------------------------------
def issues_of(db: Store, project_id: Any = None) -> list[Doc]:
    return db.all(ISSUES, None if project_id is None else str(project_id))


def holds(doc: Doc, field_id: str, option_id: str | None) -> bool:
    held = jql.stored_ids((doc.get("fields") or {}).get(field_id))
    return bool(held) if option_id is None else option_id in held


def count_issues(
    db: Store,
    project_id: Any = None,
    issue_type_id: Any = None,
    status_id: Any = None,
    field_id: Any = None,
    option_id: Any = None,
    priority_id: Any = None,
    resolution_id: Any = None,
) -> int:
    """Issues matching every filter given (``field_id`` alone: issues with a value there)."""
    wanted = {
        "issueTypeId": issue_type_id,
        "statusId": status_id,
        "priorityId": priority_id,
        "resolutionId": resolution_id,
    }
    wanted = {k: str(v) for k, v in wanted.items() if v is not None}
    return sum(
        1
        for d in issues_of(db, project_id)
        if all(d.get(k) == v for k, v in wanted.items())
        and (field_id is None or holds(d, str(field_id), option_id and str(option_id)))
    )


def issue_matches(db: Store, issue_id: Any, text: str) -> bool:
    """Whether the issue matches ``text`` (a webhook's JQL filter; may be unbounded)."""
    doc = db.get(ISSUES, str(issue_id))
    return doc is not None and jql.compile_query(db, text, bounded=False).match(doc)


def update_where(db: Store, project_id: Any, change: Any) -> None:
    """Apply ``change(doc) -> bool`` (True: changed) to issues (of one project if given)."""
    with db.tx():
        for doc in issues_of(db, project_id):
            if change(doc):
                db.put(ISSUES, doc)


def retype_issues(db: Store, old_type_id: Any, new_type_id: Any) -> None:
    def change(doc: Doc) -> bool:
        hit = bool(doc["issueTypeId"] == str(old_type_id))
        doc["issueTypeId"] = str(new_type_id) if hit else doc["issueTypeId"]
        return hit

    update_where(db, None, change)


def move_statuses(db: Store, project_id: Any, issue_type_id: Any, mapping: dict[str, str]) -> None:
    """Move the project's issues (of one type, or all types when None) between statuses."""
    moves = {str(k): str(v) for k, v in mapping.items()}

    def change(doc: Doc) -> bool:
        hit = doc["statusId"] in moves and (
            issue_type_id is None or doc["issueTypeId"] == str(issue_type_id)
        )
        doc["statusId"] = moves[doc["statusId"]] if hit else doc["statusId"]
        return hit

    update_where(db, project_id, change)


def delete_project_issues(db: Store, project_id: Any) -> None:
    with db.tx():
        for doc in issues_of(db, project_id):
            db.delete_children(COMMENTS, doc["id"])
        db.delete_children(ISSUES, str(project_id))
        db.delete_children(NUMS, str(project_id))


def clear_option(db: Store, field_id: Any, option_id: Any, replacement_id: Any | None) -> None:
    """Replace (or drop) an option wherever issues hold it in ``field_id``."""
    old, new = str(option_id), None if replacement_id is None else str(replacement_id)

    def change(doc: Doc) -> bool:
        values = doc.get("fields") or {}
        if not holds(doc, str(field_id), old):
            return False
        values[str(field_id)] = replaced(values[str(field_id)], old, new)
        return True

    update_where(db, None, change)


def replaced(value: Any, old: str, new: str | None) -> Any:
    if isinstance(value, list):
        kept = [new if v == old else v for v in value if v != old or new is not None]
        return list(dict.fromkeys(kept))
    if isinstance(value, dict):
        if value["id"] == old:
            return None if new is None else {"id": new, "child": None}
        return {**value, "child": new}
    return new


# -- finding issues ----------------------------------------------------------------------------
def find_issue(db: Store, raw: str) -> Doc:
    """An issue by id or key (404 with Jira's message otherwise)."""
    doc = db.get(ISSUES, raw) if raw.isdigit() else by_key(db, raw)
    if doc is None:
        raise ApiError(404, NOT_FOUND)
    return doc


def by_key(db: Store, raw: str) -> Doc | None:
    found = KEY.match(raw)
    project = project_ref(db, found[1]) if found else None
    link = project and found and db.get(NUMS, f"{project['id']}-{int(found[2])}")
    return db.get(ISSUES, link["issueId"]) if link else None


# -- creating ----------------------------------------------------------------------------------
class FieldErrors(dict[str, str]):
    def raise_any(self) -> None:
        if self:
            raise ApiError(400, errors=dict(self))


def ref_of(raw: Any, *keys: str) -> str | None:
    """The first of ``keys`` present in a ``{id|key|name|value}`` reference, as text."""
    if not isinstance(raw, dict):
        return None
    found = next((raw[k] for k in keys if raw.get(k) not in (None, "")), None)
    return None if found is None else str(found)


def create_doc(db: Store, data: Any) -> Doc:
    """Validate a create request (``{fields: {...}}``) and store the issue; 400 on any error."""
    fields = data.get("fields") if isinstance(data, dict) else None
    require(isinstance(fields, dict), 400, "Issue must have fields set.")
    assert isinstance(fields, dict)
    errors = FieldErrors()
    project = project_ref(db, ref_of(fields.get("project"), "id", "key") or "")
    if project is None:
        errors["project"] = "Specify a valid project ID or key"
    type_id = issue_type_for(db, project, fields.get("issuetype"), errors)
    errors.raise_any()
    assert project is not None and type_id is not None
    doc: Doc = {
        "projectId": str(project["id"]),
        "issueTypeId": type_id,
        "resolutionId": None,
        "statusId": initial_status(db, str(project["id"]), type_id),
        "labels": [],
        "priorityId": str(call("basics", "default_priority_id", "3", db)),
        "fields": {},
    }
    apply_fields(
        db, doc, {k: v for k, v in fields.items() if k not in ("project", "issuetype")}, errors
    )
    if not doc.get("summary"):
        errors.setdefault("summary", "You must specify a summary of the issue.")
    errors.raise_any()
    return insert_issue(db, doc, str(project["key"]))


def issue_type_for(db: Store, project: Doc | None, raw: Any, errors: FieldErrors) -> str | None:
    wanted = ref_of(raw, "id", "name")
    if wanted is None:
        errors["issuetype"] = "Specify an issue type"
        return None
    if project is None:
        return None
    types = call("issuetypes", "issue_types_of_project", [], db, project["id"])
    ids = named(types, wanted)
    if not ids:
        errors["issuetype"] = "Specify a valid issue type"
        return None
    return str(ids[0])


def initial_status(db: Store, project_id: str, type_id: str) -> str:
    workflow = call("workflowschemes", "workflow_name_for", None, db, project_id, type_id)
    if workflow is None:
        return "10000"
    return str(call("workflows", "initial_status_id", "10000", db, workflow))


def insert_issue(db: Store, doc: Doc, project_key: str) -> Doc:
    with db.tx():
        num = db.next_id(f"issue_num:{doc['projectId']}", 1)
        stamp = now()
        doc.update(key=f"{project_key}-{num}", num=num, created=stamp, updated=stamp)
        db.insert(ISSUES, doc, parent=doc["projectId"])
        db.insert(
            NUMS, {"id": f"{doc['projectId']}-{num}", "issueId": doc["id"]}, parent=doc["projectId"]
        )
    return doc


def apply_fields(db: Store, doc: Doc, fields: dict[str, Any], errors: FieldErrors) -> None:
    """Set each field on ``doc``; problems go to ``errors`` under the field's id."""
    for name, raw in fields.items():
        try:
            set_field(db, doc, name, raw)
        except ValueError as exc:
            errors[name] = str(exc)


def set_field(db: Store, doc: Doc, name: str, raw: Any) -> None:
    if name == "summary":
        text = str(raw or "").strip()
        if len(text) > 255:
            raise ValueError("Summary must be less than 255 characters.")
        doc["summary"] = text
    elif name == "description":
        if raw is not None and not (isinstance(raw, dict) and raw.get("type") == "doc"):
            raise ValueError(
                "Operation value must be an Atlassian Document (see the Atlassian Document Format)"
            )
        doc["description"] = raw
    elif name == "priority":
        doc["priorityId"] = reference(db, "priority", raw, "Priority")
    elif name == "labels":
        if not isinstance(raw, list) or any(not isinstance(v, str) or " " in v for v in raw):
            raise ValueError("The labels must be a list of words without spaces.")
        doc["labels"] = list(dict.fromkeys(raw))
    elif name.startswith("customfield_"):
        doc["fields"][name] = custom_value(db, doc, name, raw)
    else:
        raise ValueError(
            f"Field '{name}' cannot be set. It is not on the appropriate screen, or unknown."
        )


def reference(db: Store, kind: str, raw: Any, label: str) -> str:
    """A priority or resolution id from ``{id}`` or ``{name}``."""
    wanted = ref_of(raw, "id", "name")
    ids = named(catalog(db, kind), wanted) if wanted else []
    if not ids:
        raise ValueError(f"Specify a valid 'id' or 'name' for {label}")
    return str(ids[0])


# -- custom field values -----------------------------------------------------------------------
def custom_value(db: Store, doc: Doc, field_id: str, raw: Any) -> Any:
    field = call("fields", "get_field", None, db, field_id)
    if field is None:
        raise ValueError(
            f"Field '{field_id}' cannot be set. It is not on the appropriate screen, or unknown."
        )
    if raw is None or not is_option_field(field):
        return raw
    options = allowed_options(db, field_id, doc["projectId"], doc["issueTypeId"])
    kind = str(field["schema"]["custom"]).rsplit(":", 1)[-1]
    if kind in MULTI:
        if not isinstance(raw, list):
            raise ValueError("Operation value must be an array of options")
        return [option_id(o, roots(options)) for o in raw]
    if kind == "cascadingselect":
        return cascade(raw, options)
    return option_id(raw, roots(options))


def allowed_options(db: Store, field_id: str, project_id: str, type_id: str) -> list[Doc]:
    """The enabled options of the field's context for this project and issue type."""
    context = call("fields", "context_for", None, db, field_id, project_id, type_id)
    if context is None:
        raise ValueError(
            f"Field '{field_id}' cannot be set. It is not on the appropriate screen, or unknown."
        )
    return [
        o
        for o in jql.field_options(db, field_id)
        if str(o.get("contextId")) == str(context["id"]) and not o.get("disabled")
    ]


def roots(options: list[Doc]) -> list[Doc]:
    return [o for o in options if not o.get("optionId")]


def option_id(raw: Any, options: list[Doc]) -> str:
    by_id, by_value = ref_of(raw, "id"), ref_of(raw, "value")
    if by_id is not None:
        if not any(str(o["id"]) == by_id for o in options):
            raise ValueError(f"Option id '{by_id}' is not valid")
        return by_id
    if by_value is None:
        raise ValueError("Could not find valid 'id' or 'value' in the Parent Option object.")
    found = [str(o["id"]) for o in options if str(o["value"]) == by_value]
    if not found:
        raise ValueError(f"Option value '{by_value}' is not valid")
    return found[0]


def cascade(raw: Any, options: list[Doc]) -> dict[str, Any]:
    parent = option_id(raw, roots(options))
    child = raw.get("child") if isinstance(raw, dict) else None
    children = [o for o in options if str(o.get("optionId") or "") == parent]
    return {"id": parent, "child": None if child is None else option_id(child, children)}


def created_bean(request: Request, doc: Doc) -> dict[str, Any]:
    return {
        "id": doc["id"],
        "key": doc["key"],
        "self": f"{base(request)}/rest/api/3/issue/{doc['id']}",
    }


def notify(request: Request, event: str, kind: str, doc: Doc) -> None:
    """Tell the webhooks area what Jira would send for ``event`` on the issue."""
    deliver = peer("webhooks", "deliver")
    if deliver is not None:
        side_effect(
            f"webhooks for {event}",
            deliver,
            store(request),
            event,
            {
                "issue_event_type_name": kind,
                "user": {"accountId": request.state.account_id},
                "issue": Renderer(request, [], "*all").bean(doc),
            },
        )


def created(request: Request, data: Any) -> dict[str, Any]:
    doc = create_doc(store(request), data)
    notify(request, "jira:issue_created", "issue_created", doc)
    return created_bean(request, doc)


# -- issue routes ------------------------------------------------------------------------------
@route("/rest/api/3/issue", "POST")
async def create_issue(request: Request) -> Response:
    return ok(created(request, await body_object(request)), 201)


@route("/rest/api/3/issue/bulk", "POST")
async def create_issues(request: Request) -> Response:
    data = await body_object(request)
    updates = data.get("issueUpdates")
    if not isinstance(updates, list) or not updates:
        raise ApiError(400, "Issue updates must be provided.")
    require(len(updates) <= 50, 400, "The number of issues to create must not exceed 50.")
    made, failed = [], []
    for index, update in enumerate(updates):
        try:
            made.append(created(request, update))
        except ApiError as exc:
            failed.append(
                {
                    "status": exc.status,
                    "failedElementNumber": index,
                    "elementErrors": {"errorMessages": exc.messages, "errors": exc.errors},
                }
            )
    return ok({"issues": made, "errors": failed}, 201 if made else 400)


@route("/rest/api/3/issue/{key}")
async def get_issue(request: Request) -> Response:
    doc = find_issue(store(request), request.path_params["key"])
    return ok(Renderer(request, wanted_fields(request), "*all").bean(doc))


@route("/rest/api/3/issue/{key}", "PUT")
async def edit_issue(request: Request) -> Response:
    shape = {"fields": dict, "update": {}}
    data, db = await body_object(request, shape), store(request)
    checked(data.get("update") or {}, {name: [dict] for name in data.get("update") or {}})
    doc = find_issue(db, request.path_params["key"])
    errors = FieldErrors()
    apply_fields(db, doc, dict(data.get("fields") or {}), errors)
    apply_updates(db, doc, data.get("update") or {}, errors)
    if not doc.get("summary"):
        errors.setdefault("summary", "You must specify a summary of the issue.")
    errors.raise_any()
    doc["updated"] = now()
    db.put(ISSUES, doc)
    notify(request, "jira:issue_updated", "issue_updated", doc)
    if request.query_params.get("returnIssue") == "true":
        return ok(Renderer(request, [], "*all").bean(doc))
    return no_content()


def apply_updates(db: Store, doc: Doc, update: dict[str, Any], errors: FieldErrors) -> None:
    """``update: {field: [{set|add|remove: value}]}`` (add/remove for labels only)."""
    for name, operations in update.items():
        for operation in operations if isinstance(operations, list) else []:
            verb, value = next(iter(operation.items()), ("", None))
            if verb == "set":
                apply_fields(db, doc, {name: value}, errors)
            elif name == "labels" and verb in ("add", "remove"):
                labels = [v for v in doc["labels"] if v != value]
                doc["labels"] = [*labels, value] if verb == "add" else labels
            else:
                errors[name] = f"Field '{name}' does not support the '{verb}' operation."


@route("/rest/api/3/issue/{key}", "DELETE")
async def delete_issue(request: Request) -> Response:
    db = store(request)
    doc = find_issue(db, request.path_params["key"])
    notify(request, "jira:issue_deleted", "issue_deleted", doc)
    with db.tx():
        db.delete(ISSUES, doc["id"])
        db.delete(NUMS, f"{doc['projectId']}-{doc['num']}")
        db.delete_children(COMMENTS, doc["id"])
    return no_content()


ROUTES = [create_issue, create_issues, get_issue, edit_issue, delete_issue]


def seed_empty(db: Store) -> None:
    """A new site has no issues."""
