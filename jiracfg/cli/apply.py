"""``jiracfg apply``: make the live site match the config repo (or run a saved plan)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from jiracfg.apply import Applier, check_fresh
from jiracfg.cli._common import connection_options, dir_option, make_client
from jiracfg.cli.plan import read_desired
from jiracfg.client import JiraClient
from jiracfg.errors import JiracfgError
from jiracfg.model import Snapshot
from jiracfg.plan.model import Change, Plan
from jiracfg.plan.planner import make_plan
from jiracfg.render import RENDERERS
from jiracfg.repo import load_settings


@click.command("apply")
@connection_options
@dir_option
@click.argument(
    "planfile", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("--ref", help="Read the desired state from this git commit instead of the files.")
@click.option("--auto-approve", is_flag=True, help="Apply without asking.")
@click.option("--prune", is_flag=True, help="Delete live objects missing from the config repo.")
def command(
    url: str | None,
    email: str | None,
    token: str | None,
    directory: Path,
    planfile: Path | None,
    ref: str | None,
    auto_approve: bool,
    prune: bool,
) -> None:
    """Apply a saved plan exactly, or plan now, show it, and apply after confirmation.

    A saved plan is refused if anything it read on the live site has changed since.

    \b
    Examples:
      jiracfg apply                      # plan, show, ask
      jiracfg apply --auto-approve       # in CI
      jiracfg apply --ref v42 --auto-approve   # rebuild from a commit
      jiracfg plan --out plan.json && jiracfg apply plan.json
    """
    client = make_client(url, email, token)
    if planfile is not None:
        plan, live, settings = _saved_plan(client, directory, planfile)
    else:
        plan, live, settings = _new_plan(client, directory, ref, prune)
    if plan.has_errors:
        raise JiracfgError("the plan has errors; nothing was applied", hint="fix them first")
    if not plan.changes:
        return
    if planfile is None and not auto_approve:
        _confirm()
    result = Applier(client, live, settings, _progress).apply(plan)
    click.echo(
        f"Apply complete: {len(result.done)} change(s)"
        + (f", {len(result.recovered)} recovered after lost responses" if result.recovered else "")
        + f" ({client.counter.writes} write requests)."
    )


def _saved_plan(
    client: JiraClient, directory: Path, planfile: Path
) -> tuple[Plan, Snapshot, dict[str, Any]]:
    """The plan saved in ``planfile``, refused if the live site changed since it was made."""
    plan = Plan.from_dict(json.loads(planfile.read_text(encoding="utf-8")))
    return plan, check_fresh(client, plan), load_settings(directory)


def _new_plan(
    client: JiraClient, directory: Path, ref: str | None, prune: bool
) -> tuple[Plan, Snapshot, dict[str, Any]]:
    """A plan made now from the config repo (at ``ref``), shown before it is applied."""
    desired, settings = read_desired(directory, ref, check_refs=False)
    plan, live = make_plan(client, desired, settings, prune=prune)
    click.echo(RENDERERS["text"](plan.to_dict(), sys.stdout.isatty()), nl=False)
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
