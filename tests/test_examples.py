"""The example CI workflows are valid GitHub Actions YAML and call only real jiracfg
commands/flags."""

from __future__ import annotations

import json
import re
import shlex
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
                match = re.search(r"\bjiracfg\s+[^|>;&]*", line)
                if match and "pip install" not in line:
                    calls.append(shlex.split(match.group(0))[1:])
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


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_names_secrets_and_stores_none(path: Path) -> None:
    text = path.read_text()
    assert "secrets.JIRA_API_TOKEN" in text
    for line in text.splitlines():
        if re.match(r"\s*(JIRA_API_TOKEN|JIRA_EMAIL|JIRA_URL|JIRACFG_WEBHOOK_SECRET_\w+):", line):
            assert "${{ secrets." in line, line


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
    applied = runner.invoke(cli, ["apply", "--auto-approve", "--dir", str(CONFIG)], env=env)
    assert applied.exit_code == 0, applied.output
    again = runner.invoke(cli, ["plan", "--detailed-exitcode", "--dir", str(CONFIG)], env=env)
    assert again.exit_code == 0, again.output
    assert "ENG" in {p["key"] for p in server.store.all("project")}


def test_the_example_repo_carries_the_current_schemas() -> None:
    from jiracfg.kinds import REGISTRY

    folder = CONFIG / ".jiracfg" / "schemas"
    assert sorted(p.stem for p in folder.glob("*.json")) == sorted(REGISTRY)
    for name, kind in REGISTRY.items():
        assert json.loads((folder / f"{name}.json").read_text()) == kind.schema(), name
