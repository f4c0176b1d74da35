"""``jiracfg fmt``: rewrite the config repo's YAML into canonical form."""

from __future__ import annotations

from pathlib import Path

import click

from jiracfg.cli._common import dir_option
from jiracfg.errors import JiracfgError
from jiracfg.repo.fmt import format_tree


@click.command("fmt")
@dir_option
@click.option("--check", is_flag=True, help="Change nothing; exit 1 if a file is not canonical.")
def command(directory: Path, check: bool) -> None:
    """Rewrite YAML files into canonical form (key order, indentation), keeping comments.

    \b
    Examples:
      jiracfg fmt --dir acme-jira
      jiracfg fmt --check      # in CI or pre-commit
    """
    changed = format_tree(directory, write=not check)
    for path in changed:
        click.echo(("would reformat " if check else "reformatted ") + path)
    if check and changed:
        raise JiracfgError(
            f"{len(changed)} file(s) are not in canonical form",
            hint="run `jiracfg fmt` and commit the result",
        )
