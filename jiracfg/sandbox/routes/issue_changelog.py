"""The changelog: an issue's histories (``GET /issue/{key}/changelog``, paged, oldest first;
``expand=changelog`` on the issue), histories by ids (``POST /issue/{key}/changelog/list``) and
the bulk read ``POST /changelog/bulkfetch`` (up to 1,000 issues, up to 10 field ids, paged by
``nextPageToken``). Histories are written by ``_issue_history.record`` on every issue write.
"""

from __future__ import annotations

import base64
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from jiracfg.sandbox.http import ApiError, base, body_object, ok, page, require, route, store
from jiracfg.sandbox.routes._issue_beans import user_details
from jiracfg.sandbox.routes._issue_history import HISTORY
from jiracfg.sandbox.routes.issues import by_key, find_issue
from jiracfg.sandbox.store import Doc, Store

MAX_ISSUES, MAX_FIELDS, MAX_PAGE = 1000, 10, 10000


def history_bean(request: Request, doc: Doc, fields: set[str] | None = None) -> dict[str, Any]:
    items = [i for i in doc["items"] if fields is None or i["fieldId"] in fields]
    return {
        "id": doc["id"],
        "author": user_details(store(request), base(request), doc["author"]),
        "created": doc["created"],
        "items": [{k: v for k, v in i.items() if v is not None} for i in items],
    }


def changelog_page(request: Request, issue: Doc) -> dict[str, Any]:
    """``expand=changelog`` on an issue: every history (PageOfChangelogs)."""
    docs = store(request).all(HISTORY, issue["id"])
    return {
        "startAt": 0,
        "maxResults": len(docs),
        "total": len(docs),
        "histories": [history_bean(request, d) for d in docs],
    }


@route("/rest/api/3/issue/{key}/changelog")
async def issue_changelog(request: Request) -> Response:
    db = store(request)
    issue = find_issue(db, request.path_params["key"])
    beans = [history_bean(request, d) for d in db.all(HISTORY, issue["id"])]
    return ok(page(request, beans, default_max=100, cap=100))


@route("/rest/api/3/issue/{key}/changelog/list", "POST")
async def changelogs_by_ids(request: Request) -> Response:
    data, db = await body_object(request), store(request)
    issue = find_issue(db, request.path_params["key"])
    ids = data.get("changelogIds")
    if not isinstance(ids, list) or not ids:
        raise ApiError(400, errors={"changelogIds": "The changelogIds must be provided."})
    wanted = set(map(str, ids))
    beans = [history_bean(request, d) for d in db.all(HISTORY, issue["id"]) if d["id"] in wanted]
    return ok(page(request, beans, default_max=1000, cap=1000))


def issue_ids(db: Store, raw: Any) -> list[str]:
    """The ids of the issues named (ids or keys) that exist, in ascending id order."""
    if not isinstance(raw, list) or not raw:
        raise ApiError(400, errors={"issueIdsOrKeys": "The issueIdsOrKeys must be provided."})
    require(len(raw) <= MAX_ISSUES, 400, f"The number of issues must not exceed {MAX_ISSUES}.")
    found = [db.get("issue", str(r)) if str(r).isdigit() else by_key(db, str(r)) for r in raw]
    return sorted({d["id"] for d in found if d}, key=int)


def token_offset(token: Any) -> int:
    if not token:
        return 0
    text = base64.urlsafe_b64decode(str(token).encode() + b"==").decode(errors="replace")
    kind, _, number = text.partition(":")
    require(kind == "changelog" and number.isdigit(), 400, "The nextPageToken is invalid.")
    return int(number)


@route("/rest/api/3/changelog/bulkfetch", "POST")
async def bulk_changelog(request: Request) -> Response:
    data, db = await body_object(request), store(request)
    ids = issue_ids(db, data.get("issueIdsOrKeys"))
    field_ids = data.get("fieldIds") or []
    require(
        isinstance(field_ids, list) and len(field_ids) <= MAX_FIELDS,
        400,
        f"At most {MAX_FIELDS} fieldIds.",
    )
    fields = set(map(str, field_ids)) or None
    size = max(1, min(int(data.get("maxResults") or 1000), MAX_PAGE))
    start = token_offset(data.get("nextPageToken"))
    flat = [(i, h) for i in ids for h in db.all(HISTORY, i) if matches(h, fields)]
    chunk = flat[start : start + size]
    logs: dict[str, list[dict[str, Any]]] = {}
    for issue_id, doc in chunk:
        logs.setdefault(issue_id, []).append(history_bean(request, doc, fields))
    out: dict[str, Any] = {
        "issueChangeLogs": [{"issueId": i, "changeHistories": h} for i, h in logs.items()]
    }
    if start + size < len(flat):
        out["nextPageToken"] = base64.urlsafe_b64encode(
            f"changelog:{start + size}".encode()
        ).decode()
    return ok(out)


def matches(history: Doc, fields: set[str] | None) -> bool:
    return fields is None or any(i["fieldId"] in fields for i in history["items"])


ROUTES = [issue_changelog, changelogs_by_ids, bulk_changelog]


def seed_empty(db: Store) -> None:
    """A new site has no changelog."""
