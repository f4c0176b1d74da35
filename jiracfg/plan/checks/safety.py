"""Safety policy: nothing deleted without --prune, protected objects never, references resolve."""

from __future__ import annotations

from jiracfg.kinds import REGISTRY
from jiracfg.model import Address
from jiracfg.plan.checks._inputs import Inputs
from jiracfg.plan.model import Action, Problem


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
            "add it back to the config repo, or remove it from `protected:` in jiracfg.yaml "
            "if it really must go",
            str(c.address),
        )
        for c in doomed
        if inputs.is_protected(c.live_address)
    ]


def references_resolve(inputs: Inputs) -> list[Problem]:
    deleted = {c.address for c in inputs.of(Action.DELETE)}
    problems = []
    for resource in inputs.desired:
        for ref in REGISTRY[resource.address.kind].refs(resource.spec):
            if not _exists(inputs, ref) or ref in deleted:
                where = f"{resource.origin}: " if resource.origin else ""
                problems.append(
                    Problem(
                        "error",
                        "references_resolve",
                        f"{where}{resource.address} refers to {ref}, which does not exist",
                        f"add {ref.kind} {ref.key!r} to the config repo or fix the name",
                        str(resource.address),
                    )
                )
    return problems


def _exists(inputs: Inputs, ref: Address) -> bool:
    builtin = ref.kind in REGISTRY and ref.key in REGISTRY[ref.kind].builtin_keys
    return builtin or ref in inputs.desired or ref in inputs.live


def no_ambiguous_names(inputs: Inputs) -> list[Problem]:
    """A live object flagged as sharing its name must be matched through an explicit key."""
    problems = []
    for resource in inputs.live.managed():
        if resource.meta.get("duplicate_name") and resource.address not in inputs.desired:
            problems.append(
                Problem(
                    "warning",
                    "no_ambiguous_names",
                    f"{resource.address} shares its name with another "
                    f"{resource.address.kind}; it is only matched by its disambiguated key",
                    "keep `alias:` in its YAML file",
                    str(resource.address),
                )
            )
    return problems


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
