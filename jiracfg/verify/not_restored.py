"""not_restored: the facts Jira's REST API could not restore, as the restore's data step counted
them (the apply journal), one result each with its count. They are a cannot: verify can't show
them on the site as they were (the originals are kept in the ``jiracfg.origin`` properties)."""

from __future__ import annotations

from jiracfg.verify.model import Inputs, Result, cannot, passed

NAME = "not_restored"


def check(inputs: Inputs) -> list[Result]:
    facts = inputs.audit
    data = [a for a in (facts.applies if facts else []) if a.get("not_restored") is not None]
    if not data:
        return []  # no data step in the restore
    counted: dict[str, int] = {}
    for apply in data:
        for what, count in (apply.get("not_restored") or {}).items():
            counted[what] = counted.get(what, 0) + int(count)
    if not counted:
        return [passed(NAME, "data", "the restore counted no fact that REST could not restore")]
    return [
        cannot(NAME, what, f"{count} not restorable over Jira's REST API")
        for what, count in sorted(counted.items())
    ]
