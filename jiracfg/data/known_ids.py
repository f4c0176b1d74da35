"""The target's issue ids as an apply knows them, for the id map (``jiracfg.idmap``), so that the
map reads no issue Jira already told us about.

Two sources: the plan's live read of each managed project (``live_project``: every issue's id and
its comments', worklogs' and attachments' ids, in time order) and what the data apply's writes
returned: a create's ``{id, key}``, each comment, worklog or attachment it posted (with its id and
time, merged with the list the fill read, in the same time order), the deletes. A sub-task made
as a stand-in and moved, or an issue retyped, keeps its id. Only an issue whose list a write left
unknown (an answer lost and the create found committed: its id never came back) is read again,
by key, 100 keys a search page. A project the plan did not read (a saved plan; a project no longer
managed) is not known: the map searches it whole.

Each project's read is kept in a temporary file, not in memory: the plan reads one project at a
time, and the map writes one project at a time.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import threading
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from jiracfg.client import JiraClient
from jiracfg.idmap import LISTS, Entry

PAGE = 100  # keys per ``key in (...)`` search page
ListIds = dict[str, list[str] | None]  # part -> ids in time order (None: not known)


class KnownIds:
    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="jiracfg-issue-ids-"))
        self._cleanup = weakref.finalize(self, shutil.rmtree, self.folder, True)
        self._read: set[str] = set()
        self._written: dict[str, dict[str, tuple[str, Entry | None]]] = {}  # identity: key, entry
        self._gone: dict[str, set[str]] = {}  # live keys deleted, by project
        self._lock = threading.Lock()

    # -- what the plan read ----------------------------------------------------------------------
    def read(self, project: str, issues: dict[str, tuple[str, Entry]]) -> None:
        """The project's live issues as the plan read them: identity -> (live key, entry)."""
        text = json.dumps({k: [key, entry] for k, (key, entry) in issues.items()})
        self._file(project).write_text(text, encoding="utf-8")
        self._read.add(project)

    def adopt(self, other: KnownIds) -> None:
        """Take ``other``'s reads (a data plan made again inside the apply, after the
        configuration changes: it read the site later)."""
        for project in other._read:
            shutil.copyfile(other._file(project), self._file(project))
        self._read |= other._read

    def emptied(self, project: str) -> None:
        """The project was deleted or replaced after the plan read it: none of the issues read
        is left (what the data step wrote afterwards stays)."""
        self.read(project, {})

    def knows(self, project: str) -> bool:
        return project in self._read

    # -- what the apply's writes returned --------------------------------------------------------
    def created(self, identity: str, key: str, issue_id: str, lists: ListIds) -> None:
        self._note(identity, key, _entry({"id": issue_id}, lists))

    def updated(self, identity: str, key: str, lists: ListIds) -> None:
        """An issue the apply filled in: the lists it converged (the others stay as read)."""
        if lists:
            self._note(identity, key, _entry(None, lists))

    def deleted(self, keys: list[str]) -> None:
        with self._lock:
            for key in keys:
                self._gone.setdefault(key.rsplit("-", 1)[0], set()).add(key)

    def _note(self, identity: str, key: str, entry: Entry | None) -> None:
        with self._lock:
            self._written.setdefault(key.rsplit("-", 1)[0], {})[identity] = (key, entry)

    # -- the map ---------------------------------------------------------------------------------
    def entries(self, client: JiraClient, project: str) -> dict[str, Entry]:
        """The project's ids on the target now (identity -> entry), as a full read gives them."""
        found: dict[str, list[Any]] = json.loads(self._file(project).read_text(encoding="utf-8"))
        unknown: list[str] = []
        for identity, (key, written) in self._written.get(project, {}).items():
            was = found.get(identity, [key, {}])[1]
            entry = None if written is None else _merged(was, written)
            found[identity] = [key, entry]
            if entry is None:
                unknown.append(key)
        gone = self._gone.get(project, set())
        out = {k: v[1] for k, v in found.items() if v[0] not in gone and v[1] is not None}
        return out | dict(_read_back(client, unknown))

    def _file(self, project: str) -> Path:
        return self.folder / f"{project}.json"


def _entry(base: Entry | None, lists: ListIds) -> Entry | None:
    """The written part of an entry (``lists`` as written; None when a write left one unknown)."""
    if any(ids is None for ids in lists.values()):
        return None
    return {**(base or {}), **lists}


def _merged(was: Entry, written: Entry) -> Entry:
    """The entry as read, with the written lists in place of the read ones; no empty lists (as
    ``issue_entry`` writes them)."""
    out = {**was, **written}
    return {k: v for k, v in out.items() if k not in LISTS or v}


def _read_back(client: JiraClient, keys: list[str]) -> Iterator[tuple[str, Entry]]:
    """Entries only a read can give (see the module docstring), by key, 100 keys a page."""
    from jiracfg.data.ids import entries_of

    for start in range(0, len(keys), PAGE):
        listed = ", ".join(f'"{k}"' for k in sorted(keys[start : start + PAGE]))
        yield from entries_of(client, f"key in ({listed}) ORDER BY key ASC")


__all__ = ["KnownIds", "ListIds"]
