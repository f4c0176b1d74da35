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
from jiracfg.sandbox.routes._entity_properties import properties_of
from jiracfg.sandbox.routes._issue_beans import Renderer, wanted_fields
from jiracfg.sandbox.routes.issues import ISSUES, NOT_FOUND, by_key, issues_of
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


@route("/rest/api/3/issue/bulkfetch", "POST")
async def bulk_fetch(request: Request) -> Response:
    """Up to 100 issues by id or key, ascending by id; unknown ones in ``issueErrors``."""
    data, db = await body_object(request), store(request)
    wanted = data.get("issueIdsOrKeys")
    if not isinstance(wanted, list) or not wanted:
        raise ApiError(400, errors={"issueIdsOrKeys": "The issueIdsOrKeys must be provided."})
    require(len(wanted) <= MAX_FETCH, 400, f"The number of issues must not exceed {MAX_FETCH}.")
    found: dict[str, Doc] = {}
    errors = []
    for raw in dict.fromkeys(map(str, wanted)):
        doc = db.get(ISSUES, raw) if raw.isdigit() else by_key(db, raw)
        if doc is None:
            errors.append({"id": raw, "errorMessage": NOT_FOUND})
        else:
            found[doc["id"]] = doc
    render = Renderer(request, [str(f) for f in data.get("fields") or []], "*navigable")
    issues = [
        with_expand(request, render.bean(found[i]), found[i], data) for i in sorted(found, key=int)
    ]
    return ok({"issues": issues, "issueErrors": errors})


def with_expand(
    request: Request, bean: dict[str, Any], doc: Doc, data: dict[str, Any]
) -> dict[str, Any]:
    expand = data.get("expand") or []
    if "changelog" in expand:
        bean["changelog"] = jql.call("issue_changelog", "changelog_page", None, request, doc)
    wanted = [str(p) for p in data.get("properties") or []]
    if wanted:
        props = {p["key"]: p["value"] for p in properties_of(store(request), "issue", doc["id"])}
        bean["properties"] = {k: props[k] for k in wanted if k in props}
    return bean


@route("/rest/api/3/search", "GET", "POST")
async def classic_search(request: Request) -> Response:
    raise ApiError(410, GONE)


ROUTES = [
    search_post,
    search_get,
    approximate_count,
    bulk_fetch,
    classic_search,
]
MAX_FETCH = 100


def seed_empty(db: Store) -> None:
    """A new site has no issues to search."""
