from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema
import pytest

from jiracfg.client import JiraClient
from jiracfg.errors import PlanError
from jiracfg.kinds import ApplyContext, FetchContext
from jiracfg.kinds.resolution import KIND
from jiracfg.model import Resource, Snapshot
from jiracfg.repo.yamlio import plain, read

EXAMPLES = Path(__file__).parents[2] / "examples" / "config" / "resolutions"


def fetched(client: JiraClient) -> dict[str, Resource]:
    return {r.address.key: r for r in KIND.fetch(FetchContext(client))}


def apply_ctx(client: JiraClient) -> ApplyContext:
    return ApplyContext(client, Snapshot(fetched(client).values()))


def order(client: JiraClient) -> list[str]:
    live = fetched(client)
    return sorted(live, key=lambda n: live[n].spec["position"])


def test_fetch_normalizes_the_new_site_resolutions(client: JiraClient) -> None:
    live = fetched(client)
    assert live["Won't Do"].spec == {
        "name": "Won't Do",
        "position": 2,
        "description": "This issue won't be actioned.",
    }
    assert order(client) == ["Done", "Won't Do", "Duplicate", "Cannot Reproduce"]
    assert live["Done"].id == "10000" and not live["Done"].protected


def test_create_then_fetch_round_trips(client: JiraClient) -> None:
    spec: dict[str, Any] = {
        "name": "Fixed ✓",
        "description": "A fix was shipped",
        "default": True,
        "position": 2,
    }
    new_id = KIND.create(apply_ctx(client), spec)
    live = fetched(client)[spec["name"]]
    assert (live.spec, live.id) == (spec, new_id)
    assert order(client)[:3] == ["Done", "Fixed ✓", "Won't Do"]


@pytest.mark.parametrize(
    "spec",
    [
        {"name": "Completed", "description": "Work done.", "position": 1},  # rename + describe
        {"name": "Done", "position": 4},  # clear text, move last
        {"name": "Done", "position": 1, "default": True},  # become the default
    ],
)
def test_update_round_trips(client: JiraClient, spec: dict[str, object]) -> None:
    KIND.update(apply_ctx(client), fetched(client)["Done"], spec)
    assert fetched(client)[str(spec["name"])].spec == spec


def test_swapping_two_positions_in_either_order(client: JiraClient) -> None:
    for names in (["Done", "Duplicate"], ["Duplicate", "Done"]):
        live = fetched(client)
        ctx = ApplyContext(client, Snapshot(live.values()))
        new = {
            "Done": live["Duplicate"].spec["position"],
            "Duplicate": live["Done"].spec["position"],
        }
        for name in names:
            KIND.update(ctx, live[name], {**live[name].spec, "position": new[name]})
        after = fetched(client)
        assert {n: after[n].spec["position"] for n in new} == new


def test_delete_hands_issues_to_the_default_or_the_first(client: JiraClient) -> None:
    ctx = apply_ctx(client)
    live = fetched(client)
    KIND.delete(ctx, live["Done"])  # no default: the first other one takes over
    assert "Done" not in fetched(client)
    client.put("/resolution/default", {"id": live["Duplicate"].id})
    KIND.delete(ctx, live["Won't Do"])
    assert set(fetched(client)) == {"Duplicate", "Cannot Reproduce"}


def test_the_last_resolution_is_not_deleted(client: JiraClient) -> None:
    ctx = apply_ctx(client)
    live = fetched(client)
    for name in ("Done", "Won't Do", "Duplicate"):
        KIND.delete(ctx, live[name])
    with pytest.raises(PlanError, match="last resolution"):
        KIND.delete(ctx, live["Cannot Reproduce"])


def test_examples_validate_against_the_schema() -> None:
    paths = sorted(EXAMPLES.glob("*.yaml"))
    assert paths
    for path in paths:
        jsonschema.validate(plain(read(path, path.name)), KIND.schema())
    for bad in (
        {"name": "R"},
        {"name": "R", "position": 0},
        {"name": "R", "position": 1, "color": "#fff"},
    ):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, KIND.schema())
