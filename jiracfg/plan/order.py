"""Order Changes from declared references (topological), never from list position.

Creates, updates and replaces come first, each after the changes to the objects its desired spec
references (an object written in two steps, ``jiracfg.plan.deferral``: the second after the first);
deletes come last, each before the deletes of the objects its live spec referenced (referrers go
first) and after any update that stops referencing it. Ties break by the kinds' dependency order,
then by address, so the same inputs always give the same order.
"""

from __future__ import annotations

import heapq
from collections import defaultdict

from jiracfg.kinds import REGISTRY, kind_order
from jiracfg.model import Address, Spec
from jiracfg.plan.model import Action, Change

Edges = dict[int, set[int]]


def order(changes: list[Change]) -> tuple[list[Change], list[str]]:
    """Changes in a safe order, and the addresses caught in reference cycles (if any)."""
    edges = _edges(changes)
    ranks = _ranks(changes)
    indegree = {i: 0 for i in range(len(changes))}
    for targets in edges.values():
        for target in targets:
            indegree[target] += 1
    ready = [(ranks[i], i) for i, n in indegree.items() if n == 0]
    heapq.heapify(ready)
    result: list[int] = []
    while ready:
        _, i = heapq.heappop(ready)
        result.append(i)
        for target in edges.get(i, ()):
            indegree[target] -= 1
            if indegree[target] == 0:
                heapq.heappush(ready, (ranks[target], target))
    stuck = sorted((i for i in indegree if i not in set(result)), key=lambda i: ranks[i])
    return [changes[i] for i in result + stuck], [str(changes[i].address) for i in stuck]


def waits_on(changes: list[Change]) -> list[set[int]]:
    """For each change (by index), the changes that must be done before it starts: those the
    ordering puts before it by reference, the previous change of the same serial group (see
    ``Kind.serial_group``: what Jira makes sequential) and a rename that frees the key it takes.
    A concurrent apply runs each change as soon as these are done."""
    before: list[set[int]] = [set() for _ in changes]
    for first, targets in _edges(changes).items():
        for target in targets:
            before[target].add(first)
    groups = SerialGroups()
    freed = {c.live_address: i for i, c in enumerate(changes) if c.renamed_from}
    for i, change in enumerate(changes):
        group = _serial_group(change)
        if group is not None:
            before[i] |= groups.waits(i, group, _shares(change))
        if change.action is not Action.DELETE and freed.get(change.address, i) != i:
            before[i].add(freed[change.address])
    return before


class SerialGroups:
    """The changes of each serial group run one at a time, in plan order; but changes that may
    share (``Kind.creates_share_serial_group``) run alongside each other, between the others."""

    def __init__(self) -> None:
        self.last: dict[str, int] = {}  # the group's last change that runs alone
        self.shared: dict[str, list[int]] = {}  # the group's sharing changes since then

    def waits(self, index: int, group: str, shares: bool) -> set[int]:
        found = {self.last[group]} if group in self.last else set()
        if shares:
            self.shared.setdefault(group, []).append(index)
            return found
        self.last[group] = index
        return found | set(self.shared.pop(group, []))


def _shares(change: Change) -> bool:
    kind = REGISTRY.get(change.address.kind)
    return kind is not None and kind.creates_share_serial_group and change.action is Action.CREATE


def _serial_group(change: Change) -> str | None:
    kind = REGISTRY.get(change.address.kind)
    spec = change.after if change.after is not None else change.before
    return None if kind is None or spec is None else kind.serial_group(spec)


def _ranks(changes: list[Change]) -> dict[int, tuple[int, int, str]]:
    position = {name: n for n, name in enumerate(kind_order())}
    ranks = {}
    for i, change in enumerate(changes):
        kind_rank = position.get(change.address.kind, len(position))
        if change.action is Action.DELETE:
            ranks[i] = (1, -kind_rank, str(change.address))
        else:
            ranks[i] = (0, kind_rank, str(change.address))
    return ranks


def _edges(changes: list[Change]) -> Edges:
    """``edges[a]`` holds the changes that must run after change ``a``."""
    writes = _first_writes(changes)
    deletes = {c.address: i for i, c in enumerate(changes) if c.action is Action.DELETE}
    edges: Edges = defaultdict(set)
    for i, change in enumerate(changes):
        if change.action is not Action.DELETE:
            if writes.get(change.address, i) != i:  # a two-step write (``plan.deferral``)
                edges[writes[change.address]].add(i)
            for ref in _refs(change.address.kind, change.after):
                if ref in writes and writes[ref] != i:
                    edges[writes[ref]].add(i)
        for ref in _refs(change.address.kind, change.before):
            if ref in deletes and deletes[ref] != i:
                edges[i].add(deletes[ref])
    return edges


def _first_writes(changes: list[Change]) -> dict[Address, int]:
    """Each written object's first write: what references to it wait on (the second step of a
    two-step write, ``Change.deferred``, follows the first, and nothing waits on it)."""
    writes: dict[Address, int] = {}
    for i, change in enumerate(changes):
        if change.action is not Action.DELETE and not change.deferred:
            writes.setdefault(change.address, i)
    return writes


def _refs(kind: str, spec: Spec | None) -> list[Address]:
    if spec is None or kind not in REGISTRY:
        return []
    return [*REGISTRY[kind].refs(spec), *REGISTRY[kind].order_refs(spec)]
