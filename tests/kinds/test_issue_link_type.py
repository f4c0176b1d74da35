from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema
import pytest

from jiracfg.client import JiraClient
from jiracfg.kinds import ApplyContext, FetchContext
from jiracfg.kinds.issue_link_type import KIND
from jiracfg.model import Resource, Snapshot
from jiracfg.repo.yamlio import plain, read

EXAMPLES = Path(__file__).parents[2] / "examples" / "config" / "issue-link-types"


def fetched(client: JiraClient) -> dict[str, Resource]:
    return {r.address.key: r for r in KIND.fetch(FetchContext(client))}


def test_fetch_normalizes_the_new_site_link_types(client: JiraClient) -> None:
    live = fetched(client)
    assert set(live) == {"Blocks", "Cloners", "Duplicate", "Relates"}
    assert live["Blocks"].spec == {"name": "Blocks", "inward": "is blocked by", "outward": "blocks"}
    assert live["Relates"].id == "10003"
    assert not any(r.readonly or r.protected for r in live.values())


def test_create_then_fetch_round_trips(client: JiraClient) -> None:
    spec = {"name": "Causes ⚡", "inward": "is caused by", "outward": "causes"}
    new_id = KIND.create(ApplyContext(client, Snapshot()), spec)
    live = fetched(client)[spec["name"]]
    assert (live.spec, live.id) == (spec, new_id)


@pytest.mark.parametrize(
    "spec",
    [
        {"name": "Blocks", "inward": "is held up by", "outward": "holds up"},
        {"name": "Blocking", "inward": "is blocked by", "outward": "blocks"},
        {"name": "Depends", "inward": "is needed by", "outward": "needs"},
    ],
)
def test_update_round_trips(client: JiraClient, spec: dict[str, Any]) -> None:
    live = fetched(client)["Blocks"]
    KIND.update(ApplyContext(client, Snapshot([live])), live, spec)
    after = fetched(client)
    assert after[spec["name"]].spec == spec and after[spec["name"]].id == live.id


def test_update_sends_only_what_changed(client: JiraClient) -> None:
    live = fetched(client)["Blocks"]
    sent: list[Any] = []
    original = client.put

    def spy(path: str, json: Any = None, params: Any = None) -> Any:
        sent.append(json)
        return original(path, json, params)

    client.put = spy  # type: ignore[method-assign]
    ctx = ApplyContext(client, Snapshot([live]))
    KIND.update(ctx, live, {**live.spec, "outward": "stops"})
    KIND.update(ctx, live, live.spec)
    assert sent == [{"outward": "stops"}]


def test_delete(client: JiraClient) -> None:
    KIND.delete(ApplyContext(client, Snapshot()), fetched(client)["Cloners"])
    assert "Cloners" not in fetched(client)


def test_examples_validate_against_the_schema() -> None:
    paths = sorted(EXAMPLES.glob("*.yaml"))
    assert paths
    for path in paths:
        jsonschema.validate(plain(read(path, path.name)), KIND.schema())
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"name": "X", "inward": "a"}, KIND.schema())
