"""The console entry point: exit codes, help with an example for every command, hints on errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from jiracfg.cli import cli

BROKEN = Path(__file__).parent / "repo" / "broken"


def commands(group: click.Group = cli, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found: list[tuple[str, ...]] = []
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            found += commands(command, (*prefix, name))
        else:
            found.append((*prefix, name))
    return found


def jiracfg(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "jiracfg", *args],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin"},
    )


def test_the_console_command_exits_1_with_a_hint_on_bad_input() -> None:
    done = jiracfg("validate", "--dir", str(BROKEN / "syntax_error"))
    assert done.returncode == 1
    assert "issue-types/task.yaml:3" in done.stderr and "hint:" in done.stderr
    assert "Traceback" not in done.stderr


def test_missing_connection_settings_name_the_variables(tmp_path: Path) -> None:
    done = jiracfg("export", "--dir", str(tmp_path))
    assert done.returncode == 1
    assert "JIRA_URL" in done.stderr and "hint:" in done.stderr


@pytest.mark.parametrize("command", ["validate", "fmt", "plan", "apply", "diff"])
def test_a_config_repo_that_does_not_exist_is_an_error(tmp_path: Path, command: str) -> None:
    args = ["HEAD", "HEAD"] if command == "diff" else []
    done = jiracfg(command, *args, "--dir", str(tmp_path / "does-not-exist"))
    assert done.returncode == 1
    assert "does-not-exist' does not exist" in done.stderr
    assert "OK" not in done.stdout


@pytest.mark.parametrize("path", commands(), ids=" ".join)
def test_every_command_has_help_with_an_example(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0 and "Example" in result.output, result.output


def test_progress_counts_kinds_objects_requests_and_files() -> None:
    import io

    from rich.console import Console

    from jiracfg.cli.progress import SiteProgress
    from jiracfg.client import JiraClient

    client = JiraClient("http://127.0.0.1:9", "a@example.com", "t")
    client.counter.requests = 42
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=160)
    with SiteProgress(client, 3, "export", console) as progress:
        progress("status", 7)
        progress("workflow", 5)
        progress.written(4, 12)
        progress.bar.refresh()
    text = out.getvalue()
    assert "export: reading" in text and "2/3" in text and "kinds, 12 objects" in text
    assert "42 requests" in text and "writing files" in text and "4/12" in text
    quiet = io.StringIO()
    with SiteProgress(client, 3, "plan", Console(file=quiet, force_terminal=False)) as progress:
        progress("status", 7)
    assert quiet.getvalue() == ""
