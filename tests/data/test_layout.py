"""Issue file paths, the issue file's text, and status paths through a workflow."""

from __future__ import annotations

from pathlib import Path

import pytest

from jiracfg.data.files import parse, render, write_if_changed
from jiracfg.data.layout import issue_path, project_files, split_key
from jiracfg.data.workflows import status_path
from jiracfg.errors import ConfigError


def test_issue_files_are_sharded_by_thousands(tmp_path: Path) -> None:
    assert issue_path(tmp_path, "ENG-12") == tmp_path / "data/ENG/000/ENG-12.yaml"
    assert issue_path(tmp_path, "ENG-4321") == tmp_path / "data/ENG/004/ENG-4321.yaml"
    assert issue_path(tmp_path, "OPS-1234567") == tmp_path / "data/OPS/1234/OPS-1234567.yaml"
    with pytest.raises(ConfigError):
        split_key("eng-1")


def test_project_files_in_number_order(tmp_path: Path) -> None:
    for key in ("ENG-1000", "ENG-2", "ENG-10"):
        write_if_changed(issue_path(tmp_path, key), "key: x\n")
    assert [p.stem for p in project_files(tmp_path, "ENG")] == ["ENG-2", "ENG-10", "ENG-1000"]


def test_render_is_stable_and_keeps_dates_as_text() -> None:
    spec = {"key": "ENG-1", "due": "2024-05-01", "fields": {"Ünits": 3.5, "Team": "Core"}}
    text = render(spec)
    assert text == render(dict(spec))
    assert text.splitlines()[0].endswith("../../../.jiracfg/schemas/issue.json")
    assert parse(text, "x.yaml") == spec  # the date is a string, key order kept


def test_unchanged_file_is_not_rewritten(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    assert write_if_changed(path, "a: 1\n")
    assert not write_if_changed(path, "a: 1\n")


WORKFLOW = {
    "transitions": [
        {"name": "Create", "type": "initial", "to": "To Do"},
        {"name": "Start", "from": ["To Do"], "to": "In Progress"},
        {"name": "Review", "from": ["In Progress"], "to": "In Review"},
        {"name": "Ship", "from": ["In Review"], "to": "Done"},
        {"name": "Drop", "type": "global", "to": "Won't Do"},
    ]
}


def test_shortest_status_path() -> None:
    assert status_path(WORKFLOW, "To Do", "Done") == [
        ("Start", "In Progress"),
        ("Review", "In Review"),
        ("Ship", "Done"),
    ]
    assert status_path(WORKFLOW, "In Review", "Won't Do") == [("Drop", "Won't Do")]
    assert status_path(WORKFLOW, "Done", "Done") == []
    assert status_path(WORKFLOW, "Done", "To Do") is None
