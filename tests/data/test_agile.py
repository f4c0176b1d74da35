"""Sprint membership and rank in the data layer: the moves that restore an order, and the plan's
sprint changes (pure: no site)."""

from __future__ import annotations

import random

from jiracfg.data.agile import (
    AgileFacts,
    longest_increasing,
    rank_moves,
    sprint_changes,
)
from jiracfg.model import Address, Resource, Snapshot


def replay(live: list[str], moves: list[tuple[list[str], str, bool]]) -> list[str]:
    """What Jira's rank does with ``moves``: each run goes right before or after its anchor."""
    order = list(live)
    for run, anchor, before in moves:
        order = [k for k in order if k not in run]
        at = order.index(anchor) + (0 if before else 1)
        order[at:at] = run
    return order


def test_longest_increasing_keeps_the_most_issues_in_place() -> None:
    assert longest_increasing([3, 0, 1, 4, 2, 5]) == [0, 1, 2, 5]
    assert longest_increasing([]) == []


def test_rank_moves_restore_any_order_and_move_only_what_must() -> None:
    rng = random.Random(7)
    for size in (1, 2, 5, 60, 130):
        wanted = [f"ENG-{n}" for n in range(1, size + 1)]
        live = rng.sample(wanted, size)
        assert replay(live, rank_moves(wanted, live)) == wanted
    assert rank_moves(wanted, wanted) == []
    one_out = [*wanted[1:], wanted[0]]  # the first issue ranked last: one request
    assert rank_moves(wanted, one_out) == [([wanted[0]], wanted[1], True)]


def test_rank_moves_leave_issues_the_repo_does_not_order_alone() -> None:
    moves = rank_moves(["A-2", "A-1"], ["A-1", "X-9", "A-2"])
    assert replay(["A-1", "X-9", "A-2"], moves) in (["X-9", "A-2", "A-1"], ["A-2", "A-1", "X-9"])
    assert sum(len(run) for run, _, _ in moves) == 1


def sprint(key: str, **spec: str) -> Resource:
    board, name = key.split("/")
    return Resource(Address("sprint", key), {"board": board, "name": name, **spec}, {})


def test_sprint_changes_add_issues_then_reach_the_state() -> None:
    facts = AgileFacts()
    facts.note("ENG-1", {"sprints": ["B/S1", "B/S2"]}, None)
    facts.note("ENG-2", {"sprints": ["B/S2"]}, {"sprints": ["B/S2"]})
    desired = Snapshot(
        [sprint("B/S2", state="active", start="2"), sprint("B/S1", state="closed", start="1")]
    )
    sprint_changes(facts, desired, Snapshot())
    assert [(c.address.key, c.after["add"], c.after["state"]) for c in facts.changes] == [
        ("B/S1", ["ENG-1"], "closed"),
        ("B/S2", ["ENG-1"], "active"),
    ]


def test_a_closed_sprint_takes_no_issues_and_keeps_its_own() -> None:
    facts = AgileFacts()
    facts.note("ENG-1", {"sprints": ["B/S1"]}, None)
    facts.note("ENG-2", {}, {"sprints": ["B/S1"]})
    live = Snapshot([sprint("B/S1", state="closed")])
    sprint_changes(facts, Snapshot([sprint("B/S1", state="closed")]), live)
    assert facts.changes == []
    assert [p.check for p in facts.problems] == ["closed_sprints_take_no_issues"] * 2
    assert "ENG-1" in facts.problems[0].message and "ENG-2" in facts.problems[1].message


def test_issues_leave_an_open_sprint_for_the_backlog_unless_another_takes_them() -> None:
    facts = AgileFacts()
    facts.note("ENG-1", {}, {"sprints": ["B/S1"]})
    facts.note("ENG-2", {"sprints": ["B/S2"]}, {"sprints": ["B/S1"]})
    both = Snapshot([sprint("B/S1", state="active"), sprint("B/S2")])
    sprint_changes(facts, both, both)
    found = {c.address.key: c.after for c in facts.changes}
    assert found["B/S1"]["backlog"] == ["ENG-1"]
    assert found["B/S2"]["add"] == ["ENG-2"]
