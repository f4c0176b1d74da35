"""Read-only lists of what jiracfg does not manage yet, as a sandbox site has them.

The export's inventory counts these: boards (none: the sandbox creates none, as a new site has
none). Nothing is stored; nothing can be created here.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from jiracfg.sandbox.http import ok, page, route
from jiracfg.sandbox.store import Store


@route("/rest/agile/1.0/board")
async def boards(request: Request) -> Response:
    body = page(request, [], default_max=50)
    return ok({k: v for k, v in body.items() if k not in ("self", "nextPage")})


ROUTES = [boards]


def seed_empty(db: Store) -> None:
    """Nothing to store: the lists above are fixed."""
