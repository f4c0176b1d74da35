"""Export a ``large`` sandbox and compare its requests with the least any export could send.

    .venv/bin/python -m benchmarks.export_large [--scale 1] [--latency-ms 50] [--concurrency 8]
        [--rate-limit 100]

The sandbox is seeded into a temporary SQLite file once (no latency); the lower bound is read from
it over REST (not counted); then a second sandbox serves the same file with the injected latency
and the timed export runs against it in a temporary directory. Prints per kind and per endpoint
the requests sent against the bound, the wall time against requests x latency / concurrency, and
peak memory. ``--rate-limit B`` serves it behind the sandbox's rate limiter (a budget of B cost
units a second) and compares the fetch with the time that budget allows; ``--concurrency 0`` uses
the client's adaptive limit.
"""

from __future__ import annotations

import argparse
import math
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks._measure import (
    load,
    peak_rss_mb,
    plain_client,
    recording_client,
    round_trip,
    table,
    verdict,
)
from benchmarks._sandbox import sandbox_process
from jiracfg.client import JiraClient
from jiracfg.export import export

TABS_PAGE = 100  # Jira's cap for /screens/tabs (the spec says so; the sandbox allows more)
PROJECT_IDS = 100  # project ids per bulk scheme lookup (/workflowscheme/project: maxItems 100)
FCS_IDS = 50  # scheme ids per /fieldconfigurationscheme/mapping (maxItems 50)
GROUP_MEMBERS = 50  # members per /group/member page (the spec's cap)
OPTION_TYPES = ("select", "multiselect", "cascadingselect", "radiobuttons", "multicheckboxes")
NO_BULK = "no bulk endpoint: one read per {}"


@dataclass
class Need:
    kind: str
    bound: int
    note: str = ""


Bound = dict[str, Need]  # endpoint pattern ("GET /screens") -> the least reads of it


def pages(
    client: JiraClient,
    path: str,
    params: dict[str, Any] | None = None,
    size: str = "maxResults",
    cap: int | None = None,
) -> int:
    """Pages of a PageBean at the endpoint's own cap (asked for far too many, Jira answers with
    its cap in ``maxResults``)."""
    body = client.get(path, {**(params or {}), size: 10**6, "startAt": 0})
    total = int(body.get("total", len(body["values"])))
    return max(1, math.ceil(total / min(int(body["maxResults"]), cap or 10**6)))


def lower_bound(client: JiraClient) -> Bound:
    """The least requests an export of this instance needs, per endpoint."""
    bound: Bound = {}
    for part in (
        simple_lists,
        screens,
        field_configurations,
        projects,
        field_contexts,
        people,
        access,
        inventory,
    ):
        bound.update(part(client))
    return bound


def simple_lists(client: JiraClient) -> Bound:
    one = {
        "app_property": "/rest/plugins/1.0/",
        "custom_field": "/field",
        "issue_link_type": "/issueLinkType",
        "issue_type": "/issuetype",
        "project_category": "/projectCategory",
        "project_role": "/role",
        "permission_scheme": "/permissionscheme",
        "webhook": "/rest/webhooks/1.0/webhook",
    }
    paged = [
        ("custom_field", "/field/search", {"type": "custom"}),
        ("priority", "/priority/search", {}),
        ("resolution", "/resolution/search", {}),
        ("status", "/statuses/search", {}),
        ("notification_scheme", "/notificationscheme", {}),
        ("issue_type_scheme", "/issuetypescheme", {}),
        ("issue_type_scheme", "/issuetypescheme/mapping", {}),
        ("field_configuration_scheme", "/fieldconfigurationscheme", {}),
        ("screen_scheme", "/screenscheme", {}),
        ("workflow", "/workflows/search", {}),
        ("issue_type_screen_scheme", "/issuetypescreenscheme", {}),
        ("issue_type_screen_scheme", "/issuetypescreenscheme/mapping", {}),
        ("workflow_scheme", "/workflowscheme", {}),
    ]
    bound = {f"GET {path}": Need(kind, 1) for kind, path in one.items()}
    bound |= {
        f"GET {path}": Need(kind, pages(client, path, params)) for kind, path, params in paged
    }
    schemes = [str(s["id"]) for s in client.paged("/fieldconfigurationscheme")]
    bound["GET /fieldconfigurationscheme/mapping"] = Need(
        "field_configuration_scheme",
        sum(
            pages(
                client,
                "/fieldconfigurationscheme/mapping",
                {"fieldConfigurationSchemeId": schemes[i : i + FCS_IDS]},
            )
            for i in range(0, len(schemes), FCS_IDS)
        ),
    )
    return bound


def screens(client: JiraClient) -> Bound:
    ids = [str(s["id"]) for s in client.paged("/screens")]
    tabs = sum(
        client.get("/screens/tabs", {"screenId": ids[i : i + TABS_PAGE], "maxResult": 1})["total"]
        for i in range(0, len(ids), TABS_PAGE)
    )
    return {
        "GET /screens": Need("screen", pages(client, "/screens")),
        "GET /screens/tabs": Need(
            "screen",
            max(1, math.ceil(tabs / TABS_PAGE)),
            f"{tabs} tabs, {TABS_PAGE} a page (Jira's cap)",
        ),
        "GET /screens/{id}/tabs/{id}/fields": Need("screen", tabs, NO_BULK.format("tab")),
    }


def field_configurations(client: JiraClient) -> Bound:
    ids = [str(c["id"]) for c in client.paged("/fieldconfiguration")]
    items = sum(client.map(lambda i: pages(client, f"/fieldconfiguration/{i}/fields"), ids))
    return {
        "GET /fieldconfiguration": Need(
            "field_configuration", pages(client, "/fieldconfiguration")
        ),
        "GET /fieldconfiguration/{id}/fields": Need(
            "field_configuration", items, NO_BULK.format(f"configuration ({len(ids)})")
        ),
    }


def projects(client: JiraClient) -> Bound:
    ids = [str(p["id"]) for p in client.paged("/project/search", {"maxResults": 100})]
    roles = [r for r in client.get("/role") if r["name"] != "atlassian-addons-project-access"]
    lookups = math.ceil(len(ids) / PROJECT_IDS)
    bound = {
        f"GET {path}": Need("project", lookups, f"{PROJECT_IDS} project ids a request")
        for path in (
            "/issuetypescheme/project",
            "/issuetypescreenscheme/project",
            "/fieldconfigurationscheme/project",
            "/workflowscheme/project",
            "/notificationscheme/project",
            "/issuesecurityschemes/project",
        )
    }
    per_project = NO_BULK.format(f"project ({len(ids)})")
    return bound | {
        "GET /project/search": Need("project", pages(client, "/project/search", cap=100)),
        "GET /project/{id}": Need("project", len(ids), per_project + ": components, versions"),
        "GET /project/{id}/permissionscheme": Need("project", len(ids), per_project),
        "GET /project/{id}/role/{id}": Need(
            "project", len(ids) * len(roles), NO_BULK.format(f"project and role ({len(roles)})")
        ),
    }


def field_contexts(client: JiraClient) -> Bound:
    fields = [
        f
        for f in client.paged("/field/search", {"type": "custom", "expand": "isLocked"})
        if not f.get("isLocked")
    ]
    reads: Counter[str] = Counter()
    for found in client.map(lambda f: context_reads(client, f), fields):
        reads.update(found)
    note = NO_BULK.format(f"field ({len(fields)})")
    base = "GET /field/{field}/context"
    return {
        f"{base}{suffix}": Need("field_context", reads[suffix], note + extra)
        for suffix, extra in (
            ("", ""),
            ("/projectmapping", ", if a context has projects"),
            ("/issuetypemapping", ", if a context has issue types"),
            ("/defaultValue", ""),
        )
    } | {
        f"{base}/{{id}}/option": Need(
            "field_context", reads["/option"], NO_BULK.format("context of an option field")
        )
    }


def context_reads(client: JiraClient, field: dict[str, Any]) -> Counter[str]:
    path = f"/field/{field['id']}/context"
    contexts = list(client.paged(path))
    if not contexts:
        return Counter({"": 1})
    options = str(field["schema"].get("custom", "")).endswith(tuple(f":{t}" for t in OPTION_TYPES))
    return Counter(
        {
            "": 1,
            "/defaultValue": 1,
            "/projectmapping": int(not all(c["isGlobalContext"] for c in contexts)),
            "/issuetypemapping": int(not all(c["isAnyIssueType"] for c in contexts)),
            "/option": sum(pages(client, f"{path}/{c['id']}/option") for c in contexts)
            if options
            else 0,
        }
    )


def people(client: JiraClient) -> Bound:
    users, start = 0, 0
    while batch := client.get("/users/search", {"startAt": start, "maxResults": 1000}):
        users, start = users + len(batch), start + 1000
    return {
        "GET /users/search": Need("(people)", users // 1000 + 1, f"{users} users, 1000 a page"),
        "GET /group/bulk": Need("(people)", pages(client, "/group/bulk")),
    }


def access(client: JiraClient) -> Bound:
    """Groups with their members, issue security schemes (levels, members) and priority
    schemes."""
    groups = [str(g["groupId"]) for g in client.paged("/group/bulk")]
    members = sum(pages(client, "/group/member", {"groupId": g}, cap=GROUP_MEMBERS) for g in groups)
    schemes = client.get("/issuesecurityschemes")["issueSecuritySchemes"]
    listings = {
        f"GET /issuesecurityschemes/{part}": Need(
            "issue_security_scheme", pages(client, f"/issuesecurityschemes/{part}")
        )
        for part in ("level", "level/member")
        if schemes
    }
    return listings | {
        "GET /group/member": Need(
            "group", members, NO_BULK.format(f"group ({len(groups)})") + f", {GROUP_MEMBERS} a page"
        ),
        "GET /issuesecurityschemes": Need("issue_security_scheme", 1),
        "GET /priorityscheme": Need("priority_scheme", pages(client, "/priorityscheme")),
    }


def inventory(client: JiraClient) -> Bound:
    keys = len(list(client.paged("/project/search", {"maxResults": 100})))
    bound = {
        f"GET {path}": Need("(inventory)", 1)
        for path in (
            "/filter/search",
            "/dashboard/search",
            "/rest/agile/1.0/board",
        )
    }
    bound["POST /search/approximate-count"] = Need(
        "(inventory)", max(1, math.ceil(keys / 100)), "issues of 100 projects a count"
    )
    return bound


# -- the timed run --------------------------------------------------------------------------------
@dataclass
class Run:
    requests: int
    endpoints: Counter[str]
    fetch_s: float
    total_s: float
    throttled: int = 0  # answered 429 by the sandbox's rate limiter (and retried)
    cost: int = 0  # of the admitted requests, in the rate limiter's units
    limit: str = ""  # the adaptive limit at the end


def timed_export(url: str, concurrency: int | None) -> Run:
    client, recording = recording_client(url, concurrency)
    fetched: list[float] = []
    start = time.monotonic()
    try:
        with tempfile.TemporaryDirectory() as out:
            export(client, Path(out), progress=lambda kind, n: fetched.append(time.monotonic()))
        total = time.monotonic() - start
        limit = (
            f"peak {client.limit.peak} in flight, limit now {client.limit.limit:.1f}, "
            f"{client.limit.decreases} decrease(s), every request paused by 429s for "
            f"{client.limit.paused:.1f} s"
        )
        return Run(
            client.counter.requests,
            recording.endpoints,
            max(fetched) - start,
            total,
            sum(recording.throttled.values()),
            recording.cost(),
            limit,
        )
    finally:
        client.close()


def report(bound: Bound, run: Run) -> None:
    kinds: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    rows = []
    for name in sorted(set(bound) | set(run.endpoints)):
        need = bound.get(name, Need("(not in the bound)", 0))
        sent = run.endpoints.get(name, 0)
        kinds[need.kind][0] += need.bound
        kinds[need.kind][1] += sent
        rows.append((need.kind, name, need.bound, sent, need.note))
    print("\nPer kind (bound = the least requests for this instance):")
    table(
        ("kind", "bound", "sent", "sent/bound"),
        [(k, b, s, f"{s / b:.2f}" if b else "-") for k, (b, s) in sorted(kinds.items())],
    )
    print("\nPer endpoint:")
    table(("kind", "endpoint", "bound", "sent", "why"), sorted(rows))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--latency-ms", type=float, default=50.0)
    parser.add_argument(
        "--concurrency", type=int, default=8, help="requests in flight; 0: the adaptive limit"
    )
    parser.add_argument(
        "--rate-limit", type=float, default=0.0, help="the sandbox's cost budget a second"
    )
    args = parser.parse_args()
    print(f"starting at {load()}")
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "large.db")
        started = time.monotonic()
        with sandbox_process("--seed", "large", "--scale", str(args.scale), "--db", db) as url:
            print(f"seeded large --scale {args.scale:g} in {time.monotonic() - started:.0f} s")
            bound = measured(url, "lower bound read")
        limited = ("--rate-limit", str(args.rate_limit)) if args.rate_limit else ()
        with sandbox_process("--db", db, "--latency-ms", str(args.latency_ms), *limited) as url:
            # (the round trip's requests would spend the rate limiter's budget)
            rtt = args.latency_ms / 1000 if limited else round_trip(url, args.concurrency or 8)
            rss = peak_rss_mb()
            run = timed_export(url, args.concurrency or None)
    summary(args, bound, run, rtt, rss)


def measured(url: str, label: str) -> Bound:
    start, client = time.monotonic(), plain_client(url)
    try:
        return lower_bound(client)
    finally:
        client.close()
        print(f"{label} in {time.monotonic() - start:.1f} s (not counted)")


def summary(args: argparse.Namespace, bound: Bound, run: Run, rtt: float, rss: float) -> None:
    report(bound, run)
    least = sum(n.bound for n in bound.values())
    latency = args.latency_ms / 1000
    print(
        f"\nexport of large --scale {args.scale:g}, latency {args.latency_ms:g} ms, "
        f"concurrency {args.concurrency}"
    )
    print(
        f"  requests         {run.requests:7d}   lower bound {least} "
        f"({run.requests / least - 1:+.1%})"
    )
    print(
        f"  wall time        {run.total_s:7.1f} s (fetch {run.fetch_s:.1f} s, "
        f"writing the repo and the inventory {run.total_s - run.fetch_s:.1f} s)"
    )
    if args.concurrency:  # (the adaptive limit has no fixed width to divide by)
        print(
            f"  ideal fetch      {run.requests * latency / args.concurrency:7.1f} s "
            f"= requests x latency / concurrency"
        )
        print(
            f"  achievable fetch {run.requests * rtt / args.concurrency:7.1f} s "
            f"= requests x measured round trip ({rtt * 1000:.1f} ms) / concurrency"
        )
    print(f"  peak memory      {peak_rss_mb():7.0f} MB RSS ({rss:.0f} MB before the export)")
    print(f"  client           {run.limit}; {run.throttled} answered 429 (all retried)")
    if args.rate_limit:
        allowed = max(0.0, run.cost - args.rate_limit) / args.rate_limit
        print(
            f"  rate limit       {args.rate_limit:g} a second: admitted cost {run.cost}, the "
            f"budget allows {allowed:.1f} s; the fetch took {run.fetch_s / max(allowed, 1e-9):.2f}x"
        )
        verdict("fetch / time the budget allows", run.fetch_s / max(allowed, 1e-9), 1.3)
    elif args.concurrency:
        ideal = run.requests * latency / args.concurrency
        verdict("fetch / requests x latency / concurrency", run.fetch_s / ideal, 1.3)


if __name__ == "__main__":
    main()
