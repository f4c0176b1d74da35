"""Rebuild a site from its export into a ``fresh`` one; count the writes against the minimum.

    .venv/bin/python -m benchmarks.rebuild [--scale 0.2] [--latency-ms 50] [--concurrency 8]

Two runs: ``large --scale S`` -> ``fresh`` and ``demo`` -> ``fresh``. Each exports the source
(not timed), plans and applies against a ``fresh`` sandbox with the injected latency, then plans
again (it must be empty). Writes are counted per change and summed per kind, next to the least
that Jira's API allows (see ``minimum``).
"""

from __future__ import annotations

import argparse
import math
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

from benchmarks._measure import plain_client, recording_client, table
from benchmarks._sandbox import sandbox_process
from jiracfg.apply import Applier
from jiracfg.demo import app_secrets
from jiracfg.export import export
from jiracfg.model import Spec
from jiracfg.plan.model import Action, Change
from jiracfg.plan.planner import make_plan
from jiracfg.repo import load_desired, load_settings

OPTIONS_PER_CALL = 1000  # POST .../option takes 1,000 options at most
FIRST_TAB = "Field Tab"  # the tab Jira gives a new screen
DEFAULT_CONFIGURATION = "Default Field Configuration"  # a new scheme's default mapping
RULES = """minimum writes per created object, by kind:
  screen: 1 + a POST per tab after the first (+1 to rename the first) + a POST per field (no bulk)
  field_context: 1 (0 for the global context Jira already made, if its name is Jira's)
                 + option POSTs of 1,000 (parents, then children) + 1 PUT for a default
  field_configuration: 1 + 1 PUT of its field items; field_configuration_scheme: 1 + 1 mapping PUT
                 (unless it maps only 'default' to Jira's default configuration)
  project: 1 (schemes in the body) + a POST per component and version + a PUT per project role
                 (Jira fills a new project's roles with their defaults: each must be set or read)
  project_role: 1 + 1 POST of default actors; app_property: a PUT or DELETE per changed key
  every other kind: 1 (the create body holds the whole object); an update: 1; a delete: 1"""


def minimum(change: Change, roles: int) -> int:
    """The least writes Jira's API allows for ``change`` (see RULES); ``roles``: project roles."""
    spec, kind = change.after or {}, change.address.kind
    if kind == "app_property":
        return property_writes(change.before or {}, spec)
    if change.action is not Action.CREATE:
        return 1
    if kind == "project":
        return 1 + len(spec.get("components", [])) + len(spec.get("versions", [])) + roles
    extra = {"screen": screen_writes, "field_context": context_writes}.get(kind)
    if extra:
        return extra(spec)
    return {
        "field_configuration": 1 + int(bool(spec.get("fields"))),
        "field_configuration_scheme": 1
        + int(bool(spec.get("issue_types")) or spec.get("default") != DEFAULT_CONFIGURATION),
        "project_role": 1 + int(bool(spec.get("default_actors"))),
    }.get(kind, 1)


def property_writes(before: Spec, after: Spec) -> int:
    old, new = before.get("properties", {}), after.get("properties", {})
    return sum(int(old.get(k) != v) for k, v in new.items()) + len(set(old) - set(new))


def screen_writes(spec: Spec) -> int:
    tabs = spec.get("tabs", [])
    renamed = bool(tabs) and tabs[0]["name"] != FIRST_TAB
    return 1 + max(0, len(tabs) - 1) + renamed + sum(len(t.get("fields", [])) for t in tabs)


def context_writes(spec: Spec) -> int:
    options = spec.get("options", [])
    children = sum(len(o.get("children", [])) for o in options)
    jira_name = f"Default Configuration Scheme for {spec['field']}"
    adopted = not spec.get("projects") and spec["name"] == jira_name
    return (
        (0 if adopted else 1)
        + math.ceil(len(options) / OPTIONS_PER_CALL)
        + math.ceil(children / OPTIONS_PER_CALL)
        + int("default" in spec)
    )


def rebuild(source: tuple[str, ...], latency_ms: float, concurrency: int) -> None:
    with tempfile.TemporaryDirectory() as root:
        with sandbox_process(*source) as url:
            client = plain_client(url)
            export(client, Path(root))
            client.close()
        with sandbox_process("--seed", "fresh", "--latency-ms", str(latency_ms)) as url:
            apply_and_replan(Path(root), url, concurrency)


def apply_and_replan(root: Path, url: str, concurrency: int) -> None:
    desired, settings = load_desired(root), load_settings(root)
    roles = len(desired.of_kind("project_role"))  # each set on a new project (Jira fills them)
    client, recording = recording_client(url, concurrency)
    start = time.monotonic()
    plan, live = make_plan(client, desired, settings)
    planned, reads = time.monotonic() - start, client.counter.requests
    writes: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # kind -> changes, min, sent
    calls: dict[str, Counter[str]] = defaultdict(Counter)  # kind -> write endpoints
    before: list[Counter[str]] = []

    def hook(change: Change, event: str) -> None:
        if event == "start":
            before[:] = [Counter(recording.endpoints)]
        elif event == "done":
            sent = {
                e: n
                for e, n in (recording.endpoints - before[0]).items()
                if not e.startswith("GET ")
            }
            row = writes[change.address.kind]
            for i, n in enumerate((1, minimum(change, roles), sum(sent.values()))):
                row[i] += n
            calls[change.address.kind].update(sent)

    Applier(client, live, settings, hook).apply(plan)
    applied, used = time.monotonic() - start - planned, client.counter.requests - reads
    again, _ = make_plan(client, desired, settings)
    client.close()
    report(len(plan.changes), writes, calls)
    print(
        f"  plan {planned:.1f} s ({reads} reads); apply {applied:.1f} s, {used} requests "
        f"({client.counter.writes} writes), one change at a time"
    )
    print(
        f"  next plan: {len(again.changes)} changes"
        + (" (empty, as it must be)" if not again.changes else " !")
    )


def report(changes: int, writes: dict[str, list[int]], calls: dict[str, Counter[str]]) -> None:
    table(
        ("kind", "changes", "min writes", "writes", "writes/min"),
        [(k, c, m, s, f"{s / m:.2f}" if m else "-") for k, (c, m, s) in sorted(writes.items())],
    )
    least, sent = (sum(row[i] for row in writes.values()) for i in (1, 2))
    print(f"  {changes} changes: {sent} writes, minimum {least} ({sent / least - 1:+.1%})")
    for kind, (_, low, made) in sorted(writes.items()):
        if made > low:
            print(f"  {kind} writes: " + ", ".join(f"{n} {e}" for e, n in calls[kind].items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=0.2)
    parser.add_argument("--latency-ms", type=float, default=50.0)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    app_secrets()  # the demo apps' settings are read and written as the apps
    print(RULES)
    runs: list[tuple[str, tuple[str, ...]]] = [
        (f"large --scale {args.scale:g}", ("--seed", "large", "--scale", str(args.scale))),
        ("demo", ("--seed", "demo")),
    ]
    for label, source in runs:
        print(
            f"\n{label} -> fresh (latency {args.latency_ms:g} ms, concurrency {args.concurrency}):"
        )
        rebuild(source, args.latency_ms, args.concurrency)


if __name__ == "__main__":
    main()
