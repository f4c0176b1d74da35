"""The audit log (``GET /auditing/record``): newest first, ``offset``/``limit`` (at most 1000),
``filter`` (every space-separated word must appear in the summary, category, event source, object
or changed values), ``from``/``to`` (ISO date-time, date, or epoch milliseconds). The records
are written by ``jiracfg.sandbox.audit``; a new site's log is empty."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from jiracfg.sandbox.audit import RECORDS
from jiracfg.sandbox.http import ApiError, int_param, ok, route, store
from jiracfg.sandbox.store import Doc, Store

LIMIT = 1000
SEARCHED = ("summary", "category", "eventSource", "remoteAddress")


@route("/rest/api/3/auditing/record")
async def get_records(request: Request) -> Response:
    offset = int_param(request, "offset", 0)
    limit = int_param(request, "limit", LIMIT, high=LIMIT)
    low, high = _when(request, "from"), _when(request, "to")
    words = (request.query_params.get("filter") or "").casefold().split()
    found = [
        r
        for r in reversed(store(request).all(RECORDS))
        if (low is None or r["_ms"] >= low)
        and (high is None or r["_ms"] <= high)
        and all(w in _searched(r) for w in words)
    ]
    records = [_bean(r) for r in found[offset : offset + limit]]
    return ok({"offset": offset, "limit": limit, "total": len(found), "records": records})


def _when(request: Request, name: str) -> int | None:
    raw = (request.query_params.get(name) or "").strip()
    if not raw:
        return None
    if raw.isdigit() and len(raw) <= 15:
        return int(raw)
    try:
        when = _parse(raw)
    except ValueError as exc:
        raise ApiError(400, f"Invalid date format for the '{name}' parameter: {raw[:80]}") from exc
    return int(when.timestamp() * 1000)


def _parse(raw: str) -> datetime:
    if len(raw) == 10:
        day = date.fromisoformat(raw)
        return datetime(day.year, day.month, day.day, tzinfo=UTC)
    text = raw.replace("Z", "+00:00")
    if len(text) > 5 and text[-5] in "+-" and text[-4:].isdigit():
        text = f"{text[:-2]}:{text[-2:]}"  # Jira's +0000
    when = datetime.fromisoformat(text)
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _searched(record: Doc) -> str:
    item = record.get("objectItem") or {}
    parts = [str(record.get(k, "")) for k in SEARCHED]
    parts += [str(item.get(k, "")) for k in ("name", "parentName", "typeName")]
    for value in record.get("changedValues") or []:
        parts += [value.get("changedFrom", ""), value.get("changedTo", "")]
    return "\n".join(parts).casefold()


def _bean(record: Doc) -> dict[str, Any]:
    return {k: v for k, v in record.items() if not k.startswith("_")}


ROUTES = [get_records]


def seed_empty(db: Store) -> None:
    """A new site's audit log is empty."""
