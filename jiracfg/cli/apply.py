"""``jiracfg apply``: make the live site match the config repo (or run a saved plan)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from jiracfg import journal as applies
from jiracfg.apply import Applier, ApplyResult, DataRunner, check_fresh, now_ms
from jiracfg.cli._common import (
    color_option,
    connection_options,
    dir_option,
    echo_plan,
    journal_option,
    make_client,
    parallelism_option,
    rotate_option,
    site_option,
    use_color,
)
from jiracfg.cli.plan import planned, read_desired
from jiracfg.client import JiraClient
from jiracfg.data.apply import data_runner
from jiracfg.data.known_ids import KnownIds
from jiracfg.data.settings import data_settings
from jiracfg.data.summary import summary_text
from jiracfg.errors import JiracfgError
from jiracfg.idmap import write_id_map
from jiracfg.model import Snapshot
from jiracfg.plan import saved
from jiracfg.plan.model import Action, Change, Plan
from jiracfg.repo import load_settings
from jiracfg.repo.git import folder_at


@click.command("apply")
@connection_options
@parallelism_option
@dir_option
@click.argument(
    "planfile", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("--ref", help="Read the desired state from this git commit instead of the files.")
@click.option("--auto-approve", is_flag=True, help="Apply without asking.")
@click.option("--prune", is_flag=True, help="Delete live objects missing from the config repo.")
@click.option("--target", multiple=True, help="Only addresses matching this glob (repeatable).")
@site_option
@rotate_option
@journal_option
@color_option
def command(
    url: str | None,
    email: str | None,
    token: str | None,
    parallelism: int | None,
    directory: Path,
    planfile: Path | None,
    ref: str | None,
    auto_approve: bool,
    prune: bool,
    target: tuple[str, ...],
    site: str | None,
    rotate_secrets: bool,
    journal: Path | None,
    no_color: bool,
) -> None:
    """Apply a saved plan exactly, or plan now, show it, and apply after confirmation.

    A saved plan is refused if it was made for another site, or if anything it read on the live
    site has changed since. What the apply wrote, and when, is appended to the apply journal
    (see --journal), which `jiracfg verify` compares with the site's audit log.

    \b
    Examples:
      jiracfg apply                      # plan, show, ask
      jiracfg apply --auto-approve       # in CI
      jiracfg apply --ref v42 --auto-approve   # rebuild from a commit
      jiracfg apply --target 'webhook/*'       # only these addresses
      jiracfg apply --site production          # that site's values (jiracfg.yaml sites:)
      jiracfg plan --out plan.json && jiracfg apply plan.json
    """
    client = make_client(url, email, token, parallelism)
    if planfile is not None and (target or ref or prune or rotate_secrets):
        raise JiracfgError(
            "--target, --ref, --prune and --rotate-secrets belong to the plan; a saved plan runs "
            "as it is",
            hint="pass them to `jiracfg plan --out FILE`, or apply without a plan file",
        )
    with folder_at(directory, ref) as root:
        if planfile is not None:
            plan, live, settings = _saved_plan(client, directory, planfile)
        else:
            color = use_color(no_color)
            plan, live, settings = _new_plan(
                client, directory, ref, site, prune, target, color, root, rotate_secrets
            )
        if plan.has_errors:
            raise JiracfgError("the plan has errors; nothing was applied", hint="fix them first")
        if not plan.changes:
            _id_map(client, root, directory, lambda: live, plan.issue_ids)
            return
        if planfile is None and not auto_approve:
            _confirm()
        data = _data(client, root, directory, settings, ref, site, prune, plan.issue_ids)
        applier = Applier(client, live, settings, _progress, data)
        result = _journaled(applier, plan, journal or applies.default_path(directory))
        _id_map(client, root, directory, applier.site, _emptied(plan, result))
    click.echo(
        f"Apply complete: {len(result.done)} change(s)"
        + (f", {len(result.recovered)} recovered after lost responses" if result.recovered else "")
        + f" ({client.counter.writes} write requests)."
    )
    if result.data is not None:
        click.echo(summary_text(result.data))


def _journaled(applier: Applier, plan: Plan, path: Path) -> ApplyResult:
    """Apply, and append what was written to the journal, also when the apply fails."""
    started = now_ms()
    try:
        return applier.apply(plan)
    finally:
        data = applier.result.data
        lost = getattr(data, "not_restored", None)
        line = applies.entry(plan.source, started, now_ms(), applier.result.timed, lost)
        applies.append(path, line)


def _id_map(
    client: JiraClient,
    root: Path,
    directory: Path,
    site: Callable[[], Snapshot],
    issues: KnownIds | None,
) -> None:
    """Every apply writes the map from the exported site's ids to this site's (``idmap``);
    ``site``: the plan's live snapshot, or what the applier knows after it (``Applier.site``);
    ``issues``: the issue ids the data plan read and the data apply's writes returned."""
    before = client.counter.requests
    path = write_id_map(client, root, directory, site, issues)
    if path is not None:
        reads = client.counter.requests - before
        click.echo(f"Id map (old id -> new id): {path} ({reads} requests)")


def _emptied(plan: Plan, result: ApplyResult) -> KnownIds | None:
    """The plan's issue ids, without the issues of projects the apply deleted or replaced (a
    project's issues go with it; a replaced one's are what the data step made)."""
    ids: KnownIds | None = plan.issue_ids
    done = set(result.done)
    for change in plan.changes if ids is not None else []:
        gone = change.action in (Action.DELETE, Action.REPLACE) and str(change.address) in done
        if change.address.kind == "project" and gone and ids is not None:
            ids.emptied(change.address.key)
    return ids


def _data(
    client: JiraClient,
    root: Path,
    directory: Path,
    settings: dict[str, Any],
    ref: str | None,
    site: str | None,
    prune: bool,
    ids: KnownIds | None,
) -> DataRunner | None:
    """The data step, for a repo whose jiracfg.yaml manages data; it notes in ``ids`` what its
    writes returned."""
    if data_settings(settings, root) is None:
        return None
    desired, _, _ = read_desired(directory, ref, site, check_refs=False)
    return data_runner(
        client, root, settings, desired, prune=prune, blob_root=directory, hook=_progress, ids=ids
    )


def _saved_plan(
    client: JiraClient, directory: Path, planfile: Path
) -> tuple[Plan, Snapshot, dict[str, Any]]:
    """The plan saved in ``planfile``, refused if the live site changed since it was made."""
    plan = saved.load(planfile)
    saved.check_site(plan, client.url)
    return plan, check_fresh(client, plan), load_settings(directory)


def _new_plan(
    client: JiraClient,
    directory: Path,
    ref: str | None,
    site: str | None,
    prune: bool,
    target: tuple[str, ...],
    color: bool,
    root: Path,
    rotate_secrets: bool = False,
) -> tuple[Plan, Snapshot, dict[str, Any]]:
    """A plan made now from the config repo (at ``ref``), shown before it is applied."""
    plan, live, settings = planned(
        client, directory, ref, site, prune, target, root, rotate_secrets
    )
    echo_plan(plan, "text", color)
    return plan, live, settings


def _confirm() -> None:
    if not sys.stdin.isatty():
        raise JiracfgError(
            "refusing to apply without confirmation on a non-interactive input",
            hint="review the plan and pass --auto-approve",
        )
    click.confirm("Apply these changes?", abort=True)


def _progress(change: Change, event: str) -> None:
    if event != "start":
        click.echo(f"  {event}: {change.action.value} {change.address}", err=True)
