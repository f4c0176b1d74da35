"""``jiracfg validate``: offline checks of the config repo."""

from __future__ import annotations

from pathlib import Path

import click

from jiracfg.cli._common import dir_option, site_option
from jiracfg.repo import load_desired, load_settings, sites


@click.command("validate")
@dir_option
@site_option
def command(directory: Path, site: str | None) -> None:
    """Check the config repo offline: YAML syntax, schemas, references, duplicate names.

    Every error names its file and line. Exit code 1 on any error. A repo that declares
    several sites is checked for each of them (or for --site only).

    \b
    Example:
      jiracfg validate --dir acme-jira
    """
    settings = load_settings(directory)
    names: list[str | None] = [site] if site else [*sites.site_names(settings)] or [None]
    for name in names:
        snapshot = load_desired(directory, site=sites.choose(settings, name))
        where = f" for site {name}" if name else ""
        click.echo(f"OK: {len(snapshot)} objects in {directory} are valid{where}.")
