from __future__ import annotations

from functools import partial
from typing import Any

import pytest

from jiracfg.client import JiraClient
from jiracfg.kinds.permission_scheme import KIND
from tests.kinds import scheme_helper
from tests.kinds.scheme_helper import HOLDER_REFS, setup
from tests.kinds.test_screen import counting

__all__ = ["setup"]  # the autouse fixture: Bob and the picker fields
fetched = partial(scheme_helper.fetched, KIND)
apply_ctx = partial(scheme_helper.apply_ctx, KIND)

ADDONS = "role:atlassian-addons-project-access"
ENG: dict[str, Any] = {
    "name": "Engineering ✓",
    "description": "eng",
    "grants": {
        "ADMINISTER_PROJECTS": ["role:Administrators", "user:admin@example.com"],
        "BROWSE_PROJECTS": ["anyone", "application_role", "group:jira-users"],
        "CREATE_ISSUES": ["application_role:jira-software", "project_lead", "user:bob@example.com"],
        "EDIT_ISSUES": ["assignee", "reporter", "user_field:Approver"],
        "TRANSITION_ISSUES": ["group_field:Team"],
    },
}


def with_grants(**grants: list[str]) -> dict[str, Any]:
    return {**ENG, "grants": {**ENG["grants"], **grants}}


def test_fetch_normalizes_the_default_scheme(client: JiraClient) -> None:
    default = fetched(client)["Default Permission Scheme"]
    assert default.protected and default.id == "0"
    grants = default.spec["grants"]
    assert grants["ADMINISTER_PROJECTS"] == ["role:Administrators", ADDONS]
    assert grants["BROWSE_PROJECTS"] == ["application_role", ADDONS]
    assert list(grants) == sorted(grants)


def test_refs_are_groups_roles_and_fields() -> None:
    assert set(KIND.refs(ENG)) == HOLDER_REFS


def test_create_then_fetch_round_trips(client: JiraClient) -> None:
    scheme_helper.check_create_round_trips(KIND, client, ENG)


@pytest.mark.parametrize(
    "spec",
    [
        {**ENG, "name": "Renamed", "description": "other"},
        with_grants(EDIT_ISSUES=["assignee", "reporter", "role:Administrators"]),
        with_grants(DELETE_ISSUES=["role:Administrators"], TRANSITION_ISSUES=[]),
        {"name": ENG["name"]},
    ],
)
def test_update_round_trips(client: JiraClient, spec: dict[str, Any]) -> None:
    KIND.create(apply_ctx(client), ENG)
    spec = {**spec, "grants": {k: v for k, v in spec.get("grants", {}).items() if v}}
    spec = {k: v for k, v in spec.items() if v}
    KIND.update(apply_ctx(client), fetched(client)[ENG["name"]], spec)
    assert fetched(client)[spec["name"]].spec == spec


def test_changing_one_grant_deletes_one_and_adds_one(client: JiraClient) -> None:
    KIND.create(apply_ctx(client), ENG)
    live = fetched(client)[ENG["name"]]
    calls = counting(client)
    KIND.update(
        apply_ctx(client),
        live,
        with_grants(EDIT_ISSUES=["assignee", "reporter", "role:Administrators"]),
    )
    assert [(m, p.rsplit("/", 1)[0]) for m, p in calls] == [
        ("DELETE", f"/permissionscheme/{live.id}/permission"),
        ("POST", f"/permissionscheme/{live.id}"),
    ]


def test_update_of_the_description_keeps_the_grants(client: JiraClient) -> None:
    KIND.create(apply_ctx(client), ENG)
    calls = counting(client)
    KIND.update(apply_ctx(client), fetched(client)[ENG["name"]], {**ENG, "description": "new"})
    assert [m for m, _ in calls] == ["PUT"]
    assert fetched(client)[ENG["name"]].spec == {**ENG, "description": "new"}


def test_delete_and_default_is_refused(client: JiraClient) -> None:
    scheme_helper.check_delete_and_default_refused(KIND, client, "Default Permission Scheme")
