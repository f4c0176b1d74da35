"""The dashboard kind's filter references: a filter id in gadget settings becomes the filter's
key on export, in Jira's spelling, and the target's id on apply; unknown ids stay as they are."""

from __future__ import annotations

from jiracfg.client import JiraClient
from jiracfg.kinds import ApplyContext, FetchContext
from jiracfg.kinds.dashboard import KIND, filters_in, named_filters, site_filters
from jiracfg.model import Address, Resource, Snapshot

SETTINGS = {
    "config": {"filterId": "filter-10", "num": 5},
    "charts": [{"filterId": 11}, {"filterId": "12"}, {"filterId": "99"}],
}
NAMED = {
    "config": {"filterId": {"filter": "Bugs", "prefix": "filter-"}, "num": 5},
    "charts": [
        {"filterId": {"filter": "Stories", "number": True}},
        {"filterId": {"filter": "Tasks"}},
        {"filterId": "99"},
    ],
}


def snapshot(ids: dict[str, str]) -> Snapshot:
    return Snapshot(Resource(Address("filter", k), {}, {"id": v}) for k, v in ids.items())


def test_filter_ids_become_keys_and_back(client: JiraClient) -> None:
    fetch = FetchContext(client, snapshot({"Bugs": "10", "Stories": "11", "Tasks": "12"}))
    assert named_filters(fetch, SETTINGS) == NAMED
    target = ApplyContext(client, snapshot({"Bugs": "20", "Stories": "21", "Tasks": "22"}))
    assert site_filters(target, NAMED) == {
        "config": {"filterId": "filter-20", "num": 5},
        "charts": [{"filterId": 21}, {"filterId": "22"}, {"filterId": "99"}],
    }


def test_gadget_filters_are_references() -> None:
    assert list(filters_in(NAMED)) == ["Bugs", "Stories", "Tasks"]
    spec = {"name": "D", "owner": "a@x", "gadgets": [{"properties": NAMED}]}
    assert Address("filter", "Tasks") in set(KIND.refs(spec))
