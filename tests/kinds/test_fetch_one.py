"""``Kind.fetch_one`` (the applier's fresh read of one object after a fault) finds what ``fetch``
finds, for each kind that narrows the read to the one object."""

from __future__ import annotations

import pytest

from jiracfg.client import JiraClient
from jiracfg.fetch import fetch_live
from jiracfg.kinds import REGISTRY, FetchContext, Kind
from jiracfg.model import Snapshot

NARROWED = sorted(n for n, k in REGISTRY.items() if type(k).fetch_one is not Kind.fetch_one)


def test_the_kinds_whose_fetch_reads_per_object_narrow_it() -> None:
    assert NARROWED == ["field_configuration", "field_context", "project", "screen"]


@pytest.mark.parametrize("name", NARROWED)
def test_fetch_one_finds_each_object_as_fetch_does(demo_client: JiraClient, name: str) -> None:
    live = fetch_live(demo_client, [name])
    others = Snapshot(r for r in live if r.address.kind != name)
    found = live.of_kind(name)
    assert len(found) >= 2
    for resource in found:
        one = REGISTRY[name].fetch_one(FetchContext(demo_client, others), resource.spec)
        assert one is not None and (one.address, one.spec, one.id) == (
            resource.address,
            resource.spec,
            resource.id,
        )
    missing = {**found[0].spec, "name": "No such name", "key": "NOSUCH"}
    assert REGISTRY[name].fetch_one(FetchContext(demo_client, others), missing) is None
