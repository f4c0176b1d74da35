"""Secrets stay secret: the API token and webhook secrets never reach output, logs, errors or files.

Commands run through ``jiracfg.cli.main`` (the console entry point, with its last-resort handler)
with JIRACFG_DEBUG unset, against a sandbox whose admin token is a distinctive string.
"""

from __future__ import annotations

import base64
import logging
import socket
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from jiracfg.cli import main
from jiracfg.kinds.webhook import PATH
from jiracfg.sandbox.server import EMAIL, SandboxServer
from tests.conftest import StartSandbox

TOKEN = "ATATT3xFfGF0-very-secret-token-7f3c"
HOOK_SECRET = "whsec-cli-level-do-not-leak-51ad"


def leaks(text: str) -> list[str]:
    """The forms a token could leak in: as is, and inside a Basic auth header."""
    forms = [TOKEN, base64.b64encode(f"{EMAIL}:{TOKEN}".encode()).decode(), HOOK_SECRET]
    return [form for form in forms if form in text]


class Run:
    """``jiracfg ...`` through the real entry point; output, logs and files collected."""

    def __init__(
        self,
        monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str],
        caplog: pytest.LogCaptureFixture,
        repo: Path,
    ) -> None:
        self.monkeypatch, self.capsys, self.caplog, self.repo = monkeypatch, capsys, caplog, repo
        monkeypatch.delenv("JIRACFG_DEBUG", raising=False)
        monkeypatch.setattr("jiracfg.client.RETRY_BASE_DELAY", 0.0)  # retry faults at once
        caplog.set_level(logging.DEBUG)

    def __call__(self, url: str, *args: str) -> tuple[int, str]:
        self.monkeypatch.setattr(sys, "argv", ["jiracfg", *args, "--dir", str(self.repo)])
        for name, value in (("JIRA_URL", url), ("JIRA_EMAIL", EMAIL), ("JIRA_API_TOKEN", TOKEN)):
            self.monkeypatch.setenv(name, value)
        try:
            main()
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
        out = self.capsys.readouterr()
        return code, out.out + out.err

    def everything(self) -> str:
        """Logs and every file written (the caller adds the output)."""
        files = (
            [
                p.read_text(encoding="utf-8", errors="replace")
                for p in self.repo.rglob("*")
                if p.is_file()
            ]
            if self.repo.exists()
            else []
        )
        return self.caplog.text + "".join(files)


@pytest.fixture
def run(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
    tmp_path: Path,
) -> Run:
    return Run(monkeypatch, capsys, caplog, tmp_path / "repo")


@pytest.fixture
def site(start_sandbox: StartSandbox) -> SandboxServer:
    """An empty sandbox whose admin signs in with TOKEN."""
    server = start_sandbox("empty")
    admin = server.store.first("user", lambda u: u["emailAddress"] == EMAIL)
    assert admin is not None
    server.store.put("user", {**admin, "token": TOKEN})
    return server


def test_a_successful_export_writes_and_logs_no_token(site: SandboxServer, run: Run) -> None:
    code, output = run(site.url, "export")
    assert code == 0 and "Exported to" in output, output
    assert run.caplog.records, "the requests were logged at DEBUG"
    assert leaks(output + run.everything()) == []


def test_a_token_jira_refuses_is_not_repeated(site: SandboxServer, run: Run) -> None:
    admin = site.store.first("user", lambda u: u["emailAddress"] == EMAIL)
    assert admin is not None
    site.store.put("user", {**admin, "token": "another-token"})
    code, output = run(site.url, "export")
    assert code == 1 and "401" in output and "Traceback" not in output, output
    assert leaks(output + run.everything()) == []


class ServerError:
    """ASGI wrapper: every API call fails with a 500 whose body echoes the request's headers
    (as a careless proxy might)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode(): v.decode() for k, v in scope["headers"]}
        body = httpx.Response(
            500, json={"errorMessages": [f"Internal error for {headers}"], "errors": {}}
        ).content
        await send(
            {
                "type": "http.response.start",
                "status": 500,
                "headers": [(b"content-type", b"application/json")],
            }
        )
        await send({"type": "http.response.body", "body": body})


def test_a_server_error_echoing_the_request_does_not_leak_the_token(
    site: SandboxServer, run: Run
) -> None:
    site.server.config.loaded_app = ServerError(site.app)
    code, output = run(site.url, "export")
    assert code == 1 and "500" in output, output
    assert leaks(output + run.everything()) == []


@pytest.fixture
def closed_port() -> Iterator[int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


def test_an_unreachable_url_is_a_clear_error_without_the_token(closed_port: int, run: Run) -> None:
    code, output = run(f"http://127.0.0.1:{closed_port}", "export")
    assert code == 1 and "Internal error" not in output, output
    assert f"127.0.0.1:{closed_port}" in output and "hint:" in output, output
    assert leaks(output + run.everything()) == []


@pytest.mark.parametrize(
    "url",
    [
        "http://jira.example.com",
        "http://10.0.0.5:8080",
        "http://localhost.example.com",
        "http://0.0.0.0:8080",
    ],
)
def test_plain_http_to_another_host_is_refused_before_any_request(
    url: str, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent: list[httpx.Request] = []
    monkeypatch.setattr(
        httpx.HTTPTransport, "handle_request", lambda self, request: sent.append(request)
    )
    code, output = run(url, "export")
    assert code == 1 and "refusing to send credentials over plain http" in output, output
    assert sent == [] and leaks(output + run.everything()) == []


def test_a_webhook_secret_reaches_neither_yaml_nor_plans(
    site: SandboxServer, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    jira = httpx.Client(base_url=site.url, auth=(EMAIL, TOKEN))
    jira.post(
        PATH,
        json={
            "name": "Deploy",
            "url": "https://ci.example.com/hook",
            "events": ["jira:issue_created"],
            "secret": HOOK_SECRET,
        },
    ).raise_for_status()
    jira.close()
    assert run(site.url, "export")[0] == 0
    hook = run.repo / "webhooks" / "deploy.yaml"
    text = hook.read_text(encoding="utf-8")
    hook.write_text(
        text.replace("events:", "secret:\n  env: HOOK_VAR\nevents:").replace(
            "ci.example.com", "cd.example.com"
        ),
        encoding="utf-8",
    )
    monkeypatch.setenv("HOOK_VAR", HOOK_SECRET)
    shown = [
        run(site.url, "plan", "--format", fmt, "--out", str(run.repo / "saved.plan"))
        for fmt in ("text", "markdown", "json")
    ]
    assert all(code == 0 and "cd.example.com" in out for code, out in shown), shown
    applied = run(site.url, "apply", "--auto-approve")
    assert applied[0] == 0, applied
    assert leaks("".join(out for _, out in [*shown, applied]) + run.everything()) == []
