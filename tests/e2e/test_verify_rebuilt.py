"""``jiracfg verify`` on a site rebuilt from the commit (the demo into a fresh sandbox): it passes,
and each promise broken on purpose by hand on the rebuilt site fails the matching check with
evidence naming the object."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from jiracfg.client import JiraClient
from jiracfg.demo import tree_differences
from jiracfg.kinds.app_property import secret_variable
from jiracfg.kinds.webhook import secret_variable as webhook_secret
from jiracfg.sandbox.routes.apps import DEMO_APPS
from jiracfg.verify import audit
from tests.conftest import StartSandbox
from tests.e2e import test_data
from tests.e2e.conftest import Jiracfg, commit
from tests.e2e.test_verify import bad, client_of, verify

WEBHOOKS = "/rest/webhooks/1.0/webhook"
TIME_TRACKING = "/configuration/timetracking"
PROJECT = test_data.PROJECT
data_demo = test_data.data_demo  # the fixture: the demo with its MKT issues, exported


@pytest.fixture
def rebuilt(
    exported_demo: Jiracfg, start_sandbox: StartSandbox, monkeypatch: pytest.MonkeyPatch
) -> Jiracfg:
    """The demo's export (with its apps' properties, and the deploy bot's secret) applied to a
    fresh site; the hand changes below come right after the apply, so no clock tolerance may hide
    them."""
    for app in DEMO_APPS:
        monkeypatch.setenv(secret_variable(app["key"]), app["sharedSecret"])
    monkeypatch.setenv(webhook_secret("Deploy bot"), "rebuilt-deploy-secret")
    exported_demo("export")
    hook = exported_demo.repo / "webhooks" / "deploy-bot.yaml"
    text = hook.read_text(encoding="utf-8")
    hook.write_text(text + f"secret: {{env: {webhook_secret('Deploy bot')}}}\n", encoding="utf-8")
    commit(exported_demo.repo, "export with the apps and the deploy bot's secret")
    target = exported_demo.with_server(start_sandbox("fresh"))
    target("apply", "--ref", "HEAD", "--auto-approve")
    monkeypatch.setattr(audit, "TOLERANCE_MS", 0)
    return target


def field_id(client: JiraClient, name: str) -> str:
    fields = client.paged("/field/search", {"type": "custom"})
    return str(next(f["id"] for f in fields if f["name"] == name))


def counts(client: JiraClient) -> dict[str, int]:
    projects = [p["key"] for p in client.paged("/project/search")]
    return {
        p: int(client.post("/search/approximate-count", {"jql": f"project = {p}"})["count"])
        for p in projects
    }


def test_the_rebuilt_site_passes_every_check(rebuilt: Jiracfg) -> None:
    report = verify(rebuilt, "--ref", "HEAD", expect=0)
    assert bad(report) == {}
    passed = {r["check"] for r in report["results"] if r["status"] == "pass"}
    assert {"audit", "dropdown_options", "webhooks", "workflow_transitions"} <= passed
    assert "timekeeper_time_tracking" in passed  # the demo app's adapter probe
    chosen = yaml.safe_load((rebuilt.repo / "time-tracking" / "time-tracking.yaml").read_text())
    assert chosen["provider"] == "com.example.timekeeper__timekeeper-time-tracking"  # applied
    assert bad(report, "cannot")["timekeeper_approval_reminders"] == [
        "app_property/com.example.timekeeper approval reminders: the app schedules them on its"
        " own servers; no REST API of Jira or the app shows them"
    ]


def test_the_apps_time_tracking_changed_by_hand_fails_its_adapter_probe(
    rebuilt: Jiracfg,
) -> None:
    client = client_of(rebuilt)
    options = client.get(TIME_TRACKING + "/options")
    client.put(TIME_TRACKING + "/options", {**options, "workingHoursPerDay": 7.5})
    failed = bad(verify(rebuilt, "--ref", "HEAD", expect=1))
    assert failed["timekeeper_time_tracking"] == [
        "app_property/com.example.timekeeper time tracking:"
        " working hours per day: Jira 7.5, the app 8"
    ]
    assert "apps_and_settings" not in failed  # the app's own properties are as committed
    client.put(TIME_TRACKING, {"key": "JIRA"})
    failed = bad(verify(rebuilt, "--ref", "HEAD", expect=1))
    assert failed["timekeeper_time_tracking"] == [
        "app_property/com.example.timekeeper time tracking: Jira's time tracking provider is"
        " 'JIRA' (JIRA provided time tracking), not"
        " 'com.example.timekeeper__timekeeper-time-tracking'"
    ]


def test_a_setting_changed_by_hand_shows_in_the_audit_log(rebuilt: Jiracfg) -> None:
    client = client_of(rebuilt)
    field = field_id(client, "Affected Services")
    client.put(f"/field/{field}", {"description": "changed by hand"})
    [evidence] = bad(verify(rebuilt, "--ref", "HEAD", expect=1))["audit"]
    assert evidence.startswith("CUSTOM_FIELD 'Affected Services': Custom field updated (fields)")
    assert "by 557058:admin at " in evidence
    assert evidence.endswith(
        "which no write of the restore explains:"
        " description: 'Services an issue touches' -> 'changed by hand'"
    )


def test_a_removed_option_fails_naming_its_context(rebuilt: Jiracfg) -> None:
    client = client_of(rebuilt)
    field = field_id(client, "Affected Services")
    context = next(iter(client.paged(f"/field/{field}/context")))["id"]
    options = client.paged(f"/field/{field}/context/{context}/option")
    api = next(o for o in options if o["value"] == "API")
    client.delete(f"/field/{field}/context/{context}/option/{api['id']}")
    failed = bad(verify(rebuilt, "--ref", "HEAD", expect=1))
    assert (
        "field_context/Affected Services/All services: options: missing on the site ['API']"
        in (failed["dropdown_options"])
    )
    assert failed["audit"][0].startswith("CUSTOM_FIELD 'Affected Services': Custom field updated")


def test_a_webhook_disabled_by_hand_fails_naming_it(rebuilt: Jiracfg) -> None:
    client = client_of(rebuilt)
    hook: dict[str, Any] = next(h for h in client.get(WEBHOOKS) if h["name"] == "Deploy bot")
    hook_id = str(hook["self"]).rsplit("/", 1)[-1]
    keep = ("name", "url", "events", "filters", "excludeBody")
    client.put(f"{WEBHOOKS}/{hook_id}", {**{k: hook[k] for k in keep}, "enabled": False})
    failed = bad(verify(rebuilt, "--ref", "HEAD", expect=1))
    assert failed["webhooks"] == ["webhook/Deploy bot: enabled: site False, commit True"]
    assert failed["audit"][0].startswith("WEBHOOK 'Deploy bot': Webhook updated (system)")


SUBTASK_FLOW = """\
name: Sub-task Flow
description: Sub-tasks only (walked under a probe parent)
statuses: [Done, In Progress, To Do]
transitions:
  - name: Create
    type: initial
    to: To Do
  - name: Finish
    from: [In Progress]
    to: Done
    validators:
      - rule: system:validate-field-value
        parameters: {ruleType: fieldRequired, fieldsRequired: [Assignee]}
  - name: Reopen
    type: global
    to: To Do
  - name: Start
    from: [To Do]
    to: In Progress
"""


def use_a_subtask_only_workflow(run: Jiracfg) -> None:
    """Engineering's sub-tasks get a workflow of their own, committed and applied."""
    (run.repo / "workflows" / "sub-task-flow.yaml").write_text(SUBTASK_FLOW, encoding="utf-8")
    scheme = run.repo / "workflow-schemes" / "engineering-workflow-scheme.yaml"
    spec = yaml.safe_load(scheme.read_text(encoding="utf-8"))
    spec["issue_types"] = {**(spec.get("issue_types") or {}), "Sub-task": "Sub-task Flow"}
    scheme.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    commit(run.repo, "sub-tasks of engineering on a workflow of their own")
    run("apply", "--ref", "HEAD", "--auto-approve")


def test_deep_walks_every_transition_and_leaves_the_site_as_it_was(
    rebuilt: Jiracfg, tmp_path: Path
) -> None:
    use_a_subtask_only_workflow(rebuilt)
    before, after = (
        Jiracfg(rebuilt.server, tmp_path / "before"),
        Jiracfg(rebuilt.server, tmp_path / "after"),
    )
    for run in (before, after):
        run.repo.mkdir()
    before("export")
    issues = counts(client_of(rebuilt))
    report = verify(rebuilt, "--ref", "HEAD", "--deep", expect=0)
    after("export")
    assert counts(client_of(rebuilt)) == issues  # the probes are gone
    assert tree_differences(before.repo, after.repo) == []
    walked = [r for r in report["results"] if r["check"] == "workflow_walk"]
    assert [(r["status"], r["subject"]) for r in walked] == [("pass", "workflows")]
    assert walked[0]["evidence"] == (
        "17 transitions of 4 workflows walked:"
        " Content Flow, Software Development, Sub-task Flow, Support Flow"
    ), walked
    delivered = {
        r["subject"]: (r["status"], r["evidence"])
        for r in report["results"]
        if r["check"] == "webhook_delivery"
    }
    assert delivered["webhook/Deploy bot"][0] == "pass", delivered
    assert delivered["webhook/Deploy bot"][1].endswith("correctly signed")


def add_validator_by_hand(
    client: JiraClient, workflow: str, transition: str, rule: dict[str, Any]
) -> None:
    """What a careless admin does: read the live workflow and post it back with one more
    validator on ``transition`` (Jira's bulk read and update, not jiracfg)."""
    read = client.post("/workflows", {"workflowNames": [workflow]})
    [flow] = read["workflows"]
    block = next(t for t in flow["transitions"] if t["name"] == transition)
    block["validators"] = [*(block.get("validators") or []), rule]
    client.post("/workflows/update", {"statuses": read["statuses"], "workflows": [flow]})


def test_a_failing_validator_added_by_hand_fails_naming_the_transition(rebuilt: Jiracfg) -> None:
    client = client_of(rebuilt)
    field = field_id(client, "Affected Services")
    params = {"ruleType": "fieldMatchesRegularExpression", "fieldKey": field, "regexp": "NEVER"}
    rule = {"ruleKey": "system:validate-field-value", "parameters": params}
    add_validator_by_hand(client, "Software Development", "Reopen", rule)
    failed = bad(verify(rebuilt, "--ref", "HEAD", expect=1))
    written = (
        '[{"parameters": {"fieldKey": "Affected Services", "regexp": "NEVER", "ruleType":'
        ' "fieldMatchesRegularExpression"}, "rule": "system:validate-field-value"}]'
    )
    assert failed["workflow_transitions"] == [
        "workflow/Software Development transition 'Reopen' (id 71):"
        f" validators: site {written}, commit none"
    ]
    assert "workflow/Software Development: the plan would update it" in failed["config_matches"]
    failed = bad(verify(rebuilt, "--ref", "HEAD", "--deep", expect=1))
    assert failed["workflow_walk"] == [
        "workflow/Software Development transition 'Reopen' (id 71):"
        " refused (400): Affected Services does not match the expected format."
    ]


def test_a_data_rebuild_lists_what_rest_could_not_restore_and_a_deleted_issue_fails(
    data_demo: Jiracfg, start_sandbox: StartSandbox
) -> None:
    target = data_demo.with_server(start_sandbox("fresh"))
    target("apply", "--ref", "HEAD", "--auto-approve")
    report = verify(target, "--ref", "HEAD", expect=0)
    notes = bad(report, "cannot")["not_restored"]
    assert any(n.startswith("comment authors and times") for n in notes), notes
    assert all(n.endswith(" not restorable over Jira's REST API") for n in notes), notes
    client = client_of(target)
    found = client.post(
        "/search/jql", {"jql": f"project = {PROJECT}", "fields": ["issuetype", "status"]}
    )
    issue = found["issues"][0]
    fields = issue["fields"]
    triple = f"{PROJECT} / {fields['issuetype']['name']} / {fields['status']['name']}"
    repo = [r for r in report["results"] if r["check"] == "issue_counts"]
    client.delete(f"/issue/{issue['key']}")
    failed = bad(verify(target, "--ref", "HEAD", expect=1))["issue_counts"]
    assert len(failed) == 2 and failed[0].startswith(f"{triple}: site ")
    assert failed[1].startswith(f"project/{PROJECT}: site ")
    assert repo and repo[0]["status"] == "pass"
