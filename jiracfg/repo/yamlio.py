"""YAML reading and writing with ruamel (round trip): line numbers in, comments kept, stable out."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from jiracfg.errors import ConfigError


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 100
    yaml.preserve_quotes = False
    yaml.allow_duplicate_keys = False
    return yaml


def parse(text: str, file: str) -> Any:
    """Parse YAML; syntax errors become ConfigError with file and line."""
    try:
        return _yaml().load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise ConfigError(
            f"YAML syntax: {exc.problem or exc.context}",
            file=file,
            line=line,
            hint="fix the YAML syntax (indent with spaces, quote values with ': ')",
        ) from None
    except YAMLError as exc:
        raise ConfigError(
            f"YAML syntax: {exc}", file=file, line=1, hint="fix the YAML syntax"
        ) from None


def dump(data: Any) -> str:
    """YAML text of ``data``, without trailing white space (ruamel leaves a space at the end of a
    folded line; the standard ``trailing-whitespace`` hook and ``fmt`` would fight over it). A
    line's trailing space is dropped only where the text still reads back as the same value (in a
    literal block it is content)."""
    stream = io.StringIO()
    _yaml().dump(data, stream)
    text = stream.getvalue()
    stripped = "".join(line.rstrip(" \t") + "\n" for line in text.splitlines())
    if stripped == text or plain(_yaml().load(stripped)) != plain(_yaml().load(text)):
        return text
    return stripped


def read(path: Path, label: str) -> Any:
    return parse(path.read_text(encoding="utf-8"), label)


def line_of(data: Any, path: list[Any]) -> int:
    """1-based line of the deepest node along ``path`` that carries a position."""
    line, node = 1, data
    for part in path:
        position = _position(node, part)
        if position is None:
            break
        line = position + 1
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
    return line


def _position(node: Any, part: Any) -> int | None:
    if isinstance(node, CommentedMap) and part in node:
        return int(node.lc.key(part)[0])
    if isinstance(node, CommentedSeq) and isinstance(part, int) and part < len(node):
        return int(node.lc.item(part)[0])
    return None


def plain(node: Any) -> Any:
    """ruamel containers to plain dict/list/str values (for specs)."""
    if isinstance(node, dict):
        return {str(k): plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [plain(v) for v in node]
    if isinstance(node, str):
        return str(node)
    return node


def scalar_lines(node: Any, skip: set[Any] | None = None) -> Iterator[tuple[str, int]]:
    """Every scalar value below ``node`` (but for the top-level keys in ``skip``) with its 1-based
    line, in document order."""
    if isinstance(node, CommentedMap):
        for key, value in node.items():
            if skip and key in skip:
                continue
            if isinstance(value, CommentedMap | CommentedSeq):
                yield from scalar_lines(value)
            elif value is not None:
                yield str(value), int(node.lc.value(key)[0]) + 1
    elif isinstance(node, CommentedSeq):
        for index, item in enumerate(node):
            if isinstance(item, CommentedMap | CommentedSeq):
                yield from scalar_lines(item)
            elif item is not None:
                yield str(item), int(node.lc.item(index)[0]) + 1
