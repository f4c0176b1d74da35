"""Changes Jira has no REST call for are refused at plan time."""

from __future__ import annotations

from jiracfg.plan.checks import run_checks
from tests.plan.test_checks import inputs, names, res


def test_a_project_type_change_is_refused() -> None:
    live = res(
        "project/ENG", {"key": "ENG", "name": "Eng", "type": "software", "schemes": {}}, id="1"
    )
    business = res("project/ENG", {**live.spec, "type": "business"})
    problems = run_checks(inputs([business], [live]))
    assert names(problems) == ["project_type_unchanged"]
    assert "software -> business" in problems[0].message and "type: software" in problems[0].hint
    renamed = res("project/ENG", {**live.spec, "name": "Engineering"})
    assert run_checks(inputs([renamed], [live])) == []


def test_a_workflow_rename_is_refused_but_an_edit_is_not() -> None:
    live = res("workflow/Old", {"name": "Old", "statuses": []}, id="w1")
    renamed = res("workflow/New", {"name": "New", "statuses": [], "renamed_from": "Old"})
    problems = run_checks(inputs([renamed], [live]))
    assert names(problems) == ["workflows_not_renamed"]
    assert problems[0].address == "workflow/New" and "'Old'" in problems[0].hint
    edited = res("workflow/Old", {"name": "Old", "statuses": [], "description": "x"})
    assert run_checks(inputs([edited], [live])) == []


def test_the_default_issue_type_scheme_must_list_every_issue_type() -> None:
    task = res("issue_type/Task", {"name": "Task", "level": "standard"}, id="1")
    epic = res("issue_type/Epic", {"name": "Epic", "level": "standard"}, id="2", readonly=True)
    incident = res("issue_type/Incident", {"name": "Incident", "level": "standard"})
    default = res(
        "issue_type_scheme/Default",
        {"name": "Default", "issue_types": ["Epic", "Task"]},
        id="10000",
        protected=True,
    )
    problems = run_checks(inputs([task, incident, default], [task, epic, default]))
    assert names(problems) == ["default_scheme_has_every_issue_type"]
    assert "missing: Incident" in problems[0].message
    listed = res(
        "issue_type_scheme/Default",
        {"name": "Default", "issue_types": ["Epic", "Task", "Incident"]},
    )
    assert run_checks(inputs([task, incident, listed], [task, epic, default])) == []
    other = res("issue_type_scheme/Other", {"name": "Other", "issue_types": ["Task"]}, id="3")
    assert run_checks(inputs([task, incident, other, listed], [task, epic, other, default])) == []
