"""The sandbox's audit log: one record per configuration object a request changed, as Jira's
``/auditing/record`` lists them.

Every write goes through the store, so the audit log is written in one place: the middleware opens
a journal (``store.JOURNAL``) for each request that can write, and turns what the request committed
to the audited collections into records (a rolled-back transaction leaves nothing in the journal).
Writes to a child collection (a context's option, a screen's tab, a scheme's grant) are an update
of the object that holds them; a scheme assigned to a project is an update of the project. Issue
data is not audited (Jira keeps it in each issue's changelog), nor are app properties.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

from jiracfg.sandbox.store import JOURNAL, Doc, Journal, Store, Write

RECORDS = "audit_record"
READS = frozenset({"GET", "HEAD", "OPTIONS"})
# never shown in a record (secrets), or bookkeeping Jira does not report as a change
SKIPPED = frozenset(
    {"secret", "sharedSecret", "token", "id", "self", "version", "versionId", "lastUpdated"}
    | {"lastUpdatedUser"}
)


@dataclass(frozen=True)
class Audited:
    """A collection of objects Jira audits: the record's category, summary noun and typeName."""

    category: str
    noun: str
    type_name: str


@dataclass(frozen=True)
class Child:
    """A collection whose documents belong to the document their ``parent`` column names."""

    parent: str
    label: str


@dataclass(frozen=True)
class Assignment:
    """A scheme assigned to a project: the document's id is the project's, ``schemeId`` the
    scheme's."""

    scheme: str
    label: str


SCHEME = "SCHEME"
# Not audited, as on Jira Cloud: filters, dashboards (and their gadgets), boards and sprints. Jira's
# admin audit log covers the site's configuration (the categories Atlassian's audit-record docs and
# API notes name: workflows, schemes, fields, screens, projects, permissions, groups, system);
# saved filters and dashboards are their owners' objects and boards and sprints Jira Software's,
# which it does not log there: third-party audit apps (twinit's "User Activity Audit Log") record
# Board and Sprint actions themselves, apart from the "Jira administration audit log" they import.
# Their kinds keep ``audited = False``, so verify's audit check expects no record of their writes.
AUDITED: dict[str, Audited] = {
    "group": Audited("group management", "Group", "GROUP"),
    "status": Audited("workflows", "Status", "STATUS"),
    "workflow": Audited("workflows", "Workflow", "WORKFLOW"),
    "workflow_scheme": Audited("workflows", "Workflow scheme", SCHEME),
    "issue_type": Audited("issue types", "Issue type", "ISSUE_TYPE"),
    "issue_type_scheme": Audited("issue types", "Issue type scheme", SCHEME),
    "screen": Audited("screens", "Screen", "SCREEN"),
    "screen_scheme": Audited("screens", "Screen scheme", SCHEME),
    "issue_type_screen_scheme": Audited("screens", "Issue type screen scheme", SCHEME),
    "field": Audited("fields", "Custom field", "CUSTOM_FIELD"),
    "field_configuration": Audited("fields", "Field configuration", "FIELD_CONFIGURATION"),
    "field_configuration_scheme": Audited("fields", "Field configuration scheme", SCHEME),
    "permission_scheme": Audited("permissions", "Permission scheme", SCHEME),
    "notification_scheme": Audited("notifications", "Notification scheme", SCHEME),
    "security_scheme": Audited("permissions", "Issue security scheme", SCHEME),
    "priority": Audited("system", "Priority", "PRIORITY"),
    "priority_scheme": Audited("system", "Priority scheme", SCHEME),
    "resolution": Audited("system", "Resolution", "RESOLUTION"),
    "issue_link_type": Audited("system", "Issue link type", "ISSUE_LINK_TYPE"),
    "project_role": Audited("projects", "Project role", "PROJECT_ROLE"),
    "project_category": Audited("projects", "Project category", "PROJECT_CATEGORY"),
    "project": Audited("projects", "Project", "PROJECT"),
    "webhook": Audited("system", "Webhook", "WEBHOOK"),
}
CHILDREN: dict[str, Child] = {
    "field_context": Child("field", "Context"),
    "field_option": Child("field_context", "Option"),
    "screen_tab": Child("screen", "Tab"),
    "screen_tab_field": Child("screen_tab", "Field"),
    "permission_grant": Child("permission_scheme", "Permission"),
    "notification": Child("notification_scheme", "Notification"),
    "security_level": Child("security_scheme", "Security level"),
    "security_member": Child("security_level", "Security level member"),
    "field_configuration_item": Child("field_configuration", "Field"),
    "project_role_actors": Child("project", "Role actors"),
    "component": Child("project", "Component"),
    "version": Child("project", "Version"),
}
ASSIGNMENTS: dict[str, Assignment] = {
    f"{scheme}_project": Assignment(scheme, AUDITED[scheme].noun)
    for scheme in (
        "workflow_scheme",
        "issue_type_scheme",
        "issue_type_screen_scheme",
        "field_configuration_scheme",
        "permission_scheme",
        "notification_scheme",
        "security_scheme",
        "priority_scheme",
    )
}
COLLS = frozenset(AUDITED) | frozenset(CHILDREN) | frozenset(ASSIGNMENTS)


class AuditMiddleware:
    """Journals each request that can write; records what it committed (also when its answer is
    an error or is lost on the way: what committed is what the log shows)."""

    def __init__(self, app: ASGIApp, store: Store) -> None:
        self.app = app
        self.store = store

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in READS:
            await self.app(scope, receive, send)
            return
        journal = Journal(COLLS)
        token = JOURNAL.set(journal)
        try:
            await self.app(scope, receive, send)
        finally:
            JOURNAL.reset(token)
            if journal.writes:
                record(self.store, journal.writes, _author(scope), _address(scope))


def record(db: Store, writes: list[Write], author: str, address: str) -> None:
    """One audit record per object the writes changed, in the order they were first changed."""
    groups: dict[tuple[str, str], list[Write]] = {}
    for write in writes:
        top = _top(db, write, writes)
        if top is not None:
            groups.setdefault(top, []).append(write)
    ms = time.time_ns() // 1_000_000
    with db.tx():
        for (coll, doc_id), changes in groups.items():
            body = _record(db, coll, doc_id, changes)
            body.update(created=_stamp(ms), authorAccountId=author, remoteAddress=address)
            body["_ms"] = ms
            body["id"] = db.next_id(RECORDS, 1)
            db.insert(RECORDS, body)


def _top(db: Store, write: Write, writes: list[Write]) -> tuple[str, str] | None:
    """The audited object a write belongs to (its collection and id)."""
    coll, doc_id, parent = write.coll, write.doc_id, write.parent
    for _ in range(3):
        if coll in AUDITED:
            return coll, doc_id
        if coll in ASSIGNMENTS:
            return "project", doc_id
        child = CHILDREN.get(coll)
        if child is None or parent is None:
            return None
        coll, doc_id, parent = child.parent, parent, _parent(db, child.parent, parent, writes)
    return None


def _parent(db: Store, coll: str, doc_id: str, writes: list[Write]) -> str | None:
    """The parent column of a document, also when the request deleted it."""
    gone = next((w.parent for w in writes if (w.coll, w.doc_id) == (coll, doc_id)), None)
    return gone if gone is not None else db.parent_of(coll, doc_id)


def _record(db: Store, coll: str, doc_id: str, changes: list[Write]) -> dict[str, Any]:
    audited = AUDITED[coll]
    own = [w for w in changes if (w.coll, w.doc_id) == (coll, doc_id)]
    doc = _doc(db, coll, doc_id, own)
    verb = _verb(own)
    item = {"id": doc_id, "name": _name(doc) or doc_id, "typeName": audited.type_name}
    values = [v for w in own for v in _field_changes(w)] if verb == "updated" else []
    values += [_child_change(w) for w in changes if w not in own]
    return {
        "summary": f"{audited.noun} {verb}",
        "category": audited.category,
        "eventSource": "",
        "objectItem": item,
        "changedValues": values,
        "associatedItems": _associated(db, [w for w in changes if w not in own]),
    }


def _doc(db: Store, coll: str, doc_id: str, own: list[Write]) -> Doc:
    latest = db.get(coll, doc_id)
    if latest is not None:
        return latest
    return next((w.before for w in own if w.before is not None), {})


def _verb(own: list[Write]) -> str:
    if any(w.before is None for w in own):
        return "created"
    if any(w.after is None for w in own):
        return "deleted"
    return "updated"


def _field_changes(write: Write) -> list[dict[str, str]]:
    before, after = write.before or {}, write.after or {}
    return [
        {"fieldName": k, "changedFrom": _text(before.get(k)), "changedTo": _text(after.get(k))}
        for k in sorted(set(before) | set(after))
        if k not in SKIPPED and before.get(k) != after.get(k)
    ]


def _child_change(write: Write) -> dict[str, str]:
    label = CHILDREN[write.coll].label if write.coll in CHILDREN else ASSIGNMENTS[write.coll].label
    return {
        "fieldName": label,
        "changedFrom": _name(write.before) if write.before else "",
        "changedTo": _name(write.after) if write.after else "",
    }


def _associated(db: Store, writes: list[Write]) -> list[dict[str, str]]:
    items: dict[tuple[str, str], dict[str, str]] = {}
    for write in writes:
        if write.coll in ASSIGNMENTS:
            scheme = ASSIGNMENTS[write.coll].scheme
            found = db.get(scheme, (write.after or write.before or {}).get("schemeId"))
            if found is not None:
                items[(scheme, found["id"])] = _item(found, AUDITED[scheme].type_name)
        else:
            doc = write.after or write.before or {}
            items[(write.coll, write.doc_id)] = _item(doc, write.coll.upper())
    return list(items.values())


def _item(doc: Doc, type_name: str) -> dict[str, str]:
    return {
        "id": str(doc.get("id")),
        "name": _name(doc) or str(doc.get("id")),
        "typeName": type_name,
    }


def _name(doc: Doc | None) -> str:
    doc = doc or {}
    for key in ("name", "value", "key", "permission", "fieldId"):
        if isinstance(doc.get(key), str | int) and doc.get(key) != "":
            return str(doc[key])
    return ""


def _text(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value, sort_keys=True)


def _stamp(ms: int) -> str:
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ms // 1000))
    return f"{stamp}.{ms % 1000:03d}+0000"


def _author(scope: Scope) -> str:
    return str(scope.get("state", {}).get("account_id", ""))


def _address(scope: Scope) -> str:
    client = scope.get("client")
    return str(client[0]) if client else ""


__all__ = ["COLLS", "RECORDS", "AuditMiddleware", "record"]
