"""app_probes: the probes app adapters add (``jiracfg.apps``), each answering under its own name
from what it observed; a probe of an app that is not installed and enabled is a cannot (the app
itself fails ``apps_and_settings``), a probe Jira would not let the caller observe (403: not an
administrator) is a cannot with Jira's answer, and a probe whose reading failed otherwise fails with
the error."""

from __future__ import annotations

from dataclasses import replace

from jiracfg.verify.model import AppObservation, Inputs, Result, cannot, fail

NAME = "app_probes"


def check(inputs: Inputs) -> list[Result]:
    results: list[Result] = []
    for seen in inputs.app_probes:
        app = str(seen.spec.get("app"))
        subject = f"app_property/{app}"
        if not inputs.apps_enabled.get(app):
            results.append(cannot(seen.probe, subject, "the app is not installed and enabled"))
        elif seen.refused:
            reason = "Jira refused to show it to this account (not an administrator?): "
            results.append(cannot(seen.probe, subject, reason + seen.refused))
        elif seen.error:
            results.append(fail(seen.probe, subject, f"observing the site failed: {seen.error}"))
        else:
            results += _judged(seen)
    return results


def _judged(seen: AppObservation) -> list[Result]:
    """The probe's answers, always under the probe's name."""
    return [replace(r, check=seen.probe) for r in seen.judge(seen.spec, seen.seen)]
