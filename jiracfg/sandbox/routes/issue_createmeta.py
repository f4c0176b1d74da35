"""Create and edit metadata: which fields an issue of a project and type may set, from the
screen its screen scheme gives the operation and the field configuration that applies (hidden
fields left out, ``required`` as configured; custom fields only where a context applies).

``GET /issue/createmeta/{projectIdOrKey}/issuetypes`` (the project's issue types, paged),
``GET /issue/createmeta/{projectIdOrKey}/issuetypes/{issueTypeId}`` (their fields, paged) and
``GET /issue/{key}/editmeta``. ``field_meta(db, doc, screen)`` also serves transition screens.
Priorities are those of the project's priority scheme, its default as ``defaultValue``.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from jiracfg.sandbox.http import ApiError, base, int_param, ok, route, store
from jiracfg.sandbox.jql import call, catalog, project_ref
from jiracfg.sandbox.routes import _issue_values as values
from jiracfg.sandbox.routes.issues import Screen, find_issue, level, new_doc
from jiracfg.sandbox.store import Doc, Store

OPERATIONS = {"labels": ["add", "set", "remove"], "components": ["add", "set", "remove"]}
LIST_OPS = ["add", "set", "remove"]


def field_meta(db: Store, doc: Doc, screen: Screen, url: str = "") -> list[dict[str, Any]]:
    """FieldCreateMetadata of every field the screen lets ``doc`` set, in screen order."""
    out = []
    for field_id in screen.fields or []:
        field = call("fields", "get_field", None, db, field_id)
        if field is None or not applies(db, doc, field):
            continue
        out.append(meta(db, doc, field, screen, url))
    return out


def applies(db: Store, doc: Doc, field: Doc) -> bool:
    if not field.get("custom"):
        return True
    context = call(
        "fields", "context_for", None, db, field["id"], doc["projectId"], doc["issueTypeId"]
    )
    return context is not None


def meta(db: Store, doc: Doc, field: Doc, screen: Screen, url: str) -> dict[str, Any]:
    field_id = str(field["id"])
    kind = values.kind_of(field)
    bean: dict[str, Any] = {
        "required": field_id in screen.required() or field_id in ("summary", "issuetype"),
        "schema": field.get("schema") or {"type": "any"},
        "name": field["name"],
        "key": field_id,
        "fieldId": field_id,
        "hasDefaultValue": field_id == "priority",
        "operations": LIST_OPS if kind in values.LIST_KINDS else ["set"],
    }
    allowed = allowed_values(db, doc, field_id, kind, url)
    if allowed is not None:
        bean["allowedValues"] = allowed
    if field_id == "priority" and "id" not in doc:  # create metadata: the default a create gets
        default = [a for a in allowed or [] if a["id"] == doc["priorityId"]]
        bean |= {"defaultValue": default[0]} if default else {}
    if kind in ("option", "options", "cascade"):
        found = option_default(db, doc, field_id, allowed or [])
        bean |= {"hasDefaultValue": True, "defaultValue": found} if found else {}
    return bean


def option_default(db: Store, doc: Doc, field_id: str, allowed: list[Any]) -> Any:
    """The default of the context that applies, as option beans (None: no default)."""
    context = call(
        "fields", "context_for", None, db, field_id, doc["projectId"], doc["issueTypeId"]
    )
    default = (context or {}).get("default") or {}
    beans = {str(a["id"]): a for a in allowed}
    beans |= {str(c["id"]): c for a in allowed for c in a.get("children") or []}
    if default.get("type") == "option.multiple":
        chosen = [beans[str(i)] for i in default.get("optionIds") or [] if str(i) in beans]
        return chosen or None
    top = beans.get(str(default.get("optionId")))
    if top is None:
        return None
    child = beans.get(str(default.get("cascadingOptionId")))
    top = {k: v for k, v in top.items() if k != "children"}
    return {**top, "child": child} if child else top


def allowed_values(
    db: Store, doc: Doc, field_id: str, kind: str | None, url: str
) -> list[Any] | None:
    if field_id in ("priority", "resolution"):
        docs = catalog(db, field_id)
        if field_id == "priority":  # the project's priority scheme's, in the site's order
            offered, _ = call(
                "priorityschemes", "project_priorities", ([], None), db, doc["projectId"]
            )
            docs = [d for d in docs if not offered or str(d["id"]) in offered]
        return [
            {"self": f"{url}/rest/api/3/{field_id}/{d['id']}", "id": d["id"], "name": d["name"]}
            for d in docs
        ]
    if kind in ("version", "versions", "components"):
        coll = "component" if kind == "components" else "version"
        return [
            {"self": f"{url}/rest/api/3/{coll}/{d['id']}", "id": d["id"], "name": d["name"]}
            for d in db.all(coll, doc["projectId"])
        ]
    if kind in ("option", "options", "cascade"):
        ctx = values.Context(db, doc["projectId"], doc["issueTypeId"])
        options = values.allowed_options(ctx, field_id)
        return [option_bean(url, o, options) for o in values.roots(options)]
    return None


def option_bean(url: str, option: Doc, options: list[Doc]) -> dict[str, Any]:
    bean: dict[str, Any] = {
        "self": f"{url}/rest/api/3/customFieldOption/{option['id']}",
        "value": option["value"],
        "id": option["id"],
    }
    children = [o for o in options if str(o.get("optionId") or "") == str(option["id"])]
    if children:
        bean["children"] = [option_bean(url, c, []) for c in children]
    return bean


def create_fields(db: Store, project: Doc, type_id: str, url: str) -> list[dict[str, Any]]:
    """The create screen's fields plus ``project``, ``issuetype`` (and ``parent`` for sub-tasks
    and types below the top level), as Jira lists them."""
    doc = new_doc(db, str(project["id"]), type_id, "")
    screen = Screen(db, doc, "create")
    fixed = [
        fixed_meta("issuetype", "Issue Type", {"type": "issuetype", "system": "issuetype"}),
        fixed_meta("project", "Project", {"type": "project", "system": "project"}),
    ]
    if level(db, type_id) < 1:
        parent = fixed_meta("parent", "Parent", {"type": "issuelink", "system": "parent"})
        parent["required"] = level(db, type_id) == -1
        fixed.append(parent)
    listed = field_meta(db, doc, screen, url)
    return [*listed, *(f for f in fixed if f["fieldId"] not in {m["fieldId"] for m in listed})]


def fixed_meta(field_id: str, name: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "required": field_id != "parent",
        "schema": schema,
        "name": name,
        "key": field_id,
        "fieldId": field_id,
        "hasDefaultValue": False,
        "operations": ["set"],
    }


def project_of(db: Store, raw: str) -> Doc:
    project = project_ref(db, raw)
    if project is None:
        raise ApiError(404, f"No project could be found with key '{raw}'.")
    return project


def paged(request: Request, items: list[Any], key: str) -> dict[str, Any]:
    start = int_param(request, "startAt", 0)
    size = int_param(request, "maxResults", 50, high=200)
    return {
        "maxResults": size,
        "startAt": start,
        "total": len(items),
        key: items[start : start + size],
    }


@route("/rest/api/3/issue/createmeta/{project}/issuetypes")
async def createmeta_types(request: Request) -> Response:
    db, url = store(request), base(request)
    project = project_of(db, request.path_params["project"])
    types = call("issuetypes", "issue_types_of_project", [], db, project["id"])
    beans = [
        {
            "self": f"{url}/rest/api/3/issuetype/{t['id']}",
            "id": t["id"],
            "name": t["name"],
            "description": t.get("description", ""),
            "subtask": t.get("hierarchyLevel") == -1,
            "hierarchyLevel": t.get("hierarchyLevel", 0),
            "iconUrl": f"{url}/images/icons/issuetypes/{t['id']}.svg",
        }
        for t in types
    ]
    return ok(paged(request, beans, "issueTypes"))


@route("/rest/api/3/issue/createmeta/{project}/issuetypes/{typeId}")
async def createmeta_fields(request: Request) -> Response:
    db = store(request)
    project = project_of(db, request.path_params["project"])
    type_id = request.path_params["typeId"]
    types = call("issuetypes", "issue_types_of_project", [], db, project["id"])
    if not any(str(t["id"]) == type_id for t in types):
        raise ApiError(400, "The issue type selected is invalid.")
    return ok(paged(request, create_fields(db, project, type_id, base(request)), "fields"))


@route("/rest/api/3/issue/{key}/editmeta")
async def editmeta(request: Request) -> Response:
    db = store(request)
    doc = find_issue(db, request.path_params["key"])
    override = request.query_params.get("overrideScreenSecurity") == "true"
    screen = Screen(db, doc, "edit", None if override else "")
    if screen.fields is None:
        screen.fields = [f["id"] for f in call("fields", "all_fields", [], db) if values.kind_of(f)]
    metas = field_meta(db, doc, screen, base(request))
    return ok({"fields": {m.pop("fieldId"): m for m in metas}})


ROUTES = [createmeta_types, createmeta_fields, editmeta]


def seed_empty(db: Store) -> None:
    """Nothing to seed: create metadata is derived from screens and field configurations."""
