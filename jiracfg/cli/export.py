"""``jiracfg export``: write the live site to YAML."""

from __future__ import annotations

from pathlib import Path

import click

from jiracfg.cli._common import (
    connection_options,
    make_client,
    new_dir_option,
    parallelism_option,
    site_option,
    split_list,
)
from jiracfg.cli.progress import SiteProgress
from jiracfg.data.export import DataReport
from jiracfg.errors import ConfigError
from jiracfg.export import export, export_issues
from jiracfg.kinds import REGISTRY, kind_order
from jiracfg.repo import load_settings, sites
from jiracfg.repo.sites import NO_SITE


@click.command("export")
@connection_options
@parallelism_option
@new_dir_option
@click.option("--kinds", help="Comma-separated kinds to export (default: all).")
@site_option
@click.option(
    "--full-data", is_flag=True, help="Re-read every managed issue (not only those changed)."
)
def command(
    url: str | None,
    email: str | None,
    token: str | None,
    parallelism: int | None,
    directory: Path,
    kinds: str | None,
    site: str | None,
    full_data: bool,
) -> None:
    """Write every configuration object of the live site to YAML, one file per object.

    \b
    Example:
      JIRA_URL=https://acme.atlassian.net jiracfg export --dir acme-jira
      jiracfg export --site staging     # staging's values written back as ${var.NAME}
    """
    selected = split_list(kinds)
    unknown = sorted(set(selected or []) - set(REGISTRY))
    if unknown:
        raise ConfigError(
            f"unknown kinds: {', '.join(unknown)}",
            hint=f"choose from {', '.join(sorted(REGISTRY))}",
        )
    chosen = sites.choose(load_settings(directory), site) if directory.is_dir() else NO_SITE
    client = make_client(url, email, token, parallelism)
    sites.check_url(chosen, client.url)
    with SiteProgress(client, len(kind_order(selected)), "export") as progress:
        report = export(client, directory, selected, progress, chosen, progress.written)
    for address, todo in report.skipped.items():
        click.secho(f"Skipped {address}: {todo}", fg="yellow", err=True)
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
