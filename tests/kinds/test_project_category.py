from __future__ import annotations

import pytest

from jiracfg.client import JiraClient
from jiracfg.errors import ConflictError
from jiracfg.kinds import ApplyContext, FetchContext
from jiracfg.kinds.project_category import KIND
from jiracfg.model import Resource, Snapshot


def live_state(client: JiraClient) -> Snapshot:
    return Snapshot(KIND.fetch(FetchContext(client)))


def category(snapshot: Snapshot, name: str) -> Resource:
    found = {r.address.key: r for r in snapshot.of_kind("project_category")}
    return found[name]


def test_a_new_site_has_no_categories(client: JiraClient) -> None:
    assert len(live_state(client)) == 0


def test_fetch_normalizes_and_create_round_trips(client: JiraClient) -> None:
    client.post("/projectCategory", {"name": "Bare"})
    spec = {"name": "Internal ✓", "description": "Tools we use ourselves"}
    new_id = KIND.create(ApplyContext(client, live_state(client)), spec)
    live = live_state(client)
    assert (category(live, "Internal ✓").spec, category(live, "Internal ✓").id) == (spec, new_id)
    assert category(live, "Bare").spec == {"name": "Bare"}


@pytest.mark.parametrize(
    "spec",
    [
        {"name": "External", "description": "Customer work"},  # rename, keep description
        {"name": "Internal"},  # drop the description
        {"name": "Internal", "description": "Changed"},
    ],
)
def test_update_round_trips(client: JiraClient, spec: dict[str, str]) -> None:
    KIND.create(
        ApplyContext(client, live_state(client)),
        {"name": "Internal", "description": "Customer work"},
    )
    live = live_state(client)
    KIND.update(ApplyContext(client, live), category(live, "Internal"), spec)
    assert category(live_state(client), spec["name"]).spec == spec


def test_duplicate_name_is_refused(client: JiraClient) -> None:
    ctx = ApplyContext(client, live_state(client))
    KIND.create(ctx, {"name": "Internal"})
    with pytest.raises(ConflictError):
        KIND.create(ctx, {"name": "INTERNAL"})


def test_delete(client: JiraClient) -> None:
    KIND.create(ApplyContext(client, live_state(client)), {"name": "Temp"})
    live = live_state(client)
    KIND.delete(ApplyContext(client, live), category(live, "Temp"))
    assert len(live_state(client)) == 0


def test_find_by_name_after_a_lost_response(client: JiraClient) -> None:
    new_id = KIND.create(ApplyContext(client, live_state(client)), {"name": "Internal"})
    ctx = ApplyContext(client, Snapshot())
    assert KIND.find(ctx, {"name": "Internal"}) == new_id
    assert KIND.find(ctx, {"name": "Other"}) is None
