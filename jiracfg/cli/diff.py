"""``jiracfg diff REF1 REF2``: the semantic change between two commits of the config repo."""

from __future__ import annotations

from pathlib import Path

import click

from jiracfg.cli._common import (
    color_option,
    dir_option,
    echo_plan,
    format_option,
    site_option,
    use_color,
)
from jiracfg.cli.plan import read_desired
from jiracfg.plan.planner import plan_from


@click.command("diff")
@dir_option
@click.argument("ref1")
@click.argument("ref2")
@format_option
@site_option
@color_option
def command(
    directory: Path, ref1: str, ref2: str, fmt: str, site: str | None, no_color: bool
) -> None:
    """Show what changes between two commits, object by object (no Jira connection needed).

    \b
    Example:
      jiracfg diff main~1 main
    """
    before, _, _ = read_desired(directory, ref1, site, check_refs=False)
    after, _, _ = read_desired(directory, ref2, site, check_refs=False)
    plan = plan_from(after, before, {}, prune=True)
    plan.problems = [p for p in plan.problems if p.check != "references_resolve"]
    echo_plan(plan, fmt, use_color(no_color))
