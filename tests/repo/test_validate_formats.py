"""validate's machine formats (JSON, GitHub annotations), its hints ("did you mean"), no
follow-on errors from a file that already failed, and ``fmt --diff``."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from jiracfg.cli import cli

BROKEN = Path(__file__).parent / "broken"


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def repo(tmp_path: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    return tmp_path


def test_validate_json_lists_each_error_with_file_line_and_hint() -> None:
    code, out = invoke("validate", "--dir", str(BROKEN / "dangling_reference"), "--format", "json")
    body = json.loads(out[: out.rindex("}") + 1])
    assert code == 1 and body["valid"] is False
    [error] = body["errors"]
    assert (error["file"], error["line"]) == ("issue-type-schemes/main.yaml", 4)
    assert error["message"].startswith("issue_type_scheme/Main refers to issue_type 'Ghost'")


def test_validate_github_writes_annotations() -> None:
    code, out = invoke("validate", "--dir", str(BROKEN / "wrong_type"), "--format", "github")
    assert code == 1
    assert out.startswith("::error file=issue-types/task.yaml,line=3::issue_type: ")


def test_an_unknown_name_gets_a_did_you_mean(tmp_path: Path) -> None:
    root = repo(
        tmp_path,
        {
            "issue-types/task.yaml": "name: Task\nlevel: standard\n",
            "issue-type-schemes/main.yaml": "name: Main\nissue_types:\n  - Taks\n",
        },
    )
    code, out = invoke("validate", "--dir", str(root))
    assert code == 1 and "did you mean 'Task'?" in out


def test_a_file_that_failed_gives_no_follow_on_errors(tmp_path: Path) -> None:
    root = repo(
        tmp_path,
        {
            "issue-types/task.yaml": "name: Task\nlevel: standrd\n",
            "issue-type-schemes/main.yaml": "name: Main\nissue_types:\n  - Task\n",
        },
    )
    code, out = invoke("validate", "--dir", str(root))
    assert code == 1 and "1 error(s)" in out and "'Task', which is not" not in out


def test_fmt_diff_prints_a_unified_diff_and_writes_nothing(tmp_path: Path) -> None:
    text = "level: standard\nname: Task\n"
    root = repo(tmp_path, {"issue-types/task.yaml": text})
    code, out = invoke("fmt", "--dir", str(root), "--diff")
    assert code == 0
    assert "--- a/issue-types/task.yaml\n+++ b/issue-types/task.yaml\n" in out
    assert "+name: Task\n level: standard\n-name: Task\n" in out
    assert (root / "issue-types" / "task.yaml").read_text() == text
    assert invoke("fmt", "--dir", str(root), "--diff", "--check")[0] == 1
