"""Where issue files live: ``data/<PROJECT>/<SHARD>/<KEY>.yaml``.

The shard is the issue number divided by 1,000, three digits at least (``ENG-12`` in ``000/``,
``ENG-4321`` in ``004/``), so no folder holds more than 1,000 files and a key alone says where its
file is (an incremental export rewrites one file without listing any folder).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from jiracfg.errors import ConfigError

FOLDER = "data"
SHARD_SIZE = 1000
KEY = re.compile(r"^([A-Z][A-Z0-9_]*)-([1-9]\d*)$")


def split_key(key: str) -> tuple[str, int]:
    """``("ENG", 12)`` from ``ENG-12``."""
    found = KEY.match(key)
    if not found:
        raise ConfigError(f"not an issue key: {key!r}", hint="keys look like ENG-12")
    return found.group(1), int(found.group(2))


def issue_path(root: Path, key: str) -> Path:
    project, number = split_key(key)
    return root / FOLDER / project / f"{number // SHARD_SIZE:03d}" / f"{key}.yaml"


def relative(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def project_files(root: Path, project: str) -> Iterator[Path]:
    """The issue files of one project, in issue number order."""
    folder = root / FOLDER / project
    found = [p for p in folder.glob("*/*.yaml") if KEY.match(p.stem)] if folder.is_dir() else []
    yield from sorted(found, key=lambda p: split_key(p.stem)[1])


def projects_on_disk(root: Path) -> list[str]:
    folder = root / FOLDER
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))
