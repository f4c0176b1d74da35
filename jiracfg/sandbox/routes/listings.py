"""Read-only lists of what jiracfg does not manage yet, as a sandbox site has them.

The export's inventory counts these: filters, boards and issue security schemes (none: the sandbox
creates none, as a new site has none), dashboards (the system dashboard every site has) and
priority schemes (the default scheme every site has; its nested ``priorities`` and ``projects``
pages are left out). Nothing is stored; nothing can be created here.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from jiracfg.sandbox.http import base, ok, page, peer, route, store
from jiracfg.sandbox.store import Store

SYSTEM_DASHBOARD = "10000"


def system_dashboard(request: Request) -> dict[str, Any]:
    url = base(request)
    return {
        "id": SYSTEM_DASHBOARD,
        "name": "Default dashboard",
        "isFavourite": False,
        "popularity": 0,
        "systemDashboard": True,
        "sharePermissions": [{"type": "global"}],
        "editPermissions": [],
        "self": f"{url}/rest/api/3/dashboard/{SYSTEM_DASHBOARD}",
        "view": f"{url}/jira/dashboards/{SYSTEM_DASHBOARD}",
    }


def default_priority_scheme(request: Request) -> dict[str, Any]:
    default_id = peer("basics", "default_priority_id")
    found = default_id(store(request)) if default_id else None
    return {
        "id": "1",
        "name": "Default Priority Scheme",
        "isDefault": True,
        "default": True,
        "description": "This is the default scheme used by all new and unassigned projects",
        "self": f"{base(request)}/rest/api/3/priorityscheme/1",
        **({"defaultPriorityId": str(found)} if found else {}),
    }


@route("/rest/api/3/filter/search")
async def search_filters(request: Request) -> Response:
    return ok(page(request, [], default_max=50))


@route("/rest/api/3/dashboard/search")
async def search_dashboards(request: Request) -> Response:
    return ok(page(request, [system_dashboard(request)], default_max=50))


@route("/rest/agile/1.0/board")
async def boards(request: Request) -> Response:
    body = page(request, [], default_max=50)
    return ok({k: v for k, v in body.items() if k not in ("self", "nextPage")})


@route("/rest/api/3/issuesecurityschemes")
async def issue_security_schemes(request: Request) -> Response:
    return ok({"issueSecuritySchemes": []})


@route("/rest/api/3/priorityscheme")
async def priority_schemes(request: Request) -> Response:
    return ok(page(request, [default_priority_scheme(request)], default_max=50))


ROUTES = [search_filters, search_dashboards, boards, issue_security_schemes, priority_schemes]


def seed_empty(db: Store) -> None:
    """Nothing to store: the lists above are fixed."""
