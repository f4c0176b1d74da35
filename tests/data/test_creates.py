"""What Jira decides for a create on its own, from the configuration (``data.creates``)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from jiracfg.data.creates import default_priorities, priorities_of, stand_ins
from jiracfg.model import Address, Resource, Snapshot


def resource(kind: str, key: str, **spec: Any) -> Resource:
    return Resource(Address(kind, key), {"name": key, **spec})


CONFIG = Snapshot(
    [
        resource("priority", "Medium", default=True, position=3),
        resource("priority", "Low", position=4),
        resource("priority_scheme", "Default Priority Scheme", priorities=["Low", "Medium"]),
        resource("priority_scheme", "Few", default_priority="Low", priorities=["Low"]),
        resource("project", "ENG", schemes={"priority": "Few"}),
        resource("project", "OPS", schemes={}),
        resource("project", "SUP", schemes={"priority": "Default Priority Scheme"}),
        resource("project", "WEB", schemes={"priority": "Gone"}),
        resource("issue_type", "Epic", level="standard"),
        resource("issue_type", "Story", level="standard"),
        resource("issue_type", "Task", level="standard"),
        resource("issue_type", "Sub-task", level="subtask"),
        resource("issue_type_scheme", "Default Issue Type Scheme", issue_types=["Task", "Story"]),
        resource("issue_type_scheme", "Eng types", issue_types=["Epic", "Sub-task", "Story"]),
        resource("project", "DEV", schemes={"issue_type": "Eng types"}),
    ]
)


def test_a_create_gets_its_projects_priority_scheme_default() -> None:
    """The scheme's default, else (the default scheme, or none) the site's; unknown: left out."""
    found = default_priorities(CONFIG, ["ENG", "OPS", "SUP", "WEB", "NEW"])
    assert found == {"ENG": "Low", "OPS": "Medium", "SUP": "Medium"}


def test_a_project_offers_its_priority_schemes_priorities_in_the_sites_order() -> None:
    found = priorities_of(CONFIG, ["ENG", "OPS", "WEB", "NEW"])
    assert found == {"ENG": ["Low"], "OPS": ["Medium", "Low"]}


def test_a_sub_task_whose_parent_comes_later_is_made_as_the_first_standard_type() -> None:
    """The scheme's first standard type (Epic is above that level: ``hierarchy_level``); a
    project without a scheme has the default one; only sub-task types wait for a parent."""
    epic = CONFIG.get(Address("issue_type", "Epic"))
    assert epic is not None
    config = CONFIG.merged({epic.address: replace(epic, meta={"hierarchy_level": 1})})
    waiting = {("DEV", "Sub-task"): ["DEV-1"], ("OPS", "Sub-task"): ["OPS-2"]}
    waiting[("OPS", "Task")] = ["OPS-3"]  # a standard issue under an epic: set by the fill
    assert stand_ins(config, waiting) == {"DEV-1": "Story", "OPS-2": "Task"}
