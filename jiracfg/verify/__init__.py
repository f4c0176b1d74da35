"""``jiracfg verify``: prove a restore worked, check by check.

Each check is a small pure function ``(Inputs) -> list[Result]`` in its own module; ``CHECKS`` is
the explicit registry. A result is ``pass``, ``fail`` (evidence naming the object) or ``cannot``
(why it cannot be checked here). Facts are gathered before (``jiracfg.verify.facts``); rendering
is separate (``jiracfg.verify.render``).
"""

from __future__ import annotations

from collections.abc import Callable

from jiracfg.verify import (
    app_probes,
    apps_and_settings,
    audit,
    config_matches,
    dropdown_options,
    issue_counts,
    links,
    not_restored,
    webhook_delivery,
    webhooks,
    workflow_transitions,
    workflow_walk,
)
from jiracfg.verify.model import FORMAT_VERSION, Inputs, Result, Status, fail

Check = Callable[[Inputs], list[Result]]

CHECKS: dict[str, Check] = {
    config_matches.NAME: config_matches.check,
    workflow_transitions.NAME: workflow_transitions.check,
    dropdown_options.NAME: dropdown_options.check,
    apps_and_settings.NAME: apps_and_settings.check,
    app_probes.NAME: app_probes.check,
    webhooks.NAME: webhooks.check,
    workflow_walk.NAME: workflow_walk.check,
    webhook_delivery.NAME: webhook_delivery.check,
    issue_counts.NAME: issue_counts.check,
    audit.NAME: audit.check,
    not_restored.NAME: not_restored.check,
    links.NAME: links.check,
}


def run_checks(inputs: Inputs) -> list[Result]:
    results: list[Result] = []
    for name, check in CHECKS.items():
        try:
            results += check(inputs)
        except Exception as exc:  # a broken check is a failure, never a silent pass
            results.append(fail(name, name, f"check failed: {exc!r} (a bug in jiracfg)"))
    return results


def report(results: list[Result], source: dict[str, str]) -> dict[str, object]:
    """The versioned report every renderer reads."""
    summary = {str(s): sum(r.status == s for r in results) for s in Status}
    return {
        "format_version": FORMAT_VERSION,
        "source": source,
        "summary": summary,
        "results": [r.to_dict() for r in results],
    }


__all__ = ["CHECKS", "Inputs", "Result", "Status", "report", "run_checks"]
