"""``jiracfg validate``: offline checks of the config repo."""

from __future__ import annotations

from pathlib import Path

import click

from jiracfg.cli._common import dir_option
from jiracfg.repo import load_desired, load_settings


@click.command("validate")
@dir_option
def command(directory: Path) -> None:
    """Check the config repo offline: YAML syntax, schemas, references, duplicate names.

    Every error names its file and line. Exit code 1 on any error.

    \b
    Example:
      jiracfg validate --dir acme-jira
    """
    load_settings(directory)
    snapshot = load_desired(directory)
    click.echo(f"OK: {len(snapshot)} objects in {directory} are valid.")
