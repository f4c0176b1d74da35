"""Rebuild a site from its export into a ``fresh`` one; count the writes against the minimum.

    .venv/bin/python -m benchmarks.rebuild [--scale 0.2] [--latency-ms 50] [--concurrency 8]
        [--fault-rate 0.1] [--rate-limit 100] [--skip-demo] [--timeline FILE]

Two runs: ``large --scale S`` -> ``fresh`` and ``demo`` -> ``fresh``. Each exports the source
(not timed), plans and applies against a ``fresh`` sandbox with the injected latency (and faults,
or the sandbox's rate limiter), again until a plan is empty, then exports the rebuilt site (it
must be identical to the source's export). Writes are counted per change (the requests made while
the applier ran it) and summed per kind, next to the least that Jira's API allows (see
``minimum``); the apply's wall time is set against writes x latency / concurrency, and under a
rate limit the whole rebuild against the time its budget allows. ``--concurrency 0`` uses the
client's adaptive limit.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from benchmarks._measure import Recording, load, plain_client, recording_client, table, verdict
from benchmarks._sandbox import sandbox_process
from jiracfg.apply import Applier
from jiracfg.client import CEILING, START, JiraClient
from jiracfg.demo import app_secrets, tree_differences
from jiracfg.errors import JiraApiError
from jiracfg.export import export
from jiracfg.model import Spec
from jiracfg.plan.model import Action, Change, Plan
from jiracfg.plan.planner import make_plan
from jiracfg.repo import load_desired, load_settings

ROUNDS = 5  # plan-and-apply rounds at most (a fault that outlives the retries needs another)

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


@dataclass
class Target:
    """The ``fresh`` sandbox rebuilt into, and how the client talks to it."""

    latency_ms: float
    concurrency: int | None  # None: the adaptive limit
    fault_rate: float = 0.0
    rate_limit: float = 0.0  # the sandbox's cost budget per second (0: none)
    timeline: Path | None = None  # where to write every request: start, end, endpoint, status

    def options(self) -> tuple[str, ...]:
        out = ("--seed", "fresh", "--latency-ms", str(self.latency_ms))
        if self.fault_rate:
            out += ("--fault-rate", str(self.fault_rate), "--fault-seed", "7")
        if self.rate_limit:
            out += ("--rate-limit", str(self.rate_limit))
        return out


def rebuild(source: tuple[str, ...], target: Target) -> None:
    with tempfile.TemporaryDirectory() as root:
        exported, again = Path(root) / "source", Path(root) / "rebuilt"
        with sandbox_process(*source) as url:
            client = plain_client(url)
            export(client, exported)
            client.close()
        server_cpu = children_cpu()
        with sandbox_process(*target.options()) as url:
            apply_and_replan(exported, url, target)
            client = plain_client(url)
            export(client, again)
            client.close()
        print(
            f"  the target sandbox used {children_cpu() - server_cpu:.1f} s of CPU in all; "
            f"load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
        )
        # ``fresh`` has the demo company's two apps installed (without settings), which ``large``
        # lacks: their files are new in the rebuilt site's export, not different
        differences = [
            d
            for d in tree_differences(exported, again)
            if not (d.startswith("apps/") and not (exported / d).exists())
        ]
        print(
            f"  re-export of the rebuilt site: {len(differences)} file(s) differ"
            + (" (identical, as it must be)" if not differences else f" ! {differences[:5]}")
        )


def children_cpu() -> float:
    """CPU seconds of the child processes that have ended (the sandboxes)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def apply_and_replan(root: Path, url: str, target: Target) -> None:
    """Plan and apply until a plan is empty (one round without faults), timed and counted."""
    desired, settings = load_desired(root), load_settings(root)
    roles = len(desired.of_kind("project_role"))  # each set on a new project (Jira fills them)
    client, recording = recording_client(url, target.concurrency)
    rounds: list[Round] = []
    cpu = time.process_time()
    while len(rounds) < ROUNDS:
        start = time.monotonic()
        plan, live = make_plan(client, desired, settings)
        planned = time.monotonic()
        if not plan.changes:
            break
        paused, busy = client.limit.paused, client.limit.busy
        applier = Applier(client, live, settings)
        try:
            applier.apply(plan)
        except JiraApiError as exc:  # a fault that outlived the retries: the next round reruns
            failed = applier.result.failed or ["(the data step)"]
            print(f"  round {len(rounds) + 1}: {len(failed)} change(s) failed, first {failed[0]}:")
            print(f"    {str(exc)[:300]}")
        applied = time.monotonic() - planned
        rounds.append(
            Round(
                plan,
                planned - start,
                applied,
                client.limit.paused - paused,
                client.limit.busy - busy,
            )
        )
    cpu = time.process_time() - cpu
    if target.timeline:
        target.timeline.write_text(json.dumps(recording.timeline))
    first = rounds[0].plan
    writes = tally(first, recording, roles)
    report(len(first.changes), writes, recording)
    summary(rounds, recording, client, target)
    print(f"  the client used {cpu:.1f} s of CPU planning and applying")
    again, _ = make_plan(client, desired, settings)
    client.close()
    print(
        f"  next plan: {len(again.changes)} changes"
        + (" (empty, as it must be)" if not again.changes else " !")
    )


@dataclass(frozen=True)
class Round:
    """One plan and apply: seconds planning and applying, and paused by 429s while applying."""

    plan: Plan
    planning: float
    applying: float
    paused: float
    busy: float  # request-seconds in flight while applying


def tally(plan: Plan, recording: Recording, roles: int) -> dict[str, list[int]]:
    """Per kind: changes, the minimum writes and the writes sent (retries included)."""
    writes: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for change in plan.changes:
        sent = recording.by_change.get(str(change.address), Counter())
        row = writes[change.address.kind]
        row[0] += 1
        row[1] += minimum(change, roles)
        row[2] += sum(n for e, n in sent.items() if not e.startswith("GET "))
    return writes


def summary(
    rounds: list[Round],
    recording: Recording,
    client: JiraClient,
    target: Target,
) -> None:
    applied, paused = sum(r.applying for r in rounds), sum(r.paused for r in rounds)
    sent = sum(recording.endpoints.values())
    reads = sum(n for e, n in recording.by_change_total().items() if e.startswith("GET "))
    made = sum(n for e, n in recording.by_change_total().items() if not e.startswith("GET "))
    width = target.concurrency or client.limit.ceiling
    floor = made * target.latency_ms / 1000 / width
    print(
        f"  {len(rounds)} apply round(s): {applied:.1f} s, {made} writes and {reads} reads made by "
        f"changes ({reads / max(1, reads + made):.0%} reads); {sent} requests in all "
        f"(plans included), {client.counter.retries} retried, {client.counter.throttled} "
        f"answered 429/503"
    )
    if target.concurrency:
        print(
            f"  floor writes x latency / concurrency = {made} x {target.latency_ms:g} ms / "
            f"{width} = {floor:.1f} s; apply took {applied / floor:.2f}x that"
        )
        verdict("apply / floor", applied / floor, 2.0)
    if paused and target.concurrency and not target.rate_limit:
        print(
            f"  429s paused every request for {paused:.1f} s of the apply (their Retry-After); "
            f"floor + pauses = {floor + paused:.1f} s: apply took {applied / (floor + paused):.2f}x"
        )
        verdict("apply / (floor + pauses Jira asked for)", applied / (floor + paused), 2.0)
    elif paused:
        print(f"  429s paused every request for {paused:.1f} s of the apply (their Retry-After)")
    gets = [(e, n) for e, n in recording.by_change_total().most_common() if e.startswith("GET ")]
    print("  reads made by changes: " + ", ".join(f"{n} {e[4:]}" for e, n in gets[:6]))
    print(
        f"  planning {sum(r.planning for r in rounds):.1f} s; in flight while applying "
        f"{sum(r.busy for r in rounds) / max(applied, 1e-9):.1f} on average, at most "
        f"{client.limit.peak}, limit now {client.limit.limit:.1f}, "
        f"{client.limit.decreases} decrease(s)"
    )
    took = [end - start for start, end, _, _ in recording.timeline]
    print(
        f"  a request took {1000 * sum(took) / max(1, len(took)):.0f} ms on average "
        f"({target.latency_ms:g} ms injected; the rest is the two processes' CPU on this machine)"
    )
    if target.rate_limit:
        allowed = max(0.0, recording.cost() - target.rate_limit) / target.rate_limit
        took = applied + sum(r.planning for r in rounds)
        print(
            f"  rate limit {target.rate_limit:g}/s: admitted cost {recording.cost()}, "
            f"the budget allows {allowed:.1f} s; plan + apply took {took:.1f} s "
            f"({took / max(allowed, 1e-9):.2f}x)"
        )
        verdict("plan + apply / time the budget allows", took / max(allowed, 1e-9), 1.3)


def report(changes: int, writes: dict[str, list[int]], recording: Recording) -> None:
    table(
        ("kind", "changes", "min writes", "writes", "writes/min"),
        [(k, c, m, s, f"{s / m:.2f}" if m else "-") for k, (c, m, s) in sorted(writes.items())],
    )
    least, sent = (sum(row[i] for row in writes.values()) for i in (1, 2))
    print(f"  {changes} changes: {sent} writes, minimum {least} ({sent / least - 1:+.1%})")
    calls: dict[str, Counter[str]] = defaultdict(Counter)
    for address, endpoints in recording.by_change.items():
        calls[address.split("/", 1)[0]].update(
            {e: n for e, n in endpoints.items() if not e.startswith("GET ")}
        )
    for kind, (_, low, made) in sorted(writes.items()):
        if made > low:
            print(f"  {kind} writes: " + ", ".join(f"{n} {e}" for e, n in calls[kind].items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=0.2)
    parser.add_argument("--latency-ms", type=float, default=50.0)
    parser.add_argument(
        "--concurrency", type=int, default=8, help="requests in flight; 0: the adaptive limit"
    )
    parser.add_argument("--fault-rate", type=float, default=0.0)
    parser.add_argument(
        "--rate-limit", type=float, default=0.0, help="the target sandbox's cost budget a second"
    )
    parser.add_argument("--skip-demo", action="store_true")
    parser.add_argument(
        "--timeline", type=Path, help="write every request (start, end, endpoint, status) as JSON"
    )
    args = parser.parse_args()
    app_secrets()  # the demo apps' settings are read and written as the apps
    print(RULES)
    print(f"\nstarting at {load()}")
    target = Target(
        args.latency_ms, args.concurrency or None, args.fault_rate, args.rate_limit, args.timeline
    )
    runs: list[tuple[str, tuple[str, ...]]] = [
        (f"large --scale {args.scale:g}", ("--seed", "large", "--scale", str(args.scale))),
        *([] if args.skip_demo else [("demo", ("--seed", "demo"))]),
    ]
    for label, source in runs:
        print(f"\n{label} -> fresh ({' '.join(target.options()[2:])}, {describe(target)}):")
        rebuild(source, target)


def describe(target: Target) -> str:
    if target.concurrency:
        return f"{target.concurrency} in flight"
    return f"adaptive limit from {START} up to {CEILING} in flight"


if __name__ == "__main__":
    main()
