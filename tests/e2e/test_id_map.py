"""The id map every apply writes (``jiracfg.idmap``) comes from what the apply knows: the plan's
live snapshot and the ids its writes returned. It reads again only the objects it wrote whose
nested ids (options, transitions) Jira's writes do not return, and is what a full read gives."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
import yaml

from jiracfg.client import JiraClient
from jiracfg.data.blobs import open_store
from jiracfg.data.ids import target_entries
from jiracfg.fetch import fetch_live
from jiracfg.idmap import INDEX, config_ids, data_lines, map_path, read
from jiracfg.sandbox.server import SandboxServer
from tests.conftest import StartSandbox, client_for
from tests.e2e.conftest import BuiltSite, Jiracfg, apply_under_faults, export_and_commit
from tests.e2e.test_data import PROJECT, adf, enriched_export


def id_map(run: Jiracfg) -> dict[str, tuple[str, str]]:
    """key -> (old id, new id) of the map written for ``run``'s site."""
    lines = map_path(run.repo, run.server.url).read_text(encoding="utf-8").splitlines()
    return {m["key"]: (m["old"], m["new"]) for m in map(json.loads, lines)}


def map_requests(output: str) -> int:
    found = re.search(r"Id map \(old id -> new id\): .* \((\d+) requests\)", output)
    assert found, output
    return int(found.group(1))


def read_in_full(server: SandboxServer) -> tuple[dict[str, str], int]:
    """The site's ids as a full read finds them, and the requests that read took."""
    client = client_for(server)
    ids = config_ids(fetch_live(client))
    client.close()
    return ids, client.counter.requests


def test_an_apply_with_no_changes_reads_nothing_for_the_id_map(exported_demo: Jiracfg) -> None:
    done = exported_demo("apply", "--auto-approve")
    assert "No changes" in done.output or "no changes" in done.output.lower(), done.output
    assert map_requests(done.output) == 0
    index = json.loads((exported_demo.repo / ".jiracfg/ids/config.json").read_text())
    mapped = id_map(exported_demo)
    assert len(index) > 200 and mapped == {k: (v, v) for k, v in index.items()}


def test_a_rebuild_maps_every_id_as_a_full_read_would_with_fewer_reads(
    exported_demo: Jiracfg, start_sandbox: StartSandbox
) -> None:
    target = exported_demo.with_server(start_sandbox("fresh"))
    done = target("apply", "--auto-approve")
    index = json.loads((exported_demo.repo / ".jiracfg/ids/config.json").read_text())
    full, full_requests = read_in_full(target.server)
    mapped = id_map(target)
    assert set(mapped) == set(index) and all("#option:" not in k or k in full for k in index)
    assert {k: new for k, (_, new) in mapped.items()} == {k: full[k] for k in index}
    assert any("#option:" in k for k in mapped) and any("#transition:" in k for k in mapped)
    # only field contexts, workflows and dashboards (their options, transitions and gadgets)
    assert 0 < map_requests(done.output) < full_requests * 0.6


# -- the issues' ids (a data: section) ------------------------------------------------------------
ISSUE_KINDS = {"issue", "comment", "worklog", "attachment"}


def all_data_export(run: Jiracfg) -> None:
    """The demo exported with every project's issues (its 330)."""
    (run.repo / "jiracfg.yaml").write_text('data:\n  projects: "*"\n', encoding="utf-8")
    export_and_commit(run)


@pytest.fixture
def data_demo(built_site: BuiltSite) -> Jiracfg:
    return built_site("data demo", enriched_export)  # test_data's: MKT's issues, enriched


@pytest.fixture
def searches(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The JQL of every search page the id map reads (``jiracfg.data.ids``)."""
    import jiracfg.data.ids as ids

    found: list[str] = []
    search = ids.search_pages

    def counted(client: JiraClient, jql: str, *args: Any) -> Iterator[list[dict[str, Any]]]:
        for page in search(client, jql, *args):
            found.append(jql)
            yield page

    monkeypatch.setattr(ids, "search_pages", counted)
    return found


def issue_map(run: Jiracfg) -> dict[str, tuple[str, str]]:
    lines = map_path(run.repo, run.server.url).read_text(encoding="utf-8").splitlines()
    found = [m for m in map(json.loads, lines) if m["kind"] in ISSUE_KINDS]
    return {m["key"]: (m["old"], m["new"]) for m in found}


def issues_in_full(run: Jiracfg) -> dict[str, tuple[str, str]]:
    """The issue part of the map as a search of every indexed project gives it (the old way)."""
    client = client_for(run.server)
    lines: list[dict[str, str]] = []
    for index in sorted((run.repo / INDEX / "data").glob("*.json")):
        old = read(index)
        lines += data_lines(old, dict(target_entries(client, index.stem)))
    client.close()
    return {m["key"]: (m["old"], m["new"]) for m in lines}


def test_an_apply_that_changes_no_issue_reads_nothing_for_the_issue_ids(
    data_demo: Jiracfg, searches: list[str]
) -> None:
    done = data_demo("apply", "--auto-approve")
    assert "no changes" in done.output.lower(), done.output
    assert map_requests(done.output) == 0 and searches == []
    mapped = issue_map(data_demo)
    assert len(mapped) > 40 and any("#comment:" in k for k in mapped)
    assert mapped == issues_in_full(data_demo)


def test_issue_updates_and_deletes_map_from_what_the_writes_returned(
    data_demo: Jiracfg, searches: list[str]
) -> None:
    """A comment and an attachment added, a comment removed (--prune), an issue deleted: the
    map takes their ids from the plan's read, the fill's read and the writes' answers."""
    files = sorted((data_demo.repo / "data" / PROJECT).rglob("*.yaml"))
    first, gone = files[0], files[-1]
    spec = yaml.safe_load(first.read_text(encoding="utf-8"))
    spec["comments"].pop(0)
    sha, size = open_store(data_demo.repo, "blobs").put(iter([b"a new body\n"]))
    spec["attachments"].append({"filename": "new.txt", "sha256": sha, "size": size})
    spec["attachments"][-1]["mime"] = "text/plain"
    spec["comments"].append({"body": adf("Added by the repo")})
    first.write_text(yaml.safe_dump(spec, sort_keys=False, allow_unicode=True), encoding="utf-8")
    gone.unlink()
    done = data_demo("apply", "--auto-approve", "--prune")
    assert map_requests(done.output) == 0 and searches == []
    mapped = issue_map(data_demo)
    assert mapped == issues_in_full(data_demo)
    assert gone.stem not in mapped and f"{first.stem}#attachment:1" in mapped
    assert data_demo.plan_changes("--detailed-exitcode", "--prune") == []


def test_a_rebuild_of_every_issue_searches_nothing_for_the_id_map(
    built_site: BuiltSite, start_sandbox: StartSandbox, searches: list[str]
) -> None:
    """The demo's 330 issues rebuilt into a fresh site: the ids come from the creates' answers
    (and their comments', worklogs' and attachments')."""
    source = built_site("demo with every issue", all_data_export)
    target = source.with_server(start_sandbox("fresh"))
    done = target("apply", "--auto-approve")
    assert "330 created" in done.output, done.output
    assert searches == []
    mapped = issue_map(target)
    assert sum(1 for k in mapped if "#" not in k) == 330
    assert mapped == issues_in_full(target)


def test_under_faults_the_issue_ids_are_read_again_only_by_key(
    data_demo: Jiracfg, start_sandbox: StartSandbox, searches: list[str]
) -> None:
    """Lost answers can leave ids unknown (a comment whose create was found committed): those
    issues alone are read again (``key in``; whether a run meets one depends on timing, so the
    read itself is tests/data/test_known_ids.py's), and the map is still what a full read
    gives."""
    target = apply_under_faults(data_demo, start_sandbox, seed=8, until_success=True)
    searched = list(searches)
    assert all(jql.startswith("key in (") for jql in searched), searched
    assert issue_map(target) == issues_in_full(target)
