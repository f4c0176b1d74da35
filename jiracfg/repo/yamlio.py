"""YAML reading and writing with ruamel (round trip): line numbers in, comments kept, stable out.

Reading is bounded, so hostile or broken files are refused fast, naming the file: text that is not
UTF-8, nesting deeper than ``MAX_DEPTH``, and documents whose aliases expand to more than
``MAX_VALUES`` values (a "billion laughs" bomb is a few lines that expand to 10^9).
"""

from __future__ import annotations

import io
import re
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


MAX_DEPTH = 100  # nested mappings and lists; a workflow's deepest condition tree needs ~10
MAX_VALUES = 1_000_000  # values a document holds once its aliases are expanded


def parse(text: str, file: str) -> Any:
    """Parse YAML; syntax errors become ConfigError with file and line."""
    if _too_deep(text):
        raise _too_big(file, f"nested deeper than {MAX_DEPTH} levels")
    try:
        data = _yaml().load(text)
    except RecursionError:
        raise _too_big(file, f"nested deeper than {MAX_DEPTH} levels") from None
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
    _check_size(data, file)
    return data


def _check_size(data: Any, file: str) -> None:
    """Refuse documents nested too deep or too big once aliases are expanded. Sizes are summed
    bottom-up, once per node however often it is aliased, so a bomb is measured, not expanded."""
    size: dict[int, int] = {}
    stack: list[tuple[Any, int, bool]] = [(data, 1, False)]
    while stack:
        node, depth, done = stack.pop()
        if depth > MAX_DEPTH:
            raise _too_big(file, f"nested deeper than {MAX_DEPTH} levels")
        children = list(node.values() if isinstance(node, dict) else node)
        if done:
            size[id(node)] = 1 + sum(size.get(id(c), 1) for c in children)
            if size[id(node)] > MAX_VALUES:
                raise _too_big(file, f"over {MAX_VALUES:,} values once its aliases are expanded")
        elif id(node) not in size:
            stack.append((node, depth, True))
            stack += [(c, depth + 1, False) for c in children if isinstance(c, dict | list)]


def _too_deep(text: str) -> bool:
    """Nesting beyond reason, seen in the text before ruamel (slow, then recursing, on it): ``[``
    and ``{`` nested over MAX_DEPTH (brackets in strings count too: an upper bound), or a line
    indented (spaces, tabs, ``- ``) over 8 columns per allowed level."""
    depth = deepest = 0
    for bracket in re.findall(r"[\[\]{}]", text):
        depth = depth + 1 if bracket in "[{" else max(0, depth - 1)
        deepest = max(deepest, depth)
    indent = max((len(m) for m in re.findall(r"^[ \t-]+", text, flags=re.M)), default=0)
    return deepest > MAX_DEPTH or indent > 8 * MAX_DEPTH


def _too_big(file: str, what: str) -> ConfigError:
    return ConfigError(
        f"refused: the YAML is {what}",
        file=file,
        line=1,
        hint="a jiracfg file is one object: write it out plainly, without deep nesting or "
        "aliases that expand (`jiracfg export` writes neither)",
    )


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
    return parse(decode(path.read_bytes(), label), label)


def decode(raw: bytes, file: str) -> str:
    """The file's text; anything but UTF-8 is refused with the line of the first bad byte."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start})",
            file=file,
            line=raw[: exc.start].count(b"\n") + 1,
            hint="save the file as UTF-8 (YAML config files are UTF-8; binaries don't belong "
            "in a kind's folder)",
        ) from None


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
    """ruamel containers to plain dict/list/str/int/float values (for specs: ruamel keeps some
    numbers, such as a ``0``, as its own types, which a diff reports as changed)."""
    if isinstance(node, dict):
        return {str(k): plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [plain(v) for v in node]
    if isinstance(node, str):
        return str(node)
    if isinstance(node, bool):
        return bool(node)
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
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
