"""app_property: the properties (any JSON) of installed Connect apps, one file per app.

Spec: ``{app: <app key>, properties: {key: value}}`` in ``apps/<app key>.yaml`` (key: the app key;
properties sorted by key). The file is the whole truth for that app: keys missing from it are
deleted on update.

Jira lets only the app itself read or write its properties (a user, even an admin, gets 401), so
jiracfg calls these endpoints as the app: a Connect JWT signed with the app's shared secret (the
``sharedSecret`` Jira sent the app when it was installed), read from ``JIRACFG_APP_SECRET_<SLUG>``
(``secret_variable``). The installed apps come from UPM's plugin list (``userInstalled``). An
installed app without that variable is fetched as a read-only placeholder (``meta.unreadable``:
the variable), so export skips it and ``checks.apps`` stops a plan that manages it, as it stops a
plan for an app that is not installed.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import re
import time
from collections.abc import Generator, Iterable
from typing import Any
from urllib.parse import parse_qsl, quote

import httpx

from jiracfg.client import JiraClient, keep_secret
from jiracfg.errors import ConfigError
from jiracfg.kinds._base import ApplyContext, FetchContext, Flaw, Kind
from jiracfg.model import Resource, Spec

PLUGINS = "/rest/plugins/1.0/"
MAX_VALUE = 32768  # characters of a property's JSON value
ADDONS = "/rest/atlassian-connect/1/addons"


def secret_variable(app_key: str) -> str:
    """The variable holding an app's shared secret: ``JIRACFG_APP_SECRET_<SLUG>``."""
    return "JIRACFG_APP_SECRET_" + re.sub(r"[^A-Z0-9]+", "_", app_key.upper()).strip("_")


class ConnectJwt(httpx.Auth):
    """Sign each request as a Connect app (HS256 JWT with the query-string hash ``qsh``)."""

    def __init__(self, app_key: str, shared_secret: str, ttl: int = 180) -> None:
        self.app_key = app_key
        self.secret = shared_secret.encode()
        self.ttl = ttl  # seconds the token stays valid

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        now = int(time.time())
        claims = {
            "iss": self.app_key,
            "iat": now,
            "exp": now + self.ttl,
            "qsh": query_hash(request.method, request.url.path, request.url.query.decode()),
        }
        head = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
        body = f"{head}.{b64(json.dumps(claims).encode())}"
        signature = b64(hmac.new(self.secret, body.encode(), hashlib.sha256).digest())
        request.headers["Authorization"] = f"JWT {body}.{signature}"
        yield request


def query_hash(method: str, path: str, query: str) -> str:
    params: dict[str, list[str]] = {}
    for key, value in parse_qsl(query, keep_blank_values=True):
        if key != "jwt":
            params.setdefault(quote(key, safe="-_.~"), []).append(quote(value, safe="-_.~"))
    canonical_query = "&".join(f"{k}={','.join(sorted(v))}" for k, v in sorted(params.items()))
    canonical = f"{method.upper()}&{(path.rstrip('/') or '/').replace('&', '%26')}&"
    return hashlib.sha256((canonical + canonical_query).encode()).hexdigest()


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


class AppClient:
    """An app's own view of its properties (every call signed as the app)."""

    def __init__(self, client: JiraClient, app_key: str, shared_secret: str) -> None:
        self.client = client
        self.base = f"{ADDONS}/{quote(app_key, safe='')}/properties"
        self.auth = ConnectJwt(app_key, shared_secret)

    def call(self, method: str, key: str = "", value: Any = None) -> Any:
        path = f"{self.base}/{quote(key, safe='')}" if key else self.base
        response = self.client.request(method, path, json=value, auth=self.auth)
        return response.json() if response.content else None

    def read_all(self) -> dict[str, Any]:
        keys = [k["key"] for k in self.call("GET")["keys"]]
        values = self.client.map(lambda k: self.call("GET", k)["value"], keys)
        return dict(sorted(zip(keys, values, strict=True)))


class AppPropertyKind(Kind):
    name = "app_property"
    folder = "apps"

    def key(self, spec: Spec) -> str:
        return str(spec["app"])

    def flaws(self, spec: Spec) -> Iterable[Flaw]:
        for key, value in (spec.get("properties") or {}).items():
            size = len(json.dumps(value, ensure_ascii=False, separators=(",", ":")))
            if size > MAX_VALUE:
                yield Flaw(
                    f"property {key!r} is {size:,} characters as JSON; Jira takes at most "
                    f"{MAX_VALUE:,}",
                    value if isinstance(value, str) else key,
                    "make the value smaller, or split it over several properties",
                )

    def fetch(self, ctx: FetchContext) -> Iterable[Resource]:
        plugins = ctx.client.get(PLUGINS)["plugins"]
        apps = sorted(p["key"] for p in plugins if p.get("userInstalled"))
        return ctx.client.map(lambda app: self.fetch_app(ctx.client, app), apps)

    def fetch_app(self, client: JiraClient, app: str) -> Resource:
        secret = os.environ.get(secret_variable(app))
        if not secret:
            return self.resource(
                {"app": app, "properties": {}},
                id=app,
                readonly=True,
                unreadable=secret_variable(app),
            )
        properties = AppClient(client, app, keep_secret(secret)).read_all()
        return self.resource({"app": app, "properties": properties}, id=app)

    def create(self, ctx: ApplyContext, spec: Spec) -> str:
        self.write(ctx, spec, {})
        return self.key(spec)

    def update(self, ctx: ApplyContext, live: Resource, spec: Spec) -> None:
        self.write(ctx, spec, dict(live.spec.get("properties") or {}))

    def delete(self, ctx: ApplyContext, live: Resource) -> None:
        self.write(ctx, {"app": live.address.key, "properties": {}}, live.spec["properties"])

    def write(self, ctx: ApplyContext, spec: Spec, before: dict[str, Any]) -> None:
        """Put the changed and new properties, delete the ones ``spec`` no longer has."""
        app = self.app_client(ctx.client, self.key(spec))
        after = dict(spec.get("properties") or {})
        changed = [k for k, v in after.items() if k not in before or before[k] != v]
        ctx.client.map(lambda k: app.call("PUT", k, after[k]), changed)
        ctx.client.map(lambda k: app.call("DELETE", k), [k for k in before if k not in after])

    def app_client(self, client: JiraClient, app: str) -> AppClient:
        variable = secret_variable(app)
        secret = os.environ.get(variable)
        if not secret:
            raise ConfigError(
                f"app {app!r}: the environment variable {variable} holding its shared secret "
                "is not set",
                hint=f"export {variable}=<the app's sharedSecret> (Jira only lets the app itself "
                "change its properties)",
            )
        return AppClient(client, app, keep_secret(secret))


KIND = AppPropertyKind()
