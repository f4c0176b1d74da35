from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from jiracfg.client import JiraClient
from jiracfg.errors import ConfigError, UnresolvedReferenceError
from jiracfg.export import export
from jiracfg.kinds import ApplyContext, FetchContext
from jiracfg.kinds.webhook import KIND, PATH, secret_variable
from jiracfg.model import Resource, Snapshot
from jiracfg.plan.planner import make_plan
from jiracfg.render import json_out, markdown, text
from jiracfg.repo.yamlio import plain, read

SECRET = "whsec-do-not-leak-9f1c"
FLOAT = "com.atlassian.jira.plugin.system.customfieldtypes:float"
EXAMPLES = Path(__file__).parents[2] / "examples" / "config" / "webhooks"


def fetched(client: JiraClient) -> dict[str, Resource]:
    return {r.address.key: r for r in KIND.fetch(FetchContext(client))}


def custom_field(client: JiraClient, name: str) -> int:
    made = client.post("/field", {"name": name, "type": FLOAT})
    return int(made["schema"]["customId"])


def raw_hook(client: JiraClient, **extra: Any) -> dict[str, Any]:
    body = {
        "name": "Raw",
        "url": "https://h.example.com/x",
        "events": ["jira:issue_created"],
        **extra,
    }
    made: dict[str, Any] = client.post(PATH, body)
    return made


def test_fetch_normalizes_and_names_custom_fields(client: JiraClient) -> None:
    points = custom_field(client, "Story Points")
    raw_hook(
        client,
        events=["jira:issue_updated", "comment_created"],
        excludeBody=True,
        enabled=False,
        filters={
            "issue-related-events-section": (
                f'project = ENG AND cf[{points}] > 3 AND summary ~ "cf[1]"'
            )
        },
    )
    raw_hook(client, name="Plain")
    hooks = fetched(client)
    assert hooks["Raw"].spec == {
        "name": "Raw",
        "url": "https://h.example.com/x",
        "events": ["comment_created", "jira:issue_updated"],
        "jql": 'project = ENG AND "Story Points" > 3 AND summary ~ "cf[1]"',
        "exclude_body": True,
        "enabled": False,
    }
    assert hooks["Plain"].spec == {
        "name": "Plain",
        "url": "https://h.example.com/x",
        "events": ["jira:issue_created"],
    }
    assert hooks["Raw"].id is not None and hooks["Raw"].id.isdigit()


def test_a_custom_field_name_shared_with_another_field_keeps_its_id(client: JiraClient) -> None:
    first, _ = custom_field(client, "Squad"), custom_field(client, "Squad")
    raw_hook(client, filters={"issue-related-events-section": f"cf[{first}] = 1"})
    assert fetched(client)["Raw"].spec["jql"] == f"cf[{first}] = 1"


def test_webhooks_sharing_a_name_get_an_alias(client: JiraClient) -> None:
    raw_hook(client, name="Twin")
    raw_hook(client, name="Twin", url="https://other.example.com/")
    hooks = fetched(client)
    assert hooks["Twin (2)"].spec["alias"] == "Twin (2)"
    assert hooks["Twin (2)"].meta["duplicate_name"] and not hooks["Twin"].meta["duplicate_name"]


def test_create_round_trips_and_maps_field_names_to_ids(client: JiraClient) -> None:
    points = custom_field(client, "Story Points")
    spec = {
        "name": "Deploy",
        "url": "https://ci.example.com/hook",
        "events": ["jira:issue_created", "jira:issue_updated"],
        "jql": 'project = ENG AND "Story Points" > 3 AND summary ~ "Story Points"',
        "exclude_body": True,
    }
    new_id = KIND.create(ApplyContext(client, Snapshot()), spec)
    raw = client.get(f"{PATH}/{new_id}")
    assert raw["filters"]["issue-related-events-section"] == (
        f'project = ENG AND cf[{points}] > 3 AND summary ~ "Story Points"'
    )
    assert (fetched(client)["Deploy"].spec, fetched(client)["Deploy"].id) == (spec, new_id)


def test_update_changes_every_field(client: JiraClient) -> None:
    raw_hook(client, excludeBody=True, filters={"issue-related-events-section": "project = A"})
    live = fetched(client)["Raw"]
    spec = {
        "name": "Renamed",
        "renamed_from": "Raw",
        "url": "http://new.example.com/y",
        "events": ["sprint_started"],
        "jql": "project = B",
        "enabled": False,
    }
    KIND.update(ApplyContext(client, Snapshot([live])), live, spec)
    assert fetched(client)["Renamed"].spec == {k: v for k, v in spec.items() if k != "renamed_from"}
    KIND.update(
        ApplyContext(client, Snapshot([live])),
        live,
        {"name": "Renamed", "url": "http://new.example.com/y", "events": []},
    )
    assert fetched(client)["Renamed"].spec == {"name": "Renamed", "url": "http://new.example.com/y"}


def test_delete_removes_the_webhook(client: JiraClient) -> None:
    raw_hook(client)
    KIND.delete(ApplyContext(client, Snapshot()), fetched(client)["Raw"])
    assert fetched(client) == {}


def test_ambiguous_field_name_is_refused_at_apply(client: JiraClient) -> None:
    custom_field(client, "Squad")
    custom_field(client, "Squad")
    with pytest.raises(UnresolvedReferenceError, match="names 2 custom fields"):
        KIND.create(
            ApplyContext(client, Snapshot()),
            {"name": "X", "url": "https://h.example.com/", "events": [], "jql": '"Squad" = 1'},
        )


def test_missing_secret_variable_is_refused_naming_it(
    client: JiraClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("JIRACFG_WEBHOOK_SECRET_DEPLOY", raising=False)
    spec = {
        "name": "Deploy",
        "url": "https://h.example.com/",
        "events": [],
        "secret": {"env": "JIRACFG_WEBHOOK_SECRET_DEPLOY"},
    }
    with pytest.raises(ConfigError, match="JIRACFG_WEBHOOK_SECRET_DEPLOY"):
        KIND.create(ApplyContext(client, Snapshot()), spec)
    assert fetched(client) == {}


def test_secret_is_sent_but_never_exported_or_planned(
    client: JiraClient, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    variable = secret_variable("Deploy hook")
    assert variable == "JIRACFG_WEBHOOK_SECRET_DEPLOY_HOOK"
    monkeypatch.setenv(variable, SECRET)
    spec = {
        "name": "Deploy hook",
        "url": "https://h.example.com/",
        "events": ["jira:issue_created"],
        "secret": {"env": variable},
    }
    KIND.create(ApplyContext(client, Snapshot()), spec)
    export(client, tmp_path, ["webhook"])
    files = "".join(p.read_text() for p in tmp_path.rglob("*") if p.is_file())
    hooks = "".join(p.read_text() for p in (tmp_path / "webhooks").glob("*.yaml"))
    assert "Deploy hook" in hooks and "secret" not in hooks and SECRET not in files
    desired = Snapshot([KIND.resource(spec)])
    plan, _ = make_plan(client, desired)
    assert plan.changes == []
    changed = {**spec, "events": ["jira:issue_created", "jira:issue_deleted"]}
    plan, _ = make_plan(client, Snapshot([KIND.resource(changed)]))
    shown = [render(plan.to_dict()) for render in (text.render, markdown.render, json_out.render)]
    assert len(plan.changes) == 1 and variable in json.dumps(plan.to_dict())
    assert all(SECRET not in out for out in shown)


def test_examples_validate_against_the_schema() -> None:
    paths = sorted(EXAMPLES.glob("*.yaml"))
    assert paths
    for path in paths:
        jsonschema.validate(plain(read(path, path.name)), KIND.schema())
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(
            {"name": "x", "url": "u", "events": [], "secret": "plain"}, KIND.schema()
        )
