"""Sprint membership and rank: the Agile parts of the data layer.

**Files.** An issue file lists its sprints, closed ones included, by their key in the repo
(``sprints: [<board>/<sprint>]``, see ``jiracfg.kinds.sprint``); sub-tasks list none (they follow
their parent, as in Jira). ``data/rank.yaml`` lists the issues of every managed project in Jira's
rank order (boards and backlogs), first to last: Jira's rank is one order across projects, and a
board whose filter spans two projects shows their issues interleaved in it, so the order is kept
across projects, not per project (the per-project ``data/<PROJECT>/rank.yaml`` of earlier
versions is replaced by the next export; until then validate and plan refuse it).

**Plan.** One change per sprint whose issues or state differ (``sprint_issues/<board>/<sprint>``:
the issues to add, those to send back to the backlog, the state to reach) and one when the rank
order differs (``rank/all``). Jira keeps closed sprints on an issue and refuses issues
into a closed sprint: what the repo asks there is a warning, never a write.

**Apply**, after every issue exists and is filled in: sprints in time order (start date, then
name), each one's missing issues added (50 a request), then started, then closed: a closed sprint
takes no issues, and an issue added to a later sprint keeps the closed ones, so an issue carried
over several sprints gets each of them back. Then the rank: the longest run of issues already in
order (across the managed projects) stays, the others are ranked after their predecessor (50 a
request). Every step is idempotent (adding an issue twice, starting a started sprint), so a rerun
converges.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from jiracfg.client import JiraClient
from jiracfg.data import files
from jiracfg.data.layout import FOLDER, projects_on_disk, split_key
from jiracfg.errors import ConfigError, JiraApiError, LostResponseError
from jiracfg.kinds.board import AGILE, namesake_keys
from jiracfg.kinds.sprint import STATES, advance, own_sprints
from jiracfg.model import Address, Snapshot
from jiracfg.plan.model import Action, Change, Problem

SPRINTS, RANK = "sprint_issues", "rank"
KINDS = (SPRINTS, RANK)
MOVE = 50  # issues per Agile move or rank request
ATTEMPTS = 4
RANK_FILE = "rank.yaml"
T = TypeVar("T")


# -- sprint names both ways ----------------------------------------------------------------------
class SprintNames:
    """The site's sprints by id and by their key in the repo (read once, when first needed)."""

    def __init__(self, client: JiraClient) -> None:
        self.client = client
        self._by_id: dict[str, str] | None = None
        self.by_key: dict[str, tuple[str, str]] = {}  # key -> (id, state)

    def key_of(self, sprint_id: Any) -> str | None:
        if self._by_id is None:
            self._by_id = self._read()
        return self._by_id.get(str(sprint_id))

    def find(self, key: str) -> tuple[str, str] | None:
        if self._by_id is None:
            self._by_id = self._read()
        return self.by_key.get(key)

    def _read(self) -> dict[str, str]:
        boards = sorted(self.client.paged(f"{AGILE}/board"), key=lambda b: int(b["id"]))
        out: dict[str, str] = {}
        for board, board_key in zip(boards, namesake_keys(boards), strict=True):
            if board.get("type") == "scrum":
                out |= self._of_board(str(board["id"]), board_key)
        return out

    def _of_board(self, board_id: str, board_key: str) -> dict[str, str]:
        out = {}
        for sprint, key in own_sprints(self.client, board_id):
            out[str(sprint["id"])] = f"{board_key}/{key}"
            self.by_key[f"{board_key}/{key}"] = (str(sprint["id"]), str(sprint["state"]))
        return out


def issue_sprints(fields: dict[str, Any], field_id: str | None, names: SprintNames) -> list[str]:
    """The sprint keys of an issue's Sprint field (none for a sub-task: it follows its parent)."""
    if not field_id or (fields.get("issuetype") or {}).get("subtask"):
        return []
    beans = fields.get(field_id) or []
    keys = [names.key_of(b.get("id")) for b in beans if isinstance(b, dict)]
    return sorted({k for k in keys if k})


# -- rank files ----------------------------------------------------------------------------------
RANK_KEY = "all"  # the address of the one rank change: rank/all


def rank_path(root: Path) -> Path:
    return root / FOLDER / RANK_FILE


def write_rank(root: Path, projects: list[str], keys: list[str]) -> bool:
    """The managed projects' issues in rank order; the per-project files of earlier versions
    removed."""
    for project in projects:
        (root / FOLDER / project / RANK_FILE).unlink(missing_ok=True)
    head = (
        f"# Jira's rank order of the issues of {', '.join(projects)} (boards and backlogs, across "
        "projects), first to last\n"
    )
    body = "order:\n" + "".join(f"- {k}\n" for k in keys) if keys else "order: []\n"
    return files.write_if_changed(rank_path(root), head + body)


def old_rank_files(root: Path) -> list[ConfigError]:
    """The per-project rank files of earlier versions (``data/<PROJECT>/rank.yaml``): plan and
    apply read only ``data/rank.yaml``, so one left behind is an error, not an order ignored."""
    return [
        ConfigError(
            "a per-project rank file of an earlier version: the rank order is data/rank.yaml, "
            "one list across projects",
            file=f"{FOLDER}/{project}/{RANK_FILE}",
            line=1,
            hint="run jiracfg export to rewrite it as data/rank.yaml",
        )
        for project in projects_on_disk(root)
        if (root / FOLDER / project / RANK_FILE).is_file()
    ]


def read_rank(root: Path) -> list[str] | None:
    """The rank order in the repo (None: no rank file)."""
    for old in old_rank_files(root):
        raise old
    path = rank_path(root)
    label = path.relative_to(root).as_posix()
    data = files.read_issue(path, label)
    if data is None:
        return None
    order = data.get("order")
    if not isinstance(order, list) or not all(isinstance(k, str) for k in order):
        raise ConfigError("order must be a list of issue keys", file=label, line=1)
    return list(order)


def ranked_keys(client: JiraClient, projects: list[str]) -> list[str]:
    """The projects' issue keys in (Jira's one) rank order (one request per 5,000 issues)."""
    from jiracfg.data.export import KEYS_PAGE, search_pages

    if not projects:
        return []
    names = ", ".join(f'"{p}"' for p in sorted(projects))
    jql = f"project in ({names}) ORDER BY Rank ASC"
    return [str(i["key"]) for page in search_pages(client, jql, "key", KEYS_PAGE) for i in page]


# -- planning ------------------------------------------------------------------------------------
@dataclass
class AgileFacts:
    """What the data plan gathers for sprints and rank, project by project."""

    desired: dict[str, list[str]] = field(default_factory=dict)  # sprint key -> repo keys
    live: dict[str, list[str]] = field(default_factory=dict)  # sprint key -> repo keys
    live_keys: dict[str, str] = field(default_factory=dict)  # repo key -> live key, when not equal
    changes: list[Change] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def note(self, key: str, spec: dict[str, Any], live: dict[str, Any] | None) -> None:
        for sprint in spec.get("sprints") or []:
            self.desired.setdefault(str(sprint), []).append(key)
        for sprint in (live or {}).get("sprints") or []:
            self.live.setdefault(str(sprint), []).append(key)


def rank_change(
    client: JiraClient, root: Path, projects: list[str], identity: dict[str, str], new: list[str]
) -> Change | None:
    """The rank change of the managed projects (on the site): ``identity`` maps live keys to
    repo keys; ``new`` are the issues the plan creates. Jira ranks each new issue last, in the
    order it is made: in number order within a project, but apply creates projects' issues
    concurrently, so when the creates span projects their order is not known and the change is
    planned even if the project-by-project order would need no move."""
    wanted = read_rank(root)
    if wanted is None:
        return None
    now = [identity.get(k, k) for k in ranked_keys(client, projects)] + new
    moves = len(rank_moves(wanted, now))
    if not moves and not _across_projects(new):
        return None
    after = {"order": wanted, "moves": moves, "projects": sorted(projects)}
    return Change(Address(RANK, RANK_KEY), Action.UPDATE, {"issues": len(now)}, after)


def _across_projects(keys: list[str]) -> bool:
    return len({_by_number(k)[0] for k in keys}) > 1


def sprint_changes(facts: AgileFacts, desired: Snapshot, live: Snapshot) -> None:
    """One change per desired sprint whose issues or state differ from the site's."""
    sprints = sorted(desired.of_kind("sprint"), key=lambda r: sprint_order(r.spec))
    states = {r.address.key: _live_state(live, r.address.key) for r in sprints}
    open_members = {
        k for s, state in states.items() if state != "closed" for k in facts.desired.get(s, [])
    }
    for sprint in sprints:
        change = _sprint_change(facts, sprint.address.key, sprint.spec, states, open_members)
        if change is not None:
            facts.changes.append(change)


def _live_state(live: Snapshot, key: str) -> str:
    found = live.get(Address("sprint", key))
    return str(found.spec.get("state") or "future") if found else "future"


def _sprint_change(
    facts: AgileFacts,
    key: str,
    spec: dict[str, Any],
    states: dict[str, str],
    open_members: set[str],
) -> Change | None:
    now, want, held = states[key], set(facts.desired.get(key, [])), set(facts.live.get(key, []))
    add = sorted(want - held, key=_by_number)
    gone = sorted(held - want, key=_by_number)
    if now == "closed":
        facts.problems += [_closed(key, add)] if add else []
        facts.problems += [_kept_closed(key, gone)] if gone else []
        add, gone = [], []
    backlog = [k for k in gone if k not in open_members]
    wanted_state = str(spec.get("state") or "future")
    if not (add or backlog or STATES.index(wanted_state) > STATES.index(now)):
        return None
    after = {"state": wanted_state, "add": add, "backlog": backlog, "order": sprint_order(spec)}
    before = {"state": now, "issues": len(held)}
    return Change(Address(SPRINTS, key), Action.UPDATE, before, after)


def sprint_order(spec: dict[str, Any]) -> list[str]:
    return [str(spec.get("start") or "~"), str(spec.get("name"))]


def _by_number(key: str) -> tuple[str, int]:
    try:
        return split_key(key)
    except ConfigError:
        return key, 0


def _closed(sprint: str, keys: list[str]) -> Problem:
    return Problem(
        "warning",
        "closed_sprints_take_no_issues",
        f"sprint_issues/{sprint}: the sprint is closed on the site and Jira refuses issues into "
        f"a closed sprint; {len(keys)} issue(s) the repo puts there stay out "
        f"({', '.join(keys[:5])})",
        "nothing to do on a rebuild (jiracfg adds issues before closing sprints); here, add them "
        "in Jira's UI or drop the sprint from their files",
        f"sprint_issues/{sprint}",
    )


def _kept_closed(sprint: str, keys: list[str]) -> Problem:
    return Problem(
        "warning",
        "closed_sprints_take_no_issues",
        f"sprint_issues/{sprint}: Jira keeps a closed sprint on its issues; {len(keys)} "
        f"issue(s) the repo takes out of it keep it ({', '.join(keys[:5])})",
        "write the sprint back into their files (export does)",
        f"sprint_issues/{sprint}",
    )


# -- rank moves ----------------------------------------------------------------------------------
def rank_moves(wanted: list[str], live: list[str]) -> list[tuple[list[str], str, bool]]:
    """The rank requests that turn ``live`` into ``wanted`` (issues in both): runs of issues with
    the issue they go after (``False``) or before (``True``, a run at the start)."""
    present = set(live)
    order = [k for k in wanted if k in present]
    position = {k: i for i, k in enumerate(order)}
    kept = {order[i] for i in longest_increasing([position[k] for k in live if k in position])}
    moves: list[tuple[list[str], str, bool]] = []
    index = 0
    while index < len(order):
        if order[index] in kept:
            index += 1
            continue
        end = index
        while end < len(order) and order[end] not in kept and end - index < MOVE:
            end += 1
        run = order[index:end]
        anchor = (order[index - 1], False) if index else (order[end], True)
        moves.append((run, *anchor))
        index = end
    return moves


def longest_increasing(values: list[int]) -> list[int]:
    """The values of a longest strictly increasing subsequence (patience sorting)."""
    tails: list[int] = []
    tail_at: list[int] = []
    before: list[int] = [-1] * len(values)
    for i, value in enumerate(values):
        low, high = 0, len(tails)
        while low < high:
            mid = (low + high) // 2
            if tails[mid] < value:
                low = mid + 1
            else:
                high = mid
        before[i] = tail_at[low - 1] if low else -1
        if low == len(tails):
            tails.append(value)
            tail_at.append(i)
        else:
            tails[low], tail_at[low] = value, i
    out, at = [], tail_at[-1] if tail_at else -1
    while at >= 0:
        out.append(values[at])
        at = before[at]
    return out[::-1]


# -- apply ---------------------------------------------------------------------------------------
def again(fn: Callable[[], T]) -> T:
    """``fn()``, run again when Jira may have done it without answering (every Agile step here
    is idempotent)."""
    for attempt in range(ATTEMPTS):
        try:
            return fn()
        except JiraApiError as exc:
            lost = isinstance(exc, LostResponseError) or exc.status >= 500
            if not lost or attempt == ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


class AgileApplier:
    def __init__(self, client: JiraClient, live_key: Callable[[str], str]) -> None:
        self.client, self.live_key = client, live_key

    def apply(self, changes: Iterable[Change], done: Callable[[Change], None]) -> None:
        mine = list(changes)
        names = SprintNames(self.client)
        for change in sorted(
            (c for c in mine if c.address.kind == SPRINTS),
            key=lambda c: (c.after or {}).get("order") or [],
        ):
            self._sprint(names, change)
            done(change)
        for change in (c for c in mine if c.address.kind == RANK):
            self._rank(change)
            done(change)

    def _sprint(self, names: SprintNames, change: Change) -> None:
        after = change.after or {}
        found = names.find(change.address.key)
        if found is None:
            raise ConfigError(
                f"{change.address}: the sprint is not on the site",
                hint="apply the configuration (boards and sprints) first",
            )
        sprint_id, state = found
        backlog = [self.live_key(k) for k in after.get("backlog") or []]
        for start in range(0, len(backlog), MOVE):
            body = {"issues": backlog[start : start + MOVE]}
            again(lambda b=body: self.client.post(f"{AGILE}/backlog/issue", b))  # type: ignore[misc]
        adds = [self.live_key(k) for k in after.get("add") or []]
        if adds and state == "closed":
            raise ConfigError(f"{change.address}: the sprint is closed; Jira refuses its issues")
        for start in range(0, len(adds), MOVE):
            body = {"issues": adds[start : start + MOVE]}
            path = f"{AGILE}/sprint/{sprint_id}/issue"
            again(lambda p=path, b=body: self.client.post(p, b))  # type: ignore[misc]
        if after.get("state"):
            again(lambda: advance(self.client, sprint_id, state, str(after["state"])))

    def _rank(self, change: Change) -> None:
        wanted = [str(k) for k in (change.after or {}).get("order") or []]
        projects = [str(p) for p in (change.after or {}).get("projects") or []]
        live_of = {self.live_key(k): k for k in wanted}
        live = [live_of.get(k, k) for k in ranked_keys(self.client, projects)]
        for run, anchor, before in rank_moves(wanted, live):
            body = {
                "issues": [self.live_key(k) for k in run],
                "rankBeforeIssue" if before else "rankAfterIssue": self.live_key(anchor),
            }
            again(lambda b=body: self.client.put(f"{AGILE}/issue/rank", b))  # type: ignore[misc]
