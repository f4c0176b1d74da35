"""SQLite document store for the sandbox.

Every Jira object is a JSON document in a collection (``coll``), with an optional ``parent`` id for
child collections (options of a context, tabs of a screen, issues of a project). Documents keep
their
insertion order (``seq``), which is the order Jira lists them in unless a route sorts.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

Doc = dict[str, Any]


@dataclass(frozen=True)
class Write:
    """One document written while a journal is open (``journal()``): ``before`` is None for an
    insert, ``after`` None for a delete."""

    coll: str
    doc_id: str
    parent: str | None
    before: Doc | None
    after: Doc | None


@dataclass
class Journal:
    """The writes to the collections ``colls`` made while serving one request."""

    colls: frozenset[str]
    writes: list[Write] = field(default_factory=list)


# the journal of the request being served (the audit log reads it); None: not journaled
JOURNAL: ContextVar[Journal | None] = ContextVar("sandbox_journal", default=None)

SCHEMA = """
CREATE TABLE IF NOT EXISTS docs (
  coll TEXT NOT NULL, id TEXT NOT NULL, parent TEXT, seq INTEGER NOT NULL, body TEXT NOT NULL,
  PRIMARY KEY (coll, id));
CREATE INDEX IF NOT EXISTS docs_parent ON docs (coll, parent, seq);
CREATE INDEX IF NOT EXISTS docs_seq ON docs (coll, seq);
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS blobs (id TEXT PRIMARY KEY, data BLOB NOT NULL);
"""
BLOB_CHUNK = 1 << 20


class Store:
    def __init__(self, path: str = ":memory:") -> None:
        self.path = path
        self.db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self.lock = threading.RLock()
        if path != ":memory:":
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(SCHEMA)
        self._depth = 0
        self._mark = 0  # the journal's length when the outer transaction began

    # -- transactions -----------------------------------------------------------------------------
    @contextmanager
    def tx(self) -> Iterator[Store]:
        """A write transaction; nested calls join the outer one. Rolls back on any exception."""
        with self.lock:
            if self._depth == 0:
                self.db.execute("BEGIN")
                journal = JOURNAL.get()
                self._mark = len(journal.writes) if journal else 0
            self._depth += 1
            try:
                yield self
            except BaseException:
                self._depth -= 1
                if self._depth == 0:
                    self.db.execute("ROLLBACK")
                    _forget_after(self._mark)
                raise
            self._depth -= 1
            if self._depth == 0:
                self.db.execute("COMMIT")

    # -- ids --------------------------------------------------------------------------------------
    def next_id(self, counter: str, start: int = 10000) -> int:
        with self.tx():
            row = self.db.execute("SELECT value FROM counters WHERE name=?", (counter,)).fetchone()
            value = (row[0] + 1) if row else start
            self.db.execute("INSERT OR REPLACE INTO counters VALUES (?, ?)", (counter, value))
            return int(value)

    # -- documents --------------------------------------------------------------------------------
    def insert(self, coll: str, doc: Doc, *, parent: str | None = None, start: int = 10000) -> Doc:
        """Insert ``doc``; give it ``id`` (from the collection's counter) unless it has one."""
        with self.tx():
            if doc.get("id") in (None, ""):
                doc["id"] = str(self.next_id(coll, start))
            seq = self.next_id("seq", 1)
            self.db.execute(
                "INSERT INTO docs VALUES (?, ?, ?, ?, ?)",
                (coll, str(doc["id"]), parent, seq, json.dumps(doc)),
            )
            _note(coll, doc["id"], parent, None, doc)
        return doc

    def reserve(self, counter: str, count: int, start: int = 10000) -> int:
        """Take ``count`` consecutive values of a counter at once; the first of them."""
        with self.tx():
            first = self.next_id(counter, start)
            if count > 1:
                self.db.execute(
                    "UPDATE counters SET value=? WHERE name=?", (first + count - 1, counter)
                )
        return first

    def insert_many(self, coll: str, docs: list[Doc], parents: list[str | None]) -> None:
        """Insert many documents in one statement (bulk seeds); ids from the collection's
        counter where missing, positions in list order."""
        with self.tx():
            missing = [d for d in docs if d.get("id") in (None, "")]
            first = self.reserve(coll, len(missing)) if missing else 0
            for offset, doc in enumerate(missing):
                doc["id"] = str(first + offset)
            seq = self.reserve("seq", len(docs), 1)
            for doc, parent in zip(docs, parents, strict=True):
                _note(coll, doc["id"], parent, None, doc)
            self.db.executemany(
                "INSERT INTO docs VALUES (?, ?, ?, ?, ?)",
                (
                    (coll, str(d["id"]), parent, seq + i, json.dumps(d))
                    for i, (d, parent) in enumerate(zip(docs, parents, strict=True))
                ),
            )

    def put(self, coll: str, doc: Doc) -> Doc:
        """Replace an existing document (same id), keeping its position and parent."""
        with self.tx():
            before = self._before(coll, doc["id"])
            cur = self.db.execute(
                "UPDATE docs SET body=? WHERE coll=? AND id=?",
                (json.dumps(doc), coll, str(doc["id"])),
            )
            if cur.rowcount == 0:
                raise KeyError(f"{coll}/{doc['id']}")
            if before is not None and before[1] != doc:
                _note(coll, doc["id"], before[0], before[1], doc)
        return doc

    def get(self, coll: str, doc_id: Any) -> Doc | None:
        with self.lock:
            row = self.db.execute(
                "SELECT body FROM docs WHERE coll=? AND id=?", (coll, str(doc_id))
            ).fetchone()
        return None if row is None else dict(json.loads(row[0]))

    def parent_of(self, coll: str, doc_id: Any) -> str | None:
        with self.lock:
            row = self.db.execute(
                "SELECT parent FROM docs WHERE coll=? AND id=?", (coll, str(doc_id))
            ).fetchone()
        return None if row is None else row[0]

    def delete(self, coll: str, doc_id: Any) -> bool:
        with self.tx():
            before = self._before(coll, doc_id)
            cur = self.db.execute("DELETE FROM docs WHERE coll=? AND id=?", (coll, str(doc_id)))
            if before is not None:
                _note(coll, doc_id, before[0], before[1], None)
        return cur.rowcount > 0

    def delete_children(self, coll: str, parent: str) -> None:
        with self.tx():
            if _journaled(coll):
                for doc in self.all(coll, parent):
                    _note(coll, doc["id"], parent, doc, None)
            self.db.execute("DELETE FROM docs WHERE coll=? AND parent=?", (coll, parent))

    def _before(self, coll: str, doc_id: Any) -> tuple[str | None, Doc] | None:
        """The parent and body of a document about to change, when a journal is open."""
        if not _journaled(coll):
            return None
        row = self.db.execute(
            "SELECT parent, body FROM docs WHERE coll=? AND id=?", (coll, str(doc_id))
        ).fetchone()
        return None if row is None else (row[0], json.loads(row[1]))

    def all(self, coll: str, parent: str | None = None) -> list[Doc]:
        """Every document of ``coll`` (of one ``parent`` if given), in insertion order."""
        with self.lock:
            if parent is None:
                rows = self.db.execute("SELECT body FROM docs WHERE coll=? ORDER BY seq", (coll,))
            else:
                rows = self.db.execute(
                    "SELECT body FROM docs WHERE coll=? AND parent=? ORDER BY seq", (coll, parent)
                )
            return [json.loads(r[0]) for r in rows.fetchall()]

    def find(self, coll: str, pred: Callable[[Doc], bool], parent: str | None = None) -> list[Doc]:
        return [d for d in self.all(coll, parent) if pred(d)]

    def where(self, coll: str, **equals: Any) -> list[Doc]:
        """Documents whose top-level fields equal the given values (filtered inside SQLite, so
        large collections are not parsed in Python), in insertion order."""
        clauses = " AND ".join(f"json_extract(body, '$.{name}') = ?" for name in equals)
        sql = f"SELECT body FROM docs WHERE coll=? AND {clauses} ORDER BY seq"
        with self.lock:
            rows = self.db.execute(sql, (coll, *equals.values())).fetchall()
        return [json.loads(r[0]) for r in rows]

    def first(
        self, coll: str, pred: Callable[[Doc], bool], parent: str | None = None
    ) -> Doc | None:
        return next(iter(self.find(coll, pred, parent)), None)

    def count(self, coll: str, parent: str | None = None) -> int:
        with self.lock:
            if parent is None:
                row = self.db.execute("SELECT COUNT(*) FROM docs WHERE coll=?", (coll,)).fetchone()
            else:
                row = self.db.execute(
                    "SELECT COUNT(*) FROM docs WHERE coll=? AND parent=?", (coll, parent)
                ).fetchone()
        return int(row[0])

    def reorder(self, coll: str, ids: list[str]) -> None:
        """Give the listed documents new, increasing positions in the given order."""
        with self.tx():
            for doc_id in ids:
                seq = self.next_id("seq", 1)
                self.db.execute("UPDATE docs SET seq=? WHERE coll=? AND id=?", (seq, coll, doc_id))

    # -- blobs (attachment bytes, written and read in chunks) -----------------------------------
    def put_blob(self, blob_id: str, size: int, chunks: Iterator[bytes]) -> None:
        """Store ``size`` bytes from ``chunks`` (never all in memory at once)."""
        with self.tx():
            self.db.execute("INSERT OR REPLACE INTO blobs VALUES (?, zeroblob(?))", (blob_id, size))
            rowid = self.db.execute("SELECT rowid FROM blobs WHERE id=?", (blob_id,)).fetchone()[0]
            with self.db.blobopen("blobs", "data", rowid) as blob:
                for chunk in chunks:
                    blob.write(chunk)

    def read_blob(self, blob_id: str) -> Iterator[bytes]:
        """The blob's bytes in chunks (empty when missing)."""
        offset = 0
        while True:
            with self.lock:
                row = self.db.execute(
                    "SELECT substr(data, ?, ?) FROM blobs WHERE id=?",
                    (offset + 1, BLOB_CHUNK, blob_id),
                ).fetchone()
            if row is None or not row[0]:
                return
            yield bytes(row[0])
            offset += len(row[0])

    def delete_blob(self, blob_id: str) -> None:
        with self.tx():
            self.db.execute("DELETE FROM blobs WHERE id=?", (blob_id,))

    # -- meta / snapshots -------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        with self.lock:
            row = self.db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        with self.tx():
            self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def copy_to(self, path: str) -> Store:
        """A new store at ``path`` (or ``:memory:``) holding a copy of this one."""
        target = Store(path)
        with self.lock:
            self.db.backup(target.db)
        return target

    def close(self) -> None:
        self.db.close()


def _journaled(coll: str) -> bool:
    journal = JOURNAL.get()
    return journal is not None and coll in journal.colls


def _note(
    coll: str, doc_id: Any, parent: str | None, before: Doc | None, after: Doc | None
) -> None:
    journal = JOURNAL.get()
    if journal is not None and coll in journal.colls:
        copy = None if after is None else json.loads(json.dumps(after))  # routes mutate docs
        journal.writes.append(Write(coll, str(doc_id), parent, before, copy))


def _forget_after(mark: int) -> None:
    """A rolled-back transaction wrote nothing: drop its journal entries."""
    journal = JOURNAL.get()
    if journal is not None:
        del journal.writes[mark:]
