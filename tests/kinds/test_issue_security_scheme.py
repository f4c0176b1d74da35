from __future__ import annotations

from typing import Any

import pytest

from jiracfg.client import JiraClient
from jiracfg.fetch import fetch_live
from jiracfg.kinds import ApplyContext, FetchContext
from jiracfg.kinds.issue_security_scheme import KIND
from jiracfg.model import Address, Resource, Snapshot

SPEC: dict[str, Any] = {
    "name": "Confidential",
    "description": "Sensitive issues",
    "default_level": "Staff",
    "levels": [
        {"name": "Leads", "members": ["project_lead", "role:Administrators"]},
        {
            "name": "Staff",
            "description": "Staff and the reporter",
            "members": [
                "application_role",
                "group:jira-users",
                "reporter",
                "user:admin@example.com",
            ],
        },
    ],
}


def base(client: JiraClient) -> Snapshot:
    return fetch_live(client, ["group", "project_role", "custom_field"])


def fetched(client: JiraClient) -> dict[str, Resource]:
    return {r.address.key: r for r in KIND.fetch(FetchContext(client, base(client)))}


def apply_ctx(client: JiraClient) -> ApplyContext:
    snapshot = base(client)
    for resource in fetched(client).values():
        snapshot.add(resource)
    return ApplyContext(client, snapshot)


def test_refs_are_groups_and_roles() -> None:
    assert set(KIND.refs(SPEC)) == {
        Address("group", "jira-users"),
        Address("project_role", "Administrators"),
    }


def test_a_new_site_has_none(client: JiraClient) -> None:
    assert fetched(client) == {}


def test_create_round_trips(client: JiraClient) -> None:
    new_id = KIND.create(apply_ctx(client), SPEC)
    live = fetched(client)["Confidential"]
    assert (live.spec, live.id) == (SPEC, new_id)


@pytest.mark.parametrize(
    "spec",
    [
        {**SPEC, "name": "Secret", "description": "Renamed"},
        {**SPEC, "default_level": "Leads"},
        {k: v for k, v in SPEC.items() if k != "default_level"},
        {**SPEC, "levels": [SPEC["levels"][1], {"name": "Public", "members": ["assignee"]}]},
        {
            **SPEC,
            "levels": [
                {"name": "Leads", "description": "New", "members": ["group:jira-users"]},
                SPEC["levels"][1],
            ],
        },
    ],
)
def test_update_round_trips(client: JiraClient, spec: dict[str, Any]) -> None:
    KIND.create(apply_ctx(client), SPEC)
    KIND.update(apply_ctx(client), fetched(client)["Confidential"], spec)
    assert fetched(client)[spec["name"]].spec == KIND.canonical(spec)


def test_delete(client: JiraClient) -> None:
    KIND.create(apply_ctx(client), SPEC)
    KIND.delete(apply_ctx(client), fetched(client)["Confidential"])
    assert fetched(client) == {}
