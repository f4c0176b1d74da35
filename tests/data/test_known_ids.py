"""The issue ids an apply knows (``jiracfg.data.known_ids``): the plan's read with what the
writes returned; only an issue a write left unknown is read again, by key."""

from __future__ import annotations

from jiracfg.client import JiraClient
from jiracfg.data.ids import target_entries
from jiracfg.data.known_ids import KnownIds

PROJECT = "MKT"


def known_as_read(client: JiraClient) -> tuple[KnownIds, dict[str, dict[str, object]]]:
    full = dict(target_entries(client, PROJECT))
    known = KnownIds()
    known.read(PROJECT, {k: (k, v) for k, v in full.items()})
    return known, full


def test_what_the_writes_returned_needs_no_read(demo_client: JiraClient) -> None:
    known, full = known_as_read(demo_client)
    keys = sorted(full, key=lambda k: int(k.rsplit("-", 1)[1]))
    known.created("MKT-900", "MKT-901", "777", {"comments": ["5", "6"], "worklogs": []})
    known.updated(keys[0], keys[0], {"comments": [], "attachments": ["9"]})
    known.deleted([keys[-1]])
    before = demo_client.counter.requests
    found = known.entries(demo_client, PROJECT)
    assert demo_client.counter.requests == before
    assert found["MKT-900"] == {"id": "777", "comments": ["5", "6"]}
    first = {k: v for k, v in full[keys[0]].items() if k != "comments"}
    assert found[keys[0]] == {**first, "attachments": ["9"]}
    assert keys[-1] not in found and found[keys[1]] == full[keys[1]]


def test_an_issue_a_write_left_unknown_is_read_again_by_key(demo_client: JiraClient) -> None:
    known, full = known_as_read(demo_client)
    keys = sorted(full, key=lambda k: int(k.rsplit("-", 1)[1]))
    known.updated(keys[2], keys[2], {"comments": None})  # a create's answer lost
    known.updated(keys[3], keys[3], {"worklogs": None})
    before = demo_client.counter.requests
    assert known.entries(demo_client, PROJECT) == full
    assert demo_client.counter.requests - before == 1  # one `key in (...)` page for both
    assert known.knows(PROJECT) and not known.knows("ENG")


def test_a_project_deleted_after_the_plan_read_it_takes_its_issues(
    demo_client: JiraClient,
) -> None:
    known, _ = known_as_read(demo_client)
    known.created("MKT-900", "MKT-900", "777", {})  # made by the data step after a replace
    known.emptied(PROJECT)
    assert known.entries(demo_client, PROJECT) == {"MKT-900": {"id": "777"}}
