"""Filter names are unique per owner (Jira refuses a second "Open bugs" of the same owner).

Two filters of the repo with the same name and owner are one error; a created, renamed or re-owned
filter taking the name and owner of a live filter it is not (one the repo does not hold, or one the
same plan renames: no order between the two changes is promised) is another. Jira would refuse the
write half-way through the apply.
"""

from __future__ import annotations

from jiracfg.kinds._base import fold
from jiracfg.model import Address, Spec
from jiracfg.plan.checks._inputs import Inputs
from jiracfg.plan.model import Action, Change, Problem

KINDS = ("filter",)
HINT = "rename one of them, or give it another owner"
Owned = tuple[str, str, str]  # (kind, folded name, folded owner)


def owned(kind: str, spec: Spec) -> Owned:
    return kind, fold(str(spec.get("name", ""))), fold(str(spec.get("owner", "")))


def names_unique_per_owner(inputs: Inputs) -> list[Problem]:
    return _in_repo(inputs) + _on_site(inputs)


def _in_repo(inputs: Inputs) -> list[Problem]:
    seen: dict[Owned, Address] = {}
    problems = []
    for kind in KINDS:
        for resource in inputs.desired.of_kind(kind):
            first = seen.setdefault(owned(kind, resource.spec), resource.address)
            if first != resource.address:
                problems.append(_problem(resource.address, f"{first} in the config repo"))
    return problems


def _on_site(inputs: Inputs) -> list[Problem]:
    holders = {
        owned(kind, live.spec): live.address for kind in KINDS for live in inputs.live.of_kind(kind)
    }
    problems = []
    for change in inputs.changes:
        if change.address.kind in KINDS and _takes_name(change):
            holder = holders.get(owned(change.address.kind, change.after or {}))
            if holder is not None and holder != change.live_address:
                problems.append(_problem(change.address, f"{holder} on the site"))
    return problems


def _takes_name(change: Change) -> bool:
    if change.action is Action.DELETE or change.after is None:
        return False
    kind = change.address.kind
    return change.before is None or owned(kind, change.before) != owned(kind, change.after)


def _problem(address: Address, holder: str) -> Problem:
    return Problem(
        "error",
        "names_unique_per_owner",
        f"{address} has the name and owner of {holder} (Jira keeps a filter's name unique "
        "among its owner's filters, ignoring case)",
        HINT,
        str(address),
    )
