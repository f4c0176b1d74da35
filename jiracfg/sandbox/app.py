"""The sandbox ASGI app: routes, Basic auth, Jira's error bodies, fault injection."""

from __future__ import annotations

import base64
import binascii
import logging

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from jiracfg.sandbox.audit import AuditMiddleware
from jiracfg.sandbox.faults import FaultConfig, FaultMiddleware
from jiracfg.sandbox.http import ApiError, peer
from jiracfg.sandbox.ratelimit import RateBudget, RateLimitMiddleware
from jiracfg.sandbox.routes import AREAS, TASK_ROUTES
from jiracfg.sandbox.shapes import INVALID_PAYLOAD
from jiracfg.sandbox.store import Store
from jiracfg.sandbox.v2 import V2Middleware

LOG = logging.getLogger("jiracfg.sandbox")
UNAUTHORIZED = {
    "errorMessages": [
        "You are not authenticated. Authentication required to perform this operation."
    ],
    "errors": {},
}


def create_app(
    store: Store,
    faults: FaultConfig | None = None,
    rate: RateBudget | None = None,
    audit: bool = True,
) -> Starlette:
    """The sandbox app; ``audit=False`` keeps no audit log (seeds: a site's history is not
    what a seed is for)."""
    routes = [r for area in AREAS for r in area.ROUTES] + list(TASK_ROUTES)
    guarded: list[str] = []
    middleware = [
        Middleware(AuthMiddleware, store=store),
        Middleware(V2Middleware),
        Middleware(GuardMiddleware, hits=guarded),
    ]
    if audit:  # innermost: records what a request committed
        middleware.append(Middleware(AuditMiddleware, store=store))
    if rate is not None:  # inside the latency: a refused request costs a round trip
        middleware.insert(0, Middleware(RateLimitMiddleware, budget=rate))
    if faults is not None:
        middleware.insert(0, Middleware(FaultMiddleware, config=faults))
    app = Starlette(
        routes=routes,
        middleware=middleware,
        exception_handlers={ApiError: _api_error, 404: _not_found, 405: _not_allowed},
    )
    app.state.store = store
    app.state.faults = faults
    app.state.guarded = guarded
    app.state.rate = rate
    return app


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return exc.response()


async def _not_found(request: Request, exc: Exception) -> Response:
    return JSONResponse(
        {"errorMessages": ["null for uri: " + str(request.url)], "errors": {}}, status_code=404
    )


async def _not_allowed(request: Request, exc: Exception) -> Response:
    return JSONResponse(
        {"errorMessages": [f"Method {request.method} not allowed"], "errors": {}}, status_code=405
    )


class AuthMiddleware:
    """HTTP Basic with email + API token of a seeded user, or a Connect app's JWT; 401
    otherwise."""

    def __init__(self, app: ASGIApp, store: Store) -> None:
        self.app = app
        self.store = store

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        account = self._account(dict(scope["headers"]).get(b"authorization", b""), scope)
        if account is None:
            response = JSONResponse(
                UNAUTHORIZED, status_code=401, headers={"WWW-Authenticate": 'Basic realm="jira"'}
            )
            await response(scope, receive, send)
            return
        scope.setdefault("state", {})["account_id"] = account
        await self.app(scope, receive, send)

    def _account(self, header: bytes, scope: Scope) -> str | None:
        scheme, _, encoded = header.partition(b" ")
        if scheme.lower() == b"jwt":
            return self._app_account(encoded.decode("latin-1"), scope)
        if scheme.lower() != b"basic":
            return None
        try:
            email, _, token = base64.b64decode(encoded).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return None
        user = self.store.first("user", lambda u: u["emailAddress"] == email)
        if user is None or user.get("token") != token:
            return None
        return str(user["accountId"])

    def _app_account(self, token: str, scope: Scope) -> str | None:
        """A Connect app's JWT (apps area: only apps may use their own properties)."""
        verify = peer("apps", "app_account")
        if verify is None:
            return None
        query = scope.get("query_string", b"").decode("latin-1")
        account = verify(self.store, token, scope["method"], scope["path"], query)
        return None if account is None else str(account)


class GuardMiddleware:
    """The last resort behind the body shapes: a route that raises anything but ApiError answers
    Jira's 400 for a payload it cannot read, never a traceback 500 (a write's transaction rolls
    back). Each hit is logged and kept in ``app.state.guarded``: the every-route test asserts there
    is none, so the guard stays a safety net, not the validation."""

    def __init__(self, app: ASGIApp, hits: list[str]) -> None:
        self.app = app
        self.hits = hits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracked)
        except Exception as exc:
            if started:
                raise
            self.hits.append(f"{scope['method']} {scope['path']}: {type(exc).__name__}: {exc}")
            LOG.warning("sandbox guard: %s %s", scope["method"], scope["path"], exc_info=True)
            body = {"errorMessages": [INVALID_PAYLOAD], "errors": {}}
            await JSONResponse(body, status_code=400)(scope, receive, send)
