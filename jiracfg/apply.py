"""The Applier: runs a Plan's Changes against the live site, concurrently where Jira allows.

Each change starts as soon as the changes it waits on are done (``jiracfg.plan.order.waits_on``:
the reference graph the planner orders by, plus what Jira makes sequential). More changes run at
once than the client lets requests be in flight (WAITING), so a change waiting out a Retry-After or
a backoff holds no slot another change could use: the client's limit alone bounds what reaches
Jira. A change that fails stops the changes that wait on it; the others
still run, and the first failure in plan order is raised at the end. Progress (the hook) and the
result come in plan order, whatever the timing.

Names become the target's ids as objects are created (ApplyContext). A create whose response was
lost (a 5xx, or a retried create refused as a duplicate) is looked up by name and reused, then
converged with an update, so an interrupted or faulty apply can be re-run and never duplicates
objects; the namesake found is taken only if it can be the object asked for (not the live object a
replace deletes, and equal in the fields Jira can't change in place), else Jira's refusal stands.
A delete answered 404 is taken as done only once a fresh read shows the object gone (Jira answers
404 for an issue type still in use). An update refused as stale (409) is retried on a fresh read.
The second step of a write split to break a reference cycle (``jiracfg.plan.deferral``) starts
from a fresh read of the object (its version after the first step).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from jiracfg.client import JiraClient
from jiracfg.errors import (
    ConflictError,
    JiraApiError,
    NotFoundError,
    PlanError,
    StalePlanError,
    passing,
)
from jiracfg.fetch import fetch_live
from jiracfg.kinds import REGISTRY, ApplyContext, Kind
from jiracfg.model import Address, Resource, Snapshot, Spec
from jiracfg.plan.model import Action, Change, Plan
from jiracfg.plan.order import waits_on
from jiracfg.schedule import Outcome, run_graph

# per create or update, when Jira answers a passing 5xx or a stale version: each attempt goes on
# from what the last one left (a screen's fields), and a change of a dozen writes meets several
# faults where one request in ten fails
ATTEMPTS = 6
# (change, event), in plan order: "start", "recovered" (if so), then "done", "failed" or "skipped"
Hook = Callable[[Change, str], None]
# runs the plan's issue changes after the configuration's: (changes, configuration was changed)
DataRunner = Callable[[list[Change], bool], Any]
# the change a request is made for (set while it runs; benchmarks count requests per change)
CURRENT: ContextVar[Change | None] = ContextVar("jiracfg_current_change", default=None)


@dataclass(frozen=True)
class Timed:
    """When a configuration change ran (epoch ms, this machine's clock), failed or not: the
    apply journal (``jiracfg.journal``) keeps it for verify's audit check."""

    change: Change
    started_ms: int
    finished_ms: int
    failed: bool = False  # Jira may have done all, part or none of it


@dataclass
class ApplyResult:
    done: list[str] = field(default_factory=list)
    recovered: list[str] = field(default_factory=list)  # creates found by name after a lost reply
    data: Any = None  # the data runner's summary
    failed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # not run: a change they wait on failed
    timed: list[Timed] = field(default_factory=list)  # the configuration changes that ran


WAITING = 4  # changes run at once per request the client lets be in flight (see the docstring)


class Applier:
    def __init__(
        self,
        client: JiraClient,
        live: Snapshot,
        settings: dict[str, Any] | None = None,
        hook: Hook | None = None,
        data: DataRunner | None = None,
    ) -> None:
        self.ctx = ApplyContext(client, live, settings)
        self.report = hook or (lambda change, event: None)
        self.result = ApplyResult()
        self.data = data
        self.workers = WAITING * client.concurrency  # the client bounds the requests in flight
        # noted while running, reported in order; by change, not address: a two-step write is
        # two changes of one address
        self._events: dict[int, list[str]] = {}
        self._changes: list[Change] = []  # the configuration changes of the apply

    def apply(self, plan: Plan) -> ApplyResult:
        if plan.has_errors:
            raise PlanError(
                "the plan has errors; nothing was applied",
                hint="fix the problems the plan lists, then plan again",
            )
        config = [c for c in plan.changes if c.address.kind in REGISTRY]
        data = [c for c in plan.changes if c.address.kind not in REGISTRY]
        if data and self.data is None:
            raise PlanError("the plan changes issues, but no data runner was given")
        self._configure(config)
        if data and self.data is not None:
            self.result.data = self.data(data, bool(config))
            self.result.done += [str(c.address) for c in data]
        return self.result

    def _configure(self, changes: list[Change]) -> None:
        """Run the configuration changes on their graph; raise the first failure at the end."""
        failures: list[BaseException] = []
        self._changes = changes

        def work(index: int) -> None:
            CURRENT.set(changes[index])
            started, failed = now_ms(), True
            try:
                self._run(REGISTRY[changes[index].address.kind], changes[index])
                failed = False
            finally:
                self.result.timed.append(Timed(changes[index], started, now_ms(), failed))

        def report(outcome: Outcome) -> None:
            if outcome.error is not None:
                failures.append(outcome.error)
            self._report(changes[outcome.index], outcome)

        run_graph(waits_on(changes), work, report, self.workers, self._capacity)
        if failures:
            raise failures[0]

    def _capacity(self) -> int:
        """Changes that may run now: WAITING per request the client's limit lets be in flight
        now (not its ceiling: the changes admitted are the critical path's, and those waiting for
        a slot are few)."""
        return WAITING * max(1, int(self.ctx.client.limit.limit))

    def site(self) -> Snapshot:
        """The objects of the site after this apply, for the id map (``jiracfg.idmap``): the live
        snapshot with what the apply created (ids from the writes), without what it deleted or
        renamed away; objects holding nested ids (options, transitions) that it wrote are read
        again, as Jira's writes do not return those ids."""
        done = set(self.result.done)
        ran = [c for c in self._changes if str(c.address) in done]
        gone = {c.live_address for c in ran if c.action is Action.DELETE or c.renamed_from}
        site = Snapshot(r for r in self.ctx.live if r.address not in gone)
        for resource in _read_nested(self.ctx, [c for c in ran if c.action is not Action.DELETE]):
            site.add(resource)
        return site

    def hook(self, change: Change, event: str) -> None:
        """Note an event of a running change; it is reported with the change, in plan order."""
        self._events.setdefault(id(change), []).append(event)

    def _report(self, change: Change, outcome: Outcome) -> None:
        address = str(change.address)
        self.report(change, "start")
        for event in self._events.pop(id(change), []):
            if event == "recovered":
                self.result.recovered.append(address)
            self.report(change, event)
        end = "skipped" if outcome.skipped else "failed" if outcome.error else "done"
        getattr(self.result, end).append(address)
        self.report(change, end)

    def _run(self, kind: Kind, change: Change) -> None:
        if change.action in (Action.DELETE, Action.REPLACE):
            self._delete(kind, change)
        if change.action in (Action.CREATE, Action.REPLACE):
            self._create(kind, change)
        elif change.action is Action.UPDATE:
            self._update(kind, change)

    def _create(self, kind: Kind, change: Change) -> None:
        spec = _spec(change)
        new_id: str | None = None
        for attempt in range(1, ATTEMPTS + 1):
            try:
                new_id = kind.create(self.ctx, spec)
            except JiraApiError as exc:
                new_id = self._recover_create(kind, change, spec, exc, attempt == ATTEMPTS)
            if new_id is not None:
                break
        assert new_id is not None
        self._remember(change.address, spec, new_id)
        self.ctx.created.add(change.address)

    def _recover_create(
        self, kind: Kind, change: Change, spec: Spec, exc: JiraApiError, last: bool
    ) -> str | None:
        """The create may have committed before the error: find it by name and converge it.
        None (try again) when nothing was created and Jira's error was a passing 5xx."""
        if not _maybe_committed(exc):
            raise exc
        found = _fetch_one(kind, self.ctx, spec)
        if found is None or found.id is None or not self._ours(kind, change, found, spec):
            if found is None and passing(exc) and not last:
                return None
            raise exc
        self.ctx.record(change.address, found.id)
        if found.spec != spec:
            self._converge(kind, found, spec)
        self.hook(change, "recovered")
        return found.id

    def _ours(self, kind: Kind, change: Change, found: Resource, spec: Spec) -> bool:
        """Whether ``found`` can be the object this create made: not the live object a replace
        deletes, and equal in every field Jira can't change in place (else converging fails)."""
        old = self.ctx.live.get(change.live_address)
        if old is not None and old.id == found.id:
            return False
        return all(found.spec.get(f) == spec.get(f) for f in kind.replace_on)

    def _update(self, kind: Kind, change: Change) -> None:
        live = self._live(change.live_address)
        if change.deferred:  # the second step of a two-step write: from what Jira now holds
            live = self._as_now(kind, live)
        spec = _spec(change)
        self._converge(kind, live, spec)
        if change.renamed_from and live.id is not None:
            self.ctx.forget(change.live_address, renamed=True)
            self._remember(change.address, spec, live.id)
        else:  # what later changes read of it is what Jira now holds (e.g. a status's category)
            self.ctx.live.add(Resource(change.address, spec, live.meta))

    def _as_now(self, kind: Kind, live: Resource) -> Resource:
        """``live`` as Jira holds it now (its version, after the first step wrote it)."""
        fresh = _fetch_one(kind, self.ctx, live.spec)
        if fresh is None:
            raise StalePlanError(
                f"{live.address} is not on the site any more: its first step's write is gone"
            )
        return fresh

    def _converge(self, kind: Kind, live: Resource, spec: Spec) -> None:
        """Update; after a conflict (stale version) or a passing 5xx, again from a fresh read."""
        for attempt in range(1, ATTEMPTS + 1):
            try:
                kind.update(self.ctx, live, spec)
                return
            except JiraApiError as exc:
                retry = isinstance(exc, ConflictError) or passing(exc)
                fresh = _fetch_one(kind, self.ctx, live.spec) if retry else None
                if fresh is None or attempt == ATTEMPTS:
                    raise
                live = fresh

    def _delete(self, kind: Kind, change: Change) -> None:
        live = self._live(change.live_address)
        try:
            kind.delete(self.ctx, live)
        except NotFoundError:  # gone (a retried delete's lost reply), or Jira's 404 for "in use"
            still = _fetch_one(kind, self.ctx, live.spec)
            if still is not None and still.id == live.id:
                raise
        self.ctx.forget(change.live_address)

    def _live(self, address: Address) -> Resource:
        found = self.ctx.live.get(address)
        if found is None:
            raise StalePlanError(f"{address} is not in the live site any more")
        return found

    def _remember(self, address: Address, spec: Spec, jira_id: str) -> None:
        self.ctx.record(address, jira_id)
        self.ctx.live.add(Resource(address, spec, {"id": jira_id}))


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def _maybe_committed(exc: JiraApiError) -> bool:
    """A create refused this way may have been made all the same (or made by an earlier try)."""
    return passing(exc) or exc.status in (400, 409)


def _spec(change: Change) -> Spec:
    assert change.after is not None, f"{change.address}: {change.action} without a desired spec"
    return {k: v for k, v in change.after.items() if k != "renamed_from"}


def _fetch_one(kind: Kind, ctx: ApplyContext, spec: Spec) -> Resource | None:
    """A fresh read of the object with ``spec``'s key (only it, where the kind can)."""
    return kind.fetch_one(ctx.fetching(but=kind.name), spec)


def _read_nested(ctx: ApplyContext, changes: list[Change]) -> list[Resource]:
    """The objects ``changes`` wrote, read afresh where their kind holds nested ids."""
    kinds = sorted({c.address.kind for c in changes})
    found: list[Resource] = []
    for kind in (REGISTRY[k] for k in kinds if type(REGISTRY[k]).nested_ids is not Kind.nested_ids):
        specs = [_spec(c) for c in changes if c.address.kind == kind.name]
        found += _read_again(kind, ctx, specs)
    return found


def _read_again(kind: Kind, ctx: ApplyContext, specs: list[Spec]) -> list[Resource]:
    """Each of ``specs``' objects alone, where the kind reads one alone and they are under half
    of its objects; else the whole kind once."""
    fetch_ctx = ctx.fetching(but=kind.name)
    narrow = type(kind).fetch_one is not Kind.fetch_one
    if narrow and 2 * len(specs) < len(ctx.live.of_kind(kind.name)):
        found = ctx.client.map(lambda spec: kind.fetch_one(fetch_ctx, spec), specs)
        return [r for r in found if r is not None]
    keys = {kind.key(s) for s in specs}
    return [r for r in kind.fetch(fetch_ctx) if r.address.key in keys]


def check_fresh(client: JiraClient, plan: Plan) -> Snapshot:
    """Re-read the live site; refuse (StalePlanError) if anything the plan read has changed."""
    live = fetch_live(client, plan.kinds or None)
    now = {str(r.address): fp for r in live.managed() if (fp := live.fingerprint(r.address))}
    changed = sorted(
        a for a in set(now) | set(plan.fingerprints) if now.get(a) != plan.fingerprints.get(a)
    )
    if changed:
        shown = ", ".join(changed[:10]) + (" ..." if len(changed) > 10 else "")
        raise StalePlanError(f"the live site changed since the plan was made: {shown}")
    return live
