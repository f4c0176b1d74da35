"""App adapters' verify probes on plain data: which run, how their answers are named, what an app
that is not there or a failed reading gives, and the Timekeeper adapter's judgements."""

from __future__ import annotations

from typing import Any

from jiracfg.apps import ADAPTERS, Adapter, Probe, timekeeper
from jiracfg.client import JiraClient
from jiracfg.kinds.app_property import KIND
from jiracfg.model import Snapshot, Spec
from jiracfg.plan.model import Plan
from jiracfg.sandbox.routes import apps
from jiracfg.verify import CHECKS, run_checks
from jiracfg.verify.facts import app_observations, probes_to_run
from jiracfg.verify.model import AppObservation, Inputs, Result, passed
from tests.conftest import StartSandbox, seeded_store

APP = "com.example.reports"
SPEC: Spec = {"app": APP, "properties": {"limit": 3}}
BOB = {"accountId": "557058:bob", "emailAddress": "bob@acme.example"}  # not an administrator


def judge(spec: Spec, seen: Any) -> list[Result]:
    return [passed("whatever", f"app_property/{spec['app']}", f"saw {seen}")]


READS = Probe("reports_read", lambda client, spec: None, judge)
WRITES = Probe("reports_write", lambda client, spec: None, judge, writes=True)
ADAPTER = {APP: Adapter(APP, (READS, WRITES))}


def desired(*specs: Spec) -> Snapshot:
    return Snapshot(KIND.resource(s) for s in specs)


def outcome(observations: list[AppObservation], enabled: bool = True) -> list[tuple[str, ...]]:
    inputs = Inputs(desired(SPEC), Snapshot(), Plan([]), {APP: enabled}, app_probes=observations)
    return [
        (r.check, str(r.status), r.subject, r.evidence)
        for r in run_checks(inputs)
        if r.check.startswith("reports")
    ]


def test_a_probe_that_writes_runs_only_with_deep() -> None:
    other = {"app": "com.example.unadapted", "properties": {}}
    shallow = probes_to_run(desired(SPEC, other), deep=False, adapters=ADAPTER)
    assert [p.name for _, p in shallow] == ["reports_read"]
    deep = probes_to_run(desired(SPEC, other), deep=True, adapters=ADAPTER)
    assert [(s["app"], p.name) for s, p in deep] == [
        (APP, "reports_read"),
        (APP, "reports_write"),
    ]


def test_answers_carry_the_probes_name_and_a_failed_reading_fails() -> None:
    seen = AppObservation("reports_read", SPEC, judge, seen=42)
    broken = AppObservation("reports_write", SPEC, judge, error="403 Nope")
    assert outcome([seen, broken]) == [
        ("reports_read", "pass", f"app_property/{APP}", "saw 42"),
        ("reports_write", "fail", f"app_property/{APP}", "observing the site failed: 403 Nope"),
    ]


def test_a_probe_of_a_disabled_app_cannot_be_checked() -> None:
    assert outcome([AppObservation("reports_read", SPEC, judge)], enabled=False) == [
        ("reports_read", "cannot", f"app_property/{APP}", "the app is not installed and enabled")
    ]


def test_probe_names_are_unique_and_never_a_built_in_checks() -> None:
    names = [p.name for adapter in ADAPTERS.values() for p in adapter.probes]
    assert len(names) == len(set(names))
    assert not set(names) & set(CHECKS)
    assert all(key == adapter.app for key, adapter in ADAPTERS.items())


def test_timekeeper_fails_when_time_tracking_is_off_and_passes_without_approvals() -> None:
    spec = {"app": timekeeper.APP, "properties": {"approval-enabled": False}}
    [off] = timekeeper.judge_tracking(spec, {"provider": None, "options": {}})
    assert (off.status, off.evidence) == ("fail", "time tracking is disabled on the site")
    [reminders] = timekeeper.judge_reminders(spec, None)
    assert reminders.status == "pass"


def test_a_probe_jira_refuses_to_a_non_admin_is_a_cannot_with_the_reason(
    start_sandbox: StartSandbox,
) -> None:
    """Over HTTP, as a user who is not an administrator: Jira's 403 on the time tracking settings
    means verify cannot tell, not that the site is wrong."""
    store = seeded_store("empty")
    apps.seed_demo_apps(store)
    store.insert("user", {**BOB, "displayName": "Bob", "token": "bob-token"})
    client = JiraClient(start_sandbox("empty", store=store).url, BOB["emailAddress"], "bob-token")
    spec = {"app": timekeeper.APP, "properties": {"settings": {"workingHoursPerDay": 8}}}
    try:
        seen = app_observations(client, desired(spec), {timekeeper.APP: True}, deep=False)
    finally:
        client.close()
    inputs = Inputs(desired(spec), Snapshot(), Plan([]), {timekeeper.APP: True}, app_probes=seen)
    [tracking] = [r for r in run_checks(inputs) if r.check == timekeeper.TRACKING]
    assert str(tracking.status) == "cannot"
    assert tracking.evidence.startswith(
        "Jira refused to show it to this account (not an administrator?): Jira refused GET"
    )
    assert "403" in tracking.evidence
