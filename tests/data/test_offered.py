"""The options a custom field offers, from the configuration (``data.offered``)."""

from __future__ import annotations

from typing import Any

from jiracfg.data.offered import given_anyway, options_of
from jiracfg.model import Address, Resource, Snapshot


def context(name: str, **spec: Any) -> Resource:
    return Resource(Address("field_context", f"Region/{name}"), {"field": "Region", **spec})


CONFIG = Snapshot(
    [
        Resource(Address("custom_field", "Region"), {"name": "Region", "type": "cascadingselect"}),
        Resource(Address("custom_field", "Notes"), {"name": "Notes", "type": "textfield"}),
        context("Global", options=[{"value": "EU", "children": [{"value": "France"}]}]),
        context(
            "Ops bugs",
            projects=["OPS"],
            issue_types=["Bug"],
            options=[
                {"value": "US", "children": [{"value": "Ohio", "disabled": True}]},
                {"value": "APAC", "disabled": True},
            ],
        ),
        context("Web only", projects=["WEB"], issue_types=["Story"], default="EU"),
    ]
)


def test_the_context_that_applies_offers_its_enabled_options() -> None:
    """The project's own context for the type, else the global one; none: no option at all."""
    wanted = [
        ("OPS", "Bug", "Region"),
        ("OPS", "Task", "Region"),
        ("WEB", "Story", "Region"),
        ("ENG", "Bug", "Notes"),
        ("ENG", "Bug", "Gone"),
    ]
    assert options_of(CONFIG, wanted) == {
        ("OPS", "Bug", "Region"): frozenset({"US"}),
        ("OPS", "Task", "Region"): frozenset({"EU", "EU → France"}),
        ("WEB", "Story", "Region"): frozenset(),
    }


def test_a_create_needs_no_value_where_a_default_or_no_context_applies() -> None:
    assert given_anyway(CONFIG, "Region", "WEB", "Story")  # the context's default
    assert given_anyway(CONFIG, "Region", "WEB", "Bug") is False  # the global one: no default
    assert not given_anyway(CONFIG, "Notes", "ENG", "Bug")  # a field without contexts held
    assert given_anyway(CONFIG, "Region", "OPS", "Bug") is False
    assert not given_anyway(CONFIG, "Gone", "ENG", "Bug")
