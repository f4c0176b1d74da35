"""Safety policy: nothing deleted without --prune, protected objects never, references resolve."""

from __future__ import annotations

from jiracfg.kinds import REGISTRY
from jiracfg.model import Address, Resource
from jiracfg.plan.checks._inputs import Inputs
from jiracfg.plan.diff import renamed_from
from jiracfg.plan.model import Action, Change, Problem


def deletes_only_with_prune(inputs: Inputs) -> list[Problem]:
    if inputs.prune:
        return []
    return [
        Problem(
            "error",
            "deletes_only_with_prune",
            "would delete without --prune",
            "pass --prune to delete objects missing from the config repo",
            str(c.address),
        )
        for c in inputs.of(Action.DELETE)
    ]


def protected_objects_not_deleted(inputs: Inputs) -> list[Problem]:
    doomed = inputs.of(Action.DELETE) + inputs.of(Action.REPLACE)
    return [
        Problem(
            "error",
            "protected_objects_not_deleted",
            f"{c.address} is protected and is never deleted",
            _protected_hint(inputs, c),
            str(c.address),
        )
        for c in doomed
        if inputs.is_protected(c.live_address)
    ]


def _protected_hint(inputs: Inputs, change: Change) -> str:
    live = inputs.live.get(change.live_address)
    if live is not None and live.protected:
        return "Jira refuses to delete it (a default object of the site): add it back to the repo"
    return (
        "add it back to the config repo, or remove it from `protected:` in jiracfg.yaml if it "
        "really must go"
    )


def references_resolve(inputs: Inputs) -> list[Problem]:
    """Every reference names an object that exists once the plan is applied: in the repo, or on
    the site and neither deleted nor renamed away (a repo that renames an object but still names
    it by its old name somewhere would leave that reference dangling)."""
    deleted = {c.address for c in inputs.of(Action.DELETE)}
    renamed = _renamed_away(inputs)
    problems = []
    for resource in inputs.desired:
        for ref in REGISTRY[resource.address.kind].refs(resource.spec):
            if ref in renamed:
                problems.append(_renamed_ref(resource, ref, renamed[ref]))
            elif not _exists(inputs, ref) or ref in deleted:
                problems.append(
                    Problem(
                        "error",
                        "references_resolve",
                        f"{_at(resource, ref.key)}{resource.address} refers to {ref}, which does "
                        "not exist",
                        f"add {ref.kind} {ref.key!r} to the config repo or fix the name",
                        str(resource.address),
                    )
                )
    return problems


def _renamed_away(inputs: Inputs) -> dict[Address, tuple[str, bool]]:
    """Old address -> (new key, renamed by this plan) for the objects the repo renames whose old
    name will not name anything after this plan (renamed by it, or on this site already)."""
    renaming = {(c.address.kind, c.renamed_from) for c in inputs.changes if c.renamed_from}
    return {
        old: (r.address.key, (old.kind, old.key) in renaming)
        for r in inputs.desired
        for old in renamed_from(r)
        if old not in inputs.desired and ((old.kind, old.key) in renaming or old not in inputs.live)
    }


def _renamed_ref(resource: Resource, ref: Address, rename: tuple[str, bool]) -> Problem:
    new, now = rename
    what = "this plan renames" if now else "this site has renamed already"
    return Problem(
        "error",
        "references_resolve",
        f"{_at(resource, ref.key)}{resource.address} refers to {ref}, which {what} to {new!r} "
        "(renamed_from)",
        f"name it {new!r} here too: a renamed object is referred to by its new name",
        str(resource.address),
    )


def _at(resource: Resource, value: str) -> str:
    """``file:line: `` of ``value`` in the object's file (where the reference is written)."""
    return f"{resource.origin.at(value)}: " if resource.origin else ""


def _exists(inputs: Inputs, ref: Address) -> bool:
    builtin = ref.kind in REGISTRY and ref.key in REGISTRY[ref.kind].builtin_keys
    return builtin or ref in inputs.desired or ref in inputs.live


def no_ambiguous_names(inputs: Inputs) -> list[Problem]:
    """A live object flagged as sharing its name must be matched through an explicit key; a desired
    object without ``alias`` that bears the name could mean any of them."""
    problems = []
    for resource in inputs.live.managed():
        if resource.meta.get("duplicate_name") and resource.address not in inputs.desired:
            guess = _unaliased_namesake(inputs, resource)
            problems.append(_ambiguous(resource, guess) if guess else _unmatched(resource))
    return problems


def _unaliased_namesake(inputs: Inputs, live: Resource) -> Address | None:
    name = str(live.spec.get("name", "")).casefold()
    return next(
        (
            r.address
            for r in inputs.desired.of_kind(live.address.kind)
            if not r.spec.get("alias") and str(r.spec.get("name", "")).casefold() == name
        ),
        None,
    )


def _ambiguous(live: Resource, desired: Address) -> Problem:
    return Problem(
        "error",
        "no_ambiguous_names",
        f"{desired} has no alias, and several live {live.address.kind}s bear its name "
        f"(one is {live.address}, which no file matches): which one it means is a guess",
        f"add `alias:` as `jiracfg export` writes it (e.g. a file with alias: {live.address.key}"
        " for the other one), so every live namesake is matched by its key",
        str(desired),
    )


def _unmatched(live: Resource) -> Problem:
    return Problem(
        "warning",
        "no_ambiguous_names",
        f"{live.address} shares its name with another {live.address.kind}; it is only matched by "
        "its disambiguated key",
        "keep `alias:` in its YAML file",
        str(live.address),
    )


def reference_cycles(inputs: Inputs) -> list[Problem]:
    return [
        Problem(
            "error",
            "reference_cycles",
            f"{address} is part of a reference cycle",
            "break the cycle: apply one side first in a separate change",
            address,
        )
        for address in inputs.cycles
    ]
