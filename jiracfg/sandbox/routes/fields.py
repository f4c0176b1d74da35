"""Fields: system fields and custom fields (``/field``, ``/field/search``, trash, restore, delete).

Contexts, options and defaults are served by ``fieldcontexts.py``; the storage of all of them is
defined here. Collections: ``field`` ``{id, name, custom, schema, ...}`` (system fields carry
``clauseNames``/``orderable``/``navigable``/``searchable``; custom fields ``customId``,
``description``, ``searcherKey``, ``locked``, ``trashed``); ``field_context`` (parent: field id)
``{id, fieldId, name, description, projectIds, issueTypeIds, default}`` (no projects = global, no
issue types = any); ``field_option`` (parent: context id) ``{id, contextId, fieldId, value,
disabled, optionId}`` (``optionId``: the parent of a cascading child), in display order.

Exported for other areas (the contract in ``__init__.py``): ``get_field``, ``all_fields``,
``get_option``, ``forget_project``, ``forget_issue_type``. A hard delete calls
``screens.forget_field`` and ``fieldconfigs.forget_field``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from jiracfg.sandbox import tasks
from jiracfg.sandbox.http import (
    ApiError,
    body_object,
    checked_name,
    list_param,
    no_content,
    ok,
    page,
    peer,
    require,
    route,
    store,
)
from jiracfg.sandbox.store import Doc, Store

FIELDS, CONTEXTS, OPTIONS = "field", "field_context", "field_option"
PLUGIN = "com.atlassian.jira.plugin.system.customfieldtypes:"
FIRST_CUSTOM_ID = 10030  # a new site's own custom fields end below this
# short type -> (schema type, schema items, valid searchers (short), default value type)
TYPES: dict[str, tuple[str, str | None, tuple[str, ...], str]] = {
    "textfield": ("string", None, ("textsearcher",), "textfield"),
    "textarea": ("string", None, ("textsearcher",), "textarea"),
    "readonlyfield": ("string", None, ("textsearcher",), "readonly"),
    "url": ("string", None, ("exacttextsearcher",), "url"),
    "select": ("option", None, ("multiselectsearcher",), "option.single"),
    "radiobuttons": ("option", None, ("multiselectsearcher",), "option.single"),
    "multiselect": ("array", "option", ("multiselectsearcher",), "option.multiple"),
    "multicheckboxes": ("array", "option", ("multiselectsearcher",), "option.multiple"),
    "cascadingselect": (
        "option-with-child",
        None,
        ("cascadingselectsearcher",),
        "option.cascading",
    ),
    "float": ("number", None, ("exactnumber", "numberrange"), "float"),
    "importid": ("number", None, ("exactnumber", "numberrange"), "float"),
    "datepicker": ("date", None, ("daterange",), "datepicker"),
    "datetime": ("datetime", None, ("datetimerange",), "datetimepicker"),
    "userpicker": ("user", None, ("userpickergroupsearcher",), "single.user.select"),
    "multiuserpicker": ("array", "user", ("userpickergroupsearcher",), "multi.user.select"),
    "grouppicker": ("group", None, ("grouppickersearcher",), "grouppicker.single"),
    "multigrouppicker": ("array", "group", ("multiselectsearcher",), "grouppicker.multiple"),
    "labels": ("array", "string", ("labelsearcher",), "labels"),
    "version": ("version", None, ("versionsearcher",), "version.single"),
    "multiversion": ("array", "version", ("versionsearcher",), "version.multiple"),
    "project": ("project", None, ("projectsearcher",), "project"),
}
COUNTS = ("contextsCount", "screensCount", "projectsCount")  # counts that are also sort keys
OPTION_TYPES = ("select", "radiobuttons", "multiselect", "multicheckboxes", "cascadingselect")
# id, name, schema type, items, clause names, orderable, navigable, searchable
SYSTEM_FIELDS: list[tuple[str, str, str, str | None, list[str], bool, bool, bool]] = [
    ("summary", "Summary", "string", None, ["summary"], True, True, True),
    ("description", "Description", "string", None, ["description"], True, True, True),
    ("issuetype", "Issue Type", "issuetype", None, ["issuetype", "type"], True, True, True),
    ("status", "Status", "status", None, ["status"], False, True, True),
    ("priority", "Priority", "priority", None, ["priority"], True, True, True),
    ("resolution", "Resolution", "resolution", None, ["resolution"], True, True, True),
    (
        "resolutiondate",
        "Resolved",
        "datetime",
        None,
        ["resolutiondate", "resolved"],
        False,
        True,
        True,
    ),
    ("labels", "Labels", "array", "string", ["labels"], True, True, True),
    ("assignee", "Assignee", "user", None, ["assignee"], True, True, True),
    ("reporter", "Reporter", "user", None, ["reporter"], True, True, True),
    ("creator", "Creator", "user", None, ["creator"], False, True, True),
    ("created", "Created", "datetime", None, ["created", "createdDate"], False, True, True),
    ("updated", "Updated", "datetime", None, ["updated", "updatedDate"], False, True, True),
    ("duedate", "Due date", "date", None, ["due", "duedate"], True, True, True),
    ("components", "Components", "array", "component", ["component"], True, True, True),
    ("versions", "Affects versions", "array", "version", ["affectedVersion"], True, True, True),
    ("fixVersions", "Fix versions", "array", "version", ["fixVersion"], True, True, True),
    ("environment", "Environment", "string", None, ["environment"], True, True, True),
    ("timetracking", "Time tracking", "timetracking", None, [], True, False, False),
    ("attachment", "Attachment", "array", "attachment", ["attachments"], True, True, True),
    ("issuelinks", "Linked Issues", "array", "issuelinks", ["issueLink"], True, True, True),
    ("security", "Security Level", "securitylevel", None, ["level"], True, True, True),
    ("project", "Project", "project", None, ["project"], False, False, True),
    ("parent", "Parent", "issuelink", None, ["parent"], False, True, True),
    ("subtasks", "Sub-tasks", "array", "issuelinks", ["subtasks"], False, True, True),
    ("watches", "Watchers", "watches", None, ["watcher", "watchers"], False, True, True),
    ("votes", "Votes", "votes", None, ["votes"], False, True, True),
    ("comment", "Comment", "comments-page", None, ["comment"], True, False, True),
    (
        "worklog",
        "Log Work",
        "array",
        "worklog",
        ["worklogComment", "worklogDate"],
        True,
        False,
        True,
    ),
    (
        "timeoriginalestimate",
        "Original estimate",
        "number",
        None,
        ["originalEstimate", "timeoriginalestimate"],
        False,
        True,
        True,
    ),
    (
        "timeestimate",
        "Remaining Estimate",
        "number",
        None,
        ["remainingEstimate", "timeestimate"],
        False,
        True,
        True,
    ),
    ("timespent", "Time Spent", "number", None, ["timespent"], False, True, True),
    (
        "aggregatetimeoriginalestimate",
        "Σ Original Estimate",
        "number",
        None,
        [],
        False,
        True,
        False,
    ),
    ("aggregatetimeestimate", "Σ Remaining Estimate", "number", None, [], False, True, False),
    ("aggregatetimespent", "Σ Time Spent", "number", None, [], False, True, False),
    ("progress", "Progress", "progress", None, ["progress"], False, True, True),
    ("aggregateprogress", "Σ Progress", "progress", None, [], False, True, False),
    ("workratio", "Work Ratio", "number", None, ["workratio"], False, True, True),
    ("lastViewed", "Last Viewed", "datetime", None, ["lastViewed"], False, True, False),
    (
        "statuscategorychangedate",
        "Status Category Changed",
        "datetime",
        None,
        ["statusCategoryChangedDate"],
        False,
        True,
        True,
    ),
]
GREENHOPPER = "com.pyxis.greenhopper.jira:"
# Custom fields a new Jira Software site has: id number, name, type key, schema type, items,
# searcher (short) or None, locked, options of their global context
SITE_CUSTOM_FIELDS: list[tuple[int, str, str, str, str | None, str | None, bool, list[str]]] = [
    (
        10000,
        "Development",
        "com.atlassian.jira.plugins.jira-development-integration-plugin:devsummarycf",
        "any",
        None,
        None,
        True,
        [],
    ),
    (10001, "Team", f"{PLUGIN}atlassian-team", "team", None, None, True, []),
    (10015, "Start date", f"{PLUGIN}datepicker", "date", None, "daterange", False, []),
    (
        10016,
        "Story point estimate",
        f"{GREENHOPPER}jsw-story-points",
        "number",
        None,
        None,
        True,
        [],
    ),
    (10019, "Rank", f"{GREENHOPPER}gh-lexo-rank", "any", None, None, True, []),
    (10020, "Sprint", f"{GREENHOPPER}gh-sprint", "array", "json", None, True, []),
    (
        10021,
        "Flagged",
        f"{PLUGIN}multicheckboxes",
        "array",
        "option",
        "multiselectsearcher",
        False,
        ["Impediment"],
    ),
]


# -- exported API ------------------------------------------------------------------------------
def get_field(db: Store, field_id: Any) -> Doc | None:
    """A system or custom field (None when missing or in the trash)."""
    doc = db.get(FIELDS, str(field_id))
    return None if doc is None or doc.get("trashed") else doc


def all_fields(db: Store) -> list[Doc]:
    """Every system field, then every custom field not in the trash, in creation order."""
    return [d for d in db.all(FIELDS) if not d.get("trashed")]


def get_option(db: Store, option_id: Any) -> Doc | None:
    return db.get(OPTIONS, str(option_id))


def forget_project(db: Store, project_id: Any) -> None:
    """Drop a deleted project from every context; a context left without projects goes too (it
    would otherwise turn global)."""
    pid = str(project_id)
    with db.tx():
        for ctx in db.find(CONTEXTS, lambda c: pid in c["projectIds"]):
            ctx["projectIds"].remove(pid)
            if ctx["projectIds"]:
                db.put(CONTEXTS, ctx)
            else:
                drop_context(db, ctx)


def forget_issue_type(db: Store, type_id: Any) -> None:
    tid = str(type_id)
    with db.tx():
        for ctx in db.find(CONTEXTS, lambda c: tid in c["issueTypeIds"]):
            ctx["issueTypeIds"].remove(tid)
            db.put(CONTEXTS, ctx)


# -- storage helpers (fieldcontexts.py uses these) ---------------------------------------------
def short_type(doc: Doc) -> str:
    """``select`` for ``com.atlassian.jira.plugin.system.customfieldtypes:select``."""
    return str(doc.get("type", "")).removeprefix(PLUGIN)


def contexts_of(db: Store, field_id: str) -> list[Doc]:
    return db.all(CONTEXTS, field_id)


def field_options(db: Store, field_id: str) -> list[Doc]:
    """Every option of every context of the field (JQL resolves option values with them)."""
    return [o for c in contexts_of(db, field_id) for o in db.all(OPTIONS, c["id"])]


def context_for(db: Store, field_id: str, project_id: str, type_id: str) -> Doc | None:
    """The context that applies to an issue: the project's own context for its issue type, else
    the global one (None when the field does not apply)."""
    contexts = [
        c
        for c in contexts_of(db, field_id)
        if not c["issueTypeIds"] or type_id in c["issueTypeIds"]
    ]
    own = [c for c in contexts if project_id in c["projectIds"]]
    return next(iter(own or [c for c in contexts if not c["projectIds"]]), None)


def option_count(db: Store, field_id: str) -> int:
    return sum(db.count(OPTIONS, c["id"]) for c in contexts_of(db, field_id))


def drop_context(db: Store, ctx: Doc) -> None:
    with db.tx():
        db.delete_children(OPTIONS, ctx["id"])
        db.delete(CONTEXTS, ctx["id"])


def find_custom_field(db: Store, field_id: str, *, trashed: bool = False) -> Doc:
    """A custom field (in the trash only with ``trashed``); 404 otherwise."""
    doc = db.get(FIELDS, field_id)
    if doc is None or not doc["custom"] or (doc.get("trashed") and not trashed):
        raise ApiError(404, "The custom field was not found.")
    return doc


def new_context(
    db: Store,
    field_id: str,
    name: str,
    description: str = "",
    project_ids: list[str] | None = None,
    issue_type_ids: list[str] | None = None,
) -> Doc:
    return db.insert(
        CONTEXTS,
        {
            "fieldId": field_id,
            "name": name,
            "description": description,
            "projectIds": project_ids or [],
            "issueTypeIds": issue_type_ids or [],
            "default": None,
        },
        parent=field_id,
    )


# -- beans -------------------------------------------------------------------------------------
def field_details(doc: Doc) -> dict[str, Any]:
    """FieldDetails, as ``GET /field`` lists it."""
    if not doc["custom"]:
        keys = ("clauseNames", "orderable", "navigable", "searchable")
        return {
            "id": doc["id"],
            "key": doc["id"],
            "name": doc["name"],
            "custom": False,
            "schema": doc["schema"],
            **{k: doc[k] for k in keys},
        }
    return {
        "id": doc["id"],
        "key": doc["id"],
        "name": doc["name"],
        "custom": True,
        "orderable": True,
        "navigable": True,
        "searchable": doc["searcherKey"] is not None,
        "clauseNames": [f"cf[{doc['customId']}]", doc["name"]],
        "schema": doc["schema"],
    }


def field_bean(db: Store, doc: Doc, expand: set[str]) -> dict[str, Any]:
    """Field, as ``GET /field/search`` pages it (with the requested expansions)."""
    bean: dict[str, Any] = {
        "id": doc["id"],
        "key": doc["id"],
        "name": doc["name"],
        "schema": doc["schema"],
    }
    if doc.get("description"):
        bean["description"] = doc["description"]
    extra: dict[str, Callable[[], Any]] = {
        "isLocked": lambda: bool(doc.get("locked")),
        "searcherKey": lambda: doc.get("searcherKey"),
        "contextsCount": lambda: len(contexts_of(db, doc["id"])) if doc["custom"] else 0,
        "screensCount": lambda: screens_count(db, doc["id"]),
        "projectsCount": lambda: projects_count(db, doc) if doc["custom"] else 0,
        "lastUsed": lambda: {"type": "NOT_TRACKED"},
    }
    for name in expand & set(extra):
        value = extra[name]()
        if value is not None:
            bean[name] = value
    return bean


def projects_count(db: Store, doc: Doc) -> int:
    """The projects the field's contexts apply to (a global context: every project)."""
    contexts = contexts_of(db, doc["id"])
    if any(not c.get("projectIds") for c in contexts):
        all_projects = peer("projects", "all_projects")
        return len(all_projects(db)) if all_projects else 0
    return len({p for c in contexts for p in c["projectIds"]})


def screens_count(db: Store, field_id: str) -> int:
    count = peer("screens", "screens_with_field")
    return len(count(db, field_id)) if count else 0


def custom_schema(type_key: str, custom_id: int) -> dict[str, Any]:
    schema_type, items = TYPES[type_key.removeprefix(PLUGIN)][:2]
    schema: dict[str, Any] = {"type": schema_type, "custom": type_key, "customId": custom_id}
    if items:
        schema["items"] = items
    return schema


# -- validation --------------------------------------------------------------------------------
def check_name(raw: Any) -> str:
    return checked_name(
        raw,
        "The custom field name is required.",
        "The custom field name must be 255 characters or less.",
    )


def check_description(raw: Any) -> str:
    text = "" if raw is None else str(raw)
    require(
        len(text) <= 40000, 400, "The description must be 40000 characters or less.", "description"
    )
    return text


def check_type(raw: Any) -> str:
    require(isinstance(raw, str) and raw != "", 400, "The custom field type is required.", "type")
    known = str(raw).startswith(PLUGIN) and str(raw).removeprefix(PLUGIN) in TYPES
    require(known, 400, f"Custom field type '{raw}' doesn't exist.", "type")
    return str(raw)


def check_searcher(type_key: str, raw: Any) -> str | None:
    if raw is None:
        return None
    valid = TYPES[type_key.removeprefix(PLUGIN)][2]
    require(
        isinstance(raw, str) and raw.removeprefix(PLUGIN) in valid and raw.startswith(PLUGIN),
        400,
        f"The searcher key '{raw}' is not valid for the custom field type '{type_key}'.",
        "searcherKey",
    )
    return str(raw)


def editable(db: Store, field_id: str, *, trashed: bool = True) -> Doc:
    """A custom field that may change: 400 for system fields and locked fields."""
    doc = db.get(FIELDS, field_id)
    if doc is not None and not doc["custom"]:
        raise ApiError(400, "The custom field ID format is incorrect.")
    doc = find_custom_field(db, field_id, trashed=trashed)
    require(not doc.get("locked"), 400, "The custom field is locked and can't be changed.")
    return doc


# -- routes ------------------------------------------------------------------------------------
@route("/rest/api/3/field")
async def list_fields(request: Request) -> Response:
    return ok([field_details(d) for d in all_fields(store(request))])


@route("/rest/api/3/field", "POST")
async def create_field(request: Request) -> Response:
    data, db = await body_object(request), store(request)
    name, type_key = check_name(data.get("name")), check_type(data.get("type"))
    searcher = check_searcher(type_key, data.get("searcherKey"))
    with db.tx():
        number = db.next_id(FIELDS, FIRST_CUSTOM_ID)
        doc = db.insert(
            FIELDS,
            {
                "id": f"customfield_{number}",
                "customId": number,
                "name": name,
                "custom": True,
                "type": type_key,
                "schema": custom_schema(type_key, number),
                "searcherKey": searcher,
                "description": check_description(data.get("description")),
                "locked": False,
                "trashed": False,
            },
        )
        new_context(
            db,
            doc["id"],
            f"Default Configuration Scheme for {name}",
            "Default configuration scheme generated by Jira",
        )
    return ok(field_details(doc), 201)


@route("/rest/api/3/field/search")
async def search_fields(request: Request) -> Response:
    db = store(request)
    docs = filter_fields(request, db, all_fields(db))
    expand = set((request.query_params.get("expand") or "").split(","))
    order = request.query_params.get("orderBy") or ""
    beans = sort_fields(order, [field_bean(db, d, expand | {order.lstrip("+-")}) for d in docs])
    return ok(
        page(
            request, [{k: v for k, v in b.items() if k in expand or k not in COUNTS} for b in beans]
        )
    )


@route("/rest/api/3/field/search/trashed")
async def search_trashed(request: Request) -> Response:
    db = store(request)
    docs = filter_fields(request, db, db.find(FIELDS, lambda d: bool(d.get("trashed"))))
    expand = set((request.query_params.get("expand") or "").split(","))
    return ok(page(request, [field_bean(db, d, expand) for d in docs]))


def filter_fields(request: Request, db: Store, docs: list[Doc]) -> list[Doc]:
    types = list_param(request, "type")
    require(set(types) <= {"custom", "system"}, 400, f"Invalid type: {','.join(types)}")
    ids, query = set(list_param(request, "id")), (request.query_params.get("query") or "")
    projects = set(list_param(request, "projectIds"))
    folded = query.casefold()
    return [
        d
        for d in docs
        if (not types or ("custom" if d["custom"] else "system") in types)
        and (not ids or d["id"] in ids)
        and (folded in d["name"].casefold() or folded in str(d.get("description") or "").casefold())
        and (not projects or in_projects(db, d, projects))
    ]


def in_projects(db: Store, doc: Doc, projects: set[str]) -> bool:
    if not doc["custom"]:
        return True
    return any(
        not c["projectIds"] or projects & set(c["projectIds"]) for c in contexts_of(db, doc["id"])
    )


def sort_fields(order: str, beans: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``beans`` ordered by ``orderBy`` (``name``, ``contextsCount``, ``screensCount``,
    ``projectsCount``, ``lastUsed``, each with an optional ``+``/``-``)."""
    key = order.lstrip("+-")
    if not key:
        return beans
    require(key in ("name", "lastUsed", *COUNTS), 400, f"Invalid orderBy value: {order}")

    def sort_key(bean: dict[str, Any]) -> Any:
        if key == "name":
            return bean["name"].casefold()
        return bean.get(key, 0) if key in COUNTS else 0  # lastUsed: never tracked here

    return sorted(beans, key=sort_key, reverse=order.startswith("-"))


@route("/rest/api/3/field/{fieldId}", "PUT")
async def update_field(request: Request) -> Response:
    data, db = await body_object(request), store(request)
    field_id = request.path_params["fieldId"]
    doc = db.get(FIELDS, field_id)
    require(doc is None or doc["custom"], 404, "The custom field was not found.")
    doc = editable(db, field_id, trashed=False)
    if "name" in data:
        doc["name"] = check_name(data["name"])
    if "description" in data:
        doc["description"] = check_description(data["description"])
    if "searcherKey" in data:
        doc["searcherKey"] = check_searcher(doc["type"], data["searcherKey"])
    db.put(FIELDS, doc)
    return no_content()


@route("/rest/api/3/field/{id}/trash", "POST")
async def trash_field(request: Request) -> Response:
    db = store(request)
    doc = editable(db, request.path_params["id"], trashed=False)
    db.put(FIELDS, {**doc, "trashed": True, "trashedAt": int(time.time() * 1000)})
    return ok({})


@route("/rest/api/3/field/{id}/restore", "POST")
async def restore_field(request: Request) -> Response:
    db = store(request)
    doc = editable(db, request.path_params["id"])
    require(bool(doc.get("trashed")), 400, "The custom field is not in the trash.")
    db.put(FIELDS, {**doc, "trashed": False, "trashedAt": None})
    return ok({})


@route("/rest/api/3/field/{id}", "DELETE")
async def delete_field(request: Request) -> Response:
    db = store(request)
    doc = editable(db, request.path_params["id"])
    return tasks.submit(
        request, f"Delete custom field {doc['id']}", lambda: remove_field(db, doc["id"])
    )


def remove_field(db: Store, field_id: str) -> None:
    for ctx in contexts_of(db, field_id):
        drop_context(db, ctx)
    for area in ("screens", "fieldconfigs"):
        forget = peer(area, "forget_field")
        if forget:
            forget(db, field_id)
    db.delete(FIELDS, field_id)


@route("/rest/api/3/customFieldOption/{id}")
async def get_custom_field_option(request: Request) -> Response:
    option = get_option(store(request), request.path_params["id"])
    if option is None:
        raise ApiError(
            404, f"A custom field option with id '{request.path_params['id']}' does not exist."
        )
    return ok({"self": str(request.url), "value": option["value"]})


ROUTES = [
    list_fields,
    create_field,
    search_fields,
    search_trashed,
    update_field,
    trash_field,
    restore_field,
    delete_field,
    get_custom_field_option,
]


def seed_empty(db: Store) -> None:
    for fid, name, kind, items, clauses, orderable, navigable, searchable in SYSTEM_FIELDS:
        schema: dict[str, Any] = {"type": kind, "system": fid}
        if items:
            schema["items"] = items
        db.insert(
            FIELDS,
            {
                "id": fid,
                "name": name,
                "custom": False,
                "schema": schema,
                "clauseNames": clauses,
                "orderable": orderable,
                "navigable": navigable,
                "searchable": searchable,
            },
        )
    for number, name, type_key, kind, items, searcher, locked, options in SITE_CUSTOM_FIELDS:
        seed_custom_field(db, number, name, type_key, (kind, items), searcher, locked, options)


def seed_custom_field(
    db: Store,
    number: int,
    name: str,
    type_key: str,
    shape: tuple[str, str | None],
    searcher: str | None,
    locked: bool,
    options: list[str],
) -> None:
    schema: dict[str, Any] = {"type": shape[0], "custom": type_key, "customId": number}
    if shape[1]:
        schema["items"] = shape[1]
    field_id = f"customfield_{number}"
    db.insert(
        FIELDS,
        {
            "id": field_id,
            "customId": number,
            "name": name,
            "custom": True,
            "type": type_key,
            "schema": schema,
            "description": "",
            "searcherKey": PLUGIN + searcher if searcher else None,
            "locked": locked,
            "trashed": False,
        },
    )
    ctx = new_context(
        db,
        field_id,
        f"Default Configuration Scheme for {name}",
        "Default configuration scheme generated by Jira",
    )
    for value in options:
        db.insert(
            OPTIONS,
            {
                "contextId": ctx["id"],
                "fieldId": field_id,
                "value": value,
                "disabled": False,
                "optionId": None,
            },
            parent=ctx["id"],
        )
