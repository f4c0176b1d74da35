"""Installed apps (UPM ``/rest/plugins/1.0/``) and their properties
(``/rest/atlassian-connect/1/addons/{addonKey}/properties``).

Collections: ``app`` ``{id: key, key, name, version, vendor, description, enabled, userInstalled,
accountId, sharedSecret}``; ``app_property`` (parent: app key) ``{id: "<app>/<key>", key, value}``.

As in Jira only the app itself may read or write its properties: a Connect app calls with
``Authorization: JWT <token>`` (HS256 with the ``sharedSecret`` it received at install, ``iss`` =
its key, ``qsh`` = the hash of the canonical request); the auth middleware asks ``app_account``
who that is. A user, even an admin over Basic auth, gets 401; another app, or a key that is not
installed, gets 404. These endpoints answer with OperationMessage ``{message, statusCode}``, not
ErrorCollection. Admins see the installed apps (``userInstalled: true``) and the system plugins in
UPM's plugin list.

Exported: ``seed_demo_apps(db)`` (two apps with properties, for the demo seed; their shared
secrets are in ``DEMO_APPS``; the Timekeeper app provides time tracking: installing it lists its
provider and, as in Jira, leaves the selected one alone until an admin chooses),
``app_account(db, token, method, path, query) -> account id|None``, ``time_tracking_providers(db)``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import time
from typing import Any
from urllib.parse import parse_qsl, quote

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from jiracfg.sandbox.http import base, no_content, ok, route, store
from jiracfg.sandbox.store import Doc, Store

APPS, PROPERTIES = "app", "app_property"
PROPERTIES_PATH = "/rest/atlassian-connect/1/addons/{addonKey}/properties"
MAX_KEY, MAX_VALUE = 127, 32768
SYSTEM_PLUGINS = [
    ("com.atlassian.jira.plugin.system.customfieldtypes", "Custom Field Types & Searchers"),
    ("com.atlassian.jira.jira-core-reports-plugin", "Jira Core Reports"),
]
DEMO_APPS: list[dict[str, Any]] = [
    {
        "key": "com.example.timekeeper",
        "name": "Timekeeper Time Tracking",
        "version": "4.12.0",
        "vendor": "Example Labs",
        "sharedSecret": "sandbox-timekeeper-shared-secret",
        "timeTracking": {"key": "timekeeper-time-tracking", "name": "Timekeeper"},
        "properties": {
            "settings": {"workingHoursPerDay": 8, "workingDaysPerWeek": 5, "roundingMinutes": 15},
            "approval-enabled": True,
        },
    },
    {
        "key": "com.example.diagrams",
        "name": "Sketchboard Diagrams",
        "version": "2.3.1",
        "vendor": "Example Drawing Co",
        "sharedSecret": "sandbox-diagrams-shared-secret",
        "properties": {
            "defaults": {"theme": "light", "grid": True, "exportFormats": ["png", "svg"]}
        },
    },
]


def seed_empty(db: Store) -> None:
    """A new site has system plugins and no installed apps."""
    for key, name in SYSTEM_PLUGINS:
        db.insert(
            APPS,
            {
                "id": key,
                "key": key,
                "name": name,
                "version": "1001.0.0",
                "vendor": "Atlassian",
                "userInstalled": False,
                "enabled": True,
            },
        )


def seed_demo_apps(db: Store, with_properties: bool = True) -> None:
    """Install the demo apps (as from the Marketplace); with the demo's properties set, or as
    freshly installed (no properties)."""
    with db.tx():
        for app in DEMO_APPS:
            db.insert(
                APPS,
                {
                    "id": app["key"],
                    "key": app["key"],
                    "name": app["name"],
                    "version": app["version"],
                    "vendor": app["vendor"],
                    "userInstalled": True,
                    "enabled": True,
                    "accountId": f"addon-{app['key']}",
                    "sharedSecret": app["sharedSecret"],
                    "timeTracking": app.get("timeTracking"),
                },
            )
            for key, value in app["properties"].items() if with_properties else ():
                put_property(db, app["key"], key, value)


def provider_key(app_key: str, module: Doc) -> str:
    """A Connect app's time tracking provider key: ``<app key>__<module key>``."""
    return f"{app_key}__{module['key']}"


def time_tracking_providers(db: Store) -> list[dict[str, str]]:
    """The time tracking providers of the enabled apps (``jiraTimeTrackingProviders``)."""
    return [
        {"key": provider_key(a["key"], a["timeTracking"]), "name": a["timeTracking"]["name"]}
        for a in db.all(APPS)
        if a.get("enabled") and a.get("timeTracking")
    ]


def put_property(db: Store, app_key: str, key: str, value: Any) -> bool:
    """Set a property; True when it was created."""
    doc = {"id": f"{app_key}/{key}", "key": key, "value": value}
    if db.get(PROPERTIES, doc["id"]) is None:
        db.insert(PROPERTIES, doc, parent=app_key)
        return True
    db.put(PROPERTIES, doc)
    return False


# -- Connect JWT -------------------------------------------------------------------------------
def app_account(db: Store, token: str, method: str, path: str, query: str) -> str | None:
    """The account of the installed app that signed ``token`` for this request, else None."""
    try:
        head, claims_part, signature = token.split(".")
        claims = json.loads(b64decode(claims_part))
    except (ValueError, binascii.Error):
        return None
    app = db.get(APPS, str(claims.get("iss"))) if isinstance(claims, dict) else None
    if app is None or not app.get("sharedSecret"):
        return None
    expected = hmac.new(
        app["sharedSecret"].encode(), f"{head}.{claims_part}".encode(), hashlib.sha256
    ).digest()
    valid = hmac.compare_digest(b64encode(expected), signature)
    fresh = int(claims.get("exp", 0)) > time.time()
    if valid and fresh and claims.get("qsh") == query_hash(method, path, query):
        return str(app["accountId"])
    return None


def query_hash(method: str, path: str, query: str) -> str:
    """Connect's ``qsh``: SHA-256 of ``METHOD&path&sorted, encoded query`` (``jwt`` excluded)."""
    params: dict[str, list[str]] = {}
    for key, value in parse_qsl(query, keep_blank_values=True):
        if key != "jwt":
            params.setdefault(encode(key), []).append(encode(value))
    canonical_query = "&".join(f"{k}={','.join(sorted(v))}" for k, v in sorted(params.items()))
    canonical_path = (path.rstrip("/") or "/").replace("&", "%26")
    return hashlib.sha256(
        f"{method.upper()}&{canonical_path}&{canonical_query}".encode()
    ).hexdigest()


def encode(text: str) -> str:
    return quote(text, safe="-_.~")


def b64decode(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def b64encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


# -- routes ------------------------------------------------------------------------------------
def message(status: int, text: str) -> JSONResponse:
    return JSONResponse({"message": text, "statusCode": status}, status_code=status)


def refusal(request: Request) -> JSONResponse | None:
    """Why the caller may not use these properties (None: it is the app itself)."""
    db, key = store(request), request.path_params["addonKey"]
    caller = db.first(APPS, lambda a: a.get("accountId") == request.state.account_id)
    if caller is None:
        return message(401, "Access to this resource must be authenticated as an app.")
    if caller["key"] != key:
        return message(404, "Property with key not found.")
    key_text = request.path_params.get("propertyKey", "")
    if len(key_text) > MAX_KEY:
        return message(400, f"The property key cannot be longer than {MAX_KEY} characters.")
    return None


def property_url(request: Request, app_key: str, key: str) -> str:
    return f"{base(request)}/rest/atlassian-connect/1/addons/{app_key}/properties/{quote(key)}"


@route(PROPERTIES_PATH)
async def list_properties(request: Request) -> Response:
    app_key = request.path_params["addonKey"]
    docs = sorted(store(request).all(PROPERTIES, parent=app_key), key=lambda d: d["key"])
    keys = [{"key": d["key"], "self": property_url(request, app_key, d["key"])} for d in docs]
    return refusal(request) or ok({"keys": keys})


@route(PROPERTIES_PATH + "/{propertyKey:path}")
async def get_property(request: Request) -> Response:
    app_key, key = request.path_params["addonKey"], request.path_params["propertyKey"]
    doc = store(request).get(PROPERTIES, f"{app_key}/{key}")
    if doc is None:
        return refusal(request) or message(404, "Property with key not found.")
    body = {"key": key, "value": doc["value"], "self": property_url(request, app_key, key)}
    return refusal(request) or ok(body)


@route(PROPERTIES_PATH + "/{propertyKey:path}", "PUT")
async def set_property(request: Request) -> Response:
    refused = refusal(request)
    if refused:
        return refused
    raw = (await request.body()).decode("utf-8", "replace")
    value, problem = parse_value(raw)
    if problem:
        return message(400, problem)
    app_key, key = request.path_params["addonKey"], request.path_params["propertyKey"]
    with store(request).tx():
        created = put_property(store(request), app_key, key, value)
    return message(201, "Property created.") if created else message(200, "Property updated.")


def parse_value(raw: str) -> tuple[Any, str]:
    """The JSON value of a PUT body, or the reason Jira refuses it."""
    if len(raw) > MAX_VALUE:
        return None, f"The property value cannot be longer than {MAX_VALUE} characters."
    if not raw.strip():
        return None, "The property value must not be empty."
    try:
        return json.loads(raw), ""
    except ValueError:
        return None, "The property value must be valid JSON."


@route(PROPERTIES_PATH + "/{propertyKey:path}", "DELETE")
async def delete_property(request: Request) -> Response:
    app_key, key = request.path_params["addonKey"], request.path_params["propertyKey"]
    refused = refusal(request)
    if refused is None and not store(request).delete(PROPERTIES, f"{app_key}/{key}"):
        refused = message(404, "Property with key not found.")
    return refused or no_content()


# -- UPM ---------------------------------------------------------------------------------------
def plugin_bean(request: Request, doc: Doc) -> dict[str, Any]:
    return {
        "key": doc["key"],
        "name": doc["name"],
        "version": doc["version"],
        "enabled": doc["enabled"],
        "userInstalled": doc["userInstalled"],
        "optional": doc["userInstalled"],
        "static": False,
        "unloadable": False,
        "vendor": {"name": doc["vendor"]},
        "links": {"self": f"{base(request)}/rest/plugins/1.0/{doc['key']}-key"},
    }


@route("/rest/plugins/1.0/")
async def list_plugins(request: Request) -> Response:
    plugins = [plugin_bean(request, d) for d in store(request).all(APPS)]
    return ok({"plugins": plugins, "links": {"self": f"{base(request)}/rest/plugins/1.0/"}})


ROUTES = [list_properties, get_property, set_property, delete_property, list_plugins]
