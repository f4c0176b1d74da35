"""The apply journal: what each ``jiracfg apply`` wrote, and when, for ``verify``'s audit check.

One JSON line per apply, appended to ``.git/jiracfg/applies.jsonl`` in a git checkout (never
tracked, never makes the working tree dirty), else ``.jiracfg/applies.jsonl``; ``--journal`` or
``JIRACFG_JOURNAL`` names another file (CI: keep it as an artifact between the apply and verify
jobs). A line holds the site, the commit, the apply's start and end, and each configuration change
that ran: its address, action, start and end (epoch ms, this machine's clock), whether Jira audits
its kind, whether it failed, and the names Jira's audit records may give its object; and the data
step's count of each fact REST could not restore. Secrets never enter it: only names, counts and
times.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import git

from jiracfg.apply import Timed
from jiracfg.kinds import REGISTRY
from jiracfg.model import Spec

FILE = "applies.jsonl"
NAME_FIELDS = ("name", "field", "key")  # spec fields an audit record's object may be named by


def default_path(directory: Path) -> Path:
    configured = os.environ.get("JIRACFG_JOURNAL")
    if configured:
        return Path(configured)
    try:
        repo = git.Repo(directory, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return directory / ".jiracfg" / FILE
    return Path(repo.git_dir) / "jiracfg" / FILE


def entry(
    source: dict[str, str],
    started_ms: int,
    finished_ms: int,
    timed: Iterable[Timed],
    not_restored: dict[str, int] | None = None,
) -> dict[str, Any]:
    """One apply's line; ``not_restored``: the data step's facts REST could not restore (None:
    the apply had no data step)."""
    return {
        "site": source.get("site", ""),
        "commit": source.get("commit", ""),
        "started_ms": started_ms,
        "finished_ms": finished_ms,
        "writes": [_write(t) for t in sorted(timed, key=lambda t: t.started_ms)],
        "not_restored": None if not_restored is None else dict(sorted(not_restored.items())),
    }


def _write(timed: Timed) -> dict[str, Any]:
    change = timed.change
    return {
        "address": str(change.address),
        "action": change.action.value,
        "started_ms": timed.started_ms,
        "finished_ms": timed.finished_ms,
        "audited": REGISTRY[change.address.kind].audited,
        "failed": timed.failed,
        "names": sorted(_names(change.address.key, change.before, change.after)),
    }


def _names(key: str, *specs: Spec | None) -> set[str]:
    names = {key}
    for spec in specs:
        names |= {str(spec[f]) for f in NAME_FIELDS if spec and isinstance(spec.get(f), str)}
    return names


def append(path: Path, line: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as out:
        out.write(json.dumps(line, sort_keys=True) + "\n")


def applies(path: Path, site: str, commit: str | None) -> list[dict[str, Any]]:
    """The applies of ``commit`` (None: of any commit) to ``site`` the journal holds, oldest
    first."""
    if not path.exists():
        return []
    found: list[dict[str, Any]] = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            try:
                item = json.loads(line)
            except ValueError:
                continue  # a line cut short by a killed apply
            if item.get("site") == site and commit in (None, item.get("commit")):
                found.append(item)
    return found
