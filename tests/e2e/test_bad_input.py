"""Input Jira would refuse, found by ``validate``/``plan`` before the first write (issue 10):
each case exits 1 naming file:line, and the sandbox is left exactly as it was."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Any

import pytest
import yaml

from tests.e2e.conftest import Jiracfg
from tests.e2e.test_edits import edit, jira
from tests.e2e.test_refusals import refused

Setup = Callable[[Jiracfg], None]


def write(rel: str, text: str) -> Setup:
    def setup(run: Jiracfg) -> None:
        (run.repo / rel).parent.mkdir(parents=True, exist_ok=True)
        (run.repo / rel).write_text(text, encoding="utf-8")

    return setup


def changed(rel: str, change: Callable[[dict[str, Any]], object]) -> Setup:
    return lambda run: edit(run.repo, rel, change)


def sneak(flow: dict[str, Any]) -> None:
    flow["transitions"].append({"name": "Sneak", "from": ["To Do"], "to": "Published"})


def gold(field: dict[str, Any]) -> None:
    tiers = next(c for c in field["contexts"] if c["name"] == "Support tiers")
    tiers["options"].append({"value": "gold"})


CAFE = "name: {}\ncategory: IN_PROGRESS\n"


def cafe(run: Jiracfg, form: str) -> None:
    name = unicodedata.normalize(form, "Café")
    write(f"statuses/cafe-{form.lower()}.yaml", CAFE.format(name))(run)


def strand_waiting(flow: dict[str, Any]) -> None:
    ask = next(t for t in flow["transitions"] if t["name"] == "Ask customer")
    ask["to"] = "Triage"  # nothing leads to Waiting for Customer any more


BIG = "app: com.acme.timekeeper\nproperties:\n  notes: " + "x" * 32_800 + "\n"
WORKFLOW = "workflows/software-development.yaml"
VALIDATE_CASES: dict[str, tuple[Setup, list[str]]] = {
    "transition to an unlisted status": (
        changed(WORKFLOW, sneak),
        [f"{WORKFLOW}:", "'Sneak'", "'Published', which the workflow does not list"],
    ),
    "status without an inbound transition": (
        changed("workflows/support-flow.yaml", strand_waiting),
        [
            "workflows/support-flow.yaml:7:",
            "status 'Waiting for Customer' has no inbound transition",
            "add a transition to it",
        ],
    ),
    "app property over 32,768 characters": (
        write("apps/timekeeper.yaml", BIG),
        ["apps/timekeeper.yaml:3:", "32,802 characters"],
    ),
    "default issue type not in its scheme": (
        changed(
            "issue-type-schemes/support-issue-types.yaml",
            lambda s: s.update(default_issue_type="Story"),
        ),
        ["support-issue-types.yaml:", "default issue type 'Story' is not one of"],
    ),
    "options differing only by case": (
        changed("custom-fields/customer-tier.yaml", gold),
        ["custom-fields/customer-tier.yaml:", "two options 'gold'"],
    ),
    "two projects with one name": (
        changed("projects/mkt.yaml", lambda p: p.update(name="Engineering")),
        ["projects/mkt.yaml:", "the name 'Engineering' of project/ENG"],
    ),
    "JQL that does not parse": (
        changed(
            "webhooks/support-escalations.yaml", lambda w: w.update(jql="project = = SUP AND (")
        ),
        ["webhooks/support-escalations.yaml:", "the JQL does not parse"],
    ),
    "two components with one name": (
        changed("projects/eng.yaml", lambda p: p["components"].append({"name": "API"})),
        ["projects/eng.yaml:", "two components named 'API'"],
    ),
    "names differing only by normalization": (
        lambda run: [cafe(run, form) for form in ("NFC", "NFD")],
        ["statuses/cafe-nfd.yaml:1", "is also defined at statuses/cafe-nfc.yaml"],
    ),
    "a YAML file in a kind's subfolder": (
        write("statuses/old/archived.yaml", CAFE.format("Archived")),
        ["statuses/old/archived.yaml", "would be ignored"],
    ),
    "a YAML file at the root": (
        write("triage.yaml", CAFE.format("Triage")),
        ["triage.yaml", "would be ignored"],
    ),
}


@pytest.mark.parametrize("case", sorted(VALIDATE_CASES))
def test_validate_and_plan_refuse_before_any_write(exported_demo: Jiracfg, case: str) -> None:
    setup, expected = VALIDATE_CASES[case]
    setup(exported_demo)
    validate = exported_demo("validate", expect=1).output
    output = refused(exported_demo)
    missing = [text for text in expected if text not in validate or text not in output]
    assert not missing, validate


def test_one_pass_reports_every_problem(exported_demo: Jiracfg) -> None:
    for case in (
        "transition to an unlisted status",
        "two projects with one name",
        "JQL that does not parse",
    ):
        VALIDATE_CASES[case][0](exported_demo)
    output = refused(exported_demo)
    assert "3 error(s)" in output and "Published" in output and "Engineering" in output


def bug_becomes_a_subtask(run: Jiracfg) -> None:
    edit(run.repo, "issue-types/bug.yaml", lambda t: t.update(level="subtask"))


def unset_secret(run: Jiracfg) -> None:
    write("statuses/on-hold.yaml", CAFE.format("On Hold"))(run)
    secret = {"env": "JIRACFG_TEST_UNSET_SECRET"}
    edit(
        run.repo, "webhooks/deploy-bot.yaml", lambda w: w.update(url=w["url"] + "2", secret=secret)
    )


def unknown_mapping(run: Jiracfg) -> None:
    write("statuses/on-hold.yaml", CAFE.format("On Hold"))(run)
    mapping = "status_mappings:\n  - {project: ENG, from: Blocked, to: Nowhere}\n"
    write("jiracfg.yaml", mapping)(run)


def name_of_an_unmanaged_project(run: Jiracfg) -> None:
    write("statuses/on-hold.yaml", CAFE.format("On Hold"))(run)
    (run.repo / "projects" / "ops.yaml").unlink()
    edit(run.repo, "projects/mkt.yaml", lambda p: p.update(name="operations"))


def drop_blocked(flow: dict[str, Any]) -> None:
    flow["statuses"].remove("Blocked")
    flow["transitions"] = [
        t for t in flow["transitions"] if "Blocked" not in [*t.get("from", []), t["to"]]
    ]


def mapping_outside_the_workflow(run: Jiracfg) -> None:
    edit(run.repo, WORKFLOW, drop_blocked)
    mapping = "status_mappings:\n  - {project: ENG, from: Blocked, to: Published}\n"
    write("jiracfg.yaml", mapping)(run)


def rename_without_its_references(run: Jiracfg) -> None:
    """Status In Review is renamed; the workflows still name it In Review."""
    (run.repo / "statuses" / "in-review.yaml").unlink()
    write("statuses/code-review.yaml", CAFE.format("Code Review") + "renamed_from: In Review\n")(
        run
    )


PLAN_CASES: dict[str, tuple[Setup, list[str]]] = {
    "a reference to the old name of a renamed status": (
        rename_without_its_references,
        [
            f"{WORKFLOW}:",
            "refers to status/In Review, which this plan renames to 'Code Review'",
            "name it 'Code Review'",
        ],
    ),
    "webhook secret variable unset": (
        unset_secret,
        ["webhooks/deploy-bot.yaml:", "JIRACFG_TEST_UNSET_SECRET holding its secret is not set"],
    ),
    "a name a live project keeps": (
        name_of_an_unmanaged_project,
        ["project/MKT would take the name 'operations', which project/OPS has on the site"],
    ),
    "status mapping outside the new workflow": (
        mapping_outside_the_workflow,
        ["status_mappings[0] moves 'Blocked' issues of project ENG to 'Published'"],
    ),
    "status mapping to a status that does not exist": (
        unknown_mapping,
        ["jiracfg.yaml: status_mappings[0].to names status 'Nowhere'"],
    ),
    "level of a type in use": (
        bug_becomes_a_subtask,
        [
            "issue-types/bug.yaml:",
            "issue_type/Bug would be deleted and created again",
            "issue(s) use it",
        ],
    ),
}


@pytest.mark.parametrize("case", sorted(PLAN_CASES))
def test_plan_refuses_before_any_write(exported_demo: Jiracfg, case: str) -> None:
    setup, expected = PLAN_CASES[case]
    setup(exported_demo)
    output = refused(exported_demo)
    missing = [text for text in expected if text not in output]
    assert not missing, output


def test_a_field_with_a_255_character_name_exports_a_valid_repo(exported_demo: Jiracfg) -> None:
    """Jira names its default context after the field, past the 255 characters others may have."""
    name = "Long " + "n" * 250
    body = {
        "name": name,
        "type": "com.atlassian.jira.plugin.system.customfieldtypes:textfield",
        "searcherKey": "com.atlassian.jira.plugin.system.customfieldtypes:textsearcher",
    }
    with jira(exported_demo) as http:
        http.post("/field", json=body).raise_for_status()
    exported_demo("export")
    files = (exported_demo.repo / "custom-fields").iterdir()
    fields = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in files]
    [field] = [f for f in fields if f["name"] == name]
    assert field["contexts"][0]["name"] == f"Default Configuration Scheme for {name}"
    exported_demo("validate")
    assert exported_demo.plan_changes() == []


def test_a_long_context_name_of_ones_own_is_refused(exported_demo: Jiracfg) -> None:
    def rename(field: dict[str, Any]) -> None:
        field["contexts"][-1]["name"] = "c" * 256

    edit(exported_demo.repo, "custom-fields/customer-tier.yaml", rename)
    output = exported_demo("validate", expect=1).output
    assert "custom-fields/customer-tier.yaml:" in output and "at most 255 characters" in output


def test_a_rotated_secret_is_sent_with_rotate_secrets(
    exported_demo: Jiracfg, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JIRACFG_WEBHOOK_SECRET_DEPLOY_BOT", "first-secret")
    secret = {"env": "JIRACFG_WEBHOOK_SECRET_DEPLOY_BOT"}
    edit(exported_demo.repo, "webhooks/deploy-bot.yaml", lambda w: w.update(secret=secret))
    assert exported_demo.plan_changes() == []  # Jira never shows a secret: nothing to compare
    assert exported_demo.plan_changes("--rotate-secrets") == ["update webhook/Deploy bot"]
    exported_demo("apply", "--auto-approve", "--rotate-secrets")
    monkeypatch.setenv("JIRACFG_WEBHOOK_SECRET_DEPLOY_BOT", "second-secret")
    exported_demo("apply", "--auto-approve", "--rotate-secrets")
    [hook] = [h for h in exported_demo.server.store.all("webhook") if h["name"] == "Deploy bot"]
    assert hook["secret"] == "second-secret"
    assert (
        "first-secret" not in exported_demo("plan", "--rotate-secrets", "--format", "json").output
    )
