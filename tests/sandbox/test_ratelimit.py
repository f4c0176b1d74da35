"""The sandbox's cost-based rate limiter (``--rate-limit``), shaped like Jira Cloud's, and the
client's adaptive limit living within it."""

from __future__ import annotations

import re
import time
from pathlib import Path

import httpx

from jiracfg.demo import tree_differences
from jiracfg.export import export
from jiracfg.sandbox.server import EMAIL, TOKEN
from tests.conftest import StartSandbox, client_for

RESET = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\dZ")


def test_over_budget_jira_answers_429_with_its_headers_and_body(
    start_sandbox: StartSandbox,
) -> None:
    server = start_sandbox("empty", rate_limit=6, rate_window=60)
    with httpx.Client(base_url=server.url, auth=(EMAIL, TOKEN)) as jira:
        reads = [jira.get("/rest/api/3/status") for _ in range(2)]
        write = jira.post(
            "/rest/api/3/statuses", json={"scope": {"type": "GLOBAL"}, "statuses": []}
        )
        last = jira.get("/rest/api/3/status")  # 1 + 1 + 2 + 1 = 5 of 6 spent
        refused = jira.post("/rest/api/3/statuses", json={})  # costs 2, 1 left
    assert [r.status_code for r in reads] == [200, 200] and write.status_code < 429
    assert reads[0].headers["X-RateLimit-Limit"] == "6"
    assert [r.headers["X-RateLimit-Remaining"] for r in (*reads, write, last)] == [
        "5",
        "4",
        "2",
        "1",
    ]
    assert "X-RateLimit-NearLimit" not in reads[0].headers
    assert last.headers["X-RateLimit-NearLimit"] == "true"
    assert refused.status_code == 429
    assert refused.json() == {"errorMessages": ["Rate limit exceeded."], "errors": {}}
    assert int(refused.headers["Retry-After"]) >= 1
    assert refused.headers["X-RateLimit-Remaining"] == "0"
    assert RESET.fullmatch(refused.headers["X-RateLimit-Reset"])
    assert refused.headers["RateLimit-Reason"] == "jira-quota-tenant-based"
    assert server.rate is not None and (server.rate.admitted, server.rate.refused) == (4, 1)


def test_the_budget_refills_over_its_window(start_sandbox: StartSandbox) -> None:
    server = start_sandbox("empty", rate_limit=2, rate_window=1)
    with httpx.Client(base_url=server.url, auth=(EMAIL, TOKEN)) as jira:
        codes = [jira.get("/rest/api/3/status").status_code for _ in range(3)]
        time.sleep(0.6)  # 1.2 units back
        again = jira.get("/rest/api/3/status").status_code
    assert codes == [200, 200, 429] and again == 200


def test_without_the_option_there_is_no_limit(start_sandbox: StartSandbox) -> None:
    server = start_sandbox("empty")
    with httpx.Client(base_url=server.url, auth=(EMAIL, TOKEN)) as jira:
        answer = jira.get("/rest/api/3/status")
    assert server.rate is None and "X-RateLimit-Limit" not in answer.headers


def test_a_burst_over_the_budget_backs_off_and_every_request_succeeds(
    start_sandbox: StartSandbox,
) -> None:
    server = start_sandbox("empty", rate_limit=5, rate_window=2)
    client = client_for(server)  # adaptive: starts at 8 in flight
    answers = client.map(lambda _: client.get("/status"), list(range(12)))
    client.close()
    assert len(answers) == 12 and all(isinstance(a, list) for a in answers)
    assert server.rate is not None and server.rate.refused > 0 and server.rate.admitted == 12
    assert client.counter.throttled == server.rate.refused
    assert client.limit.decreases >= 1


def test_an_export_under_the_limit_loses_nothing(
    start_sandbox: StartSandbox, tmp_path: Path
) -> None:
    server = start_sandbox("demo", rate_limit=40, rate_window=1)
    limited = client_for(server)
    export(limited, tmp_path / "limited")
    limited.close()
    reference = start_sandbox("demo")
    plain = client_for(reference)
    export(plain, tmp_path / "plain")
    plain.close()
    assert len(list((tmp_path / "plain").rglob("*.yaml"))) > 60
    assert tree_differences(tmp_path / "limited", tmp_path / "plain") == []
