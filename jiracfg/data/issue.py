"""An issue as its file holds it: Jira's issue JSON (plus what hangs on it) to a plain spec.

The spec's keys, in file order: ``key, type, summary, status, resolution, priority, reporter,
assignee, parent, labels, components, affects_versions, fix_versions, sprints, due, estimate,
description, environment, fields, comments, worklogs, attachments, remote_links, links, watchers,
properties, origin``. ``links`` are the issue links that go from this issue (``{type, issue}``: the
link type's name and the other issue's key), so each link is in one file only. Empty values are
left out. Comments, worklogs and attachments are in time order and identified by their position,
never by Jira id. ``origin`` holds what only Jira sets (key, times, authors, the changelog); a
restored issue keeps its original facts in the ``jiracfg.origin`` entity property, which export
reads back as the origin, so a rebuilt site exports like the site it came from.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from jiracfg.data.agile import issue_sprints
from jiracfg.data.catalog import Catalog

ORIGIN_PROPERTY = "jiracfg.origin"
PLACEHOLDER = "jiracfg placeholder"  # summary prefix of the issues that burn a deleted key's number
Spec = dict[str, Any]


@dataclass
class Extras:
    """What an issue's search result does not carry, read by separate requests."""

    comments: list[dict[str, Any]] = field(default_factory=list)
    worklogs: list[dict[str, Any]] = field(default_factory=list)
    remote_links: list[dict[str, Any]] = field(default_factory=list)
    watchers: list[dict[str, Any]] = field(default_factory=list)
    properties: dict[str, Any] = field(default_factory=dict)
    changelog: list[dict[str, Any]] = field(default_factory=list)
    attachments: list[Spec] = field(default_factory=list)  # already {filename, sha256, ...}
    user_name: Callable[[Any], str | None] = lambda user: None


def sorted_keys(value: Any) -> Any:
    """ADF (any JSON) with its object keys sorted: the same document, always written alike."""
    if isinstance(value, dict):
        return {k: sorted_keys(value[k]) for k in sorted(value)}
    if isinstance(value, list):
        return [sorted_keys(v) for v in value]
    return value


def names(values: Any, key: str = "name") -> list[str]:
    return sorted(str(v[key]) for v in values or [] if isinstance(v, dict) and v.get(key))


def issue_spec(raw: dict[str, Any], extras: Extras, catalog: Catalog) -> Spec:
    f = raw.get("fields") or {}
    spec: Spec = {
        "key": raw["key"],
        "type": (f.get("issuetype") or {}).get("name"),
        "summary": f.get("summary"),
        "status": (f.get("status") or {}).get("name"),
        "resolution": (f.get("resolution") or {}).get("name"),
        "priority": (f.get("priority") or {}).get("name"),
        "reporter": catalog.user_name(f.get("reporter")),
        "assignee": catalog.user_name(f.get("assignee")),
        "parent": (f.get("parent") or {}).get("key"),
        "labels": sorted(f.get("labels") or []),
        "components": names(f.get("components")),
        "affects_versions": names(f.get("versions")),
        "fix_versions": names(f.get("fixVersions")),
        "sprints": issue_sprints(f, catalog.sprint_field, catalog.sprints),
        "due": f.get("duedate"),
        "estimate": _estimate(f),
        "description": sorted_keys(f.get("description")),
        "environment": sorted_keys(f.get("environment")),
        "fields": custom_values(f, catalog),
        "comments": [_comment(c, catalog) for c in _in_time_order(extras.comments)],
        "worklogs": [_worklog(w, catalog) for w in _in_time_order(extras.worklogs)],
        "attachments": extras.attachments,
        "remote_links": sorted(
            (_remote_link(r) for r in extras.remote_links), key=lambda r: (r["url"], r["title"])
        ),
        "links": issue_links(f),
        "watchers": sorted(n for w in extras.watchers if (n := catalog.user_name(w))),
        "properties": {
            k: extras.properties[k] for k in sorted(extras.properties) if k != ORIGIN_PROPERTY
        },
    }
    spec = drop_empty(spec)
    spec["origin"] = _origin(raw, f, extras, catalog, spec)
    return spec


def drop_empty(spec: Spec) -> Spec:
    return {k: v for k, v in spec.items() if v not in (None, "", [], {})}


def _estimate(f: dict[str, Any]) -> dict[str, int]:
    found = {"original": f.get("timeoriginalestimate"), "remaining": f.get("timeestimate")}
    return {k: int(v) for k, v in found.items() if v is not None}


def custom_values(f: dict[str, Any], catalog: Catalog) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for field_id in sorted(k for k in f if k in catalog.by_id):
        fld = catalog.by_id[field_id]
        value = catalog.to_file(fld, f[field_id])
        if value not in (None, "", [], {}):
            out[fld.key] = sorted_keys(value)
    return dict(sorted(out.items()))


def _in_time_order(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(items, key=lambda i: (str(i.get("created", "")), int(str(i.get("id") or 0))))


def _visibility(raw: Any) -> dict[str, str] | None:
    if not isinstance(raw, dict) or not raw.get("type"):
        return None
    return {"type": str(raw["type"]), "value": str(raw.get("value") or raw.get("identifier"))}


def _own_properties(raw: dict[str, Any]) -> tuple[dict[str, Any], Any]:
    """(the entity's properties but jiracfg's, jiracfg's origin property or None)."""
    found = {str(p["key"]): p.get("value") for p in raw.get("properties") or []}
    origin = found.pop(ORIGIN_PROPERTY, None)
    return dict(sorted(found.items())), origin


def _authored(raw: dict[str, Any], catalog: Catalog, stored: Any) -> Spec:
    if isinstance(stored, dict):
        return stored
    out = {"author": catalog.user_name(raw.get("author")), "created": raw.get("created")}
    if raw.get("updated") and raw.get("updated") != raw.get("created"):
        out["updated"] = raw["updated"]
        out["updated_by"] = catalog.user_name(raw.get("updateAuthor"))
    return drop_empty(out)


def _comment(raw: dict[str, Any], catalog: Catalog) -> Spec:
    properties, stored = _own_properties(raw)
    spec = {
        "body": sorted_keys(raw.get("body")),
        "visibility": _visibility(raw.get("visibility")),
        "properties": properties,
    }
    return {**drop_empty(spec), "origin": _authored(raw, catalog, stored)}


def _worklog(raw: dict[str, Any], catalog: Catalog) -> Spec:
    properties, stored = _own_properties(raw)
    spec = {
        "started": raw.get("started"),
        "time_spent_seconds": raw.get("timeSpentSeconds"),
        "comment": sorted_keys(raw.get("comment")),
        "visibility": _visibility(raw.get("visibility")),
        "properties": properties,
    }
    return {**drop_empty(spec), "origin": _authored(raw, catalog, stored)}


def _remote_link(raw: dict[str, Any]) -> Spec:
    obj = raw.get("object") or {}
    return drop_empty(
        {
            "url": obj.get("url"),
            "title": obj.get("title"),
            "global_id": raw.get("globalId"),
            "relationship": raw.get("relationship"),
        }
    )


def issue_links(f: dict[str, Any]) -> list[dict[str, str]]:
    """The issue's links that go from it (``fields.issuelinks`` entries with an
    ``outwardIssue``): each link is written once, in its source issue's file."""
    found = {
        (str((link.get("type") or {}).get("name")), str(link["outwardIssue"].get("key")))
        for link in f.get("issuelinks") or []
        if isinstance(link, dict) and isinstance(link.get("outwardIssue"), dict)
    }
    return [{"type": kind, "issue": key} for kind, key in sorted(found)]


def _origin(
    raw: dict[str, Any], f: dict[str, Any], extras: Extras, catalog: Catalog, spec: Spec
) -> Spec:
    stored = extras.properties.get(ORIGIN_PROPERTY)
    if isinstance(stored, dict) and stored.get("key"):
        return {k: v for k, v in stored.items() if k != "attachments"}
    return drop_empty(
        {
            "key": raw["key"],
            "created": f.get("created"),
            "updated": f.get("updated"),
            "resolved": f.get("resolutiondate"),
            "creator": catalog.user_name(f.get("creator")),
            "changelog": [_history(h, catalog) for h in _in_time_order(extras.changelog)],
        }
    )


def _history(raw: dict[str, Any], catalog: Catalog) -> Spec:
    items = [
        drop_empty({"field": i.get("field"), "from": i.get("fromString"), "to": i.get("toString")})
        for i in raw.get("items") or []
    ]
    return drop_empty(
        {
            "author": catalog.user_name(raw.get("author")),
            "created": raw.get("created"),
            "items": items,
        }
    )


def without_origin(spec: Spec) -> Spec:
    """What a plan compares and apply sets: the spec without any ``origin`` (nested ones too)."""
    out = {k: v for k, v in spec.items() if k not in ("origin", "key")}
    for name in ("comments", "worklogs", "attachments"):
        if name in out:
            out[name] = [{k: v for k, v in i.items() if k != "origin"} for i in out[name]]
    return out
