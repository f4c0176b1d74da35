"""Issue links and parents in the data layer, end to end through the CLI: each link exported once
(in its source issue's file), a rebuild under faults that restores every link and parent once,
``verify`` seeing a link that went missing, references to unknown issues refused at file:line,
and links only the site has left alone without --prune."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from jiracfg.sandbox.server import SandboxServer
from tests.conftest import StartSandbox
from tests.e2e.conftest import BuiltSite, Jiracfg, apply_under_faults, commit
from tests.e2e.test_data import jira, rebuilt_equal

PROJECT = "MKT"
LINKS = [("Blocks", "MKT-4", "MKT-5"), ("Relates", "MKT-6", "MKT-4")]


def post_link(api: httpx.Client, kind: str, source: str, dest: str) -> None:
    body = {"type": {"name": kind}, "inwardIssue": {"key": source}, "outwardIssue": {"key": dest}}
    api.post("/issueLink", json=body).raise_for_status()


def outward(api: httpx.Client, key: str) -> list[tuple[str, str]]:
    found = api.get(f"/issue/{key}", params={"fields": "issuelinks"}).json()["fields"]
    return sorted(
        (link["type"]["name"], link["outwardIssue"]["key"])
        for link in found["issuelinks"]
        if "outwardIssue" in link
    )


def spec_of(repo: Path, key: str) -> dict[str, Any]:
    return dict(yaml.safe_load((repo / "data" / PROJECT / "000" / f"{key}.yaml").read_text()))


def write_spec(repo: Path, key: str, spec: dict[str, Any]) -> Path:
    path = repo / "data" / PROJECT / "000" / f"{key}.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def convert_to_subtask(api: httpx.Client, key: str, parent: str) -> None:
    """Jira Cloud's one REST way to make an issue a sub-task: a bulk move naming the parent."""
    types = api.get(f"/issue/createmeta/{PROJECT}/issuetypes").json()["issueTypes"]
    subtask = next(t["id"] for t in types if t["subtask"])
    target = {"issueIdsOrKeys": [key], "inferStatusDefaults": True}
    body = {"targetToSourcesMapping": {f"{PROJECT},{subtask},{parent}": target}}
    moved = api.post("/bulk/issues/move", json=body)
    assert moved.status_code == 201, moved.text
    for _ in range(2):  # queued: RUNNING, then COMPLETE
        progress = api.get(f"/bulk/queue/{moved.json()['taskId']}").json()
    assert progress["status"] == "COMPLETE", progress


def linked_export(run: Jiracfg) -> None:
    with jira(run.server) as api:
        for kind, source, dest in LINKS:
            post_link(api, kind, source, dest)
        body = {"project": {"key": PROJECT}, "issuetype": {"name": "Sub-task"}, "summary": "s"}
        made = api.post("/issue", json={"fields": {**body, "parent": {"key": "MKT-7"}}})
        assert made.json()["key"] == "MKT-41", made.text
        for summary in ("made before its parent", "the later parent"):
            task = {**body, "issuetype": {"name": "Task"}, "summary": summary}
            assert api.post("/issue", json={"fields": task}).status_code == 201
        convert_to_subtask(api, "MKT-42", "MKT-43")
    (run.repo / "jiracfg.yaml").write_text(f"data:\n  projects: [{PROJECT}]\n", encoding="utf-8")
    run("export")
    commit(run.repo, "export with links")


@pytest.fixture
def linked(built_site: BuiltSite) -> Jiracfg:
    """The demo with links inside MKT (the seed's MKT-2 -> MKT-3 and two more), a sub-task, and
    a sub-task whose parent has a higher number (MKT-42 under MKT-43), its MKT issues exported
    into a repo."""
    return built_site("linked demo", linked_export)


def test_each_link_is_exported_once_in_its_source_issue(linked: Jiracfg) -> None:
    repo = linked.repo
    assert spec_of(repo, "MKT-4")["links"] == [{"type": "Blocks", "issue": "MKT-5"}]
    assert spec_of(repo, "MKT-6")["links"] == [{"type": "Relates", "issue": "MKT-4"}]
    assert spec_of(repo, "MKT-2")["links"] == [{"type": "Relates", "issue": "MKT-3"}]
    assert "links" not in spec_of(repo, "MKT-5")  # the destination does not repeat it
    assert spec_of(repo, "MKT-41")["parent"] == "MKT-7"
    assert (spec_of(repo, "MKT-42")["type"], spec_of(repo, "MKT-42")["parent"]) == (
        "Sub-task",
        "MKT-43",
    )
    linked("validate")
    assert linked.plan_changes("--detailed-exitcode") == []


def test_rebuild_under_faults_restores_links_and_parents_once(
    linked: Jiracfg, start_sandbox: StartSandbox, tmp_path: Path
) -> None:
    target = apply_under_faults(linked, start_sandbox, seed=7)
    server = target.server
    rebuilt_equal(linked, target, tmp_path, "rebuilt")
    with jira(server) as api:
        assert outward(api, "MKT-4") == [("Blocks", "MKT-5")]  # once, whatever the retries
        assert outward(api, "MKT-6") == [("Relates", "MKT-4")]
        early = api.get("/issue/MKT-42", params={"fields": "issuetype,parent"}).json()["fields"]
        assert (early["issuetype"]["name"], early["parent"]["key"]) == ("Sub-task", "MKT-43")
    _id_map_is_complete(linked, server)
    verified = json.loads(target("verify", "--format", "json").output)
    links = [r for r in verified["results"] if r["check"] == "links"]
    assert links and all(r["status"] == "pass" for r in links), links
    _break_a_link(server)
    broken = target("verify", "--format", "json", expect=1)
    failed = [r for r in json.loads(broken.output)["results"] if r["check"] == "links"]
    assert [(r["status"], r["subject"]) for r in failed] == [("fail", "issue/MKT-4")], failed
    assert "Blocks MKT-5" in failed[0]["evidence"]


def _break_a_link(server: SandboxServer) -> None:
    with jira(server) as api:
        found = api.get("/issue/MKT-4", params={"fields": "issuelinks"}).json()["fields"]
        gone = next(link for link in found["issuelinks"] if "outwardIssue" in link)
        api.delete(f"/issueLink/{gone['id']}").raise_for_status()


def test_a_reference_to_an_unknown_issue_is_refused_at_its_line(linked: Jiracfg) -> None:
    repo = linked.repo
    spec = spec_of(repo, "MKT-4")
    spec["links"].append({"type": "Blocks", "issue": "MKT-999"})
    label = write_spec(repo, "MKT-4", spec).relative_to(repo).as_posix()
    refused = linked("validate", expect=1)
    assert f"{label}:" in refused.output and "MKT-999" in refused.output
    spec["links"][-1]["issue"] = "OPS-999"  # another project's: only the site can tell
    write_spec(repo, "MKT-4", spec)
    linked("validate")
    planned = linked("plan", expect=1)
    assert f"{label}:" in planned.output and "OPS-999" in planned.output
    assert "nor on the site" in planned.output
    spec["links"][-1]["issue"] = "OPS-5"  # on the site: a link across projects
    write_spec(repo, "MKT-4", spec)
    plan = json.loads(linked("plan", "--format", "json", expect=None).output)
    (change,) = plan["changes"]
    assert change["address"] == "issue/MKT-4" and change["fields"][0]["path"].startswith("links")
    linked("apply", "--auto-approve")
    with jira(linked.server) as api:
        assert outward(api, "MKT-4") == [("Blocks", "MKT-5"), ("Blocks", "OPS-5")]
    assert linked.plan_changes("--detailed-exitcode") == []


def test_links_only_the_site_has_go_only_with_prune(linked: Jiracfg) -> None:
    with jira(linked.server) as api:
        post_link(api, "Blocks", "MKT-8", "MKT-9")
    plan = json.loads(linked("plan", "--format", "json", expect=None).output)
    assert plan["changes"] == []
    assert any(p["check"] == "unmanaged_links" for p in plan["problems"]), plan["problems"]
    assert linked.plan_changes("--prune") == ["update issue/MKT-8"]
    linked("apply", "--auto-approve", "--prune")
    with jira(linked.server) as api:
        assert outward(api, "MKT-8") == []
        assert outward(api, "MKT-4") == [("Blocks", "MKT-5")]  # the repo's links stay


def _id_map_is_complete(source: Jiracfg, target: SandboxServer) -> None:
    """Every id of the export's index is mapped to the rebuilt site's (issue 13 item 4)."""
    from jiracfg.idmap import map_path

    index = source.repo / ".jiracfg" / "ids"
    old = json.loads((index / "config.json").read_text())
    issues = json.loads((index / "data" / f"{PROJECT}.json").read_text())
    path = map_path(source.repo, target.url)
    lines = path.read_text().splitlines()
    ignored = subprocess.run(["git", "-C", str(source.repo), "check-ignore", "-q", str(path)])
    assert ignored.returncode == 1, "the id map is to be committed, never git-ignored"
    mapped = {(m["key"], m["old"]) for m in map(json.loads, lines)}
    wanted = {(k, v) for k, v in old.items()}
    for key, entry in issues.items():
        wanted.add((key, entry["id"]))
        for name in ("comments", "worklogs", "attachments"):
            kind = name[:-1]
            wanted |= {(f"{key}#{kind}:{n}", i) for n, i in enumerate(entry.get(name, []), 1)}
    assert len(wanted) > 300 and wanted <= mapped, sorted(wanted - mapped)[:10]
    assert any(k.startswith("field_context/") and "#option:" in k for k, _ in wanted)
    assert any(k.startswith("dashboard/") and "#gadget:" in k for k, _ in wanted)
    with jira(target) as api:
        new = {m["key"]: m["new"] for m in map(json.loads, lines)}
        assert new["MKT-4"] == api.get("/issue/MKT-4").json()["id"]
