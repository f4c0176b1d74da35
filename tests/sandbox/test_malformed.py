"""Malformed input at every sandbox route: never a 500, never a crash caught by the guard, never
a Python repr stored. Routes are enumerated from the app, so new areas are covered as they land."""

from __future__ import annotations

import json
from types import ModuleType

import httpx
import pytest
from starlette.routing import Route

from jiracfg.sandbox.routes import AREAS, TASK_ROUTES
from jiracfg.sandbox.server import EMAIL, TOKEN, SandboxServer
from jiracfg.sandbox.store import Store
from tests.conftest import StartSandbox, seeded_store
from tests.sandbox.malformed import Call, calls, concrete_path

REPRS = ("[False, {", "{'a': ", "'id': None")


def stored_reprs(db: Store) -> list[str]:
    rows = db.db.execute("SELECT coll, id, body FROM docs").fetchall()
    return [f"{c}/{i}" for c, i, body in rows if any(r in body for r in REPRS)]


def problems_of(server: SandboxServer, http: httpx.Client, route: Route) -> list[str]:
    """Every malformed call on ``route`` against a fresh ``demo`` store; what went wrong."""
    found: list[str] = []
    server.app.state.store = seeded_store("demo")
    path = concrete_path(server.app.state.store, route.path)
    paths = [path]
    if path.startswith("/rest/api/3/issue"):  # v2 rewrites these bodies: spoil them there too
        paths.append(path.replace("/rest/api/3/", "/rest/api/2/"))
    for call in (c for p in paths for c in calls(route, p)):
        response = send(http, call)
        if response.status_code >= 500:
            found.append(
                f"{call.method} {call.path} -> {response.status_code} {response.text[:200]}"
            )
    found += server.app.state.guarded
    found += [
        f"{route.path}: stored a repr in {where}" for where in stored_reprs(server.app.state.store)
    ]
    server.app.state.guarded.clear()
    return found


def send(http: httpx.Client, call: Call) -> httpx.Response:
    content = json.dumps(call.json).encode() if call.has_body else None
    headers = {"Content-Type": "application/json"} if call.has_body else {}
    return http.request(
        call.method, call.path, content=content, headers=headers, params=call.params
    )


def area_name(area: ModuleType) -> str:
    return area.__name__.rsplit(".", 1)[-1]


@pytest.mark.parametrize(
    "area", [*AREAS, "tasks"], ids=lambda a: a if isinstance(a, str) else area_name(a)
)
def test_no_route_crashes_on_malformed_input(
    start_sandbox: StartSandbox, area: ModuleType | str
) -> None:
    routes = TASK_ROUTES if isinstance(area, str) else area.ROUTES
    server = start_sandbox("demo")
    found: list[str] = []
    with httpx.Client(base_url=server.url, auth=(EMAIL, TOKEN), timeout=30) as http:
        for route in sorted(routes, key=lambda r: "DELETE" in (r.methods or ())):
            found += problems_of(server, http, route)
    assert not found, "\n".join(sorted({f[:300] for f in found}))
