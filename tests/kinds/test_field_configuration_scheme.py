from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema
import pytest

from jiracfg.client import JiraClient
from jiracfg.fetch import fetch_live
from jiracfg.kinds import ApplyContext
from jiracfg.kinds.field_configuration_scheme import CHUNK, KIND
from jiracfg.model import Address, Resource, Snapshot
from jiracfg.repo.yamlio import plain, read

EXAMPLES = Path(__file__).parents[2] / "examples" / "config" / "field-configuration-schemes"
DEFAULT = "Default Field Configuration"


def live_state(client: JiraClient) -> Snapshot:
    return fetch_live(client, ["field_configuration_scheme"])


def schemes(snapshot: Snapshot) -> dict[str, Resource]:
    return {r.address.key: r for r in snapshot.of_kind("field_configuration_scheme")}


@pytest.fixture
def configs(client: JiraClient) -> list[str]:
    """Two more field configurations: Bugs and Support."""
    return [str(client.post("/fieldconfiguration", {"name": n})["id"]) for n in ("Bugs", "Support")]


def create(client: JiraClient, spec: dict[str, Any]) -> str:
    return KIND.create(ApplyContext(client, live_state(client)), spec)


def test_new_site_has_no_scheme_and_refs(client: JiraClient) -> None:
    assert schemes(live_state(client)) == {}
    spec = {"name": "S", "default": "Bugs", "issue_types": {"Task": "Support"}}
    assert set(KIND.refs(spec)) == {
        Address("field_configuration", "Bugs"),
        Address("field_configuration", "Support"),
        Address("issue_type", "Task"),
    }


def test_create_then_fetch_round_trips(client: JiraClient, configs: list[str]) -> None:
    spec: dict[str, Any] = {
        "name": "Engineering ✓",
        "description": "eng",
        "default": "Bugs",
        "issue_types": {"Bug": "Bugs", "Task": DEFAULT},
    }
    new_id = create(client, spec)
    live = schemes(live_state(client))[spec["name"]]
    assert (live.spec, live.id) == (spec, new_id)


def test_create_with_the_default_mapping_only(client: JiraClient) -> None:
    spec = {"name": "Plain", "default": DEFAULT, "issue_types": {}}
    create(client, spec)
    assert schemes(live_state(client))["Plain"].spec == spec


@pytest.mark.parametrize(
    "want",
    [
        {"default": "Support", "issue_types": {}},  # drop all
        {"default": "Bugs", "issue_types": {"Bug": "Support", "Epic": "Bugs"}},  # move, add
        {"default": DEFAULT, "issue_types": {"Task": "Bugs", "Bug": "Bugs"}},
    ],
)
def test_update_round_trips(client: JiraClient, configs: list[str], want: dict[str, Any]) -> None:
    create(
        client,
        {"name": "Eng", "default": "Bugs", "issue_types": {"Bug": "Bugs", "Task": "Support"}},
    )
    live = live_state(client)
    spec = {"name": "Engineering", "description": "renamed", **want}
    KIND.update(ApplyContext(client, live), schemes(live)["Eng"], spec)
    after = schemes(live_state(client))["Engineering"].spec
    assert after == {**spec, "issue_types": dict(sorted(want["issue_types"].items()))}


def test_delete(client: JiraClient) -> None:
    create(client, {"name": "Temp", "default": DEFAULT, "issue_types": {}})
    live = live_state(client)
    KIND.delete(ApplyContext(client, live), schemes(live)["Temp"])
    assert "Temp" not in schemes(live_state(client))


def test_fetch_reads_mappings_in_chunks(client: JiraClient) -> None:
    for n in range(CHUNK + 3):
        client.post("/fieldconfigurationscheme", {"name": f"Scheme {n:02}"})
    found = schemes(live_state(client))
    assert len(found) == CHUNK + 3
    assert found[f"Scheme {CHUNK + 2:02}"].spec["default"] == DEFAULT


def test_examples_validate_against_the_schema() -> None:
    paths = sorted(EXAMPLES.glob("*.yaml"))
    assert paths
    for path in paths:
        jsonschema.validate(plain(read(path, path.name)), KIND.schema())
    good = {"name": "S", "default": "D", "issue_types": {}}
    for bad in (
        {"name": "S", "issue_types": {}},
        {**good, "issue_types": {"Bug": ""}},
        {**good, "extra": 1},
    ):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, KIND.schema())
