"""Workflow rules naming groups and select options by id, end to end through the CLI: export writes
names (an option by value with its context, a deleted group as ``(deleted group)``), a rebuild into
a fresh site writes that site's ids with an empty next plan, and what can't be written is refused
at file:line with no write. A workflow in a reference cycle through its option's context (limited
to a project that uses the workflow) is rebuilt in one apply, in two steps."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from jiracfg.demo import tree_differences
from jiracfg.sandbox.seed.demo import plugin_key, project_body
from jiracfg.sandbox.server import SandboxServer
from tests.conftest import StartSandbox
from tests.e2e.conftest import Jiracfg, apply_under_faults, export_and_commit, init_repo
from tests.e2e.test_agile import API, agile, post

TRIAGE, LEGACY = "workflows/severity-triage.yaml", "workflows/legacy-approvals.yaml"
ID = re.compile(r"\b\d{3,}\b|customfield_\d+|[0-9a-f]{8}-[0-9a-f]{4}-")


def ids(api: httpx.Client, path: str, **params: Any) -> dict[str, str]:
    found = api.get(f"{API}{path}", params=params).json()
    rows = found["values"] if isinstance(found, dict) else found
    return {str(r["name"]): str(r.get("id") or r.get("groupId")) for r in rows}


def options(api: httpx.Client, context: str) -> dict[str, str]:
    """Option value -> id in the Severity context named ``context``."""
    field = ids(api, "/field")["Severity"]
    found = ids(api, f"/field/{field}/context")[context]
    path = f"{API}/field/{field}/context/{found}/option"
    return {o["value"]: str(o["id"]) for o in api.get(path).json()["values"]}


def workflow(name: str, api: httpx.Client, rules: dict[str, Any]) -> None:
    """A workflow To Do -> Done whose Close transition carries ``rules`` (Jira's wire form)."""
    statuses = api.get(f"{API}/statuses/search", params={"maxResults": 200}).json()["values"]
    found = {s["name"]: s for s in statuses}
    refs = [
        {**{k: found[s][k] for k in ("id", "name", "statusCategory")}, "statusReference": s}
        for s in ("To Do", "Done")
    ]
    moves = [
        {"id": "1", "name": "Create", "type": "INITIAL", "toStatusReference": "To Do", "links": []},
        {
            "id": "11",
            "name": "Close",
            "type": "DIRECTED",
            "toStatusReference": "Done",
            "links": [{"fromStatusReference": "To Do"}],
            **rules,
        },
    ]
    places = [{"statusReference": s, "properties": {}} for s in ("To Do", "Done")]
    body = {"name": name, "description": "rules by id", "transitions": moves, "statuses": places}
    post(
        api,
        f"{API}/workflows/create",
        {"scope": {"type": "GLOBAL"}, "statuses": refs, "workflows": [body]},
    )


def restrict(groups: list[str]) -> dict[str, Any]:
    rule = {
        "ruleKey": "system:restrict-issue-transition",
        "parameters": {"groupIds": ",".join(groups)},
    }
    return {"conditions": {"operation": "ALL", "conditions": [rule], "conditionGroups": []}}


def add_rules(server: SandboxServer) -> None:
    """Severity triage sets an option of Bug severity and lets two live groups through; Legacy
    approvals lets through a group deleted since."""
    with agile(server) as api:
        groups = ids(api, "/group/bulk")
        gone = post(api, f"{API}/group", {"name": "release-managers"})["groupId"]
        update = {
            "ruleKey": "system:update-field",
            "parameters": {
                "field": ids(api, "/field")["Severity"],
                "value": options(api, "Bug severity")["Major"],
            },
        }
        triage = {**restrict([groups["jira-users"], groups["site-admins"]]), "actions": [update]}
        workflow("Severity triage", api, triage)
        workflow("Legacy approvals", api, restrict([groups["jira-users"], gone]))
        assert api.delete(f"{API}/group", params={"groupId": gone}).status_code == 200


def burn_option_ids(server: SandboxServer) -> None:
    """Options made and deleted on the target, so its option ids are not the source's."""
    with agile(server) as api:
        field = post(
            api,
            f"{API}/field",
            {
                "name": "Burner",
                "type": plugin_key("select"),
                "searcherKey": plugin_key("multiselectsearcher"),
            },
        )
        context = api.get(f"{API}/field/{field['id']}/context").json()["values"][0]["id"]
        path = f"{API}/field/{field['id']}/context/{context}/option"
        made = post(api, path, {"options": [{"value": f"burnt {n}"} for n in range(20)]})
        for option in made["options"]:
            assert api.delete(f"{path}/{option['id']}").status_code == 204


@pytest.fixture
def exported(start_sandbox: StartSandbox, tmp_path: Path) -> Jiracfg:
    server = start_sandbox("demo")
    add_rules(server)
    init_repo(tmp_path / "acme-jira")
    run = Jiracfg(server, tmp_path / "acme-jira")
    export_and_commit(run)
    return run


def close_of(repo: Path, file: str) -> dict[str, Any]:
    spec = yaml.safe_load((repo / file).read_text())
    return next(t for t in spec["transitions"] if t["name"] == "Close")


def test_rules_are_exported_by_name_and_rebuilt_with_the_new_sites_ids(
    exported: Jiracfg, start_sandbox: StartSandbox
) -> None:
    close = close_of(exported.repo, TRIAGE)
    assert close["actions"] == [
        {
            "rule": "system:update-field",
            "parameters": {"field": "Severity", "value": "Major", "option_context": "Bug severity"},
        }
    ]
    assert close["conditions"]["rules"][0]["parameters"] == {
        "groupIds": ["jira-users", "site-admins"]
    }
    assert not ID.search((exported.repo / TRIAGE).read_text())
    exported("validate")
    assert exported.plan_changes() == []
    (exported.repo / LEGACY).unlink()  # its deleted group can't be rebuilt (see below)
    target = exported.with_server(start_sandbox("fresh"))
    burn_option_ids(target.server)
    target("apply", "--auto-approve")
    wired = raw_close(target.server, "Severity triage")
    with agile(target.server) as api:
        new = options(api, "Bug severity")["Major"], ids(api, "/field")["Severity"]
        assert wired["actions"][0]["parameters"] == {"field": new[1], "value": new[0]}
    with agile(exported.server) as api:
        assert options(api, "Bug severity")["Major"] != new[0]  # mapped, not copied
    assert target.plan_changes("--detailed-exitcode") == []


def raw_close(server: SandboxServer, name: str) -> dict[str, Any]:
    with agile(server) as api:
        found = post(api, f"{API}/workflows", {"workflowNames": [name]})["workflows"][0]
    return next(t for t in found["transitions"] if t["name"] == "Close")


def test_a_deleted_group_is_exported_as_such_and_refused_where_the_site_lacks_it(
    exported: Jiracfg, start_sandbox: StartSandbox
) -> None:
    close = close_of(exported.repo, LEGACY)
    assert close["conditions"]["rules"][0]["parameters"] == {
        "groupIds": ["jira-users", "(deleted group)"]
    }
    assert not ID.search((exported.repo / LEGACY).read_text())
    exported("validate")
    assert exported.plan_changes("--detailed-exitcode") == []  # the site keeps it as it is
    target = exported.with_server(start_sandbox("fresh"))
    before = ids_of_workflows(target.server)
    refused = target("apply", "--auto-approve", expect=1)
    text = (exported.repo / LEGACY).read_text().splitlines()
    line = 1 + next(n for n, row in enumerate(text) if "(deleted group)" in row)
    assert f"{LEGACY}:{line}" in refused.output and "deleted group" in refused.output, (
        refused.output
    )
    assert ids_of_workflows(target.server) == before  # zero writes


def test_a_deleted_group_stays_on_its_site_through_other_edits(exported: Jiracfg) -> None:
    path = exported.repo / LEGACY
    before = rule_parameters(exported.server)
    spec = yaml.safe_load(path.read_text())
    path.write_text(yaml.safe_dump({**spec, "description": "edited"}, sort_keys=False))
    exported("apply", "--auto-approve")
    assert rule_parameters(exported.server) == before  # the deleted group's id is kept
    assert exported.plan_changes("--detailed-exitcode") == []
    close = next(t for t in spec["transitions"] if t["name"] == "Close")
    close["conditions"]["rules"][0]["parameters"]["groupIds"].insert(0, "site-admins")
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    refused = exported("plan", expect=1)
    line = 1 + next(n for n, row in enumerate(path.read_text().splitlines()) if "(deleted" in row)
    assert f"{LEGACY}:{line}" in refused.output, refused.output
    assert "rules_name_no_deleted_objects" in refused.output, refused.output


def rule_parameters(server: SandboxServer) -> list[dict[str, Any]]:
    conditions = raw_close(server, "Legacy approvals")["conditions"]["conditions"]
    return [c["parameters"] for c in conditions]


def ids_of_workflows(server: SandboxServer) -> list[str]:
    with agile(server) as api:
        found = api.get(f"{API}/workflows/search").json()["values"]
        return sorted(str(w["id"]) for w in found) + sorted(ids(api, "/status"))


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        ({"value": "Blocker"}, "an option context 'Bug severity' of the field does not have"),
        ({"option_context": "Incident severity"}, "does not have"),
        ({"option_context": None}, "option_context: 'Bug severity'"),
    ],
)
def test_an_option_the_repo_lacks_is_refused_at_its_line(
    exported: Jiracfg, edit: dict[str, Any], message: str
) -> None:
    path = exported.repo / TRIAGE
    spec = yaml.safe_load(path.read_text())
    params = next(t for t in spec["transitions"] if t["name"] == "Close")["actions"][0][
        "parameters"
    ]
    params.update(edit)
    if params["option_context"] is None:
        del params["option_context"]
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    refused = exported("validate", expect=1)
    line = 1 + next(
        n for n, text in enumerate(path.read_text().splitlines()) if params["value"] in text
    )
    assert f"{TRIAGE}:{line}" in refused.output and message in refused.output, refused.output


def close_the_cycle(server: SandboxServer) -> None:
    """A project TRI whose workflow scheme uses Severity triage, and Bug severity (the context of
    the option its Close sets) limited to TRI too: workflow -> context -> TRI -> scheme ->
    workflow, a reference cycle on a rebuild."""
    with agile(server) as api:
        body = {"name": "Triage Workflow Scheme", "defaultWorkflow": "Severity triage"}
        scheme = post(api, f"{API}/workflowscheme", body)
        body = project_body("TRI", "Triage", "software", "alice", "Severity triage")
        project = post(api, f"{API}/project", {**body, "workflowScheme": int(scheme["id"])})
        field = ids(api, "/field")["Severity"]
        context = ids(api, f"/field/{field}/context")["Bug severity"]
        path = f"{API}/field/{field}/context/{context}/project"
        answer = api.put(path, json={"projectIds": [str(project["id"])]})
        assert answer.status_code == 204, answer.text


@pytest.fixture
def cycle(start_sandbox: StartSandbox, tmp_path: Path) -> Jiracfg:
    """The demo with the rules of ``add_rules`` and ``close_the_cycle``, exported (the workflow
    naming a deleted group left out: it can't be rebuilt)."""
    server = start_sandbox("demo")
    add_rules(server)
    with agile(server) as api:
        assert api.delete(f"{API}/workflow/{workflow_id(api, 'Legacy approvals')}").is_success
    close_the_cycle(server)
    init_repo(tmp_path / "acme-jira")
    run = Jiracfg(server, tmp_path / "acme-jira")
    export_and_commit(run)
    return run


def workflow_id(api: httpx.Client, name: str) -> str:
    found = api.get(f"{API}/workflows/search", params={"workflowName": name}).json()["values"]
    return str(next(w["id"] for w in found if w["name"] == name))


def test_a_rebuild_through_a_reference_cycle_writes_the_post_function_in_a_second_step(
    cycle: Jiracfg, start_sandbox: StartSandbox, tmp_path: Path
) -> None:
    assert "option_context: Bug severity" in (cycle.repo / TRIAGE).read_text()
    target = cycle.with_server(start_sandbox("fresh"))
    plan = target("plan")
    assert "reference cycle" not in plan.output, plan.output
    steps = [
        line.strip() for line in plan.output.splitlines() if "workflow/Severity triage" in line
    ]
    assert steps == ["+ create workflow/Severity triage", "~ update workflow/Severity triage"]
    restore = (
        "(restore post function system:update-field ('Major') on transition 'Close' after "
        "field_context/Severity/Bug severity exists)"
    )
    assert restore in plan.output, plan.output
    target("apply", "--auto-approve")
    assert target.plan_changes("--detailed-exitcode") == []
    wired = raw_close(target.server, "Severity triage")
    with agile(target.server) as api:
        assert wired["actions"][0]["parameters"]["value"] == options(api, "Bug severity")["Major"]
    again = Jiracfg(target.server, tmp_path / "again")
    again("export")
    assert tree_differences(cycle.repo, again.repo) == []


def test_a_rebuild_through_the_cycle_converges_under_faults(
    cycle: Jiracfg, start_sandbox: StartSandbox
) -> None:
    """Applies failing anywhere (between the two steps too) are re-run until one succeeds: a
    workflow left without its post function is then only given it (the second step)."""
    target = apply_under_faults(cycle, start_sandbox, seed=7, rate=0.1, runs=6, until_success=True)
    assert target.plan_changes("--detailed-exitcode") == []
    wired = raw_close(target.server, "Severity triage")
    with agile(target.server) as api:
        assert wired["actions"][0]["parameters"]["value"] == options(api, "Bug severity")["Major"]


def test_a_rebuild_stopped_between_the_two_steps_is_only_the_second_step_next_time(
    cycle: Jiracfg, start_sandbox: StartSandbox, tmp_path: Path
) -> None:
    """The saved plan applied up to the workflow's create (a prefix of a plan is what an apply
    stopped there did): the workflow is on the site without its post function, the project and
    the context are not; the next plan gives it the post function in one update, after them."""
    target = cycle.with_server(start_sandbox("fresh"))
    saved = tmp_path / "plan.json"
    target("plan", "--out", str(saved))
    plan = json.loads(saved.read_text())
    made = [c["address"] for c in plan["changes"]].index("workflow/Severity triage") + 1
    plan["changes"] = plan["changes"][:made]
    saved.write_text(json.dumps(plan))
    target("apply", str(saved), "--auto-approve")
    assert not raw_close(target.server, "Severity triage").get("actions")
    changes = target.plan_changes()
    assert {"create project/TRI", "create field_context/Severity/Bug severity"} <= set(changes)
    steps = [c for c in changes if "workflow/Severity triage" in c]
    assert steps == ["update workflow/Severity triage"], steps
    target("apply", "--auto-approve")
    assert target.plan_changes("--detailed-exitcode") == []
    assert raw_close(target.server, "Severity triage")["actions"][0]["parameters"]["value"]
