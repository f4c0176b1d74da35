"""What Jira decides for a create on its own, from the configuration (``data.creates``)."""

from __future__ import annotations

from typing import Any

from jiracfg.data.creates import default_priorities
from jiracfg.model import Address, Resource, Snapshot


def resource(kind: str, key: str, **spec: Any) -> Resource:
    return Resource(Address(kind, key), {"name": key, **spec})


CONFIG = Snapshot(
    [
        resource("priority", "Medium", default=True),
        resource("priority", "Low"),
        resource("priority_scheme", "Default Priority Scheme", priorities=["Low", "Medium"]),
        resource("priority_scheme", "Few", default_priority="Low", priorities=["Low"]),
        resource("project", "ENG", schemes={"priority": "Few"}),
        resource("project", "OPS", schemes={}),
        resource("project", "SUP", schemes={"priority": "Default Priority Scheme"}),
        resource("project", "WEB", schemes={"priority": "Gone"}),
    ]
)


def test_a_create_gets_its_projects_priority_scheme_default() -> None:
    """The scheme's default, else (the default scheme, or none) the site's; unknown: left out."""
    found = default_priorities(CONFIG, ["ENG", "OPS", "SUP", "WEB", "NEW"])
    assert found == {"ENG": "Low", "OPS": "Medium", "SUP": "Medium"}
