from __future__ import annotations

from pathlib import Path

import pytest

from jiracfg.client import JiraClient
from jiracfg.errors import ConfigError
from jiracfg.kinds import ApplyContext, FetchContext
from jiracfg.kinds.custom_field import KIND
from jiracfg.kinds.field_context import KIND as CONTEXTS
from jiracfg.model import Address, Resource, Snapshot, Spec
from jiracfg.repo import sites
from jiracfg.repo.load import load_desired, load_settings
from jiracfg.repo.write import write_snapshot

EXAMPLES = Path(__file__).parents[2] / "examples" / "config"


def fetched(client: JiraClient) -> dict[str, Resource]:
    return {r.address.key: r for r in KIND.fetch(FetchContext(client))}


def create(client: JiraClient, spec: Spec) -> str:
    return KIND.create(ApplyContext(client, Snapshot()), spec)


def test_fetch_keeps_system_and_locked_fields_readonly(client: JiraClient) -> None:
    fields = fetched(client)
    assert (fields["Summary"].id, fields["Summary"].readonly) == ("summary", True)
    assert fields["Sprint"].readonly and fields["Rank"].readonly
    assert fields["Flagged"].spec == {"name": "Flagged", "type": "multicheckboxes"}
    assert not fields["Flagged"].readonly and fields["Flagged"].id == "customfield_10021"
    assert {"Summary", "Status", "Sprint"} <= KIND.builtin_keys


def test_create_then_fetch_round_trips(client: JiraClient) -> None:
    for spec in (
        {"name": "Points", "type": "float", "searcher": "numberrange", "description": "Effort"},
        {"name": "Notes", "type": "textarea", "searcher": "none"},
        {"name": "Region", "type": "cascadingselect"},
    ):
        new_id = create(client, spec)
        live = fetched(client)[spec["name"]]
        assert (live.spec, live.id) == (spec, new_id)


def test_update_renames_redescribes_and_changes_the_searcher(client: JiraClient) -> None:
    create(client, {"name": "Points", "type": "float", "description": "Effort"})
    live = fetched(client)["Points"]
    spec = {
        "name": "Estimate",
        "type": "float",
        "searcher": "numberrange",
        "renamed_from": "Points",
    }
    KIND.update(ApplyContext(client, Snapshot([live])), live, spec)
    after = fetched(client)
    assert "Points" not in after
    assert after["Estimate"].spec == {
        "name": "Estimate",
        "type": "float",
        "searcher": "numberrange",
    }
    KIND.update(
        ApplyContext(client, Snapshot()), after["Estimate"], {"name": "Estimate", "type": "float"}
    )
    assert fetched(client)["Estimate"].spec == {"name": "Estimate", "type": "float"}


def test_delete_waits_for_jira_to_remove_the_field(client: JiraClient) -> None:
    create(client, {"name": "Temp", "type": "textfield"})
    KIND.delete(ApplyContext(client, Snapshot()), fetched(client)["Temp"])
    assert "Temp" not in fetched(client)


def test_namesakes_get_derived_aliases_and_are_flagged(client: JiraClient) -> None:
    create(client, {"name": "Team", "type": "select"})  # the locked Team field is older
    create(client, {"name": "team", "type": "select"})
    create(client, {"name": "Team", "type": "textfield"})
    fields = fetched(client)
    assert fields["Team"].readonly
    assert fields["Team [select]"].spec == {
        "name": "Team",
        "alias": "Team [select]",
        "type": "select",
    }
    assert fields["team [select] 2"].spec["name"] == "team"
    assert fields["Team [textfield]"].meta["duplicate_name"]
    assert not fields["Flagged"].meta.get("duplicate_name")


def test_an_alias_jiracfg_cannot_derive_is_refused(client: JiraClient) -> None:
    with pytest.raises(ConfigError, match="Team \\[select\\]"):
        create(client, {"name": "Team", "alias": "Team (ops)", "type": "select"})
    assert create(client, {"name": "Team", "alias": "Team [select]", "type": "select"})


def test_type_change_forces_a_replace() -> None:
    assert KIND.replace_on == ("type",)
    assert KIND.address({"name": "Team", "alias": "Team [select]"}) == Address(
        "custom_field", "Team [select]"
    )


def test_export_writes_fields_with_contexts_and_loads_back(
    client: JiraClient, tmp_path: Path
) -> None:
    create(client, {"name": "Flagged", "type": "select"})  # a namesake of the seeded one
    live = Snapshot(KIND.fetch(FetchContext(client)))
    ctx = FetchContext(client, live)
    for resource in CONTEXTS.fetch(ctx):
        live.add(resource)
    write_snapshot(tmp_path, live, ["custom_field", "field_context"])
    files = sorted(p.name for p in (tmp_path / "custom-fields").iterdir())
    assert files == ["flagged-select.yaml", "flagged.yaml", "start-date.yaml"]
    desired = load_desired(tmp_path, check_refs=False)
    assert {r.address: r.spec for r in desired} == {r.address: r.spec for r in live.managed()}


def test_examples_validate_against_the_schemas() -> None:
    site = sites.choose(load_settings(EXAMPLES), "production")
    desired = load_desired(EXAMPLES, check_refs=False, site=site)
    keys = {r.address.key for r in desired.of_kind("field_context")}
    assert {"Region/Engineering regions", "Story Points/Engineering"} <= keys
