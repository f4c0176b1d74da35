"""Edits Jira would refuse mid-apply (or that would lose data) are refused by ``plan`` and
``apply`` through the CLI: exit 1, the object, its file and line, a hint, and no write at all."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from jiracfg.sandbox.store import Store
from tests.e2e.conftest import Jiracfg
from tests.e2e.test_edits import converge, edit, jira

Setup = Callable[[Jiracfg], None]


def state(store: Store) -> list[tuple[Any, ...]]:
    """Every document and id counter of the sandbox."""
    docs = store.db.execute("SELECT coll, id, parent, seq, body FROM docs ORDER BY coll, id")
    counters = store.db.execute("SELECT name, value FROM counters ORDER BY name")
    return [*docs.fetchall(), *counters.fetchall()]


def refused(run: Jiracfg, *flags: str) -> str:
    """The plan's output; plan and apply both exit 1 and the sandbox is left untouched."""
    before = state(run.server.store)
    plan = run("plan", *flags, expect=1)
    run("apply", "--auto-approve", *flags, expect=1)
    assert state(run.server.store) == before
    assert "hint:" in plan.output
    return plan.output


def option(field: str, context: str, change: Callable[[list[dict[str, Any]]], object]) -> Setup:
    def options(spec: dict[str, Any]) -> None:
        change(next(c for c in spec["contexts"] if c["name"] == context)["options"])

    return lambda run: edit(run.repo, f"custom-fields/{field}.yaml", options)


def set_issue(key: str, field_name: str, value: dict[str, str]) -> Setup:
    def setup(run: Jiracfg) -> None:
        field = next(f["id"] for f in run.server.store.all("field") if f["name"] == field_name)
        with jira(run) as http:
            http.put(f"/issue/{key}", json={"fields": {field: value}}).raise_for_status()

    return setup


def bug_key(run: Jiracfg) -> str:
    with jira(run) as http:
        found = http.post(
            "/search/jql", json={"jql": "project = ENG AND issuetype = Bug", "fields": ["key"]}
        ).json()
    return str(found["issues"][0]["key"])


def lead(run: Jiracfg) -> None:
    edit(run.repo, "projects/eng.yaml", lambda p: p.update(lead="newbie@acme.example"))


def group(run: Jiracfg) -> None:
    edit(
        run.repo,
        "permission-schemes/engineering-permissions.yaml",
        lambda s: s["grants"]["BROWSE_PROJECTS"].append("group:ghosts"),
    )


def project_type(run: Jiracfg) -> None:
    edit(run.repo, "projects/eng.yaml", lambda p: p.update(type="business"))


def workflow_rename(run: Jiracfg) -> None:
    edit(
        run.repo,
        "workflows/content-flow.yaml",
        lambda w: w.update(name="Content Pipeline", renamed_from="Content Flow"),
    )


def used_option(run: Jiracfg) -> None:
    set_issue(bug_key(run), "Severity", {"value": "Minor"})(run)
    option("severity", "Bug severity", lambda o: o.pop())(run)


def used_priority(run: Jiracfg) -> None:
    set_issue("ENG-1", "Priority", {"name": "Low"})(run)
    (run.repo / "priorities" / "low.yaml").unlink()


def unaliased(run: Jiracfg) -> None:
    edit(run.repo, "custom-fields/team-select-2.yaml", lambda f: f.pop("alias"))


CASES: dict[str, tuple[Setup, tuple[str, ...], list[str]]] = {
    "unknown user": (
        lead,
        (),
        ["projects/eng.yaml:", "project/ENG", "'newbie@acme.example'", "invite the user"],
    ),
    "unknown group": (
        group,
        (),
        ["permission-schemes/engineering-permissions.yaml:", "'ghosts'", "create the group"],
    ),
    "project type": (project_type, (), ["projects/eng.yaml:", "software -> business"]),
    "workflow rename": (
        workflow_rename,
        (),
        ["workflows/content-flow.yaml:", "no REST call to rename", "workflow editor"],
    ),
    "used option": (
        used_option,
        (),
        [
            "custom-fields/severity.yaml:",
            "issue(s) still use option 'Minor' of field 'Severity'",  # seeded ones too
            "disabled: true",
        ],
    ),
    "option of a shared name": (
        option("team-select", "Engineering teams", lambda o: o.pop()),
        (),
        [
            "custom-fields/team-select.yaml:",
            "could not count",
            "option 'Data' of field 'Team'",
            "unique name",
        ],
    ),
    "used priority": (
        used_priority,
        ("--prune",),
        ["issue(s) still use priority 'Low'", "another priority"],
    ),
    "unaliased namesake": (
        unaliased,
        (),
        ["custom-fields/team-select-2.yaml:", "alias: Team [select] 2"],
    ),
}


def check_refused(run: Jiracfg, case: tuple[Setup, tuple[str, ...], list[str]]) -> None:
    """After ``setup``, plan and apply refuse with every ``expected`` text and write nothing."""
    setup, flags, expected = case
    setup(run)
    output = refused(run, *flags)
    missing = [text for text in expected if text not in output]
    assert not missing, output


@pytest.mark.parametrize("case", sorted(CASES))
def test_refused_before_any_write(exported_demo: Jiracfg, case: str) -> None:
    check_refused(exported_demo, CASES[case])


def test_an_option_renamed_in_place_keeps_its_issues(exported_demo: Jiracfg) -> None:
    """A changed value alone is a removal (refused while used); ``renamed_from`` renames the same
    option, and the plan says how many issues will show the new value."""
    key = bug_key(exported_demo)
    set_issue(key, "Severity", {"value": "Minor"})(exported_demo)
    with jira(exported_demo) as http:
        minor = http.post("/search/approximate-count", json={"jql": '"Severity" = "Minor"'})
    assert minor.json()["count"] >= 1  # the demo's own issues use it too
    minor_id = str(_held(exported_demo, key, "Severity")["id"])
    option("severity", "Bug severity", lambda o: o[-1].update(value="Trivial"))(exported_demo)
    output = refused(exported_demo)
    n = minor.json()["count"]
    assert f"{n} issue(s) still use option 'Minor'" in output and "renamed_from: Minor" in output
    option("severity", "Bug severity", lambda o: o[-1].update(renamed_from="Minor"))(exported_demo)
    plan = exported_demo("plan", expect=0).output
    assert f"{n} issue(s) holding option 'Minor' of field 'Severity' will hold 'Trivial'" in plan
    assert "renamed in place" in plan
    converge(exported_demo, ["update field_context/Severity/Bug severity"])
    with jira(exported_demo) as http:
        counted = http.post("/search/approximate-count", json={"jql": '"Severity" = "Trivial"'})
    assert counted.json()["count"] == minor.json()["count"]
    held = _held(exported_demo, key, "Severity")
    assert held["value"] == "Trivial" and str(held["id"]) == minor_id


def test_a_replaced_option_moves_its_issues(exported_demo: Jiracfg) -> None:
    key = bug_key(exported_demo)
    set_issue(key, "Severity", {"value": "Minor"})(exported_demo)

    def merge(options: list[dict[str, Any]]) -> None:
        options.pop()
        options[-1]["replaces"] = ["Minor"]  # Major takes over Minor's issues

    option("severity", "Bug severity", merge)(exported_demo)
    plan = exported_demo("plan", expect=0).output
    assert "option 'Minor' of field 'Severity' will hold 'Major' (replaced by it" in plan
    converge(exported_demo, ["update field_context/Severity/Bug severity"])
    assert _held(exported_demo, key, "Severity")["value"] == "Major"
    assert "Minor" not in {o["value"] for o in exported_demo.server.store.all("field_option")}


def _held(run: Jiracfg, key: str, name: str) -> dict[str, Any]:
    """The option an issue holds in the custom field ``name`` (``{id, value}``)."""
    field = next(f["id"] for f in run.server.store.all("field") if f["name"] == name)
    with jira(run) as http:
        held: dict[str, Any] = http.get(f"/issue/{key}").json()["fields"][field]
    return held
