"""Wording shared by the human renderers."""

from __future__ import annotations

import json
from typing import Any

SYMBOLS = {"create": "+", "update": "~", "replace": "-/+", "delete": "-"}
VERBS = {"create": "create", "update": "update", "replace": "replace", "delete": "delete"}


def source_line(plan: dict[str, Any]) -> str:
    """Which site and which commit the plan is for ("" for a plan that records neither)."""
    source = plan.get("source") or {}
    if not source.get("site"):
        return ""
    commit = source.get("commit", "")[:12] or "no git commit"
    dirty = " + uncommitted changes" if source.get("dirty") else ""
    return (
        f"Plan for {source['site']} from {source.get('ref', 'working tree')} ({commit}{dirty}), "
        f"jiracfg {source.get('jiracfg_version', '?')}"
    )


def summary_line(plan: dict[str, Any]) -> str:
    counts = plan["summary"]
    if not any(counts.values()):
        return "No changes. The live site matches the config repo."
    return (
        f"Plan: {counts['create']} to create, {counts['update']} to update, "
        f"{counts['replace']} to replace, {counts['delete']} to delete."
    )


def value(item: Any) -> str:
    """A compact one-line rendering of a YAML value."""
    if item is None:
        return "(none)"
    return json.dumps(item, ensure_ascii=False, sort_keys=True)


def detail_lines(change: dict[str, Any]) -> list[str]:
    """Why, when the change says (a step of a two-step write), then what changes, field by field
    (creates and deletes show their top-level fields)."""
    why = [f"({change['reason']})"] if change.get("reason") else []
    if change["action"] in ("create", "delete"):
        spec = change["after"] if change["action"] == "create" else change["before"]
        return why + [f"{key}: {value(item)}" for key, item in (spec or {}).items()]
    lines = [f"renamed from {change['renamed_from']!r}"] if change.get("renamed_from") else []
    return (
        why
        + lines
        + [f"{f['path']}: {value(f['before'])} -> {value(f['after'])}" for f in change["fields"]]
    )


def unmanaged_lines(plan: dict[str, Any], code: bool = False) -> list[str]:
    """The live objects the repo does not hold, each by address, then the ignored count."""
    listed, ignored = plan.get("unmanaged") or [], plan.get("unmanaged_ignored") or []
    if not listed and not ignored:
        return []
    head = (
        f"{len(listed)} live object(s) are not in the config repo and are left alone "
        "(`--prune` deletes them; `--fail-on-unmanaged` fails CI on them)"
    )
    tail = f"{len(ignored)} ignored by jiracfg.yaml `unmanaged.ignore`" if ignored else ""
    quote = "`" if code else ""
    return [head + (f"; {tail}" if tail else "") + (":" if listed else ".")] + [
        f"{quote}{a}{quote}" for a in listed
    ]


ISSUES_LISTED = 50  # above this many issue changes, a plan shows counts per project instead


def shown_changes(plan: dict[str, Any]) -> tuple[list[dict[str, Any]], list[str]]:
    """The changes to list one by one, and per-project count lines for issue changes when there
    are too many to list (deletes of issues are always listed: they lose data)."""
    changes = plan["changes"]
    issues = [c for c in changes if c["address"].startswith("issue/")]
    if len(issues) <= ISSUES_LISTED:
        return changes, []
    counts: dict[str, dict[str, int]] = {}
    for change in issues:
        project = change["address"][len("issue/") :].rsplit("-", 1)[0]
        per = counts.setdefault(project, {})
        per[change["action"]] = per.get(change["action"], 0) + 1
    lines = [
        f"issues of {project}: " + ", ".join(f"{n} to {VERBS[a]}" for a, n in sorted(per.items()))
        for project, per in sorted(counts.items())
    ]
    kept = [c for c in changes if c not in issues or c["action"] == "delete"]
    return kept, lines
