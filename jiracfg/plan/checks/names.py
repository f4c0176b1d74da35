"""Names Jira keeps unique (``Kind.unique``: a project's name) must be free on the site as well.

``validate`` finds two objects of the repo sharing such a name; this check finds a created or
renamed object taking the name a live object still has: one the repo does not hold (unmanaged, or
deleted only after every create), or one the same plan renames (no order between the two changes is
promised). Jira would refuse the write half-way through the apply.
"""

from __future__ import annotations

from jiracfg.kinds import REGISTRY
from jiracfg.kinds._base import fold
from jiracfg.model import Address
from jiracfg.plan.checks._inputs import Inputs
from jiracfg.plan.model import Action, Change, Problem

Holders = dict[tuple[str, str, str], Address]  # (kind, field, folded value) -> live address


def unique_names_free_on_site(inputs: Inputs) -> list[Problem]:
    holders = _holders(inputs)
    problems = []
    for change in inputs.changes:
        for field in _taken(change):
            value = str((change.after or {}).get(field, ""))
            holder = holders.get((change.address.kind, field, fold(value)))
            if holder is not None and holder != change.live_address:
                problems.append(_problem(change, field, value, holder))
    return problems


def _holders(inputs: Inputs) -> Holders:
    holders: Holders = {}
    for kind in {c.address.kind for c in inputs.changes if c.address.kind in REGISTRY}:
        for field in REGISTRY[kind].unique:
            for live in inputs.live.of_kind(kind):
                holders[(kind, field, fold(str(live.spec.get(field, ""))))] = live.address
    return holders


def _taken(change: Change) -> list[str]:
    """The unique fields whose value ``change`` sets anew (a create, or a changed value)."""
    if change.action is Action.DELETE or change.address.kind not in REGISTRY:
        return []
    before, after = change.before or {}, change.after or {}
    return [
        f
        for f in REGISTRY[change.address.kind].unique
        if change.before is None or fold(str(before.get(f, ""))) != fold(str(after.get(f, "")))
    ]


def _problem(change: Change, field: str, value: str, holder: Address) -> Problem:
    return Problem(
        "error",
        "unique_names_free_on_site",
        f"{change.address} would take the {field} {value!r}, which {holder} has on the site "
        "(Jira keeps it unique, ignoring case)",
        f"give {change.address} another {field}, or rename {holder} first in a separate apply",
        str(change.address),
    )
