"""An issue file's values as Jira's create/edit ``fields`` (names to the target's ids)."""

from __future__ import annotations

import json
from typing import Any

from jiracfg.data.catalog import Catalog
from jiracfg.data.issue import ORIGIN_PROPERTY, Spec
from jiracfg.data.layout import split_key

PROPERTY_LIMIT = 32_768


def _named(values: Any) -> list[dict[str, str]]:
    return [{"name": str(v)} for v in values or []]


def _user(catalog: Catalog, name: Any) -> dict[str, str] | None:
    return None if not name else {"accountId": catalog.account_id(str(name))}


def _estimate(estimate: Any) -> dict[str, str] | None:
    if not isinstance(estimate, dict) or not estimate:
        return None
    names = {"original": "originalEstimate", "remaining": "remainingEstimate"}
    return {names[k]: f"{int(v) // 60}m" for k, v in estimate.items() if k in names}


SYSTEM: dict[str, tuple[str, Any]] = {
    # spec key: (Jira field id, value maker(catalog, value))
    "summary": ("summary", lambda c, v: v),
    "priority": ("priority", lambda c, v: {"name": v} if v else None),
    "reporter": ("reporter", _user),
    "assignee": ("assignee", _user),
    "labels": ("labels", lambda c, v: list(v or [])),
    "components": ("components", lambda c, v: _named(v)),
    "affects_versions": ("versions", lambda c, v: _named(v)),
    "fix_versions": ("fixVersions", lambda c, v: _named(v)),
    "due": ("duedate", lambda c, v: v),
    "estimate": ("timetracking", lambda c, v: _estimate(v)),
    "description": ("description", lambda c, v: v),
    "environment": ("environment", lambda c, v: v),
}


def field_values(catalog: Catalog, spec: Spec, only: set[str] | None = None) -> dict[str, Any]:
    """Jira field id -> value for every field of ``spec`` (``only``: these spec keys and
    ``fields.<name>``s), cleared (None or []) where the spec has none."""
    out: dict[str, Any] = {}
    for key, (field_id, make) in SYSTEM.items():
        if only is None or key in only:
            value = make(catalog, spec.get(key))
            if value is not None or only is not None:
                out[field_id] = value
    custom = spec.get("fields") or {}
    names = set(custom) if only is None else {n[7:] for n in only if n.startswith("fields.")}
    for name in sorted(names):
        found = catalog.by_key.get(name)
        if found is not None:
            out[found.id] = catalog.to_jira(found, custom.get(name))
    return out


def create_fields(catalog: Catalog, spec: Spec, with_parent: bool) -> dict[str, Any]:
    project = split_key(str(spec["key"]))[0]
    out = {
        "project": {"key": project},
        "issuetype": {"name": spec["type"]},
        **field_values(catalog, spec),
    }
    if with_parent and spec.get("parent"):
        out["parent"] = {"key": spec["parent"]}
    return {k: v for k, v in out.items() if v not in (None, [], "")}


def origin_value(spec: Spec) -> dict[str, Any]:
    """The ``jiracfg.origin`` property of a restored issue: the original facts, with each
    attachment's author and time (attachments have no properties of their own)."""
    value = dict(spec.get("origin") or {"key": spec["key"]})
    value.setdefault("key", spec["key"])
    attached = [a.get("origin") or {} for a in spec.get("attachments") or []]
    if attached:
        value["attachments"] = attached
    return fit(value)


def fit(value: dict[str, Any]) -> dict[str, Any]:
    """``value`` within Jira's 32,768 characters per property: the oldest changelog entries are
    left out (and counted in ``changelog_dropped``) until it fits."""
    changelog = list(value.get("changelog") or [])
    dropped = 0
    while len(json.dumps(value, ensure_ascii=False)) > PROPERTY_LIMIT and changelog:
        step = max(1, len(changelog) // 4)
        changelog, dropped = changelog[step:], dropped + step
        value = {**value, "changelog": changelog, "changelog_dropped": dropped}
    return value


def origin_property(value: Any) -> list[dict[str, Any]]:
    return [{"key": ORIGIN_PROPERTY, "value": value}]
