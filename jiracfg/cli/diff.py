"""``jiracfg diff REF1 REF2``: the semantic change between two commits of the config repo."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from jiracfg.cli._common import dir_option
from jiracfg.plan.planner import plan_from
from jiracfg.render import RENDERERS
from jiracfg.repo import load_desired_at_ref


@click.command("diff")
@dir_option
@click.argument("ref1")
@click.argument("ref2")
@click.option(
    "--format", "fmt", type=click.Choice(sorted(RENDERERS)), default="text", show_default=True
)
def command(directory: Path, ref1: str, ref2: str, fmt: str) -> None:
    """Show what changes between two commits, object by object (no Jira connection needed).

    \b
    Example:
      jiracfg diff main~1 main
    """
    before = load_desired_at_ref(directory, ref1, check_refs=False)
    after = load_desired_at_ref(directory, ref2, check_refs=False)
    plan = plan_from(after, before, {}, prune=True)
    plan.problems = [p for p in plan.problems if p.check != "references_resolve"]
    click.echo(RENDERERS[fmt](plan.to_dict(), sys.stdout.isatty()), nl=False)
