"""Removing what issues still use needs a replacement; renaming an option does not."""

from __future__ import annotations

from typing import Any

from jiracfg.model import Resource
from jiracfg.plan.checks import Inputs, needed_queries, run_checks
from jiracfg.plan.checks._inputs import UNCOUNTED
from tests.plan.test_checks import inputs, names, res

FIELD = res(
    "custom_field/Team [select]",
    {"name": "Team", "alias": "Team [select]", "type": "select"},
    id="customfield_10001",
)
OTHER_TEAM = res("custom_field/Team", {"name": "Team", "type": "textfield"}, id="customfield_10002")
FLAG = res("custom_field/Flag", {"name": "Flag", "type": "select"}, id="customfield_10003")


def context(*values: str, field: str = "Team [select]") -> Resource:
    return res(
        f"field_context/{field}/Teams",
        {"field": field, "name": "Teams", "options": [{"value": v} for v in values]},
        id="c1",
    )


def options_change(before: Resource, after: Resource, **kw: Any) -> Inputs:
    return inputs([after], [FIELD, before], **kw)


JQL = '"Team" = "Data"'


def test_a_removed_option_is_counted_by_the_fields_real_name() -> None:
    before, after = context("Platform", "Data"), context("Platform")
    assert needed_queries(options_change(before, after)) == {JQL}
    problems = run_checks(options_change(before, after, facts={JQL: 3}))
    assert names(problems) == ["used_objects_keep_a_replacement"]
    assert "3 issue(s)" in problems[0].message and "disable" in problems[0].hint
    assert problems[0].address == "field_context/Team [select]/Teams"
    assert run_checks(options_change(before, after, facts={JQL: 0})) == []


def test_an_option_changed_in_place_without_a_declaration_is_a_removal() -> None:
    """Options are identified by value: unmatched ones are never paired up as renames."""
    changed = options_change(context("Platform", "Data"), context("Platform", "Analytics"))
    assert needed_queries(changed) == {JQL}
    problems = run_checks(options_change(*_pair(), facts={JQL: 3}))
    assert [p.severity for p in problems] == ["error"]
    assert "renamed_from: Data" in problems[0].hint and "replaces: [Data]" in problems[0].hint


def _pair() -> tuple[Resource, Resource]:
    return context("Platform", "Data"), context("Platform", "Analytics")


def test_a_declared_rename_or_replacement_is_a_counted_warning() -> None:
    before = context("Platform", "Data")
    for option, verb in (
        ({"value": "Analytics", "renamed_from": "Data"}, "renamed in place to"),
        ({"value": "Analytics", "replaces": ["Data"]}, "replaced by"),
    ):
        after = res(
            "field_context/Team [select]/Teams",
            {"field": "Team [select]", "name": "Teams", "options": [{"value": "Platform"}, option]},
        )
        problems = run_checks(options_change(before, after, facts={JQL: 3}))
        assert [p.severity for p in problems] == ["warning"], problems
        assert "3 issue(s) holding option 'Data' of field 'Team' will hold 'Analytics'" in (
            problems[0].message
        )
        assert verb in problems[0].message


def test_an_option_of_a_field_sharing_its_name_cannot_be_counted_and_is_refused() -> None:
    found = inputs([context("Platform")], [FIELD, OTHER_TEAM, context("Platform", "Data")])
    assert needed_queries(found) == set()
    problems = run_checks(found)
    assert names(problems) == ["used_objects_keep_a_replacement"]
    assert "could not count" in problems[0].message and "2 live fields" in problems[0].message
    assert "disabled: true" in problems[0].hint


def test_jql_jira_refuses_is_an_uncounted_refusal() -> None:
    before, after = context("On", "Off", field="Flag"), context("On", field="Flag")
    problems = run_checks(inputs([after], [FLAG, before], facts={'"Flag" = "Off"': UNCOUNTED}))
    assert names(problems) == ["used_objects_keep_a_replacement"]
    assert "Jira refused the JQL" in problems[0].message


def test_deleting_a_used_priority_or_resolution_needs_a_replacement() -> None:
    keep = res("priority/High", {"name": "High"}, id="2")
    live = [
        keep,
        res("priority/Blocker", {"name": "Blocker"}, id="9"),
        res("resolution/Fixed", {"name": "Fixed"}, id="1"),
        res("resolution/Duplicate", {"name": "Duplicate"}, id="3"),
    ]
    desired = [keep, live[2]]
    queries = {'priority = "Blocker"', 'resolution = "Duplicate"'}
    assert needed_queries(inputs(desired, live, prune=True)) == queries
    problems = run_checks(inputs(desired, live, prune=True, facts=dict.fromkeys(queries, 5)))
    assert sorted(p.address for p in problems) == ["priority/Blocker", "resolution/Duplicate"]
    assert all("another" in p.hint for p in problems)
