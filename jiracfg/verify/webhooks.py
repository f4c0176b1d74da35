"""webhooks: each webhook of the commit is on the site, enabled as written, with the expected
events, JQL and URL. Jira never returns a webhook's secret, so the secret is a cannot."""

from __future__ import annotations

from typing import Any

from jiracfg.model import Resource
from jiracfg.verify.model import Inputs, Result, cannot, fail, passed

NAME = "webhooks"


def check(inputs: Inputs) -> list[Result]:
    results: list[Result] = []
    for want in inputs.desired.of_kind("webhook"):
        results += _webhook(want, inputs.live.get(want.address))
    return results


def _webhook(want: Resource, live: Resource | None) -> list[Result]:
    subject = str(want.address)
    if live is None:
        return [fail(NAME, subject, "the webhook is not on the site")]
    wrong = [_differs(k, _facts(live.spec)[k], v) for k, v in _facts(want.spec).items()]
    found = [w for w in wrong if w]
    results = [fail(NAME, subject, "; ".join(found)) if found else passed(NAME, subject)]
    if want.spec.get("secret"):
        reason = "Jira never returns a webhook's secret, so it cannot be compared"
        results.append(cannot(NAME, f"{subject} secret", reason))
    return results


def _facts(spec: dict[str, Any]) -> dict[str, Any]:
    return {
        "enabled": spec.get("enabled", True),
        "events": sorted(spec.get("events", [])),
        "jql": spec.get("jql", ""),
        "url": spec.get("url"),
    }


def _differs(key: str, site: Any, commit: Any) -> str:
    return f"{key}: site {site!r}, commit {commit!r}" if site != commit else ""
