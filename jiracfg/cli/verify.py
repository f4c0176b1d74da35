"""``jiracfg verify``: prove the live site matches a commit of the repo, check by check."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from jiracfg import journal as applies
from jiracfg.cli._common import (
    connection_options,
    dir_option,
    journal_option,
    make_client,
    plan_source,
    site_option,
)
from jiracfg.cli.plan import read_desired
from jiracfg.cli.progress import SiteProgress
from jiracfg.plan.planner import kinds_to_read, make_plan
from jiracfg.repo import sites
from jiracfg.repo.git import folder_at
from jiracfg.verify import Inputs, Status, facts, probes, report, run_checks
from jiracfg.verify.render import RENDERERS


@click.command("verify")
@connection_options
@dir_option
@click.option("--ref", help="Verify against this git commit instead of the files.")
@site_option
@click.option(
    "--format", "fmt", type=click.Choice(sorted(RENDERERS)), default="text", show_default=True
)
@click.option("--strict", is_flag=True, help="A check that cannot be made here fails too.")
@click.option(
    "--deep",
    is_flag=True,
    help="Also walk every transition of every workflow in use with probe issues (deleted after), "
    "check the webhooks' deliveries of their events, and run the app adapters' probes that write.",
)
@journal_option
def command(
    url: str | None,
    email: str | None,
    token: str | None,
    directory: Path,
    ref: str | None,
    site: str | None,
    fmt: str,
    strict: bool,
    deep: bool,
    journal: Path | None,
) -> None:
    """Prove the live site holds what the commit says: named checks, each pass, fail (with
    evidence naming the object) or cannot (with the reason). Exit 1 on a failure (with
    --strict, on a cannot too).

    \b
    Examples:
      jiracfg verify
      jiracfg verify --ref v42 --format markdown > verify.md
      jiracfg verify --format json --strict
      jiracfg verify --deep              # probe issues walk every transition
    """
    client = make_client(url, email, token)
    desired, settings, chosen = read_desired(directory, ref, site, check_refs=False)
    sites.check_url(chosen, client.url)
    with folder_at(directory, ref) as root:
        with SiteProgress(client, len(kinds_to_read(desired)), "verify") as progress:
            plan, live = make_plan(client, desired, settings, progress=progress)
        issues = facts.issue_counts(client, root, settings)
        links = facts.issue_links(client, root, settings)
    source = plan_source(client.url, directory, ref, chosen)
    audit = facts.audit_facts(client, journal or applies.default_path(directory), source)
    deep_facts = probes.probe(client, desired) if deep else None
    menus = facts.create_menus(client, desired)
    enabled = facts.apps_enabled(client)
    observed = facts.app_observations(client, desired, enabled, deep)
    inputs = Inputs(desired, live, plan, enabled, issues, audit, deep_facts, menus, links, observed)
    results = run_checks(inputs)
    click.echo(RENDERERS[fmt](report(results, source)), nl=False)
    failing = {Status.FAIL, Status.CANNOT} if strict else {Status.FAIL}
    if any(r.status in failing for r in results):
        sys.exit(1)
