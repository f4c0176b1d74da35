"""Export issues: stream every managed project's issues, page by page, into one file each.

A page of search results (``/search/jql``, 100 issues with every field and the changelog) is
completed by the requests only some issues need (comments, worklogs, watchers, remote links,
properties, a long changelog, attachment bodies not stored yet), run on the client's bounded pool,
then written; the next page replaces it in memory. An incremental export (``since``) asks only for
issues updated since the last export, plus one list of keys per 5,000 issues to find the deleted.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jiracfg.client import JiraClient
from jiracfg.data import files
from jiracfg.data.blobs import BlobStore, ensure_lfs_line, open_store
from jiracfg.data.catalog import Catalog
from jiracfg.data.issue import ORIGIN_PROPERTY, PLACEHOLDER, issue_spec
from jiracfg.data.layout import issue_path, project_files, projects_on_disk, split_key
from jiracfg.data.settings import DataSettings
from jiracfg.kinds._base import load_schema

PAGE = 100  # issues per search page with every field (Jira's cap when many fields are asked)
KEYS_PAGE = 5000  # keys per page when only keys are asked
STATE = ".jiracfg/data-state.json"  # local: when the last export started (git-ignored)
MARGIN_MS = 60_000  # an incremental export looks a minute further back (clock skew, slow writes)
Progress = Callable[[str, int], None]


@dataclass
class DataReport:
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    issues: int = 0
    incremental: bool = False
    blobs_downloaded: int = 0


@dataclass
class _Run:
    client: JiraClient
    root: Path
    catalog: Catalog
    store: BlobStore
    report: DataReport = field(default_factory=DataReport)


def export_data(
    client: JiraClient,
    root: Path,
    settings: DataSettings,
    *,
    full: bool = False,
    progress: Progress | None = None,
) -> DataReport:
    started = int(time.time() * 1000)
    run = _Run(client, root, Catalog(client, settings.users), _store(root, settings))
    projects = managed_projects(client, settings)
    since = None if full else _last_export(root, client.url, projects)
    run.report.incremental = since is not None
    for project in projects:
        _export_project(run, project, since)
        if progress:
            progress(project, run.report.issues)
    _remove_unmanaged(run, projects)
    _save_state(root, client.url, projects, started)
    return run.report


def _store(root: Path, settings: DataSettings) -> BlobStore:
    schema = root / ".jiracfg" / "schemas" / "issue.json"
    files.write_if_changed(schema, json.dumps(load_schema("issue"), indent=2) + "\n")
    ensure_lfs_line(root, settings.blobs)
    return open_store(root, settings.blobs, settings.s3_endpoint)


def managed_projects(client: JiraClient, settings: DataSettings) -> list[str]:
    live = sorted(str(p["key"]) for p in client.paged("/project/search", {"maxResults": 100}))
    return [p for p in live if settings.manages(p)]


def _export_project(run: _Run, project: str, since: int | None) -> None:
    jql = f'project = "{project}"'
    if since is not None:
        minutes = (int(time.time() * 1000) - since + MARGIN_MS) // 60_000 + 1
        jql += f" AND updated >= -{minutes}m"
        _remove_deleted(run, project)
    else:
        seen = {raw["key"] for raw in _write_pages(run, jql)}
        for path in project_files(run.root, project):
            if path.stem not in seen:
                path.unlink()
                run.report.removed += 1
        return
    for _ in _write_pages(run, jql):
        pass


def _write_pages(run: _Run, jql: str) -> Iterator[dict[str, Any]]:
    for page in search_pages(run.client, f"{jql} ORDER BY key ASC"):
        issues = [i for i in page if not _placeholder(i)]
        specs = run.client.map(lambda raw: _spec(run, raw), issues)
        for raw, spec in zip(issues, specs, strict=True):
            _write(run, raw["key"], spec)
            yield raw


def search_pages(
    client: JiraClient, jql: str, fields: str = "*all", size: int = PAGE
) -> Iterator[list[dict[str, Any]]]:
    """Pages of ``/search/jql`` (``nextPageToken``), every field and the changelog."""
    token: str | None = None
    while True:
        body: dict[str, Any] = {
            "jql": jql,
            "maxResults": size,
            "fields": [fields],
            "properties": [ORIGIN_PROPERTY],
        }
        if fields == "*all":
            body["expand"] = "changelog"
        if token:
            body["nextPageToken"] = token
        page = client.post("/search/jql", body)
        yield list(page.get("issues") or [])
        token = page.get("nextPageToken")
        if not token:
            return


def _placeholder(raw: dict[str, Any]) -> bool:
    return str((raw.get("fields") or {}).get("summary", "")).startswith(PLACEHOLDER)


def _write(run: _Run, key: str, spec: dict[str, Any]) -> None:
    run.report.issues += 1
    if files.write_if_changed(issue_path(run.root, key), files.render(spec)):
        run.report.written += 1
    else:
        run.report.unchanged += 1


def _spec(run: _Run, raw: dict[str, Any]) -> dict[str, Any]:
    from jiracfg.data.fetch_extras import extras_of

    old = _old_attachments(run.root, raw["key"])
    extras = extras_of(run.client, raw, run.store, old, run.catalog.user_name)
    run.report.blobs_downloaded += extras.downloaded
    return issue_spec(raw, extras.extras, run.catalog)


def _old_attachments(root: Path, key: str) -> list[dict[str, Any]]:
    """The attachments the issue's file lists (their sha256 saves a download when unchanged)."""
    try:
        old = files.read_issue(issue_path(root, key), key)
    except Exception:  # a broken file is simply rewritten
        return []
    return list((old or {}).get("attachments") or [])


def _remove_deleted(run: _Run, project: str) -> None:
    """Files of issues Jira no longer has (one list of keys per 5,000 issues)."""
    live: set[str] = set()
    for page in search_pages(run.client, f'project = "{project}"', "key", KEYS_PAGE):
        live.update(str(i["key"]) for i in page)
    for path in project_files(run.root, project):
        if path.stem not in live:
            path.unlink()
            run.report.removed += 1


def _remove_unmanaged(run: _Run, projects: list[str]) -> None:
    """Folders of projects no longer managed (or gone from the site) are removed whole."""
    for project in projects_on_disk(run.root):
        if project not in projects:
            for path in project_files(run.root, project):
                path.unlink()
                run.report.removed += 1


def _last_export(root: Path, url: str, projects: list[str]) -> int | None:
    path = root / STATE
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if state.get("site") != url or state.get("projects") != projects:
        return None
    return int(state["started_ms"])


def _save_state(root: Path, url: str, projects: list[str], started: int) -> None:
    path = root / STATE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"site": url, "projects": projects, "started_ms": started}) + "\n")
    ignore = path.parent / ".gitignore"
    line = Path(STATE).name
    text = ignore.read_text(encoding="utf-8") if ignore.exists() else ""
    if line not in text.splitlines():
        ignore.write_text(text + line + "\n", encoding="utf-8")


__all__ = ["DataReport", "export_data", "managed_projects", "search_pages", "split_key"]
