"""What apply will read besides the repo must be there and fit before the first write: the
variables holding webhook secrets, and the ``status_mappings`` of jiracfg.yaml (statuses, projects
and issue types that exist; a target status the new workflow has)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from jiracfg.model import Address
from jiracfg.plan.checks._inputs import Inputs
from jiracfg.plan.checks.workflows import Strand, strands
from jiracfg.plan.diff import renamed_from
from jiracfg.plan.model import Action, Problem

WRITES = (Action.CREATE, Action.UPDATE, Action.REPLACE)


def queries(inputs: Inputs) -> set[str]:
    return {f"env:{variable}" for _, variable in _secrets(inputs)}


def secrets_are_set(inputs: Inputs) -> list[Problem]:
    """A webhook written with ``secret: {env: VAR}`` needs VAR set (see ``facts``)."""
    return [
        Problem(
            "error",
            "secrets_are_set",
            f"{address}: the environment variable {variable} holding its secret is not set",
            f"export {variable}=<the webhook secret> before plan and apply, or remove `secret:`",
            str(address),
        )
        for address, variable in _secrets(inputs)
        if not inputs.facts.get(f"env:{variable}")
    ]


def _secrets(inputs: Inputs) -> Iterator[tuple[Address, str]]:
    for change in inputs.changes:
        secret = (change.after or {}).get("secret")
        if change.action in WRITES and isinstance(secret, dict) and secret.get("env"):
            yield change.address, str(secret["env"])


NAMED = {"from": "status", "to": "status", "project": "project", "issue_type": "issue_type"}


def status_mappings_name_statuses(inputs: Inputs) -> list[Problem]:
    """Every status, project and issue type a mapping names exists (in the repo or on the site).
    A name the repo renamed, on a site that has applied the rename, matches nothing here: a
    warning, since the entry still serves sites that have not (apply matches it by id there)."""
    problems = []
    for index, mapping in enumerate(inputs.settings.get("status_mappings") or []):
        for field, kind in NAMED.items():
            name = mapping.get(field)
            address = Address(kind, str(name))
            if name is not None and not _exists(inputs, address):
                where = f"jiracfg.yaml: status_mappings[{index}].{field} names {kind} {name!r}"
                problems.append(_renamed(inputs, address, where) or _unknown(address, where))
    return problems


def _unknown(address: Address, where: str) -> Problem:
    return Problem(
        "error",
        "status_mappings_name_statuses",
        f"{where}, which is neither in the config repo nor on the site",
        f"name an existing {address.kind} (exactly as it is spelled)",
    )


def _renamed(inputs: Inputs, old: Address, where: str) -> Problem | None:
    new = [r.address.key for r in inputs.desired.of_kind(old.kind) if old in renamed_from(r)]
    if not new:
        return None
    return Problem(
        "warning",
        "status_mappings_name_statuses",
        f"{where}, which this site has renamed to {new[0]!r} (renamed_from): the entry moves no "
        "issues here",
        f"name it {new[0]!r}: a status renamed by the repo is matched by its new name on every "
        "site, and by its old one only until the site has applied the rename",
    )


def _exists(inputs: Inputs, address: Address) -> bool:
    return address in inputs.desired or address in inputs.live


def status_mappings_fit(inputs: Inputs) -> list[Problem]:
    """A mapping for a status that disappears must move its issues to a status of the new
    workflow (Jira refuses the workflow scheme update otherwise)."""
    problems = []
    for strand in strands(inputs):
        statuses = _statuses_of(inputs, strand.new_workflow)
        for index, mapping in _mappings_for(inputs, strand):
            if str(mapping.get("to")) not in statuses:
                problems.append(
                    Problem(
                        "error",
                        "status_mappings_fit",
                        f"jiracfg.yaml: status_mappings[{index}] moves {strand.status!r} issues of "
                        f"project {strand.project} to {mapping.get('to')!r}, which workflow "
                        f"{strand.new_workflow!r} does not have",
                        f"map them to one of: {', '.join(sorted(statuses))}",
                    )
                )
    return problems


def _statuses_of(inputs: Inputs, workflow: str) -> set[str]:
    address = Address("workflow", workflow)
    found = inputs.desired.get(address) or inputs.live.get(address)
    return {str(s) for s in (found.spec.get("statuses") or [])} if found else set()


def _mappings_for(inputs: Inputs, strand: Strand) -> Iterator[tuple[int, dict[str, Any]]]:
    for index, mapping in enumerate(inputs.settings.get("status_mappings") or []):
        if strand.named_by(mapping):
            yield index, mapping
