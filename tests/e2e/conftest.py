"""End-to-end helpers: the real ``jiracfg`` command line against live sandbox servers."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from jiracfg.cli import cli
from jiracfg.sandbox.server import SandboxServer
from tests.conftest import StartSandbox

NO_DIR = {"show"}  # commands that read no config repo


@dataclass
class Result:
    code: int
    output: str


class Jiracfg:
    """Runs jiracfg commands against one sandbox, in one config repo."""

    def __init__(self, server: SandboxServer, repo: Path) -> None:
        self.server = server
        self.repo = repo

    def __call__(self, *args: str, expect: int | None = 0) -> Result:
        env = {
            "JIRA_URL": self.server.url,
            "JIRA_EMAIL": self.server.email,
            "JIRA_API_TOKEN": self.server.token,
        }
        where = [] if args[0] in NO_DIR else ["--dir", str(self.repo)]
        result = CliRunner().invoke(cli, [*args, *where], env=env)
        out = Result(result.exit_code, result.output)
        if expect is not None:
            assert out.code == expect, f"jiracfg {' '.join(args)} -> {out.code}\n{out.output}"
        return out

    def plan_changes(self, *args: str) -> list[str]:
        """The plan's change lines (``+ create status/X``...), from the JSON renderer."""
        import json

        result = self("plan", "--format", "json", *args, expect=None)
        assert result.code in (0, 2), result.output
        data = json.loads(result.output)
        return [f"{c['action']} {c['address']}" for c in data["changes"]]

    def with_server(self, server: SandboxServer) -> Jiracfg:
        return Jiracfg(server, self.repo)


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), *args], check=True, capture_output=True, text=True
    )
    return done.stdout


def init_repo(repo: Path) -> None:
    repo.mkdir(parents=True, exist_ok=True)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.email", "test@example.com")
    git(repo, "config", "user.name", "test")


def commit(repo: Path, message: str) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--allow-empty", "-m", message)
    return git(repo, "rev-parse", "HEAD").strip()


@pytest.fixture
def exported_demo(start_sandbox: StartSandbox, tmp_path: Path) -> Jiracfg:
    """A demo sandbox exported into a fresh git repo (committed)."""
    server = start_sandbox("demo")
    repo = tmp_path / "acme-jira"
    init_repo(repo)
    run = Jiracfg(server, repo)
    run("export")
    commit(repo, "export")
    return run
