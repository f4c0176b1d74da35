from __future__ import annotations

import json

import pytest

from jiracfg.errors import PlanError
from jiracfg.model import Address
from jiracfg.plan.model import Action, Change, FieldChange, Plan, Problem


def sample() -> Plan:
    change = Change(
        Address("status", "In QA"),
        Action.UPDATE,
        {"name": "QA"},
        {"name": "In QA"},
        (FieldChange("name", "QA", "In QA"),),
        renamed_from="QA",
    )
    return Plan(
        [change],
        {"status/QA": "abc"},
        [Problem("warning", "x", "careful", "hint")],
        ["status/Old"],
        ["status"],
    )


def test_plan_round_trips_through_json() -> None:
    data = json.loads(json.dumps(sample().to_dict()))
    assert Plan.from_dict(data).to_dict() == sample().to_dict()
    assert data["summary"] == {"create": 0, "update": 1, "replace": 0, "delete": 0}


def test_unknown_format_version_is_refused() -> None:
    data = sample().to_dict()
    data["format_version"] = 99
    with pytest.raises(PlanError):
        Plan.from_dict(data)
