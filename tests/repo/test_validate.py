"""Broken config repos: every error names file and line, exit code 1, zero writes to Jira."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from jiracfg.cli import cli
from jiracfg.sandbox.server import SandboxServer

BROKEN = Path(__file__).parent / "broken"

EXPECTED = {  # case -> (file:line, words in the message)
    "syntax_error": ("issue-types/task.yaml:3", "YAML syntax"),
    "tab_indent": ("issue-types/task.yaml:3", "YAML syntax"),
    "wrong_type": ("issue-types/task.yaml:3", "is not of type 'string'"),
    "unknown_key": ("issue-types/task.yaml:3", "'colour' was unexpected"),
    "missing_required": ("issue-types/task.yaml:1", "'name' is a required property"),
    "duplicate_key": ("issue-types/task.yaml:3", "duplicate key"),
    "not_a_mapping": ("issue-types/task.yaml:1", "expected a mapping"),
    "duplicate_names": ("issue-types/task.yaml:1", "is also defined at issue-types/task-2.yaml"),
    "dangling_reference": ("issue-type-schemes/main.yaml:4", "'Ghost', which is not in"),
    "unknown_folder": ("workflowz", "unknown folder"),
    "bad_settings": ("jiracfg.yaml:1", "is not of type 'string'"),
    "jql_unknown_field": ("webhooks/deploy.yaml:4", "did you mean 'Story Points'"),
    "jql_syntax_error": ("webhooks/deploy.yaml:5", "expected an operator"),
}


def test_every_case_in_the_corpus_is_covered() -> None:
    assert {p.name for p in BROKEN.iterdir()} == set(EXPECTED)


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_validate_names_file_and_line(case: str) -> None:
    result = CliRunner().invoke(cli, ["validate", "--dir", str(BROKEN / case)])
    where, words = EXPECTED[case]
    assert result.exit_code == 1, result.output
    assert where in result.output and words in result.output, result.output
    assert "hint:" in result.output


def test_a_valid_repo_passes(tmp_path: Path) -> None:
    (tmp_path / "issue-types").mkdir()
    (tmp_path / "issue-types" / "task.yaml").write_text("name: Task\nlevel: standard\n")
    result = CliRunner().invoke(cli, ["validate", "--dir", str(tmp_path)])
    assert result.exit_code == 0 and "OK: 1 objects" in result.output


@pytest.mark.parametrize("command", [["plan"], ["apply", "--auto-approve"]])
def test_broken_input_makes_zero_writes(
    command: list[str], sandbox: SandboxServer, tmp_path: Path
) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(BROKEN / "duplicate_names", repo)
    before = sandbox.store.all("issue_type")
    env = {"JIRA_URL": sandbox.url, "JIRA_EMAIL": sandbox.email, "JIRA_API_TOKEN": sandbox.token}
    result = CliRunner().invoke(cli, [*command, "--dir", str(repo)], env=env)
    assert result.exit_code == 1
    assert "task-2.yaml" in result.output
    assert sandbox.store.all("issue_type") == before
