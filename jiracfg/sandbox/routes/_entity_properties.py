"""Entity properties (issues, comments, worklogs): ``GET .../properties`` (keys),
``GET|PUT|DELETE .../properties/{propertyKey}``. Collection ``<kind>_property`` (parent: the
entity's id) ``{id: "<entity id>:<key>", key, value}``. Jira's limits: key at most 255
characters, value (as JSON) at most 32,768; PUT answers 201 when it creates, 200 when it updates.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from jiracfg.sandbox.http import ApiError, body, no_content, ok, require, route, store
from jiracfg.sandbox.store import Doc, Store

Finder = Callable[[Store, Request], str]  # the entity id from the path (404 when missing)
MAX_KEY, MAX_VALUE = 255, 32768


def property_routes(base_path: str, kind: str, find: Finder) -> list[Route]:
    """The four property routes of an entity under ``base_path`` (``.../properties``)."""
    coll = f"{kind}_property"

    @route(base_path)
    async def list_keys(request: Request) -> Response:
        entity = find(store(request), request)
        keys = [
            {"key": d["key"], "self": f"{request.url}/{d['key']}"}
            for d in store(request).all(coll, entity)
        ]
        return ok({"keys": keys})

    @route(base_path + "/{propertyKey}")
    async def get_one(request: Request) -> Response:
        doc = one(store(request), coll, find(store(request), request), request)
        return ok({"key": doc["key"], "value": doc["value"]})

    @route(base_path + "/{propertyKey}", "PUT")
    async def put_one(request: Request) -> Response:
        db, key = store(request), request.path_params["propertyKey"]
        entity = find(db, request)
        value = await body(request)
        return ok({}, 200 if put_property(db, coll, entity, key, value) else 201)

    @route(base_path + "/{propertyKey}", "DELETE")
    async def delete_one(request: Request) -> Response:
        db = store(request)
        doc = one(db, coll, find(db, request), request)
        db.delete(coll, doc["id"])
        return no_content()

    return [list_keys, get_one, put_one, delete_one]


def one(db: Store, coll: str, entity: str, request: Request) -> Doc:
    key = request.path_params["propertyKey"]
    doc = db.get(coll, f"{entity}:{key}")
    if doc is None:
        raise ApiError(404, f"The property with key '{key}' does not exist.")
    return doc


def put_property(db: Store, coll: str, entity: str, key: str, value: Any) -> bool:
    """Store a property; True when it replaced one. 400 on Jira's limits."""
    require(0 < len(key) <= MAX_KEY, 400, "The property key cannot be longer than 255 characters.")
    require(
        len(json.dumps(value)) <= MAX_VALUE,
        400,
        "The property value cannot be longer than 32768 characters.",
    )
    doc = {"id": f"{entity}:{key}", "key": key, "value": value}
    with db.tx():
        existed = db.delete(coll, doc["id"])
        db.insert(coll, doc, parent=entity)
    return existed


def put_properties(db: Store, kind: str, entity: str, raw: Any) -> None:
    """The ``properties: [{key, value}]`` of a create request."""
    for prop in raw if isinstance(raw, list) else []:
        if isinstance(prop, dict):
            put_property(db, f"{kind}_property", entity, str(prop.get("key")), prop.get("value"))


def properties_of(db: Store, kind: str, entity: str) -> list[Doc]:
    """``[{key, value}]`` of an entity (for ``expand=properties``)."""
    return [{"key": d["key"], "value": d["value"]} for d in db.all(f"{kind}_property", entity)]
