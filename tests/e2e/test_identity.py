"""What makes an object the same object across exports, rebuilds and sites, through the CLI:
user-written write-only fields survive export, transition ids are kept, renames are safe on every
site whatever it has applied."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import StartSandbox
from tests.e2e.conftest import Jiracfg, commit, git
from tests.e2e.test_edits import converge, count, edit, jira
from tests.e2e.test_refusals import refused

SECRET_VAR = "JIRACFG_WEBHOOK_SECRET_DEPLOY_BOT"
DEPLOY_BOT = "webhooks/deploy-bot.yaml"
FIELD_CONFIG = "field-configurations/engineering-field-configuration.yaml"


def transition_ids(run: Jiracfg, workflow: str) -> dict[str, str]:
    """Transition name -> id of one live workflow."""
    doc = next(w for w in run.server.store.all("workflow") if w["name"] == workflow)
    return {t["name"]: str(t["id"]) for t in doc["transitions"]}


def test_export_keeps_the_secret_reference_the_user_wrote(
    exported_demo: Jiracfg, start_sandbox: StartSandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = exported_demo.repo
    edit(repo, DEPLOY_BOT, lambda h: h.update(secret={"env": SECRET_VAR}))
    exported_demo("export")
    assert yaml.safe_load((repo / DEPLOY_BOT).read_text())["secret"] == {"env": SECRET_VAR}
    commit(repo, "sign the deploy bot")
    exported_demo("export")
    assert git(repo, "status", "--porcelain") == ""
    monkeypatch.setenv(SECRET_VAR, "rotated-secret")
    target = exported_demo.with_server(start_sandbox("fresh"))
    target("apply", "--ref", "HEAD", "--auto-approve")
    with jira(target) as http:
        http.post(
            "/issue",
            json={
                "fields": {"project": {"key": "ENG"}, "issuetype": {"name": "Bug"}, "summary": "x"}
            },
        ).raise_for_status()
        sent = http.get(target.server.url + "/rest/sandbox/1/webhook-deliveries").json()
    signed = [d for d in sent if d["url"].endswith("/deploy")]
    assert signed and all("X-Hub-Signature" in d["headers"] for d in signed)


def test_a_rebuild_keeps_every_transition_id(
    exported_demo: Jiracfg, start_sandbox: StartSandbox
) -> None:
    flow = yaml.safe_load((exported_demo.repo / "workflows/support-flow.yaml").read_text())
    assert {t["name"]: t["id"] for t in flow["transitions"]}["Resolve"] == "41"
    target = exported_demo.with_server(start_sandbox("fresh"))
    target("apply", "--ref", "HEAD", "--auto-approve")
    for name in ("Support Flow", "Software Development", "Content Flow"):
        assert transition_ids(target, name) == transition_ids(exported_demo, name), name


def test_changing_transition_targets_keeps_their_ids(exported_demo: Jiracfg) -> None:
    before = transition_ids(exported_demo, "Support Flow")

    def retarget(flow: dict[str, Any]) -> None:
        moves = {t["name"]: t for t in flow["transitions"]}
        moves["Take"]["to"] = "Waiting for Customer"
        moves["Ask customer"]["to"] = "Resolved"

    edit(exported_demo.repo, "workflows/support-flow.yaml", retarget)
    converge(exported_demo, ["update workflow/Support Flow"])
    assert transition_ids(exported_demo, "Support Flow") == before


def test_a_hand_written_transition_without_an_id_converges(exported_demo: Jiracfg) -> None:
    def add(flow: dict[str, Any]) -> None:
        flow["transitions"].append(
            {"name": "Escalate", "from": ["Triage"], "to": "Waiting for Customer"}
        )

    flow = exported_demo.repo / "workflows/support-flow.yaml"
    statuses = yaml.safe_load(flow.read_text())["statuses"]
    assert {"Triage", "Waiting for Customer"} <= set(statuses), statuses
    edit(exported_demo.repo, "workflows/support-flow.yaml", add)
    converge(exported_demo, ["update workflow/Support Flow"])
    given = transition_ids(exported_demo, "Support Flow")["Escalate"]
    exported_demo("export")
    exported = yaml.safe_load(flow.read_text())["transitions"]
    assert next(t for t in exported if t["name"] == "Escalate")["id"] == given
    assert exported_demo.plan_changes() == []


def test_duplicate_transition_ids_are_refused_before_any_write(exported_demo: Jiracfg) -> None:
    def clash(flow: dict[str, Any]) -> None:
        flow["transitions"][1]["id"] = flow["transitions"][2]["id"]
        flow["description"] = "changed"

    edit(exported_demo.repo, "workflows/support-flow.yaml", clash)
    output = refused(exported_demo)
    flow = exported_demo.repo / "workflows/support-flow.yaml"
    tid = yaml.safe_load(flow.read_text())["transitions"][1]["id"]
    lines = [n for n, text in enumerate(flow.read_text().splitlines(), 1) if tid in text]
    assert f"workflows/support-flow.yaml:{lines[-1]}: " in output, output  # the later one
    assert "transition id" in output


def rename_field(repo: Path) -> None:
    edit(
        repo,
        "custom-fields/release-notes.yaml",
        lambda f: f.update(name="Customer Release Notes", renamed_from="Release Notes"),
    )
    refer_to(repo, "Release Notes", "Customer Release Notes")


def refer_to(repo: Path, old: str, new: str) -> None:
    """The files that name the field follow its rename."""
    for rel in ("screens/engineering-screen.yaml", FIELD_CONFIG):
        path = repo / rel
        line = re.compile(rf"^(\s*(?:- )?){re.escape(old)}(:?)$", re.MULTILINE)
        path.write_text(line.sub(rf"\g<1>{new}\g<2>", path.read_text()))


def test_a_rename_is_safe_on_a_site_that_has_not_applied_it(
    exported_demo: Jiracfg, start_sandbox: StartSandbox
) -> None:
    other = exported_demo.with_server(start_sandbox("demo"))
    rename_field(exported_demo.repo)
    commit(exported_demo.repo, "rename Release Notes")
    exported_demo("apply", "--auto-approve")
    exported_demo("export")  # the line survives the next export of the renamed site
    field = yaml.safe_load(
        (exported_demo.repo / "custom-fields/customer-release-notes.yaml").read_text()
    )
    assert field["renamed_from"] == "Release Notes"
    commit(exported_demo.repo, "export after the rename")
    changes = other.plan_changes()
    assert "update custom_field/Customer Release Notes" in changes, changes
    assert not [c for c in changes if c.startswith(("create", "delete"))], changes
    other("apply", "--auto-approve")
    names = [f["name"] for f in other.server.store.all("field")]
    assert names.count("Customer Release Notes") == 1 and "Release Notes" not in names


def test_an_old_name_reused_before_the_rename_is_applied_is_refused(
    exported_demo: Jiracfg, start_sandbox: StartSandbox
) -> None:
    renamed = exported_demo.with_server(start_sandbox("demo"))
    rename_field(exported_demo.repo)
    renamed("apply", "--auto-approve")
    (exported_demo.repo / "custom-fields" / "release-notes-v2.yaml").write_text(
        "name: Release Notes\ntype: textarea\n", encoding="utf-8"
    )
    output = refused(exported_demo)
    assert "custom-fields/release-notes.yaml:" in output and "Release Notes" in output
    assert "create custom_field/Release Notes" in renamed.plan_changes()


def test_two_renames_reach_a_site_that_applied_neither(
    exported_demo: Jiracfg, start_sandbox: StartSandbox
) -> None:
    behind = exported_demo.with_server(start_sandbox("demo"))
    rename_field(exported_demo.repo)
    exported_demo("apply", "--auto-approve")
    edit(
        exported_demo.repo,
        "custom-fields/release-notes.yaml",
        lambda f: f.update(
            name="Notes for Customers", renamed_from=["Customer Release Notes", "Release Notes"]
        ),
    )
    refer_to(exported_demo.repo, "Customer Release Notes", "Notes for Customers")
    for site in (exported_demo, behind):
        changes = site.plan_changes()
        assert "update custom_field/Notes for Customers" in changes, changes
        assert not [c for c in changes if c.startswith(("create", "delete"))], changes
        site("apply", "--auto-approve")
        names = [f["name"] for f in site.server.store.all("field")]
        assert "Notes for Customers" in names and "Release Notes" not in names


def declare_option_moves(field: dict[str, Any]) -> None:
    """Major takes over Minor's issues; Sev 4 is renamed in place."""
    bugs, incidents = (
        next(c for c in field["contexts"] if c["name"] == name)
        for name in ("Bug severity", "Incident severity")
    )
    bugs["options"] = [{"value": "Critical"}, {"value": "Major", "replaces": ["Minor"]}]
    incidents["options"][-1] = {"value": "Sev 4 (low)", "renamed_from": "Sev 4"}


def test_option_declarations_survive_export_and_reach_a_site_behind(
    exported_demo: Jiracfg, start_sandbox: StartSandbox
) -> None:
    behind = exported_demo.with_server(start_sandbox("demo"))
    held = {v: count(behind, f'"Severity" = "{v}"') for v in ("Minor", "Major", "Sev 4")}
    assert held["Minor"] and held["Sev 4"], held
    edit(exported_demo.repo, "custom-fields/severity.yaml", declare_option_moves)
    exported_demo("apply", "--auto-approve")
    exported_demo("export")
    field = yaml.safe_load((exported_demo.repo / "custom-fields/severity.yaml").read_text())
    contexts = {c["name"]: c["options"] for c in field["contexts"] if "options" in c}
    assert contexts["Bug severity"][-1] == {"value": "Major", "replaces": ["Minor"]}
    assert contexts["Incident severity"][-1] == {"value": "Sev 4 (low)", "renamed_from": "Sev 4"}
    commit(exported_demo.repo, "export after the option moves")
    exported_demo("export")
    assert git(exported_demo.repo, "status", "--porcelain") == ""
    assert exported_demo.plan_changes() == []  # applied here: the declarations do nothing
    converge(behind, ["update field_context/Severity/Bug severity", UPDATE_INCIDENTS])
    assert count(behind, '"Severity" = "Major"') == held["Major"] + held["Minor"]
    assert count(behind, '"Severity" = "Sev 4 (low)"') == held["Sev 4"]


UPDATE_INCIDENTS = "update field_context/Severity/Incident severity"
