"""Options and helpers shared by the CLI commands."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from jiracfg.client import JiraClient

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
    return click.option(
        "--dir",
        "directory",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path("."),
        show_default=True,
        help="The config repo.",
    )(fn)


def make_client(url: str | None, email: str | None, token: str | None) -> JiraClient:
    return JiraClient.from_env(url, email, token)


def is_terminal() -> bool:
    return sys.stderr.isatty()


class KindProgress:
    """A rich progress bar over kinds on a terminal; silent otherwise (CI, pipes)."""

    def __init__(self, total: int, label: str) -> None:
        from rich.console import Console
        from rich.progress import Progress as RichProgress

        self.bar = RichProgress(
            console=Console(stderr=True), transient=True, disable=not is_terminal()
        )
        self.task = self.bar.add_task(label, total=total)

    def __enter__(self) -> KindProgress:
        self.bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.bar.stop()

    def __call__(self, kind: str, count: int) -> None:
        self.bar.update(self.task, advance=1, description=f"{kind}: {count}")


def split_list(value: str | None) -> list[str] | None:
    return [v.strip() for v in value.split(",") if v.strip()] if value else None
