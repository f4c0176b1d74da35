"""The Applier against a real sandbox whose faults are scripted: lost responses, passing 5xx."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from jiracfg.apply import ATTEMPTS, Applier
from jiracfg.client import JiraClient
from jiracfg.errors import JiraApiError, PlanError, StalePlanError
from jiracfg.fetch import fetch_live
from jiracfg.kinds import REGISTRY, ApplyContext
from jiracfg.model import Address, Snapshot
from jiracfg.plan.model import Action, Change, Plan, Problem
from jiracfg.sandbox.server import SandboxServer
from jiracfg.schedule import Outcome
from tests.conftest import StartSandbox, client_for

INCIDENT = {"name": "Incident", "level": "standard", "description": "Outage"}


def scripted(server: SandboxServer, faults: list[str | None]) -> None:
    """The next POSTs get these faults (None: answered normally); other requests are left alone."""
    queue: Iterator[str | None] = iter(faults)
    assert server.faults is not None
    server.faults.pick = lambda method: next(queue, None) if method == "POST" else None  # type: ignore[method-assign]


@pytest.fixture
def faulty(start_sandbox: StartSandbox) -> SandboxServer:
    return start_sandbox("empty", latency_ms=0.001)


def create_plan(spec: dict[str, str]) -> Plan:
    return Plan([Change(Address("issue_type", spec["name"]), Action.CREATE, after=spec)])


def incidents(server: SandboxServer) -> list[str]:
    return [d["id"] for d in server.store.all("issue_type") if d["name"] == "Incident"]


def test_a_create_whose_response_was_lost_is_found_by_name_not_duplicated(
    faulty: SandboxServer,
) -> None:
    scripted(faulty, ["lost"])
    result = Applier(client_for(faulty), Snapshot()).apply(create_plan(INCIDENT))
    assert result.recovered == ["issue_type/Incident"] and result.done == ["issue_type/Incident"]
    assert len(incidents(faulty)) == 1


def test_a_create_refused_with_a_passing_5xx_is_sent_again(faulty: SandboxServer) -> None:
    scripted(faulty, ["500", "503"])
    result = Applier(client_for(faulty), Snapshot()).apply(create_plan(INCIDENT))
    assert result.recovered == [] and len(incidents(faulty)) == 1


def test_a_create_that_keeps_failing_stops_the_apply(faulty: SandboxServer) -> None:
    scripted(faulty, ["500"] * ATTEMPTS)
    with pytest.raises(JiraApiError) as caught:
        Applier(client_for(faulty), Snapshot()).apply(create_plan(INCIDENT))
    assert caught.value.status == 500 and incidents(faulty) == []


def test_a_plan_with_errors_writes_nothing(faulty: SandboxServer) -> None:
    plan = create_plan(INCIDENT)
    plan.problems.append(Problem("error", "check", "bad", "fix it"))
    with pytest.raises(PlanError):
        Applier(client_for(faulty), Snapshot()).apply(plan)
    assert incidents(faulty) == []


def test_a_create_whose_connection_dropped_is_found_by_name(faulty: SandboxServer) -> None:
    """The request reached Jira and committed, but the connection closed before the answer."""
    import httpx

    client = client_for(faulty)
    real = client._http.request
    calls: list[str] = []

    def drop_first_post(method: str, url: str, **kw: object) -> httpx.Response:
        response = real(method, url, **kw)  # type: ignore[arg-type]
        calls.append(method)
        if method == "POST" and calls.count("POST") == 1:
            raise httpx.RemoteProtocolError("Server disconnected without sending a response.")
        return response

    client._http.request = drop_first_post  # type: ignore[method-assign]
    result = Applier(client, Snapshot()).apply(create_plan(INCIDENT))
    assert result.recovered == ["issue_type/Incident"] and len(incidents(faulty)) == 1


def level_change(client: JiraClient, action: Action) -> tuple[Plan, Snapshot]:
    """Bug (which demo issues have) planned as a subtask type: Jira refuses both steps."""
    live = fetch_live(client, ["issue_type"])
    bug = live.get(Address("issue_type", "Bug"))
    assert bug is not None
    after = {**bug.spec, "level": "subtask"}
    return Plan([Change(bug.address, action, bug.spec, after)]), live


def bugs(server: SandboxServer) -> list[tuple[str, int]]:
    return [
        (d["id"], d["hierarchyLevel"]) for d in server.store.all("issue_type") if d["name"] == "Bug"
    ]


def test_an_in_use_refusal_of_a_delete_is_not_taken_as_already_gone(
    demo_sandbox: SandboxServer,
) -> None:
    client, before = client_for(demo_sandbox), bugs(demo_sandbox)
    plan, live = level_change(client, Action.REPLACE)
    with pytest.raises(JiraApiError) as caught:
        Applier(client, live).apply(plan)
    assert caught.value.status == 404 and "in use" in str(caught.value)
    assert bugs(demo_sandbox) == before


def test_a_409_from_a_different_object_of_that_name_is_not_recovered(
    demo_sandbox: SandboxServer,
) -> None:
    """The namesake Jira has is a standard type: converging can't make it the subtask asked for."""
    client, before = client_for(demo_sandbox), bugs(demo_sandbox)
    plan, live = level_change(client, Action.CREATE)
    applier = Applier(client, Snapshot(r for r in live if r.address.key != "Bug"))
    with pytest.raises(JiraApiError) as caught:
        applier.apply(plan)
    assert caught.value.status == 409 and applier.result.recovered == []
    assert bugs(demo_sandbox) == before


def recorded(client: JiraClient) -> list[tuple[str, str]]:
    """Every request ``client`` sends from now on, as (method, path)."""
    sent: list[tuple[str, str]] = []
    real = client._http.request

    def record(method: str, url: str, **kw: object) -> object:
        sent.append((method, url))
        return real(method, url, **kw)  # type: ignore[arg-type]

    client._http.request = record  # type: ignore[method-assign,assignment]
    return sent


TRIAGE = {
    "name": "Triage Screen",
    "tabs": [
        {"name": "Field Tab", "fields": ["Summary", "Campaign"]},
        {"name": "Details", "fields": ["Root Cause"]},
    ],
}
SUPPORT = {
    "field": "Affected Services",
    "name": "Support services",
    "projects": ["ENG"],
    "options": [{"value": "Queue"}, {"value": "Portal"}],
}


@pytest.mark.parametrize(
    ("kind", "spec", "other", "faults"),
    [
        ("screen", TRIAGE, r"/screens/(\d+)/", [None, "lost"]),  # its 2nd POST (a tab) lost
        ("field_context", SUPPORT, r"/field/(customfield_\d+)/", ["lost"]),  # the context's POST
    ],
)
def test_a_lost_write_is_recovered_by_reading_that_object_only(
    start_sandbox: StartSandbox,
    kind: str,
    spec: dict[str, Any],
    other: str,
    faults: list[str | None],
) -> None:
    """Faults grow with the site: were each recovery to read the whole kind (every screen's tabs,
    every field's contexts), a faulty rebuild of a big site would make faults x objects reads
    (the `--fault-rate 0.1` rebuild of `large --scale 0.2` ran for hours)."""
    server = start_sandbox("demo", latency_ms=0.001)
    client = client_for(server)
    live = fetch_live(client, [kind])
    scripted(server, faults)
    sent = recorded(client)
    plan = Plan([Change(Address(kind, REGISTRY[kind].key(spec)), Action.CREATE, after=spec)])
    result = Applier(client, live).apply(plan)
    touched = {m.group(1) for _, path in sent if (m := re.search(other, path))}
    assert result.recovered == [str(plan.changes[0].address)]
    again = fetch_live(client, [kind]).get(plan.changes[0].address)
    assert again is not None and again.spec == spec
    assert touched == {again.meta["field_id"] if kind == "field_context" else again.id}


def test_a_read_back_names_what_other_changes_made_while_it_read(
    start_sandbox: StartSandbox,
) -> None:
    """A read-back of a whole kind (here screen schemes) meets objects that other changes of the
    same apply made after it took its snapshot (a scheme naming a screen created meanwhile): it
    names them from what the apply knows then, instead of failing the change."""
    server = start_sandbox("demo")
    client = client_for(server)
    ctx = ApplyContext(client, fetch_live(client, ["screen", "screen_scheme"]))
    reading = ctx.fetching(but="screen_scheme")
    screen = client.post("/screens", {"name": "Made meanwhile"})["id"]
    ctx.record(Address("screen", "Made meanwhile"), str(screen))
    client.post("/screenscheme", {"name": "Meanwhile scheme", "screens": {"default": screen}})
    found = {r.address.key: r for r in REGISTRY["screen_scheme"].fetch(reading)}
    assert found["Meanwhile scheme"].spec["screens"] == {"default": "Made meanwhile"}


@pytest.mark.parametrize("fault", ["lost", "500"])
def test_a_field_post_that_failed_passing_is_checked_on_its_tab_alone(
    start_sandbox: StartSandbox, fault: str
) -> None:
    """A screen's fields go on one POST each (most of a rebuild's writes): a lost or 5xx answer
    to one is settled by reading that tab's fields (was it added?), not by looking the screen up
    by name and reading it all twice; the field is sent again only if it is not there."""
    server = start_sandbox("demo", latency_ms=0.001)
    client = client_for(server)
    live = fetch_live(client, ["screen"])
    scripted(server, [None, None, fault])  # the screen, its Details tab, then Summary's POST
    sent = recorded(client)
    plan = Plan([Change(Address("screen", TRIAGE["name"]), Action.CREATE, after=TRIAGE)])
    result = Applier(client, live).apply(plan)
    made = list(sent)
    again = fetch_live(client, ["screen"]).get(plan.changes[0].address)
    assert result.recovered == [] and again is not None and again.spec == TRIAGE
    reads = [path for method, path in made if method == "GET"]
    assert len(reads) == 2 and reads[1].endswith(f"/tabs/{again.meta['tabs'][0]['id']}/fields")
    assert sum(method == "POST" for method, _ in made) == 5 + (fault == "500")


@pytest.mark.parametrize("fault", ["lost", "500"])
def test_an_options_post_that_failed_passing_is_settled_on_its_context_alone(
    start_sandbox: StartSandbox, fault: str
) -> None:
    """Options go on in POSTs of 1,000: a lost or 5xx answer to one is settled by reading that
    context's options again (one read) and syncing the rest, not by reading the field's contexts,
    mappings and defaults by name and converging."""
    server = start_sandbox("demo", latency_ms=0.001)
    client = client_for(server)
    live = fetch_live(client, ["field_context"])
    scripted(server, [None, fault])  # the context, then its options
    sent = recorded(client)
    address = Address("field_context", REGISTRY["field_context"].key(SUPPORT))
    result = Applier(client, live).apply(Plan([Change(address, Action.CREATE, after=SUPPORT)]))
    made = list(sent)
    again = fetch_live(client, ["field_context"]).get(address)
    assert result.recovered == [] and again is not None and again.spec == SUPPORT
    reads = [p for m, p in made if m == "GET"]
    assert len(reads) == 1 and reads[0].endswith(f"/context/{again.id}/option")
    assert sum(m == "POST" for m, _ in made) == 2 + (fault == "500")


def test_a_second_step_whose_object_is_gone_stops_with_its_address(faulty: SandboxServer) -> None:
    """The second step of a two-step write reads the object again (its version after the first
    step); gone from the site, that is a stale plan naming it, not a KeyError deep in an update."""
    ghost = {"name": "Ghost", "level": "standard", "description": "gone"}
    live = Snapshot([REGISTRY["issue_type"].resource(dict(ghost), id="99999")])
    second = Change(
        Address("issue_type", "Ghost"),
        Action.UPDATE,
        before=ghost,
        after={**ghost, "description": "back"},
        deferred=True,
    )
    with pytest.raises(StalePlanError, match="issue_type/Ghost"):
        Applier(client_for(faulty), live).apply(Plan([second]))


def test_an_event_stays_with_its_change_when_two_changes_share_an_address(
    faulty: SandboxServer,
) -> None:
    """A two-step write is two changes of one address: a "recovered" the second step notes must
    not be reported under the first."""
    seen: list[tuple[Change, str]] = []
    applier = Applier(client_for(faulty), Snapshot(), hook=lambda c, e: seen.append((c, e)))
    first = create_plan(INCIDENT).changes[0]
    second = Change(first.address, Action.UPDATE, INCIDENT, INCIDENT, deferred=True)
    applier.hook(second, "recovered")
    applier._report(first, Outcome(0))
    applier._report(second, Outcome(1))
    assert [e for c, e in seen if c is first] == ["start", "done"]
    assert [e for c, e in seen if c is second] == ["start", "recovered", "done"]
