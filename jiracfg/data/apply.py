"""Apply data changes: issues created with their keys, then filled in, in parallel.

1. Placeholders an interrupted apply left are deleted.
2. Each project's new issues are created in number order (projects in parallel), in bulk (50 a
   request) where numbers run on: an issue gets the key it had when the project's counter is just
   below it; numbers of deleted issues are burned by placeholder issues, deleted again (Jira's
   bulk delete, ``deletes``). Every
   create carries the ``jiracfg.origin`` property (original key, times, authors), which is also how
   a rerun after a lost response or a ``kill -9`` recognises what it created: nothing is created
   twice. A key the target cannot give (its counter is past it) is reported with the new key.
3. Every created or updated issue is filled in on the client's bounded pool (see ``fill``).
4. Deletes (only planned with --prune), in bulk (``deletes``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jiracfg.client import JiraClient
from jiracfg.data import files
from jiracfg.data.agile import KINDS as AGILE_KINDS
from jiracfg.data.agile import AgileApplier
from jiracfg.data.blobs import open_store
from jiracfg.data.body import create_fields, origin_property, origin_value
from jiracfg.data.catalog import Catalog
from jiracfg.data.creates import BY_DEFAULT, CREATED_AS
from jiracfg.data.deletes import delete_issues
from jiracfg.data.export import search_pages
from jiracfg.data.facts import createmeta
from jiracfg.data.fill import Filler, Summary
from jiracfg.data.issue import ORIGIN_PROPERTY, PLACEHOLDER, Spec
from jiracfg.data.known_ids import KnownIds, ListIds
from jiracfg.data.layout import split_key
from jiracfg.data.retype import IssueTypes, waits_for_parent
from jiracfg.data.settings import DataSettings, data_settings
from jiracfg.errors import (
    JiraApiError,
    LostResponseError,
    PlanError,
    StalePlanError,
)
from jiracfg.model import fingerprint
from jiracfg.plan.model import Action, Change

if TYPE_CHECKING:
    from jiracfg.data.plan import DataPlan

BULK = 50  # issues per POST /issue/bulk
ATTEMPTS = 4
Hook = Callable[[Change, str], None]


@dataclass
class Created:
    id: str
    key: str


@dataclass
class _Project:
    key: str
    next: int  # the number the project's counter gives next, as far as we know
    created: dict[str, Created] = field(default_factory=dict)  # by the key in the repo
    placeholders: list[str] = field(default_factory=list)


class DataApplier:
    def __init__(
        self,
        client: JiraClient,
        root: Path,
        settings: DataSettings,
        hook: Hook | None = None,
        ids: KnownIds | None = None,
    ) -> None:
        self.client, self.root, self.settings = client, root, settings
        self.ids = ids  # notes what the writes returned, for the id map
        self.store = open_store(root, settings.blobs, settings.s3_endpoint)
        self.hook = hook or (lambda change, event: None)
        self.summary = Summary()
        self.deferred: dict[str, dict[str, Any]] = {}  # values not on the create screen, by key
        self.types = IssueTypes(client)
        self.stand_ins: set[str] = set()  # sub-tasks created as standard issues (see ``retype``)
        self._screens: dict[tuple[str, str], set[str] | None] = {}
        self._me: str | None = None
        self.by_default: set[str] = set()  # creates whose priority Jira gives them anyway
        self.created_as: dict[str, str] = {}  # stand-ins: the type the plan judged them as
        self._lock = threading.Lock()

    def apply(self, changes: list[Change]) -> Summary:
        agile = [c for c in changes if c.address.kind in AGILE_KINDS]
        changes = [c for c in changes if c.address.kind not in AGILE_KINDS]
        catalog = Catalog(self.client, self.settings.users)
        filler = Filler(self.client, catalog, self.store, self.summary, self.types)
        deletes = [c for c in changes if c.action is Action.DELETE]
        self._delete_placeholders([c for c in deletes if _is_placeholder(c)])
        creates = [c for c in changes if c.action is Action.CREATE]
        self.by_default = {c.address.key for c in creates if (c.after or {}).get(BY_DEFAULT)}
        self.created_as = {
            c.address.key: str(t) for c in creates if (t := (c.after or {}).get(CREATED_AS))
        }
        max_live = {
            split_key(c.address.key)[0]: int((c.after or {}).get("live_top", 0)) for c in creates
        }
        projects = sorted({split_key(c.address.key)[0] for c in creates})
        made = self.client.map(
            lambda p: self._create_project(catalog, p, creates, max_live.get(p, 0)), projects
        )
        ids = {k: v for found in made for k, v in found.items()}
        work = [(c, ids.get(c.address.key)) for c in changes if c.action is not Action.DELETE]
        self.client.map(lambda item: self._fill(filler, *item), work)
        self._agile(agile, ids)
        self._delete_issues([c for c in deletes if not _is_placeholder(c)])
        return self.summary

    def _agile(self, changes: list[Change], made: dict[str, Created]) -> None:
        """Sprint membership and states, then rank, once every issue exists."""
        known = {
            k: str(v) for c in changes for k, v in ((c.after or {}).get("live_keys") or {}).items()
        }
        known |= {k: m.key for k, m in made.items()}
        AgileApplier(self.client, lambda key: known.get(key, key)).apply(
            changes, lambda change: self.hook(change, "done")
        )

    # -- reading the plan's files --------------------------------------------------------------
    def spec_of(self, change: Change) -> Spec:
        after = change.after or {}
        label = str(after["file"])
        spec = files.read_issue(self.root / label, label)
        if spec is None or fingerprint(spec) != after.get("fingerprint"):
            raise StalePlanError(f"{label} changed since the plan was made; plan again")
        return spec

    # -- creates with keys ---------------------------------------------------------------------
    def _create_project(
        self, catalog: Catalog, project: str, creates: list[Change], top: int
    ) -> dict[str, Created]:
        mine = sorted(
            (c for c in creates if split_key(c.address.key)[0] == project),
            key=lambda c: split_key(c.address.key)[1],
        )
        state = _Project(project, top + 1)
        specs = {c.address.key: self.spec_of(c) for c in mine}
        for attempt in range(ATTEMPTS):
            try:
                self._create_in_order(catalog, state, mine, specs)
                break
            except (LostResponseError, JiraApiError) as exc:
                if not _maybe_committed(exc) or attempt == ATTEMPTS - 1:
                    raise
                self._resync(state)
        delete_issues(self.client, state.placeholders)
        self.summary.placeholders += len(state.placeholders)
        for key, made in state.created.items():
            if made.key != key:
                self.summary.keys_changed[key] = made.key
        return state.created

    def _create_in_order(
        self, catalog: Catalog, state: _Project, mine: list[Change], specs: dict[str, Spec]
    ) -> None:
        pending = [c for c in mine if c.address.key not in state.created]
        while pending:
            number = split_key(pending[0].address.key)[1]
            if state.next < number:
                body = self._placeholder_body(catalog, specs[pending[0].address.key], state)
                keys = self._bulk(state, [body] * min(BULK, number - state.next))
                state.placeholders += [k for _, k in keys]
                continue
            run = _run_of(pending, state.next)
            bodies = [self._body(catalog, specs[c.address.key], state) for c in run]
            for change, (issue_id, key) in zip(run, self._bulk(state, bodies), strict=True):
                state.created[change.address.key] = Created(issue_id, key)
                self.hook(change, "created")
            pending = pending[len(run) :]

    def _bulk(self, state: _Project, bodies: list[dict[str, Any]]) -> list[tuple[str, str]]:
        """Create ``bodies`` in order; their (id, key)s. Moves the project's counter on."""
        answer = self.client.post("/issue/bulk", {"issueUpdates": bodies})
        errors = answer.get("errors") or []
        if errors:
            raise JiraApiError("POST", "/rest/api/3/issue/bulk", 400, {"errors": errors})
        made = [(str(i["id"]), str(i["key"])) for i in answer.get("issues") or []]
        state.next = max(split_key(k)[1] for _, k in made) + 1
        return made

    def _body(self, catalog: Catalog, spec: Spec, state: _Project) -> dict[str, Any]:
        fields, rest = self._on_screen(spec, self._create_fields(catalog, spec, state))
        if rest:
            self.deferred[str(spec["key"])] = rest
        if fields["issuetype"]["name"] != spec["type"]:
            self.stand_ins.add(str(spec["key"]))
        return {"fields": fields, "properties": origin_property(origin_value(spec))}

    def _create_fields(self, catalog: Catalog, spec: Spec, state: _Project) -> dict[str, Any]:
        """The create's fields; a sub-task whose parent is not made yet is created as a standard
        issue (the type the plan judged it as, else the project's first), turned into a
        sub-task once every issue exists (see ``retype``)."""
        ready = _ready(spec, state)
        fields = create_fields(catalog, spec, ready)
        if waits_for_parent(self.types, spec, ready):
            planned = self.created_as.get(str(spec["key"]))
            fields["issuetype"] = {"name": planned or self.types.stand_in(state.key)}
        return fields

    def _placeholder_body(self, catalog: Catalog, spec: Spec, state: _Project) -> dict[str, Any]:
        """A placeholder looks like the issue after it (so the create screen accepts it; a
        sub-task's placeholder has its parent too)."""
        fields, _ = self._on_screen(spec, self._create_fields(catalog, spec, state))
        fields["summary"] = f"{PLACEHOLDER} (burns a deleted issue's number)"
        return {"fields": fields}

    def _on_screen(
        self, spec: Spec, fields: dict[str, Any]
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """(what the create screen takes, what is set by an edit after the create)."""
        project = split_key(str(spec["key"]))[0]
        screen = self._screen(project, str(fields["issuetype"]["name"]))
        if screen is None:
            return fields, {}
        always = {"project", "issuetype", "summary"}
        taken = {k: v for k, v in fields.items() if k in screen or k in always}
        rest = {k: v for k, v in fields.items() if k not in taken}
        defaults = self._defaults(spec)  # what Jira sets itself when the screen lacks it
        return taken, {k: v for k, v in rest.items() if defaults.get(k) != v}

    def _defaults(self, spec: Spec) -> dict[str, Any]:
        """The reporter (the creator) and, where the plan found it is the project's default
        (``priority_by_default``), the priority: what a create gets without them."""
        with self._lock:
            if self._me is None:
                self._me = str(self.client.get("/myself")["accountId"])
        found: dict[str, Any] = {"reporter": {"accountId": self._me}}
        if str(spec["key"]) in self.by_default:
            found["priority"] = {"name": spec.get("priority")}
        return found

    def _screen(self, project: str, issue_type: str) -> set[str] | None:
        with self._lock:
            if (project, issue_type) in self._screens:
                return self._screens[(project, issue_type)]
        meta = createmeta(self.client, project, issue_type)
        found = None if meta is None else set(meta)
        with self._lock:
            self._screens[(project, issue_type)] = found
        return found

    def _resync(self, state: _Project) -> None:
        """After a create whose answer was lost: what the project holds from ``next`` on."""
        jql = f'project = "{state.key}" ORDER BY key DESC'
        for page in search_pages(self.client, jql, "summary", 100):
            newer = [i for i in page if split_key(str(i["key"]))[1] >= state.next]
            for issue in newer:
                self._recognise(state, issue)
            if len(newer) < len(page):
                break
        numbers = [split_key(m.key)[1] for m in state.created.values()]
        numbers += [split_key(k)[1] for k in state.placeholders]
        state.next = max([state.next - 1, *numbers]) + 1

    def _recognise(self, state: _Project, issue: dict[str, Any]) -> None:
        key = str(issue["key"])
        if str((issue.get("fields") or {}).get("summary", "")).startswith(PLACEHOLDER):
            if key not in state.placeholders:
                state.placeholders.append(key)
            return
        stored = (issue.get("properties") or {}).get(ORIGIN_PROPERTY)
        if not isinstance(stored, dict):
            body = self.client.get(f"/issue/{issue['id']}/properties/{ORIGIN_PROPERTY}")
            stored = (body or {}).get("value")
        if isinstance(stored, dict) and stored.get("key"):
            state.created[str(stored["key"])] = Created(str(issue["id"]), key)

    # -- fill and delete -----------------------------------------------------------------------
    def _fill(self, filler: Filler, change: Change, made: Created | None) -> None:
        spec = self.spec_of(change)
        issue = made.id if made else str((change.after or {}).get("live_key"))
        deferred = self.deferred.get(change.address.key, {})
        new, retype = made is not None, change.address.key in self.stand_ins
        lists = filler.fill(issue, spec, change, new=new, deferred=deferred, retype=retype)
        self._noted(change.address.key, issue, made, lists)
        self.hook(change, "done")

    def _noted(self, key: str, issue: str, made: Created | None, lists: ListIds) -> None:
        """The issue's ids for the id map: a create's from its answer, the lists the fill
        converged from theirs; a stand-in moved to its type keeps its id (so does a retype)."""
        if self.ids is None:
            return
        if made is not None:
            self.ids.created(key, made.key, made.id, lists)
        else:
            self.ids.updated(key, issue, lists)

    def _delete_placeholders(self, changes: list[Change]) -> None:
        """Placeholders an interrupted apply left behind, in bulk."""
        self._bulk_delete(changes)

    def _delete_issues(self, changes: list[Change]) -> None:
        """Issues the repo no longer has (planned with --prune only), in bulk."""
        self._bulk_delete(changes)
        if self.ids is not None:
            self.ids.deleted([c.address.key for c in changes])
        self.summary.count("deleted", len(changes))

    def _bulk_delete(self, changes: list[Change]) -> None:
        delete_issues(self.client, [c.address.key for c in changes])
        for change in changes:
            self.hook(change, "done")


def _ready(spec: Spec, state: _Project) -> bool:
    """Whether the create can name the issue's parent: one of this project that exists by now
    (a parent in another project, created concurrently, is set by the fill)."""
    parent = str(spec.get("parent") or "")
    if not parent or split_key(parent)[0] != state.key:
        return False
    return parent in state.created or split_key(parent)[1] < state.next


def _run_of(pending: list[Change], next_number: int) -> list[Change]:
    """The changes to create in one bulk request: consecutive numbers from the counter on (or
    one issue whose number the counter has passed)."""
    run = [pending[0]]
    for change in pending[1:BULK]:
        expected = split_key(run[-1].address.key)[1] + 1
        if split_key(change.address.key)[1] != expected or expected <= next_number:
            break
        run.append(change)
    return run


def _is_placeholder(change: Change) -> bool:
    return change.action is Action.DELETE and (change.before or {}).get("summary") == PLACEHOLDER


def _maybe_committed(exc: JiraApiError) -> bool:
    return isinstance(exc, LostResponseError) or exc.status >= 500


def data_runner(
    client: JiraClient,
    root: Path,
    settings: dict[str, Any],
    desired: Any,
    *,
    prune: bool = False,
    blob_root: Path | None = None,
    hook: Hook | None = None,
    ids: KnownIds | None = None,
) -> Callable[[list[Change], bool], Summary]:
    """The Applier's data step. When the same apply changed the configuration, the data part is
    planned and checked again first (the target's screens, fields and options are only now
    what the repo says); an error there stops it before any issue is written. ``ids`` (the
    plan's live issue ids) takes what the writes return, and the new plan's reads."""
    managed = data_settings(settings, root)
    assert managed is not None, "a plan with issue changes comes from a repo that manages data"
    if blob_root is not None and not managed.blobs.startswith("s3://"):
        managed = replace(managed, blobs=str((blob_root / managed.blobs).resolve()))

    def run(changes: list[Change], config_changed: bool) -> Summary:
        if config_changed:
            fresh = _replanned(client, root, settings, desired, prune)
            changes = fresh.changes
            if ids is not None:
                ids.adopt(fresh.ids)
        return DataApplier(client, root, managed, hook, ids).apply(changes)

    return run


def _replanned(
    client: JiraClient, root: Path, settings: dict[str, Any], desired: Any, prune: bool
) -> DataPlan:
    from jiracfg.data.plan import data_part
    from jiracfg.fetch import fetch_live
    from jiracfg.kinds import kind_order

    live = fetch_live(client, kind_order(sorted({r.address.kind for r in desired})))
    fresh = data_part(client, root, settings, desired, live, prune=prune)
    assert fresh is not None
    errors = [p for p in fresh.problems if p.is_error]
    if errors:
        raise PlanError(
            "the data part of the plan has errors now that the configuration is applied: "
            + "; ".join(p.message for p in errors[:5]),
            hint="fix them and apply again (the configuration changes are done)",
        )
    return fresh
