from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest

from jiracfg.client import JiraClient
from jiracfg.errors import ConfigError
from jiracfg.export import export
from jiracfg.kinds import ApplyContext, FetchContext
from jiracfg.kinds.app_property import KIND, secret_variable
from jiracfg.model import Resource, Snapshot
from jiracfg.plan.planner import make_plan
from jiracfg.repo.yamlio import plain, read
from jiracfg.sandbox.routes import apps
from tests.conftest import StartSandbox, client_for, seeded_store

TIMEKEEPER, DIAGRAMS = apps.DEMO_APPS
EXAMPLES = Path(__file__).parents[2] / "examples" / "config" / "apps"


@pytest.fixture
def apps_client(
    start_sandbox: StartSandbox, monkeypatch: pytest.MonkeyPatch
) -> Iterator[JiraClient]:
    """A sandbox with the demo apps; only Timekeeper's shared secret is in the environment."""
    store = seeded_store("empty")
    apps.seed_demo_apps(store)
    monkeypatch.setenv(secret_variable(TIMEKEEPER["key"]), TIMEKEEPER["sharedSecret"])
    monkeypatch.delenv(secret_variable(DIAGRAMS["key"]), raising=False)
    jira = client_for(start_sandbox("empty", store=store))
    yield jira
    jira.close()


def fetched(client: JiraClient) -> dict[str, Resource]:
    return {r.address.key: r for r in KIND.fetch(FetchContext(client))}


def test_fetch_reads_apps_it_has_the_secret_of(apps_client: JiraClient) -> None:
    found = fetched(apps_client)
    timekeeper = found[TIMEKEEPER["key"]]
    assert timekeeper.spec == {"app": TIMEKEEPER["key"], "properties": TIMEKEEPER["properties"]}
    assert list(timekeeper.spec["properties"]) == ["approval-enabled", "settings"]
    assert not timekeeper.readonly and timekeeper.id == TIMEKEEPER["key"]
    diagrams = found[DIAGRAMS["key"]]
    assert diagrams.readonly
    assert diagrams.meta["unreadable"] == "JIRACFG_APP_SECRET_COM_EXAMPLE_DIAGRAMS"


def test_fetch_on_a_new_site_finds_no_apps(client: JiraClient) -> None:
    assert fetched(client) == {}


def test_update_puts_changes_and_deletes_missing_keys(apps_client: JiraClient) -> None:
    live = fetched(apps_client)[TIMEKEEPER["key"]]
    spec = {
        "app": TIMEKEEPER["key"],
        "properties": {
            "settings": {"workingHoursPerDay": 7.5},
            "holidays": ["2026-12-25"],
            "flag": False,
        },
    }
    KIND.update(ApplyContext(apps_client, Snapshot([live])), live, spec)
    assert fetched(apps_client)[TIMEKEEPER["key"]].spec == {
        "app": TIMEKEEPER["key"],
        "properties": {
            "flag": False,
            "holidays": ["2026-12-25"],
            "settings": {"workingHoursPerDay": 7.5},
        },
    }


def test_delete_then_create_round_trips(apps_client: JiraClient) -> None:
    ctx = ApplyContext(apps_client, Snapshot())
    live = fetched(apps_client)[TIMEKEEPER["key"]]
    KIND.delete(ctx, live)
    assert fetched(apps_client)[TIMEKEEPER["key"]].spec["properties"] == {}
    assert KIND.create(ctx, live.spec) == TIMEKEEPER["key"]
    assert fetched(apps_client)[TIMEKEEPER["key"]].spec == live.spec


def test_apply_without_the_shared_secret_is_refused_naming_the_variable(
    apps_client: JiraClient,
) -> None:
    spec = {"app": DIAGRAMS["key"], "properties": {"defaults": {}}}
    with pytest.raises(ConfigError, match="JIRACFG_APP_SECRET_COM_EXAMPLE_DIAGRAMS"):
        KIND.create(ApplyContext(apps_client, Snapshot()), spec)


def test_plan_stops_for_apps_not_installed_or_unreadable(apps_client: JiraClient) -> None:
    desired = Snapshot(
        KIND.resource({"app": app, "properties": {"k": 1}})
        for app in ("com.example.missing", DIAGRAMS["key"], TIMEKEEPER["key"])
    )
    plan, _ = make_plan(apps_client, desired)
    errors = {p.address: p.message for p in plan.problems if p.is_error}
    assert "not installed" in errors["app_property/com.example.missing"]
    assert "JIRACFG_APP_SECRET_COM_EXAMPLE_DIAGRAMS" in errors[f"app_property/{DIAGRAMS['key']}"]
    assert f"app_property/{TIMEKEEPER['key']}" not in errors


def test_plan_after_export_is_empty(apps_client: JiraClient, tmp_path: Path) -> None:
    export(apps_client, tmp_path, ["app_property"])
    files = sorted(p.name for p in (tmp_path / "apps").glob("*.yaml"))
    assert files == ["com-example-timekeeper.yaml"]
    data = plain(read(tmp_path / "apps" / files[0], files[0]))
    assert data == {"app": TIMEKEEPER["key"], "properties": TIMEKEEPER["properties"]}
    plan, _ = make_plan(apps_client, Snapshot([KIND.resource(data)]))
    assert plan.changes == [] and not plan.problems


def test_examples_validate_against_the_schema() -> None:
    paths = sorted(EXAMPLES.glob("*.yaml"))
    assert paths
    for path in paths:
        jsonschema.validate(plain(read(path, path.name)), KIND.schema())
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"app": "a", "properties": {"k" * 128: 1}}, KIND.schema())
