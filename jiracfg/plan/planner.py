"""Make a Plan: fetch live, diff (pure), order, gather facts, run checks."""

from __future__ import annotations

import fnmatch
from dataclasses import replace
from pathlib import Path

from jiracfg.client import JiraClient
from jiracfg.data.plan import data_part
from jiracfg.fetch import Progress, fetch_live
from jiracfg.kinds import kind_order
from jiracfg.model import Snapshot
from jiracfg.plan.checks import Inputs, needed_queries, run_checks
from jiracfg.plan.deferral import order_in_steps
from jiracfg.plan.diff import diff, resend_write_only
from jiracfg.plan.facts import gather
from jiracfg.plan.model import Change, Plan


def make_plan(
    client: JiraClient,
    desired: Snapshot,
    settings: dict[str, object] | None = None,
    *,
    prune: bool = False,
    targets: list[str] | None = None,
    progress: Progress | None = None,
    root: Path | None = None,
    rotate_secrets: bool = False,
) -> tuple[Plan, Snapshot]:
    """The plan from the live site to ``desired``, and the live snapshot it was made from.

    Every kind is read, not only those the repo holds, so that the plan names every unmanaged
    object (a webhook made by hand on a site that had none, so the export wrote no folder);
    deletes stay limited to kinds the repo holds (``diff``). With ``root`` (the config repo's
    folder) and a ``data:`` section in its jiracfg.yaml, the issue changes follow the
    configuration changes (``jiracfg.data.plan``)."""
    live = fetch_live(client, kinds_to_read(desired), progress)
    settings = dict(settings or {})
    plan = plan_from(
        desired, live, settings, prune=prune, targets=targets, client=client, rotate=rotate_secrets
    )
    if root is not None:
        data = data_part(client, root, settings, desired, live, prune=prune)
        if data is not None:
            plan.changes += _targeted(data.changes, targets)
            plan.problems += data.problems
            plan.issue_ids = data.ids
    return plan, live


def kinds_to_read(desired: Snapshot) -> list[str]:
    """The kinds a plan reads: every kind (see ``make_plan``), whatever ``desired`` holds."""
    return kind_order()


def plan_from(
    desired: Snapshot,
    live: Snapshot,
    settings: dict[str, object],
    *,
    prune: bool = False,
    targets: list[str] | None = None,
    client: JiraClient | None = None,
    rotate: bool = False,
) -> Plan:
    changes, unmanaged = diff(desired, live, prune=prune)
    if rotate:
        changes += resend_write_only(desired, live, changes)
    ordered, cycles = order_in_steps(_targeted(changes, targets))
    inputs = Inputs(desired, live, ordered, dict(settings), prune, {}, cycles)
    if client is not None:
        inputs = replace(inputs, facts=gather(client, needed_queries(inputs)))
    kinds = sorted({r.address.kind for r in live} | {r.address.kind for r in desired})
    fingerprints = {
        str(r.address): fp
        for r in live.managed()
        if (fp := live.fingerprint(r.address)) is not None
    }
    listed, ignored = split_unmanaged(unmanaged, settings)
    return Plan(ordered, fingerprints, run_checks(inputs), listed, kinds, ignored=ignored)


def split_unmanaged(
    unmanaged: list[str], settings: dict[str, object]
) -> tuple[list[str], list[str]]:
    """Unmanaged addresses to report, and those matching jiracfg.yaml ``unmanaged.ignore``."""
    section = settings.get("unmanaged")
    globs = [str(g) for g in (section.get("ignore") or [])] if isinstance(section, dict) else []
    ignored = [a for a in unmanaged if any(fnmatch.fnmatchcase(a, g) for g in globs)]
    return [a for a in unmanaged if a not in ignored], ignored


def _targeted(changes: list[Change], targets: list[str] | None) -> list[Change]:
    if not targets:
        return changes
    return [c for c in changes if any(fnmatch.fnmatchcase(str(c.address), t) for t in targets)]
