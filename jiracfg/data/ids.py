"""Issue ids for the id map (``jiracfg.idmap``): the entries export writes to the id index, and
the same entries read from a target after an apply, by the key each issue has in the repo."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from jiracfg.client import JiraClient
from jiracfg.data.export import search_pages
from jiracfg.data.fetch_extras import _attached
from jiracfg.data.issue import ORIGIN_PROPERTY, PLACEHOLDER, _in_time_order
from jiracfg.data.layout import issue_path
from jiracfg.idmap import Entry, data_index_path, issue_entry, read, render

FIELDS = "summary,comment,worklog,attachment"


def entry_of(raw: dict[str, Any], comments: list[Any], worklogs: list[Any]) -> Entry:
    f = raw.get("fields") or {}
    return issue_entry(
        str(raw["id"]), _in_time_order(comments), _in_time_order(worklogs), _attached(f)
    )


def write_index(root: Path, project: str, found: dict[str, Entry]) -> None:
    """Merge ``found`` into the project's index; entries of issues with no file are dropped."""
    path = data_index_path(root, project)
    ids = {**read(path), **found}
    ids = {k: v for k, v in ids.items() if issue_path(root, k).is_file()}
    text = render(ids)
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def target_entries(client: JiraClient, project: str) -> Iterator[tuple[str, Entry]]:
    """(key in the repo, ids) of the project's issues on the target."""
    return entries_of(client, f'project = "{project}" ORDER BY key ASC')


def entries_of(client: JiraClient, jql: str) -> Iterator[tuple[str, Entry]]:
    """(key in the repo, ids) of the issues ``jql`` finds (placeholders left out)."""
    for page in search_pages(client, jql, FIELDS, 100):
        for raw in page:
            f = raw.get("fields") or {}
            if str(f.get("summary", "")).startswith(PLACEHOLDER):
                continue
            stored = (raw.get("properties") or {}).get(ORIGIN_PROPERTY)
            key = stored.get("key") if isinstance(stored, dict) else None
            comments = _all(client, raw, "comment", "comments")
            yield (
                str(key or raw["key"]),
                entry_of(raw, comments, _all(client, raw, "worklog", "worklogs")),
            )


def _all(client: JiraClient, raw: dict[str, Any], field: str, key: str) -> list[Any]:
    block = (raw.get("fields") or {}).get(field) or {}
    items = list(block.get(key) or [])
    if int(block.get("total") or 0) <= len(items):
        return items
    return list(client.paged(f"/issue/{raw['id']}/{field}", {"maxResults": 100}, key=key))


__all__ = ["entries_of", "entry_of", "target_entries", "write_index"]
