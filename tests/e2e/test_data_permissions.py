"""The permissions an apply of issue data needs are a plan check (``permissions_granted``): with a
permission taken out of the project's permission scheme (on the site, and exported), ``plan``
stops with an error naming the project, the permission and the count, and ``apply`` writes
nothing; with it granted again in the repo's scheme, the plan judges by the configuration it
applies first, and both pass."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import yaml

from tests.e2e.conftest import Jiracfg
from tests.e2e.test_data import PROJECT, data_demo, issue_files, jira, keys_of

__all__ = ["data_demo"]  # the fixture, used by name


def scheme_of(api: httpx.Client, project: str) -> str:
    return str(api.get(f"/project/{project}/permissionscheme").json()["id"])


def revoke(api: httpx.Client, project: str, permission: str) -> None:
    scheme = scheme_of(api, project)
    grants = api.get(f"/permissionscheme/{scheme}/permission").json()["permissions"]
    for grant in grants:
        if grant["permission"] == permission:
            api.delete(f"/permissionscheme/{scheme}/permission/{grant['id']}").raise_for_status()


SCHEME = Path("permission-schemes/default-permission-scheme.yaml")  # MKT's


def grant(run: Jiracfg, permission: str) -> None:
    """Grant the permission to every product user in the repo's scheme (not on the site)."""
    path = run.repo / SCHEME
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert permission not in spec["grants"]
    spec["grants"][permission] = ["application_role"]
    path.write_text(yaml.safe_dump(spec, sort_keys=False, allow_unicode=True), encoding="utf-8")


def refused(run: Jiracfg, permission: str) -> dict[str, Any]:
    """The plan's one ``permissions_granted`` problem (the plan exits 1)."""
    output = run("plan", "--format", "json", expect=1).output
    plan = json.JSONDecoder().raw_decode(output)[0]  # the errors follow on stderr
    found = [p for p in plan["problems"] if p["check"] == "permissions_granted"]
    assert len(found) == 1 and found[0]["severity"] == "error", plan["problems"]
    assert permission in found[0]["message"] and PROJECT in found[0]["message"]
    assert "Default Permission Scheme" in found[0]["hint"]
    return dict(found[0])


def as_subtask(issue: Path, parent: Path) -> None:
    """Make the issue file a sub-task of another (a type change: Jira's bulk move)."""
    spec = yaml.safe_load(issue.read_text(encoding="utf-8"))
    spec |= {"type": "Sub-task", "parent": parent.stem}
    issue.write_text(yaml.safe_dump(spec, sort_keys=False, allow_unicode=True), encoding="utf-8")


def type_of(api: httpx.Client, key: str) -> str:
    found = api.get(f"/issue/{key}", params={"fields": "issuetype"}).json()
    return str(found["fields"]["issuetype"]["name"])


def test_a_type_change_without_move_issues_is_refused_before_any_write(
    data_demo: Jiracfg,
) -> None:
    path, parent = issue_files(data_demo.repo)[:2]
    with jira(data_demo.server) as api:
        before = type_of(api, path.stem)
        revoke(api, PROJECT, "MOVE_ISSUES")
        data_demo("export")  # the repo says so too
        as_subtask(path, parent)
        problem = refused(data_demo, "MOVE_ISSUES")
        assert "which 1 issue change(s) need" in problem["message"]
        data_demo("apply", "--auto-approve", expect=1)
        assert type_of(api, path.stem) == before  # nothing moved
        grant(data_demo, "MOVE_ISSUES")
        plan = json.loads(data_demo("plan", "--format", "json", expect=None).output)
        assert not [p for p in plan["problems"] if p["severity"] == "error"], plan["problems"]
        data_demo("apply", "--auto-approve")  # the grant first, then the move
        assert type_of(api, path.stem) == "Sub-task"


def test_a_create_without_create_issues_is_refused_before_any_write(data_demo: Jiracfg) -> None:
    with jira(data_demo.server) as api:
        revoke(api, PROJECT, "CREATE_ISSUES")
        data_demo("export")  # the repo says so too
        gone = keys_of(api, PROJECT)[-1]
        api.delete(f"/issue/{gone}").raise_for_status()  # the plan creates it again
        problem = refused(data_demo, "CREATE_ISSUES")
        assert "which 1 issue change(s) need" in problem["message"]
        count = len(keys_of(api, PROJECT))
        data_demo("apply", "--auto-approve", expect=1)
        assert len(keys_of(api, PROJECT)) == count  # nothing created
        grant(data_demo, "CREATE_ISSUES")
        data_demo("apply", "--auto-approve")
        assert len(keys_of(api, PROJECT)) == count + 1
