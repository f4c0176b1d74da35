from __future__ import annotations

from jiracfg.client import JiraClient
from jiracfg.kinds import ApplyContext, FetchContext
from jiracfg.kinds.status import KIND
from jiracfg.model import Address, Resource, Snapshot


def fetched(client: JiraClient) -> dict[str, Resource]:
    return {r.address.key: r for r in KIND.fetch(FetchContext(client))}


def test_fetch_normalizes_the_new_site_statuses(client: JiraClient) -> None:
    statuses = fetched(client)
    assert sorted(statuses) == [
        "Closed",
        "Done",
        "In Progress",
        "Open",
        "Reopened",
        "Resolved",
        "To Do",
    ]
    assert statuses["To Do"].spec == {"name": "To Do", "category": "TODO"}
    assert statuses["In Progress"].spec["category"] == "IN_PROGRESS"
    assert statuses["Closed"].spec["description"].startswith("The issue is considered finished")
    assert statuses["Open"].protected and not statuses["Open"].readonly
    assert not statuses["Done"].protected
    assert statuses["Done"].id == "10001"


def test_create_then_fetch_round_trips(client: JiraClient) -> None:
    ctx = ApplyContext(client, Snapshot())
    for spec in (
        {"name": "In Review", "category": "IN_PROGRESS", "description": "Waiting"},
        {"name": "Blockiert ⛔", "category": "TODO"},
    ):
        new_id = KIND.create(ctx, spec)
        live = fetched(client)[spec["name"]]
        assert (live.spec, live.id) == (spec, new_id)
        assert KIND.find(ctx, {"name": spec["name"].upper()}) == new_id


def test_update_renames_and_changes_every_field(client: JiraClient) -> None:
    live = fetched(client)["In Progress"]
    spec = {
        "name": "Doing",
        "category": "DONE",
        "description": "Busy",
        "renamed_from": "In Progress",
    }
    KIND.update(ApplyContext(client, Snapshot([live])), live, spec)
    after = fetched(client)
    assert "In Progress" not in after
    assert (after["Doing"].spec, after["Doing"].id) == (
        {"name": "Doing", "category": "DONE", "description": "Busy"},
        live.id,
    )


def test_update_can_clear_the_description(client: JiraClient) -> None:
    live = fetched(client)["Open"]
    KIND.update(ApplyContext(client, Snapshot([live])), live, {"name": "Open", "category": "TODO"})
    assert fetched(client)["Open"].spec == {"name": "Open", "category": "TODO"}


def test_delete_removes_the_status(client: JiraClient) -> None:
    ctx = ApplyContext(client, Snapshot())
    KIND.create(ctx, {"name": "Temp", "category": "TODO"})
    KIND.delete(ctx, fetched(client)["Temp"])
    assert "Temp" not in fetched(client)
    assert KIND.find(ctx, {"name": "Temp"}) is None
    assert KIND.address({"name": "Temp"}) == Address("status", "Temp")
    assert list(KIND.refs({"name": "Temp", "category": "TODO"})) == []
