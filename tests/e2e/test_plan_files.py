"""Saved plans through the CLI: they record site, commit and version; ``show`` re-renders them;
``apply`` refuses a plan made for another site or a file that is not a plan; targets that match
nothing are errors; colour follows NO_COLOR / FORCE_COLOR / --no-color."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jiracfg import __version__
from tests.conftest import StartSandbox
from tests.e2e.conftest import Jiracfg, git
from tests.e2e.test_edits import edit
from tests.e2e.test_refusals import state


def rename_category(run: Jiracfg) -> None:
    edit(
        run.repo,
        "project-categories/engineering.yaml",
        lambda c: c.update(description="Builds things"),
    )


def saved_plan(run: Jiracfg, tmp_path: Path) -> Path:
    out = tmp_path / "plan.json"
    run("plan", "--out", str(out), "--detailed-exitcode", expect=2)
    return out


def test_a_saved_plan_records_site_commit_and_version(
    exported_demo: Jiracfg, tmp_path: Path
) -> None:
    rename_category(exported_demo)
    source = json.loads(saved_plan(exported_demo, tmp_path).read_text())["source"]
    head = git(exported_demo.repo, "rev-parse", "HEAD").strip()
    assert source == {
        "site": exported_demo.server.url,
        "commit": head,
        "ref": "working tree",
        "dirty": "yes",
        "jiracfg_version": __version__,
    }
    text = exported_demo("plan").output
    assert f"Plan for {exported_demo.server.url} from working tree ({head[:12]}" in text


def test_show_renders_a_saved_plan_without_a_site(exported_demo: Jiracfg, tmp_path: Path) -> None:
    rename_category(exported_demo)
    out = saved_plan(exported_demo, tmp_path)
    shown = exported_demo("show", str(out), "--format", "markdown", "--no-color").output
    assert "`~` | update | `project_category/Engineering`" in shown
    assert exported_demo.server.url in shown


def test_apply_refuses_a_plan_made_for_another_site(
    exported_demo: Jiracfg, start_sandbox: StartSandbox, tmp_path: Path
) -> None:
    rename_category(exported_demo)
    out = saved_plan(exported_demo, tmp_path)
    other = exported_demo.with_server(start_sandbox("demo"))
    before = state(other.server.store)
    result = other("apply", str(out), expect=1)
    assert f"this plan was made for {exported_demo.server.url}, not for" in result.output
    assert state(other.server.store) == before


def test_a_file_that_is_not_a_plan_is_an_error(exported_demo: Jiracfg, tmp_path: Path) -> None:
    bad = tmp_path / "plan.json"
    bad.write_text('{"format_version": 2, "changes": [{"oops": 1}]', encoding="utf-8")
    for args in (("apply", str(bad)), ("show", str(bad))):
        result = exported_demo(*args, expect=1)
        assert "is not a jiracfg plan file" in result.output
        assert "Internal error" not in result.output


def test_a_target_that_matches_nothing_is_an_error(exported_demo: Jiracfg) -> None:
    result = exported_demo("plan", "--target", "workflow/Nope*", expect=1)
    assert "--target workflow/Nope* matches no object" in result.output


def test_apply_target_applies_only_the_targeted_change(exported_demo: Jiracfg) -> None:
    rename_category(exported_demo)
    edit(exported_demo.repo, "statuses/in-review.yaml", lambda s: s.update(description="Peer"))
    target = ("--target", "project_category/*")
    exported_demo("apply", "--auto-approve", *target)
    assert exported_demo.plan_changes() == ["update status/In Review"]


def test_colour_follows_no_color_and_force_color(
    exported_demo: Jiracfg, monkeypatch: pytest.MonkeyPatch
) -> None:
    rename_category(exported_demo)
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert "\x1b[" in exported_demo("plan").output
    assert "\x1b[" not in exported_demo("plan", "--no-color").output
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in exported_demo("plan").output


def test_export_says_which_apps_it_skipped_and_why(exported_demo: Jiracfg) -> None:
    result = exported_demo("export")
    variable = "JIRACFG_APP_SECRET_COM_EXAMPLE_DIAGRAMS"
    line = f"Skipped app_property/com.example.diagrams: set {variable} to export it"
    assert line in result.output
    inventory = (exported_demo.repo / ".jiracfg" / "inventory.yaml").read_text()
    assert f"app_property/com.example.diagrams: set {variable} to export it" in inventory


def test_ctrl_c_during_export_exits_130_and_leaves_the_repo_as_it_was(
    exported_demo: Jiracfg, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    from jiracfg.cli import main
    from jiracfg.repo import write

    repo = exported_demo.repo
    for path in sorted((repo / "statuses").glob("*.yaml"))[:3]:
        path.unlink()  # a re-export writes these back
    edit(repo, "project-categories/engineering.yaml", lambda c: c.update(description="Mine"))
    before = {p: p.read_bytes() for p in repo.rglob("*") if p.is_file() and ".git" not in p.parts}
    real, calls = write._write_file, []

    def interrupted(*args: object, **kwargs: object) -> None:
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(write, "_write_file", interrupted)
    server = exported_demo.server
    monkeypatch.setenv("JIRA_URL", server.url)
    monkeypatch.setenv("JIRA_EMAIL", server.email)
    monkeypatch.setenv("JIRA_API_TOKEN", server.token)
    monkeypatch.setattr(sys, "argv", ["jiracfg", "export", "--dir", str(repo)])
    with pytest.raises(SystemExit) as exited:
        main()
    assert exited.value.code == 130
    after = {p: p.read_bytes() for p in repo.rglob("*") if p.is_file() and ".git" not in p.parts}
    assert after == before and len(calls) == 3
