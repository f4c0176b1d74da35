from __future__ import annotations

from functools import partial
from typing import Any

import pytest

from jiracfg.client import JiraClient
from jiracfg.errors import UnresolvedReferenceError
from jiracfg.kinds.notification_scheme import KIND
from tests.kinds import scheme_helper
from tests.kinds.scheme_helper import HOLDER_REFS, setup
from tests.kinds.test_screen import counting

__all__ = ["setup"]  # the autouse fixture: Bob and the picker fields
fetched = partial(scheme_helper.fetched, KIND)
apply_ctx = partial(scheme_helper.apply_ctx, KIND)

ENG: dict[str, Any] = {
    "name": "Engineering ✓",
    "description": "eng",
    "events": {
        "Generic Event": ["component_lead", "current_user", "project_lead"],
        "Issue Created": [
            "all_watchers",
            "current_assignee",
            "group:jira-users",
            "reporter",
            "role:Administrators",
            "user:admin@example.com",
            "user:bob@example.com",
        ],
        "Issue Resolved": ["group_field:Team", "user_field:Approver"],
    },
}


def test_fetch_normalizes_the_default_scheme(client: JiraClient) -> None:
    default = fetched(client)["Default Notification Scheme"]
    assert default.protected and default.id == "10000"
    assert default.spec["events"]["Issue Created"] == [
        "all_watchers",
        "current_assignee",
        "reporter",
    ]
    assert len(default.spec["events"]) == 17 and "description" not in default.spec


def test_refs_are_groups_roles_and_fields() -> None:
    assert set(KIND.refs(ENG)) == HOLDER_REFS


def test_create_then_fetch_round_trips(client: JiraClient) -> None:
    scheme_helper.check_create_round_trips(KIND, client, ENG)


@pytest.mark.parametrize(
    "spec",
    [
        {**ENG, "name": "Renamed", "description": "other"},
        {
            **ENG,
            "events": {
                **ENG["events"],
                "Issue Resolved": ["reporter", "user_field:Approver"],
                "Issue Deleted": ["all_watchers"],
            },
        },
        {"name": ENG["name"], "events": {"Issue Created": ["reporter"]}},
    ],
)
def test_update_round_trips(client: JiraClient, spec: dict[str, Any]) -> None:
    KIND.create(apply_ctx(client), ENG)
    KIND.update(apply_ctx(client), fetched(client)[ENG["name"]], spec)
    assert fetched(client)[spec["name"]].spec == spec


def test_update_adds_in_one_request_and_deletes_singly(client: JiraClient) -> None:
    KIND.create(apply_ctx(client), ENG)
    live = fetched(client)[ENG["name"]]
    calls = counting(client)
    spec = {
        **ENG,
        "events": {
            **ENG["events"],
            "Issue Resolved": ["reporter"],
            "Issue Moved": ["all_watchers", "reporter"],
        },
    }
    KIND.update(apply_ctx(client), live, spec)
    path = f"/notificationscheme/{live.id}"
    assert [(m, p.rsplit("/", 1)[0] if m == "DELETE" else p) for m, p in calls] == [
        ("DELETE", f"{path}/notification"),
        ("DELETE", f"{path}/notification"),
        ("PUT", f"{path}/notification"),
    ]


def test_many_notifications_go_in_requests_of_a_thousand(
    client: JiraClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("jiracfg.kinds.notification_scheme.PER_REQUEST", 2)
    calls = counting(client)
    KIND.create(apply_ctx(client), ENG)
    assert [m for m, _ in calls] == ["POST"] + ["PUT"] * 5  # 12 notifications, 2 a request
    assert fetched(client)[ENG["name"]].spec == ENG


def test_unknown_event_is_an_unresolved_reference(client: JiraClient) -> None:
    with pytest.raises(UnresolvedReferenceError, match="Issue Exploded"):
        KIND.create(apply_ctx(client), {"name": "X", "events": {"Issue Exploded": ["reporter"]}})


def test_delete_and_default_is_refused(client: JiraClient) -> None:
    scheme_helper.check_delete_and_default_refused(KIND, client, "Default Notification Scheme")
