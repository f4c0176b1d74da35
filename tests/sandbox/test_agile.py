"""The sandbox's Agile API: boards, their configuration, sprints and their states, sprint issues,
the backlog and rank, and the Sprint and Rank fields of issues."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Api, create_project

AGILE = "/rest/agile/1.0"
START, END = "2024-05-06T09:00:00.000+02:00", "2024-05-20T17:00:00.000+02:00"


def make_filter(api: Api, name: str = "ENG issues", jql: str = "project = ENG") -> str:
    body = {"name": name, "jql": f"{jql} ORDER BY Rank ASC"}
    return str(api.checked("POST", "/filter", 200, json=body)["id"])


def make_board(api: Api, name: str = "ENG board", kind: str = "scrum") -> dict[str, Any]:
    body = {
        "name": name,
        "type": kind,
        "filterId": int(make_filter(api, f"{name} filter")),
        "location": {"type": "project", "projectKeyOrId": "ENG"},
    }
    board: dict[str, Any] = api.checked("POST", f"{AGILE}/board", 201, json=body)
    return board


def make_sprint(api: Api, board: int, name: str = "Sprint 1", **extra: Any) -> dict[str, Any]:
    body = {"name": name, "originBoardId": board, **extra}
    sprint: dict[str, Any] = api.checked("POST", f"{AGILE}/sprint", 201, json=body)
    return sprint


def make_issues(api: Api, count: int) -> list[str]:
    keys = []
    for n in range(count):
        body = {"fields": {"project": {"key": "ENG"}, "issuetype": {"name": "Task"}}}
        body["fields"]["summary"] = f"issue {n}"
        keys.append(api.checked("POST", "/issue", 201, json=body)["key"])
    return keys


@pytest.fixture
def eng(api: Api) -> Api:
    create_project(api, "ENG")
    return api


def test_a_board_is_created_from_a_filter_in_a_project_and_listed(eng: Api) -> None:
    board = make_board(eng)
    got = eng.checked("GET", f"{AGILE}/board/{board['id']}", 200)
    assert (got["name"], got["type"], got["location"]["projectKey"]) == (
        "ENG board",
        "scrum",
        "ENG",
    )
    make_board(eng, "Ops flow", "kanban")
    page = eng.checked("GET", f"{AGILE}/board", 200, params={"maxResults": 1})
    assert (page["total"], page["isLast"], len(page["values"])) == (2, False, 1)
    kanban = eng.checked("GET", f"{AGILE}/board", 200, params={"type": "kanban"})
    assert [b["name"] for b in kanban["values"]] == ["Ops flow"]


def test_a_board_needs_a_known_filter_a_type_and_a_name(eng: Api) -> None:
    body = {"name": "x", "type": "scrum", "filterId": 99999}
    assert "filterId" in eng.error("POST", f"{AGILE}/board", 400, json=body)["errors"]
    body = {"name": "x", "type": "agile", "filterId": int(make_filter(eng))}
    assert "type" in eng.error("POST", f"{AGILE}/board", 400, json=body)["errors"]
    body = {**body, "type": "scrum", "name": " "}
    assert "name" in eng.error("POST", f"{AGILE}/board", 400, json=body)["errors"]
    assert eng.checked("GET", f"{AGILE}/board", 200)["total"] == 0


def test_board_configuration_maps_the_project_statuses_to_columns(eng: Api) -> None:
    board = make_board(eng)
    config = eng.checked("GET", f"{AGILE}/board/{board['id']}/configuration", 200)
    columns = config["columnConfig"]["columns"]
    assert [c["name"] for c in columns] == ["To Do", "In Progress", "Done"]
    assert all(c["statuses"] for c in columns)
    assert config["location"] == {
        "type": "project",
        "projectKeyOrId": board["location"]["projectId"].__str__(),
    }


def test_a_deleted_board_is_gone(eng: Api) -> None:
    board = make_board(eng)
    eng.checked("DELETE", f"{AGILE}/board/{board['id']}", 204)
    eng.error("GET", f"{AGILE}/board/{board['id']}", 404)


def test_sprints_move_only_future_active_closed_with_dates(eng: Api) -> None:
    board = make_board(eng)["id"]
    sprint = make_sprint(eng, board, goal="Ship it")
    assert sprint["state"] == "future"
    path = f"{AGILE}/sprint/{sprint['id']}"
    body = eng.error("POST", path, 400, json={"state": "active"})
    assert "startDate" in body["errors"]
    eng.error("POST", path, 400, json={"state": "closed"})
    active = eng.checked(
        "POST", path, 200, json={"state": "active", "startDate": START, "endDate": END}
    )
    assert (active["state"], active["startDate"]) == ("active", "2024-05-06T07:00:00.000Z")
    eng.error("POST", path, 400, json={"state": "future"})
    closed = eng.checked("POST", path, 200, json={"state": "closed"})
    assert closed["state"] == "closed" and closed["completeDate"]
    eng.error("POST", path, 400, json={"state": "active"})
    renamed = eng.checked(
        "POST", path, 200, json={"name": "Old", "endDate": "2030-01-01T00:00:00Z"}
    )
    assert (renamed["name"], renamed["endDate"]) == ("Old", "2024-05-20T15:00:00.000Z")


def test_a_full_update_nulls_what_it_does_not_send(eng: Api) -> None:
    sprint = make_sprint(eng, make_board(eng)["id"], goal="g", startDate=START, endDate=END)
    updated = eng.checked("PUT", f"{AGILE}/sprint/{sprint['id']}", 200, json={"name": "S"})
    assert "goal" not in updated and "startDate" not in updated


def test_sprints_on_kanban_boards_and_end_before_start_are_refused(eng: Api) -> None:
    kanban = make_board(eng, "Flow", "kanban")["id"]
    eng.error("POST", f"{AGILE}/sprint", 400, json={"name": "S", "originBoardId": kanban})
    scrum = make_board(eng)["id"]
    body = {"name": "S", "originBoardId": scrum, "startDate": END, "endDate": START}
    assert "endDate" in eng.error("POST", f"{AGILE}/sprint", 400, json=body)["errors"]


def test_board_sprints_list_closed_then_active_then_future(eng: Api) -> None:
    board = make_board(eng)["id"]
    later, now, done = (make_sprint(eng, board, n, startDate=START, endDate=END) for n in "abc")
    eng.checked("POST", f"{AGILE}/sprint/{now['id']}", 200, json={"state": "active"})
    for state in ("active", "closed"):
        eng.checked("POST", f"{AGILE}/sprint/{done['id']}", 200, json={"state": state})
    page = eng.checked("GET", f"{AGILE}/board/{board}/sprint", 200)
    assert [s["name"] for s in page["values"]] == ["c", "b", "a"]
    active = eng.checked("GET", f"{AGILE}/board/{board}/sprint", 200, params={"state": "active"})
    assert [s["name"] for s in active["values"]] == ["b"]
    assert later["state"] == "future"


def sprint_ids(api: Api, key: str) -> list[int]:
    issue = api.checked("GET", f"/issue/{key}", 200, params={"fields": "customfield_10020"})
    return [s["id"] for s in issue["fields"].get("customfield_10020") or []]


def test_issues_move_into_sprints_and_keep_closed_ones(eng: Api) -> None:
    board = make_board(eng)["id"]
    one, two = (make_sprint(eng, board, n, startDate=START, endDate=END) for n in ("one", "two"))
    keys = make_issues(eng, 3)
    eng.checked("POST", f"{AGILE}/sprint/{one['id']}/issue", 204, json={"issues": keys})
    for state in ("active", "closed"):
        eng.checked("POST", f"{AGILE}/sprint/{one['id']}", 200, json={"state": state})
    body = eng.error("POST", f"{AGILE}/sprint/{one['id']}/issue", 400, json={"issues": keys[:1]})
    assert "closed" in body["errorMessages"][0]
    eng.checked("POST", f"{AGILE}/sprint/{two['id']}/issue", 204, json={"issues": keys[:2]})
    assert sprint_ids(eng, keys[0]) == [one["id"], two["id"]]
    eng.checked("POST", f"{AGILE}/backlog/issue", 204, json={"issues": keys[:1]})
    assert sprint_ids(eng, keys[0]) == [one["id"]]
    listed = eng.checked("GET", f"{AGILE}/sprint/{two['id']}/issue", 200)
    assert [i["key"] for i in listed["issues"]] == [keys[1]]
    found = eng.checked("POST", "/search/jql", 200, json={"jql": f"sprint = {one['id']}"})
    assert len(found["issues"]) == 3


def test_at_most_fifty_issues_move_at_once(eng: Api) -> None:
    sprint = make_sprint(eng, make_board(eng)["id"])
    issues = [f"ENG-{n}" for n in range(1, 52)]
    body = eng.error("POST", f"{AGILE}/sprint/{sprint['id']}/issue", 400, json={"issues": issues})
    assert "50" in body["errors"]["issues"]


def test_deleting_a_sprint_sends_its_issues_to_the_backlog(eng: Api) -> None:
    sprint = make_sprint(eng, make_board(eng)["id"])
    keys = make_issues(eng, 1)
    eng.checked("POST", f"{AGILE}/sprint/{sprint['id']}/issue", 204, json={"issues": keys})
    eng.checked("DELETE", f"{AGILE}/sprint/{sprint['id']}", 204)
    assert sprint_ids(eng, keys[0]) == []


def ranked(api: Api) -> list[str]:
    body = {"jql": "project = ENG ORDER BY Rank ASC", "fields": ["customfield_10019"]}
    return [i["key"] for i in api.checked("POST", "/search/jql", 200, json=body)["issues"]]


def test_new_issues_rank_last_and_rank_moves_them(eng: Api) -> None:
    keys = make_issues(eng, 5)
    assert ranked(eng) == keys
    eng.checked(
        "PUT", f"{AGILE}/issue/rank", 204, json={"issues": keys[3:], "rankBeforeIssue": keys[0]}
    )
    assert ranked(eng) == [keys[3], keys[4], keys[0], keys[1], keys[2]]
    eng.checked(
        "PUT", f"{AGILE}/issue/rank", 204, json={"issues": [keys[0]], "rankAfterIssue": keys[2]}
    )
    assert ranked(eng) == [keys[3], keys[4], keys[1], keys[2], keys[0]]
    for _ in range(30):  # ranking between the same two issues again and again finds room
        eng.checked(
            "PUT", f"{AGILE}/issue/rank", 204, json={"issues": [keys[1]], "rankAfterIssue": keys[4]}
        )
        eng.checked(
            "PUT", f"{AGILE}/issue/rank", 204, json={"issues": [keys[2]], "rankAfterIssue": keys[4]}
        )
    assert ranked(eng) == [keys[3], keys[4], keys[2], keys[1], keys[0]]


def test_rank_needs_exactly_one_anchor_other_than_itself(eng: Api) -> None:
    keys = make_issues(eng, 2)
    eng.error("PUT", f"{AGILE}/issue/rank", 400, json={"issues": keys[:1]})
    body = {"issues": keys[:1], "rankBeforeIssue": keys[1], "rankAfterIssue": keys[1]}
    eng.error("PUT", f"{AGILE}/issue/rank", 400, json=body)
    eng.error(
        "PUT", f"{AGILE}/issue/rank", 400, json={"issues": keys[:1], "rankAfterIssue": keys[0]}
    )
    eng.error(
        "PUT", f"{AGILE}/issue/rank", 400, json={"issues": ["ENG-99"], "rankAfterIssue": keys[0]}
    )
    assert ranked(eng) == keys


def test_a_sub_task_is_ranked_but_moves_into_sprints_only_with_its_parent(eng: Api) -> None:
    parent = make_issues(eng, 1)[0]
    body = {"project": {"key": "ENG"}, "issuetype": {"name": "Sub-task"}, "summary": "part"}
    child = eng.checked("POST", "/issue", 201, json={"fields": {**body, "parent": {"key": parent}}})
    sprint = make_sprint(eng, make_board(eng)["id"])
    path = f"{AGILE}/sprint/{sprint['id']}/issue"
    assert (
        "sub-task"
        in eng.error("POST", path, 400, json={"issues": [child["key"]]})["errors"]["issues"]
    )
    eng.checked("POST", path, 204, json={"issues": [parent]})
    assert sprint_ids(eng, child["key"]) == [sprint["id"]]
    rank = {"issues": [child["key"]], "rankBeforeIssue": parent}
    eng.checked("PUT", f"{AGILE}/issue/rank", 204, json=rank)
    assert ranked(eng) == [child["key"], parent]
