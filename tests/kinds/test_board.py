"""board and sprint kinds against the sandbox: round trips, namesakes, read-only columns, sprint
states moved forward in Jira's order."""

from __future__ import annotations

from typing import Any

import pytest

from jiracfg.client import JiraClient
from jiracfg.errors import ConfigError, JiraApiError
from jiracfg.kinds import ApplyContext, FetchContext
from jiracfg.kinds.board import KIND as BOARD
from jiracfg.kinds.project import KIND as PROJECT
from jiracfg.kinds.sprint import KIND as SPRINT
from jiracfg.kinds.status import KIND as STATUS
from jiracfg.model import Address, Resource, Snapshot
from tests.conftest import Api, create_project
from tests.sandbox.test_agile import make_filter, make_issues

START, END = "2024-05-06T09:00:00+02:00", "2024-05-20T17:00:00+02:00"


def live(client: JiraClient, api: Api) -> Snapshot:
    ctx = FetchContext(client)
    for kind in (STATUS, PROJECT):
        for resource in kind.fetch(ctx):
            ctx.add(resource)
    for found in api.checked("GET", "/filter/search", 200)["values"]:
        spec = {"name": found["name"]}
        ctx.add(Resource(Address("filter", found["name"]), spec, {"id": str(found["id"])}))
    for kind in (BOARD, SPRINT):
        for resource in list(kind.fetch(ctx)):
            ctx.add(resource)
    return ctx.live


def of(snapshot: Snapshot, kind: str) -> dict[str, Resource]:
    return {r.address.key: r for r in snapshot.of_kind(kind)}


def apply_ctx(client: JiraClient, api: Api, **settings: Any) -> ApplyContext:
    return ApplyContext(client, live(client, api), settings)


@pytest.fixture
def eng(api: Api) -> Api:
    create_project(api, "ENG")
    make_filter(api)
    return api


def test_a_board_round_trips_with_its_columns(client: JiraClient, eng: Api) -> None:
    spec = {"name": "ENG board", "type": "scrum", "filter": "ENG issues", "location": "ENG"}
    board_id = BOARD.create(apply_ctx(client, eng), spec)
    found = of(live(client, eng), "board")["ENG board"]
    assert found.id == board_id
    columns = found.spec.pop("columns")
    assert found.spec == spec
    assert [c["name"] for c in columns] == ["To Do", "In Progress", "Done"]
    assert "In Progress" in columns[1]["statuses"]
    assert BOARD.find(apply_ctx(client, eng), spec) == board_id
    BOARD.delete(apply_ctx(client, eng), found)
    assert of(live(client, eng), "board") == {}


def test_board_namesakes_get_aliases_by_age(client: JiraClient, eng: Api) -> None:
    spec = {"name": "Team", "type": "kanban", "filter": "ENG issues"}
    first, second = (BOARD.create(apply_ctx(client, eng), spec) for _ in range(2))
    boards = of(live(client, eng), "board")
    assert (boards["Team"].id, boards["Team (2)"].id) == (first, second)
    assert boards["Team (2)"].spec["alias"] == "Team (2)"
    assert BOARD.find(apply_ctx(client, eng), {**spec, "alias": "Team (2)"}) == second


def test_columns_never_make_a_change(client: JiraClient, eng: Api) -> None:
    spec = {"name": "B", "type": "kanban", "filter": "ENG issues"}
    BOARD.create(apply_ctx(client, eng), spec)
    found = of(live(client, eng), "board")["B"].spec
    mine = {**found, "columns": [{"name": "Only", "statuses": ["Done"]}]}
    assert BOARD.comparable(found, mine) == found


def board_with_sprints(client: JiraClient, api: Api) -> None:
    spec = {"name": "ENG board", "type": "scrum", "filter": "ENG issues", "location": "ENG"}
    BOARD.create(apply_ctx(client, api), spec)


def sprint(name: str, **extra: Any) -> dict[str, Any]:
    return SPRINT.canonical({"board": "ENG board", "name": name, **extra})


def test_sprints_are_created_in_their_state(client: JiraClient, eng: Api) -> None:
    board_with_sprints(client, eng)
    wanted = [
        sprint("Sprint 1", state="closed", goal="Done", start=START, end=END),
        sprint("Sprint 2", state="active", start=START, end=END),
        sprint("Sprint 3", goal="Next"),
    ]
    for spec in wanted:
        SPRINT.create(apply_ctx(client, eng), spec)
    found = of(live(client, eng), "sprint")
    assert [found[f"ENG board/Sprint {n}"].spec for n in (1, 2, 3)] == wanted
    assert wanted[0]["start"] == "2024-05-06T07:00:00.000Z"


def test_with_data_managed_sprints_wait_future_for_their_issues(
    client: JiraClient, eng: Api
) -> None:
    board_with_sprints(client, eng)
    spec = sprint("Sprint 1", state="closed", start=START, end=END)
    SPRINT.create(apply_ctx(client, eng, data={"projects": ["ENG"]}), spec)
    found = of(live(client, eng), "sprint")["ENG board/Sprint 1"]
    assert "state" not in found.spec
    SPRINT.update(apply_ctx(client, eng), found, spec)
    assert of(live(client, eng), "sprint")["ENG board/Sprint 1"].spec == spec


def test_a_closed_sprint_keeps_its_issues_and_takes_only_name_and_goal(
    client: JiraClient, eng: Api
) -> None:
    board_with_sprints(client, eng)
    spec = sprint("S", start=START, end=END)
    sprint_id = SPRINT.create(apply_ctx(client, eng), spec)
    keys = make_issues(eng, 2)
    eng.checked("POST", f"/rest/agile/1.0/sprint/{sprint_id}/issue", 204, json={"issues": keys})
    found = of(live(client, eng), "sprint")["ENG board/S"]
    SPRINT.update(apply_ctx(client, eng), found, {**spec, "state": "closed"})
    found = of(live(client, eng), "sprint")["ENG board/S"]
    later = {**spec, "state": "closed", "goal": "Kept", "end": "2030-01-01T00:00:00.000Z"}
    SPRINT.update(apply_ctx(client, eng), found, later)
    assert of(live(client, eng), "sprint")["ENG board/S"].spec == {**later, "end": spec["end"]}
    with pytest.raises(ConfigError, match="back to active"):
        SPRINT.update(apply_ctx(client, eng), found, {**spec, "state": "active"})
    issues = eng.checked("GET", f"/rest/agile/1.0/sprint/{sprint_id}/issue", 200)["issues"]
    assert [i["key"] for i in issues] == keys


def test_jira_refuses_a_sprint_on_a_kanban_board(client: JiraClient, eng: Api) -> None:
    BOARD.create(apply_ctx(client, eng), {"name": "K", "type": "kanban", "filter": "ENG issues"})
    with pytest.raises(JiraApiError, match="scrum"):
        SPRINT.create(apply_ctx(client, eng), {"board": "K", "name": "S"})
