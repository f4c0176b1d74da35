"""JQL naming filters, sprints and users by id, end to end through the CLI: export writes the repo's
names, a rebuild into a fresh site writes the new site's ids (read back from the sandbox) with an
empty next plan, and a name the repo does not have is refused at file:line with a "did you mean"."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from jiracfg.sandbox.server import SandboxServer
from tests.conftest import StartSandbox
from tests.e2e.conftest import Jiracfg, commit, init_repo
from tests.e2e.test_agile import AGILE, API, agile, post

NAMED = "Hot bugs in the sprint"
FILE = "filters/hot-bugs-in-the-sprint.yaml"
REPO_JQL = (
    'filter = "Hot bugs" AND sprint = "ENG Scrum/ENG Sprint 5" AND assignee = "bob@acme.example" '
    "ORDER BY created DESC"
)


def site_jql(filter_id: str, sprint_id: str) -> str:
    return (
        f'filter = {filter_id} AND sprint = {sprint_id} AND assignee = "557058:bob" '
        "ORDER BY created DESC"
    )


def board_id(api: httpx.Client, name: str) -> int:
    boards = api.get(f"{AGILE}/board", params={"name": name}).json()["values"]
    return int(boards[0]["id"])


def burn_ids(api: httpx.Client, board: int) -> None:
    """Filters and sprints made and deleted, so the source's next ids are not the fresh site's."""
    for n in range(3):
        made = post(api, f"{API}/filter", {"name": f"burnt {n}", "jql": "project = ENG"})
        assert api.delete(f"{API}/filter/{made['id']}").status_code == 204
        sprint = post(api, f"{AGILE}/sprint", {"name": f"burnt {n}", "originBoardId": board})
        assert api.delete(f"{AGILE}/sprint/{sprint['id']}").status_code == 204


def by_name(api: httpx.Client) -> dict[str, dict[str, Any]]:
    params = {"expand": "jql", "overrideSharePermissions": "true", "maxResults": 100}
    return {f["name"]: f for f in api.get(f"{API}/filter/search", params=params).json()["values"]}


def sprint_ids(api: httpx.Client) -> dict[str, str]:
    found = api.get(f"{AGILE}/board/{board_id(api, 'ENG Scrum')}/sprint").json()["values"]
    return {s["name"]: str(s["id"]) for s in found}


@pytest.fixture
def named_by_id(start_sandbox: StartSandbox, tmp_path: Path) -> Jiracfg:
    """The demo plus a filter whose JQL names another filter, a sprint and a user by id."""
    server = start_sandbox("demo")
    with agile(server) as api:
        board = board_id(api, "ENG Scrum")
        burn_ids(api, board)
        hot = post(api, f"{API}/filter", {"name": "Hot bugs", "jql": "project = ENG"})
        sprint = post(api, f"{AGILE}/sprint", {"name": "ENG Sprint 5", "originBoardId": board})
        jql = site_jql(hot["id"], sprint["id"])
        post(api, f"{API}/filter", {"name": NAMED, "jql": jql})
    repo = tmp_path / "acme-jira"
    init_repo(repo)
    run = Jiracfg(server, repo)
    run("export")
    commit(repo, "export")
    return run


def test_ids_are_exported_as_names_and_rebuilt_as_the_new_sites_ids(
    named_by_id: Jiracfg, start_sandbox: StartSandbox
) -> None:
    spec = yaml.safe_load((named_by_id.repo / FILE).read_text())
    assert spec["jql"] == REPO_JQL
    named_by_id("validate")
    assert named_by_id.plan_changes() == []
    target = named_by_id.with_server(start_sandbox("fresh"))
    target("apply", "--auto-approve")
    with agile(named_by_id.server) as api:
        old = by_name(api)["Hot bugs"]["id"], sprint_ids(api)["ENG Sprint 5"]
    with agile(target.server) as api:
        new = by_name(api)["Hot bugs"]["id"], sprint_ids(api)["ENG Sprint 5"]
        assert by_name(api)[NAMED]["jql"] == site_jql(*new)
    assert old[0] != new[0] and old[1] != new[1], (old, new)  # the ids were mapped, not copied
    assert target.plan_changes("--detailed-exitcode") == []


@pytest.mark.parametrize(
    ("jql", "message"),
    [
        ('sprint = "ENG Sprint 5"', "did you mean 'ENG Scrum/ENG Sprint 5'?"),
        ('filter = "Hot bgus"', "did you mean 'Hot bugs'?"),
        ("filter = 10001", "names the filter 10001 by the site's own id"),
        ("parent = 10001", "name the issue by its key (ENG-12: a rebuild keeps issue keys)"),
    ],
)
def test_a_name_the_repo_lacks_is_refused_at_its_line(
    named_by_id: Jiracfg, jql: str, message: str
) -> None:
    path = named_by_id.repo / FILE
    spec = yaml.safe_load(path.read_text())
    path.write_text(yaml.safe_dump({**spec, "jql": jql}, sort_keys=False), encoding="utf-8")
    refused = named_by_id("validate", expect=1)
    line = 1 + next(n for n, text in enumerate(path.read_text().splitlines()) if "jql" in text)
    assert f"{FILE}:{line}" in refused.output and message in refused.output, refused.output


def test_a_user_the_target_lacks_stops_the_plan(named_by_id: Jiracfg) -> None:
    path = named_by_id.repo / FILE
    spec = yaml.safe_load(path.read_text())
    jql = spec["jql"].replace("bob@acme.example", "nobody@acme.example")
    path.write_text(yaml.safe_dump({**spec, "jql": jql}, sort_keys=False), encoding="utf-8")
    planned = named_by_id("plan", expect=1)
    assert "referenced_users_exist" in planned.output and "nobody@acme.example" in planned.output


def test_a_version_and_a_filter_named_by_digits_are_exported_quoted_and_validate(
    start_sandbox: StartSandbox, tmp_path: Path
) -> None:
    """Jira reads a bare number as an id: a version and a filter named "2024" are written quoted
    (``fixVersion = "2024"``), and validate takes a quoted name of digits."""
    server = start_sandbox("demo")
    with agile(server) as api:
        version = post(api, f"{API}/version", {"name": "2024", "project": "ENG"})
        digits = post(api, f"{API}/filter", {"name": "2024", "jql": "project = ENG"})
        jql = f"fixVersion = {version['id']} OR filter = {digits['id']}"
        post(api, f"{API}/filter", {"name": "Year", "jql": jql})
    assert exported_jql(server, tmp_path, "year") == 'fixVersion = "2024" OR filter = "2024"'


def test_issues_named_by_id_are_exported_by_key(
    start_sandbox: StartSandbox, tmp_path: Path
) -> None:
    """``parent = 10001`` names an issue by the site's id: export writes its key, which a rebuild
    keeps."""
    server = start_sandbox("demo")
    with agile(server) as api:
        ids = [api.get(f"{API}/issue/ENG-{n}").json()["id"] for n in (1, 2)]
        jql = f"parent = {ids[0]} OR issue in ({ids[0]}, {ids[1]}) OR key = {ids[1]}"
        post(api, f"{API}/filter", {"name": "By id", "jql": jql})
    expected = "parent = ENG-1 OR issue in (ENG-1, ENG-2) OR key = ENG-2"
    assert exported_jql(server, tmp_path, "by-id") == expected


def exported_jql(server: SandboxServer, tmp_path: Path, filter_file: str) -> str:
    """Export ``server`` into a new repo that validates and plans no change; the JQL of
    ``filters/<filter_file>.yaml``."""
    repo = tmp_path / "acme-jira"
    init_repo(repo)
    run = Jiracfg(server, repo)
    run("export")
    spec = yaml.safe_load((repo / "filters" / f"{filter_file}.yaml").read_text())
    run("validate")
    assert run.plan_changes("--detailed-exitcode") == []
    return str(spec["jql"])


def test_export_of_filters_alone_names_statuses_and_sprints(
    start_sandbox: StartSandbox, tmp_path: Path
) -> None:
    """``export --kinds filter`` reads the statuses, priorities and sprints its JQL names (and
    writes none of them): no site id reaches the YAML."""
    server = start_sandbox("demo")
    with agile(server) as api:
        status = next(s for s in api.get(f"{API}/status").json() if s["name"] == "In Progress")
        high = next(p for p in api.get(f"{API}/priority").json() if p["name"] == "High")
        sprint = post(
            api,
            f"{AGILE}/sprint",
            {"name": "ENG Sprint 5", "originBoardId": board_id(api, "ENG Scrum")},
        )
        jql = f"status = {status['id']} AND priority = {high['id']} AND sprint = {sprint['id']}"
        post(api, f"{API}/filter", {"name": "Only filters", "jql": jql})
    repo = tmp_path / "acme-jira"
    init_repo(repo)
    Jiracfg(server, repo)("export", "--kinds", "filter")
    spec = yaml.safe_load((repo / "filters" / "only-filters.yaml").read_text())
    assert (
        spec["jql"]
        == 'status = "In Progress" AND priority = High AND sprint = "ENG Scrum/ENG Sprint 5"'
    )
    assert not (repo / "statuses").exists() and not (repo / "boards").exists()
