from __future__ import annotations

import pytest

from jiracfg.client import JiraClient
from jiracfg.errors import JiraApiError, UnresolvedReferenceError
from jiracfg.kinds import ApplyContext, FetchContext
from jiracfg.kinds.group import KIND
from jiracfg.model import Resource, Snapshot
from jiracfg.sandbox.server import SandboxServer
from tests.sandbox.test_roles import add_bob


def fetched(client: JiraClient) -> dict[str, Resource]:
    return {r.address.key: r for r in KIND.fetch(FetchContext(client))}


def apply_ctx(client: JiraClient) -> ApplyContext:
    return ApplyContext(client, Snapshot(fetched(client).values()))


def test_a_new_site_has_its_own_groups_protected(client: JiraClient) -> None:
    live = fetched(client)
    assert sorted(live) == [
        "jira-administrators",
        "jira-software-users",
        "jira-users",
        "site-admins",
    ]
    assert all(r.protected for r in live.values())
    assert live["site-admins"].spec == {"name": "site-admins", "members": ["admin@example.com"]}


def test_create_update_and_delete_round_trip(client: JiraClient, sandbox: SandboxServer) -> None:
    add_bob(sandbox)
    spec = {"name": "qa", "members": ["admin@example.com", "bob@example.com"]}
    new_id = KIND.create(apply_ctx(client), spec)
    live = fetched(client)["qa"]
    assert (live.spec, live.id, live.protected) == (spec, new_id, False)
    KIND.update(apply_ctx(client), live, {"name": "qa", "members": ["bob@example.com"]})
    assert fetched(client)["qa"].spec == {"name": "qa", "members": ["bob@example.com"]}
    assert KIND.find(apply_ctx(client), {"name": "QA"}) == new_id
    KIND.delete(apply_ctx(client), fetched(client)["qa"])
    assert "qa" not in fetched(client)
    assert KIND.find(apply_ctx(client), {"name": "qa"}) is None


def test_an_unknown_member_is_refused_before_any_write(client: JiraClient) -> None:
    live = fetched(client)["jira-users"]
    with pytest.raises(UnresolvedReferenceError, match=r"ghost@example\.com"):
        KIND.update(
            apply_ctx(client), live, {"name": "jira-users", "members": ["ghost@example.com"]}
        )
    assert fetched(client)["jira-users"].spec == live.spec


def test_jira_refuses_to_delete_a_site_group(client: JiraClient) -> None:
    with pytest.raises(JiraApiError, match="can't be deleted"):
        KIND.delete(apply_ctx(client), fetched(client)["site-admins"])
