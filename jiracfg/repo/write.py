"""Write a live Snapshot as the config repo: one file per object, canonical and byte-stable.

Keys follow the order of the kind's JSON Schema ``properties`` (unknown keys after, sorted).
Existing files are updated in place through ruamel's round trip, so comments a user added survive
wherever the value they sit on did not change; a file holding an object under another name (hand
named, ``.yml``) hands its text to the object's own file. YAML files of objects that no longer
exist are removed (only inside the folders of the kinds written; other files are the user's).
Read-only system objects are never written.

Fields only the user can write are kept from the existing file (``Kind.kept``): a kind's
``write_only`` fields (``secret: {env: VAR}`` of a webhook: Jira never returns it) and
``renamed_from`` (the site has no memory of a rename), at the top level and on nested objects
matched by name, and what a kind keeps deeper (an option's ``renamed_from`` and ``replaces``).
Without this, every export would drop them and the next rebuild, or the next site, would lose what
they declare.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from jiracfg.errors import ConfigError
from jiracfg.kinds import Kind
from jiracfg.model import Resource, Snapshot
from jiracfg.repo.layout import file_names, inside
from jiracfg.repo.load import children_of, top_kinds
from jiracfg.repo.sites import NO_SITE, Site
from jiracfg.repo.yamlio import dump, parse, plain

SCHEMA_DIR = ".jiracfg/schemas"


@dataclass
class WriteReport:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)  # address -> what to do to export it
    _undo: list[tuple[Path, bytes | None]] = field(default_factory=list, repr=False)

    def remember(self, path: Path) -> None:
        """Keep ``path``'s bytes (None: it does not exist yet) before it is written or removed."""
        self._undo.append((path, path.read_bytes() if path.exists() else None))

    def rollback(self) -> None:
        """Put back every file written or removed, newest first (after an interrupt)."""
        for path, old in reversed(self._undo):
            if old is None:
                path.unlink(missing_ok=True)
            else:
                path.write_bytes(old)
        self._undo.clear()


WriteProgress = Callable[[int, int], None]  # (files done, files in all)


def write_snapshot(
    root: Path,
    live: Snapshot,
    kinds: list[str] | None = None,
    site: Site = NO_SITE,
    progress: WriteProgress | None = None,
) -> WriteReport:
    """Write every managed object of ``kinds`` (all by default) under ``root``; files that
    ``site`` skips are neither written nor removed."""
    report = WriteReport()
    root.mkdir(parents=True, exist_ok=True)
    root = root.resolve()  # file paths below are resolved (they may not leave root)
    _write_schemas(root)
    chosen = [k for k in top_kinds() if kinds is None or k.name in kinds]
    total = sum(1 for k in chosen for r in live.of_kind(k.name) if not r.readonly)
    try:
        for kind in chosen:
            _write_kind(root, kind, live, report, site)
            if progress:
                progress(len(report.written) + len(report.unchanged), total)
    except BaseException:  # Ctrl-C or an error halfway: the repo is left as it was
        report.rollback()
        raise
    return report


def _write_kind(root: Path, kind: Kind, live: Snapshot, report: WriteReport, site: Site) -> None:
    objects = {r.address.key: r for r in live.of_kind(kind.name) if not r.readonly}
    names = file_names(objects)
    folder = inside(root, kind.folder)
    strays = _strays(kind, folder, set(names.values()))
    nested = _nested(kind, live)
    for key, resource in objects.items():
        path = inside(folder, names[key])
        if site.skips(_rel(root, path)):
            continue
        body = document(kind, resource, nested)
        _write_file(root, path, kind, body, report, strays.get(key, path))
    kept = {_identity(folder / n) for n in names.values()}
    for stale in _yaml_files(folder):
        if _identity(stale) not in kept and not site.skips(_rel(root, stale)):
            report.remember(stale)
            stale.unlink()
            report.removed.append(str(stale.relative_to(root)))


def _rel(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def _yaml_files(folder: Path) -> list[Path]:
    """The object files of a kind's folder (what the loader reads); other files are the user's."""
    return sorted(folder.glob("*.y*ml")) if folder.is_dir() else []


def _identity(path: Path) -> tuple[int, int] | Path:
    """The file itself (one file under two spellings on case-insensitive disks is one file)."""
    if not path.exists():
        return path
    stat = path.stat()
    return stat.st_dev, stat.st_ino


def _strays(kind: Kind, folder: Path, names: set[str]) -> dict[str, Path]:
    """Existing files of objects under other names (hand-named, ``.yml``...), by object key: their
    text (and comments) moves to the object's own file."""
    found: dict[str, Path] = {}
    for path in _yaml_files(folder):
        key = None if path.name in names else _key_in(kind, path)
        if key is not None:
            found.setdefault(key, path)
    return found


def _key_in(kind: Kind, path: Path) -> str | None:
    try:
        data = parse(path.read_text(encoding="utf-8"), path.name)
        return kind.key(plain(data)) if isinstance(data, dict) else None
    except (ConfigError, KeyError, TypeError, ValueError, OSError):
        return None


Nested = dict[str, dict[str, list[Resource]]]  # child kind -> parent key -> children


def _nested(kind: Kind, live: Snapshot) -> Nested:
    """The nested objects of ``kind``'s files, grouped by parent once (not once per file)."""
    groups: Nested = {}
    for child in children_of(kind):
        by_parent = groups.setdefault(child.name, {})
        for r in live.of_kind(child.name):  # in address order
            by_parent.setdefault(str(r.spec.get(child.parent_key_field)), []).append(r)
    return groups


def document(kind: Kind, resource: Resource, nested: Nested) -> dict[str, Any]:
    """The file body: the spec plus nested children (e.g. contexts), in canonical key order."""
    body = dict(resource.spec)
    for child in children_of(kind):
        items = nested.get(child.name, {}).get(resource.address.key, [])
        if items:
            body[child.parent_field] = [
                _ordered(child, {k: v for k, v in r.spec.items() if k != child.parent_key_field})
                for r in items
            ]
    return _ordered(kind, body)


def _ordered(kind: Kind, body: dict[str, Any]) -> dict[str, Any]:
    order = list(kind.schema().get("properties", {}))
    known = [k for k in order if k in body]
    return {k: body[k] for k in known + sorted(k for k in body if k not in order)}


def _write_file(
    root: Path, path: Path, kind: Kind, body: dict[str, Any], report: WriteReport, source: Path
) -> None:
    """Write ``path``, merged into the existing text of ``source`` (``path`` itself, or the file
    the object had before) so comments survive."""
    rel = str(path.relative_to(root))
    old_text = source.read_text(encoding="utf-8") if source.exists() else None
    data: Any = _fresh(root, path, kind, body)
    if old_text is not None:
        try:
            existing = parse(old_text, rel)
            if isinstance(existing, CommentedMap):
                data = merge(existing, kept_user_fields(kind, plain(existing), body))
        except ConfigError:  # an unreadable file is simply rewritten
            pass
    text = dump(data)
    if text == old_text and source == path:
        report.unchanged.append(rel)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    report.remember(path)
    path.write_text(text, encoding="utf-8")
    report.written.append(rel)


def kept_user_fields(kind: Kind, old: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
    """``body`` plus the user-only fields of the existing file ``old`` that fetch cannot report
    (``Kind.kept``), on the object and on its nested objects matched by name."""
    out = kind.kept(old, body)
    for child in children_of(kind):
        items, before = body.get(child.parent_field), old.get(child.parent_field)
        if isinstance(items, list) and isinstance(before, list):
            named = {i.get("name"): i for i in before if isinstance(i, dict)}
            out[child.parent_field] = [
                _ordered(child, child.kept(named.get(i.get("name")) or {}, i)) for i in items
            ]
    return _ordered(kind, out)


def _fresh(root: Path, path: Path, kind: Kind, body: dict[str, Any]) -> CommentedMap:
    data: CommentedMap = to_commented(body)
    data.yaml_set_start_comment(schema_comment(root, path, kind))
    return data


def schema_comment(root: Path, path: Path, kind: Kind) -> str:
    """The first line of every file: its JSON Schema, for editors that validate as you type."""
    depth = len(path.relative_to(root).parts) - 1
    return f"yaml-language-server: $schema={'../' * depth}{SCHEMA_DIR}/{kind.name}.json"


def to_commented(value: Any) -> Any:
    if isinstance(value, dict):
        out = CommentedMap()
        for key, item in value.items():
            out[key] = to_commented(item)
        return out
    if isinstance(value, list):
        return CommentedSeq(to_commented(v) for v in value)
    return value


def merge(old: Any, new: Any) -> Any:
    """``new`` in ``old``'s containers where shapes agree, so comments on unchanged parts stay."""
    if isinstance(old, CommentedMap) and isinstance(new, dict):
        for key in [k for k in old if k not in new]:
            del old[key]
        for key, value in new.items():
            old[key] = merge(old[key], value) if key in old else to_commented(value)
        for key in new:  # canonical order
            old.move_to_end(key)
        return old
    if isinstance(old, CommentedSeq) and isinstance(new, list) and len(old) == len(new):
        for index, value in enumerate(new):
            old[index] = merge(old[index], value)
        return old
    return old if old == new and type(old) is type(new) else to_commented(new)


def _write_schemas(root: Path) -> None:
    from jiracfg.repo.schemas import write_schemas  # schemas reads the loader, as this module

    write_schemas(inside(root, *SCHEMA_DIR.split("/")))
