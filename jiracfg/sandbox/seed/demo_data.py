"""The ``demo`` seed's issue data, built through the sandbox's REST routes like the rest of the
seed: issues in every project with values for every field on their create screen (every custom
field type the demo has), descriptions in ADF with mentions and tables, epics with children and
sub-tasks (through ``parent``; an OPS task in an ENG epic), issue links across projects,
statuses spread over each workflow (resolution set on the transition screens), comments (some
restricted to a group or role, one with a property), worklogs, attachments, watchers, remote links
and issue properties on a share of them, and a few deleted issues, which leave gaps in their
project's keys.
"""

from __future__ import annotations

import random
from typing import Any

from jiracfg.sandbox.seed.local import Local

ISSUES_PER_PROJECT = {"ENG": 140, "OPS": 60, "SUP": 80, "MKT": 40}
EPICS, SUBTASKS, RICH_EVERY = 3, 10, 8  # epics and sub-tasks in ENG; extras on every 8th issue
DELETED = ["ENG-5", "ENG-6", "SUP-3", "MKT-40"]  # the last one: MKT's next issue is MKT-41
# issue links (type, source, destination): across projects, two between one pair, one to an epic
LINKS = [
    ("Blocks", "ENG-10", "OPS-4"),
    ("Relates", "ENG-10", "OPS-4"),
    ("Blocks", "ENG-11", "ENG-12"),
    ("Relates", "SUP-7", "ENG-20"),
    ("Duplicate", "SUP-8", "SUP-9"),
    ("Causes", "OPS-10", "SUP-12"),
    ("Blocks", "OPS-11", "ENG-30"),
    ("Cloners", "ENG-31", "ENG-32"),
    ("Relates", "MKT-2", "MKT-3"),
    ("Blocks", "ENG-1", "ENG-41"),
]
USERS = ["alice", "bob", "carol", "dan", "erin"]
PRIORITIES = ("Highest", "High", "Medium", "Low")  # not Blocker/Lowest: schemes may drop them
FILL_SHARE = 0.7  # of the optional fields on the screen
SKIPPED = {"summary", "project", "issuetype", "parent", "reporter", "attachment"}
EXCLUDED_TYPES = ("Epic", "Sub-task")
SUMMARIES = [
    "Checkout fails for large carts",
    "Add dark mode to settings",
    "Rotate API keys",
    "Customer cannot reset password",
    "Slow search on mobile",
    "Update pricing page",
    "Migrate billing to new provider",
    "Broken link in onboarding email",
    "Alert on disk usage",
    "Write launch blog post",
    "Invoice totals off by a cent",
    "Export to CSV",
    "SSO login loops",
    "Translate help centre into German",
]


def account(handle: str) -> str:
    return f"557058:{handle}"


def text(value: str) -> dict[str, Any]:
    return {"type": "text", "text": value}


def paragraph(*content: dict[str, Any]) -> dict[str, Any]:
    return {"type": "paragraph", "content": list(content)}


def adf(*content: dict[str, Any]) -> dict[str, Any]:
    return {"type": "doc", "version": 1, "content": list(content)}


def mention(handle: str) -> dict[str, Any]:
    return {
        "type": "mention",
        "attrs": {"id": account(handle), "text": f"@{handle.title()}", "accessLevel": ""},
    }


def cell(kind: str, value: str) -> dict[str, Any]:
    return {"type": kind, "attrs": {}, "content": [paragraph(text(value))]}


def table(rows: list[list[str]]) -> dict[str, Any]:
    return {
        "type": "table",
        "attrs": {"isNumberColumnEnabled": False, "layout": "default"},
        "content": [
            {
                "type": "tableRow",
                "content": [cell("tableHeader" if i == 0 else "tableCell", v) for v in row],
            }
            for i, row in enumerate(rows)
        ],
    }


def description(rng: random.Random, number: int) -> dict[str, Any]:
    """ADF: a paragraph mentioning someone, and on every third issue a table."""
    who = rng.choice(USERS)
    parts = [paragraph(text(f"Reported as item {number}. "), mention(who), text(" to look."))]
    if number % 3 == 0:
        parts.append(table([["Environment", "Result"], ["staging", "ok"], ["prod", "fails"]]))
    return adf(*parts)


class DemoData:
    def __init__(self, api: Local, rng: random.Random, field_ids: list[str]) -> None:
        self.api, self.rng, self.field_ids = api, rng, field_ids
        self.meta: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.offered: dict[tuple[str, str, str | None], list[dict[str, Any]]] = {}
        self.number = 0

    def build(self) -> None:
        epics = self.epics()
        for key, count in ISSUES_PER_PROJECT.items():
            types = self.types(key)
            bodies = [self.fields(key, types[self.rng.randrange(len(types))]) for _ in range(count)]
            if key == "ENG":
                for index in range(0, count, 7):
                    bodies[index]["parent"] = {"key": epics[(index // 7) % EPICS]}
            made = self.bulk(bodies)
            for index, issue in enumerate(made):
                self.walk(issue, self.rng.randrange(4))
                if index % RICH_EVERY == 0:
                    self.extras(issue["key"], index)
        self.subtasks()
        self.cross_project(epics[0])
        for key in DELETED:
            self.api.delete(f"/issue/{key}")

    def bulk(self, bodies: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Create issues 50 at a time (``POST /issue/bulk``), in order."""
        made: list[dict[str, Any]] = []
        for start in range(0, len(bodies), 50):
            chunk = [{"fields": b} for b in bodies[start : start + 50]]
            answer = self.api.post("/issue/bulk", {"issueUpdates": chunk})
            if answer["errors"]:
                raise ValueError(f"demo issues refused: {answer['errors'][:2]}")
            made += [
                {**m, "status": None, "body": b["fields"]}
                for m, b in zip(answer["issues"], chunk, strict=True)
            ]
        return made

    # -- issues ------------------------------------------------------------------------------
    def types(self, project: str) -> list[dict[str, Any]]:
        found = self.api.get(f"/issue/createmeta/{project}/issuetypes")["issueTypes"]
        return [t for t in found if t["name"] not in EXCLUDED_TYPES]

    def fields_for(self, project: str, type_id: str) -> list[dict[str, Any]]:
        if (project, type_id) not in self.meta:
            path = f"/issue/createmeta/{project}/issuetypes/{type_id}"
            self.meta[(project, type_id)] = self.api.get(path, maxResults=200)["fields"]
        return self.meta[(project, type_id)]

    def issue(self, project: str, kind: dict[str, Any], **extra: Any) -> dict[str, Any]:
        made: dict[str, Any] = self.api.post(
            "/issue", {"fields": self.fields(project, kind, **extra)}
        )
        return made

    def fields(self, project: str, kind: dict[str, Any], **extra: Any) -> dict[str, Any]:
        """A create request's fields: every field on the create screen filled by type (the
        optional ones 70% of the time)."""
        self.number += 1
        fields: dict[str, Any] = {
            "project": {"key": project},
            "issuetype": {"id": kind["id"]},
            "summary": f"{SUMMARIES[self.number % len(SUMMARIES)]} #{self.number}",
            **extra,
        }
        for meta in self.fields_for(project, kind["id"]):
            if meta["fieldId"] in SKIPPED or meta["fieldId"] in fields:
                continue
            if meta["required"] or self.rng.random() < FILL_SHARE:
                value = self.value(meta)
                if value is not None:
                    fields[meta["fieldId"]] = value
        return fields

    def value(self, meta: dict[str, Any]) -> Any:
        """A value of the field's type (options, versions and components from ``allowedValues``)."""
        schema, rng = meta["schema"], self.rng
        kind = str(schema.get("custom") or schema.get("system") or "").rsplit(":", 1)[-1]
        allowed = meta.get("allowedValues")
        if meta["fieldId"] == "priority" and allowed:
            allowed = [p for p in allowed if p["name"] in PRIORITIES]
        if allowed is not None:
            return self.allowed(kind, schema, allowed)
        makers: dict[str, Any] = {
            "description": lambda: description(rng, self.number),
            "textarea": lambda: adf(paragraph(text(f"Notes for item {self.number}."))),
            "environment": lambda: adf(paragraph(text("Production, eu-west-1"))),
            "textfield": lambda: f"Campaign {rng.randrange(1, 20)}",
            "url": lambda: f"https://design.acme.example/d/{self.number}",
            "float": lambda: float(rng.choice([1, 2, 3, 5, 8, 13])),
            "datepicker": lambda: f"2026-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}",
            "duedate": lambda: f"2026-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}",
            "datetime": lambda: (
                f"2026-05-{rng.randrange(1, 29):02d}T{rng.randrange(24):02d}:15:00.000+0200"
            ),
            "userpicker": lambda: {"accountId": account(rng.choice(USERS))},
            "assignee": lambda: {"accountId": account(rng.choice(USERS))},
            "multiuserpicker": lambda: [{"accountId": account(u)} for u in rng.sample(USERS, 2)],
            "labels": lambda: rng.sample(["backend", "ux", "urgent", "q3", "customer"], 2),
            "grouppicker": lambda: {"name": rng.choice(["jira-users", "jira-software-users"])},
            "timetracking": lambda: {"originalEstimate": rng.choice(["2h", "1d", "3d 4h", "1w"])},
        }
        make = makers.get(kind)
        return None if make is None else make()

    def allowed(self, kind: str, schema: dict[str, Any], allowed: list[dict[str, Any]]) -> Any:
        if not allowed:
            return None
        pick = self.rng.choice(allowed)
        if kind == "cascadingselect":
            child = self.rng.choice(pick["children"]) if pick.get("children") else None
            return {"id": pick["id"], **({"child": {"id": child["id"]}} if child else {})}
        if schema.get("type") == "array":
            chosen = self.rng.sample(allowed, min(len(allowed), 2))
            return [{"id": c["id"]} for c in chosen]
        return {"id": pick["id"]}

    def epics(self) -> list[str]:
        kind = next(
            t
            for t in self.api.get("/issue/createmeta/ENG/issuetypes")["issueTypes"]
            if t["name"] == "Epic"
        )
        return [self.issue("ENG", kind)["key"] for _ in range(EPICS)]

    def subtasks(self) -> None:
        stories = self.api.post(
            "/search/jql",
            {"jql": "project = ENG AND issuetype = Story ORDER BY key", "fields": ["key"]},
        )["issues"][:SUBTASKS]
        kind = next(
            t
            for t in self.api.get("/issue/createmeta/ENG/issuetypes")["issueTypes"]
            if t["name"] == "Sub-task"
        )
        for story in stories:
            self.issue("ENG", kind, parent={"key": story["key"]})

    def cross_project(self, epic: str) -> None:
        """Issue links (across projects too) and an OPS task in an ENG epic (a parent in
        another project)."""
        for kind, source, dest in LINKS:
            body = {"type": {"name": kind}, "inwardIssue": {"key": source}}
            self.api.post("/issueLink", {**body, "outwardIssue": {"key": dest}})
        task = next(t for t in self.types("OPS") if t["name"] == "Task")
        self.issue("OPS", task, parent={"key": epic})

    def walk(self, issue: dict[str, Any], steps: int) -> None:
        """Move an issue ``steps`` transitions along its workflow (a spread over statuses);
        transitions with a screen get a resolution. The transitions offered in a status are
        asked once per project, issue type and status."""
        body, status = issue["body"], None
        for _ in range(steps):
            where = (body["project"]["key"], body["issuetype"]["id"], status)
            if where not in self.offered:
                path = f"/issue/{issue['key']}/transitions"
                self.offered[where] = self.api.get(path)["transitions"]
            options = self.offered[where]
            if not options:
                return
            choice = options[self.rng.randrange(len(options))]
            move: dict[str, Any] = {"transition": {"id": choice["id"]}}
            if choice["hasScreen"]:
                move["fields"] = {"resolution": {"name": self.rng.choice(["Done", "Fixed"])}}
            self.api.post(f"/issue/{issue['key']}/transitions", move)
            status = choice["to"]["id"]

    # -- what hangs on an issue ----------------------------------------------------------------
    def extras(self, key: str, index: int) -> None:
        base = f"/issue/{key}"
        first = self.api.post(f"{base}/comment", {"body": adf(paragraph(text("Looking into it.")))})
        self.api.put(f"/comment/{first['id']}/properties/sentiment", {"score": index % 5})
        restricted = {"type": "group", "value": "jira-software-users"}
        if index % 16 == 0:
            restricted = {"type": "role", "value": "Administrators"}
        self.api.post(
            f"{base}/comment",
            {
                "body": adf(paragraph(text("Internal: "), mention("bob"), text(" has context."))),
                "visibility": restricted,
            },
        )
        for day in range(1 + index % 3):
            self.api.post(
                f"{base}/worklog",
                {
                    "started": f"2026-02-{day + 2:02d}T09:30:00.000+0000",
                    "timeSpentSeconds": 1800 * (day + 1),
                    "comment": adf(paragraph(text(f"Day {day + 1}"))),
                },
                adjustEstimate="leave",
            )
        self.api.upload(
            f"{base}/attachments", f"notes-{index}.txt", f"Notes on {key}\n".encode(), "text/plain"
        )
        self.api.post(f"{base}/watchers", account(USERS[index % len(USERS)]))
        self.api.post(
            f"{base}/remotelink",
            {
                "globalId": f"acme-wiki-{key}",
                "object": {"url": f"https://wiki.acme.example/{key}", "title": f"Wiki: {key}"},
            },
        )
        self.api.put(f"{base}/properties/triage", {"reviewed": True, "round": index % 3})
