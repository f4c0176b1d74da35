"""Values the target cannot set, judged by the plan against the configuration the apply makes:
custom fields the same apply creates, sub-tasks created as stand-ins (their parent comes later),
the project's priority scheme (its default and its priorities), end to end through the CLI on a
rebuild into a fresh site."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import StartSandbox
from tests.e2e.conftest import BuiltSite, Jiracfg
from tests.e2e.test_data import PROJECT, enriched_export, issue_files, jira, keys_of
from tests.e2e.test_links import linked_export

FIELD = "Legacy ref"
LOSS = f"allow_data_loss: [unsettable/{FIELD}]"


@pytest.fixture
def data_demo(built_site: BuiltSite) -> Jiracfg:
    """The demo's MKT issues in git (as ``tests/e2e/test_data.py`` has them)."""
    return built_site("data demo", enriched_export)


@pytest.fixture
def linked(built_site: BuiltSite) -> Jiracfg:
    """MKT with sub-tasks, MKT-42 under MKT-43 among them (as ``tests/e2e/test_links.py``)."""
    return built_site("linked demo", linked_export)


def add_text_field(repo: Path, name: str = FIELD) -> None:
    """A text custom field in the repo (global context), on no screen: the site gets it from
    the apply."""
    spec = {"name": name, "type": "textfield", "contexts": [{"name": f"{name} context"}]}
    path = repo / "custom-fields" / f"{name.lower().replace(' ', '-')}.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")


def edit_issue(path: Path, **changes: Any) -> None:
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    for key, value in changes.items():
        if key == "fields":
            spec.setdefault("fields", {}).update(value)
        else:
            spec[key] = value
    path.write_text(yaml.safe_dump(spec, sort_keys=False, allow_unicode=True), encoding="utf-8")


def planned_problems(run: Jiracfg, check: str, expect: int | None) -> list[dict[str, Any]]:
    output = run("plan", "--format", "json", expect=expect).output
    plan = json.JSONDecoder().raw_decode(output)[0]  # errors follow on stderr
    return [p for p in plan["problems"] if p["check"] == check]


def test_a_field_the_same_apply_creates_is_judged_by_the_repos_screens(
    data_demo: Jiracfg, start_sandbox: StartSandbox
) -> None:
    """A rebuild into an empty site creates every custom field: a value for one that the
    repo's screens of MKT Tasks lack is a plan error (was: judged only by the apply's second
    plan, after the configuration writes), and an accepted loss once jiracfg.yaml allows it."""
    add_text_field(data_demo.repo)
    edited = issue_files(data_demo.repo)[0]
    edit_issue(edited, fields={FIELD: "L-1"})
    target = data_demo.with_server(start_sandbox("fresh"))
    (found,) = planned_problems(target, "values_settable", expect=1)
    assert found["severity"] == "error" and f"{edited.name} (create)" in found["message"]
    assert f"'{FIELD}'" in found["message"] and LOSS in found["hint"], found
    target("apply", "--auto-approve", expect=1)
    with jira(target.server) as api:
        assert api.get(f"/project/{PROJECT}").status_code == 404  # zero writes
    settings = data_demo.repo / "jiracfg.yaml"
    settings.write_text(settings.read_text() + LOSS + "\n", encoding="utf-8")
    (found,) = planned_problems(target, "values_settable", expect=None)
    assert found["severity"] == "warning" and "not restored" in found["message"], found
    result = target("apply", "--auto-approve")
    assert "1  field values on neither the create nor the edit screen" in result.output, (
        result.output
    )
    with jira(target.server) as api:
        assert len(keys_of(api, PROJECT)) == len(issue_files(data_demo.repo))


def edit_yaml(path: Path, change: Any) -> None:
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(spec)
    path.write_text(yaml.safe_dump(spec, sort_keys=False, allow_unicode=True), encoding="utf-8")


def priorities_of(api: Any, project: str) -> dict[str, str]:
    body = {"jql": f"project = {project}", "fields": ["priority"], "maxResults": 500}
    found = api.post("/search/jql", json=body).json()["issues"]
    return {i["key"]: i["fields"]["priority"]["name"] for i in found}


def test_a_create_without_priority_gets_its_projects_scheme_default(
    data_demo: Jiracfg, start_sandbox: StartSandbox
) -> None:
    """MKT's priority scheme defaults to Low in the repo, the site's default priority is
    Medium, and no MKT screen has Priority: a create gets Low (Jira Cloud gives a create its
    project's scheme's default), so a file saying Low plans clean and keeps it, and one saying
    Medium cannot be restored (was: the reverse, judged by the site's default)."""
    repo = data_demo.repo
    edit_yaml(
        repo / "priority-schemes" / "marketing-priorities.yaml",
        lambda s: s.update(default_priority="Low"),
    )
    edit_yaml(
        repo / "screens" / "content-screen.yaml",
        lambda s: s["tabs"][0]["fields"].remove("Priority"),
    )
    files = issue_files(repo)
    for path in files:
        edit_issue(path, priority="Low")
    edit_issue(files[3], priority="Medium")
    target = data_demo.with_server(start_sandbox("fresh"))
    (found,) = planned_problems(target, "values_settable", expect=1)
    assert "'Priority'" in found["message"] and f"{files[3].name} (create)" in found["message"]
    assert found["message"].startswith("1 "), found["message"]
    edit_issue(files[3], priority="Low")
    assert planned_problems(target, "values_settable", expect=0) == []
    result = target("apply", "--auto-approve")
    assert "field values on neither" not in result.output, result.output
    with jira(target.server) as api:
        assert set(priorities_of(api, PROJECT).values()) == {"Low"}


def subtask_screens(repo: Path, *with_field: str) -> None:
    """MKT sub-tasks get their own create and edit screens (a copy of the Content Screen, which
    Tasks, MKT's stand-in type, keep); FIELD is put on the screens named in ``with_field``
    (``Sub-task create``, ``Sub-task edit``, ``Content Screen``), and given in MKT-41 (a
    sub-task under an earlier parent) and MKT-42 (a stand-in)."""
    path = repo / "screens" / "content-screen.yaml"
    content = yaml.safe_load(path.read_text("utf-8"))
    for name in ("Sub-task create", "Sub-task edit", "Content Screen"):
        fields = [*content["tabs"][0]["fields"], *([FIELD] if name in with_field else [])]
        screen = {"name": name, "tabs": [{"name": "Field Tab", "fields": fields}]}
        slug = name.lower().replace(" ", "-")
        (repo / "screens" / f"{slug}.yaml").write_text(yaml.safe_dump(screen), "utf-8")
    screens = {"default": "Sub-task edit", "create": "Sub-task create"}
    scheme = {"name": "Sub-task screens", "screens": screens}
    path = repo / "screen-schemes" / "sub-task-screens.yaml"
    path.write_text(yaml.safe_dump(scheme), "utf-8")
    edit_yaml(
        repo / "issue-type-screen-schemes" / "content-screens.yaml",
        lambda s: s["mappings"].update({"Sub-task": "Sub-task screens"}),
    )
    add_text_field(repo)
    for key in ("MKT-41", "MKT-42"):
        edit_issue(repo / "data" / PROJECT / "000" / f"{key}.yaml", fields={FIELD: key})


def restored(target: Jiracfg, *keys: str) -> None:
    """Apply succeeds, losing no value, and ``keys`` are sub-tasks with their FIELD value."""
    result = target("apply", "--auto-approve")
    assert "field values on neither" not in result.output, result.output
    with jira(target.server) as api:
        field_id = next(f["id"] for f in api.get("/field").json() if f["name"] == FIELD)
        for key in keys:
            found = api.get(f"/issue/{key}", params={"fields": f"{field_id},issuetype"}).json()
            assert found["fields"][field_id] == key, found
            assert found["fields"]["issuetype"]["name"] == "Sub-task", found


def test_a_stand_in_sub_task_is_judged_by_its_stand_in_types_create_screen(
    linked: Jiracfg, start_sandbox: StartSandbox
) -> None:
    """MKT-42 (a sub-task whose parent MKT-43 comes later) is created as a Task, then moved:
    Jira judges its create by the Task create screen, which lacks FIELD, and the edit after
    the move by the sub-task edit screen, which lacks it too: a plan error naming MKT-42 alone
    (MKT-41, under an earlier parent, is created as a sub-task, whose create screen has it).
    Was: judged by the sub-task create screen, a clean plan whose apply lost the value."""
    subtask_screens(linked.repo, "Sub-task create")
    target = linked.with_server(start_sandbox("fresh"))
    (found,) = planned_problems(target, "values_settable", expect=1)
    assert "MKT-42.yaml (create as Task, then moved)" in found["message"], found
    assert "MKT-41" not in found["message"]
    assert found["message"].startswith(f"1 Sub-task issue(s) of MKT give '{FIELD}'"), found


def test_a_stand_in_sub_task_value_is_set_after_its_move(
    linked: Jiracfg, start_sandbox: StartSandbox
) -> None:
    """The same, with FIELD on the sub-task edit screen too: apply sets MKT-42's value by an
    edit once it is a sub-task, so the plan is clean and the value restored."""
    subtask_screens(linked.repo, "Sub-task create", "Sub-task edit")
    target = linked.with_server(start_sandbox("fresh"))
    plan = json.loads(target("plan", "--format", "json").output)
    assert [p for p in plan["problems"] if p["check"] == "values_settable"] == []
    made_as = {c["address"]: (c["after"] or {}).get("created_as") for c in plan["changes"]}
    assert (made_as["issue/MKT-41"], made_as["issue/MKT-42"]) == (None, "Task")  # apply's too
    restored(target, "MKT-41", "MKT-42")


def test_a_stand_in_sub_task_value_the_stand_in_create_takes_is_kept_by_the_move(
    linked: Jiracfg, start_sandbox: StartSandbox
) -> None:
    """FIELD on the Task screens only: MKT-41's value (a sub-task create, then edit) is a plan
    error; MKT-42's is not (was: an error too): its create as a Task takes it, and the move to
    Sub-task keeps it."""
    subtask_screens(linked.repo, "Content Screen")
    target = linked.with_server(start_sandbox("fresh"))
    (found,) = planned_problems(target, "values_settable", expect=1)
    assert "MKT-41.yaml (create)" in found["message"] and "MKT-42" not in found["message"]
    path = linked.repo / "data" / PROJECT / "000" / "MKT-41.yaml"
    edit_yaml(path, lambda s: s["fields"].pop(FIELD))
    assert planned_problems(target, "values_settable", expect=0) == []
    restored(target, "MKT-42")


def test_a_priority_the_repos_scheme_lacks_is_refused_before_the_project_exists(
    data_demo: Jiracfg, start_sandbox: StartSandbox
) -> None:
    """MKT's priority scheme in the repo offers High, Medium and Low; on a rebuild into an
    empty site MKT has no create metadata yet, so the scheme is read from the repo: a file
    naming Highest is a plan error, and nothing is written (was: the apply's second plan
    found it after the configuration writes)."""
    path = issue_files(data_demo.repo)[0]
    edit_issue(path, priority="Highest")
    target = data_demo.with_server(start_sandbox("fresh"))
    (found,) = planned_problems(target, "priorities_offered", expect=1)
    assert path.name in found["message"] and "High, Medium, Low" in found["message"], found
    target("apply", "--auto-approve", expect=1)
    with jira(target.server) as api:
        assert api.get(f"/project/{PROJECT}").status_code == 404  # zero writes


def test_an_option_the_repos_context_lacks_is_refused_before_the_field_exists(
    data_demo: Jiracfg, start_sandbox: StartSandbox
) -> None:
    """The second Team field offers MKT Brand, Growth and Events (its MKT context in the repo);
    on a rebuild into an empty site neither the field nor MKT exist yet, so the context is read
    from the repo: a file naming another option is a plan error, and nothing is written (was:
    the apply's second plan found it after the configuration writes); a disabled option too."""
    path = issue_files(data_demo.repo)[0]
    edit_issue(path, fields={"Team [select] 2": "Nope"})
    target = data_demo.with_server(start_sandbox("fresh"))
    (found,) = planned_problems(target, "options_exist", expect=1)
    assert path.name in found["message"] and "'Nope' is not an option" in found["message"]
    target("apply", "--auto-approve", expect=1)
    with jira(target.server) as api:
        assert api.get(f"/project/{PROJECT}").status_code == 404  # zero writes
    edit_issue(path, fields={"Team [select] 2": "Events"})
    edit_yaml(
        data_demo.repo / "custom-fields" / "team-select-2.yaml",
        lambda s: s["contexts"][1]["options"][2].update(disabled=True),
    )
    (found,) = planned_problems(target, "options_exist", expect=1)
    assert "'Events' is not an option" in found["message"], found


def test_a_field_the_repos_create_screen_requires_is_refused_before_the_project_exists(
    data_demo: Jiracfg, start_sandbox: StartSandbox
) -> None:
    """MKT's create screen in the repo gets FIELD (a field the apply creates), and MKT's field
    configuration requires it: on a rebuild into an empty site the MKT files that lack it are
    a plan error, nothing is written (was: the apply's second plan found it after the
    configuration writes); given in every file, the plan is clean and apply restores them."""
    repo = data_demo.repo
    add_text_field(repo)
    edit_yaml(
        repo / "screens" / "content-screen.yaml", lambda s: s["tabs"][0]["fields"].append(FIELD)
    )
    config = {"name": "Marketing fields", "fields": {FIELD: {"required": True}}}
    (repo / "field-configurations" / "marketing-fields.yaml").write_text(yaml.safe_dump(config))
    scheme = {"name": "Marketing field scheme", "default": "Marketing fields", "issue_types": {}}
    path = repo / "field-configuration-schemes" / "marketing-field-scheme.yaml"
    path.write_text(yaml.safe_dump(scheme), "utf-8")
    edit_yaml(
        repo / "projects" / "mkt.yaml",
        lambda s: s["schemes"].update(field_configuration="Marketing field scheme"),
    )
    files = issue_files(repo)
    for path in files[1:]:
        edit_issue(path, fields={FIELD: path.stem})
    target = data_demo.with_server(start_sandbox("fresh"))
    (found,) = planned_problems(target, "required_fields_given", expect=1)
    assert found["message"].startswith(f"1 Task issue(s) of MKT have no value for '{FIELD}'")
    assert files[0].name in found["message"], found
    target("apply", "--auto-approve", expect=1)
    with jira(target.server) as api:
        assert api.get(f"/project/{PROJECT}").status_code == 404  # zero writes
    edit_issue(files[0], fields={FIELD: files[0].stem})
    assert planned_problems(target, "required_fields_given", expect=0) == []
    target("apply", "--auto-approve")
