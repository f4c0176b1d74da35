"""Reading and writing issue files: fast (libyaml where present), deterministic, line-aware.

Issue files are plain YAML written in the spec's own key order. They are read with PyYAML's
C loader (a site has hundreds of thousands); only a file that fails validation is parsed again
with ruamel for the line numbers its errors name.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml

from jiracfg.errors import ConfigError

try:  # libyaml: ten times faster; the pure-Python classes behave the same
    from yaml import CSafeDumper as Dumper
    from yaml import CSafeLoader as Loader
except ImportError:  # pragma: no cover
    from yaml import SafeDumper as Dumper  # type: ignore[assignment]
    from yaml import SafeLoader as Loader  # type: ignore[assignment]

SCHEMA_LINE = "# yaml-language-server: $schema=../../../.jiracfg/schemas/issue.json\n"


class _Loader(Loader):
    """The safe loader without timestamps: dates stay strings, as Jira gives them."""


_Loader.yaml_implicit_resolvers = {
    k: [r for r in v if r[0] != "tag:yaml.org,2002:timestamp"]
    for k, v in Loader.yaml_implicit_resolvers.items()
}


def render(spec: dict[str, Any]) -> str:
    body = yaml.dump(
        spec,
        Dumper=Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )
    return SCHEMA_LINE + body


def parse(text: str, label: str) -> Any:
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        raise ConfigError(
            f"YAML syntax: {exc.problem}",
            file=label,
            line=(mark.line + 1) if mark else 1,
            hint="fix the YAML syntax",
        ) from None


def read_issue(path: Path, label: str) -> dict[str, Any] | None:
    if not path.is_file():
        return None
    data = parse(path.read_text(encoding="utf-8"), label)
    return data if isinstance(data, dict) else None


def write_if_changed(path: Path, text: str) -> bool:
    """Write ``text`` unless the file holds it already (atomically); True when written."""
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.tmp")
    temp.write_text(text, encoding="utf-8")
    os.replace(temp, path)
    return True
