"""Export issues: stream every managed project's issues, page by page, into one file each.

A page of search results (``/search/jql``, 100 issues with every field and the changelog) is
completed by the requests only some issues need (comments, worklogs, watchers, remote links,
properties, a long changelog, attachment bodies not stored yet), run on the client's bounded pool,
then written; the next page replaces it in memory. An incremental export (``since``) asks only for
issues updated since the last export, plus one list of keys per 5,000 issues to find the deleted.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from jiracfg.client import JiraClient
from jiracfg.data import files
from jiracfg.data.agile import ranked_keys, write_rank
from jiracfg.data.blobs import BlobStore, ensure_lfs_line, open_store
from jiracfg.data.catalog import Catalog
from jiracfg.data.issue import ORIGIN_PROPERTY, PLACEHOLDER, issue_spec
from jiracfg.data.layout import issue_path, project_files, projects_on_disk, split_key
from jiracfg.data.settings import DataSettings
from jiracfg.idmap import data_index_path
from jiracfg.idmap import read as read_ids
from jiracfg.kinds._base import load_schema

PAGE = 100  # issues per search page with every field (Jira's cap when many fields are asked)
KEYS_PAGE = 5000  # keys per page when only keys are asked
BULK_FETCH = 100  # issues per POST /issue/bulkfetch
WINDOW = 2 * PAGE  # issues being exported at once, at most (two search pages)
STATE = ".jiracfg/data-state.json"  # local: when the last export started (git-ignored)
MARGIN_MS = 5_000  # an incremental export looks this much further back (writes still in flight)
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
    ids: dict[str, dict[str, Any]] = field(default_factory=dict)  # for the id index, by key
    # the attachment ids the previous export recorded, by project and key (``attachment_ids``)
    old_attachments: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def attachment_ids(self, key: str) -> list[str]:
        """The Jira ids the previous export recorded for the issue's attachments (in the
        file's order; read once per project from the id index)."""
        project = split_key(key)[0]
        with self.lock:
            if project not in self.old_attachments:
                found = read_ids(data_index_path(self.root, project))
                self.old_attachments[project] = {
                    k: list(v["attachments"])
                    for k, v in found.items()
                    if isinstance(v, dict) and v.get("attachments")
                }
            return self.old_attachments[project].get(key, [])


def export_data(
    client: JiraClient,
    root: Path,
    settings: DataSettings,
    *,
    full: bool = False,
    progress: Progress | None = None,
) -> DataReport:
    started = server_time_ms(client)
    run = _Run(client, root, Catalog(client, settings.users), _store(root, settings))
    projects = managed_projects(client, settings)
    since = None if full else _last_export(root, client.url, projects)
    run.report.incremental = since is not None
    done: set[str] = set()
    for project in projects:
        done |= _export_project(run, project, since)
        if since is None:
            _write_ids(run, project)
        if progress:
            progress(project, run.report.issues)
    ranked = ranked_keys(client, projects)  # Jira's one rank order, across the projects
    if since is not None:
        _remove_deleted(run, projects, set(ranked))
        _export_worklogged(run, projects, since, done)
        for project in projects:
            _write_ids(run, project)
    if projects:
        write_rank(root, projects, [k for k in ranked if issue_path(root, k).is_file()])
    _remove_unmanaged(run, projects)
    _save_state(root, client.url, projects, started)
    return run.report


def server_time_ms(client: JiraClient) -> int:
    """The site's clock (``/serverInfo``), so that no clock skew can hide a change."""
    text = str(client.get("/serverInfo").get("serverTime") or "")
    try:
        return int(datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%f%z").timestamp() * 1000)
    except ValueError:
        return int(time.time() * 1000) - 60_000  # no readable clock: a minute of margin


def _store(root: Path, settings: DataSettings) -> BlobStore:
    schema = root / ".jiracfg" / "schemas" / "issue.json"
    files.write_if_changed(schema, json.dumps(load_schema("issue"), indent=2) + "\n")
    ensure_lfs_line(root, settings.blobs)
    return open_store(root, settings.blobs, settings.s3_endpoint)


def managed_projects(client: JiraClient, settings: DataSettings) -> list[str]:
    live = sorted(str(p["key"]) for p in client.paged("/project/search", {"maxResults": 100}))
    return [p for p in live if settings.manages(p)]


def _export_project(run: _Run, project: str, since: int | None) -> set[str]:
    """Keys of the issues written. A full export reads every issue and removes files of issues
    not seen; an incremental one reads issues newest-updated first and stops at the first one
    not updated since the last export (a minute of margin), then lists keys to find the
    deleted."""
    jql = f'project = "{project}"'
    if since is None:
        seen = {raw["key"] for raw in _write_pages(run, f"{jql} ORDER BY key ASC")}
        for path in project_files(run.root, project):
            if path.stem not in seen:
                path.unlink()
                run.report.removed += 1
        return seen
    return {raw["key"] for raw in _write_pages(run, f"{jql} ORDER BY updated DESC", since)}


def _write_pages(run: _Run, jql: str, since: int | None = None) -> Iterator[dict[str, Any]]:
    """Export the issues ``jql`` finds (``since``: only those updated since), yielding each once
    its file is written. Issues are exported on threads of their own, twice as many as the
    client lets requests be in flight, across page boundaries (at most ``WINDOW`` issues held):
    the client's limit stays full while one issue's file is rendered or a page ends."""
    workers = 2 * run.client.concurrency
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="issue") as pool:
        pending: deque[tuple[dict[str, Any], Future[None]]] = deque()
        for page in prefetched(search_pages(run.client, jql)):
            fresh = [i for i in page if since is None or updated_ms(i) >= since - MARGIN_MS]
            for raw in (i for i in fresh if not _placeholder(i)):
                pending.append((raw, pool.submit(_export_issue, run, raw)))
            while len(pending) > WINDOW:
                yield _done(pending)
            if len(fresh) < len(page):
                break  # the rest was not updated since the last export
        while pending:
            yield _done(pending)


def _done(pending: deque[tuple[dict[str, Any], Future[None]]]) -> dict[str, Any]:
    raw, future = pending.popleft()
    future.result()
    return raw


def prefetched(pages: Iterator[list[dict[str, Any]]]) -> Iterator[list[dict[str, Any]]]:
    """``pages``, the next one read while the caller works on the current one."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="next-page") as ahead:
        upcoming = ahead.submit(next, pages, None)
        while True:
            page = upcoming.result()
            if page is None:
                return
            upcoming = ahead.submit(next, pages, None)
            yield page


def updated_ms(raw: dict[str, Any]) -> int:
    text = str((raw.get("fields") or {}).get("updated") or "")
    try:
        return int(datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%f%z").timestamp() * 1000)
    except ValueError:
        return 1 << 62  # no readable time: treat as changed


def _export_worklogged(run: _Run, projects: list[str], since: int, done: set[str]) -> None:
    """Issues whose worklogs changed since ``since`` (Jira's worklog feed), if their own
    ``updated`` did not show it."""
    issues = _issues_of_worklogs(run.client, worklogs_updated(run.client, since - MARGIN_MS))
    for start in range(0, len(issues), BULK_FETCH):
        body = {
            "issueIdsOrKeys": issues[start : start + BULK_FETCH],
            "fields": ["*all"],
            "expand": ["changelog"],
            "properties": [ORIGIN_PROPERTY],
        }
        page = run.client.post("/issue/bulkfetch", body).get("issues") or []
        todo = [i for i in page if _project_of(i) in projects and i["key"] not in done]
        todo = [i for i in todo if not _placeholder(i)]
        run.client.map(lambda raw: _export_issue(run, raw), todo)


def _project_of(raw: dict[str, Any]) -> str:
    return str(((raw.get("fields") or {}).get("project") or {}).get("key"))


def worklogs_updated(client: JiraClient, since: int) -> list[int]:
    """Ids of worklogs created or changed since ``since`` (epoch ms), over the feed's pages."""
    ids: list[int] = []
    params: dict[str, Any] = {"since": since}
    while True:
        page = client.get("/worklog/updated", params)
        ids += [int(v["worklogId"]) for v in page.get("values") or []]
        if page.get("lastPage", True) or not page.get("nextPage"):
            return ids
        params = dict(parse_qsl(urlsplit(str(page["nextPage"])).query))


def _issues_of_worklogs(client: JiraClient, ids: list[int]) -> list[str]:
    found: set[str] = set()
    for start in range(0, len(ids), 1000):
        for worklog in client.post("/worklog/list", {"ids": ids[start : start + 1000]}) or []:
            found.add(str(worklog["issueId"]))
    return sorted(found, key=int)


def search_pages(
    client: JiraClient, jql: str, fields: str = "*all", size: int = PAGE
) -> Iterator[list[dict[str, Any]]]:
    """Pages of ``/search/jql`` (``nextPageToken``), every field and the changelog."""
    token: str | None = None
    while True:
        body: dict[str, Any] = {
            "jql": jql,
            "maxResults": size,
            "fields": fields.split(","),
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


def _export_issue(run: _Run, raw: dict[str, Any]) -> None:
    """Read what the issue has beyond the search result and write its file, on a pool thread:
    the YAML is rendered while other issues' requests are in flight, not between pages."""
    changed = files.write_if_changed(
        issue_path(run.root, raw["key"]), files.render(_spec(run, raw))
    )
    with run.lock:
        run.report.issues += 1
        if changed:
            run.report.written += 1
        else:
            run.report.unchanged += 1


def _spec(run: _Run, raw: dict[str, Any]) -> dict[str, Any]:
    from jiracfg.data.fetch_extras import extras_of
    from jiracfg.data.ids import entry_of

    old = _old_attachments(run.root, raw["key"])
    recorded = run.attachment_ids(str(raw["key"]))
    if len(recorded) == len(old):  # the id each had: a replaced body comes with a new one
        old = [{**a, "id": i} for a, i in zip(old, recorded, strict=True)]
    extras = extras_of(run.client, raw, run.store, old, run.catalog.user_name)
    entry = entry_of(raw, extras.extras.comments, extras.extras.worklogs)
    with run.lock:
        run.report.blobs_downloaded += extras.downloaded
        run.ids[str(raw["key"])] = entry
    return issue_spec(raw, extras.extras, run.catalog)


def _write_ids(run: _Run, project: str) -> None:
    """The project's part of the id index (``jiracfg.idmap``), with the issues just read."""
    from jiracfg.data.ids import write_index

    mine = {k: run.ids.pop(k) for k in [k for k in run.ids if split_key(k)[0] == project]}
    write_index(run.root, project, mine)


def _old_attachments(root: Path, key: str) -> list[dict[str, Any]]:
    """The attachments the issue's file lists (their sha256 saves a download when unchanged)."""
    try:
        old = files.read_issue(issue_path(root, key), key)
    except Exception:  # a broken file is simply rewritten
        return []
    return list((old or {}).get("attachments") or [])


def _remove_deleted(run: _Run, projects: list[str], live: set[str]) -> None:
    """Files of issues Jira no longer has (``live``: the keys of the projects' issues, listed
    once in rank order, one request per 5,000 issues, which also gives the rank file)."""
    for project in projects:
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
