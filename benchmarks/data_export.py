"""Export issues at scale, then re-export after 1% of them changed.

    .venv/bin/python -m benchmarks.data_export [--scale 0.05] [--issues 5000]
        [--latency-ms 50] [--concurrency 8] [--changed 0.01]

A ``large --scale S`` sandbox is seeded into a temporary SQLite file and given ``--issues`` more
issues (``_issues.populate``, no latency, not timed). A second sandbox serves that file with the
injected latency; every managed project's issues are exported (timed, each request recorded), the
lower bound is counted from what was exported, then ``--changed`` of the issues are edited and the
incremental re-export is timed the same way.

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
import tempfile
import time
from collections import Counter
from pathlib import Path

import yaml

from benchmarks._issues import populate
from benchmarks._measure import peak_rss_mb, plain_client, recording_client, round_trip, table
from benchmarks._sandbox import sandbox_process
from jiracfg.data.export import DataReport, export_data
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


def measured(url: str, repo: Path, concurrency: int) -> tuple[DataReport, float, Counter[str]]:
    client, recording = recording_client(url, concurrency)
    try:
        start = time.monotonic()
        report = export_data(client, repo, EVERY)
        return report, time.monotonic() - start, Counter(recording.endpoints)
    finally:
        client.close()


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
    parser.add_argument("--scale", type=float, default=0.05)
    parser.add_argument("--issues", type=int, default=5000)
    parser.add_argument("--latency-ms", type=float, default=50.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--changed", type=float, default=0.01)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db, repo = str(Path(tmp) / "site.db"), Path(tmp) / "repo"
        seed = ("--db", db, "--seed", "large", "--scale", str(args.scale))
        with sandbox_process(*seed) as url:
            client = plain_client(url, args.concurrency)
            populate(client, args.issues)
            client.close()
        with sandbox_process(*seed, "--latency-ms", str(args.latency_ms)) as url:
            trip = round_trip(url, args.concurrency)
            full, took, sent = measured(url, repo, args.concurrency)
            rss = peak_rss_mb()
            need, got = lower_bound(repo), shown(sent)
            edited = change_some(url, args.changed)
            again, took2, sent2 = measured(url, repo, args.concurrency)
        report(args, full, took, got, need, trip, rss)
        requests2 = sum(sent2.values())
        print(
            f"\nincremental after {edited} of {full.issues} issues changed: {again.issues} read, "
            f"{again.written} written, {requests2} requests in {took2:.1f} s "
            f"(full export: {sum(got.values())} requests in {took:.1f} s)"
        )
        table(("endpoint", "requests"), sorted(sent2.items()))


def report(
    args: argparse.Namespace,
    full: DataReport,
    took: float,
    got: Counter[str],
    need: Counter[str],
    trip: float,
    rss: float,
) -> None:
    sent, least = sum(got.values()), sum(need.values())
    ideal = sent * args.latency_ms / 1000 / args.concurrency
    print(
        f"full export of {full.issues} issues, {args.latency_ms:g} ms, {args.concurrency} in flight"
    )
    table(
        ("endpoint", "requests", "lower bound"),
        [(e, got[e], need[e]) for e in sorted(set(got) | set(need))],
    )
    print(f"  requests {sent}, lower bound {least} ({sent / least:.3f}x)")
    print(
        f"  wall {took:.1f} s; requests x latency / concurrency {ideal:.1f} s "
        f"({took / ideal:.2f}x); with the measured round trip {trip * 1000:.1f} ms: "
        f"{sent * trip / args.concurrency:.1f} s"
    )
    print(
        f"  files written {full.written}, attachment bodies {full.blobs_downloaded}; "
        f"peak RSS {rss:.0f} MB"
    )


if __name__ == "__main__":
    main()
