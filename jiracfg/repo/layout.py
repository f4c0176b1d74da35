"""Where objects live on disk: a folder per kind, a file per object, names that are always safe.

File names come from natural keys: Unicode-normalized, lower-cased, anything but letters, digits,
``-`` and ``_`` turned into ``-``; reserved device names and empty results get a suffix. Keys whose
names would collide (``Done`` and ``done``, ``a/b`` and ``a-b``) all get a short hash of the key, so
names never depend on the order objects are listed in, and no name can leave its folder.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from jiracfg.errors import ConfigError

RESERVED = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(10)),
    *(f"lpt{i}" for i in range(10)),
}
MAX_STEM = 80
SUFFIX = ".yaml"


def slug(key: str) -> str:
    text = unicodedata.normalize("NFKC", key).casefold()
    text = re.sub(r"[^\w-]+", "-", text, flags=re.UNICODE).strip("-_.")
    text = re.sub(r"-{2,}", "-", text)[:MAX_STEM].strip("-_.")
    if not text:
        return "unnamed"
    return f"{text}-" if text in RESERVED else text


def file_names(keys: Iterable[str]) -> dict[str, str]:
    """A file name for each key, unique within the folder and independent of key order."""
    keys = sorted(set(keys))
    counts = Counter(slug(k) for k in keys)
    return {k: _name(k, counts[slug(k)] > 1) for k in keys}


def _name(key: str, clash: bool) -> str:
    stem = slug(key)
    if clash or stem == "unnamed":
        stem = f"{stem}-{hashlib.sha1(key.encode()).hexdigest()[:6]}"
    return stem + SUFFIX


def inside(root: Path, *parts: str) -> Path:
    """``root/parts...``, refusing anything that would resolve outside ``root``."""
    base = root.resolve()
    path = base.joinpath(*parts).resolve()
    if path != base and base not in path.parents:
        raise ConfigError(f"refusing to write outside {root}: {'/'.join(parts)}")
    return path
