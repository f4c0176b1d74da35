"""Changes that a clean plan used to let through to a failing (or data-losing) apply (issue 9):
objects still used by workflows, schemes or issues, renamed statuses, a custom field's type, option
renames and a custom field's contexts. Each goes through the CLI against a live demo sandbox."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.e2e.conftest import Jiracfg
from tests.e2e.test_edits import converge, count, edit, jira
from tests.e2e.test_refusals import refused


def settings(run: Jiracfg, data: dict[str, Any]) -> None:
    (run.repo / "jiracfg.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")


def names(run: Jiracfg, coll: str) -> set[str]:
    return {str(d["name"]) for d in run.server.store.all(coll)}


# -- 1: screens used by workflows or screen schemes --------------------------------------------
def test_a_screen_of_the_builtin_workflow_is_not_deleted(exported_demo: Jiracfg) -> None:
    (exported_demo.repo / "screens" / "resolve-issue-screen.yaml").unlink()
    output = refused(exported_demo, "--prune")
    assert "screen/Resolve Issue Screen" in output
    assert "workflow 'jira'" in output and "'Resolve Issue'" in output
    assert "Resolve Issue Screen" in names(exported_demo, "screen")


def test_a_screen_of_an_unmanaged_screen_scheme_is_not_deleted(exported_demo: Jiracfg) -> None:
    with jira(exported_demo) as http:
        screen = http.post("/screens", json={"name": "Triage Screen"}).json()["id"]
        http.post(
            "/screenscheme", json={"name": "Triage Scheme", "screens": {"default": screen}}
        ).raise_for_status()
    exported_demo("export")
    (exported_demo.repo / "screens" / "triage-screen.yaml").unlink()
    (exported_demo.repo / "screen-schemes" / "triage-scheme.yaml").unlink()
    output = exported_demo("plan", "--prune", "--target", "screen/*", expect=1).output
    assert "screen/Triage Screen is used by screen scheme 'Triage Scheme'" in output, output
    assert "hint:" in output


# -- 2: an issue type taken out of a scheme whose projects hold issues of it --------------------
def test_removing_a_used_issue_type_from_a_scheme_is_counted(exported_demo: Jiracfg) -> None:
    bugs = count(exported_demo, "project in (ENG, OPS) AND issuetype = Bug")
    assert bugs
    edit(
        exported_demo.repo,
        "issue-type-schemes/engineering-issue-types.yaml",
        lambda s: s["issue_types"].remove("Bug"),
    )
    output = refused(exported_demo)
    assert "issue-type-schemes/engineering-issue-types.yaml:" in output
    eng = count(exported_demo, "project = ENG AND issuetype = Bug")
    assert f"{eng} Bug issue(s) in project ENG" in output, output
    assert "another issue type" in output


# -- 3: a status renamed in place ---------------------------------------------------------------
def test_a_renamed_status_keeps_its_issues(exported_demo: Jiracfg) -> None:
    before = count(exported_demo, 'status = "In Review"')
    assert before
    rename_in_review(exported_demo.repo)
    mapping = {"project": "ENG", "from": "In Review", "to": "In Progress"}  # not needed, harmless
    settings(exported_demo, {"status_mappings": [mapping]})
    expected = [
        "update status/Code Review",
        "update workflow/Content Flow",
        "update workflow/Software Development",
    ]
    assert exported_demo.plan_changes() == expected
    exported_demo("apply", "--auto-approve")
    assert exported_demo.plan_changes() == []  # the mapping by the old name is only a warning now
    assert count(exported_demo, 'status = "Code Review"') == before
    assert "In Review" not in names(exported_demo, "status")


def rename_in_review(repo: Path) -> None:
    """Status In Review becomes Code Review, and the workflows and the boards' columns (which
    follow the status on the site) name it so."""
    (repo / "statuses" / "in-review.yaml").unlink()
    (repo / "statuses" / "code-review.yaml").write_text(
        "name: Code Review\nrenamed_from: In Review\ncategory: IN_PROGRESS\n", encoding="utf-8"
    )
    flows = [repo / "workflows" / f"{f}.yaml" for f in ("software-development", "content-flow")]
    for path in [*flows, *repo.glob("boards/*.yaml")]:
        path.write_text(path.read_text().replace("In Review", "Code Review"))


SUPPORT = {"To Do": "Triage", "Blocked": "Waiting for Customer", "Done": "Resolved"}


def to_support_flow(run: Jiracfg, switch: str) -> list[str]:
    """ENG (``project``: moved to the support scheme), or ENG and OPS (``scheme``: their scheme's
    workflow becomes Support Flow), leave the workflow holding Code Review; their projects."""
    if switch == "project":
        scheme = {"workflow": "Support Workflow Scheme"}
        edit(run.repo, "projects/eng.yaml", lambda p: p["schemes"].update(scheme))
        return ["ENG"]
    flow = {"default_workflow": "Support Flow"}
    edit(run.repo, "workflow-schemes/engineering-workflow-scheme.yaml", lambda w: w.update(flow))
    return ["ENG", "OPS"]


@pytest.mark.parametrize("named", ["In Review", "Code Review"])
@pytest.mark.parametrize("switch", ["project", "scheme"])
def test_a_status_renamed_while_its_issues_change_workflow(
    exported_demo: Jiracfg, switch: str, named: str
) -> None:
    """The mappings of a workflow switch may name a status renamed in the same apply by its old
    or its new name."""
    in_review = count(exported_demo, 'project = ENG AND status = "In Review"')
    assert in_review
    rename_in_review(exported_demo.repo)
    projects = to_support_flow(exported_demo, switch)
    moves = [*SUPPORT.items(), (named, "In Progress")]
    mappings = [{"project": p, "from": a, "to": b} for p in projects for a, b in moves]
    settings(exported_demo, {"status_mappings": mappings})
    exported_demo("apply", "--auto-approve")
    assert exported_demo.plan_changes() == []
    stale = "which this site has renamed to 'Code Review' (renamed_from)"
    assert (stale in exported_demo("plan").output) == (named == "In Review")
    assert count(exported_demo, 'project = ENG AND status = "Code Review"') == 0
    assert count(exported_demo, 'project = ENG AND status = "In Progress"') >= in_review
    assert "In Review" not in names(exported_demo, "status")


# -- seed: the demo statuses keep their categories ----------------------------------------------
def test_demo_statuses_have_their_categories(exported_demo: Jiracfg) -> None:
    categories = {
        yaml.safe_load(p.read_text())["name"]: yaml.safe_load(p.read_text())["category"]
        for p in (exported_demo.repo / "statuses").glob("*.yaml")
    }
    assert categories["Done"] == "DONE" and categories["Resolved"] == "DONE"
    assert categories["Closed"] == "DONE" and categories["Published"] == "DONE"
    assert categories["In Progress"] == "IN_PROGRESS" and categories["To Do"] == "TODO"


# -- 5 and 9: a custom field's type, its deletion, its implicit global context -------------------
CAMPAIGN = "cf[{}] IS NOT EMPTY"


def campaign_in_use(run: Jiracfg) -> str:
    """MKT-1 holds a Campaign value; the JQL that counts the issues holding one."""
    field = next(f["id"] for f in run.server.store.all("field") if f["name"] == "Campaign")
    with jira(run) as http:
        body = {"fields": {field: "Spring launch"}}
        http.put("/issue/MKT-1", json=body).raise_for_status()
    return CAMPAIGN.format(field.rsplit("_", 1)[-1])


def test_changing_a_fields_type_needs_an_explicit_yes(exported_demo: Jiracfg) -> None:
    jql = campaign_in_use(exported_demo)
    held = count(exported_demo, jql)
    edit(exported_demo.repo, "custom-fields/campaign.yaml", lambda f: f.update(type="textarea"))
    output = refused(exported_demo)
    assert "custom-fields/campaign.yaml:" in output and f"{held} issue(s)" in output, output
    assert "allow_data_loss: [custom_field/Campaign]" in output
    settings(exported_demo, {"allow_data_loss": ["custom_field/Campaign"]})
    plan = exported_demo("plan", expect=0).output
    assert "warning:" in plan and f"{held} issue(s)" in plan
    changes = exported_demo.plan_changes()
    assert changes[0] == "replace custom_field/Campaign"
    assert set(changes[1:]) == {
        "create field_context/Campaign/Default Configuration Scheme for Campaign",
        "create field_context/Campaign/Marketing campaigns",
        "update screen/Content Screen",
    }, changes
    exported_demo("apply", "--auto-approve")
    assert exported_demo.plan_changes() == []  # contexts and screen placement are back
    field = next(f for f in exported_demo.server.store.all("field") if f["name"] == "Campaign")
    assert field["schema"]["custom"].endswith(":textarea")
    assert jql != CAMPAIGN.format(field["schema"]["customId"])  # a new field, without values
    assert count(exported_demo, CAMPAIGN.format(field["schema"]["customId"])) == 0


def test_deleting_a_custom_field_is_counted_and_needs_a_yes(exported_demo: Jiracfg) -> None:
    held = count(exported_demo, campaign_in_use(exported_demo))
    (exported_demo.repo / "custom-fields" / "campaign.yaml").unlink()
    edit(
        exported_demo.repo,
        "screens/content-screen.yaml",
        lambda s: [t["fields"].remove("Campaign") for t in s["tabs"] if "Campaign" in t["fields"]],
    )
    output = refused(exported_demo, "--prune")
    assert "custom_field/Campaign" in output and f"{held} issue(s)" in output, output
    assert "protected" not in output
    settings(exported_demo, {"allow_data_loss": ["custom_field/Campaign"]})
    converge(
        exported_demo, ["update screen/Content Screen", "delete custom_field/Campaign"], "--prune"
    )
    assert "Campaign" not in names(exported_demo, "field")


def test_a_new_fields_global_context_is_in_the_plan(exported_demo: Jiracfg) -> None:
    (exported_demo.repo / "custom-fields" / "sprint-goal.yaml").write_text(
        "name: Sprint Goal\ntype: textfield\ncontexts:\n  - name: Engineering goals\n"
        "    projects: [ENG]\n",
        encoding="utf-8",
    )
    plan = exported_demo("plan", expect=0).output
    implied = "Default Configuration Scheme for Sprint Goal"
    assert "warning: [new_fields_get_a_global_context]" in plan and implied in plan, plan
    exported_demo("apply", "--auto-approve")
    exported_demo("export")
    written = yaml.safe_load(
        (exported_demo.repo / "custom-fields" / "sprint-goal.yaml").read_text()
    )
    assert sorted(c["name"] for c in written["contexts"]) == [implied, "Engineering goals"]
    assert exported_demo.plan_changes() == []
