"""Jira refuses to delete an object that another object still uses (a screen in a workflow or a
screen scheme, a status in a workflow, a scheme assigned to a project...: each kind's
``in_use_by``). A desired object that names a deleted one is caught by ``references_resolve``;
this check looks at the live objects that stay on the site untouched by the plan: built-in ones
(the ``jira`` workflow), and ones the repo does not manage or the plan's ``--target`` leaves out.
"""

from __future__ import annotations

from collections.abc import Iterator

from jiracfg.kinds import REGISTRY
from jiracfg.model import Address, Resource, former_keys
from jiracfg.plan.checks._inputs import Inputs
from jiracfg.plan.model import Action, Problem


def used_objects_not_deleted(inputs: Inputs) -> list[Problem]:
    doomed = {
        c.live_address
        for c in inputs.of(Action.DELETE) + inputs.of(Action.REPLACE)
        if REGISTRY[c.address.kind].in_use_by
    }
    if not doomed:
        return []
    return [
        _problem(user, ref)
        for user in _staying(inputs)
        for ref in sorted(set(REGISTRY[user.address.kind].refs(user.spec)))
        if ref in doomed and user.address.kind in REGISTRY[ref.kind].in_use_by
    ]


def _staying(inputs: Inputs) -> Iterator[Resource]:
    """Live objects the plan neither manages nor changes."""
    touched = {c.live_address for c in inputs.changes}
    renamed = {Address(r.address.kind, old) for r in inputs.desired for old in former_keys(r.spec)}
    skip = touched | renamed | inputs.desired.addresses()
    yield from (r for r in inputs.live if r.address.kind in REGISTRY and r.address not in skip)


def _problem(user: Resource, ref: Address) -> Problem:
    kind = REGISTRY[user.address.kind]
    noun, key = user.address.kind.replace("_", " "), user.address.key
    where = kind.where_used(user.spec, ref)
    why = "built in" if user.readonly else "not in the config repo, or left out by --target"
    hint = (
        f"keep {ref} in the config repo: the built-in {noun} {key!r} can't be changed"
        if user.readonly
        else f"keep {ref} in the config repo, or manage {noun} {key!r} in it too and stop it "
        f"using {ref.key!r} (or delete it with --prune) in the same change"
    )
    return Problem(
        "error",
        "used_objects_not_deleted",
        f"{ref} is used by {noun} {key!r} ({why}){' ' + where if where else ''}: Jira refuses "
        "to delete it",
        hint,
        str(ref),
    )
