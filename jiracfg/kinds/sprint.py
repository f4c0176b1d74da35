"""sprint: a scrum board's sprints, nested under ``sprints:`` in the board's file.

Spec: ``{board, name, alias?, state?: active|closed (absent: future), goal?, start?, end?}``,
dates in UTC as Jira gives them (``2024-05-06T07:00:00.000Z``; any ISO date-time with a zone is
read). The key is ``<board key>/<sprint name>``; names are not unique on a board, so later
namesakes (by id) get ``alias: "<name> (<n>)"``. Only the sprints a board made (its
``originBoardId``) are its own.

Jira creates every sprint ``future`` and moves it only forward: start (future -> active, with both
dates) and close (active -> closed, ``completeDate`` = now). A closed sprint takes only a new name
or goal, and no issues. So a sprint is rebuilt in its state by creating it, adding its issues,
starting it and closing it, in that order. When the repo manages issues (``data:`` in
jiracfg.yaml) the issues are added by the data step, after they exist: this kind then only
creates and edits sprints, and the data step moves each sprint to its state once its issues are
in (``jiracfg.data.sprints``). Without ``data:``, this kind starts and closes sprints itself.
What Jira refuses (going back, dates on a closed sprint, starting without dates) is refused by
plan checks (``sprint_states_move_forward``) before any write.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from jiracfg.errors import ConfigError
from jiracfg.kinds._base import ApplyContext, FetchContext, Flaw, Kind, drop_empty
from jiracfg.kinds.board import AGILE, namesake_keys
from jiracfg.model import Address, Resource, Spec

STATES = ("future", "active", "closed")
DATES = {"start": "startDate", "end": "endDate"}


def utc(value: Any) -> Any:
    """An ISO date-time as Jira writes it back (UTC, milliseconds, ``Z``); else unchanged."""
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return value
    if parsed.tzinfo is None:
        return value
    return parsed.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def state_of(spec: Spec) -> str:
    return str(spec.get("state") or "future")


def data_managed(ctx: ApplyContext) -> bool:
    """Whether the data step adds issues to sprints (and so moves them to their state)."""
    return bool(ctx.settings.get("data"))


class SprintKind(Kind):
    name = "sprint"
    folder = "boards"
    audited = False  # Jira's audit log does not record them (see sandbox/audit.py)
    depends_on = ("board",)
    parent = "board"
    parent_field = "sprints"
    parent_key_field = "board"

    def key(self, spec: Spec) -> str:
        return f"{spec['board']}/{spec.get('alias') or spec['name']}"

    def refs(self, spec: Spec) -> Iterable[Address]:
        yield Address("board", spec["board"])

    def flaws(self, spec: Spec) -> Iterable[Flaw]:
        """Jira starts a sprint only with both dates, and an end after its start."""
        start, end = utc(spec.get("start")), utc(spec.get("end"))
        if state_of(spec) != "future" and not (start and end):
            yield Flaw(
                f"a {state_of(spec)} sprint needs a start and an end (Jira starts a sprint only "
                "with both)",
                str(spec.get("state")),
                "add start: and end: date-times with a zone",
            )
        if start and end and str(end) <= str(start):
            yield Flaw(
                "the sprint ends before it starts", str(spec["end"]), "make end later than start"
            )

    def canonical(self, spec: Spec) -> Spec:
        out = {k: utc(v) if k in DATES else v for k, v in spec.items()}
        return {k: v for k, v in out.items() if not (k == "state" and v == "future")}

    def fetch(self, ctx: FetchContext) -> Iterable[Resource]:
        boards = [b for b in ctx.live.of_kind("board") if b.spec.get("type") == "scrum"]
        found = ctx.client.map(lambda b: self._of_board(ctx, b), boards)
        return [r for rs in found for r in rs]

    def _of_board(self, ctx: FetchContext, board: Resource) -> list[Resource]:
        out = []
        for sprint, key in own_sprints(ctx.client, str(board.id)):
            spec = spec_of(board.address.key, sprint)
            if key != sprint["name"]:
                spec["alias"] = key
            out.append(self.resource(spec, id=str(sprint["id"]), state=sprint["state"]))
        return out

    def create(self, ctx: ApplyContext, spec: Spec) -> str:
        body = {"name": spec["name"], "originBoardId": int(ctx.id_of("board", spec["board"]))}
        body |= self.fields(spec)
        sprint_id = str(ctx.client.post(f"{AGILE}/sprint", body)["id"])
        if not data_managed(ctx):
            advance(ctx.client, sprint_id, "future", state_of(spec))
        return sprint_id

    def update(self, ctx: ApplyContext, live: Resource, spec: Spec) -> None:
        now = state_of(live.spec)
        body = {"name": spec["name"], **self.fields(spec)}
        if now == "closed":
            body = {k: v for k, v in body.items() if k in ("name", "goal")}
        ctx.client.post(f"{AGILE}/sprint/{live.id}", body)
        if not data_managed(ctx):
            advance(ctx.client, str(live.id), now, state_of(spec))

    def fields(self, spec: Spec) -> dict[str, Any]:
        out: dict[str, Any] = {"goal": spec.get("goal") or ""}
        out |= {jira: spec[k] for k, jira in DATES.items() if spec.get(k)}
        return out

    def delete(self, ctx: ApplyContext, live: Resource) -> None:
        ctx.client.delete(f"{AGILE}/sprint/{live.id}")


def own_sprints(client: Any, board_id: str) -> list[tuple[dict[str, Any], str]]:
    """The sprints a board made (``originBoardId``; Jira also lists other boards' sprints that
    hold its issues), in id order, each with its key on the board (name, or alias)."""
    listed = client.paged(f"{AGILE}/board/{board_id}/sprint")
    own = sorted(
        (s for s in listed if str(s.get("originBoardId")) == board_id), key=lambda s: int(s["id"])
    )
    return list(zip(own, namesake_keys(own), strict=True))


def spec_of(board: str, sprint: dict[str, Any]) -> Spec:
    return drop_empty(
        {
            "board": board,
            "name": sprint["name"],
            "state": None if sprint["state"] == "future" else sprint["state"],
            "goal": sprint.get("goal"),
            "start": utc(sprint["startDate"]) if sprint.get("startDate") else None,
            "end": utc(sprint["endDate"]) if sprint.get("endDate") else None,
        }
    )


def advance(client: Any, sprint_id: str, now: str, wanted: str) -> None:
    """Move a sprint forward from ``now`` to ``wanted`` (start, then close)."""
    if STATES.index(wanted) < STATES.index(now):
        raise ConfigError(
            f"sprint {sprint_id} is {now}: Jira can't move it back to {wanted}",
            hint="keep its state in the repo (the plan check sprint_states_move_forward says so)",
        )
    for state in STATES[STATES.index(now) + 1 : STATES.index(wanted) + 1]:
        client.post(f"{AGILE}/sprint/{sprint_id}", {"state": state})


KIND = SprintKind()
