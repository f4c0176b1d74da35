"""Unordered lists are put in canonical order, so hand-written YAML and fetched specs agree."""

from __future__ import annotations

from jiracfg.kinds import REGISTRY
from jiracfg.kinds._base import by_name, by_text, sort_at


def test_sort_at_follows_paths_through_maps_and_lists() -> None:
    spec = {"grants": {"B": ["z", "a"]}, "items": [{"from": ["b", "A"]}], "keep": ["b", "a"]}
    assert sort_at(spec, ["grants", "*"], by_text)["grants"] == {"B": ["a", "z"]}
    assert sort_at(spec, ["items[]", "from"], by_text)["items"] == [{"from": ["A", "b"]}]
    assert sort_at(spec, ["missing", "*"], by_text) == spec
    assert spec["grants"] == {"B": ["z", "a"]}  # a copy: the input is untouched


def test_text_order_is_case_insensitive_and_stable() -> None:
    assert sorted(["b", "B", "a"], key=by_text) == ["a", "B", "b"]
    assert sorted([{"name": "y"}, {"name": "X"}], key=by_name) == [{"name": "X"}, {"name": "y"}]


def test_a_hand_ordered_workflow_equals_the_fetched_order() -> None:
    kind = REGISTRY["workflow"]
    hand = {
        "name": "W",
        "statuses": ["To Do", "Done", "Review"],
        "transitions": [
            {"name": "Ship", "from": ["Review", "Done"], "to": "Done"},
            {"name": "Create", "type": "initial", "to": "To Do"},
        ],
    }
    assert kind.canonical(hand) == {
        "name": "W",
        "statuses": ["Done", "Review", "To Do"],
        "transitions": [
            {"name": "Create", "type": "initial", "to": "To Do"},
            {"name": "Ship", "from": ["Done", "Review"], "to": "Done"},
        ],
    }


def test_ordered_lists_keep_their_order() -> None:
    scheme = {"name": "S", "issue_types": ["Task", "Bug"]}
    assert REGISTRY["issue_type_scheme"].canonical(scheme) == scheme
    project = {
        "key": "P",
        "components": [{"name": "b"}, {"name": "A"}],
        "versions": [{"name": "2.0"}, {"name": "1.0"}],
    }
    assert REGISTRY["project"].canonical(project)["components"] == [{"name": "A"}, {"name": "b"}]
    assert REGISTRY["project"].canonical(project)["versions"] == project["versions"]
