"""The hooks we offer users (.pre-commit-hooks.yaml) work in a throwaway config repo.

pre-commit installs jiracfg from this repository's HEAD into its own environment, as it would for a
user, then runs ``jiracfg validate`` and ``jiracfg fmt --check`` over the config repo.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRE_COMMIT = Path(sys.executable).parent / "pre-commit"
CANONICAL = (
    "# yaml-language-server: $schema=../.jiracfg/schemas/issue_type.json\n"
    "name: Task\nlevel: standard\n"
)


def run(repo: Path, *args: str, env_home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        list(args),
        cwd=repo,
        capture_output=True,
        text=True,
        env={
            "PATH": "/usr/bin:/bin",
            "HOME": str(env_home),
            "PRE_COMMIT_HOME": str(env_home / "pre-commit"),
        },
    )


def config_repo(tmp_path: Path) -> Path:
    repo = tmp_path / "config"
    (repo / "issue-types").mkdir(parents=True)
    (repo / "issue-types" / "task.yaml").write_text(CANONICAL)
    head = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "HEAD"], check=True, capture_output=True, text=True
    ).stdout.strip()
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {ROOT}\n    rev: {head}\n    hooks:\n"
        "      - id: jiracfg-validate\n      - id: jiracfg-fmt\n        args: [--check]\n"
    )
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    return repo


def test_validate_and_fmt_hooks_pass_then_catch_problems(tmp_path: Path) -> None:
    repo = config_repo(tmp_path)
    hooks = (str(PRE_COMMIT), "run", "--all-files")
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    passed = run(repo, *hooks, env_home=tmp_path)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "jiracfg validate" in passed.stdout and "Passed" in passed.stdout

    (repo / "issue-types" / "task.yaml").write_text("level: standard\nname: Task\n")
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    unformatted = run(repo, *hooks, env_home=tmp_path)
    assert unformatted.returncode == 1 and "issue-types/task.yaml" in unformatted.stdout

    (repo / "issue-types" / "task.yaml").write_text("name: Task\nlevel: epic\n")
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    broken = run(repo, *hooks, env_home=tmp_path)
    assert broken.returncode == 1 and "issue-types/task.yaml:2" in broken.stdout
