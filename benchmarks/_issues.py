"""Issues at scale for the data benchmarks: a sandbox seeded with ``large --scale S`` gets ``N``
more issues over REST (bulk create, no latency, not timed), a share of them with comments,
worklogs, attachments, watchers, remote links and properties, as a busy site has."""

from __future__ import annotations

import random
from typing import Any

from jiracfg.client import JiraClient

BULK = 50


def adf(text: str) -> dict[str, Any]:
    paragraph = {"type": "paragraph", "content": [{"type": "text", "text": text}]}
    return {"type": "doc", "version": 1, "content": [paragraph]}


def populate(client: JiraClient, issues: int, projects: int = 10) -> list[str]:
    """Create ``issues`` issues over the first ``projects`` projects; their keys."""
    keys = sorted(str(p["key"]) for p in client.paged("/project/search"))[:projects]
    types = {k: _standard_type(client, k) for k in keys}
    bodies = [
        {
            "fields": {
                "project": {"key": k},
                "issuetype": {"id": types[k]},
                "summary": f"Benchmark issue {n}: what it is about, in a few words",
            }
        }
        for n in range(issues)
        for k in [keys[n % len(keys)]]
    ]
    batches = [bodies[i : i + BULK] for i in range(0, len(bodies), BULK)]
    made = client.map(lambda b: client.post("/issue/bulk", {"issueUpdates": b}), batches)
    created = [str(i["key"]) for answer in made for i in answer["issues"]]
    client.map(lambda key: _extras(client, key, random.Random(key).random()), created)
    return created


def _standard_type(client: JiraClient, project: str) -> str:
    found = client.get(f"/project/{project}")["issueTypes"]
    return str(next(t["id"] for t in found if not t.get("subtask")))


def _extras(client: JiraClient, key: str, draw: float) -> None:
    """About a fifth of the issues get comments, a tenth worklogs, and so on."""
    if draw < 0.2:
        client.post(f"/issue/{key}/comment", {"body": adf(f"A comment on {key}")})
    if draw < 0.1:
        body = {"started": "2024-05-02T09:00:00.000+0000", "timeSpentSeconds": 1800}
        client.post(f"/issue/{key}/worklog", body, {"adjustEstimate": "leave"})
    if draw < 0.05:
        client.post(
            f"/issue/{key}/remotelink", {"object": {"url": f"https://ci/{key}", "title": key}}
        )
        client.put(f"/issue/{key}/properties/benchmark", {"draw": round(draw, 4)})
    if draw < 0.02:
        client.upload(f"/issue/{key}/attachments", f"{key}.txt", (key * 500).encode(), "text/plain")
