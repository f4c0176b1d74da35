"""Offline checks of issue files: YAML syntax, the issue JSON Schema, a key that matches the
file's name and folder, and a parent and links that name issues the repo has (``links``). Every
error names ``file:line``."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

from jiracfg.data import files
from jiracfg.data.agile import old_rank_files
from jiracfg.data.layout import issue_path, project_files, projects_on_disk, relative
from jiracfg.data.links import offline_errors
from jiracfg.errors import ConfigError
from jiracfg.kinds._base import load_schema

HINT = "see .jiracfg/schemas/issue.json and the README section on data"


@cache
def _validator() -> Any:
    return jsonschema.Draft202012Validator(load_schema("issue"))


def issue_errors(root: Path, path: Path, text: str) -> tuple[Any, list[ConfigError]]:
    """The file's spec (None when unreadable) and what is wrong with it."""
    label = relative(root, path)
    try:
        spec = files.parse(text, label)
    except ConfigError as exc:
        return None, [exc]
    if not isinstance(spec, dict):
        return None, [ConfigError("an issue file holds a mapping", file=label, line=1, hint=HINT)]
    errors = sorted(_validator().iter_errors(spec), key=lambda e: list(e.absolute_path))
    found = [_located(text, label, e) for e in errors]
    key = spec.get("key")
    if isinstance(key, str) and not found and issue_path(root, key) != path:
        found.append(
            ConfigError(
                f"key {key} does not match the file's place",
                file=label,
                line=1,
                hint=f"move the file to {relative(root, issue_path(root, key))}",
            )
        )
    if not found:
        found += offline_errors(root, label, text, spec)
    return (spec if not found else None), found


def _located(text: str, label: str, error: Any) -> ConfigError:
    from jiracfg.repo.yamlio import line_of, parse

    where = ".".join(map(str, error.absolute_path)) or "file"
    line = line_of(parse(text, label), list(error.absolute_path))
    return ConfigError(f"{where}: {error.message}", file=label, line=line, hint=HINT)


def validate_data(root: Path) -> Iterator[ConfigError]:
    yield from old_rank_files(root)
    for project in projects_on_disk(root):
        for path in project_files(root, project):
            yield from issue_errors(root, path, path.read_text(encoding="utf-8"))[1]
