"""Malformed requests for every sandbox route (used by test_malformed.py).

Path parameters are filled with real objects of the ``demo`` seed so that a route reaches its body
handling; body fields and query parameters to spoil are the names the route's module reads.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from starlette.routing import Route

from jiracfg.sandbox.store import Store

BODY_METHODS = ("POST", "PUT")
# Every body a route must refuse or take without crashing.
WHOLE_BODIES: list[Any] = [None, [], "x", 1, True, 1.5, {}, {"x": 1}, [None], [{}], "x" * 70_000]
WRONG: list[Any] = [
    [False, {"a": None}],
    {"a": [1]},
    7,
    True,
    [None],
    "x" * 70_000,
    -1,
    [7, "x"],
    {"id": None},
    [{"a": []}],
]
GARBAGE_PARAMS = ["x", "-1", "9" * 30, "", "a,b,,c", "'\" (", "[]", "0"]
FIELD_READS = re.compile(r"""(?:\.get\(|\[)\s*"([A-Za-z_][A-Za-z0-9_]*)"\s*[,)\]]""")
PARAM_READS = re.compile(
    r"""(?:query_params\.get(?:list)?\(|_param\(\s*request,\s*)"([A-Za-z_][A-Za-z0-9_]*)\""""
)


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    json: Any = None
    params: dict[str, str] | None = None
    has_body: bool = False


def module_source(route: Route) -> str:
    module = inspect.getmodule(route.endpoint)
    return inspect.getsource(module) if module else ""


def field_names(route: Route) -> list[str]:
    return sorted(set(FIELD_READS.findall(module_source(route))))


def param_names(route: Route) -> list[str]:
    names = set(PARAM_READS.findall(module_source(route)))
    return sorted(names | {"startAt", "maxResults", "expand", "id", "projectId", "query"})


def bodies(route: Route) -> Iterator[Any]:
    yield from WHOLE_BODIES
    names = field_names(route)
    for i, name in enumerate(names):
        yield {name: WRONG[i % len(WRONG)]}
    for wrong in WRONG[:5]:
        yield {name: wrong for name in names}
        yield {name: [wrong] for name in names}
        yield {name: {n: wrong for n in names} for name in names}


def calls(route: Route, path: str) -> Iterator[Call]:
    methods = sorted((route.methods or set()) - {"HEAD"})
    for method in methods:
        if method in BODY_METHODS:
            yield from (Call(method, path, json=b, has_body=True) for b in bodies(route))
        names = param_names(route)
        for value in GARBAGE_PARAMS:
            yield Call(method, path, params=dict.fromkeys(names, value))


def _first(db: Store, coll: str, parent: str | None = None) -> str:
    docs = db.all(coll, parent)
    return str(docs[0]["id"]) if docs else "10000"


def _custom_field(db: Store) -> str:
    return next(
        (c for c in (db.parent_of("field_context", d["id"]) for d in db.all("field_context")) if c),
        "customfield_10000",
    )


# The value of a path parameter, from its name, the segment before it, and the value before.
Resolver = Callable[[Store, str], str]
BY_SEGMENT: dict[str, Resolver] = {
    "workflowscheme": lambda db, _: _first(db, "workflow_scheme"),
    "issuetype": lambda db, _: _first(db, "issue_type"),
    "issuetypescheme": lambda db, _: _first(db, "issue_type_scheme"),
    "screenscheme": lambda db, _: _first(db, "screen_scheme"),
    "issuetypescreenscheme": lambda db, _: _first(db, "issue_type_screen_scheme"),
    "screens": lambda db, _: _first(db, "screen"),
    "tabs": lambda db, prev: _first(db, "screen_tab", prev),
    "fields": lambda db, prev: _first(db, "screen_tab_field", prev).split(":")[-1],
    "move": lambda db, _: "0",
    "addToDefault": lambda db, _: _custom_field(db),
    "field": lambda db, _: _custom_field(db),
    "context": lambda db, prev: _first(db, "field_context", prev),
    "option": lambda db, prev: _first(db, "field_option", prev),
    "customFieldOption": lambda db, _: _first(db, "field_option"),
    "fieldconfiguration": lambda db, _: _first(db, "field_configuration"),
    "fieldconfigurationscheme": lambda db, _: _first(db, "field_configuration_scheme"),
    "priority": lambda db, _: _first(db, "priority"),
    "resolution": lambda db, _: _first(db, "resolution"),
    "issueLinkType": lambda db, _: _first(db, "issue_link_type"),
    "permissionscheme": lambda db, _: _first(db, "permission_scheme"),
    "permission": lambda db, prev: _first(db, "permission_grant", prev),
    "notificationscheme": lambda db, _: _first(db, "notification_scheme"),
    "notification": lambda db, prev: _first(db, "notification", prev),
    "role": lambda db, _: _first(db, "project_role"),
    "project": lambda db, _: "ENG",
    "projectCategory": lambda db, _: _first(db, "project_category"),
    "component": lambda db, _: _first(db, "component"),
    "version": lambda db, _: _first(db, "version"),
    "issue": lambda db, _: "ENG-1",
    "webhook": lambda db, _: _first(db, "webhook"),
    "workflow": lambda db, _: _first(db, "workflow"),
    "addons": lambda db, _: "com.example.diagrams",
    "properties": lambda db, _: "defaults",
    "task": lambda db, _: "1",
}


def concrete_path(db: Store, template: str) -> str:
    """``template`` with each ``{param}`` replaced by a real object of ``db``."""
    parts, prev = template.split("/"), ""
    for i, part in enumerate(parts):
        if part.startswith("{"):
            resolve = BY_SEGMENT.get(parts[i - 1], lambda db, _: "10000")
            prev = parts[i] = resolve(db, prev)
    return "/".join(parts)
