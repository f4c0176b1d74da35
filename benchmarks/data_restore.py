"""Restore issues into a fresh site: writes against the minimum, wall time against writes x
latency / concurrency.

    .venv/bin/python -m benchmarks.data_restore [--scale 0.05] [--issues 5000]
        [--latency-ms 50] [--concurrency 8] [--deleted 50]

A ``large --scale S`` sandbox with ``--issues`` more issues (``_issues.populate``), ``--deleted``
of them deleted again (key gaps, spread over the projects), is exported,
configuration and issues (no latency, not timed). A ``fresh`` sandbox with the injected latency
gets the configuration first (not measured), then the data part is planned and applied (measured:
every request recorded), then planned again (it must be empty).

Minimum writes of a data restore into a new project (Jira's REST API has no cheaper way):
per project one ``POST /issue/bulk`` per 50 issues of a run of consecutive numbers, the same for
placeholders burning the numbers of deleted issues, deleted again by one ``POST
/bulk/issues/delete`` per 1,000 (a lone one by its ``DELETE``); per issue one
``POST .../transitions`` per step of its status path, one ``POST`` per comment, worklog,
attachment and remote link, one ``PUT`` per property, one ``POST`` per watcher other than the
creator (Jira makes the creator watch) and one ``DELETE`` when the creator is not a watcher;
plus one ``PUT /issue`` for issues with values their create screen does not take (screen-bound,
shown on its own line).
"""

from __future__ import annotations

import argparse
import math
import random
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from benchmarks._issues import populate
from benchmarks._measure import plain_client, recording_client, table
from benchmarks._sandbox import sandbox_process
from jiracfg.apply import Applier
from jiracfg.data.apply import DataApplier
from jiracfg.data.deletes import BULK_DELETE, delete_issues
from jiracfg.data.export import export_data
from jiracfg.data.files import read_issue
from jiracfg.data.layout import split_key
from jiracfg.data.plan import data_part
from jiracfg.data.settings import data_settings
from jiracfg.export import export
from jiracfg.plan.model import Action, Change
from jiracfg.plan.planner import make_plan
from jiracfg.repo import load_desired, load_settings
from jiracfg.sandbox.server import EMAIL

SETTINGS = 'data:\n  projects: "*"\n'
READS = {"POST /search/jql", "POST /issue/bulkfetch", "POST /worklog/list"}  # reads sent as POST
BULK = 50


def runs(numbers: list[int]) -> list[int]:
    """Lengths of the runs of consecutive numbers."""
    out: list[int] = []
    previous = -1
    for n in sorted(numbers):
        if out and n == previous + 1:
            out[-1] += 1
        else:
            out.append(1)
        previous = n
    return out


def minimum(repo: Path, changes: list[Change]) -> Counter[str]:
    need: Counter[str] = Counter()
    projects: dict[str, list[int]] = {}
    for change in changes:
        if change.action is not Action.CREATE:
            continue
        project, number = split_key(change.address.key)
        projects.setdefault(project, []).append(number)
        spec = read_issue(repo / str((change.after or {})["file"]), "") or {}
        per_issue(need, spec, change)
    for numbers in projects.values():
        need["POST /issue/bulk"] += sum(math.ceil(r / BULK) for r in runs(numbers))
        gaps = [n for n in range(1, max(numbers)) if n not in set(numbers)]
        need["POST /issue/bulk"] += sum(math.ceil(r / BULK) for r in runs(gaps))
        if len(gaps) == 1:
            need["DELETE /issue/{id}"] += 1
        else:
            need["POST /bulk/issues/delete"] += math.ceil(len(gaps) / BULK_DELETE)
    return +need


def per_issue(need: Counter[str], spec: dict[str, Any], change: Change) -> None:
    path = (change.after or {}).get("status_path") or []
    need["POST /issue/{id}/transitions"] += len(path)
    for part, endpoint in (
        ("comments", "POST /issue/{id}/comment"),
        ("worklogs", "POST /issue/{id}/worklog"),
        ("attachments", "POST /issue/{id}/attachments"),
        ("remote_links", "POST /issue/{id}/remotelink"),
    ):
        need[endpoint] += len(spec.get(part) or [])
    need["PUT /issue/{id}/properties/{key}"] += len(spec.get("properties") or {})
    watchers = set(spec.get("watchers") or [])
    need["POST /issue/{id}/watchers"] += len(watchers - {EMAIL})
    need["DELETE /issue/{id}/watchers"] += int(EMAIL not in watchers)


def writes(endpoints: Counter[str]) -> Counter[str]:
    out: Counter[str] = Counter()
    for name, count in endpoints.items():
        if name.startswith("GET ") or name in READS:
            continue
        parts = name.split("/")
        if len(parts) == 5 and parts[3] == "properties":
            name = "/".join([*parts[:4], "{key}"])
        out[name] += count
    return out


def prepare(args: argparse.Namespace, tmp: Path) -> Path:
    db, repo = str(tmp / "site.db"), tmp / "repo"
    repo.mkdir()
    (repo / "jiracfg.yaml").write_text(SETTINGS, encoding="utf-8")
    with sandbox_process("--db", db, "--seed", "large", "--scale", str(args.scale)) as url:
        client = plain_client(url, args.concurrency)
        created = populate(client, args.issues)
        delete_issues(client, random.Random(0).sample(created, min(args.deleted, len(created))))
        export(client, repo)
        settings = data_settings(load_settings(repo), repo)
        assert settings is not None
        export_data(client, repo, settings)
        client.close()
    return repo


def restore(args: argparse.Namespace, repo: Path) -> None:
    desired, settings = load_desired(repo), load_settings(repo)
    with sandbox_process("--seed", "fresh", "--latency-ms", str(args.latency_ms)) as url:
        client = plain_client(url, args.concurrency)
        plan, live = make_plan(client, desired, settings)
        Applier(client, live, settings).apply(plan)  # the configuration: not measured
        client.close()
        client, recording = recording_client(url, args.concurrency)
        data = data_part(client, repo, settings, desired, live)
        assert data is not None
        assert not any(p.is_error for p in data.problems), data.problems
        planned = sum(recording.endpoints.values())
        managed = data_settings(settings, repo)
        assert managed is not None
        start = time.monotonic()
        summary = DataApplier(client, repo, managed).apply(data.changes)
        took = time.monotonic() - start
        sent = writes(recording.endpoints)
        reads = sum(recording.endpoints.values()) - planned - sum(sent.values())
        again = data_part(client, repo, settings, desired, live)
        client.close()
    assert again is not None
    need = minimum(repo, data.changes)
    report(args, summary.created, sent, need, reads, took, len(again.changes))


def report(
    args: argparse.Namespace,
    created: int,
    sent: Counter[str],
    need: Counter[str],
    reads: int,
    took: float,
    left: int,
) -> None:
    print(f"restore of {created} issues, {args.latency_ms:g} ms, {args.concurrency} in flight")
    table(
        ("endpoint", "writes", "minimum"),
        [(e, sent[e], need[e]) for e in sorted(set(sent) | set(need))],
    )
    total, least = sum(sent.values()), sum(need.values())
    screen = sent["PUT /issue/{id}"]
    print(
        f"  writes {total} (minimum {least}, {total / least:.3f}x; "
        f"{screen} of them PUT /issue for values off the create screen), {reads} reads"
    )
    ideal = total * args.latency_ms / 1000 / args.concurrency
    with_reads = (total + reads) * args.latency_ms / 1000 / args.concurrency
    print(
        f"  wall {took:.1f} s; writes x latency / concurrency {ideal:.1f} s ({took / ideal:.2f}x);"
        f" (writes + reads) x latency / concurrency {with_reads:.1f} s"
    )
    print(f"  next plan: {left} changes" + (" (empty, as it must be)" if not left else " !"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=0.05)
    parser.add_argument("--issues", type=int, default=5000)
    parser.add_argument("--latency-ms", type=float, default=50.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--deleted", type=int, default=50, help="issues deleted (key gaps)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        restore(args, prepare(args, Path(tmp)))


if __name__ == "__main__":
    main()
