from __future__ import annotations

from typing import Any

import pytest

from jiracfg.client import JiraClient
from jiracfg.errors import JiraApiError
from jiracfg.fetch import fetch_live
from jiracfg.kinds import ApplyContext, FetchContext
from jiracfg.kinds.permission_scheme import KIND
from jiracfg.model import Address, Resource, Snapshot
from jiracfg.sandbox.server import SandboxServer
from tests.kinds.fields_helper import with_fields
from tests.kinds.test_project_role import BOB
from tests.kinds.test_screen import counting

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


@pytest.fixture(autouse=True)
def setup(sandbox: SandboxServer, client: JiraClient) -> None:
    """Bob, and the user and group picker fields the holders name."""
    sandbox.store.insert("user", dict(BOB))
    for name, kind in (("Approver", "userpicker"), ("Team", "grouppicker")):
        client.post(
            "/field",
            {"name": name, "type": f"com.atlassian.jira.plugin.system.customfieldtypes:{kind}"},
        )


def base_snapshot(client: JiraClient) -> Snapshot:
    return with_fields(client, fetch_live(client, ["project_role"]))


def fetched(client: JiraClient) -> dict[str, Resource]:
    return {r.address.key: r for r in KIND.fetch(FetchContext(client, base_snapshot(client)))}


def apply_ctx(client: JiraClient) -> ApplyContext:
    snapshot = base_snapshot(client)
    for resource in fetched(client).values():
        snapshot.add(resource)
    return ApplyContext(client, snapshot)


def with_grants(**grants: list[str]) -> dict[str, Any]:
    return {**ENG, "grants": {**ENG["grants"], **grants}}


def test_fetch_normalizes_the_default_scheme(client: JiraClient) -> None:
    default = fetched(client)["Default Permission Scheme"]
    assert default.protected and default.id == "0"
    grants = default.spec["grants"]
    assert grants["ADMINISTER_PROJECTS"] == ["role:Administrators", ADDONS]
    assert grants["BROWSE_PROJECTS"] == ["application_role", ADDONS]
    assert list(grants) == sorted(grants)


def test_refs_are_roles_and_fields() -> None:
    assert set(KIND.refs(ENG)) == {
        Address("project_role", "Administrators"),
        Address("custom_field", "Approver"),
        Address("custom_field", "Team"),
    }


def test_create_then_fetch_round_trips(client: JiraClient) -> None:
    new_id = KIND.create(apply_ctx(client), ENG)
    live = fetched(client)[ENG["name"]]
    assert (live.spec, live.id, live.protected) == (ENG, new_id, False)


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
    KIND.create(apply_ctx(client), {"name": "Temp"})
    schemes = fetched(client)
    KIND.delete(apply_ctx(client), schemes["Temp"])
    assert "Temp" not in fetched(client)
    with pytest.raises(JiraApiError, match="default permission scheme can't be deleted"):
        KIND.delete(apply_ctx(client), schemes["Default Permission Scheme"])
