"""HTTP helpers every sandbox route uses: Jira's error bodies, paging, parameters, JSON bodies."""

from __future__ import annotations

import importlib
import json
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from jiracfg.sandbox import shapes
from jiracfg.sandbox.store import Doc, Store

Handler = Callable[[Request], Awaitable[Response]]
LOG = logging.getLogger("jiracfg.sandbox")


class ApiError(Exception):
    """Raise from a route to answer with Jira's ErrorCollection body."""

    def __init__(self, status: int, *messages: str, errors: dict[str, str] | None = None) -> None:
        super().__init__(status, messages, errors)
        self.status = status
        self.messages = list(messages)
        self.errors = dict(errors or {})

    def response(self) -> JSONResponse:
        return JSONResponse(
            {"errorMessages": self.messages, "errors": self.errors}, status_code=self.status
        )


def not_found(what: str) -> ApiError:
    return ApiError(404, f"{what} was not found.")


def found(doc: Doc | None, message: str) -> Doc:
    """``doc``; a 404 with Jira's ``message`` when it is None."""
    if doc is None:
        raise ApiError(404, message)
    return doc


def store(request: Request) -> Store:
    s: Store = request.app.state.store
    return s


def base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def ok(body: Any, status: int = 200) -> JSONResponse:
    return JSONResponse(body, status_code=status)


def no_content() -> Response:
    return Response(status_code=204)


async def body(request: Request, shape: Any = object) -> Any:
    """The request's JSON body, checked against ``shape`` (see ``shapes``): 415 when it is not
    sent as JSON, 400 with Jira's message when it does not parse or has the wrong types."""
    raw = await request.body()
    if not raw:
        raise ApiError(400, "No content to map due to end-of-input")
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media != "application/json" and not media.endswith("+json"):
        raise ApiError(415, "Unsupported Media Type")
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise ApiError(400, f"Unexpected character in JSON: {str(exc)[:200]}") from exc
    return checked(data, shape)


async def body_object(request: Request, shape: dict[str, Any] | None = None) -> dict[str, Any]:
    """The JSON object body, its fields checked against ``shape`` (``{field: shape}``) and the
    fields every Jira bean reads the same way (``shapes.COMMON``: a top-level ``name`` or
    ``description`` is a string)."""
    data = await body(request)
    if not isinstance(data, dict):
        raise ApiError(400, "Can not deserialize instance out of START_ARRAY token")
    checked(data, {**shapes.COMMON, **(shape or {})})
    return data


def checked(data: Any, shape: Any) -> Any:
    """``data`` when it has ``shape``; else Jira's 400 naming where it does not."""
    try:
        shapes.check(data, shape)
    except shapes.ShapeError as exc:
        if exc.refusal:  # a value Jira reads but refuses (too long): its validation message
            raise ApiError(400, errors={exc.where: exc.expected}) from exc
        raise ApiError(400, shapes.INVALID_PAYLOAD, errors={exc.where: exc.expected}) from exc
    except RecursionError as exc:
        raise ApiError(400, shapes.INVALID_PAYLOAD) from exc
    return data


def int_param(
    request: Request, name: str, default: int, *, low: int = 0, high: int | None = None
) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ApiError(400, f"The {name} parameter must be a number.") from exc
    if value < low:
        value = low
    return value if high is None else min(value, high)


def list_param(request: Request, name: str) -> list[str]:
    """A repeated query parameter (``id=1&id=2``); comma lists are split too."""
    values: list[str] = []
    for raw in request.query_params.getlist(name):
        values += [v for v in raw.split(",") if v != ""]
    return values


def bool_param(request: Request, name: str, default: bool = False) -> bool:
    raw = request.query_params.get(name)
    return default if raw is None else raw.lower() == "true"


def page(
    request: Request,
    items: Sequence[Any],
    *,
    default_max: int = 50,
    cap: int | None = None,
    size_param: str = "maxResults",
    key: str = "values",
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A PageBean: ``{self, nextPage?, maxResults, startAt, total, isLast, values}``.

    ``maxResults`` above ``cap`` is clamped and the effective value returned, as Jira does.
    """
    start = int_param(request, "startAt", 0)
    size = int_param(request, size_param, default_max, low=0, high=cap or default_max * 20)
    chunk = list(items[start : start + size])
    last = size == 0 or start + len(chunk) >= len(items)  # 0 per page: no page follows
    out: dict[str, Any] = {
        "self": str(request.url),
        "maxResults": size,
        "startAt": start,
        "total": len(items),
        "isLast": last,
    }
    if not last:
        out["nextPage"] = str(request.url.include_query_params(startAt=start + size))
    out[key] = chunk
    out.update(extra or {})
    return out


def route(path: str, *methods: str) -> Callable[[Handler], Route]:
    """Decorator: turn an async handler into a Starlette Route for ``/rest/...`` ``path``."""

    def wrap(fn: Handler) -> Route:
        return Route(path, fn, methods=list(methods) or ["GET"], name=f"{fn.__name__}:{path}")

    return wrap


def side_effect(what: str, fn: Callable[..., Any], *args: Any) -> None:
    """Run ``fn(*args)``, a consequence of a write already committed (webhook deliveries): its
    failure is logged and never becomes the write's answer, as in Jira."""
    try:
        fn(*args)
    except Exception:
        LOG.warning("sandbox side effect failed: %s", what, exc_info=True)


def require(condition: bool, status: int, message: str, field: str | None = None) -> None:
    """Raise ApiError(status) when ``condition`` is false (message in ``errors[field]`` if
    given)."""
    if condition:
        return
    if field:
        raise ApiError(status, errors={field: message})
    raise ApiError(status, message)


def moved(
    current: list[str],
    ids: list[str],
    data: dict[str, Any],
    check_after: Callable[[str, list[str]], None],
) -> list[str]:
    """``current`` with ``ids`` placed after ``data['after']`` or at ``data['position']``
    (``First``/``Last``); ``check_after(after, rest)`` raises Jira's error for a bad ``after``
    (``rest``: the ids that do not move)."""
    rest = [i for i in current if i not in ids]
    after, position = data.get("after"), data.get("position")
    if after is not None:
        check_after(str(after), rest)
        cut = rest.index(str(after)) + 1
        return rest[:cut] + ids + rest[cut:]
    require(position in ("First", "Last"), 400, "Either after or position must be provided.")
    return ids + rest if position == "First" else rest + ids


def same_name(a: str, b: str) -> bool:
    return a.strip().casefold() == b.strip().casefold()


def checked_name(
    name: Any, empty: str, too_long: str, *, limit: int = 255, field: str | None = "name"
) -> str:
    """``name`` stripped; 400 with Jira's message when it is blank or longer than ``limit``."""
    require(isinstance(name, str) and name.strip() != "", 400, empty, field)
    require(len(name) <= limit, 400, too_long, field)
    return str(name).strip()


def name_taken(
    db: Store, coll: str, name: str, own_id: str | None = None, parent: str | None = None
) -> bool:
    """Whether another doc of ``coll`` (under ``parent``) has ``name``, ignoring case."""
    return (
        db.first(coll, lambda d: same_name(d["name"], name) and d["id"] != own_id, parent)
        is not None
    )


def peer(module: str, name: str) -> Callable[..., Any] | None:
    """``name`` from another route area, or None while that area or function is missing (the
    contract is in ``jiracfg/sandbox/routes/__init__.py``)."""
    try:
        mod = importlib.import_module(f"jiracfg.sandbox.routes.{module}")
    except ImportError:
        return None
    fn = getattr(mod, name, None)
    return fn if callable(fn) else None
