"""Break a reference cycle with a two-step write, like Terraform's create-then-update.

When the ordering finds changes caught in a cycle, each create (or replace) among them whose kind
can leave some references to a second write (``Kind.deferrable_refs``: a workflow's update-field
post function setting an option of a field context limited to a project that uses the workflow)
is split in two: the create without what names the objects of the cycle, then an update of the
same object to the full spec, which the ordering puts after those objects. The plan shows both
steps. If the split leaves a cycle (no deferrable reference breaks it), the plan keeps the
original changes and the cycle is refused as before (``reference_cycles``).
"""

from __future__ import annotations

from dataclasses import replace

from jiracfg.kinds import REGISTRY
from jiracfg.kinds._base import Deferred
from jiracfg.model import Address, Spec
from jiracfg.plan.diff import field_changes
from jiracfg.plan.model import Action, Change
from jiracfg.plan.order import order

SPLIT = (Action.CREATE, Action.REPLACE)  # the changes written in two steps where that helps
WRITES = (Action.CREATE, Action.UPDATE, Action.REPLACE)


def order_in_steps(changes: list[Change]) -> tuple[list[Change], list[str]]:
    """``order``, with cycles broken by deferrable references where that breaks them all."""
    ordered, cycles = order(changes)
    if not cycles:
        return ordered, cycles
    split, still = order(in_steps(changes, set(cycles)))
    return (split, still) if not still else (ordered, cycles)


def in_steps(changes: list[Change], stuck: set[str]) -> list[Change]:
    """``changes`` with each stuck create that defers a reference to another stuck write split
    into that create without it and a follow-up update restoring it."""
    writes = {c.address for c in changes if str(c.address) in stuck and c.action in WRITES}
    return [
        step
        for change in changes
        for step in (_split(change, writes) if str(change.address) in stuck else [change])
    ]


def _split(change: Change, among: set[Address]) -> list[Change]:
    kind = REGISTRY.get(change.address.kind)
    if kind is None or change.action not in SPLIT or change.after is None:
        return [change]
    deferred, first = kind.deferrable_refs(change.after, among - {change.address})
    return _steps(change, deferred, first) if deferred else [change]


def _steps(change: Change, deferred: list[Deferred], first: Spec) -> list[Change]:
    """The write of ``first`` (``change``'s spec without the deferred references), then the
    update to the whole spec, each saying why."""
    assert change.after is not None
    held = "; ".join(f"without {d.what} until {d.ref} exists" for d in deferred)
    restore = "; ".join(f"restore {d.what} after {d.ref} exists" for d in deferred)
    fields = field_changes(first, change.after)
    then = Change(change.address, Action.UPDATE, first, change.after, fields, reason=restore)
    return [replace(change, after=first, reason=held), then]
