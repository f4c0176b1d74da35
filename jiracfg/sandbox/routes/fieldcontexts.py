"""Custom field contexts (project and issue type mappings), options (cascading too) and defaults.

Storage and the shared helpers live in ``fields.py``. Constraints as in Jira: at most one global
context per field; a project in at most one context of a field; context names unique within a
field; option values unique among their siblings in a context (ignoring case); at most 1,000
options per request and 10,000 per field; an option with cascading options can't be deleted.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from jiracfg.sandbox import tasks
from jiracfg.sandbox.http import (
    ApiError,
    body_object,
    bool_param,
    checked_name,
    list_param,
    moved,
    no_content,
    ok,
    page,
    peer,
    require,
    route,
    same_name,
    store,
)
from jiracfg.sandbox.routes.fields import (
    CONTEXTS,
    OPTION_TYPES,
    OPTIONS,
    TYPES,
    contexts_of,
    drop_context,
    find_custom_field,
    new_context,
    option_count,
    short_type,
)
from jiracfg.sandbox.store import Doc, Store

BASE = "/rest/api/3/field/{fieldId}/context"
MAX_PER_REQUEST, MAX_PER_FIELD = 1000, 10000
# default value type -> the keys that carry its value
DEFAULT_KEYS: dict[str, tuple[str, ...]] = {
    "textfield": ("text",),
    "textarea": ("text",),
    "readonly": ("text",),
    "url": ("url",),
    "float": ("number",),
    "labels": ("labels",),
    "datepicker": ("date", "useCurrent"),
    "datetimepicker": ("dateTime", "useCurrent"),
    "single.user.select": ("accountId",),
    "multi.user.select": ("accountIds",),
    "grouppicker.single": ("groupId",),
    "grouppicker.multiple": ("groupIds",),
    "project": ("projectId",),
    "version.single": ("versionId",),
    "version.multiple": ("versionIds",),
    "option.single": ("optionId",),
    "option.multiple": ("optionIds",),
    "option.cascading": ("optionId", "cascadingOptionId"),
}


# -- lookups -----------------------------------------------------------------------------------
def find_field(request: Request) -> Doc:
    return find_custom_field(store(request), request.path_params["fieldId"])


def find_context(request: Request) -> tuple[Doc, Doc]:
    field = find_field(request)
    ctx = store(request).get(CONTEXTS, request.path_params["contextId"])
    if ctx is None or ctx["fieldId"] != field["id"]:
        raise ApiError(404, "The context was not found.")
    return field, ctx


def option_context(request: Request) -> tuple[Doc, Doc]:
    field, ctx = find_context(request)
    require(short_type(field) in OPTION_TYPES, 400, "The custom field doesn't support options.")
    return field, ctx


def ordered_options(db: Store, context_id: str) -> list[Doc]:
    """Options first, then cascading options grouped under their parents, in display order."""
    everything = db.all(OPTIONS, context_id)
    tops = [o for o in everything if not o.get("optionId")]
    kids: dict[str, list[Doc]] = {}
    for option in everything:
        if option.get("optionId"):
            kids.setdefault(option["optionId"], []).append(option)
    return tops + [k for t in tops for k in kids.get(t["id"], [])]


def option_in(db: Store, ctx: Doc, option_id: Any, *, top: bool | None = None) -> Doc | None:
    """An option of ``ctx`` (top-level only / children only with ``top``), or None."""
    option = db.get(OPTIONS, str(option_id))
    if option is None or option["contextId"] != ctx["id"]:
        return None
    if top is not None and top == bool(option.get("optionId")):
        return None
    return option


def option_bean(option: Doc) -> dict[str, Any]:
    bean = {"id": option["id"], "value": option["value"], "disabled": option["disabled"]}
    if option.get("optionId"):
        bean["optionId"] = option["optionId"]
    return bean


# -- validation --------------------------------------------------------------------------------
def check_context_name(db: Store, field_id: str, raw: Any, own_id: str | None = None) -> str:
    name = checked_name(
        raw, "The name must be provided.", "The name must be 255 characters or less."
    )
    clash = any(same_name(c["name"], name) and c["id"] != own_id for c in contexts_of(db, field_id))
    require(
        not clash, 400, f"A context with the name '{raw}' already exists for the field.", "name"
    )
    return name


def check_context_description(raw: Any) -> str:
    text = "" if raw is None else str(raw)
    require(len(text) <= 255, 400, "The description must be 255 characters or less.", "description")
    return text


def id_list(data: dict[str, Any], key: str, *, allow_empty: bool = False) -> list[str]:
    raw = data.get(key)
    if not isinstance(raw, list) or not (allow_empty or raw):
        raise ApiError(400, errors={key: f"The {key} must be provided."})
    ids = [str(i) for i in raw]
    require(len(set(ids)) == len(ids), 400, f"The {key} must not contain duplicates.", key)
    return ids


def check_projects(db: Store, field_id: str, ids: list[str]) -> None:
    """Every project exists (404) and is in no context of the field yet (400)."""
    get_project = peer("projects", "get_project")
    missing = [p for p in ids if not p.isdigit() or (get_project and get_project(db, p) is None)]
    require(not missing, 404, f"These projects were not found: {', '.join(missing)}.")
    taken = sorted({p for c in contexts_of(db, field_id) for p in c["projectIds"]} & set(ids))
    require(
        not taken,
        400,
        "These projects are already associated with a context of the custom "
        f"field: {', '.join(taken)}.",
    )


def check_issue_types(db: Store, ids: list[str]) -> None:
    get_type = peer("issuetypes", "get_issue_type")
    missing = [t for t in ids if get_type is not None and get_type(db, t) is None]
    require(not missing, 404, f"These issue types were not found: {', '.join(missing)}.")


def require_no_global(db: Store, field_id: str, own_id: str | None = None) -> None:
    other = [c for c in contexts_of(db, field_id) if not c["projectIds"] and c["id"] != own_id]
    require(
        not other,
        400,
        "The custom field already has a global context; a field can have only one global context.",
    )


# -- contexts ----------------------------------------------------------------------------------
def context_bean(ctx: Doc) -> dict[str, Any]:
    return {
        "id": ctx["id"],
        "name": ctx["name"],
        "description": ctx["description"],
        "isGlobalContext": not ctx["projectIds"],
        "isAnyIssueType": not ctx["issueTypeIds"],
    }


@route(BASE)
async def list_contexts(request: Request) -> Response:
    field, params = find_field(request), request.query_params
    ids = set(list_param(request, "contextId"))
    beans = [
        context_bean(c)
        for c in contexts_of(store(request), field["id"])
        if not ids or c["id"] in ids
    ]
    for flag in ("isAnyIssueType", "isGlobalContext"):
        if flag in params:
            beans = [b for b in beans if b[flag] == bool_param(request, flag)]
    return ok(page(request, beans))


@route(BASE, "POST")
async def create_context(request: Request) -> Response:
    data, db, field = await body_object(request), store(request), find_field(request)
    name = check_context_name(db, field["id"], data.get("name"))
    projects = id_list(data, "projectIds", allow_empty=True) if "projectIds" in data else []
    types = id_list(data, "issueTypeIds", allow_empty=True) if "issueTypeIds" in data else []
    check_projects(db, field["id"], projects)
    check_issue_types(db, types)
    if not projects:
        require_no_global(db, field["id"])
    ctx = new_context(
        db, field["id"], name, check_context_description(data.get("description")), projects, types
    )
    return ok(
        {
            "id": ctx["id"],
            "name": ctx["name"],
            "description": ctx["description"],
            "projectIds": projects,
            "issueTypeIds": types,
        },
        201,
    )


@route(BASE + "/{contextId}", "PUT")
async def update_context(request: Request) -> Response:
    data, db = await body_object(request), store(request)
    field, ctx = find_context(request)
    if "name" in data:
        ctx["name"] = check_context_name(db, field["id"], data["name"], ctx["id"])
    if "description" in data:
        ctx["description"] = check_context_description(data["description"])
    db.put(CONTEXTS, ctx)
    return no_content()


@route(BASE + "/{contextId}", "DELETE")
async def delete_context(request: Request) -> Response:
    _, ctx = find_context(request)
    require_not_global(ctx, "The global context can't be deleted.")
    drop_context(store(request), ctx)
    return no_content()


def require_not_global(ctx: dict[str, Any], message: str) -> None:
    """Jira Cloud (CHANGE-3019, April 2026): a field's global context stays global and whole."""
    require(bool(ctx["projectIds"]), 400, message)


@route(BASE + "/projectmapping")
async def project_mappings(request: Request) -> Response:
    return ok(page(request, mapping_rows(request, "projectIds", "projectId", "isGlobalContext")))


@route(BASE + "/issuetypemapping")
async def issue_type_mappings(request: Request) -> Response:
    return ok(page(request, mapping_rows(request, "issueTypeIds", "issueTypeId", "isAnyIssueType")))


def mapping_rows(request: Request, members: str, key: str, flag: str) -> list[dict[str, Any]]:
    """One row per context and member (``key``), or one ``flag`` row for a context without
    members; by context id, then member id."""
    field, ids = find_field(request), set(list_param(request, "contextId"))
    rows: list[dict[str, Any]] = []
    for ctx in sorted(contexts_of(store(request), field["id"]), key=lambda c: int(c["id"])):
        if not ids or ctx["id"] in ids:
            rows += [
                {"contextId": ctx["id"], key: m, flag: False} for m in sorted(ctx[members], key=int)
            ] or [{"contextId": ctx["id"], flag: True}]
    return rows


@route(BASE + "/{contextId}/project", "PUT")
async def add_projects(request: Request) -> Response:
    data, db = await body_object(request), store(request)
    field, ctx = find_context(request)
    require_not_global(ctx, "Projects can't be added to the global context.")
    ids = id_list(data, "projectIds")
    check_projects(db, field["id"], ids)
    db.put(CONTEXTS, {**ctx, "projectIds": ctx["projectIds"] + ids})
    return no_content()


@route(BASE + "/{contextId}/project/remove", "POST")
async def remove_projects(request: Request) -> Response:
    data, db = await body_object(request), store(request)
    field, ctx = find_context(request)
    ids = id_list(data, "projectIds")
    stray = [p for p in ids if p not in ctx["projectIds"]]
    require(
        not stray, 400, f"These projects are not associated with the context: {', '.join(stray)}."
    )
    left = [p for p in ctx["projectIds"] if p not in ids]
    if not left:
        require_no_global(db, field["id"], ctx["id"])
    db.put(CONTEXTS, {**ctx, "projectIds": left})
    return no_content()


@route(BASE + "/{contextId}/issuetype", "PUT")
async def add_issue_types(request: Request) -> Response:
    data, db = await body_object(request), store(request)
    _, ctx = find_context(request)
    require_not_global(ctx, "Issue types can't be added to the global context.")
    ids = id_list(data, "issueTypeIds")
    check_issue_types(db, ids)
    present = [t for t in ids if t in ctx["issueTypeIds"]]
    require(
        not present,
        400,
        f"These issue types are already associated with the context: {', '.join(present)}.",
    )
    db.put(CONTEXTS, {**ctx, "issueTypeIds": ctx["issueTypeIds"] + ids})
    return no_content()


@route(BASE + "/{contextId}/issuetype/remove", "POST")
async def remove_issue_types(request: Request) -> Response:
    data, db = await body_object(request), store(request)
    _, ctx = find_context(request)
    ids = id_list(data, "issueTypeIds")
    check_issue_types(db, ids)
    stray = [t for t in ids if t not in ctx["issueTypeIds"]]
    require(
        not stray,
        400,
        f"These issue types are not associated with the context: {', '.join(stray)}.",
    )
    db.put(CONTEXTS, {**ctx, "issueTypeIds": [t for t in ctx["issueTypeIds"] if t not in ids]})
    return no_content()


# -- options -----------------------------------------------------------------------------------
@route(BASE + "/{contextId}/option")
async def list_options(request: Request) -> Response:
    _, ctx = option_context(request)
    options = ordered_options(store(request), ctx["id"])
    wanted = request.query_params.get("optionId")
    if wanted:
        options = [o for o in options if o["id"] == wanted]
    if bool_param(request, "onlyOptions"):
        options = [o for o in options if not o.get("optionId")]
    return ok(page(request, [option_bean(o) for o in options], default_max=100))


def option_items(data: dict[str, Any]) -> list[dict[str, Any]]:
    raw = data.get("options")
    if not isinstance(raw, list) or not raw:
        raise ApiError(400, errors={"options": "The options must be provided."})
    require(
        len(raw) <= MAX_PER_REQUEST,
        400,
        "A maximum of 1000 options can be provided in one request.",
        "options",
    )
    require(all(isinstance(o, dict) for o in raw), 400, "The options are invalid.", "options")
    return list(raw)


def check_value(raw: Any) -> str:
    """The option value as given (not stripped); 400 when blank or too long."""
    checked_name(
        raw,
        "The option value must be provided.",
        "The option value must be 255 characters or less.",
        field="value",
    )
    return str(raw)


def check_siblings(options: list[Doc]) -> None:
    """Values are unique among options with the same parent, ignoring case."""
    seen: set[tuple[str, str]] = set()
    for option in options:
        key = (str(option.get("optionId") or ""), option["value"].strip().casefold())
        require(
            key not in seen,
            400,
            f"The option value '{option['value']}' already exists in the context.",
            "value",
        )
        seen.add(key)


@route(BASE + "/{contextId}/option", "POST")
async def create_options(request: Request) -> Response:
    data, db = await body_object(request), store(request)
    field, ctx = option_context(request)
    items = option_items(data)
    require(
        option_count(db, field["id"]) + len(items) <= MAX_PER_FIELD,
        400,
        "A custom field can have a maximum of 10000 options.",
    )
    made = [new_option(db, field, ctx, item) for item in items]
    check_siblings(db.all(OPTIONS, ctx["id"]) + made)
    with db.tx():
        for option in made:
            db.insert(OPTIONS, option, parent=ctx["id"])
    return ok({"options": [option_bean(o) for o in made]})


def new_option(db: Store, field: Doc, ctx: Doc, item: dict[str, Any]) -> Doc:
    parent = item.get("optionId")
    if parent is not None:
        require(
            short_type(field) == "cascadingselect",
            400,
            "Cascading options can only be added to cascading select fields.",
            "optionId",
        )
        require(
            option_in(db, ctx, parent, top=True) is not None,
            400,
            f"The parent option '{parent}' was not found in the context.",
            "optionId",
        )
    return {
        "id": str(db.next_id(OPTIONS)),
        "contextId": ctx["id"],
        "fieldId": field["id"],
        "value": check_value(item.get("value")),
        "disabled": bool(item.get("disabled")),
        "optionId": None if parent is None else str(parent),
    }


@route(BASE + "/{contextId}/option", "PUT")
async def update_options(request: Request) -> Response:
    data, db = await body_object(request), store(request)
    _, ctx = option_context(request)
    items = option_items(data)
    current = {o["id"]: o for o in db.all(OPTIONS, ctx["id"])}
    missing = [str(i.get("id")) for i in items if str(i.get("id")) not in current]
    require(not missing, 404, f"These options were not found: {', '.join(missing)}.")
    changed = [c for c in (changed_option(current[str(i["id"])], i) for i in items) if c]
    check_siblings(list({**current, **{c["id"]: c for c in changed}}.values()))
    with db.tx():
        for option in changed:
            db.put(OPTIONS, option)
    return ok({"options": [option_bean(o) for o in changed]})


def changed_option(option: Doc, item: dict[str, Any]) -> Doc | None:
    new = dict(option)
    if "value" in item:
        new["value"] = check_value(item["value"])
    if "disabled" in item:
        new["disabled"] = bool(item["disabled"])
    return None if new == option else new


@route(BASE + "/{contextId}/option/move", "PUT")
async def move_options(request: Request) -> Response:
    data, db = await body_object(request), store(request)
    _, ctx = option_context(request)
    ids = id_list(data, "customFieldOptionIds")
    moving = [option_in(db, ctx, i) for i in ids]
    require(all(moving), 404, "One or more options were not found in the context.")
    parents = {str((o or {}).get("optionId") or "") for o in moving}
    require(
        len(parents) == 1,
        400,
        "Options and cascading options of different parents can't be moved together.",
    )
    parent = parents.pop() or None
    siblings = [o["id"] for o in ordered_options(db, ctx["id"]) if o.get("optionId") == parent]
    order = moved(siblings, ids, data, check_after)
    first = next(
        (i for i, (a, b) in enumerate(zip(siblings, order, strict=True)) if a != b), len(order)
    )
    db.reorder(OPTIONS, order[first:])
    return no_content()


def check_after(after: str, rest: list[str]) -> None:
    require(
        after in rest,
        400,
        "The option to place the moved options after must be a sibling that is not moved.",
        "after",
    )


@route(BASE + "/{contextId}/option/{optionId}", "DELETE")
async def delete_option(request: Request) -> Response:
    db = store(request)
    field, ctx = option_context(request)
    option = option_in(db, ctx, request.path_params["optionId"])
    if option is None:
        raise ApiError(404, "The option was not found.")
    kids = [o for o in db.all(OPTIONS, ctx["id"]) if o.get("optionId") == option["id"]]
    require(not kids, 400, "The option has cascading options. Delete the cascading options first.")
    with db.tx():
        clear = peer("issues", "clear_option")
        if clear:
            clear(db, field["id"], option["id"], None)
        db.delete(OPTIONS, option["id"])
        drop_from_default(db, ctx, option["id"])
    return no_content()


def drop_from_default(db: Store, ctx: Doc, option_id: str) -> None:
    """Remove a deleted option from its context's default value."""
    default = dict(ctx.get("default") or {})
    if default.get("optionId") == option_id:
        default = {}
    if default.get("cascadingOptionId") == option_id:
        del default["cascadingOptionId"]
    if option_id in default.get("optionIds", []):
        default["optionIds"] = [o for o in default["optionIds"] if o != option_id] or None
    fresh = db.get(CONTEXTS, ctx["id"]) or ctx
    db.put(CONTEXTS, {**fresh, "default": default if has_value(default) else None})


@route(BASE + "/{contextId}/option/{optionId}/issue", "DELETE")
async def replace_option(request: Request) -> Response:
    db = store(request)
    field, ctx = option_context(request)
    option = option_in(db, ctx, request.path_params["optionId"])
    if option is None:
        raise ApiError(404, "The option to be replaced was not found.")
    replacement = request.query_params.get("replaceWith")
    if replacement:
        require(
            option_in(db, ctx, replacement) is not None,
            404,
            "The option to be used as a replacement was not found.",
        )
        require(replacement != option["id"], 400, "The option can't be replaced with itself.")
    return tasks.submit(
        request,
        f"Remove option {option['id']} from issues",
        lambda: deselect(db, field["id"], option["id"], replacement or None),
    )


def deselect(db: Store, field_id: str, option_id: str, replacement: str | None) -> dict[str, Any]:
    clear = peer("issues", "clear_option")
    modified = clear(db, field_id, option_id, replacement) if clear else None
    return {
        "modifiedIssues": [int(i) for i in modified] if isinstance(modified, list) else [],
        "unmodifiedIssues": [],
        "errors": {"errorMessages": [], "errors": {}},
    }


# -- defaults ----------------------------------------------------------------------------------
def has_value(default: dict[str, Any]) -> bool:
    keys = DEFAULT_KEYS.get(str(default.get("type")), ())
    return any(default.get(k) not in (None, "", []) for k in keys)


def default_bean(ctx: Doc) -> dict[str, Any]:
    bean = {**ctx["default"], "contextId": ctx["id"]}
    if bean["type"] == "single.user.select":
        bean.setdefault("userFilter", {"enabled": False})
    return bean


@route(BASE + "/defaultValue")
async def list_defaults(request: Request) -> Response:
    field, ids = find_field(request), set(list_param(request, "contextId"))
    beans = [
        default_bean(c)
        for c in contexts_of(store(request), field["id"])
        if c.get("default") and (not ids or c["id"] in ids)
    ]
    return ok(page(request, beans))


@route(BASE + "/defaultValue", "PUT")
async def set_defaults(request: Request) -> Response:
    data, db, field = await body_object(request), store(request), find_field(request)
    raw = data.get("defaultValues")
    if not isinstance(raw, list) or not all(isinstance(d, dict) for d in raw):
        raise ApiError(400, errors={"defaultValues": "The defaultValues must be provided."})
    updates = [checked_default(db, field, item) for item in raw]
    with db.tx():
        for ctx, default in updates:
            db.put(CONTEXTS, {**(db.get(CONTEXTS, ctx["id"]) or ctx), "default": default})
    return no_content()


def checked_default(db: Store, field: Doc, item: dict[str, Any]) -> tuple[Doc, Doc | None]:
    """The context and its new default (None: cleared) for one ``defaultValues`` item."""
    ctx = db.get(CONTEXTS, str(item.get("contextId")))
    if ctx is None or ctx["fieldId"] != field["id"]:
        raise ApiError(404, f"The context with id '{item.get('contextId')}' was not found.")
    expected = TYPES.get(short_type(field), ("", None, (), ""))[3]
    require(
        item.get("type") == expected,
        400,
        f"The default value type '{item.get('type')}' "
        f"can't be used with this custom field; use '{expected}'.",
        "type",
    )
    default = {k: item[k] for k in ("type", *DEFAULT_KEYS[expected]) if item.get(k) is not None}
    if not has_value(default):
        return ctx, None
    if expected.startswith("option."):
        check_default_options(db, ctx, default)
    return ctx, default


def check_default_options(db: Store, ctx: Doc, default: Doc) -> None:
    tops = default.get("optionIds") or [default.get("optionId")]
    missing = [str(o) for o in tops if option_in(db, ctx, o, top=True) is None]
    require(not missing, 404, f"The options {', '.join(missing)} were not found in the context.")
    child = default.get("cascadingOptionId")
    if child is not None:
        kid = option_in(db, ctx, child, top=False)
        require(
            kid is not None and kid["optionId"] == str(default["optionId"]),
            404,
            f"The cascading option '{child}' was not found under option '{default['optionId']}'.",
        )


ROUTES = [
    list_contexts,
    create_context,
    list_defaults,
    set_defaults,
    project_mappings,
    issue_type_mappings,
    update_context,
    delete_context,
    add_projects,
    remove_projects,
    add_issue_types,
    remove_issue_types,
    list_options,
    create_options,
    update_options,
    move_options,
    delete_option,
    replace_option,
]


def seed_empty(db: Store) -> None:
    """Nothing of its own: the built-in fields' contexts are seeded by ``fields.py``."""
