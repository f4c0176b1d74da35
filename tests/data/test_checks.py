"""The data checks: pure functions over facts gathered before them."""

from __future__ import annotations

from jiracfg.data.checks import DataInputs, not_settable, run_data_checks
from jiracfg.data.facts import DesiredFacts, LiveFacts

ISSUE = {
    "key": "ENG-7",
    "type": "Bug",
    "summary": "Crash",
    "status": "Done",
    "reporter": "ann@example.com",
    "priority": "Highest",
    "fields": {"Team": "Core", "Region": {"value": "EU", "child": "France"}},
    "attachments": [{"filename": "dump.bin", "sha256": "a" * 64, "size": 5000}],
}
META = {
    "summary": {"fieldId": "summary", "name": "Summary", "required": True},
    "customfield_10001": {
        "fieldId": "customfield_10001",
        "name": "Team",
        "required": False,
        "allowedValues": [{"value": "Platform"}],
    },
    "customfield_10002": {"fieldId": "customfield_10002", "name": "Severity", "required": True},
    "customfield_10003": {
        "fieldId": "customfield_10003",
        "name": "Region",
        "allowedValues": [{"value": "EU", "children": [{"value": "Spain"}]}],
    },
    "priority": {"fieldId": "priority", "allowedValues": [{"name": "High"}, {"name": "Low"}]},
}


def inputs(users: set[str], limit: int = 1000, max_live: int = 0) -> DataInputs:
    desired = DesiredFacts()
    desired.max_live["ENG"] = max_live
    desired.add("data/ENG/000/ENG-7.yaml", ISSUE, create=True)
    desired.no_path.append(("data/ENG/000/ENG-7.yaml", "ENG-7", "To Do", "Done", True))
    live = LiveFacts({("ENG", "Bug"): META}, users, True, limit)
    ids = {"Team": "customfield_10001", "Severity": "customfield_10002"}
    ids["Region"] = "customfield_10003"
    return DataInputs(desired, live, ids, {})


def by_check(data: DataInputs) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for problem in run_data_checks(data):
        out.setdefault(problem.check, []).append(f"{problem.severity}: {problem.message}")
    return out


def test_every_refusal_is_found_before_any_write() -> None:
    found = by_check(inputs({"bob@example.com"}, max_live=9))
    assert found["required_fields_given"] == [
        "error: 1 Bug issue(s) of ENG have no value for 'Severity', required on the target's "
        "create screen: data/ENG/000/ENG-7.yaml"
    ]
    assert "'Region' = 'EU → France' is not an option" in found["options_exist"][0]
    assert "'Team' = 'Core' is not an option" in found["options_exist"][1]
    assert found["priorities_offered"] == [
        "error: data/ENG/000/ENG-7.yaml: priority 'Highest' is not offered to ENG Bug issues on "
        "the target (its priority scheme has High, Low)"
    ]
    assert "user 'ann@example.com' does not exist" in found["users_exist"][0]
    assert "no transition path leads ENG-7 from To Do to 'Done'" in found["statuses_reachable"][0]
    assert "over the target's limit of 1000 bytes" in found["attachments_fit"][0]
    assert found["keys_preserved"][0].startswith("warning: 1 issue(s) of ENG cannot keep")


def test_a_user_map_and_a_clean_target_pass() -> None:
    data = inputs({"ann@corp.example"}, limit=10_000)
    data = DataInputs(
        data.desired, data.live, data.field_ids, {"ann@example.com": "ann@corp.example"}
    )
    data.desired.no_path.clear()
    found = by_check(data)
    assert "users_exist" not in found and "attachments_fit" not in found
    assert "keys_preserved" not in found


def test_an_update_checks_only_the_values_it_writes() -> None:
    desired = DesiredFacts()
    desired.add("data/ENG/000/ENG-7.yaml", ISSUE, create=False, changed={"summary"})
    assert desired.options == {} and desired.priorities == {}
    desired.add("data/ENG/000/ENG-7.yaml", ISSUE, create=False, changed={"priority", "fields.Team"})
    assert desired.priorities == {("ENG", "Bug"): {"Highest": "data/ENG/000/ENG-7.yaml"}}
    assert list(desired.options) == [("ENG", "Bug", "Team")]


def screens_inputs(allowed: frozenset[str] = frozenset()) -> DataInputs:
    """ENG Bug: the create screen (create metadata) has Summary and Team; the edit screen (from
    the configuration) Team and Region. OPS is made by the same apply: no create metadata yet,
    its create screen comes from the configuration."""
    desired = DesiredFacts()
    desired.add("data/ENG/000/ENG-7.yaml", ISSUE, create=True)
    desired.add("data/ENG/000/ENG-8.yaml", {**ISSUE, "key": "ENG-8"}, False, {"summary"})
    desired.add("data/OPS/000/OPS-1.yaml", {**ISSUE, "key": "OPS-1"}, create=True)
    live = LiveFacts({("ENG", "Bug"): META, ("OPS", "Bug"): None}, set(), True, 0)
    live.edit_screens = {
        ("ENG", "Bug"): frozenset({"customfield_10001", "customfield_10003"}),
        ("OPS", "Bug"): frozenset({"summary"}),
    }
    live.create_screens = {("OPS", "Bug"): frozenset({"summary", "priority", "customfield_10001"})}
    live.me, live.default_priorities = frozenset({"ann@example.com"}), {"ENG": "Highest"}
    ids = {"Team": "customfield_10001", "Region": "customfield_10003"}
    names = {"customfield_10001": "Team", "customfield_10003": "Region"}
    return DataInputs(desired, live, ids, {}, allowed, names)


def test_values_no_screen_takes_are_refused_until_their_loss_is_allowed() -> None:
    found = [p for p in run_data_checks(screens_inputs()) if p.check == "values_settable"]
    assert [(p.severity, p.address) for p in found] == [
        ("error", "unsettable/summary"),
        ("error", "unsettable/Region"),
    ]
    assert found[0].message.startswith("1 Bug issue(s) of ENG give 'summary'")
    assert "data/ENG/000/ENG-8.yaml (update)" in found[0].message  # an update: the edit screen
    assert "OPS" in found[1].message and "data/OPS/000/OPS-1.yaml (create)" in found[1].message
    # ENG-7's Region is on the edit screen, its reporter and priority are what Jira gives anyway
    allowed = screens_inputs(frozenset({"unsettable/Region"}))
    severities = {p.address: p.severity for p in run_data_checks(allowed)}
    assert severities["unsettable/Region"] == "warning"
    assert not_settable(allowed) == {"OPS-1": ["customfield_10003"]}
    # consent to a config change destroying Region's values is not consent to this loss
    other = screens_inputs(frozenset({"custom_field/Region"}))
    assert {p.address: p.severity for p in run_data_checks(other)}["unsettable/Region"] == "error"
    assert not_settable(other) == {}


def test_a_stand_in_sub_task_is_judged_as_the_type_it_is_created_as() -> None:
    """ENG-3 is a sub-task under ENG-7, created later: it is created as a Task (its create
    screen lacks Team and requires Severity), then moved; the Sub-task edit screen lacks Team."""
    desired = DesiredFacts()
    desired.max_live["ENG"] = 2
    sub = {"key": "ENG-3", "type": "Sub-task", "summary": "s", "parent": "ENG-7"}
    desired.add("data/ENG/000/ENG-3.yaml", {**sub, "fields": {"Team": "Core"}}, create=True)
    desired.add("data/ENG/000/ENG-4.yaml", {**sub, "key": "ENG-4", "parent": "ENG-1"}, True)
    assert desired.waiting == {("ENG", "Sub-task"): ["ENG-3"]}  # ENG-1 is made first
    task = {"customfield_10002": {"name": "Severity", "required": True}}
    subtask = {"customfield_10001": META["customfield_10001"]}
    live = LiveFacts({("ENG", "Sub-task"): subtask, ("ENG", "Task"): task}, set(), True, 0)
    live.edit_screens = {("ENG", "Sub-task"): frozenset({"summary"})}
    live.stand_ins = {"ENG-3": "Task"}
    ids = {"Team": "customfield_10001", "Severity": "customfield_10002"}
    found = by_check(DataInputs(desired, live, ids, {}, names={"customfield_10001": "Team"}))
    assert found["values_settable"] == [
        "error: 1 Sub-task issue(s) of ENG give 'Team', which the target cannot set: it is on "
        "neither the create nor the edit screen of ENG Sub-task issues, or their field "
        "configuration hides it: data/ENG/000/ENG-3.yaml (create as Task, then moved)"
    ]
    assert found["required_fields_given"] == [
        "error: 1 Task issue(s) of ENG have no value for 'Severity', required on the target's "
        "create screen: data/ENG/000/ENG-3.yaml"
    ]


def test_a_field_the_same_apply_creates_is_judged_by_the_configurations_screens() -> None:
    """ENG exists on the target, Legacy and Gone do not: the configuration's create screen has
    Legacy (the apply creates the field and puts it there); nothing has Gone."""
    desired = DesiredFacts()
    spec = {**ISSUE, "fields": {"Legacy": "L-1", "Gone": "x"}}
    desired.add("data/ENG/000/ENG-7.yaml", spec, create=True)
    live = LiveFacts({("ENG", "Bug"): META}, set(), True, 0)
    live.edit_screens = {("ENG", "Bug"): frozenset()}
    live.create_screens = {("ENG", "Bug"): frozenset({"summary", "name:Legacy"})}
    live.me, live.default_priorities = frozenset({"ann@example.com"}), {"ENG": "Highest"}
    found = [p for p in run_data_checks(DataInputs(desired, live, {}, {})) if p.is_error]
    assert [p.address for p in found if p.check == "values_settable"] == ["unsettable/Gone"]
