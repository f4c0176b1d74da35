"""``jiracfg show``: re-render a saved plan (as ``terraform show``)."""

from __future__ import annotations

from pathlib import Path

import click

from jiracfg.cli._common import color_option, echo_plan, format_option, use_color
from jiracfg.plan import saved


@click.command("show")
@click.argument("planfile", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@format_option
@color_option
def command(planfile: Path, fmt: str, no_color: bool) -> None:
    """Show a plan saved with `plan --out`, as text, Markdown or JSON (no Jira site needed).

    \b
    Example:
      jiracfg plan --out plan.json && jiracfg show plan.json --format markdown
    """
    echo_plan(saved.load(planfile), fmt, use_color(no_color))
