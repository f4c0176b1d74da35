from __future__ import annotations

from jiracfg.client import JiraClient
from jiracfg.kinds import ApplyContext, FetchContext
from jiracfg.kinds.issue_type import KIND
from jiracfg.model import Address, Resource, Snapshot


def fetched(client: JiraClient) -> dict[str, Resource]:
    return {r.address.key: r for r in KIND.fetch(FetchContext(client))}


def test_fetch_normalizes_the_new_site_types(client: JiraClient) -> None:
    types = fetched(client)
    assert types["Sub-task"].spec == {
        "name": "Sub-task",
        "level": "subtask",
        "description": "Subtasks track small pieces of work that are part of a larger task.",
    }
    assert types["Task"].spec["level"] == "standard"
    assert types["Epic"].readonly and not types["Story"].readonly
    assert types["Bug"].id == "10003"
    assert "Epic" in KIND.builtin_keys


def test_create_then_fetch_round_trips(client: JiraClient) -> None:
    ctx = ApplyContext(client, Snapshot())
    for spec in (
        {"name": "Störung ⚡", "description": "Ausfall", "level": "standard"},
        {"name": "Review step", "level": "subtask"},
    ):
        new_id = KIND.create(ctx, spec)
        live = fetched(client)[spec["name"]]
        assert (live.spec, live.id) == (spec, new_id)


def test_update_renames_and_redescribes(client: JiraClient) -> None:
    live = fetched(client)["Bug"]
    spec = {
        "name": "Defect",
        "description": "Something broken",
        "level": "standard",
        "renamed_from": "Bug",
    }
    KIND.update(ApplyContext(client, Snapshot([live])), live, spec)
    after = fetched(client)
    assert "Bug" not in after
    assert after["Defect"].spec == {
        "name": "Defect",
        "description": "Something broken",
        "level": "standard",
    }


def test_update_can_clear_the_description(client: JiraClient) -> None:
    live = fetched(client)["Task"]
    KIND.update(ApplyContext(client, Snapshot([live])), live, {"name": "Task", "level": "standard"})
    assert fetched(client)["Task"].spec == {"name": "Task", "level": "standard"}


def test_delete_removes_the_type(client: JiraClient) -> None:
    ctx = ApplyContext(client, Snapshot())
    KIND.create(ctx, {"name": "Temp", "level": "standard"})
    KIND.delete(ctx, fetched(client)["Temp"])
    assert "Temp" not in fetched(client)
    assert KIND.address({"name": "Temp"}) == Address("issue_type", "Temp")
