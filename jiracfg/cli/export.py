"""``jiracfg export``: write the live site to YAML."""

from __future__ import annotations

from pathlib import Path

import click

from jiracfg.cli._common import (
    KindProgress,
    connection_options,
    make_client,
    new_dir_option,
    split_list,
)
from jiracfg.data.export import DataReport
from jiracfg.errors import ConfigError
from jiracfg.export import export, export_issues
from jiracfg.kinds import REGISTRY, kind_order


@click.command("export")
@connection_options
@new_dir_option
@click.option("--kinds", help="Comma-separated kinds to export (default: all).")
@click.option(
    "--full-data", is_flag=True, help="Re-read every managed issue (not only those changed)."
)
def command(
    url: str | None,
    email: str | None,
    token: str | None,
    directory: Path,
    kinds: str | None,
    full_data: bool,
) -> None:
    """Write every configuration object of the live site to YAML, one file per object.

    \b
    Example:
      JIRA_URL=https://acme.atlassian.net jiracfg export --dir acme-jira
    """
    selected = split_list(kinds)
    unknown = sorted(set(selected or []) - set(REGISTRY))
    if unknown:
        raise ConfigError(
            f"unknown kinds: {', '.join(unknown)}",
            hint=f"choose from {', '.join(sorted(REGISTRY))}",
        )
    client = make_client(url, email, token)
    with KindProgress(len(kind_order(selected)), "export") as progress:
        report = export(client, directory, selected, progress)
    data = None if selected else export_issues(client, directory, full=full_data)
    click.echo(
        f"Exported to {directory}: {len(report.written)} written, "
        f"{len(report.unchanged)} unchanged, {len(report.removed)} removed"
        + (f"; issues: {_issues(data)}" if data else "")
        + f" ({client.counter.requests} requests)."
    )


def _issues(data: DataReport) -> str:
    how = "incremental" if data.incremental else "full"
    return (
        f"{data.issues} read ({how}), {data.written} written, {data.removed} removed, "
        f"{data.blobs_downloaded} attachment bodies downloaded"
    )
