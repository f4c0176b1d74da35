"""What an issue's comments and worklogs share (``issue_comments``, ``issue_worklogs``): the
bean's common part (self, authors, dates, visibility, ``expand=properties``), the issue bean's
``fields.comment`` / ``fields.worklog``, the paged list on an issue and ``POST .../list``'s ids.
``kind`` is ``comment`` or ``worklog``: the path segment and the entity-property kind."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from jiracfg.sandbox.http import ApiError, base, body_object, int_param, ok, require, store
from jiracfg.sandbox.routes._entity_properties import properties_of
from jiracfg.sandbox.routes._issue_beans import user_details
from jiracfg.sandbox.store import Doc

Bean = Callable[[Request, Doc, str], dict[str, Any]]  # (request, doc, expand) -> bean
MAX_LIST = 1000


def child_bean(
    request: Request, doc: Doc, kind: str, own: dict[str, Any], expand: str = ""
) -> dict[str, Any]:
    """A comment's or worklog's bean: the common keys, then ``own``, visibility, properties."""
    url, db = base(request), store(request)
    bean: dict[str, Any] = {
        "self": f"{url}/rest/api/3/issue/{doc['issueId']}/{kind}/{doc['id']}",
        "id": doc["id"],
        "author": user_details(db, url, doc["author"]),
        "updateAuthor": user_details(db, url, str(doc.get("updateAuthor") or doc["author"])),
        "created": doc["created"],
        "updated": doc.get("updated", doc["created"]),
        **own,
    }
    if doc.get("visibility"):
        bean["visibility"] = doc["visibility"]
    if "properties" in expand.split(","):
        bean["properties"] = properties_of(db, kind, doc["id"])
    return bean


def embedded(
    request: Request, issue: Doc, coll: str, name: str, bean: Bean, shown: int | None = None
) -> dict[str, Any]:
    """An issue bean's ``fields.<kind>``: the first ``shown`` docs of ``coll`` (None: all)."""
    docs = store(request).all(coll, issue["id"])
    return {
        "startAt": 0,
        "maxResults": len(docs) if shown is None else shown,
        "total": len(docs),
        name: [bean(request, d, "") for d in docs[:shown]],
    }


def listed(request: Request, docs: list[Doc], name: str, bean: Bean, most: int) -> Response:
    """A page of ``docs`` as ``{startAt, maxResults, total, <name>}`` (``expand`` honoured)."""
    start = int_param(request, "startAt", 0)
    size = int_param(request, "maxResults", most, high=most)
    expand = request.query_params.get("expand", "")
    return ok(
        {
            "startAt": start,
            "maxResults": size,
            "total": len(docs),
            name: [bean(request, d, expand) for d in docs[start : start + size]],
        }
    )


async def requested_ids(request: Request) -> list[str]:
    """The ``ids`` of a ``POST /comment/list`` or ``/worklog/list`` body (400 unless a list of
    at most 1,000)."""
    ids = (await body_object(request)).get("ids")
    if not isinstance(ids, list):
        raise ApiError(400, errors={"ids": "The ids must be provided."})
    require(len(ids) <= MAX_LIST, 400, f"The number of ids must not exceed {MAX_LIST}.")
    return [str(i) for i in ids]
