"""Break a reference cycle with a two-step write, like Terraform's create-then-update.

When the ordering finds changes caught in a cycle, each write among them whose kind can leave some
references to a second write (``Kind.deferrable_refs``: a workflow's update-field post function
setting an option of a field context limited to a project that uses the workflow) is split in two:
the write without what names the other objects of the cycle, then an update of the same object to
the whole spec (``Change.deferred``: nothing waits on it), which the ordering puts after those
objects. An update that changes nothing but what is deferred (a rebuild interrupted between the two
steps: the workflow is there, without its post function) is only the second step. The plan shows
each step with why. If splitting leaves a cycle (no deferrable reference breaks it), the plan keeps
the changes as they were and the cycle is refused as before (``reference_cycles``).
"""

from __future__ import annotations

from dataclasses import replace

from jiracfg.kinds import REGISTRY, Kind
from jiracfg.kinds._base import Deferred
from jiracfg.model import Address, Spec
from jiracfg.plan.diff import field_changes
from jiracfg.plan.model import Action, Change
from jiracfg.plan.order import order

WRITES = (Action.CREATE, Action.UPDATE, Action.REPLACE)


def order_in_steps(changes: list[Change]) -> tuple[list[Change], list[str]]:
    """``order``, with cycles broken by deferrable references where that breaks them all."""
    ordered, cycles = order(changes)
    if not cycles:
        return ordered, cycles
    split, still = order(in_steps(changes, set(cycles)))
    return (split, still) if not still else (ordered, cycles)


def in_steps(changes: list[Change], stuck: set[str]) -> list[Change]:
    """``changes`` with each stuck write that defers a reference to another stuck write split
    into that write without it and a follow-up update restoring it."""
    writes = {c.address for c in changes if str(c.address) in stuck and c.action in WRITES}
    return [
        step
        for change in changes
        for step in (_split(change, writes) if str(change.address) in stuck else [change])
    ]


def _split(change: Change, among: set[Address]) -> list[Change]:
    kind = REGISTRY.get(change.address.kind)
    if kind is None or change.action not in WRITES or change.after is None:
        return [change]
    deferred, first = kind.deferrable_refs(change.after, among - {change.address})
    return _steps(kind, change, deferred, first) if deferred else [change]


def _steps(kind: Kind, change: Change, deferred: list[Deferred], first: Spec) -> list[Change]:
    """The write of ``first`` (``change``'s spec without the deferred references, left out if
    that changes nothing), then the update to the whole spec, each saying why."""
    assert change.after is not None
    held = "; ".join(f"without {d.what} until {d.ref} exists" for d in deferred)
    restore = "; ".join(f"restore {d.what} after {d.ref} exists" for d in deferred)
    fields = field_changes(first, kind.comparable(first, change.after))
    then = Change(change.address, Action.UPDATE, first, change.after, fields, reason=restore)
    then = replace(then, deferred=True)
    if change.action is not Action.UPDATE:
        return [replace(change, after=first, reason=held), then]
    assert change.before is not None
    now = field_changes(change.before, kind.comparable(change.before, first))
    return [replace(change, after=first, fields=now, reason=held), then] if now else [then]
