"""The desired state at a git commit, read with gitpython (no checkout, working tree untouched)."""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import git

from jiracfg.errors import ConfigError
from jiracfg.model import Snapshot
from jiracfg.repo.load import load_desired, load_settings
from jiracfg.repo.sites import NO_SITE, Site


def load_desired_at_ref(
    root: Path, ref: str, *, check_refs: bool = True, site: Site = NO_SITE
) -> Snapshot:
    with _materialized(root, ref) as folder:
        return load_desired(folder, check_refs=check_refs, label=f"{ref}:", site=site)


def load_settings_at_ref(root: Path, ref: str) -> dict[str, Any]:
    with _materialized(root, ref) as folder:
        return load_settings(folder, label=f"{ref}:")


class _materialized:
    """The config folder's files at ``ref``, copied from git objects into a temporary folder."""

    def __init__(self, root: Path, ref: str) -> None:
        self.root, self.ref = root, ref
        self.tmp = tempfile.TemporaryDirectory(prefix="jiracfg-ref-")

    def __enter__(self) -> Path:
        tree = _tree(self.root, self.ref)
        target = Path(self.tmp.name)
        for blob in tree.traverse():
            if blob.type == "blob" and str(blob.path).endswith((".yaml", ".yml")):
                dest = target / str(blob.path)
                dest.parent.mkdir(parents=True, exist_ok=True)
                dest.write_bytes(blob.data_stream.read())
        return target

    def __exit__(self, *exc: object) -> None:
        self.tmp.cleanup()


@contextlib.contextmanager
def folder_at(root: Path, ref: str | None) -> Iterator[Path]:
    """The config repo's folder: ``root`` itself, or its YAML files at ``ref`` in a temporary
    folder (for what reads files itself, like the data plan)."""
    if ref is None:
        yield root
        return
    with _materialized(root, ref) as folder:
        yield folder


def _tree(root: Path, ref: str) -> Any:
    try:
        repo = git.Repo(root, search_parent_directories=True)
        commit = repo.commit(ref)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError) as exc:
        raise ConfigError(f"{root} is not in a git repository", hint="run `git init`") from exc
    except (git.BadName, ValueError) as exc:
        raise ConfigError(
            f"no commit {ref!r} in {root}", hint="use a branch, tag or commit that exists"
        ) from exc
    rel = Path(root).resolve().relative_to(Path(str(repo.working_tree_dir)).resolve())
    return commit.tree if str(rel) == "." else commit.tree / rel.as_posix()


def describe(root: Path, ref: str | None) -> dict[str, str]:
    """Which commit the desired state comes from: ``commit`` (sha, "" outside git), ``ref`` (the
    ref asked for, or "working tree"), and ``dirty`` ("yes" when the working tree read has
    uncommitted changes)."""
    try:
        repo = git.Repo(root, search_parent_directories=True)
        commit = repo.commit(ref or "HEAD").hexsha
    except (git.InvalidGitRepositoryError, git.NoSuchPathError, git.BadName, ValueError):
        return {"commit": "", "ref": ref or "working tree"}
    dirty = ref is None and repo.is_dirty(untracked_files=True, path=str(Path(root).resolve()))
    return {"commit": commit, "ref": ref or "working tree", **({"dirty": "yes"} if dirty else {})}
