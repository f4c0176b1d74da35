"""``jiracfg plan``: what apply would change, as text, Markdown or JSON."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from jiracfg.cli._common import connection_options, dir_option, make_client
from jiracfg.errors import JiracfgError
from jiracfg.model import Snapshot
from jiracfg.plan.planner import make_plan
from jiracfg.render import RENDERERS
from jiracfg.repo import load_desired, load_desired_at_ref, load_settings, load_settings_at_ref


@click.command("plan")
@connection_options
@dir_option
@click.option("--ref", help="Read the desired state from this git commit instead of the files.")
@click.option(
    "--out",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Save the plan (JSON, with fingerprints of what it read) for `apply FILE`.",
)
@click.option(
    "--format", "fmt", type=click.Choice(sorted(RENDERERS)), default="text", show_default=True
)
@click.option("--detailed-exitcode", is_flag=True, help="Exit 0 no changes, 1 error, 2 changes.")
@click.option("--prune", is_flag=True, help="Delete live objects missing from the config repo.")
@click.option("--target", multiple=True, help="Only addresses matching this glob (repeatable).")
def command(
    url: str | None,
    email: str | None,
    token: str | None,
    directory: Path,
    ref: str | None,
    out: Path | None,
    fmt: str,
    detailed_exitcode: bool,
    prune: bool,
    target: tuple[str, ...],
) -> None:
    """Diff the config repo against the live site and show the changes apply would make.

    \b
    Examples:
      jiracfg plan
      jiracfg plan --format markdown --detailed-exitcode --out plan.json
      jiracfg plan --ref origin/main --target 'workflow/*'
    """
    desired, settings = read_desired(directory, ref, check_refs=False)
    plan, _ = make_plan(
        make_client(url, email, token), desired, settings, prune=prune, targets=list(target) or None
    )
    data = plan.to_dict()
    if out:
        out.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    click.echo(RENDERERS[fmt](data, sys.stdout.isatty()), nl=False)
    if plan.has_errors:
        raise JiracfgError(
            "the plan has errors (listed above); nothing can be applied",
            hint="fix them and plan again",
        )
    if detailed_exitcode and plan.changes:
        sys.exit(2)


def read_desired(
    directory: Path, ref: str | None, *, check_refs: bool = True
) -> tuple[Snapshot, dict[str, Any]]:
    if ref:
        return (
            load_desired_at_ref(directory, ref, check_refs=check_refs),
            load_settings_at_ref(directory, ref),
        )
    return load_desired(directory, check_refs=check_refs), load_settings(directory)
