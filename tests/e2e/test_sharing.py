"""Filters (and dashboards) through the CLI against live demo sandboxes: the demo's shared
searches rebuild into a fresh site (owners, shares, JQL with custom fields by name), edits
converge, a faulty rebuild converges without duplicates, and what Jira would refuse is refused by
the plan before any write."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from jiracfg.demo import tree_differences
from jiracfg.sandbox.store import Store
from tests.conftest import StartSandbox
from tests.e2e.conftest import Jiracfg
from tests.e2e.test_edits import converge, edit, jira
from tests.e2e.test_rebuild import rebuild_under_faults
from tests.e2e.test_refusals import Setup, check_refused

FILTER = "filters/open-eng-bugs-alice-acme-example.yaml"
SEVERE = "filters/severe-incidents.yaml"
OVERVIEW = "dashboards/engineering-overview.yaml"


def filters(store: Store) -> dict[tuple[str, str], dict[str, Any]]:
    """The site's filters by (name, owner account id)."""
    return {(d["name"], d["owner"]): d for d in store.all("filter")}


def test_filters_rebuild_with_owners_shares_and_field_names(
    exported_demo: Jiracfg, start_sandbox: StartSandbox, tmp_path: Path
) -> None:
    target = exported_demo.with_server(start_sandbox("fresh"))
    target("apply", "--auto-approve")
    assert target.plan_changes() == []
    rebuilt = filters(target.server.store)
    assert set(rebuilt) == set(filters(exported_demo.server.store))
    big = rebuilt[("Big stories", "557058:bob")]
    points = next(f for f in target.server.store.all("field") if f["name"] == "Story Points")
    assert f"cf[{points['schema']['customId']}] > 5" in big["jql"]
    assert [p["type"] for p in big["share"]] == ["loggedin"]
    again = Jiracfg(target.server, tmp_path / "again")
    again("export")
    for folder in ("filters", "dashboards"):
        assert tree_differences(exported_demo.repo / folder, again.repo / folder) == []
    assert gadget_filters(target.server.store) == {
        "Open bugs": f"filter-{rebuilt[('Open ENG bugs', '557058:alice')]['id']}",
        "Incidents by status": int(rebuilt[("Severe incidents", "557058:carol")]["id"]),
        "Big stories by assignee": f"filter-{big['id']}",
    }


def gadget_filters(store: Store) -> dict[str, Any]:
    """Each gadget's title -> the filter id its config property holds."""
    found = {}
    for gadget in store.all("gadget"):
        parent = store.parent_of("gadget", gadget["id"])
        config = store.get("dashboard_item_property", f"{parent}/{gadget['id']}/config")
        if config is not None:
            found[gadget["title"]] = config["value"]["filterId"]
    return found


def test_a_rebuild_under_faults_converges_without_duplicate_filters(
    exported_demo: Jiracfg, start_sandbox: StartSandbox
) -> None:
    server = rebuild_under_faults(exported_demo, start_sandbox, 0.1, 7)
    made = [(d["name"], d["owner"]) for d in server.store.all("filter")]
    assert sorted(made) == sorted(filters(exported_demo.server.store))  # each once
    boards = [d["name"] for d in server.store.all("dashboard") if not d.get("system")]
    assert sorted(boards) == ["Engineering overview", "Support desk"]
    assert len(server.store.all("gadget")) == 4


def test_gadgets_move_and_show_another_filter(exported_demo: Jiracfg) -> None:
    def change(spec: dict[str, Any]) -> None:
        pie = next(g for g in spec["gadgets"] if g["title"] == "Big stories by assignee")
        pie["properties"]["config"]["filterId"]["filter"] = "Severe incidents"
        pie["position"] = {"column": 0, "row": 2}
        spec["description"] = "Reshuffled"

    edit(exported_demo.repo, OVERVIEW, change)
    converge(exported_demo, ["update dashboard/Engineering overview"])
    severe = filters(exported_demo.server.store)[("Severe incidents", "557058:carol")]
    assert gadget_filters(exported_demo.server.store)["Big stories by assignee"] == (
        f"filter-{severe['id']}"
    )


def test_edit_share_jql_and_owner_of_another_users_filter(exported_demo: Jiracfg) -> None:
    def change(spec: dict[str, Any]) -> None:
        spec["jql"] = 'project = SUP AND "Story Points" > 3'
        spec["share"] = ["group:engineering", "project:ENG/role:Administrators"]
        spec["owner"] = "bob@acme.example"

    edit(exported_demo.repo, SEVERE, change)
    converge(exported_demo, ["update filter/Severe incidents"])
    found = filters(exported_demo.server.store)[("Severe incidents", "557058:bob")]
    assert found["jql"].startswith("project = SUP AND cf[")
    assert {p["type"] for p in found["share"]} == {"group", "project"}


def test_a_namesake_changes_owner_by_its_alias(exported_demo: Jiracfg) -> None:
    def change(spec: dict[str, Any]) -> None:
        spec["owner"] = "erin@acme.example"
        spec["alias"] = "Open ENG bugs (erin@acme.example)"
        spec["renamed_from"] = "Open ENG bugs (dan@acme.example)"

    edit(exported_demo.repo, "filters/open-eng-bugs-dan-acme-example.yaml", change)
    converge(exported_demo, ["update filter/Open ENG bugs (erin@acme.example)"])
    assert ("Open ENG bugs", "557058:erin") in filters(exported_demo.server.store)


def test_a_new_filter_and_a_deleted_dashboard(exported_demo: Jiracfg) -> None:
    repo = exported_demo.repo
    (repo / "filters" / "mine.yaml").write_text(
        "name: Mine\nowner: erin@acme.example\njql: project = MKT\n", encoding="utf-8"
    )
    (repo / "dashboards" / "support-desk.yaml").unlink()
    converge(
        exported_demo,
        ["create filter/Mine", "delete dashboard/Support desk"],
        "--prune",
    )
    store = exported_demo.server.store
    assert ("Mine", "557058:erin") in filters(store)
    assert "Support desk" not in {d["name"] for d in store.all("dashboard")}


def share(text: str) -> Setup:
    return lambda run: edit(run.repo, FILTER, lambda s: s["share"].append(text))


def same_owner(run: Jiracfg) -> None:
    edit(
        run.repo,
        "filters/open-eng-bugs-dan-acme-example.yaml",
        lambda s: s.update(owner="alice@acme.example"),
    )


CASES: dict[str, tuple[Setup, tuple[str, ...], list[str]]] = {
    "unknown group": (share("group:ghosts"), (), [FILTER + ":", "'ghosts'"]),
    "unknown user": (share("user:newbie@acme.example"), (), [FILTER + ":", "invite the user"]),
    "unknown project": (share("project:NOPE"), (), [FILTER + ":", "'NOPE'"]),
    "unknown owner": (
        lambda run: edit(run.repo, FILTER, lambda s: s.update(owner="newbie@acme.example")),
        (),
        [FILTER + ":", "'newbie@acme.example'"],
    ),
    "misspelt field": (
        lambda run: edit(run.repo, FILTER, lambda s: s.update(jql='"Story Poonts" > 3')),
        (),
        [FILTER + ":", "'Story Poonts'", "did you mean 'Story Points'"],
    ),
    "same name and owner": (same_owner, (), ["filters/open-eng-bugs-dan", "name and owner"]),
    "unknown filter on a gadget": (
        lambda run: edit(run.repo, OVERVIEW, gadget_filter("Big storys")),
        (),
        [OVERVIEW + ":17", "filter/Big storys", "does not exist"],
    ),
    "gadget rows with a gap": (
        lambda run: edit(run.repo, OVERVIEW, lambda s: s["gadgets"][1]["position"].update(row=3)),
        (),
        [OVERVIEW + ":", "no gap or overlap"],
    ),
    "unknown dashboard group": (
        lambda run: edit(run.repo, OVERVIEW, lambda s: s["share"].append("group:ghosts")),
        (),
        [OVERVIEW + ":", "'ghosts'"],
    ),
}


def gadget_filter(name: str) -> Callable[[dict[str, Any]], None]:
    def change(spec: dict[str, Any]) -> None:
        spec["gadgets"][0]["properties"]["config"]["filterId"]["filter"] = name

    return change


@pytest.mark.parametrize("case", sorted(CASES))
def test_refused_before_any_write(exported_demo: Jiracfg, case: str) -> None:
    check_refused(exported_demo, CASES[case])


def test_filters_are_owner_scoped_yet_all_exported(exported_demo: Jiracfg) -> None:
    with jira(exported_demo) as http:
        seen = http.get("/filter/search").json()["total"]
    exported = len(list((exported_demo.repo / "filters").glob("*.yaml")))
    assert seen < exported == len(exported_demo.server.store.all("filter"))


def test_validate_names_an_unknown_gadget_filter_with_a_guess(exported_demo: Jiracfg) -> None:
    edit(exported_demo.repo, OVERVIEW, gadget_filter("Big storys"))
    output = exported_demo("validate", expect=1).output
    assert OVERVIEW + ":17" in output and "did you mean 'Big stories'" in output
