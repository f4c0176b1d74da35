from __future__ import annotations

from typing import Any

import pytest

from jiracfg.client import JiraClient
from jiracfg.errors import JiraApiError
from jiracfg.kinds import ApplyContext, FetchContext
from jiracfg.kinds.issue_type import KIND as ISSUE_TYPE
from jiracfg.kinds.issue_type_screen_scheme import KIND
from jiracfg.kinds.screen import KIND as SCREEN
from jiracfg.kinds.screen_scheme import KIND as SCREEN_SCHEME
from jiracfg.model import Address, Resource, Snapshot
from tests.kinds.fields_helper import with_fields


def live_state(client: JiraClient) -> Snapshot:
    ctx = FetchContext(client, with_fields(client))
    for kind in (ISSUE_TYPE, SCREEN, SCREEN_SCHEME, KIND):
        for resource in kind.fetch(ctx):
            ctx.add(resource)
    return ctx.live


def ctx_for(client: JiraClient) -> ApplyContext:
    return ApplyContext(client, live_state(client))


def itss(client: JiraClient, name: str) -> Resource:
    found = live_state(client).get(Address("issue_type_screen_scheme", name))
    assert found is not None, name
    return found


@pytest.fixture
def schemes(client: JiraClient) -> None:
    for name in ("Bug screens", "Task screens"):
        SCREEN_SCHEME.create(
            ctx_for(client), {"name": name, "screens": {"default": "Default Screen"}}
        )


def test_fetch_normalizes_the_default_itss(client: JiraClient) -> None:
    default = itss(client, "Default Issue Type Screen Scheme")
    assert default.protected and default.id == "1"
    assert default.spec["mappings"] == {"default": "Default Screen Scheme"}


def test_refs(client: JiraClient) -> None:
    spec = {"name": "X", "mappings": {"default": "A", "Bug": "B"}}
    assert set(KIND.refs(spec)) == {
        Address("issue_type", "Bug"),
        Address("screen_scheme", "A"),
        Address("screen_scheme", "B"),
    }


@pytest.mark.usefixtures("schemes")
def test_create_then_fetch_round_trips_in_canonical_order(client: JiraClient) -> None:
    spec: dict[str, Any] = {
        "name": "Eng ✓",
        "description": "eng",
        "mappings": {
            "Task": "Task screens",
            "default": "Default Screen Scheme",
            "Bug": "Bug screens",
        },
    }
    new_id = KIND.create(ctx_for(client), spec)
    live = itss(client, "Eng ✓")
    assert live.id == new_id
    assert list(live.spec["mappings"].items()) == [
        ("default", "Default Screen Scheme"),
        ("Bug", "Bug screens"),
        ("Task", "Task screens"),
    ]


@pytest.mark.usefixtures("schemes")
def test_update_changes_default_remaps_adds_and_removes(client: JiraClient) -> None:
    KIND.create(
        ctx_for(client),
        {
            "name": "Eng",
            "mappings": {
                "default": "Default Screen Scheme",
                "Bug": "Bug screens",
                "Story": "Bug screens",
            },
        },
    )
    spec = {
        "name": "Engineering",
        "description": "renamed",
        "mappings": {"default": "Task screens", "Bug": "Task screens", "Epic": "Bug screens"},
    }
    KIND.update(ctx_for(client), itss(client, "Eng"), spec)
    assert itss(client, "Engineering").spec == spec


@pytest.mark.usefixtures("schemes")
def test_delete_and_default_refused(client: JiraClient) -> None:
    KIND.create(ctx_for(client), {"name": "Temp", "mappings": {"default": "Bug screens"}})
    ctx = ctx_for(client)
    KIND.delete(ctx, itss(client, "Temp"))
    assert Address("issue_type_screen_scheme", "Temp") not in live_state(client)
    with pytest.raises(JiraApiError, match="default issue type screen scheme can't be"):
        KIND.delete(ctx, itss(client, "Default Issue Type Screen Scheme"))


@pytest.mark.usefixtures("schemes")
def test_update_after_a_mapped_issue_type_was_deleted(client: JiraClient) -> None:
    made = ISSUE_TYPE.create(ctx_for(client), {"name": "Spike", "level": "standard"})
    KIND.create(
        ctx_for(client),
        {
            "name": "Eng",
            "mappings": {
                "default": "Default Screen Scheme",
                "Spike": "Bug screens",
                "Bug": "Bug screens",
            },
        },
    )
    live = itss(client, "Eng")
    client.delete(f"/issuetype/{made}")  # Jira drops the type's mappings with it
    spec = {"name": "Eng", "mappings": {"default": "Default Screen Scheme", "Bug": "Task screens"}}
    KIND.update(ctx_for(client), live, spec)
    assert itss(client, "Eng").spec == spec
