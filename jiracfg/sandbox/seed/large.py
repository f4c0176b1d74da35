"""The ``large`` seed: synthetic, but shaped like a big enterprise site.

At scale 1: 100 projects, 1,000 custom fields with 2,000 contexts and 20,000 options, 300
workflows, 150 workflow schemes, 600 screens (300 screen schemes, 100 issue type screen schemes),
50 issue type schemes, 50 field configurations (25 schemes), 20 permission schemes, and about
1,000 issues per project (100,000 in all, with 20,000 comments and 10,000 worklogs). Built through
the sandbox's routes (``Local``) with a fixed random seed, using Jira's bulk endpoints where it has
them; the issues beyond the first two of each project are written in bulk (``large_issues``).
"""

from __future__ import annotations

import itertools
import random

from jiracfg.sandbox.routes.roles import ADMINISTRATORS
from jiracfg.sandbox.seed.demo import APPLY_PERMISSIONS, plugin_key, project_body, workflow_body
from jiracfg.sandbox.seed.large_issues import seed_issues
from jiracfg.sandbox.seed.local import Local
from jiracfg.sandbox.store import Store

CATEGORIES = ("TODO", "IN_PROGRESS", "DONE")
FIELD_TYPES = [
    ("select", "multiselectsearcher"),
    ("multiselect", "multiselectsearcher"),
    ("textfield", "textsearcher"),
    ("float", "exactnumber"),
    ("datepicker", "daterange"),
    ("textarea", "textsearcher"),
]
OPTIONS_PER_CONTEXT = 20


def seed_large(store: Store, scale: float = 1.0, *, issues: bool = True) -> None:
    """``issues=False``: the configuration only (what the configuration benchmarks read; the
    issues grow as the square of the scale: 1.6 million at scale 4)."""
    local = Local(store)
    try:
        Large(local, scale, issues).build()
    finally:
        local.close()


def count(base: int, scale: float) -> int:
    return max(1, round(base * scale))


class Large:
    def __init__(self, local: Local, scale: float, issues: bool = True) -> None:
        self.api = local
        self.scale = scale
        self.with_issues = issues
        self.rng = random.Random(1000)

    def n(self, base: int) -> int:
        return count(base, self.scale)

    def build(self) -> None:
        for step in (
            self.statuses,
            self.workflows,
            self.workflow_schemes,
            self.issue_types,
            self.fields,
            self.screens,
            self.field_configurations,
            self.permissions,
            self.projects,
            self.contexts,
            *([self.issues] if self.with_issues else []),
        ):
            step()

    def statuses(self) -> None:
        body = [
            {"name": f"Stage {i:02d}", "statusCategory": CATEGORIES[i % 3]}
            for i in range(max(6, self.n(40)))
        ]
        self.api.post("/statuses", {"scope": {"type": "GLOBAL"}, "statuses": body})
        found = self.api.get("/statuses/search", maxResults=200, searchString="Stage ")
        self.status_ids = {s["name"]: s["id"] for s in found["values"]}

    def workflows(self) -> None:
        names = sorted(self.status_ids)
        self.workflow_names = [f"Flow {i:03d}" for i in range(self.n(300))]
        for start in range(0, len(self.workflow_names), 20):
            chunk = self.workflow_names[start : start + 20]
            flows = [self.rng.sample(names, self.rng.randint(3, 6)) for _ in chunk]
            used = sorted({s for flow in flows for s in flow})
            refs = [
                {
                    "id": self.status_ids[s],
                    "name": s,
                    "statusReference": f"ref-{s}",
                    "statusCategory": "TODO",
                }
                for s in used
            ]
            self.api.post(
                "/workflows/create",
                {
                    "scope": {"type": "GLOBAL"},
                    "statuses": refs,
                    "workflows": [
                        workflow_body(name, f"Synthetic workflow {name}", flow, chain(flow))
                        for name, flow in zip(chunk, flows, strict=True)
                    ],
                },
            )

    def workflow_schemes(self) -> None:
        self.workflow_scheme_ids = [
            str(
                self.api.post(
                    "/workflowscheme",
                    {
                        "name": f"Workflow Scheme {i:03d}",
                        "defaultWorkflow": self.rng.choice(self.workflow_names),
                        "issueTypeMappings": {"10003": self.rng.choice(self.workflow_names)},
                    },
                )["id"]
            )
            for i in range(self.n(150))
        ]

    def issue_types(self) -> None:
        for i in range(10):
            self.api.post("/issuetype", {"name": f"Work Item {i}", "hierarchyLevel": 0})
        types = [t["id"] for t in self.api.get("/issuetype") if t["hierarchyLevel"] == 0]
        self.issue_type_scheme_ids = [
            str(
                self.api.post(
                    "/issuetypescheme",
                    {
                        "name": f"Issue Type Scheme {i:03d}",
                        "issueTypeIds": self.rng.sample(types, 4),
                    },
                )["issueTypeSchemeId"]
            )
            for i in range(self.n(50))
        ]

    def fields(self) -> None:
        self.fields_made: list[tuple[str, str]] = []
        for i in range(self.n(1000)):
            kind, searcher = FIELD_TYPES[0] if i % 2 == 0 else FIELD_TYPES[1 + i % 5]
            made = self.api.post(
                "/field",
                {
                    "name": f"Field {i:04d}",
                    "type": plugin_key(kind),
                    "searcherKey": plugin_key(searcher),
                },
            )
            self.fields_made.append((str(made["id"]), kind))

    def screens(self) -> None:
        field_ids = [f for f, _ in self.fields_made]
        screens = [
            self.screen(i, self.rng.sample(field_ids, min(8, len(field_ids))))
            for i in range(self.n(600))
        ]
        schemes = [
            str(
                self.api.post(
                    "/screenscheme",
                    {
                        "name": f"Screen Scheme {i:03d}",
                        "screens": {
                            "default": int(screens[2 * i]),
                            "edit": int(screens[2 * i + 1]),
                        },
                    },
                )["id"]
            )
            for i in range(len(screens) // 2)
        ]
        self.itss_ids = [
            str(
                self.api.post(
                    "/issuetypescreenscheme",
                    {
                        "name": f"Issue Type Screen Scheme {i:03d}",
                        "issueTypeMappings": [
                            {"issueTypeId": "default", "screenSchemeId": self.rng.choice(schemes)}
                        ],
                    },
                )["id"]
            )
            for i in range(self.n(100))
        ]

    def screen(self, index: int, field_ids: list[str]) -> str:
        screen_id = str(self.api.post("/screens", {"name": f"Screen {index:03d}"})["id"])
        tab = self.api.get(f"/screens/{screen_id}/tabs")[0]
        for field_id in ["summary", *field_ids]:
            self.api.post(f"/screens/{screen_id}/tabs/{tab['id']}/fields", {"fieldId": field_id})
        return screen_id

    def field_configurations(self) -> None:
        configs = [
            str(
                self.api.post("/fieldconfiguration", {"name": f"Field Configuration {i:03d}"})["id"]
            )
            for i in range(self.n(50))
        ]
        self.fcs_ids = []
        for i in range(self.n(25)):
            scheme = str(
                self.api.post(
                    "/fieldconfigurationscheme", {"name": f"Field Configuration Scheme {i:03d}"}
                )["id"]
            )
            self.api.put(
                f"/fieldconfigurationscheme/{scheme}/mapping",
                {
                    "mappings": [
                        {"issueTypeId": "default", "fieldConfigurationId": self.rng.choice(configs)}
                    ]
                },
            )
            self.fcs_ids.append(scheme)

    def permissions(self) -> None:
        groups = {g["name"]: g["groupId"] for g in self.api.get("/group/bulk")["values"]}
        users = groups["jira-software-users"]
        admins = {"type": "projectRole", "value": ADMINISTRATORS}
        self.permission_scheme_ids = [
            str(
                self.api.post(
                    "/permissionscheme",
                    {
                        "name": f"Permission Scheme {i:03d}",
                        "permissions": [
                            {
                                "permission": "BROWSE_PROJECTS",
                                "holder": {"type": "group", "value": users},
                            },
                            *(  # to the lead (the admin), as the demo's Engineering scheme
                                {"permission": key, "holder": admins} for key in APPLY_PERMISSIONS
                            ),
                        ],
                    },
                )["id"]
            )
            for i in range(self.n(20))
        ]

    def projects(self) -> None:
        self.project_ids = []
        for i in range(self.n(100)):
            body = project_body(
                f"P{i:03d}", f"Project {i:03d}", "software", "admin", f"Synthetic project {i}"
            )
            body["leadAccountId"] = "557058:admin"
            body |= {
                key: int(self.rng.choice(ids))
                for key, ids in (
                    ("workflowScheme", self.workflow_scheme_ids),
                    ("issueTypeScheme", self.issue_type_scheme_ids),
                    ("issueTypeScreenScheme", self.itss_ids),
                    ("fieldConfigurationScheme", self.fcs_ids),
                    ("permissionScheme", self.permission_scheme_ids),
                )
            }
            self.project_ids.append(str(self.api.post("/project", body)["id"]))

    def contexts(self) -> None:
        """Each field keeps its global context and gets one project context; select fields
        have options in both."""
        for index, (field_id, kind) in enumerate(self.fields_made):
            default = self.api.get(f"/field/{field_id}/context")["values"][0]["id"]
            project = self.project_ids[index % len(self.project_ids)]
            made = self.api.post(
                f"/field/{field_id}/context",
                {"name": f"Context for project {project}", "projectIds": [project]},
            )
            for context_id in (default, made["id"]) if kind == "select" else ():
                self.api.post(
                    f"/field/{field_id}/context/{context_id}/option",
                    {"options": [{"value": f"Option {o:02d}"} for o in range(OPTIONS_PER_CONTEXT)]},
                )

    def issues(self) -> None:
        for i in range(len(self.project_ids)):
            key = f"P{i:03d}"
            types = [
                t["id"]
                for t in self.api.get(f"/project/{key}")["issueTypes"]
                if t.get("hierarchyLevel", 0) == 0
            ]
            for n in range(2):
                self.api.post(
                    "/issue",
                    {
                        "fields": {
                            "project": {"key": key},
                            "issuetype": {"id": types[n % len(types)]},
                            "summary": f"Synthetic issue {n}",
                        }
                    },
                )
        seed_issues(self.api.store, self.project_ids, self.scale)


def chain(statuses: list[str]) -> list[tuple[str, list[str] | None, str]]:
    """Transitions that walk the statuses in order."""
    return [(f"To {b}", [a], b) for a, b in itertools.pairwise(statuses)]
