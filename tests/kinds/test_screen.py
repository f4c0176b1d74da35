from __future__ import annotations

from typing import Any

import pytest

from jiracfg.client import JiraClient
from jiracfg.errors import ConfigError
from jiracfg.kinds import ApplyContext, FetchContext
from jiracfg.kinds.screen import KIND, longest_in_order
from jiracfg.model import Address, Resource, Snapshot
from tests.kinds.fields_helper import with_fields


def fetched(client: JiraClient) -> dict[str, Resource]:
    ctx = FetchContext(client, with_fields(client))
    return {r.address.key: r for r in KIND.fetch(ctx)}


def apply_ctx(client: JiraClient) -> ApplyContext:
    return ApplyContext(client, with_fields(client, Snapshot(fetched(client).values())))


def counting(client: JiraClient) -> list[tuple[str, str]]:
    """Record the write calls ``client`` makes from now on."""
    calls: list[tuple[str, str]] = []
    original = client.request

    def spy(method: str, path: str, **kwargs: Any) -> Any:
        if method != "GET":
            calls.append((method, path.split("/rest/api/3")[-1]))
        return original(method, path, **kwargs)

    client.request = spy  # type: ignore[method-assign]
    return calls


BUG_NAME = "Bug screen ✓"
BUG: dict[str, Any] = {
    "name": BUG_NAME,
    "description": "For bugs",
    "tabs": [
        {"name": "Main", "fields": ["Summary", "Description", "Priority"]},
        {"name": "Planning", "fields": ["Labels", "Due date"]},
        {"name": "Empty"},
    ],
}


def test_fetch_normalizes_the_default_screens(client: JiraClient) -> None:
    screens = fetched(client)
    assert set(screens) == {"Default Screen", "Resolve Issue Screen", "Workflow Screen"}
    default = screens["Default Screen"]
    assert default.protected and not screens["Workflow Screen"].protected
    assert default.spec["tabs"][0]["name"] == "Field Tab"
    assert default.spec["tabs"][0]["fields"][:2] == ["Summary", "Issue Type"]
    assert screens["Workflow Screen"].spec["tabs"] == [
        {"name": "Field Tab", "fields": ["Assignee"]}
    ]


def test_refs_are_the_fields(client: JiraClient) -> None:
    assert set(KIND.refs(BUG)) == {
        Address("custom_field", n)
        for n in ("Summary", "Description", "Priority", "Labels", "Due date")
    }


def test_create_then_fetch_round_trips(client: JiraClient) -> None:
    new_id = KIND.create(apply_ctx(client), BUG)
    live = fetched(client)[BUG_NAME]
    assert (live.spec, live.id) == (BUG, new_id)


@pytest.mark.parametrize(
    "tabs",
    [
        # reorder fields and tabs
        [
            {"name": "Planning", "fields": ["Due date", "Labels"]},
            {"name": "Main", "fields": ["Priority", "Summary", "Description"]},
            {"name": "Empty"},
        ],
        # move a field between tabs, rename a tab, drop a tab, add a tab
        [
            {"name": "Main", "fields": ["Summary", "Labels"]},
            {"name": "Schedule", "fields": ["Due date", "Priority"]},
            {"name": "New", "fields": ["Description"]},
        ],
        # everything on one tab
        [{"name": "All", "fields": ["Labels", "Summary", "Due date", "Priority", "Description"]}],
    ],
)
def test_update_round_trips(client: JiraClient, tabs: list[dict[str, Any]]) -> None:
    KIND.create(apply_ctx(client), BUG)
    live = fetched(client)[BUG_NAME]
    spec = {"name": "Bugs", "tabs": tabs}
    KIND.update(apply_ctx(client), live, spec)
    assert fetched(client)["Bugs"].spec == spec


def test_update_uses_few_calls(client: JiraClient) -> None:
    KIND.create(apply_ctx(client), BUG)
    live = fetched(client)[BUG_NAME]
    ctx = apply_ctx(client)
    calls = counting(client)
    spec = {
        **BUG,
        "tabs": [
            {"name": "Main", "fields": ["Description", "Priority", "Summary"]},
            *BUG["tabs"][1:],
        ],
    }
    KIND.update(ctx, live, spec)
    assert len(calls) == 1 and calls[0][0] == "POST" and calls[0][1].endswith("/summary/move")
    assert fetched(client)[BUG_NAME].spec == spec


def test_unchanged_update_makes_no_calls(client: JiraClient) -> None:
    KIND.create(apply_ctx(client), BUG)
    live = fetched(client)[BUG_NAME]
    ctx = apply_ctx(client)
    calls = counting(client)
    KIND.update(ctx, live, BUG)
    assert calls == []


def test_delete(client: JiraClient) -> None:
    KIND.create(apply_ctx(client), BUG)
    KIND.delete(apply_ctx(client), fetched(client)[BUG_NAME])
    assert BUG_NAME not in fetched(client)


def test_longest_in_order_keeps_the_most_fields_still() -> None:
    assert longest_in_order(["a", "b", "c", "d"], ["b", "c", "d", "a"]) == {"b", "c", "d"}
    assert longest_in_order([], []) == set()


def test_update_description_only_keeps_the_name_out_of_the_request(client: JiraClient) -> None:
    KIND.create(apply_ctx(client), BUG)
    live = fetched(client)[BUG_NAME]
    ctx = apply_ctx(client)
    calls = counting(client)
    KIND.update(ctx, live, {**BUG, "description": "Only this changed"})
    assert len(calls) == 1
    assert fetched(client)[BUG_NAME].spec["description"] == "Only this changed"


def test_fetch_reads_tabs_in_bulk_across_chunks_and_pages(client: JiraClient) -> None:
    for n in range(110):
        screen = client.post("/screens", {"name": f"Screen {n:03}"})["id"]
        client.post(f"/screens/{screen}/tabs", {"name": "Second"})
    ctx = FetchContext(client, with_fields(client))
    calls: list[str] = []
    original = client.request

    def spy(method: str, path: str, **kwargs: Any) -> Any:
        calls.append(path)
        return original(method, path, **kwargs)

    client.request = spy  # type: ignore[method-assign]
    screens = {r.address.key: r for r in KIND.fetch(ctx)}
    assert len(screens) == 113
    tabs = screens["Screen 109"].spec["tabs"]
    assert [t["name"] for t in tabs] == ["Field Tab", "Second"]
    tab_pages = [c for c in calls if c.endswith("/screens/tabs")]
    assert len(tab_pages) == 3  # 100 screens (197 tabs: 2 pages of 100), then 13 (1 page)
    assert len([c for c in calls if c.endswith("/fields")]) == 3 + 220


@pytest.mark.parametrize(
    "tabs",
    [
        [{"name": "A", "fields": ["Summary"]}, {"name": "B", "fields": ["Summary"]}],
        [{"name": "A"}, {"name": "A"}],
    ],
)
def test_a_field_or_tab_twice_is_refused_before_any_call(
    client: JiraClient, tabs: list[dict[str, Any]]
) -> None:
    KIND.create(apply_ctx(client), BUG)
    live = fetched(client)[BUG_NAME]
    ctx = apply_ctx(client)
    calls = counting(client)
    with pytest.raises(ConfigError, match="more than once"):
        KIND.update(ctx, live, {"name": BUG_NAME, "tabs": tabs})
    assert calls == []
