"""``./run demo``: jiracfg's whole story on the built-in sandbox, no Jira account needed.

1. start a ``demo`` sandbox (a small company's Jira) and export it into a new git repo, its issues
   too (``jiracfg.yaml`` manages the data of every project);
2. change the YAML as an admin would in a pull request, and show the plan;
3. apply it, then plan again: no changes; map the new status on the boards (Jira's board
   settings: no REST call sets a board's columns); export again, which writes the ids Jira gave
   the new transitions (a rebuild keeps them) and the boards' columns;
4. "incident": start an ``empty`` sandbox, rebuild it from the commit (configuration, then the
   issues with their keys, statuses, values, comments, worklogs and attachments), plan again (no
   changes), verify it check by check, and export the rebuilt site: the tree is identical to the
   repo, issue files included.

Every step runs the real ``jiracfg`` command line against real sandbox servers over HTTP.
"""

from __future__ import annotations

import filecmp
import os
import shutil
import subprocess
import sys
from pathlib import Path

import httpx

from jiracfg.sandbox.server import SandboxOptions, SandboxServer, open_store

DATA_SETTINGS = (
    '# Issues of every project are managed too (data/, blobs/)\ndata:\n  projects: "*"\n'
)
WORKDIR = Path("demo-workdir")
REPO = WORKDIR / "acme-jira"
NEW_STATUS = "statuses/security-review.yaml"
SECURITY_TRANSITIONS = """\
  - name: Security check
    from:
      - In Review
    to: Security Review
  - name: Security approved
    from:
      - Security Review
    to: Done
"""


def say(title: str) -> None:
    print(f"\n\033[1m== {title}\033[0m" if sys.stdout.isatty() else f"\n== {title}", flush=True)


def jiracfg(server: SandboxServer, *args: str, ok: tuple[int, ...] = (0,)) -> int:
    """Run the jiracfg CLI against ``server``; stop the demo on an unexpected exit code."""
    env = {
        **os.environ,
        "JIRA_URL": server.url,
        "JIRA_EMAIL": server.email,
        "JIRA_API_TOKEN": server.token,
    }
    print(f"$ jiracfg {' '.join(args)}", flush=True)
    code = subprocess.run([sys.executable, "-m", "jiracfg", *args], env=env).returncode
    if code not in ok:
        raise SystemExit(f"demo stopped: `jiracfg {' '.join(args)}` exited {code}")
    return code


def git(*args: str) -> None:
    subprocess.run(["git", "-C", str(REPO), *args], check=True, capture_output=True)


def start(seed: str) -> SandboxServer:
    options = SandboxOptions(seed=seed)
    server = SandboxServer(open_store(options), options).start()
    print(f"Jira sandbox ({seed}) at {server.url}", flush=True)
    return server


def export_into_git(server: SandboxServer) -> None:
    shutil.rmtree(WORKDIR, ignore_errors=True)
    REPO.mkdir(parents=True)
    git("init", "-q", "-b", "main")
    git("config", "user.email", "demo@example.com")
    git("config", "user.name", "jiracfg demo")
    (REPO / "jiracfg.yaml").write_text(DATA_SETTINGS, encoding="utf-8")
    jiracfg(server, "export", "--dir", str(REPO))
    jiracfg(server, "validate", "--dir", str(REPO))
    files = sorted(p for p in REPO.rglob("*.yaml") if ".git" not in p.parts)
    print(f"{len(files)} YAML files in {REPO}", flush=True)
    git("add", "-A")
    git("commit", "-q", "-m", "Export of the live site")


def edit_yaml(server: SandboxServer) -> None:
    """What an admin changes in a pull request: a new status, wired into a workflow."""
    (REPO / NEW_STATUS).write_text(
        "name: Security Review\ncategory: IN_PROGRESS\n"
        "description: Waiting for the security team's sign-off\n",
        encoding="utf-8",
    )
    workflow = REPO / "workflows" / "software-development.yaml"
    text = workflow.read_text(encoding="utf-8").replace(
        "  - In Review\n", "  - In Review\n  - Security Review\n", 1
    )
    workflow.write_text(text + SECURITY_TRANSITIONS, encoding="utf-8")
    jiracfg(server, "fmt", "--dir", str(REPO))
    subprocess.run(["git", "-C", str(REPO), "--no-pager", "diff", "--stat"], check=True)


def map_new_status(server: SandboxServer) -> None:
    """What an admin does in Jira's UI after adding a status: put it in a column of each board
    (a status added to a workflow is unmapped on the boards that already exist)."""
    with httpx.Client(base_url=server.url, auth=(server.email, server.token)) as api:
        for board in api.get("/rest/agile/1.0/board").json()["values"]:
            body = {"status": "Security Review", "column": "In Progress"}
            path = f"/rest/sandbox/1/board/{board['id']}/column-status"
            api.put(path, json=body).raise_for_status()


def rebuild_and_compare() -> None:
    target = start("fresh")
    try:
        jiracfg(target, "plan", "--dir", str(REPO), "--detailed-exitcode", ok=(2,))
        jiracfg(target, "apply", "--dir", str(REPO), "--auto-approve")
        jiracfg(target, "plan", "--dir", str(REPO), "--detailed-exitcode")
        jiracfg(target, "verify", "--dir", str(REPO))
        again = WORKDIR / "rebuilt-export"
        shutil.rmtree(again, ignore_errors=True)
        again.mkdir(parents=True)
        shutil.copy(REPO / "jiracfg.yaml", again / "jiracfg.yaml")
        jiracfg(target, "export", "--dir", str(again))
    finally:
        target.stop()
    differ = tree_differences(REPO, again)
    print("rebuilt export is identical to the repo" if not differ else f"differs: {differ}")
    if differ:
        raise SystemExit(1)


def tree_differences(left: Path, right: Path) -> list[str]:
    """YAML files that exist on one side only or differ byte for byte, outside .git and
    .jiracfg (whose inventory counts live data, such as issues, that a rebuild does not carry)."""

    def files(root: Path) -> set[str]:
        return {
            str(p.relative_to(root))
            for p in root.rglob("*.yaml")
            if not {".git", ".jiracfg"} & set(p.relative_to(root).parts)
        }

    names = files(left) | files(right)
    return sorted(
        n
        for n in names
        if not (left / n).exists()
        or not (right / n).exists()
        or not filecmp.cmp(left / n, right / n, shallow=False)
    )


def app_secrets() -> None:
    """Jira lets only an app itself touch its settings: jiracfg signs those calls with the app's
    shared secret, from the environment. The sandbox's demo apps have known secrets."""
    from jiracfg.kinds.app_property import secret_variable
    from jiracfg.sandbox.routes.apps import DEMO_APPS

    for app in DEMO_APPS:
        os.environ.setdefault(secret_variable(app["key"]), app["sharedSecret"])


def main() -> None:
    app_secrets()
    say("1. A demo Jira site, exported into a git repo")
    server = start("demo")
    try:
        export_into_git(server)
        say("2. An admin edits the YAML (a pull request); the plan shows exactly that")
        edit_yaml(server)
        jiracfg(server, "plan", "--dir", str(REPO), "--detailed-exitcode", ok=(2,))
        say("3. Apply, then plan again: no changes")
        jiracfg(server, "apply", "--dir", str(REPO), "--auto-approve")
        jiracfg(server, "plan", "--dir", str(REPO), "--detailed-exitcode")
        say(
            "   In Jira's board settings, map the new status to the boards' In Progress column "
            "(Jira has no REST call for a board's columns)"
        )
        map_new_status(server)
        say("   Export again: it writes the ids Jira gave the new transitions (kept on rebuild)")
        jiracfg(server, "export", "--dir", str(REPO))
        jiracfg(server, "plan", "--dir", str(REPO), "--detailed-exitcode")
        git("add", "-A")
        git("commit", "-q", "-m", "Add a Security Review status to Software Development")
        say(
            "4. Incident: rebuild a brand-new empty site (same users, apps reinstalled) from "
            "the commit"
        )
        rebuild_and_compare()
    finally:
        server.stop()
    say(f"Done. The config repo is in {REPO}")


if __name__ == "__main__":
    main()
