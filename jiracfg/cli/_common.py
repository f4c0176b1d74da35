"""Options and helpers shared by the CLI commands."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from jiracfg import __version__
from jiracfg.client import JiraClient
from jiracfg.plan.model import Plan
from jiracfg.render import RENDERERS
from jiracfg.repo import describe
from jiracfg.repo.sites import Site

F = TypeVar("F", bound=Callable[..., Any])


def connection_options(fn: F) -> F:
    """``--url/--email/--token`` (or JIRA_URL, JIRA_EMAIL, JIRA_API_TOKEN)."""
    fn = click.option(
        "--token",
        envvar="JIRA_API_TOKEN",
        show_envvar=True,
        help="Atlassian API token (prefer the environment variable).",
    )(fn)
    fn = click.option(
        "--email", envvar="JIRA_EMAIL", show_envvar=True, help="Atlassian account email."
    )(fn)
    fn = click.option(
        "--url",
        envvar="JIRA_URL",
        show_envvar=True,
        help="Site URL, e.g. https://your-site.atlassian.net",
    )(fn)
    return fn


def dir_option(fn: F) -> F:
    """``--dir``: the config repo, which must exist (a typo must not read as an empty repo)."""
    return _dir(fn, exists=True)


def new_dir_option(fn: F) -> F:
    """``--dir`` for export, which creates the folder."""
    return _dir(fn, exists=False)


def _dir(fn: F, *, exists: bool) -> F:
    return click.option(
        "--dir",
        "directory",
        type=click.Path(file_okay=False, exists=exists, path_type=Path),
        default=Path("."),
        show_default=True,
        help="The config repo.",
    )(fn)


def site_option(fn: F) -> F:
    return click.option(
        "--site",
        envvar="JIRACFG_SITE",
        show_envvar=True,
        help="Which site of jiracfg.yaml `sites:` (its variables and skipped files).",
    )(fn)


def journal_option(fn: F) -> F:
    return click.option(
        "--journal",
        type=click.Path(dir_okay=False, path_type=Path),
        envvar="JIRACFG_JOURNAL",
        show_envvar=True,
        help="The apply journal (what each apply wrote, for verify's audit check); default "
        ".git/jiracfg/applies.jsonl of the config repo.",
    )(fn)


def color_option(fn: F) -> F:
    return click.option(
        "--no-color",
        is_flag=True,
        help="No colour (also NO_COLOR=1; FORCE_COLOR=1 forces it when not a terminal).",
    )(fn)


def use_color(no_color: bool) -> bool:
    """Colour on a terminal, unless --no-color or NO_COLOR; FORCE_COLOR turns it on anywhere."""
    if no_color or os.environ.get("NO_COLOR"):
        return False
    return bool(os.environ.get("FORCE_COLOR")) or sys.stdout.isatty()


def echo_plan(plan: Plan, fmt: str, color: bool) -> None:
    """Print ``plan`` with the renderer ``fmt`` (ANSI colour kept only when ``color``)."""
    click.echo(RENDERERS[fmt](plan.to_dict(), color), nl=False, color=color)


def format_option(fn: F) -> F:
    return click.option(
        "--format", "fmt", type=click.Choice(sorted(RENDERERS)), default="text", show_default=True
    )(fn)


def plan_source(url: str, directory: Path, ref: str | None, site: Site) -> dict[str, str]:
    """What a plan records of where it comes from: site, commit and jiracfg version."""
    named = {"site_name": site.name} if site.name else {}
    return {"site": url, **named, **describe(directory, ref), "jiracfg_version": __version__}


def parallelism_option(fn: F) -> F:
    return click.option(
        "--parallelism",
        type=click.IntRange(min=1),
        envvar="JIRACFG_PARALLELISM",
        show_envvar=True,
        help="At most this many requests in flight (default: start at 8 and adapt to Jira's "
        "rate limits, up to 50).",
    )(fn)


def make_client(
    url: str | None, email: str | None, token: str | None, parallelism: int | None = None
) -> JiraClient:
    """The command's client, closed (its connections and threads) when the command ends."""
    if parallelism is None:  # (callers that do not offer --parallelism; tests replace this)
        client = JiraClient.from_env(url, email, token)
    else:
        client = JiraClient.from_env(url, email, token, concurrency=parallelism)
    context = click.get_current_context(silent=True)
    if context is not None:
        context.call_on_close(client.close)
    return client


def is_terminal() -> bool:
    return sys.stderr.isatty()


def split_list(value: str | None) -> list[str] | None:
    return [v.strip() for v in value.split(",") if v.strip()] if value else None


def rotate_option(fn: F) -> F:
    """``--rotate-secrets``: send every declared webhook secret again (Jira never shows them)."""
    return click.option(
        "--rotate-secrets",
        is_flag=True,
        help="Send every webhook secret the repo declares again (after changing a variable).",
    )(fn)
