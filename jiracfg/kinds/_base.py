"""What every resource kind provides, and the contexts it works in.

A kind module defines one subclass of :class:`Kind` and exposes an instance as ``KIND``. It is the
only place that knows that kind's REST endpoints, its ID-to-name normalization and its write calls.

Conventions for ``Resource.meta`` of live resources (never written to YAML):
``id`` Jira's id (str); ``readonly`` system object (referenced, never exported or diffed);
``protected`` default object Jira refuses to delete; anything else the kind's own update needs
(``version`` for optimistic locking, usage counts for checks).
"""

from __future__ import annotations

import json
import threading
import unicodedata
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources as importlib_resources
from typing import Any, ClassVar

from jiracfg.client import JiraClient
from jiracfg.errors import JiraApiError, UnresolvedReferenceError, passing
from jiracfg.kinds._jql import normal_values, respelled
from jiracfg.model import Address, Resource, Snapshot, Spec

Known = Callable[[str, str], str | None]  # (kind, Jira id) -> natural key, or None


class FetchContext:
    """Given to ``Kind.fetch``: the client and the resources of kinds already fetched; ``known``
    names ids they lack (an apply's read-back: objects other changes made meanwhile)."""

    def __init__(
        self, client: JiraClient, live: Snapshot | None = None, known: Known | None = None
    ) -> None:
        self.client = client
        self.live = live or Snapshot()
        self._known = known
        self._names: dict[tuple[str, str], str] = {}
        self._lock = threading.Lock()
        for resource in self.live:
            self._index(resource)

    def add(self, resource: Resource) -> None:
        with self._lock:
            self.live.add(resource)
            self._index(resource)

    def _index(self, resource: Resource) -> None:
        if resource.id is not None:
            self._names[(resource.address.kind, resource.id)] = resource.address.key

    def name_of(self, kind: str, jira_id: Any) -> str:
        """Natural key of a fetched object of ``kind`` by Jira id (kinds fetch in dependency
        order)."""
        key = self.maybe_name_of(kind, jira_id)
        if key is None:
            raise UnresolvedReferenceError(f"live {kind} with id {jira_id} was not fetched")
        return key

    def maybe_name_of(self, kind: str, jira_id: Any) -> str | None:
        key = self._names.get((kind, str(jira_id)))
        return self._known(kind, str(jira_id)) if key is None and self._known else key


class ApplyContext:
    """Given to create/update/delete: the client and name-to-id resolution on the target."""

    def __init__(
        self, client: JiraClient, live: Snapshot, settings: dict[str, Any] | None = None
    ) -> None:
        self.client = client
        self.live = live
        self.settings: dict[str, Any] = settings or {}  # the config repo's parsed jiracfg.yaml
        self._ids: dict[Address, str] = {r.address: r.id for r in live if r.id is not None}
        self._keys = {(a.kind, i): a.key for a, i in self._ids.items()}  # the same, reversed
        self._former: dict[Address, str] = {}  # keys objects had before a rename in this apply
        self.created: set[Address] = set()  # objects this apply created (Jira's defaults known)
        self.shared: dict[str, Any] = {}  # reads the changes of one apply share (the users)
        self._lock = threading.Lock()

    def id_of(self, kind: str, key: str, renamed: bool = False) -> str:
        found = self.maybe_id_of(kind, key, renamed)
        if found is None:
            raise UnresolvedReferenceError(
                f"{kind} {key!r} does not exist in the target instance",
                hint=f"create {kind}/{key} in the config repo or fix the reference",
            )
        return found

    def maybe_id_of(self, kind: str, key: str, renamed: bool = False) -> str | None:
        """The id of the object with this key; with ``renamed``, also of one that had it before
        a rename in this apply (settings that name it either way, e.g. ``status_mappings``)."""
        found = self._ids.get(Address(kind, key))
        return self._former.get(Address(kind, key)) if found is None and renamed else found

    def keys_of(self, kind: str) -> dict[str, str]:
        """Jira id -> natural key of every known object of ``kind`` (live or just created)."""
        return {found: a.key for a, found in list(self._ids.items()) if a.kind == kind}

    def key_of(self, kind: str, jira_id: str) -> str | None:
        """The natural key of the known object of ``kind`` with this id (live or just created)."""
        with self._lock:
            return self._keys.get((kind, jira_id))

    def fetching(self, but: str | None = None) -> FetchContext:
        """A FetchContext over what this apply knows now (the kind ``but`` left out of its
        snapshot), naming also what other changes make while it reads."""
        live = Snapshot(r for r in list(self.live) if r.address.kind != but)
        return FetchContext(self.client, live, self.key_of)

    def record(self, address: Address, jira_id: str) -> None:
        with self._lock:
            self._keys.pop((address.kind, self._ids.get(address, "")), None)
            self._ids[address] = str(jira_id)
            self._keys[(address.kind, str(jira_id))] = address.key

    def forget(self, address: Address, renamed: bool = False) -> None:
        """Drop ``address``; one ``renamed`` keeps answering ``maybe_id_of(..., renamed=True)``."""
        with self._lock:
            found = self._ids.pop(address, None)
            self._keys.pop((address.kind, found or ""), None)
            if renamed and found is not None:
                self._former[address] = found


class Kind:
    """Base class; subclasses set the class attributes and override the methods they support."""

    name: ClassVar[str]  # "status": the Address kind and the schema name
    folder: ClassVar[str]  # "statuses": the folder in the config repo
    depends_on: ClassVar[tuple[str, ...]] = ()  # kinds whose keys this kind's specs reference
    replace_on: ClassVar[tuple[str, ...]] = ()  # spec fields Jira cannot change in place
    write_only: ClassVar[tuple[str, ...]] = ()  # spec fields Jira never returns (not diffed)
    jql_fields: ClassVar[tuple[str, ...]] = ()  # spec fields holding JQL (checked by validate)
    parent: ClassVar[str | None] = None  # kind whose file holds this kind's objects (nested)
    parent_field: ClassVar[str] = ""  # list field of the parent file that holds them
    parent_key_field: ClassVar[str] = ""  # field of a nested spec naming its parent's key
    builtin_keys: ClassVar[frozenset[str]] = frozenset()  # readonly objects every site has
    # kinds whose references to an object of this kind make Jira refuse to delete it
    in_use_by: ClassVar[tuple[str, ...]] = ()
    audited: ClassVar[bool] = False  # Jira's audit log records its writes (verify's audit check)
    # lists whose order means nothing to Jira, by path ("a.b", "items[].c", "map.*"), with the sort
    # key; ``canonical`` sorts them so hand-written YAML and fetched specs compare equal
    unordered: ClassVar[dict[str, SortKey]] = {}
    # fields besides the key that Jira keeps unique among all objects of the kind, ignoring case
    unique: ClassVar[tuple[str, ...]] = ()

    def key(self, spec: Spec) -> str:
        """The natural key of an object from its spec (default: its name)."""
        return str(spec.get("alias") or spec["name"])

    def refs(self, spec: Spec) -> Iterable[Address]:
        """Every reference to another object in ``spec`` (for validation and ordering)."""
        return ()

    def order_refs(self, spec: Spec) -> Iterable[Address]:
        """Objects a write of ``spec`` must follow that ``refs`` leaves out, as validate checks
        them another way (the custom fields a JQL names: see ``Kind.jql_fields``)."""
        return ()

    def deferrable_refs(
        self, spec: Spec, among: Collection[Address]
    ) -> tuple[list[Deferred], Spec]:
        """References of ``spec`` to objects in ``among`` that a write may leave to a second
        write (an update once they exist), and ``spec`` without what names them: the planner's way
        out of a reference cycle (``jiracfg.plan.deferral``). None by default."""
        return [], spec

    # creates of the serial group run alongside each other (never alongside its other changes)
    creates_share_serial_group: ClassVar[bool] = False

    def serial_group(self, spec: Spec) -> str | None:
        """Changes whose specs name the same group run one at a time, in plan order, because Jira
        keeps state they share (one global order, a field's contexts). None: the object can be
        written at the same time as any other it does not reference."""
        return None

    def values_jql(self, live: Resource) -> str | None:
        """JQL for the issues holding values that deleting ``live`` destroys (None: none can)."""
        return None

    def nested_ids(self, live: Resource) -> dict[str, str]:
        """Ids of objects inside ``live`` that have one (``"option:Blue"`` -> id), for the id map
        (``jiracfg.idmap``); the object's own ``meta["id"]`` is mapped without this."""
        return {}

    def created_with(self, spec: Spec, children: list[Spec]) -> list[Spec]:
        """Nested objects Jira makes along with a new object that ``children`` (the desired
        nested specs) do not take over: they appear on the site without being declared."""
        return []

    def where_used(self, spec: Spec, ref: Address) -> str:
        """Where ``spec`` uses ``ref``, for a message (``"on transition 'Resolve'"``), or ""."""
        return ""

    def fetch(self, ctx: FetchContext) -> Iterable[Resource]:
        """Read every object of this kind from the live instance, normalized (IDs to names)."""
        raise NotImplementedError

    def fetch_one(self, ctx: FetchContext, spec: Spec) -> Resource | None:
        """The live object with ``spec``'s key, or None: the applier's fresh read of one object
        after a write failed or lost its answer. This reads the whole kind; kinds whose fetch
        reads per object (a screen's tabs, a field's contexts) read only the one asked for, so a
        fault costs a few reads, not the whole kind's (faults grow with the site: quadratic)."""
        return with_key(self.fetch(ctx), self.key(spec))

    def create(self, ctx: ApplyContext, spec: Spec) -> str:
        """Create the object; return its new Jira id."""
        raise NotImplementedError(f"{self.name}: create is not supported")

    def update(self, ctx: ApplyContext, live: Resource, spec: Spec) -> None:
        """Change the live object so it matches ``spec``."""
        raise NotImplementedError(f"{self.name}: update is not supported")

    def delete(self, ctx: ApplyContext, live: Resource) -> None:
        raise NotImplementedError(f"{self.name}: delete is not supported")

    def flaws(self, spec: Spec) -> Iterable[Flaw]:
        """What Jira would refuse in ``spec`` that its JSON Schema can't say (for ``validate``)."""
        return ()

    def repo_flaws(self, spec: Spec, repo: Snapshot) -> Iterable[Flaw]:
        """What ``spec`` names inside other objects of the repo that they do not have (an option
        of a field context), for ``validate`` once references resolve."""
        return ()

    def find(self, ctx: ApplyContext, spec: Spec) -> str | None:
        """Find an existing object by natural key (after a create whose response was lost)."""
        fetch_ctx = ctx.fetching()
        for resource in self.fetch(fetch_ctx):
            if resource.address.key == self.key(spec):
                return resource.id
        return None

    def comparable(self, live: Spec, spec: Spec) -> Spec:
        """``spec`` as the plan compares it with ``live``: without the write-only fields the live
        object does not report (kinds add values Jira assigns that the YAML may leave out)."""
        return {k: v for k, v in spec.items() if k not in self.write_only or k in live}

    def kept(self, old: Spec, body: Spec) -> Spec:
        """``body`` (read from the site, for export) plus what only the user writes, from the
        file's spec ``old``: ``renamed_from`` (a site has no memory of a rename, and a site that
        has not applied it still needs it) and the write-only fields (secrets)."""
        fields = ("renamed_from", *self.write_only)
        return {**{k: old[k] for k in fields if k in old and k not in body}, **body}

    def canonical(self, spec: Spec) -> Spec:
        """``spec`` with its unordered lists in canonical order and its JQL's field names and the
        values naming filters, sprints and users spelled one way (``"Estimate"`` and ``Estimate``
        are the same field)."""
        for path, key in self.unordered.items():
            spec = sort_at(spec, path.split("."), key)
        jql = {
            f: respelled(normal_values(spec[f]))
            for f in self.jql_fields
            if isinstance(spec.get(f), str)
        }
        return {**spec, **jql} if jql else spec

    def address(self, spec: Spec) -> Address:
        return Address(self.name, self.key(spec))

    def resource(self, spec: Spec, **meta: Any) -> Resource:
        return Resource(self.address(spec), spec, dict(meta))

    def schema(self) -> dict[str, Any]:
        return load_schema(self.name)


def load_schema(name: str) -> dict[str, Any]:
    return dict(_schema_text(name))


@cache
def _schema_text(name: str) -> dict[str, Any]:
    text = importlib_resources.files("jiracfg.schemas").joinpath(f"{name}.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


SortKey = Callable[[Any], Any]


def by_text(value: Any) -> tuple[str, str]:
    """Case-insensitive order, ties broken by case."""
    return str(value).casefold(), str(value)


def by_name(item: Any) -> tuple[str, str]:
    return by_text(item.get("name") if isinstance(item, dict) else item)


def sort_at(value: Any, path: list[str], key: SortKey) -> Any:
    """``value`` with the list at ``path`` sorted (a copy; missing paths are left alone)."""
    if not path:
        return sorted(value, key=key) if isinstance(value, list) else value
    head, rest = path[0], path[1:]
    if head == "*" and isinstance(value, dict):
        return {k: sort_at(v, rest, key) for k, v in value.items()}
    name, each = (head[:-2], True) if head.endswith("[]") else (head, False)
    if not isinstance(value, dict) or name not in value:
        return value
    inner = value[name]
    if each and isinstance(inner, list):
        return {**value, name: [sort_at(item, rest, key) for item in inner]}
    return value if each else {**value, name: sort_at(inner, rest, key)}


SETTLE_ATTEMPTS = 4  # a write settled by a read after a passing fault (see settle)


def settle(write: Callable[[], None], settled: Callable[[], bool]) -> None:
    """Run ``write``. A passing fault (a 5xx, a lost answer) may have left it made, in part or in
    whole: ``settled()`` reads what is there (one read, where the applier's recovery would read
    the object by name and then again to converge it) and says whether it is done; if not,
    ``write`` runs again, SETTLE_ATTEMPTS times in all."""
    for attempt in range(1, SETTLE_ATTEMPTS + 1):
        try:
            write()
            return
        except JiraApiError as exc:
            if not passing(exc) or attempt == SETTLE_ATTEMPTS:
                raise
            if settled():
                return


def with_key(resources: Iterable[Resource], key: str) -> Resource | None:
    """The resource with natural key ``key`` among ``resources``, or None."""
    return next((r for r in resources if r.address.key == key), None)


def refs_to(kind: str, names: Iterable[str | None]) -> Iterator[Address]:
    """Addresses of ``kind`` for each non-empty name (helper for ``Kind.refs``)."""
    return (Address(kind, n) for n in names if n)


def drop_empty(spec: Spec) -> Spec:
    """Remove keys whose value is None, '' or an empty list/dict, for a minimal canonical spec."""
    return {k: v for k, v in spec.items() if v not in (None, "", [], {})}


@dataclass(frozen=True)
class Deferred:
    """A reference a create leaves to a follow-up update: ``ref`` the object named, ``what`` the
    part of the spec that names it (for the plan: ``post function system:update-field on
    transition 'Close'``)."""

    ref: Address
    what: str


@dataclass(frozen=True)
class Flaw:
    """Something Jira would refuse in one object, found offline: ``at`` is a value of the spec
    (its line is reported)."""

    message: str
    at: str
    hint: str


def fold(text: str) -> str:
    """``text`` as Jira compares names: ignoring case and Unicode normalization (Café NFC/NFD)."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFC", text).casefold())


def clashes(values: Iterable[str]) -> list[str]:
    """The values equal to an earlier one once folded (``Gold`` after ``gold``), in order."""
    seen: set[str] = set()
    out = []
    for value in values:
        if fold(value) in seen:
            out.append(value)
        seen.add(fold(value))
    return out
