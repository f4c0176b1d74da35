"""Where objects live on disk: a folder per kind, a file per object, names that are always safe.

File names come from natural keys: Unicode-normalized, lower-cased, anything but letters, digits,
``-`` and ``_`` turned into ``-``, cut to 80 characters and 120 UTF-8 bytes; reserved device names
get a suffix. Keys whose names would collide (``Done`` and ``done``, ``a/b`` and ``a-b``, or a key
that spells another's hashed name) all get a hash of the key, longer until every name is unique,
so names never depend on the order objects are listed in, and no name can leave its folder.
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
MAX_BYTES = 120  # leaves room for the hash and suffix within any file system's 255 bytes
HASH_LENGTHS = (0, 6, 12, 40)  # hex digits added by clash level
SUFFIX = ".yaml"


def slug(key: str) -> str:
    text = unicodedata.normalize("NFKC", key).casefold()
    text = re.sub(r"[^\w-]+", "-", text, flags=re.UNICODE).strip("-_.")
    text = _cut(re.sub(r"-{2,}", "-", text)).strip("-_.")
    if not text:
        return "unnamed"
    return f"{text}-" if text in RESERVED else text


def _cut(text: str) -> str:
    text = text[:MAX_STEM]
    while len(text.encode()) > MAX_BYTES:
        text = text[:-1]
    return text


def file_names(keys: Iterable[str]) -> dict[str, str]:
    """A file name for each key, unique within the folder and independent of key order."""
    stems = {k: slug(k) for k in sorted(set(keys))}
    level = {k: int(stem == "unnamed") for k, stem in stems.items()}
    while True:
        names = {k: _name(k, stems[k], level[k]) for k in stems}
        owners = Counter(n.casefold() for n in names.values())
        clashing = [k for k, n in names.items() if owners[n.casefold()] > 1]
        if not clashing:
            return names
        for key in clashing:
            level[key] = min(level[key] + 1, len(HASH_LENGTHS) - 1)


def _name(key: str, stem: str, level: int) -> str:
    digits = hashlib.sha1(key.encode("utf-8", "surrogatepass")).hexdigest()[: HASH_LENGTHS[level]]
    return f"{stem}-{digits}{SUFFIX}" if digits else stem + SUFFIX


def inside(root: Path, *parts: str) -> Path:
    """``root/parts...``, refusing anything that would resolve outside ``root``."""
    base = root.resolve()
    path = base.joinpath(*parts).resolve()
    if path != base and base not in path.parents:
        raise ConfigError(f"refusing to write outside {root}: {'/'.join(parts)}")
    return path
