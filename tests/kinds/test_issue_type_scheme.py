from __future__ import annotations

from typing import Any

import pytest

from jiracfg.client import JiraClient
from jiracfg.errors import JiraApiError
from jiracfg.fetch import fetch_live
from jiracfg.kinds import ApplyContext
from jiracfg.kinds.issue_type import KIND as ISSUE_TYPE
from jiracfg.kinds.issue_type_scheme import KIND
from jiracfg.model import Address, Resource, Snapshot


def live_state(client: JiraClient) -> Snapshot:
    return fetch_live(client, ["issue_type_scheme"])


def scheme(snapshot: Snapshot, name: str) -> Resource:
    found = {r.address.key: r for r in snapshot.of_kind("issue_type_scheme")}
    return found[name]


def create(client: JiraClient, spec: dict[str, Any]) -> str:
    return KIND.create(ApplyContext(client, live_state(client)), spec)


def test_fetch_normalizes_the_default_scheme(client: JiraClient) -> None:
    default = scheme(live_state(client), "Default Issue Type Scheme")
    assert default.protected and default.id == "10000"
    assert default.spec["issue_types"] == ["Epic", "Story", "Task", "Bug", "Sub-task"]
    assert "default_issue_type" not in default.spec


def test_create_then_fetch_keeps_scheme_order(client: JiraClient) -> None:
    spec = {
        "name": "Ops ✓",
        "description": "ops",
        "default_issue_type": "Task",
        "issue_types": ["Task", "Bug", "Sub-task"],
    }
    new_id = create(client, spec)
    live = scheme(live_state(client), "Ops ✓")
    assert (live.spec, live.id, live.protected) == (spec, new_id, False)


@pytest.mark.parametrize(
    "want",
    [
        ["Story", "Bug"],  # remove the default type, keep the rest
        ["Sub-task", "Epic", "Task"],  # add and reorder
        ["Bug", "Task"],  # pure reorder
    ],
)
def test_update_members_round_trips(client: JiraClient, want: list[str]) -> None:
    create(client, {"name": "Eng", "default_issue_type": "Task", "issue_types": ["Task", "Bug"]})
    live = live_state(client)
    spec = {
        "name": "Engineering",
        "description": "renamed",
        "default_issue_type": want[-1] if want[-1] != "Sub-task" else None,
        "issue_types": want,
    }
    spec = {k: v for k, v in spec.items() if v is not None}
    KIND.update(ApplyContext(client, live), scheme(live, "Eng"), spec)
    assert scheme(live_state(client), "Engineering").spec == spec


def test_update_clears_the_default_type(client: JiraClient) -> None:
    create(client, {"name": "Eng", "default_issue_type": "Task", "issue_types": ["Task"]})
    live = live_state(client)
    KIND.update(
        ApplyContext(client, live), scheme(live, "Eng"), {"name": "Eng", "issue_types": ["Task"]}
    )
    assert scheme(live_state(client), "Eng").spec == {"name": "Eng", "issue_types": ["Task"]}


def test_update_default_scheme_order_and_default(client: JiraClient) -> None:
    live = live_state(client)
    spec = {
        "name": "Default Issue Type Scheme",
        "default_issue_type": "Story",
        "issue_types": ["Story", "Bug", "Task", "Epic", "Sub-task"],
    }
    KIND.update(ApplyContext(client, live), scheme(live, "Default Issue Type Scheme"), spec)
    after = scheme(live_state(client), "Default Issue Type Scheme").spec
    assert (after["issue_types"], after["default_issue_type"]) == (spec["issue_types"], "Story")


def test_delete_and_default_is_refused(client: JiraClient) -> None:
    create(client, {"name": "Temp", "issue_types": ["Task"]})
    live = live_state(client)
    ctx = ApplyContext(client, live)
    KIND.delete(ctx, scheme(live, "Temp"))
    assert "Temp" not in {r.address.key for r in live_state(client).of_kind("issue_type_scheme")}
    with pytest.raises(JiraApiError, match="default issue type scheme can't be removed"):
        KIND.delete(ctx, scheme(live, "Default Issue Type Scheme"))


def test_default_scheme_update_after_a_new_type_joined_it(client: JiraClient) -> None:
    live = live_state(client)
    ctx = ApplyContext(client, live)
    new_id = ISSUE_TYPE.create(ctx, {"name": "Incident", "level": "standard"})
    ctx.record(Address("issue_type", "Incident"), new_id)
    spec = {
        "name": "Default Issue Type Scheme",
        "issue_types": ["Incident", "Epic", "Story", "Task", "Bug", "Sub-task"],
    }
    KIND.update(ctx, scheme(live, "Default Issue Type Scheme"), spec)
    assert (
        scheme(live_state(client), "Default Issue Type Scheme").spec["issue_types"]
        == (spec["issue_types"])
    )
