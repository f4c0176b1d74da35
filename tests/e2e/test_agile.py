"""Boards, sprints, sprint membership and rank end to end through the CLI: a rebuild (under
faults too) restores each sprint in its state with its issues, carried-over issues with every
sprint they were in, and the backlog's rank order; what Jira refuses stops the plan before any
write."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from jiracfg.sandbox.server import EMAIL, TOKEN, SandboxServer
from tests.conftest import StartSandbox
from tests.e2e.conftest import BuiltSite, Jiracfg, apply_under_faults, commit, init_repo
from tests.e2e.test_data import jira, keys_of, rebuilt_equal

PROJECT, BOARD = "MKT", "MKT Scrum"
AGILE, API = "/rest/agile/1.0", "/rest/api/3"
SPRINTS = [("S1", "closed"), ("S2", "closed"), ("S3", "active"), ("S4", "future")]


def agile(server: SandboxServer) -> httpx.Client:
    return httpx.Client(base_url=server.url, auth=(EMAIL, TOKEN), timeout=30)


def post(api: httpx.Client, path: str, body: Any) -> Any:
    answer = api.post(path, json=body)
    assert answer.status_code < 300, answer.text
    return answer.json() if answer.content else None


def add_board(server: SandboxServer) -> list[str]:
    """A scrum board on MKT: two closed sprints (two issues carried from S1 into S2), an active
    and a future one, and the backlog ranked out of creation order. MKT's keys, in rank order."""
    with jira(server) as platform:
        keys = keys_of(platform, PROJECT)
    with agile(server) as api:
        found = post(
            api, f"{API}/filter", {"name": "MKT board", "jql": "project = MKT ORDER BY Rank"}
        )
        body = {"name": BOARD, "type": "scrum", "filterId": int(found["id"])}
        board = post(
            api,
            f"{AGILE}/board",
            {**body, "location": {"type": "project", "projectKeyOrId": PROJECT}},
        )
        carried: list[str] = []
        for index, (name, state) in enumerate(SPRINTS):
            dates = {
                "startDate": f"2026-0{index + 1}-01T09:00:00Z",
                "endDate": f"2026-0{index + 1}-14T17:00:00Z",
            }
            sprint = post(
                api, f"{AGILE}/sprint", {"name": name, "originBoardId": board["id"], **dates}
            )
            mine = keys[index * 3 : index * 3 + 3] + carried
            post(api, f"{AGILE}/sprint/{sprint['id']}/issue", {"issues": mine})
            carried = mine[:2] if index == 0 else []
            for step in ("active", "closed")[: ("future", "active", "closed").index(state)]:
                post(api, f"{AGILE}/sprint/{sprint['id']}", {"state": step})
        answer = api.put(
            f"{AGILE}/issue/rank", json={"issues": keys[-3:], "rankBeforeIssue": keys[0]}
        )
        assert answer.status_code == 204, answer.text
        return [*keys[-3:], *keys[:-3]]


RANKED: list[str] = []  # the rank order add_board made, kept with the site built_site keeps


def board_export(run: Jiracfg) -> None:
    RANKED[:] = add_board(run.server)
    (run.repo / "jiracfg.yaml").write_text(f"data:\n  projects: [{PROJECT}]\n", encoding="utf-8")
    run("export")
    commit(run.repo, "export with boards and sprints")


@pytest.fixture
def agile_demo(built_site: BuiltSite) -> tuple[Jiracfg, list[str]]:
    return built_site("agile demo", board_export), list(RANKED)


def sprints_of(server: SandboxServer) -> dict[str, str]:
    with agile(server) as api:
        boards = api.get(f"{AGILE}/board", params={"name": BOARD}).json()["values"]
        found = api.get(f"{AGILE}/board/{boards[0]['id']}/sprint").json()["values"]
    return {s["name"]: s["state"] for s in found}


def issue_sprints(server: SandboxServer, key: str) -> list[str]:
    with agile(server) as api:
        fields = api.get(f"{API}/issue/{key}", params={"fields": "customfield_10020"}).json()[
            "fields"
        ]
    return [s["name"] for s in fields.get("customfield_10020") or []]


def ranked_keys(server: SandboxServer) -> list[str]:
    body = {"jql": f"project = {PROJECT} ORDER BY Rank ASC", "fields": ["key"], "maxResults": 500}
    with agile(server) as api:
        return [i["key"] for i in api.post(f"{API}/search/jql", json=body).json()["issues"]]


def test_export_writes_boards_sprints_membership_and_rank(
    agile_demo: tuple[Jiracfg, list[str]],
) -> None:
    run, ranked = agile_demo
    board = yaml.safe_load((run.repo / "boards" / "mkt-scrum.yaml").read_text())
    assert [(s["name"], s.get("state", "future")) for s in board["sprints"]] == SPRINTS
    assert board["filter"] == "MKT board" and board["location"] == PROJECT
    assert [c["name"] for c in board["columns"]] == ["To Do", "In Progress", "Done"]
    first = yaml.safe_load((run.repo / "data" / PROJECT / "000" / f"{PROJECT}-1.yaml").read_text())
    assert first["sprints"] == [f"{BOARD}/S1", f"{BOARD}/S2"]
    order = yaml.safe_load((run.repo / "data" / "rank.yaml").read_text())["order"]
    assert order == ranked
    assert run.plan_changes() == []


def test_rebuild_restores_sprint_states_membership_and_rank_under_faults(
    agile_demo: tuple[Jiracfg, list[str]], start_sandbox: StartSandbox, tmp_path: Path
) -> None:
    run, ranked = agile_demo
    target = apply_under_faults(run, start_sandbox, seed=11)
    server = target.server
    assert sprints_of(server) == dict(SPRINTS)
    assert issue_sprints(server, f"{PROJECT}-1") == ["S1", "S2"]  # carried over: both closed
    assert issue_sprints(server, f"{PROJECT}-7") == ["S3"]
    assert ranked_keys(server) == ranked
    rebuilt_equal(run, target, tmp_path, "rebuilt")


def unlink_outside(api: httpx.Client, keys: list[str]) -> None:
    """Delete the links of ``keys`` to issues outside them."""
    inside = set(keys)
    for key in keys:
        found = api.get(f"/issue/{key}", params={"fields": "issuelinks"}).json()["fields"]
        for link in found.get("issuelinks") or []:
            other = (link.get("outwardIssue") or link.get("inwardIssue") or {}).get("key")
            if other not in inside:
                api.delete(f"/issueLink/{link['id']}").raise_for_status()


def ranked_across(server: SandboxServer, projects: str) -> list[str]:
    body = {"jql": f"project in ({projects}) ORDER BY Rank ASC", "fields": ["key"]}
    with agile(server) as api:
        found = api.post(f"{API}/search/jql", json={**body, "maxResults": 500}).json()
    return [i["key"] for i in found["issues"]]


def test_a_board_across_two_projects_gets_its_order_back_across_them(
    start_sandbox: StartSandbox, tmp_path: Path
) -> None:
    """Jira's rank is one order across projects: a board on MKT and SUP shows them interleaved,
    and a rebuild restores the interleaving, not only each project's own order."""
    server = start_sandbox("demo")
    with jira(server) as platform:
        mkt, sup = keys_of(platform, "MKT"), keys_of(platform, "SUP")
        unlink_outside(platform, [*mkt, *sup])  # a rebuild of MKT and SUP alone
    with agile(server) as api:
        desk = {"name": "Campaign desk", "jql": "project in (MKT, SUP) ORDER BY Rank ASC"}
        found = post(api, f"{API}/filter", desk)
        board = {"name": "Campaign desk", "type": "kanban", "filterId": int(found["id"])}
        post(api, f"{AGILE}/board", board)
        body = {"issues": sup[:3], "rankAfterIssue": mkt[0]}
        assert api.put(f"{AGILE}/issue/rank", json=body).status_code == 204
    wanted = ranked_across(server, "MKT, SUP")
    assert wanted.index(sup[0]) == wanted.index(mkt[0]) + 1  # interleaved on the source
    repo = tmp_path / "acme-jira"
    init_repo(repo)
    (repo / "jiracfg.yaml").write_text("data:\n  projects: [MKT, SUP]\n", encoding="utf-8")
    run = Jiracfg(server, repo)
    run("export")
    assert yaml.safe_load((repo / "data" / "rank.yaml").read_text())["order"] == wanted
    assert not (repo / "data" / "MKT" / "rank.yaml").exists()
    target = run.with_server(start_sandbox("fresh"))
    target("apply", "--auto-approve")
    assert ranked_across(target.server, "MKT, SUP") == wanted
    assert target.plan_changes("--detailed-exitcode") == []


def test_a_rank_that_is_project_by_project_survives_projects_created_in_parallel(
    start_sandbox: StartSandbox, tmp_path: Path
) -> None:
    """Apply creates the projects' issues concurrently and Jira ranks each new issue last, so a
    rebuild interleaves them: a wanted order that is exactly project by project is still a rank
    change, and the plan after apply is empty."""
    server = start_sandbox("demo")
    with jira(server) as platform:
        mkt, sup = keys_of(platform, "MKT"), keys_of(platform, "SUP")
        unlink_outside(platform, [*mkt, *sup])
    with agile(server) as api:
        body = {"issues": mkt, "rankBeforeIssue": sup[0]}  # the demo ranks SUP first
        assert api.put(f"{AGILE}/issue/rank", json=body).status_code == 204
    wanted = ranked_across(server, "MKT, SUP")
    assert wanted == sorted(wanted, key=lambda k: k.split("-")[0])  # project by project
    repo = tmp_path / "acme-jira"
    init_repo(repo)
    (repo / "jiracfg.yaml").write_text("data:\n  projects: [MKT, SUP]\n", encoding="utf-8")
    run = Jiracfg(server, repo)
    run("export")
    target = run.with_server(start_sandbox("fresh", latency_ms=2))
    target("apply", "--auto-approve")
    assert ranked_across(target.server, "MKT, SUP") == wanted
    assert target.plan_changes("--detailed-exitcode") == []


def test_a_per_project_rank_file_of_an_earlier_version_is_refused_until_export(
    agile_demo: tuple[Jiracfg, list[str]],
) -> None:
    """``data/<PROJECT>/rank.yaml`` (before ``data/rank.yaml``) is not read by plan or apply: it
    is an error naming the file, until export rewrites it."""
    run, ranked = agile_demo
    old = run.repo / "data" / PROJECT / "rank.yaml"
    old.write_text("order:\n" + "".join(f"- {k}\n" for k in reversed(ranked)), encoding="utf-8")
    for command in ("validate", "plan"):
        refused = run(command, expect=1)
        assert f"data/{PROJECT}/rank.yaml:1" in refused.output, refused.output
        assert "run jiracfg export to rewrite it as data/rank.yaml" in refused.output
    run("export")
    assert not old.exists()
    run("validate")


def board_file(run: Jiracfg) -> Path:
    return run.repo / "boards" / "mkt-scrum.yaml"


def edit_board(run: Jiracfg, change: Any) -> None:
    path = board_file(run)
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


@pytest.mark.parametrize(
    ("edit", "check"),
    [
        (lambda d: d["sprints"][0].update(state="active"), "sprint_states_move_forward"),
        (
            lambda d: d["sprints"][1].update(end="2030-01-01T00:00:00.000Z"),
            "sprint_states_move_forward",
        ),
        (lambda d: d.update(type="kanban"), "replaced_boards_have_no_sprints"),
        (lambda d: d.update(name="MKT Planning", renamed_from=BOARD), "boards_not_renamed"),
    ],
)
def test_what_jira_refuses_stops_the_plan_before_any_write(
    agile_demo: tuple[Jiracfg, list[str]], edit: Any, check: str
) -> None:
    run, _ = agile_demo
    before = sprints_of(run.server)
    edit_board(run, edit)
    result = run("plan", expect=1)
    assert check in result.output, result.output
    assert run("apply", "--auto-approve", expect=1).code == 1
    assert sprints_of(run.server) == before


def test_columns_are_read_only_a_difference_is_a_warning(
    agile_demo: tuple[Jiracfg, list[str]],
) -> None:
    run, _ = agile_demo
    edit_board(run, lambda d: d["columns"].pop())
    result = run("plan")
    assert "board_columns_match" in result.output and "no REST call" in result.output
    assert run.plan_changes() == []


def test_an_issue_moved_to_the_backlog_and_into_the_future_sprint(
    agile_demo: tuple[Jiracfg, list[str]],
) -> None:
    run, _ = agile_demo
    path = run.repo / "data" / PROJECT / "000" / f"{PROJECT}-7.yaml"
    data = yaml.safe_load(path.read_text())
    data["sprints"] = [f"{BOARD}/S4"]
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    path = run.repo / "data" / PROJECT / "000" / f"{PROJECT}-8.yaml"
    data = yaml.safe_load(path.read_text())
    data.pop("sprints")
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    assert sorted(run.plan_changes()) == [
        f"update sprint_issues/{BOARD}/S3",
        f"update sprint_issues/{BOARD}/S4",
    ]
    run("apply", "--auto-approve")
    assert issue_sprints(run.server, f"{PROJECT}-7") == ["S4"]
    assert issue_sprints(run.server, f"{PROJECT}-8") == []
    assert run.plan_changes() == []
