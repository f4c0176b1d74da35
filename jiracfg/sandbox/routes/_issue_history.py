"""The changelog Jira keeps on every issue write: ``record(db, before, after, author)`` diffs two
versions of an issue doc and stores one history ``{id, author, created, items}`` (collection
``issue_history``, parent: issue id) with Jira's ChangeDetails items (``field``, ``fieldtype``,
``fieldId``, ``from``/``fromString``, ``to``/``toString``). ``issue_changelog`` serves them.
"""

from __future__ import annotations

import time
from typing import Any

from jiracfg.sandbox.jql import call
from jiracfg.sandbox.routes import _issue_values as values
from jiracfg.sandbox.store import Doc, Store

HISTORY = "issue_history"
ISSUES = "issue"  # routes.issues.ISSUES (not imported: it imports this module)
# doc attribute -> (field id, changelog field name, catalog of names)
TOP = {
    "summary": ("summary", "summary", None),
    "description": ("description", "description", "adf"),
    "labels": ("labels", "labels", "labels"),
    "statusId": ("status", "status", "status"),
    "priorityId": ("priority", "priority", "priority"),
    "resolutionId": ("resolution", "resolution", "resolution"),
    "issueTypeId": ("issuetype", "issuetype", "issuetype"),
}
GETTERS = {
    "status": ("statuses", "get_status"),
    "priority": ("basics", "get_priority"),
    "resolution": ("basics", "get_resolution"),
    "issuetype": ("issuetypes", "get_issue_type"),
}
SYSTEM_NAMES = {
    "components": "Component",
    "versions": "Version",
    "fixVersions": "Fix Version",
    "parent": "Parent",
    "timetracking": "timeestimate",
}


def now() -> str:
    stamp = time.time()
    return (
        time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(stamp))
        + f".{int(stamp * 1000) % 1000:03d}+0000"
    )


def touch(db: Store, issue_id: str) -> None:
    """Move the issue's ``updated`` on, as Jira does when what hangs on the issue is written: a
    comment added, edited or deleted, an attachment added or deleted, a worklog (through time
    tracking). Watchers and entity properties leave it alone [obs]: they are no issue edit."""
    issue = db.get(ISSUES, str(issue_id))
    if issue is not None:
        issue["updated"] = now()
        db.put(ISSUES, issue)


def record(db: Store, before: Doc, after: Doc, author: str, extra: list[Doc] | None = None) -> None:
    """Store one history for what changed between ``before`` and ``after`` (none if nothing)."""
    items = changes(db, before, after) + list(extra or [])
    if items:
        add_history(db, after["id"], author, items)


def add_history(db: Store, issue_id: str, author: str, items: list[Doc]) -> Doc:
    return db.insert(
        HISTORY, {"author": author, "created": now(), "items": items}, parent=str(issue_id)
    )


def changes(db: Store, before: Doc, after: Doc) -> list[Doc]:
    items = [
        item(db, field_id, name, before.get(attr), after.get(attr), kind, False)
        for attr, (field_id, name, kind) in TOP.items()
        if before.get(attr) != after.get(attr)
    ]
    old, new = before.get("fields") or {}, after.get("fields") or {}
    for field_id in sorted(set(old) | set(new)):
        if old.get(field_id) != new.get(field_id):
            items.append(field_item(db, field_id, old.get(field_id), new.get(field_id)))
    return items


def field_item(db: Store, field_id: str, old: Any, new: Any) -> Doc:
    field = call("fields", "get_field", None, db, field_id) or {"id": field_id, "name": field_id}
    custom = bool(field.get("custom"))
    name = str(field["name"]) if custom else SYSTEM_NAMES.get(field_id, field_id)
    kind = values.kind_of(field) if field.get("schema") else None
    return item(db, field_id, name, old, new, kind, custom)


def item(
    db: Store, field_id: str, name: str, old: Any, new: Any, kind: str | None, custom: bool
) -> Doc:
    return {
        "field": name,
        "fieldtype": "custom" if custom else "jira",
        "fieldId": field_id,
        "from": raw_text(old, kind),
        "fromString": display(db, kind, old),
        "to": raw_text(new, kind),
        "toString": display(db, kind, new),
    }


SHOWN_AS_IDS = (
    "status",
    "priority",
    "resolution",
    "issuetype",
    "user",
    "users",
    "option",
    "options",
    "version",
    "versions",
    "components",
    "cascade",
    "project",
)


def raw_text(value: Any, kind: str | None) -> str | None:
    """The ``from``/``to`` of an item: ids for referencing fields, None for plain values."""
    if value in (None, [], {}) or kind not in SHOWN_AS_IDS:
        return None
    if isinstance(value, dict):
        return str(value.get("child") or value.get("id"))
    return ", ".join(map(str, value)) if isinstance(value, list) else str(value)


def display(db: Store, kind: str | None, value: Any) -> str | None:
    """The ``fromString``/``toString`` of an item: what a person reads."""
    if value in (None, [], {}):
        return None
    if isinstance(value, list):
        return (
            " ".join(str(display(db, kind, v)) for v in value)
            if kind == "labels"
            else ", ".join(str(display(db, single(kind), v)) for v in value)
        )
    return one_text(db, kind, value)


def single(kind: str | None) -> str | None:
    return {"users": "user", "options": "option", "versions": "version"}.get(
        kind or "", "component" if kind == "components" else kind
    )


def one_text(db: Store, kind: str | None, value: Any) -> str:
    if kind in GETTERS:
        found = call(*GETTERS[kind], None, db, str(value)) or {}
        return str(found.get("name", value))
    if kind == "user":
        user = call("core", "find_user", None, db, value) or {}
        return str(user.get("displayName", value))
    if kind == "option":
        return str((call("fields", "get_option", None, db, value) or {}).get("value", value))
    if kind == "cascade":
        parent, child = one_text(db, "option", value["id"]), value.get("child")
        return parent if child is None else f"{parent} - {one_text(db, 'option', child)}"
    if kind in ("version", "component"):
        return str((db.get(kind, value) or {}).get("name", value))
    if kind == "timetracking":
        return values.duration_text(int(value.get("remainingEstimate") or 0))
    return adf_text(value) if isinstance(value, dict) else str(value)


def adf_text(node: Any) -> str:
    """The plain text of an ADF document (mentions by their text)."""
    if not isinstance(node, dict):
        return ""
    own = str(node.get("text") or (node.get("attrs") or {}).get("text") or "")
    inner = [adf_text(c) for c in node.get("content") or []]
    joiner = "\n" if node.get("type") in ("doc", "tableRow", "bulletList") else ""
    return own + joiner.join(inner)
