"""Issues in git, end to end through the CLI: export, validate, plan, a rebuild into a fresh site
that keeps keys, statuses, values, comments, worklogs, attachments (same bytes), watchers, remote
links and properties, and re-exports identically; under faults and after a ``kill -9`` too."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from jiracfg.data.blobs import open_store
from jiracfg.demo import tree_differences
from jiracfg.sandbox.server import EMAIL, TOKEN, SandboxServer
from tests.conftest import StartSandbox
from tests.e2e.conftest import BuiltSite, Jiracfg, apply_under_faults, commit, git
from tests.moto_s3 import s3_server

PLUGIN = "com.atlassian.jira.plugin.system.customfieldtypes:"
PROJECT = "MKT"  # the demo's smallest project keeps these tests quick


def adf(text: str) -> dict[str, Any]:
    return {
        "type": "doc",
        "version": 1,
        "content": [{"type": "paragraph", "content": [{"type": "text", "text": text}]}],
    }


def jira(server: SandboxServer) -> httpx.Client:
    return httpx.Client(base_url=server.url + "/rest/api/3", auth=(EMAIL, TOKEN), timeout=30)


def keys_of(api: httpx.Client, project: str) -> list[str]:
    body = {"jql": f"project = {project} ORDER BY key ASC", "fields": ["key"], "maxResults": 500}
    answer = api.post("/search/jql", json=body)
    answer.raise_for_status()
    return [i["key"] for i in answer.json()["issues"]]


def enrich(server: SandboxServer) -> dict[str, Any]:
    """Give a few issues everything an issue can hang on to, and delete one (a key gap)."""
    with jira(server) as api:
        keys = keys_of(api, PROJECT)
        first, second, gone = keys[0], keys[1], keys[4]
        someone = next(
            u["accountId"]
            for u in api.get("/users/search").json()
            if u.get("emailAddress") not in (None, EMAIL)
        )
        for text in ("First look", "Second thought"):
            api.post(f"/issue/{first}/comment", json={"body": adf(text)}).raise_for_status()
        api.post(
            f"/issue/{first}/worklog",
            params={"adjustEstimate": "leave"},
            json={
                "started": "2024-05-02T09:00:00.000+0000",
                "timeSpentSeconds": 5400,
                "comment": adf("pairing"),
            },
        ).raise_for_status()
        for key, name in ((first, "notes.txt"), (first, "trace.bin"), (second, "copy.bin")):
            body = b"same body" if name != "notes.txt" else b"meeting notes\n" * 100
            api.post(
                f"/issue/{key}/attachments",
                files={"file": (name, body, "application/octet-stream")},
                headers={"X-Atlassian-Token": "no-check"},
            ).raise_for_status()
        api.post(f"/issue/{first}/watchers", json=someone).raise_for_status()
        api.post(
            f"/issue/{first}/remotelink",
            json={"object": {"url": "https://ci.example.com/42", "title": "Build 42"}},
        ).raise_for_status()
        api.put(f"/issue/{second}/properties/sla", json={"breached": False}).raise_for_status()
        api.delete(f"/issue/{gone}").raise_for_status()
    return {"first": first, "second": second, "gone": gone}


def enriched_export(run: Jiracfg) -> None:
    enrich(run.server)
    (run.repo / "jiracfg.yaml").write_text(f"data:\n  projects: [{PROJECT}]\n", encoding="utf-8")
    run("export")
    commit(run.repo, "export with data")


@pytest.fixture
def data_demo(built_site: BuiltSite) -> Jiracfg:
    return built_site("data demo", enriched_export)


def issue_files(repo: Path, project: str = PROJECT) -> list[Path]:
    found = (repo / "data" / project).glob("*/*.yaml")
    return sorted(found, key=lambda p: int(p.stem.rsplit("-", 1)[1]))


PROJECTS = (PROJECT, "OPS")  # the faults and kill -9 tests: two projects that name each other
KEPT = 6  # OPS issues kept (OPS-1..6: none names ENG or SUP, which the repo does not manage)


def cross_projects(server: SandboxServer) -> None:
    """OPS cut down to a few issues and an epic that an MKT issue is a child of; links from MKT
    to OPS and back."""
    with jira(server) as api:
        doomed = [k for k in keys_of(api, "OPS") if int(k.rsplit("-", 1)[1]) > KEPT]
        api.post("/bulk/issues/delete", json={"selectedIssueIdsOrKeys": doomed}).raise_for_status()
        fields = {"project": {"key": "OPS"}, "issuetype": {"name": "Epic"}, "summary": "Launch"}
        epic = api.post("/issue", json={"fields": fields})
        epic.raise_for_status()
        child = keys_of(api, PROJECT)[2]
        parent = {"fields": {"parent": {"key": epic.json()["key"]}}}
        api.put(f"/issue/{child}", json=parent).raise_for_status()
        for source, dest in ((f"{PROJECT}-1", "OPS-2"), ("OPS-3", f"{PROJECT}-2")):
            link = {"inwardIssue": {"key": source}, "outwardIssue": {"key": dest}}
            api.post("/issueLink", json={"type": {"name": "Blocks"}, **link}).raise_for_status()


def two_projects_export(run: Jiracfg) -> None:
    enrich(run.server)
    cross_projects(run.server)
    projects = ", ".join(PROJECTS)
    (run.repo / "jiracfg.yaml").write_text(f"data:\n  projects: [{projects}]\n", encoding="utf-8")
    run("export")
    commit(run.repo, "export with data of two projects")


@pytest.fixture
def data_two(built_site: BuiltSite) -> Jiracfg:
    """The demo's MKT and OPS issues in git, with a parent and links across the two."""
    return built_site("two projects' data", two_projects_export)


def test_export_writes_one_file_per_issue_deterministically(
    data_demo: Jiracfg, tmp_path: Path
) -> None:
    files = issue_files(data_demo.repo)
    with jira(data_demo.server) as api:
        assert [p.stem for p in files] == keys_of(api, PROJECT)  # one file per issue
    first = files[0].read_text(encoding="utf-8")
    for expected in (
        "comments:",
        "First look",
        "worklogs:",
        "time_spent_seconds: 5400",
        "attachments:",
        "sha256:",
        "remote_links:",
        "Build 42",
        "origin:",
    ):
        assert expected in first, expected
    blobs = {p.name for p in (data_demo.repo / "blobs").rglob("*") if p.is_file()}
    listed = [a for p in files for a in yaml.safe_load(p.read_text()).get("attachments", [])]
    assert blobs == {a["sha256"] for a in listed}  # every body stored, each once
    same = {
        a["filename"]: a["sha256"] for a in listed if a["filename"] in ("trace.bin", "copy.bin")
    }
    assert same["trace.bin"] == same["copy.bin"] == hashlib.sha256(b"same body").hexdigest()
    assert "blobs/** filter=lfs" in (data_demo.repo / ".gitattributes").read_text()
    again = Jiracfg(data_demo.server, tmp_path / "again")
    again.repo.mkdir()
    (again.repo / "jiracfg.yaml").write_text((data_demo.repo / "jiracfg.yaml").read_text())
    again("export")
    assert tree_differences(data_demo.repo, again.repo) == []
    data_demo("validate")
    assert data_demo.plan_changes("--detailed-exitcode") == []


def test_a_broken_issue_file_is_refused_with_its_line(data_demo: Jiracfg) -> None:
    path = issue_files(data_demo.repo)[0]
    text = path.read_text(encoding="utf-8").replace("summary:", "summary: \n  bad:", 1)
    path.write_text(text.replace("summary: \n  bad:", "summry:", 1), encoding="utf-8")
    result = data_demo("validate", expect=1)
    assert f"{path.relative_to(data_demo.repo).as_posix()}:" in result.output
    assert "summry" in result.output


def age_issues(server: SandboxServer) -> None:
    """Make every issue and worklog last updated long ago (the seed's are as new as the first
    export, so an incremental export, which looks a few seconds further back, would read them)."""
    for doc in server.store.all("issue"):
        server.store.put("issue", {**doc, "updated": "2024-01-01T00:00:00.000+0000"})
    for doc in server.store.all("issue_worklog"):
        server.store.put("issue_worklog", {**doc, "updatedMs": 1704067200000})


def test_incremental_export_reads_only_what_changed(data_demo: Jiracfg) -> None:
    age_issues(data_demo.server)
    with jira(data_demo.server) as api:
        keys = keys_of(api, PROJECT)
        api.put(f"/issue/{keys[2]}", json={"fields": {"summary": "Renamed in Jira"}})
        api.delete(f"/issue/{keys[3]}").raise_for_status()
    result = data_demo("export")
    assert "1 read (incremental), 1 written, 1 removed" in result.output, result.output
    changed = git(data_demo.repo, "status", "--porcelain").split("\n")
    assert sorted(line[3:] for line in changed if line[3:].startswith("data/")) == sorted(
        [*(f"data/{PROJECT}/000/{k}.yaml" for k in (keys[2], keys[3])), "data/rank.yaml"]
    )  # the deleted issue leaves the rank order too


def test_incremental_export_sees_comments_worklogs_and_attachments(data_demo: Jiracfg) -> None:
    """What hangs on an issue moves its ``updated`` (as in Jira), so a re-export finds it."""
    age_issues(data_demo.server)
    with jira(data_demo.server) as api:
        keys = keys_of(api, PROJECT)
        commented, worked, attached = keys[5], keys[6], keys[0]
        api.post(f"/issue/{commented}/comment", json={"body": adf("Later")}).raise_for_status()
        work = {"started": "2024-06-03T10:00:00.000+0000", "timeSpentSeconds": 600}
        api.post(f"/issue/{worked}/worklog", json=work).raise_for_status()
        found = api.get(f"/issue/{attached}", params={"fields": "attachment"}).json()
        gone = found["fields"]["attachment"][0]["id"]
        api.delete(f"/attachment/{gone}").raise_for_status()
    result = data_demo("export")
    assert "3 read (incremental), 3 written" in result.output, result.output
    changed = git(data_demo.repo, "status", "--porcelain").split("\n")
    assert sorted(line[3:] for line in changed if line[3:].startswith("data/")) == sorted(
        f"data/{PROJECT}/000/{k}.yaml" for k in (commented, worked, attached)
    )
    assert "Later" in (data_demo.repo / f"data/{PROJECT}/000/{commented}.yaml").read_text()


def rebuilt_equal(source: Jiracfg, target: Jiracfg, tmp_path: Path, name: str) -> Jiracfg:
    """The target plans empty and exports the very files of the source repo."""
    target("plan", "--detailed-exitcode")
    rebuilt = Jiracfg(target.server, tmp_path / name)
    rebuilt.repo.mkdir()
    (rebuilt.repo / "jiracfg.yaml").write_text((source.repo / "jiracfg.yaml").read_text())
    rebuilt("export")
    assert tree_differences(source.repo, rebuilt.repo) == []
    return rebuilt


def test_rebuild_restores_every_issue_with_its_key(
    data_demo: Jiracfg, start_sandbox: StartSandbox, tmp_path: Path
) -> None:
    with jira(data_demo.server) as api:
        source = keys_of(api, PROJECT)
    numbers = [int(k.rsplit("-", 1)[1]) for k in source]
    gaps = max(numbers) - len(numbers)  # numbers of deleted issues: burned by placeholders
    target = data_demo.with_server(start_sandbox("fresh"))
    result = target("apply", "--ref", "HEAD", "--auto-approve")
    assert f"{len(source)} created" in result.output, result.output
    assert f"{gaps} placeholder(s)" in result.output and gaps >= 1
    assert "comment authors and times" in result.output  # what REST could not set, counted
    rebuilt = rebuilt_equal(data_demo, target, tmp_path, "rebuilt")
    with jira(target.server) as api:
        assert keys_of(api, PROJECT) == source  # the same keys, gaps included
    replace_body(target.server, source[0], "trace.bin", b"SAME BODY")  # same name and size
    rebuilt("export")
    listed = yaml.safe_load((issue_files(rebuilt.repo)[0]).read_text(encoding="utf-8"))
    found = {a["filename"]: a["sha256"] for a in listed["attachments"]}
    assert found["trace.bin"] == hashlib.sha256(b"SAME BODY").hexdigest()


def replace_body(server: SandboxServer, key: str, name: str, body: bytes) -> None:
    """Delete the issue's attachment ``name`` and attach ``body`` under the same name (Jira
    gives no hash: only the new attachment's id tells them apart)."""
    with jira(server) as api:
        found = api.get(f"/issue/{key}", params={"fields": "attachment"}).json()
        (old,) = [a for a in found["fields"]["attachment"] if a["filename"] == name]
        assert old["size"] == len(body)
        api.delete(f"/attachment/{old['id']}").raise_for_status()
        api.post(
            f"/issue/{key}/attachments",
            files={"file": (name, body, old["mimeType"])},
            headers={"X-Atlassian-Token": "no-check"},
        ).raise_for_status()


def test_rebuild_under_faults_duplicates_nothing(
    data_two: Jiracfg, start_sandbox: StartSandbox, tmp_path: Path
) -> None:
    """Two projects whose issues name each other (a parent, links both ways) converge."""
    text = (issue_files(data_two.repo)[2]).read_text(encoding="utf-8")
    assert "parent: OPS-" in text  # the cross-project parent is in the repo
    target = apply_under_faults(data_two, start_sandbox, seed=5, until_success=True)
    server = target.server
    assert live_counts(server) == repo_counts(data_two.repo)  # nothing twice
    rebuilt_equal(data_two, target, tmp_path, "rebuilt")


KILL_POINTS = {  # the target's collection whose first document triggers the kill
    "during creates": "issue",
    "during fills (comments)": "issue_comment",
    "during worklogs": "issue_worklog",
    "during attachments": "issue_attachment",
}


def live_counts(server: SandboxServer) -> dict[str, int]:
    """The target's issues of PROJECTS (placeholders included) and what hangs on them."""
    store = server.store
    issues = [i for i in store.all("issue") if str(i["key"]).split("-")[0] in PROJECTS]
    ids = {str(i["id"]) for i in issues}
    out = {"issue": len(issues)}
    for coll in ("issue_comment", "issue_worklog", "issue_attachment"):
        with store.lock:
            rows = store.db.execute("SELECT parent FROM docs WHERE coll=?", (coll,)).fetchall()
        out[coll] = sum(1 for (parent,) in rows if parent in ids)
    return out


def repo_counts(repo: Path) -> dict[str, int]:
    files = [f for project in PROJECTS for f in issue_files(repo, project)]
    specs = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in files]
    out = {"issue": len(specs)}
    for coll, part in (
        ("issue_comment", "comments"),
        ("issue_worklog", "worklogs"),
        ("issue_attachment", "attachments"),
    ):
        out[coll] = sum(len(s.get(part) or []) for s in specs)
    return out


def kill_when(proc: subprocess.Popen[bytes], server: SandboxServer, coll: str) -> None:
    """``kill -9`` the apply as soon as the target holds a first ``coll`` document of PROJECTS."""
    deadline = time.monotonic() + 300
    while proc.poll() is None and time.monotonic() < deadline:
        if live_counts(server).get(coll, 0) > 0:
            os.kill(proc.pid, signal.SIGKILL)
            break
        time.sleep(0.005)
    proc.wait()


@pytest.mark.parametrize("point", sorted(KILL_POINTS))
def test_kill_9_mid_apply_then_rerun_duplicates_nothing(
    point: str, data_two: Jiracfg, start_sandbox: StartSandbox, tmp_path: Path
) -> None:
    data_demo = data_two  # two projects whose issues name each other
    server = start_sandbox("fresh", latency_ms=20)
    target = data_demo.with_server(server)
    env = {**os.environ, "JIRA_URL": server.url, "JIRA_EMAIL": EMAIL, "JIRA_API_TOKEN": TOKEN}
    command = [sys.executable, "-m", "jiracfg", "apply", "--auto-approve", "--dir"]
    with (tmp_path / "killed.log").open("wb") as log:
        proc = subprocess.Popen([*command, str(data_demo.repo)], env=env, stdout=log, stderr=log)
        kill_when(proc, server, KILL_POINTS[point])
    assert proc.returncode == -signal.SIGKILL, (tmp_path / "killed.log").read_text()
    assert server.faults is not None
    server.faults.latency_ms = 0  # the latency only gave the kill its moment
    wanted = repo_counts(data_demo.repo)
    assert live_counts(server) != wanted  # killed half way
    target("apply", "--auto-approve")
    assert live_counts(server) == wanted  # no issue, comment, worklog or attachment twice
    rebuilt_equal(data_demo, target, tmp_path, "rebuilt")


def test_edited_issue_files_plan_field_by_field_and_apply(data_demo: Jiracfg) -> None:
    path = issue_files(data_demo.repo)[0]
    key = path.stem
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    spec["summary"] = "Edited in git"
    spec["labels"] = sorted({*spec.get("labels", []), "from-git"})
    spec["comments"].append({"body": adf("Added in git")})
    path.write_text(yaml.safe_dump(spec, sort_keys=False, allow_unicode=True), encoding="utf-8")
    result = data_demo("plan", "--format", "json", expect=None)
    plan = json.loads(result.output)
    (change,) = plan["changes"]
    assert (change["address"], change["action"]) == (f"issue/{key}", "update")
    heads = {f["path"].split("[")[0] for f in change["fields"]}
    assert heads == {"comments", "labels", "summary"}, change["fields"]
    data_demo("apply", "--auto-approve")
    assert data_demo.plan_changes("--detailed-exitcode") == []
    data_demo("export")
    exported = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert exported["summary"] == "Edited in git" and "from-git" in exported["labels"]
    assert exported["comments"][-1]["body"] == adf("Added in git")


def test_a_priority_the_projects_scheme_lacks_is_refused_before_any_write(
    data_demo: Jiracfg,
) -> None:
    """MKT's priority scheme offers High, Medium and Low (the demo seed): create metadata says
    so, and the plan stops an issue file that names another priority."""
    path = issue_files(data_demo.repo)[0]
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    spec["priority"] = "Highest"
    path.write_text(yaml.safe_dump(spec, sort_keys=False, allow_unicode=True), encoding="utf-8")
    output = data_demo("plan", "--format", "json", expect=1).output
    plan = json.JSONDecoder().raw_decode(output)[0]  # the errors follow on stderr
    found = [p for p in plan["problems"] if p["check"] == "priorities_offered"]
    assert len(found) == 1 and path.name in found[0]["message"], plan["problems"]
    assert "High, Medium, Low" in found[0]["message"]
    data_demo("apply", "--auto-approve", expect=1)
    with jira(data_demo.server) as api:
        live = api.get(f"/issue/{path.stem}", params={"fields": "priority"}).json()
    assert live["fields"]["priority"]["name"] != "Highest"


def test_updates_converge_attachments_comment_properties_and_live_extras(
    data_demo: Jiracfg,
) -> None:
    """One apply brings a changed attachment set and changed comment properties to the site;
    comments and worklogs added in Jira but not in the repo stay (a counted warning) until a
    --prune apply deletes them (counted in the plan). Each time, the next plan is empty."""
    path = issue_files(data_demo.repo)[0]
    key, other = path.stem, issue_files(data_demo.repo)[2].stem
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    sha, size = open_store(data_demo.repo, "blobs").put(iter([b"a new body\n"]))
    dropped = spec["attachments"].pop(0)
    spec["attachments"].append({"filename": "new.txt", "sha256": sha, "size": size})
    spec["attachments"][-1]["mime"] = "text/plain"
    spec["comments"][0]["properties"] = {"sentiment": {"score": 5}, "reviewed": True}
    path.write_text(yaml.safe_dump(spec, sort_keys=False, allow_unicode=True), encoding="utf-8")
    with jira(data_demo.server) as api:
        api.post(f"/issue/{other}/comment", json={"body": adf("Jira only")}).raise_for_status()
        work = {"started": "2024-06-03T10:00:00.000+0000", "timeSpentSeconds": 60}
        api.post(f"/issue/{other}/worklog", json=work).raise_for_status()
    plan = json.loads(data_demo("plan", "--format", "json", expect=None).output)
    assert [c["address"] for c in plan["changes"]] == [f"issue/{key}"]
    (extra,) = [p for p in plan["problems"] if p["check"] == "items_not_in_repo"]
    assert extra["message"].startswith("1 attachment(s), 1 comment(s), 1 worklog(s) on 2 issue(s)")
    data_demo("apply", "--auto-approve")
    assert data_demo.plan_changes("--detailed-exitcode") == []
    with jira(data_demo.server) as api:
        found = api.get(f"/issue/{key}", params={"fields": "attachment"}).json()
        names = sorted(a["filename"] for a in found["fields"]["attachment"])
        first = api.get(f"/issue/{key}/comment", params={"expand": "properties"}).json()
    assert "new.txt" in names and dropped["filename"] in names  # removed only with --prune
    props = {p["key"]: p["value"] for p in first["comments"][0]["properties"]}
    assert props["sentiment"] == {"score": 5} and props["reviewed"] is True
    pruned = json.loads(data_demo("plan", "--format", "json", "--prune", expect=None).output)
    assert sorted(c["address"] for c in pruned["changes"]) == sorted(
        [f"issue/{key}", f"issue/{other}"]
    )
    assert {c["reason"] for c in pruned["changes"]} == {
        "--prune deletes 1 attachment(s) not in the repo",
        "--prune deletes 1 comment(s), 1 worklog(s) not in the repo",
    }
    data_demo("apply", "--auto-approve", "--prune")
    assert data_demo.plan_changes("--detailed-exitcode", "--prune") == []
    with jira(data_demo.server) as api:
        found = api.get(f"/issue/{key}", params={"fields": "attachment"}).json()
        left = api.get(f"/issue/{other}/comment").json()["comments"]
    assert dropped["filename"] not in {a["filename"] for a in found["fields"]["attachment"]}
    assert "Jira only" not in json.dumps(left)


def test_issue_deletes_need_prune_and_are_counted(data_demo: Jiracfg) -> None:
    doomed = issue_files(data_demo.repo)[-1]
    doomed.unlink()
    plan = json.loads(data_demo("plan", "--format", "json", expect=None).output)
    assert plan["changes"] == []
    assert any("not in the repo" in p["message"] for p in plan["problems"])
    pruned = json.loads(data_demo("plan", "--format", "json", "--prune", expect=None).output)
    assert [(c["action"], c["address"]) for c in pruned["changes"]] == [
        ("delete", f"issue/{doomed.stem}")
    ]
    assert pruned["summary"]["delete"] == 1
    data_demo("apply", "--auto-approve", "--prune")
    with jira(data_demo.server) as api:
        assert doomed.stem not in keys_of(api, PROJECT)


def test_attachments_in_an_s3_bucket_round_trip(
    start_sandbox: StartSandbox, tmp_path: Path
) -> None:
    import boto3

    server = start_sandbox("demo")
    enrich(server)
    with s3_server("acme-blobs") as endpoint:
        repo = tmp_path / "acme-jira"
        repo.mkdir()
        (repo / "jiracfg.yaml").write_text(
            f"data:\n  projects: [{PROJECT}]\n  blobs: s3://acme-blobs/jira\n"
            f"  s3_endpoint: {endpoint}\n",
            encoding="utf-8",
        )
        source = Jiracfg(server, repo)
        source("export")
        assert not (repo / "blobs").exists()
        listed = boto3.client("s3", endpoint_url=endpoint).list_objects_v2(Bucket="acme-blobs")
        stored = {o["Key"].rsplit("/", 1)[1] for o in listed["Contents"]}
        named = {a["sha256"] for p in issue_files(repo) for a in _attachments(p)}
        assert stored == named and len(named) >= 2
        target = source.with_server(start_sandbox("fresh"))
        target("apply", "--auto-approve")
        rebuilt_equal(source, target, tmp_path, "rebuilt")


def _attachments(path: Path) -> list[dict[str, Any]]:
    return list(yaml.safe_load(path.read_text(encoding="utf-8")).get("attachments") or [])


def test_a_value_no_screen_of_the_target_takes_is_refused_or_an_accepted_loss(
    data_demo: Jiracfg,
) -> None:
    """A field on neither the create nor the edit screen: Jira refuses its value (``Field 'x'
    cannot be set``, 400), so the plan stops, naming the files, before any write; once
    jiracfg.yaml accepts losing that field's values, the plan warns with the count and apply
    leaves them out and counts them as not restored."""
    with jira(data_demo.server) as api:
        made = api.post("/field", json={"name": "Legacy ref", "type": PLUGIN + "textfield"})
        made.raise_for_status()
        keys = keys_of(api, PROJECT)
        refused = api.put(f"/issue/{keys[0]}", json={"fields": {made.json()["id"]: "L-0"}})
    assert refused.status_code == 400, refused.text
    assert "cannot be set. It is not on the appropriate screen" in refused.text
    data_demo("export")  # the new field joins the repo's custom fields
    files = issue_files(data_demo.repo)
    edited, template = files[0], yaml.safe_load(files[1].read_text(encoding="utf-8"))
    spec = yaml.safe_load(edited.read_text(encoding="utf-8"))
    spec.setdefault("fields", {})["Legacy ref"] = "L-1"
    edited.write_text(yaml.safe_dump(spec, sort_keys=False, allow_unicode=True), "utf-8")
    new_key = f"{PROJECT}-{int(keys[-1].rsplit('-', 1)[1]) + 1}"
    new = {k: template[k] for k in ("type", "status")} | {"key": new_key, "summary": "New"}
    new["fields"] = {"Legacy ref": "L-2"}
    added = edited.parent / f"{new_key}.yaml"
    added.write_text(yaml.safe_dump(new, sort_keys=False), "utf-8")
    output = data_demo("plan", "--format", "json", expect=1).output
    plan = json.JSONDecoder().raw_decode(output)[0]
    (found,) = [p for p in plan["problems"] if p["check"] == "values_settable"]
    assert found["severity"] == "error" and "'Legacy ref'" in found["message"], found
    assert (
        f"{edited.name} (update)" in found["message"]
        and f"{added.name} (create)" in found["message"]
    )
    assert "allow_data_loss: [unsettable/Legacy ref]" in found["hint"]
    data_demo("apply", "--auto-approve", expect=1)
    with jira(data_demo.server) as api:
        assert keys_of(api, PROJECT) == keys  # nothing written
    settings = data_demo.repo / "jiracfg.yaml"
    settings.write_text(
        settings.read_text() + "allow_data_loss: [unsettable/Legacy ref]\n", "utf-8"
    )
    plan = json.loads(data_demo("plan", "--format", "json", expect=None).output)
    (found,) = [p for p in plan["problems"] if p["check"] == "values_settable"]
    assert found["severity"] == "warning" and "not restored" in found["message"]
    result = data_demo("apply", "--auto-approve")
    assert "2  field values on neither the create nor the edit screen" in result.output, (
        result.output
    )
    with jira(data_demo.server) as api:
        assert len(keys_of(api, PROJECT)) == len(keys) + 1  # the new issue, without the value
