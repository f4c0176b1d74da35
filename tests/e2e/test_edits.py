"""Pull-request edits through the CLI against a live demo sandbox: each plan shows exactly the
intended change, apply makes it so, and the next plan is empty."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from jiracfg.sandbox.server import EMAIL, TOKEN
from tests.e2e.conftest import Jiracfg

Edit = Callable[[dict[str, Any]], None]


def edit(repo: Path, rel: str, change: Edit) -> None:
    path = repo / rel
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def converge(run: Jiracfg, expected: list[str], *flags: str) -> None:
    """The plan is exactly ``expected``; apply; the plan is then empty."""
    assert run.plan_changes(*flags) == expected
    run("apply", "--auto-approve", *flags)
    assert run.plan_changes(*flags) == []


def jira(run: Jiracfg) -> httpx.Client:
    return httpx.Client(base_url=run.server.url + "/rest/api/3", auth=(EMAIL, TOKEN))


def count(run: Jiracfg, jql: str) -> int:
    with jira(run) as http:
        return int(http.post("/search/approximate-count", json={"jql": jql}).json()["count"])


def test_add_a_status_to_a_workflow_in_use(exported_demo: Jiracfg) -> None:
    repo = exported_demo.repo
    (repo / "statuses" / "security-review.yaml").write_text(
        "name: Security Review\ncategory: IN_PROGRESS\n", encoding="utf-8"
    )

    def wire(flow: dict[str, Any]) -> None:
        flow["statuses"].append("Security Review")
        flow["transitions"] += [
            {"name": "Security check", "from": ["In Review"], "to": "Security Review"},
            {"name": "Security approved", "from": ["Security Review"], "to": "Done"},
        ]

    edit(repo, "workflows/software-development.yaml", wire)
    converge(
        exported_demo, ["create status/Security Review", "update workflow/Software Development"]
    )
    with jira(exported_demo) as http:
        key = http.post(
            "/search/jql", json={"jql": 'project = ENG AND status = "In Review"', "fields": ["key"]}
        ).json()
        moves = http.get(f"/issue/{key['issues'][0]['key']}/transitions").json()["transitions"]
    assert "Security check" in {t["name"] for t in moves}


def test_add_and_disable_options(exported_demo: Jiracfg) -> None:
    def options(field: dict[str, Any]) -> None:
        context = next(c for c in field["contexts"] if c["name"] == "Engineering teams")
        context["options"].append({"value": "Security"})
        next(o for o in context["options"] if o["value"] == "Data")["disabled"] = True

    edit(exported_demo.repo, "custom-fields/team-select.yaml", options)
    converge(exported_demo, ["update field_context/Team [select]/Engineering teams"])
    store = exported_demo.server.store
    values = {o["value"]: o.get("disabled", False) for o in store.all("field_option")}
    assert values["Security"] is False and values["Data"] is True


MAPPINGS = {
    "To Do": "Triage",
    "In Review": "In Progress",
    "Blocked": "Waiting for Customer",
    "Done": "Resolved",
}


def test_moving_a_project_with_issues_to_another_workflow_scheme_needs_a_mapping(
    exported_demo: Jiracfg,
) -> None:
    before = {s: count(exported_demo, f'project = ENG AND status = "{s}"') for s in MAPPINGS}
    assert all(before.values()), before
    edit(
        exported_demo.repo,
        "projects/eng.yaml",
        lambda p: p["schemes"].update(workflow="Support Workflow Scheme"),
    )
    refused = exported_demo("plan", expect=1)
    assert "stranded_statuses_need_mapping" in refused.output or "status_mappings" in refused.output
    assert exported_demo("apply", "--auto-approve", expect=1).code == 1
    assert count(exported_demo, 'project = ENG AND status = "To Do"') == before["To Do"]

    (exported_demo.repo / "jiracfg.yaml").write_text(
        yaml.safe_dump(
            {
                "status_mappings": [
                    {"project": "ENG", "from": old, "to": new} for old, new in MAPPINGS.items()
                ]
            }
        )
    )
    converge(exported_demo, ["update project/ENG"])
    for old, new in MAPPINGS.items():
        assert count(exported_demo, f'project = ENG AND status = "{old}"') == 0
        assert count(exported_demo, f'project = ENG AND status = "{new}"') >= before[old]


def test_rename_a_custom_field_in_place(exported_demo: Jiracfg) -> None:
    def rename(field: dict[str, Any]) -> None:
        field.update(name="Estimate", renamed_from="Story Points")

    edit(exported_demo.repo, "custom-fields/story-points.yaml", rename)
    repo = exported_demo.repo  # references follow: the screen, and JQL that names the field
    for path in [repo / "screens" / "engineering-screen.yaml", *repo.glob("filters/*.yaml")]:
        path.write_text(path.read_text().replace("Story Points", "Estimate"))
    changes = exported_demo.plan_changes()
    assert "update custom_field/Estimate" in changes
    assert not [c for c in changes if c.startswith(("create", "delete", "replace"))], changes
    exported_demo("apply", "--auto-approve")
    names = [f["name"] for f in exported_demo.server.store.all("field")]
    assert "Estimate" in names and "Story Points" not in names
    edit(exported_demo.repo, "custom-fields/story-points.yaml", lambda f: f.pop("renamed_from"))
    assert exported_demo.plan_changes() == []


def test_remove_a_scheme_only_with_prune(exported_demo: Jiracfg) -> None:
    with jira(exported_demo) as http:
        http.post(
            "/issuetypescheme", json={"name": "Legacy Types", "issueTypeIds": ["10002"]}
        ).raise_for_status()
    exported_demo("export")
    (exported_demo.repo / "issue-type-schemes" / "legacy-types.yaml").unlink()
    assert exported_demo.plan_changes() == []
    unmanaged = exported_demo("plan")
    assert (
        "issue_type_scheme/Legacy Types" in unmanaged.output
        or "not in the config" in unmanaged.output
    )
    converge(exported_demo, ["delete issue_type_scheme/Legacy Types"], "--prune")
    assert "Legacy Types" not in {
        d["name"] for d in exported_demo.server.store.all("issue_type_scheme")
    }


def test_change_a_permission_grant(exported_demo: Jiracfg) -> None:
    def grant(scheme: dict[str, Any]) -> None:
        scheme["grants"]["BROWSE_PROJECTS"] = ["role:Administrators"]

    edit(exported_demo.repo, "permission-schemes/engineering-permissions.yaml", grant)
    converge(exported_demo, ["update permission_scheme/Engineering Permissions"])


def test_a_saved_plan_is_refused_once_the_site_changed(
    exported_demo: Jiracfg, tmp_path: Path
) -> None:
    (exported_demo.repo / "statuses" / "on-hold.yaml").write_text(
        "name: On Hold\ncategory: IN_PROGRESS\n", encoding="utf-8"
    )
    plan = tmp_path / "plan.json"
    exported_demo("plan", "--out", str(plan))
    with jira(exported_demo) as http:
        http.put(
            "/issueLinkType/10000",
            json={"name": "Blocks", "inward": "is held up by", "outward": "blocks"},
        ).raise_for_status()
    refused = exported_demo("apply", str(plan), expect=1)
    assert "changed since the plan" in refused.output and "issue_link_type/Blocks" in refused.output
    assert "On Hold" not in {d["name"] for d in exported_demo.server.store.all("status")}
    exported_demo("plan", "--out", str(plan))
    exported_demo("apply", str(plan))
    assert "On Hold" in {d["name"] for d in exported_demo.server.store.all("status")}


@pytest.mark.parametrize("protected", ["issue_type_scheme/Legacy*"])
def test_protected_objects_are_never_deleted(exported_demo: Jiracfg, protected: str) -> None:
    with jira(exported_demo) as http:
        http.post(
            "/issuetypescheme", json={"name": "Legacy Types", "issueTypeIds": ["10002"]}
        ).raise_for_status()
    (exported_demo.repo / "jiracfg.yaml").write_text(f"protected: ['{protected}']\n")
    result = exported_demo("plan", "--prune", expect=1)
    assert "Legacy Types" in result.output
    assert "Legacy Types" in {
        d["name"] for d in exported_demo.server.store.all("issue_type_scheme")
    }


def test_target_limits_the_plan_and_markdown_renders_it(exported_demo: Jiracfg) -> None:
    (exported_demo.repo / "statuses" / "on-hold.yaml").write_text(
        "name: On Hold\ncategory: IN_PROGRESS\n", encoding="utf-8"
    )
    edit(exported_demo.repo, "priorities/blocker.yaml", lambda p: p.update(description="Stop"))
    assert exported_demo.plan_changes() == ["create status/On Hold", "update priority/Blocker"]
    assert exported_demo.plan_changes("--target", "status/*") == ["create status/On Hold"]
    markdown = exported_demo("plan", "--format", "markdown", "--target", "priority/*").output
    assert "priority/Blocker" in markdown and "On Hold" not in markdown
    assert markdown.startswith("### jiracfg plan") and "| `~` | update | `priority/Blocker` |" in (
        markdown
    )
