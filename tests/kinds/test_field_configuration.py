from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema
import pytest

from jiracfg.client import JiraClient
from jiracfg.errors import ConfigError, JiraApiError
from jiracfg.kinds import ApplyContext, FetchContext
from jiracfg.kinds.field_configuration import KIND, item_change, non_default
from jiracfg.model import Address, Resource, Snapshot
from jiracfg.repo.yamlio import plain, read
from tests.kinds.fields_helper import with_fields

EXAMPLES = Path(__file__).parents[2] / "examples" / "config" / "field-configurations"
DEFAULT = "Default Field Configuration"
SPEC: dict[str, Any] = {
    "name": "Engineering ✓",
    "description": "eng",
    "fields": {
        "Description": {
            "required": True,
            "description": "What and why",
            "renderer": "text-renderer",
        },
        "Environment": {"hidden": True},
        "Labels": {"description": "Team labels"},
        "Notes": {"renderer": "text-renderer"},
        "Summary": {"description": "One line"},
    },
}


@pytest.fixture
def notes(client: JiraClient) -> str:
    """A custom text field named Notes."""
    body = client.post(
        "/field",
        {"name": "Notes", "type": "com.atlassian.jira.plugin.system.customfieldtypes:textarea"},
    )
    return str(body["id"])


def fetched(client: JiraClient) -> dict[str, Resource]:
    ctx = FetchContext(client, with_fields(client))
    return {r.address.key: r for r in KIND.fetch(ctx)}


def apply_ctx(client: JiraClient) -> ApplyContext:
    return ApplyContext(client, with_fields(client, Snapshot(fetched(client).values())))


def test_fetch_normalizes_the_default_configuration(client: JiraClient) -> None:
    default = fetched(client)[DEFAULT]
    assert default.spec == {"name": DEFAULT, "description": "The default field configuration"}
    assert default.protected and default.id == "10000"


def test_refs_are_the_fields() -> None:
    assert set(KIND.refs(SPEC)) == {Address("custom_field", n) for n in SPEC["fields"]}
    assert list(KIND.refs({"name": "Empty"})) == []


def test_create_then_fetch_round_trips(client: JiraClient, notes: str) -> None:
    new_id = KIND.create(apply_ctx(client), SPEC)
    live = fetched(client)[SPEC["name"]]
    assert (live.spec, live.id, live.protected) == (SPEC, new_id, False)


def test_create_undoes_what_the_copy_of_the_default_brings(client: JiraClient) -> None:
    client.put(
        "/fieldconfiguration/10000/fields",
        {
            "fieldConfigurationItems": [
                {"id": "labels", "isHidden": True},
                {"id": "duedate", "description": "When"},
            ]
        },
    )
    spec = {"name": "Clean", "fields": {"Due date": {"required": True}}}
    KIND.create(apply_ctx(client), spec)
    assert fetched(client)["Clean"].spec == spec


@pytest.mark.parametrize(
    "fields",
    [
        {},  # back to every default
        {
            "Description": {"hidden": True},
            "Labels": {"required": True},
            "Notes": {"description": "Free text"},
        },  # change each setting
        {"Description": {"required": True, "description": "What and why"}},  # wiki renderer again
    ],
)
def test_update_round_trips(client: JiraClient, notes: str, fields: dict[str, Any]) -> None:
    KIND.create(apply_ctx(client), SPEC)
    live = fetched(client)[SPEC["name"]]
    spec = {"name": "Eng", **({"fields": fields} if fields else {})}
    KIND.update(apply_ctx(client), live, spec)
    assert fetched(client)["Eng"].spec == spec


def test_update_writes_items_in_one_call_and_only_when_needed(
    client: JiraClient, notes: str
) -> None:
    KIND.create(apply_ctx(client), SPEC)
    live = fetched(client)[SPEC["name"]]
    ctx = apply_ctx(client)
    calls: list[tuple[str, Any]] = []
    original = client.put

    def spy(path: str, json: Any = None, params: Any = None) -> Any:
        calls.append((path, json))
        return original(path, json, params)

    client.put = spy  # type: ignore[method-assign]
    KIND.update(ctx, live, SPEC)
    assert calls == []
    fields = {k: v for k, v in SPEC["fields"].items() if k != "Summary"}
    fields["Labels"] = {"hidden": True}  # two items change: Summary and Labels
    KIND.update(ctx, live, {**SPEC, "fields": fields})
    assert [len(body["fieldConfigurationItems"]) for _, body in calls] == [2]


def test_default_configuration_fields_are_managed_but_not_its_name(client: JiraClient) -> None:
    live = fetched(client)[DEFAULT]
    spec = {**live.spec, "fields": {"Due date": {"required": True}}}
    KIND.update(apply_ctx(client), live, spec)
    assert fetched(client)[DEFAULT].spec == spec
    with pytest.raises(ConfigError, match="default field configuration"):
        KIND.update(apply_ctx(client), live, {**spec, "name": "Renamed"})
    with pytest.raises(JiraApiError, match="default field configuration can't be deleted"):
        KIND.delete(apply_ctx(client), live)


def test_delete(client: JiraClient) -> None:
    KIND.create(apply_ctx(client), {"name": "Temp"})
    KIND.delete(apply_ctx(client), fetched(client)["Temp"])
    assert "Temp" not in fetched(client)


def test_locked_fields_are_required_by_default() -> None:
    assert non_default({"id": "summary", "isHidden": False, "isRequired": True}) == {}
    assert non_default({"id": "duedate", "isHidden": False, "isRequired": True}) == {
        "required": True
    }
    assert item_change({"id": "summary", "isHidden": False, "isRequired": True}, {}) is None
    assert item_change(
        {"id": "description", "isHidden": False, "isRequired": False, "renderer": "text-renderer"},
        {},
    ) == {
        "id": "description",
        "isHidden": False,
        "isRequired": False,
        "description": "",
        "renderer": "wiki-renderer",
    }


def test_examples_validate_against_the_schema() -> None:
    paths = sorted(EXAMPLES.glob("*.yaml"))
    assert paths
    for path in paths:
        jsonschema.validate(plain(read(path, path.name)), KIND.schema())
    jsonschema.validate(SPEC, KIND.schema())
    for bad in (
        {**SPEC, "fields": {"Labels": {}}},
        {**SPEC, "fields": {"Labels": {"hidden": False}}},
        {**SPEC, "fields": {"Labels": {"renderer": "wiki-renderer"}}},
        {**SPEC, "extra": 1},
    ):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, KIND.schema())
