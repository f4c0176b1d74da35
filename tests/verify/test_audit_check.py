"""The audit check's rules on plain data: what explains a record, what a write needs."""

from __future__ import annotations

from typing import Any

from jiracfg.model import Snapshot
from jiracfg.plan.model import Plan
from jiracfg.verify import audit
from jiracfg.verify.model import AuditFacts, Inputs

ROBOT, ALICE = "557058:robot", "557058:alice"
EMPTY = (Snapshot([]), Snapshot([]), Plan([]))
START = 1_795_000_000_000  # the apply's start (epoch ms)


def stamp(ms: int) -> str:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "+0000"


def record(name: str, at: int, author: str = ROBOT, kind: str = "CUSTOM_FIELD") -> dict[str, Any]:
    return {
        "summary": "Custom field updated",
        "category": "fields",
        "objectItem": {"id": "1", "name": name, "typeName": kind},
        "changedValues": [],
        "created": stamp(at),
        "authorAccountId": author,
    }


def run(
    records: list[dict[str, Any]], audited: bool = True, failed: bool = False
) -> list[tuple[str, str, str]]:
    write = {
        "failed": failed,
        "address": "custom_field/Risk",
        "action": "update",
        "started_ms": START + 100,
        "finished_ms": START + 200,
        "audited": audited,
        "names": ["Risk"],
    }
    apply = {"started_ms": START, "finished_ms": START + 1000, "writes": [write]}
    facts = AuditFacts("journal", [apply], records)
    inputs = Inputs(Snapshot([]), Snapshot([]), Plan([]), audit=facts)
    return [(str(r.status), r.subject, r.evidence) for r in audit.check(inputs)]


def test_a_record_of_the_written_object_made_while_it_ran_accounts_for_it() -> None:
    assert [r[0] for r in run([record("Risk", START + 150)])] == ["pass"]


def test_a_write_without_a_record_fails_naming_its_address() -> None:
    [(status, subject, evidence)] = run([])
    assert (status, subject) == ("fail", "custom_field/Risk")
    assert evidence.endswith("but the audit log has no record of it")
    assert run([], audited=False)[0][0] == "pass"  # a kind Jira does not audit needs none


def test_a_failed_write_needs_no_record_but_explains_one() -> None:
    """Under faults a write can fail before Jira did anything (three 500s); the rerun that
    creates the object is recorded in its own apply."""
    assert [r[0] for r in run([], failed=True)] == ["pass"]
    assert [r[0] for r in run([record("Risk", START + 150)], failed=True)] == ["pass"]


def test_a_record_of_an_earlier_commits_apply_is_explained_by_its_journaled_write() -> None:
    """A rebuild from one commit, then an apply of the next within the clock tolerance: the
    rebuild's records fall in the window of the verified commit and its writes explain them."""
    earlier = {
        "started_ms": START - 1500,
        "finished_ms": START - 600,
        "writes": [
            {
                "address": "status/Triage",
                "action": "create",
                "started_ms": START - 1400,
                "finished_ms": START - 1300,
                "audited": True,
                "names": ["Triage"],
            }
        ],
    }
    rebuild = record("Triage", START - 1350, kind="STATUS")
    write = {"address": "filter/Mine", "action": "create", "audited": False}  # leaves no record
    write |= {"started_ms": START + 100, "finished_ms": START + 200, "names": ["Mine"]}
    apply = {"started_ms": START, "finished_ms": START + 1000, "writes": [write]}
    records = [rebuild]
    alone = audit.check(Inputs(*EMPTY, audit=AuditFacts("journal", [apply], records)))
    assert [(str(r.status), r.subject) for r in alone] == [("fail", "STATUS 'Triage'")]
    facts = AuditFacts("journal", [apply], records, others=[earlier])
    assert [str(r.status) for r in audit.check(Inputs(*EMPTY, audit=facts))] == ["pass"]


def test_a_consequence_by_the_restores_account_during_the_apply_is_explained() -> None:
    side = record("Default Issue Type Scheme", START + 500, kind="SCHEME")
    assert [r[0] for r in run([record("Risk", START + 150), side])] == ["pass"]


def test_another_accounts_change_during_the_apply_fails() -> None:
    other = record("Severity", START + 500, author=ALICE)
    results = run([record("Risk", START + 150), other])
    assert [(r[0], r[1]) for r in results] == [("fail", "CUSTOM_FIELD 'Severity'")]
    assert f"by {ALICE} at " in results[0][2]


def test_a_change_after_the_apply_fails_even_on_a_written_object() -> None:
    late = record("Risk", START + 1000 + audit.TOLERANCE_MS + 1)
    results = run([record("Risk", START + 150), late])
    assert [(r[0], r[1]) for r in results] == [("fail", "CUSTOM_FIELD 'Risk'")]
