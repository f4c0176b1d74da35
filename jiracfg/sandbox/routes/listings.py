"""Read-only lists of what jiracfg does not manage yet, as a sandbox site has them.

The export's inventory counts these: boards (none: the sandbox creates none, as a new site has
none) and dashboards (the system dashboard every site has). Nothing is stored; nothing can
be created here.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from jiracfg.sandbox.http import base, ok, page, route
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


@route("/rest/api/3/dashboard/search")
async def search_dashboards(request: Request) -> Response:
    return ok(page(request, [system_dashboard(request)], default_max=50))


@route("/rest/agile/1.0/board")
async def boards(request: Request) -> Response:
    body = page(request, [], default_max=50)
    return ok({k: v for k, v in body.items() if k not in ("self", "nextPage")})


ROUTES = [search_dashboards, boards]


def seed_empty(db: Store) -> None:
    """Nothing to store: the lists above are fixed."""
