"""``jiracfg verify`` over HTTP against the sandbox: passes on a site against its own export, and
each check fails with evidence naming the object when the site is broken on purpose."""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml

from jiracfg.client import JiraClient
from jiracfg.kinds.app_property import secret_variable
from jiracfg.sandbox.routes.apps import DEMO_APPS
from jiracfg.verify.model import FORMAT_VERSION
from tests.conftest import StartSandbox
from tests.e2e.conftest import Jiracfg, commit

TIMEKEEPER = DEMO_APPS[0]


@pytest.fixture
def repo(exported_demo: Jiracfg, monkeypatch: pytest.MonkeyPatch) -> Jiracfg:
    """The demo export, with the timekeeper app's properties (its secret set)."""
    monkeypatch.setenv(secret_variable(TIMEKEEPER["key"]), TIMEKEEPER["sharedSecret"])
    exported_demo("export")
    commit(exported_demo.repo, "export with the app")
    return exported_demo


def verify(run: Jiracfg, *args: str, expect: int) -> dict[str, Any]:
    result = run("verify", "--format", "json", *args, expect=expect)
    report: dict[str, Any] = json.loads(result.output)
    return report


def bad(report: dict[str, Any], status: str = "fail") -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for r in report["results"]:
        if r["status"] == status:
            found.setdefault(r["check"], []).append(f"{r['subject']}: {r['evidence']}")
    return found


def client_of(run: Jiracfg) -> JiraClient:
    return JiraClient.from_env(run.server.url, run.server.email, run.server.token)


def edit(run: Jiracfg, path: str, change: Any) -> None:
    """Change one YAML file of the working tree and apply it (the commit stays as it was)."""
    file = run.repo / path
    spec = yaml.safe_load(file.read_text(encoding="utf-8"))
    change(spec)
    file.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    run("apply", "--auto-approve")


def test_verify_passes_on_a_site_against_its_own_export(repo: Jiracfg) -> None:
    report = verify(repo, expect=0)
    assert report["format_version"] == FORMAT_VERSION
    assert bad(report) == {}
    checks = {r["check"] for r in report["results"] if r["status"] == "pass"}
    assert checks == {
        "config_matches",
        "workflow_transitions",
        "dropdown_options",
        "apps_and_settings",
        "webhooks",
        "timekeeper_time_tracking",
    }
    journal = repo.repo / ".git" / "jiracfg" / "applies.jsonl"
    assert bad(report, "cannot") == {
        "issue_counts": ["issues: jiracfg.yaml has no data: section (no issues managed)"],
        "audit": [
            f"audit log: no apply of this commit to this site is recorded in {journal} (verify"
            " where the apply ran, or --journal)"
        ],
        "links": ["issues: jiracfg.yaml has no data: section (no issues managed)"],
        "timekeeper_approval_reminders": [
            "app_property/com.example.timekeeper approval reminders: the app schedules them on"
            " its own servers; no REST API of Jira or the app shows them"
        ],
    }


def test_strict_turns_a_cannot_into_exit_1(repo: Jiracfg, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(secret_variable(TIMEKEEPER["key"]))
    report = verify(repo, "--strict", expect=1)
    assert bad(report) == {}
    cannot = bad(report, "cannot")["apps_and_settings"]
    assert cannot == [
        "app_property/com.example.timekeeper: JIRACFG_APP_SECRET_COM_EXAMPLE_TIMEKEEPER is unset:"
        " the app's properties are unreadable"
    ]


def test_a_removed_option_fails_naming_the_context(repo: Jiracfg) -> None:
    client = client_of(repo)
    field = next(
        f
        for f in client.paged("/field/search", {"type": "custom"})
        if f["name"] == "Affected Services"
    )
    context = next(iter(client.paged(f"/field/{field['id']}/context")))
    options = client.paged(f"/field/{field['id']}/context/{context['id']}/option")
    api = next(o for o in options if o["value"] == "API")
    client.delete(f"/field/{field['id']}/context/{context['id']}/option/{api['id']}")
    failed = bad(verify(repo, expect=1))["dropdown_options"]
    assert failed[0] == (
        "field_context/Affected Services/All services: options: missing on the site ['API']"
    )
    menu = "options: missing on the site ['API'] (context 'All services')"
    assert f"custom_field/Affected Services in ENG / Bug: {menu}" in failed  # create metadata
    assert all(f.startswith("custom_field/Affected Services in ") for f in failed[1:])


def test_a_changed_transition_target_fails_naming_it(repo: Jiracfg) -> None:
    def retarget(spec: dict[str, Any]) -> None:
        block = next(t for t in spec["transitions"] if t["name"] == "Reopen")
        block["to"] = "In Progress"

    edit(repo, "workflows/software-development.yaml", retarget)
    failed = bad(verify(repo, "--ref", "HEAD", expect=1))
    assert failed["workflow_transitions"] == [
        "workflow/Software Development transition 'Reopen' (id 71):"
        " to: site 'In Progress', commit 'To Do'"
    ]
    assert "workflow/Software Development: the plan would update it" in failed["config_matches"]


def test_a_disabled_webhook_fails_naming_it(repo: Jiracfg) -> None:
    edit(repo, "webhooks/deploy-bot.yaml", lambda spec: spec.update(enabled=False))
    failed = bad(verify(repo, "--ref", "HEAD", expect=1))
    assert failed["webhooks"] == ["webhook/Deploy bot: enabled: site False, commit True"]


def test_a_changed_app_property_fails_naming_it(repo: Jiracfg) -> None:
    edit(
        repo,
        "apps/com-example-timekeeper.yaml",
        lambda spec: spec["properties"].update({"approval-enabled": False}),
    )
    failed = bad(verify(repo, "--ref", "HEAD", expect=1))
    assert failed["apps_and_settings"] == [
        "app_property/com.example.timekeeper: properties differ from the commit: approval-enabled"
    ]


def test_issues_missing_from_the_repo_fail_the_counts(repo: Jiracfg) -> None:
    """The sandbox does not serve issue export yet, so the repo's ENG holds no issue files while
    the demo site's ENG has issues: the count fails naming the project."""
    settings = repo.repo / "jiracfg.yaml"
    before = settings.read_text(encoding="utf-8") if settings.exists() else ""
    settings.write_text(before + "data:\n  projects: [ENG]\n", encoding="utf-8")
    commit(repo.repo, "manage ENG's issues")
    site = client_of(repo).post("/search/approximate-count", {"jql": "project = ENG"})["count"]
    assert site > 0
    failed = bad(verify(repo, expect=1))
    assert failed["issue_counts"] == [f"project/ENG: site {site} issues, repo 0"]


def test_markdown_fits_a_ticket(repo: Jiracfg) -> None:
    out = repo("verify", "--format", "markdown").output
    assert out.startswith("### jiracfg verify: ")
    assert "| ✅ | webhooks | `webhook/Deploy bot` |  |" in out


def test_verify_passes_on_a_site_rebuilt_from_the_commit(
    repo: Jiracfg, start_sandbox: StartSandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    diagrams = DEMO_APPS[1]
    monkeypatch.setenv(secret_variable(diagrams["key"]), diagrams["sharedSecret"])
    target = repo.with_server(start_sandbox("fresh"))
    target("apply", "--ref", "HEAD", "--auto-approve")
    report = verify(target, "--ref", "HEAD", expect=0)
    assert bad(report) == {}
    assert report["summary"]["pass"] > 5
    audit = next(r for r in report["results"] if r["check"] == "audit")
    assert audit["status"] == "pass", audit


def test_a_default_option_set_by_hand_fails_naming_the_context(repo: Jiracfg) -> None:
    client = client_of(repo)
    field = next(
        f for f in client.paged("/field/search", {"type": "custom"}) if f["name"] == "Severity"
    )
    base = f"/field/{field['id']}/context"
    context = next(c for c in client.paged(base) if c["name"] == "Bug severity")
    option = next(iter(client.paged(f"{base}/{context['id']}/option")))
    item = {"type": "option.single", "contextId": context["id"], "optionId": option["id"]}
    client.put(f"{base}/defaultValue", {"defaultValues": [item]})
    failed = bad(verify(repo, expect=1))["dropdown_options"]
    assert failed[0] == (
        f"field_context/Severity/Bug severity: default: site {option['value']!r}, commit None"
    )
    menu = f"default: site {option['value']!r}, commit None (context 'Bug severity')"
    assert f"custom_field/Severity in ENG / Bug: {menu}" in failed  # create metadata
