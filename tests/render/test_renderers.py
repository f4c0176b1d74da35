"""Renderers against golden files (UPDATE_GOLDEN=1 rewrites them; review the diff)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from jiracfg.model import Address
from jiracfg.plan.model import Action, Change, FieldChange, Plan, Problem
from jiracfg.render import RENDERERS

GOLDEN = Path(__file__).parent / "golden"
SUFFIX = {"text": "txt", "markdown": "md", "json": "json"}


def sample() -> Plan:
    changes = [
        Change(
            Address("status", "In QA"),
            Action.CREATE,
            after={"name": "In QA", "category": "IN_PROGRESS"},
        ),
        Change(
            Address("workflow", "Software"),
            Action.UPDATE,
            {"name": "Software", "statuses": ["To Do", "Done"]},
            {"name": "Software", "statuses": ["To Do", "In QA", "Done"]},
            (FieldChange("statuses[1]", "Done", "In QA"), FieldChange("statuses[2]", None, "Done")),
        ),
        Change(Address("priority", "Trivial"), Action.DELETE, before={"name": "Trivial"}),
    ]
    problems = [
        Problem(
            "warning",
            "no_ambiguous_names",
            "custom_field/Team shares its name",
            "keep `alias:`",
            "custom_field/Team",
        )
    ]
    return Plan(
        changes,
        {"status/Done": "0123456789abcdef"},
        problems,
        ["resolution/Old", "screen/Hand Screen"],
        ["priority", "status", "workflow"],
        {
            "site": "https://acme.atlassian.net",
            "commit": "0123456789abcdef0123456789abcdef01234567",
            "ref": "working tree",
            "dirty": "yes",
            "jiracfg_version": "0.1.0",
        },
        ignored=["webhook/Temp"],
    )


@pytest.mark.parametrize("fmt", sorted(RENDERERS))
def test_renderer_matches_golden(fmt: str) -> None:
    text = RENDERERS[fmt](sample().to_dict(), False)
    path = GOLDEN / f"plan.{SUFFIX[fmt]}"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def test_json_output_is_the_plan_dict() -> None:
    assert json.loads(RENDERERS["json"](sample().to_dict(), False)) == sample().to_dict()


def test_text_is_coloured_only_on_request() -> None:
    assert "\x1b[" in RENDERERS["text"](sample().to_dict(), True)
    assert "\x1b[" not in RENDERERS["text"](sample().to_dict(), False)


def test_no_changes_says_so() -> None:
    empty = Plan([], {}, [], [], []).to_dict()
    assert "No changes" in RENDERERS["text"](empty, False)
    assert "No changes" in RENDERERS["markdown"](empty, False)


def test_a_markdown_plan_too_long_for_a_comment_keeps_problems_and_says_so() -> None:
    plan = sample()
    plan.changes = [
        Change(Address("status", f"Status {n:05}"), Action.CREATE, after={"name": f"S{n}"})
        for n in range(5000)
    ]
    text = RENDERERS["markdown"](plan.to_dict(), False)
    assert len(text) <= 60_000
    assert "**no_ambiguous_names**" in text and "Plan: 5000 to create" in text
    assert "`status/Status 00000`" in text and "Details" not in text
    shown = text.count("| `+` | create |")
    assert f"{5000 - shown} of 5000 changes and the field-level details are left out" in text
