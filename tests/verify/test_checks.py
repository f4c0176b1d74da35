"""verify's checks and renderers on plain data, for what a sandbox cannot break by hand (an app
uninstalled or disabled: the sandbox has no UPM writes) and the report's three formats."""

from __future__ import annotations

import json
from typing import Any

import pytest

from jiracfg.kinds.app_property import KIND as APPS
from jiracfg.kinds.webhook import KIND as WEBHOOKS
from jiracfg.model import Snapshot
from jiracfg.plan.model import Plan
from jiracfg.verify import apps_and_settings, probes, report, webhooks
from jiracfg.verify.model import Inputs, Result, cannot, fail, passed
from jiracfg.verify.render import RENDERERS

APP = {"app": "com.example.reports", "properties": {"limit": 3}}
HOOK = {
    "name": "Deploy bot",
    "url": "https://deploy.example.com/hook",
    "events": ["jira:issue_created", "jira:issue_updated"],
    "jql": "project = ENG",
}


def answers(results: list[Result]) -> list[tuple[str, str, str]]:
    return [(str(r.status), r.subject, r.evidence) for r in results]


def apps_on(live: list[dict[str, Any]], enabled: dict[str, bool]) -> list[tuple[str, str, str]]:
    desired = Snapshot([APPS.resource(APP)])
    site = Snapshot(APPS.resource(s) for s in live)
    return answers(apps_and_settings.check(Inputs(desired, site, Plan([]), enabled)))


def test_an_app_uninstalled_or_disabled_fails_naming_it() -> None:
    subject = "app_property/com.example.reports"
    assert apps_on([], {}) == [("fail", subject, "the app is not installed on the site")]
    assert apps_on([APP], {APP["app"]: False}) == [
        ("fail", subject, "the app is installed but disabled")
    ]
    changed = {**APP, "properties": {"limit": 4}}
    assert apps_on([changed], {APP["app"]: True}) == [
        ("fail", subject, "properties differ from the commit: limit")
    ]


def hooks_on(live: dict[str, Any]) -> list[tuple[str, str, str]]:
    desired = Snapshot([WEBHOOKS.resource(HOOK)])
    site = Snapshot([WEBHOOKS.resource(live)])
    return answers(webhooks.check(Inputs(desired, site, Plan([]))))


def test_a_webhook_with_other_events_or_jql_fails_naming_both() -> None:
    assert hooks_on(HOOK) == [("pass", "webhook/Deploy bot", "")]
    live = {**HOOK, "events": ["jira:issue_created"], "jql": "project = OPS"}
    [(status, subject, evidence)] = hooks_on(live)
    assert (status, subject) == ("fail", "webhook/Deploy bot")
    assert evidence == (
        "events: site ['jira:issue_created'], commit ['jira:issue_created', 'jira:issue_updated'];"
        " jql: site 'project = OPS', commit 'project = ENG'"
    )


RESULTS = [
    passed("webhooks", "webhook/Deploy bot"),
    fail("dropdown_options", "field_context/Team/All", "options: missing on the site ['A|B']"),
    cannot("audit", "audit log", "no apply recorded"),
]


def test_the_three_formats_carry_every_result_and_json_is_versioned() -> None:
    doc = report(RESULTS, {"site": "https://acme.atlassian.net", "commit": "abc123"})
    parsed = json.loads(RENDERERS["json"](doc))
    assert parsed["format_version"] == 1
    assert parsed["summary"] == {"pass": 1, "fail": 1, "cannot": 1}
    assert [r["check"] for r in parsed["results"]] == ["webhooks", "dropdown_options", "audit"]
    text = RENDERERS["text"](doc).splitlines()
    assert text[1] == (
        "  FAIL  dropdown_options: field_context/Team/All: options: missing on the site ['A|B']"
    )
    assert text[-1] == "1 passed, 1 failed, 1 cannot be checked here"
    markdown = RENDERERS["markdown"](doc)
    assert "Site `https://acme.atlassian.net`, commit `abc123`" in markdown
    assert (
        "| ❌ | dropdown_options | `field_context/Team/All` |"
        " options: missing on the site ['A\\|B'] |" in markdown
    )


def test_a_delivery_signed_with_another_secret_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEPLOY_SECRET", "the commit's secret")
    body = '{"webhookEvent": "jira:issue_created"}'
    good = {"body": body}
    good["headers"] = {"X-Hub-Signature": probes._signature("the commit's secret", good)}
    bad = {"body": body}
    bad["headers"] = {"X-Hub-Signature": probes._signature("changed by hand", bad)}
    spec = {**HOOK, "secret": {"env": "DEPLOY_SECRET"}}
    signed = probes._signed("Deploy bot", spec, [good])
    assert (signed.problem, signed.detail) == ("", "1 probe event(s) delivered, correctly signed")
    wrong = probes._signed("Deploy bot", spec, [good, bad])
    assert wrong.problem == "1 of 2 deliveries wrongly signed"
    monkeypatch.delenv("DEPLOY_SECRET")
    unset = probes._signed("Deploy bot", spec, [good])
    assert unset.cannot == "DEPLOY_SECRET is unset: the signature can't be checked"


def test_a_probe_sub_task_sits_under_a_base_level_type_not_an_epic() -> None:
    epic = {"name": "Epic", "subtask": False, "hierarchyLevel": 1}
    sub = {"name": "Sub-task", "subtask": True, "hierarchyLevel": -1}
    story = {"name": "Story", "subtask": False, "hierarchyLevel": 0}
    assert probes._parent_type([epic, sub, story]) == story
    assert probes._parent_type([epic, sub]) == epic
    assert probes._parent_type([sub]) is None
