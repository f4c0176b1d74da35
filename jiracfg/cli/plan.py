"""``jiracfg plan``: what apply would change, as text, Markdown or JSON."""

from __future__ import annotations

import fnmatch
import sys
from pathlib import Path
from typing import Any

import click

from jiracfg.cli._common import (
    color_option,
    connection_options,
    dir_option,
    echo_plan,
    format_option,
    make_client,
    parallelism_option,
    plan_source,
    rotate_option,
    site_option,
    use_color,
)
from jiracfg.cli.progress import SiteProgress
from jiracfg.client import JiraClient
from jiracfg.errors import JiracfgError
from jiracfg.model import Snapshot
from jiracfg.plan import saved
from jiracfg.plan.model import Plan
from jiracfg.plan.planner import kinds_to_read, make_plan
from jiracfg.repo import (
    load_desired,
    load_desired_at_ref,
    load_settings,
    load_settings_at_ref,
    sites,
)
from jiracfg.repo.git import folder_at


@click.command("plan")
@connection_options
@parallelism_option
@dir_option
@click.option("--ref", help="Read the desired state from this git commit instead of the files.")
@click.option(
    "--out",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Save the plan (JSON, with fingerprints of what it read) for `apply FILE`.",
)
@format_option
@click.option("--detailed-exitcode", is_flag=True, help="Exit 0 no changes, 1 error, 2 changes.")
@click.option("--prune", is_flag=True, help="Delete live objects missing from the config repo.")
@click.option("--target", multiple=True, help="Only addresses matching this glob (repeatable).")
@site_option
@rotate_option
@color_option
@click.option(
    "--fail-on-unmanaged",
    is_flag=True,
    help="Exit 2 when live objects are not in the config repo (see jiracfg.yaml unmanaged.ignore).",
)
def command(
    url: str | None,
    email: str | None,
    token: str | None,
    parallelism: int | None,
    directory: Path,
    ref: str | None,
    out: Path | None,
    fmt: str,
    detailed_exitcode: bool,
    prune: bool,
    target: tuple[str, ...],
    site: str | None,
    rotate_secrets: bool,
    no_color: bool,
    fail_on_unmanaged: bool,
) -> None:
    """Diff the config repo against the live site and show the changes apply would make.

    \b
    Examples:
      jiracfg plan
      jiracfg plan --format markdown --detailed-exitcode --out plan.json
      jiracfg plan --ref origin/main --target 'workflow/*'
      jiracfg plan --detailed-exitcode --fail-on-unmanaged   # nightly drift check
      jiracfg plan --site staging
    """
    client = make_client(url, email, token, parallelism)
    with folder_at(directory, ref) as root:
        plan, _, _ = planned(client, directory, ref, site, prune, target, root, rotate_secrets)
    if out:
        saved.save(plan, out)
    echo_plan(plan, fmt, use_color(no_color))
    if plan.has_errors:
        raise JiracfgError(
            "the plan has errors (listed above); nothing can be applied",
            hint="fix them and plan again",
        )
    if (detailed_exitcode and plan.changes) or (fail_on_unmanaged and plan.unmanaged):
        sys.exit(2)


def planned(
    client: JiraClient,
    directory: Path,
    ref: str | None,
    site_name: str | None,
    prune: bool,
    target: tuple[str, ...],
    root: Path | None = None,
    rotate_secrets: bool = False,
) -> tuple[Plan, Snapshot, dict[str, Any]]:
    """The plan from the config repo (at ``ref``, for ``site_name``) to the live site, recording
    where it comes from, with the live snapshot and settings; a ``--target`` that matches no
    object of the repo or the site is an error. ``root``: the repo's files (at ``ref``), for its
    issue data."""
    desired, settings, site = read_desired(directory, ref, site_name, check_refs=False)
    sites.check_url(site, client.url)
    with SiteProgress(client, len(kinds_to_read(desired)), "plan") as progress:
        plan, live = make_plan(
            client,
            desired,
            settings,
            prune=prune,
            targets=list(target) or None,
            root=root,
            progress=progress,
            rotate_secrets=rotate_secrets,
        )
    plan.source = plan_source(client.url, directory, ref, site)
    check_targets(target, desired, live, plan)
    return plan, live, settings


def check_targets(
    target: tuple[str, ...], desired: Snapshot, live: Snapshot, plan: Plan | None = None
) -> None:
    known = [str(r.address) for r in desired] + [str(r.address) for r in live.managed()]
    known += [str(c.address) for c in plan.changes] if plan else []
    unmatched = [t for t in target if not any(fnmatch.fnmatchcase(a, t) for a in known)]
    if unmatched:
        raise JiracfgError(
            f"--target {', '.join(unmatched)} matches no object of the config repo or the site",
            hint="targets are globs over addresses such as 'workflow/*' or 'project/ENG'",
        )


def read_desired(
    directory: Path, ref: str | None, site_name: str | None, *, check_refs: bool = True
) -> tuple[Snapshot, dict[str, Any], sites.Site]:
    """The desired state (at ``ref``) as it is for the chosen site, its settings, the site."""
    if ref:
        settings = load_settings_at_ref(directory, ref)
        site = sites.choose(settings, site_name)
        return load_desired_at_ref(directory, ref, check_refs=check_refs, site=site), settings, site
    settings = load_settings(directory)
    site = sites.choose(settings, site_name)
    return load_desired(directory, check_refs=check_refs, site=site), settings, site
