"""Time every step of a plan (no network) on ``large`` sites with edits, at several scales.

    .venv/bin/python -m benchmarks.plan_large [--scales 1,2,4]

A ``large`` sandbox without its issues (a plan of the configuration reads none; they grow as the
square of the scale) is seeded into a temporary SQLite file and fetched once (not timed); the
fetch is written into a temporary config repo, which is loaded as
the desired state and edited: every 10th option list gets an option more and its first option
renamed, every 10th custom field a new description, every 5th project a new description, and
every 20th screen is renamed (``renamed_from``, with the screen schemes that name it). Then every
step a real ``jiracfg plan --out FILE`` runs after fetching and loading is timed alone (diff,
order, the checks' fact queries and the checks, fingerprints, the text rendering and the plan
file) and all together ("whole plan"); the fetch (no latency) and the load of the config repo are
timed once and shown apart. A last table compares the scales: a linear plan grows as the site.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

from benchmarks._measure import load, peak_rss_mb, plain_client, table, verdict
from benchmarks._sandbox import sandbox_process
from jiracfg.fetch import fetch_live
from jiracfg.kinds import REGISTRY
from jiracfg.model import Resource, Snapshot, Spec
from jiracfg.plan.checks import Inputs, needed_queries, run_checks
from jiracfg.plan.diff import diff
from jiracfg.plan.model import Plan
from jiracfg.plan.order import order
from jiracfg.plan.planner import plan_from
from jiracfg.render import RENDERERS
from jiracfg.repo import load_desired, write_snapshot
from jiracfg.sandbox.seed import seed
from jiracfg.sandbox.seed.large import seed_large
from jiracfg.sandbox.store import Store

T = TypeVar("T")


def live_and_desired(url: str, load: bool = True) -> tuple[Snapshot, Snapshot, float]:
    """The live snapshot, the desired state as loaded from its export, and the load's time
    (without ``load``: the managed live specs themselves, what the export would write)."""
    client = plain_client(url)
    try:
        live = fetch_live(client)
    finally:
        client.close()
    if not load:
        return live, Snapshot(Resource(r.address, r.spec) for r in live.managed()), 0.0
    with tempfile.TemporaryDirectory() as root:
        write_snapshot(Path(root), live)
        start = time.perf_counter()
        desired = load_desired(Path(root))
        return live, desired, time.perf_counter() - start


def edited(desired: Snapshot) -> Snapshot:
    """``desired`` with the edits the module docstring lists."""
    renames: dict[str, str] = {}
    edits = {
        "field_context": (10, more_options),
        "custom_field": (10, described),
        "project": (5, described),
        "screen": (20, renamed(renames)),
    }
    seen = dict.fromkeys(edits, 0)
    out = []
    for resource in desired:
        kind = resource.address.kind
        if kind in edits and (kind != "field_context" or resource.spec.get("options")):
            seen[kind] += 1
            step, edit = edits[kind]
            if seen[kind] % step == 0:
                resource = rebuilt(resource, edit(resource.spec))
        out.append(resource)
    return Snapshot(
        rebuilt(r, screens_renamed(r.spec, renames)) if r.address.kind == "screen_scheme" else r
        for r in out
    )


def rebuilt(resource: Resource, spec: Spec) -> Resource:
    kind = REGISTRY[resource.address.kind]
    return replace(resource, address=kind.address(spec), spec=kind.canonical(spec))


def more_options(spec: Spec) -> Spec:
    first, *rest = spec["options"]
    return {
        **spec,
        "options": [
            {**first, "value": f"{first['value']} (renamed)"},
            *rest,
            {"value": "Added by the benchmark"},
        ],
    }


def described(spec: Spec) -> Spec:
    return {**spec, "description": "Changed by the benchmark"}


def renamed(renames: dict[str, str]) -> Callable[[Spec], Spec]:
    def rename(spec: Spec) -> Spec:
        renames[spec["name"]] = f"{spec['name']} (renamed)"
        return {**spec, "name": renames[spec["name"]], "renamed_from": spec["name"]}

    return rename


def screens_renamed(spec: Spec, renames: dict[str, str]) -> Spec:
    return {**spec, "screens": {op: renames.get(s, s) for op, s in spec["screens"].items()}}


def timed(label: str, work: Callable[[], T], repeat: int = 3) -> tuple[T, float]:
    """Run ``work`` ``repeat`` times; print the best wall and CPU times, return the best CPU
    time (the steps are pure computation: CPU time does not count other processes' turns on a
    shared machine)."""
    wall, cpu, result = float("inf"), float("inf"), None
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = work()
        cpu = min(cpu, time.process_time() - start_cpu)
        wall = min(wall, time.perf_counter() - start)
    print(f"  {label:52} {wall:8.3f} s wall {cpu:8.3f} s CPU")
    return result, cpu  # type: ignore[return-value]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scales", default="1,2,4", help="comma-separated large seed scales")
    parser.add_argument(
        "--no-load",
        action="store_true",
        help="desired = the fetched specs, not written to YAML and loaded back (much faster)",
    )
    args = parser.parse_args()
    print(f"starting at {load()}")
    rows = [measure(float(scale), not args.no_load) for scale in args.scales.split(",")]
    print("\nwhole plan (everything after the fetch and the load), CPU seconds:")
    base = rows[0]
    table(
        ("scale", "live objects", "changes", "seconds", "x scale 1", "objects x scale 1"),
        [
            (f"{s:g}", n, c, f"{t:.3f}", f"{t / base[3]:.2f}", f"{n / base[1]:.2f}")
            for s, n, c, t in rows
        ],
    )
    print(f"  peak memory {peak_rss_mb():.0f} MB RSS")
    last = rows[-1]
    growth = (last[3] / base[3]) / (last[1] / base[1])
    verdict(f"whole plan at scale {last[0]:g} ({last[3]:.2f} s CPU) / 2 s", last[3] / 2, 1.0)
    verdict(f"growth from scale {base[0]:g} / growth of the site", growth, 1.25)


def measure(scale: float, load: bool) -> tuple[float, int, int, float]:
    with tempfile.TemporaryDirectory() as tmp:
        db, started = str(Path(tmp) / "large.db"), time.perf_counter()
        configuration_only(db, scale)
        print(
            f"\nseeded large --scale {scale:g} (no issues) in {time.perf_counter() - started:.0f} s"
        )
        with sandbox_process("--db", db) as url:
            fetch_start = time.perf_counter()
            live, desired, loaded = live_and_desired(url, load)
            fetched = time.perf_counter() - fetch_start - loaded
    wanted = edited(desired)
    print(
        f"large --scale {scale:g}: {len(live)} live objects ({len(live.managed())} managed), "
        f"{len(wanted)} desired; fetch {fetched:.1f} s (no latency), loading the config repo "
        f"{loaded:.1f} s (once{'' if load else ': not loaded'}); best of 3 runs:"
    )
    changes, seconds = run(live, wanted)
    return scale, len(live), changes, seconds


def configuration_only(db: str, scale: float) -> None:
    """``large --scale`` without its issues, into the SQLite file ``db`` (served with ``--db``)."""
    store = Store(db)
    try:
        seed(store, "empty")
        seed_large(store, scale, issues=False)
    finally:
        store.close()


def run(live: Snapshot, wanted: Snapshot) -> tuple[int, float]:
    """Each step of a plan after the fetch, timed alone, then all of them together."""
    (changes, unmanaged), _ = timed("diff", lambda: diff(wanted, live))
    (ordered, cycles), _ = timed("order", lambda: order(changes))
    inputs = Inputs(wanted, live, ordered, {}, False, {}, cycles)
    queries, _ = timed("checks: the facts they need", lambda: needed_queries(inputs))
    problems, _ = timed("checks: run on the facts", lambda: run_checks(inputs))
    timed("fingerprints of what the plan read", lambda: fingerprints(live))
    plan, _ = timed("plan_from (all of the above)", lambda: plan_from(wanted, live, {}))
    timed("plan.to_dict, text rendering, plan file JSON", lambda: outputs(plan))
    _, whole = timed(
        "whole plan: plan_from + outputs", lambda: outputs(plan_from(wanted, live, {}))
    )
    print(
        f"  changes {len(changes)} ({count(changes)}), unmanaged {len(unmanaged)}, "
        f"fact queries {len(queries)}, problems {len(problems)}, plan steps {len(plan.changes)}"
    )
    return len(plan.changes), whole


def fingerprints(live: Snapshot) -> dict[str, str]:
    return {
        str(r.address): fp
        for r in live.managed()
        if (fp := live.fingerprint(r.address)) is not None
    }


def outputs(plan: Plan) -> tuple[str, str]:
    """What ``jiracfg plan --out FILE`` makes of a plan: the text shown and the file written."""
    data = plan.to_dict()
    return RENDERERS["text"](data, False), json.dumps(data, indent=2, ensure_ascii=False)


def count(changes: list[Any]) -> str:
    tally: dict[str, int] = {}
    for change in changes:
        key = f"{change.action.value} {change.address.kind}"
        tally[key] = tally.get(key, 0) + 1
    return ", ".join(f"{n} {k}" for k, n in sorted(tally.items()))


if __name__ == "__main__":
    main()
