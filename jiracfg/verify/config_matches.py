"""config_matches: the plan from the commit to the site has no changes. A change to an object
the site does not let jiracfg read (an app without its secret) cannot be checked here."""

from __future__ import annotations

from jiracfg.plan.model import Change
from jiracfg.verify.model import Inputs, Result, cannot, fail, passed

NAME = "config_matches"


def check(inputs: Inputs) -> list[Result]:
    if not inputs.plan.changes:
        return [passed(NAME, "site", "the plan from the commit to the site has no changes")]
    return [_change(inputs, c) for c in inputs.plan.changes]


def _change(inputs: Inputs, change: Change) -> Result:
    live = inputs.live.get(change.address)
    if live is not None and live.meta.get("unreadable"):
        return cannot(NAME, str(change.address), f"{live.meta['unreadable']} is unset")
    return fail(NAME, str(change.address), f"the plan would {change.action} it")
