"""Admin webhooks (/rest/webhooks/1.0/webhook) and their deliveries.

Collections: ``webhook`` ``{id, name, url, events, jql, excludeBody, enabled, secret,
lastUpdated, lastUpdatedUser}``; ``webhook_delivery`` (parent: webhook id) ``{id, webhookId,
event, url, headers, body, timestamp}``.

As in Jira the ``secret`` is write-only: it signs deliveries (``X-Hub-Signature:
sha256=<HMAC-SHA256 of the body>``) and is never returned, nor is whether one is set. A PUT without
``secret`` keeps the current one; ``"secret": ""`` removes it.

Nothing is sent over the network: ``deliver`` records what Jira would POST, and the sandbox-only
``GET /rest/sandbox/1/webhook-deliveries[?webhookId=]`` lists those records (plain array, oldest
first).

Exported for other areas:
- ``deliver(db, event, payload) -> int``: record ``{timestamp, webhookEvent, **payload}`` for every
  enabled webhook subscribed to ``event`` whose JQL filter matches ``payload["issue"]`` (via
  ``issues.issue_matches(db, issue_id, jql) -> bool`` when the issues area offers it); returns how
  many deliveries were recorded.

Expected from other areas (optional): ``fields.get_field(db, id)`` to check ``cf[N]`` in filters;
``core.find_user`` for the display name of ``lastUpdatedUser``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import time
from typing import Any
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import Response

from jiracfg.sandbox.http import (
    ApiError,
    base,
    body_object,
    checked_name,
    no_content,
    ok,
    peer,
    require,
    route,
    store,
)
from jiracfg.sandbox.store import Doc, Store

HOOKS, DELIVERIES = "webhook", "webhook_delivery"
FILTER = "issue-related-events-section"
PATH = "/rest/webhooks/1.0/webhook"
EVENTS = frozenset(
    [
        "jira:issue_created",
        "jira:issue_updated",
        "jira:issue_deleted",
        "issuelink_created",
        "issuelink_deleted",
        "worklog_created",
        "worklog_updated",
        "worklog_deleted",
        "comment_created",
        "comment_updated",
        "comment_deleted",
        "attachment_created",
        "attachment_deleted",
        "issue_property_set",
        "issue_property_deleted",
        "issuetype_created",
        "issuetype_updated",
        "issuetype_deleted",
        "project_created",
        "project_updated",
        "project_deleted",
        "project_soft_deleted",
        "project_restored_deleted",
        "project_archived",
        "project_restored_archived",
        "jira:version_released",
        "jira:version_unreleased",
        "jira:version_created",
        "jira:version_moved",
        "jira:version_updated",
        "jira:version_merged",
        "jira:version_deleted",
        "user_created",
        "user_updated",
        "user_deleted",
        "option_voting_changed",
        "option_watching_changed",
        "option_unassigned_issues_changed",
        "option_subtasks_changed",
        "option_attachments_changed",
        "option_issuelinks_changed",
        "option_timetracking_changed",
        "sprint_created",
        "sprint_deleted",
        "sprint_updated",
        "sprint_started",
        "sprint_closed",
        "board_created",
        "board_updated",
        "board_deleted",
        "board_configuration_changed",
        "filter_created",
        "filter_updated",
        "filter_deleted",
        "jira_expression_evaluation_failed",
    ]
)  # the Jira Cloud webhook events, as the webhooks page lists them
CUSTOM_FIELD = re.compile(r"cf\[(\d+)\]", re.IGNORECASE)
STRING = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'')


def seed_empty(db: Store) -> None:
    """A new site has no admin webhooks."""


# -- exported API ------------------------------------------------------------------------------
def subscribed(db: Store, event: str) -> bool:
    """Whether any enabled webhook listens to ``event`` (callers skip building a payload)."""
    return any(h["enabled"] and event in h["events"] for h in db.all(HOOKS))


def deliver(db: Store, event: str, payload: dict[str, Any]) -> int:
    hooks = [h for h in db.all(HOOKS) if h["enabled"] and event in h["events"]]
    sent = 0
    with db.tx():
        for hook in hooks:
            if _matches(db, hook, payload):
                record_delivery(db, hook, {"timestamp": now(), "webhookEvent": event, **payload})
                sent += 1
    return sent


def signature(secret: str, body: bytes) -> str:
    """The ``X-Hub-Signature`` value Jira sends for a webhook with ``secret``."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def record_delivery(db: Store, hook: Doc, content: dict[str, Any]) -> None:
    body = b"" if hook["excludeBody"] else json.dumps(content).encode()
    headers = {"Content-Type": "application/json"}
    if hook.get("secret"):
        headers["X-Hub-Signature"] = signature(hook["secret"], body)
    db.insert(
        DELIVERIES,
        {
            "webhookId": hook["id"],
            "event": content["webhookEvent"],
            "url": hook["url"],
            "headers": headers,
            "body": body.decode(),
            "timestamp": content["timestamp"],
        },
        parent=hook["id"],
        start=1,
    )


def _matches(db: Store, hook: Doc, payload: dict[str, Any]) -> bool:
    issue = payload.get("issue")
    check = peer("issues", "issue_matches")
    if not hook["jql"] or not isinstance(issue, dict) or check is None:
        return True
    try:
        return bool(check(db, str(issue.get("id")), hook["jql"]))
    except ApiError:  # a filter Jira cannot evaluate matches nothing; the write stands
        return False


def now() -> int:
    return int(time.time() * 1000)


# -- validation --------------------------------------------------------------------------------
def check_name(value: Any) -> str:
    return checked_name(
        value,
        "The webhook name must not be empty.",
        "The webhook name must not exceed 255 characters.",
    )


def check_url(value: Any) -> str:
    require(
        isinstance(value, str) and value.strip() != "",
        400,
        "The webhook URL must not be empty.",
        "url",
    )
    parts = urlsplit(str(value).strip())
    require(
        parts.scheme in ("http", "https") and bool(parts.hostname),
        400,
        "The webhook URL must be a valid absolute http or https URL.",
        "url",
    )
    return str(value).strip()


def check_events(value: Any) -> list[str]:
    require(
        isinstance(value, list) and all(isinstance(e, str) for e in value),
        400,
        "The events must be a list of event names.",
        "events",
    )
    unknown = sorted(set(value) - EVENTS)
    require(not unknown, 400, f"Unknown webhook event(s): {', '.join(unknown)}.", "events")
    return list(dict.fromkeys(value))


def check_jql(db: Store, filters: Any) -> str:
    require(
        filters is None or isinstance(filters, dict),
        400,
        "The filters must be an object.",
        "filters",
    )
    jql = (filters or {}).get(FILTER) or ""
    require(isinstance(jql, str), 400, "The JQL filter must be a string.", FILTER)
    require(
        jql.count('"') % 2 == 0 and jql.count("(") == jql.count(")"),
        400,
        f"The JQL query '{jql}' is not valid.",
        FILTER,
    )
    get_field = peer("fields", "get_field")
    for number in CUSTOM_FIELD.findall(STRING.sub("", jql)):
        exists = get_field is None or get_field(db, f"customfield_{number}") is not None
        require(
            exists,
            400,
            f"Field 'cf[{number}]' does not exist or you do not have permission to view it.",
            FILTER,
        )
    return str(jql).strip()


def check_secret(value: Any) -> str | None:
    require(value is None or isinstance(value, str), 400, "The secret must be a string.", "secret")
    require(
        value is None or len(value) <= 255,
        400,
        "The secret must not exceed 255 characters.",
        "secret",
    )
    return None if value is None else str(value)


def check_flag(data: dict[str, Any], name: str, default: bool) -> bool:
    value = data.get(name, default)
    require(isinstance(value, bool), 400, f"The {name} value must be true or false.", name)
    return bool(value)


def fields_of(db: Store, data: dict[str, Any], old: Doc) -> Doc:
    """The webhook ``old`` with ``data`` applied (a full write, as Jira's PUT is)."""
    secret = check_secret(data.get("secret"))
    return {
        **old,
        "name": check_name(data.get("name")),
        "url": check_url(data.get("url")),
        "events": check_events(data.get("events", [])),
        "jql": check_jql(db, data.get("filters")),
        "excludeBody": check_flag(data, "excludeBody", False),
        "enabled": check_flag(data, "enabled", old.get("enabled", True)),
        "secret": old.get("secret") if secret is None else (secret or None),
    }


# -- routes ------------------------------------------------------------------------------------
def bean(request: Request, doc: Doc) -> dict[str, Any]:
    find_user = peer("core", "find_user")
    user = find_user(store(request), doc["lastUpdatedUser"]) if find_user else None
    return {
        "name": doc["name"],
        "url": doc["url"],
        "excludeBody": doc["excludeBody"],
        "filters": {FILTER: doc["jql"]} if doc["jql"] else {},
        "events": doc["events"],
        "enabled": doc["enabled"],
        "self": f"{base(request)}{PATH}/{doc['id']}",
        "lastUpdatedUser": doc["lastUpdatedUser"],
        "lastUpdatedDisplayName": (user or {}).get("displayName", doc["lastUpdatedUser"]),
        "lastUpdated": doc["lastUpdated"],
    }


def find_hook(db: Store, raw: str) -> Doc:
    doc = db.get(HOOKS, raw) if raw.isdigit() else None
    if doc is None:
        raise ApiError(404, f"Webhook with id {raw} does not exist.")
    return doc


def stamped(request: Request, doc: Doc) -> Doc:
    return {**doc, "lastUpdated": now(), "lastUpdatedUser": request.state.account_id}


@route(PATH)
async def list_hooks(request: Request) -> Response:
    return ok([bean(request, h) for h in store(request).all(HOOKS)])


@route(PATH, "POST")
async def create_hook(request: Request) -> Response:
    data, db = await body_object(request), store(request)
    with db.tx():
        doc = db.insert(HOOKS, stamped(request, fields_of(db, data, {})), start=1)
    return ok(bean(request, doc), 201)


@route(PATH + "/{id}")
async def get_hook(request: Request) -> Response:
    return ok(bean(request, find_hook(store(request), request.path_params["id"])))


@route(PATH + "/{id}", "PUT")
async def update_hook(request: Request) -> Response:
    data, db = await body_object(request), store(request)
    with db.tx():
        old = find_hook(db, request.path_params["id"])
        doc = db.put(HOOKS, stamped(request, fields_of(db, data, old)))
    return ok(bean(request, doc))


@route(PATH + "/{id}", "DELETE")
async def delete_hook(request: Request) -> Response:
    db = store(request)
    with db.tx():
        doc = find_hook(db, request.path_params["id"])
        db.delete(HOOKS, doc["id"])
        db.delete_children(DELIVERIES, doc["id"])
    return no_content()


@route("/rest/sandbox/1/webhook-deliveries")
async def list_deliveries(request: Request) -> Response:
    """Sandbox-only: what Jira would have POSTed to the webhooks' URLs."""
    wanted = request.query_params.get("webhookId")
    db = store(request)
    found = db.all(DELIVERIES, parent=wanted) if wanted else db.all(DELIVERIES)
    return ok(found)


ROUTES = [list_hooks, create_hook, get_hook, update_hook, delete_hook, list_deliveries]
