"""Time tracking configuration: Jira's provider on a new site, an installed time tracking app's
provider listed (not selected) at install, choosing a provider, and the shared settings."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from jiracfg.sandbox.routes import apps
from tests.conftest import Api, StartSandbox, seeded_store

PATH = "/configuration/timetracking"
JIRA = {"key": "JIRA", "name": "JIRA provided time tracking"}
TIMEKEEPER = {"key": "com.example.timekeeper__timekeeper-time-tracking", "name": "Timekeeper"}


@pytest.fixture
def with_apps(start_sandbox: StartSandbox) -> Iterator[Api]:
    store = seeded_store("empty")
    apps.seed_demo_apps(store)
    client = Api(start_sandbox("empty", store=store))
    yield client
    client.http.close()


def test_a_new_site_tracks_time_with_jira_eight_hour_days(api: Api) -> None:
    assert api.checked("GET", PATH, 200) == JIRA
    assert api.checked("GET", PATH + "/list", 200) == [JIRA]
    assert api.checked("GET", PATH + "/options", 200) == {
        "workingHoursPerDay": 8.0,
        "workingDaysPerWeek": 5.0,
        "timeFormat": "pretty",
        "defaultUnit": "minute",
    }


def test_an_installed_time_tracking_app_is_listed_chosen_by_an_admin_and_swapped(
    with_apps: Api,
) -> None:
    assert with_apps.checked("GET", PATH, 200) == JIRA  # installing it does not select it
    assert with_apps.checked("GET", PATH + "/list", 200) == [JIRA, TIMEKEEPER]
    with_apps.checked("PUT", PATH, 204, json={"key": TIMEKEEPER["key"]})
    assert with_apps.checked("GET", PATH, 200) == TIMEKEEPER
    with_apps.checked("PUT", PATH, 204, json={"key": "JIRA"})
    assert with_apps.checked("GET", PATH, 200) == JIRA
    body = with_apps.error("PUT", PATH, 400, json={"key": "com.example.gone__tracking"})
    assert body["errorMessages"] == [
        "Time tracking provider with key 'com.example.gone__tracking' not found."
    ]
    assert with_apps.checked("GET", PATH, 200) == JIRA


def test_settings_are_set_whole_and_checked(api: Api) -> None:
    wanted = {
        "workingHoursPerDay": 7.6,
        "workingDaysPerWeek": 5.5,
        "timeFormat": "hours",
        "defaultUnit": "hour",
    }
    assert api.checked("PUT", PATH + "/options", 200, json=wanted) == wanted
    assert api.checked("GET", PATH + "/options", 200) == wanted
    wrong = {**wanted, "workingHoursPerDay": 25, "timeFormat": "weeks"}
    errors = api.error("PUT", PATH + "/options", 400, json=wrong)["errors"]
    assert set(errors) == {"workingHoursPerDay", "timeFormat"}
    missing = {k: v for k, v in wanted.items() if k != "defaultUnit"}
    assert "defaultUnit" in api.error("PUT", PATH + "/options", 400, json=missing)["errors"]
    assert api.checked("GET", PATH + "/options", 200) == wanted
