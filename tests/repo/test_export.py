"""``jiracfg export`` on live sandboxes: re-export, comments, a new site, progress, inventory."""

from __future__ import annotations

import os
import pty
import re
import selectors
import subprocess
import sys
from pathlib import Path
from typing import Any

from jiracfg.repo.yamlio import plain, read
from jiracfg.sandbox.server import SandboxServer
from tests.conftest import Api, StartSandbox, create_project
from tests.e2e.conftest import Jiracfg

JIRA_ID = re.compile(r"(?<![\w.#-])\d{5,}(?![\w.-])|customfield_\d+")
SUMMARY = re.compile(r"Exported to \S+: \d+ written, \d+ unchanged, \d+ removed \(\d+ requests\)\.")


def status_id(api: Api, name: str) -> str:
    found = api.checked("GET", "/statuses/search", 200, params={"searchString": name})
    return str(next(s["id"] for s in found["values"] if s["name"] == name))


def add_status(api: Api, name: str, description: str = "") -> str:
    api.checked(
        "POST",
        "/statuses",
        200,
        json={
            "scope": {"type": "GLOBAL"},
            "statuses": [{"name": name, "statusCategory": "TODO", "description": description}],
        },
    )
    return status_id(api, name)


def test_objects_deleted_in_jira_lose_their_files_and_user_files_stay(
    sandbox: SandboxServer, api: Api, tmp_path: Path
) -> None:
    run = Jiracfg(sandbox, tmp_path / "repo")
    gone = add_status(api, "Legal Review")
    run("export")
    notes = [
        run.repo / "README.md",
        run.repo / "statuses" / "README.md",
        run.repo / "statuses" / "notes.txt",
        run.repo / "jiracfg.yaml",
    ]
    for note in notes:
        note.write_text("protected: []\n" if note.suffix == ".yaml" else "mine\n")
    api.checked("DELETE", f"/statuses?id={gone}", 204)
    result = run("export")
    assert "1 removed" in result.output
    assert not (run.repo / "statuses" / "legal-review.yaml").exists()
    assert (run.repo / "statuses" / "to-do.yaml").exists()
    assert all(note.exists() for note in notes)


def test_a_hand_named_file_is_replaced_by_its_exported_file_not_duplicated(
    sandbox: SandboxServer, api: Api, tmp_path: Path
) -> None:
    run = Jiracfg(sandbox, tmp_path / "repo")
    add_status(api, "Legal Review")
    run("export")
    old = run.repo / "statuses" / "legal-review.yaml"
    mine = run.repo / "statuses" / "legal.yml"
    mine.write_text("# lawyers only\n" + old.read_text(encoding="utf-8").split("\n", 1)[1])
    old.unlink()
    run("export")
    assert sorted(p.name for p in (run.repo / "statuses").glob("legal*")) == ["legal-review.yaml"]
    assert "# lawyers only" in old.read_text(encoding="utf-8")
    run("validate")


def test_comments_survive_re_export_where_values_did_not_change(
    sandbox: SandboxServer, api: Api, tmp_path: Path
) -> None:
    run = Jiracfg(sandbox, tmp_path / "repo")
    legal = add_status(api, "Legal Review", "Waiting for legal")
    run("export")
    path = run.repo / "statuses" / "legal-review.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("name: Legal Review", "# Owned by the legal team.\nname: Legal Review")
    text = text.replace("category: TODO", "category: TODO  # never IN_PROGRESS")
    path.write_text(text, encoding="utf-8")
    api.checked(
        "PUT",
        "/statuses",
        204,
        json={
            "statuses": [
                {
                    "id": legal,
                    "name": "Legal Review",
                    "statusCategory": "TODO",
                    "description": "Waiting for counsel",
                }
            ]
        },
    )
    run("export")
    again = path.read_text(encoding="utf-8")
    assert "# Owned by the legal team.\nname: Legal Review\n" in again
    assert "category: TODO  # never IN_PROGRESS\n" in again
    assert "description: Waiting for counsel\n" in again and "Waiting for legal" not in again
    assert again.startswith("# yaml-language-server: $schema=../.jiracfg/schemas/status.json")


def jira_ids(root: Path) -> list[str]:
    return [
        f"{p.relative_to(root)}: {m}"
        for p in sorted(root.rglob("*.yaml"))
        for m in JIRA_ID.findall(p.read_text(encoding="utf-8"))
    ]


def test_a_new_site_exports_without_noise_and_plans_clean_against_any_new_site(
    start_sandbox: StartSandbox, tmp_path: Path
) -> None:
    run = Jiracfg(start_sandbox("empty"), tmp_path / "repo")
    run("export")
    assert jira_ids(run.repo) == []
    run("validate")
    assert run.plan_changes() == []
    assert run.with_server(start_sandbox("empty")).plan_changes() == []
    assert "0 written" in run("export").output


def test_the_id_check_catches_ids() -> None:
    text = "id: 10001\ncolor: '#10000a'\nversion: 1.10000\nf: customfield_10020"
    assert JIRA_ID.findall(text) == ["10001", "customfield_10020"]


def test_without_a_terminal_export_prints_only_its_summary(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "jiracfg", "export", "--dir", str(tmp_path)],
        capture_output=True,
        text=True,
        env=env_for(sandbox),
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert SUMMARY.fullmatch(done.stdout.strip()), done.stdout


def test_on_a_terminal_export_draws_a_progress_bar(sandbox: SandboxServer, tmp_path: Path) -> None:
    out = run_in_terminal(
        [sys.executable, "-m", "jiracfg", "export", "--dir", str(tmp_path)],
        {**env_for(sandbox), "TERM": "xterm-256color"},
    )
    assert "━" in out and "kinds" in out and "requests" in out, out
    assert SUMMARY.search(out), out


def env_for(server: SandboxServer) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "JIRA_URL": server.url,
        "JIRA_EMAIL": server.email,
        "JIRA_API_TOKEN": server.token,
    }


def run_in_terminal(command: list[str], env: dict[str, str]) -> str:
    """Run ``command`` with stdout and stderr on a pseudo-terminal; everything it drew."""
    master, slave = pty.openpty()
    process = subprocess.Popen(
        command, stdin=subprocess.DEVNULL, stdout=slave, stderr=slave, env=env
    )
    os.close(slave)
    chunks: list[bytes] = []
    watch = selectors.DefaultSelector()  # epoll: select() fails on descriptors past 1,023
    watch.register(master, selectors.EVENT_READ)
    while True:
        ready = watch.select(120)
        try:
            chunk = os.read(master, 65536) if ready else b""
        except OSError:  # the terminal closed with the process
            chunk = b""
        if not chunk:
            break
        chunks.append(chunk)
    watch.close()
    os.close(master)
    assert process.wait(timeout=120) == 0, b"".join(chunks)
    return b"".join(chunks).decode(errors="replace")


def inventory_of(root: Path) -> dict[str, Any]:
    data: dict[str, Any] = plain(read(root / ".jiracfg" / "inventory.yaml", "inventory"))
    return data


def test_the_inventory_counts_what_is_not_managed_yet(
    sandbox: SandboxServer, api: Api, tmp_path: Path
) -> None:
    run = Jiracfg(sandbox, tmp_path / "repo")
    run("export")
    counts = inventory_of(run.repo)["not_managed_yet"]
    assert counts == {
        "issues": 0,
    }


class Forbidden:
    """ASGI wrapper: ``path`` answers 403 (a plan without the feature); queries are recorded."""

    def __init__(self, app: Any, path: str) -> None:
        self.app, self.path, self.queries = app, path, [b""]

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            self.queries.append(scope["path"].encode() + b"?" + scope["query_string"])
        if scope["type"] != "http" or scope["path"] != self.path:
            await self.app(scope, receive, send)
            return
        body = b'{"errorMessages":["You are not allowed to do this."],"errors":{}}'
        await send(
            {
                "type": "http.response.start",
                "status": 403,
                "headers": [(b"content-type", b"application/json")],
            }
        )
        await send({"type": "http.response.body", "body": body})


def test_a_count_jira_refuses_is_unavailable_with_the_reason(
    sandbox: SandboxServer, api: Api, tmp_path: Path
) -> None:
    create_project(api, "ENG")  # issues are counted per project
    forbidden = Forbidden(sandbox.app, "/rest/api/3/search/approximate-count")
    sandbox.server.config.loaded_app = forbidden
    run = Jiracfg(sandbox, tmp_path / "repo")
    run("export")
    counts = inventory_of(run.repo)["not_managed_yet"]
    assert counts["issues"] == "unavailable (HTTP 403)"
    assert any(
        q.startswith(b"/rest/api/3/filter/search?") and b"overrideSharePermissions=true" in q
        for q in forbidden.queries
    ), forbidden.queries


def test_a_site_without_jira_software_exports_without_boards(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    sandbox.server.config.loaded_app = Forbidden(sandbox.app, "/rest/agile/1.0/board")
    run = Jiracfg(sandbox, tmp_path / "repo")
    run("export")
    assert not (run.repo / "boards").exists()
    assert (run.repo / "statuses").is_dir()


def test_the_inventory_of_the_demo_counts_its_issues(
    demo_sandbox: SandboxServer, tmp_path: Path
) -> None:
    run = Jiracfg(demo_sandbox, tmp_path / "repo")
    run("export", "--kinds", "status")
    issues = demo_sandbox.store.count("issue")
    assert issues > 0
    assert inventory_of(run.repo)["not_managed_yet"]["issues"] == issues


def test_custom_fields_sharing_a_name_are_all_exported_and_flagged(
    sandbox: SandboxServer, api: Api, tmp_path: Path
) -> None:
    float_type = "com.atlassian.jira.plugin.system.customfieldtypes:float"
    for description in ("Engineering", "Marketing", "Sales"):
        api.checked(
            "POST",
            "/field",
            201,
            json={"name": "Points", "type": float_type, "description": description},
        )
    run = Jiracfg(sandbox, tmp_path / "repo")
    run("export")
    files = sorted((run.repo / "custom-fields").glob("points*.yaml"))
    specs = [plain(read(p, p.name)) for p in files]
    assert sorted(s["description"] for s in specs) == ["Engineering", "Marketing", "Sales"]
    assert all(s["name"] == "Points" for s in specs)
    flagged = inventory_of(run.repo)["duplicate_names"]
    assert len(flagged) == 3 and all(f.startswith("custom_field/Points") for f in flagged)
    run("validate")
    assert run.plan_changes() == []


def test_yaml_has_no_trailing_white_space_and_reads_back_the_same() -> None:
    from ruamel.yaml.scalarstring import LiteralScalarString

    from jiracfg.repo.yamlio import dump, parse, plain

    closed = (
        "The issue is considered finished, the resolution is correct. Issues which are closed "
        "can be reopened."
    )
    body = {"name": "Closed", "category": "DONE", "description": closed}
    text = dump(body)
    assert not [line for line in text.splitlines() if line != line.rstrip()]
    assert plain(parse(text, "x.yaml")) == body
    literal = dump({"notes": LiteralScalarString("kept \nas written\n")})
    assert plain(parse(literal, "x.yaml")) == {"notes": "kept \nas written\n"}
