from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from jiracfg.client import JiraClient
from jiracfg.errors import JiraApiError
from jiracfg.kinds import ApplyContext, FetchContext
from jiracfg.kinds.priority import KIND, icon_of
from jiracfg.model import Resource, Snapshot
from jiracfg.repo.yamlio import plain, read

EXAMPLES = Path(__file__).parents[2] / "examples" / "config" / "priorities"
NEW_SITE = ["Highest", "High", "Medium", "Low", "Lowest"]


def fetched(client: JiraClient) -> dict[str, Resource]:
    return {r.address.key: r for r in KIND.fetch(FetchContext(client))}


def apply_ctx(client: JiraClient) -> ApplyContext:
    return ApplyContext(client, Snapshot(fetched(client).values()))


def order(client: JiraClient) -> list[str]:
    return sorted(fetched(client), key=lambda n: fetched(client)[n].spec["position"])


def test_fetch_normalizes_the_new_site_priorities(client: JiraClient) -> None:
    live = fetched(client)
    assert live["High"].spec == {
        "name": "High",
        "color": "#f15c75",
        "icon": "high",
        "description": "Serious problem that could block progress.",
        "position": 2,
    }
    assert live["Medium"].spec["default"] is True and "default" not in live["Low"].spec
    assert order(client) == NEW_SITE
    assert not any(r.readonly or r.protected for r in live.values())
    assert live["Highest"].id == "1"


def test_create_then_fetch_round_trips(client: JiraClient) -> None:
    spec: dict[str, Any] = {
        "name": "Blocker ⛔",
        "description": "Stops a release",
        "color": "#b30000",
        "icon": "blocker",
        "default": True,
        "position": 1,
    }
    new_id = KIND.create(apply_ctx(client), spec)
    live = fetched(client)
    assert (live[spec["name"]].spec, live[spec["name"]].id) == (spec, new_id)
    assert "default" not in live["Medium"].spec
    assert order(client) == [spec["name"], *NEW_SITE]


def test_create_without_icon_or_description(client: JiraClient) -> None:
    spec = {"name": "Someday", "color": "#abc", "position": 6}
    KIND.create(apply_ctx(client), spec)
    assert fetched(client)["Someday"].spec == spec


def test_update_renames_recolours_and_redescribes(client: JiraClient) -> None:
    live = fetched(client)["High"]
    spec = {"name": "Major", "color": "#ff0000", "icon": "major", "position": 2}
    KIND.update(apply_ctx(client), live, spec)
    assert fetched(client)["Major"].spec == spec


@pytest.mark.parametrize("first", ["Medium", "High"])
def test_default_moves_in_either_write_order(client: JiraClient, first: str) -> None:
    live = fetched(client)
    ctx = ApplyContext(client, Snapshot(live.values()))
    changes = {
        "Medium": strip_default(live["Medium"].spec),
        "High": {**live["High"].spec, "default": True},
    }
    for name in sorted(changes, key=lambda n: n != first):
        KIND.update(ctx, live[name], changes[name])
    assert [n for n, r in fetched(client).items() if r.spec.get("default")] == ["High"]


def test_dropping_the_default_clears_it(client: JiraClient) -> None:
    live = fetched(client)["Medium"]
    KIND.update(apply_ctx(client), live, strip_default(live.spec))
    assert not any(r.spec.get("default") for r in fetched(client).values())


def strip_default(spec: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in spec.items() if k != "default"}


DESIRED = ["Lowest", "Medium", "Highest", "Low", "High"]


@pytest.mark.parametrize(
    "run", list(itertools.permutations(["Lowest", "Medium", "Highest", "Low", "High"]))[::17]
)
def test_reorder_reaches_the_desired_order_in_any_apply_order(
    client: JiraClient, run: tuple[str, ...]
) -> None:
    live = fetched(client)
    ctx = ApplyContext(client, Snapshot(live.values()))
    for name in run:
        spec = {**live[name].spec, "position": DESIRED.index(name) + 1}
        if spec != live[name].spec:
            KIND.update(ctx, live[name], spec)
    assert order(client) == DESIRED


def test_unchanged_position_makes_no_move(client: JiraClient) -> None:
    live = fetched(client)["Low"]
    calls: list[str] = []
    original = client.request

    def spy(method: str, path: str, **kwargs: Any) -> Any:
        if method != "GET":
            calls.append(f"{method} {path}")
        return original(method, path, **kwargs)

    client.request = spy  # type: ignore[method-assign]
    KIND.update(apply_ctx(client), live, {**live.spec, "description": "Meh"})
    assert calls == ["PUT /priority/4"]


def test_delete_and_the_default_is_refused(client: JiraClient) -> None:
    ctx = apply_ctx(client)
    live = fetched(client)
    KIND.delete(ctx, live["Lowest"])
    assert "Lowest" not in fetched(client)
    with pytest.raises(JiraApiError, match="default priority can't be deleted"):
        KIND.delete(ctx, live["Medium"])


def test_icon_of_reads_builtin_icons_only() -> None:
    assert icon_of("https://x/images/icons/priorities/major_new.png") == "major_new"
    assert icon_of("https://x/secure/viewavatar?avatarId=1") is None
    assert icon_of(None) is None


def test_examples_validate_against_the_schema() -> None:
    paths = sorted(EXAMPLES.glob("*.yaml"))
    assert paths
    for path in paths:
        jsonschema.validate(plain(read(path, path.name)), KIND.schema())
    good = {"name": "P", "color": "#abcdef", "position": 1}
    jsonschema.validate(good, KIND.schema())
    for bad in (
        {"name": "P", "color": "#abcdef"},
        {**good, "color": "red"},
        {**good, "default": False},
        {**good, "icon": "flame"},
        {**good, "extra": 1},
    ):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, KIND.schema())
