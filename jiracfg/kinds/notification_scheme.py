"""notification_scheme: who hears of each issue event (``/notificationscheme``).

Spec: ``{name, description?, events: {event name: [recipients]}}``, events and recipients sorted.
Recipients: ``all_watchers``, ``current_assignee``, ``reporter``, ``current_user``,
``project_lead``, ``component_lead``, ``user:<email>``, ``group:<name>``, ``role:<role>``,
``user_field:<field>``, ``group_field:<field>``. The "Default Notification Scheme" is protected.
Updates add the missing notifications in one request and delete the extra ones singly.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from jiracfg.errors import UnresolvedReferenceError
from jiracfg.kinds._base import ApplyContext, FetchContext, Kind, SortKey, by_text, drop_empty
from jiracfg.kinds._people import Directory, for_apply, principal_id, principal_name, principal_refs
from jiracfg.model import Address, Resource, Spec

DEFAULT = "Default Notification Scheme"
PLAIN = {
    "AllWatchers": "all_watchers",
    "CurrentAssignee": "current_assignee",
    "Reporter": "reporter",
    "CurrentUser": "current_user",
    "ProjectLead": "project_lead",
    "ComponentLead": "component_lead",
}
PRINCIPALS = {
    "User": "user",
    "Group": "group",
    "ProjectRole": "role",
    "UserCustomField": "user_field",
    "GroupCustomField": "group_field",
}
PER_REQUEST = 1000
NotificationKey = tuple[str, str, str | None]  # (event id, notification type, recipient id)


class NotificationSchemeKind(Kind):
    name = "notification_scheme"
    folder = "notification-schemes"
    audited = True
    unordered: ClassVar[dict[str, SortKey]] = {"events.*": by_text}
    depends_on = ("group", "project_role", "custom_field")

    def refs(self, spec: Spec) -> Iterable[Address]:
        return principal_refs(
            r for recipients in spec.get("events", {}).values() for r in recipients
        )

    def fetch(self, ctx: FetchContext) -> Iterable[Resource]:
        people = Directory.of(ctx)
        docs = list(ctx.client.paged("/notificationscheme", {"expand": "all"}))
        return [self._normalize(ctx, people, doc) for doc in docs]

    def _normalize(self, ctx: FetchContext, people: Directory, doc: dict[str, Any]) -> Resource:
        events: dict[str, set[str]] = {}
        for event in events_of(doc):
            names = {recipient_text(ctx, people, n) for n in event["notifications"]}
            events.setdefault(event["event"]["name"], set()).update(names)
        spec = drop_empty(
            {
                "name": doc["name"],
                "description": doc.get("description"),
                "events": {k: sorted(v) for k, v in sorted(events.items()) if v},
            }
        )
        meta: dict[str, Any] = {"id": str(doc["id"])}
        if doc["name"] == DEFAULT:
            meta["protected"] = True
        return self.resource(spec, **meta)

    def create(self, ctx: ApplyContext, spec: Spec) -> str:
        keys = wanted_keys(ctx, spec)
        body = {
            "name": spec["name"],
            "description": spec.get("description", ""),
            "notificationSchemeEvents": events_body(keys[:PER_REQUEST]),
        }
        scheme_id = str(ctx.client.post("/notificationscheme", body)["id"])
        add(ctx, scheme_id, keys[PER_REQUEST:])
        return scheme_id

    def update(self, ctx: ApplyContext, live: Resource, spec: Spec) -> None:
        path = f"/notificationscheme/{live.id}"
        body = {
            f: spec.get(f, "")
            for f in ("name", "description")
            if spec.get(f, "") != live.spec.get(f, "")
        }
        if body:  # only what changed
            ctx.client.put(path, body)
        have = {
            notification_key(e, n): str(n["id"])  # re-read: the ids to delete
            for e in events_of(ctx.client.get(path, {"expand": "all"}))
            for n in e["notifications"]
        }
        want = wanted_keys(ctx, spec)
        for key in [k for k in have if k not in want]:
            ctx.client.delete(f"{path}/notification/{have[key]}")
        add(ctx, str(live.id), [k for k in want if k not in have])

    def delete(self, ctx: ApplyContext, live: Resource) -> None:
        ctx.client.delete(f"/notificationscheme/{live.id}")


def events_of(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return list(doc.get("notificationSchemeEvents") or [])


def recipient(notification: dict[str, Any]) -> str | None:
    value = notification.get("recipient") or notification.get("parameter")
    return None if value in (None, "") else str(value)


def recipient_text(ctx: FetchContext, people: Directory, notification: dict[str, Any]) -> str:
    kind, value = notification["notificationType"], recipient(notification)
    if kind in PRINCIPALS and value is not None:
        return principal_name(ctx, people, PRINCIPALS[kind], value)
    return PLAIN.get(kind, str(kind))


def notification_key(event: dict[str, Any], notification: dict[str, Any]) -> NotificationKey:
    return str(event["event"]["id"]), notification["notificationType"], recipient(notification)


def wanted_keys(ctx: ApplyContext, spec: Spec) -> list[NotificationKey]:
    people = for_apply(ctx)
    ids = {e["name"].casefold(): str(e["id"]) for e in ctx.client.get("/events")}
    keys: list[NotificationKey] = []
    for event, recipients in spec.get("events", {}).items():
        if event.casefold() not in ids:
            raise UnresolvedReferenceError(
                f"event {event!r} does not exist in the target instance",
                hint="see GET /rest/api/3/events",
            )
        keys += [(ids[event.casefold()], *recipient_of(ctx, people, r)) for r in recipients]
    return keys


def recipient_of(ctx: ApplyContext, people: Directory, text: str) -> tuple[str, str | None]:
    prefix, _, name = text.partition(":")
    jira_type = {v: k for k, v in PRINCIPALS.items()}.get(prefix)
    if jira_type is not None:
        return jira_type, principal_id(ctx, people, prefix, name)
    return {v: k for k, v in PLAIN.items()}.get(text, text), None


def events_body(keys: list[NotificationKey]) -> list[dict[str, Any]]:
    by_event: dict[str, list[dict[str, Any]]] = {}
    for event, kind, value in keys:
        item = (
            {"notificationType": kind}
            if value is None
            else {"notificationType": kind, "parameter": value}
        )
        by_event.setdefault(event, []).append(item)
    return [{"event": {"id": e}, "notifications": n} for e, n in by_event.items()]


def add(ctx: ApplyContext, scheme_id: str, keys: list[NotificationKey]) -> None:
    for start in range(0, len(keys), PER_REQUEST):
        ctx.client.put(
            f"/notificationscheme/{scheme_id}/notification",
            {"notificationSchemeEvents": events_body(keys[start : start + PER_REQUEST])},
        )


KIND = NotificationSchemeKind()
