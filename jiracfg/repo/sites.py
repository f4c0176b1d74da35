"""Per-site values: one config repo for several sites (staging, production, ...).

``jiracfg.yaml`` may declare ``sites:``; each site has an optional ``url`` (a plan or apply with
that site against any other URL is refused), ``vars`` (``${var.NAME}`` in any string of any file
is replaced by the site's value when the repo is read for that site) and ``skip`` (globs over file
paths of objects that do not exist on that site: not read for it, and never removed by its export).
Export for a site writes ``${var.NAME}`` back where a live value is exactly a variable's value, so
exporting staging does not overwrite production's values.
"""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from jiracfg.errors import ConfigError
from jiracfg.model import Resource, Snapshot

VAR = re.compile(r"\$\{var\.([A-Za-z_][A-Za-z0-9_]*)\}")
ENV = "JIRACFG_SITE"


@dataclass(frozen=True)
class Site:
    name: str
    url: str = ""
    vars: dict[str, str] = field(default_factory=dict)
    skip: tuple[str, ...] = ()

    def skips(self, rel_path: str) -> bool:
        return any(fnmatch.fnmatchcase(rel_path, glob) for glob in self.skip)


NO_SITE = Site("")  # a repo without ``sites:``: no variables, nothing skipped


def site_names(settings: dict[str, Any]) -> list[str]:
    return sorted(settings.get("sites") or {})


def choose(settings: dict[str, Any], name: str | None) -> Site:
    """The site called ``name`` (else $JIRACFG_SITE); required when the repo declares sites."""
    name = name or os.environ.get(ENV) or None
    sites: dict[str, Any] = settings.get("sites") or {}
    if name is None and not sites:
        return NO_SITE
    if name not in sites:
        raise ConfigError(
            f"no site {name!r} in jiracfg.yaml" if name else "this repo declares several sites",
            file="jiracfg.yaml",
            hint=f"pass --site (or set {ENV}) to one of: {', '.join(sorted(sites)) or '(none)'}",
        )
    body = sites[name] or {}
    vars_ = {str(k): str(v) for k, v in (body.get("vars") or {}).items()}
    return Site(name, str(body.get("url") or ""), vars_, tuple(body.get("skip") or ()))


def check_url(site: Site, url: str) -> None:
    """Refuse to plan or apply a site's values against another site's URL."""
    if site.url and site.url.rstrip("/").casefold() != url.rstrip("/").casefold():
        raise ConfigError(
            f"site {site.name!r} is {site.url}, but the connection is to {url}",
            file="jiracfg.yaml",
            hint="pass the --site that matches JIRA_URL (or fix the url in jiracfg.yaml)",
        )


def substitute(data: Any, site: Site, label: str) -> list[ConfigError]:
    """Replace ``${var.NAME}`` in every string of a loaded YAML document, in place; unknown
    variables are errors at their line."""
    errors: list[ConfigError] = []
    for container, key in list(_strings(data)):
        text = container[key]
        unknown = sorted({m for m in VAR.findall(text) if m not in site.vars})
        if unknown:
            errors.append(_unknown(unknown, site, label, _line(container, key)))
        else:
            container[key] = VAR.sub(lambda m: site.vars[m.group(1)], text)
    return errors


def _unknown(names: list[str], site: Site, label: str, line: int) -> ConfigError:
    where = f"site {site.name!r}" if site.name else "jiracfg.yaml (no sites: declared)"
    return ConfigError(
        f"unknown variable {', '.join('${var.' + n + '}' for n in names)} for {where}",
        file=label,
        line=line,
        hint="declare it under sites: <site>: vars: in jiracfg.yaml, for every site",
    )


def _strings(node: Any) -> Iterator[tuple[Any, Any]]:
    """(container, key) of every string holding ``${var.``, depth first."""
    if not isinstance(node, dict | list):
        return
    items = node.items() if isinstance(node, dict) else enumerate(node)
    for key, value in list(items):
        if isinstance(value, str) and "${var." in value:
            yield node, key
        elif isinstance(value, dict | list):
            yield from _strings(value)


def _line(container: Any, key: Any) -> int:
    if isinstance(container, CommentedMap) and key in container:
        return int(container.lc.value(key)[0]) + 1
    if isinstance(container, CommentedSeq):
        return int(container.lc.item(key)[0]) + 1
    return 1


def templated(live: Snapshot, site: Site) -> Snapshot:
    """``live`` with every string equal to a variable's value written as ``${var.NAME}``."""
    if not site.vars:
        return live
    back = {value: "${var." + name + "}" for name, value in sorted(site.vars.items()) if value}
    return Snapshot(_templated(r, back) for r in live)


def _templated(resource: Resource, back: dict[str, str]) -> Resource:
    spec = _replace(resource.spec, back)
    return Resource(resource.address, spec, resource.meta, resource.origin)


def _replace(value: Any, back: dict[str, str]) -> Any:
    if isinstance(value, str):
        return back.get(value, value)
    if isinstance(value, dict):
        return {k: _replace(v, back) for k, v in value.items()}
    if isinstance(value, list):
        return [_replace(v, back) for v in value]
    return value
