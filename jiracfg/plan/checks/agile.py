"""Boards and sprints: what Jira's Agile REST API cannot do, known before any write.

Jira creates and deletes boards but changes nothing on one (no rename, filter, type, location, or
columns), and moves a sprint only forward (future -> active with dates -> closed), ignoring new
dates on a closed sprint. See ``jiracfg.kinds.board`` and ``jiracfg.kinds.sprint``.
"""

from __future__ import annotations

from jiracfg.model import Resource
from jiracfg.plan.checks._inputs import Inputs
from jiracfg.plan.model import Action, Change, Problem

STATES = ("future", "active", "closed")
COLUMNS_HINT = (
    "Jira has no REST call to change a board's columns: change them in Jira (the board's "
    "settings > Columns) and export, or write the site's columns into the repo"
)


def _state(spec: dict[str, object] | None) -> str:
    return str((spec or {}).get("state") or "future")


def board_columns_match(inputs: Inputs) -> list[Problem]:
    """Columns are read-only: a difference is shown, never applied."""
    out = []
    for board in inputs.desired.of_kind("board"):
        live = inputs.live.get(board.address)
        want, have = board.spec.get("columns"), (live.spec.get("columns") if live else None)
        if live is None or want is None or want == have:
            continue
        out.append(
            Problem(
                "warning",
                "board_columns_match",
                f"{board.address}: the site's columns differ from the repo's "
                f"({_columns(have)} on the site, {_columns(want)} in the repo); jiracfg "
                "leaves them as they are",
                COLUMNS_HINT,
                str(board.address),
            )
        )
    return out


def _columns(columns: object) -> str:
    if not isinstance(columns, list):
        return "none"
    return " | ".join(f"{c.get('name')}: {', '.join(c.get('statuses') or [])}" for c in columns)


def boards_not_renamed(inputs: Inputs) -> list[Problem]:
    return [
        Problem(
            "error",
            "boards_not_renamed",
            f"{c.address}: Jira has no REST call to rename board {c.renamed_from!r}",
            f"rename it in Jira (the board's settings) first, or keep the name {c.renamed_from!r}",
            str(c.address),
        )
        for c in inputs.changes
        if c.address.kind == "board" and c.renamed_from
    ]


def replaced_boards_have_no_sprints(inputs: Inputs) -> list[Problem]:
    """A board Jira can't change is replaced; its sprints would stay with the deleted board."""
    out = []
    for change in inputs.of(Action.REPLACE):
        if change.address.kind != "board":
            continue
        sprints = _live_sprints(inputs, change.live_address.key)
        if sprints:
            out.append(
                Problem(
                    "error",
                    "replaced_boards_have_no_sprints",
                    f"{change.address}: Jira can't change a board's {_what(change)} over REST, "
                    f"so the plan replaces it, which would leave its {len(sprints)} sprint(s) "
                    "with the deleted board",
                    "change it in Jira (the board's settings) and export, or keep its "
                    f"{_what(change)} in the repo",
                    str(change.address),
                )
            )
    return out


def _what(change: Change) -> str:
    before, after = change.before or {}, change.after or {}
    found = [k for k in ("type", "filter", "location") if before.get(k) != after.get(k)]
    return " and ".join(found) or "settings"


def _live_sprints(inputs: Inputs, board: str) -> list[Resource]:
    return [s for s in inputs.live.of_kind("sprint") if s.spec.get("board") == board]


def sprint_states_move_forward(inputs: Inputs) -> list[Problem]:
    """Jira moves a sprint only from future to active to closed."""
    out = []
    for change in inputs.of(Action.UPDATE):
        if change.address.kind != "sprint":
            continue
        now, wanted = _state(change.before), _state(change.after)
        if STATES.index(wanted) < STATES.index(now):
            out.append(
                _sprint_problem(
                    change,
                    f"the sprint is {now} on the site and Jira can't move it back to {wanted}",
                    f"keep state: {now} (or make a new sprint)",
                )
            )
        elif now == "closed" and _dates(change.before) != _dates(change.after):
            out.append(
                _sprint_problem(
                    change,
                    "the sprint is closed: Jira keeps a closed sprint's dates (only its name "
                    "and goal change)",
                    "keep the site's start and end in the repo",
                )
            )
    return out


def _dates(spec: dict[str, object] | None) -> tuple[object, object]:
    return (spec or {}).get("start"), (spec or {}).get("end")


def _sprint_problem(change: Change, why: str, hint: str) -> Problem:
    return Problem(
        "error", "sprint_states_move_forward", f"{change.address}: {why}", hint, str(change.address)
    )


def sprints_on_scrum_boards(inputs: Inputs) -> list[Problem]:
    """Only scrum boards have sprints."""
    out = []
    for sprint in inputs.desired.of_kind("sprint"):
        board = next(
            (b for b in inputs.desired.of_kind("board") if b.address.key == sprint.spec["board"]),
            None,
        )
        if board is not None and board.spec.get("type") != "scrum":
            out.append(
                Problem(
                    "error",
                    "sprints_on_scrum_boards",
                    f"{sprint.address}: board {board.address.key!r} is a {board.spec.get('type')} "
                    "board; Jira gives sprints only to scrum boards",
                    "move the sprint to a scrum board, or make the board type: scrum",
                    str(sprint.address),
                )
            )
    return out
