from __future__ import annotations

from typing import Any

import pytest

from jiracfg.client import JiraClient
from jiracfg.errors import JiraApiError
from jiracfg.kinds import ApplyContext, FetchContext
from jiracfg.kinds.screen import KIND as SCREEN
from jiracfg.kinds.screen_scheme import KIND
from jiracfg.model import Address, Resource, Snapshot
from tests.kinds.fields_helper import with_fields


def live_state(client: JiraClient) -> Snapshot:
    ctx = FetchContext(client, with_fields(client))
    for kind in (SCREEN, KIND):
        for resource in kind.fetch(ctx):
            ctx.add(resource)
    return ctx.live


def scheme(client: JiraClient, name: str) -> Resource:
    found = live_state(client).get(Address("screen_scheme", name))
    assert found is not None, name
    return found


def make_screen(client: JiraClient, name: str) -> None:
    SCREEN.create(
        ApplyContext(client, live_state(client)),
        {"name": name, "tabs": [{"name": "Field Tab", "fields": ["Summary"]}]},
    )


def test_fetch_normalizes_the_default_scheme(client: JiraClient) -> None:
    default = scheme(client, "Default Screen Scheme")
    assert default.protected and default.id == "1"
    assert default.spec == {
        "name": "Default Screen Scheme",
        "description": "Default Screen Scheme",
        "screens": {"default": "Default Screen"},
    }
    assert list(KIND.refs(default.spec)) == [Address("screen", "Default Screen")]


def test_create_then_fetch_round_trips(client: JiraClient) -> None:
    make_screen(client, "Bug create")
    spec: dict[str, Any] = {
        "name": "Bugs ✓",
        "description": "bugs",
        "screens": {"default": "Default Screen", "create": "Bug create", "view": "Workflow Screen"},
    }
    new_id = KIND.create(ApplyContext(client, live_state(client)), spec)
    live = scheme(client, "Bugs ✓")
    assert (live.spec, live.id, live.protected) == (spec, new_id, False)


def test_update_sets_and_clears_screens(client: JiraClient) -> None:
    make_screen(client, "Bug create")
    KIND.create(
        ApplyContext(client, live_state(client)),
        {
            "name": "Bugs",
            "screens": {
                "default": "Default Screen",
                "create": "Bug create",
                "view": "Workflow Screen",
            },
        },
    )
    spec = {"name": "Bug scheme", "screens": {"default": "Bug create", "edit": "Default Screen"}}
    KIND.update(ApplyContext(client, live_state(client)), scheme(client, "Bugs"), spec)
    assert scheme(client, "Bug scheme").spec == spec


def test_delete_and_in_use_refusal(client: JiraClient) -> None:
    KIND.create(
        ApplyContext(client, live_state(client)),
        {"name": "Temp", "screens": {"default": "Default Screen"}},
    )
    ctx = ApplyContext(client, live_state(client))
    KIND.delete(ctx, scheme(client, "Temp"))
    assert Address("screen_scheme", "Temp") not in live_state(client)
    with pytest.raises(JiraApiError, match="in use in an issue type screen scheme"):
        KIND.delete(ctx, scheme(client, "Default Screen Scheme"))
