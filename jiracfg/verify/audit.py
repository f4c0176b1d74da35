"""audit: the site's audit log accounts for every write the restore made, and records nothing
unexpected in the restore's window.

The restore is every apply of the verified commit to this site in the apply journal
(``jiracfg.journal``); its window runs from the first apply's start to now. A write of a kind Jira
audits needs a record of its object (by name) made during its apply, unless it failed (Jira may have
done all, part or none of it: a rerun's write of the object needs its own). A record in the window
is explained by a write of its object made at that time (by any journaled apply to the site: an
earlier commit's rebuild may end within the clock tolerance of this commit's first apply), or, for
what Jira changes as a consequence (a new issue type joins the default issue type scheme), by being
made during an apply by the account the restore's own records name. Any other record (a change made
by hand after the restore, or by another account during it) fails, naming its object, author, time
and changed values. Times allow ``TOLERANCE_MS`` of clock difference between this machine and the
site.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from jiracfg.verify.model import AuditFacts, Inputs, Result, cannot, fail, passed

NAME = "audit"
TOLERANCE_MS = 2000


def check(inputs: Inputs) -> list[Result]:
    facts = inputs.audit
    if facts is None or not facts.applies:
        where = facts.journal if facts else "the apply journal"
        reason = f"no apply of this commit to this site is recorded in {where}"
        return [cannot(NAME, "audit log", reason + " (verify where the apply ran, or --journal)")]
    if facts.records is None:
        return [cannot(NAME, "audit log", facts.unreadable)]
    every = [*facts.others, *facts.applies]
    writes = [w for a in every for w in a["writes"]]
    results = [
        _unrecorded(w)
        for a in facts.applies
        for w in a["writes"]
        if w["audited"] and not w.get("failed") and not _recorded(a, w, facts.records)
    ]
    named = [r for r in facts.records if any(_explains(w, r) for w in writes)]
    authors = {_author(r) for r in named}
    results += [
        _unexpected(r)
        for r in facts.records
        if r not in named and not (_author(r) in authors and _during(every, r))
    ]
    if results:
        return results
    audited = sum(w["audited"] for w in writes)
    return [
        passed(
            NAME,
            "audit log",
            f"{len(facts.records)} records account for the {audited} audited writes of "
            f"{len(facts.applies)} apply(s); nothing else changed since "
            f"{_when(facts.applies[0]['started_ms'])}",
        )
    ]


def _recorded(apply: dict[str, Any], write: dict[str, Any], records: list[dict[str, Any]]) -> bool:
    """Whether a record of the write's object was made during its apply (a write that changed
    nothing Jira keeps, such as a context the field's create already made, leaves no record of
    its own)."""
    return any(_during([apply], r) and bool(set(write["names"]) & _objects(r)) for r in records)


def _explains(write: dict[str, Any], record: dict[str, Any]) -> bool:
    """Whether ``record`` is of the write's object and was made while the write ran."""
    at = created_ms(record)
    low, high = write["started_ms"] - TOLERANCE_MS, write["finished_ms"] + TOLERANCE_MS
    return low <= at <= high and bool(set(write["names"]) & _objects(record))


def _during(applies: list[dict[str, Any]], record: dict[str, Any]) -> bool:
    """Whether ``record`` was made while one of the applies ran."""
    at = created_ms(record)
    return any(
        a["started_ms"] - TOLERANCE_MS <= at <= a["finished_ms"] + TOLERANCE_MS for a in applies
    )


def _author(record: dict[str, Any]) -> str:
    return str(record.get("authorAccountId") or record.get("authorKey") or "unknown")


def _objects(record: dict[str, Any]) -> set[str]:
    items = [record.get("objectItem") or {}, *(record.get("associatedItems") or [])]
    return {str(i["name"]) for i in items if i.get("name")}


def _unrecorded(write: dict[str, Any]) -> Result:
    evidence = (
        f"the restore {_past(write['action'])} it at {_when(write['started_ms'])}, but the audit "
        "log has no record of it"
    )
    return fail(NAME, write["address"], evidence)


def _unexpected(record: dict[str, Any]) -> Result:
    item = record.get("objectItem") or {}
    subject = f"{item.get('typeName', '?')} {item.get('name', '?')!r}"
    changed = "; ".join(
        f"{v.get('fieldName')}: {v.get('changedFrom', '')!r} -> {v.get('changedTo', '')!r}"
        for v in record.get("changedValues") or []
    )
    evidence = (
        f"{record.get('summary')} ({record.get('category')}) by {_author(record)} at "
        f"{record.get('created')}, which no write of the restore explains"
    )
    return fail(NAME, subject, evidence + (f": {changed}" if changed else ""))


def created_ms(record: dict[str, Any]) -> int:
    """A record's ``created`` (Jira's ``2024-06-01T10:00:00.000+0000``) in epoch ms."""
    text = str(record.get("created", ""))
    if len(text) > 5 and text[-5] in "+-" and text[-4:].isdigit():
        text = f"{text[:-2]}:{text[-2:]}"
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return 0
    return int((when if when.tzinfo else when.replace(tzinfo=UTC)).timestamp() * 1000)


def _when(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _past(action: str) -> str:
    return {"create": "created", "update": "updated", "delete": "deleted"}.get(action, action + "d")


__all__ = ["AuditFacts", "check", "created_ms"]
