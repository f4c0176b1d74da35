"""The live issues of one project, as specs comparable with the files (no attachment bodies)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from jiracfg.client import JiraClient
from jiracfg.data.catalog import Catalog
from jiracfg.data.export import search_pages
from jiracfg.data.fetch_extras import extras_of
from jiracfg.data.ids import entry_of
from jiracfg.data.issue import ORIGIN_PROPERTY, PLACEHOLDER, Spec, issue_spec, without_origin
from jiracfg.data.layout import split_key
from jiracfg.idmap import Entry


@dataclass(frozen=True)
class LiveIssue:
    id: str
    key: str  # its key on this site
    identity: str  # the key it had where it came from (jiracfg.origin), else its key
    spec: Spec
    ids: Entry  # its id and its comments', worklogs' and attachments' (the id map's entry)

    @property
    def number(self) -> int:
        return split_key(self.key)[1]


@dataclass
class LiveProject:
    issues: dict[str, LiveIssue] = field(default_factory=dict)  # by identity
    placeholders: list[str] = field(default_factory=list)  # left by an interrupted apply
    max_number: int = 0  # the highest issue number the project shows


def live_project(client: JiraClient, catalog: Catalog, project: str) -> LiveProject:
    out = LiveProject()
    for page in search_pages(client, f'project = "{project}" ORDER BY key ASC'):
        found = client.map(lambda r: _live(client, catalog, r), page)
        for raw, issue in zip(page, found, strict=True):
            out.max_number = max(out.max_number, split_key(str(raw["key"]))[1])
            if issue is None:
                out.placeholders.append(str(raw["key"]))
            else:
                out.issues[issue.identity] = issue
    return out


def _live(client: JiraClient, catalog: Catalog, raw: dict[str, Any]) -> LiveIssue | None:
    if str((raw.get("fields") or {}).get("summary", "")).startswith(PLACEHOLDER):
        return None
    extras = extras_of(client, raw, None, [], catalog.user_name).extras
    spec = issue_spec(raw, extras, catalog)
    stored = (raw.get("properties") or {}).get(ORIGIN_PROPERTY)
    identity = str((stored.get("key") if isinstance(stored, dict) else None) or raw["key"])
    ids = entry_of(raw, extras.comments, extras.worklogs)
    return LiveIssue(str(raw["id"]), str(raw["key"]), identity, spec, ids)


def comparable(spec: Spec) -> Spec:
    """What plan compares: no origin facts, attachments without their sha256 (Jira does not
    give a body's hash; the file name, size and type stand for it)."""
    out = without_origin(spec)
    out.pop("sprints", None)  # planned per sprint (``data.agile``), not per issue
    if "attachments" in out:
        out["attachments"] = [
            {k: v for k, v in a.items() if k != "sha256"} for a in out["attachments"]
        ]
    return out
