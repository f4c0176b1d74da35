"""Issues an issue file names: its ``parent`` and the other end of each of its ``links``.

A reference must name an issue that exists: in the repo (a file of a project the repo holds
issues of), or on the target site (an issue of a project the repo does not manage). ``validate``
checks the first offline; ``plan`` asks the site about the rest (``POST /issue/bulkfetch``, 100
keys a request) before any write. Both report the file and line of the reference.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from jiracfg.client import JiraClient
from jiracfg.data.layout import FOLDER, issue_path, split_key
from jiracfg.errors import ConfigError

BULK_FETCH = 100
HINT = "fix the key, or add the issue's file (export it) before naming it"
Where = list[Any]  # the reference's path in the file: ["parent"] or ["links", 2, "issue"]


def references(spec: dict[str, Any]) -> list[tuple[Where, str]]:
    """(path in the file, key) of every issue the spec names."""
    found: list[tuple[Where, str]] = []
    if isinstance(spec.get("parent"), str):
        found.append((["parent"], spec["parent"]))
    for index, link in enumerate(spec.get("links") or []):
        if isinstance(link, dict) and isinstance(link.get("issue"), str):
            found.append((["links", index, "issue"], link["issue"]))
    return found


def in_repo_projects(root: Path, key: str) -> bool:
    """Whether ``key`` belongs to a project whose issues the repo holds (a data/ folder)."""
    return (root / FOLDER / split_key(key)[0]).is_dir()


def error(label: str, text: str, where: Where, key: str, place: str) -> ConfigError:
    from jiracfg.repo.yamlio import line_of, parse

    line = line_of(parse(text, label), where)
    what = "parent" if where == ["parent"] else "link"
    return ConfigError(
        f"{what} names {key}, which is not {place}", file=label, line=line, hint=HINT
    )


def offline_errors(root: Path, label: str, text: str, spec: dict[str, Any]) -> list[ConfigError]:
    """References to issues of the repo's projects that have no file."""
    own = str(spec.get("key"))
    out = []
    for where, key in references(spec):
        if key == own:
            out.append(error(label, text, where, key, "another issue (it is this one)"))
        elif in_repo_projects(root, key) and not issue_path(root, key).is_file():
            out.append(error(label, text, where, key, "in the repo"))
    return out


def missing_on_site(client: JiraClient, keys: Iterable[str]) -> set[str]:
    """The keys the site has no issue for."""
    wanted = sorted(set(keys))
    missing: set[str] = set()
    for start in range(0, len(wanted), BULK_FETCH):
        chunk = wanted[start : start + BULK_FETCH]
        body = {"issueIdsOrKeys": chunk, "fields": ["key"]}
        found = client.post("/issue/bulkfetch", body).get("issues") or []
        missing |= set(chunk) - {str(i.get("key")) for i in found}
    return missing


def site_errors(
    client: JiraClient, root: Path, refs: dict[str, list[tuple[str, Where]]]
) -> list[ConfigError]:
    """References (key -> [(file, path)]) to issues the site does not have either."""
    out = []
    for key in sorted(missing_on_site(client, refs)):
        for label, where in refs[key]:
            text = (root / label).read_text(encoding="utf-8")
            out.append(error(label, text, where, key, "in the repo nor on the site"))
    return out


# -- what verify compares: relations by the issues' keys in the repo ------------------------------
Relations = dict[str, set[str]]  # issue key -> {"Blocks MKT-5", "parent MKT-7", ...}


def relations(spec: dict[str, Any]) -> set[str]:
    found = {f"{link['type']} {link['issue']}" for link in spec.get("links") or []}
    return found | ({f"parent {spec['parent']}"} if spec.get("parent") else set())


def repo_relations(specs: Iterable[dict[str, Any]]) -> Relations:
    return {str(s["key"]): r for s in specs if (r := relations(s))}


def site_relations(client: JiraClient, projects: list[str]) -> Relations:
    """The managed projects' links and parents on the site, every issue named by the key it has
    in the repo (its ``jiracfg.origin`` key: a rebuild that could not keep a key still maps)."""
    from jiracfg.data.export import search_pages
    from jiracfg.data.issue import ORIGIN_PROPERTY

    identity: dict[str, str] = {}
    raw: dict[str, set[tuple[str, str]]] = {}
    for project in projects:
        for page in search_pages(client, f'project = "{project}"', "issuelinks,parent", 100):
            for issue in page:
                stored = (issue.get("properties") or {}).get(ORIGIN_PROPERTY)
                own = stored.get("key") if isinstance(stored, dict) else None
                if own and own != issue["key"]:  # only keys a rebuild could not keep
                    identity[str(issue["key"])] = str(own)
                if found := _live_relations(issue.get("fields") or {}):
                    raw[str(issue["key"])] = found
    return {
        identity.get(key, key): {f"{kind} {identity.get(other, other)}" for kind, other in found}
        for key, found in raw.items()
    }


def _live_relations(f: dict[str, Any]) -> set[tuple[str, str]]:
    from jiracfg.data.issue import issue_links

    found = {(link["type"], link["issue"]) for link in issue_links(f)}
    parent = (f.get("parent") or {}).get("key")
    return found | ({("parent", str(parent))} if parent else set())
