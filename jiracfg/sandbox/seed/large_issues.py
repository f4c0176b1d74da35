"""The ``large`` seed's issues at scale: about 1,000 per project at scale 1 (100,000 on its 100
projects), written straight into the store in bulk, one statement per collection and project,
since a hundred thousand REST calls would take many minutes.

They hold what the routes would have stored for them: a status of the issue type's workflow
(resolved when it is a done status), a priority, labels, an ADF description, values for the
custom fields of the project's create screen whose context applies (options of that context,
text, numbers, dates), the creator as reporter and watcher, keys numbered on from the project's
counter (so REST creates continue the sequence); every fifth issue has a comment and every tenth
a worklog. The few issues the seed makes over REST first prove the routes accept such data.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

from jiracfg.sandbox.jql import call
from jiracfg.sandbox.routes import _issue_values as values
from jiracfg.sandbox.routes._issue_values import format_stamp
from jiracfg.sandbox.routes.core import ADMIN
from jiracfg.sandbox.routes.issue_worklogs import stamp_ms
from jiracfg.sandbox.store import Doc, Store

PER_PROJECT, COMMENT_EVERY, WORKLOG_EVERY = 1000, 5, 10
FILLED = ("option", "options", "string", "number", "date", "adf")
START = datetime(2023, 1, 2, 9, 0, tzinfo=UTC)
LABELS = ["backend", "frontend", "infra", "customer", "q1", "q2", "q3", "q4", "debt", "security"]
ME = str(ADMIN["accountId"])


def seed_issues(db: Store, project_ids: list[str], scale: float, seed: int = 4242) -> int:
    """Bulk-create the issues of every project; the number created."""
    rng, per_project, made = random.Random(seed), max(1, round(PER_PROJECT * scale)), 0
    for project_id in project_ids:
        made += ProjectIssues(db, project_id, rng).write(per_project)
    return made


def adf(text: str) -> Doc:
    return {
        "type": "doc",
        "version": 1,
        "content": [{"type": "paragraph", "content": [{"type": "text", "text": text}]}],
    }


class TypePlan:
    """What an issue of one type in one project may hold: statuses and settable custom fields."""

    def __init__(self, db: Store, project_id: str, type_id: str) -> None:
        workflow = call("workflowschemes", "workflow_name_for", None, db, project_id, type_id)
        statuses = call("workflows", "workflow_status_ids", [], db, workflow)
        self.type_id = type_id
        self.statuses = [
            (s, call("statuses", "status_category_of", "TODO", db, s)) for s in statuses
        ]
        screen = call("screens", "screen_for_issue", None, db, project_id, type_id, "create")
        on_screen = call("screens", "screen_field_ids", [], db, screen)
        self.on_screen = set(on_screen)  # a system field off the screen keeps what a create gives
        ctx = values.Context(db, project_id, type_id)
        self.fields = [f for f in (self.settable(db, ctx, f) for f in on_screen) if f]

    def settable(
        self, db: Store, ctx: values.Context, field_id: str
    ) -> tuple[str, str, list[str]] | None:
        """(field id, value kind, option ids) of a custom field an issue here can hold."""
        field = call("fields", "get_field", None, db, field_id)
        kind = values.kind_of(field) if field and field.get("custom") else None
        if kind not in FILLED:
            return None
        try:
            options = values.allowed_options(ctx, field_id)
        except ValueError:
            return None  # no context applies
        ids = [str(o["id"]) for o in values.roots(options)]
        return None if kind in ("option", "options") and not ids else (field_id, str(kind), ids)


class ProjectIssues:
    def __init__(self, db: Store, project_id: str, rng: random.Random) -> None:
        self.db, self.project_id, self.rng = db, project_id, rng
        project = call("projects", "get_project", None, db, project_id)
        self.key = str(project["key"])
        types = call("issuetypes", "issue_types_of_project", [], db, project_id)
        self.plans = [
            TypePlan(db, project_id, t["id"]) for t in types if t.get("hierarchyLevel", 0) == 0
        ]
        self.priorities = [p["id"] for p in call("basics", "all_priorities", [], db)]
        self.default_priority = str(call("basics", "default_priority_id", "3", db))
        self.resolution = next(iter(call("basics", "all_resolutions", [], db)), {"id": None})["id"]

    def write(self, count: int) -> int:
        first = self.db.reserve(f"issue_num:{self.project_id}", count, 1)
        docs = [self.issue(first + n) for n in range(count)]
        self.db.insert_many("issue", docs, [self.project_id] * count)
        self.db.insert_many(
            "issue_num",
            [{"id": f"{self.project_id}-{d['num']}", "issueId": d["id"]} for d in docs],
            [self.project_id] * count,
        )
        self.db.insert_many(
            "issue_watcher",
            [{"id": f"{d['id']}:{ME}", "accountId": ME} for d in docs],
            [d["id"] for d in docs],
        )
        self.hanging(docs)
        return count

    def issue(self, num: int) -> Doc:
        plan = self.plans[num % len(self.plans)]
        status, category = plan.statuses[self.rng.randrange(len(plan.statuses))]
        created = START + timedelta(minutes=num * 7 + int(self.project_id) % 97)
        updated = format_stamp(created + timedelta(days=self.rng.randrange(30)))
        doc: Doc = {
            "projectId": self.project_id,
            "issueTypeId": plan.type_id,
            "statusId": status,
            "resolutionId": self.resolution if category == "DONE" else None,
            "priorityId": self.rng.choice(self.priorities),
            "labels": self.rng.sample(LABELS, self.rng.randrange(3)),
            "summary": f"Synthetic issue {self.key}-{num}",
            "description": adf(f"Work item {num} of {self.key}."),
            "creator": ME,
            "fields": {"reporter": ME, **self.values(plan)},
            "key": f"{self.key}-{num}",
            "num": num,
            "created": format_stamp(created),
            "updated": updated,
        }
        self.off_screen(plan, doc)
        if doc["resolutionId"]:
            doc["resolved"] = updated
        if num % WORKLOG_EVERY == 0:
            doc["fields"]["timetracking"] = {"timeSpent": 3600}
        return doc

    def off_screen(self, plan: TypePlan, doc: Doc) -> None:
        """What the create screen does not show, as a create over REST leaves it (the routes
        would refuse a value for it)."""
        if "priority" not in plan.on_screen:
            doc["priorityId"] = self.default_priority
        if "labels" not in plan.on_screen:
            doc["labels"] = []
        if "description" not in plan.on_screen:
            doc["description"] = None

    def values(self, plan: TypePlan) -> dict[str, Any]:
        """Half of the settable custom fields get a value."""
        chosen = [f for f in plan.fields if self.rng.random() < 0.5]
        return {
            field_id: random_value(self.rng, kind, options) for field_id, kind, options in chosen
        }

    def hanging(self, docs: list[Doc]) -> None:
        """A comment on every fifth issue, a worklog on every tenth."""
        talked = [d for d in docs if d["num"] % COMMENT_EVERY == 0]
        self.db.insert_many(
            "issue_comment",
            [
                {
                    "issueId": d["id"],
                    "body": adf(f"Comment on {d['key']}."),
                    "author": ME,
                    "created": d["updated"],
                    "updated": d["updated"],
                }
                for d in talked
            ],
            [d["id"] for d in talked],
        )
        logged = [d for d in docs if d["num"] % WORKLOG_EVERY == 0]
        self.db.insert_many(
            "issue_worklog",
            [
                {
                    "issueId": d["id"],
                    "author": ME,
                    "updateAuthor": ME,
                    "started": d["created"],
                    "timeSpentSeconds": 3600,
                    "created": d["updated"],
                    "updated": d["updated"],
                    "updatedMs": stamp_ms(d["updated"]),
                }
                for d in logged
            ],
            [d["id"] for d in logged],
        )


def random_value(rng: random.Random, kind: str, options: list[str]) -> Any:
    if kind == "option":
        return rng.choice(options)
    if kind == "options":
        return rng.sample(options, min(2, len(options)))
    if kind == "number":
        return float(rng.randrange(1, 100))
    if kind == "date":
        return f"2025-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
    if kind == "adf":
        return adf(f"Note {rng.randrange(1000)}")
    return f"value {rng.randrange(1000)}"
