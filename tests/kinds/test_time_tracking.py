"""time_tracking: the site's provider and settings, read and written over REST; an installed app's
provider is listed but chosen only by an apply; a provider the site does not list stops the plan."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest

from jiracfg.client import JiraClient
from jiracfg.export import export
from jiracfg.kinds import ApplyContext, FetchContext, kind_order
from jiracfg.kinds.time_tracking import KIND
from jiracfg.model import Resource, Snapshot
from jiracfg.plan.model import Action
from jiracfg.plan.planner import make_plan
from jiracfg.repo.yamlio import plain, read
from jiracfg.sandbox.routes import apps
from tests.conftest import StartSandbox, client_for, seeded_store

TIMEKEEPER = "com.example.timekeeper__timekeeper-time-tracking"
EXAMPLE = Path(__file__).parents[2] / "examples" / "config" / "time-tracking" / "time-tracking.yaml"
DEFAULTS = {"workingHoursPerDay": 8, "workingDaysPerWeek": 5, "timeFormat": "pretty"}
DEFAULTS = {**DEFAULTS, "defaultUnit": "minute"}
WANTED = {
    "provider": TIMEKEEPER,
    "options": {**DEFAULTS, "workingHoursPerDay": 7.5, "timeFormat": "hours"},
}


@pytest.fixture
def apps_client(start_sandbox: StartSandbox) -> Iterator[JiraClient]:
    """A new site with the demo apps installed (Timekeeper provides time tracking)."""
    store = seeded_store("empty")
    apps.seed_demo_apps(store)
    jira = client_for(start_sandbox("empty", store=store))
    yield jira
    jira.close()


def fetched(client: JiraClient) -> Resource:
    [found] = KIND.fetch(FetchContext(client))
    return found


def test_installing_an_app_lists_its_provider_but_keeps_jiras(apps_client: JiraClient) -> None:
    found = fetched(apps_client)
    assert found.spec == {"provider": "JIRA", "options": DEFAULTS}
    assert found.meta["providers"] == ("JIRA", TIMEKEEPER)
    assert found.address.key == "time-tracking" and found.protected


def test_update_selects_the_provider_and_sets_the_options(apps_client: JiraClient) -> None:
    live = fetched(apps_client)
    KIND.update(ApplyContext(apps_client, Snapshot([live])), live, WANTED)
    assert fetched(apps_client).spec == WANTED
    assert apps_client.get("/configuration/timetracking/options")["workingHoursPerDay"] == 7.5


def test_export_then_plan_is_empty(apps_client: JiraClient, tmp_path: Path) -> None:
    live = fetched(apps_client)
    KIND.update(ApplyContext(apps_client, Snapshot([live])), live, WANTED)
    export(apps_client, tmp_path, ["time_tracking"])
    data = plain(read(tmp_path / "time-tracking" / "time-tracking.yaml", "time-tracking.yaml"))
    assert data == WANTED
    plan, _ = make_plan(apps_client, Snapshot([KIND.resource(data)]))
    assert plan.changes == [] and not plan.problems


def test_a_file_without_provider_leaves_it_and_whole_numbers_match(apps_client: JiraClient) -> None:
    options = {**DEFAULTS, "workingHoursPerDay": 8.0, "workingDaysPerWeek": 5.0}
    plan, _ = make_plan(apps_client, Snapshot([KIND.resource({"options": options})]))
    assert plan.changes == [] and not plan.problems


def test_plan_lists_the_change_of_provider(apps_client: JiraClient) -> None:
    plan, _ = make_plan(apps_client, Snapshot([KIND.resource(WANTED)]))
    [change] = plan.changes
    assert change.action is Action.UPDATE
    assert {f.path for f in change.fields} == {
        "provider",
        "options.workingHoursPerDay",
        "options.timeFormat",
    }


def test_a_provider_the_site_does_not_list_stops_the_plan(client: JiraClient) -> None:
    """On a site without the app its provider is not listed: an error before any write."""
    plan, _ = make_plan(client, Snapshot([KIND.resource(WANTED)]))
    [error] = [p for p in plan.problems if p.is_error]
    assert error.check == "time_tracking_provider_listed"
    assert f"provider {TIMEKEEPER!r} is not one the target site offers (JIRA)" in error.message
    assert fetched(client).spec == {"provider": "JIRA", "options": DEFAULTS}


def test_it_comes_after_the_apps() -> None:
    order = kind_order(["time_tracking"])
    assert order.index("app_property") < order.index("time_tracking")


def test_the_example_validates_and_the_schema_bounds_the_settings() -> None:
    jsonschema.validate(plain(read(EXAMPLE, EXAMPLE.name)), KIND.schema())
    for wrong in ({"workingHoursPerDay": 25}, {"workingDaysPerWeek": 0}, {"timeFormat": "weeks"}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate({"options": {**DEFAULTS, **wrong}}, KIND.schema())
