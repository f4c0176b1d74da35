from __future__ import annotations

from typing import Any

import pytest

from jiracfg.client import JiraClient
from jiracfg.errors import JiraApiError
from jiracfg.fetch import fetch_live
from jiracfg.kinds import ApplyContext, FetchContext
from jiracfg.kinds.priority_scheme import KIND
from jiracfg.model import Address, Resource

SPEC: dict[str, Any] = {
    "name": "Small",
    "description": "Three are enough",
    "default_priority": "Medium",
    "priorities": ["High", "Low", "Medium"],
}
EVERY = ["High", "Highest", "Low", "Lowest", "Medium"]


def fetched(client: JiraClient) -> dict[str, Resource]:
    return {
        r.address.key: r for r in KIND.fetch(FetchContext(client, fetch_live(client, ["priority"])))
    }


def apply_ctx(client: JiraClient) -> ApplyContext:
    return ApplyContext(client, fetch_live(client, ["priority", "priority_scheme"]))


def test_refs_are_priorities() -> None:
    assert set(KIND.refs(SPEC)) == {Address("priority", p) for p in SPEC["priorities"]}


def test_a_new_site_has_the_default_scheme_with_every_priority(client: JiraClient) -> None:
    default = fetched(client)["Default Priority Scheme"]
    assert default.protected and default.spec["priorities"] == EVERY
    assert "default_priority" not in default.spec


def test_create_round_trips(client: JiraClient) -> None:
    new_id = KIND.create(apply_ctx(client), SPEC)
    live = fetched(client)["Small"]
    assert (live.spec, live.id, live.protected) == (SPEC, new_id, False)


@pytest.mark.parametrize(
    "spec",
    [
        {**SPEC, "name": "Smaller", "description": "Renamed"},
        {**SPEC, "default_priority": "High"},
        {**SPEC, "priorities": ["Highest", "Medium"]},
    ],
)
def test_update_round_trips(client: JiraClient, spec: dict[str, Any]) -> None:
    KIND.create(apply_ctx(client), SPEC)
    KIND.update(apply_ctx(client), fetched(client)["Small"], spec)
    assert fetched(client)[spec["name"]].spec == spec


def test_the_default_scheme_gives_up_a_priority(client: JiraClient) -> None:
    default = fetched(client)["Default Priority Scheme"]
    spec = {**default.spec, "priorities": [p for p in EVERY if p != "Lowest"]}
    KIND.update(apply_ctx(client), default, spec)
    assert fetched(client)["Default Priority Scheme"].spec == spec


def test_delete_and_the_default_refused(client: JiraClient) -> None:
    KIND.create(apply_ctx(client), SPEC)
    KIND.delete(apply_ctx(client), fetched(client)["Small"])
    assert "Small" not in fetched(client)
    with pytest.raises(JiraApiError, match="can't be deleted"):
        KIND.delete(apply_ctx(client), fetched(client)["Default Priority Scheme"])
