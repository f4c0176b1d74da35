"""Diff and order cases, one YAML file each in tests/plan/cases: desired, live, expected."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from jiracfg.model import Address, Resource, Snapshot
from jiracfg.plan.diff import diff
from jiracfg.plan.model import Change
from jiracfg.plan.order import order

CASES = sorted((Path(__file__).parent / "cases").glob("*.yaml"))


def snapshot_of(data: dict[str, Any], live: bool) -> Snapshot:
    resources = []
    for address, body in (data or {}).items():
        spec, meta = (body["spec"], body.get("meta", {})) if live else (body, {})
        resources.append(Resource(Address.parse(address), spec, meta))
    return Snapshot(resources)


def describe(change: Change) -> str:
    parts = [change.action.value, str(change.address), *(f.path for f in change.fields)]
    if change.action.value in ("create", "delete"):
        parts = parts[:2]
    text = " ".join(parts)
    return text + (f" (renamed from {change.renamed_from})" if change.renamed_from else "")


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_case(path: Path) -> None:
    case = yaml.safe_load(path.read_text())
    desired, live = snapshot_of(case["desired"], False), snapshot_of(case["live"], True)
    changes, unmanaged = diff(desired, live, prune=case.get("prune", False))
    ordered, cycles = order(changes)
    assert [describe(c) for c in ordered] == case["expected"]
    assert not cycles
    if "unmanaged" in case:
        assert unmanaged == case["unmanaged"]


def test_diff_is_pure_and_deterministic() -> None:
    case = yaml.safe_load(
        (Path(__file__).parent / "cases" / "prune_deletes_referrers_first.yaml").read_text()
    )
    live_items = list(snapshot_of(case["live"], True))
    first = order(diff(snapshot_of(case["desired"], False), Snapshot(live_items), prune=True)[0])
    again = order(
        diff(snapshot_of(case["desired"], False), Snapshot(reversed(live_items)), prune=True)[0]
    )
    assert [c.to_dict() for c in first[0]] == [c.to_dict() for c in again[0]]


def test_renamed_from_is_not_sent_to_jira() -> None:
    desired = Snapshot(
        [
            Resource(
                Address("issue_type", "Defect"),
                {"name": "Defect", "renamed_from": "Bug", "level": "standard"},
            )
        ]
    )
    live = Snapshot(
        [Resource(Address("issue_type", "Bug"), {"name": "Bug", "level": "standard"}, {"id": "3"})]
    )
    (change,), _ = diff(desired, live)
    assert change.after == {"name": "Defect", "level": "standard"}
    assert change.live_address == Address("issue_type", "Bug")


def test_named_list_items_are_matched_by_name_and_reorders_reported_once() -> None:
    from jiracfg.plan.diff import field_changes

    before = {
        "tabs": [{"name": "A", "fields": ["x"]}, {"name": "B", "fields": []}],
        "options": [{"value": "1"}, {"value": "2"}, {"value": "3"}],
    }
    after = {
        "tabs": [{"name": "B", "fields": []}, {"name": "A", "fields": ["x", "y"]}],
        "options": [{"value": "1"}, {"value": "3", "disabled": True}],
    }
    assert [(f.path, f.before, f.after) for f in field_changes(before, after)] == [
        ("options[2]", {"value": "2"}, None),
        ("options[3].disabled", None, True),
        ("tabs order", ["A", "B"], ["B", "A"]),
        ("tabs[A].fields[1]", None, "y"),
    ]


def test_a_reorder_alone_is_a_change() -> None:
    from jiracfg.plan.diff import field_changes

    before = {"options": [{"value": "1"}, {"value": "2"}]}
    changes = field_changes(before, {"options": list(reversed(before["options"]))})
    assert [f.path for f in changes] == ["options order"]


def test_changes_keep_their_paths_when_few_keys_are_shared() -> None:
    """An object that gained many keys at once (an issue created but not yet filled in) is not
    reported as one change at its root: every added key is a change of its own."""
    from jiracfg.plan.diff import field_changes

    before = {"summary": "s", "watchers": ["a"]}
    added = {"comments": [{"body": "x"}], "labels": ["l"], "worklogs": [{}], "due": "2024-01-02"}
    after = {"summary": "s", "watchers": ["a", "b"], **added}
    assert [f.path for f in field_changes(before, after)] == sorted([*added, "watchers[1]"])


def test_the_managed_snapshot_is_made_once_per_version_of_the_live_one() -> None:
    """A plan asks for it several times; an object added since makes a new one."""
    system = Resource(Address("status", "Done"), {"name": "Done"}, {"readonly": True})
    live = Snapshot([system, Resource(Address("status", "Ready"), {"name": "Ready"})])
    first = live.managed()
    assert live.managed() is first and [str(r.address) for r in first] == ["status/Ready"]
    live.add(Resource(Address("status", "Triage"), {"name": "Triage"}))
    assert [str(r.address) for r in live.managed()] == ["status/Ready", "status/Triage"]
