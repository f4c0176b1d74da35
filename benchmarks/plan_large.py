"""Time the pure planning steps (no network) on a ``large`` site with a few hundred edits.

    .venv/bin/python -m benchmarks.plan_large [--scale 1]

A ``large`` sandbox is exported once (not timed) into a temporary config repo, which is loaded as
the desired state and edited: every 10th option list gets an option more and its first option
renamed, every 10th custom field a new description, every 5th project a new description, and
every 20th screen is renamed (``renamed_from``, with the screen schemes that name it). Then the
diff, the ordering and the checks run against the fetched live snapshot, each timed.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

from benchmarks._measure import peak_rss_mb, plain_client
from benchmarks._sandbox import sandbox_process
from jiracfg.fetch import fetch_live
from jiracfg.kinds import REGISTRY
from jiracfg.model import Resource, Snapshot, Spec
from jiracfg.plan.checks import Inputs, needed_queries, run_checks
from jiracfg.plan.diff import diff
from jiracfg.plan.order import order
from jiracfg.plan.planner import plan_from
from jiracfg.repo import load_desired, write_snapshot

T = TypeVar("T")


def live_and_desired(url: str) -> tuple[Snapshot, Snapshot]:
    """The live snapshot, and the desired state as loaded from its export."""
    client = plain_client(url)
    try:
        live = fetch_live(client)
    finally:
        client.close()
    with tempfile.TemporaryDirectory() as root:
        write_snapshot(Path(root), live)
        return live, load_desired(Path(root))


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


def timed(label: str, work: Callable[[], T], repeat: int = 3) -> T:
    """Run ``work`` ``repeat`` times; print the best time."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - start)
    print(f"  {label:44} {best:8.3f} s")
    return result  # type: ignore[return-value]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()
    with sandbox_process("--seed", "large", "--scale", str(args.scale)) as url:
        live, desired = live_and_desired(url)
    wanted = edited(desired)
    print(
        f"large --scale {args.scale:g}: {len(live)} live objects "
        f"({len(live.managed())} managed), {len(wanted)} desired; best of 3 runs:"
    )
    run(live, wanted)
    print(f"  peak memory {peak_rss_mb():.0f} MB RSS")


def run(live: Snapshot, wanted: Snapshot) -> None:
    changes, unmanaged = timed("diff (pure)", lambda: diff(wanted, live))
    ordered, cycles = timed("order (pure)", lambda: order(changes))
    inputs = Inputs(wanted, live, ordered, {}, False, {}, cycles)
    queries = timed("checks: facts they need (pure)", lambda: needed_queries(inputs))
    problems = timed("checks: run on the facts (pure)", lambda: run_checks(inputs))
    plan = timed("plan_from: all of it (no facts fetched)", lambda: plan_from(wanted, live, {}))
    print(
        f"  changes {len(changes)} ({count(changes)}), unmanaged {len(unmanaged)}, "
        f"fact queries {len(queries)}, problems {len(problems)}, plan steps {len(plan.changes)}"
    )


def count(changes: list[Any]) -> str:
    tally: dict[str, int] = {}
    for change in changes:
        key = f"{change.action.value} {change.address.kind}"
        tally[key] = tally.get(key, 0) + 1
    return ", ".join(f"{n} {k}" for k, n in sorted(tally.items()))


if __name__ == "__main__":
    main()
