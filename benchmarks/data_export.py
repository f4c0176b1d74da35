"""Export issues at scale, then re-export after 1% of them changed.

    .venv/bin/python -m benchmarks.data_export [--scale 0.02] [--issues 2000]
        [--latency-ms 50] [--concurrency 8] [--changed 0.01]

A ``large --scale S`` sandbox is seeded into a temporary SQLite file and given ``--issues`` more
issues (``_issues.populate``, no latency, not timed). A second sandbox serves that file with the
injected latency; every managed project's issues are exported (timed, each request recorded), the
lower bound is counted from what was exported, then ``--changed`` of the issues are edited and the
incremental re-export is timed the same way. It prints the load average before and after, the
ratios against the targets (requests within 1.2x the lower bound, wall time within 1.3x requests x
latency / concurrency, peak RSS under 500 MB) and a one-line verdict, and the CPU the exporter
(this process) and the sandbox (its child) used: on a loaded machine the CPU, not the latency, can
be what bounds the wall time.

Lower bound of a full export (reads Jira's REST API cannot avoid): per project one search page per
100 issues (at least one); per issue its remote links and its property keys (no count of either is
in a search result, and no bulk endpoint reads them), one read per property value, a page of
comments per 100 when it has any, a page of worklogs when it has any, its watchers when it is
watched, its changelog beyond the search result's first 100 entries, one download per attachment;
plus the project list, the field list and the server clock.
"""

from __future__ import annotations

import argparse
import math
import os
import resource
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

from benchmarks._issues import populate
from benchmarks._measure import peak_rss_mb, plain_client, recording_client, round_trip, table
from benchmarks._sandbox import sandbox_process
from jiracfg.data.export import MARGIN_MS, DataReport, export_data
from jiracfg.data.settings import DataSettings

EVERY = DataSettings(None)


def lower_bound(repo: Path) -> Counter[str]:
    fixed = {"GET /project/search": 1, "GET /field": 1, "GET /serverInfo": 1}
    need: Counter[str] = Counter(fixed)
    for folder in sorted((repo / "data").iterdir()):
        specs = [yaml.safe_load(p.read_text()) for p in folder.glob("*/*.yaml")]
        need["POST /search/jql"] += max(1, math.ceil(len(specs) / 100))
        for spec in specs:
            need["GET /issue/{id}/remotelink"] += 1
            need["GET /issue/{id}/properties"] += 1
            need["GET /issue/{id}/properties/{key}"] += len(spec.get("properties") or {})
            comments = len(spec.get("comments") or [])
            need["GET /issue/{id}/comment"] += math.ceil(comments / 100)
            need["GET /issue/{id}/worklog"] += int(bool(spec.get("worklogs")))
            need["GET /issue/{id}/watchers"] += int(bool(spec.get("watchers")))
            log = len((spec.get("origin") or {}).get("changelog") or [])
            need["GET /issue/{id}/changelog"] += math.ceil(log / 100) if log > 100 else 0
            need["GET /attachment/content/{id}"] += len(spec.get("attachments") or [])
            need["GET (media redirect)"] += len(spec.get("attachments") or [])
    return +need


@dataclass
class Run:
    report: DataReport
    wall: float
    cpu: float  # this process's CPU seconds (the exporter: JSON, specs, YAML, the client)
    sent: Counter[str]


def measured(url: str, repo: Path, concurrency: int) -> Run:
    client, recording = recording_client(url, concurrency)
    try:
        cpu, start = cpu_seconds(resource.RUSAGE_SELF), time.monotonic()
        report = export_data(client, repo, EVERY)
        wall = time.monotonic() - start
        return Run(report, wall, cpu_seconds(resource.RUSAGE_SELF) - cpu, recording.endpoints)
    finally:
        client.close()


def cpu_seconds(who: int) -> float:
    used = resource.getrusage(who)
    return used.ru_utime + used.ru_stime


def load() -> str:
    return "/".join(f"{n:.1f}" for n in os.getloadavg())


def shown(endpoints: Counter[str]) -> Counter[str]:
    """Endpoint patterns as the bound names them (property keys are not ids)."""
    out: Counter[str] = Counter()
    for name, count in endpoints.items():
        parts = name.split("/")
        if len(parts) == 5 and parts[3] == "properties":
            name = "/".join([*parts[:4], "{key}"])
        if name.endswith("/binary"):  # the attachment's media URL Jira redirects to
            name = "GET (media redirect)"
        out[name] += count
    return out


def change_some(url: str, share: float) -> int:
    client = plain_client(url)
    try:
        keys = [i["key"] for p in client.paged("/project/search") for i in _keys(client, p["key"])]
        picked = keys[:: max(1, round(1 / share))]
        client.map(
            lambda k: client.put(f"/issue/{k}", {"fields": {"summary": f"{k} edited"}}), picked
        )
        return len(picked)
    finally:
        client.close()


def _keys(client: object, project: str) -> list[dict[str, str]]:
    from jiracfg.data.export import search_pages

    return [i for page in search_pages(client, f'project = "{project}"', "key", 5000) for i in page]  # type: ignore[arg-type]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=0.02)
    parser.add_argument("--issues", type=int, default=2000)
    parser.add_argument("--latency-ms", type=float, default=50.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--changed", type=float, default=0.01)
    args = parser.parse_args()
    print(f"load average (1/5/15 min) at the start: {load()}")
    with tempfile.TemporaryDirectory() as tmp:
        db, repo = str(Path(tmp) / "site.db"), Path(tmp) / "repo"
        seed = ("--db", db, "--seed", "large", "--scale", str(args.scale))
        with sandbox_process(*seed) as url:
            client = plain_client(url, args.concurrency)
            populate(client, args.issues)
            client.close()
        # issues written within the incremental export's look-back margin before the full export
        # began are read again by design (writes still in flight): let the margin pass, so the
        # incremental figure counts the edits only
        time.sleep(MARGIN_MS / 1000)
        served = cpu_seconds(resource.RUSAGE_CHILDREN)
        with sandbox_process(*seed, "--latency-ms", str(args.latency_ms)) as url:
            trip = round_trip(url, args.concurrency)
            full = measured(url, repo, args.concurrency)
            rss = peak_rss_mb()
            need = lower_bound(repo)
            edited = change_some(url, args.changed)
            again = measured(url, repo, args.concurrency)
        served = cpu_seconds(resource.RUSAGE_CHILDREN) - served
        print(f"load average at the end: {load()}")
        report(args, full, need, trip, rss, served)
        incremental(full, again, edited)


def incremental(full: Run, again: Run, edited: int) -> None:
    sent, before = sum(again.sent.values()), sum(shown(full.sent).values())
    print(
        f"\nincremental after {edited} of {full.report.issues} issues changed: "
        f"{again.report.issues} read, {again.report.written} written, {sent} requests in "
        f"{again.wall:.1f} s ({sent / max(1, edited):.1f} requests per changed issue; the full "
        f"export: {before} requests in {full.wall:.1f} s)"
    )
    table(("endpoint", "requests"), sorted(again.sent.items()))


def report(
    args: argparse.Namespace,
    full: Run,
    need: Counter[str],
    trip: float,
    rss: float,
    served: float,
) -> None:
    got = shown(full.sent)
    sent, least = sum(got.values()), sum(need.values())
    ideal = sent * args.latency_ms / 1000 / args.concurrency
    print(
        f"full export of {full.report.issues} issues, {args.latency_ms:g} ms, "
        f"{args.concurrency} in flight"
    )
    table(
        ("endpoint", "requests", "lower bound"),
        [(e, got[e], need[e]) for e in sorted(set(got) | set(need))],
    )
    print(f"  requests {sent}, lower bound {least} ({sent / least:.3f}x)")
    print(
        f"  wall {full.wall:.1f} s; requests x latency / concurrency {ideal:.1f} s "
        f"({full.wall / ideal:.2f}x); with the measured round trip {trip * 1000:.1f} ms: "
        f"{sent * trip / args.concurrency:.1f} s"
    )
    cores = os.cpu_count() or 1
    print(
        f"  CPU: the exporter {full.cpu:.1f} s ({full.cpu / sent * 1000:.2f} ms a request), the "
        f"sandbox {served:.1f} s over its whole run; on {cores} cores the exporter alone needs "
        f"{full.cpu / cores:.1f} s at least"
    )
    print(
        f"  files written {full.report.written}, attachment bodies "
        f"{full.report.blobs_downloaded}; peak RSS {rss:.0f} MB"
    )
    verdict(sent / least, full.wall / ideal, rss)


def verdict(requests: float, wall: float, rss: float) -> None:
    def mark(ok: bool) -> str:
        return "met" if ok else "NOT met"

    print(
        f"verdict: requests {requests:.3f}x the lower bound "
        f"(target 1.2x: {mark(requests <= 1.2)}); "
        f"wall {wall:.2f}x requests x latency / concurrency (target 1.3x: {mark(wall <= 1.3)}, "
        f"load {load()}); peak RSS {rss:.0f} MB (target 500 MB: {mark(rss < 500)})"
    )


if __name__ == "__main__":
    main()
