"""The demo's boards and sprints, made through the sandbox's Agile API after the issues exist.

ENG has a scrum board with two closed sprints (a few issues carried over from the first into the
second, so they hold both), an active one and a future one; OPS has a kanban board. Each board
shows a filter of its project ordered by rank. Some issues are ranked out of their creation order,
so a rebuild has a rank order to restore.
"""

from __future__ import annotations

from typing import Any

from jiracfg.sandbox.seed.local import Local

AGILE = "/rest/agile/1.0"
SPRINTS = [  # name, goal, start, end, state
    ("ENG Sprint 1", "Checkout works on every browser", "2026-10-05", "2026-10-16", "closed"),
    ("ENG Sprint 2", "Faster search", "2026-10-19", "2026-10-30", "closed"),
    ("ENG Sprint 3", "Release 2.0", "2026-11-02", "2026-11-13", "active"),
    ("ENG Sprint 4", "", "2026-11-16", "2026-11-27", "future"),
]
PER_SPRINT, CARRIED = 6, 2  # issues per sprint; of Sprint 1's, how many are carried into Sprint 2


def seed_agile(api: Local) -> None:
    scrum = board(api, "ENG Scrum", "scrum", "ENG", "Engineering board")
    board(api, "OPS Kanban", "kanban", "OPS", "Operations flow")
    stories = work_items(api, "ENG")
    sprints(api, scrum, stories)
    rank(api, stories, work_items(api, "OPS"))


def board(api: Local, name: str, kind: str, project: str, filter_name: str) -> str:
    jql = f"project = {project} ORDER BY Rank ASC"
    found = api.post("/filter", {"name": filter_name, "jql": jql, "description": f"{name}'s"})
    body = {
        "name": name,
        "type": kind,
        "filterId": int(found["id"]),
        "location": {"type": "project", "projectKeyOrId": project},
    }
    return str(api.post(f"{AGILE}/board", body)["id"])


def work_items(api: Local, project: str) -> list[str]:
    """The project's issues that sprints and rank take (not epics, not sub-tasks), by key."""
    jql = f"project = {project} AND issuetype not in (Epic, Sub-task) ORDER BY key ASC"
    found = api.post("/search/jql", {"jql": jql, "fields": ["key"], "maxResults": 200})
    return [str(i["key"]) for i in found["issues"]]


def sprints(api: Local, board_id: str, stories: list[str]) -> None:
    """Each sprint gets its issues, then is started and closed as its state says, in order."""
    carried: list[str] = []
    for index, (name, goal, start, end, state) in enumerate(SPRINTS):
        body: dict[str, Any] = {
            "name": name,
            "originBoardId": int(board_id),
            "startDate": f"{start}T09:00:00.000+00:00",
            "endDate": f"{end}T17:00:00.000+00:00",
        }
        if goal:
            body["goal"] = goal
        sprint = str(api.post(f"{AGILE}/sprint", body)["id"])
        mine = stories[index * PER_SPRINT : (index + 1) * PER_SPRINT] + carried
        api.post(f"{AGILE}/sprint/{sprint}/issue", {"issues": mine})
        carried = mine[:CARRIED] if index == 0 else []
        for step in ("active", "closed")[: ("future", "active", "closed").index(state)]:
            api.post(f"{AGILE}/sprint/{sprint}", {"state": step})


def rank(api: Local, stories: list[str], ops: list[str]) -> None:
    """The future sprint's issues first in ENG's backlog, and OPS's newest issues on top."""
    ahead = stories[3 * PER_SPRINT : 4 * PER_SPRINT]
    api.put(f"{AGILE}/issue/rank", {"issues": ahead, "rankBeforeIssue": stories[0]})
    api.put(f"{AGILE}/issue/rank", {"issues": ops[-3:], "rankBeforeIssue": ops[0]})
    api.put(f"{AGILE}/issue/rank", {"issues": [ops[5]], "rankAfterIssue": ops[10]})
