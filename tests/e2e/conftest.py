"""End-to-end helpers: the real ``jiracfg`` command line against live sandbox servers."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from jiracfg.cli import cli
from jiracfg.sandbox.server import SandboxServer
from jiracfg.sandbox.store import Store
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


@pytest.fixture(autouse=True)
def _quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """Commands retry a failed request after 10 ms, not 200 ms (doubling): what these tests check
    under faults is that retries converge; the backoff itself is tests/client's."""
    monkeypatch.setattr("jiracfg.client.RETRY_BASE_DELAY", 0.01)


Build = Callable[[Jiracfg], None]
BuiltSite = Callable[[str, Build], Jiracfg]
_BUILT: dict[str, tuple[Store, Path, str]] = {}  # per test process: name -> site, repo, its URL


@pytest.fixture(scope="session")
def _built_sites(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("built-sites")


@pytest.fixture
def built_site(start_sandbox: StartSandbox, tmp_path: Path, _built_sites: Path) -> BuiltSite:
    """``built_site(name, build)``: a demo sandbox and a git repo (``acme-jira``) as ``build``
    leaves them, given a Jiracfg on both. Built once per test process under ``name``; later
    tests get a copy of that site's store and of the repo's files (the same bytes, ids and
    commits: a sandbox site is fully in its store), so expensive set-ups (an export) run once."""

    def make(name: str, build: Build) -> Jiracfg:
        repo = tmp_path / "acme-jira"
        if name in _BUILT:
            store, files, url = _BUILT[name]
            server = start_sandbox("demo", store=store.copy_to(":memory:"))
            shutil.copytree(files, repo, symlinks=True)
            rebind(repo, url, server.url)
            return Jiracfg(server, repo)
        init_repo(repo)
        run = Jiracfg(start_sandbox("demo"), repo)
        build(run)
        kept = shutil.copytree(repo, _built_sites / name, symlinks=True)
        _BUILT[name] = (run.server.store.copy_to(":memory:"), kept, run.server.url)
        return run

    return make


def rebind(repo: Path, old: str, new: str) -> None:
    """Point a copied repo's own state (``.jiracfg``: the last data export's site, id maps) at
    the site it now goes with, as if it had been built against that one."""
    for path in sorted((repo / ".jiracfg").rglob("*")):
        text = path.read_bytes() if path.is_file() else b""
        for was, now in ((old, new), (netloc(old), netloc(new))):
            text = text.replace(was.encode(), now.encode())
        if path.is_file():
            path.write_bytes(text)
        if netloc(old) in path.name:
            path.rename(path.with_name(path.name.replace(netloc(old), netloc(new))))


def netloc(url: str) -> str:
    """``127.0.0.1_8000``: a site's host as the id map names its file."""
    return url.split("://", 1)[-1].replace(":", "_")


def export_and_commit(run: Jiracfg) -> None:
    run("export")
    commit(run.repo, "export")


def apply_under_faults(
    source: Jiracfg,
    start_sandbox: StartSandbox,
    seed: int,
    rate: float = 0.1,
    runs: int = 6,
    until_success: bool = False,
) -> Jiracfg:
    """Apply ``source``'s repo ``runs`` times (or until one succeeds) to a fresh site failing a
    share ``rate`` of the requests (reproducibly from ``seed``): one apply at least succeeds,
    more than ten faults were injected; then the faults stop. Returns the target."""
    server = start_sandbox("fresh", fault_rate=rate, fault_seed=seed, retry_after=0)
    target = source.with_server(server)
    codes: list[int] = []
    while len(codes) < runs and not (until_success and 0 in codes):
        codes.append(target("apply", "--auto-approve", expect=None).code)
    assert 0 in codes, codes
    assert server.faults is not None and sum(server.faults.injected.values()) > 10
    server.faults.rate = 0
    return target


@pytest.fixture
def exported_demo(built_site: BuiltSite) -> Jiracfg:
    """A demo sandbox exported into a fresh git repo (committed)."""
    return built_site("exported demo", export_and_commit)
