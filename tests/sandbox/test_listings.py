"""The read-only lists the export's inventory counts, validated against the specs."""

from __future__ import annotations

from tests.conftest import Api


def test_a_new_site_has_no_filters_or_boards(api: Api) -> None:
    assert api.checked("GET", "/filter/search", 200)["total"] == 0
    assert api.checked("GET", "/rest/agile/1.0/board", 200)["values"] == []


def test_every_site_has_the_system_dashboard(api: Api) -> None:
    found = api.checked("GET", "/dashboard/search", 200, params={"maxResults": 1})
    assert found["total"] == 1 and found["isLast"]
    assert found["values"][0]["systemDashboard"] is True
