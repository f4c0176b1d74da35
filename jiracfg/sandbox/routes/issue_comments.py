"""Issue comments: list (paged) and add. Collection ``issue_comment`` (parent: issue id)
``{id, body, author, created}``; ``issues`` drops them with the issue.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from jiracfg.sandbox.http import base, body_object, int_param, ok, require, route, store
from jiracfg.sandbox.routes.issues import COMMENTS, find_issue, now
from jiracfg.sandbox.store import Doc, Store


def comment_bean(request: Request, issue: Doc, doc: Doc) -> dict[str, Any]:
    url = base(request)
    author = {
        "self": f"{url}/rest/api/3/user?accountId={doc['author']}",
        "accountId": doc["author"],
        "active": True,
    }
    return {
        "self": f"{url}/rest/api/3/issue/{issue['id']}/comment/{doc['id']}",
        "id": doc["id"],
        "author": author,
        "body": doc["body"],
        "updateAuthor": author,
        "created": doc["created"],
        "updated": doc["created"],
        "jsdPublic": True,
    }


@route("/rest/api/3/issue/{key}/comment")
async def list_comments(request: Request) -> Response:
    db = store(request)
    issue = find_issue(db, request.path_params["key"])
    docs = db.all(COMMENTS, issue["id"])
    start = int_param(request, "startAt", 0)
    size = int_param(request, "maxResults", 100, high=5000)
    return ok(
        {
            "startAt": start,
            "maxResults": size,
            "total": len(docs),
            "comments": [comment_bean(request, issue, d) for d in docs[start : start + size]],
        }
    )


@route("/rest/api/3/issue/{key}/comment", "POST")
async def add_comment(request: Request) -> Response:
    data, db = await body_object(request), store(request)
    issue = find_issue(db, request.path_params["key"])
    text = data.get("body")
    require(
        isinstance(text, dict) and bool(text.get("content")),
        400,
        "Comment body can not be empty!",
        "comment",
    )
    doc = db.insert(
        COMMENTS,
        {"body": text, "author": request.state.account_id, "created": now()},
        parent=issue["id"],
    )
    return ok(comment_bean(request, issue, doc), 201)


ROUTES = [
    list_comments,
    add_comment,
]


def seed_empty(db: Store) -> None:
    """A new site has no comments."""
