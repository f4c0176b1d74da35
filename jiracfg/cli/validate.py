"""``jiracfg validate``: offline checks of the config repo."""

from __future__ import annotations

from pathlib import Path

import click

from jiracfg.cli._common import dir_option
from jiracfg.data.layout import project_files, projects_on_disk
from jiracfg.data.settings import data_settings
from jiracfg.data.validate import validate_data
from jiracfg.errors import ValidationFailed
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
    settings = load_settings(directory)
    snapshot = load_desired(directory)
    issues = 0
    if data_settings(settings, directory) is not None:
        errors = list(validate_data(directory))
        if errors:
            raise ValidationFailed(errors)
        issues = sum(1 for p in projects_on_disk(directory) for _ in project_files(directory, p))
    click.echo(
        f"OK: {len(snapshot)} objects"
        + (f" and {issues} issues" if issues else "")
        + f" in {directory} are valid."
    )
