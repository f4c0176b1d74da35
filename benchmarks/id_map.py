"""The requests the id map takes after an apply (issue 12), counted by the CLI itself.

    .venv/bin/python -m benchmarks.id_map

Exports ``demo`` with every project's issues (``data: projects: "*"``, its 330 issues) into a
temporary git repo, then applies the repo to the same site (no changes), rebuilds it into
``fresh``, and applies it to the rebuilt site again. Prints, for each apply, the requests its id
map took (the CLI's ``Id map (old id -> new id): FILE (N requests)``) and its issue lines.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from pathlib import Path

from click.testing import CliRunner

from benchmarks._sandbox import sandbox_process
from jiracfg.cli import cli
from jiracfg.sandbox.server import EMAIL, TOKEN

ISSUE_KINDS = ('"kind": "issue"', '"kind": "comment"', '"kind": "worklog"', '"kind": "attachment"')


def jiracfg(url: str, repo: Path, *args: str) -> str:
    env = {"JIRA_URL": url, "JIRA_EMAIL": EMAIL, "JIRA_API_TOKEN": TOKEN}
    result = CliRunner().invoke(cli, [*args, "--dir", str(repo)], env=env)
    if result.exit_code != 0:
        raise SystemExit(f"jiracfg {' '.join(args)} failed:\n{result.output}")
    return result.output


def map_requests(output: str) -> tuple[int, Path]:
    found = re.search(r"Id map \(old id -> new id\): (.*) \((\d+) requests\)", output)
    if not found:
        raise SystemExit(f"no id map line in:\n{output}")
    return int(found.group(2)), Path(found.group(1))


def report(name: str, output: str) -> None:
    requests, path = map_requests(output)
    lines = path.read_text(encoding="utf-8").splitlines()
    issues = sum(1 for line in lines if any(k in line for k in ISSUE_KINDS))
    print(f"{name:<42} {requests:>8} {issues:>12}")


def exported(url: str, repo: Path) -> None:
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    (repo / "jiracfg.yaml").write_text('data:\n  projects: "*"\n', encoding="utf-8")
    jiracfg(url, repo, "export")
    for args in (
        ["add", "-A"],
        ["-c", "user.name=b", "-c", "user.email=b@x", "commit", "-qm", "e"],
    ):
        subprocess.run(["git", "-C", str(repo), *args], check=True)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        repo = Path(folder) / "repo"
        with sandbox_process("--seed", "demo") as demo, sandbox_process("--seed", "fresh") as fresh:
            exported(demo, repo)
            print(f"{'apply':<42} {'requests':>8} {'issue lines':>12}")
            report("demo onto itself (no changes)", jiracfg(demo, repo, "apply", "--auto-approve"))
            report("rebuild into fresh", jiracfg(fresh, repo, "apply", "--auto-approve"))
            report(
                "the rebuilt site again (no changes)",
                jiracfg(fresh, repo, "apply", "--auto-approve"),
            )


if __name__ == "__main__":
    main()
