"""Central value types: Address, Resource, Snapshot.

An Address is the stable identity of one object (kind + natural key). A Resource is the normalized,
ID-free body of that object (``spec``) plus live-only facts (``meta``: Jira id, version, usage
counts)
that never reach YAML. A Snapshot maps Address to Resource; it is one state of an instance: desired
(from YAML) or live (fetched).
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

JSON = Any
Spec = dict[str, Any]


@dataclass(frozen=True, order=True)
class Address:
    kind: str
    key: str

    def __str__(self) -> str:
        return f"{self.kind}/{self.key}"

    @classmethod
    def parse(cls, text: str) -> Address:
        kind, sep, key = text.partition("/")
        if not sep or not kind or not key:
            raise ValueError(f"not an address: {text!r} (expected KIND/KEY)")
        return cls(kind, key)


@dataclass(frozen=True)
class Origin:
    """Where a desired resource was read from: file relative to the config repo, 1-based line,
    and the line of each scalar value in it (to point at a reference, not just the object)."""

    file: str
    line: int = 1
    values: tuple[tuple[str, int], ...] = field(default=(), compare=False, repr=False)

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"

    def at(self, value: str) -> Origin:
        """Where ``value`` first appears in the object (the object's own line if nowhere)."""
        line = next((n for text, n in self.values if text == value), self.line)
        return Origin(self.file, line, self.values)


@dataclass(frozen=True, eq=False)
class Resource:
    address: Address
    spec: Spec
    meta: dict[str, Any] = field(default_factory=dict)
    origin: Origin | None = None

    @property
    def id(self) -> str | None:
        value = self.meta.get("id")
        return None if value is None else str(value)

    @property
    def readonly(self) -> bool:
        """System objects (system fields, the ``jira`` workflow): referenced, never exported or
        diffed."""
        return bool(self.meta.get("readonly"))

    @property
    def protected(self) -> bool:
        """Default objects Jira refuses to delete: exported and updatable, never deleted."""
        return bool(self.meta.get("protected"))


def former_keys(spec: Spec) -> list[str]:
    """The keys a desired object declares it had (``renamed_from``: one name, or every earlier
    name after several renames, newest first)."""
    value = spec.get("renamed_from")
    items = value if isinstance(value, list) else [value]
    return [str(item) for item in items if item]


def canonical_json(value: JSON) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def fingerprint(value: JSON) -> str:
    return hashlib.sha256(canonical_json(value).encode()).hexdigest()[:16]


_VERSIONS = itertools.count(1)  # next() on a count is atomic under the GIL: versions never repeat


class Snapshot:
    """An ordered-by-address mapping of Address to Resource."""

    def __init__(self, resources: Iterable[Resource] = ()) -> None:
        self._items: dict[Address, Resource] = {}
        self._kinds: dict[str, dict[Address, Resource]] = {}  # the same, by kind: of_kind is
        self._version = 0  # linear in that kind, not in the whole site
        self._sorted: tuple[int, list[Resource]] | None = None  # (version, resources in order)
        self._managed: tuple[int, Snapshot] | None = None  # (version, managed())
        for resource in resources:
            self.add(resource)

    def add(self, resource: Resource) -> None:
        self._items[resource.address] = resource
        self._kinds.setdefault(resource.address.kind, {})[resource.address] = resource
        self._version = next(_VERSIONS)  # after the change: an order sorted before it is stale

    def get(self, address: Address) -> Resource | None:
        return self._items.get(address)

    def __contains__(self, address: object) -> bool:
        return address in self._items

    def __iter__(self) -> Iterator[Resource]:
        return iter(self._ordered())

    def _ordered(self) -> list[Resource]:
        """Every resource by address, sorted once per version (a plan iterates a snapshot many
        times). The version is read before the copy (list() of a dict view runs in C, under the
        GIL): a concurrent apply adds resources while other threads read, and an order sorted
        around an add keeps the older version, so it is sorted again next time."""
        cached = self._sorted
        if cached is not None and cached[0] == self._version:
            return cached[1]
        version = self._version
        ordered = sorted(list(self._items.values()), key=lambda r: r.address)
        self._sorted = (version, ordered)
        return ordered

    def __len__(self) -> int:
        return len(self._items)

    def of_kind(self, kind: str) -> list[Resource]:
        return sorted(list(self._kinds.get(kind, {}).values()), key=lambda r: r.address)

    def addresses(self) -> set[Address]:
        return set(self._items)

    def fingerprint(self, address: Address) -> str | None:
        resource = self._items.get(address)
        return None if resource is None else fingerprint(resource.spec)

    def fingerprints(self) -> dict[str, str]:
        return {str(r.address): fingerprint(r.spec) for r in self}

    def managed(self) -> Snapshot:
        """The snapshot without read-only system objects, made once per version (a plan asks
        for it several times; callers only read it)."""
        cached, version = self._managed, self._version
        if cached is not None and cached[0] == version:
            return cached[1]
        kept = [r for r in self if not r.readonly]
        result = Snapshot(kept)
        result._sorted = (result._version, kept)  # already in order
        self._managed = (version, result)
        return result

    def merged(self, other: Mapping[Address, Resource]) -> Snapshot:
        result = Snapshot(self)
        for resource in other.values():
            result.add(resource)
        return result
