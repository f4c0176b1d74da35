"""What apply will read besides the repo must be there before the first write: the variables
holding webhook secrets, and statuses that ``status_mappings`` in jiracfg.yaml name."""

from __future__ import annotations

from collections.abc import Iterator

from jiracfg.model import Address
from jiracfg.plan.checks._inputs import Inputs
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


def status_mappings_name_statuses(inputs: Inputs) -> list[Problem]:
    known = {r.address.key for r in inputs.desired.of_kind("status")}
    known |= {r.address.key for r in inputs.live.of_kind("status")}
    problems = []
    for index, mapping in enumerate(inputs.settings.get("status_mappings") or []):
        for end in ("from", "to"):
            status = str(mapping.get(end, ""))
            if status not in known:
                problems.append(
                    Problem(
                        "error",
                        "status_mappings_name_statuses",
                        f"jiracfg.yaml: status_mappings[{index}].{end} names status {status!r}, "
                        "which is neither in the config repo nor on the site",
                        "name an existing status (exactly as it is spelled)",
                    )
                )
    return problems
