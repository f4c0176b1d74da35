"""workflow_transitions: every transition of the commit's workflows exists on the site with the
same id, name, type, sources, target and screen, and the same rules (conditions, validators and
post functions as export writes them), so a rule added or changed by hand on the site fails
without ``--deep``."""

from __future__ import annotations

import json
from typing import Any

from jiracfg.model import Resource
from jiracfg.verify.model import Inputs, Result, cannot, fail, passed

NAME = "workflow_transitions"
COMPARED = ("name", "type", "from", "to", "screen", "conditions", "validators", "actions")


def check(inputs: Inputs) -> list[Result]:
    results: list[Result] = []
    for want in inputs.desired.of_kind("workflow"):
        results += _workflow(want, inputs.live.get(want.address))
    return results


def _workflow(want: Resource, live: Resource | None) -> list[Result]:
    subject = str(want.address)
    if live is None:
        return [fail(NAME, subject, "the workflow is not on the site")]
    on_site = {str(t.get("id")): t for t in live.spec.get("transitions", []) if t.get("id")}
    results = [_transition(subject, t, on_site) for t in want.spec.get("transitions", [])]
    if not any(r.status != "pass" for r in results):
        return [passed(NAME, subject, f"{len(results)} transitions match by id")]
    return [r for r in results if r.status != "pass"]


def _transition(subject: str, want: dict[str, Any], on_site: dict[str, Any]) -> Result:
    label = f"{subject} transition {want['name']!r}"
    if not want.get("id"):
        return cannot(NAME, label, "the commit has no id for it (export again to record it)")
    live = on_site.get(str(want["id"]))
    if live is None:
        return fail(NAME, label, f"no transition with id {want['id']} on the site")
    wrong = [
        f"{k}: site {_show(_v(live, k))}, commit {_show(_v(want, k))}"
        for k in COMPARED
        if _v(live, k) != _v(want, k)
    ]
    if wrong:
        return fail(NAME, f"{label} (id {want['id']})", "; ".join(wrong))
    return passed(NAME, label)


def _v(transition: dict[str, Any], key: str) -> Any:
    value = transition.get(key) or None  # no rules, written or not, are the same
    return sorted(value) if key == "from" and value else value


def _show(value: Any) -> str:
    """Names as Python writes them; rules as compact JSON; ``none`` when not set."""
    if value is None:
        return "none"
    if isinstance(value, dict) or (
        isinstance(value, list) and value and isinstance(value[0], dict)
    ):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return repr(value)
