"""The id map: old id -> new id of every object that has one, so that integrations outside Jira
can be repointed after a rebuild.

The YAML never holds an instance id. Instead, ``export`` writes the exported site's **id index**
next to the repo's files, in ``.jiracfg/ids/`` (JSON, sorted, byte-identical when nothing
changed; commit it with the export):

- ``config.json``: ``{"<address>": id}`` for every object of the configuration with an id
  (``custom_field/Story Points``), and ``"<address>#<nested>"`` for objects inside one that have
  their own (``field_context/Team/Default#option:Blue``, ``workflow/Flow#transition:Start ->
  In Progress``, ``dashboard/Overview#gadget:0,1``; a kind lists them with ``Kind.nested_ids``);
- ``data/<PROJECT>.json`` (projects whose issues the repo manages): ``{"<KEY>": {"id", "comments",
  "worklogs", "attachments"}}``, the lists in the issue file's time order (the positions that
  identify them in the file).

Every ``apply`` then takes the same ids from the target and writes the **map** to
``.jiracfg/id-map/<host>.jsonl``: one JSON object a line, ``{"kind", "key", "old", "new"}``
(``kind`` is the address's kind, ``option``, ``transition``, ``gadget``, ``issue``, ``comment``,
``worklog`` or ``attachment``; ``key`` the natural key: ``ENG-12``, ``ENG-12#comment:3``), for
every object of the index that the target has. Kinds contribute without code here: an object with
``meta["id"]`` is mapped, and ``Kind.nested_ids`` adds what it holds. The configuration's ids come
from what the apply already knows (``Applier.site``: the plan's live snapshot and the ids its
writes returned), so an apply reads again only the objects it wrote whose nested ids Jira's writes
do not return; an apply with no changes reads nothing for them. The issues' ids come the same
way (``data.known_ids``: the data plan's read of each project and what the data apply's writes
returned); a project the apply does not know (a saved plan's apply) is searched whole.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

from jiracfg.client import JiraClient
from jiracfg.model import Snapshot

INDEX = ".jiracfg/ids"
MAPS = ".jiracfg/id-map"
LISTS = ("comments", "worklogs", "attachments")
Entry = dict[str, Any]  # {"id": ..., "comments": [...], ...}


# -- the index ------------------------------------------------------------------------------------
def config_ids(live: Snapshot) -> dict[str, str]:
    from jiracfg.kinds import REGISTRY

    out: dict[str, str] = {}
    for resource in live:
        if resource.id is not None:
            out[str(resource.address)] = resource.id
        kind = REGISTRY.get(resource.address.kind)
        for name, value in (kind.nested_ids(resource) if kind else {}).items():
            out[f"{resource.address}#{name}"] = value
    return out


def render(ids: dict[str, Any]) -> str:
    return json.dumps(ids, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def read(path: Path) -> dict[str, Any]:
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def issue_entry(
    issue_id: str, comments: list[Any], worklogs: list[Any], attached: list[Any]
) -> Entry:
    """An issue's ids; the lists already in the issue file's time order."""
    entry: Entry = {"id": str(issue_id)}
    for name, items in zip(LISTS, (comments, worklogs, attached), strict=True):
        if items:
            entry[name] = [str(i["id"]) for i in items]
    return entry


def data_index_path(root: Path, project: str) -> Path:
    return root / INDEX / "data" / f"{project}.json"


# -- the map --------------------------------------------------------------------------------------
def map_path(directory: Path, url: str) -> Path:
    host = urlsplit(url).netloc.replace(":", "_") or "site"
    return directory / MAPS / f"{host}.jsonl"


def config_lines(old: dict[str, str], new: dict[str, str]) -> Iterator[dict[str, str]]:
    for key in sorted(old):
        if key in new:
            address, _, nested = key.partition("#")
            kind = nested.split(":", 1)[0] if nested else address.split("/", 1)[0]
            yield {"kind": kind, "key": key, "old": old[key], "new": new[key]}


def data_lines(old: dict[str, Entry], new: dict[str, Entry]) -> Iterator[dict[str, str]]:
    for key in sorted(old, key=_number):
        target = new.get(key)
        if target is None:
            continue
        yield {"kind": "issue", "key": key, "old": old[key]["id"], "new": target["id"]}
        for name in LISTS:
            pairs = zip(old[key].get(name) or [], target.get(name) or [], strict=False)
            for position, (before, after) in enumerate(pairs, 1):
                kind = name[:-1]
                yield {"kind": kind, "key": f"{key}#{kind}:{position}", "old": before, "new": after}


def _number(key: str) -> int:
    return int(key.rsplit("-", 1)[1]) if key.rsplit("-", 1)[-1].isdigit() else 0


def write_map(path: Path, lines: Iterable[dict[str, str]]) -> int:
    """Write the map (atomically), one JSON object a line; the number of lines."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.tmp")
    count = 0
    with temp.open("w", encoding="utf-8") as out:
        for line in lines:
            out.write(json.dumps(line, ensure_ascii=False, sort_keys=True) + "\n")
            count += 1
    temp.replace(path)
    return count


class IssueIds(Protocol):
    """The target's issue ids as the apply knows them (``data.known_ids.KnownIds``)."""

    def knows(self, project: str) -> bool: ...

    def entries(self, client: JiraClient, project: str) -> dict[str, Entry]: ...


def write_id_map(
    client: JiraClient,
    root: Path,
    directory: Path,
    site: Callable[[], Snapshot],
    issues: IssueIds | None = None,
) -> Path | None:
    """After an apply: the map from the ids in ``root``'s index (the repo, or the commit applied)
    to the target's (``site()``: its objects after the apply, every kind; ``issues``: its
    issues' ids, where the apply knows them), written under ``directory``. None when the repo
    has no index (export writes it)."""
    old = read(root / INDEX / "config.json")
    projects = _indexed_projects(root)
    if not old and not projects:
        return None
    new = config_ids(site()) if old else {}
    lines = _chain(config_lines(old, new), _data(client, root, projects, issues))
    path = map_path(directory, client.url)
    write_map(path, lines)
    return path


def _indexed_projects(root: Path) -> list[str]:
    folder = root / INDEX / "data"
    return sorted(p.stem for p in folder.glob("*.json")) if folder.is_dir() else []


def _data(
    client: JiraClient, root: Path, projects: list[str], issues: IssueIds | None
) -> Iterator[dict[str, str]]:
    """Project by project (one project's ids in memory at a time). A project the apply does
    not know (a saved plan's apply, or a project the plan did not read) is searched whole."""
    from jiracfg.data.ids import target_entries

    for project in projects:
        old = read(data_index_path(root, project))
        if issues is not None and issues.knows(project):
            yield from data_lines(old, issues.entries(client, project))
        else:
            yield from data_lines(old, dict(target_entries(client, project)))


def _chain(*parts: Iterable[dict[str, str]]) -> Iterator[dict[str, str]]:
    for part in parts:
        yield from part
