"""Timekeeper Time Tracking (``com.example.timekeeper``, the demo's app): its verify probes.

Timekeeper replaces Jira's time tracking: it is a time tracking provider (Connect module
``jiraTimeTrackingProviders``, provider key ``<app key>__timekeeper-time-tracking``), and it turns
durations into days and weeks with the working day and week of its ``settings`` property. Jira does
the same with its own time tracking settings, so both must agree or a "1d" logged in the app reads
as something else in Jira. Over REST verify can see which provider Jira uses and Jira's settings:

- ``timekeeper_time_tracking``: Jira's selected provider is Timekeeper's, and Jira's working hours
  per day and days per week are the ones of the app's ``settings`` at the commit;
- ``timekeeper_approval_reminders``: with ``approval-enabled``, the app reminds approvers of
  pending timesheets from a job scheduled on its own servers, which no REST API shows: cannot.
"""

from __future__ import annotations

from typing import Any

from jiracfg.apps.model import Adapter, Probe
from jiracfg.client import JiraClient
from jiracfg.model import Spec
from jiracfg.verify.model import Result, cannot, fail, passed

APP = "com.example.timekeeper"
PROVIDER = f"{APP}__timekeeper-time-tracking"
TIME_TRACKING = "/configuration/timetracking"
TRACKING, REMINDERS = "timekeeper_time_tracking", "timekeeper_approval_reminders"
SUBJECT = f"app_property/{APP}"
WORKING = {"workingHoursPerDay": "working hours per day", "workingDaysPerWeek": "days per week"}


def observe_tracking(client: JiraClient, spec: Spec) -> dict[str, Any]:
    """Jira's selected time tracking provider (None: time tracking is off) and its settings."""
    provider = client.get(TIME_TRACKING) or None
    return {"provider": provider, "options": client.get(f"{TIME_TRACKING}/options")}


def judge_tracking(spec: Spec, seen: dict[str, Any]) -> list[Result]:
    subject = f"{SUBJECT} time tracking"
    provider = seen["provider"]
    if provider is None:
        return [fail(TRACKING, subject, "time tracking is disabled on the site")]
    if provider.get("key") != PROVIDER:
        chosen = f"{provider.get('key')!r} ({provider.get('name')})"
        return [
            fail(TRACKING, subject, f"Jira's time tracking provider is {chosen}, not {PROVIDER!r}")
        ]
    settings = (spec.get("properties") or {}).get("settings") or {}
    wrong = [
        f"{label}: Jira {seen['options'].get(key)}, the app {settings[key]}"
        for key, label in WORKING.items()
        if key in settings and float(seen["options"].get(key, 0)) != float(settings[key])
    ]
    if wrong:
        return [fail(TRACKING, subject, "; ".join(wrong))]
    return [passed(TRACKING, subject, "Timekeeper is the provider; working day and week agree")]


def judge_reminders(spec: Spec, seen: None) -> list[Result]:
    subject = f"{SUBJECT} approval reminders"
    if not (spec.get("properties") or {}).get("approval-enabled"):
        return [passed(REMINDERS, subject, "approvals are off: no reminders to send")]
    reason = "the app schedules them on its own servers; no REST API of Jira or the app shows them"
    return [cannot(REMINDERS, subject, reason)]


ADAPTER = Adapter(
    APP,
    (
        Probe(TRACKING, observe_tracking, judge_tracking),
        Probe(REMINDERS, lambda client, spec: None, judge_reminders),
    ),
)
