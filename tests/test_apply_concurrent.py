"""The concurrent apply against a real sandbox: independent changes overlap, dependents wait,
a failure stops only what depends on it, and what the hook and the result show is in plan order."""

from __future__ import annotations

from typing import Any

import pytest

from jiracfg.apply import Applier
from jiracfg.errors import JiraApiError
from jiracfg.model import Address, Snapshot
from jiracfg.plan.model import Action, Change, Plan
from jiracfg.plan.order import order
from jiracfg.sandbox.server import EMAIL, SandboxServer
from tests.conftest import StartSandbox, client_for

LATENCY_MS = 100


def issue_type(name: str) -> Change:
    spec = {"name": name, "level": "standard", "description": ""}
    return Change(Address("issue_type", name), Action.CREATE, after=spec)


def scheme(name: str, types: list[str]) -> Change:
    spec = {"name": name, "issue_types": types}
    return Change(Address("issue_type_scheme", name), Action.CREATE, after=spec)


def planned(*changes: Change) -> Plan:
    ordered, cycles = order(list(changes))
    assert cycles == []
    return Plan(ordered)


@pytest.fixture
def slow(start_sandbox: StartSandbox) -> SandboxServer:
    return start_sandbox("empty", latency_ms=LATENCY_MS)


def test_independent_creates_run_at_the_same_time(slow: SandboxServer) -> None:
    plan = planned(*(issue_type(f"Type {n}") for n in range(8)))
    client = client_for(slow, concurrency=8)
    result = Applier(client, Snapshot()).apply(plan)
    assert result.done == [str(c.address) for c in plan.changes]
    # each create waits 100 ms for its answer: one at a time, never two in flight
    assert client.limit.peak >= 4, "the creates ran one at a time"


def test_progress_and_result_come_in_plan_order(slow: SandboxServer) -> None:
    plan = planned(
        scheme("Scheme", ["Type 1", "Type 2"]), issue_type("Type 2"), issue_type("Type 1")
    )
    events: list[str] = []
    result = Applier(
        client_for(slow, concurrency=4),
        Snapshot(),
        hook=lambda change, event: events.append(f"{event} {change.address.key}"),
    ).apply(plan)
    assert [str(c.address) for c in plan.changes][-1] == "issue_type_scheme/Scheme"
    assert result.done == [str(c.address) for c in plan.changes]
    assert events == [
        "start Type 1",
        "done Type 1",
        "start Type 2",
        "done Type 2",
        "start Scheme",
        "done Scheme",
    ]


def test_a_failed_change_stops_what_depends_on_it_and_the_rest_finish(
    slow: SandboxServer,
) -> None:
    broken = "B" * 61  # Jira refuses an issue type name over 60 characters
    plan = planned(issue_type(broken), scheme("Uses broken", [broken]), issue_type("Fine"))
    applier = Applier(client_for(slow, concurrency=4), Snapshot())
    with pytest.raises(JiraApiError):
        applier.apply(plan)
    assert applier.result.failed == [f"issue_type/{broken}"]
    assert applier.result.skipped == ["issue_type_scheme/Uses broken"]
    assert applier.result.done == ["issue_type/Fine"]
    names = {d["name"] for d in slow.store.all("issue_type")}
    schemes = {d["name"] for d in slow.store.all("issue_type_scheme")}
    assert "Fine" in names and broken not in names and "Uses broken" not in schemes


def test_the_users_are_read_once_per_apply_not_once_per_change(slow: SandboxServer) -> None:
    roles = [
        Change(
            Address("project_role", name),
            Action.CREATE,
            after={"name": name, "default_actors": {"users": [EMAIL]}},
        )
        for name in ("Reviewers", "Testers", "Writers")
    ]
    client = client_for(slow, concurrency=4)
    reads: list[str] = []
    real = client.get

    def counting_get(path: str, params: Any = None) -> Any:
        reads.append(path)
        return real(path, params)

    client.get = counting_get  # type: ignore[method-assign]
    Applier(client, Snapshot()).apply(planned(*roles))
    assert reads.count("/users/search") == 1
    names = {d["name"] for d in slow.store.all("project_role")}
    assert {"Reviewers", "Testers", "Writers"} <= names
