"""Canonical formatting of config repo files (what ``jiracfg fmt`` does)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from jiracfg.kinds import Kind
from jiracfg.repo.load import children_of, top_kinds
from jiracfg.repo.write import merge, schema_comment
from jiracfg.repo.yamlio import dump, parse, plain


def format_tree(root: Path, *, write: bool) -> list[str]:
    """Files whose text changes in canonical form (rewritten when ``write``)."""
    changed = []
    for rel, _, new in formatted(root):
        changed.append(rel)
        if write:
            (root / rel).write_text(new, encoding="utf-8")
    return changed


def formatted(root: Path) -> Iterator[tuple[str, str, str]]:
    """``(file, text, canonical text)`` of every file whose canonical form differs."""
    for kind in top_kinds():
        for path in sorted((root / kind.folder).glob("*.y*ml")):
            rel = str(path.relative_to(root))
            old = path.read_text(encoding="utf-8")
            data = parse(old, rel)
            if not isinstance(data, dict):
                continue
            merged = merge(data, canonical(kind, plain(data)))
            if not old.startswith("# yaml-language-server:"):
                merged.yaml_set_start_comment(schema_comment(root, path, kind))
            new = dump(merged)
            if new != old:
                yield rel, old, new


def canonical(kind: Kind, body: dict[str, Any]) -> dict[str, Any]:
    """Canonical key order, and unordered lists sorted (nested children too)."""
    for child in children_of(kind):
        items = body.get(child.parent_field)
        if isinstance(items, list):
            body[child.parent_field] = [
                _ordered(child, child.canonical(i)) if isinstance(i, dict) else i for i in items
            ]
    return _ordered(kind, kind.canonical(body))


def _ordered(kind: Kind, body: dict[str, Any]) -> dict[str, Any]:
    order = list(kind.schema().get("properties", {}))
    return {
        k: body[k]
        for k in [k for k in order if k in body] + sorted(k for k in body if k not in order)
    }
