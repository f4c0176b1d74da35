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

import copy
import re
from collections.abc import Callable
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
from jiracfg.sandbox.jql import call, catalog, named, project_ref
from jiracfg.sandbox.routes import _issue_history as history
from jiracfg.sandbox.routes import _issue_values as values
from jiracfg.sandbox.routes._entity_properties import put_properties
from jiracfg.sandbox.routes._issue_beans import Renderer, wanted_fields
from jiracfg.sandbox.routes._issue_history import now
from jiracfg.sandbox.routes._issue_values import ref_of
from jiracfg.sandbox.routes._workflow_rules import has_permission
from jiracfg.sandbox.store import Doc, Store

ISSUES, NUMS, COMMENTS, CHILDREN = "issue", "issue_num", "issue_comment", "issue_child"
SETTABLE = {"summary", "description", "priority", "labels"}
KEY = re.compile(r"^([A-Za-z][A-Za-z0-9_]*)-(\d+)$")
NOT_FOUND = "Issue does not exist or you do not have permission to see it."


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
            drop_issue(db, doc)


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


def issue_and_child(request: Request, coll: str, param: str, missing: str) -> tuple[Doc, Doc]:
    """The issue in the path and its ``coll`` child named by path parameter ``param`` (404 with
    ``missing`` + the id when the issue does not hold it)."""
    db = store(request)
    issue = find_issue(db, request.path_params["key"])
    child_id = request.path_params[param]
    doc = db.get(coll, child_id)
    if doc is None or doc.get("issueId") != issue["id"]:
        raise ApiError(404, f"{missing}{child_id}.")
    return issue, doc


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


def create_doc(db: Store, data: Any, caller: str) -> Doc:
    """Validate a create request (``{fields: {...}}``) and store the issue; 400 on any error."""
    fields = data.get("fields") if isinstance(data, dict) else None
    require(isinstance(fields, dict), 400, "Issue must have fields set.")
    assert isinstance(fields, dict)
    errors = FieldErrors()
    project = project_ref(db, ref_of(fields.get("project"), "id", "key") or "")
    if project is None:
        errors["project"] = "Specify a valid project ID or key"
    elif not may_create(db, str(project["id"]), caller):
        errors["project"] = NO_CREATE
    type_id = issue_type_for(db, project, fields.get("issuetype"), errors)
    errors.raise_any()
    assert project is not None and type_id is not None
    doc = new_doc(db, str(project["id"]), type_id, caller)
    given = {k: v for k, v in fields.items() if k not in ("project", "issuetype")}
    screen = Screen(db, doc, "create")
    apply_fields(db, doc, given, errors, screen)
    check_parent(db, doc, errors)
    screen.check_required(doc, errors)
    errors.raise_any()
    return insert_issue(db, doc, str(project["key"]))


NO_CREATE = "You do not have permission to create issues in this project."
NO_DELETE = "You do not have permission to delete issues in this project."


def may_create(db: Store, project_id: str, caller: str) -> bool:
    """*Create issues* in the project, as its permission scheme grants it (to the reporter:
    the caller, who reports what it creates)."""
    doc = {"projectId": project_id, "fields": {"reporter": caller}}
    return has_permission(db, doc, "CREATE_ISSUES", caller)


def may_delete(db: Store, doc: Doc, caller: str) -> bool:
    return has_permission(db, doc, "DELETE_ISSUES", caller)


def new_doc(db: Store, project_id: str, type_id: str, caller: str) -> Doc:
    return {
        "projectId": project_id,
        "issueTypeId": type_id,
        "resolutionId": None,
        "statusId": initial_status(db, project_id, type_id),
        "labels": [],
        "priorityId": default_priority(db, project_id),
        "creator": caller,
        "fields": {"reporter": caller},
    }


def default_priority(db: Store, project_id: str) -> str:
    """The default of the project's priority scheme (the site's default priority without one)."""
    _, default = call("priorityschemes", "project_priorities", ([], None), db, project_id)
    return str(default or call("basics", "default_priority_id", "3", db))


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
    """Store a new issue under the project's next number (a counter: numbers of deleted issues
    are never given again)."""
    with db.tx():
        num = db.next_id(f"issue_num:{doc['projectId']}", 1)
        stamp = now()
        doc.update(key=f"{project_key}-{num}", num=num, created=stamp, updated=stamp)
        call("agile", "initial_rank", None, db, doc)
        db.insert(ISSUES, doc, parent=doc["projectId"])
        link_parent(db, doc)
        db.insert(
            NUMS, {"id": f"{doc['projectId']}-{num}", "issueId": doc["id"]}, parent=doc["projectId"]
        )
    return doc


class Screen:
    """The fields an operation (create, edit, or a transition's screen) may set on an issue: the
    screen's fields that the issue's field configuration does not hide. ``screen_id`` None: no
    screen limits the operation (``overrideScreenSecurity``)."""

    def __init__(self, db: Store, doc: Doc, operation: str, screen_id: str | None = "") -> None:
        self.db = db
        if screen_id == "":
            screen_id = call(
                "screens",
                "screen_for_issue",
                None,
                db,
                doc["projectId"],
                doc["issueTypeId"],
                operation,
            )
        self.items: dict[str, Doc] = call(
            "fieldconfigs", "field_items_for", {}, db, doc["projectId"], doc["issueTypeId"]
        )
        on_screen = (
            None if screen_id is None else call("screens", "screen_field_ids", None, db, screen_id)
        )
        self.fields = None if on_screen is None else [f for f in on_screen if not self.hidden(f)]

    def hidden(self, field_id: str) -> bool:
        return bool(self.items.get(field_id, {}).get("isHidden"))

    def allows(self, field_id: str) -> bool:
        if field_id in ALWAYS_SETTABLE:
            return True
        return not self.hidden(field_id) if self.fields is None else field_id in self.fields

    def required(self) -> list[str]:
        shown = self.fields if self.fields is not None else list(self.items)
        return [f for f in shown if self.items.get(f, {}).get("isRequired")]

    def check_required(self, doc: Doc, errors: FieldErrors, only: Any = None) -> None:
        """Every required field of the screen (of ``only`` when given) has a value (Jira's
        messages)."""
        if not doc.get("summary"):
            errors.setdefault("summary", "You must specify a summary of the issue.")
        for field_id in self.required():
            if field_id in ("summary", "issuetype", "project") or (only and field_id not in only):
                continue
            if is_empty(doc, field_id):
                field = call("fields", "get_field", None, self.db, field_id) or {}
                errors.setdefault(field_id, f"{field.get('name', field_id)} is required.")


def is_empty(doc: Doc, field_id: str) -> bool:
    top = {
        "summary": "summary",
        "description": "description",
        "priority": "priorityId",
        "resolution": "resolutionId",
        "labels": "labels",
    }
    value = doc.get(top[field_id]) if field_id in top else doc["fields"].get(field_id)
    return value in (None, "", [], {})


def apply_fields(
    db: Store, doc: Doc, fields: dict[str, Any], errors: FieldErrors, screen: Screen | None
) -> None:
    """Set each field on ``doc``; problems go to ``errors`` under the field's id."""
    for name, raw in fields.items():
        try:
            if screen is not None and not screen.allows(name):
                raise ValueError(cannot_set(name))
            set_field(db, doc, name, raw)
        except ValueError as exc:
            errors[name] = str(exc)


def cannot_set(name: str) -> str:
    return f"Field '{name}' cannot be set. It is not on the appropriate screen, or unknown."


def set_field(db: Store, doc: Doc, name: str, raw: Any) -> None:
    setter = TOP_SETTERS.get(name)
    if setter is not None:
        setter(db, doc, raw)
        return
    field = call("fields", "get_field", None, db, name)
    if field is None or values.kind_of(field) is None:
        raise ValueError(cannot_set(name))
    if (
        field.get("custom")
        and call("fields", "context_for", True, db, name, doc["projectId"], doc["issueTypeId"])
        is None
    ):
        raise ValueError(cannot_set(name))
    ctx = values.Context(db, doc["projectId"], doc["issueTypeId"])
    keep(doc, name, values.parse(ctx, field, raw))


def keep(doc: Doc, name: str, value: Any) -> None:
    """Store a field value; an empty one is not kept."""
    if value in (None, [], {}):
        doc["fields"].pop(name, None)
    else:
        doc["fields"][name] = value


def set_summary(db: Store, doc: Doc, raw: Any) -> None:
    if raw is not None and not isinstance(raw, str):
        raise ValueError("Operation value must be a string")
    text = str(raw or "").strip()
    if len(text) > 255:
        raise ValueError("Summary must be less than 255 characters.")
    doc["summary"] = text


def set_description(db: Store, doc: Doc, raw: Any) -> None:
    doc["description"] = None if raw is None else values.parse_adf(None, {}, raw)  # type: ignore[arg-type]


def set_priority(db: Store, doc: Doc, raw: Any) -> None:
    """A priority the project's priority scheme offers (Jira's message otherwise)."""
    found = reference(db, "priority", raw, "Priority")
    offered, _ = call("priorityschemes", "project_priorities", ([], None), db, doc["projectId"])
    if offered and found not in offered:
        raise ValueError("The priority selected is invalid.")
    doc["priorityId"] = found


def set_resolution(db: Store, doc: Doc, raw: Any) -> None:
    resolution = None if raw is None else reference(db, "resolution", raw, "Resolution")
    if resolution != doc.get("resolutionId"):
        doc["resolved"] = None if resolution is None else now()
    doc["resolutionId"] = resolution


def set_labels(db: Store, doc: Doc, raw: Any) -> None:
    doc["labels"] = [] if raw is None else values.parse_labels(None, {}, raw)  # type: ignore[arg-type]


def set_parent(db: Store, doc: Doc, raw: Any) -> None:
    if raw is None:
        doc["fields"].pop("parent", None)
        return
    wanted = ref_of(raw, "id", "key")
    parent = None
    if wanted is not None:
        parent = db.get(ISSUES, wanted) if wanted.isdigit() else by_key(db, wanted)
    if parent is None:
        raise ValueError("Could not find issue by id or key.")
    doc["fields"]["parent"] = parent["id"]


TOP_SETTERS = {
    "summary": set_summary,
    "description": set_description,
    "priority": set_priority,
    "resolution": set_resolution,
    "labels": set_labels,
    "parent": set_parent,
}
ALWAYS_SETTABLE = ("project", "issuetype", "parent")


def level(db: Store, type_id: str) -> int:
    found = call("issuetypes", "get_issue_type", None, db, type_id) or {}
    return int(found.get("hierarchyLevel", 0))


def check_parent(db: Store, doc: Doc, errors: FieldErrors) -> None:
    """A sub-task needs a parent in its project; any parent sits one hierarchy level up."""
    own = level(db, doc["issueTypeId"])
    parent = db.get(ISSUES, doc["fields"]["parent"]) if doc["fields"].get("parent") else None
    if parent is None:
        if own == -1:
            errors.setdefault("parent", "A sub-task must have a parent issue.")
        return
    if level(db, parent["issueTypeId"]) != own + 1:
        errors.setdefault(
            "parent", "Given parent work item does not belong to appropriate hierarchy."
        )
    elif own == -1 and parent["projectId"] != doc["projectId"]:
        errors.setdefault("parent", "A sub-task must be in the same project as its parent.")


def reference(db: Store, kind: str, raw: Any, label: str) -> str:
    """A priority or resolution id from ``{id}`` or ``{name}``."""
    wanted = ref_of(raw, "id", "name")
    ids = named(catalog(db, kind), wanted) if wanted else []
    if not ids:
        raise ValueError(f"Specify a valid 'id' or 'name' for {label}")
    return str(ids[0])


def created_bean(request: Request, doc: Doc) -> dict[str, Any]:
    return {
        "id": doc["id"],
        "key": doc["key"],
        "self": f"{base(request)}/rest/api/3/issue/{doc['id']}",
    }


def notify(request: Request, event: str, kind: str, doc: Doc) -> None:
    """Tell the webhooks area what Jira would send for ``event`` on the issue."""
    notice(request, event, kind, doc)()


def notice(request: Request, event: str, kind: str, doc: Doc) -> Callable[[], None]:
    """What Jira would send for ``event`` on the issue, rendered now (while the issue exists) and
    sent when the returned function is called (once the change is committed)."""
    deliver, subscribed = peer("webhooks", "deliver"), peer("webhooks", "subscribed")
    if deliver is None or (subscribed is not None and not subscribed(store(request), event)):
        return lambda: None
    payload = {
        "issue_event_type_name": kind,
        "user": {"accountId": request.state.account_id},
        "issue": Renderer(request, [], "*all").bean(doc),
    }
    return lambda: side_effect(f"webhooks for {event}", deliver, store(request), event, payload)


def created(request: Request, data: Any) -> dict[str, Any]:
    db = store(request)
    with db.tx():
        doc = create_doc(db, data, request.state.account_id)
        put_properties(db, "issue", doc["id"], (data or {}).get("properties"))
        call("issue_extras", "watch", None, db, doc["id"], request.state.account_id)
        move = ref_of((data or {}).get("transition"), "id")
        if move is not None:
            transition = peer("issue_transitions", "transition_issue")
            assert transition is not None
            transition(request, doc, {"transition": {"id": move}})
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
    bean = Renderer(request, wanted_fields(request), "*all").bean(doc)
    if "changelog" in request.query_params.get("expand", "").split(","):
        bean["changelog"] = call("issue_changelog", "changelog_page", None, request, doc)
    return ok(bean)


@route("/rest/api/3/issue/{key}", "PUT")
async def edit_issue(request: Request) -> Response:
    shape = {"fields": dict, "update": {}}
    data, db = await body_object(request, shape), store(request)
    checked(data.get("update") or {}, {name: [dict] for name in data.get("update") or {}})
    doc = find_issue(db, request.path_params["key"])
    message = "You do not have permission to edit issues in this project."
    require(has_permission(db, doc, "EDIT_ISSUES", request.state.account_id), 400, message)
    before = copy.deepcopy(doc)
    errors = FieldErrors()
    override = request.query_params.get("overrideScreenSecurity") == "true"
    screen = Screen(db, doc, "edit", None if override else "")
    fields, updates = data.get("fields") or {}, data.get("update") or {}
    require(
        isinstance(fields, dict) and isinstance(updates, dict), 400, "Can not deserialize fields."
    )
    apply_fields(db, doc, dict(fields), errors, screen)
    apply_updates(db, doc, updates, errors, screen)
    check_parent(db, doc, errors)
    screen.check_required(doc, errors, {*fields, *updates})
    errors.raise_any()
    save(db, before, doc, request.state.account_id)
    notify(request, "jira:issue_updated", "issue_updated", doc)
    if request.query_params.get("returnIssue") == "true":
        return ok(Renderer(request, [], "*all").bean(doc))
    return no_content()


def save(db: Store, before: Doc, doc: Doc, author: str, extra: list[Doc] | None = None) -> None:
    """Store an edited issue, its ``updated`` time and a changelog entry for what changed."""
    with db.tx():
        doc["updated"] = now()
        db.put(ISSUES, doc)
        link_parent(db, doc)
        history.record(db, before, doc, author, extra)


LIST_OPERATIONS = ("labels", "components", "versions", "fixVersions")


def apply_updates(
    db: Store, doc: Doc, update: dict[str, Any], errors: FieldErrors, screen: Screen | None
) -> None:
    """``update: {field: [{set|add|remove: value}]}`` (add/remove on multi-value fields)."""
    for name, operations in update.items():
        for operation in operations if isinstance(operations, list) else []:
            verb, value = (
                next(iter(operation.items()), ("", None))
                if isinstance(operation, dict)
                else ("", None)
            )
            if verb == "set":
                apply_fields(db, doc, {name: value}, errors, screen)
            elif verb in ("add", "remove") and multi_valued(db, name):
                apply_fields(db, doc, {name: added(db, doc, name, verb, value)}, errors, screen)
            else:
                errors[name] = f"Field '{name}' does not support the '{verb}' operation."


def multi_valued(db: Store, name: str) -> bool:
    if name in LIST_OPERATIONS:
        return True
    field = call("fields", "get_field", None, db, name)
    return bool(field) and values.kind_of(field) in values.LIST_KINDS


def added(db: Store, doc: Doc, name: str, verb: str, value: Any) -> list[Any]:
    """The field's values (as a request would give them) after adding or removing ``value``."""
    current = doc["labels"] if name == "labels" else doc["fields"].get(name) or []
    if name == "labels" or any(isinstance(v, dict) for v in current):
        items = list(current)
    else:
        key = (
            "accountId"
            if values.kind_of(call("fields", "get_field", None, db, name) or {}) == "users"
            else "id"
        )
        items = [{key: v} for v in current]
    wanted = ref_of(value, "id", "accountId", "name", "value") if isinstance(value, dict) else value
    kept = [
        v for v in items if (ref_of(v, "id", "accountId") if isinstance(v, dict) else v) != wanted
    ]
    return [*kept, value] if verb == "add" else kept


@route("/rest/api/3/issue/{key}", "DELETE")
async def delete_issue(request: Request) -> Response:
    db = store(request)
    doc = find_issue(db, request.path_params["key"])
    require(may_delete(db, doc, request.state.account_id), 403, NO_DELETE)
    subtasks = children_of(db, doc)
    if subtasks and request.query_params.get("deleteSubtasks") != "true":
        raise ApiError(400, "The issue has subtasks. To delete it, set deleteSubtasks to true.")
    send = notice(request, "jira:issue_deleted", "issue_deleted", doc)
    with db.tx():
        for gone in [*subtasks, doc]:
            drop_issue(db, gone)
    send()  # once committed
    return no_content()


def children_of(db: Store, doc: Doc) -> list[Doc]:
    """Sub-tasks of an issue (issues whose parent it is, one level down)."""
    found = [db.get(ISSUES, link["id"]) for link in db.all(CHILDREN, doc["id"])]
    return [d for d in found if d and level(db, d["issueTypeId"]) == -1]


def link_parent(db: Store, doc: Doc) -> None:
    """Keep the parent -> children index (``issue_child``, parent: the parent's id) current."""
    db.delete(CHILDREN, doc["id"])
    parent = (doc.get("fields") or {}).get("parent")
    if parent:
        db.insert(CHILDREN, {"id": doc["id"]}, parent=str(parent))


def drop_issue(db: Store, doc: Doc) -> None:
    """Delete an issue and what hangs on it; its number stays used (never given again)."""
    call("issue_worklogs", "forget_issue", None, db, doc["id"])
    call("issue_attachments", "forget_issue", None, db, doc["id"])
    call("issue_links", "forget_issue", None, db, doc["id"])
    db.delete(ISSUES, doc["id"])
    db.delete(NUMS, f"{doc['projectId']}-{doc['num']}")
    db.delete(CHILDREN, doc["id"])
    for coll in HANGING:
        db.delete_children(coll, doc["id"])


HANGING = (
    COMMENTS,
    history.HISTORY,
    "issue_worklog",
    "issue_attachment",
    "issue_property",
    "issue_remotelink",
    "issue_watcher",
)


def subtask_beans(request: Request, doc: Doc) -> list[dict[str, Any]]:
    """``fields.subtasks``: the issue's sub-tasks as Jira lists them."""
    render = Renderer(request, ["summary", "status", "priority", "issuetype"], "id")
    return [render.bean(d) for d in children_of(store(request), doc)]


ROUTES = [create_issue, create_issues, get_issue, edit_issue, delete_issue]


def seed_empty(db: Store) -> None:
    """A new site has no issues."""
