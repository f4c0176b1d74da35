"""``jiracfg sandbox serve`` as a user runs it: banner, persistence on --db, faults, seeds."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from jiracfg.sandbox.server import EMAIL, TOKEN, serve_in_child
from tests.conftest import StartSandbox

BANNER = re.compile(
    r"^Jira sandbox at (http://127\.0\.0\.1:\d+) \(admin@example\.com / token: "
    r"sandbox\)$"
)


@contextmanager
def serve(*options: str) -> Iterator[httpx.Client]:
    """``jiracfg sandbox serve --port 0 OPTIONS`` in a child process; a client for it."""
    with serve_in_child(*options) as banner:
        found = BANNER.match(banner)
        assert found, f"no banner: {banner!r}"
        with httpx.Client(base_url=found.group(1) + "/rest/api/3", auth=(EMAIL, TOKEN)) as http:
            yield http


def count_issues(http: httpx.Client) -> int:
    body = http.post("/search/approximate-count", json={"jql": "project = ENG"}).json()
    return int(body["count"])


def test_a_seeded_db_file_keeps_what_was_written_across_restarts(tmp_path: Path) -> None:
    db = str(tmp_path / "acme.db")
    with serve("--seed", "demo", "--db", db) as http:
        issues = count_issues(http)
        made = http.post(
            "/statuses",
            json={
                "scope": {"type": "GLOBAL"},
                "statuses": [{"name": "Kept Across Restarts", "statusCategory": "DONE"}],
            },
        )
        assert made.status_code == 200, made.text
    with serve("--seed", "demo", "--db", db) as http:
        names = {s["name"] for s in http.get("/statuses/search").json()["values"]}
        assert "Kept Across Restarts" in names
        assert count_issues(http) == issues > 100  # not seeded a second time


def test_in_memory_by_default(tmp_path: Path) -> None:
    for _ in range(2):
        with serve("--seed", "empty") as http:
            names = {s["name"] for s in http.get("/statuses/search").json()["values"]}
            assert "Ephemeral" not in names
            http.post(
                "/statuses",
                json={
                    "scope": {"type": "GLOBAL"},
                    "statuses": [{"name": "Ephemeral", "statusCategory": "TODO"}],
                },
            ).raise_for_status()


def statuses_seen(url: str, count: int) -> list[int]:
    with httpx.Client(base_url=url, auth=(EMAIL, TOKEN)) as http:
        return [http.get("/rest/api/3/serverInfo").status_code for _ in range(count)]


def test_faults_are_reproducible_from_the_seed(start_sandbox: StartSandbox) -> None:
    runs = [
        statuses_seen(start_sandbox("empty", fault_rate=0.3, fault_seed=5).url, 60)
        for _ in range(2)
    ]
    assert runs[0] == runs[1]
    assert {429, 200} <= set(runs[0]) and set(runs[0]) <= {200, 429, 500, 503}


def test_a_429_carries_retry_after_and_rate_limit_headers(start_sandbox: StartSandbox) -> None:
    server = start_sandbox("empty", fault_rate=1.0, fault_seed=1)
    assert server.faults is not None
    server.faults.pick = lambda method: "429"  # type: ignore[method-assign]
    response = httpx.get(server.url + "/rest/api/3/serverInfo", auth=(EMAIL, TOKEN))
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "1"
    assert {"x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset"} <= set(
        response.headers
    )
    assert response.json()["errorMessages"] == ["Rate limit exceeded."]


@pytest.mark.parametrize("fault", ["429", "503"])
def test_a_throttling_fault_asks_for_the_configured_wait(
    start_sandbox: StartSandbox, fault: str
) -> None:
    server = start_sandbox("empty", fault_rate=1.0, fault_seed=1, retry_after=0)
    assert server.faults is not None
    server.faults.pick = lambda method: fault  # type: ignore[method-assign]
    response = httpx.get(server.url + "/rest/api/3/serverInfo", auth=(EMAIL, TOKEN))
    assert (response.status_code, response.headers["Retry-After"]) == (int(fault), "0")


def test_a_lost_write_commits_but_answers_504(start_sandbox: StartSandbox) -> None:
    server = start_sandbox("empty", latency_ms=0.001)
    assert server.faults is not None
    server.faults.pick = lambda method: "lost" if method == "POST" else None  # type: ignore[method-assign]
    response = httpx.post(
        server.url + "/rest/api/3/issuetype",
        auth=(EMAIL, TOKEN),
        json={"name": "Committed", "hierarchyLevel": 0},
    )
    assert response.status_code == 504
    assert [d["name"] for d in server.store.all("issue_type")].count("Committed") == 1


def test_latency_is_added_to_every_response(start_sandbox: StartSandbox) -> None:
    server = start_sandbox("empty", latency_ms=50)
    started = time.monotonic()
    statuses_seen(server.url, 4)
    assert time.monotonic() - started >= 0.2


@pytest.mark.parametrize("seed", ["empty", "fresh"])
def test_small_seeds_have_no_projects(start_sandbox: StartSandbox, seed: str) -> None:
    server = start_sandbox(seed)
    page = httpx.get(server.url + "/rest/api/3/project/search", auth=(EMAIL, TOKEN)).json()
    assert page["total"] == 0
    users = len(server.store.all("user"))
    assert users == (1 if seed == "empty" else 6)


def test_the_large_seed_scales_its_enterprise_shape() -> None:
    from tests.conftest import seeded_store

    db = seeded_store("large", 0.05)
    custom = [f for f in db.all("field") if str(f["id"]).startswith("customfield_")]
    counts = {"project": 5, "workflow_scheme": 8, "screen": 30 + 3}
    assert {c: db.count(c) for c in counts} == counts
    assert len([c for c in custom if c["name"].startswith("Field ")]) == 50
    assert db.count("field_option") >= 50 // 2 * 2 * 20
