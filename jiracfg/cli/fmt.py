"""``jiracfg fmt``: rewrite the config repo's YAML into canonical form."""

from __future__ import annotations

import difflib
from pathlib import Path

import click

from jiracfg.cli._common import dir_option
from jiracfg.errors import JiracfgError
from jiracfg.repo.fmt import format_tree, formatted


@click.command("fmt")
@dir_option
@click.option("--check", is_flag=True, help="Change nothing; exit 1 if a file is not canonical.")
@click.option("--diff", "show_diff", is_flag=True, help="Change nothing; print a unified diff.")
def command(directory: Path, check: bool, show_diff: bool) -> None:
    """Rewrite YAML files into canonical form (key order, indentation), keeping comments.

    \b
    Examples:
      jiracfg fmt --dir acme-jira
      jiracfg fmt --check      # in CI or pre-commit
      jiracfg fmt --diff       # what fmt would change
    """
    if show_diff:
        changed = [_diff(*change) for change in formatted(directory)]
    else:
        changed = format_tree(directory, write=not check)
        for path in changed:
            click.echo(("would reformat " if check else "reformatted ") + path)
    if check and changed:
        raise JiracfgError(
            f"{len(changed)} file(s) are not in canonical form",
            hint="run `jiracfg fmt` and commit the result",
        )


def _diff(rel: str, old: str, new: str) -> str:
    lines = difflib.unified_diff(
        old.splitlines(keepends=True), new.splitlines(keepends=True), f"a/{rel}", f"b/{rel}"
    )
    click.echo("".join(lines), nl=False)
    return rel
