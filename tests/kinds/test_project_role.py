from __future__ import annotations

from typing import Any

import pytest

from jiracfg.client import JiraClient
from jiracfg.errors import UnresolvedReferenceError
from jiracfg.kinds import ApplyContext, FetchContext
from jiracfg.kinds.project_role import KIND
from jiracfg.model import Resource, Snapshot
from jiracfg.sandbox.server import SandboxServer
from tests.kinds.test_screen import counting

BOB = {
    "accountId": "557058:bob",
    "emailAddress": "bob@example.com",
    "displayName": "Bob",
    "token": "bob",
}
DEVS: dict[str, Any] = {
    "name": "Developers",
    "description": "Builders",
    "default_actors": {"users": ["admin@example.com", "bob@example.com"], "groups": ["jira-users"]},
}


@pytest.fixture
def bob(sandbox: SandboxServer) -> None:
    sandbox.store.insert("user", dict(BOB))


def fetched(client: JiraClient) -> dict[str, Resource]:
    return {r.address.key: r for r in KIND.fetch(FetchContext(client))}


def apply_ctx(client: JiraClient) -> ApplyContext:
    return ApplyContext(client, Snapshot(fetched(client).values()))


def test_fetch_normalizes_the_built_in_roles(client: JiraClient) -> None:
    roles = fetched(client)
    assert set(roles) == {"Administrators", "atlassian-addons-project-access"}
    admins = roles["Administrators"]
    assert admins.protected and not admins.readonly and admins.id == "10002"
    assert admins.spec == {
        "name": "Administrators",
        "description": "A project role that represents administrators in a project",
    }
    assert roles["atlassian-addons-project-access"].readonly
    assert list(KIND.refs(admins.spec)) == []


def test_create_then_fetch_round_trips(client: JiraClient, bob: None) -> None:
    new_id = KIND.create(apply_ctx(client), DEVS)
    live = fetched(client)["Developers"]
    assert (live.spec, live.id, live.protected) == (DEVS, new_id, False)


@pytest.mark.parametrize(
    "spec",
    [
        {"name": "Engineers", "description": "Builders", "default_actors": DEVS["default_actors"]},
        {
            "name": "Developers",
            "default_actors": {
                "users": ["bob@example.com"],
                "groups": ["jira-users", "site-admins"],
            },
        },
        {"name": "Developers", "description": "Builders"},
    ],
)
def test_update_round_trips(client: JiraClient, bob: None, spec: dict[str, Any]) -> None:
    KIND.create(apply_ctx(client), DEVS)
    KIND.update(apply_ctx(client), fetched(client)["Developers"], spec)
    assert fetched(client)[spec["name"]].spec == spec


def test_update_sends_only_what_changed(client: JiraClient, bob: None) -> None:
    KIND.create(apply_ctx(client), DEVS)
    calls = counting(client)
    spec = {**DEVS, "default_actors": {"users": ["bob@example.com"], "groups": ["jira-users"]}}
    KIND.update(apply_ctx(client), fetched(client)["Developers"], spec)
    assert calls == [("DELETE", "/role/10004/actors")]
    calls.clear()
    KIND.update(apply_ctx(client), fetched(client)["Developers"], {**spec, "description": "x"})
    assert calls == [("POST", "/role/10004")]


def test_unknown_user_or_group_is_an_unresolved_reference(client: JiraClient) -> None:
    with pytest.raises(UnresolvedReferenceError, match=r"ghost@example\.com"):
        KIND.create(
            apply_ctx(client), {"name": "A", "default_actors": {"users": ["ghost@example.com"]}}
        )
    with pytest.raises(UnresolvedReferenceError, match="no-such-group"):
        KIND.create(
            apply_ctx(client), {"name": "B", "default_actors": {"groups": ["no-such-group"]}}
        )
    assert not {"A", "B"} & set(fetched(client))


def test_delete(client: JiraClient) -> None:
    KIND.create(apply_ctx(client), {"name": "Temp"})
    KIND.delete(apply_ctx(client), fetched(client)["Temp"])
    assert "Temp" not in fetched(client)
