"""The filter kind against a live sandbox: export names owners, shares and custom fields; apply
hands a filter to its owner and edits another user's filter by taking it over and back."""

from __future__ import annotations

from typing import Any

from jiracfg.client import JiraClient
from jiracfg.kinds import ApplyContext, FetchContext, webhook
from jiracfg.kinds._jql import clause_values, custom_names
from jiracfg.kinds.filter import KIND, jql_projects
from jiracfg.model import Address, Resource, Snapshot
from jiracfg.sandbox.server import SandboxServer

FLOAT = "com.atlassian.jira.plugin.system.customfieldtypes:float"


def add_user(sandbox: SandboxServer, handle: str) -> str:
    account = f"557058:{handle}"
    email = f"{handle}@acme.example"
    sandbox.store.insert(
        "user", {"accountId": account, "emailAddress": email, "displayName": handle}
    )
    return account


def fetched(client: JiraClient) -> dict[str, Resource]:
    ctx = FetchContext(client)
    return {r.address.key: r for r in KIND.fetch(ctx)}


def raw_filter(client: JiraClient, owner: str | None = None, **body: Any) -> str:
    made = str(client.post("/filter", {"name": "Bugs", "jql": "issuetype = Bug", **body})["id"])
    if owner:
        client.put(f"/filter/{made}/owner", {"accountId": owner})
    return made


def test_fetch_names_owner_shares_and_custom_fields(
    client: JiraClient, sandbox: SandboxServer
) -> None:
    bob = add_user(sandbox, "bob")
    number = client.post("/field", {"name": "Story Points", "type": FLOAT})["schema"]["customId"]
    share = [{"type": "group", "group": {"name": "jira-users"}}, {"type": "authenticated"}]
    raw_filter(client, bob, jql=f"cf[{number}] > 3", sharePermissions=share, description="d")
    raw_filter(client, None, name="Private")
    found = fetched(client)
    assert found["Bugs"].spec == {
        "name": "Bugs",
        "owner": "bob@acme.example",
        "description": "d",
        "jql": '"Story Points" > 3',
        "share": ["group:jira-users", "loggedin"],
    }
    assert found["Private"].spec["owner"] == "admin@example.com"


def test_namesakes_of_different_owners_are_keyed_by_owner(
    client: JiraClient, sandbox: SandboxServer
) -> None:
    raw_filter(client, add_user(sandbox, "bob"))
    raw_filter(client, None)
    found = fetched(client)
    assert sorted(found) == ["Bugs (admin@example.com)", "Bugs (bob@acme.example)"]
    assert all(r.meta["duplicate_name"] for r in found.values())


def test_create_hands_the_filter_to_its_owner_and_update_takes_it_back(
    client: JiraClient, sandbox: SandboxServer
) -> None:
    add_user(sandbox, "bob")
    spec = {
        "name": "Mine",
        "owner": "bob@acme.example",
        "jql": "issuetype = Bug",
        "share": ["global"],
    }
    ctx = ApplyContext(client, Snapshot())
    made = KIND.create(ctx, spec)
    doc = sandbox.store.get("filter", made)
    assert doc is not None and doc["owner"] == "557058:bob"
    live = fetched(client)["Mine"]
    KIND.update(ctx, live, {**spec, "description": "now described"})
    doc = sandbox.store.get("filter", made)
    assert doc is not None and (doc["owner"], doc["description"]) == ("557058:bob", "now described")


def test_jql_references_order_the_filter_after_projects_and_fields() -> None:
    jql = 'project in (ENG, "OPS", 10000) AND "Story Points" > 3 AND status = Done'
    assert clause_values(jql, "project") == ["ENG", "OPS", "10000"]
    assert jql_projects(jql) == [Address("project", "ENG"), Address("project", "OPS")]
    assert custom_names(jql) == ["Story Points"]
    assert list(KIND.order_refs({"name": "x", "owner": "a", "jql": jql})) == [
        Address("custom_field", "Story Points")
    ]


def test_a_webhook_is_ordered_after_the_fields_its_jql_names() -> None:
    spec = {"name": "w", "url": "https://x", "events": [], "jql": '"Story Points" > 3'}
    assert list(webhook.KIND.order_refs(spec)) == [Address("custom_field", "Story Points")]


def test_a_quoted_plain_field_name_compares_equal_to_the_exported_spelling() -> None:
    written = {"name": "x", "owner": "a", "jql": '"Estimate" > 3 AND "Story Points" = 1'}
    assert KIND.canonical(written)["jql"] == 'Estimate > 3 AND "Story Points" = 1'
    assert (
        KIND.canonical({**written, "jql": '"cf[10010]" = 1 AND ('})["jql"]
        == '"cf[10010]" = 1 AND ('
    )
