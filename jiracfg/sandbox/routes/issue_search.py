"""JQL search: the enhanced ``/search/jql`` (GET and POST, paged by token), approximate counts,
and the removed classic ``/search`` (410). JQL lives in ``jiracfg/sandbox/jql.py``.
"""

from __future__ import annotations

import base64
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from jiracfg.sandbox import jql
from jiracfg.sandbox.http import ApiError, body_object, int_param, ok, require, route, store
from jiracfg.sandbox.routes._issue_beans import Renderer, wanted_fields
from jiracfg.sandbox.routes.issues import issues_of
from jiracfg.sandbox.store import Doc, Store

GONE = (
    "The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. A "
    "full migration guideline is available at "
    "https://developer.atlassian.com/changelog/#CHANGE-2046"
)


def matching(db: Store, text: str) -> list[Doc]:
    """The issues a bounded JQL query matches, in the query's order."""
    query = jql.compile_query(db, text)
    pool = (
        issues_of(db)
        if query.projects is None
        else [d for p in sorted(query.projects) for d in issues_of(db, p)]
    )
    return jql.ordered([d for d in pool if query.match(d)], query.order)


# The spec's SearchAndReconcileRequestBean.
SEARCH = {"jql": str, "nextPageToken": str, "maxResults": int, "fields": [str], "expand": str}
SEARCH.update(properties=[str], fieldsByKeys=bool, reconcileIssues=[int])


def page_token(offset: int) -> str:
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode()


def token_offset(token: str | None) -> int:
    if not token:
        return 0
    try:
        raw = base64.urlsafe_b64decode(token.encode() + b"==")
    except ValueError:  # binascii.Error: a length of 4n+1, or characters outside the alphabet
        raw = b""
    kind, _, number = raw.decode(errors="replace").partition(":")
    require(
        kind == "offset" and number.isdigit(),
        400,
        "The provided next page token is invalid or expired.",
    )
    return int(number)


def search_page(request: Request, params: dict[str, Any]) -> dict[str, Any]:
    """One page of ``/search/jql``: ``{issues, isLast, nextPageToken?}``."""
    fields = [str(f) for f in params.get("fields") or []]
    only_ids = all(f in ("id", "key") for f in fields)
    size = max(0, min(int(params.get("maxResults") or 50), 5000 if only_ids else 100))
    start = token_offset(params.get("nextPageToken"))
    found = matching(store(request), str(params.get("jql") or ""))
    render = Renderer(request, fields, "id")
    out: dict[str, Any] = {
        "issues": [render.bean(d) for d in found[start : start + size]],
        "isLast": start + size >= len(found),
    }
    if not out["isLast"]:
        out["nextPageToken"] = page_token(start + size)
    return out


@route("/rest/api/3/search/jql", "POST")
async def search_post(request: Request) -> Response:
    data = await body_object(request, SEARCH)
    return ok(search_page(request, data))


@route("/rest/api/3/search/jql")
async def search_get(request: Request) -> Response:
    params = {
        "jql": request.query_params.get("jql"),
        "fields": wanted_fields(request),
        "maxResults": int_param(request, "maxResults", 50),
        "nextPageToken": request.query_params.get("nextPageToken"),
    }
    return ok(search_page(request, params))


@route("/rest/api/3/search/approximate-count", "POST")
async def approximate_count(request: Request) -> Response:
    data, db = await body_object(request), store(request)
    return ok({"count": len(matching(db, str(data.get("jql") or "")))})


@route("/rest/api/3/search", "GET", "POST")
async def classic_search(request: Request) -> Response:
    raise ApiError(410, GONE)


ROUTES = [
    search_post,
    search_get,
    approximate_count,
    classic_search,
]


def seed_empty(db: Store) -> None:
    """A new site has no issues to search."""
