"""The pure diff: desired vs live Snapshot -> Changes. No I/O.

- Read-only live objects (system fields, the ``jira`` workflow) are never diffed.
- A desired object with ``renamed_from: OLD`` (or ``[NEWER, OLDER]`` after several renames) whose
  live object still has an old key is updated in place (a rename), never deleted and re-created.
  The line stays in the repo for good: on a site without OLD (renamed already, or never had it) it
  does nothing, and when the repo declares OLD again (a new object reusing the name) OLD is that
  object's, never the rename's (the ``renames_are_safe`` check stops a plan where that would leave
  the rename undone).
- A change to one of the kind's ``replace_on`` fields becomes a replace (delete + create).
- A kind's ``write_only`` fields (secrets Jira never returns) are compared only when the live
  object reports them, and values Jira assigns that the YAML may leave out (a transition's id) are
  taken from the live object (``Kind.comparable``); an update still carries ``after`` as written.
- A delete or replace carries along what hangs on the object (``jiracfg.plan.dependents``).
- Live objects absent from the desired state are deletes only with ``prune``; otherwise they are
  listed as unmanaged. Pruning is limited to kinds the desired state holds at least one object of,
  so a folder missing from the repo never wipes a whole kind.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from deepdiff import DeepDiff

from jiracfg.kinds import REGISTRY
from jiracfg.model import Address, Resource, Snapshot, Spec, canonical_json, former_keys
from jiracfg.plan.dependents import follow_parents, strip
from jiracfg.plan.model import Action, Change, FieldChange

NOT_PRESENT = "not present"


def diff(
    desired: Snapshot, live: Snapshot, *, prune: bool = False
) -> tuple[list[Change], list[str]]:
    """Changes that turn ``live`` into ``desired`` (unordered), and the unmanaged live addresses."""
    changes: list[Change] = []
    matched: set[Address] = set()
    for resource in desired:
        if resource.readonly:
            continue
        match = _live_match(resource, live, desired)
        if match is not None:
            matched.add(match.address)
        change = _compare(resource, match)
        if change is not None:
            changes.append(change)
    leftovers = [r for r in live.managed() if r.address not in matched]
    kinds = {r.address.kind for r in desired}
    deletes = [r for r in leftovers if prune and r.address.kind in kinds]
    changes += [Change(r.address, Action.DELETE, before=r.spec) for r in deletes]
    unmanaged = sorted(str(r.address) for r in leftovers if r not in deletes)
    return follow_parents(changes, desired, live), unmanaged


def resend_write_only(desired: Snapshot, live: Snapshot, changes: list[Change]) -> list[Change]:
    """Updates that send the write-only fields (secrets) of unchanged objects again
    (``--rotate-secrets``: Jira never says which secret it holds, so a rotation can't be seen)."""
    changing = {c.address for c in changes}
    out = []
    for resource in desired:
        hidden = [f for f in REGISTRY[resource.address.kind].write_only if f in resource.spec]
        match = _live_match(resource, live, desired)
        if hidden and match is not None and resource.address not in changing:
            fields = tuple(FieldChange(f, "(write-only)", "(sent again)") for f in hidden)
            after = strip(resource.spec)
            out.append(Change(resource.address, Action.UPDATE, match.spec, after, fields))
    return out


def _live_match(resource: Resource, live: Snapshot, desired: Snapshot) -> Resource | None:
    found = live.get(resource.address)
    for old in [] if found is not None else renamed_from(resource):
        found = live.get(old) if old not in desired else None
        if found is not None:
            break
    return None if found is None or found.readonly else found


def renamed_from(resource: Resource) -> list[Address]:
    """The addresses a desired object declares it had, newest first."""
    return [Address(resource.address.kind, key) for key in former_keys(resource.spec)]


def _compare(resource: Resource, live: Resource | None) -> Change | None:
    after = strip(resource.spec)
    if live is None:
        return Change(resource.address, Action.CREATE, after=after)
    kind = REGISTRY.get(resource.address.kind)
    readable = kind.comparable(live.spec, after) if kind else after
    if canonical_json(readable) == canonical_json(live.spec):
        return None  # equal: skip DeepDiff, the slow part of a plan (most objects are equal)
    fields = field_changes(live.spec, readable)
    if not fields:
        return None
    renamed = live.address.key if live.address != resource.address else None
    action = Action.REPLACE if _forces_replace(resource.address.kind, fields) else Action.UPDATE
    return Change(resource.address, action, live.spec, after, fields, renamed_from=renamed)


def _forces_replace(kind: str, fields: Iterable[FieldChange]) -> bool:
    replace_on = set(REGISTRY[kind].replace_on) if kind in REGISTRY else set()
    return any(re.split(r"[.\[ ]", f.path)[0] in replace_on for f in fields)


class Named(str):
    """A list item's name used as its key, so paths read ``transitions[Ship].to``."""


ITEM_KEYS = ("name", "value")  # lists of objects named by one of these are matched by it


def field_changes(before: Spec, after: Spec) -> tuple[FieldChange, ...]:
    """Field-level differences (deepdiff), as ``path``/``before``/``after``, sorted by path.

    Items of lists of named objects (transitions, tabs, options...) are matched by name, not by
    position, and a change of their order is one ``… order`` change."""
    pair = _differing(_keyed(before), _keyed(after))
    # threshold 0: never report a dict as one change at its root because few keys are shared
    # (DeepDiff's default, 0.33, would; after _differing few are, and the paths would be lost)
    tree = DeepDiff(*pair, view="tree", threshold_to_diff_deeper=0)
    out = [
        FieldChange(_path(item.path(output_format="list")), _value(item.t1), _value(item.t2))
        for items in tree.values()
        for item in items
    ]
    out += _order_changes(before, after, "")
    return tuple(sorted(out, key=lambda f: f.path))


def _differing(before: Any, after: Any) -> tuple[Any, Any]:
    """``before`` and ``after`` without the dict entries they share (equal as JSON, so ``1``,
    ``1.0`` and ``true`` still differ): DeepDiff walks only what changed (most of a changed
    object is not), and reports the same paths."""
    if not (isinstance(before, dict) and isinstance(after, dict)):
        return before, after
    left, right = {}, {}
    for key in [*before, *(k for k in after if k not in before)]:
        if key not in after:
            left[key] = before[key]
        elif key not in before:
            right[key] = after[key]
        elif canonical_json(before[key]) != canonical_json(after[key]):
            left[key], right[key] = _differing(before[key], after[key])
    return left, right


def _item_key(value: Any) -> str | None:
    """The field that names every item of ``value`` uniquely, if it is such a list."""
    if not isinstance(value, list) or not value or not all(isinstance(i, dict) for i in value):
        return None
    for key in ITEM_KEYS:
        names = [i.get(key) for i in value]
        if all(isinstance(n, str) for n in names) and len(set(names)) == len(names):
            return key
    return None


def _keyed(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _keyed(v) for k, v in value.items()}
    if not isinstance(value, list):
        return value
    key = _item_key(value)
    if key is None:
        return [_keyed(v) for v in value]
    return {Named(i[key]): _keyed(i) for i in value}


def _order_changes(before: Any, after: Any, path: str) -> list[FieldChange]:
    if isinstance(before, dict) and isinstance(after, dict):
        return [
            c
            for k in before.keys() & after.keys()
            for c in _order_changes(before[k], after[k], f"{path}.{k}" if path else k)
        ]
    key = _item_key(before)
    if key is None or key != _item_key(after):
        return []
    old, new = [i[key] for i in before], [i[key] for i in after]
    shared = set(old) & set(new)
    out = (
        [FieldChange(f"{path} order", old, new)]
        if ([n for n in old if n in shared] != [n for n in new if n in shared])
        else []
    )
    items = {i[key]: i for i in after}
    return out + [
        c
        for i in before
        if i[key] in shared
        for c in _order_changes(i, items[i[key]], f"{path}[{i[key]}]")
    ]


def _path(parts: list[Any]) -> str:
    text = ""
    for part in parts:
        if isinstance(part, int | Named):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def _value(value: Any) -> Any:
    return None if type(value).__name__ == "NotPresent" or value == NOT_PRESENT else value
