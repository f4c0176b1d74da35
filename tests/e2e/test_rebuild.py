"""Export and rebuild through the CLI against live sandboxes: deterministic, ID-free, lossless."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import httpx

from jiracfg.demo import tree_differences
from jiracfg.sandbox.server import EMAIL, TOKEN, SandboxOptions, SandboxServer
from tests.conftest import StartSandbox, seeded_store
from tests.e2e.conftest import Jiracfg, apply_under_faults, commit, git

JIRA_ID = re.compile(r"\b1\d{4,}\b|customfield_\d+")
# List endpoints whose order carries no meaning (option, priority, tab orders do).
UNORDERED = re.compile(
    r"/rest/api/3/(status|issuetype|field|field/search|workflows/search|"
    r"workflowscheme|project/search|role|issuetypescheme|screens|screenscheme|"
    r"issuetypescreenscheme|fieldconfiguration|fieldconfigurationscheme|"
    r"projectCategory|notificationscheme|group/bulk|group/member|priorityscheme|"
    r"issuesecurityschemes/level|issuesecurityschemes/level/member)$"
)


class ReversedLists:
    """ASGI wrapper: answers unordered list endpoints with their items reversed."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or not UNORDERED.match(scope["path"]):
            await self.app(scope, receive, send)
            return
        parts: list[Any] = []

        async def capture(message: Any) -> None:
            parts.append(message)

        await self.app(scope, receive, capture)
        await self._replay(parts, send)

    async def _replay(self, parts: list[Any], send: Any) -> None:
        body = b"".join(p.get("body", b"") for p in parts if p["type"] == "http.response.body")
        data = json.loads(body) if body else None
        if isinstance(data, list):
            data.reverse()
        elif isinstance(data, dict) and isinstance(data.get("values"), list):
            data["values"].reverse()
        raw = json.dumps(data).encode()
        start = dict(parts[0])
        start["headers"] = [(k, v) for k, v in start["headers"] if k != b"content-length"]
        start["headers"].append((b"content-length", str(len(raw)).encode()))
        await send(start)
        await send({"type": "http.response.body", "body": raw})


def yaml_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.yaml") if ".git" not in p.parts)


def test_export_twice_is_byte_identical_valid_and_free_of_jira_ids(
    exported_demo: Jiracfg, tmp_path: Path
) -> None:
    again = Jiracfg(exported_demo.server, tmp_path / "again")
    again("export")
    assert tree_differences(exported_demo.repo, again.repo) == []
    assert len(yaml_files(again.repo)) > 60
    exported_demo("validate")
    leaks = [
        f"{p.name}: {m}"
        for p in yaml_files(again.repo)
        for m in JIRA_ID.findall(p.read_text(encoding="utf-8"))
    ]
    assert leaks == []


def test_export_does_not_depend_on_the_order_jira_lists_things_in(
    exported_demo: Jiracfg, tmp_path: Path
) -> None:
    options = SandboxOptions(seed="demo")
    server = SandboxServer(seeded_store("demo"), options)
    server.server.config.app = ReversedLists(server.app)
    with server:
        Jiracfg(server, tmp_path / "reversed")("export")
    assert tree_differences(exported_demo.repo, tmp_path / "reversed") == []


def test_changes_made_in_jira_show_up_as_exactly_those_changes(exported_demo: Jiracfg) -> None:
    with httpx.Client(
        base_url=exported_demo.server.url + "/rest/api/3", auth=(EMAIL, TOKEN)
    ) as jira:
        jira.post(
            "/statuses",
            json={
                "scope": {"type": "GLOBAL"},
                "statuses": [{"name": "Legal Review", "statusCategory": "IN_PROGRESS"}],
            },
        ).raise_for_status()
        screen = next(
            s for s in jira.get("/screens").json()["values"] if s["name"] == "Support Screen"
        )
        jira.put(f"/screens/{screen['id']}", json={"name": "Helpdesk Screen"}).raise_for_status()
    exported_demo("export")
    changed = git(exported_demo.repo, "status", "--porcelain").split("\n")
    assert sorted(line for line in changed if line) == [
        " D screens/support-screen.yaml",
        " M .jiracfg/ids/config.json",  # the id index: the new status's id, the new screen name
        " M screen-schemes/support-screen-scheme.yaml",
        "?? screens/helpdesk-screen.yaml",
        "?? statuses/legal-review.yaml",
    ]


def test_rebuild_an_empty_site_from_a_commit(
    exported_demo: Jiracfg, start_sandbox: StartSandbox, tmp_path: Path
) -> None:
    target = exported_demo.with_server(start_sandbox("fresh"))
    target("apply", "--ref", "HEAD", "--auto-approve")
    target("plan", "--detailed-exitcode")
    rebuilt = Jiracfg(target.server, tmp_path / "rebuilt")
    rebuilt("export")
    assert tree_differences(exported_demo.repo, rebuilt.repo) == []


def rebuild_under_faults(
    exported: Jiracfg, start_sandbox: StartSandbox, rate: float, seed: int
) -> SandboxServer:
    """Apply ``exported`` to a fresh site injecting faults until an apply succeeds (at most 4
    runs); then, without faults, the plan is empty."""
    target = apply_under_faults(exported, start_sandbox, seed, rate, runs=4)
    target("plan", "--detailed-exitcode")
    return target.server


def test_rebuild_converges_under_faults_without_duplicates(
    exported_demo: Jiracfg, start_sandbox: StartSandbox
) -> None:
    server = rebuild_under_faults(exported_demo, start_sandbox, 0.08, 11)
    for coll in ("status", "issue_type", "screen", "project", "workflow_scheme"):
        names = [d.get("name") for d in server.store.all(coll)]
        assert len(names) == len(set(names)), coll


def test_ref_and_diff_read_git_history(exported_demo: Jiracfg) -> None:
    repo = exported_demo.repo
    (repo / "statuses" / "legal-review.yaml").write_text(
        "name: Legal Review\ncategory: IN_PROGRESS\n", encoding="utf-8"
    )
    commit(repo, "add Legal Review")
    assert exported_demo.plan_changes("--ref", "HEAD~1") == []
    assert exported_demo.plan_changes("--ref", "HEAD") == ["create status/Legal Review"]
    result = exported_demo("diff", "HEAD~1", "HEAD")
    assert "status/Legal Review" in result.output and "create" in result.output
