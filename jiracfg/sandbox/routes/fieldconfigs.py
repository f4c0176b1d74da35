"""Field configurations (items) and field configuration schemes (mappings, projects).

Collections: ``field_configuration`` ``{id, name, description, isDefault}``;
``field_configuration_item`` (parent: configuration id) ``{id: "config:field", fieldId, isHidden,
isRequired, description, renderer?}``, stored only where an item differs from the field's default
(visible, optional unless Summary or Issue Type, no description, the wiki renderer for text
fields); ``field_configuration_scheme`` ``{id, name, description, mappings: {issueTypeId |
"default": configurationId}}``; ``field_configuration_scheme_project`` ``{id: projectId,
schemeId}``. A project without one uses the system default (every type on the Default Field
Configuration, id 10000), which has no id of its own.

Exported for other areas (the contract in ``__init__.py``): ``assign_field_configuration_scheme``,
``forget_field``, ``forget_project``, ``forget_issue_type``; also ``get_field_configuration_scheme``
(projects refuses unknown scheme ids on create with it) and ``field_items_for`` (issues).
Expected from other areas (optional): ``fields.all_fields``/``get_field``,
``issuetypes.get_issue_type``, ``projects.get_project``.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from jiracfg.sandbox.http import (
    body_object,
    bool_param,
    found,
    list_param,
    name_taken,
    no_content,
    ok,
    page,
    peer,
    require,
    route,
    store,
)
from jiracfg.sandbox.routes._common import group_by_scheme
from jiracfg.sandbox.store import Doc, Store

CONFIGS, ITEMS = "field_configuration", "field_configuration_item"
SCHEMES, SCHEME_PROJECTS = "field_configuration_scheme", "field_configuration_scheme_project"
DEFAULT_CONFIG_ID = "10000"
LOCKED = ("summary", "issuetype")  # always visible and required
TEXT_FIELDS = ("description", "environment", "comment")
TEXT_TYPES = (":textarea", ":textfield")
AUTOCOMPLETE = ("labels", "components", "versions", "fixVersions")
RENDERERS = ("text-renderer", "wiki-renderer")
FALLBACK_FIELDS = [  # used until the fields area answers
    {"id": f, "custom": False}
    for f in (
        "summary",
        "issuetype",
        "description",
        "priority",
        "resolution",
        "labels",
        "assignee",
        "reporter",
        "duedate",
        "components",
        "versions",
        "fixVersions",
        "environment",
    )
]


# -- fields (owned by the fields area) ---------------------------------------------------------
def configurable_fields(db: Store) -> list[Doc]:
    """The fields a field configuration lists: custom fields and the orderable system fields."""
    everything = peer("fields", "all_fields")
    docs: list[Doc] = everything(db) if everything else FALLBACK_FIELDS
    return [d for d in docs if d.get("custom") or d.get("orderable", True)]


def default_renderer(field: Doc) -> str | None:
    custom = str((field.get("schema") or {}).get("custom") or "")
    if field["id"] in TEXT_FIELDS or custom.endswith(TEXT_TYPES):
        return "wiki-renderer"
    return "autocomplete-renderer" if field["id"] in AUTOCOMPLETE else None


def default_item(field: Doc) -> Doc:
    item: Doc = {
        "id": field["id"],
        "isHidden": False,
        "isRequired": field["id"] in LOCKED,
        "description": "",
    }
    renderer = default_renderer(field)
    if renderer:
        item["renderer"] = renderer
    return item


def item_bean(item: Doc) -> Doc:
    return {
        k: v
        for k, v in item.items()
        if v != "" and k in ("id", "isHidden", "isRequired", "description", "renderer")
    }


# -- exported API ------------------------------------------------------------------------------
def assign_field_configuration_scheme(db: Store, project_id: Any, scheme_id: Any | None) -> None:
    with db.tx():
        db.delete(SCHEME_PROJECTS, str(project_id))
        if scheme_id is not None:
            db.insert(SCHEME_PROJECTS, {"id": str(project_id), "schemeId": str(scheme_id)})


def get_field_configuration_scheme(db: Store, scheme_id: Any) -> Doc | None:
    return db.get(SCHEMES, str(scheme_id))


def field_items_for(db: Store, project_id: Any, type_id: Any) -> dict[str, Doc]:
    """Field id -> ``{isHidden, isRequired, ...}`` of the configuration that applies to an issue
    of this project and type, for the fields that differ from the default (issues: hidden fields
    cannot be set, required ones must be)."""
    link = db.get(SCHEME_PROJECTS, str(project_id))
    scheme = db.get(SCHEMES, link["schemeId"]) if link else None
    mappings = (scheme or {}).get("mappings") or {}
    config_id = mappings.get(str(type_id), mappings.get("default", DEFAULT_CONFIG_ID))
    locked = {f: {"id": f, "isHidden": False, "isRequired": True} for f in LOCKED}
    stored = {i["fieldId"]: stored_item(i) for i in db.all(ITEMS, str(config_id))}
    return {**locked, **stored}  # every other field: visible and optional


def forget_project(db: Store, project_id: Any) -> None:
    db.delete(SCHEME_PROJECTS, str(project_id))


def forget_field(db: Store, field_id: Any) -> None:
    with db.tx():
        for item in db.find(ITEMS, lambda i: i["fieldId"] == str(field_id)):
            db.delete(ITEMS, item["id"])


def forget_issue_type(db: Store, type_id: Any) -> None:
    with db.tx():
        for doc in db.find(SCHEMES, lambda s: str(type_id) in s["mappings"]):
            del doc["mappings"][str(type_id)]
            db.put(SCHEMES, doc)


# -- field configurations ----------------------------------------------------------------------
def config_bean(doc: Doc) -> dict[str, Any]:
    return {
        "id": int(doc["id"]),
        "name": doc["name"],
        "description": doc["description"],
        "isDefault": doc["isDefault"],
    }


def find_config(db: Store, raw: Any) -> Doc:
    return found(
        db.get(CONFIGS, str(raw)), f"The field configuration with id '{raw}' was not found."
    )


def check_details(
    db: Store,
    coll: str,
    data: dict[str, Any],
    own_id: str | None = None,
) -> tuple[str, str]:
    """The checked name and description of a configuration or scheme body."""
    what = coll.replace("_", " ")
    name, limit = str(data.get("name") or ""), 255 if coll == CONFIGS else 1024
    require(name.strip() != "", 400, f"The {what} name is required.", "name")
    require(len(name) <= 255, 400, "The name can't exceed 255 characters.", "name")
    require(not name_taken(db, coll, name, own_id), 400, f"A {what} is using this name.")
    description = str(data.get("description") or "")
    require(
        len(description) <= limit,
        400,
        f"The description can't exceed {limit} characters.",
        "description",
    )
    return str(name).strip(), description


@route("/rest/api/3/fieldconfiguration")
async def list_configs(request: Request) -> Response:
    ids, query = list_param(request, "id"), (request.query_params.get("query") or "").casefold()
    only_default = bool_param(request, "isDefault")
    docs = store(request).find(
        CONFIGS,
        lambda d: (
            (not ids or d["id"] in ids)
            and (not only_default or d["isDefault"])
            and (query in d["name"].casefold() or query in d["description"].casefold())
        ),
    )
    return ok(page(request, [config_bean(d) for d in docs]))


@route("/rest/api/3/fieldconfiguration", "POST")
async def create_config(request: Request) -> Response:
    data, db = await body_object(request), store(request)
    name, description = check_details(db, CONFIGS, data)
    with db.tx():
        doc = db.insert(CONFIGS, {"name": name, "description": description, "isDefault": False})
        copy_optional(db, doc["id"])
    return ok({k: v for k, v in config_bean(doc).items() if k != "isDefault"})


def copy_optional(db: Store, config_id: str) -> None:
    """Give a new configuration the default one's items, with every field optional."""
    fields = {f["id"]: f for f in configurable_fields(db)}
    for doc in db.all(ITEMS, DEFAULT_CONFIG_ID):
        item = {**stored_item(doc), "isRequired": doc["fieldId"] in LOCKED}
        save_item(db, config_id, item, default_item(fields[doc["fieldId"]]))


@route("/rest/api/3/fieldconfiguration/{id}", "PUT")
async def update_config(request: Request) -> Response:
    data, db = await body_object(request), store(request)
    doc = find_config(db, request.path_params["id"])
    require(not doc["isDefault"], 400, "The default field configuration can't be edited.")
    doc["name"], doc["description"] = check_details(db, CONFIGS, data, doc["id"])
    db.put(CONFIGS, doc)
    return no_content()


@route("/rest/api/3/fieldconfiguration/{id}", "DELETE")
async def delete_config(request: Request) -> Response:
    db = store(request)
    doc = find_config(db, request.path_params["id"])
    require(not doc["isDefault"], 400, "The default field configuration can't be deleted.")
    used = db.first(SCHEMES, lambda s: doc["id"] in s["mappings"].values())
    require(
        used is None,
        400,
        "The field configuration can't be deleted because it's used by "
        "a field configuration scheme.",
    )
    with db.tx():
        db.delete_children(ITEMS, doc["id"])
        db.delete(CONFIGS, doc["id"])
    return no_content()


# -- field configuration items -----------------------------------------------------------------
def stored_item(doc: Doc) -> Doc:
    return {**{k: v for k, v in doc.items() if k != "fieldId"}, "id": doc["fieldId"]}


def items_of(db: Store, config_id: str) -> list[Doc]:
    stored = {i["fieldId"]: stored_item(i) for i in db.all(ITEMS, config_id)}
    return [{**default_item(f), **stored.get(f["id"], {})} for f in configurable_fields(db)]


def save_item(db: Store, config_id: str, item: Doc, default: Doc) -> None:
    """Store ``item`` for ``config_id`` only where it differs from the field's ``default``."""
    key = f"{config_id}:{item['id']}"
    db.delete(ITEMS, key)
    if any(item.get(k) != default.get(k) for k in item if k != "id"):
        db.insert(ITEMS, {**item, "id": key, "fieldId": item["id"]}, parent=config_id)


@route("/rest/api/3/fieldconfiguration/{id}/fields")
async def list_items(request: Request) -> Response:
    db = store(request)
    doc = find_config(db, request.path_params["id"])
    return ok(page(request, [item_bean(i) for i in items_of(db, doc["id"])]))


@route("/rest/api/3/fieldconfiguration/{id}/fields", "PUT")
async def update_items(request: Request) -> Response:
    data, db = await body_object(request), store(request)
    doc = find_config(db, request.path_params["id"])
    raw = data.get("fieldConfigurationItems") or []
    require(
        isinstance(raw, list) and bool(raw),
        400,
        "The fieldConfigurationItems must be provided.",
        "fieldConfigurationItems",
    )
    current = {i["id"]: i for i in items_of(db, doc["id"])}
    fields = {f["id"]: f for f in configurable_fields(db)}
    changed = [changed_item(current, fields, change) for change in raw]
    with db.tx():
        for item in changed:
            save_item(db, doc["id"], item, default_item(fields[item["id"]]))
    return no_content()


def changed_item(current: dict[str, Doc], fields: dict[str, Doc], change: Any) -> Doc:
    """The item ``change`` asks for, checked; hiding a field resets its other values."""
    require(
        isinstance(change, dict) and bool(change.get("id")),
        400,
        "Each field configuration item needs an id.",
        "fieldConfigurationItems",
    )
    field_id = str(change["id"])
    require(field_id in current, 400, f"The field with id '{field_id}' was not found.")
    item = {**current[field_id]}
    item.update({k: change[k] for k in ("isHidden", "isRequired") if k in change})
    if "description" in change:
        item["description"] = str(change["description"] or "")
    if "renderer" in change:
        check_renderer(item, change["renderer"])
        item["renderer"] = change["renderer"]
    require(
        field_id not in LOCKED or (item["isRequired"] and not item["isHidden"]),
        400,
        f"The field '{field_id}' is locked: it must stay visible and required.",
    )
    require(
        not (change.get("isHidden") and change.get("isRequired")),
        400,
        f"The field '{field_id}' can't be both hidden and required.",
    )
    if change.get("isHidden"):
        item = {**default_item(fields[field_id]), "isHidden": True}
    return item


def check_renderer(item: Doc, renderer: Any) -> None:
    require(renderer in RENDERERS, 400, f"The renderer '{renderer}' is not valid.", "renderer")
    require(
        item.get("renderer") in RENDERERS,
        400,
        f"The renderer of the field '{item['id']}' can't be changed.",
        "renderer",
    )


# -- field configuration schemes ---------------------------------------------------------------
def scheme_bean(doc: Doc) -> dict[str, Any]:
    bean = {"id": doc["id"], "name": doc["name"], "description": doc["description"]}
    return {k: v for k, v in bean.items() if v != ""}


def find_scheme(db: Store, raw: Any) -> Doc:
    return found(
        get_field_configuration_scheme(db, raw), "The field configuration scheme was not found."
    )


@route("/rest/api/3/fieldconfigurationscheme")
async def list_schemes(request: Request) -> Response:
    ids = list_param(request, "id")
    require(all(i.isdigit() for i in ids), 400, "The id must be a number.", "id")
    docs = store(request).find(SCHEMES, lambda d: not ids or d["id"] in ids)
    return ok(page(request, [scheme_bean(d) for d in docs]))


@route("/rest/api/3/fieldconfigurationscheme", "POST")
async def create_scheme(request: Request) -> Response:
    data, db = await body_object(request), store(request)
    name, description = check_details(db, SCHEMES, data)
    doc = db.insert(
        SCHEMES,
        {"name": name, "description": description, "mappings": {"default": DEFAULT_CONFIG_ID}},
    )
    return ok(scheme_bean(doc), 201)


@route("/rest/api/3/fieldconfigurationscheme/{id}", "PUT")
async def update_scheme(request: Request) -> Response:
    data, db = await body_object(request), store(request)
    doc = find_scheme(db, request.path_params["id"])
    doc["name"], doc["description"] = check_details(db, SCHEMES, data, doc["id"])
    db.put(SCHEMES, doc)
    return no_content()


@route("/rest/api/3/fieldconfigurationscheme/{id}", "DELETE")
async def delete_scheme(request: Request) -> Response:
    db = store(request)
    doc = find_scheme(db, request.path_params["id"])
    used = db.first(SCHEME_PROJECTS, lambda link: link["schemeId"] == doc["id"])
    require(used is None, 400, "The field configuration scheme is used by one or more projects.")
    db.delete(SCHEMES, doc["id"])
    return no_content()


@route("/rest/api/3/fieldconfigurationscheme/mapping")
async def list_mappings(request: Request) -> Response:
    ids = list_param(request, "fieldConfigurationSchemeId")
    require(
        len(ids) <= 50,
        400,
        "The fieldConfigurationSchemeId can't contain more than 50 values.",
        "fieldConfigurationSchemeId",
    )
    db = store(request)
    docs = [find_scheme(db, i) for i in ids] if ids else db.all(SCHEMES)
    items = [
        {"fieldConfigurationSchemeId": d["id"], "issueTypeId": t, "fieldConfigurationId": c}
        for d in docs
        for t, c in d["mappings"].items()
    ]
    return ok(page(request, items))


@route("/rest/api/3/fieldconfigurationscheme/{id}/mapping", "PUT")
async def set_mappings(request: Request) -> Response:
    data, db = await body_object(request), store(request)
    doc = find_scheme(db, request.path_params["id"])
    raw = data.get("mappings") or []
    require(isinstance(raw, list) and bool(raw), 400, "The mappings must be provided.", "mappings")
    pairs = [
        (str(m.get("issueTypeId")), str(m.get("fieldConfigurationId")))
        for m in raw
        if isinstance(m, dict)
    ]
    types = [t for t, _ in pairs]
    require(
        len(set(types)) == len(types) == len(raw),
        400,
        "The mappings must name each issue type once.",
        "mappings",
    )
    for type_id, config_id in pairs:
        require_issue_type(db, type_id)
        find_config(db, config_id)
    doc["mappings"].update(dict(pairs))
    db.put(SCHEMES, doc)
    return no_content()


def require_issue_type(db: Store, type_id: str) -> None:
    get_type = peer("issuetypes", "get_issue_type")
    known = type_id == "default" or (get_type(db, type_id) is not None if get_type else True)
    require(known, 404, f"The issue type with id '{type_id}' was not found.")


@route("/rest/api/3/fieldconfigurationscheme/{id}/mapping/delete", "POST")
async def remove_mappings(request: Request) -> Response:
    data, db = await body_object(request), store(request)
    doc = find_scheme(db, request.path_params["id"])
    ids = [str(i) for i in data.get("issueTypeIds") or []]
    require(bool(ids), 400, "The issueTypeIds must be provided.", "issueTypeIds")
    require(len(ids) <= 100, 400, "The issueTypeIds must contain no more than 100 items.")
    require(len(set(ids)) == len(ids), 400, "The issueTypeIds must not contain duplicates.")
    require("default" not in ids, 400, "The default mapping can't be removed.")
    for type_id in ids:
        require_issue_type(db, type_id)
    doc["mappings"] = {t: c for t, c in doc["mappings"].items() if t not in ids}
    db.put(SCHEMES, doc)
    return no_content()


@route("/rest/api/3/fieldconfigurationscheme/project")
async def schemes_of_projects(request: Request) -> Response:
    db, wanted = store(request), list_param(request, "projectId")
    require(bool(wanted), 400, "The projectId must be provided.", "projectId")
    require(all(p.isdigit() for p in wanted), 400, "The projectId must be a number.", "projectId")
    groups = group_by_scheme(
        wanted, lambda p: str((db.get(SCHEME_PROJECTS, p) or {}).get("schemeId", ""))
    )
    items = [
        {"projectIds": p}
        if not s
        else {"fieldConfigurationScheme": scheme_bean(find_scheme(db, s)), "projectIds": p}
        for s, p in sorted(groups.items(), key=lambda kv: int(kv[0] or 0))
    ]
    return ok(page(request, items))


@route("/rest/api/3/fieldconfigurationscheme/project", "PUT")
async def assign_scheme(request: Request) -> Response:
    data, db = await body_object(request), store(request)
    project_id = str(data.get("projectId") or "")
    require(project_id != "", 400, "The projectId must be provided.", "projectId")
    get_project = peer("projects", "get_project")
    require(
        get_project is None or get_project(db, project_id) is not None,
        404,
        "The project was not found.",
    )
    scheme_id = data.get("fieldConfigurationSchemeId")
    if scheme_id is not None:
        find_scheme(db, scheme_id)
    assign_field_configuration_scheme(db, project_id, scheme_id)
    return no_content()


ROUTES = [
    list_configs,
    create_config,
    update_config,
    delete_config,
    list_items,
    update_items,
    list_schemes,
    create_scheme,
    list_mappings,
    schemes_of_projects,
    assign_scheme,
    update_scheme,
    delete_scheme,
    set_mappings,
    remove_mappings,
]


def seed_empty(db: Store) -> None:
    doc = db.insert(
        CONFIGS,
        {
            "name": "Default Field Configuration",  # id from the counter
            "description": "The default field configuration",
            "isDefault": True,
        },
    )
    assert doc["id"] == DEFAULT_CONFIG_ID
